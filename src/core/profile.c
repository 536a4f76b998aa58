/* SPDX-License-Identifier: ISC */
/*
 * profile: words from a file or a variable, split as GNU parallel splits
 * its config file, its -J profiles and $PARALLEL (it hands each line to
 * Text::ParseWords::shellwords).  quote_split() in src/command/quote.c
 * reads back only what parx itself quoted, and refuses a backslash or a
 * "..." with more than single quotes in it: the lines people write for GNU
 * parallel ("-S myssh\ user@server", "--tagstring \"a b\"") need both.
 */
#include "profile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "xalloc.h"

void
profile_init(struct profile *p)
{
	memset(p, 0, sizeof(*p));
}

void
profile_release(struct profile *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		free(p->words[i]);
	for (i = 0; i < p->nlabels; i++)
		free(p->labels[i]);
	free(p->words);
	free(p->from);
	free(p->labels);
	profile_init(p);
}

/* Whether c parts words: what Perl's \s matches in a byte string. */
static int
profile_blank(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	    c == '\v';
}

/*
 * Append the quoted piece that starts at s[*i] (a ' or a ") to out and
 * move *i past it.  Inside either quote a backslash keeps the next byte
 * from ending the piece; in "..." the backslash itself is dropped, in
 * '...' it stays, as Text::ParseWords has it.
 */
static int
profile_quoted(const char *s, size_t len, size_t *i, struct buf *out,
    const char **why)
{
	char q = s[*i];
	size_t k;

	for (k = *i + 1; k < len && s[k] != q; k++) {
		if (s[k] == '\\' && k + 1 < len) {
			if (q == '\'')
				buf_addch(out, '\\');
			k++;
		}
		buf_addch(out, s[k]);
	}
	if (k >= len) {
		*why = q == '"' ? "an unterminated double quote" :
		    "an unterminated single quote";
		return -1;
	}
	*i = k + 1;
	return 0;
}

/*
 * Split s, which holds no NUL, into words, each followed by a NUL in out;
 * count them.
 */
static long
profile_split(const char *s, size_t len, struct buf *out, const char **why)
{
	size_t i;
	long n = 0;
	int inword = 0;

	for (i = 0; i < len; ) {
		unsigned char c = (unsigned char)s[i];

		if (profile_blank(c)) {
			if (inword)
				buf_addch(out, '\0');
			n += inword;
			inword = 0;
			i++;
		} else if (c == '"' || c == '\'') {
			if (profile_quoted(s, len, &i, out, why) == -1)
				return -1;
			inword = 1;
		} else if (c == '\\' && i + 1 >= len) {
			*why = "a backslash at the end";
			return -1;
		} else {
			/* A backslash keeps the byte after it. */
			i += c == '\\';
			buf_addch(out, s[i++]);
			inword = 1;
		}
	}
	if (inword)
		buf_addch(out, '\0');
	return n + inword;
}

/* Split s into words and append them to p, from label. */
long
profile_add_text(struct profile *p, const char *s, size_t len,
    const char *label, const char **why)
{
	struct buf w = BUF_INIT;
	const char *word;
	char *copy;
	long n, k;

	if (memchr(s, '\0', len) != NULL) {
		*why = "a NUL byte";
		return -1;
	}
	n = profile_split(s, len, &w, why);
	if (n <= 0) {
		buf_release(&w);
		return n;
	}
	copy = xstrdup(label);
	p->labels = xreallocarray(p->labels, p->nlabels + 1,
	    sizeof(*p->labels));
	p->labels[p->nlabels++] = copy;
	p->words = xreallocarray(p->words, p->n + (size_t)n,
	    sizeof(*p->words));
	p->from = xreallocarray(p->from, p->n + (size_t)n, sizeof(*p->from));
	for (k = 0, word = w.data; k < n; k++, word += strlen(word) + 1) {
		p->words[p->n] = xstrdup(word);
		p->from[p->n++] = copy;
	}
	buf_release(&w);
	return n;
}

/* Whether the line of len bytes at s is a comment. */
static int
profile_comment(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len && profile_blank((unsigned char)s[i]))
		i++;
	return i < len && s[i] == '#';
}

/* Append the words of the file at path. */
int
profile_add_file(struct profile *p, const char *path, const char **why,
    size_t *line)
{
	struct buf label = BUF_INIT;
	char *s = NULL, num[32];
	size_t cap = 0;
	ssize_t len;
	FILE *fp;
	int rc = 0, saved;

	*why = NULL;
	*line = 0;
	if ((fp = fopen(path, "re")) == NULL)
		return -1;
	while ((len = getline(&s, &cap, fp)) != -1) {
		++*line;
		if (len > 0 && s[len - 1] == '\n')
			len--;
		if (profile_comment(s, (size_t)len))
			continue;
		buf_reset(&label);
		snprintf(num, sizeof(num), ":%zu", *line);
		buf_addstr(&label, path);
		buf_addstr(&label, num);
		if (profile_add_text(p, s, (size_t)len, label.data, why) ==
		    -1) {
			errno = EINVAL;
			rc = -1;
			break;
		}
	}
	if (rc == 0 && ferror(fp))
		rc = -1;
	saved = errno;
	free(s);
	buf_release(&label);
	fclose(fp);
	errno = saved;
	return rc;
}

/* The file of the profile name. */
char *
profile_path(const char *name)
{
	const char *home = getenv("PARALLEL_HOME"), *sub = "";
	struct buf b = BUF_INIT;

	if (name[0] == '/' || strncmp(name, "./", 2) == 0)
		return xstrdup(name);
	if (home == NULL || *home == '\0') {
		home = getenv("HOME");
		sub = "/.parallel";
	}
	if (home == NULL || *home == '\0') {
		errno = ENOENT;
		return NULL;
	}
	buf_addstr(&b, home);
	buf_addstr(&b, sub);
	buf_addch(&b, '/');
	buf_addstr(&b, name);
	return buf_detach(&b, NULL);
}

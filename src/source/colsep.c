/* SPDX-License-Identifier: ISC */
/*
 * Columns: splitting values with regexec(REG_STARTEND), so that values
 * need no terminating NUL and may hold any byte, trimming, and the names
 * a header gives to the columns.
 */
#include "colsep.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "input.h"
#include "xalloc.h"

struct colsep_name {
	char	*name;
	size_t	 len;
	size_t	 pos;		/* the column, from 1 */
};

struct colsep {
	regex_t			 re;
	int			 split;		/* re is compiled */
	char			*csv_sep;	/* --csv: the separator, or NULL */
	size_t			 csv_seplen;
	struct buf		 csv;		/* the fields, unquoted */
	size_t			*csv_off;	/* field k is csv[off[2k], +off[2k+1]) */
	size_t			 csv_n, csv_cap;
	const struct arg	*csv_bad;
	int			 trim;
	struct arg		*cols;		/* handed out by colsep_split */
	size_t			 ncols;
	size_t			 cap;
	struct colsep_name	*names;
	size_t			 nnames;
};

/*
 * Translate the Perl escapes that POSIX expressions lack: character
 * escapes, \xHH, and the classes \d \s \w (and \D \S \W outside
 * brackets).  In a bracket expression a POSIX backslash is an ordinary
 * character, so there an escaped character stands for itself.
 */
static void
colsep_translate(struct buf *b, const char *re)
{
	static const char from[] = "tnrfvea", to[] = "\t\n\r\f\v\033\a";
	static const struct {
		char		 c;
		const char	*out, *in;	/* outside, inside brackets */
	} classes[] = {
		{ 'd', "[0-9]", "0-9" },
		{ 'D', "[^0-9]", NULL },
		{ 's', "[[:space:]]", "[:space:]" },
		{ 'S', "[^[:space:]]", NULL },
		{ 'w', "[[:alnum:]_]", "[:alnum:]_" },
		{ 'W', "[^[:alnum:]_]", NULL },
	};
	const char *p, *q, *end;
	int bracket = 0, h, k;
	unsigned v;
	size_t i;

	for (p = re; *p; p++) {
		if (*p == '[' && !bracket) {
			bracket = 1;
			buf_addch(b, *p);
			/* A ']' first in the bracket is literal. */
			if (p[1] == '^')
				buf_addch(b, *++p);
			if (p[1] == ']')
				buf_addch(b, *++p);
			continue;
		}
		if (bracket && *p == '[' && p[1] && strchr(":.=", p[1]) &&
		    (end = strstr(p + 2, (char []){ p[1], ']', '\0' })) != NULL) {
			/* [:class:], [.coll.], [=equiv=] as they are */
			buf_add(b, p, (size_t)(end + 2 - p));
			p = end + 1;
			continue;
		}
		if (*p == ']' && bracket) {
			bracket = 0;
			buf_addch(b, *p);
			continue;
		}
		if (*p != '\\' || p[1] == '\0') {
			buf_addch(b, *p);
			continue;
		}
		p++;
		if ((q = strchr(from, *p)) != NULL) {
			buf_addch(b, to[q - from]);
			continue;
		}
		if (*p == 'x' && input_hexval(p[1]) >= 0) {
			v = 0;
			for (k = 0; k < 2 && (h = input_hexval(p[1])) >= 0;
			    k++, p++)
				v = v * 16 + (unsigned)h;
			if (v == 0)
				continue;	/* a NUL cannot be matched */
			if (!bracket && strchr(".[]()*+?{}|^$\\", (int)v))
				buf_addch(b, '\\');
			buf_addch(b, (int)v);
			continue;
		}
		for (i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
			if (classes[i].c == *p && (!bracket || classes[i].in))
				break;
		if (i < sizeof(classes) / sizeof(classes[0])) {
			buf_addstr(b, bracket ? classes[i].in : classes[i].out);
			continue;
		}
		if (!bracket)
			buf_addch(b, '\\');
		buf_addch(b, *p);
	}
}

/* Make the splitter. */
struct colsep *
colsep_new(const struct colsep_opts *opts, char **err)
{
	struct colsep *c;
	struct buf re = BUF_INIT;
	const char *src = opts->regex;
	char msg[256];
	int rc;

	*err = NULL;
	c = xcalloc(1, sizeof(*c));
	c->trim = opts->trim >= 0 ? opts->trim :
	    opts->regex ? COLSEP_TRIM_LEFT | COLSEP_TRIM_RIGHT : 0;
	if (opts->csv) {
		c->csv_sep = xstrdup(opts->regex && *opts->regex ?
		    opts->regex : ",");
		c->csv_seplen = strlen(c->csv_sep);
		buf_init(&c->csv);
		return c;
	}
	if (src == NULL && opts->header)
		src = "\t";
	if (src != NULL) {
		colsep_translate(&re, src);
		rc = regcomp(&c->re, re.len ? re.data : "", REG_EXTENDED);
		buf_release(&re);
		if (rc != 0) {
			struct buf e = BUF_INIT;

			regerror(rc, &c->re, msg, sizeof(msg));
			buf_addstr(&e, "invalid regular expression '");
			buf_addstr(&e, src);
			buf_addstr(&e, "' for --colsep/-C: expected an extended "
			    "regular expression (");
			buf_addstr(&e, msg);
			buf_addstr(&e, ")");
			*err = buf_detach(&e, NULL);
			free(c);
			return NULL;
		}
		c->split = 1;
	}
	return c;
}

/* Free the splitter. */
void
colsep_free(struct colsep *c)
{
	size_t i;

	if (c == NULL)
		return;
	if (c->split)
		regfree(&c->re);
	for (i = 0; i < c->nnames; i++)
		free(c->names[i].name);
	free(c->names);
	free(c->cols);
	free(c->csv_sep);
	free(c->csv_off);
	buf_release(&c->csv);
	free(c);
}

/* Parse a --trim value. */
int
colsep_parse_trim(const char *s)
{
	if (strcmp(s, "n") == 0)
		return 0;
	if (strcmp(s, "l") == 0)
		return COLSEP_TRIM_LEFT;
	if (strcmp(s, "r") == 0)
		return COLSEP_TRIM_RIGHT;
	if (strcmp(s, "lr") == 0 || strcmp(s, "rl") == 0)
		return COLSEP_TRIM_LEFT | COLSEP_TRIM_RIGHT;
	return -1;
}

static int
colsep_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	    c == '\v';
}

static void
colsep_push(struct colsep *c, const char *s, size_t len, int trim)
{
	if (trim & COLSEP_TRIM_LEFT)
		while (len > 0 && colsep_blank(*s)) {
			s++;
			len--;
		}
	if (trim & COLSEP_TRIM_RIGHT)
		while (len > 0 && colsep_blank(s[len - 1]))
			len--;
	if (c->ncols == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		c->cols = xreallocarray(c->cols, c->cap, sizeof(*c->cols));
	}
	c->cols[c->ncols].s = s;
	c->cols[c->ncols].len = len;
	c->ncols++;
}

/*
 * Split one value into columns, as Perl's split does but keeping empty
 * columns at the end: an empty match right where a column begins does
 * not count, so a separator matching the empty string splits between
 * characters.
 */
static void
colsep_split_one(struct colsep *c, const struct arg *a, int trim)
{
	regmatch_t m;
	size_t start = 0, pos = 0;

	if (!c->split) {
		colsep_push(c, a->s, a->len, trim);
		return;
	}
	while (pos <= a->len) {
		m.rm_so = (regoff_t)pos;
		m.rm_eo = (regoff_t)a->len;
		if (regexec(&c->re, a->s, 1, &m,
		    REG_STARTEND | (pos > 0 ? REG_NOTBOL : 0)) != 0)
			break;
		if (m.rm_so == m.rm_eo) {
			if ((size_t)m.rm_so >= a->len)
				break;
			if ((size_t)m.rm_so == start) {
				pos = (size_t)m.rm_so + 1;
				continue;
			}
		}
		colsep_push(c, a->s + start, (size_t)m.rm_so - start, trim);
		start = (size_t)m.rm_eo;
		pos = start;
	}
	colsep_push(c, a->s + start, a->len - start, trim);
}

/* --csv: note a field of len bytes that starts at off in c->csv. */
static void
colsep_csv_field(struct colsep *c, size_t off)
{
	if (c->csv_n == c->csv_cap) {
		c->csv_cap = c->csv_cap ? c->csv_cap * 2 : 16;
		c->csv_off = xreallocarray(c->csv_off, c->csv_cap,
		    2 * sizeof(*c->csv_off));
	}
	c->csv_off[2 * c->csv_n] = off;
	c->csv_off[2 * c->csv_n + 1] = c->csv.len - off;
	c->csv_n++;
	buf_addch(&c->csv, '\0');
}

/*
 * --csv: the fields of one record into c->csv, as Text::CSV reads them
 * for GNU parallel; 0, or -1 when a ends in the middle of a field's
 * quotes or holds a stray quote.
 */
static int
colsep_csv_one(struct colsep *c, const struct arg *a)
{
	const char *p = a->s, *end = a->s + a->len;
	size_t off;

	for (;;) {
		off = c->csv.len;
		if (p < end && *p == '"') {
			for (p++;; p++) {
				if (p == end)
					return -1;
				if (*p == '"') {
					if (p + 1 < end && p[1] == '"') {
						buf_addch(&c->csv, '"');
						p++;
						continue;
					}
					p++;
					break;
				}
				buf_addch(&c->csv, *p);
			}
		} else {
			while (p < end && ((size_t)(end - p) < c->csv_seplen ||
			    memcmp(p, c->csv_sep, c->csv_seplen) != 0)) {
				if (*p == '"')
					return -1;
				buf_addch(&c->csv, *p++);
			}
		}
		colsep_csv_field(c, off);
		if (p == end)
			return 0;
		if ((size_t)(end - p) < c->csv_seplen ||
		    memcmp(p, c->csv_sep, c->csv_seplen) != 0)
			return -1;
		p += c->csv_seplen;
	}
}

/* The value found not to be CSV, or NULL. */
const struct arg *
colsep_csv_bad(const struct colsep *c)
{
	return c->csv_bad;
}

/* The columns of a tuple. */
void
colsep_split(struct colsep *c, const struct arg *args, size_t nargs,
    const struct arg **out, size_t *nout)
{
	size_t i;

	c->ncols = 0;
	if (c->csv_sep != NULL) {
		buf_reset(&c->csv);
		c->csv_n = 0;
		c->csv_bad = NULL;
		for (i = 0; i < nargs; i++) {
			struct arg a = args[i];

			/* The record's own newline is no part of it. */
			if (a.len > 0 && a.s[a.len - 1] == '\n')
				a.len--;
			if (colsep_csv_one(c, &a) == -1 && !c->csv_bad)
				c->csv_bad = &args[i];
		}
		for (i = 0; i < c->csv_n; i++)
			colsep_push(c, c->csv.data + c->csv_off[2 * i],
			    c->csv_off[2 * i + 1], c->trim);
		*out = c->cols;
		*nout = c->ncols;
		return;
	}
	for (i = 0; i < nargs; i++)
		colsep_split_one(c, &args[i], c->trim);
	*out = c->cols;
	*nout = c->ncols;
}

/* Whether a name could not be told from a positional form. */
static int
colsep_bad_name(const char *s, size_t len)
{
	size_t i = 0;

	if (len == 0 || memchr(s, '{', len) || memchr(s, '}', len))
		return 1;
	if (s[0] == '-')
		i = 1;
	if (i == len)
		return 0;
	for (; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* The columns of the header tuple. */
void
colsep_split_header(struct colsep *c, const struct arg *args, size_t nargs,
    const struct arg **out, size_t *nout)
{
	struct arg a;
	size_t i;
	int trim = c->trim;

	if (c->csv_sep != NULL) {
		c->trim = 0;
		colsep_split(c, args, nargs, out, nout);
		c->trim = trim;
		return;
	}
	c->ncols = 0;
	for (i = 0; i < nargs; i++) {
		/* A header line ending in CR LF (DOS) names "foo", not "foo\r". */
		a = args[i];
		if (a.len > 0 && a.s[a.len - 1] == '\r')
			a.len--;
		colsep_split_one(c, &a, 0);
	}
	*out = c->cols;
	*nout = c->ncols;
}

/* Learn the column names. */
void
colsep_set_header(struct colsep *c, const struct arg *args, size_t nargs)
{
	const struct arg *cols;
	size_t i, ncols;

	colsep_split_header(c, args, nargs, &cols, &ncols);
	c->names = xreallocarray(NULL, ncols ? ncols : 1, sizeof(*c->names));
	for (i = 0; i < ncols; i++) {
		if (colsep_bad_name(cols[i].s, cols[i].len))
			continue;
		c->names[c->nnames].name = xmemdupz(cols[i].s, cols[i].len);
		c->names[c->nnames].len = cols[i].len;
		c->names[c->nnames].pos = i + 1;
		c->nnames++;
	}
	c->ncols = 0;
}

/*
 * The named replacement string at w ("{" already matched): the length of
 * the whole form, with *pos and *suffix set, or 0.  The longest name
 * wins; of equal names, the first column.
 */
static size_t
colsep_match(const struct colsep *c, const char *w, size_t *pos,
    const char **suffix)
{
	static const char *const suffixes[] = { "}", ".}", "/}", "//}", "/.}" };
	size_t i, k, best = 0, blen = 0, slen;

	for (i = 0; i < c->nnames; i++) {
		const struct colsep_name *n = &c->names[i];

		if (n->len <= blen || strncmp(w + 1, n->name, n->len) != 0)
			continue;
		for (k = 0; k < sizeof(suffixes) / sizeof(suffixes[0]); k++) {
			slen = strlen(suffixes[k]);
			if (strncmp(w + 1 + n->len, suffixes[k], slen) == 0) {
				best = 1 + n->len + slen;
				blen = n->len;
				*pos = n->pos;
				*suffix = suffixes[k];
				break;
			}
		}
	}
	return best;
}

/*
 * The column name that starts {= at w ("{=" already matched) as GNU
 * parallel's {=NAME code=} and {=NAME=}: the length of "{=NAME", with
 * *pos set, or 0.  The longest name wins.
 */
static size_t
colsep_match_perl(const struct colsep *c, const char *w, size_t *pos)
{
	size_t i, best = 0;
	const char *e;

	for (i = 0; i < c->nnames; i++) {
		const struct colsep_name *n = &c->names[i];

		if (n->len <= best || strncmp(w + 2, n->name, n->len) != 0)
			continue;
		e = w + 2 + n->len;
		if (*e == ' ' || *e == '\t' || *e == '\n' ||
		    strncmp(e, "=}", 2) == 0) {
			best = n->len;
			*pos = n->pos;
		}
	}
	return best ? 2 + best : 0;
}

/* Rewrite the named replacement strings. */
char **
colsep_rewrite(const struct colsep *c, char *const *words, size_t n)
{
	char **out = xreallocarray(NULL, n ? n : 1, sizeof(*out));
	struct buf b = BUF_INIT;
	const char *w, *suffix;
	char num[32];
	size_t i, len, pos;

	for (i = 0; i < n; i++) {
		for (w = words[i]; *w; ) {
			if (*w == '{' &&
			    (len = colsep_match(c, w, &pos, &suffix)) > 0) {
				snprintf(num, sizeof(num), "{%zu", pos);
				buf_addstr(&b, num);
				buf_addstr(&b, suffix);
				w += len;
				continue;
			}
			if (w[0] == '{' && w[1] == '=' &&
			    (len = colsep_match_perl(c, w, &pos)) > 0) {
				snprintf(num, sizeof(num), "{=%zu", pos);
				buf_addstr(&b, num);
				w += len;
				continue;
			}
			buf_addch(&b, *w++);
		}
		out[i] = buf_detach(&b, NULL);
	}
	return out;
}

/* Free rewritten words. */
void
colsep_free_words(char **words, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(words[i]);
	free(words);
}

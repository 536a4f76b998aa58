/* SPDX-License-Identifier: ISC */
/*
 * test-tool input: print the tuples that src/source/input.c produces.
 *
 *	test-tool input [-0] [-d DELIM] [--link] [--flush] [--count]
 *	    [--maxrss] [-a FILE]... [SOURCE]...
 *
 * where each SOURCE is one of
 *
 *	::: WORDS...	a word list
 *	:::+ WORDS...	a word list linked to the previous source
 *	:::: FILES...	one source per file ("-" is standard input)
 *	::::+ FILES...	the same, each linked to the previous source
 *
 * The -a files come first, in order, then the sources.  Without any
 * source the input is standard input.  A separator ends the list before
 * it, so "::: ::: x" is an empty word list followed by "x".
 *
 *	-0		records end at NUL
 *	-d DELIM	records end at DELIM, parsed by input_parse_delim()
 *	--link		INPUT_LINK_ALL
 *	--flush		flush standard output after each tuple
 *	--count		print only the number of tuples
 *	--maxrss	print "maxrss KIB" (peak resident size) on stderr
 *
 * Each tuple is one line, each value in brackets: "[a][b]".  Inside a
 * value, backslash, newline, NUL, tab, CR and ']' are written \\ \n \0
 * \t \r \], and other bytes below 0x20 or above 0x7e as \xHH, so that the
 * output names every byte unambiguously.
 *
 * The input is driven through the non-blocking protocol: on INPUT_AGAIN,
 * poll input_pollfd() for POLLIN, then input_read() once.
 *
 * Exit status: 0, 1 when the input fails, 2 on a usage error.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "buf.h"
#include "input.h"
#include "msg.h"
#include "tool.h"
#include "xalloc.h"

static int
tool_input_usage(void)
{
	fprintf(stderr, "usage: test-tool input [-0] [-d DELIM] [--link] "
	    "[--flush] [--count] [--maxrss] [-a FILE]... "
	    "[::: WORDS... | :::+ WORDS... | :::: FILES... | "
	    "::::+ FILES...]...\n");
	return 2;
}

static int
tool_input_issep(const char *s)
{
	return strcmp(s, ":::") == 0 || strcmp(s, ":::+") == 0 ||
	    strcmp(s, "::::") == 0 || strcmp(s, "::::+") == 0;
}

/* Append one value, escaped, in brackets. */
static void
tool_input_quote(struct buf *out, const struct arg *a)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char c;
	size_t i;

	buf_addch(out, '[');
	for (i = 0; i < a->len; i++) {
		c = (unsigned char)a->s[i];
		switch (c) {
		case '\\':
			buf_add(out, "\\\\", 2);
			break;
		case '\n':
			buf_add(out, "\\n", 2);
			break;
		case '\0':
			buf_add(out, "\\0", 2);
			break;
		case '\t':
			buf_add(out, "\\t", 2);
			break;
		case '\r':
			buf_add(out, "\\r", 2);
			break;
		case ']':
			buf_add(out, "\\]", 2);
			break;
		default:
			if (c < 0x20 || c > 0x7e) {
				buf_add(out, "\\x", 2);
				buf_addch(out, hex[c >> 4]);
				buf_addch(out, hex[c & 0xf]);
			} else
				buf_addch(out, c);
		}
	}
	buf_addch(out, ']');
}

/* Wait for the stream and read it once. */
static int
tool_input_wait(struct input *in)
{
	struct pollfd pfd;

	pfd.fd = input_pollfd(in);
	pfd.events = POLLIN;
	if (pfd.fd < 0)
		BUG("INPUT_AGAIN without a descriptor to poll");
	while (poll(&pfd, 1, -1) < 0)
		if (errno != EINTR)
			return -1;
	while (input_read(in) < 0)
		if (errno != EINTR && errno != EAGAIN)
			return -1;
	return 0;
}

/* Run the input and print its tuples. */
static int
tool_input_run(struct input *in, int flush, int count)
{
	struct buf out = BUF_INIT;
	const struct arg *args;
	unsigned long long ntuples = 0;
	size_t nargs, i;
	int r, rc = 0;

	for (;;) {
		r = input_next(in, &args, &nargs);
		if (r == INPUT_END)
			break;
		if (r == INPUT_AGAIN) {
			if (tool_input_wait(in) < 0)
				goto fail;
			continue;
		}
		if (r != INPUT_OK)
			goto fail;
		ntuples++;
		if (count)
			continue;
		for (i = 0; i < nargs; i++)
			tool_input_quote(&out, &args[i]);
		buf_addch(&out, '\n');
		if (flush || out.len >= 64 * 1024) {
			fwrite(out.data, 1, out.len, stdout);
			buf_reset(&out);
			if (flush)
				fflush(stdout);
		}
	}
	goto done;
fail:
	msg_error("cannot read '%s': %s", input_culprit(in) ?
	    input_culprit(in) : "?", strerror(errno));
	rc = 1;
done:
	if (out.len)
		fwrite(out.data, 1, out.len, stdout);
	if (count)
		printf("%llu\n", ntuples);
	buf_release(&out);
	if (fflush(stdout) != 0)
		rc = 1;
	return rc;
}

/* test-tool input: see the top of this file. */
int
cmd_input(int argc, char **argv)
{
	struct input *in;
	struct rusage ru;
	char **files;
	char *delim = NULL;
	size_t delim_len = 0, nfiles = 0;
	int flags = 0, flush = 0, count = 0, maxrss = 0, linked, rc;
	int i, j;

	files = xreallocarray(NULL, (size_t)argc, sizeof(*files));
	for (i = 1; i < argc && !tool_input_issep(argv[i]); i++) {
		if (strcmp(argv[i], "-0") == 0) {
			free(delim);
			delim = xmemdupz("", 0);
			delim_len = 1;
		} else if (strcmp(argv[i], "-d") == 0 && i + 1 < argc) {
			free(delim);
			delim = input_parse_delim(argv[++i], &delim_len);
			if (delim == NULL) {
				msg_error("invalid delimiter '%s'", argv[i]);
				free(files);
				return 2;
			}
		} else if (strcmp(argv[i], "-a") == 0 && i + 1 < argc) {
			files[nfiles++] = argv[++i];
		} else if (strcmp(argv[i], "--link") == 0) {
			flags |= INPUT_LINK_ALL;
		} else if (strcmp(argv[i], "--flush") == 0) {
			flush = 1;
		} else if (strcmp(argv[i], "--count") == 0) {
			count = 1;
		} else if (strcmp(argv[i], "--maxrss") == 0) {
			maxrss = 1;
		} else {
			free(delim);
			free(files);
			return tool_input_usage();
		}
	}

	in = input_new(delim, delim_len, flags);
	free(delim);
	for (j = 0; j < (int)nfiles; j++)
		input_add_file(in, files[j], 0);
	free(files);
	while (i < argc) {
		linked = argv[i][strlen(argv[i]) - 1] == '+';
		if (strncmp(argv[i], "::::", 4) == 0) {
			for (i++; i < argc && !tool_input_issep(argv[i]); i++) {
				input_add_file(in, argv[i], linked);
			}
		} else {
			for (j = ++i; i < argc && !tool_input_issep(argv[i]);)
				i++;
			input_add_words(in, argv + j, (size_t)(i - j), linked);
		}
	}
	if (input_nsources(in) == 0)
		input_add_file(in, "-", 0);

	if (input_start(in) < 0) {
		msg_error("cannot open '%s': %s", input_culprit(in),
		    strerror(errno));
		rc = 1;
	} else
		rc = tool_input_run(in, flush, count);
	input_free(in);

	if (maxrss && getrusage(RUSAGE_SELF, &ru) == 0)
		fprintf(stderr, "maxrss %ld\n", ru.ru_maxrss);
	return rc;
}

/* SPDX-License-Identifier: ISC */
/*
 * test-tool quote and test-tool tmpl: drive src/command/quote.c and src/command/tmpl.c
 * from tests/quote.bats and tests/tmpl.bats.
 *
 *	test-tool quote [--safe] [--stdin] [--] STR...
 *
 * Print quote_shell() of each STR on its own line.  With --safe print
 * quote_is_safe() (0 or 1) instead.  With --stdin quote all of standard
 * input as one value (for large or binary values) and ignore STR.
 *
 *	test-tool tmpl [OPTION...] [--] WORD... [--- ARG...]
 *
 * Parse the template WORD... and expand it once for a job whose arguments
 * (one per input source) are ARG..., printing the text and a newline.
 * Options, which must come before the first WORD:
 *
 *	-q				TMPL_QUOTE_WORDS
 *	-I STR				rename {}
 *	--extensionreplace STR		rename {.}
 *	--basenamereplace STR		rename {/}
 *	--dirnamereplace STR		rename {//}
 *	--basenameextensionreplace STR	rename {/.}
 *	--seqreplace STR		rename {#}
 *	--slotreplace STR		rename {%}
 *	--no-append			TMPL_NO_APPEND
 *	--plus				TMPL_PLUS ({##} is 0)
 *	--raw				expand with quote = 0
 *	--seq N, --slot N		the job's {#} and {%} (default 1)
 *	--uses				first print "uses:" and the default
 *					name of each replacement string used
 *	--argv				print "simple: 0" or "simple: 1"; when
 *					simple also "program: PROG" and each
 *					tmpl_expand_argv() element as <elem>,
 *					one per line, instead of the text
 *	--repeat N			expand N times (for timing), print once
 *	--context			TMPL_CONTEXT (-X): every ARG is one
 *					argument of the job
 *	--size				print "text PRED REAL", and for simple
 *					templates "argv PRED REAL" and "argc
 *					PRED REAL": the tmpl_size_* figures
 *					against the real expansion
 *
 * Exit status: 0 on success, 1 when the template does not parse (the
 * message goes to standard error), 2 on a usage error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arg.h"
#include "buf.h"
#include "msg.h"
#include "quote.h"
#include "tmpl.h"
#include "tool.h"
#include "xalloc.h"

static const char *const tool_repl_names[TMPL_NREPL] = {
	"{}", "{.}", "{/}", "{//}", "{/.}", "{#}", "{%}"
};

static const struct {
	const char	*opt;
	enum tmpl_repl	 repl;
} tool_repl_opts[] = {
	{ "-I", TMPL_ALL },
	{ "--extensionreplace", TMPL_NOEXT },
	{ "--basenamereplace", TMPL_BASE },
	{ "--dirnamereplace", TMPL_DIR },
	{ "--basenameextensionreplace", TMPL_BASENOEXT },
	{ "--seqreplace", TMPL_SEQ },
	{ "--slotreplace", TMPL_SLOT },
};

static int
tool_write(const char *s, size_t len)
{
	return fwrite(s, 1, len, stdout) == len ? 0 : -1;
}

static int
tool_number(const char *opt, const char *s, unsigned long long *v)
{
	char *end;

	if (*s < '0' || *s > '9') {
		fprintf(stderr, "test-tool: bad number for %s: '%s'\n", opt, s);
		return -1;
	}
	*v = strtoull(s, &end, 10);
	if (*end != '\0') {
		fprintf(stderr, "test-tool: bad number for %s: '%s'\n", opt, s);
		return -1;
	}
	return 0;
}

/* Take the number after the option at argv[*i]. */
static int
tool_optnum(int argc, char **argv, int *i, unsigned long long *v)
{
	if (*i + 1 >= argc)
		return -1;
	if (tool_number(argv[*i], argv[*i + 1], v) == -1)
		return -1;
	(*i)++;
	return 0;
}

/* test-tool quote: print the quoted form of each value. */
int
cmd_quote(int argc, char **argv)
{
	struct buf in = BUF_INIT, out = BUF_INIT;
	char chunk[65536];
	ssize_t n;
	int i, safe, from_stdin;

	safe = from_stdin = 0;
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		} else if (strcmp(argv[i], "--safe") == 0)
			safe = 1;
		else if (strcmp(argv[i], "--stdin") == 0)
			from_stdin = 1;
		else
			break;
	}
	if (from_stdin) {
		while ((n = read(0, chunk, sizeof(chunk))) > 0)
			buf_add(&in, chunk, (size_t)n);
		if (n < 0) {
			perror("test-tool: cannot read standard input");
			buf_release(&in);
			return 2;
		}
		if (safe)
			printf("%d\n", quote_is_safe(in.data ? in.data : "",
			    in.len));
		else {
			quote_shell(&out, in.data ? in.data : "", in.len);
			buf_addch(&out, '\n');
			tool_write(out.data, out.len);
		}
		buf_release(&in);
		buf_release(&out);
		return 0;
	}
	for (; i < argc; i++) {
		if (safe) {
			printf("%d\n", quote_is_safe(argv[i], strlen(argv[i])));
			continue;
		}
		buf_reset(&out);
		quote_shell(&out, argv[i], strlen(argv[i]));
		buf_addch(&out, '\n');
		tool_write(out.data, out.len);
	}
	buf_release(&out);
	return 0;
}

static void
tool_print_argv(const struct tmpl *t, const struct tmpl_ctx *ctx)
{
	struct buf out = BUF_INIT;
	const char *p;
	size_t i, n;

	if (!tmpl_is_simple(t)) {
		printf("simple: 0\n");
		return;
	}
	printf("simple: 1\nprogram: %s\n", tmpl_program(t));
	n = tmpl_expand_argv(t, ctx, &out);
	p = out.data;
	for (i = 0; i < n; i++) {
		fputc('<', stdout);
		tool_write(p, strlen(p));
		fputs(">\n", stdout);
		p += strlen(p) + 1;
	}
	if (p != out.data + out.len)
		BUG("argv: %zu elements do not fill the buffer", n);
	buf_release(&out);
}

/* Compare the predicted sizes with the real expansion. */
static void
tool_print_size(const struct tmpl *t, const struct tmpl_ctx *ctx, int quote)
{
	struct tmpl_size base, sep, sz, pos;
	struct buf out = BUF_INIT;
	size_t i, n;

	tmpl_size_base(t, ctx->seq, ctx->slot, &base, &sep);
	sz = base;
	for (i = 0; i < ctx->nargs; i++)
		tmpl_size_arg(t, &ctx->args[i], quote, &sz);
	if (ctx->nargs > 1) {
		sz.text += (ctx->nargs - 1) * sep.text;
		sz.argv += (ctx->nargs - 1) * sep.argv;
		sz.argc += (ctx->nargs - 1) * sep.argc;
	}
	tmpl_size_pos(t, ctx, quote, &pos);
	sz.text += pos.text;
	sz.argv += pos.argv;
	sz.argc += pos.argc;
	tmpl_expand(t, ctx, quote, &out);
	printf("text %zu %zu\n", sz.text, out.len);
	if (tmpl_is_simple(t)) {
		buf_reset(&out);
		n = tmpl_expand_argv(t, ctx, &out);
		printf("argv %zu %zu\nargc %zu %zu\n", sz.argv, out.len,
		    sz.argc, n);
	}
	buf_release(&out);
}

/* test-tool tmpl: parse a template and expand it for one job. */
int
cmd_tmpl(int argc, char **argv)
{
	struct tmpl_opts opts;
	struct tmpl_ctx ctx;
	struct tmpl *t;
	struct buf out = BUF_INIT;
	struct arg *args;
	unsigned long long v, repeat;
	size_t nwords, k;
	char *err;
	int i, j, first, raw, want_argv, uses, matched, size;

	memset(&opts, 0, sizeof(opts));
	memset(&ctx, 0, sizeof(ctx));
	ctx.seq = 1;
	ctx.slot = 1;
	raw = want_argv = uses = size = 0;
	repeat = 1;
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		if (strcmp(argv[i], "---") == 0)
			break;
		matched = 0;
		for (k = 0; k < sizeof(tool_repl_opts) /
		    sizeof(tool_repl_opts[0]); k++) {
			if (strcmp(argv[i], tool_repl_opts[k].opt) != 0)
				continue;
			if (i + 1 >= argc)
				goto usage;
			opts.repl[tool_repl_opts[k].repl] = argv[++i];
			matched = 1;
		}
		if (matched)
			continue;
		if (strcmp(argv[i], "-q") == 0)
			opts.flags |= TMPL_QUOTE_WORDS;
		else if (strcmp(argv[i], "--no-append") == 0)
			opts.flags |= TMPL_NO_APPEND;
		else if (strcmp(argv[i], "--plus") == 0)
			opts.flags |= TMPL_PLUS;
		else if (strcmp(argv[i], "--raw") == 0)
			raw = 1;
		else if (strcmp(argv[i], "--argv") == 0)
			want_argv = 1;
		else if (strcmp(argv[i], "--uses") == 0)
			uses = 1;
		else if (strcmp(argv[i], "--context") == 0)
			opts.flags |= TMPL_CONTEXT;
		else if (strcmp(argv[i], "--size") == 0)
			size = 1;
		else if (strcmp(argv[i], "--seq") == 0) {
			if (tool_optnum(argc, argv, &i, &ctx.seq) == -1)
				goto usage;
		} else if (strcmp(argv[i], "--slot") == 0) {
			if (tool_optnum(argc, argv, &i, &v) == -1)
				goto usage;
			ctx.slot = (unsigned long)v;
		} else if (strcmp(argv[i], "--repeat") == 0) {
			if (tool_optnum(argc, argv, &i, &repeat) == -1)
				goto usage;
		} else
			goto usage;
	}
	first = i;
	for (j = first; j < argc && strcmp(argv[j], "---") != 0; j++)
		;
	nwords = (size_t)(j - first);
	args = xcalloc((size_t)argc, sizeof(*args));
	for (k = 0, i = j + 1; i < argc; i++, k++) {
		args[k].s = argv[i];
		args[k].len = strlen(argv[i]);
	}
	ctx.args = args;
	ctx.nargs = k;

	t = tmpl_parse(argv + first, nwords, &opts, &err);
	if (t == NULL) {
		msg_error("%s", err);
		free(err);
		free(args);
		return 1;
	}
	if (uses) {
		fputs("uses:", stdout);
		for (k = 0; k < TMPL_NREPL; k++)
			if (tmpl_uses(t, (enum tmpl_repl)k))
				printf(" %s", tool_repl_names[k]);
		fputc('\n', stdout);
	}
	if (size)
		tool_print_size(t, &ctx, !raw);
	else if (want_argv)
		tool_print_argv(t, &ctx);
	else {
		for (v = 0; v < repeat; v++) {
			buf_reset(&out);
			tmpl_expand(t, &ctx, !raw, &out);
		}
		buf_addch(&out, '\n');
		tool_write(out.data, out.len);
	}
	buf_release(&out);
	tmpl_free(t);
	free(args);
	return 0;

usage:
	fprintf(stderr, "usage: test-tool tmpl [-q] [-I STR] [--raw] "
	    "[--argv] [--uses] [--context] [--size] [--seq N] [--slot N] "
	    "[--] WORD... "
	    "[--- ARG...]\n");
	return 2;
}

/* SPDX-License-Identifier: ISC */
/*
 * Fuzz target for src/command/tmpl.c: parsing a command template and expanding
 * it for a job.
 *
 * The input is a flags byte, then fields separated by NUL bytes.  Flags:
 * bit 0 -q (TMPL_QUOTE_WORDS), bit 1 TMPL_NO_APPEND, bit 2 the first
 * field renames {} (-I), bit 3 it renames {.} instead, bits 4-6 the
 * number of template words minus one.  The next fields are the template
 * words, the rest (at most 16) the job's arguments; {#} is the input size
 * and {%} the flags.
 *
 * Properties: parsing fails only with a message; expanding is
 * deterministic and appends; a value never escapes its quotes: when the
 * template is simple (it may run without a shell), its expansion is inert
 * shell text whose words are exactly what tmpl_expand_argv() gives, and
 * the first of them is tmpl_program().
 */
#include <stdlib.h>
#include <string.h>

#include "arg.h"
#include "buf.h"
#include "fuzz.h"
#include "tmpl.h"

#define FUZZ_MAXF	32

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tmpl_opts opts;
	struct tmpl_ctx ctx = { 0 };
	struct arg args[FUZZ_MAXF];
	struct buf copy = BUF_INIT, a = BUF_INIT, b = BUF_INIT;
	struct buf words = BUF_INIT, argv = BUF_INIT, raw = BUF_INIT;
	char *field[FUZZ_MAXF], *err = NULL, *p, *end;
	const char *why = NULL;
	struct tmpl *t;
	size_t nf = 0, nwords, first = 0, i, nargv;
	unsigned flags;
	long n;

	if (size < 1)
		return 0;
	flags = data[0];
	/* Fields as C strings: copy and cut at the NUL bytes. */
	buf_add(&copy, data + 1, size - 1);
	p = copy.data;
	end = copy.data + copy.len;
	while (nf < FUZZ_MAXF) {
		field[nf++] = p;
		p += strlen(p);
		if (p >= end)
			break;
		p++;
	}

	memset(&opts, 0, sizeof(opts));
	opts.flags = (flags & 1 ? TMPL_QUOTE_WORDS : 0) |
	    (flags & 2 ? TMPL_NO_APPEND : 0);
	if (flags & 0xc) {
		opts.repl[flags & 4 ? TMPL_ALL : TMPL_NOEXT] = field[0];
		first = 1;
	}
	nwords = ((flags >> 4) & 7) + 1;
	if (first + nwords > nf)
		nwords = nf - first;
	for (i = first + nwords; i < nf; i++) {
		args[i - first - nwords].s = field[i];
		args[i - first - nwords].len = strlen(field[i]);
	}
	ctx.args = args;
	ctx.nargs = nf - first - nwords;
	ctx.seq = size;
	ctx.slot = flags;

	t = tmpl_parse(field + first, nwords, &opts, &err);
	if (t == NULL) {
		FUZZ_CHECK(err != NULL && *err != '\0', "%s",
		    "no message for a template that does not parse");
		free(err);
		buf_release(&copy);
		return 0;
	}
	FUZZ_CHECK(err == NULL, "%s", "a message for a template that parses");

	buf_addstr(&a, "<");
	tmpl_expand(t, &ctx, 1, &a);
	tmpl_expand(t, &ctx, 1, &b);
	FUZZ_CHECK(fuzz_eq(a.data + 1, a.len - 1, b.data, b.len),
	    "%s", "two expansions differ, or the first overwrote the buffer");
	tmpl_expand(t, &ctx, 0, &raw);

	if (tmpl_is_simple(t)) {
		const char *prog = tmpl_program(t);

		FUZZ_CHECK(prog != NULL && *prog != '\0', "%s",
		    "a simple template without a program");
		FUZZ_CHECK((opts.flags & TMPL_QUOTE_WORDS) ||
		    strchr(prog, '=') == NULL,
		    "program '%s' would be an assignment", prog);
		n = fuzz_sh_words(b.data, b.len, &words, &why);
		FUZZ_CHECK(n >= 0, "expansion '%s' is not inert: %s", b.data,
		    why);
		nargv = tmpl_expand_argv(t, &ctx, &argv);
		FUZZ_CHECK((size_t)n == nargv, "'%s': the shell sees %ld words, "
		    "tmpl_expand_argv gives %zu", b.data, n, nargv);
		FUZZ_CHECK(fuzz_eq(words.data, words.len, argv.data, argv.len),
		    "'%s': the words differ from tmpl_expand_argv", b.data);
		FUZZ_CHECK(nargv > 0 && strcmp(argv.data, prog) == 0,
		    "argv[0] '%s' is not the program '%s'",
		    nargv ? argv.data : "", prog);
	}

	tmpl_free(t);
	buf_release(&copy);
	buf_release(&a);
	buf_release(&b);
	buf_release(&raw);
	buf_release(&words);
	buf_release(&argv);
	return 0;
}

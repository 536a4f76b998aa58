/* SPDX-License-Identifier: ISC */
/*
 * Fuzz target for src/command/quote.c.  The input is one value.
 *
 * Properties: quote_shell() output is inert shell text (fuzz_sh_words)
 * that reads back as exactly one word, equal to the value up to its first
 * NUL byte; a value is left bare exactly when quote_is_safe() says so, and
 * then only safe bytes appear; the output is never longer than the bound
 * quote.c allocates for; appending to a buffer keeps what was there.  For
 * one input in 64 (every input with FUZZ_SH_ALL set) /bin/sh, and bash
 * when it exists, really read the quoted value back.  The input read as a
 * line of words by quote_split() re-quotes to the same words.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "fuzz.h"
#include "quote.h"

static int
fuzz_safe_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || (c != '\0' && strchr("_./+-", c));
}

static void
fuzz_shell_check(const char *shell, const char *quoted, const char *v,
    size_t vlen)
{
	struct buf got = BUF_INIT;
	int st;

	if (access(shell, X_OK) != 0)
		return;
	st = fuzz_sh_printf(shell, quoted, &got);
	FUZZ_CHECK(st == 0, "%s exited with status %d for %s", shell, st,
	    quoted);
	FUZZ_CHECK(fuzz_eq(got.data, got.len, v, vlen),
	    "%s read %s back as %zu bytes, not the %zu of the value", shell,
	    quoted, got.len, vlen);
	buf_release(&got);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf out = BUF_INIT, words = BUF_INIT;
	const char *v = (const char *)data, *nul, *why = NULL;
	size_t vlen = size, i, nq = 0;
	long n;

	/* The value as the shell can hold it: up to the first NUL. */
	if (size > 0 && (nul = memchr(v, '\0', size)) != NULL)
		vlen = (size_t)(nul - v);

	buf_addstr(&out, "x");
	quote_shell(&out, v, size);
	FUZZ_CHECK(out.data[0] == 'x', "%s", "quote_shell overwrote the buffer");
	FUZZ_CHECK(out.data[out.len] == '\0', "%s", "buffer not terminated");
	FUZZ_CHECK(memchr(out.data, '\0', out.len) == NULL,
	    "%s", "a NUL byte in the quoted text");

	for (i = 0; i < vlen; i++)
		nq += v[i] == '\'';
	FUZZ_CHECK(out.len - 1 <= (vlen ? vlen + 4 * nq + 2 : 2),
	    "%zu bytes quoted into %zu", vlen, out.len - 1);

	if (quote_is_safe(v, size)) {
		FUZZ_CHECK(fuzz_eq(out.data + 1, out.len - 1, v, size), "%s",
		    "a safe value was changed");
		for (i = 0; i < size; i++)
			FUZZ_CHECK(fuzz_safe_byte((unsigned char)v[i]),
			    "byte 0x%02x called safe", (unsigned char)v[i]);
	} else if (vlen == size) {
		FUZZ_CHECK(vlen == 0 || !fuzz_eq(out.data + 1, out.len - 1, v,
		    vlen),
		    "%s", "an unsafe value was left bare");
	}

	n = fuzz_sh_words(out.data + 1, out.len - 1, &words, &why);
	FUZZ_CHECK(n == 1, "%s reads as %ld words (%s)", out.data + 1, n,
	    why ? why : "");
	FUZZ_CHECK(words.len == vlen + 1 && fuzz_eq(words.data, vlen, v, vlen),
	    "%s reads back as %zu bytes, not %zu", out.data + 1,
	    words.len - 1, vlen);

	/*
	 * The input read as a line of words (as --retry-failed reads a
	 * logged call): when it splits, quoting the words again and joining
	 * them with spaces splits back into the same words.
	 */
	buf_reset(&words);
	n = quote_split(v, size, &words, &why);
	if (n >= 0) {
		struct buf again = BUF_INIT, back = BUF_INIT;
		const char *w = words.data;
		long k;

		for (k = 0; k < n; k++) {
			if (k > 0)
				buf_addch(&again, ' ');
			quote_shell(&again, w, strlen(w));
			w += strlen(w) + 1;
		}
		FUZZ_CHECK(quote_split(again.data ? again.data : "",
		    again.len, &back, &why) == n, "%s", "words lost");
		FUZZ_CHECK(back.len == words.len && (n == 0 ||
		    memcmp(back.data, words.data, words.len) == 0), "%s",
		    "re-quoted words read back differently");
		buf_release(&again);
		buf_release(&back);
	}

	if (getenv("FUZZ_SH_ALL") != NULL || fuzz_hash(data, size) % 64 == 0) {
		fuzz_shell_check("/bin/sh", out.data + 1, v, vlen);
		fuzz_shell_check("/bin/bash", out.data + 1, v, vlen);
	}
	buf_release(&out);
	buf_release(&words);
	return 0;
}

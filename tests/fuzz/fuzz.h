/* SPDX-License-Identifier: ISC */
/*
 * fuzz: what the libFuzzer targets under tests/fuzz/ share.  Each target
 * is one fuzz_NAME.c defining LLVMFuzzerTestOneInput(); it checks
 * properties with FUZZ_CHECK, which prints the failed property and aborts
 * so that libFuzzer keeps the input as a crash.
 */
#ifndef PARX_FUZZ_H
#define PARX_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "quote.h"

struct buf;

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond, ...) do {					\
	if (!(cond))							\
		fuzz_fail(__FILE__, __LINE__, #cond, __VA_ARGS__);	\
} while (0)

/* Print "file:line: property failed: cond: message" and abort. */
void	fuzz_fail(const char *file, int line, const char *cond,
	    const char *fmt, ...) __attribute__((noreturn, format(printf, 4, 5)));

/*
 * Inert shell text, split into words: quote_split() (src/command/quote.h), which
 * returns -1 for text holding anything the shell would act on.
 */
#define fuzz_sh_words(s, len, out, why)	quote_split(s, len, out, why)

/*
 * Run "/bin/sh -c 'printf %s WORD'" for the shell text word and append
 * what it prints to out.  Returns the shell's wait status, or -1 when it
 * could not be run.  Slow: call it for a sample of the inputs.
 */
int	fuzz_sh_printf(const char *shell, const char *word, struct buf *out);

/* Whether two byte strings are equal; either may be NULL when empty. */
int	fuzz_eq(const void *a, size_t alen, const void *b, size_t blen);

/* A stable hash of the input, to pick samples reproducibly. */
uint32_t fuzz_hash(const uint8_t *data, size_t size);

#endif

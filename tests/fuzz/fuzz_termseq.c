/* SPDX-License-Identifier: ISC */
/*
 * Fuzz target for the --termseq parser, src/control/termseq.c.
 *
 * The input is a byte giving the room for steps (0..31), then the spec,
 * up to the first NUL byte.
 *
 * Properties: a parse yields between 1 and that many steps, each with a
 * signal between 1 and 64 and a wait between 0 and 86400000 ms; writing
 * the steps back as numbers ("15,200,9,0") parses to the same steps; a
 * wait is decimal digits only, as a signal number is; termseq_signum()
 * of any word is -1 or a signal number.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fuzz.h"
#include "termseq.h"

#define FUZZ_MAXSTEPS	32

/* Every comma-separated wait (odd field) is a non-empty digit string. */
static int
fuzz_waits_are_digits(const char *s)
{
	size_t len;
	int field = 0;

	for (;;) {
		len = strcspn(s, ",");
		if (field % 2 == 1 && (len == 0 || strspn(s, "0123456789") <
		    len))
			return 0;
		if (s[len] == '\0')
			return 1;
		s += len + 1;
		field++;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct termseq_step steps[FUZZ_MAXSTEPS], again[FUZZ_MAXSTEPS];
	struct buf b = BUF_INIT;
	char num[32], *spec;
	size_t max;
	int n, m, i, sig;

	if (size < 1)
		return 0;
	max = data[0] % FUZZ_MAXSTEPS;
	spec = strndup((const char *)data + 1, size - 1);

	sig = termseq_signum(spec);
	FUZZ_CHECK(sig == -1 || (sig >= 1 && sig <= 64),
	    "termseq_signum('%s') = %d", spec, sig);

	n = termseq_parse(spec, steps, max);
	FUZZ_CHECK(n == -1 || (n >= 1 && (size_t)n <= max),
	    "'%s' with room for %zu: %d steps", spec, max, n);
	if (n > 0) {
		FUZZ_CHECK(fuzz_waits_are_digits(spec),
		    "'%s' accepted: a wait is not a plain number", spec);
		for (i = 0; i < n; i++) {
			FUZZ_CHECK(steps[i].sig >= 1 && steps[i].sig <= 64,
			    "'%s': step %d signal %d", spec, i, steps[i].sig);
			FUZZ_CHECK(steps[i].ms >= 0 && steps[i].ms <= 86400000L,
			    "'%s': step %d waits %ld", spec, i, steps[i].ms);
			snprintf(num, sizeof(num), "%s%d,%ld", i ? "," : "",
			    steps[i].sig, steps[i].ms);
			buf_addstr(&b, num);
		}
		m = termseq_parse(b.data, again, max);
		FUZZ_CHECK(m == n, "'%s' written back as '%s': %d steps, not %d",
		    spec, b.data, m, n);
		for (i = 0; i < n; i++)
			FUZZ_CHECK(again[i].sig == steps[i].sig &&
			    again[i].ms == steps[i].ms,
			    "'%s' written back as '%s': step %d differs", spec,
			    b.data, i);
	}
	buf_release(&b);
	free(spec);
	return 0;
}

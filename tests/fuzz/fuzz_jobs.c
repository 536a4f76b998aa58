/* SPDX-License-Identifier: ISC */
/*
 * Fuzz target for the -j parser, config_parse_jobs() in src/core/config.c.
 *
 * The input is a byte giving the number of CPUs (1..256), then the -j
 * value, up to the first NUL byte.
 *
 * Property: the parser agrees with a reference written from config.h:
 * N, 0, +N, -N, N% with N of 1 to 7 decimal digits (nothing else, no
 * blanks, no sign with %, one final newline allowed); +N and -N count
 * from the CPUs; N% is that
 * share of the CPUs, rounded up.  A relative value below 1 returns 1
 * with 1 as the value (no job slot).  Only a plain 0 gives 0 ("as many
 * as possible").
 */
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "fuzz.h"

static int
fuzz_ref_jobs(const char *s, long ncpus, unsigned long *out)
{
	size_t len = strlen(s), i, digits;
	int sign = 0, pct = 0;
	unsigned long v = 0;

	/* One final newline is allowed (-j "$(cmd)"), as GNU parallel. */
	if (len > 0 && s[len - 1] == '\n')
		len--;

	if (len > 0 && (s[0] == '+' || s[0] == '-')) {
		sign = s[0] == '+' ? 1 : -1;
		s++;
		len--;
	}
	if (len > 0 && s[len - 1] == '%') {
		pct = 1;
		len--;
	}
	digits = len;
	if (digits < 1 || digits > 7 || (sign && pct))
		return -1;
	for (i = 0; i < digits; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	if (!pct && !sign) {
		*out = v;
		return 0;
	}
	if (pct)
		v = (unsigned long)ncpus * v / 100 +
		    ((unsigned long)ncpus * v % 100 != 0);
	else if (sign > 0)
		v = (unsigned long)ncpus + v;
	else
		v = v < (unsigned long)ncpus ? (unsigned long)ncpus - v : 0;
	*out = v > 0 ? v : 1;
	return v == 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned long got = 12345, want = 54321;
	long ncpus;
	char *spec;
	int r, rr;

	if (size < 1)
		return 0;
	ncpus = 1 + data[0];
	spec = strndup((const char *)data + 1, size - 1);
	r = config_parse_jobs(spec, ncpus, &got);
	rr = fuzz_ref_jobs(spec, ncpus, &want);
	FUZZ_CHECK(r == rr, "-j '%s' with %ld CPUs: parser says %d, "
	    "reference %d", spec, ncpus, r, rr);
	if (r >= 0) {
		FUZZ_CHECK(got == want, "-j '%s' with %ld CPUs: %lu, not %lu",
		    spec, ncpus, got, want);
		FUZZ_CHECK(got >= 1 || strspn(spec, "0") ==
		    strcspn(spec, "\n"), "-j '%s' gave 0", spec);
	}
	free(spec);
	return 0;
}

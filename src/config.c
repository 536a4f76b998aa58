/*
 * Values of the command line that need more than a number check.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static int
config_digits(const char *p, const char *end)
{
	if (p == end)
		return 0;
	for (; p < end; p++)
		if (!isdigit((unsigned char)*p))
			return 0;
	return 1;
}

/* Parse a -j value. */
int
config_parse_jobs(const char *spec, long ncpus, unsigned long *out)
{
	const char *p = spec, *end;
	int sign = 0, pct = 0;
	unsigned long v;

	if (*p == '+' || *p == '-')
		sign = *p++ == '+' ? 1 : -1;
	end = p + strlen(p);
	if (end > p && end[-1] == '%') {
		pct = 1;
		end--;
	}
	/* Whole decimal numbers only, as GNU parallel takes them. */
	if (!config_digits(p, end) || end - p > 7 || (sign && pct))
		return -1;
	v = strtoul(p, NULL, 10);
	if (pct) {
		v = (unsigned long)ncpus * v / 100;
		*out = v < 1 ? 1 : v;
	} else if (sign > 0) {
		*out = (unsigned long)ncpus + v;
	} else if (sign < 0) {
		*out = (unsigned long)ncpus > v ? (unsigned long)ncpus - v : 1;
	} else {
		*out = v;
	}
	return 0;
}

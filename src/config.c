/*
 * Values of the command line that need more than a number check.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>

/* Parse a -j value. */
int
config_parse_jobs(const char *spec, long ncpus, unsigned long *out)
{
	const char *p = spec;
	char *end;
	int sign = 0;
	double v;

	if (*p == '+' || *p == '-')
		sign = *p++ == '+' ? 1 : -1;
	if (!isdigit((unsigned char)*p))
		return -1;
	errno = 0;
	v = strtod(p, &end);
	if (errno || end == p || v < 0 || v > 1e7)
		return -1;
	if (*end == '%') {
		if (sign || end[1] != '\0')
			return -1;
		v = ncpus * v / 100;
		*out = v < 1 ? 1 : (unsigned long)v;
		return 0;
	}
	if (*end != '\0')
		return -1;
	if (sign) {
		v = ncpus + sign * v;
		*out = v < 1 ? 1 : (unsigned long)v;
		return 0;
	}
	if (v != (double)(unsigned long)v)
		return -1;	/* a plain count must be whole */
	*out = (unsigned long)v;
	return 0;
}

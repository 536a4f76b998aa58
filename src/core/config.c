/*
 * Values of the command line that count from the number of CPUs: -j and
 * --load, both of the [+-]N[%] form that num_relative() splits.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>

#include "num.h"

/* Parse a -j value. */
int
config_parse_jobs(const char *spec, long ncpus, unsigned long *out)
{
	struct num_relative r;
	const char *p;
	unsigned long v;

	if (num_relative(spec, &r) == -1)
		return -1;
	/* Whole decimal numbers only, as GNU parallel takes them. */
	if (r.num == r.end || r.end - r.num > 7)
		return -1;
	for (p = r.num; p < r.end; p++)
		if (!isdigit((unsigned char)*p))
			return -1;
	v = strtoul(r.num, NULL, 10);
	if (r.pct) {
		/* Rounded up, as GNU parallel does: 60% of 2 CPUs is 2. */
		v = ((unsigned long)ncpus * v + 99) / 100;
	} else if (r.sign > 0) {
		v = (unsigned long)ncpus + v;
	} else if (r.sign < 0) {
		v = (unsigned long)ncpus > v ? (unsigned long)ncpus - v : 0;
	} else {
		*out = v;	/* 0: as many as possible */
		return 0;
	}
	*out = v < 1 ? 1 : v;
	return v < 1;
}

/* Parse a --load value. */
int
config_parse_load(const char *spec, long ncpus, double *out)
{
	struct num_relative r;
	double v;

	if (num_relative(spec, &r) == -1 || num_relative_decimal(&r, &v) == -1)
		return -1;
	if (r.pct)
		v = (double)ncpus * v / 100;
	else if (r.sign > 0)
		v = (double)ncpus + v;
	else if (r.sign < 0)
		v = (double)ncpus - v;
	*out = v > 0.01 ? v : 0.01;
	return 0;
}

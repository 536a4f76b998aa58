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

/*
 * A plain decimal number, a fraction allowed: digits with at most one '.'
 * and at least one digit.  No sign, exponent, hex or infinity.
 */
static int
config_decimal(const char *p, const char *end, double *out)
{
	const char *q;
	char tmp[64];
	int dots = 0, digits = 0;

	for (q = p; q < end; q++) {
		if (*q == '.')
			dots++;
		else if (isdigit((unsigned char)*q))
			digits++;
		else
			return -1;
	}
	if (digits == 0 || dots > 1 || (size_t)(end - p) >= sizeof(tmp))
		return -1;
	memcpy(tmp, p, (size_t)(end - p));
	tmp[end - p] = '\0';
	*out = strtod(tmp, NULL);
	return 0;
}

/* Parse a --load value. */
int
config_parse_load(const char *spec, long ncpus, double *out)
{
	const char *p = spec, *end;
	int sign = 0, pct = 0;
	double v;

	if (*p == '+' || *p == '-')
		sign = *p++ == '+' ? 1 : -1;
	end = p + strlen(p);
	if (end > p && end[-1] == '%') {
		pct = 1;
		end--;
	}
	if ((sign && pct) || config_decimal(p, end, &v) == -1)
		return -1;
	if (pct)
		v = (double)ncpus * v / 100;
	else if (sign > 0)
		v = (double)ncpus + v;
	else if (sign < 0)
		v = (double)ncpus - v;
	*out = v > 0.01 ? v : 0.01;
	return 0;
}

/* Parse a size with an optional unit. */
int
config_parse_size(const char *spec, unsigned long long *out)
{
	static const char units[] = "KMGTPkmgtp";
	const char *end = spec + strlen(spec), *u;
	double v, mult = 1;
	int i, n;

	if (end > spec && (u = strchr(units, end[-1])) != NULL) {
		n = (int)(u - units);
		for (i = 0; i <= n % 5; i++)
			mult *= n < 5 ? 1024 : 1000;
		end--;
	}
	if (config_decimal(spec, end, &v) == -1)
		return -1;
	v *= mult;
	if (v >= 18446744073709551615.0)
		return -1;
	*out = (unsigned long long)v;
	return 0;
}

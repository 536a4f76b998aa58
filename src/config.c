/*
 * Values of the command line that need more than a number check.
 */
#include "config.h"

#include <ctype.h>
#include <math.h>
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
config_decimal_span(const char *p, const char *end, double *out)
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

/* Parse a number with an optional unit (K M G T P, k m g t p). */
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
	/* Plain decimals only: no sign, exponent, hex or infinity. */
	if (config_decimal_span(spec, end, &v) == -1)
		return -1;
	v *= mult;
	if (v >= 18446744073709551615.0)
		return -1;
	*out = (unsigned long long)v;
	return 0;
}

/* A decimal number: digits with an optional fraction, or ".digits". */
static const char *
config_decimal(const char *p, double *v)
{
	const char *start = p, *dot;
	char *end;

	while (isdigit((unsigned char)*p))
		p++;
	dot = p;
	if (*p == '.') {
		p++;
		while (isdigit((unsigned char)*p))
			p++;
		if (p == dot + 1)
			return NULL;	/* "1." */
	}
	if (p == start || p - start > 30)
		return NULL;
	*v = strtod(start, &end);
	return end == p ? p : NULL;
}

/* Parse a duration. */
int
config_parse_duration(const char *spec, double *secs)
{
	const char *p = spec;
	double total = 0, v;

	p = config_decimal(p, &v);
	if (p == NULL)
		return -1;
	if (*p == '\0') {
		*secs = v;
		return 0;
	}
	for (;;) {
		switch (tolower((unsigned char)*p)) {
		case 's':
			total += v;
			break;
		case 'm':
			total += v * 60;
			break;
		case 'h':
			total += v * 3600;
			break;
		case 'd':
			total += v * 86400;
			break;
		default:
			return -1;
		}
		if (*++p == '\0')
			break;
		p = config_decimal(p, &v);
		if (p == NULL)
			return -1;
	}
	*secs = total;
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
	if ((sign && pct) || config_decimal_span(p, end, &v) == -1)
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

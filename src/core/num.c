/* SPDX-License-Identifier: ISC */
/*
 * num: whole numbers with bounds, sizes, durations and the [+-]N[%] form,
 * as the command line writes them.
 */
#include "num.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* Fail with errno EINVAL. */
static int
num_invalid(void)
{
	errno = EINVAL;
	return -1;
}

/* Parse a whole number in [min, max]. */
int
num_parse_ll(const char *s, long long min, long long max, long long *out)
{
	const char *p = s;
	int neg = 0, over = 0;
	unsigned long long v = 0, lim;

	if (min < 0 && (*p == '+' || *p == '-'))
		neg = *p++ == '-';
	if (!isdigit((unsigned char)*p))
		return num_invalid();
	/* The magnitude of LLONG_MIN is LLONG_MAX + 1. */
	lim = neg ? (unsigned long long)LLONG_MAX + 1 : LLONG_MAX;
	for (; isdigit((unsigned char)*p); p++) {
		if (v > (lim - (unsigned long long)(*p - '0')) / 10)
			over = 1;
		else
			v = v * 10 + (unsigned long long)(*p - '0');
	}
	if (*p != '\0')
		return num_invalid();
	if (over)
		*out = neg ? LLONG_MIN : LLONG_MAX;
	else if (neg)
		*out = v == (unsigned long long)LLONG_MAX + 1 ? LLONG_MIN :
		    -(long long)v;
	else
		*out = (long long)v;
	if (over || *out < min || *out > max) {
		*out = *out < min ? min : *out > max ? max : *out;
		errno = ERANGE;
		return -1;
	}
	return 0;
}

/*
 * A plain decimal number, a fraction allowed: digits with at most one '.'
 * and at least one digit.  No sign, exponent, hex or infinity.
 */
static int
num_decimal_span(const char *p, const char *end, double *out)
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
			return num_invalid();
	}
	if (digits == 0 || dots > 1 || (size_t)(end - p) >= sizeof(tmp))
		return num_invalid();
	memcpy(tmp, p, (size_t)(end - p));
	tmp[end - p] = '\0';
	*out = strtod(tmp, NULL);
	return 0;
}

/* Parse a number with an optional unit (K M G T P, k m g t p). */
int
num_parse_size(const char *s, unsigned long long *out)
{
	static const char units[] = "KMGTPkmgtp";
	const char *end = s + strlen(s), *u;
	double v, mult = 1;
	int i, n;

	if (end > s && (u = strchr(units, end[-1])) != NULL) {
		n = (int)(u - units);
		for (i = 0; i <= n % 5; i++)
			mult *= n < 5 ? 1024 : 1000;
		end--;
	}
	if (num_decimal_span(s, end, &v) == -1)
		return -1;
	v *= mult;
	if (v >= 18446744073709551615.0) {
		errno = ERANGE;
		return -1;
	}
	*out = (unsigned long long)v;
	return 0;
}

/*
 * A decimal number at p: digits with an optional fraction, or ".digits".
 * Returns the end of it, or NULL.
 */
static const char *
num_decimal(const char *p, double *v)
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
num_parse_duration(const char *s, double *secs)
{
	const char *p = s;
	double total = 0, v;

	p = num_decimal(p, &v);
	if (p == NULL)
		return num_invalid();
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
			return num_invalid();
		}
		if (*++p == '\0')
			break;
		p = num_decimal(p, &v);
		if (p == NULL)
			return num_invalid();
	}
	*secs = total;
	return 0;
}

/* Split [+-]N[%]. */
int
num_relative(const char *s, struct num_relative *r)
{
	const char *p = s;

	r->sign = r->pct = 0;
	if (*p == '+' || *p == '-')
		r->sign = *p++ == '+' ? 1 : -1;
	r->num = p;
	r->end = p + strlen(p);
	if (r->end > p && r->end[-1] == '%') {
		r->pct = 1;
		r->end--;
	}
	if (r->sign && r->pct)
		return num_invalid();
	return 0;
}

/* Read the N of a split as a plain decimal number. */
int
num_relative_decimal(const struct num_relative *r, double *out)
{
	return num_decimal_span(r->num, r->end, out);
}

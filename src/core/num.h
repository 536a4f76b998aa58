/* SPDX-License-Identifier: ISC */
/*
 * num: the numbers of the command line, read one way.  Whole numbers with
 * bounds, sizes with a unit, durations, and the [+-]N[%] form of -j and
 * --load that counts from the number of CPUs.
 *
 * Every function reads the whole string: leading or trailing blanks, a
 * sign where none is allowed, an exponent, hex or "inf" make it fail.
 * None of them keeps state; all are safe to call from any thread.
 */
#ifndef PARX_NUM_H
#define PARX_NUM_H

/*
 * Parse a whole decimal number in [min, max].  A sign ('+' or '-') is
 * taken only when min is negative.  Returns 0 with *out set; -1 with errno
 * EINVAL when s is not a number, or ERANGE when it lies outside the bounds,
 * and then *out is the nearer bound (for callers that clamp).
 */
int	num_parse_ll(const char *s, long long min, long long max,
	    long long *out);

/*
 * Parse a size or count: a decimal number (a fraction is allowed) with an
 * optional unit K M G T P (powers of 1024) or k m g t p (of 1000), as GNU
 * parallel takes them.  Returns 0 with *out set (rounded down), or -1 with
 * errno EINVAL (not a size) or ERANGE (2^64 or more).
 */
int	num_parse_size(const char *s, unsigned long long *out);

/*
 * Parse a duration as GNU parallel writes them: seconds ("2", "0.5"), or
 * numbers each followed by a unit s, m, h or d ("1h30m", "1.5s").
 * Returns 0 with *secs set, or -1 with errno EINVAL.
 */
int	num_parse_duration(const char *s, double *secs);

/*
 * The [+-]N[%] form: N alone, +N or -N (counted from a base such as the
 * number of CPUs), or N% (a share of that base).  num_relative() splits s
 * into r: sign is 1, -1 or 0; pct is 1 when s ends with '%'; [num, end)
 * is what is left for the caller to read as N.  A sign and a '%' together
 * are refused.  Returns 0, or -1 with errno EINVAL.
 */
struct num_relative {
	int		 sign;
	int		 pct;
	const char	*num;
	const char	*end;
};

int	num_relative(const char *s, struct num_relative *r);

/*
 * Read [num, end) of a split as a plain decimal number: digits with at
 * most one '.' and at least one digit, no unit ("2", "1.5", ".5", "5.").
 * Returns 0 with *out set, or -1 with errno EINVAL.
 */
int	num_relative_decimal(const struct num_relative *r, double *out);

#endif

/* SPDX-License-Identifier: ISC */
/*
 * The statistics of --compare: medians, spreads, and a bootstrap
 * confidence interval on the ratio of two medians.
 *
 * Why a bootstrap on medians: wall times of repeated runs are skewed (a
 * run is slowed by whatever else the machine does, never sped up), so the
 * median is the figure the table shows, and the interval must be about the
 * same figure, or the verdict and the table would disagree.  The
 * percentile bootstrap makes no assumption on the shape of the
 * distribution; with few runs it is wide (3 runs each: about the range
 * of the ratios), which is the honest answer.
 */
#include "cstat.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The median of s[0..n), sorted in place. */
static double
median_sorted(double *s, size_t n)
{
	qsort(s, n, sizeof(*s), cmp_double);
	return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

double
cstat_median(const double *v, size_t n)
{
	double *s = xreallocarray(NULL, n, sizeof(*s)), m;

	memcpy(s, v, n * sizeof(*s));
	m = median_sorted(s, n);
	free(s);
	return m;
}

/* The q-quantile of sorted s[0..n), interpolated between neighbours. */
static double
quantile_sorted(const double *s, size_t n, double q)
{
	double pos = q * (double)(n - 1), frac;
	size_t i = (size_t)pos;

	frac = pos - (double)i;
	return i + 1 < n ? s[i] + frac * (s[i + 1] - s[i]) : s[n - 1];
}

double
cstat_spread(const double *v, size_t n)
{
	double *s = xreallocarray(NULL, n, sizeof(*s)), q1, q3;

	memcpy(s, v, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_double);
	q1 = quantile_sorted(s, n, 0.25);
	q3 = quantile_sorted(s, n, 0.75);
	free(s);
	return (q3 - q1) / 2;
}

/* xorshift64*: small, fast, and the same on every machine. */
static uint64_t
next_random(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545F4914F6CDD1DULL;
}

/* The median of n values drawn with replacement from v, into scratch. */
static double
resample_median(const double *v, size_t n, double *scratch, uint64_t *rng)
{
	size_t i;

	for (i = 0; i < n; i++)
		scratch[i] = v[next_random(rng) % n];
	return median_sorted(scratch, n);
}

int
cstat_ratio(const double *a, size_t na, const double *b, size_t nb,
    struct cstat_ratio *r)
{
	double *ratios, *scratch, ma, mb, sum = 0, sq = 0, mean;
	uint64_t rng = 0x9E3779B97F4A7C15ULL;
	size_t i, k = 0;

	memset(r, 0, sizeof(*r));
	ma = cstat_median(a, na);
	mb = cstat_median(b, nb);
	if (!(ma > 0) || !(mb > 0))
		return -1;
	r->ratio = ma / mb;
	ratios = xreallocarray(NULL, CSTAT_RESAMPLES, sizeof(*ratios));
	scratch = xreallocarray(NULL, na > nb ? na : nb, sizeof(*scratch));
	for (i = 0; i < CSTAT_RESAMPLES; i++) {
		double ra = resample_median(a, na, scratch, &rng);
		double rb = resample_median(b, nb, scratch, &rng);

		/* A resample of a sample holding zeros can have a zero
		   median: it has no ratio and is left out. */
		if (rb > 0)
			ratios[k++] = ra / rb;
	}
	if (k == 0) {
		free(scratch);
		free(ratios);
		return -1;
	}
	for (i = 0; i < k; i++)
		sum += ratios[i];
	mean = sum / (double)k;
	for (i = 0; i < k; i++)
		sq += (ratios[i] - mean) * (ratios[i] - mean);
	r->sd = k > 1 ? sqrt(sq / (double)(k - 1)) : 0;
	qsort(ratios, k, sizeof(*ratios), cmp_double);
	r->lo = ratios[(size_t)floor(0.025 * (double)k)];
	i = (size_t)ceil(0.975 * (double)k);
	r->hi = ratios[i > 0 ? i - 1 : 0];
	free(scratch);
	free(ratios);
	return 0;
}

int
cstat_tight(const struct cstat_ratio *r, double tol)
{
	return r->lo > 0 && r->hi / r->lo <= 1 + tol;
}

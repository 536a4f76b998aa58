/* SPDX-License-Identifier: ISC */
/*
 * cstat: the statistics of --compare, on the figures of repeated runs.
 * Pure functions of their samples, deterministic (the bootstrap draws
 * from a fixed seed), so that a report can be tested byte for byte.
 */
#ifndef PARX_CSTAT_H
#define PARX_CSTAT_H

#include <stddef.h>

/* The median of n > 0 values (v is not changed). */
double	cstat_median(const double *v, size_t n);

/*
 * Half the interquartile range of n > 0 values (quartiles interpolated
 * between neighbours): the "±" of the --compare table, which a single
 * slow run does not widen.
 */
double	cstat_spread(const double *v, size_t n);

/* The number of bootstrap resamples behind cstat_ratio(). */
#define CSTAT_RESAMPLES	4000

/*
 * median(a) / median(b), with a 95% percentile-bootstrap confidence
 * interval: both samples are drawn again with replacement
 * CSTAT_RESAMPLES times, each pair of resamples gives a ratio of
 * medians, and lo and hi are the 2.5% and 97.5% points of those ratios;
 * sd is their standard deviation.  Returns -1 when a median is not above
 * zero (no ratio), else 0.
 */
struct cstat_ratio {
	double	ratio;
	double	sd;
	double	lo;
	double	hi;
};
int	cstat_ratio(const double *a, size_t na, const double *b, size_t nb,
	    struct cstat_ratio *);

/* Whether the interval is tight enough to stop: hi/lo within 1 + tol. */
int	cstat_tight(const struct cstat_ratio *, double tol);

#endif

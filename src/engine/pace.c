/* SPDX-License-Identifier: ISC */
/*
 * Queue depth for in-process jobs.  A function that takes 0.3 us would
 * cost more in hand-over than in work if main and the worker woke each
 * other for every call; one that takes 10 ms would leave a slot idle at
 * the end of the run if many were queued behind it.  About a millisecond
 * of work per worker keeps both costs small.
 */
#include "pace.h"

#include "job.h"

/* Start with one job per worker, until runtimes are known. */
void
pace_init(struct pace *p, size_t max)
{
	p->avg_ns = 0;
	p->depth = 1;
	p->max = max < 1 ? 1 : max > PACE_MAX_DEPTH ? PACE_MAX_DEPTH : max;
}

/* Fold a finished job's runtime in. */
void
pace_learn(struct pace *p, const struct job *j)
{
	double ns;

	ns = (j->res.end_mono.tv_sec - j->res.start_mono.tv_sec) * 1e9 +
	    (j->res.end_mono.tv_nsec - j->res.start_mono.tv_nsec);
	p->avg_ns = p->avg_ns == 0 ? ns : p->avg_ns * 0.95 + ns * 0.05;
	ns = p->avg_ns < 100 ? 100 : p->avg_ns;
	p->depth = (size_t)(1e6 / ns);
	if (p->depth < 1)
		p->depth = 1;
	if (p->depth > p->max)
		p->depth = p->max;
}

/* Choose a slot. */
unsigned long
pace_slot(const struct pace *p, const size_t *given, unsigned long n)
{
	unsigned long i;

	for (i = 0; i < n; i++)
		if (given[i] == 0)
			return i + 1;
	for (i = 0; i < n; i++)
		if (given[i] < p->depth)
			return i + 1;
	return 0;
}

/* SPDX-License-Identifier: ISC */
/*
 * Queue depth for in-process jobs.  A function that takes 0.3 us would
 * cost more in hand-over than in work if main and the worker woke each
 * other for every call; one that takes 10 ms would leave a slot idle at
 * the end of the run if many were queued behind it.  About a millisecond
 * of work per worker keeps both costs small.
 *
 * The estimate errs on the long side: a job longer than the estimate
 * raises it at once, shorter ones lower it slowly, and the depth grows by
 * one job per finished job at most.  So one short job early in a run of
 * long ones (a "sleep 0" among "sleep 0.02") cannot queue the rest of the
 * input behind a few workers while the other slots run dry.  Jobs go to
 * the least loaded slot, so what is queued is spread over every worker.
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
	size_t want;

	ns = (j->res.end_mono.tv_sec - j->res.start_mono.tv_sec) * 1e9 +
	    (j->res.end_mono.tv_nsec - j->res.start_mono.tv_nsec);
	if (ns >= p->avg_ns)
		p->avg_ns = ns;
	else
		p->avg_ns = p->avg_ns * 0.95 + ns * 0.05;
	ns = p->avg_ns < 100 ? 100 : p->avg_ns;
	want = (size_t)(1e6 / ns);
	if (want < 1)
		want = 1;
	if (want > p->max)
		want = p->max;
	p->depth = want > p->depth ? p->depth + 1 : want;
}

/* Choose a slot. */
unsigned long
pace_slot(const struct pace *p, const size_t *given, unsigned long n)
{
	unsigned long i, best = 0;

	for (i = 0; i < n; i++) {
		if (given[i] == 0)
			return i + 1;
		if (given[i] < p->depth &&
		    (best == 0 || given[i] < given[best - 1]))
			best = i + 1;
	}
	return best;
}

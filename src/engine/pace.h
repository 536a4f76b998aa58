/* SPDX-License-Identifier: ISC */
/*
 * pace: how deep the engines queue --func jobs for each worker, learnt
 * from how long the functions take, and which slot gets the next job.
 * A command always has a slot to itself (depth 1).  Main thread only.
 */
#ifndef PARX_PACE_H
#define PARX_PACE_H

#include <stddef.h>

struct job;

struct pace {
	double	avg_ns;		/* moving mean of --func runtimes */
	size_t	depth;		/* jobs a worker may hold */
	size_t	max;		/* the most it may ever hold */
};

/* The deepest queue a worker gets. */
#define PACE_MAX_DEPTH	256

/*
 * Start with depth 1; max caps it (1 when a job's time must start as it is
 * handed over, as under --timeout).
 */
void		pace_init(struct pace *, size_t max);

/*
 * Learn from a finished --func job: queue about 1 ms of work per worker,
 * by an estimate that follows a longer job at once and a shorter one
 * slowly; the depth grows by one at most per job learnt.
 */
void		pace_learn(struct pace *, const struct job *);

/*
 * The slot for the next job (1..n), given[i] being the jobs slot i+1
 * holds: the lowest idle slot, else the one holding fewest jobs (the
 * lowest of those) if its queue is not full; 0 when none.
 */
unsigned long	pace_slot(const struct pace *, const size_t *given,
		    unsigned long n);

#endif

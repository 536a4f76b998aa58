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
};

/* The deepest queue a worker gets. */
#define PACE_MAX_DEPTH	256

void		pace_init(struct pace *);

/* Learn from a finished --func job: queue about 1 ms of work per worker. */
void		pace_learn(struct pace *, const struct job *);

/*
 * The slot for the next job (1..n), given[i] being the jobs slot i+1
 * holds: the lowest idle slot, else the lowest whose queue is not full;
 * 0 when none.
 */
unsigned long	pace_slot(const struct pace *, const size_t *given,
		    unsigned long n);

#endif

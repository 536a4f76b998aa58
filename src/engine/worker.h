/* SPDX-License-Identifier: ISC */
/*
 * worker: the loop every worker runs, in both modes.  It takes a job,
 * starts it, waits for it and hands the result back.  Only the channel
 * differs: a socket to the main process for a worker process, a mailbox
 * and a done queue for a worker thread.
 */
#ifndef PARX_WORKER_H
#define PARX_WORKER_H

#include <sys/types.h>

struct spawn_req;
struct spawn_res;

struct worker_ops {
	/* Wait for the next job and describe it in req: 1, or 0 to stop. */
	int	(*take)(void *chan, struct spawn_req *req);
	/* The job's process exists. */
	void	(*started)(void *chan, pid_t pid, const struct spawn_res *);
	/* The job's process exited and will be reaped right after. */
	void	(*exited)(void *chan);
	/* The job is over; res is its result.  Release req's resources. */
	void	(*done)(void *chan, const struct spawn_res *res);
};

/* Run jobs until take() says stop. */
void	worker_loop(const struct worker_ops *, void *chan);

#endif

/* SPDX-License-Identifier: ISC */
/*
 * The part of the runners every engine shares: slots, counts, the queue
 * of finished jobs and the signals for jobs not started yet.  The engines
 * (runner_proc.c, runner_thread.c, runner_dry.c) keep only their
 * transport to the workers.
 */
#include "runner.h"

#include <errno.h>
#include <stdlib.h>

#include "config.h"
#include "func.h"
#include "job.h"
#include "loop.h"
#include "msg.h"
#include "xalloc.h"

/* The engine the configuration asks for. */
const struct runner_ops *
runner_engine(const struct config *cfg)
{
	if (cfg->dry_run)
		return &runner_dry_ops;
	return cfg->mode == CONFIG_THREAD ? &runner_thread_ops :
	    &runner_proc_ops;
}

/* Make the runner, after what its engine needs first. */
struct runner *
runner_new(const struct runner_ops *ops, unsigned long nslots, int funcs,
    int one_deep)
{
	if (funcs && (ops->caps & RUNNER_FUNCS_INSIDE))
		func_crash_guard();
	return ops->create(nslots, one_deep ? 1 : PACE_MAX_DEPTH);
}

void
runner_init(struct runner *r, const struct runner_ops *ops,
    unsigned long nslots, size_t depth)
{
	r->ops = ops;
	r->nslots = nslots;
	r->given = xcalloc(nslots, sizeof(*r->given));
	r->pending = xcalloc(nslots, sizeof(*r->pending));
	r->held = 0;
	pace_init(&r->pace, depth);
	STAILQ_INIT(&r->done);
	atomic_init(&r->kill_sig, 0);
}

void
runner_release(struct runner *r)
{
	free(r->given);
	free(r->pending);
	r->given = NULL;
	r->pending = NULL;
}

unsigned long
runner_free_slot(const struct runner *r)
{
	return pace_slot(&r->pace, r->given, r->nslots);
}

int
runner_start(struct runner *r, struct job *j)
{
	if (j->slot < 1 || j->slot > r->nslots)
		BUG("job %llu given slot %lu", j->seq, j->slot);
	if (r->given[j->slot - 1] >= (j->func ? r->pace.depth : 1))
		BUG("job %llu given busy slot %lu", j->seq, j->slot);
	if (r->ops->start(r, j) == -1)
		return -1;
	r->given[j->slot - 1]++;
	r->held++;
	return 0;
}

void
runner_done(struct runner *r, struct job *j)
{
	j->pid = -1;
	j->state = JOB_DONE;
	STAILQ_INSERT_TAIL(&r->done, j, link);
}

/* Learn how long functions take, to queue about 1 ms per worker. */
struct job *
runner_next_done(struct runner *r)
{
	struct job *j = STAILQ_FIRST(&r->done);

	if (j == NULL)
		return NULL;
	STAILQ_REMOVE_HEAD(&r->done, link);
	STAILQ_NEXT(j, link) = NULL;
	r->given[j->slot - 1]--;
	r->held--;
	if (j->func)
		pace_learn(&r->pace, j);
	return j;
}

size_t
runner_count(const struct runner *r)
{
	return r->held;
}

void
runner_signal_all(struct runner *r, int sig)
{
	atomic_store(&r->kill_sig, sig);
	if (sig)
		r->ops->signal_all(r, sig);
}

void
runner_signal_job(struct runner *r, struct job *j, int sig)
{
	if (j->slot < 1 || j->slot > r->nslots)
		return;		/* not ours */
	r->ops->signal_job(r, j, sig);
}

int
runner_can(const struct runner *r, unsigned caps)
{
	return (r->ops->caps & caps) == caps;
}

void
runner_trim(struct runner *r, unsigned long keep)
{
	r->ops->trim(r, keep);
}

void
runner_destroy(struct runner *r)
{
	r->ops->destroy(r);
}

void
runner_pend(struct runner *r, unsigned long slot, int sig)
{
	r->pending[slot - 1] = sig;
}

int
runner_start_sig(struct runner *r, unsigned long slot)
{
	int sig = atomic_load(&r->kill_sig);

	if (!sig)
		sig = r->pending[slot - 1];
	r->pending[slot - 1] = 0;
	return sig;
}

static void
runner_no_dispatch(void *ctx, const struct pollfd *pfd, size_t n)
{
}

const struct loop_source runner_no_source = {
	.name = "engine",
	.prepare = NULL,
	.dispatch = runner_no_dispatch,
};

/* SPDX-License-Identifier: ISC */
/*
 * The dry-run engine (--dry-run): it runs nothing.  Every job it is given
 * finishes at once with exit status 0, so the main loop, the output and
 * the exit status are exercised exactly as for real jobs.  Also useful as
 * a fake runner when testing the main loop (ninja's DryRunCommandRunner).
 * Its slots, counts and queue of finished jobs are the shared ones
 * (runner.c); it has no workers, and so nothing to poll or signal.
 */
#include "runner.h"

#include <stdlib.h>
#include <time.h>

#include "job.h"
#include "xalloc.h"

static int
drunner_start(struct runner *r, struct job *j)
{
	job_close_child_fds(j);
	clock_gettime(CLOCK_REALTIME, &j->res.start_real);
	clock_gettime(CLOCK_MONOTONIC, &j->res.start_mono);
	j->res.end_mono = j->res.start_mono;
	j->res.status = 0;
	runner_done(r, j);
	return 0;
}

static void
drunner_signal_all(struct runner *r, int sig)
{
}

static void
drunner_signal_job(struct runner *r, struct job *j, int sig)
{
}

static void
drunner_destroy(struct runner *r)
{
	runner_release(r);
	free(r);
}

/* It has no workers to stop. */
static void
drunner_trim(struct runner *r, unsigned long keep)
{
}

/* Every slot holds one job at most: depth 1. */
static struct runner *
drunner_create(unsigned long nslots, size_t depth)
{
	struct runner *r = xcalloc(1, sizeof(*r));

	runner_init(r, &runner_dry_ops, nslots, 1);
	return r;
}

/* Its jobs end at once: killing one, function or not, is moot. */
const struct runner_ops runner_dry_ops = {
	.name = "dry-run",
	.caps = RUNNER_KILLS_FUNCS,
	.fds_per_slot = 0,
	.source = &runner_no_source,
	.create = drunner_create,
	.start = drunner_start,
	.signal_all = drunner_signal_all,
	.signal_job = drunner_signal_job,
	.destroy = drunner_destroy,
	.trim = drunner_trim,
};

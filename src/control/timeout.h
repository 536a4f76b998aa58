/* SPDX-License-Identifier: ISC */
/*
 * timeout: --timeout, killing jobs that run too long.
 *
 * A job may run for a fixed number of seconds, or for a percentage of the
 * median run time of the jobs that succeeded so far (no limit until one
 * has).  When its time is up the job is reported, marked timed out (it
 * counts as failed; its joblog Exitval is -1) and its process group gets
 * the kill sequence, step by step, without holding up anything else.
 *
 * DESIGN: every job gets the same allowance, so the running jobs in the
 * order they were started are also in the order their time runs out: a
 * list (O(1) to add or drop a job) whose head is the next deadline, even
 * when a percentage moves the allowance.  Jobs being killed wait for their
 * next step in a small binary heap keyed by the step's due time.  The main
 * loop asks for the time until the earliest of both and polls that long.
 *
 * Only the main thread calls these functions.
 */
#ifndef PARX_TIMEOUT_H
#define PARX_TIMEOUT_H

#include <stddef.h>
#include <time.h>

struct job;
struct runner;
struct termseq_step;
struct timeout;

/*
 * Create the timer for jobs allowed secs seconds each, or (pct > 0) pct
 * percent of the median run time of the successful jobs.  steps (nsteps
 * of them, copied) is the kill sequence.  Never fails.
 */
struct timeout	*timeout_new(double secs, double pct,
		    const struct termseq_step *steps, int nsteps);
void		 timeout_free(struct timeout *);

/* The job has just been handed to the runner: its time starts now. */
void		 timeout_start(struct timeout *, struct job *);

/*
 * The job is back from the runner: forget it.  A job that succeeded adds
 * its run time to the median.  Returns the next step of the job's kill
 * sequence, with *due (CLOCK_MONOTONIC) when it was due; 0 when none was
 * sent.
 */
int		 timeout_end(struct timeout *, struct job *, struct timespec *due);

/* Milliseconds until something is due (0: now), or -1 for nothing. */
long		 timeout_next_ms(const struct timeout *);

/*
 * Time out the jobs whose time is up and send the kill steps that are
 * due, through runner's signal_job.
 */
void		 timeout_fire(struct timeout *, struct runner *);

/*
 * A function that cannot be killed (no RUNNER_KILLS_FUNCS) and is
 * still running when its kill sequence is over is stuck: one line says
 * so, and it is counted until it comes back, if ever.  timeout_nstuck()
 * is that count (0 for a NULL timeout); timeout_report_stuck() names
 * each stuck job on stderr.
 */
size_t		 timeout_nstuck(const struct timeout *);
void		 timeout_report_stuck(const struct timeout *);

#endif

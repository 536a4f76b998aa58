/* SPDX-License-Identifier: ISC */
/*
 * stop: when parx stops starting jobs, how it kills the running ones,
 * whether a failed job runs again (--retries), and the exit status it
 * ends with.
 *
 * Reasons to stop: SIGINT or SIGTERM (kill the running jobs, status 255),
 * SIGHUP (let them finish), --halt soon or now, a function that called
 * exit(), stdout that went away (kill, then pass SIGPIPE on), and parx's
 * own errors (stop_error()).  Killing sends the --termseq steps to every
 * running job, one step per deadline; a job whose shell died goes on
 * receiving the steps as a process group (termseq.h), and --timeout kills
 * single jobs the same way (timeout.h).
 *
 * The module owns the kill sequence, the --timeout timer, the groups
 * being killed, the --halt counts and the --retries limit.  It signals
 * jobs through the runner it is given, which it does not own.  Only the
 * main thread uses it.
 */
#ifndef PARX_STOP_H
#define PARX_STOP_H

#include <stddef.h>

struct config;
struct job;
struct loop_source;
struct runner;
struct stop;

/*
 * Set up --termseq, --halt and --timeout from cfg (which must outlive the
 * stop).  Returns NULL with errno EINVAL when --termseq does not
 * parse.
 */
struct stop	*stop_new(const struct config *cfg);
void		 stop_free(struct stop *);

/*
 * The runner whose jobs are signalled (not owned; set before the loop).
 * unkillable: its jobs are functions in threads, which a kill sequence
 * cannot end: once it is over, parx exits over them (stop_abandoned()).
 */
void		 stop_set_runner(struct stop *, struct runner *, int unkillable);

/* 1 when --halt counts in percent: every job must be known first. */
int		 stop_needs_total(const struct stop *);

/* 1 when --halt is in use: each job it counts may be reported. */
int		 stop_has_halt(const struct stop *);

/* 1 when --timeout is in use: a job starts running when handed over. */
int		 stop_has_timeout(const struct stop *);

/* Start no new job; let the running ones finish (SIGHUP, --halt soon). */
void		 stop_soon(struct stop *);

/* parx's own error, already reported: start no new job, exit 255. */
void		 stop_error(struct stop *);

/* Act on the signals that are pending (SIGINT, SIGTERM, SIGHUP). */
void		 stop_take_signals(struct stop *);

/*
 * stdout went away when broken is set (the output module saw EPIPE), or
 * when its poll said so earlier: kill every job.
 */
void		 stop_check_broken(struct stop *, int broken);

/* 1 once no new job may start. */
int		 stop_stopping(const struct stop *);

/* 1 after SIGINT or SIGTERM; 1 when stdout went away. */
int		 stop_interrupted(const struct stop *);
int		 stop_broken(const struct stop *);

/* 1 when parx leaves running functions behind (they cannot be killed). */
int		 stop_abandoned(const struct stop *);

/* The runner took job j: one more attempt, and its --timeout starts. */
void		 stop_job_started(struct stop *, struct job *j);

/*
 * Job j never ran after all (the system refused its process): that
 * attempt does not count.
 */
void		 stop_job_unstarted(struct stop *, struct job *j);

/*
 * Job j is back from the runner: stop its timer, hand the rest of its
 * kill sequence to its process group, and stop as --halt now would when
 * it was a function that called exit().  Returns 1 when its result does
 * not count (parx was interrupted, or halted now), else 0.
 */
int		 stop_job_ended(struct stop *, struct job *j);

/*
 * --retries: 1 when job j, back from the runner, failed and is to run
 * again (it has attempts left and parx is not stopping), else 0.
 */
int		 stop_job_retry(const struct stop *, const struct job *j);

/*
 * Job j finished for good: count a failure, and unless discard, apply
 * --halt with total jobs known.
 */
void		 stop_job_done(struct stop *, const struct job *j, int discard,
		    unsigned long long total);

/*
 * Whether the main loop is over, with no_more set when no job is left to
 * start: no job runs and no group is being killed; or the only jobs left
 * are functions stuck past their --timeout (reported; parx then exits
 * over them with status 255).
 */
int		 stop_finished(struct stop *, int no_more);

/* The exit status (exitcode.h); output_failed: an output error. */
int		 stop_status(const struct stop *, int output_failed);

/*
 * stdout went away: pass the broken pipe on, as a filter killed by it
 * would, by raising SIGPIPE with its default action.  Returns only if
 * that did not end the process.
 */
void		 stop_raise_sigpipe(void);

/*
 * The loop sources (loop.h), ctx the stop: the signal pipe, stdout's
 * watch (POLLERR on a pipe: its reader left), and the deadlines of the
 * kill sequence, --timeout and the groups being killed.
 */
extern const struct loop_source stop_signal_source;
extern const struct loop_source stop_stdout_source;
extern const struct loop_source stop_deadline_source;

#endif

/* SPDX-License-Identifier: ISC */
/*
 * runner: the engines that run jobs, behind one small table of operations
 * (after ninja's CommandRunner).  The main loop asks runner_free_slot()
 * for a slot, hands a job to runner_start(), polls the engine through its
 * loop source, and takes finished jobs back from runner_next_done().
 *
 *	process	a pool of worker processes (runner_proc.c)
 *	thread	a pool of POSIX threads inside parx (runner_thread.c)
 *	dry	runs nothing; every job "finishes" at once (runner_dry.c)
 *
 * What every engine shares lives once, in struct runner (runner.c): the
 * slot table (which slots hold how many jobs), the count of jobs held,
 * the queue of finished jobs, and the signals for jobs not started yet.
 * An engine keeps only its transport to the workers: a socket to each
 * worker process, a queue to each worker thread.
 *
 * Every runner is driven from the main thread only; its functions are not
 * thread-safe, but where said.  Whatever threads or processes a runner
 * uses inside, jobs come back to the main thread, which alone writes
 * output and logs.
 */
#ifndef PARX_RUNNER_H
#define PARX_RUNNER_H

#include <stdatomic.h>
#include <stddef.h>

#include "job.h"
#include "pace.h"

struct config;
struct loop_source;
struct runner;

/* What an engine can do (runner_ops.caps). */
#define RUNNER_KILLS_FUNCS	0x01	/* a --func job can be killed */
#define RUNNER_FUNCS_INSIDE	0x02	/* functions run in parx's process */

struct runner_ops {
	const char	*name;		/* "process", "thread", "dry-run" */
	unsigned	 caps;		/* RUNNER_* */
	unsigned	 fds_per_slot;	/* descriptors a slot's worker holds */

	/*
	 * The engine's descriptors and their events, registered on the main
	 * loop with the runner as context.  prepare() also sends what
	 * start() queued; neither blocks.
	 */
	const struct loop_source *source;

	/*
	 * Make the engine, with runner_init() on its struct runner.  Workers
	 * start on first use.  NULL with errno on failure.
	 */
	struct runner	*(*create)(unsigned long nslots, size_t depth);

	/*
	 * Hand the job to its slot's worker (the base checked the slot).
	 * The engine closes the child-side descriptors in job->child_close
	 * once the child holds them, and gives the job back through
	 * runner_done().  Returns 0, or -1 with errno when the job could not
	 * be handed over (the caller keeps the job).
	 */
	int		 (*start)(struct runner *, struct job *);

	/*
	 * Send sig (never 0) to every running job; runner_signal_all() has
	 * stored it for those that start from now on.
	 */
	void		 (*signal_all)(struct runner *, int sig);

	/*
	 * Send sig to one held job's process group.  One that has not
	 * started yet gets it as it does (runner_pend()); a finished one
	 * (waiting for next_done) gets nothing.
	 */
	void		 (*signal_job)(struct runner *, struct job *, int sig);

	/*
	 * Stop the workers and free the engine (runner_release()).  See
	 * runner_destroy().
	 */
	void		 (*destroy)(struct runner *);

	/* Stop idle workers: see runner_trim(). */
	void		 (*trim)(struct runner *, unsigned long keep);
};

/* The part every engine shares; an engine's struct begins with it. */
struct runner {
	const struct runner_ops	*ops;
	unsigned long		 nslots;
	size_t			*given;		/* per slot: not back yet */
	size_t			 held;		/* jobs not yet back, in all */
	struct pace		 pace;		/* how deep to queue --func */
	struct jobq		 done;		/* finished, for next_done */

	/*
	 * Signals for jobs not started yet: one for all (signal_all) and
	 * one per slot, for the job its worker starts next.  Engines whose
	 * workers are threads read them there, kill_sig atomically and a
	 * slot's pending signal under the lock that guards the slot.
	 */
	_Atomic int		 kill_sig;
	int			*pending;
};

/* The engine: process, thread or dry-run (ops->create makes it). */
extern const struct runner_ops runner_proc_ops;
extern const struct runner_ops runner_thread_ops;
extern const struct runner_ops runner_dry_ops;

/* The engine cfg asks for: dry-run (--dry-run), thread or process. */
const struct runner_ops *runner_engine(const struct config *cfg);

/*
 * Make a runner of that engine with nslots slots.  funcs: the jobs are
 * --func calls; an engine that runs them inside parx installs
 * func_crash_guard() (func.h) first.  one_deep: a worker holds one --func
 * job at a time, as --timeout needs (it runs from the hand-off: a
 * function queued behind another would lose its time waiting); else up
 * to PACE_MAX_DEPTH (pace.h).  NULL with errno set on failure.
 */
struct runner	*runner_new(const struct runner_ops *, unsigned long nslots,
		    int funcs, int one_deep);

/* The lowest free slot (1..nslots), or 0 when every slot is busy. */
unsigned long	 runner_free_slot(const struct runner *);

/*
 * Start a job whose slot came from runner_free_slot().  The runner owns
 * the job until runner_next_done() returns it.  0, or -1 with errno (the
 * caller keeps the job).
 */
int		 runner_start(struct runner *, struct job *);

/* A finished job, now the caller's again, or NULL.  Never blocks. */
struct job	*runner_next_done(struct runner *);

/* The number of jobs the runner holds (running or finished). */
size_t		 runner_count(const struct runner *);

/*
 * Send sig to the process group of every running job, and of any job
 * that starts from now on.  sig 0 stops the latter.
 */
void		 runner_signal_all(struct runner *, int sig);

/* Send sig to one job (see runner_ops.signal_job); others are ignored. */
void		 runner_signal_job(struct runner *, struct job *, int sig);

/* 1 when the engine can do all of caps (RUNNER_*). */
int		 runner_can(const struct runner *, unsigned caps);

/*
 * Stop idle workers, the highest slots first, until at most keep are
 * left: they hold processes or threads that jobs need (a low ulimit -u).
 * Workers are started again on demand.
 */
void		 runner_trim(struct runner *, unsigned long keep);

/*
 * Stop the workers and free the runner.  Call only when runner_count() is
 * zero, or after a fatal error (workers then finish their job first).
 */
void		 runner_destroy(struct runner *);

/* For the engines. */

/* Set up the shared part; release it in the engine's destroy(). */
void		 runner_init(struct runner *, const struct runner_ops *,
		    unsigned long nslots, size_t depth);
void		 runner_release(struct runner *);

/*
 * A held job is finished: queue it for runner_next_done().  Main thread
 * only; sets its pid to -1 and its state to JOB_DONE.
 */
void		 runner_done(struct runner *, struct job *);

/* Keep sig for the job that slot's worker starts next. */
void		 runner_pend(struct runner *, unsigned long slot, int sig);

/*
 * A job in slot is starting (or ended before it could): the signal it
 * must get at once (the one for all, else its slot's), or 0.  Clears the
 * slot's.
 */
int		 runner_start_sig(struct runner *, unsigned long slot);

/* A loop source with nothing to poll, for an engine without workers. */
extern const struct loop_source runner_no_source;

#endif

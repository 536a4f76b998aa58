/*
 * runner: the engines that run jobs, behind one small table of operations
 * (after ninja's CommandRunner).  The main loop hands a job to start(),
 * polls the descriptors pollfds() gives, passes the results to events(),
 * and takes finished jobs back from next_done().
 *
 *	process	a pool of worker processes (runner_proc.c)
 *	thread	a pool of POSIX threads inside parx (runner_thread.c)
 *	dry	runs nothing; every job "finishes" at once (runner_dry.c)
 *
 * Every runner is driven from the main thread only; its operations are not
 * thread-safe.  Whatever threads or processes a runner uses inside, jobs
 * come back to the main thread, which alone writes output and logs.
 */
#ifndef PARX_RUNNER_H
#define PARX_RUNNER_H

#include <stddef.h>

struct job;
struct pollfd;
struct runner;

struct runner_ops {
	const char	*name;

	/* The lowest free slot (1..nslots), or 0 when every slot is busy. */
	unsigned long	(*free_slot)(struct runner *);

	/*
	 * Start a job whose slot came from free_slot().  The runner owns
	 * the job until next_done() returns it; it closes the child-side
	 * descriptors in job->child_close once the child holds them.
	 * Returns 0, or -1 with errno when the job could not be handed over
	 * (the caller keeps the job).
	 */
	int		(*start)(struct runner *, struct job *);

	/*
	 * Send what start() queued (may be NULL).  Called before the main
	 * loop waits; never blocks.
	 */
	void		(*flush)(struct runner *);

	/* Add the descriptors to poll to pfd (at most max); return how many. */
	size_t		(*pollfds)(struct runner *, struct pollfd *pfd,
			    size_t max);

	/* After poll(): act on the entries that pollfds() filled. */
	void		(*events)(struct runner *, const struct pollfd *pfd,
			    size_t n);

	/* A finished job, now the caller's again, or NULL.  Never blocks. */
	struct job	*(*next_done)(struct runner *);

	/*
	 * Send sig to the process group of every running job, and of any job
	 * that starts from now on.  sig 0 stops the latter.
	 */
	void		(*signal_all)(struct runner *, int sig);

	/*
	 * Send sig to one job's process group.  A job the runner holds that
	 * has not started yet gets sig as soon as it does; a finished one
	 * (waiting for next_done) gets nothing.
	 */
	void		(*signal_job)(struct runner *, struct job *, int sig);

	/* The number of jobs the runner holds (running or finished). */
	size_t		(*count)(struct runner *);

	/*
	 * Stop the workers and free the runner.  Call only when count() is
	 * zero, or after a fatal error (workers then finish their job first).
	 */
	void		(*destroy)(struct runner *);

	/*
	 * 1 when a --func job cannot be killed, only asked to stop through
	 * its cancellation (thread mode): one that ignores it runs on.
	 */
	int		 func_unkillable;

	/*
	 * Stop idle workers, the highest slots first, until at most keep
	 * are left: they hold processes or threads that jobs need (a low
	 * ulimit -u).  Workers are started again on demand.  May be NULL.
	 */
	void		(*trim)(struct runner *, unsigned long keep);
};

struct runner {
	const struct runner_ops	*ops;
};

/*
 * Create a runner with nslots slots.  Workers are started on first use.
 * A worker holds at most depth --func jobs at once (see pace.h).
 * Return NULL with errno set on failure.
 */
struct runner	*runner_proc_new(unsigned long nslots, size_t depth);
struct runner	*runner_thread_new(unsigned long nslots, size_t depth);
struct runner	*runner_dry_new(unsigned long nslots);

#endif

/* SPDX-License-Identifier: ISC */
/*
 * admit: whether a job may start now, and where.  A job that has a free
 * slot still waits for
 *
 *	the descriptor budget	the running jobs' pipes, and what -k holds,
 *				must leave room for one more (ulimit -n);
 *	--load, --memfree	the machine must have room (gate.h);
 *	--delay			the time since the last start;
 *	-j FILE			the value the file holds now;
 *	--limit			its command's exit status 0 (run with
 *				sshlogin_sh(); a 2 while jobs run kills the
 *				youngest through the runner);
 *	--memsuspend		memory for one more job; while jobs run,
 *				the younger ones are stopped when it is
 *				short, and continued when it is back;
 *	-S, --slf		a host with a free slot (sshlogin.h); a job
 *				for another host becomes the local script
 *				that runs it there (remote.h).
 *
 * The module owns the gate, the hosts and the remote wrapper.  It reads
 * the stop (not owned) to know whether parx is stopping, and tells it of
 * a job the system refused; it stops idle workers of the runner it is
 * given (not owned) when the system allows fewer jobs at once.  Only the
 * main thread uses it.
 */
#ifndef PARX_ADMIT_H
#define PARX_ADMIT_H

#include <stddef.h>

struct admit;
struct config;
struct job;
struct loop_source;
struct output;
struct runner;
struct stop;

/*
 * Set up --load, --memfree, --delay, and -S and --slf: read the hosts,
 * start connecting them all at once, and wait for the first one up (the
 * others join while jobs run, admit_hosts_source).  cfg and st must
 * outlive the admit.  Returns NULL with *err set (a message for the
 * user, which the caller frees) when the hosts cannot be used: none
 * could be connected.
 */
struct admit	*admit_new(const struct config *cfg, struct stop *st,
		    char **err);

/* Free the admit, and disconnect the hosts (with --cleanup, as asked). */
void		 admit_free(struct admit *);

/*
 * How many jobs may run at once: the -j value, or the hosts' slots (and
 * room for the hosts a --slf file may add later), within what the
 * descriptor limit allows (warns when that lowers it).  Each slot costs
 * per_worker descriptors while parx runs, and while a job runs in it,
 * those out (not owned) gives the job (none for --dry-run and --func)
 * and, with --pipe, the two ends of its stdin pipe.
 */
unsigned long	 admit_slots(struct admit *, struct output *out,
		    size_t per_worker);

/*
 * A new round of starts: forget the waits asked for last time.  With -j
 * FILE, look at the file when a job has ended since the last look, or a
 * second has passed (admit_deadline_source wakes the loop for that), and
 * read it again when it changed: its value caps the jobs at once from
 * then on (admit_may_start()); a bad one gets a warning and the old
 * value stays.  With --limit, while jobs run, ask its command every
 * 0.1 s; a 2 sends SIGTERM to the youngest job through rn (not owned).
 */
void		 admit_begin(struct admit *, struct runner *rn);

/*
 * 1 when one more job may start next to running others, while -k holds
 * held descriptors: fewer run than the system allows (admit_lower_cap()),
 * the budget has room and the gate is open.  0 when it must wait for a
 * job to end, or for the deadline the gate gave.
 */
int		 admit_may_start(struct admit *, size_t running, size_t held);

/*
 * The system refused a process or a thread for a job (err EAGAIN: ulimit
 * -u, or no memory for a thread's stack; ENOMEM: ulimit -v) while rn's
 * jobs ran.  As GNU parallel does, run fewer jobs at once: no more than
 * run now (one when none does), and say so once; then stop rn's idle
 * workers beyond that (runner_trim()), whose processes or threads the
 * jobs need.  When none runs and one at a time was refused too, the job
 * is tried again every 100 ms, for up to 3 s, while what just ended is
 * reaped.  Returns 0 (the job is to be tried again once
 * admit_may_start() allows), or -1 when err is another error, parx is
 * stopping, or not even one job at a time could start.
 */
int		 admit_lower_cap(struct admit *, int err, struct runner *rn);

/*
 * Job j, back from rn, never ran: the system refused its process
 * (j->res.spawn_errno).  Unless it was killed, or runs a --pipe block,
 * the jobs at once are lowered (admit_lower_cap()) and the attempt does
 * not count (stop_job_unstarted()): returns 1, and the caller queues j
 * to wait for a free slot.  When not even one job can run, reports it
 * and stops parx with an error (stop_error()).  Returns 0 when j is to
 * be finished as it is.
 */
int		 admit_job_refused(struct admit *, struct runner *rn,
		    struct job *j);

/* 1 while --delay holds the next job back (its deadline is then due). */
int		 admit_delayed(struct admit *);

/* 1 with -S or --slf: jobs need a host (admit_place()). */
int		 admit_hosts(const struct admit *);

/*
 * Give job j a host with a free slot (for a retry, another one than last
 * time if it can); a remote job becomes the local script that runs it
 * there, its stdin a control pipe the job owns.  Returns 0; 1 when every
 * slot is busy (try again once a job ends); -1 with errno (ENOENT: no
 * host is left) when it cannot run anywhere.
 */
int		 admit_place(struct admit *, struct job *j);

/*
 * --hostgroups with -S: cut "@GROUP+GROUP" off each argument of job j
 * (before its command is made); those of its first argument are the
 * host groups it may run in (j->hostgroups), any host without them.
 * Nothing without --hostgroups or hosts.
 */
void		 admit_job_groups(struct admit *, struct job *j);

/* A placed job that does not run after all gives its host slot back. */
void		 admit_unplace(struct admit *, struct job *j);

/* Job j was started (for --delay; --limit may kill it until it ends). */
void		 admit_started(struct admit *, struct job *j);

/*
 * Job j ended: its host slot is free again.  An ssh that exited 255 may
 * mean the host is gone (it then gets no more jobs); a changed --slf
 * file is read again unless parx is stopping.
 */
void		 admit_job_done(struct admit *, struct job *j);

/* The loop source (loop.h), ctx the admit: the --delay, --load deadlines. */
extern const struct loop_source admit_deadline_source;

/*
 * The loop source of the hosts still connecting (sshlogin.h), ctx the
 * admit: a host whose connection is ready takes jobs from then on.  It
 * polls at most admit_maxfds() descriptors.
 */
extern const struct loop_source admit_hosts_source;
size_t		 admit_maxfds(const struct admit *);

#endif

/* SPDX-License-Identifier: ISC */
/*
 * spawn: start one job with posix_spawn and wait for it.  This is the work
 * a worker does, in either mode: a worker process calls it for the jobs it
 * receives over its socket, a worker thread for the jobs in its mailbox.
 *
 * The child runs in a process group of its own (so that killing the group
 * kills the job's whole tree), with the signal mask and dispositions parx
 * started with, /dev/null as standard input unless told otherwise, and
 * PARALLEL_SEQ, PARALLEL_JOBSLOT and PARALLEL_PID in its environment.
 */
#ifndef PARX_SPAWN_H
#define PARX_SPAWN_H

#include <spawn.h>
#include <stddef.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <time.h>

struct buf;
struct parx_call;

/* What to start.  The strings belong to the caller. */
struct spawn_req {
	unsigned long long	 seq;
	unsigned long		 slot;
	const char		*argv;	/* argc NUL-terminated strings, packed */
	size_t			 argc;
	const char		*cmd;	/* the command as shell code */
	int			 direct; /* exec argv, not "$shell -c cmd" */
	int			 fd[4];	/* child's 0 to 3; -1: /dev/null for 0,
					   inherited for 1 and 2, none for 3 */
	int			 tty;	/* in the caller's process group, not
					   its own (--tty, -o) */
	const char		*wd;	/* the directory it runs in, its PWD
					   the logical path, as after a
					   shell's cd; NULL: the caller's
					   (every job's OLDPWD is the
					   caller's directory) */
	const posix_spawn_file_actions_t *fa; /* the above as file actions
					   (spawn_actions_init), or NULL:
					   spawn_run makes them */
	char			**env;	/* room for the job's environment, from
					   spawn_env_new(): reused, not freed */

	/* A --func job instead of a process (worker.c runs it). */
	int			(*func)(struct parx_call *);
	const char		*func_name;
	struct buf		*fout;	/* its stdout and stderr */
	const _Atomic int	*cancel;
	const _Atomic unsigned long long *cancel_seq;
	int			 measure; /* per-call CPU accounting */
};

/* What happened.  Filled by spawn_run(). */
struct spawn_res {
	pid_t		pid;		/* -1 once reaped */
	int		status;		/* raw wait status */
	int		spawn_errno;	/* nonzero: the job never ran */
	struct timespec	start_real;	/* CLOCK_REALTIME at start */
	struct timespec	start_mono;	/* CLOCK_MONOTONIC at start */
	struct timespec	end_mono;	/* CLOCK_MONOTONIC at end */
	struct rusage	ru;		/* the job's resource usage */
	long long	wait_ns;	/* the worker's idle wait before it */
	long		worker_rss;	/* the worker process's peak, KiB */
	int		func_exited;	/* a thread-mode function called exit() */
};

/*
 * Hooks around the job's life, called on the spawning thread.  started
 * runs once the child exists (its pid is known); exited runs when it has
 * exited but is not reaped yet, so the pid cannot be reused until spawn_run
 * returns.  Either may be NULL.
 */
struct spawn_hooks {
	void	(*started)(void *ctx, pid_t pid, const struct spawn_res *);
	void	(*exited)(void *ctx);
};

/*
 * Remember the shell and build the environment jobs inherit.  Call once in
 * the main thread before any worker exists.  shell is copied.
 */
void	spawn_init(const char *shell);
const char *spawn_shell(void);

/*
 * The code of $PARALLEL_ENV (penv.h), which every job the shell runs
 * runs first; code (len bytes) is copied, len 0 means none.  Call after
 * spawn_init() (with zsh as the shell the command is eval'd) and, like
 * it, before any worker exists.
 */
void	spawn_set_env_code(const char *code, size_t len);
int	spawn_has_env_code(void);

/*
 * Append to b the shell code a job runs for the command cmd (len bytes):
 * cmd itself, or, with $PARALLEL_ENV's code, that code and cmd
 * (penv_wrap()).  spawn_shell_code_len() is its length.  Thread-safe.
 */
void	spawn_shell_code(struct buf *b, const char *cmd, size_t len);
size_t	spawn_shell_code_len(const char *cmd, size_t len);

/*
 * Ask for jobs to run at niceness nice (--nice).  Call, like spawn_init(),
 * before any worker exists.
 */
void	spawn_set_nice(int nice);

/*
 * --process-slot-var: give every job the variable name (a valid name of
 * at most 200 bytes, copied; NULL: none) set to its slot minus one, in
 * place of any value the environment has.  Call after spawn_init() and,
 * like spawn_set_nice(), before any worker exists.
 */
void	spawn_set_slot_var(const char *name);

/*
 * Prepare the calling worker, once, before its first spawn_run(): give it
 * the niceness asked for, which its children inherit.  Niceness can only
 * be lowered with privilege: without it the worker keeps its own, as
 * GNU parallel's local jobs do.  Thread-safe.
 */
void	spawn_worker_init(void);

/*
 * Set up attr as every child of parx wants it: a process group of its
 * own, the signal mask parx started with, default signal actions.  The
 * caller destroys attr.
 */
void	spawn_attr_init(posix_spawnattr_t *attr);

/*
 * Room for the environment of one job at a time, for spawn_req.env; the
 * caller frees it.  Call after spawn_init().
 */
char	**spawn_env_new(void);

/*
 * The file actions that give the job described by req its descriptors and
 * directory.  A worker thread that never calls malloc() has no arena of
 * its own: the thread engine makes them in the main thread.  The caller
 * destroys fa.
 */
void	spawn_actions_init(posix_spawn_file_actions_t *fa,
	    const struct spawn_req *req);

/*
 * Start a helper of parx's own, "/bin/sh -c cmd" ("exec cmd" when cmd is
 * plain words, so that the program is the one process), with in as its
 * standard input and out as its standard output (stderr is parx's).  As a
 * job, it runs in a process group of its own (kill(-*pid) stops it all),
 * with the signal mask and actions parx started with.  The caller reaps
 * it with waitpid(*pid): no code of parx's waits for any child but its
 * own.  Returns 0, or an error number (*pid untouched).  Thread-safe.
 */
int	spawn_helper(const char *cmd, int in, int out, pid_t *pid);

/*
 * Start the job described by req and wait until it exits.  Returns 0 and
 * fills res; when the job could not be started, res->spawn_errno is set,
 * res->status reads as exit 127 (not found) or 126 (cannot run), and a
 * one-line reason is written to the job's standard error.  Thread-safe.
 */
int	spawn_run(const struct spawn_req *, struct spawn_res *,
	    const struct spawn_hooks *, void *ctx);

#endif

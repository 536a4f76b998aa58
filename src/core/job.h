/* SPDX-License-Identifier: ISC */
/*
 * job: one run of the command template on one tuple of arguments.
 *
 * A job is created by job_new() in the main loop and freed by job_free()
 * in the main loop, nowhere else.  Between the two it is handed to a
 * runner (runner.h), which owns it until it hands it back finished.
 *
 * A job is finished when its process has been reaped (pid is -1 again);
 * its output descriptors are then drained by the output module, which
 * takes them over.  Background children that keep the job's output open
 * do not hold it up.
 */
#ifndef PARX_JOB_H
#define PARX_JOB_H

#include <stddef.h>
#include <sys/types.h>

#include "arg.h"
#include "buf.h"
#include "func.h"
#include "queue.h"
#include "spawn.h"

enum job_state {
	JOB_NEW,		/* made, not handed to a runner */
	JOB_QUEUED,		/* handed to a runner, no pid seen yet */
	JOB_RUNNING,		/* the runner reported its pid */
	JOB_DONE		/* reaped; res is valid */
};

struct sshlogin_host;
struct timeout_node;
struct tmpl_val;

#define JOB_NFD	4		/* descriptors a job's child gets */

struct job {
	unsigned long long	 seq;		/* from 1, in input order */
	unsigned long		 slot;		/* 1..j */
	enum job_state		 state;

	struct arg		*args;		/* owned, with their bytes */
	size_t			 nargs;
	size_t			 tuple;		/* values per input tuple:
						   args holds nargs / tuple
						   tuples (-N, -X) */

	char			*cmd;		/* expanded shell code, owned */
	size_t			 cmd_len;
	char			*argv;		/* packed argv if direct, owned */
	size_t			 argv_len;
	size_t			 argc;
	int			 direct;
	int			 tty;		/* stdin is the terminal, and
						   no process group of its own */
	char			*wd;		/* where it runs (workdir.h),
						   owned; NULL: parx's own */
	char			*hostgroups;	/* --hostgroups: "G1+G2" cut
						   off its first argument,
						   owned; NULL: any host */

	/*
	 * The descriptors the child gets as 0 to 3 (-1: /dev/null for 0,
	 * parx's own for 1 and 2, none for 3), and which of them the runner
	 * closes once the child holds them.  The main side of the output (a
	 * temporary file the child writes through the same descriptor, or a
	 * pipe's read end) is out_fd and err_fd.  Descriptor 3 is a remote
	 * --pipe job's block (its stdin is its control pipe then).
	 */
	int			 child_fd[JOB_NFD];
	unsigned		 child_close;	/* bit n: close child_fd[n] */
	/*
	 * --pipe-part: where its block lies in the file part_path (a string
	 * of the config), after part_hlen bytes of header from offset
	 * part_hoff (--dry-run prints a command that reads it); part_len 0:
	 * none.
	 */
	const char		*part_path;
	long long		 part_off;
	size_t			 part_len;
	long long		 part_hoff;
	size_t			 part_hlen;
	int			 out_fd;
	int			 err_fd;

	char			*tag;		/* output line prefix, owned */
	size_t			 taglen;
	char			*ptag;		/* --tagstring made with {= =} */
	size_t			 ptaglen;
	/*
	 * Its {= =} results, evaluated ahead with other jobs' (cmdline.h),
	 * in one allocation with their bytes; NULL until then.
	 */
	struct tmpl_val		*pcache;
	size_t			 npcache;
	int			 pcache_skip;	/* skip() was called */

	/* A --func job: the function, its output, its cancellation. */
	func_fn			*func;
	const char		*func_name;
	struct buf		 fout[2];
	_Atomic int		 cancel;
	int			 measure;	/* account CPU per call */

	pid_t			 pid;		/* while running, else -1 */
	int			 killed;	/* parx signalled it */
	pid_t			 pgid;		/* the group job_kill() signalled; 0 */
	struct spawn_res	 res;		/* valid in JOB_DONE */

	unsigned		 attempts;	/* runs so far (--retries) */
	int			 timedout;	/* killed by --timeout */
	struct timeout_node	*tmo;		/* timeout.c's, while it runs */
	unsigned long long	 out_bytes;	/* stdout bytes, after output */
	char			*out_path;	/* --files: its stdout, owned */

	/*
	 * A job on another host (sshlogin.h): the host, and the write end
	 * of the pipe that is its ssh's stdin, over which job_kill() sends
	 * signal names to the remote side (remote.h).  -1 for a local job.
	 */
	struct sshlogin_host	*host;
	struct sshlogin_host	*failed_on;	/* the last attempt's host */
	int			 ctl_fd;

	STAILQ_ENTRY(job)	 link;		/* for whoever holds the job */
};

/* A queue of jobs, linked through their link field (queue.h). */
STAILQ_HEAD(jobq, job);

/*
 * Make a job for sequence number seq from nargs arguments, which are
 * copied, as one tuple (the caller sets tuple for more).  Never fails.
 */
struct job	*job_new(unsigned long long seq, const struct arg *args,
		    size_t nargs);

/* Close whatever descriptors the job still holds and free it. */
void		 job_free(struct job *);

/*
 * Make a finished job ready to run again under the same sequence number
 * (--retries): close its descriptors, forget its result and output; keep
 * its arguments and the number of attempts.
 */
void		 job_reset(struct job *);

/*
 * Give the job's child fd as its descriptor n (0, 1 or 2).  With owned
 * set the runner closes fd once the child holds it (child_close);
 * otherwise the caller keeps it.
 */
void		 job_set_child_fd(struct job *, int n, int fd, int owned);

/* Close the child-side descriptors marked in child_close. */
void		 job_close_child_fds(struct job *);

/*
 * Send sig to the job's process group; for a remote job (ctl_fd set),
 * send its name down the control pipe instead, so that the remote side
 * signals the remote process group, and SIGKILL to the local group too.
 * Safe on any thread while the job runs (the caller guards against a
 * reaped pid, as for kill(2)).
 */
void		 job_kill(struct job *, int sig);

/* Fill a spawn request that points into the job. */
void		 job_spawn_req(const struct job *, struct spawn_req *);

/*
 * 1 when the job failed: non-zero exit, killed by a signal, timed out,
 * never ran.
 */
int		 job_failed(const struct job *);

/*
 * The job's exit value as GNU parallel reports it: 0 when signalled, -1
 * when it timed out.
 */
int		 job_exitval(const struct job *);

/* The signal that killed the job, or 0. */
int		 job_signal(const struct job *);

/* What became of a finished job, from the best to the worst. */
enum job_outcome {
	JOB_SUCCEEDED,		/* exit status 0 */
	JOB_FAILED,		/* a non-zero exit status */
	JOB_NOT_RUN,		/* the system refused its process */
	JOB_KILLED,		/* killed by a signal, or timed out */
	JOB_NOUTCOME
};

/* The outcome of a finished job. */
enum job_outcome job_outcome(const struct job *);

/* The outcome's name in --events: "ok", "failed", "not run", "killed". */
const char	*job_outcome_name(enum job_outcome);

/*
 * Append the job's arguments to b, separated by spaces, at most max bytes
 * of them (never splitting a UTF-8 character), then "..." (U+2026) when
 * some were left out.  The bytes are the arguments' own: not checked.
 */
void		 job_args_text(const struct job *, struct buf *b, size_t max);

#endif

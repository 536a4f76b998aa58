/* SPDX-License-Identifier: ISC */
/*
 * Stopping: the reasons parx stops starting jobs, the kill sequence it
 * sends to the running ones, step by step on the loop's deadlines, and the
 * exit status all of it leads to.
 */
#include "stop.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

#include "config.h"
#include "exitcode.h"
#include "halt.h"
#include "job.h"
#include "loop.h"
#include "msg.h"
#include "runner.h"
#include "sig.h"
#include "termseq.h"
#include "timeout.h"
#include "xalloc.h"

struct stop {
	struct runner		*runner;	/* not owned */
	int			 unkillable;	/* functions in threads */

	struct termseq_step	 ts[TERMSEQ_MAX];
	int			 nts;
	int			 killing;	/* the step in progress + 1 */
	struct timespec		 kill_at;	/* when the next step is due */
	struct termseq_groups	*groups;	/* killed jobs' leftovers */
	struct timeout		*timeout;

	struct halt		 halt;
	int			 halt_now;	/* now: the running were killed */
	unsigned long		 attempts;	/* --retries: per job, at most */
	unsigned long long	 nstarted;	/* jobs started at least once */
	unsigned long		 nfailed;

	int			 stopping;	/* start no new job */
	int			 error;		/* parx's own error */
	int			 interrupted;	/* SIGINT or SIGTERM */
	int			 broken;	/* stdout went away */
	int			 abandon;	/* leave running functions behind */
	int			 stdout_pipe;	/* poll stdout for POLLERR */
};

/* Set up the kill sequence, --halt and --timeout. */
struct stop *
stop_new(const struct config *cfg)
{
	struct stop *st = xcalloc(1, sizeof(*st));
	struct stat sb;

	st->nts = termseq_parse(cfg->termseq ? cfg->termseq : TERMSEQ_DEFAULT,
	    st->ts, TERMSEQ_MAX);
	if (st->nts <= 0) {
		free(st);
		errno = EINVAL;
		return NULL;
	}
	st->groups = termseq_groups_new(st->ts, st->nts);
	halt_init(&st->halt, &cfg->halt);
	st->attempts = cfg->attempts ? cfg->attempts : 1;
	if (cfg->timeout > 0 || cfg->timeout_pct > 0)
		st->timeout = timeout_new(cfg->timeout, cfg->timeout_pct,
		    st->ts, st->nts);
	if (fstat(1, &sb) == 0 &&
	    (S_ISFIFO(sb.st_mode) || S_ISSOCK(sb.st_mode)))
		st->stdout_pipe = 1;
	return st;
}

/* Free the stop and what it owns. */
void
stop_free(struct stop *st)
{
	if (st == NULL)
		return;
	timeout_free(st->timeout);
	termseq_groups_free(st->groups);
	free(st);
}

/* Name the runner whose jobs are signalled. */
void
stop_set_runner(struct stop *st, struct runner *rn, int unkillable)
{
	st->runner = rn;
	st->unkillable = unkillable;
}

/* 1 when --halt needs the number of jobs. */
int
stop_needs_total(const struct stop *st)
{
	return halt_needs_total(&st->halt);
}

/* 1 with --halt. */
int
stop_has_halt(const struct stop *st)
{
	return st->halt.spec.when != HALT_NEVER;
}

/* 1 with --timeout. */
int
stop_has_timeout(const struct stop *st)
{
	return st->timeout != NULL;
}

/* Send the next signal of the kill sequence to every running job. */
static void
stop_kill_step(struct stop *st)
{
	const struct termseq_step *s;

	if (st->killing >= st->nts)
		return;
	s = &st->ts[st->killing++];
	runner_signal_all(st->runner, s->sig);
	loop_deadline_in(&st->kill_at, s->ms);
}

/* Stop starting jobs and kill the running ones. */
static void
stop_kill_all(struct stop *st)
{
	st->stopping = 1;
	if (st->killing == 0)
		stop_kill_step(st);
}

/* Start no new job. */
void
stop_soon(struct stop *st)
{
	st->stopping = 1;
}

/* parx's own error. */
void
stop_error(struct stop *st)
{
	st->error = 1;
	st->stopping = 1;
}

/* Act on the signals received (sig_take()'s bits). */
static void
stop_signals(struct stop *st, unsigned bits)
{
	if (bits & (SIG_INT | SIG_TERM)) {
		st->interrupted = 1;
		stop_kill_all(st);
	}
	if (bits & SIG_HUP)
		st->stopping = 1;	/* let the running jobs finish */
}

/* Act on the pending signals. */
void
stop_take_signals(struct stop *st)
{
	if (sig_pending())
		stop_signals(st, sig_take());
}

/* Kill every job once stdout went away. */
void
stop_check_broken(struct stop *st, int broken)
{
	if (broken)
		st->broken = 1;
	if (st->broken)
		stop_kill_all(st);
}

/* 1 once no new job may start. */
int
stop_stopping(const struct stop *st)
{
	return st->stopping;
}

/* 1 after SIGINT or SIGTERM. */
int
stop_interrupted(const struct stop *st)
{
	return st->interrupted;
}

/* 1 when stdout went away. */
int
stop_broken(const struct stop *st)
{
	return st->broken;
}

/* 1 when running functions are left behind. */
int
stop_abandoned(const struct stop *st)
{
	return st->abandon;
}

/* A job was handed to the runner. */
void
stop_job_started(struct stop *st, struct job *j)
{
	if (j->attempts++ == 0)
		st->nstarted++;
	if (st->timeout)
		timeout_start(st->timeout, j);
}

/* The job's last attempt did not run. */
void
stop_job_unstarted(struct stop *st, struct job *j)
{
	if (--j->attempts == 0)
		st->nstarted--;
}

/* A job is back from the runner. */
int
stop_job_ended(struct stop *st, struct job *j)
{
	/* After --halt now, nothing that was still running counts. */
	int discard = (j->killed && (st->interrupted || st->broken)) ||
	    st->halt_now;
	struct timespec due = { 0, 0 };
	int step = 0;

	if (st->timeout)
		step = timeout_end(st->timeout, j, &due);
	if (j->pgid > 0) {
		/* Its shell is gone: finish the kill sequence on its group. */
		if (step == 0 && st->killing) {
			step = st->killing;
			due = st->kill_at;
		}
		termseq_groups_add(st->groups, j->pgid, step, &due);
	}
	if (j->res.func_exited) {
		/*
		 * It meant to end parx (func.c reported it): stop as --halt
		 * now would, with status 255.
		 */
		st->error = 1;
		st->halt_now = 1;
		stop_kill_all(st);
	}
	return discard;
}

/* --retries: whether a failed job runs again. */
int
stop_job_retry(const struct stop *st, const struct job *j)
{
	return job_failed(j) && !st->stopping && j->attempts < st->attempts;
}

/* --halt: count the job, and stop when the condition is met. */
void
stop_job_done(struct stop *st, const struct job *j, int discard,
    unsigned long long total)
{
	size_t running;

	if (job_failed(j))
		st->nfailed++;
	if (discard)
		return;
	switch (halt_job_done(&st->halt, j, total)) {
	case HALT_NEVER:
		return;
	case HALT_SOON:
		running = runner_count(st->runner);
		if (running > 0 && !st->stopping)
			msg_error("starting no more jobs, waiting for %zu "
			    "jobs to finish", running);
		st->stopping = 1;
		return;
	case HALT_NOW:
		st->halt_now = 1;
		stop_kill_all(st);
		return;
	}
}

/* Whether the main loop is over. */
int
stop_finished(struct stop *st, int no_more)
{
	size_t held, stuck;

	if (st->abandon)
		return 1;
	held = runner_count(st->runner);
	no_more = no_more || st->stopping;
	if (held == 0)
		return no_more && termseq_groups_count(st->groups) == 0;
	/*
	 * Functions that ignored their --timeout (timeout.c said so) are
	 * all that is left, and nothing else can start: exit over them.
	 */
	stuck = timeout_nstuck(st->timeout);
	if (stuck == 0 || held != stuck ||
	    (!no_more && runner_free_slot(st->runner) != 0))
		return 0;
	timeout_report_stuck(st->timeout);
	if (!no_more)
		msg_error("every slot is held by a function that does not "
		    "return: the jobs left were not run");
	st->error = 1;
	st->abandon = 1;
	return 1;
}

/* parx's exit status. */
int
stop_status(const struct stop *st, int output_failed)
{
	int status;

	if (st->interrupted || st->error || output_failed)
		return EXIT_PARX;
	if (halt_status(&st->halt, st->nstarted, st->nfailed, &status))
		return status;
	if (st->nfailed > EXIT_MAX_COUNT)
		return EXIT_MANY;
	return (int)st->nfailed;
}

/* Die of SIGPIPE. */
void
stop_raise_sigpipe(void)
{
	sigset_t pipe_set;

	signal(SIGPIPE, SIG_DFL);
	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	sigprocmask(SIG_UNBLOCK, &pipe_set, NULL);
	raise(SIGPIPE);
}

/* SIGINT, SIGTERM, SIGHUP, through sig's pipe. */
static size_t
stop_sig_prepare(void *ctx, struct pollfd *pfd, size_t max, long *ms)
{
	pfd[0].fd = sig_fd();
	pfd[0].events = POLLIN;
	return 1;
}

static void
stop_sig_dispatch(void *ctx, const struct pollfd *pfd, size_t n)
{
	if ((n && pfd[0].revents) || sig_pending())
		stop_signals(ctx, sig_take());
}

/* A pipe on stdout: POLLERR says its reader left. */
static size_t
stop_stdout_prepare(void *ctx, struct pollfd *pfd, size_t max, long *ms)
{
	struct stop *st = ctx;

	if (!st->stdout_pipe || st->broken)
		return 0;
	pfd[0].fd = 1;
	pfd[0].events = 0;
	return 1;
}

static void
stop_stdout_dispatch(void *ctx, const struct pollfd *pfd, size_t n)
{
	struct stop *st = ctx;

	if (n && (pfd[0].revents & POLLERR))
		st->broken = 1;
}

/* The next step of the kill sequence, --timeout, the groups. */
static size_t
stop_time_prepare(void *ctx, struct pollfd *pfd, size_t max, long *ms)
{
	struct stop *st = ctx;

	if (st->killing && (st->killing < st->nts || st->unkillable))
		loop_ms_min(ms, loop_ms_until(&st->kill_at));
	if (st->timeout)
		loop_ms_min(ms, timeout_next_ms(st->timeout));
	loop_ms_min(ms, termseq_groups_next_ms(st->groups));
	return 0;
}

static void
stop_time_dispatch(void *ctx, const struct pollfd *pfd, size_t n)
{
	struct stop *st = ctx;

	if (st->killing && st->killing < st->nts &&
	    loop_ms_until(&st->kill_at) == 0)
		stop_kill_step(st);
	else if (st->killing >= st->nts && st->unkillable &&
	    loop_ms_until(&st->kill_at) == 0)
		st->abandon = 1; /* a thread cannot be killed: exit over it */
	if (st->timeout)
		timeout_fire(st->timeout, st->runner);
	termseq_groups_fire(st->groups);
}

const struct loop_source stop_signal_source =
	{ "signals", stop_sig_prepare, stop_sig_dispatch };
const struct loop_source stop_stdout_source =
	{ "stdout", stop_stdout_prepare, stop_stdout_dispatch };
const struct loop_source stop_deadline_source =
	{ "kill deadlines", stop_time_prepare, stop_time_dispatch };

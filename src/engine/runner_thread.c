/* SPDX-License-Identifier: ISC */
/*
 * The thread engine: a pool of POSIX threads inside the parx process, the
 * analogue of a threading pool.
 *
 * DESIGN: each worker thread has a queue of jobs, guarded by its own mutex
 * and condition variable; main chooses the slot (and so the thread) of
 * every job, since {%} depends on it.  A command job gets a queue of its
 * own (depth 1): spawning blocks the thread, and a job must not wait
 * behind another while a slot is free.  --func jobs are queued deeper, as
 * deep as keeps each thread busy for about a millisecond, so that main
 * and the workers hand over jobs in batches instead of waking each other
 * for every one.
 *
 * Finished jobs go on one done list; the worker that makes the list
 * non-empty writes a byte to a close-on-exec pipe that the main loop polls
 * (as redis' bio.c wakes its event loop).  Main takes the whole list at
 * once into the shared queue of finished jobs (runner.c), after draining
 * the pipe, so no wake-up is lost.
 *
 * A worker waits for its own child only (never waitpid(-1)), with the
 * handled signals blocked, so signals reach the main thread.  Between a
 * child's exit and its reaping the worker holds its mutex: signal_all()
 * takes the same mutex, so it never signals a process group whose leader
 * was reaped and whose id might belong to someone else.  A function
 * cannot be killed: signalling a --func job sets its cancel flag.
 */
#include "runner.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "func.h"
#include "job.h"
#include "loop.h"
#include "sig.h"
#include "spawn.h"
#include "sys.h"
#include "worker.h"
#include "xalloc.h"


struct trunner;

struct tworker {
	struct trunner	*r;
	unsigned long	 slot;
	pthread_t	 tid;
	int		 started;	/* the thread exists */
	pthread_mutex_t	 mu;
	pthread_cond_t	 cond;
	struct jobq	 q;		/* jobs waiting for this worker */
	int		 waiting;	/* blocked on cond */
	struct job	*current;	/* the job it runs */
	int		 locked;	/* holds mu from exited to done */
	int		 quit;		/* idle: end the thread (trim) */
	void		*stack;		/* its mapping (TRUNNER_MAP) */
	char		**env;		/* room for a job's environment */
	posix_spawn_file_actions_t fa;	/* its command job's, made by main */
	int		 fa_made;	/* fa needs destroying */
	struct buf	 code;		/* its command job's shell code, with
					   $PARALLEL_ENV's, made by main */
};

/*
 * The base's pending signal of a slot is under that slot's worker's mu;
 * its kill_sig is atomic.
 */
struct trunner {
	struct runner	 base;
	struct tworker	*w;
	_Atomic int	 stop;
	pthread_mutex_t	 done_mu;
	struct jobq	 done;		/* under done_mu */
	int		 wake[2];
};

/* Put a finished job on the done list; wake main if it was empty. */
static void
trunner_push_done(struct trunner *r, struct job *j)
{
	int wake;

	j->pid = -1;
	j->state = JOB_DONE;
	job_close_child_fds(j);
	pthread_mutex_lock(&r->done_mu);
	wake = STAILQ_EMPTY(&r->done);
	STAILQ_INSERT_TAIL(&r->done, j, link);
	pthread_mutex_unlock(&r->done_mu);
	if (wake)
		(void)!write(r->wake[1], "", 1);
}

static int
trunner_take(void *chan, struct spawn_req *req)
{
	struct tworker *w = chan;
	struct trunner *r = w->r;
	struct job *j;
	int sig;

	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (STAILQ_EMPTY(&w->q) && !atomic_load(&r->stop) &&
		    !w->quit) {
			w->waiting = 1;
			pthread_cond_wait(&w->cond, &w->mu);
			w->waiting = 0;
		}
		if ((j = STAILQ_FIRST(&w->q)) == NULL) {
			pthread_mutex_unlock(&w->mu);
			return 0;
		}
		STAILQ_REMOVE_HEAD(&w->q, link);
		sig = atomic_load(&r->base.kill_sig);
		if (!sig)
			break;
		/* Everything is being killed: do not even start this one. */
		runner_pend(&r->base, w->slot, 0);
		pthread_mutex_unlock(&w->mu);
		j->killed = 1;
		j->res.status = sig;	/* reads as killed by sig */
		clock_gettime(CLOCK_REALTIME, &j->res.start_real);
		clock_gettime(CLOCK_MONOTONIC, &j->res.start_mono);
		j->res.end_mono = j->res.start_mono;
		trunner_push_done(r, j);
		pthread_mutex_lock(&w->mu);
	}
	w->current = j;
	job_spawn_req(j, req);
	req->env = w->env;
	if (!j->func)
		req->fa = &w->fa;
	if (!j->func && !j->direct && spawn_has_env_code())
		req->cmd = w->code.data;
	pthread_mutex_unlock(&w->mu);
	return 1;
}

static void
trunner_started(void *chan, pid_t pid, const struct spawn_res *res)
{
	struct tworker *w = chan;
	struct trunner *r = w->r;
	struct job *j = w->current;
	int sig;

	pthread_mutex_lock(&w->mu);
	j->pid = pid;
	j->state = JOB_RUNNING;
	j->res.start_real = res->start_real;
	j->res.start_mono = res->start_mono;
	job_close_child_fds(j);
	sig = runner_start_sig(&r->base, w->slot);
	if (sig) {
		j->killed = 1;
		job_kill(j, sig);
	}
	pthread_mutex_unlock(&w->mu);
}

static void
trunner_exited(void *chan)
{
	struct tworker *w = chan;

	pthread_mutex_lock(&w->mu);
	w->locked = 1;
}

static void
trunner_done(void *chan, const struct spawn_res *res)
{
	struct tworker *w = chan;
	struct job *j = w->current;

	if (!w->locked)
		pthread_mutex_lock(&w->mu);
	w->locked = 0;
	j->res = *res;
	j->pid = -1;
	w->current = NULL;
	runner_pend(&w->r->base, w->slot, 0);
	pthread_mutex_unlock(&w->mu);
	/* A function called exit() (func.c): start nothing more. */
	if (res->func_exited)
		atomic_store(&w->r->base.kill_sig, SIGTERM);
	trunner_push_done(w->r, j);
}

static const struct worker_ops trunner_worker_ops = {
	.take = trunner_take,
	.started = trunner_started,
	.exited = trunner_exited,
	.done = trunner_done,
};

/*
 * A worker's mapping: a guard page, the alternate signal stack (func.h), a
 * guard page, the stack.  Room for functions; posix_spawn children get a
 * stack of their own.  Only the pages a thread touches take memory.
 */
#define TRUNNER_STACK	(1024 * 1024)
#define TRUNNER_GUARD	4096
#define TRUNNER_MAP	(TRUNNER_GUARD + FUNC_ALTSTACK_SIZE + TRUNNER_GUARD + \
			    TRUNNER_STACK)

static void *
trunner_main(void *arg)
{
	struct tworker *w = arg;
	struct func_altstack st;

	func_thread_init(&st, (char *)w->stack + TRUNNER_GUARD);
	worker_loop(&trunner_worker_ops, arg);
	func_thread_release(&st);
	return NULL;
}

/*
 * The thread's stack is mapped here, not by the C library, which keeps the
 * stacks of ended threads for reuse: a worker stopped by trim() must give
 * its address space back (ulimit -v), to the jobs that could not start.
 */
static int
trunner_spawn_thread(struct tworker *w)
{
	pthread_attr_t attr;
	sigset_t old;
	char *st;
	int err;

	st = mmap(NULL, TRUNNER_MAP, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (st == MAP_FAILED) {
		errno = EAGAIN;		/* as pthread_create says it */
		return -1;
	}
	(void)mprotect(st, TRUNNER_GUARD, PROT_NONE);
	(void)mprotect(st + TRUNNER_GUARD + FUNC_ALTSTACK_SIZE, TRUNNER_GUARD,
	    PROT_NONE);
	w->stack = st;
	if (w->env == NULL)
		w->env = spawn_env_new();
	pthread_attr_init(&attr);
	pthread_attr_setstack(&attr, st + TRUNNER_MAP - TRUNNER_STACK,
	    TRUNNER_STACK);
	sig_block_thread(&old);
	err = pthread_create(&w->tid, &attr, trunner_main, w);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
	if (err) {
		munmap(st, TRUNNER_MAP);
		w->stack = NULL;
		errno = err;
		return -1;
	}
	w->started = 1;
	return 0;
}

/* After pthread_join(): the thread's memory is no longer in use. */
static void
trunner_unmap_stack(struct tworker *w)
{
	if (w->stack != NULL)
		munmap(w->stack, TRUNNER_MAP);
	w->stack = NULL;
	free(w->env);
	w->env = NULL;
	if (w->fa_made)
		posix_spawn_file_actions_destroy(&w->fa);
	w->fa_made = 0;
	buf_release(&w->code);
}

static int
trunner_start(struct runner *base, struct job *j)
{
	struct trunner *r = (struct trunner *)base;
	struct tworker *w = &r->w[j->slot - 1];

	if (!w->started && trunner_spawn_thread(w) == -1)
		return -1;
	/*
	 * A command has the slot to itself: its worker is done with the
	 * file actions of the one before, which came back before this one
	 * was given the slot.
	 */
	if (!j->func) {
		struct spawn_req req;

		if (w->fa_made)
			posix_spawn_file_actions_destroy(&w->fa);
		job_spawn_req(j, &req);
		spawn_actions_init(&w->fa, &req);
		w->fa_made = 1;
		if (!j->direct && spawn_has_env_code()) {
			buf_reset(&w->code);
			spawn_shell_code(&w->code, j->cmd, j->cmd_len);
		}
	}
	j->state = JOB_QUEUED;
	pthread_mutex_lock(&w->mu);
	STAILQ_INSERT_TAIL(&w->q, j, link);
	if (w->waiting)
		pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->mu);
	return 0;
}

/* The loop source: the wake pipe, while the workers hold jobs. */
static size_t
trunner_prepare(void *ctx, struct pollfd *pfd, size_t max, long *ms)
{
	struct trunner *r = ctx;

	if (max < 1 || runner_count(&r->base) == 0)
		return 0;
	pfd[0].fd = r->wake[0];
	pfd[0].events = POLLIN;
	pfd[0].revents = 0;
	return 1;
}

/* Drain the wake pipe, then take the whole done list at once. */
static void
trunner_dispatch(void *ctx, const struct pollfd *pfd, size_t n)
{
	struct trunner *r = ctx;
	char drain[256];

	if (n >= 1 && pfd[0].revents)
		while (read(r->wake[0], drain, sizeof(drain)) > 0)
			;
	if (runner_count(&r->base) == 0)
		return;
	pthread_mutex_lock(&r->done_mu);
	STAILQ_CONCAT(&r->base.done, &r->done);
	pthread_mutex_unlock(&r->done_mu);
}

static const struct loop_source trunner_source = {
	.name = "engine",
	.prepare = trunner_prepare,
	.dispatch = trunner_dispatch,
};

static void
trunner_signal_locked(struct job *j, int sig)
{
	if (j->func) {
		j->killed = 1;
		atomic_store(&j->cancel, 1);
	} else if (j->state == JOB_RUNNING && j->pid > 0) {
		j->killed = 1;
		job_kill(j, sig);
	}
}

static void
trunner_signal_all(struct runner *base, int sig)
{
	struct trunner *r = (struct trunner *)base;
	unsigned long i;

	for (i = 0; i < base->nslots; i++) {
		struct tworker *w = &r->w[i];

		pthread_mutex_lock(&w->mu);
		if (w->current)
			trunner_signal_locked(w->current, sig);
		pthread_mutex_unlock(&w->mu);
	}
}

static void
trunner_signal_job(struct runner *base, struct job *j, int sig)
{
	struct trunner *r = (struct trunner *)base;
	struct tworker *w = &r->w[j->slot - 1];

	pthread_mutex_lock(&w->mu);
	if (w->current == j && (j->func || j->state == JOB_RUNNING))
		trunner_signal_locked(j, sig);
	else if (j->func) {
		atomic_store(&j->cancel, 1);	/* still queued */
	} else if (j->state == JOB_QUEUED) {
		/* Not spawned yet: trunner_started() sends it. */
		j->killed = 1;
		runner_pend(base, j->slot, sig);
	}
	pthread_mutex_unlock(&w->mu);
}

static void
trunner_destroy(struct runner *base)
{
	struct trunner *r = (struct trunner *)base;
	unsigned long i;

	atomic_store(&r->stop, 1);
	for (i = 0; i < base->nslots; i++) {
		pthread_mutex_lock(&r->w[i].mu);
		pthread_cond_signal(&r->w[i].cond);
		pthread_mutex_unlock(&r->w[i].mu);
	}
	for (i = 0; i < base->nslots; i++) {
		if (r->w[i].started) {
			pthread_join(r->w[i].tid, NULL);
			trunner_unmap_stack(&r->w[i]);
		}
		pthread_cond_destroy(&r->w[i].cond);
		pthread_mutex_destroy(&r->w[i].mu);
	}
	pthread_mutex_destroy(&r->done_mu);
	close(r->wake[0]);
	close(r->wake[1]);
	runner_release(base);
	free(r->w);
	free(r);
}

static void
trunner_trim(struct runner *base, unsigned long keep)
{
	struct trunner *r = (struct trunner *)base;
	unsigned long i, alive = 0;

	for (i = 0; i < base->nslots; i++)
		alive += r->w[i].started;
	for (i = base->nslots; i-- > 0 && alive > keep;) {
		struct tworker *w = &r->w[i];

		if (!w->started || base->given[i] > 0)
			continue;
		pthread_mutex_lock(&w->mu);
		w->quit = 1;
		pthread_cond_signal(&w->cond);
		pthread_mutex_unlock(&w->mu);
		pthread_join(w->tid, NULL);
		trunner_unmap_stack(w);
		w->started = 0;
		w->quit = 0;
		alive--;
	}
}

/* Create the thread engine. */
static struct runner *
trunner_create(unsigned long nslots, size_t depth)
{
	struct trunner *r;
	unsigned long i;

	r = xcalloc(1, sizeof(*r));
	if (sys_pipe(r->wake) == -1) {
		free(r);
		return NULL;
	}
	sys_set_nonblock(r->wake[0], 1);
	sys_set_nonblock(r->wake[1], 1);
	pthread_mutex_init(&r->done_mu, NULL);
	STAILQ_INIT(&r->done);
	runner_init(&r->base, &runner_thread_ops, nslots, depth);
	r->w = xcalloc(nslots, sizeof(*r->w));
	for (i = 0; i < nslots; i++) {
		r->w[i].r = r;
		r->w[i].slot = i + 1;
		STAILQ_INIT(&r->w[i].q);
		pthread_mutex_init(&r->w[i].mu, NULL);
		pthread_cond_init(&r->w[i].cond, NULL);
	}
	return &r->base;
}

/*
 * A function runs on a thread of parx: it cannot be killed, only asked to
 * stop, and a crash in it is parx's.  The wake pipe is the engine's, not
 * a slot's.
 */
const struct runner_ops runner_thread_ops = {
	.name = "thread",
	.caps = RUNNER_FUNCS_INSIDE,
	.fds_per_slot = 0,
	.source = &trunner_source,
	.create = trunner_create,
	.start = trunner_start,
	.signal_all = trunner_signal_all,
	.signal_job = trunner_signal_job,
	.destroy = trunner_destroy,
	.trim = trunner_trim,
};

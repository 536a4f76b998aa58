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
 * once, after draining the pipe, so no wake-up is lost.
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

#include "func.h"
#include "job.h"
#include "msg.h"
#include "pace.h"
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
	struct job	*qhead;		/* jobs waiting for this worker */
	struct job	*qtail;
	int		 waiting;	/* blocked on cond */
	struct job	*current;	/* the job it runs */
	int		 pending_sig;	/* for its command once it starts */
	int		 locked;	/* holds mu from exited to done */
	int		 quit;		/* idle: end the thread (trim) */
	void		*stack;		/* mapped here, with a guard page */
};

struct trunner {
	struct runner	 base;
	struct tworker	*w;
	unsigned long	 n;
	_Atomic int	 stop;
	_Atomic int	 kill_sig;
	pthread_mutex_t	 done_mu;
	struct job	*done_head;	/* under done_mu */
	struct job	*done_tail;
	struct job	*mine;		/* main only: taken from done_head */
	int		 wake[2];
	size_t		 held;		/* main only */
	struct pace	 pace;		/* main only */
	size_t		*given;		/* main only: per slot, not yet back */
};

/* Put a finished job on the done list; wake main if it was empty. */
static void
trunner_push_done(struct trunner *r, struct job *j)
{
	int wake;

	j->pid = -1;
	j->state = JOB_DONE;
	job_close_child_fds(j);
	j->next = NULL;
	pthread_mutex_lock(&r->done_mu);
	wake = r->done_head == NULL;
	if (r->done_tail)
		r->done_tail->next = j;
	else
		r->done_head = j;
	r->done_tail = j;
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
		while (w->qhead == NULL && !atomic_load(&r->stop) &&
		    !w->quit) {
			w->waiting = 1;
			pthread_cond_wait(&w->cond, &w->mu);
			w->waiting = 0;
		}
		if (w->qhead == NULL) {
			pthread_mutex_unlock(&w->mu);
			return 0;
		}
		j = w->qhead;
		w->qhead = j->next;
		if (w->qhead == NULL)
			w->qtail = NULL;
		sig = atomic_load(&r->kill_sig);
		if (!sig)
			break;
		/* Everything is being killed: do not even start this one. */
		w->pending_sig = 0;
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
	sig = atomic_load(&r->kill_sig);
	if (!sig)
		sig = w->pending_sig;
	w->pending_sig = 0;
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
	w->pending_sig = 0;
	pthread_mutex_unlock(&w->mu);
	/* A function called exit() (func.c): start nothing more. */
	if (res->func_exited)
		atomic_store(&w->r->kill_sig, SIGTERM);
	trunner_push_done(w->r, j);
}

static const struct worker_ops trunner_worker_ops = {
	trunner_take, trunner_started, trunner_exited, trunner_done
};

static void *
trunner_main(void *arg)
{
	struct func_altstack st;

	func_thread_init(&st);
	worker_loop(&trunner_worker_ops, arg);
	func_thread_release(&st);
	return NULL;
}

/* Room for functions; posix_spawn children get a stack of their own. */
#define TRUNNER_STACK	(1024 * 1024)
#define TRUNNER_GUARD	4096

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

	st = mmap(NULL, TRUNNER_STACK + TRUNNER_GUARD, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (st == MAP_FAILED) {
		errno = EAGAIN;		/* as pthread_create says it */
		return -1;
	}
	(void)mprotect(st, TRUNNER_GUARD, PROT_NONE);
	pthread_attr_init(&attr);
	pthread_attr_setstack(&attr, st + TRUNNER_GUARD, TRUNNER_STACK);
	sig_block_thread(&old);
	err = pthread_create(&w->tid, &attr, trunner_main, w);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
	if (err) {
		munmap(st, TRUNNER_STACK + TRUNNER_GUARD);
		errno = err;
		return -1;
	}
	w->stack = st;
	w->started = 1;
	return 0;
}

/* After pthread_join(): the thread's stack is no longer in use. */
static void
trunner_unmap_stack(struct tworker *w)
{
	if (w->stack != NULL)
		munmap(w->stack, TRUNNER_STACK + TRUNNER_GUARD);
	w->stack = NULL;
}

static unsigned long
trunner_free_slot(struct runner *base)
{
	struct trunner *r = (struct trunner *)base;

	return pace_slot(&r->pace, r->given, r->n);
}

static int
trunner_start(struct runner *base, struct job *j)
{
	struct trunner *r = (struct trunner *)base;
	struct tworker *w;

	if (j->slot < 1 || j->slot > r->n)
		BUG("job %llu given slot %lu", j->seq, j->slot);
	w = &r->w[j->slot - 1];
	if (r->given[j->slot - 1] >= (j->func ? r->pace.depth : 1))
		BUG("job %llu given busy slot %lu", j->seq, j->slot);
	if (!w->started && trunner_spawn_thread(w) == -1)
		return -1;
	r->given[j->slot - 1]++;
	r->held++;
	j->state = JOB_QUEUED;
	j->next = NULL;
	pthread_mutex_lock(&w->mu);
	if (w->qtail)
		w->qtail->next = j;
	else
		w->qhead = j;
	w->qtail = j;
	if (w->waiting)
		pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->mu);
	return 0;
}

static size_t
trunner_pollfds(struct runner *base, struct pollfd *pfd, size_t max)
{
	struct trunner *r = (struct trunner *)base;

	if (max < 1 || r->held == 0)
		return 0;
	pfd[0].fd = r->wake[0];
	pfd[0].events = POLLIN;
	pfd[0].revents = 0;
	return 1;
}

static void
trunner_events(struct runner *base, const struct pollfd *pfd, size_t n)
{
	struct trunner *r = (struct trunner *)base;
	char drain[256];

	if (n >= 1 && pfd[0].revents)
		while (read(r->wake[0], drain, sizeof(drain)) > 0)
			;
}

/* Learn how long functions take, to queue about 1 ms per worker. */
static struct job *
trunner_next_done(struct runner *base)
{
	struct trunner *r = (struct trunner *)base;
	struct job *j;

	if (r->mine == NULL) {
		pthread_mutex_lock(&r->done_mu);
		r->mine = r->done_head;
		r->done_head = r->done_tail = NULL;
		pthread_mutex_unlock(&r->done_mu);
	}
	j = r->mine;
	if (j == NULL)
		return NULL;
	r->mine = j->next;
	j->next = NULL;
	r->given[j->slot - 1]--;
	r->held--;
	if (j->func)
		pace_learn(&r->pace, j);
	return j;
}

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

	atomic_store(&r->kill_sig, sig);
	for (i = 0; sig && i < r->n; i++) {
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
	struct tworker *w;

	if (j->slot < 1 || j->slot > r->n)
		return;		/* not ours */
	w = &r->w[j->slot - 1];
	pthread_mutex_lock(&w->mu);
	if (w->current == j && (j->func || j->state == JOB_RUNNING))
		trunner_signal_locked(j, sig);
	else if (j->func) {
		atomic_store(&j->cancel, 1);	/* still queued */
	} else if (j->state == JOB_QUEUED) {
		/* Not spawned yet: trunner_started() sends it. */
		j->killed = 1;
		w->pending_sig = sig;
	}
	pthread_mutex_unlock(&w->mu);
}

static size_t
trunner_count(struct runner *base)
{
	return ((struct trunner *)base)->held;
}

static void
trunner_destroy(struct runner *base)
{
	struct trunner *r = (struct trunner *)base;
	unsigned long i;

	atomic_store(&r->stop, 1);
	for (i = 0; i < r->n; i++) {
		pthread_mutex_lock(&r->w[i].mu);
		pthread_cond_signal(&r->w[i].cond);
		pthread_mutex_unlock(&r->w[i].mu);
	}
	for (i = 0; i < r->n; i++) {
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
	free(r->given);
	free(r->w);
	free(r);
}

static void
trunner_trim(struct runner *base, unsigned long keep)
{
	struct trunner *r = (struct trunner *)base;
	unsigned long i, alive = 0;

	for (i = 0; i < r->n; i++)
		alive += r->w[i].started;
	for (i = r->n; i-- > 0 && alive > keep;) {
		struct tworker *w = &r->w[i];

		if (!w->started || r->given[i] > 0)
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

static const struct runner_ops trunner_ops = {
	"thread",
	trunner_free_slot,
	trunner_start,
	NULL,
	trunner_pollfds,
	trunner_events,
	trunner_next_done,
	trunner_signal_all,
	trunner_signal_job,
	trunner_count,
	trunner_destroy,
	1,
	trunner_trim,
};

/* Create the thread engine. */
struct runner *
runner_thread_new(unsigned long nslots, size_t depth)
{
	struct trunner *r;
	unsigned long i;

	r = xcalloc(1, sizeof(*r));
	r->base.ops = &trunner_ops;
	if (sys_pipe(r->wake) == -1) {
		free(r);
		return NULL;
	}
	sys_set_nonblock(r->wake[0], 1);
	sys_set_nonblock(r->wake[1], 1);
	pthread_mutex_init(&r->done_mu, NULL);
	r->n = nslots;
	pace_init(&r->pace, depth);
	r->given = xcalloc(nslots, sizeof(*r->given));
	r->w = xcalloc(nslots, sizeof(*r->w));
	for (i = 0; i < nslots; i++) {
		r->w[i].r = r;
		r->w[i].slot = i + 1;
		pthread_mutex_init(&r->w[i].mu, NULL);
		pthread_cond_init(&r->w[i].cond, NULL);
	}
	return &r->base;
}

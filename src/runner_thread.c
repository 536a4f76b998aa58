/*
 * The thread engine: a pool of POSIX threads inside the parx process, the
 * analogue of a threading pool.
 *
 * DESIGN: each worker thread has a one-job mailbox guarded by the runner's
 * mutex and its own condition variable, so a new job wakes exactly the
 * thread meant to run it (main chose the slot, and {%} depends on it).
 * A finished job goes on one done queue; the thread that makes the queue
 * non-empty writes a byte to a close-on-exec pipe that the main loop polls
 * (as redis' bio.c wakes its event loop).  Main drains the pipe before it
 * empties the queue, so no wake-up is lost.
 *
 * A worker waits for its own child only (never waitpid(-1)), and runs with
 * the handled signals blocked, so signals reach the main thread.  Between
 * a child's exit and its reaping the worker holds the mutex: signal_all()
 * takes the same mutex, so it never signals a process group whose leader
 * has been reaped and whose id might belong to someone else.
 */
#include "runner.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "job.h"
#include "msg.h"
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
	pthread_cond_t	 cond;
	struct job	*mailbox;	/* set by main, taken by the worker */
	struct job	*current;	/* the job the worker runs */
	int		 pending_sig;	/* for the job once it starts */
	int		 locked;	/* holds r->mu from exited to done */
	int		 busy;		/* main thread only */
};

struct trunner {
	struct runner	 base;
	pthread_mutex_t	 mu;
	struct tworker	*w;
	unsigned long	 n;
	int		 stop;
	int		 kill_sig;
	struct job	*done_head;
	struct job	*done_tail;
	int		 wake[2];
	size_t		 held;		/* main thread only */
};

/* Queue a finished job for main; call with r->mu held.  1: wake main. */
static int
trunner_push_done(struct trunner *r, struct job *j)
{
	int wake = r->done_head == NULL;

	j->pid = -1;
	j->state = JOB_DONE;
	job_close_child_fds(j);
	j->next = NULL;
	if (r->done_tail)
		r->done_tail->next = j;
	else
		r->done_head = j;
	r->done_tail = j;
	return wake;
}

static int
trunner_take(void *chan, struct spawn_req *req)
{
	struct tworker *w = chan;
	struct trunner *r = w->r;
	struct job *j;

	pthread_mutex_lock(&r->mu);
	for (;;) {
		while (w->mailbox == NULL && !r->stop)
			pthread_cond_wait(&w->cond, &r->mu);
		if (w->mailbox == NULL) {
			pthread_mutex_unlock(&r->mu);
			return 0;
		}
		j = w->mailbox;
		w->mailbox = NULL;
		if (!r->kill_sig)
			break;
		/* Everything is being killed: do not even start this one. */
		j->killed = 1;
		j->res.status = r->kill_sig;	/* reads as killed by it */
		clock_gettime(CLOCK_REALTIME, &j->res.start_real);
		clock_gettime(CLOCK_MONOTONIC, &j->res.start_mono);
		j->res.end_mono = j->res.start_mono;
		if (trunner_push_done(r, j))
			(void)!write(r->wake[1], "", 1);
	}
	w->current = j;
	job_spawn_req(j, req);
	pthread_mutex_unlock(&r->mu);
	return 1;
}

static void
trunner_started(void *chan, pid_t pid, const struct spawn_res *res)
{
	struct tworker *w = chan;
	struct trunner *r = w->r;
	struct job *j = w->current;

	pthread_mutex_lock(&r->mu);
	j->pid = pid;
	j->state = JOB_RUNNING;
	j->res.start_real = res->start_real;
	j->res.start_mono = res->start_mono;
	job_close_child_fds(j);
	if (r->kill_sig || w->pending_sig) {
		j->killed = 1;
		kill(-pid, r->kill_sig ? r->kill_sig : w->pending_sig);
	}
	w->pending_sig = 0;
	pthread_mutex_unlock(&r->mu);
}

static void
trunner_exited(void *chan)
{
	struct tworker *w = chan;

	pthread_mutex_lock(&w->r->mu);
	w->locked = 1;
}

static void
trunner_done(void *chan, const struct spawn_res *res)
{
	struct tworker *w = chan;
	struct trunner *r = w->r;
	struct job *j = w->current;
	int wake;

	if (!w->locked)
		pthread_mutex_lock(&r->mu);
	w->locked = 0;
	j->res = *res;
	w->current = NULL;
	w->pending_sig = 0;
	wake = trunner_push_done(r, j);
	pthread_mutex_unlock(&r->mu);
	if (wake)
		(void)!write(r->wake[1], "", 1);
}

static const struct worker_ops trunner_worker_ops = {
	trunner_take, trunner_started, trunner_exited, trunner_done
};

static void *
trunner_main(void *arg)
{
	worker_loop(&trunner_worker_ops, arg);
	return NULL;
}

static int
trunner_spawn_thread(struct tworker *w)
{
	pthread_attr_t attr;
	sigset_t old;
	int err;

	pthread_attr_init(&attr);
	/* posix_spawn runs the child on a stack of its own: keep ours small. */
	pthread_attr_setstacksize(&attr, 256 * 1024);
	sig_block_thread(&old);
	err = pthread_create(&w->tid, &attr, trunner_main, w);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
	if (err) {
		errno = err;
		return -1;
	}
	w->started = 1;
	return 0;
}

static unsigned long
trunner_free_slot(struct runner *base)
{
	struct trunner *r = (struct trunner *)base;
	unsigned long i;

	for (i = 0; i < r->n; i++)
		if (!r->w[i].busy)
			return i + 1;
	return 0;
}

static int
trunner_start(struct runner *base, struct job *j)
{
	struct trunner *r = (struct trunner *)base;
	struct tworker *w;

	if (j->slot < 1 || j->slot > r->n || r->w[j->slot - 1].busy)
		BUG("job %llu given busy slot %lu", j->seq, j->slot);
	w = &r->w[j->slot - 1];
	if (!w->started && trunner_spawn_thread(w) == -1)
		return -1;
	w->busy = 1;
	r->held++;
	j->state = JOB_QUEUED;
	pthread_mutex_lock(&r->mu);
	w->mailbox = j;
	w->pending_sig = 0;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&r->mu);
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

static struct job *
trunner_next_done(struct runner *base)
{
	struct trunner *r = (struct trunner *)base;
	struct job *j;

	pthread_mutex_lock(&r->mu);
	j = r->done_head;
	if (j) {
		r->done_head = j->next;
		if (r->done_head == NULL)
			r->done_tail = NULL;
	}
	pthread_mutex_unlock(&r->mu);
	if (j) {
		j->next = NULL;
		r->w[j->slot - 1].busy = 0;
		r->held--;
	}
	return j;
}

static void
trunner_signal_all(struct runner *base, int sig)
{
	struct trunner *r = (struct trunner *)base;
	unsigned long i;

	pthread_mutex_lock(&r->mu);
	r->kill_sig = sig;
	for (i = 0; sig && i < r->n; i++) {
		struct job *j = r->w[i].current;

		if (j && j->pid > 0) {
			j->killed = 1;
			kill(-j->pid, sig);
		}
	}
	pthread_mutex_unlock(&r->mu);
}

static void
trunner_signal_job(struct runner *base, struct job *j, int sig)
{
	struct trunner *r = (struct trunner *)base;

	pthread_mutex_lock(&r->mu);
	if (j->state == JOB_RUNNING && j->pid > 0) {
		j->killed = 1;
		kill(-j->pid, sig);
	} else if (j->state == JOB_QUEUED && j->slot >= 1 && j->slot <= r->n) {
		/* Not spawned yet: trunner_started() sends it. */
		j->killed = 1;
		r->w[j->slot - 1].pending_sig = sig;
	}
	pthread_mutex_unlock(&r->mu);
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

	pthread_mutex_lock(&r->mu);
	r->stop = 1;
	for (i = 0; i < r->n; i++)
		pthread_cond_signal(&r->w[i].cond);
	pthread_mutex_unlock(&r->mu);
	for (i = 0; i < r->n; i++) {
		if (r->w[i].started)
			pthread_join(r->w[i].tid, NULL);
		pthread_cond_destroy(&r->w[i].cond);
	}
	pthread_mutex_destroy(&r->mu);
	close(r->wake[0]);
	close(r->wake[1]);
	free(r->w);
	free(r);
}

static const struct runner_ops trunner_ops = {
	"thread",
	trunner_free_slot,
	trunner_start,
	trunner_pollfds,
	trunner_events,
	trunner_next_done,
	trunner_signal_all,
	trunner_signal_job,
	trunner_count,
	trunner_destroy,
};

/* Create the thread engine. */
struct runner *
runner_thread_new(unsigned long nslots)
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
	pthread_mutex_init(&r->mu, NULL);
	r->n = nslots;
	r->w = xcalloc(nslots, sizeof(*r->w));
	for (i = 0; i < nslots; i++) {
		r->w[i].r = r;
		r->w[i].slot = i + 1;
		pthread_cond_init(&r->w[i].cond, NULL);
	}
	return &r->base;
}

/* SPDX-License-Identifier: ISC */
/*
 * Timeouts: the running jobs in start order, the heap of kill steps, and
 * the median run time behind --timeout N%.
 *
 * The median is a remedian (Rousseeuw and Bassett, 1990): the run times
 * are gathered in groups of TIMEOUT_BASE; a full group is replaced by its
 * median one level up.  The estimate is the weighted median of what the
 * levels hold, exact for the first TIMEOUT_BASE jobs, and memory stays
 * fixed however many jobs run.
 */
#include "timeout.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "job.h"
#include "msg.h"
#include "queue.h"
#include "runner.h"
#include "termseq.h"
#include "xalloc.h"

#define TIMEOUT_BASE	63	/* odd: a full group has a middle */
#define TIMEOUT_LEVELS	4	/* 63^4: about 15 million run times */

struct timeout_node {
	struct job		*job;
	TAILQ_ENTRY(timeout_node) link;		/* running, or stuck */
	int			 listed;
	int64_t			 start;		/* ns, CLOCK_MONOTONIC */
	size_t			 heap;		/* index + 1 in the heap, or 0 */
	int			 step;		/* the next kill step */
	int64_t			 due;		/* when it is due */
	int			 stuck;		/* on the stuck list */
};

TAILQ_HEAD(tnodeq, timeout_node);

struct remedian {
	int64_t			 v[TIMEOUT_LEVELS][TIMEOUT_BASE]; /* sorted */
	int			 n[TIMEOUT_LEVELS];
};

struct timeout {
	double			 pct;
	int64_t			 allow;		/* ns per job; -1: no limit */
	struct termseq_step	*steps;
	int			 nsteps;
	struct tnodeq		 running;	/* oldest first */
	struct timeout_node	**heap;
	size_t			 nheap;
	size_t			 capheap;
	struct remedian		 med;
	struct tnodeq		 stuck;		/* killed, still running */
	size_t			 nstuck;
};

static int64_t
timeout_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int64_t
timeout_ns(const struct timespec *ts)
{
	return (int64_t)ts->tv_sec * 1000000000 + ts->tv_nsec;
}

/* Create the timer. */
struct timeout *
timeout_new(double secs, double pct, const struct termseq_step *steps,
    int nsteps)
{
	struct timeout *t = xcalloc(1, sizeof(*t));

	TAILQ_INIT(&t->running);
	TAILQ_INIT(&t->stuck);
	t->pct = pct;
	if (pct > 0)
		t->allow = -1;		/* until a job has succeeded */
	else if (secs >= 9e9)
		t->allow = INT64_C(9000000000) * 1000000000;
	else
		t->allow = (int64_t)(secs * 1e9);
	t->nsteps = nsteps;
	t->steps = xreallocarray(NULL, (size_t)nsteps, sizeof(*steps));
	memcpy(t->steps, steps, (size_t)nsteps * sizeof(*steps));
	return t;
}

/* Free the timer; the jobs must be gone. */
void
timeout_free(struct timeout *t)
{
	if (t == NULL)
		return;
	free(t->heap);
	free(t->steps);
	free(t);
}

/* The heap of kill steps, ordered by due time. */

static void
heap_set(struct timeout *t, size_t i, struct timeout_node *n)
{
	t->heap[i] = n;
	n->heap = i + 1;
}

static void
heap_up(struct timeout *t, size_t i)
{
	struct timeout_node *n = t->heap[i];

	while (i > 0 && t->heap[(i - 1) / 2]->due > n->due) {
		heap_set(t, i, t->heap[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
	heap_set(t, i, n);
}

static void
heap_down(struct timeout *t, size_t i)
{
	struct timeout_node *n = t->heap[i];
	size_t c;

	for (;;) {
		c = 2 * i + 1;
		if (c >= t->nheap)
			break;
		if (c + 1 < t->nheap && t->heap[c + 1]->due < t->heap[c]->due)
			c++;
		if (t->heap[c]->due >= n->due)
			break;
		heap_set(t, i, t->heap[c]);
		i = c;
	}
	heap_set(t, i, n);
}

static void
heap_push(struct timeout *t, struct timeout_node *n)
{
	if (t->nheap == t->capheap) {
		t->capheap = t->capheap ? 2 * t->capheap : 8;
		t->heap = xreallocarray(t->heap, t->capheap, sizeof(*t->heap));
	}
	t->heap[t->nheap++] = n;
	heap_up(t, t->nheap - 1);
}

static void
heap_remove(struct timeout *t, struct timeout_node *n)
{
	size_t i = n->heap - 1;
	struct timeout_node *last = t->heap[--t->nheap];

	n->heap = 0;
	if (i == t->nheap)
		return;
	heap_set(t, i, last);
	heap_down(t, i);
	heap_up(t, last->heap - 1);
}

/* The list of running jobs, in start order. */

static void
list_unlink(struct timeout *t, struct timeout_node *n)
{
	TAILQ_REMOVE(&t->running, n, link);
	n->listed = 0;
}

/* The median. */

static void
remedian_insert(struct remedian *m, int level, int64_t v)
{
	int64_t *a = m->v[level];
	int i = m->n[level];

	while (i > 0 && a[i - 1] > v) {
		a[i] = a[i - 1];
		i--;
	}
	a[i] = v;
	m->n[level]++;
}

static void
remedian_add(struct remedian *m, int64_t v)
{
	int level;

	for (level = 0; level < TIMEOUT_LEVELS; level++) {
		remedian_insert(m, level, v);
		if (m->n[level] < TIMEOUT_BASE)
			return;
		/* A full group moves up as its median. */
		v = m->v[level][TIMEOUT_BASE / 2];
		m->n[level] = 0;
		if (level == TIMEOUT_LEVELS - 1) {
			/* The top is full too: it starts again from there. */
			m->v[level][0] = v;
			m->n[level] = 1;
		}
	}
}

/* The weighted (lower) median of the levels; 0 when empty. */
static int64_t
remedian_get(const struct remedian *m)
{
	double weight[TIMEOUT_LEVELS], total = 0, sum = 0;
	int pos[TIMEOUT_LEVELS] = { 0 };
	int level, best;

	for (level = 0; level < TIMEOUT_LEVELS; level++) {
		weight[level] = level ? weight[level - 1] * TIMEOUT_BASE : 1;
		total += weight[level] * m->n[level];
	}
	if (total == 0)
		return 0;
	/* Merge the sorted levels until half the weight is behind us. */
	for (;;) {
		best = -1;
		for (level = 0; level < TIMEOUT_LEVELS; level++)
			if (pos[level] < m->n[level] && (best < 0 ||
			    m->v[level][pos[level]] < m->v[best][pos[best]]))
				best = level;
		if (best < 0)
			BUG("remedian ran out of values");
		sum += weight[best];
		if (2 * sum >= total)
			return m->v[best][pos[best]];
		pos[best]++;
	}
}

/* A job starts. */
void
timeout_start(struct timeout *t, struct job *j)
{
	struct timeout_node *n = xcalloc(1, sizeof(*n));

	n->job = j;
	n->start = timeout_now();
	TAILQ_INSERT_TAIL(&t->running, n, link);
	n->listed = 1;
	j->tmo = n;
}

/* A job is back. */
int
timeout_end(struct timeout *t, struct job *j, struct timespec *due)
{
	struct timeout_node *n = j->tmo;
	int step;

	if (n == NULL)
		return 0;
	step = n->step;
	due->tv_sec = (time_t)(n->due / 1000000000);
	due->tv_nsec = (long)(n->due % 1000000000);
	if (n->listed)
		list_unlink(t, n);
	if (n->heap)
		heap_remove(t, n);
	if (n->stuck) {
		/* Late, but back. */
		TAILQ_REMOVE(&t->stuck, n, link);
		t->nstuck--;
	}
	free(n);
	j->tmo = NULL;
	if (t->pct > 0 && !job_failed(j)) {
		remedian_add(&t->med, timeout_ns(&j->res.end_mono) -
		    timeout_ns(&j->res.start_mono));
		t->allow = (int64_t)((double)remedian_get(&t->med) *
		    t->pct / 100);
	}
	return step;
}

static long
timeout_ms_until(int64_t due, int64_t now)
{
	int64_t ns = due - now;

	if (ns <= 0)
		return 0;
	if (ns / 1000000 >= 0x7fffffff)
		return 0x7fffffff;
	return (long)((ns + 999999) / 1000000);
}

/* The time until the next deadline. */
long
timeout_next_ms(const struct timeout *t)
{
	int64_t now;
	long ms = -1, k;

	if ((TAILQ_EMPTY(&t->running) || t->allow < 0) && t->nheap == 0)
		return -1;
	now = timeout_now();
	if (!TAILQ_EMPTY(&t->running) && t->allow >= 0)
		ms = timeout_ms_until(TAILQ_FIRST(&t->running)->start +
		    t->allow, now);
	if (t->nheap) {
		k = timeout_ms_until(t->heap[0]->due, now);
		if (ms < 0 || k < ms)
			ms = k;
	}
	return ms;
}

/* Send step n->step of the sequence; queue the next one. */
static void
timeout_step(struct timeout *t, struct timeout_node *n, struct runner *r,
    int64_t now)
{
	const struct termseq_step *s = &t->steps[n->step++];

	runner_signal_job(r, n->job, s->sig);
	/* A function that cannot be killed is looked at once more, after. */
	if (n->step < t->nsteps || (n->job->func &&
	    !runner_can(r, RUNNER_KILLS_FUNCS))) {
		n->due = now + (int64_t)s->ms * 1000000;
		heap_push(t, n);
	}
}

/* The sequence is over and the function still runs: it is stuck. */
static void
timeout_stick(struct timeout *t, struct timeout_node *n)
{
	n->stuck = 1;
	TAILQ_INSERT_HEAD(&t->stuck, n, link);
	t->nstuck++;
	msg_error("job %llu (--func %.*s) timed out; the function does not "
	    "respond to cancellation, its slot stays busy", n->job->seq,
	    (int)n->job->cmd_len, n->job->cmd);
}

/* Act on what is due. */
void
timeout_fire(struct timeout *t, struct runner *r)
{
	struct timeout_node *n;
	int64_t now = timeout_now();

	while ((n = TAILQ_FIRST(&t->running)) != NULL && t->allow >= 0 &&
	    n->start + t->allow <= now) {
		list_unlink(t, n);
		n->job->timedout = 1;
		if (n->job->func && !runner_can(r, RUNNER_KILLS_FUNCS))
			msg_warn("this job timed out and was asked to stop (a "
			    "function in thread mode cannot be killed): %.*s",
			    (int)n->job->cmd_len, n->job->cmd);
		else
			msg_warn("this job was killed because it timed out: "
			    "%.*s", (int)n->job->cmd_len, n->job->cmd);
		n->step = 0;
		timeout_step(t, n, r, now);
	}
	while (t->nheap && (n = t->heap[0])->due <= now) {
		heap_remove(t, n);
		if (n->step < t->nsteps)
			timeout_step(t, n, r, now);
		else
			timeout_stick(t, n);
	}
}

/* How many jobs are stuck. */
size_t
timeout_nstuck(const struct timeout *t)
{
	return t ? t->nstuck : 0;
}

/* Name the stuck jobs, one line each. */
void
timeout_report_stuck(const struct timeout *t)
{
	const struct timeout_node *n;

	if (t == NULL)
		return;
	TAILQ_FOREACH(n, &t->stuck, link)
		msg_error("job %llu (--func %.*s) is still running: parx exits "
		    "without it", n->job->seq, (int)n->job->cmd_len,
		    n->job->cmd);
}

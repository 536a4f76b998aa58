/*
 * The dry-run engine (--dry-run): it runs nothing.  Every job it is given
 * finishes at once with exit status 0, so the main loop, the output and
 * the exit status are exercised exactly as for real jobs.  Also useful as
 * a fake runner when testing the main loop (ninja's DryRunCommandRunner).
 */
#include "runner.h"

#include <stdlib.h>
#include <time.h>

#include "job.h"
#include "msg.h"
#include "xalloc.h"

struct drunner {
	struct runner	 base;
	unsigned char	*busy;
	unsigned long	 n;
	struct job	*head;
	struct job	*tail;
	size_t		 held;
};

static unsigned long
drunner_free_slot(struct runner *base)
{
	struct drunner *r = (struct drunner *)base;
	unsigned long i;

	for (i = 0; i < r->n; i++)
		if (!r->busy[i])
			return i + 1;
	return 0;
}

static int
drunner_start(struct runner *base, struct job *j)
{
	struct drunner *r = (struct drunner *)base;

	if (j->slot < 1 || j->slot > r->n || r->busy[j->slot - 1])
		BUG("job %llu given busy slot %lu", j->seq, j->slot);
	r->busy[j->slot - 1] = 1;
	job_close_child_fds(j);
	clock_gettime(CLOCK_REALTIME, &j->res.start_real);
	clock_gettime(CLOCK_MONOTONIC, &j->res.start_mono);
	j->res.end_mono = j->res.start_mono;
	j->res.status = 0;
	j->state = JOB_DONE;
	j->next = NULL;
	if (r->tail)
		r->tail->next = j;
	else
		r->head = j;
	r->tail = j;
	r->held++;
	return 0;
}

static size_t
drunner_pollfds(struct runner *base, struct pollfd *pfd, size_t max)
{
	return 0;
}

static void
drunner_events(struct runner *base, const struct pollfd *pfd, size_t n)
{
}

static struct job *
drunner_next_done(struct runner *base)
{
	struct drunner *r = (struct drunner *)base;
	struct job *j = r->head;

	if (j == NULL)
		return NULL;
	r->head = j->next;
	if (r->head == NULL)
		r->tail = NULL;
	j->next = NULL;
	r->busy[j->slot - 1] = 0;
	r->held--;
	return j;
}

static void
drunner_signal_all(struct runner *base, int sig)
{
}

static void
drunner_signal_job(struct runner *base, struct job *j, int sig)
{
}

static size_t
drunner_count(struct runner *base)
{
	return ((struct drunner *)base)->held;
}

static void
drunner_destroy(struct runner *base)
{
	struct drunner *r = (struct drunner *)base;

	free(r->busy);
	free(r);
}

static const struct runner_ops drunner_ops = {
	"dry-run",
	drunner_free_slot,
	drunner_start,
	NULL,
	drunner_pollfds,
	drunner_events,
	drunner_next_done,
	drunner_signal_all,
	drunner_signal_job,
	drunner_count,
	drunner_destroy,
	0,
	NULL,
};

/* Create the dry-run engine. */
struct runner *
runner_dry_new(unsigned long nslots)
{
	struct drunner *r = xcalloc(1, sizeof(*r));

	r->base.ops = &drunner_ops;
	r->n = nslots;
	r->busy = xcalloc(nslots, 1);
	return &r->base;
}

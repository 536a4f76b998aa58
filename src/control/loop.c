/* SPDX-License-Identifier: ISC */
/*
 * The main loop's poll set: sources register once, and every turn each
 * one adds its descriptors and its next deadline, then gets its own
 * entries back after poll().
 */
#include "loop.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <time.h>

#include "xalloc.h"

struct loop_entry {
	const struct loop_source	*src;
	void				*ctx;
	size_t				 first;	/* its entries in pfd */
	size_t				 n;
};

struct loop {
	struct loop_entry	*src;
	size_t			 nsrc;
	struct pollfd		*pfd;
	size_t			 npfd;
};

/* Create a loop. */
struct loop *
loop_new(size_t maxfds)
{
	struct loop *l = xcalloc(1, sizeof(*l));

	loop_grow(l, maxfds);
	return l;
}

/* Free a loop. */
void
loop_free(struct loop *l)
{
	if (l == NULL)
		return;
	free(l->src);
	free(l->pfd);
	free(l);
}

/* Register a source. */
void
loop_add(struct loop *l, const struct loop_source *src, void *ctx)
{
	l->src = xreallocarray(l->src, l->nsrc + 1, sizeof(*l->src));
	l->src[l->nsrc].src = src;
	l->src[l->nsrc].ctx = ctx;
	l->src[l->nsrc].first = 0;
	l->src[l->nsrc].n = 0;
	l->nsrc++;
}

/* Make room for more descriptors. */
void
loop_grow(struct loop *l, size_t maxfds)
{
	if (maxfds <= l->npfd)
		return;
	l->pfd = xreallocarray(l->pfd, maxfds, sizeof(*l->pfd));
	l->npfd = maxfds;
}

/* Poll once and dispatch. */
int
loop_wait(struct loop *l)
{
	struct loop_entry *e;
	size_t i, n = 0;
	long ms = -1;
	int rc;

	for (i = 0; i < l->nsrc; i++) {
		e = &l->src[i];
		e->first = n;
		e->n = e->src->prepare ? e->src->prepare(e->ctx, l->pfd + n,
		    l->npfd - n, &ms) : 0;
		n += e->n;
	}
	rc = poll(l->pfd, n, ms < 0 ? -1 : ms > INT_MAX ? INT_MAX : (int)ms);
	if (rc < 0) {
		if (errno != EINTR)
			return -1;
		for (i = 0; i < n; i++)
			l->pfd[i].revents = 0;
	}
	for (i = 0; i < l->nsrc; i++) {
		e = &l->src[i];
		if (e->src->dispatch)
			e->src->dispatch(e->ctx, l->pfd + e->first, e->n);
	}
	return 0;
}

/* A deadline ms milliseconds from now. */
void
loop_deadline_in(struct timespec *t, long ms)
{
	clock_gettime(CLOCK_MONOTONIC, t);
	t->tv_sec += ms / 1000;
	t->tv_nsec += (ms % 1000) * 1000000L;
	if (t->tv_nsec >= 1000000000L) {
		t->tv_sec++;
		t->tv_nsec -= 1000000000L;
	}
}

/* The milliseconds left until a deadline, rounded up; 0 once past. */
long
loop_ms_until(const struct timespec *t)
{
	struct timespec now;
	long ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (t->tv_sec - now.tv_sec) * 1000 +
	    (t->tv_nsec - now.tv_nsec) / 1000000;
	return ms < 0 ? 0 : ms + 1;
}

/* The nearer of two deadlines. */
void
loop_ms_min(long *ms, long k)
{
	if (k >= 0 && (*ms < 0 || k < *ms))
		*ms = k;
}

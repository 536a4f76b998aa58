/* SPDX-License-Identifier: ISC */
/*
 * loop: the main loop's poll set, after redis' ae.  Each owner of
 * descriptors (the signal pipe, the input, the engine, the output pipes,
 * the --pipe feeds, stdout's watch) and of deadlines (the kill sequence,
 * --timeout, --delay, --load, the progress line) registers one source;
 * loop_wait() asks each for its descriptors and its next deadline, polls
 * them all once, and hands each source back its own entries.  Nobody
 * else knows which entry is whose.
 *
 * Only the main thread uses a loop.
 */
#ifndef PARX_LOOP_H
#define PARX_LOOP_H

#include <stddef.h>

struct loop;
struct pollfd;
struct timespec;

struct loop_source {
	const char	*name;

	/*
	 * Fill at most max entries of pfd with the descriptors to poll
	 * (fd, events) and return how many.  Lower *ms to the time in
	 * milliseconds until this source's next deadline, if it has one
	 * (*ms is -1 for none so far; 0 means at once).  May be NULL: no
	 * descriptors and no deadline.
	 */
	size_t		(*prepare)(void *ctx, struct pollfd *pfd, size_t max,
			    long *ms);

	/*
	 * After poll(): act on the n entries prepare() filled, whose
	 * revents are set (possibly 0), and on a deadline that has come.
	 * Called for every source on every turn, in the order they were
	 * added.  May be NULL: nothing to do.
	 */
	void		(*dispatch)(void *ctx, const struct pollfd *pfd,
			    size_t n);
};

/* A loop with room for maxfds descriptors in all.  Never NULL. */
struct loop	*loop_new(size_t maxfds);

/* Free the loop (not its sources). */
void		 loop_free(struct loop *);

/*
 * Add a source, with ctx passed to its callbacks.  src must outlive the
 * loop.  Sources cannot be removed; one that has nothing to do returns 0
 * descriptors and no deadline.
 */
void		 loop_add(struct loop *, const struct loop_source *src,
		    void *ctx);

/*
 * Make room for maxfds descriptors in all (the engine or the --slf hosts
 * grew).
 */
void		 loop_grow(struct loop *, size_t maxfds);

/*
 * Poll once: wait until a descriptor is ready or the nearest deadline
 * comes, then dispatch every source.  A signal interrupting poll() is not
 * an error: the sources are dispatched with revents 0.  Returns 0, or -1
 * with errno when poll() itself failed.
 */
int		 loop_wait(struct loop *);

/*
 * Deadlines on the monotonic clock: set *t to ms milliseconds from now;
 * the milliseconds until *t, rounded up (0 once it has passed), for a
 * prepare() callback's *ms.  Thread-safe.
 */
void		 loop_deadline_in(struct timespec *t, long ms);
long		 loop_ms_until(const struct timespec *t);

/* Lower *ms (-1: no deadline yet) to k, unless k is negative (none). */
void		 loop_ms_min(long *ms, long k);

#endif

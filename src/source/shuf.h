/* SPDX-License-Identifier: ISC */
/*
 * shuf: --shuf, the jobs in random order.
 *
 * Every tuple must be known before the first can be picked, so shuf reads
 * the whole input first and keeps it: memory grows with the input (its
 * bytes, plus two words per value), unlike without --shuf.
 *
 * Only the main thread uses it.
 */
#ifndef PARX_SHUF_H
#define PARX_SHUF_H

#include "arg.h"

struct input;
struct shuf;

/* Make an empty shuffler.  Never fails. */
struct shuf	*shuf_new(void);
void		 shuf_free(struct shuf *);

/*
 * Like input_next(), with the tuples of in in random order.  Until the
 * input has ended it only collects: it returns INPUT_AGAIN (or
 * INPUT_ERROR) as input_next() does, and the first INPUT_OK comes after
 * INPUT_END was seen.  *args is valid until the next call.
 */
int		 shuf_next(struct shuf *, struct input *in,
		    const struct arg **args, size_t *nargs);

/* The number of tuples, once the input has ended; -1 before. */
long long	 shuf_total(const struct shuf *);

#endif

/* SPDX-License-Identifier: ISC */
/*
 * The shuffled input: every tuple copied into one buffer, a permutation
 * of their indices drawn with Fisher-Yates, and the tuples handed out in
 * that order.
 */
#include "shuf.h"

#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "input.h"
#include "xalloc.h"

struct shuf_val {
	size_t	off;		/* in bytes */
	size_t	len;
};

struct shuf {
	struct buf	 bytes;
	struct shuf_val	*vals;		/* n * nargs */
	size_t		 nvals;
	size_t		 cap;
	size_t		 nargs;		/* values per tuple */
	size_t		 n;		/* tuples */
	size_t		*order;
	size_t		 next;		/* the next index into order */
	int		 ready;		/* the input has ended */
	struct arg	*tuple;		/* handed out */
	uint64_t	 rng;
};

/* Make a shuffler. */
struct shuf *
shuf_new(void)
{
	struct shuf *s = xcalloc(1, sizeof(*s));
	struct timespec ts;

	buf_init(&s->bytes);
	/* Not for secrets: any seed that differs between runs will do. */
	if (getentropy(&s->rng, sizeof(s->rng)) == -1 || s->rng == 0) {
		clock_gettime(CLOCK_REALTIME, &ts);
		s->rng = ((uint64_t)ts.tv_sec << 32) ^ (uint64_t)ts.tv_nsec ^
		    ((uint64_t)getpid() << 16) ^ 0x9e3779b97f4a7c15ULL;
	}
	return s;
}

/* Free a shuffler. */
void
shuf_free(struct shuf *s)
{
	if (s == NULL)
		return;
	buf_release(&s->bytes);
	free(s->vals);
	free(s->order);
	free(s->tuple);
	free(s);
}

/* xorshift64*: a fast generator, good enough to shuffle jobs. */
static uint64_t
shuf_rand(struct shuf *s)
{
	s->rng ^= s->rng >> 12;
	s->rng ^= s->rng << 25;
	s->rng ^= s->rng >> 27;
	return s->rng * 0x2545f4914f6cdd1dULL;
}

/* A number in [0, n), without the bias of a plain modulo. */
static size_t
shuf_below(struct shuf *s, size_t n)
{
	uint64_t limit = UINT64_MAX - UINT64_MAX % n, r;

	do
		r = shuf_rand(s);
	while (r >= limit);
	return (size_t)(r % n);
}

static void
shuf_keep(struct shuf *s, const struct arg *args, size_t nargs)
{
	size_t i;

	if (s->n == 0)
		s->nargs = nargs;
	if (s->nvals + nargs > s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		if (s->cap < s->nvals + nargs)
			s->cap = s->nvals + nargs;
		s->vals = xreallocarray(s->vals, s->cap, sizeof(*s->vals));
	}
	for (i = 0; i < nargs; i++) {
		s->vals[s->nvals].off = s->bytes.len;
		s->vals[s->nvals].len = args[i].len;
		buf_add(&s->bytes, args[i].s, args[i].len);
		s->nvals++;
	}
	s->n++;
}

static void
shuf_shuffle(struct shuf *s)
{
	size_t i, k, t;

	s->order = xreallocarray(NULL, s->n ? s->n : 1, sizeof(*s->order));
	for (i = 0; i < s->n; i++)
		s->order[i] = i;
	for (i = s->n; i > 1; i--) {
		k = shuf_below(s, i);
		t = s->order[i - 1];
		s->order[i - 1] = s->order[k];
		s->order[k] = t;
	}
	s->tuple = xreallocarray(NULL, s->nargs ? s->nargs : 1,
	    sizeof(*s->tuple));
	buf_grow(&s->bytes, 1);	/* values of no bytes point somewhere */
	s->ready = 1;
}

/* The next tuple in random order. */
int
shuf_next(struct shuf *s, struct input *in, const struct arg **args,
    size_t *nargs)
{
	const struct arg *a;
	const struct shuf_val *v;
	size_t na, i;
	int rc;

	while (!s->ready) {
		rc = input_next(in, &a, &na);
		if (rc == INPUT_END)
			shuf_shuffle(s);
		else if (rc == INPUT_OK)
			shuf_keep(s, a, na);
		else
			return rc;
	}
	if (s->next == s->n)
		return INPUT_END;
	v = s->vals + s->order[s->next++] * s->nargs;
	for (i = 0; i < s->nargs; i++) {
		s->tuple[i].s = s->bytes.data + v[i].off;
		s->tuple[i].len = v[i].len;
	}
	*args = s->tuple;
	*nargs = s->nargs;
	return INPUT_OK;
}

/* The number of tuples, once known. */
long long
shuf_total(const struct shuf *s)
{
	return s->ready ? (long long)s->n : -1;
}

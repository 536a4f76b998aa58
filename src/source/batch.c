/* SPDX-License-Identifier: ISC */
/*
 * Packing several input tuples into one job.
 *
 * The batch keeps a queue of values copied out of the input (one buffer
 * for their bytes, an array of slices into it) and, for each value, what
 * it adds to the command line (tmpl_size_arg()).  With the template's
 * fixed part (tmpl_size_base()) and its positional forms (tmpl_size_pos())
 * that gives the exact length of the command for the whole queue after
 * every tuple, without expanding it: a tuple is queued, and when the
 * queue no longer fits, everything before that tuple is the next job.
 * Values handed out stay in place until the next call, then the rest of
 * the queue moves to the front.
 */
#include "batch.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "input.h"
#include "msg.h"
#include "tmpl.h"
#include "xalloc.h"

struct batch {
	struct batch_opts	 o;
	struct batch_env	 e;
	size_t			*tend;		/* where each queued tuple ends */
	size_t			 ntq;		/* tuples queued */
	size_t			 tcap;
	unsigned long		 cap;		/* tuples per job; 0: no count */
	int			 zero;		/* -N0: no arguments at all */
	int			 spread;	/* -X, -m: spread the last ones */
	int			 join;		/* -L: continue blank-ended lines */
	size_t			 text_max;	/* longest command text */
	size_t			 argv_max;	/* direct: argv bytes + pointers */

	struct buf		 data;		/* the queued values' bytes */
	size_t			*qoff;		/* where each value starts */
	struct arg		*qa;		/* the values, into data */
	struct tmpl_size	*qc;		/* what each one costs */
	size_t			 nq;
	size_t			 qcap;
	const char		*base;		/* data.data when qa was set */
	struct tmpl_size	 sum;		/* of qc[0..nq) */
	struct tmpl_size	 fixed;		/* tmpl_size_base() for this job */
	struct tmpl_size	 sep;
	unsigned long long	 seq;
	unsigned long		 slot;

	size_t			 handed;	/* values handed out last time */
	size_t			 handed_t;	/* ... and their tuples */
	int			 overflow;	/* the queue does not fit */
	int			 eof;
	size_t			 spread_cap;	/* tuples per job at the end */
	struct buf		 line;		/* -L: a line being continued */
	int			 continued;
};

/* Whether batching is asked for. */
int
batch_enabled(const struct batch_opts *o)
{
	return o->X || o->m || o->xargs || o->nargs_set || o->lines_set;
}

/* Whether {} repeats the word around it. */
int
batch_context(const struct batch_opts *o)
{
	return o->X || (o->nargs_set && o->N) || (o->L && !o->m);
}

/* Create a batch. */
struct batch *
batch_new(const struct batch_opts *o, const struct batch_env *e)
{
	struct batch *b;
	size_t sys, over;

	b = xcalloc(1, sizeof(*b));
	b->o = *o;
	b->e = *e;
	if (o->nargs_set) {
		b->cap = o->nargs;
		b->zero = o->nargs == 0;
	} else if (o->lines_set) {
		b->cap = o->lines;
		b->zero = o->lines == 0;
		b->join = e->nsrc <= 1 && !e->colsep;
	}
	b->spread = (o->X || o->m) && !o->xargs && e->nslots > 1;

	/*
	 * The limits run.c checks before it starts a job: shell code is one
	 * argument of "sh -c", an argument vector counts its pointers.
	 */
	b->text_max = (size_t)-1;
	b->argv_max = (size_t)-1;
	over = e->env_size + 64 + 1;
	if (!e->direct) {
		sys = e->arg_max > over ? e->arg_max - over : 0;
		if (e->arg_strlen_max - 1 < sys)
			sys = e->arg_strlen_max - 1;
		/* $PARALLEL_ENV's code and a newline go first (penv.h). */
		b->text_max = sys > e->env_code + 1 ? sys - e->env_code - 1 : 0;
	} else {
		over = e->env_size + sizeof(char *);
		b->argv_max = e->arg_max > over ? e->arg_max - over : 0;
	}

	buf_init(&b->data);
	buf_init(&b->line);
	return b;
}

/* Free a batch. */
void
batch_free(struct batch *b)
{
	if (b == NULL)
		return;
	buf_release(&b->data);
	buf_release(&b->line);
	free(b->qoff);
	free(b->qa);
	free(b->qc);
	free(b->tend);
	free(b);
}

/* Size the lines by a new template; nothing is queued yet. */
void
batch_set_tmpl(struct batch *b, const struct tmpl *t)
{
	if (b->nq > 0)
		BUG("batch: a new template with %zu values queued", b->nq);
	b->e.tmpl = t;
}

/* Point the slices at the buffer again after it moved. */
static void
batch_rebase(struct batch *b)
{
	size_t i;

	if (b->base == b->data.data)
		return;
	for (i = 0; i < b->nq; i++)
		b->qa[i].s = b->data.data + b->qoff[i];
	b->base = b->data.data;
}

/* Queue one value. */
static void
batch_push(struct batch *b, const char *s, size_t len)
{
	if (b->nq == b->qcap) {
		b->qcap = b->qcap ? b->qcap * 2 : 64;
		b->qoff = xreallocarray(b->qoff, b->qcap, sizeof(*b->qoff));
		b->qa = xreallocarray(b->qa, b->qcap, sizeof(*b->qa));
		b->qc = xreallocarray(b->qc, b->qcap, sizeof(*b->qc));
	}
	b->qoff[b->nq] = b->data.len;
	buf_add(&b->data, s, len);
	b->qa[b->nq].s = b->data.data + b->qoff[b->nq];
	b->qa[b->nq].len = len;
	memset(&b->qc[b->nq], 0, sizeof(b->qc[b->nq]));
	tmpl_size_arg(b->e.tmpl, &b->qa[b->nq], b->e.quote, &b->qc[b->nq]);
	b->sum.text += b->qc[b->nq].text;
	b->sum.argv += b->qc[b->nq].argv;
	b->nq++;
	batch_rebase(b);
}

/* The values queued since the last tuple's end make one tuple. */
static void
batch_end_tuple(struct batch *b)
{
	if (b->ntq == b->tcap) {
		b->tcap = b->tcap ? b->tcap * 2 : 64;
		b->tend = xreallocarray(b->tend, b->tcap, sizeof(*b->tend));
	}
	b->tend[b->ntq++] = b->nq;
}

/*
 * The length GNU parallel compares with its usable size for a command
 * text of len bytes: with $PARALLEL_ENV's code, pessimistic with -q
 * (every byte might need quoting) and with -S (the command travels
 * base64-encoded).
 */
static size_t
batch_gnu_len(const struct batch *b, size_t len)
{
	len += b->e.env_code;
	if (b->e.quote_words)
		len *= 3;
	if (b->e.remote)
		len = len / 3 * 4 + len % 3 * 4 / 3;
	return len;
}

/* Whether the whole queue fits on one command line. */
static int
batch_fits(struct batch *b)
{
	struct tmpl_size sz, pos;
	struct tmpl_ctx c;
	size_t n = b->nq;

	if (n == 0 || b->zero)
		return 1;
	sz.text = b->fixed.text + b->sum.text + (n - 1) * b->sep.text;
	sz.argv = b->fixed.argv + b->sum.argv + (n - 1) * b->sep.argv;
	sz.argc = b->fixed.argc + (n - 1) * b->sep.argc;
	c.args = b->qa;
	c.nargs = n;
	c.seq = b->seq;
	c.slot = b->slot;
	tmpl_size_pos(b->e.tmpl, &c, b->e.quote, &pos);
	if (sz.text + pos.text > b->text_max)
		return 0;
	if (batch_gnu_len(b, sz.text + pos.text) >= b->e.usable)
		return 0;
	if (b->e.direct && sz.argv + pos.argv + (sz.argc + pos.argc) *
	    sizeof(char *) > b->argv_max)
		return 0;
	return 1;
}

/* Forget the values handed out last time; move the rest to the front. */
static void
batch_drop(struct batch *b)
{
	size_t i, k = b->handed, kt = b->handed_t, from;

	b->handed = 0;
	b->handed_t = 0;
	if (kt == 0)
		return;
	b->ntq -= kt;
	memmove(b->tend, b->tend + kt, b->ntq * sizeof(*b->tend));
	for (i = 0; i < b->ntq; i++)
		b->tend[i] -= k;
	for (i = 0; i < k; i++) {
		b->sum.text -= b->qc[i].text;
		b->sum.argv -= b->qc[i].argv;
	}
	b->nq -= k;
	if (b->nq == 0) {
		buf_reset(&b->data);
		return;
	}
	from = b->qoff[k];
	memmove(b->data.data, b->data.data + from, b->data.len - from);
	b->data.len -= from;
	b->data.data[b->data.len] = '\0';
	memmove(b->qoff, b->qoff + k, b->nq * sizeof(*b->qoff));
	memmove(b->qa, b->qa + k, b->nq * sizeof(*b->qa));
	memmove(b->qc, b->qc + k, b->nq * sizeof(*b->qc));
	for (i = 0; i < b->nq; i++) {
		b->qoff[i] -= from;
		b->qa[i].s = b->data.data + b->qoff[i];
	}
}

/* How many tuples make the next job now; 0: wait for more input. */
static size_t
batch_ready(const struct batch *b)
{
	size_t ntup = b->ntq;

	if (ntup == 0)
		return 0;
	if (b->zero)
		return 1;
	if (b->overflow)
		return ntup > 1 ? ntup - 1 : 1;
	if (b->eof) {
		if (b->spread_cap && b->spread_cap < ntup)
			ntup = b->spread_cap;
		return b->cap && b->cap < ntup ? b->cap : ntup;
	}
	if (b->cap && ntup >= b->cap)
		return b->cap;
	return 0;
}

/* Take one tuple from the source into the queue; returns its code. */
static int
batch_take(struct batch *b)
{
	const struct arg *t;
	size_t nt, i;
	int rc;

	rc = b->e.next(b->e.next_ctx, &t, &nt);
	if (rc == INPUT_END) {
		b->eof = 1;
		if (b->continued) {
			batch_push(b, b->line.data, b->line.len);
			batch_end_tuple(b);
			b->continued = 0;
		}
		if (b->spread && b->ntq > 0) {
			size_t ntup = b->ntq;

			b->spread_cap = (ntup + b->e.nslots - 1) / b->e.nslots;
		}
		b->overflow = !batch_fits(b);
		return rc;
	}
	if (rc != INPUT_OK)
		return rc;
	if (b->join) {
		/* -L: a line ending in a blank goes on on the next line. */
		if (t[0].len > 0 && (t[0].s[t[0].len - 1] == ' ' ||
		    t[0].s[t[0].len - 1] == '\t')) {
			buf_add(&b->line, t[0].s, t[0].len);
			b->continued = 1;
			return rc;
		}
		if (b->continued) {
			buf_add(&b->line, t[0].s, t[0].len);
			batch_push(b, b->line.data, b->line.len);
			batch_end_tuple(b);
			buf_reset(&b->line);
			b->continued = 0;
			b->overflow = !batch_fits(b);
			return rc;
		}
	}
	for (i = 0; i < nt; i++)
		batch_push(b, t[i].s, t[i].len);
	batch_end_tuple(b);
	b->overflow = !batch_fits(b);
	return rc;
}

/* The arguments of the next job. */
int
batch_next(struct batch *b, unsigned long long seq, unsigned long slot,
    const struct arg **args, size_t *nargs)
{
	size_t k;
	int rc;

	b->seq = seq;
	b->slot = slot;
	tmpl_size_base(b->e.tmpl, seq, slot, &b->fixed, &b->sep);
	if (b->handed > 0) {
		batch_drop(b);
		b->overflow = !batch_fits(b);
	}
	for (;;) {
		k = batch_ready(b);
		if (k > 0 && b->spread && !b->eof && !b->overflow &&
		    k == b->ntq) {
			/*
			 * The count is reached: look one tuple ahead, so that
			 * the end of the input, when it comes next, is spread
			 * too (the job waits for that tuple, as in GNU
			 * parallel).
			 */
			rc = batch_take(b);
			if (rc == INPUT_ERROR || rc == INPUT_AGAIN)
				return rc;
			continue;
		}
		if (k > 0) {
			b->handed = b->tend[k - 1];
			b->handed_t = k;
			*args = b->qa;
			*nargs = b->zero ? 0 : b->handed;
			return INPUT_OK;
		}
		if (b->eof)
			return INPUT_END;
		rc = batch_take(b);
		if (rc != INPUT_OK && rc != INPUT_END)
			return rc;
	}
}

/* SPDX-License-Identifier: ISC */
/*
 * Input sources and their combination into argument tuples.
 *
 * Each source is a list of records.  A word list (:::) keeps its words in
 * one buffer; a file that is read whole keeps its bytes in one buffer and
 * an array of (pointer, length) records into it.  Consecutive sources that
 * are linked form a group, which yields one tuple slice per index; the
 * groups then combine as an odometer whose last wheel turns fastest.
 *
 * The first group may be streamed: its first source is then a file read
 * through a window (one buffer, compacted before each read) and the group
 * index is the number of records taken from it.  Since the stream is the
 * slowest wheel, a record is taken only when every other wheel has rolled
 * over, and nothing but the current record needs to stay in memory.
 *
 * input_next() only scans what is already buffered; input_read() is the
 * only place that reads the stream, once per call, so that the main loop
 * can wait for the input and for its jobs in one poll.
 */
#include "input.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "msg.h"
#include "xalloc.h"

/* Bytes asked for by each read(2). */
#define INPUT_READ_SIZE	(128 * 1024)

struct input_src {
	char		*path;		/* NULL for a word list */
	int		 fd;		/* -1 unless open */
	int		 ownfd;		/* fd was opened here (not stdin) */
	int		 linked;	/* advances with the previous source */
	struct buf	 data;		/* words, file contents, stream window */
	struct arg	*vals;		/* the records, unless streamed */
	size_t		 nvals;
	size_t		 valcap;
};

struct input_group {
	size_t		 first;		/* its first source */
	size_t		 n;		/* how many sources */
	size_t		 len;		/* its number of indices */
	size_t		 idx;		/* the current index */
};

struct input {
	char			*delim;
	size_t			 delim_len;
	int			 split_words;	/* -d given: it splits ::: words */
	int			 flags;

	struct input_src	*src;
	size_t			 nsrc;
	size_t			 srccap;
	struct input_group	*grp;
	size_t			 ngrp;
	struct arg		*tuple;		/* nsrc values, handed out */

	int			 started;	/* input_start() succeeded */
	int			 done;		/* INPUT_END was returned */
	int			 need_step;	/* turn the odometer first */
	int			 need_record;	/* take a stream record first */
	int			 header_pending; /* INPUT_HEADER: not given yet */
	struct arg		*hdr;		/* the header of each source */
	char			*eofstr;	/* -E: ends a source; or NULL */
	size_t			 eoflen;
	struct buf		 hdrbuf;	/* the stream's header, copied */
	const char		*culprit;

	/*
	 * The stream (src[0] when streamed): the current record is
	 * data[start, start + reclen), unread bytes begin at next, and
	 * the delimiter search resumes at scan.
	 */
	int			 streamed;
	int			 eof;
	size_t			 start;
	size_t			 reclen;
	size_t			 next;
	size_t			 scan;
	size_t			 taken;		/* records taken so far */
	int			 stream_over;	/* empty: "" was given */
	int			 any_vals;	/* a source read whole has one */

	int			 crnl;		/* input_crnl()'s answer */
	size_t			 ncrnl;		/* values in \r so far */
};

/* Create an empty input. */
struct input *
input_new(const char *delim, size_t delim_len, int flags)
{
	struct input *in;

	in = xcalloc(1, sizeof(*in));
	in->split_words = delim != NULL;
	if (delim == NULL) {
		delim = "\n";
		delim_len = 1;
	}
	if (delim_len == 0)
		BUG("empty input delimiter");
	in->delim = xmemdupz(delim, delim_len);
	in->delim_len = delim_len;
	in->flags = flags;
	buf_init(&in->hdrbuf);
	return in;
}

/* Free an input and close the files it opened. */
void
input_free(struct input *in)
{
	size_t i;
	int saved;

	if (in == NULL)
		return;
	saved = errno;
	for (i = 0; i < in->nsrc; i++) {
		if (in->src[i].ownfd)
			close(in->src[i].fd);
		free(in->src[i].path);
		buf_release(&in->src[i].data);
		free(in->src[i].vals);
	}
	free(in->src);
	free(in->grp);
	free(in->tuple);
	free(in->hdr);
	buf_release(&in->hdrbuf);
	free(in->delim);
	free(in->eofstr);
	free(in);
	errno = saved;
}

static struct input_src *
input_src_add(struct input *in, int linked)
{
	struct input_src *s;

	if (in->started)
		BUG("source added after input_start");
	if (in->nsrc == in->srccap) {
		in->srccap = in->srccap ? in->srccap * 2 : 4;
		in->src = xreallocarray(in->src, in->srccap, sizeof(*in->src));
	}
	s = &in->src[in->nsrc++];
	memset(s, 0, sizeof(*s));
	s->fd = -1;
	s->linked = linked;
	buf_init(&s->data);
	return s;
}

static void
input_src_push(struct input_src *s, const char *p, size_t len)
{
	if (s->nvals == s->valcap) {
		s->valcap = s->valcap ? s->valcap * 2 : 16;
		s->vals = xreallocarray(s->vals, s->valcap, sizeof(*s->vals));
	}
	s->vals[s->nvals].s = p;
	s->vals[s->nvals].len = len;
	s->nvals++;
}

/* Add a file source ("-" is standard input). */
void
input_add_file(struct input *in, const char *path, int linked)
{
	struct input_src *s;

	s = input_src_add(in, linked);
	s->path = xstrdup(path);
}

static const char *input_find_delim(const struct input *, const char *,
    size_t);

/*
 * Add a list of words as one source.  With -d, as GNU parallel reads
 * them, each word is a record followed by the delimiter: a word that
 * holds the delimiter is several records ("a:b:" is a, b and "" with
 * -d :).  The first byte of each delimiter found becomes a NUL, so that
 * every record ends with one, as a word does.  Without -d a word is one
 * record whatever it holds (GNU parallel splits it at newlines).
 */
void
input_add_words(struct input *in, char *const *words, size_t n, int linked)
{
	struct input_src *s;
	size_t i, total, off, len;
	char *p, *q;

	s = input_src_add(in, linked);
	total = 0;
	for (i = 0; i < n; i++)
		total += strlen(words[i]) + 1;
	buf_grow(&s->data, total);
	/* The buffer no longer moves: the records may point into it. */
	for (i = 0; i < n; i++) {
		off = s->data.len;
		buf_add(&s->data, words[i], strlen(words[i]) + 1);
		p = s->data.data + off;
		len = s->data.len - off - 1;
		while (in->split_words &&
		    (q = (char *)input_find_delim(in, p, len)) != NULL) {
			*q = '\0';
			input_src_push(s, p, (size_t)(q - p));
			len -= (size_t)(q - p) + in->delim_len;
			p = q + in->delim_len;
		}
		input_src_push(s, p, len);
	}
}

/* Set the end-of-file string. */
void
input_set_eof(struct input *in, const char *eof)
{
	if (in->started)
		BUG("input_set_eof after input_start");
	free(in->eofstr);
	in->eofstr = xstrdup(eof);
	in->eoflen = strlen(eof);
}

/* 1 when the record p[0, len) is the end-of-file string. */
static int
input_is_eof(const struct input *in, const char *p, size_t len)
{
	return in->eofstr && len == in->eoflen &&
	    memcmp(p, in->eofstr, len) == 0;
}

/* -E: a source read whole ends before its end-of-file record. */
static void
input_src_cut(const struct input *in, struct input_src *s)
{
	size_t i;

	for (i = 0; i < s->nvals; i++)
		if (input_is_eof(in, s->vals[i].s, s->vals[i].len)) {
			s->nvals = i;
			return;
		}
}

static void
input_src_close(struct input_src *s)
{
	if (s->ownfd)
		close(s->fd);
	s->fd = -1;
	s->ownfd = 0;
}

/* Find the delimiter in p[0, len), or NULL. */
static const char *
input_find_delim(const struct input *in, const char *p, size_t len)
{
	const char *d, *q, *end = p + len, *from = p;
	int odd = 0;

	if (in->flags & INPUT_CSV) {
		/* p is where the record starts: count its quotes. */
		for (;;) {
			d = in->delim_len == 1 ?
			    memchr(from, in->delim[0], (size_t)(end - from)) :
			    memmem(from, (size_t)(end - from), in->delim,
			    in->delim_len);
			if (d == NULL)
				return NULL;
			for (q = from; (q = memchr(q, '"', (size_t)(d - q))) !=
			    NULL; q++)
				odd = !odd;
			if (!odd)
				return d;
			from = d + in->delim_len;
		}
	}
	if (in->delim_len == 1)
		return memchr(p, in->delim[0], len);
	return memmem(p, len, in->delim, in->delim_len);
}

/* Read a whole file source and cut it into records. */
static int
input_src_slurp(struct input *in, struct input_src *s)
{
	const char *p, *end, *d;
	ssize_t r;

	for (;;) {
		buf_grow(&s->data, INPUT_READ_SIZE);
		r = read(s->fd, s->data.data + s->data.len,
		    s->data.cap - s->data.len - 1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (r == 0)
			break;
		s->data.len += (size_t)r;
	}
	s->data.data[s->data.len] = '\0';
	input_src_close(s);

	p = s->data.data;
	end = p + s->data.len;
	while (p < end) {
		d = input_find_delim(in, p, (size_t)(end - p));
		if (d == NULL) {
			input_src_push(s, p, (size_t)(end - p));
			break;
		}
		input_src_push(s, p, (size_t)(d - p));
		p = d + in->delim_len;
	}
	return 0;
}

/* Split the sources into groups of linked ones and size each group. */
static void
input_make_groups(struct input *in)
{
	struct input_group *g;
	size_t i, j, n;

	in->grp = xreallocarray(NULL, in->nsrc ? in->nsrc : 1,
	    sizeof(*in->grp));
	in->ngrp = 0;
	for (i = 0; i < in->nsrc; i++) {
		if (i == 0 || (!(in->flags & INPUT_LINK_ALL) &&
		    !in->src[i].linked)) {
			g = &in->grp[in->ngrp++];
			g->first = i;
			g->n = 0;
		}
		in->grp[in->ngrp - 1].n++;
	}
	for (i = 0; i < in->ngrp; i++) {
		g = &in->grp[i];
		g->idx = 0;
		/*
		 * A linked group stops at its shortest member; under --link
		 * the group is as long as its longest and the others wrap,
		 * but an empty member still empties it.  A streamed source
		 * does not count: its length is not known yet.
		 */
		g->len = (in->flags & INPUT_LINK_ALL) ? 0 : SIZE_MAX;
		for (j = g->first; j < g->first + g->n; j++) {
			if (in->streamed && j == 0)
				continue;
			n = in->src[j].nvals;
			if (n == 0) {
				g->len = 0;
				break;
			}
			if (in->flags & INPUT_LINK_ALL ? n > g->len :
			    n < g->len)
				g->len = n;
		}
	}
}

/*
 * Take the first value of every source read whole as its header.  The
 * stream's header is taken by input_next(), once it has arrived.
 */
static void
input_split_headers(struct input *in)
{
	struct input_src *s;
	size_t i;

	in->hdr = xcalloc(in->nsrc ? in->nsrc : 1, sizeof(*in->hdr));
	for (i = 0; i < in->nsrc; i++) {
		s = &in->src[i];
		in->hdr[i].s = "";
		if ((in->streamed && i == 0) || s->nvals == 0)
			continue;
		in->hdr[i] = s->vals[0];
		memmove(s->vals, s->vals + 1, (s->nvals - 1) * sizeof(*s->vals));
		s->nvals--;
	}
	in->header_pending = 1;
}

/*
 * --skip-first-line: drop the first record of source s, as GNU parallel
 * does: a word of a ::: list, or what a file holds up to and with the
 * first delimiter, read a byte at a time so that nothing after it is
 * taken.  Returns 0, or -1 with errno set.
 */
static int
input_skip_line(const struct input *in, struct input_src *s)
{
	char last[64];
	size_t n = 0, m = in->delim_len < sizeof(last) ? in->delim_len :
	    sizeof(last);
	ssize_t r;
	char c;

	if (s->path == NULL) {
		if (s->nvals > 0)
			memmove(s->vals, s->vals + 1,
			    --s->nvals * sizeof(*s->vals));
		return 0;
	}
	for (;;) {
		r = read(s->fd, &c, 1);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			return (int)r;
		/* the last m bytes read, to meet the delimiter */
		if (n == m) {
			memmove(last, last + 1, m - 1);
			n--;
		}
		last[n++] = c;
		if (n == m && memcmp(last, in->delim + in->delim_len - m,
		    m) == 0)
			return 0;
	}
}

/* One more value of the first source, in the order read: for input_crnl(). */
static void
input_note_first(struct input *in, const char *p, size_t len)
{
	if (in->crnl != 0)
		return;
	if (len == 0 || p[len - 1] != '\r')
		in->crnl = -1;
	else if (++in->ncrnl == 3)
		in->crnl = 1;
}

/* Open every file and read the sources that are not streamed. */
int
input_start(struct input *in)
{
	struct input_src *s;
	size_t i;

	if (in->started)
		BUG("input_start called twice");
	in->culprit = NULL;
	for (i = 0; i < in->nsrc; i++) {
		s = &in->src[i];
		if (s->path == NULL)
			continue;
		if (strcmp(s->path, "-") == 0) {
			s->fd = 0;
		} else {
			s->fd = open(s->path, O_RDONLY | O_CLOEXEC);
			if (s->fd < 0) {
				in->culprit = s->path;
				return -1;
			}
			s->ownfd = 1;
		}
	}
	if (in->nsrc > 0 && (in->flags & INPUT_SKIP_LINE) &&
	    input_skip_line(in, &in->src[0]) == -1) {
		in->culprit = in->src[0].path;
		return -1;
	}
	in->streamed = in->nsrc > 0 && in->src[0].path != NULL &&
	    !(in->flags & INPUT_LINK_ALL);
	for (i = in->streamed ? 1 : 0; i < in->nsrc; i++) {
		s = &in->src[i];
		if (s->path != NULL && input_src_slurp(in, s) < 0) {
			in->culprit = s->path;
			return -1;
		}
		input_src_cut(in, s);
	}
	if (in->flags & INPUT_HEADER)
		input_split_headers(in);
	/*
	 * As in GNU parallel, among several sources one with no value (an
	 * empty file, or -E at its first) counts as one empty value, unless
	 * every source is empty: then no job runs.  The stream:
	 * input_next().
	 */
	for (i = in->streamed ? 1 : 0; i < in->nsrc; i++)
		if (in->src[i].nvals > 0)
			in->any_vals = 1;
	for (i = in->streamed ? 1 : 0; in->nsrc > 1 && i < in->nsrc; i++)
		if (in->src[i].nvals == 0 && (in->any_vals || in->streamed))
			input_src_push(&in->src[i], "", 0);
	if (!in->streamed && in->nsrc > 0)
		for (i = 0; i < in->src[0].nvals && i < 3; i++)
			input_note_first(in, in->src[0].vals[i].s,
			    in->src[0].vals[i].len);
	input_make_groups(in);
	in->tuple = xreallocarray(NULL, in->nsrc ? in->nsrc : 1,
	    sizeof(*in->tuple));
	in->need_record = in->streamed;
	for (i = 0; i < in->ngrp; i++)
		if (in->grp[i].len == 0)
			in->done = 1;
	if (in->nsrc == 0)
		in->done = 1;
	in->started = 1;
	return 0;
}

/*
 * Take the next record of the stream.  Returns INPUT_OK, INPUT_AGAIN when
 * it is not complete yet, or INPUT_END.
 */
static int
input_take_record(struct input *in)
{
	struct buf *b = &in->src[0].data;
	const char *d;
	size_t from;

	in->start = in->next;
	if (in->scan < in->start)
		in->scan = in->start;
	from = in->scan;
	d = from < b->len ? input_find_delim(in, b->data + from,
	    b->len - from) : NULL;
	if (d != NULL) {
		in->reclen = (size_t)(d - b->data) - in->start;
		in->next = in->start + in->reclen + in->delim_len;
		in->scan = in->next;
		/* -E: the rest is not read (the caller sets done). */
		if (input_is_eof(in, b->data + in->start, in->reclen))
			return INPUT_END;
		input_note_first(in, b->data + in->start, in->reclen);
		return INPUT_OK;
	}
	if (!in->eof) {
		/* A delimiter may begin in the last delim_len - 1 bytes. */
		if (b->len - in->start >= in->delim_len &&
		    !(in->flags & INPUT_CSV))	/* it counts from the start */
			in->scan = b->len - (in->delim_len - 1);
		return INPUT_AGAIN;
	}
	if (in->start == b->len)
		return INPUT_END;
	in->reclen = b->len - in->start;
	in->next = b->len;
	in->scan = b->len;
	if (input_is_eof(in, b->data + in->start, in->reclen))
		return INPUT_END;
	input_note_first(in, b->data + in->start, in->reclen);
	return INPUT_OK;
}

/*
 * Turn the odometer of the whole groups.  Returns 1, or 0 when every one
 * rolled over.
 */
static int
input_step(struct input *in)
{
	struct input_group *g;
	size_t i, lo;

	lo = in->streamed ? 1 : 0;
	for (i = in->ngrp; i > lo; i--) {
		g = &in->grp[i - 1];
		if (++g->idx < g->len)
			return 1;
		g->idx = 0;
	}
	return 0;
}

/* Hand out the headers: the first tuple under INPUT_HEADER. */
static int
input_next_header(struct input *in)
{
	struct buf *b;
	int r;

	if (in->streamed) {
		r = input_take_record(in);
		if (r != INPUT_OK) {
			if (r == INPUT_END)
				in->done = 1;
			return r;
		}
		b = &in->src[0].data;
		buf_add(&in->hdrbuf, b->data + in->start, in->reclen);
		in->hdr[0].s = in->hdrbuf.data;
		in->hdr[0].len = in->hdrbuf.len;
	}
	memcpy(in->tuple, in->hdr, in->nsrc * sizeof(*in->tuple));
	in->header_pending = 0;
	return INPUT_OK;
}

/* Produce the next tuple. */
int
input_next(struct input *in, const struct arg **args, size_t *nargs)
{
	const struct input_src *s;
	const struct input_group *g;
	size_t i, j, k;
	int r;

	if (!in->started)
		BUG("input_next before input_start");
	if (in->done)
		return INPUT_END;
	if (in->header_pending) {
		r = input_next_header(in);
		if (r == INPUT_OK) {
			*args = in->tuple;
			*nargs = in->nsrc;
		}
		return r;
	}
	if (in->need_step) {
		in->need_step = 0;
		if (!input_step(in)) {
			if (!in->streamed) {
				in->done = 1;
				return INPUT_END;
			}
			in->need_record = 1;
		}
	}
	if (in->need_record) {
		if (in->taken == in->grp[0].len) {
			/* A linked member of the stream ran out. */
			in->done = 1;
			return INPUT_END;
		}
		r = in->stream_over ? INPUT_END : input_take_record(in);
		if (r == INPUT_END && in->taken == 0 && in->any_vals) {
			/* An empty stream among several sources: "". */
			in->reclen = 0;
			in->stream_over = 1;
			r = INPUT_OK;
		}
		if (r != INPUT_OK) {
			if (r == INPUT_END)
				in->done = 1;
			return r;
		}
		in->need_record = 0;
		in->grp[0].idx = in->taken++;
	}

	for (i = 0; i < in->ngrp; i++) {
		g = &in->grp[i];
		for (j = g->first; j < g->first + g->n; j++) {
			s = &in->src[j];
			if (in->streamed && j == 0) {
				in->tuple[0].s = s->data.data + in->start;
				in->tuple[0].len = in->reclen;
				continue;
			}
			k = g->idx;
			if (k >= s->nvals)
				k %= s->nvals;
			in->tuple[j] = s->vals[k];
		}
	}
	in->need_step = 1;
	*args = in->tuple;
	*nargs = in->nsrc;
	return INPUT_OK;
}

/* Did the first three values of the first source end in \r? */
int
input_crnl(const struct input *in)
{
	return in->crnl == 1;
}

/* The descriptor to wait on after INPUT_AGAIN. */
int
input_pollfd(const struct input *in)
{
	if (!in->started || !in->streamed || in->eof || in->done)
		return -1;
	return in->src[0].fd;
}

/* Read once from the stream. */
int
input_read(struct input *in)
{
	struct input_src *s;
	struct buf *b;
	ssize_t r;
	size_t off;

	if (input_pollfd(in) < 0)
		return 0;
	s = &in->src[0];
	b = &s->data;
	/*
	 * Drop what was consumed before reading more.  In the normal
	 * protocol only a partial record remains, and it moves once:
	 * afterwards start stays 0 until the record completes.
	 */
	off = in->need_record ? in->next : in->start;
	if (off > 0) {
		buf_consume(b, off);
		in->start -= off < in->start ? off : in->start;
		in->next -= off;
		in->scan = in->scan > off ? in->scan - off : 0;
	}
	buf_grow(b, INPUT_READ_SIZE);
	r = read(s->fd, b->data + b->len, INPUT_READ_SIZE);
	if (r < 0) {
		in->culprit = s->path;
		return -1;
	}
	if (r == 0) {
		in->eof = 1;
		input_src_close(s);
		return 0;
	}
	b->len += (size_t)r;
	b->data[b->len] = '\0';
	return 0;
}

/* The number of tuples, when known up front. */
long long
input_total(const struct input *in)
{
	long long n = 1;
	size_t i;

	if (!in->started || in->streamed)
		return -1;
	if (in->nsrc == 0)
		return 0;
	for (i = 0; i < in->ngrp; i++) {
		if (in->grp[i].len == 0)
			return 0;
		if (n > LLONG_MAX / (long long)in->grp[i].len)
			return -1;
		n *= (long long)in->grp[i].len;
	}
	return n;
}

/* The number of sources. */
size_t
input_nsources(const struct input *in)
{
	return in->nsrc;
}

/* The source named in the last error. */
const char *
input_culprit(const struct input *in)
{
	return in->culprit;
}

/* 1 when the tuple is blank. */
int
input_blank(const struct arg *args, size_t nargs)
{
	size_t i, k;

	for (i = 0; i < nargs; i++)
		for (k = 0; k < args[i].len; k++)
			if (args[i].s[k] != ' ' && args[i].s[k] != '\t' &&
			    args[i].s[k] != '\n' && args[i].s[k] != '\r')
				return 0;
	return 1;
}

/* The value of a hex digit. */
int
input_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Parse a -d argument with its C escapes. */
char *
input_parse_delim(const char *spec, size_t *len)
{
	static const char from[] = "ntrabfv\\", to[] = "\n\t\r\a\b\f\v\\";
	struct buf b = BUF_INIT;
	const char *p, *q;
	unsigned v;
	int i, h;

	if (spec == NULL || *spec == '\0') {
		errno = EINVAL;
		return NULL;
	}
	for (p = spec; *p != '\0'; p++) {
		if (*p != '\\') {
			buf_addch(&b, *p);
			continue;
		}
		p++;
		if (*p != '\0' && (q = strchr(from, *p)) != NULL) {
			buf_addch(&b, to[q - from]);
			continue;
		}
		switch (*p) {
		case 'x':
			v = 0;
			for (i = 0; i < 2 && (h = input_hexval(p[1])) >= 0;
			    i++, p++)
				v = v * 16 + (unsigned)h;
			if (i == 0)
				goto bad;
			buf_addch(&b, (int)v);
			break;
		case '0': case '1': case '2': case '3':
		case '4': case '5': case '6': case '7':
			v = (unsigned)(*p - '0');
			for (i = 1; i < 3 && p[1] >= '0' && p[1] <= '7';
			    i++, p++)
				v = v * 8 + (unsigned)(p[1] - '0');
			if (v > 0377)
				goto bad;
			buf_addch(&b, (int)v);
			break;
		default:
			/* A trailing backslash or an unknown escape. */
			goto bad;
		}
	}
	return buf_detach(&b, len);
bad:
	buf_release(&b);
	errno = EINVAL;
	return NULL;
}

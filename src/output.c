/*
 * Job output: temporary files for grouped output, pipes for line mode,
 * and the ordered, tagged copy to parx's own stdout and stderr.
 *
 * DESIGN: every job's output is kept in a record, sorted by sequence
 * number.  In group mode a record is made when the job finishes (and only
 * kept when -k holds it); in line mode when the job starts, since its
 * pipes must be read while it runs.  Grouped blocks are copied with
 * sendfile where nothing has to be added, so large outputs never pass
 * through user space.
 */
#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "job.h"
#include "msg.h"
#include "sys.h"
#include "xalloc.h"

#define OUTPUT_CHUNK	65536

struct orec {
	unsigned long long	 seq;
	int			 fd[2];		/* job's stdout, stderr */
	struct buf		 pend[2];	/* line mode: bytes not yet written */
	int			 bol[2];	/* at the beginning of a line */
	char			*tag;
	size_t			 taglen;
	int			 finished;
	int			 discard;
	struct orec		*next;
};

struct output {
	struct output_opts	 o;
	struct orec		*head;		/* sorted by seq */
	struct orec		*tail;
	size_t			 held_fds;
	unsigned long long	 next_seq;	/* -k: next block to write */
	int			 broken;
	int			 failed;
	struct buf		 scratch;
	struct buf		 wbuf;		/* small writes, coalesced */
	int			 wfd;		/* the descriptor wbuf is for */
};

/* Writes smaller than this are gathered into one. */
#define OUTPUT_COALESCE	(64 * 1024)

/* Create the output. */
struct output *
output_new(const struct output_opts *opts)
{
	struct output *o = xcalloc(1, sizeof(*o));

	o->o = *opts;
	o->next_seq = 1;
	o->wfd = -1;
	buf_init(&o->scratch);
	buf_init(&o->wbuf);
	return o;
}

static void
orec_free(struct orec *r)
{
	int i;

	for (i = 0; i < 2; i++) {
		if (r->fd[i] >= 0)
			close(r->fd[i]);
		buf_release(&r->pend[i]);
	}
	free(r->tag);
	free(r);
}

/* Free the output and anything it still holds. */
void
output_free(struct output *o)
{
	struct orec *r, *next;

	for (r = o->head; r; r = next) {
		next = r->next;
		orec_free(r);
	}
	output_flush(o);
	buf_release(&o->scratch);
	buf_release(&o->wbuf);
	free(o);
}

static int
output_wait_writable(struct output *o, int fd)
{
	struct pollfd pfd = { fd, POLLOUT, 0 };

	for (;;) {
		if (poll(&pfd, 1, -1) >= 0)
			return 0;
		if (errno != EINTR)
			return -1;
		if (o->o.interrupted && o->o.interrupted())
			return -1;
	}
}

/* Decide whether a failed write ends all output; report it once. */
static int
output_write_error(struct output *o, int fd)
{
	if (fd == 2)
		return -1;	/* nowhere to complain; keep going */
	if (errno == EPIPE) {
		o->broken = 1;
		return -1;
	}
	if (!o->failed)
		msg_error("cannot write output: %s", strerror(errno));
	o->failed = 1;
	return -1;
}

static int
output_write_now(struct output *o, int fd, const char *p, size_t len)
{
	ssize_t n;

	if (o->broken && fd == 1)
		return -1;
	while (len) {
		n = write(fd, p, len);
		if (n > 0) {
			p += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR) {
			if (o->o.interrupted && o->o.interrupted())
				return -1;
			continue;
		}
		if (n < 0 && errno == EAGAIN) {
			if (output_wait_writable(o, fd) == -1)
				return -1;
			continue;
		}
		if (n == 0)
			errno = EIO;
		return output_write_error(o, fd);
	}
	return 0;
}

/* Write the gathered small writes. */
void
output_flush(struct output *o)
{
	if (o->wbuf.len == 0)
		return;
	output_write_now(o, o->wfd, o->wbuf.data, o->wbuf.len);
	buf_reset(&o->wbuf);
}

/*
 * Write bytes to fd, gathering small writes: thousands of tiny job outputs
 * a second then cost one write(2) per batch.  Bytes for the other stream
 * flush the batch first, so the order between stdout and stderr holds.
 */
static int
output_write(struct output *o, int fd, const char *p, size_t len)
{
	if (o->broken && fd == 1)
		return -1;
	if (o->wbuf.len && (o->wfd != fd ||
	    o->wbuf.len + len > OUTPUT_COALESCE))
		output_flush(o);
	if (len >= OUTPUT_COALESCE)
		return output_write_now(o, fd, p, len);
	o->wfd = fd;
	buf_add(&o->wbuf, p, len);
	return 0;
}

/*
 * Write len bytes, putting tag in front of every line.  *bol says whether
 * p starts a line, and is updated for the next piece.
 */
static int
output_write_tagged(struct output *o, int fd, const char *p, size_t len,
    const char *tag, size_t taglen, int *bol)
{
	struct buf *b = &o->scratch;
	const char *nl;
	size_t n;

	if (taglen == 0) {
		if (len)
			*bol = p[len - 1] == '\n';
		return output_write(o, fd, p, len);
	}
	buf_reset(b);
	while (len) {
		if (*bol)
			buf_add(b, tag, taglen);
		nl = memchr(p, '\n', len);
		n = nl ? (size_t)(nl - p) + 1 : len;
		buf_add(b, p, n);
		*bol = nl != NULL;
		p += n;
		len -= n;
	}
	return output_write(o, fd, b->data, b->len);
}

/* Copy a finished job's temporary file to fd. */
static int
output_copy_file(struct output *o, int fd, int src, struct orec *r, int i)
{
	char chunk[OUTPUT_CHUNK];
	off_t off = 0;
	ssize_t n;

	if (o->broken && fd == 1)
		return -1;
	output_flush(o);
	if (r->taglen == 0) {
		struct stat st;

		if (fstat(src, &st) == -1 || st.st_size == 0)
			return 0;
		while (off < st.st_size) {
			n = sys_copy(fd, src, &off, (size_t)(st.st_size - off));
			if (n > 0)
				continue;
			if (n == 0)
				break;	/* the file shrank */
			if (errno == EINTR) {
				if (o->o.interrupted && o->o.interrupted())
					return -1;
				continue;
			}
			if (errno == EAGAIN) {
				if (output_wait_writable(o, fd) == -1)
					return -1;
				continue;
			}
			return output_write_error(o, fd);
		}
		/* A background child may still be appending: copy that too. */
		while ((n = pread(src, chunk, sizeof(chunk), off)) > 0) {
			if (output_write(o, fd, chunk, (size_t)n) == -1)
				return -1;
			off += n;
		}
		return 0;
	}
	while ((n = pread(src, chunk, sizeof(chunk), off)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (output_write_tagged(o, fd, chunk, (size_t)n, r->tag,
		    r->taglen, &r->bol[i]) == -1)
			return -1;
		off += n;
	}
	return 0;
}

/* Write out what a finished record holds, whatever its mode. */
static void
output_emit(struct output *o, struct orec *r)
{
	int i;

	for (i = 0; i < 2; i++) {
		if (!r->discard) {
			if (r->fd[i] >= 0 && o->o.mode == OUTPUT_GROUP)
				output_copy_file(o, i + 1, r->fd[i], r, i);
			if (r->pend[i].len)
				output_write_tagged(o, i + 1, r->pend[i].data,
				    r->pend[i].len, r->tag, r->taglen,
				    &r->bol[i]);
		}
		buf_release(&r->pend[i]);
		if (r->fd[i] >= 0) {
			close(r->fd[i]);
			r->fd[i] = -1;
			if (o->o.mode == OUTPUT_GROUP)
				o->held_fds--;
		}
	}
}

static void
output_unlink(struct output *o, struct orec *r)
{
	struct orec **pp, *prev = NULL;

	for (pp = &o->head; *pp; prev = *pp, pp = &(*pp)->next)
		if (*pp == r) {
			*pp = r->next;
			if (o->tail == r)
				o->tail = prev;
			return;
		}
	BUG("output record %llu not found", r->seq);
}

static void
output_insert(struct output *o, struct orec *r)
{
	struct orec **pp, *prev = NULL;

	/* Jobs end nearly in order: the right place is usually the tail. */
	if (o->tail == NULL || o->tail->seq < r->seq) {
		r->next = NULL;
		if (o->tail)
			o->tail->next = r;
		else
			o->head = r;
		o->tail = r;
		return;
	}
	for (pp = &o->head; *pp && (*pp)->seq < r->seq;
	    prev = *pp, pp = &(*pp)->next)
		;
	r->next = *pp;
	*pp = r;
	if (r->next == NULL)
		o->tail = r;
	(void)prev;
}

static struct orec *
output_find(struct output *o, unsigned long long seq)
{
	struct orec *r;

	for (r = o->head; r; r = r->next)
		if (r->seq == seq)
			return r;
	return NULL;
}

static struct orec *
orec_new(unsigned long long seq, const char *tag, size_t taglen)
{
	struct orec *r = xcalloc(1, sizeof(*r));

	r->seq = seq;
	r->fd[0] = r->fd[1] = -1;
	r->bol[0] = r->bol[1] = 1;
	buf_init(&r->pend[0]);
	buf_init(&r->pend[1]);
	if (tag && taglen) {
		r->tag = xmemdupz(tag, taglen);
		r->taglen = taglen;
	}
	return r;
}

/* Pass on the complete lines a running line-mode record holds. */
static void
output_lines(struct output *o, struct orec *r)
{
	int i;

	for (i = 0; i < 2; i++) {
		struct buf *b = &r->pend[i];
		char *nl;
		size_t n;

		if (b->len == 0)
			continue;
		nl = memrchr(b->data, '\n', b->len);
		if (nl == NULL)
			continue;
		n = (size_t)(nl - b->data) + 1;
		if (!r->discard)
			output_write_tagged(o, i + 1, b->data, n, r->tag,
			    r->taglen, &r->bol[i]);
		buf_consume(b, n);
	}
}

/* -k: write every record whose turn has come. */
static void
output_advance(struct output *o)
{
	struct orec *r;

	while ((r = o->head) != NULL && r->seq <= o->next_seq) {
		if (!r->finished) {
			/* The oldest running job streams (line mode). */
			output_lines(o, r);
			return;
		}
		output_emit(o, r);
		output_unlink(o, r);
		if (r->seq == o->next_seq)
			o->next_seq++;
		orec_free(r);
	}
}

/* Set up a job's output. */
int
output_prepare(struct output *o, struct job *j, const char *tag,
    size_t taglen)
{
	int p[2][2], i;
	struct orec *r;

	if (j->func) {
		/* A function's output comes back in memory, with the job. */
		if (tag && taglen) {
			j->tag = xmemdupz(tag, taglen);
			j->taglen = taglen;
		}
		return 0;
	}
	switch (o->o.mode) {
	case OUTPUT_UNGROUP:
		return 0;
	case OUTPUT_GROUP:
		j->out_fd = sys_tmpfile(o->o.tmpdir);
		if (j->out_fd == -1)
			return -1;
		j->err_fd = sys_tmpfile(o->o.tmpdir);
		if (j->err_fd == -1) {
			int e = errno;

			close(j->out_fd);
			j->out_fd = -1;
			errno = e;
			return -1;
		}
		if (tag && taglen) {
			j->tag = xmemdupz(tag, taglen);
			j->taglen = taglen;
		}
		/* The child writes through the same descriptions. */
		j->child_fd[1] = j->out_fd;
		j->child_fd[2] = j->err_fd;
		j->child_close &= ~0x6u;
		return 0;
	case OUTPUT_LINE:
		if (sys_pipe(p[0]) == -1)
			return -1;
		if (sys_pipe(p[1]) == -1) {
			int e = errno;

			close(p[0][0]);
			close(p[0][1]);
			errno = e;
			return -1;
		}
		r = orec_new(j->seq, tag, taglen);
		for (i = 0; i < 2; i++) {
			sys_set_nonblock(p[i][0], 1);
			r->fd[i] = p[i][0];
			j->child_fd[i + 1] = p[i][1];
		}
		j->child_close |= 0x6;
		output_insert(o, r);
		return 0;
	}
	BUG("output mode %d", (int)o->o.mode);
}

/* -v: put the job's command in front of its output. */
void
output_announce(struct output *o, struct job *j, const char *s, size_t len)
{
	struct orec *r;

	if (j->func) {
		buf_add(&j->fout[0], s, len);
		return;
	}
	switch (o->o.mode) {
	case OUTPUT_GROUP:
		/* The job appends after it: it shares the file offset. */
		if (j->out_fd >= 0 && write(j->out_fd, s, len) != (ssize_t)len)
			msg_error("cannot buffer output of job %llu: %s",
			    j->seq, strerror(errno));
		return;
	case OUTPUT_LINE:
		r = output_find(o, j->seq);
		if (r)
			buf_add(&r->pend[0], s, len);
		return;
	case OUTPUT_UNGROUP:
		output_write(o, 1, s, len);
		output_flush(o);
		return;
	}
}

/* Read what a line-mode pipe holds; 0 at EOF or when empty, 1 if more. */
static void
output_drain(struct output *o, struct orec *r, int i, int final)
{
	char chunk[OUTPUT_CHUNK];
	ssize_t n;

	for (;;) {
		n = read(r->fd[i], chunk, sizeof(chunk));
		if (n > 0) {
			buf_add(&r->pend[i], chunk, (size_t)n);
			if (!final)
				return;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0 || final) {
			/* Closed, or the job is over: stop listening. */
			if (n == 0 || errno != EAGAIN || final) {
				close(r->fd[i]);
				r->fd[i] = -1;
			}
		}
		return;
	}
}

/* A job is over. */
void
output_job_done(struct output *o, struct job *j, int discard)
{
	struct orec *r;
	int i;

	if (j->func) {
		/* In memory: grouped whatever the mode. */
		r = orec_new(j->seq, NULL, 0);
		r->tag = j->tag;
		r->taglen = j->taglen;
		j->tag = NULL;
		j->taglen = 0;
		for (i = 0; i < 2; i++) {
			struct buf t = r->pend[i];

			r->pend[i] = j->fout[i];
			j->fout[i] = t;
		}
		r->discard = discard;
		r->finished = 1;
		if (!o->o.keep_order) {
			output_emit(o, r);
			orec_free(r);
			return;
		}
		output_insert(o, r);
		output_advance(o);
		return;
	}
	switch (o->o.mode) {
	case OUTPUT_UNGROUP:
		return;
	case OUTPUT_GROUP:
		r = orec_new(j->seq, NULL, 0);
		r->tag = j->tag;
		r->taglen = j->taglen;
		j->tag = NULL;
		j->taglen = 0;
		r->fd[0] = j->out_fd;
		r->fd[1] = j->err_fd;
		j->out_fd = j->err_fd = -1;
		j->child_fd[1] = j->child_fd[2] = -1;
		r->discard = discard;
		r->finished = 1;
		if (!o->o.keep_order) {
			o->held_fds += 2;
			output_emit(o, r);
			orec_free(r);
			return;
		}
		o->held_fds += 2;
		output_insert(o, r);
		output_advance(o);
		return;
	case OUTPUT_LINE:
		r = output_find(o, j->seq);
		if (r == NULL)
			BUG("no output record for job %llu", j->seq);
		for (i = 0; i < 2; i++)
			if (r->fd[i] >= 0)
				output_drain(o, r, i, 1);
		r->discard = discard;
		r->finished = 1;
		if (!o->o.keep_order) {
			output_emit(o, r);
			output_unlink(o, r);
			orec_free(r);
			return;
		}
		output_advance(o);
		return;
	}
}

/* A sequence number without output. */
void
output_skip(struct output *o, unsigned long long seq)
{
	struct orec *r;

	if (!o->o.keep_order)
		return;
	r = orec_new(seq, NULL, 0);
	r->finished = 1;
	output_insert(o, r);
	output_advance(o);
}

/* Write all held output now. */
void
output_flush_all(struct output *o)
{
	struct orec *r;

	while ((r = o->head) != NULL) {
		if (!r->finished)
			BUG("flushing output of running job %llu", r->seq);
		output_emit(o, r);
		output_unlink(o, r);
		if (r->seq >= o->next_seq)
			o->next_seq = r->seq + 1;
		orec_free(r);
	}
}

/* Write text directly. */
int
output_text(struct output *o, int fd, const char *s, size_t len)
{
	return output_write(o, fd, s, len);
}

/* The line-mode pipes of running jobs. */
size_t
output_pollfds(struct output *o, struct pollfd *pfd, size_t max)
{
	struct orec *r;
	size_t k = 0;
	int i;

	if (o->o.mode != OUTPUT_LINE)
		return 0;
	for (r = o->head; r; r = r->next) {
		if (r->finished)
			continue;
		for (i = 0; i < 2; i++) {
			if (r->fd[i] < 0 || k >= max)
				continue;
			pfd[k].fd = r->fd[i];
			pfd[k].events = POLLIN;
			pfd[k].revents = 0;
			k++;
		}
	}
	return k;
}

/* Read the pipes that poll() found ready. */
void
output_events(struct output *o, const struct pollfd *pfd, size_t n)
{
	struct orec *r;
	size_t k = 0;
	int i, moved = 0;

	if (o->o.mode != OUTPUT_LINE)
		return;
	/* pfd is in the order output_pollfds() produced. */
	for (r = o->head; r && k < n; r = r->next) {
		if (r->finished)
			continue;
		for (i = 0; i < 2 && k < n; i++) {
			if (r->fd[i] < 0 || pfd[k].fd != r->fd[i])
				continue;
			if (pfd[k].revents) {
				output_drain(o, r, i, 0);
				moved = 1;
			}
			k++;
		}
		if (moved && !o->o.keep_order)
			output_lines(o, r);
		moved = 0;
	}
	if (o->o.keep_order)
		output_advance(o);
}

/* Descriptors held for -k. */
size_t
output_held_fds(const struct output *o)
{
	return o->held_fds;
}

/* Descriptors a running job costs parx. */
size_t
output_fds_per_job(const struct output *o)
{
	/* A line-mode job holds both pipe ends until its child has them. */
	switch (o->o.mode) {
	case OUTPUT_GROUP:
		return 2;
	case OUTPUT_LINE:
		return 4;
	default:
		return 0;
	}
}

/* Whether stdout is gone. */
int
output_broken(const struct output *o)
{
	return o->broken;
}

/* Whether a write failed. */
int
output_failed(const struct output *o)
{
	return o->failed;
}

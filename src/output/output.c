/* SPDX-License-Identifier: ISC */
/*
 * Job output: temporary files for grouped output, pipes for line mode,
 * and the ordered, tagged copy to parx's own stdout and stderr.
 *
 * DESIGN: every job's output is kept in a record, sorted by sequence
 * number, made when the job starts.  In line and group mode the job
 * writes into two pipes that the main loop reads while it runs.
 *
 * Group mode moves what the pipes hold into spool files (splice(2): the
 * bytes never pass through user space) and copies them out with sendfile
 * when the job's turn comes.  A job never writes to a file itself, so a
 * full file system cannot make its writes fail: when a spool file cannot
 * grow, parx goes on in a new one in the next place (/dev/shm while it
 * has room to spare, then /tmp, then /var/tmp; only the --tmpdir or
 * $TMPDIR the user set, when set), chaining the pieces.  When no place
 * has room, the job's pipe is no longer read, so the job waits in
 * write(2) and nothing is lost; and so that the run can go on, one job
 * (with -k the oldest one) becomes the one being printed: what it spooled
 * is written out, which frees room, and from then on its pipes are copied
 * straight to parx's stdout and stderr, while the others' output is held
 * back until it ends.
 *
 * With --results or --files the job writes to its own files, and a full
 * file system there is reported: parx cannot hold that output elsewhere.
 *
 * With --compress, group mode's pipes are not read by parx: each stream's
 * pipe is the standard input of a compressor (spawn_helper) whose
 * standard output is the stream's one spool file.  When the job ends,
 * parx waits for the compressor, which ends at the pipe's EOF; when the
 * job's turn comes, a decompressor reads the file back into a pipe that
 * parx copies out.  A compressor or decompressor that fails is reported,
 * naming it, and fails parx's exit status; a full file system is one of
 * the compressor's failures (the file cannot move to another place).
 * Both are children of parx's main process or thread, reaped by their
 * pid only (as every child of parx is), each in a process group of its
 * own that parx kills when the output is dropped (Ctrl-C, --halt now).
 */
#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "job.h"
#include "loop.h"
#include "msg.h"
#include "queue.h"
#include "results.h"
#include "results_table.h"
#include "spawn.h"
#include "sys.h"
#include "xalloc.h"

#define OUTPUT_CHUNK	65536

/* Where spool files may go, in order of preference; see DESIGN. */
#define OUTPUT_MAXPLACE	3

/*
 * A place for spool files.  New spool files go to a place with
 * only_while_roomy set only while its file system has room to spare
 * (sys_dir_roomy).  output_places() sets it for the default /dev/shm
 * alone: that is memory the whole machine shares, which big outputs, or
 * many held back by -k, would run full.  A place the user chose
 * (--tmpdir, $TMPDIR) or a test gave ($PARX_TEST_SPOOL) is used till it
 * is full, whatever its path.
 */
struct oplace {
	const char		*dir;
	int			 only_while_roomy;
	int			 full;		/* took no more: left for now */
};

struct orec {
	unsigned long long	 seq;
	int			 fd[2];		/* job's stdout, stderr */
	/*
	 * Line mode: bytes not yet written.  Group mode: what -v put in
	 * front of the job's output.
	 */
	struct buf		 pend[2];
	size_t			 nl_none[2];	/* pend[i]'s first bytes, with
						   no newline: line mode */
	int			 bol[2];	/* at the beginning of a line */
	unsigned long long	 nread;		/* stdout bytes read */
	/* Group mode: the spool files, in order, and the last one's place. */
	int			*seg[2];
	size_t			 nseg[2];
	int			 segplace[2];
	/* Group mode, bytes read that no spool file took yet. */
	struct buf		 carry[2];
	char			*tag;
	size_t			 taglen;
	/* --color: the tag starts with a colour code of colorlen bytes. */
	int			 colored;
	int			 colored_red;	/* --color-failed's */
	size_t			 colorlen;
	int			 failed;	/* the job failed */
	/*
	 * --compress: the compressor of each stream (-1 once reaped), and
	 * whether it failed; zipped: the spool files are compressed.
	 */
	pid_t			 zpid[2];
	int			 zfailed[2];
	int			 zipped;
	/* Its fds counted in held_fds: spool files, and pipes once over. */
	size_t			 nheld;
	int			 spooled;	/* group mode, through pipes */
	int			 blocked;	/* no place has room: not read */
	int			 finished;
	int			 discard;
	/*
	 * A row of the --results table: the fields before the output, and
	 * the job's number of values.  The output is what pend holds (a
	 * function's, or --files' name), then the job's files in fd.
	 */
	int			 table;
	int			 table_name;	/* --files: pend[0] names it */
	struct buf		 head;
	size_t			 nvals;
	TAILQ_ENTRY(orec)	 link;
};

TAILQ_HEAD(orecq, orec);

struct output {
	struct output_opts	 o;
	struct orecq		 recs;		/* sorted by seq */
	size_t			 held_fds;
	unsigned long long	 next_seq;	/* -k: next block to write */
	unsigned long long	 max_seq;	/* the highest seq written */
	int			 broken;
	int			 failed;
	struct buf		 scratch;
	struct buf		 wbuf;		/* small writes, coalesced */
	int			 wfd;		/* the descriptor wbuf is for */
	/* Group mode: the spool places. */
	struct oplace		 place[OUTPUT_MAXPLACE];
	int			 nplaces;
	int			 nblocked;	/* records not read for want of room */
	struct orec		*live;		/* copied straight out, or NULL */
	int			 spool_failed;	/* a spool error was reported */
	size_t			 pipe_size;	/* group mode: stdout pipes */
	char			*test_places;	/* $PARX_TEST_SPOOL's copy */
};

/* Writes smaller than this are gathered into one. */
#define OUTPUT_COALESCE	(64 * 1024)

/* What ends a --color line, before its newline. */
#define OUTPUT_COLOR_END	"\033[m"

/* Add a place for spool files; see struct oplace for only_while_roomy. */
static void
output_add_place(struct output *o, const char *dir, int only_while_roomy)
{
	o->place[o->nplaces].dir = dir;
	o->place[o->nplaces].only_while_roomy = only_while_roomy;
	o->nplaces++;
}

/*
 * The places for spool files: what the user chose (--tmpdir, then
 * $TMPDIR), else /dev/shm while it has room to spare, /tmp and /var/tmp.
 */
static void
output_places(struct output *o)
{
	const char *dir = o->o.tmpdir;

	if (dir == NULL || *dir == '\0')
		dir = getenv("TMPDIR");
	if (dir && *dir) {
		output_add_place(o, dir, 0);
		return;
	}
	dir = getenv("PARX_TEST_SPOOL");
	if (dir && *dir) {
		char *p, *save = NULL;

		/* A test hook: the places, ':'-separated, instead. */
		o->test_places = xstrdup(dir);
		for (p = strtok_r(o->test_places, ":", &save);
		    p && o->nplaces < OUTPUT_MAXPLACE;
		    p = strtok_r(NULL, ":", &save))
			output_add_place(o, p, 0);
		if (o->nplaces)
			return;
	}
	if (access("/dev/shm", W_OK) == 0)
		output_add_place(o, "/dev/shm", 1);
	output_add_place(o, "/tmp", 0);
	output_add_place(o, "/var/tmp", 0);
}

/* Create the output. */
struct output *
output_new(const struct output_opts *opts)
{
	struct output *o = xcalloc(1, sizeof(*o));

	TAILQ_INIT(&o->recs);

	o->o = *opts;
	o->next_seq = 1;
	o->wfd = -1;
	buf_init(&o->scratch);
	buf_init(&o->wbuf);
	output_places(o);
	return o;
}

/* Close a record's spool files; return how many there were. */
static size_t
orec_close_segs(struct orec *r)
{
	size_t k, n = 0;
	int i;

	for (i = 0; i < 2; i++) {
		for (k = 0; k < r->nseg[i]; k++)
			close(r->seg[i][k]);
		n += r->nseg[i];
		free(r->seg[i]);
		r->seg[i] = NULL;
		r->nseg[i] = 0;
	}
	return n;
}

static void
orec_free(struct orec *r)
{
	int i;

	for (i = 0; i < 2; i++) {
		if (r->zpid[i] > 0) {
			/* Its output is dropped: do not wait for its end. */
			kill(-r->zpid[i], SIGKILL);
			while (waitpid(r->zpid[i], NULL, 0) == -1 &&
			    errno == EINTR)
				;
		}
	}
	orec_close_segs(r);
	for (i = 0; i < 2; i++) {
		if (r->fd[i] >= 0)
			close(r->fd[i]);
		buf_release(&r->pend[i]);
		buf_release(&r->carry[i]);
	}
	buf_release(&r->head);
	free(r->tag);
	free(r);
}

/* The descriptors a finished record keeps open. */
static size_t
orec_fds(const struct orec *r)
{
	return (r->fd[0] >= 0) + (r->fd[1] >= 0) + r->nseg[0] + r->nseg[1];
}

/* Free the output and anything it still holds. */
void
output_free(struct output *o)
{
	struct orec *r, *next;

	TAILQ_FOREACH_SAFE(r, &o->recs, link, next)
		orec_free(r);
	output_flush(o);
	buf_release(&o->scratch);
	buf_release(&o->wbuf);
	free(o->test_places);
	free(o);
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
	if (o->broken && fd == 1)
		return -1;
	if (len && o->o.writing)
		o->o.writing(o->o.writing_ctx, fd);
	if (sys_write_all(fd, p, len, o->o.stop) == -1) {
		if (errno == EINTR)
			return -1;	/* Ctrl-C while fd was blocked */
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
 * Write len bytes of r's stream i, putting r's tag in front of every line
 * (and, when it is coloured, the end of the colour before every newline).
 * r->bol[i] says whether p starts a line, and is updated for the next
 * piece.
 */
static int
output_write_tagged(struct output *o, int fd, const char *p, size_t len,
    struct orec *r, int i)
{
	struct buf *b = &o->scratch;
	const char *nl;
	size_t n;

	if (r->taglen == 0) {
		if (len)
			r->bol[i] = p[len - 1] == '\n';
		return output_write(o, fd, p, len);
	}
	buf_reset(b);
	while (len) {
		if (r->bol[i])
			buf_add(b, r->tag, r->taglen);
		nl = memchr(p, '\n', len);
		n = nl ? (size_t)(nl - p) + 1 : len;
		if (nl && r->colored) {
			buf_add(b, p, n - 1);
			buf_addstr(b, OUTPUT_COLOR_END "\n");
		} else
			buf_add(b, p, n);
		r->bol[i] = nl != NULL;
		p += n;
		len -= n;
	}
	return output_write(o, fd, b->data, b->len);
}

/*
 * --color: GNU parallel's colours, so that the bytes are the same: the
 * pairs of a 256-colour background and black (000) or white (231) text
 * that read well, black text first, ordered so that neighbours differ
 * (by index mod 23 up, then mod 7 down); job N takes pair N mod their
 * number.  --color-failed: white on red.
 */
#define OUTPUT_NCOLOR	307

static const unsigned char output_black_on[][2] = {
	{ 6, 7 }, { 9, 11 }, { 13, 15 }, { 40, 51 }, { 75, 87 },
	{ 113, 123 }, { 147, 159 }, { 171, 182 }, { 185, 231 }, { 249, 254 }
};
static const unsigned char output_white_on[][2] = {
	{ 1, 9 }, { 12, 13 }, { 16, 45 }, { 52, 81 }, { 88, 114 },
	{ 124, 149 }, { 160, 178 }, { 180, 180 }, { 182, 184 },
	{ 196, 214 }, { 232, 250 }
};

static int
output_color_cmp(const void *a, const void *b)
{
	int x = *(const short *)a, y = *(const short *)b;

	if (x % 23 != y % 23)
		return x % 23 - y % 23;
	if (x % 7 != y % 7)
		return y % 7 - x % 7;
	return x - y;
}

static void
output_color_code(unsigned long long seq, int failed, char *out, size_t size)
{
	static short order[OUTPUT_NCOLOR];
	static unsigned char bg[OUTPUT_NCOLOR], fg[OUTPUT_NCOLOR];
	static int made;
	size_t i, n = 0;
	unsigned c;
	int k;

	if (failed) {
		snprintf(out, size, "\033[48;5;196;38;5;231m\033[K");
		return;
	}
	if (!made) {
		for (i = 0; i < sizeof(output_black_on) / 2; i++)
			for (c = output_black_on[i][0];
			    c <= output_black_on[i][1]; c++, n++) {
				bg[n] = (unsigned char)c;
				fg[n] = 0;
			}
		for (i = 0; i < sizeof(output_white_on) / 2; i++)
			for (c = output_white_on[i][0];
			    c <= output_white_on[i][1]; c++, n++) {
				bg[n] = (unsigned char)c;
				fg[n] = 231;
			}
		if (n != OUTPUT_NCOLOR)
			BUG("--color: %zu colours", n);
		for (k = 0; k < OUTPUT_NCOLOR; k++)
			order[k] = (short)k;
		qsort(order, OUTPUT_NCOLOR, sizeof(order[0]),
		    output_color_cmp);
		made = 1;
	}
	k = order[seq % OUTPUT_NCOLOR];
	snprintf(out, size, "\033[48;5;%03u;38;5;%03um\033[K", bg[k], fg[k]);
}

/*
 * Colour the record's tag, once: --color, or --color-failed for a failed
 * job (whose colour replaces the one it had).
 */
static void
output_color(struct output *o, struct orec *r)
{
	struct buf b = BUF_INIT;
	char code[64];
	int red = o->o.color_failed && r->failed;

	if (!(o->o.color || red) || (r->colored && r->colored_red == red))
		return;
	output_color_code(r->seq, red, code, sizeof(code));
	buf_addstr(&b, code);
	if (r->taglen > r->colorlen)
		buf_add(&b, r->tag + r->colorlen, r->taglen - r->colorlen);
	free(r->tag);
	r->tag = buf_detach(&b, &r->taglen);
	r->colorlen = strlen(code);
	r->colored = 1;
	r->colored_red = red;
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
		if (o->o.writing)
			o->o.writing(o->o.writing_ctx, fd);
		if (sys_copy_all(fd, src, &off, st.st_size, o->o.stop) == -1) {
			if (errno == EINTR)
				return -1;	/* Ctrl-C while fd was blocked */
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
		if (output_write_tagged(o, fd, chunk, (size_t)n, r, i) == -1)
			return -1;
		off += n;
	}
	return 0;
}

/*
 * Write out the rest of stream i's pipe to fd i + 1: all it holds, to its
 * end.  The job is over, so the end is EOF, or an empty pipe that only a
 * writer it left behind holds open: nothing more is waited for.  Without a
 * tag the bytes move in the kernel (splice), else through a buffer.  A
 * failed write is reported (output_write_error) and drops the rest, as
 * does a stdout that is gone.  The bytes are not counted: output_job_done
 * counted what the pipe held.  The pipe stays open; the caller closes it.
 */
static void
output_pipe_out(struct output *o, struct orec *r, int i)
{
	char chunk[OUTPUT_CHUNK];
	ssize_t n;
	int avail;

	if (r->fd[i] < 0 || (o->broken && i == 0))
		return;
	if (ioctl(r->fd[i], FIONREAD, &avail) == 0 && avail <= 0)
		return;	/* nothing there: a progress line stays drawn */
	if (r->taglen == 0) {
		output_flush(o);
		if (o->o.writing)
			o->o.writing(o->o.writing_ctx, i + 1);
	}
	while (r->taglen == 0) {
		n = sys_splice_from_pipe(r->fd[i], i + 1, 1 << 20);
		if (n > 0)
			continue;
		if (n == 0)
			return;
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN) {
			/* An empty pipe, or a full stdout? */
			if (ioctl(r->fd[i], FIONREAD, &avail) == -1 ||
			    avail <= 0)
				return;
			if (sys_wait_writable(i + 1, o->o.stop) == -1)
				return;	/* Ctrl-C while it was full */
			continue;
		}
		if (errno == EINVAL)
			break;	/* not here (a terminal): by hand */
		output_write_error(o, i + 1);
		return;
	}
	while (r->fd[i] >= 0) {
		n = read(r->fd[i], chunk, sizeof(chunk));
		if (n > 0) {
			if (output_write_tagged(o, i + 1, chunk, (size_t)n,
			    r, i) == -1)
				return;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		break;	/* the end, or empty with a writer left behind */
	}
}

/* Say that a helper of parx's failed on stream i of r, and how. */
static void
output_helper_failed(struct output *o, const char *what, const char *prg,
    struct orec *r, int i, int st)
{
	const char *stream = i ? "standard error" : "output";

	if (WIFSIGNALED(st))
		msg_error("%s program '%s' failed on the %s of job %llu: "
		    "killed by signal %d", what, prg, stream, r->seq,
		    WTERMSIG(st));
	else
		msg_error("%s program '%s' failed on the %s of job %llu: "
		    "exit status %d", what, prg, stream, r->seq,
		    WEXITSTATUS(st));
	o->failed = 1;
}

/*
 * --compress: wait for stream i's compressor, which ends at its pipe's
 * end.  With discard set the output is dropped: it is killed instead.
 */
static void
output_zwait(struct output *o, struct orec *r, int i, int discard)
{
	int st = 0;

	if (r->zpid[i] <= 0)
		return;
	/*
	 * A child the job left behind may hold the pipe open: Ctrl-C before
	 * or while waiting drops this output, as it drops the running jobs'.
	 * NEEDSWORK: a signal between the check and waitpid() is seen only
	 * when the compressor ends.
	 */
	if (!discard && o->o.stop && o->o.stop->stop())
		discard = 1;
	if (discard)
		kill(-r->zpid[i], SIGKILL);
	while (waitpid(r->zpid[i], &st, 0) == -1 && errno == EINTR)
		if (!discard && o->o.stop && o->o.stop->stop()) {
			discard = 1;
			kill(-r->zpid[i], SIGKILL);
		}
	r->zpid[i] = -1;
	if (discard || (WIFEXITED(st) && WEXITSTATUS(st) == 0))
		return;
	r->zfailed[i] = 1;
	output_helper_failed(o, "compress", o->o.compress, r, i, st);
}

/*
 * --compress: read stream i's spool file back through the decompressor,
 * into into, or (NULL) out to fd i + 1 with r's tag.  A decompressor that
 * fails is reported, unless parx's stdout went first.
 */
static void
output_unzip(struct output *o, struct orec *r, int i, struct buf *into)
{
	char chunk[OUTPUT_CHUNK];
	int q[2], err, st = 0, gone = 0;
	struct stat sb;
	ssize_t n;
	pid_t pid;

	if (r->zfailed[i] || r->nseg[i] == 0)
		return;
	if (fstat(r->seg[i][0], &sb) == 0 && sb.st_size == 0)
		return;		/* the compressor wrote nothing */
	if (into == NULL) {
		if (o->broken && i == 0)
			return;
		output_flush(o);
		if (o->o.writing)
			o->o.writing(o->o.writing_ctx, i + 1);
	}
	if (lseek(r->seg[i][0], 0, SEEK_SET) == -1 || sys_pipe(q) == -1) {
		msg_error("cannot read back the output of job %llu: %s",
		    r->seq, strerror(errno));
		o->failed = 1;
		return;
	}
	err = spawn_helper(o->o.decompress, r->seg[i][0], q[1], &pid);
	close(q[1]);
	if (err) {
		close(q[0]);
		msg_error("cannot run decompress program '%s': %s",
		    o->o.decompress, strerror(err));
		o->failed = 1;
		return;
	}
	while ((n = read(q[0], chunk, sizeof(chunk))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (into)
			buf_add(into, chunk, (size_t)n);
		else if (output_write_tagged(o, i + 1, chunk, (size_t)n,
		    r, i) == -1) {
			gone = 1;	/* said; the rest is dropped */
			break;
		}
	}
	close(q[0]);
	while (waitpid(pid, &st, 0) == -1 && errno == EINTR)
		;
	if (!gone && !(WIFEXITED(st) && WEXITSTATUS(st) == 0))
		output_helper_failed(o, "decompress", o->o.decompress, r, i,
		    st);
}

/*
 * Group mode: write out what a record holds for stream i, in the order
 * it came: the -v line, the spool files, the bytes no file took.  What is
 * still in the pipe comes after them (output_pipe_out).
 */
static void
output_spooled_out(struct output *o, struct orec *r, int i)
{
	size_t k;

	if (r->pend[i].len)
		output_write_tagged(o, i + 1, r->pend[i].data, r->pend[i].len,
		    r, i);
	buf_reset(&r->pend[i]);
	if (r->zipped)
		output_unzip(o, r, i, NULL);
	for (k = 0; k < r->nseg[i] && !r->zipped; k++)
		output_copy_file(o, i + 1, r->seg[i][k], r, i);
	if (r->carry[i].len)
		output_write_tagged(o, i + 1, r->carry[i].data,
		    r->carry[i].len, r, i);
	buf_reset(&r->carry[i]);
}

/*
 * A --results table: read back the record's output and write its row.  A
 * row that cannot be written is reported, naming the job, and fails
 * parx's exit status.
 */
static void
output_table_row(struct output *o, struct orec *r)
{
	struct results_table *t = results_get_table(o->o.results);
	struct buf out[2] = { BUF_INIT, BUF_INIT }, row = BUF_INIT;
	int i;

	for (i = 0; i < 2; i++) {
		buf_add(&out[i], r->pend[i].data, r->pend[i].len);
		if (r->fd[i] >= 0 && sys_read_all(r->fd[i], &out[i]) == -1) {
			msg_error("cannot read the output of job %llu: %s",
			    r->seq, strerror(errno));
			o->failed = 1;
		}
	}
	results_table_row(t, &r->head, r->nvals, r->tag, r->taglen, out,
	    &row);
	if (r->table_name && !results_table_stdout(t)) {
		/* --files still names the file on stdout, as GNU does. */
		buf_addch(&out[0], '\n');
		output_write(o, 1, out[0].data, out[0].len);
	}
	if (results_table_stdout(t)) {
		output_write(o, 1, row.data, row.len);
	} else if (results_table_put(t, row.data, row.len) == -1) {
		msg_error("cannot write job %llu to --results '%s': %s", r->seq,
		    results_table_path(t), strerror(errno));
		o->failed = 1;
	}
	buf_release(&out[0]);
	buf_release(&out[1]);
	buf_release(&row);
}

/* Write out what a finished record holds, whatever its mode. */
static void
output_emit(struct output *o, struct orec *r)
{
	int i;

	if (r->seq > o->max_seq)
		o->max_seq = r->seq;
	if (r->table && !r->discard)
		output_table_row(o, r);
	/* A line mode record's first lines went out before it failed. */
	if (r->spooled || o->o.mode != OUTPUT_LINE)
		output_color(o, r);
	for (i = 0; i < 2; i++) {
		if (!r->discard && !r->table) {
			if (r->spooled) {
				output_spooled_out(o, r, i);
				output_pipe_out(o, r, i);
			} else if (r->pend[i].len)
				output_write_tagged(o, i + 1, r->pend[i].data,
				    r->pend[i].len, r, i);
			/* A coloured last line ends as the others. */
			if (r->colored && !r->bol[i]) {
				output_write(o, i + 1, OUTPUT_COLOR_END "\n",
				    sizeof(OUTPUT_COLOR_END));
				r->bol[i] = 1;
			}
		}
		buf_release(&r->pend[i]);
		buf_release(&r->carry[i]);
		if (r->fd[i] >= 0) {
			close(r->fd[i]);
			r->fd[i] = -1;
		}
	}
}

static void output_room(struct output *);

/* Take a record off the list and free it, with what it held. */
static void
output_release(struct output *o, struct orec *r)
{
	TAILQ_REMOVE(&o->recs, r, link);
	if (r->blocked)
		o->nblocked--;
	if (o->live == r)
		o->live = NULL;
	o->held_fds -= r->nheld;
	if (orec_close_segs(r))
		output_room(o);
	orec_free(r);
}

/* Write a finished record out, then free it. */
static void
output_out(struct output *o, struct orec *r)
{
	output_emit(o, r);
	if (r->seq == o->next_seq)
		o->next_seq++;
	output_release(o, r);
}

static void
output_insert(struct output *o, struct orec *r)
{
	struct orec *at = TAILQ_LAST(&o->recs, orecq);

	/* Jobs end nearly in order: the right place is usually the tail. */
	if (at == NULL || at->seq < r->seq) {
		TAILQ_INSERT_TAIL(&o->recs, r, link);
		return;
	}
	TAILQ_FOREACH(at, &o->recs, link)
		if (at->seq >= r->seq)
			break;
	TAILQ_INSERT_BEFORE(at, r, link);
}

static struct orec *
output_find(struct output *o, unsigned long long seq)
{
	struct orec *r;

	TAILQ_FOREACH(r, &o->recs, link)
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
	r->zpid[0] = r->zpid[1] = -1;
	r->bol[0] = r->bol[1] = 1;
	buf_init(&r->pend[0]);
	buf_init(&r->pend[1]);
	if (tag && taglen) {
		r->tag = xmemdupz(tag, taglen);
		r->taglen = taglen;
	}
	return r;
}

/*
 * Pass on the complete lines a running line-mode record holds.  Only the
 * bytes that came since the last look are searched for a newline, so that
 * a long line costs its length once, not once per read.
 */
static void
output_lines(struct output *o, struct orec *r)
{
	int i;

	for (i = 0; i < 2; i++) {
		struct buf *b = &r->pend[i];
		size_t n, from = r->nl_none[i] <= b->len ? r->nl_none[i] : 0;
		char *nl;

		if (b->len == from)
			continue;
		nl = memrchr(b->data + from, '\n', b->len - from);
		if (nl == NULL) {
			r->nl_none[i] = b->len;
			continue;
		}
		n = (size_t)(nl - b->data) + 1;
		if (!r->discard)
			output_write_tagged(o, i + 1, b->data, n, r, i);
		buf_consume(b, n);
		r->nl_none[i] = b->len;
	}
}

/* -k: write every record whose turn has come. */
static void
output_advance(struct output *o)
{
	struct orec *r;

	while ((r = TAILQ_FIRST(&o->recs)) != NULL && r->seq <= o->next_seq) {
		if (!r->finished) {
			/* The oldest running job streams (line mode). */
			if (!r->spooled)
				output_lines(o, r);
			return;
		}
		output_out(o, r);
	}
}

/*
 * Spool places have room again (a spool file was given back): try every
 * place once more, and read the records that were waiting for room.
 */
static void
output_room(struct output *o)
{
	struct orec *r;
	int p;

	for (p = 0; p < o->nplaces; p++)
		o->place[p].full = 0;
	if (o->nblocked == 0)
		return;
	TAILQ_FOREACH(r, &o->recs, link)
		r->blocked = 0;
	o->nblocked = 0;
}

/*
 * Place p could not take more: leave it for now.  Only a full file
 * system, or no descriptor left for a spool file, is expected; anything
 * else is said once.
 */
static void
output_place_failed(struct output *o, int p, const char *what)
{
	if (errno != ENOSPC && errno != EDQUOT && errno != EFBIG &&
	    errno != EMFILE && errno != ENFILE && !o->spool_failed) {
		msg_warn("cannot %s in '%s': %s", what, o->place[p].dir,
		    strerror(errno));
		o->spool_failed = 1;
	}
	o->place[p].full = 1;
}

/*
 * The spool file that stream i of r writes to now: its last one while its
 * place has room, else a new one in the first place with room.  Returns
 * the descriptor, or -1 when no place has room.
 */
static int
output_seg(struct output *o, struct orec *r, int i)
{
	int p, fd;

	if (r->nseg[i] && !o->place[r->segplace[i]].full)
		return r->seg[i][r->nseg[i] - 1];
	for (p = 0; p < o->nplaces; p++) {
		if (o->place[p].full)
			continue;
		if (o->place[p].only_while_roomy &&
		    !sys_dir_roomy(o->place[p].dir))
			continue;
		fd = sys_tmpfile(o->place[p].dir);
		if (fd == -1) {
			output_place_failed(o, p, "create a spool file");
			continue;
		}
		r->seg[i] = xreallocarray(r->seg[i], r->nseg[i] + 1,
		    sizeof(*r->seg[i]));
		r->seg[i][r->nseg[i]++] = fd;
		r->segplace[i] = p;
		r->nheld++;
		o->held_fds++;
		return fd;
	}
	return -1;
}

/* Stream i of r read n bytes. */
static void
output_count(struct orec *r, int i, ssize_t n)
{
	if (i == 0)
		r->nread += (unsigned long long)n;
}

/*
 * The one record being printed, while its job runs: copy a piece of what
 * stream i's pipe holds straight out, and close the pipe at its end.  One
 * piece a call, so that a job writing without pause cannot keep the loop
 * from the rest; when the job ends, output_pipe_out writes out the rest.
 */
static void
output_live(struct output *o, struct orec *r, int i)
{
	char chunk[OUTPUT_CHUNK];
	ssize_t n;

	while (r->fd[i] >= 0) {
		n = read(r->fd[i], chunk, sizeof(chunk));
		if (n > 0) {
			output_count(r, i, n);
			output_write_tagged(o, i + 1, chunk, (size_t)n, r, i);
			return;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		close(r->fd[i]);	/* the end, or its writers left */
		r->fd[i] = -1;
	}
}

/*
 * Group mode: move what stream i's pipe holds into the record's spool
 * files.  With final set (the job is over), move everything there is and
 * close the pipe.  When no place has room the record is blocked: its pipe
 * is left alone, with the bytes in it, until there is room again.  Not for
 * the record being printed, whose pipe goes straight out (output_live).
 */
static void
output_spool(struct output *o, struct orec *r, int i, int final)
{
	char chunk[OUTPUT_CHUNK];
	ssize_t n;
	int fd;

	while (r->fd[i] >= 0 && !r->blocked) {
		/*
		 * No spool file before the first byte: most jobs write
		 * nothing to one stream or the other.
		 */
		if (r->nseg[i] == 0 && r->carry[i].len == 0) {
			n = read(r->fd[i], chunk, sizeof(chunk));
			if (n > 0) {
				output_count(r, i, n);
				buf_add(&r->carry[i], chunk, (size_t)n);
			} else if (n < 0 && errno == EINTR) {
				continue;
			} else if (n < 0 && errno == EAGAIN && !final) {
				return;
			} else {
				/* The end, or its writers left. */
				close(r->fd[i]);
				r->fd[i] = -1;
				return;
			}
		}
		fd = output_seg(o, r, i);
		if (fd == -1) {
			r->blocked = 1;
			o->nblocked++;
			return;
		}
		if (r->carry[i].len == 0) {
			n = sys_splice_from_pipe(r->fd[i], fd, 1 << 20);
			if (n > 0) {
				output_count(r, i, n);
				if (!final)
					return;
				continue;
			}
			if (n < 0 && errno == EINVAL) {
				/* No splice here: through a buffer. */
				n = read(r->fd[i], chunk, sizeof(chunk));
				if (n > 0) {
					output_count(r, i, n);
					buf_add(&r->carry[i], chunk, (size_t)n);
				}
			}
			if (n < 0 && errno == EINTR)
				continue;
			if (n == 0 || (n < 0 && errno == EAGAIN && final)) {
				close(r->fd[i]);
				r->fd[i] = -1;
				return;
			}
			if (n < 0 && errno == EAGAIN)
				return;
			if (n < 0) {
				output_place_failed(o, r->segplace[i],
				    "buffer output");
				continue;
			}
		}
		n = write(fd, r->carry[i].data, r->carry[i].len);
		if (n > 0) {
			buf_consume(&r->carry[i], (size_t)n);
			if (!final && r->carry[i].len == 0)
				return;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0)
			errno = ENOSPC;
		output_place_failed(o, r->segplace[i], "buffer output");
	}
}

/*
 * Some record waits for room that no place has: make one job the one
 * being printed (with -k the oldest), so that the run goes on.  What it
 * spooled goes out now, which gives room back.
 */
static void
output_relieve(struct output *o)
{
	struct orec *r, *pick = NULL;
	size_t n;
	int i;

	if (o->nblocked == 0 || o->live)
		return;
	if (o->o.keep_order) {
		r = TAILQ_FIRST(&o->recs);
		if (r && r->spooled && !r->finished)
			pick = r;
	} else {
		TAILQ_FOREACH(r, &o->recs, link)
			if (r->blocked && !r->finished) {
				pick = r;
				break;
			}
		if (pick == NULL)
			TAILQ_FOREACH(r, &o->recs, link)
				if (r->spooled && !r->finished) {
					pick = r;
					break;
				}
	}
	if (pick == NULL)
		return;
	o->live = pick;
	if (pick->blocked) {
		pick->blocked = 0;
		o->nblocked--;
	}
	for (i = 0; i < 2; i++)
		output_spooled_out(o, pick, i);
	n = orec_close_segs(pick);
	pick->nheld -= n;
	o->held_fds -= n;
	if (n)
		output_room(o);
}

/* The record being printed ended: write out what waited for it. */
static void
output_unheld(struct output *o)
{
	struct orec *r, *next;

	if (o->o.keep_order) {
		output_advance(o);
		return;
	}
	for (r = TAILQ_FIRST(&o->recs); r && o->live == NULL; r = next) {
		next = TAILQ_NEXT(r, link);
		if (!r->finished)
			continue;
		output_out(o, r);
	}
}

/*
 * --compress: each of the job's pipes p goes to a compressor writing to
 * the record's spool file.  Takes p and r (freed on error).
 */
static int
output_prepare_zip(struct output *o, struct orec *r, struct job *j,
    int p[2][2])
{
	int i, fd, err = 0;

	for (i = 0; i < 2 && err == 0; i++) {
		fd = output_seg(o, r, i);
		if (fd == -1)
			err = errno ? errno : ENOSPC;
		else
			err = spawn_helper(o->o.compress, p[i][0], fd,
			    &r->zpid[i]);
		if (err && fd != -1)
			msg_error("cannot run compress program '%s': %s",
			    o->o.compress, strerror(err));
	}
	for (i = 0; i < 2; i++) {
		close(p[i][0]);
		if (err)
			close(p[i][1]);
		else
			job_set_child_fd(j, i + 1, p[i][1], 1);
	}
	if (err) {
		o->held_fds -= r->nheld;
		orec_free(r);
		errno = err;
		return -1;
	}
	r->zipped = 1;
	output_insert(o, r);
	return 0;
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
	if (o->o.mode == OUTPUT_UNGROUP)
		return 0;
	if (o->o.results) {
		int fd[2];

		if (results_open(o->o.results, j, fd, &j->out_path) == -1)
			return -1;
		j->out_fd = fd[0];
		j->err_fd = fd[1];
		if (tag && taglen) {
			j->tag = xmemdupz(tag, taglen);
			j->taglen = taglen;
		}
		/* The child writes through the same descriptions. */
		job_set_child_fd(j, 1, j->out_fd, 0);
		job_set_child_fd(j, 2, j->err_fd, 0);
		return 0;
	}
	if (sys_pipe(p[0]) == -1)
		return -1;
	if (sys_pipe(p[1]) == -1) {
		int e = errno;

		close(p[0][0]);
		close(p[0][1]);
		errno = e;
		return -1;
	}
	if (o->o.mode == OUTPUT_GROUP && o->pipe_size)
		(void)sys_pipe_grow(p[0][1], o->pipe_size);
	r = orec_new(j->seq, tag, taglen);
	r->spooled = o->o.mode == OUTPUT_GROUP;
	output_color(o, r);
	if (r->spooled && o->o.compress)
		return output_prepare_zip(o, r, j, p);
	for (i = 0; i < 2; i++) {
		sys_set_nonblock(p[i][0], 1);
		r->fd[i] = p[i][0];
		job_set_child_fd(j, i + 1, p[i][1], 1);
	}
	output_insert(o, r);
	return 0;
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
	if (o->o.mode == OUTPUT_UNGROUP) {
		output_write(o, 1, s, len);
		output_flush(o);
		return;
	}
	if (o->o.results) {
		/* The job appends after it: it shares the file offset. */
		if (j->out_fd >= 0 && write(j->out_fd, s, len) != (ssize_t)len)
			msg_error("cannot write '%s': %s", j->out_path ?
			    j->out_path : "output", strerror(errno));
		return;
	}
	r = output_find(o, j->seq);
	if (r)
		buf_add(&r->pend[0], s, len);
}

/*
 * Size the pipes for nslots running jobs.  A job whose output fits in its
 * pipe never waits for parx to move it.  The whole stays within 4 MiB:
 * Linux counts a pipe's size, used or not, against what a user may hold
 * in pipe buffers (fs.pipe-user-pages-soft, 64 MiB by default), and past
 * that it shrinks every new pipe of the user's, other programs' too.
 */
void
output_set_slots(struct output *o, unsigned long nslots)
{
	size_t size = (size_t)1 << 20;

	while (size > 65536 && nslots > 0 && size * nslots > (4u << 20))
		size /= 2;
	o->pipe_size = size > 65536 ? size : 0;
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
			if (i == 0)
				r->nread += (unsigned long long)n;
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

/*
 * --results: the job wrote to its own files, on a file system that is
 * full now: part of its output may have been lost.  Say so, once per job,
 * and fail parx's exit status.
 */
static void
output_check_space(struct output *o, struct job *j)
{
	if (j->out_fd < 0 || !sys_fs_full(j->out_fd))
		return;
	msg_error("the output of job %llu may be incomplete: no space left "
	    "for '%s'", j->seq, j->out_path ? j->out_path :
	    results_tmpdir(o->o.results));
	o->failed = 1;
}

/* --results: the job's files are no longer parx's business. */
static void
output_results_close(struct job *j)
{
	if (j->out_fd >= 0)
		close(j->out_fd);
	if (j->err_fd >= 0)
		close(j->err_fd);
	j->out_fd = j->err_fd = -1;
	j->child_fd[1] = j->child_fd[2] = -1;
}

/* --results: the job has finished; its seq file says so. */
static void
output_results_done(struct output *o, struct job *j)
{
	if (results_done(o->o.results, j) == 0)
		return;
	msg_error("cannot write '%s': %s", results_culprit(o->o.results),
	    strerror(errno));
	o->failed = 1;
}

/*
 * Make r a row of the --results table for finished job j: its fields
 * before the output, and with --files the name of its stdout file in
 * place of its stdout.
 */
static void
output_table_rec(struct output *o, struct orec *r, struct job *j)
{
	r->table = 1;
	r->nvals = j->nargs;
	results_table_head(results_get_table(o->o.results), j, &r->head);
	if (o->o.files && j->out_path) {
		buf_reset(&r->pend[0]);
		buf_addstr(&r->pend[0], j->out_path);
		r->table_name = 1;
	}
}

/* --results: a finished job's record; the files are its output. */
static struct orec *
output_results_rec(struct output *o, struct job *j, int discard)
{
	struct orec *r = orec_new(j->seq, NULL, 0);
	struct stat st;

	if (j->out_fd >= 0 && fstat(j->out_fd, &st) == 0)
		j->out_bytes = (unsigned long long)st.st_size;
	output_check_space(o, j);
	if (!discard)
		output_results_done(o, j);
	r->tag = j->tag;
	r->taglen = j->taglen;
	j->tag = NULL;
	j->taglen = 0;
	if (results_get_table(o->o.results) && !discard) {
		/* The row is made when its turn comes: keep the files. */
		output_table_rec(o, r, j);
		if (j->out_path == NULL) {
			r->fd[0] = j->out_fd;
			r->fd[1] = j->err_fd;
			j->out_fd = j->err_fd = -1;
		}
		r->nheld = orec_fds(r);
		o->held_fds += r->nheld;
	}
	output_results_close(j);
	if (o->o.files && j->out_path && !r->table) {
		buf_addstr(&r->pend[0], j->out_path);
		buf_addch(&r->pend[0], '\n');
	}
	r->discard = discard;
	r->finished = 1;
	return r;
}

/*
 * --results and --files for a function: the output it left in r's buffers
 * goes to the job's files instead, and with --files the name of its stdout
 * file takes its place.
 */
static void
output_func_results(struct output *o, struct job *j, struct orec *r)
{
	int fd[2], i;
	const char *p;
	size_t len;

	if (results_open(o->o.results, j, fd, &j->out_path) == -1) {
		msg_error("cannot create '%s': %s",
		    results_culprit(o->o.results), strerror(errno));
		o->failed = 1;
		buf_reset(&r->pend[0]);
		buf_reset(&r->pend[1]);
		return;
	}
	for (i = 0; i < 2; i++) {
		p = r->pend[i].data;
		len = r->pend[i].len;
		if (sys_write_all(fd[i], p, len, NULL) == -1) {
			msg_error("the output of job %llu may be incomplete: %s",
			    j->seq, strerror(errno));
			o->failed = 1;
		}
		close(fd[i]);
		buf_reset(&r->pend[i]);
	}
	output_results_done(o, j);
	if (o->o.files && j->out_path && !results_get_table(o->o.results)) {
		buf_addstr(&r->pend[0], j->out_path);
		buf_addch(&r->pend[0], '\n');
	}
}

/* A finished record's turn: now, or when -k or the job printed allow. */
static void
output_finished(struct output *o, struct orec *r)
{
	if (o->o.keep_order) {
		output_advance(o);
		return;
	}
	if (o->live)
		return;		/* held till the job being printed ends */
	output_out(o, r);
}

/* A function is over: its output, in memory, is grouped in every mode. */
static void
output_func_done(struct output *o, struct job *j, int discard)
{
	struct results_table *table;
	struct orec *r;
	int i;

	j->out_bytes = j->fout[0].len;
	r = orec_new(j->seq, NULL, 0);
	r->tag = j->tag;
	r->taglen = j->taglen;
	j->tag = NULL;
	j->taglen = 0;
	r->failed = job_failed(j);
	for (i = 0; i < 2; i++) {
		struct buf t = r->pend[i];

		r->pend[i] = j->fout[i];
		j->fout[i] = t;
	}
	if (o->o.results && !discard) {
		table = results_get_table(o->o.results);
		if (table == NULL || o->o.files)
			output_func_results(o, j, r);
		if (table)
			output_table_rec(o, r, j);
	}
	r->discard = discard;
	r->finished = 1;
	if (!o->o.keep_order && o->live == NULL) {
		/* Its turn is now: no need to file it. */
		output_emit(o, r);
		orec_free(r);
		return;
	}
	output_insert(o, r);
	output_finished(o, r);
}

/* A job is over. */
void
output_job_done(struct output *o, struct job *j, int discard)
{
	struct orec *r;
	int i, now;

	if (j->func) {
		output_func_done(o, j, discard);
		return;
	}
	if (o->o.mode == OUTPUT_UNGROUP)
		return;
	if (o->o.results) {
		r = output_results_rec(o, j, discard);
		r->failed = job_failed(j);
		output_insert(o, r);
		output_finished(o, r);
		return;
	}
	r = output_find(o, j->seq);
	if (r == NULL)
		BUG("no output record for job %llu", j->seq);
	r->failed = job_failed(j);
	for (i = 0; i < 2; i++)
		output_zwait(o, r, i, discard);
	/*
	 * Output whose turn it is, and what the record being printed left
	 * in its pipe, goes straight from the pipe to stdout (output_out);
	 * other output is spooled until its turn.
	 */
	now = o->live == r || (o->live == NULL && (!o->o.keep_order ||
	    (TAILQ_FIRST(&o->recs) == r && r->seq <= o->next_seq)));
	for (i = 0; i < 2; i++) {
		if (r->fd[i] < 0)
			continue;
		if (!r->spooled)
			output_drain(o, r, i, 1);
		else if (discard) {
			close(r->fd[i]);
			r->fd[i] = -1;
		} else if (!now)
			output_spool(o, r, i, 1);
	}
	if (r->fd[0] >= 0) {
		/* What waits in the pipe counts too. */
		int n;

		if (ioctl(r->fd[0], FIONREAD, &n) == 0 && n > 0)
			r->nread += (unsigned long long)n;
	}
	j->out_bytes = r->nread;
	r->discard = discard;
	r->finished = 1;
	o->held_fds -= r->nheld;
	r->nheld = orec_fds(r);
	o->held_fds += r->nheld;
	if (o->live == r) {
		output_out(o, r);
		output_unheld(o);
	} else if (!r->spooled && !o->o.keep_order) {
		output_out(o, r);
	} else {
		output_finished(o, r);
	}
	output_relieve(o);
}

/* --compare: a finished job's output, in memory, instead of written. */
void
output_job_take(struct output *o, struct job *j, struct buf *out)
{
	struct orec *r;
	int i;

	if (j->func || o->o.mode == OUTPUT_UNGROUP) {
		if (j->func)
			for (i = 0; i < 2; i++)
				buf_add(&out[i], j->fout[i].data,
				    j->fout[i].len);
		output_job_done(o, j, 1);
		return;
	}
	if (o->o.results) {
		for (i = 0; i < 2; i++)
			if ((i ? j->err_fd : j->out_fd) >= 0)
				sys_read_all(i ? j->err_fd : j->out_fd, &out[i]);
		output_job_done(o, j, 1);
		return;
	}
	r = output_find(o, j->seq);
	if (r == NULL)
		BUG("no output record for job %llu", j->seq);
	for (i = 0; i < 2; i++) {
		size_t k;
		char chunk[OUTPUT_CHUNK];
		ssize_t n;

		buf_add(&out[i], r->pend[i].data, r->pend[i].len);
		buf_reset(&r->pend[i]);
		output_zwait(o, r, i, 0);
		if (r->zipped)
			output_unzip(o, r, i, &out[i]);
		for (k = 0; k < r->nseg[i] && !r->zipped; k++)
			sys_read_all(r->seg[i][k], &out[i]);
		buf_add(&out[i], r->carry[i].data, r->carry[i].len);
		buf_reset(&r->carry[i]);
		while (r->fd[i] >= 0) {
			n = read(r->fd[i], chunk, sizeof(chunk));
			if (n > 0) {
				output_count(r, i, n);
				buf_add(&out[i], chunk, (size_t)n);
				continue;
			}
			if (n < 0 && errno == EINTR)
				continue;
			close(r->fd[i]);
			r->fd[i] = -1;
		}
	}
	output_job_done(o, j, 1);
}

/* What a finished job wrote to stdout. */
long long
output_job_bytes(const struct output *o, const struct job *j)
{
	if (!j->func && o->o.mode == OUTPUT_UNGROUP)
		return -1;
	/* --compress: the pipes went to the compressor, not through parx. */
	if (!j->func && !o->o.results && o->o.mode == OUTPUT_GROUP &&
	    o->o.compress)
		return -1;
	return (long long)j->out_bytes;
}

/* Drop a failed attempt's output. */
void
output_job_retry(struct output *o, struct job *j)
{
	struct orec *r;

	if (j->func) {
		/* In memory, and nothing of it written yet. */
		buf_reset(&j->fout[0]);
		buf_reset(&j->fout[1]);
		return;
	}
	if (o->o.mode == OUTPUT_UNGROUP)
		return;
	if (o->o.results) {
		output_results_close(j);
		return;
	}
	r = output_find(o, j->seq);
	if (r == NULL)
		BUG("no output record for job %llu", j->seq);
	/*
	 * What line mode wrote as whole lines, or what the job being
	 * printed wrote, is out; the rest goes.
	 */
	if (o->live == r) {
		output_release(o, r);
		output_unheld(o);
	} else {
		output_release(o, r);
		if (o->o.keep_order)
			output_advance(o);
	}
	output_relieve(o);
}

/* Where the output has got to. */
unsigned long long
output_next_seq(const struct output *o)
{
	if (o->o.keep_order && o->o.mode != OUTPUT_UNGROUP)
		return o->next_seq;
	return o->max_seq + 1;
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

	while ((r = TAILQ_FIRST(&o->recs)) != NULL) {
		if (!r->finished)
			BUG("flushing output of running job %llu", r->seq);
		output_emit(o, r);
		if (r->seq >= o->next_seq)
			o->next_seq = r->seq + 1;
		output_release(o, r);
	}
}

/* Write text directly. */
int
output_text(struct output *o, int fd, const char *s, size_t len)
{
	return output_write(o, fd, s, len);
}

/* --dry-run: the command line is the job's output. */
void
output_dry_done(struct output *o, struct job *j, const char *line,
    size_t len, size_t taglen)
{
	struct orec *r;

	if (o->o.results == NULL || results_get_table(o->o.results) == NULL) {
		output_write(o, 1, line, len);
		return;
	}
	/* A table: the line is the job's stdout in its row. */
	r = orec_new(j->seq, NULL, 0);
	if (taglen) {
		r->tag = xmemdupz(line, taglen);
		r->taglen = taglen;
	}
	buf_add(&r->pend[0], line + taglen, len - taglen);
	j->out_bytes = len - taglen;
	output_table_rec(o, r, j);
	output_emit(o, r);
	orec_free(r);
}

/* The pipes of running jobs, except those waiting for room. */
static size_t
output_pollfds(struct output *o, struct pollfd *pfd, size_t max)
{
	struct orec *r;
	size_t k = 0;
	int i;

	if (o->o.mode == OUTPUT_UNGROUP)
		return 0;
	TAILQ_FOREACH(r, &o->recs, link) {
		if (r->finished || r->blocked)
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
static void
output_events(struct output *o, const struct pollfd *pfd, size_t n)
{
	struct orec *r;
	size_t k = 0;
	int i, moved = 0;

	if (o->o.mode == OUTPUT_UNGROUP)
		return;
	/* pfd is in the order output_pollfds() produced. */
	for (r = TAILQ_FIRST(&o->recs); r && k < n; r = TAILQ_NEXT(r, link)) {
		if (r->finished)
			continue;
		for (i = 0; i < 2 && k < n; i++) {
			if (r->fd[i] < 0 || pfd[k].fd != r->fd[i])
				continue;
			if (pfd[k].revents) {
				if (o->live == r)
					output_live(o, r, i);
				else if (r->spooled)
					output_spool(o, r, i, 0);
				else
					output_drain(o, r, i, 0);
				moved = 1;
			}
			k++;
		}
		if (moved && !o->o.keep_order && !r->spooled)
			output_lines(o, r);
		moved = 0;
	}
	if (o->o.keep_order && o->o.mode == OUTPUT_LINE)
		output_advance(o);
	output_relieve(o);
}

/* The loop's view of the output: flush before waiting, poll the pipes. */
static size_t
output_prepare_poll(void *ctx, struct pollfd *pfd, size_t max, long *ms)
{
	output_flush(ctx);
	return output_pollfds(ctx, pfd, max);
}

static void
output_dispatch(void *ctx, const struct pollfd *pfd, size_t n)
{
	output_events(ctx, pfd, n);
}

const struct loop_source output_source = {
	"output", output_prepare_poll, output_dispatch
};

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
	/*
	 * A line-mode job holds both ends of its two pipes until its child
	 * has them.  A grouped one too, for a moment, then the read ends:
	 * its spool files count in output_held_fds().  (Should pipes run out
	 * of descriptors, the job waits for a running one to end; should
	 * spool files, the output streams through as when no place has
	 * room.)
	 */
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

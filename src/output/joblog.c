/* SPDX-License-Identifier: ISC */
/*
 * The job log: formatting and writing records, and parsing an old log for
 * --resume and friends.
 *
 * DESIGN: a record is formatted into a buffer and written with one
 * write(2) on a descriptor opened with O_APPEND; there is no user-space
 * buffering, so a record is on its way to the disk as soon as its job is
 * logged, and a SIGKILL loses nothing but the jobs still running.  With
 * -k a record is held (sorted by sequence number) until the job's output
 * has been written, as GNU parallel does.
 *
 * An old log is remembered as sorted arrays of sequence numbers, so its
 * cost is proportional to its records, whatever numbers they hold.
 */
#include "joblog.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "job.h"
#include "sshlogin.h"
#include "sys.h"
#include "xalloc.h"

struct joblog_held {
	unsigned long long	 seq;
	char			*line;
	size_t			 len;
	struct joblog_held	*next;
};

struct joblog {
	int			 fd;
	int			 own;		/* close fd at the end */
	char			*path;
	struct joblog_held	*head;		/* sorted by seq */
	struct joblog_held	*tail;
	struct buf		 line;
	const struct sys_stop	*stop;		/* give up a blocked write */
};

struct joblog_failed {
	struct joblog_entry	 e;
	size_t			 order;		/* place in the file */
};

struct joblog_past {
	unsigned long long	*fin;		/* every seq with a record */
	size_t			 nfin;
	size_t			 capfin;
	unsigned long long	*ok;		/* seqs that succeeded */
	size_t			 nok;
	size_t			 capok;
	struct joblog_failed	*failed;	/* records that did not */
	size_t			 nfailed;
	size_t			 capfailed;
};

/* A finished job's record. */
void
joblog_rec_init(struct joblog_rec *r, const struct job *j)
{
	r->seq = j->seq;
	r->start = j->res.start_real;
	r->runtime_ms = (long long)(j->res.end_mono.tv_sec -
	    j->res.start_mono.tv_sec) * 1000 + (j->res.end_mono.tv_nsec -
	    j->res.start_mono.tv_nsec) / 1000000;
	r->receive = j->out_bytes;
	r->exitval = job_exitval(j);
	r->sig = job_signal(j);
	r->cmd = j->cmd;
	r->cmd_len = j->cmd_len;
	r->host = j->host ? j->host->name : NULL;
}

/* The start and the run time, in seconds with 3 decimals. */
void
joblog_times(const struct joblog_rec *r, char start[32], char runtime[32])
{
	long long sec = (long long)r->start.tv_sec;
	long ms = (r->start.tv_nsec + 500000) / 1000000;
	long long rms = r->runtime_ms < 0 ? 0 : r->runtime_ms;

	if (ms >= 1000) {
		sec++;
		ms -= 1000;
	}
	snprintf(start, 32, "%lld.%03ld", sec, ms);
	snprintf(runtime, 32, "%lld.%03lld", rms / 1000, rms % 1000);
}

/* Format a record. */
void
joblog_format(const struct joblog_rec *r, struct buf *out)
{
	char num[160], start[32], rt[32];
	const char *p, *end, *nl;
	int n;

	joblog_times(r, start, rt);
	n = snprintf(num, sizeof(num), "%llu\t", r->seq);
	buf_add(out, num, (size_t)n);
	buf_addstr(out, r->host ? r->host : ":");
	n = snprintf(num, sizeof(num), "\t%s\t%10s\t0\t%llu\t%d\t%d\t",
	    start, rt, r->receive, r->exitval, r->sig);
	buf_add(out, num, (size_t)n);
	/* GNU parallel writes newlines as NUL bytes: one record, one line. */
	for (p = r->cmd, end = r->cmd + r->cmd_len; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL) {
			buf_add(out, p, (size_t)(end - p));
			break;
		}
		buf_add(out, p, (size_t)(nl - p));
		buf_addch(out, '\0');
	}
	buf_addch(out, '\n');
}

/* Whether the file held by fd ends in a newline (or is empty). */
static int
joblog_ends_whole(int fd, off_t size)
{
	char c;

	if (size == 0)
		return 1;
	if (pread(fd, &c, 1, size - 1) != 1)
		return 1;	/* cannot tell: do not add a line */
	return c == '\n';
}

/* Open the log for writing. */
struct joblog *
joblog_open(const char *path, int append, const struct sys_stop *stop)
{
	struct joblog *jl;
	struct stat st;
	int fd, own = 1, regular, e;
	off_t size;

	if (strcmp(path, "-") == 0) {
		fd = 1;
		own = 0;
		append = 0;
	} else if (append) {
		/* Read access too, to look at the last byte. */
		fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
		if (fd == -1 && errno == EACCES)
			fd = open(path, O_WRONLY | O_CREAT | O_APPEND |
			    O_CLOEXEC, 0666);
	} else {
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	}
	if (fd == -1)
		return NULL;
	if (fstat(fd, &st) == -1) {
		st.st_mode = 0;
		st.st_size = 0;
	}
	regular = S_ISREG(st.st_mode);
	size = st.st_size;

	jl = xcalloc(1, sizeof(*jl));
	jl->fd = fd;
	jl->own = own;
	jl->stop = stop;
	jl->path = xstrdup(path);
	buf_init(&jl->line);

	if (!append || (regular && size == 0)) {
		if (sys_write_all(fd, JOBLOG_HEADER "\n",
		    sizeof(JOBLOG_HEADER), stop) == -1)
			goto fail;
	} else if (regular && !joblog_ends_whole(fd, size)) {
		/* The last record was cut short: start a line of our own. */
		if (sys_write_all(fd, "\n", 1, stop) == -1)
			goto fail;
	}
	return jl;
fail:
	e = errno;
	joblog_close(jl);
	errno = e;
	return NULL;
}

/* Close the log. */
void
joblog_close(struct joblog *jl)
{
	struct joblog_held *h, *next;

	if (jl == NULL)
		return;
	for (h = jl->head; h; h = next) {
		next = h->next;
		free(h->line);
		free(h);
	}
	if (jl->own)
		close(jl->fd);
	buf_release(&jl->line);
	free(jl->path);
	free(jl);
}

static void
joblog_hold(struct joblog *jl, unsigned long long seq, const char *line,
    size_t len)
{
	struct joblog_held *h = xcalloc(1, sizeof(*h)), **pp;

	h->seq = seq;
	h->line = xmemdupz(line, len);
	h->len = len;
	/* Jobs end nearly in order: the place is usually the tail. */
	if (jl->tail == NULL || jl->tail->seq < seq) {
		if (jl->tail)
			jl->tail->next = h;
		else
			jl->head = h;
		jl->tail = h;
		return;
	}
	for (pp = &jl->head; *pp && (*pp)->seq < seq; pp = &(*pp)->next)
		;
	h->next = *pp;
	*pp = h;
	if (h->next == NULL)
		jl->tail = h;
}

/* Log a finished job. */
int
joblog_add(struct joblog *jl, const struct joblog_rec *r, int hold)
{
	buf_reset(&jl->line);
	joblog_format(r, &jl->line);
	if (hold) {
		joblog_hold(jl, r->seq, jl->line.data, jl->line.len);
		return 0;
	}
	return sys_write_all(jl->fd, jl->line.data, jl->line.len,
	    jl->stop);
}

/* Write the held records below a sequence number. */
int
joblog_release(struct joblog *jl, unsigned long long below)
{
	struct joblog_held *h;
	int rc = 0;

	while ((h = jl->head) != NULL && h->seq < below) {
		jl->head = h->next;
		if (jl->head == NULL)
			jl->tail = NULL;
		if (rc == 0 && sys_write_all(jl->fd, h->line, h->len,
		    jl->stop) == -1)
			rc = -1;
		free(h->line);
		free(h);
	}
	return rc;
}

/* The log's path. */
const char *
joblog_path(const struct joblog *jl)
{
	return jl->path;
}

/* Parsing */

static int
joblog_isdigit(char c)
{
	return c >= '0' && c <= '9';
}

/* An unsigned decimal of 1..19 digits, nothing else. */
static int
joblog_ull(const char *p, size_t n, unsigned long long *out)
{
	unsigned long long v = 0;
	size_t i;

	if (n == 0 || n > 19)
		return -1;
	for (i = 0; i < n; i++) {
		if (!joblog_isdigit(p[i]))
			return -1;
		v = v * 10 + (unsigned long long)(p[i] - '0');
	}
	*out = v;
	return 0;
}

/* An int with an optional '-', at most 9 digits. */
static int
joblog_int(const char *p, size_t n, int *out)
{
	unsigned long long v;
	int neg = 0;

	if (n && *p == '-') {
		neg = 1;
		p++;
		n--;
	}
	if (n > 9 || joblog_ull(p, n, &v) == -1)
		return -1;
	*out = neg ? -(int)v : (int)v;
	return 0;
}

/* A number as GNU parallel writes times and sizes: [-0-9.]+. */
static int
joblog_number(const char *p, size_t n)
{
	size_t i;

	while (n && *p == ' ') {
		p++;
		n--;
	}
	if (n == 0)
		return -1;
	for (i = 0; i < n; i++)
		if (!joblog_isdigit(p[i]) && p[i] != '.' && p[i] != '-')
			return -1;
	return 0;
}

/* Split one line (without its newline) into a record. */
static int
joblog_parse_line(const char *p, size_t n, struct joblog_entry *e)
{
	const char *f[9];
	size_t flen[9], k = 0, start = 0, i;

	for (i = 0; i < n && k < 8; i++) {
		if (p[i] != '\t')
			continue;
		f[k] = p + start;
		flen[k++] = i - start;
		start = i + 1;
	}
	if (k < 8)
		return -1;
	f[8] = p + start;
	flen[8] = n - start;

	if (joblog_ull(f[0], flen[0], &e->seq) == -1 || e->seq == 0)
		return -1;
	if (flen[1] == 0)
		return -1;
	for (i = 2; i <= 5; i++)
		if (joblog_number(f[i], flen[i]) == -1)
			return -1;
	if (joblog_int(f[6], flen[6], &e->exitval) == -1 ||
	    joblog_int(f[7], flen[7], &e->sig) == -1)
		return -1;
	e->cmd = f[8];
	e->cmd_len = flen[8];
	return 0;
}

/* Parse a whole log. */
size_t
joblog_parse(const char *buf, size_t len, joblog_entry_fn fn, void *ctx)
{
	static const char header[] = "Seq\tHost\t";
	struct joblog_entry e;
	const char *p, *end, *nl;
	size_t lineno = 0, n;
	int whole;

	if (len == 0)
		return 0;	/* buf may be NULL (an empty log) */
	p = buf;
	end = buf + len;

	while (p < end) {
		lineno++;
		nl = memchr(p, '\n', (size_t)(end - p));
		whole = nl != NULL;
		n = whole ? (size_t)(nl - p) : (size_t)(end - p);
		if (n == 0 || (n >= sizeof(header) - 1 &&
		    memcmp(p, header, sizeof(header) - 1) == 0)) {
			/* empty, or a header */
		} else if (joblog_parse_line(p, n, &e) == 0) {
			fn(ctx, &e);
		} else if (whole) {
			return lineno;
		}
		if (!whole)
			break;
		p = nl + 1;
	}
	return 0;
}

static void
joblog_push_seq(unsigned long long **a, size_t *n, size_t *cap,
    unsigned long long seq)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		*a = xreallocarray(*a, *cap, sizeof(**a));
	}
	(*a)[(*n)++] = seq;
}

static void
joblog_past_add(void *ctx, const struct joblog_entry *e)
{
	struct joblog_past *past = ctx;
	struct joblog_failed *f;
	char *cmd;
	size_t i;

	joblog_push_seq(&past->fin, &past->nfin, &past->capfin, e->seq);
	if (e->exitval == 0 && e->sig == 0) {
		joblog_push_seq(&past->ok, &past->nok, &past->capok, e->seq);
		return;
	}
	if (past->nfailed == past->capfailed) {
		past->capfailed = past->capfailed ? past->capfailed * 2 : 16;
		past->failed = xreallocarray(past->failed, past->capfailed,
		    sizeof(*past->failed));
	}
	cmd = xmemdupz(e->cmd, e->cmd_len);
	for (i = 0; i < e->cmd_len; i++)
		if (cmd[i] == '\0')
			cmd[i] = '\n';
	f = &past->failed[past->nfailed];
	f->e = *e;
	f->e.cmd = cmd;
	f->order = past->nfailed++;
}

static int
joblog_cmp_seq(const void *a, const void *b)
{
	unsigned long long x = *(const unsigned long long *)a;
	unsigned long long y = *(const unsigned long long *)b;

	return x < y ? -1 : x > y;
}

static int
joblog_cmp_failed(const void *a, const void *b)
{
	const struct joblog_failed *x = a, *y = b;

	if (x->e.seq != y->e.seq)
		return x->e.seq < y->e.seq ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

static size_t
joblog_uniq(unsigned long long *a, size_t n)
{
	size_t i, k = 0;

	if (n == 0)
		return 0;	/* a may be NULL: qsort must not see it */
	qsort(a, n, sizeof(*a), joblog_cmp_seq);
	for (i = 0; i < n; i++)
		if (k == 0 || a[k - 1] != a[i])
			a[k++] = a[i];
	return k;
}

static int
joblog_has(const unsigned long long *a, size_t n, unsigned long long seq)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (a[mid] == seq)
			return 1;
		if (a[mid] < seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

static int
joblog_read_all(const char *path, struct buf *b)
{
	char chunk[65536];
	ssize_t n;
	int fd, e;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		return errno == ENOENT ? 0 : -1;
	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n > 0) {
			buf_add(b, chunk, (size_t)n);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		break;
	}
	e = errno;
	close(fd);
	if (n < 0) {
		errno = e;
		return -1;
	}
	return 0;
}

/* Read an old log. */
struct joblog_past *
joblog_past_read(const char *path, size_t *bad_line)
{
	struct joblog_past *past;
	struct buf b = BUF_INIT;
	size_t i, k, bad;

	*bad_line = 0;
	if (joblog_read_all(path, &b) == -1) {
		int e = errno;

		buf_release(&b);
		errno = e;
		return NULL;
	}
	past = xcalloc(1, sizeof(*past));
	bad = joblog_parse(b.data, b.len, joblog_past_add, past);
	buf_release(&b);
	if (bad) {
		joblog_past_free(past);
		*bad_line = bad;
		errno = EINVAL;
		return NULL;
	}
	past->nfin = joblog_uniq(past->fin, past->nfin);
	past->nok = joblog_uniq(past->ok, past->nok);

	/* Keep the last failed record of each job that never succeeded. */
	if (past->nfailed)
		qsort(past->failed, past->nfailed, sizeof(*past->failed),
		    joblog_cmp_failed);
	for (i = 0, k = 0; i < past->nfailed; i++) {
		struct joblog_failed *f = &past->failed[i];

		if ((i + 1 < past->nfailed && past->failed[i + 1].e.seq ==
		    f->e.seq) || joblog_has(past->ok, past->nok, f->e.seq)) {
			free((char *)f->e.cmd);
			continue;
		}
		past->failed[k++] = *f;
	}
	past->nfailed = k;
	return past;
}

/* Free an old log. */
void
joblog_past_free(struct joblog_past *past)
{
	size_t i;

	if (past == NULL)
		return;
	for (i = 0; i < past->nfailed; i++)
		free((char *)past->failed[i].e.cmd);
	free(past->failed);
	free(past->fin);
	free(past->ok);
	free(past);
}

/* Whether the old log has a record of seq. */
int
joblog_past_finished(const struct joblog_past *past, unsigned long long seq)
{
	return joblog_has(past->fin, past->nfin, seq);
}

/* Whether the old log has a successful record of seq. */
int
joblog_past_succeeded(const struct joblog_past *past, unsigned long long seq)
{
	return joblog_has(past->ok, past->nok, seq);
}

/* The number of jobs to retry. */
size_t
joblog_past_nfailed(const struct joblog_past *past)
{
	return past->nfailed;
}

/* A job to retry. */
const struct joblog_entry *
joblog_past_failed(const struct joblog_past *past, size_t i)
{
	return &past->failed[i].e;
}

/* SPDX-License-Identifier: ISC */
/*
 * Cutting the input into blocks and feeding them to the jobs' pipes.
 *
 * The unconsumed data is one view, d[0, len): the stream buffer from its
 * head, or the mapped file from the next block's start.  pipe_cut() finds
 * where the next block ends in that view, scanning forward with a little
 * state (pipe_scan) so that a stream that grows by small reads is not
 * scanned again, or looking backwards from the block size in the common
 * case (one literal record end, blocks by size).  A block that is cut is
 * the head of the view ("ready") until a job takes it.
 *
 * A feed holds the header (if any) and one block.  It writes them from
 * the stream buffer, or splices them from the file, as far as its pipe
 * takes them; what a stream block still has left when the block leaves
 * the buffer is copied into the feed.
 */
#include "pipe.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arg.h"
#include "buf.h"
#include "colsep.h"
#include "input.h"
#include "msg.h"
#include "perl.h"
#include "sys.h"
#include "tmpl.h"
#include "xalloc.h"

#define PIPE_BLOCK	(1024 * 1024)	/* --block's default */
#define PIPE_READ_MIN	(64 * 1024)
#define PIPE_RE_SLACK	4096		/* a --regexp match fits in this */
#define PIPE_RE_CHUNK	(64 * 1024)	/* a --regexp search copies this */
#define PIPE_RE_WINDOW	(4 * PIPE_RE_SLACK) /* look back from the block end */
#define PIPE_READS	64		/* reads per poll event, at most */
#define PIPE_BOUNCE	(64 * 1024)
#define PIPE_READ_MAX	(4 * 1024 * 1024)
#define PIPE_PIPE_MAX	(8 * 1024 * 1024) /* the largest pipe to ask for */
#define PIPE_POOL	4		/* stream buffers kept for reuse */
#define PIPE_FIFO_MS	10		/* --fifo: try to open it this often */
#define PIPE_TEE_MAX	(4 * 1024 * 1024) /* --tee: data held, at most */
#define PIPE_GROUP_BATCH 4096		/* --group-by perl: lines at once */

/* What --recend, --recstart and --header take with --regexp. */
#define PIPE_RE_EXPECT	"an extended regular expression"

/* Scanning state of the block being cut; offsets are into the view. */
struct pipe_scan {
	size_t		 q;		/* the next pattern search starts here */
	size_t		 from;		/* the last split point found */
	unsigned long long nsplit;	/* split points found */
	size_t		 last;		/* last unit boundary <= block */
	int		 skipped;	/* 1: q jumped near the block end */
	size_t		 skip_q;	/* q and from before the jump */
	size_t		 skip_from;
	int		 key_set;	/* --group-by: the last line's value */
	size_t		 key_off;	/* is d[key_off, key_off + key_len) */
	size_t		 key_len;
	int		 odd;		/* --csv: odd quotes in [0, q) */
	int		 rs_done;	/* --regexp -N: q is past from's start */
	int		 cut_now;	/* ... and the block ends at this split */
};

/* One thing a feed writes: bytes in memory, or a range of the file. */
struct pipe_item {
	const char	*mem;		/* NULL: a file range */
	char		*own;		/* mem, when the item owns it */
	size_t		 owncap;	/* own is a stream buffer of this size */
	size_t		 len;		/* bytes left */
	off_t		 foff;		/* file range: where it goes on */
	char		*bounce;	/* file range copied by hand */
	size_t		 boff;
	size_t		 blen;
};

struct pipe_feed {
	unsigned long long	 seq;
	int			 fd;		/* the pipe's write end, or -1 */
	struct pipe_item	 item[2];	/* header, block */
	int			 cur;
	int			 nitem;
	int			 dead;		/* to be removed */
	char			*path;		/* --cat file, --fifo, or NULL */
	char			*dir;		/* --fifo: its private directory */
	int			 waiting;	/* --fifo: not opened by the job */
	unsigned long long	 tpos;		/* --tee: the next byte to write */
	char			*replay;	/* keep_blocks: the block again */
	size_t			 replay_len;
	off_t			 replay_foff;	/* ... or its range of the file */
};

struct pipe {
	struct pipe_opts	 o;
	struct pipe_env		 e;
	char			*path;
	char			*tmpdir;	/* --cat, --fifo */
	int			 fd;		/* the data */
	int			 ownfd;

	char			*recend;
	size_t			 recend_len;
	char			*recstart;
	size_t			 recstart_len;
	char			*pat;		/* recend then recstart */
	size_t			 patlen;
	regex_t			 re;		/* --regexp: (recend)(recstart) */
	int			 have_re;
	regex_t			 re_rs;		/* --regexp: recstart alone */
	int			 have_rs;
	int			 re_first;	/* the data's first record is next */
	int			 re_stuck;	/* an empty record: no more splits */
	regex_t			 re_start;	/* --rrs: ^(recstart) */
	regex_t			 re_end;	/* --rrs: (recend)$ */
	int			 have_rrs_re;
	struct colsep		*gcs;		/* --group-by: splits lines */
	size_t			 gcol;		/* its column, from 0 */
	int			 gname;		/* the column is named: find it */
	int			 gline;		/* no column: the whole line */
	/*
	 * --group-by with perl code: its perl, the value of the line before,
	 * and the values of the lines after it, made together: line k starts
	 * at view offset gk_at[k], its value is gk.data[gk_off[k], +gk_len[k]).
	 */
	struct perl		*gperl;
	struct buf		 gprev;
	struct buf		 gk;
	size_t			*gk_at, *gk_off, *gk_len;
	struct arg		*gk_in;		/* what perl gets */
	size_t			 gk_n, gk_first, gk_cap;
	char			*problem;	/* see pipe_problem() */
	char			*rc;		/* a copy of d[rc_b, rc_e), NUL */
	size_t			 rc_b;
	size_t			 rc_e;
	int			 rc_ok;		/* rc holds the current view */
	int			 re_at_start;	/* no recend: split where \1 starts */

	int			 hdr_kind;	/* 0 none, 1 lines, 2 regex */
	unsigned long		 hdr_lines;
	regex_t			 hre;
	int			 hdr_done;
	char			*hdr;
	size_t			 hdr_len;
	off_t			 last_foff;	/* the last block given, in the */
	size_t			 last_len;	/* mapped file, after last_hlen */
	size_t			 last_hlen;	/* bytes of header */
	off_t			 hdr_foff;	/* mapped: where the header is */
	int			 line_skipped;	/* --skip-first-line done */

	int			 mapped;
	char			*map_base;	/* for munmap */
	size_t			 map_size;
	const char		*map;		/* the data from its start */
	size_t			 map_len;
	off_t			 map_off;	/* file offset of map[0] */
	size_t			 pos;		/* mapped: the view starts here */
	size_t			 unmapped;	/* map_base bytes given back */

	struct buf		 in;		/* stream: view is data[head, len) */
	char			*pool[PIPE_POOL]; /* stream buffers, warm */
	size_t			 poolcap[PIPE_POOL];
	int			 npool;
	size_t			 head;
	int			 eof;
	int			 bol;		/* the view starts a line */

	unsigned long long	 block;
	int			 after;		/* --pipe-part's cutting rule */
	struct pipe_scan	 sc;
	size_t			 ready;		/* a block is cut: its length */
	int			 done;		/* no block will follow */
	int			 error;		/* errno of a failed read */

	struct pipe_feed	*feed;
	size_t			 nfeed;
	size_t			 feedcap;
	size_t			 rr;		/* round robin: next feed to try */
	unsigned long long	 tee_base;	/* --tee: the offset of in.data */
	int			 tee_go;	/* --tee: every job has its pipe */
};

static void	 pipe_group_shift(struct pipe *, size_t);

/* The unconsumed data. */
static const char *
pipe_view(const struct pipe *p, size_t *len, int *eof)
{
	if (p->mapped) {
		*len = p->map_len - p->pos;
		*eof = 1;
		return p->map + p->pos;
	}
	*len = p->in.len - p->head;
	*eof = p->eof;
	return p->in.data ? p->in.data + p->head : "";
}

/*
 * Give back the pages of the mapping that the blocks have passed: looking
 * for a boundary faults in the pages around it (and the kernel maps a few
 * more), which would otherwise count as parx's memory until the end.
 */
static void
pipe_unmap_passed(struct pipe *p)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t upto = (size_t)(p->map - p->map_base) + p->pos;

	if (page <= 0)
		return;
	upto -= upto % (size_t)page;
	if (upto > p->unmapped) {
		sys_drop_pages(p->map_base + p->unmapped, upto - p->unmapped);
		p->unmapped = upto;
	}
}

/* Drop n bytes from the front of the view. */
static void
pipe_consume(struct pipe *p, size_t n)
{
	const char *d;
	size_t len;
	int eof;

	if (n == 0)
		return;
	d = pipe_view(p, &len, &eof);
	p->bol = d[n - 1] == '\n';
	if (p->mapped) {
		p->pos += n;
		pipe_unmap_passed(p);
	} else if ((p->head += n) == p->in.len) {
		/* All taken: start the buffer over, it stays warm. */
		p->head = 0;
		p->in.len = 0;
	}
	memset(&p->sc, 0, sizeof(p->sc));
	pipe_group_shift(p, n);
}

/* The last occurrence of nd (m bytes) in h[0, n), or NULL. */
static const char *
pipe_rmem(const char *h, size_t n, const char *nd, size_t m)
{
	const char *q;
	size_t last;

	if (m == 0 || n < m)
		return NULL;
	last = n - m;
	for (;;) {
		q = memrchr(h, nd[0], last + 1);
		if (q == NULL)
			return NULL;
		if (memcmp(q, nd, m) == 0)
			return q;
		if (q == h)
			return NULL;
		last = (size_t)(q - h) - 1;
	}
}

/*
 * The first --regexp match at or after d[at], offsets into d; 0: none in
 * d[at, len).  regexec runs on a NUL-terminated copy of at most
 * PIPE_RE_CHUNK bytes: REG_STARTEND keeps glibc within the range, but a
 * sanitizer's regexec wrapper measures the whole string up to its NUL,
 * which made every search cost the length of the buffer (and a mapped file
 * has no NUL).  A match that ends within PIPE_RE_SLACK of the copy's end
 * might be longer: the search is repeated on a copy that starts there.
 */
static int
pipe_re_next(struct pipe *p, const regex_t *re, const char *d, size_t len,
    size_t at, regmatch_t m[3])
{
	size_t base = at, end, nb;
	int flags, i;

	for (;;) {
		if (!p->rc_ok || base < p->rc_b || base >= p->rc_e) {
			end = len - base > PIPE_RE_CHUNK ?
			    base + PIPE_RE_CHUNK : len;
			memcpy(p->rc, d + base, end - base);
			p->rc[end - base] = '\0';
			p->rc_b = base;
			p->rc_e = end;
			p->rc_ok = 1;
		}
		flags = REG_STARTEND;
		if (base == 0 ? !p->bol : d[base - 1] != '\n')
			flags |= REG_NOTBOL;
		m[0].rm_so = 0;
		m[0].rm_eo = (regoff_t)(p->rc_e - base);
		if (regexec(re, p->rc + (base - p->rc_b), 3, m,
		    flags) != 0) {
			if (p->rc_e == len)
				return 0;
			nb = p->rc_e - PIPE_RE_SLACK;
			base = nb > base ? nb : base;
			p->rc_ok = 0;
			continue;
		}
		for (i = 0; i < 3; i++) {
			if (m[i].rm_so < 0)
				continue;
			m[i].rm_so += (regoff_t)base;
			m[i].rm_eo += (regoff_t)base;
		}
		if (p->rc_e < len && p->rc_b < (size_t)m[0].rm_so &&
		    (size_t)m[0].rm_eo + PIPE_RE_SLACK > p->rc_e) {
			base = (size_t)m[0].rm_so;
			p->rc_ok = 0;
			continue;
		}
		return 1;
	}
}

/* --group-by: where the value of the line d[0, n) is in it. */
static void
pipe_group_key(struct pipe *p, const char *d, size_t n, size_t *off,
    size_t *klen)
{
	const struct arg *cols;
	struct arg line;
	size_t ncols;

	*off = 0;
	*klen = n;
	if (p->gline)
		return;
	/* The newline is part of the last column, as in GNU parallel. */
	line.s = d;
	line.len = n;
	colsep_split(p->gcs, &line, 1, &cols, &ncols);
	*klen = 0;
	if (p->gcol < ncols) {
		*off = (size_t)(cols[p->gcol].s - d);
		*klen = cols[p->gcol].len;
	}
}

/* Keep line i's value, that perl made (perl_answer_fn). */
static void
pipe_group_answer(void *ctx, size_t i, int skip,
    const struct tmpl_val *vals, size_t n)
{
	struct pipe *p = ctx;

	p->gk_off[i] = p->gk.len;
	p->gk_len[i] = n ? vals[0].len : 0;
	if (n)
		buf_add(&p->gk, vals[0].s, vals[0].len);
	p->gk_n = i + 1;
}

/*
 * --group-by's perl code: have perl make the values of the whole lines
 * from view offset ls on, up to PIPE_GROUP_BATCH of them.  The value perl
 * gets is the column's, or the line's, without its newline.  Returns 0,
 * or -1 with p->problem set.
 */
static int
pipe_group_eval(struct pipe *p, const char *d, size_t len, int eof, size_t ls)
{
	const char *nl;
	size_t n = 0, le, off, klen;
	char *err = NULL;

	while (ls < len && n < PIPE_GROUP_BATCH) {
		nl = memchr(d + ls, '\n', len - ls);
		if (nl == NULL && !eof)
			break;
		le = nl ? (size_t)(nl - d) + 1 : len;
		pipe_group_key(p, d + ls, le - ls, &off, &klen);
		if (klen > 0 && d[ls + off + klen - 1] == '\n')
			klen--;
		if (n == p->gk_cap) {
			p->gk_cap = p->gk_cap ? 2 * p->gk_cap : 64;
			p->gk_at = xreallocarray(p->gk_at, p->gk_cap,
			    sizeof(*p->gk_at));
			p->gk_off = xreallocarray(p->gk_off, p->gk_cap,
			    sizeof(*p->gk_off));
			p->gk_len = xreallocarray(p->gk_len, p->gk_cap,
			    sizeof(*p->gk_len));
			p->gk_in = xreallocarray(p->gk_in, p->gk_cap,
			    sizeof(*p->gk_in));
		}
		p->gk_at[n] = ls;
		p->gk_in[n].s = d + ls + off;
		p->gk_in[n++].len = klen;
		ls = le;
	}
	buf_reset(&p->gk);
	p->gk_n = p->gk_first = 0;
	if (n == 0)
		return 0;
	if (perl_values(p->gperl, p->gk_in, n, pipe_group_answer, p,
	    &err) == -1) {
		p->problem = err;
		return -1;
	}
	return 0;
}

/*
 * The value of the line at view offset ls, made by --group-by's perl
 * code; NULL when no whole line is there yet, or when perl failed
 * (p->problem).
 */
static const char *
pipe_group_value(struct pipe *p, const char *d, size_t len, int eof,
    size_t ls, size_t *klen)
{
	while (p->gk_first < p->gk_n && p->gk_at[p->gk_first] < ls)
		p->gk_first++;
	if (p->gk_first == p->gk_n || p->gk_at[p->gk_first] != ls) {
		if (pipe_group_eval(p, d, len, eof, ls) == -1 || p->gk_n == 0)
			return NULL;
	}
	*klen = p->gk_len[p->gk_first];
	return p->gk.data + p->gk_off[p->gk_first];
}

/* The view lost its first n bytes: the values made ahead move with it. */
static void
pipe_group_shift(struct pipe *p, size_t n)
{
	size_t i;

	for (i = p->gk_first; i < p->gk_n; i++) {
		if (p->gk_at[i] < n) {
			p->gk_first = i + 1;
			continue;
		}
		p->gk_at[i] -= n;
	}
}

/*
 * --group-by: the next line start after sc.q whose value differs from the
 * line before it; 0 when no whole line is left to look at (yet).
 */
static int
pipe_group_find(struct pipe *p, const char *d, size_t len, int eof,
    size_t *sp, size_t *q)
{
	struct pipe_scan *st = &p->sc;
	const char *nl, *key;
	size_t ls, le, off, klen;
	int changed;

	while ((ls = st->q) < len) {
		nl = memchr(d + ls, '\n', len - ls);
		if (nl == NULL && !eof)
			return 0;
		le = nl ? (size_t)(nl - d) + 1 : len;
		if (p->gperl) {
			key = pipe_group_value(p, d, len, eof, ls, &klen);
			if (key == NULL)
				return 0;
			changed = !st->key_set || klen != p->gprev.len ||
			    memcmp(p->gprev.data, key, klen) != 0;
			buf_reset(&p->gprev);
			buf_add(&p->gprev, key, klen);
		} else {
			pipe_group_key(p, d + ls, le - ls, &off, &klen);
			changed = !st->key_set || klen != st->key_len ||
			    memcmp(d + st->key_off, d + ls + off, klen) != 0;
			st->key_off = ls + off;
			st->key_len = klen;
		}
		st->key_set = 1;
		st->q = le;
		if (changed && ls > 0 && ls > st->from) {
			*sp = *q = st->from = ls;
			return 1;
		}
	}
	return 0;
}

/*
 * --regexp -N: the first split at or after d[*at] that ends a record
 * begun at sc.from (an empty one only where the search starts there);
 * *at moves on past what was looked at.  Returns 1 with m and *split, 0
 * when the view holds none, -1 when more data might change the answer.
 */
static int
pipe_re_split(struct pipe *p, const char *d, size_t len, int eof, size_t *at,
    regmatch_t m[3], size_t *split)
{
	size_t from = p->sc.from;

	while (*at < len) {
		if (!pipe_re_next(p, &p->re, d, len, *at, m))
			return 0;
		if (!eof && (size_t)m[0].rm_eo + PIPE_RE_SLACK > len)
			return -1;	/* it might grow: wait */
		*split = (size_t)(p->re_at_start ? m[1].rm_so : m[1].rm_eo);
		if (*split == from && (size_t)m[0].rm_so == from)
			return 1;
		if (*split <= from || *split > len) {
			*at = (size_t)m[0].rm_so + 1;
			continue;
		}
		return 1;
	}
	return 0;
}

/*
 * --regexp with -N: records as GNU parallel counts them.  A record begins
 * with a match of the record start, so the next split is the first place
 * at or after the end of that match where the record end and a record
 * start match (a record start that matches inside the record's own start,
 * as '.*, Start' does one byte in, is no split).  When the data does not
 * begin with a record start, what comes before the first split is a block
 * of its own (sc.cut_now), as in GNU parallel.  An empty record (record
 * start and end both matching nothing there) ends the block before it,
 * and GNU parallel splits no more after it: the rest of the data is one
 * block.  Returns as pipe_find().
 */
static int
pipe_re_record(struct pipe *p, const char *d, size_t len, int eof,
    size_t *sp, size_t *q)
{
	struct pipe_scan *st = &p->sc;
	regmatch_t m[3];
	size_t split;
	int rc;

	if (!st->rs_done) {
		st->q = st->from;
		if (p->have_rs && pipe_re_next(p, &p->re_rs, d, len, st->from,
		    m) && (size_t)m[0].rm_so == st->from) {
			if (!eof && (size_t)m[0].rm_eo + PIPE_RE_SLACK > len)
				return 0;	/* it might grow: wait */
			st->q = (size_t)m[0].rm_eo;
		} else if (p->have_rs && p->re_first) {
			if (!eof && len < PIPE_RE_SLACK)
				return 0;	/* a record start might come */
			st->cut_now = 1;
		}
		p->re_first = 0;
		st->rs_done = 1;
	}
	if (p->re_stuck)
		return 0;
	rc = pipe_re_split(p, d, len, eof, &st->q, m, &split);
	if (rc != 1)
		return 0;
	if (split == st->from) {
		/* An empty record. */
		p->re_stuck = 1;
		if (st->from == 0)
			return 0;
		st->cut_now = 1;
	}
	*sp = split;
	*q = (size_t)m[0].rm_so;
	st->from = split;
	st->rs_done = 0;
	return 1;
}

/*
 * --csv: the next newline after sc.q with an even number of double quotes
 * before it in the view (a quoted field may hold newlines).  Returns as
 * pipe_find().
 */
static int
pipe_csv_find(struct pipe *p, const char *d, size_t len, size_t *sp,
    size_t *q)
{
	struct pipe_scan *st = &p->sc;
	const char *nl, *x, *end;

	while (st->q < len) {
		nl = memchr(d + st->q, '\n', len - st->q);
		end = nl ? nl : d + len;
		for (x = d + st->q; (x = memchr(x, '"', (size_t)(end - x))) !=
		    NULL; x++)
			st->odd = !st->odd;
		if (nl == NULL) {
			st->q = len;
			return 0;
		}
		st->q = (size_t)(nl - d) + 1;
		if (!st->odd) {
			*sp = st->from = st->q;
			*q = (size_t)(nl - d);
			return 1;
		}
	}
	return 0;
}

/*
 * Find the next split point after sc.from: the position between a record
 * end and a record start.  Returns 1 with *sp and *q (where the record
 * end begins), or 0 when the view holds none (yet).
 */
static int
pipe_find(struct pipe *p, const char *d, size_t len, int eof, size_t *sp,
    size_t *q)
{
	struct pipe_scan *st = &p->sc;
	const char *hit;
	regmatch_t m[3];

	if (p->gcs != NULL)
		return pipe_group_find(p, d, len, eof, sp, q);
	if (p->o.csv && p->e.lines <= 1)
		return pipe_csv_find(p, d, len, sp, q);
	if (p->have_re && p->e.records && !p->after)
		return pipe_re_record(p, d, len, eof, sp, q);
	if (p->have_re) {
		while (st->q < len) {
			if (!pipe_re_next(p, &p->re, d, len, st->q, m)) {
				if (len > PIPE_RE_SLACK &&
				    st->q < len - PIPE_RE_SLACK)
					st->q = len - PIPE_RE_SLACK;
				return 0;
			}
			if (!eof && (size_t)m[0].rm_eo + PIPE_RE_SLACK > len)
				return 0;	/* it might grow: wait */
			st->q = (size_t)m[0].rm_so + 1;
			*sp = (size_t)(p->re_at_start ? m[1].rm_so :
			    m[1].rm_eo);
			if (*sp <= st->from || *sp == 0 || *sp > len)
				continue;
			*q = (size_t)m[0].rm_so;
			st->from = *sp;
			return 1;
		}
		return 0;
	}
	if (p->patlen == 0) {
		/* No separator at all: every byte is a record. */
		if (st->from + 1 > len)
			return 0;
		*sp = *q = ++st->from;
		return 1;
	}
	for (;;) {
		if (st->q + p->patlen > len)
			return 0;
		if (p->patlen == 1)
			hit = memchr(d + st->q, p->pat[0], len - st->q);
		else
			hit = memmem(d + st->q, len - st->q, p->pat, p->patlen);
		if (hit == NULL) {
			st->q = len - p->patlen + 1;
			return 0;
		}
		*q = (size_t)(hit - d);
		st->q = *q + 1;
		*sp = *q + p->recend_len;
		if (*sp == 0)
			continue;	/* a record start at the very front */
		st->from = *sp;
		return 1;
	}
}

/* The last split point in (0, block] of the view, or 0: the fast path. */
static size_t
pipe_last_split(const struct pipe *p, const char *d, size_t len, size_t block)
{
	const char *hit;
	size_t end;

	if (p->patlen == 0)
		return block <= len ? block : 0;
	if (block < p->recend_len)
		return 0;
	end = block - p->recend_len + p->patlen;
	if (end > len)
		end = len;
	hit = pipe_rmem(d, end, p->pat, p->patlen);
	if (hit == NULL || (hit == d && p->recend_len == 0))
		return 0;
	return (size_t)(hit - d) + p->recend_len;
}

/* Where the next block ends in d[0, len), or 0: more data is needed. */
static size_t
pipe_cut(struct pipe *p, const char *d, size_t len, int eof)
{
	struct pipe_scan *st = &p->sc;
	unsigned long long unit = p->e.lines > 1 ? p->e.lines : 1;
	size_t block = p->block > len + 1 ? len + 1 : (size_t)p->block;
	size_t sp, q, slack, c;

	if (len == 0)
		return 0;
	slack = p->have_re ? PIPE_RE_SLACK : p->recstart_len;
	if (p->e.records == 0 && !p->after) {
		/*
		 * -L l: a block is whole groups of l records, also at the
		 * end, where the records left over make a block of their own
		 * (GNU parallel: seq 10 | parallel --pipe -L 4 gives 8 and 2).
		 */
		if (eof && len <= block && unit == 1)
			return len;
		if (unit == 1 && !p->have_re && p->gcs == NULL &&
		    !p->o.csv) {
			if (!eof && len < block + slack)
				return 0;
			if ((c = pipe_last_split(p, d, len, block)) > 0)
				return c;
			/* No boundary in the block: it runs to the next. */
			if (st->from < block) {
				st->from = block;
				if (block + 1 > p->recend_len &&
				    st->q < block + 1 - p->recend_len)
					st->q = block + 1 - p->recend_len;
			}
		}
	}
	/* --csv counts the quotes from the start: no jump. */
	if (p->e.records == 0 && p->after && unit == 1 && st->q < block &&
	    p->gcs == NULL && !(p->o.csv && p->e.lines <= 1))
		st->q = block;
	/*
	 * --regexp: the block ends at the last split before its size, so
	 * look for it near there rather than at every record from the start;
	 * only when that stretch holds none is the whole block searched.
	 */
	if (p->have_re && p->e.records == 0 && !p->after && unit == 1 &&
	    !st->skipped && block > PIPE_RE_WINDOW &&
	    st->q < block - PIPE_RE_WINDOW) {
		st->skipped = 1;
		st->skip_q = st->q;
		st->skip_from = st->from;
		st->q = block - PIPE_RE_WINDOW;
	}
	p->rc_ok = 0;
again:
	while (pipe_find(p, d, len, eof, &sp, &q)) {
		if (st->cut_now)
			return sp;	/* garbage, or an empty record next */
		if (++st->nsplit % unit != 0)
			continue;
		if (p->e.records) {
			if (st->nsplit == p->e.records * unit)
				return sp;
			continue;
		}
		if (p->after) {
			if (q >= block)
				return sp;
			continue;
		}
		if (sp <= block) {
			st->last = sp;
			continue;
		}
		if (st->last == 0 && st->skipped == 1)
			goto whole;
		return st->last ? st->last : sp;
	}
	/* --group-by: no line that starts within the block is left to see. */
	if (p->e.records == 0 && !p->after && st->last &&
	    (eof || (p->gcs ? st->q > block : len >= block + slack)))
		return st->last;
	if (st->skipped == 1 && st->last == 0 && (eof || len >= block + slack))
		goto whole;
	return eof ? len : 0;
whole:
	st->skipped = 2;
	st->q = st->skip_q;
	st->from = st->skip_from;
	goto again;
}

/*
 * --group-by NAME: the column is the one the header's first line names.
 * Returns 0, or -1 with p->problem set.
 */
static int
pipe_group_name(struct pipe *p)
{
	const struct arg *cols;
	struct arg line;
	size_t i, ncols;
	const char *nl;

	line.s = p->hdr;
	nl = memchr(p->hdr, '\n', p->hdr_len);
	line.len = nl ? (size_t)(nl - p->hdr) : p->hdr_len;
	colsep_split(p->gcs, &line, 1, &cols, &ncols);
	for (i = 0; i < ncols; i++) {
		if (cols[i].len == strlen(p->o.group_by) &&
		    memcmp(cols[i].s, p->o.group_by, cols[i].len) == 0) {
			p->gcol = i;
			return 0;
		}
	}
	p->problem = xasprintf("column '%s' of --group-by is not in the "
	    "header", p->o.group_by);
	return -1;
}

/* --skip-first-line: drop the data's first line; 0: more data is needed. */
static int
pipe_skip_line(struct pipe *p)
{
	const char *d, *nl;
	size_t len;
	int eof;

	d = pipe_view(p, &len, &eof);
	nl = memchr(d, '\n', len);
	if (nl == NULL && !eof)
		return 0;
	pipe_consume(p, nl ? (size_t)(nl - d) + 1 : len);
	p->line_skipped = 1;
	return 1;
}

/* Find the header at the front of the data; 0: more data is needed. */
static int
pipe_take_header(struct pipe *p)
{
	const char *d, *nl;
	size_t len, h = 0;
	unsigned long n;
	regmatch_t m[1];
	int eof;

	d = pipe_view(p, &len, &eof);
	if (p->hdr_kind == 1) {
		for (n = 0; n < p->hdr_lines; n++) {
			nl = h < len ? memchr(d + h, '\n', len - h) : NULL;
			if (nl == NULL) {
				if (!eof)
					return 0;
				h = 0;	/* too short: all data, no header */
				break;
			}
			h = (size_t)(nl - d) + 1;
		}
	} else if (p->hdr_kind == 2) {
		if (!eof && len < p->block)
			return 0;
		m[0].rm_so = 0;
		m[0].rm_eo = (regoff_t)len;
		if (regexec(&p->hre, d, 1, m, REG_STARTEND) == 0 &&
		    m[0].rm_so == 0)
			h = (size_t)m[0].rm_eo;
	}
	p->hdr = xmemdupz(d, h);
	p->hdr_len = h;
	p->hdr_foff = p->mapped ? p->map_off + (off_t)p->pos : 0;
	pipe_consume(p, h);
	p->hdr_done = 1;
	if (p->gname && pipe_group_name(p) == -1) {
		p->error = EINVAL;
		p->done = 1;
	}
	return 1;
}

/* Whether d[0, n) is blanks only (spaces, tabs, newlines...). */
static int
pipe_blank(const char *d, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isspace((unsigned char)d[i]))
			return 0;
	return 1;
}

/*
 * A block cut by size that had to run past the block size, because its
 * first record is longer: as GNU parallel does, the block size grows to
 * hold it, 1.3 times plus one (rounded up) at a time, for this block and
 * those after, and each step is a warning.  With -N or -L, when the
 * block's records together are longer.  Not for --pipe-part, nor for
 * --group-by.
 */
static void
pipe_grow_block(struct pipe *p, size_t n)
{
	unsigned long long was;

	if (p->after || p->gcs)
		return;
	while (p->block < n) {
		was = p->block;
		p->block = (13 * was + 10 + 9) / 10;
		msg_warn("a record was longer than %llu: increasing to "
		    "--blocksize %llu", was, p->block);
	}
}

/* Cut the next block, if the data allows; -r drops blank ones. */
static void
pipe_fill(struct pipe *p)
{
	const char *d;
	size_t len;
	int eof;

	if (p->ready || p->done || p->o.tee)
		return;
	if (p->e.skip_line && !p->line_skipped && !pipe_skip_line(p))
		return;
	if (!p->hdr_done && p->hdr_kind && !pipe_take_header(p))
		return;
	p->hdr_done = 1;
	for (;;) {
		d = pipe_view(p, &len, &eof);
		if (len == 0) {
			if (eof)
				p->done = 1;
			return;
		}
		p->ready = pipe_cut(p, d, len, eof);
		if (p->problem) {
			/* --group-by's perl failed: no block is right. */
			p->ready = 0;
			p->error = EINVAL;
			p->done = 1;
			return;
		}
		pipe_grow_block(p, p->ready);
		if (!p->ready || !p->e.skip_blank ||
		    !pipe_blank(d, p->ready))
			return;
		pipe_consume(p, p->ready);
		p->ready = 0;
	}
}

/* Release what an item owns; a stream buffer goes back to the pool. */
static void
pipe_item_free(struct pipe *p, struct pipe_item *it)
{
	if (it->owncap > 0 && p->npool < PIPE_POOL) {
		p->pool[p->npool] = it->own;
		p->poolcap[p->npool++] = it->owncap;
	} else
		free(it->own);
	free(it->bounce);
	memset(it, 0, sizeof(*it));
}

/* End a feed: the job sees end of file, or EPIPE if it is gone. */
static void
pipe_feed_end(struct pipe *p, struct pipe_feed *f)
{
	int i;

	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
	for (i = 0; i < 2; i++)
		pipe_item_free(p, &f->item[i]);
	f->nitem = f->cur = 0;
}

/* Drop a feed for good: end it, remove its --cat file or --fifo. */
static void
pipe_feed_drop(struct pipe *p, struct pipe_feed *f)
{
	pipe_feed_end(p, f);
	if (f->path != NULL)
		(void)unlink(f->path);
	if (f->dir != NULL)
		(void)rmdir(f->dir);
	free(f->path);
	free(f->dir);
	f->path = f->dir = NULL;
	f->waiting = 0;
	free(f->replay);
	f->replay = NULL;
	f->replay_len = 0;
}

/*
 * keep_blocks: keep what the feed's block is, to write it again if the job
 * runs again: its range of a mapped file (foff >= 0), else a copy.
 */
static void
pipe_keep(struct pipe *p, struct pipe_feed *f, const char *d, size_t n,
    off_t foff)
{
	if (!p->e.keep_blocks)
		return;
	free(f->replay);
	f->replay = foff >= 0 ? NULL : xmemdupz(d, n);
	f->replay_len = n;
	f->replay_foff = foff;
}

/*
 * --fifo: open the named pipe for writing once the job has opened it for
 * reading (until then the open fails with ENXIO, and is tried again).
 * Returns 1 when it is open, 0 when the job has not opened it yet, -1
 * when it cannot be opened.
 */
static int
pipe_fifo_open(struct pipe_feed *f)
{
	int fd;

	fd = open(f->path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd == -1)
		return errno == ENXIO || errno == EINTR ? 0 : -1;
	f->fd = fd;
	f->waiting = 0;
	return 1;
}

/*
 * Write one item as far as the pipe takes it.  Returns 1 when it is all
 * written, 0 when the pipe is full, -1 when the reader is gone (or the
 * file failed).
 */
static int
pipe_write_item(struct pipe *p, struct pipe_feed *f, struct pipe_item *it)
{
	ssize_t n;

	while (it->len > 0 || it->blen > 0) {
		if (it->blen > 0) {
			n = write(f->fd, it->bounce + it->boff, it->blen);
			if (n > 0) {
				it->boff += (size_t)n;
				it->blen -= (size_t)n;
				continue;
			}
		} else if (it->mem) {
			n = write(f->fd, it->mem, it->len);
			if (n > 0) {
				it->mem += n;
				it->len -= (size_t)n;
				continue;
			}
		} else if (it->bounce == NULL) {
			n = sys_splice_to_pipe(p->fd, &it->foff, f->fd,
			    it->len);
			if (n > 0) {
				it->len -= (size_t)n;
				continue;
			}
			if (n < 0 && (errno == EINVAL || errno == ENOSYS)) {
				/* This file cannot be spliced: copy it. */
				it->bounce = xmalloc(PIPE_BOUNCE);
				continue;
			}
			if (n == 0)
				return -1;	/* the file shrank */
		} else {
			n = pread(p->fd, it->bounce, it->len < PIPE_BOUNCE ?
			    it->len : PIPE_BOUNCE, it->foff);
			if (n > 0) {
				it->boff = 0;
				it->blen = (size_t)n;
				it->foff += n;
				it->len -= (size_t)n;
				continue;
			}
			if (n == 0 || errno != EINTR)
				return -1;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return 0;
		return -1;
	}
	return 1;
}

/* Write what a feed holds; end it when it is done or its job is gone. */
static void
pipe_feed_run(struct pipe *p, struct pipe_feed *f)
{
	int rc;

	if (f->waiting && (rc = pipe_fifo_open(f)) != 1) {
		if (rc == -1) {
			f->waiting = 0;
			pipe_feed_end(p, f);
		}
		return;
	}
	while (f->fd >= 0 && f->cur < f->nitem) {
		rc = pipe_write_item(p, f, &f->item[f->cur]);
		if (rc == 0)
			return;
		if (rc < 0) {
			pipe_feed_end(p, f);
			return;
		}
		pipe_item_free(p, &f->item[f->cur]);
		f->cur++;
	}
	f->cur = f->nitem = 0;
	/* With --round-robin a feed waits for its next block. */
	if (!p->o.round_robin || p->done)
		pipe_feed_end(p, f);
}

/*
 * Remove from d[0, n) every match of re, starting at from; returns the
 * new length.  An empty match removes nothing.
 */
static size_t
pipe_re_remove(const regex_t *re, char *d, size_t n, size_t from)
{
	regmatch_t m[1];
	size_t r = from, w = from;

	while (r < n) {
		m[0].rm_so = (regoff_t)r;
		m[0].rm_eo = (regoff_t)n;
		if (regexec(re, d, 1, m, REG_STARTEND |
		    (r > 0 && d[r - 1] != '\n' ? REG_NOTBOL : 0)) != 0)
			break;
		if (m[0].rm_eo == m[0].rm_so) {
			if ((size_t)m[0].rm_so >= n)
				break;
			m[0].rm_eo++;	/* keep one byte, go on after it */
			memmove(d + w, d + r, (size_t)m[0].rm_eo - r);
			w += (size_t)m[0].rm_eo - r;
		} else {
			memmove(d + w, d + r, (size_t)m[0].rm_so - r);
			w += (size_t)m[0].rm_so - r;
		}
		r = (size_t)m[0].rm_eo;
	}
	memmove(d + w, d + r, n - r);
	return w + n - r;
}

/* Whether re matches d[0, n) ending at n; *so is where. */
static int
pipe_re_at_end(const regex_t *re, const char *d, size_t n, size_t *so)
{
	regmatch_t m[1];

	m[0].rm_so = 0;
	m[0].rm_eo = (regoff_t)n;
	if (regexec(re, d, 1, m, REG_STARTEND) != 0 ||
	    (size_t)m[0].rm_eo != n)
		return 0;
	*so = (size_t)m[0].rm_so;
	return 1;
}

/*
 * --rrs: remove the record separators from the block d[0, n) in place,
 * as GNU parallel does: every record end followed by a record start,
 * then a record start at the front, then a record end at the end (or
 * just before a final newline, where Perl's $ matches too).  Returns the
 * new length.
 */
static size_t
pipe_rrs(struct pipe *p, char *d, size_t n)
{
	const char *hit;
	regmatch_t m[1];
	size_t r = 0, w = 0, so;

	if (p->have_re) {
		n = pipe_re_remove(&p->re, d, n, 0);
		m[0].rm_so = 0;
		m[0].rm_eo = (regoff_t)n;
		if (p->have_rrs_re & 1 && regexec(&p->re_start, d, 1, m,
		    REG_STARTEND) == 0 && m[0].rm_so == 0) {
			memmove(d, d + m[0].rm_eo, n - (size_t)m[0].rm_eo);
			n -= (size_t)m[0].rm_eo;
		}
		if (p->have_rrs_re & 2) {
			if (pipe_re_at_end(&p->re_end, d, n, &so))
				n = so;
			else if (n > 0 && d[n - 1] == '\n' &&
			    pipe_re_at_end(&p->re_end, d, n - 1, &so)) {
				d[so] = '\n';
				n = so + 1;
			}
		}
		return n;
	}
	while (p->patlen > 0 && r < n &&
	    (hit = memmem(d + r, n - r, p->pat, p->patlen)) != NULL) {
		memmove(d + w, d + r, (size_t)(hit - d) - r);
		w += (size_t)(hit - d) - r;
		r = (size_t)(hit - d) + p->patlen;
	}
	memmove(d + w, d + r, n - r);
	n = w + n - r;
	if (p->recstart_len > 0 && n >= p->recstart_len &&
	    memcmp(d, p->recstart, p->recstart_len) == 0) {
		memmove(d, d + p->recstart_len, n - p->recstart_len);
		n -= p->recstart_len;
	}
	so = p->recend_len;
	if (so > 0 && n >= so && memcmp(d + n - so, p->recend, so) == 0)
		n -= so;
	else if (so > 0 && n > so && d[n - 1] == '\n' &&
	    memcmp(d + n - 1 - so, p->recend, so) == 0) {
		d[n - 1 - so] = '\n';
		n -= so;
	}
	return n;
}

/*
 * Give the ready block to feed f (after the header when first is set),
 * and write what its pipe takes at once.
 */
static void
pipe_give(struct pipe *p, struct pipe_feed *f, int first)
{
	struct pipe_item *it;
	const char *d;
	size_t len, n = p->ready;
	int eof;

	f->cur = f->nitem = 0;
	if (first && p->hdr_len > 0) {
		it = &f->item[f->nitem++];
		it->mem = p->hdr;
		it->len = p->hdr_len;
	}
	d = pipe_view(p, &len, &eof);
	it = &f->item[f->nitem++];
	if (p->o.rrs) {
		/* The block changes: a copy of it is written. */
		it->own = xmemdupz(d, n);
		it->mem = it->own;
		it->len = pipe_rrs(p, it->own, n);
		pipe_keep(p, f, it->own, it->len, -1);
		p->ready = 0;
		pipe_consume(p, n);
		pipe_feed_run(p, f);
		return;
	}
	pipe_keep(p, f, d, n, p->mapped ? p->map_off + (off_t)p->pos : -1);
	if (p->mapped) {
		it->foff = p->map_off + (off_t)p->pos;
		it->len = n;
		p->last_foff = it->foff;
		p->last_len = n;
		p->last_hlen = first ? p->hdr_len : 0;
	} else {
		it->mem = d;
		it->len = n;
	}
	p->ready = 0;
	pipe_feed_run(p, f);
	if (p->mapped || f->nitem == 0 || f->item[f->nitem - 1].len == 0) {
		pipe_consume(p, n);
		return;
	}
	/* The stream buffer moves on: keep what the pipe did not take. */
	it = &f->item[f->nitem - 1];
	if (p->head > 0 || len - n > n) {
		it->own = xmemdupz(it->mem, it->len);
		it->mem = it->own;
		pipe_consume(p, n);
		return;
	}
	/*
	 * The block is most of the buffer: give the buffer away rather than
	 * copy the block, and carry the rest over into another.
	 */
	p->bol = d[n - 1] == '\n';
	memset(&p->sc, 0, sizeof(p->sc));
	pipe_group_shift(p, n);
	it->own = p->in.data;
	it->owncap = p->in.cap;
	buf_init(&p->in);
	if (p->npool > 0) {
		p->npool--;
		p->in.data = p->pool[p->npool];
		p->in.cap = p->poolcap[p->npool];
	}
	buf_add(&p->in, it->own + n, len - n);
	p->head = 0;
}

/* The index of job seq's live feed, or nfeed. */
static size_t
pipe_feed_index(const struct pipe *p, unsigned long long seq)
{
	size_t i;

	for (i = 0; i < p->nfeed; i++)
		if (p->feed[i].seq == seq && !p->feed[i].dead)
			break;
	return i;
}

/* Job seq's live feed, or NULL. */
static struct pipe_feed *
pipe_feed_find(struct pipe *p, unsigned long long seq)
{
	size_t i = pipe_feed_index(p, seq);

	return i < p->nfeed ? &p->feed[i] : NULL;
}

/* Remove the feeds that have ended (and, without round robin, are done). */
static void
pipe_reap(struct pipe *p)
{
	size_t i, k;

	for (i = k = 0; i < p->nfeed; i++) {
		if (p->feed[i].dead) {
			pipe_feed_drop(p, &p->feed[i]);
			continue;
		}
		p->feed[k++] = p->feed[i];
	}
	p->nfeed = k;
}

/* Whether nobody reads the pipe any more. */
static int
pipe_reader_gone(int fd)
{
	struct pollfd pfd;

	pfd.fd = fd;
	pfd.events = POLLOUT;
	pfd.revents = 0;
	return poll(&pfd, 1, 0) == 1 && (pfd.revents & (POLLERR | POLLHUP));
}

/*
 * --tee: write to feed f what it has not taken yet; end it at the end of
 * the data, or when its job has stopped reading.
 */
static void
pipe_tee_run(struct pipe *p, struct pipe_feed *f)
{
	size_t at, n;
	ssize_t w;

	while (f->fd >= 0) {
		at = (size_t)(f->tpos - p->tee_base);
		n = p->in.len - at;
		if (n == 0) {
			if (p->eof || p->done)
				pipe_feed_end(p, f);
			return;
		}
		w = write(f->fd, p->in.data + at, n);
		if (w > 0) {
			f->tpos += (unsigned long long)w;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EAGAIN)
			return;
		pipe_feed_end(p, f);
	}
}

/*
 * --tee: feed every job, then let go of what all of them have taken (all
 * of it when none reads any more: the rest is not read).
 */
static void
pipe_tee_settle(struct pipe *p)
{
	unsigned long long low = p->tee_base + p->in.len;
	size_t i;
	int live = 0;

	for (i = 0; i < p->nfeed; i++) {
		pipe_tee_run(p, &p->feed[i]);
		if (p->feed[i].fd >= 0 && p->feed[i].tpos < low)
			low = p->feed[i].tpos;
		live |= p->feed[i].fd >= 0;
	}
	p->head = (size_t)(low - p->tee_base);
	if (p->tee_go && !live)
		p->done = 1;
}

/* --tee: read what the input has, while the slowest job is not too far behind. */
static int
pipe_tee_read(struct pipe *p)
{
	ssize_t n;

	if (p->head > 0 && p->head >= p->in.len - p->head) {
		memmove(p->in.data, p->in.data + p->head, p->in.len - p->head);
		p->in.len -= p->head;
		p->tee_base += p->head;
		p->head = 0;
	}
	buf_grow(&p->in, PIPE_READ_MIN);
	n = read(p->fd, p->in.data + p->in.len, PIPE_READ_MIN);
	if (n > 0)
		p->in.len += (size_t)n;
	else if (n == 0)
		p->eof = 1;
	else if (errno != EINTR && errno != EAGAIN) {
		p->error = errno;
		return -1;
	}
	return 0;
}

/*
 * Cut ahead, hand blocks to idle round-robin feeds, and end the feeds
 * that will get nothing more.
 */
static void
pipe_settle(struct pipe *p)
{
	struct pipe_feed *f;
	size_t i, k;

	if (p->o.tee) {
		pipe_tee_settle(p);
		return;
	}
	pipe_fill(p);
	while (p->o.round_robin && p->ready && p->nfeed >= p->e.nslots) {
		f = NULL;
		for (k = 0; k < p->nfeed && f == NULL; k++) {
			i = (p->rr + k) % p->nfeed;
			if (p->feed[i].fd < 0 || p->feed[i].nitem != 0)
				continue;
			if (pipe_reader_gone(p->feed[i].fd)) {
				/* Its job has quit: keep the block for another. */
				pipe_feed_end(p, &p->feed[i]);
				continue;
			}
			f = &p->feed[i];
		}
		if (f == NULL)
			break;
		p->rr = (size_t)(f - p->feed) + 1;
		pipe_give(p, f, 0);
		pipe_fill(p);
	}
	if (p->done)
		for (i = 0; i < p->nfeed; i++)
			if (p->feed[i].fd >= 0 && p->feed[i].nitem == 0)
				pipe_feed_end(p, &p->feed[i]);
	for (i = 0; i < p->nfeed; i++)
		if (p->feed[i].waiting)
			pipe_feed_run(p, &p->feed[i]);
}

/* Read what the input has, without blocking. */
static int
pipe_read(struct pipe *p)
{
	struct pollfd pfd;
	size_t want, avail;
	ssize_t n;
	int i;

	for (i = 0; i < PIPE_READS && !p->eof && !p->ready; i++) {
		if (i > 0) {
			pfd.fd = p->fd;
			pfd.events = POLLIN;
			if (poll(&pfd, 1, 0) <= 0)
				break;
		}
		avail = p->in.len - p->head;
		/* Move the rest to the front once that is cheap enough. */
		if (p->head > 0 && p->head >= avail) {
			memmove(p->in.data, p->in.data + p->head, avail);
			p->in.len = avail;
			p->head = 0;
		}
		want = PIPE_READ_MIN;
		if (p->e.records == 0 && p->block + PIPE_RE_SLACK > avail &&
		    p->block + PIPE_RE_SLACK - avail > want)
			want = (size_t)(p->block + PIPE_RE_SLACK - avail);
		if (want > PIPE_READ_MAX)
			want = PIPE_READ_MAX;
		buf_grow(&p->in, want);
		n = read(p->fd, p->in.data + p->in.len, want);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				break;
			p->error = errno;
			return -1;
		}
		if (n == 0) {
			p->eof = 1;
			break;
		}
		p->in.len += (size_t)n;
		p->in.data[p->in.len] = '\0';
		pipe_fill(p);
	}
	return 0;
}

/*
 * Turn a --regexp string into a POSIX pattern: C escapes become bytes,
 * \d and \s become bracket expressions; other escapes stay.
 */
static char *
pipe_regex_text(const char *s)
{
	struct buf b = BUF_INIT;
	unsigned v;
	int k;

	for (; *s; s++) {
		if (*s != '\\' || s[1] == '\0') {
			buf_addch(&b, *s);
			continue;
		}
		s++;
		switch (*s) {
		case 'n': buf_addch(&b, '\n'); break;
		case 't': buf_addch(&b, '\t'); break;
		case 'r': buf_addch(&b, '\r'); break;
		case 'f': buf_addch(&b, '\f'); break;
		case 'v': buf_addch(&b, '\v'); break;
		case 'a': buf_addch(&b, '\a'); break;
		case 'e': buf_addch(&b, 033); break;
		case 'd': buf_addstr(&b, "[0-9]"); break;
		case 's': buf_addstr(&b, "[[:space:]]"); break;
		case 'x':
			for (v = 0, k = 0; k < 2 && ((s[1] >= '0' &&
			    s[1] <= '9') || ((s[1] | 040) >= 'a' &&
			    (s[1] | 040) <= 'f')); k++, s++)
				v = v * 16 + (unsigned)(s[1] <= '9' ?
				    s[1] - '0' : (s[1] | 040) - 'a' + 10);
			if (k == 0)
				buf_addstr(&b, "\\x");
			else
				buf_addch(&b, (int)v);
			break;
		default:
			buf_addch(&b, '\\');
			buf_addch(&b, *s);
		}
	}
	return buf_detach(&b, NULL);
}

/*
 * Compile text, made from shown, what option opt was given; a bad one is
 * reported in *err, the culprit named as given.
 */
static int
pipe_compile(regex_t *re, const char *text, const char *shown,
    const char *opt, const char *expect, char **err)
{
	char msg[256];
	int rc;

	rc = regcomp(re, text, REG_EXTENDED | REG_NEWLINE);
	if (rc == 0)
		return 0;
	regerror(rc, re, msg, sizeof(msg));
	*err = xasprintf("invalid regular expression '%s' for %s: expected "
	    "%s (%s)", shown, opt, expect, msg);
	return -1;
}

/* Whether one side, made from shown, compiles alone; else *err. */
static int
pipe_check_side(const char *text, const char *shown, const char *opt,
    char **err)
{
	regex_t re;

	if (*text == '\0')
		return 0;
	if (pipe_compile(&re, text, shown, opt, PIPE_RE_EXPECT, err) == -1)
		return -1;
	regfree(&re);
	return 0;
}

/*
 * --rrs with --regexp: a record start at the front of a block, a record
 * end at its end (both sides compiled already, so these do too).  As in
 * Perl's /s, '.' matches a newline there, and '^' and '$' only match at
 * the ends.
 */
static void
pipe_setup_rrs(struct pipe *p, const char *re_end, const char *re_start)
{
	struct buf b = BUF_INIT;

	if (*re_start && regcomp(&p->re_start, re_start, REG_EXTENDED) == 0)
		p->have_rrs_re |= 1;
	if (*re_end) {
		buf_addstr(&b, "(");
		buf_addstr(&b, re_end);
		buf_addstr(&b, ")$");
		if (regcomp(&p->re_end, b.data, REG_EXTENDED) == 0)
			p->have_rrs_re |= 2;
		buf_release(&b);
	}
}

/*
 * --regexp: one expression, the end of a record and then the start of the
 * next.  Each side is compiled alone first, to name the option at fault.
 */
static int
pipe_setup_regex(struct pipe *p, const char *end, const char *start,
    char **err)
{
	struct buf b = BUF_INIT;
	char *re_end, *re_start;
	int rc = 0;

	/* POSIX has no empty group: leave out an empty side. */
	re_end = pipe_regex_text(end);
	re_start = pipe_regex_text(start);
	if (pipe_check_side(re_end, end, "--recend", err) == -1 ||
	    pipe_check_side(re_start, start, "--recstart", err) == -1) {
		rc = -1;
		goto out;
	}
	if (*re_end) {
		buf_addstr(&b, "(");
		buf_addstr(&b, re_end);
		buf_addstr(&b, ")");
	} else
		p->re_at_start = 1;
	if (*re_start) {
		buf_addstr(&b, "(");
		buf_addstr(&b, re_start);
		buf_addstr(&b, ")");
	}
	/* With nothing to match, every byte is a record. */
	if (*end != '\0' || *start != '\0') {
		if (pipe_compile(&p->re, b.data, b.data,
		    "--recend and --recstart", PIPE_RE_EXPECT, err) == -1) {
			rc = -1;
			goto out;
		}
		p->have_re = 1;
		p->rc = xmalloc(PIPE_RE_CHUNK + 1);
	}
	if (*re_start && pipe_compile(&p->re_rs, re_start, start,
	    "--recstart", PIPE_RE_EXPECT, err) == 0) {
		p->have_rs = 1;
		p->re_first = 1;
	}
	if (p->o.rrs)
		pipe_setup_rrs(p, re_end, re_start);
out:
	buf_release(&b);
	free(re_end);
	free(re_start);
	return rc;
}

/* Work out the separators and the header. */
static int
pipe_setup_text(struct pipe *p, char **err)
{
	const char *end = p->o.recend, *start = p->o.recstart;
	char *re;
	size_t i;
	int rc;

	if (end == NULL)
		end = start == NULL ? "\\n" : "";
	if (start == NULL)
		start = "";
	if (p->o.regexp) {
		if (pipe_setup_regex(p, end, start, err) == -1)
			return -1;
	} else {
		p->recend = *end ? input_parse_delim(end, &p->recend_len) :
		    xstrdup("");
		p->recstart = *start ? input_parse_delim(start,
		    &p->recstart_len) : xstrdup("");
		if (p->recend == NULL || p->recstart == NULL) {
			*err = xasprintf("invalid %s '%s' for %s: expected "
			    "characters and escapes (\\n, \\t, \\0, \\NNN, "
			    "\\xHH...)", p->recend == NULL ? "record end" :
			    "record start", p->recend == NULL ? end : start,
			    p->recend == NULL ? "--recend" : "--recstart");
			return -1;
		}
		p->patlen = p->recend_len + p->recstart_len;
		p->pat = xmalloc(p->patlen + 1);
		memcpy(p->pat, p->recend, p->recend_len);
		memcpy(p->pat + p->recend_len, p->recstart, p->recstart_len);
	}

	if (p->o.header == NULL)
		return 0;
	if (strcmp(p->o.header, ":") == 0) {
		p->hdr_kind = 1;
		p->hdr_lines = 1;
		return 0;
	}
	for (i = 0; p->o.header[i] >= '0' && p->o.header[i] <= '9'; i++)
		;
	if (i > 0 && p->o.header[i] == '\0') {
		p->hdr_kind = 1;
		p->hdr_lines = strtoul(p->o.header, NULL, 10);
		return 0;
	}
	re = pipe_regex_text(p->o.header);
	rc = pipe_compile(&p->hre, re, p->o.header, "--header",
	    "N, : or " PIPE_RE_EXPECT, err);
	free(re);
	if (rc == -1)
		return -1;
	p->hdr_kind = 2;
	return 0;
}

/*
 * --group-by: a column number, or a name (the first line is then the
 * header); the lines are split at --colsep, or a tab.  Only a --colsep
 * that does not compile fails (*err).
 */
static int
pipe_setup_group(struct pipe *p, char **err)
{
	struct colsep_opts co = { p->o.colsep ? p->o.colsep : "\t", 0, 0, 0 };
	static const char *const group_name[] = { "--group-by" };
	const char *g = p->o.group_by;
	char *expr[1];

	if (p->o.group_perl) {
		p->gperl = perl_new("--group-by", NULL, err);
		expr[0] = (char *)p->o.group_perl;
		if (p->gperl == NULL ||
		    perl_compile(p->gperl, expr, group_name, 1, err) == -1)
			return -1;
	}
	/* cmd/ let through a number from 1 or a name only, or none. */
	if (g == NULL) {
		p->gline = 1;
	} else if (isdigit((unsigned char)g[0])) {
		p->gcol = strtoul(g, NULL, 10) - 1;
	} else {
		p->gname = 1;
		if (p->hdr_kind == 0) {
			p->hdr_kind = 1;
			p->hdr_lines = 1;
		}
	}
	p->gcs = colsep_new(&co, err);
	return p->gcs == NULL ? -1 : 0;
}

/* Map a regular file from its current offset; 0, or -1 to stream it. */
static int
pipe_map(struct pipe *p)
{
	struct stat st;
	off_t off, aligned;
	long page;
	void *m;

	if (fstat(p->fd, &st) == -1 || !S_ISREG(st.st_mode))
		return -1;
	if (st.st_size <= 0)
		return 0;	/* empty, or sized 0 like /proc: stream it */
	off = lseek(p->fd, 0, SEEK_CUR);
	if (off < 0 || off >= st.st_size)
		return off < 0 ? -1 : 0;
	page = sysconf(_SC_PAGESIZE);
	aligned = off - off % (page > 0 ? page : 4096);
	m = mmap(NULL, (size_t)(st.st_size - aligned), PROT_READ, MAP_PRIVATE,
	    p->fd, aligned);
	if (m == MAP_FAILED)
		return -1;
	p->map_base = m;
	p->map_size = (size_t)(st.st_size - aligned);
	p->map = p->map_base + (off - aligned);
	p->map_len = (size_t)(st.st_size - off);
	p->map_off = off;
	p->mapped = 1;
	return 0;
}

/* Open the data and get ready. */
struct pipe *
pipe_new(const struct pipe_opts *o, const struct pipe_env *e, char **err)
{
	struct pipe *p;
	unsigned long long per;
	struct stat st;

	*err = NULL;
	p = xcalloc(1, sizeof(*p));
	p->o = *o;
	p->e = *e;
	if (o->csv && e->lines <= 1)
		p->e.records = 0;
	p->fd = -1;
	p->bol = 1;
	buf_init(&p->in);
	p->path = xstrdup(e->path);
	p->tmpdir = xstrdup(e->tmpdir && *e->tmpdir ? e->tmpdir :
	    getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") :
	    "/tmp");
	if (pipe_setup_text(p, err) == -1 ||
	    ((o->group_by || o->group_perl) &&
	    pipe_setup_group(p, err) == -1))
		goto fail;
	if (strcmp(e->path, "-") == 0) {
		p->fd = 0;
	} else {
		p->fd = open(e->path, O_RDONLY | O_CLOEXEC);
		if (p->fd < 0) {
			*err = xasprintf("cannot open '%s': %s", e->path,
			    strerror(errno));
			goto fail;
		}
		p->ownfd = 1;
	}
	if (!o->tee && pipe_map(p) == -1 && o->part) {
		*err = xasprintf("--pipe-part needs a regular file, and '%s' "
		    "is not one%s", e->path, "");
		goto fail;
	}
	if (!p->mapped && o->part)
		p->eof = 1;	/* an empty file */
	p->block = o->block ? o->block : PIPE_BLOCK;
	if (o->part) {
		p->after = 1;
		if (o->block == 0 || o->blocks) {
			per = (o->blocks ? o->blocks : 10) * e->nslots;
			p->block = 1 + (e->total ? e->total : p->map_len) / per;
		}
	}
	if (p->block == 0)
		p->block = 1;
	if (!p->mapped && fstat(p->fd, &st) == 0 && S_ISFIFO(st.st_mode))
		/* Fewer, larger reads: the writer may run a block ahead. */
		sys_pipe_grow(p->fd, p->block < PIPE_BLOCK ? (size_t)p->block :
		    PIPE_BLOCK);
	return p;
fail:
	pipe_free(p);
	return NULL;
}

/* Close everything. */
void
pipe_free(struct pipe *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->nfeed; i++)
		pipe_feed_drop(p, &p->feed[i]);
	free(p->feed);
	while (p->npool > 0)
		free(p->pool[--p->npool]);
	if (p->mapped && p->fd == 0 && p->map_off >= 0)
		/* Leave standard input where a reader would have left it. */
		(void)lseek(0, p->map_off + (off_t)p->pos, SEEK_SET);
	if (p->map_base)
		munmap(p->map_base, p->map_size);
	if (p->ownfd)
		close(p->fd);
	if (p->have_re)
		regfree(&p->re);
	if (p->have_rs)
		regfree(&p->re_rs);
	if (p->hdr_kind == 2)
		regfree(&p->hre);
	colsep_free(p->gcs);
	perl_free(p->gperl);
	buf_release(&p->gprev);
	buf_release(&p->gk);
	free(p->gk_at);
	free(p->gk_off);
	free(p->gk_len);
	free(p->gk_in);
	free(p->problem);
	if (p->have_rrs_re & 1)
		regfree(&p->re_start);
	if (p->have_rrs_re & 2)
		regfree(&p->re_end);
	buf_release(&p->in);
	free(p->recend);
	free(p->recstart);
	free(p->pat);
	free(p->rc);
	free(p->hdr);
	free(p->path);
	free(p->tmpdir);
	free(p);
}

/* A new feed for job seq. */
static struct pipe_feed *
pipe_feed_add(struct pipe *p, unsigned long long seq)
{
	struct pipe_feed *f;

	if (p->nfeed == p->feedcap) {
		p->feedcap = p->feedcap ? p->feedcap * 2 : 8;
		p->feed = xreallocarray(p->feed, p->feedcap, sizeof(*p->feed));
	}
	f = &p->feed[p->nfeed++];
	memset(f, 0, sizeof(*f));
	f->seq = seq;
	f->fd = -1;
	return f;
}

/*
 * --cat: write the header and the ready block to fd, whole (a regular
 * file: it blocks at most on the disk).  The block is consumed either
 * way.  Returns 0, or -1 with errno.
 */
static int
pipe_cat_write(struct pipe *p, int fd)
{
	const char *d;
	char *copy;
	size_t len, n = p->ready;
	off_t off;
	int eof, rc;

	p->ready = 0;
	d = pipe_view(p, &len, &eof);
	rc = sys_write_all(fd, p->hdr, p->hdr_len, NULL);
	if (rc == 0 && p->o.rrs) {
		copy = xmemdupz(d, n);
		rc = sys_write_all(fd, copy, pipe_rrs(p, copy, n), NULL);
		free(copy);
	} else if (rc == 0 && p->mapped) {
		off = p->map_off + (off_t)p->pos;
		rc = sys_copy_all(fd, p->fd, &off, off + (off_t)n, NULL);
	} else if (rc == 0)
		rc = sys_write_all(fd, d, n, NULL);
	pipe_consume(p, n);
	return rc;
}

/*
 * --cat and --fifo: put the ready block into a new file (or a named pipe
 * in a new directory) for job seq.  On failure *name is what could not
 * be made or written.
 */
static int
pipe_next_file(struct pipe *p, unsigned long long seq, const char **name)
{
	struct pipe_feed *f = pipe_feed_add(p, seq);
	struct buf b = BUF_INIT;
	int fd, e;

	*name = p->tmpdir;
	if (p->o.cat) {
		if ((fd = sys_named_tmpfile(p->tmpdir, "parx", "",
		    &f->path)) == -1)
			goto fail;
		*name = f->path;
		e = pipe_cat_write(p, fd) == -1 ? errno : 0;
		if (close(fd) == -1 && e == 0)
			e = errno;
		if ((errno = e) != 0)
			return INPUT_ERROR;	/* dropped by pipe_job_done() */
		return INPUT_OK;
	}
	buf_addstr(&b, p->tmpdir);
	buf_addstr(&b, "/parxXXXXXX");
	if (mkdtemp(b.data) == NULL) {
		buf_release(&b);
		goto fail;
	}
	f->dir = xstrdup(b.data);
	buf_addstr(&b, "/fifo");
	f->path = buf_detach(&b, NULL);
	*name = f->path;
	if (mkfifo(f->path, 0600) == -1)
		return INPUT_ERROR;
	f->waiting = 1;
	pipe_give(p, f, 1);
	return INPUT_OK;
fail:
	e = errno;
	pipe_feed_drop(p, f);
	p->nfeed--;
	errno = e;
	p->ready = 0;
	return INPUT_ERROR;
}

/* --tee: a new pipe for job seq, fed from the data's start. */
static int
pipe_tee_next(struct pipe *p, unsigned long long seq, int *fd)
{
	struct pipe_feed *f;
	int pfd[2];

	if ((f = pipe_feed_find(p, seq)) != NULL) {
		f->dead = 1;	/* run again: it starts over */
		pipe_reap(p);
	}
	if (sys_pipe(pfd) == -1)
		return INPUT_ERROR;
	sys_set_nonblock(pfd[1], 1);
	f = pipe_feed_add(p, seq);
	f->fd = pfd[1];
	f->tpos = p->tee_base + p->head;
	*fd = pfd[0];
	return INPUT_OK;
}

/* Every job has its pipe: read the data. */
void
pipe_tee_start(struct pipe *p)
{
	p->tee_go = 1;
	pipe_settle(p);
}

/* The standard input of the next job. */
int
pipe_next(struct pipe *p, unsigned long long seq, int *fd, const char **name)
{
	struct pipe_feed *f;
	int pfd[2], rc;

	*name = NULL;
	*fd = -1;
	if (p->o.tee)
		return pipe_tee_next(p, seq, fd);
	pipe_fill(p);
	if (p->error) {
		errno = p->error;
		return INPUT_ERROR;
	}
	if (!p->ready)
		return p->done ? INPUT_END : INPUT_AGAIN;
	if (p->o.cat || p->o.fifo) {
		rc = pipe_next_file(p, seq, name);
		pipe_settle(p);
		return rc;
	}
	if (sys_pipe(pfd) == -1)
		return INPUT_ERROR;
	sys_set_nonblock(pfd[1], 1);
	sys_pipe_grow(pfd[1], p->ready + p->hdr_len < PIPE_PIPE_MAX ?
	    p->ready + p->hdr_len : PIPE_PIPE_MAX);
	f = pipe_feed_add(p, seq);
	f->fd = pfd[1];
	pipe_give(p, f, 1);
	pipe_settle(p);
	*fd = pfd[0];
	return INPUT_OK;
}

/* A job runs again: its block once more, when it was kept. */
int
pipe_job_again(struct pipe *p, unsigned long long seq, int *fd)
{
	struct pipe_feed *f = pipe_feed_find(p, seq);
	struct pipe_item *it;
	int pfd[2];

	*fd = -1;
	if (f == NULL)
		return 0;
	if (p->o.fifo) {
		/* Opened again only for the end of file: no job hangs. */
		pipe_feed_end(p, f);
		f->waiting = 1;
		return 0;
	}
	if (p->o.cat || f->replay_len + (f->replay != NULL) == 0)
		return 0;
	pipe_feed_end(p, f);
	if (sys_pipe(pfd) == -1)
		return -1;
	sys_set_nonblock(pfd[1], 1);
	sys_pipe_grow(pfd[1], f->replay_len + p->hdr_len < PIPE_PIPE_MAX ?
	    f->replay_len + p->hdr_len : PIPE_PIPE_MAX);
	f->fd = pfd[1];
	if (p->hdr_len > 0) {
		it = &f->item[f->nitem++];
		it->mem = p->hdr;
		it->len = p->hdr_len;
	}
	it = &f->item[f->nitem++];
	it->len = f->replay_len;
	if (f->replay != NULL)
		it->mem = f->replay;	/* not owned: the feed keeps it */
	else
		it->foff = f->replay_foff;
	pipe_feed_run(p, f);
	pipe_settle(p);
	*fd = pfd[0];
	return 0;
}

/* A job has ended. */
void
pipe_job_done(struct pipe *p, unsigned long long seq)
{
	struct pipe_feed *f = pipe_feed_find(p, seq);

	if (f == NULL)
		return;
	f->dead = 1;
	pipe_reap(p);
	pipe_settle(p);
}

/* --tee: the input while the jobs keep up, the feeds behind. */
static size_t
pipe_tee_pollfds(struct pipe *p, struct pollfd *pfd, size_t max,
    int take_input)
{
	size_t i, k = 0;

	if (!take_input && !p->done) {
		/* Stopping: the jobs get what has been read. */
		p->done = 1;
		pipe_settle(p);
	}
	if (p->tee_go && !p->eof && !p->done && !p->error &&
	    p->in.len - p->head < PIPE_TEE_MAX && k < max) {
		pfd[k].fd = p->fd;
		pfd[k].events = POLLIN;
		pfd[k++].revents = 0;
	}
	for (i = 0; i < p->nfeed && k < max; i++) {
		if (p->feed[i].fd < 0 ||
		    p->feed[i].tpos == p->tee_base + p->in.len)
			continue;
		pfd[k].fd = p->feed[i].fd;
		pfd[k].events = POLLOUT;
		pfd[k++].revents = 0;
	}
	return k;
}

/* What to poll. */
size_t
pipe_pollfds(struct pipe *p, struct pollfd *pfd, size_t max, int take_input,
    long *ms)
{
	size_t i, k = 0;

	for (i = 0; i < p->nfeed; i++)
		if (p->feed[i].waiting && (*ms < 0 || *ms > PIPE_FIFO_MS))
			*ms = PIPE_FIFO_MS;

	if (p->o.tee)
		return pipe_tee_pollfds(p, pfd, max, take_input);
	if (!take_input && !p->done) {
		/* Stopping: no more blocks; the feeds finish what they hold. */
		p->done = 1;
		p->ready = 0;
		pipe_settle(p);
	}
	if (!p->mapped && !p->eof && !p->done && !p->ready && !p->error &&
	    k < max) {
		pfd[k].fd = p->fd;
		pfd[k].events = POLLIN;
		pfd[k++].revents = 0;
	}
	for (i = 0; i < p->nfeed && k < max; i++) {
		if (p->feed[i].fd < 0 || p->feed[i].nitem == 0)
			continue;
		pfd[k].fd = p->feed[i].fd;
		pfd[k].events = POLLOUT;
		pfd[k++].revents = 0;
	}
	return k;
}

/* Act on what poll() found. */
int
pipe_events(struct pipe *p, const struct pollfd *pfd, size_t n)
{
	size_t i, k = 0;
	int rc = 0;

	if (k < n && pfd[k].fd == p->fd && pfd[k].events == POLLIN) {
		if (pfd[k].revents && (p->o.tee ? pipe_tee_read(p) :
		    pipe_read(p)) == -1)
			rc = -1;
		k++;
	}
	/* pfd lists the feeds in order, as pipe_pollfds() made it. */
	for (i = 0; !p->o.tee && i < p->nfeed && k < n; i++) {
		struct pipe_feed *f = &p->feed[i];

		if (f->fd < 0 || f->fd != pfd[k].fd)
			continue;
		if (pfd[k].revents)
			pipe_feed_run(p, f);
		k++;
	}
	pipe_settle(p);
	if (rc == -1)
		errno = p->error;
	return rc;
}

/* Whether job seq's block came from here. */
int
pipe_owns(const struct pipe *p, unsigned long long seq)
{
	return pipe_feed_index(p, seq) < p->nfeed;
}

/* Whether every job that had a block has ended. */
int
pipe_idle(const struct pipe *p)
{
	return p->nfeed == 0;
}

/* The most descriptors to poll. */
size_t
pipe_maxfds(const struct pipe *p)
{
	return p->e.nslots + 2;
}

/* What went wrong with the data itself. */
const char *
pipe_problem(const struct pipe *p)
{
	return p->problem;
}

/* The data's name. */
const char *
pipe_culprit(const struct pipe *p)
{
	return p->path;
}

/* --pipe-part: the file range of the block pipe_next() gave last. */
int
pipe_last_part(const struct pipe *p, long long *off, size_t *len,
    long long *hoff, size_t *hlen)
{
	if (!p->mapped || !p->o.part || p->last_len == 0)
		return -1;
	*off = (long long)p->last_foff;
	*len = p->last_len;
	*hlen = p->last_hlen;
	*hoff = (long long)p->hdr_foff;
	return 0;
}

/* SPDX-License-Identifier: ISC */
/*
 * The timeline picture.  Collecting: a job goes into the busy time of the
 * bins it spans (for the panel of running jobs), then either into a record
 * of its own or into the counts of its slot's bin.  Bins start one
 * nanosecond wide and double (merging in pairs) whenever a job ends past
 * the last one, so they always cover the run in TIMELINE_BINS bins or
 * fewer, each at most one pixel of the finished picture.  Records of jobs
 * shorter than a bin move into the bins once the records double in
 * number: jobs of one slot never overlap, so the records left are at most
 * TIMELINE_BINS per slot.
 *
 * Drawing: per slot, a job at least one column wide is a bar of its own;
 * shorter ones are gathered per column (by their start); a column that
 * gathered one recorded job draws it, one that gathered more draws one
 * merged bar, fainter the less of the column its jobs kept busy, and
 * neighbouring merged columns alike in colour and shade become one bar.
 */
#include "timeline.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "buf.h"
#include "utf8.h"
#include "xalloc.h"

#define TL_PW		1000	/* the time axis, in pixels */
#define TL_ML		72	/* left margin: slot labels */
#define TL_MR		28
#define TL_W		(TL_ML + TL_PW + TL_MR)
#define TL_TOP		92	/* the first row */
#define TL_ROW_H	22.0	/* a row, at most */
#define TL_ROWS_H	440.0	/* all rows, at most */
#define TL_PANEL_H	64	/* the running jobs */
#define TL_MAXCOLS	16000	/* columns in all rows together, at most */
#define TL_ARGCHARS	80	/* characters of arguments in a title */
#define TL_ARGBYTES	512	/* bytes of arguments taken from a job */
#define TL_NOTECHARS	140	/* characters of a line of notes */

/* The worst outcome comes last: a merged bar shows its worst job's. */
static const char *const tl_class[JOB_NOUTCOME] = {
	[JOB_SUCCEEDED] = "ok",
	[JOB_FAILED] = "failed",
	[JOB_NOT_RUN] = "notrun",
	[JOB_KILLED] = "killed",
};

static const char *const tl_colour[JOB_NOUTCOME] = {
	[JOB_SUCCEEDED] = "#3a9a5b",
	[JOB_FAILED] = "#d7404f",
	[JOB_NOT_RUN] = "#98a2ad",
	[JOB_KILLED] = "#f29d1a",
};

/* The legend's order. */
static const int tl_legend_order[JOB_NOUTCOME] = {
	JOB_SUCCEEDED, JOB_FAILED, JOB_KILLED, JOB_NOT_RUN
};

static const char *const tl_legend[JOB_NOUTCOME] = {
	[JOB_SUCCEEDED] = "succeeded",
	[JOB_FAILED] = "failed",
	[JOB_NOT_RUN] = "not run",
	[JOB_KILLED] = "killed (signal, timeout)",
};

/* Opacity of a merged bar by the share of its column its jobs ran. */
static const char *const tl_shade[4] = { ".3", ".5", ".75", "1" };

/* A job with its own record. */
struct tl_rec {
	double			 start;
	double			 runtime;
	unsigned long long	 seq;
	unsigned long		 slot;
	int			 outcome;
	int			 exit;
	int			 sig;
	char			*args;		/* cleaned for XML, owned */
};

/* Jobs counted together: in a bin, or in a merged bar. */
struct tl_count {
	unsigned long		 n[JOB_NOUTCOME];
	double			 busy;		/* their runtimes, s */
	unsigned long long	 lo, hi;	/* their seqs */
};

/* The jobs of one slot that started in one bin and have no record. */
struct tl_bin {
	size_t			 idx;
	struct tl_count		 c;
};

/* One slot's bins, by idx. */
struct tl_row {
	struct tl_bin		*bin;
	size_t			 nbin;
	size_t			 cap;
};

struct timeline {
	unsigned long		 nrows;
	struct tl_row		*row;
	struct tl_rec		*rec;
	size_t			 nrec;
	size_t			 caprec;
	size_t			 prune_at;
	double			 w;		/* bin width, s */
	double			 busy[TIMELINE_BINS];	/* all jobs */
	unsigned long long	 njobs;
	unsigned long long	 n[JOB_NOUTCOME];
	double			 end;		/* the last end */
};

/* The short jobs that started in one column of a row. */
struct tl_col {
	struct tl_count		 c;
	const struct tl_rec	*only;		/* the recorded one, if any */
};

/* A new timeline. */
struct timeline *
timeline_new(unsigned long nslots)
{
	struct timeline *tl = xcalloc(1, sizeof(*tl));

	tl->nrows = nslots ? nslots : 1;
	tl->row = xcalloc(tl->nrows, sizeof(*tl->row));
	tl->w = ldexp(1, -30);		/* about a nanosecond */
	tl->prune_at = 2 * TIMELINE_KEEP;
	return tl;
}

/* Free a timeline. */
void
timeline_free(struct timeline *tl)
{
	unsigned long i;
	size_t k;

	if (tl == NULL)
		return;
	for (i = 0; i < tl->nrows; i++)
		free(tl->row[i].bin);
	for (k = 0; k < tl->nrec; k++)
		free(tl->rec[k].args);
	free(tl->row);
	free(tl->rec);
	free(tl);
}

/* How many jobs c counts. */
static unsigned long
tl_total(const struct tl_count *c)
{
	unsigned long n = 0;
	int o;

	for (o = 0; o < JOB_NOUTCOME; o++)
		n += c->n[o];
	return n;
}

/* Count the jobs of from in to as well. */
static void
tl_merge(struct tl_count *to, const struct tl_count *from)
{
	int o;

	if (tl_total(from) == 0)
		return;
	if (tl_total(to) == 0 || from->lo < to->lo)
		to->lo = from->lo;
	if (from->hi > to->hi)
		to->hi = from->hi;
	for (o = 0; o < JOB_NOUTCOME; o++)
		to->n[o] += from->n[o];
	to->busy += from->busy;
}

/* Count one job in c. */
static void
tl_count_job(struct tl_count *c, int outcome, double runtime,
    unsigned long long seq)
{
	struct tl_count one;

	memset(&one, 0, sizeof(one));
	one.n[outcome] = 1;
	one.busy = runtime;
	one.lo = one.hi = seq;
	tl_merge(c, &one);
}

/* The bin idx of row r, made when missing (the bins stay sorted). */
static struct tl_bin *
tl_bin_at(struct tl_row *r, size_t idx)
{
	size_t lo = 0, hi = r->nbin, mid;

	/* Jobs mostly end in order: look at the last bin first. */
	if (r->nbin > 0 && r->bin[r->nbin - 1].idx <= idx)
		lo = r->nbin - 1;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (r->bin[mid].idx < idx)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < r->nbin && r->bin[lo].idx == idx)
		return &r->bin[lo];
	if (r->nbin == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 16;
		r->bin = xreallocarray(r->bin, r->cap, sizeof(*r->bin));
	}
	memmove(&r->bin[lo + 1], &r->bin[lo],
	    (r->nbin - lo) * sizeof(*r->bin));
	r->nbin++;
	memset(&r->bin[lo], 0, sizeof(*r->bin));
	r->bin[lo].idx = idx;
	return &r->bin[lo];
}

/* Count a job without a record in its slot's bin. */
static void
tl_bin_add(struct timeline *tl, unsigned long slot, double start,
    double runtime, int outcome, unsigned long long seq)
{
	size_t idx = (size_t)(start / tl->w);

	if (idx >= TIMELINE_BINS)
		idx = TIMELINE_BINS - 1;
	tl_count_job(&tl_bin_at(&tl->row[slot - 1], idx)->c, outcome, runtime,
	    seq);
}

/* Twice as wide bins: merge them in pairs. */
static void
tl_widen(struct timeline *tl)
{
	struct tl_row *r;
	unsigned long i;
	size_t k, out;

	tl->w *= 2;
	for (k = 0; k < TIMELINE_BINS / 2; k++)
		tl->busy[k] = tl->busy[2 * k] + tl->busy[2 * k + 1];
	memset(tl->busy + TIMELINE_BINS / 2, 0,
	    TIMELINE_BINS / 2 * sizeof(tl->busy[0]));
	for (i = 0; i < tl->nrows; i++) {
		r = &tl->row[i];
		out = 0;
		for (k = 0; k < r->nbin; k++) {
			r->bin[k].idx /= 2;
			if (out > 0 && r->bin[out - 1].idx == r->bin[k].idx)
				tl_merge(&r->bin[out - 1].c, &r->bin[k].c);
			else
				r->bin[out++] = r->bin[k];
		}
		r->nbin = out;
	}
}

/* Add [start, end) to the busy time of the bins it spans. */
static void
tl_busy(struct timeline *tl, double start, double end)
{
	size_t b = (size_t)(start / tl->w), last = (size_t)(end / tl->w);
	double lo, hi;

	if (last >= TIMELINE_BINS)
		last = TIMELINE_BINS - 1;
	for (; b <= last; b++) {
		lo = fmax(start, b * tl->w);
		hi = fmin(end, (b + 1) * tl->w);
		if (hi > lo)
			tl->busy[b] += hi - lo;
	}
}

/*
 * Whether the valid UTF-8 character u (k bytes) may stand in the picture
 * as it is: not a control character, nor U+FFFE or U+FFFF, which XML
 * forbids.
 */
static int
tl_plain(const unsigned char *u, size_t k)
{
	return u[0] >= 0x20 && u[0] != 0x7f && !(k == 3 && u[0] == 0xef &&
	    u[1] == 0xbf && u[2] >= 0xbe);
}

/*
 * Copy args (len bytes) for a title: at most TL_ARGCHARS characters, then
 * U+2026; each byte that is not valid UTF-8 becomes U+FFFD, each other
 * character that may not stand as it is (a newline too) '?'.
 */
static char *
tl_clean(const char *args, size_t len)
{
	struct buf b = BUF_INIT;
	size_t at = 0, k, nchar = 0;
	const unsigned char *u;

	while (at < len) {
		if (nchar++ == TL_ARGCHARS) {
			buf_addstr(&b, "\xe2\x80\xa6");
			break;
		}
		u = (const unsigned char *)args + at;
		k = utf8_char(args + at, len - at);
		if (k == 0) {
			buf_addstr(&b, "\xef\xbf\xbd");
			k = 1;
		} else if (!tl_plain(u, k)) {
			buf_addch(&b, '?');
		} else {
			buf_add(&b, args + at, k);
		}
		at += k;
	}
	return buf_detach(&b, NULL);
}

/* Keep a record of the job. */
static void
tl_keep(struct timeline *tl, const struct timeline_job *tj,
    unsigned long slot, double start, double runtime)
{
	struct tl_rec *rc;

	if (tl->nrec == tl->caprec) {
		tl->caprec = tl->caprec ? 2 * tl->caprec : 64;
		tl->rec = xreallocarray(tl->rec, tl->caprec, sizeof(*tl->rec));
	}
	rc = &tl->rec[tl->nrec++];
	rc->start = start;
	rc->runtime = runtime;
	rc->seq = tj->seq;
	rc->slot = slot;
	rc->outcome = tj->outcome;
	rc->exit = tj->exit;
	rc->sig = tj->sig;
	rc->args = tl_clean(tj->args ? tj->args : "", tj->argslen);
}

/* Move the records of jobs shorter than a bin into the bins. */
static void
tl_prune(struct timeline *tl)
{
	struct tl_rec *rc;
	size_t k, out = 0;

	for (k = 0; k < tl->nrec; k++) {
		rc = &tl->rec[k];
		if (rc->runtime < tl->w) {
			tl_bin_add(tl, rc->slot, rc->start, rc->runtime,
			    rc->outcome, rc->seq);
			free(rc->args);
		} else {
			tl->rec[out++] = *rc;
		}
	}
	tl->nrec = out;
	tl->prune_at = 2 * (out > TIMELINE_KEEP ? out : TIMELINE_KEEP);
}

/* A time as the timeline takes it: within 0..TIMELINE_MAX_S. */
static double
tl_time(double t)
{
	if (!(t > 0))
		return 0;	/* NaN too */
	return t < TIMELINE_MAX_S ? t : TIMELINE_MAX_S;
}

/* Add a job. */
void
timeline_add(struct timeline *tl, const struct timeline_job *tj)
{
	double start = tl_time(tj->start), runtime = tl_time(tj->runtime);
	unsigned long slot = tj->slot ? tj->slot : 1;
	int outcome = (unsigned)tj->outcome < JOB_NOUTCOME ? (int)tj->outcome :
	    JOB_FAILED;

	if (slot > tl->nrows) {
		tl->row = xreallocarray(tl->row, slot, sizeof(*tl->row));
		memset(tl->row + tl->nrows, 0,
		    (slot - tl->nrows) * sizeof(*tl->row));
		tl->nrows = slot;
	}
	while (start + runtime >= TIMELINE_BINS * tl->w)
		tl_widen(tl);
	tl_busy(tl, start, start + runtime);
	tl->njobs++;
	tl->n[outcome]++;
	if (start + runtime > tl->end)
		tl->end = start + runtime;
	if (tl->nrec < TIMELINE_KEEP || runtime >= tl->w)
		tl_keep(tl, tj, slot, start, runtime);
	else
		tl_bin_add(tl, slot, start, runtime, outcome, tj->seq);
	if (tl->nrec >= tl->prune_at)
		tl_prune(tl);
}

/* Fill a timeline job from a finished job. */
void
timeline_job_init(struct timeline_job *tj, const struct job *j,
    const struct timespec *origin, struct buf *args)
{
	const struct spawn_res *r = &j->res;

	tj->seq = j->seq;
	tj->slot = j->slot;
	tj->start = (double)(r->start_mono.tv_sec - origin->tv_sec) +
	    (r->start_mono.tv_nsec - origin->tv_nsec) / 1e9;
	tj->runtime = (double)(r->end_mono.tv_sec - r->start_mono.tv_sec) +
	    (r->end_mono.tv_nsec - r->start_mono.tv_nsec) / 1e9;
	tj->outcome = job_outcome(j);
	tj->exit = r->spawn_errno ? WEXITSTATUS(r->status) : job_exitval(j);
	tj->sig = job_signal(j);
	buf_reset(args);
	job_args_text(j, args, TL_ARGBYTES);
	tj->args = args->data ? args->data : "";
	tj->argslen = args->len;
}

/* n with a comma between thousands. */
static const char *
tl_count(char *out, size_t size, unsigned long long n)
{
	char digits[32];
	size_t len, i, o = 0;

	len = (size_t)snprintf(digits, sizeof(digits), "%llu", n);
	for (i = 0; i < len && o + 2 < size; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = '\0';
	return out;
}

/* A duration (or a time) with a unit that suits it. */
static const char *
tl_dur(char *out, size_t size, double s)
{
	if (s < 1e-3)
		snprintf(out, size, "%.1f \xc2\xb5s", s * 1e6);
	else if (s < 1)
		snprintf(out, size, "%.2f ms", s * 1e3);
	else if (s < 100)
		snprintf(out, size, "%.3f s", s);
	else
		snprintf(out, size, "%.1f s", s);
	return out;
}

/*
 * Write s as XML character data: escaped, and, as in titles, each byte
 * that is not valid UTF-8 as U+FFFD and each control character as '?'.
 */
static void
tl_xml(FILE *f, const char *s)
{
	const unsigned char *u;
	size_t len = strlen(s), at = 0, k;

	while (at < len) {
		u = (const unsigned char *)s + at;
		k = utf8_char(s + at, len - at);
		if (k == 0) {
			fputs("\xef\xbf\xbd", f);
			k = 1;
		} else if (*u == '&') {
			fputs("&amp;", f);
		} else if (*u == '<') {
			fputs("&lt;", f);
		} else if (*u == '>') {
			fputs("&gt;", f);
		} else if (*u != '\n' && !tl_plain(u, k)) {
			putc('?', f);
		} else {
			fwrite(s + at, 1, k, f);
		}
		at += k;
	}
}

/* The last line of a job's title: how it ended. */
static void
tl_ending(FILE *f, const struct tl_rec *rc)
{
	const char *name;

	switch (rc->outcome) {
	case JOB_SUCCEEDED:
		fprintf(f, "exit %d", rc->exit);
		break;
	case JOB_FAILED:
		fprintf(f, "exit %d (failed)", rc->exit);
		break;
	case JOB_NOT_RUN:
		fprintf(f, "not run: exit %d", rc->exit);
		break;
	default:
		if (rc->exit == -1) {
			fputs("timed out (--timeout), exit -1", f);
			break;
		}
		name = sigabbrev_np(rc->sig);
		fprintf(f, "killed by signal %d%s%s%s", rc->sig,
		    name ? " (SIG" : "", name ? name : "", name ? ")" : "");
		break;
	}
}

/* Geometry shared by the parts of the picture. */
struct tl_geo {
	double			 top;		/* the first row's top */
	double			 px;		/* seconds per pixel */
	double			 cw;		/* a column, px */
	size_t			 ncol;		/* columns per row */
	double			 rh;		/* a row, px */
	double			 pad;		/* above and below a bar */
	double			 rows_bottom;
	double			 panel_top;
	double			 panel_bottom;
	double			 height;
};

/* The bar of one recorded job. */
static void
tl_job_bar(FILE *f, const struct tl_geo *g, const struct tl_rec *rc)
{
	char d0[32], d1[32];
	double w = rc->runtime / g->px;

	if (w < 1)
		w = 1;
	else if (w > 4)
		w -= 1.5;	/* a gap between neighbours */
	fprintf(f, "<rect class=\"job %s\" x=\"%.2f\" y=\"%.2f\" "
	    "width=\"%.2f\" height=\"%.2f\"><title>seq %llu, slot %lu\n"
	    "args: ", tl_class[rc->outcome], TL_ML + rc->start / g->px,
	    g->top + (rc->slot - 1) * g->rh + g->pad, w, g->rh - 2 * g->pad,
	    rc->seq, rc->slot);
	tl_xml(f, *rc->args ? rc->args : "(none)");
	fprintf(f, "\nstarted at %s, ran %s\n",
	    tl_dur(d0, sizeof(d0), rc->start),
	    tl_dur(d1, sizeof(d1), rc->runtime));
	tl_ending(f, rc);
	fputs("</title></rect>\n", f);
	/* Its seq inside, where it fits. */
	if (g->rh >= 14 && w >= 9 + 7 * floor(log10((double)rc->seq)))
		fprintf(f, "<text class=\"seq\" x=\"%.2f\" y=\"%.2f\">%llu"
		    "</text>\n", TL_ML + rc->start / g->px + 4,
		    g->top + (rc->slot - 0.5) * g->rh + 3.5, rc->seq);
}

/* The worst outcome among the jobs c counts. */
static int
tl_worst(const struct tl_count *c)
{
	int o;

	for (o = JOB_NOUTCOME - 1; o > 0; o--)
		if (c->n[o])
			break;
	return o;
}

/* How busy a merged bar's jobs kept it: 0..3. */
static int
tl_level(const struct tl_count *c, double seconds)
{
	double share = seconds > 0 ? c->busy / seconds : 1;

	return share >= 0.75 ? 3 : share >= 0.5 ? 2 : share >= 0.25 ? 1 : 0;
}

/* A merged bar over columns c0..c1 of row slot. */
static void
tl_merged_bar(FILE *f, const struct tl_geo *g, unsigned long slot,
    size_t c0, size_t c1, const struct tl_count *m)
{
	char num[32], d0[32], d1[32];
	double secs = (double)(c1 - c0 + 1) * g->cw * g->px;
	int o, first = 1;

	fprintf(f, "<rect class=\"jobs %s l%d\" x=\"%.2f\" y=\"%.2f\" "
	    "width=\"%.2f\" height=\"%.2f\"><title>%s job%s in slot %lu, "
	    "seq %llu\xe2\x80\x93%llu\n", tl_class[tl_worst(m)],
	    tl_level(m, secs), TL_ML + c0 * g->cw,
	    g->top + (slot - 1) * g->rh + g->pad, (c1 - c0 + 1) * g->cw,
	    g->rh - 2 * g->pad, tl_count(num, sizeof(num), tl_total(m)),
	    tl_total(m) == 1 ? "" : "s", slot,
	    m->lo,
	    m->hi);
	for (o = 0; o < JOB_NOUTCOME; o++) {
		if (m->n[o] == 0)
			continue;
		fprintf(f, "%s%s %s", first ? "" : ", ",
		    tl_count(num, sizeof(num), m->n[o]), tl_legend[o]);
		first = 0;
	}
	fprintf(f, "\nfrom %s to %s, running %.0f%% of the time"
	    "</title></rect>\n", tl_dur(d0, sizeof(d0), c0 * g->cw * g->px),
	    tl_dur(d1, sizeof(d1), (c1 + 1) * g->cw * g->px),
	    secs > 0 ? fmin(100, 100 * m->busy / secs) : 100);
}

/* Draw the merged bars of one row from its columns. */
static void
tl_row_merged(FILE *f, const struct tl_geo *g, unsigned long slot,
    const struct tl_col *col)
{
	struct tl_count run;
	size_t c, c0 = 0;
	int open = 0, cls = 0, lvl = 0, ccls, clvl;
	double cs = g->cw * g->px;
	unsigned long n;

	memset(&run, 0, sizeof(run));
	for (c = 0; c <= g->ncol; c++) {
		n = c < g->ncol ? tl_total(&col[c].c) : 0;
		if (n == 1 && col[c].only) {
			tl_job_bar(f, g, col[c].only);
			n = 0;
		}
		ccls = n ? tl_worst(&col[c].c) : -1;
		clvl = n ? tl_level(&col[c].c, cs) : -1;
		if (open && (ccls != cls || clvl != lvl)) {
			tl_merged_bar(f, g, slot, c0, c - 1, &run);
			open = 0;
		}
		if (n == 0)
			continue;
		if (!open) {
			memset(&run, 0, sizeof(run));
			c0 = c;
			cls = ccls;
			lvl = clvl;
			open = 1;
		}
		tl_merge(&run, &col[c].c);
	}
}

/*
 * The column of n that time x falls in, n past the last; a time far out
 * of proportion to the width (an events file from --plot may hold any
 * numbers) is clamped before the conversion, which it would overflow.
 */
static size_t
tl_col(double x, double width, size_t n)
{
	double c = x / width;

	if (!(c >= 0))
		return 0;
	return c >= (double)n ? n : (size_t)c;
}

/* Put [start, start + len) of busy time into the columns it overlaps. */
static void
tl_spread(double *acc, size_t n, double width, double start, double len,
    double busy)
{
	size_t c = tl_col(start, width, n), last;
	double lo, hi;

	if (len <= 0) {
		if (c < n)
			acc[c] += busy;
		return;
	}
	last = tl_col(start + len, width, n);
	for (; c <= last && c < n; c++) {
		lo = fmax(start, c * width);
		hi = fmin(start + len, (c + 1) * width);
		if (hi > lo)
			acc[c] += busy * (hi - lo) / len;
	}
}

static int
tl_rec_cmp(const void *a, const void *b)
{
	const struct tl_rec *x = a, *y = b;

	if (x->slot != y->slot)
		return x->slot < y->slot ? -1 : 1;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The bars of every row. */
static void
tl_rows(FILE *f, struct timeline *tl, const struct tl_geo *g)
{
	struct tl_col *col = xcalloc(g->ncol, sizeof(*col));
	double *busy = xcalloc(g->ncol, sizeof(*busy));
	double cs = g->cw * g->px;
	const struct tl_rec *rc;
	const struct tl_bin *b;
	struct tl_col *c;
	struct tl_count part;
	unsigned long slot;
	size_t k = 0, i, at;

	for (slot = 1; slot <= tl->nrows; slot++) {
		memset(col, 0, g->ncol * sizeof(*col));
		memset(busy, 0, g->ncol * sizeof(*busy));
		for (; k < tl->nrec && tl->rec[k].slot == slot; k++) {
			rc = &tl->rec[k];
			if (rc->runtime >= cs) {
				tl_job_bar(f, g, rc);
				continue;
			}
			at = (size_t)(rc->start / cs);
			c = &col[at < g->ncol ? at : g->ncol - 1];
			c->only = rc;
			tl_count_job(&c->c, rc->outcome, 0, rc->seq);
			tl_spread(busy, g->ncol, cs, rc->start, rc->runtime,
			    rc->runtime);
		}
		for (i = 0; i < tl->row[slot - 1].nbin; i++) {
			b = &tl->row[slot - 1].bin[i];
			at = (size_t)((b->idx + 0.5) * tl->w / cs);
			c = &col[at < g->ncol ? at : g->ncol - 1];
			part = b->c;
			part.busy = 0;
			tl_merge(&c->c, &part);
			tl_spread(busy, g->ncol, cs, b->idx * tl->w, tl->w,
			    b->c.busy);
		}
		for (i = 0; i < g->ncol; i++)
			col[i].c.busy = busy[i];
		tl_row_merged(f, g, slot, col);
	}
	free(busy);
	free(col);
}

/* A step of about a tenth of span: 1, 2 or 5 times a power of ten. */
static double
tl_tick_step(double span)
{
	double raw = span / 10, mag = pow(10, floor(log10(raw)));

	if (raw <= mag)
		return mag;
	if (raw <= 2 * mag)
		return 2 * mag;
	if (raw <= 5 * mag)
		return 5 * mag;
	return 10 * mag;
}

/* The time axis under the panel, with the grid over rows and panel. */
static void
tl_axis(FILE *f, const struct tl_geo *g, double wall)
{
	double step = tl_tick_step(wall), unit = 1, t, x, v;
	const char *uname = "s";
	int decimals;
	long i;

	if (wall < 1e-3) {
		unit = 1e-6;
		uname = "\xc2\xb5s";
	} else if (wall < 1) {
		unit = 1e-3;
		uname = "ms";
	}
	v = step / unit;
	decimals = v >= 1 ? 0 : (int)ceil(-log10(v) - 1e-9);
	fprintf(f, "<g class=\"axis\">\n<line x1=\"%d\" y1=\"%.2f\" "
	    "x2=\"%d\" y2=\"%.2f\" stroke=\"#555\"/>\n", TL_ML,
	    g->panel_bottom, TL_ML + TL_PW, g->panel_bottom);
	for (i = 0; (t = i * step) <= wall * (1 + 1e-9); i++) {
		x = TL_ML + t / g->px;
		fprintf(f, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" "
		    "y2=\"%.2f\" stroke=\"#ddd\"/>\n<line x1=\"%.2f\" y1=\"%.2f\" "
		    "x2=\"%.2f\" y2=\"%.2f\" stroke=\"#555\"/>\n"
		    "<text x=\"%.2f\" y=\"%.2f\" text-anchor=\"middle\">"
		    "%.*f %s</text>\n", x, g->top, x, g->panel_bottom, x,
		    g->panel_bottom, x, g->panel_bottom + 5, x,
		    g->panel_bottom + 18, decimals, t / unit, uname);
	}
	fprintf(f, "<text x=\"%d\" y=\"%.2f\" text-anchor=\"end\" "
	    "fill=\"#555\">time since the start</text>\n</g>\n", TL_ML + TL_PW,
	    g->panel_bottom + 34);
}

/* The panel of running jobs: their mean number in each pixel column. */
static void
tl_panel(FILE *f, const struct timeline *tl, const struct tl_geo *g)
{
	double *run = xcalloc(TL_PW, sizeof(*run)), y, last = -1, scale;
	double peak = 0;
	size_t b, x;

	for (b = 0; b < TIMELINE_BINS; b++)
		if (tl->busy[b] > 0)
			tl_spread(run, TL_PW, g->px, b * tl->w, tl->w,
			    tl->busy[b]);
	for (x = 0; x < TL_PW; x++)
		if (run[x] / g->px > peak)
			peak = run[x] / g->px;
	scale = (double)tl->nrows;
	fprintf(f, "<g class=\"running\">\n<text x=\"%d\" y=\"%.2f\" "
	    "text-anchor=\"end\">%lu</text>\n<text x=\"%d\" y=\"%.2f\" text-anchor=\"end\">0</text>\n"
	    "<text x=\"%d\" y=\"%.2f\" text-anchor=\"end\" fill=\"#555\">"
	    "running</text>\n<path fill=\"#5b8fd0\" fill-opacity=\".45\" "
	    "stroke=\"#2f64a8\" stroke-width=\"1\" d=\"M%d %.2f",
	    TL_ML - 8, g->panel_top + 10, tl->nrows, TL_ML - 8,
	    g->panel_bottom, TL_ML - 8, g->panel_top + TL_PANEL_H / 2.0 + 4, TL_ML,
	    g->panel_bottom);
	for (x = 0; x < TL_PW; x++) {
		y = g->panel_bottom - fmin(run[x] / g->px / scale, 1) *
		    TL_PANEL_H;
		if (fabs(y - last) >= 0.05) {
			fprintf(f, "V%.1f", y);
			last = y;
		}
		fprintf(f, "h1");
		/* Collapse a flat stretch into one step. */
		while (x + 1 < TL_PW && fabs(g->panel_bottom -
		    fmin(run[x + 1] / g->px / scale, 1) * TL_PANEL_H - y) <
		    0.05) {
			fprintf(f, "h1");
			x++;
		}
	}
	fprintf(f, "V%.2fZ\"><title>running jobs, at most %lu at once "
	    "(-j); busiest pixel column: %.1f on average</title></path>\n"
	    "</g>\n", g->panel_bottom, tl->nrows, peak);
	free(run);
}

/* What the heading says of one run: its mode, -j, jobs and time. */
static void
tl_run_text(FILE *f, const struct timeline *tl, const struct timeline_head *h)
{
	char num[32], dur[32];

	if (h->label) {
		tl_xml(f, h->label);
		fputs(": ", f);
	}
	if (tl->njobs == 0 && h->span) {
		fprintf(f, "%s mode: no job recorded", h->mode ? h->mode :
		    "?");
		return;
	}
	fprintf(f, "%s mode, -j %lu, %s job%s, %s%s%s", h->mode ? h->mode :
	    "?", h->slots, tl_count(num, sizeof(num), tl->njobs),
	    tl->njobs == 1 ? "" : "s",
	    h->span ? "" : "wall ", tl_dur(dur, sizeof(dur), h->wall),
	    h->span ? " from the first start to the last end" : "");
}

/*
 * The line under the heading, and the legend: the outcomes' colours, with
 * their numbers of jobs when n is not NULL, and the shades of merged bars
 * when there are any.
 */
static void
tl_legend_line(FILE *f, double dy, const unsigned long long *n, double cw,
    int merged)
{
	char num[32];
	double x = TL_ML;
	int i, o;

	fprintf(f, "<g class=\"legend\" transform=\"translate(0 %.0f)\">\n"
	    "<text x=\"%d\" y=\"50\" fill=\"#555\">One row per job slot, one "
	    "bar per job from its start to its end; jobs shorter than %.3g "
	    "pixel%s merged per slot and column.</text>\n", dy, TL_ML, cw,
	    cw >= 1.5 ? "s" : "");
	for (i = 0; i < JOB_NOUTCOME; i++) {
		o = tl_legend_order[i];
		num[0] = '\0';
		if (n) {
			memcpy(num, ": ", 3);
			tl_count(num + 2, sizeof(num) - 2, n[o]);
		}
		fprintf(f, "<rect class=\"%s\" x=\"%.0f\" y=\"62\" "
		    "width=\"14\" height=\"14\"/><text x=\"%.0f\" y=\"74\">%s%s</text>\n",
		    tl_class[o], x, x + 19, tl_legend[o], num);
		x += 19 + 6.7 * (strlen(tl_legend[o]) + strlen(num)) + 22;
	}
	if (merged) {
		for (o = 0; o < 4; o++)
			fprintf(f, "<rect class=\"ok\" fill-opacity=\"%s\" "
			    "x=\"%.0f\" y=\"62\" width=\"7\" height=\"14\"/>\n",
			    tl_shade[o], x + 7 * o);
		fprintf(f, "<text x=\"%.0f\" y=\"74\">merged: share of the "
		    "time running</text>\n", x + 33);
	}
	fputs("</g>\n", f);
}

/* The background of the rows and of the panel, and the rows' labels. */
static void
tl_grid(FILE *f, const struct timeline *tl, const struct tl_geo *g)
{
	unsigned long slot, every = (unsigned long)ceil(14 / g->rh);

	fprintf(f, "<rect x=\"%d\" y=\"%.2f\" width=\"%d\" height=\"%.2f\" "
	    "fill=\"#f4f6f8\"/>\n<rect x=\"%d\" y=\"%.2f\" width=\"%d\" "
	    "height=\"%d\" fill=\"#f4f6f8\"/>\n", TL_ML, g->top, TL_PW,
	    g->rows_bottom - g->top, TL_ML, g->panel_top, TL_PW, TL_PANEL_H);
	for (slot = 1; slot <= tl->nrows; slot++) {
		if (g->rh >= 8 && slot % 2 == 0)
			fprintf(f, "<rect x=\"%d\" y=\"%.2f\" width=\"%d\" "
			    "height=\"%.2f\" fill=\"#e9edf1\"/>\n", TL_ML,
			    g->top + (slot - 1) * g->rh, TL_PW, g->rh);
		if ((slot - 1) % every == 0)
			fprintf(f, "<text x=\"%d\" y=\"%.2f\" "
			    "text-anchor=\"end\">%lu</text>\n", TL_ML - 8,
			    g->top + (slot - 0.5) * g->rh + 4, slot);
	}
}

/* Whether any row holds merged bars. */
static int
tl_has_merged(const struct timeline *tl, double cs)
{
	unsigned long i;
	size_t k;

	for (i = 0; i < tl->nrows; i++)
		if (tl->row[i].nbin > 0)
			return 1;
	for (k = 1; k < tl->nrec; k++)
		if (tl->rec[k].runtime < cs && tl->rec[k - 1].runtime < cs &&
		    tl->rec[k].slot == tl->rec[k - 1].slot &&
		    (size_t)(tl->rec[k].start / cs) ==
		    (size_t)(tl->rec[k - 1].start / cs))
			return 1;
	return 0;
}

/* The geometry of a timeline drawn from top, px seconds a pixel. */
static void
tl_geometry(const struct timeline *tl, struct tl_geo *g, double top,
    double px)
{
	memset(g, 0, sizeof(*g));
	g->top = top;
	g->px = px;
	g->ncol = TL_MAXCOLS / tl->nrows;
	if (g->ncol > TL_PW)
		g->ncol = TL_PW;
	if (g->ncol < 1)
		g->ncol = 1;
	g->cw = (double)TL_PW / g->ncol;
	g->rh = fmin(TL_ROW_H, TL_ROWS_H / tl->nrows);
	g->pad = g->rh >= 8 ? g->rh * 0.14 : 0;
	g->rows_bottom = top + tl->nrows * g->rh;
	g->panel_top = g->rows_bottom + 14;
	g->panel_bottom = g->panel_top + TL_PANEL_H;
	g->height = g->panel_bottom + 44;
}

/* One timeline's rows, bars, panel and axis (wall long). */
static void
tl_section(FILE *f, struct timeline *tl, const struct tl_geo *g,
    double wall)
{
	if (tl->nrec > 1)
		qsort(tl->rec, tl->nrec, sizeof(*tl->rec), tl_rec_cmp);
	fprintf(f, "<text x=\"%d\" y=\"%.2f\" text-anchor=\"end\" "
	    "fill=\"#555\" font-size=\"11\">slot</text>\n", TL_ML - 8,
	    g->top - 4);
	tl_grid(f, tl, g);
	tl_axis(f, g, wall);
	fputs("<g class=\"bars\">\n", f);
	tl_rows(f, tl, g);
	fputs("</g>\n", f);
	tl_panel(f, tl, g);
}

/* The start of the file, up to the white background. */
static void
tl_svg_start(FILE *f, double height, const char *title)
{
	int o;

	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
	    "height=\"%.0f\" viewBox=\"0 0 %d %.0f\" font-family=\"DejaVu "
	    "Sans, Verdana, Arial, sans-serif\" font-size=\"12\" "
	    "fill=\"#222\">\n<title>", TL_W, ceil(height), TL_W, ceil(height));
	tl_xml(f, title);
	fputs("</title>\n<style>\n", f);
	for (o = 0; o < JOB_NOUTCOME; o++)
		fprintf(f, ".%s{fill:%s}\n", tl_class[o], tl_colour[o]);
	for (o = 0; o < 4; o++)
		fprintf(f, ".l%d{fill-opacity:%s}\n", o, tl_shade[o]);
	fprintf(f, ".seq{fill:#fff;font-size:10px;pointer-events:none}\n"
	    "</style>\n<rect width=\"100%%\" height=\"100%%\" "
	    "fill=\"#fff\"/>\n");
}

/* Whether writing f went wrong; errno set. */
static int
tl_svg_end(FILE *f)
{
	fputs("</svg>\n", f);
	if (fflush(f) == EOF || ferror(f)) {
		if (errno == 0)
			errno = EIO;
		return -1;
	}
	return 0;
}

/* The longest of the walls, and of the jobs' ends. */
static double
tl_wall(struct timeline *const *tl, const struct timeline_head *head,
    size_t n)
{
	double wall = 0;
	size_t i;

	for (i = 0; i < n; i++)
		wall = fmax(wall, fmax(tl_time(head[i].wall), tl[i]->end));
	return wall > 0 ? wall : 1e-6;
}

/* Write the picture. */
int
timeline_write(struct timeline *tl, FILE *f, const struct timeline_head *h)
{
	struct tl_geo g;
	double wall = tl_wall(&tl, h, 1);

	tl_geometry(tl, &g, TL_TOP, wall / TL_PW);
	tl_svg_start(f, g.height, "parx timeline");
	fprintf(f, "<text x=\"%d\" y=\"28\" font-size=\"17\" "
	    "font-weight=\"bold\">parx: ", TL_ML);
	tl_run_text(f, tl, h);
	fputs("</text>\n", f);
	tl_legend_line(f, 0, tl->n, g.cw, tl_has_merged(tl, g.cw * g.px));
	tl_section(f, tl, &g, wall);
	return tl_svg_end(f);
}

/*
 * The lines of notes under the heading, each cut to TL_NOTECHARS
 * characters; returns how many.
 */
static int
tl_notes(FILE *f, const char *notes)
{
	const char *end;
	char *line;
	size_t len;
	int n = 0;

	for (; notes && *notes; notes = *end ? end + 1 : end) {
		end = strchrnul(notes, '\n');
		len = utf8_prefix(notes, (size_t)(end - notes), TL_NOTECHARS);
		line = xmemdupz(notes, len);
		fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"13\">", TL_ML,
		    52 + 18 * n++);
		tl_xml(f, line);
		fputs(len < (size_t)(end - notes) ? "\xe2\x80\xa6</text>\n" :
		    "</text>\n", f);
		free(line);
	}
	return n;
}

/* Write several timelines on one time axis. */
int
timeline_write_several(struct timeline *const *tl,
    const struct timeline_head *head, size_t n, FILE *f, const char *title,
    const char *notes, const struct timeline_panel *panel)
{
	struct tl_geo *g = xcalloc(n ? n : 1, sizeof(*g));
	double wall = tl_wall(tl, head, n), dy, top, cw = 1;
	const char *p;
	int merged = 0, rc, nnotes = 0;
	size_t i;

	for (p = notes; p && *p; p = *p ? p + 1 : p) {
		nnotes++;
		p = strchrnul(p, '\n');
	}
	dy = 18.0 * nnotes + (nnotes ? 6 : 0);
	if (panel)
		dy += panel->height + 10;
	top = TL_TOP + 26 + dy;
	for (i = 0; i < n; i++) {
		tl_geometry(tl[i], &g[i], top, wall / TL_PW);
		top = g[i].height + 34;
		cw = fmax(cw, g[i].cw);
		if (tl_has_merged(tl[i], g[i].cw * g[i].px))
			merged = 1;
	}
	tl_svg_start(f, n ? g[n - 1].height : top, title);
	fprintf(f, "<text x=\"%d\" y=\"28\" font-size=\"17\" "
	    "font-weight=\"bold\">", TL_ML);
	tl_xml(f, title);
	fputs("</text>\n", f);
	tl_notes(f, notes);
	if (panel)
		fprintf(f, "<g transform=\"translate(%d,%.0f)\">\n%s</g>\n",
		    TL_ML, 52 + 18.0 * nnotes - 6, panel->svg);
	tl_legend_line(f, dy, NULL, cw, merged);
	for (i = 0; i < n; i++) {
		fprintf(f, "<text x=\"%d\" y=\"%.2f\" font-size=\"14\" "
		    "font-weight=\"bold\">", TL_ML, g[i].top - 12);
		tl_run_text(f, tl[i], &head[i]);
		fputs("</text>\n", f);
		tl_section(f, tl[i], &g[i], wall);
	}
	rc = tl_svg_end(f);
	free(g);
	return rc;
}

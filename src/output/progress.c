/* SPDX-License-Identifier: ISC */
/*
 * The progress line.  It keeps counts and times, formats one line of
 * ASCII text from them and draws it in place on a terminal, after the
 * status line of ninja (src/line_printer.cc): draw at most every so often,
 * and get out of the way of real output.
 */
#include "progress.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "job.h"
#include "loop.h"
#include "sys.h"
#include "xalloc.h"

/* When nothing changes, redraw this often anyway: the ETA moves. */
#define PROGRESS_IDLE_MS	1000
/* The width of a record for zenity (GNU parallel's without a terminal). */
#define PROGRESS_ZENITY_WIDTH	80
/* The bar's width, at most and at least. */
#define PROGRESS_BAR_MAX	40
#define PROGRESS_BAR_MIN	10

struct progress {
	struct progress_opts	 o;
	int			 tty;		/* o.fd is a terminal */
	int			 stdout_tty;	/* and so is stdout, the same */
	struct timespec		 t0;		/* when it all began */

	unsigned long long	 started;
	unsigned long long	 done;
	unsigned long long	 failed;
	unsigned long long	 total;
	int			 total_known;
	double			 runtime;	/* of the finished jobs, in s */

	int			 held;		/* progress_hold() */
	int			 shown;		/* the line is on the screen */
	int			 dirty;		/* it changed since drawn */
	struct timespec		 drawn;		/* when last drawn */
	struct buf		 line;
	struct buf		 out;
	struct buf		 newest;	/* the newest job's values */
};

static void	progress_flush(struct progress *);

static double
progress_secs(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) +
	    (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

static long
progress_ms_since(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long)(progress_secs(t, &now) * 1000);
}

/* Whether descriptors a and b are the same terminal. */
static int
progress_same_tty(int a, int b)
{
	struct stat sa, sb;

	if (!isatty(a) || !isatty(b) || fstat(a, &sa) == -1 ||
	    fstat(b, &sb) == -1)
		return 0;
	return sa.st_rdev == sb.st_rdev;
}

/* Make the line. */
struct progress *
progress_new(const struct progress_opts *opts)
{
	struct progress *p;

	if (opts->flags == 0)
		return NULL;
	p = xcalloc(1, sizeof(*p));
	p->o = *opts;
	p->tty = isatty(p->o.fd);
	p->stdout_tty = p->o.fd != 1 && progress_same_tty(1, p->o.fd);
	clock_gettime(CLOCK_MONOTONIC, &p->t0);
	p->drawn = p->t0;
	p->drawn.tv_sec -= 1;	/* the first draw is due at once */
	p->dirty = 1;
	buf_init(&p->line);
	buf_init(&p->out);
	buf_init(&p->newest);
	return p;
}

/* Free the line. */
void
progress_free(struct progress *p)
{
	if (p == NULL)
		return;
	buf_release(&p->line);
	buf_release(&p->out);
	buf_release(&p->newest);
	free(p);
}

/* The total is known. */
void
progress_set_total(struct progress *p, unsigned long long total)
{
	if (p == NULL || (p->total_known && p->total == total))
		return;
	p->total = total;
	p->total_known = 1;
	p->dirty = 1;
}

/* Hold the line back until the total is known, or for a while. */
void
progress_hold(struct progress *p)
{
	if (p != NULL)
		p->held = 1;
}

/* The total is known, or will not be soon: the line may be drawn. */
void
progress_release(struct progress *p)
{
	if (p == NULL || !p->held)
		return;
	p->held = 0;
	p->dirty = 1;
}

/* Milliseconds the line is still held back for, or 0. */
static long
progress_hold_left(const struct progress *p)
{
	long left;

	if (!p->held)
		return 0;
	left = PROGRESS_HOLD_MS - progress_ms_since(&p->t0);
	return left > 0 ? left : 0;
}

/* Whether the line is still held back. */
int
progress_holding(const struct progress *p)
{
	return p != NULL && progress_hold_left(p) > 0;
}

/* Seconds as GNU parallel writes them: 7s, 3m05s, 2h01m05s, 1d02h01m05s. */
static void
progress_add_units(struct buf *b, unsigned long s)
{
	char t[64];

	if (s >= 86400)
		snprintf(t, sizeof(t), "%lud%02luh%02lum%02lus", s / 86400,
		    s / 3600 % 24, s / 60 % 60, s % 60);
	else if (s >= 3600)
		snprintf(t, sizeof(t), "%luh%02lum%02lus", s / 3600,
		    s / 60 % 60, s % 60);
	else if (s >= 60)
		snprintf(t, sizeof(t), "%lum%02lus", s / 60, s % 60);
	else
		snprintf(t, sizeof(t), "%lus", s);
	buf_addstr(b, t);
}

/* Add s cut or padded with spaces to exactly w bytes. */
static void
progress_add_padded(struct buf *b, const char *s, size_t len, size_t w)
{
	size_t i;

	buf_add(b, s, len < w ? len : w);
	for (i = len; i < w; i++)
		buf_addstr(b, " ");
}

/*
 * Without a terminal, --bar writes GNU parallel's records for zenity
 * (its man page pipes them through "perl -pe 's/\r/\n/g' | zenity
 * --progress"): "\r\r", a comment line "#   ETA sec ARGS", "\r", the
 * percentage as perl prints a number, "\r", and the bar in reverse video.
 * final: the run is over; a newline ends the last record.
 */
static void
progress_zenity(struct progress *p, int final)
{
	struct buf *b = &p->line, *o = &p->out;
	const size_t w = PROGRESS_ZENITY_WIDTH;
	unsigned long long total, left;
	unsigned long eta = 0;
	double frac = 0, elapsed;
	struct timespec now;
	char s[128];

	if (p->tty || !(p->o.flags & PROGRESS_BAR))
		return;
	total = p->total_known && p->total > p->started ? p->total :
	    p->started;
	if (total < p->done)
		total = p->done;
	left = total - p->done;
	if (p->done > 0) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		elapsed = progress_secs(&p->t0, &now);
		frac = (double)p->done / (double)total;
		eta = (unsigned long)(elapsed / (double)p->done *
		    (double)left);
	}
	buf_reset(b);
	snprintf(s, sizeof(s), "#   %lu sec ", eta);
	buf_addstr(b, s);
	buf_add(b, p->newest.data, p->newest.len);
	buf_addstr(o, "\r\r");
	progress_add_padded(o, b->data, b->len, w);
	snprintf(s, sizeof(s), "\r%.15g\r\033[7m", frac * 100);
	buf_addstr(o, s);

	buf_reset(b);
	snprintf(s, sizeof(s), "%d%% %llu:%llu=", (int)(frac * 100), p->done,
	    left);
	buf_addstr(b, s);
	progress_add_units(b, eta);
	buf_addstr(b, " ");
	buf_add(b, p->newest.data, p->newest.len);
	progress_add_padded(b, "", 0, w);
	/* The bar is the reverse-video part: the reset goes in at its end. */
	buf_add(o, b->data, (size_t)(w * frac));
	buf_addstr(o, "\033[0m");
	buf_add(o, b->data + (size_t)(w * frac), w - (size_t)(w * frac));
	buf_addstr(o, final ? "\033[0m\n" : "\033[0m");
	progress_flush(p);
}

/* A job started. */
void
progress_started(struct progress *p, const struct job *j)
{
	size_t i;

	if (p == NULL)
		return;
	p->started++;
	p->dirty = 1;
	buf_reset(&p->newest);
	for (i = 0; i < j->nargs; i++) {
		if (i > 0)
			buf_addstr(&p->newest, " ");
		buf_add(&p->newest, j->args[i].s, j->args[i].len);
	}
	progress_zenity(p, 0);
}

/* A job finished. */
void
progress_done(struct progress *p, const struct job *j)
{
	double t;

	if (p == NULL)
		return;
	p->done++;
	if (job_failed(j))
		p->failed++;
	t = progress_secs(&j->res.start_mono, &j->res.end_mono);
	if (t > 0)
		p->runtime += t;
	p->dirty = 1;
	progress_zenity(p, 0);
}

/* A duration as 7s, 3m05s or 2h01m. */
static void
progress_add_time(struct buf *b, double secs)
{
	char s[32];
	unsigned long t = secs > 0 ? (unsigned long)(secs + 0.5) : 0;

	if (t < 60)
		snprintf(s, sizeof(s), "%lus", t);
	else if (t < 3600)
		snprintf(s, sizeof(s), "%lum%02lus", t / 60, t % 60);
	else
		snprintf(s, sizeof(s), "%luh%02lum", t / 3600, t / 60 % 60);
	buf_addstr(b, s);
}

/* The width of the terminal, or 80. */
static size_t
progress_width(const struct progress *p)
{
	struct winsize ws;

	if (p->tty && ioctl(p->o.fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 80;
}

/*
 * Format the line into p->line.  final: the run is over (the time taken
 * replaces the ETA).
 */
static void
progress_format(struct progress *p, int final)
{
	struct buf *b = &p->line;
	struct timespec now;
	char s[128];
	double elapsed;
	size_t width, rest, bar, fill, i;
	unsigned flags = p->o.flags;
	unsigned long long running = p->started - p->done;

	clock_gettime(CLOCK_MONOTONIC, &now);
	elapsed = progress_secs(&p->t0, &now);
	buf_reset(b);
	if (p->total_known)
		snprintf(s, sizeof(s), "%llu/%llu done", p->done, p->total);
	else
		snprintf(s, sizeof(s), "%llu done", p->done);
	buf_addstr(b, s);
	if (!final || running > 0) {
		snprintf(s, sizeof(s), ", %llu running", running);
		buf_addstr(b, s);
	}
	if (p->failed) {
		snprintf(s, sizeof(s), ", %llu failed", p->failed);
		buf_addstr(b, s);
	}
	if (flags & (PROGRESS_BAR | PROGRESS_ETA)) {
		if (final) {
			buf_addstr(b, ", took ");
			progress_add_time(b, elapsed);
		} else if (p->total_known && p->done > 0 &&
		    p->total >= p->done) {
			buf_addstr(b, ", ETA ");
			progress_add_time(b, elapsed / (double)p->done *
			    (double)(p->total - p->done));
		} else {
			buf_addstr(b, ", ETA ?");
		}
	}
	if ((flags & (PROGRESS_ETA | PROGRESS_PROGRESS)) && p->done > 0) {
		snprintf(s, sizeof(s), ", avg %.2fs",
		    p->runtime / (double)p->done);
		buf_addstr(b, s);
	}
	if (!(flags & PROGRESS_BAR))
		return;

	/* "NNN% [####      ] " in front of the rest. */
	width = progress_width(p);
	rest = b->len;
	bar = width > rest + 8 + PROGRESS_BAR_MIN ? width - rest - 8 - 1 :
	    PROGRESS_BAR_MIN;
	if (bar > PROGRESS_BAR_MAX)
		bar = PROGRESS_BAR_MAX;
	fill = 0;
	if (p->total_known && p->total > 0) {
		unsigned long long pct = p->done >= p->total ? 100 :
		    p->done * 100 / p->total;

		snprintf(s, sizeof(s), "%3llu%% [", pct);
		fill = p->done >= p->total ? bar :
		    (size_t)((double)bar * (double)p->done /
		    (double)p->total);
	} else if (p->total_known) {
		snprintf(s, sizeof(s), "100%% [");
		fill = bar;
	} else {
		snprintf(s, sizeof(s), "  ?%% [");
	}
	buf_grow(b, strlen(s) + bar + 2);
	memmove(b->data + strlen(s) + bar + 2, b->data, b->len + 1);
	memcpy(b->data, s, strlen(s));
	for (i = 0; i < bar; i++)
		b->data[strlen(s) + i] = i < fill ? '#' : ' ';
	b->data[strlen(s) + bar] = ']';
	b->data[strlen(s) + bar + 1] = ' ';
	b->len += strlen(s) + bar + 2;
}

/* Write the bytes of p->out; a terminal that blocks loses the update. */
static void
progress_flush(struct progress *p)
{
	(void)sys_write_all(p->o.fd, p->out.data, p->out.len, p->o.stop);
	buf_reset(&p->out);
}

/* Draw the line on the terminal, cut to its width. */
static void
progress_draw(struct progress *p, int final)
{
	size_t width, len;

	progress_format(p, final);
	width = progress_width(p);
	len = p->line.len < width ? p->line.len : width - 1;
	buf_addstr(&p->out, "\r");
	buf_add(&p->out, p->line.data, len);
	buf_addstr(&p->out, "\033[K");
	progress_flush(p);
	p->shown = 1;
	p->dirty = 0;
	clock_gettime(CLOCK_MONOTONIC, &p->drawn);
}

/* When the line wants redrawing. */
long
progress_timeout(const struct progress *p)
{
	long since, wait;

	if (p == NULL || !p->tty)
		return -1;
	if (progress_hold_left(p) > 0)
		return progress_hold_left(p);
	since = progress_ms_since(&p->drawn);
	wait = (p->dirty || !p->shown ? PROGRESS_REDRAW_MS :
	    PROGRESS_IDLE_MS) - since;
	return wait > 0 ? wait : 0;
}

/* Redraw if due. */
void
progress_tick(struct progress *p)
{
	if (p != NULL && p->tty && progress_timeout(p) == 0) {
		p->held = 0;
		progress_draw(p, 0);
	}
}

/* The loop's source: redraw when due, and wake for the next. */
static size_t
progress_prepare(void *ctx, struct pollfd *pfd, size_t max, long *ms)
{
	struct progress *p = ctx;

	progress_tick(p);
	loop_ms_min(ms, progress_timeout(p));
	return 0;
}

const struct loop_source progress_source =
	{ "progress", progress_prepare, NULL };

/* Clear the line before output reaches its terminal. */
void
progress_writing(void *ctx, int fd)
{
	struct progress *p = ctx;

	if (!p->shown || (fd != p->o.fd && !(fd == 1 && p->stdout_tty)))
		return;
	buf_addstr(&p->out, "\r\033[K");
	progress_flush(p);
	p->shown = 0;
	p->dirty = 1;
}

/* Leave the final state. */
void
progress_finish(struct progress *p)
{
	if (p == NULL)
		return;
	if (p->tty) {
		progress_draw(p, 1);
		buf_addstr(&p->out, "\n");
	} else if (p->o.flags & PROGRESS_BAR) {
		progress_zenity(p, 1);
	} else {
		progress_format(p, 1);
		buf_add(&p->out, p->line.data, p->line.len);
		buf_addstr(&p->out, "\n");
	}
	progress_flush(p);
	p->shown = 0;
}

/* SPDX-License-Identifier: ISC */
/*
 * progress: the status line of --bar, --eta and --progress.
 *
 * The main loop reports each job that starts and each that finishes, and
 * the total number of jobs once it knows it (it need not: the line shows
 * what is known, "4 done", and "4/10 done" once the total is).  The
 * source reads a bounded part of the input ahead for it, and holds the
 * line back meanwhile (progress_hold()).
 *
 * On a terminal the line is redrawn in place ("\r", the text, "\033[K"),
 * at most PROGRESS_REDRAW_MS apart and once a second when nothing changes
 * (for the ETA); the main loop wakes up for that through
 * progress_timeout().  The output module calls progress_writing() before
 * it writes job output: when that output goes to the terminal of the line,
 * the line is cleared first and redrawn afterwards, so the two never mix.
 * When standard error is not a terminal, --bar writes GNU parallel's
 * records for zenity each time a job starts or finishes, and once more
 * with a newline at the end; without --bar nothing is drawn while jobs
 * run, and progress_finish() writes the final state as one line.
 *
 * Only the main thread uses a progress line.
 */
#ifndef PARX_PROGRESS_H
#define PARX_PROGRESS_H

struct job;
struct loop_source;
struct progress;

/* What the line shows (flags of struct progress_opts). */
#define PROGRESS_BAR		0x1	/* --bar: percentage, bar, ETA */
#define PROGRESS_ETA		0x2	/* --eta: ETA and average runtime */
#define PROGRESS_PROGRESS	0x4	/* --progress: counts, average */

/* The shortest time between two redraws. */
#define PROGRESS_REDRAW_MS	100
/* The longest a line waits for the total (progress_hold()). */
#define PROGRESS_HOLD_MS	2000

struct sys_stop;

struct progress_opts {
	unsigned		 flags;	/* PROGRESS_*; 0: no line at all */
	int			 fd;	/* where the line goes: 2 */
	const struct sys_stop	*stop;	/* gives up a blocked write; NULL */
};

/* Make the line; NULL when flags is 0.  Never fails. */
struct progress	*progress_new(const struct progress_opts *);
void		 progress_free(struct progress *);

/* The total number of jobs is now known. */
void		 progress_set_total(struct progress *, unsigned long long);

/*
 * Hold the line back while the input is read ahead for the total, so
 * that the first line drawn shows it: nothing is drawn until
 * progress_release(), or PROGRESS_HOLD_MS after the start, for input that
 * comes slowly.  progress_holding() says whether it still is (0 for NULL).
 */
void		 progress_hold(struct progress *);
void		 progress_release(struct progress *);
int		 progress_holding(const struct progress *);

/* A job has been handed to the runner; it has finished. */
void		 progress_started(struct progress *, const struct job *);
void		 progress_done(struct progress *, const struct job *);

/* Milliseconds until the line wants redrawing, or -1 (never). */
long		 progress_timeout(const struct progress *);

/* Redraw the line if that is due. */
void		 progress_tick(struct progress *);

/*
 * The main loop's source (loop.h) for the redraws, ctx the progress
 * (NULL: none): it redraws when due and asks to be woken for the next.
 */
extern const struct loop_source progress_source;

/*
 * For struct output_opts: output is about to be written to fd.  ctx is
 * the struct progress.
 */
void		 progress_writing(void *ctx, int fd);

/* The run is over: leave the final state on a line of its own. */
void		 progress_finish(struct progress *);

#endif

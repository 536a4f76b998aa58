/* SPDX-License-Identifier: ISC */
/*
 * timeline: the picture of a run (--timeline FILE.svg, --plot): one row
 * per job slot, one bar per job from its start to its end, coloured by
 * its outcome and titled with its sequence number, arguments, runtime and
 * exit status; a time axis; a panel of the number of running jobs over
 * time; a legend and a heading.  One self-contained SVG file.
 *
 * Memory stays bounded whatever the number of jobs: a job keeps a record
 * of its own (with its arguments, cut to 80 characters) while the
 * timeline holds fewer than TIMELINE_KEEP jobs, or when it is long enough
 * to be drawn as a bar of its own; shorter jobs are only counted, per
 * slot, in TIMELINE_BINS bins of time that widen (merging in pairs) as
 * the run goes on.  Jobs thinner than a column of the picture (one pixel
 * of its 1000, or more when there are many slots) are drawn merged, one
 * bar per slot and column, titled with how many jobs it holds.
 *
 * Not thread-safe: one owner.
 */
#ifndef PARX_TIMELINE_H
#define PARX_TIMELINE_H

#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "job.h"

#define TIMELINE_KEEP	4096	/* jobs kept with their details anyway */
#define TIMELINE_BINS	2048	/* time bins per slot for the short jobs */
#define TIMELINE_MAX_S	1e9	/* a later start, a longer runtime: this */

struct buf;
struct timeline;

/* One finished job, as the timeline takes it. */
struct timeline_job {
	unsigned long long	 seq;
	unsigned long		 slot;		/* 1.., its row */
	double			 start;		/* seconds since the origin */
	double			 runtime;	/* seconds */
	enum job_outcome	 outcome;
	int			 exit;		/* exit value, -1: timed out */
	int			 sig;		/* the killing signal, or 0 */
	const char		*args;		/* any bytes, not kept */
	size_t			 argslen;
};

/* What the heading says besides the jobs' counts. */
struct timeline_head {
	const char		*label;		/* what the run is, or NULL */
	const char		*mode;		/* "process", "thread" */
	unsigned long		 slots;		/* -j */
	double			 wall;		/* seconds the axis spans */
	int			 span;		/* wall is from the first job's
						   start, not from parx's */
};

/* An empty timeline of nslots rows (more appear as jobs name them). */
struct timeline	*timeline_new(unsigned long nslots);
void		 timeline_free(struct timeline *);

/*
 * Add a finished job.  Negative times count as 0, times past
 * TIMELINE_MAX_S (31 years) as TIMELINE_MAX_S.
 */
void		 timeline_add(struct timeline *, const struct timeline_job *);

/*
 * Fill tj from the finished job j, its start counted from origin (a
 * CLOCK_MONOTONIC time); its arguments' text goes into args (reset
 * first), which tj then points into.
 */
void		 timeline_job_init(struct timeline_job *tj, const struct job *j,
		    const struct timespec *origin, struct buf *args);

/*
 * Write the picture to f.  Returns 0, or -1 with errno set when writing
 * failed.
 */
int		 timeline_write(struct timeline *, FILE *f,
		    const struct timeline_head *);

/*
 * Write n timelines, one under the other, on one time axis (as long as
 * the longest), under the heading title and the lines of notes (NULL:
 * none; each cut to 140 characters).  Returns as timeline_write().
 */
/*
 * A picture of its own that a caller draws under the notes of several
 * timelines: SVG elements for a box of the picture's width, height high,
 * their origin at its top left.
 */
struct timeline_panel {
	const char	*svg;
	double		 height;
};

int		 timeline_write_several(struct timeline *const *tl,
		    const struct timeline_head *head, size_t n, FILE *f,
		    const char *title, const char *notes,
		    const struct timeline_panel *panel);

#endif

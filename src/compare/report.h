/* SPDX-License-Identifier: ISC */
/*
 * report: --compare-report FILE.svg, the picture of a comparison: the
 * timeline of each mode's warm-up run (at each -j of a sweep), one under
 * the other on one time axis.  The warm-up runs are not measured, so
 * drawing them costs the measured runs nothing: each writes --events into
 * a temporary file the report names, and the report draws those files
 * (plot.h) at the end.  Main thread only.
 */
#ifndef PARX_REPORT_H
#define PARX_REPORT_H

#include <stddef.h>

struct report;
struct timeline_panel;

/*
 * A report to draw into path, created now so that a path parx cannot
 * write is an error before any run; the temporary files go into tmpdir
 * (NULL: $TMPDIR, else /tmp).  Returns it, or NULL after reporting the
 * problem on stderr.
 */
struct report	*report_new(const char *path, const char *tmpdir);

/*
 * The option that makes a warm-up run in mode ("process", "thread", kept)
 * at -j jobs (0: the user's) write its events for the report:
 * "--events=FILE", owned by the report.  NULL, after reporting the
 * problem, when no temporary file can be made.
 */
const char	*report_events_option(struct report *, const char *mode,
		    unsigned long jobs);

/* The last run named was lost: its section says so. */
void		 report_lost(struct report *);

/*
 * Draw the runs named so far, in that order, under title and the lines of
 * notes (NULL: none).  Returns 0, or -1 after reporting the problem on
 * stderr.
 */
int		 report_write(struct report *, const char *title,
		    const char *notes, const struct timeline_panel *);

/*
 * The speedup chart of a sweep, for report_write()'s panel: the levels'
 * -j in jobs, each mode's median wall time at the first level over its
 * median at each (NaN: lost), the ideal in proportion to -j.  Returns the
 * SVG text (the caller frees it) and sets height, or NULL.
 */
char		*report_speedup_svg(const unsigned long *jobs,
		    const double *process, const double *thread, size_t n,
		    double *height);

/* Remove the temporary files and free the report (NULL is fine). */
void		 report_free(struct report *);

#endif

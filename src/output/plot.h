/* SPDX-License-Identifier: ISC */
/*
 * plot: draw the timeline (timeline.h) of a run from the --events file it
 * saved: parx --plot EVENTS --timeline FILE.svg.
 */
#ifndef PARX_PLOT_H
#define PARX_PLOT_H

#include <stddef.h>

struct timeline_panel;

/*
 * Read the n events files at events (one JSON object per line, as
 * --events writes them; blank lines are skipped; "-" is standard input)
 * and write their picture to svg: one run as timeline_write() draws it,
 * several one under the other on one time axis, under title (NULL: one
 * that says how many), each named by its label (labels NULL: by its
 * path), in the mode its events name, else in its modes entry (modes may
 * be NULL); notes (NULL: none) are lines shown under the title of
 * several, and panel (NULL: none) is drawn under them.  Returns 0, or -1 after reporting the problem on stderr in one
 * line: a file that cannot be read or written, a line that is not such an
 * object (named by its number).
 */
int	plot_main(char *const *events, const char *const *labels,
	    const char *const *modes, size_t n, const char *svg,
	    const char *title, const char *notes, const struct timeline_panel *);

#endif

/* SPDX-License-Identifier: ISC */
/*
 * plot: draw the timeline (timeline.h) of a run from the --events file it
 * saved: parx --plot EVENTS --timeline FILE.svg.
 */
#ifndef PARX_PLOT_H
#define PARX_PLOT_H

/*
 * Read the events file at events (one JSON object per line, as --events
 * writes them; blank lines are skipped) and write the picture to svg.
 * Returns 0, or -1 after reporting the problem on stderr in one line: a
 * file that cannot be read or written, a line that is not such an object
 * (named by its number).
 */
int	plot_main(const char *events, const char *svg);

#endif

/* SPDX-License-Identifier: ISC */
/*
 * compare: --compare runs the same workload in process mode and in thread
 * mode, alternately, and sets their measurements side by side.
 */
#ifndef PARX_COMPARE_H
#define PARX_COMPARE_H

struct config;

/*
 * Run the comparison.  argv is parx's whole command line, the words of
 * the config file, the -J profiles and $PARALLEL included; keep[i] is 0
 * for the words that belong to --compare itself (and --mode, --stats,
 * ...), which the runs must not see; nopts is the index where the options
 * end.  Returns parx's exit status: 0 when every run produced the same
 * output and exit statuses, 1 when they differ, 255 on error.
 */
int	compare_main(const struct config *, int argc, char **argv,
	    const unsigned char *keep, int nopts);

#endif

/* SPDX-License-Identifier: ISC */
/*
 * run: parx's main loop.  It turns the input into jobs, feeds them to the
 * runner of the chosen mode, and finishes them (output, exit status) in
 * the main thread.
 */
#ifndef PARX_RUN_H
#define PARX_RUN_H

struct config;

/*
 * Run everything the configuration describes and return parx's exit
 * status (exitcode.h).  Errors are reported on stderr before returning.
 */
int	run_main(const struct config *);

#endif

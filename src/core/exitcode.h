/* SPDX-License-Identifier: ISC */
/*
 * exitcode: parx's exit statuses, the one table (the man page's EXIT
 * STATUS section says the same).
 */
#ifndef PARX_EXITCODE_H
#define PARX_EXITCODE_H

#define EXIT_ALL_OK	0	/* every job succeeded (or there were none) */
/* 1..100: that many jobs failed */
#define EXIT_MAX_COUNT	100	/* the largest count reported as such */
#define EXIT_MANY	101	/* more than 100 jobs failed */
#define EXIT_PARX	255	/* parx's own error: bad option or value, an
				   unreadable input file, a command line too
				   long, an output error; or parx was stopped
				   by SIGINT or SIGTERM */

#endif

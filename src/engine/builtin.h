/* SPDX-License-Identifier: ISC */
/*
 * builtin: the functions --func knows without a plugin.
 *
 *	echo ARGS...	print the arguments joined by spaces: pure dispatch cost
 *	sleep SECONDS	wait without using CPU: an I/O-bound stand-in
 *	spin MS		burn MS milliseconds of CPU: a CPU-bound stand-in
 *	gzip [-k] [-1..-9] FILE...
 *			compress each FILE to FILE.gz with zlib, like gzip(1):
 *			mode and times kept, FILE removed unless -k
 */
#ifndef PARX_BUILTIN_H
#define PARX_BUILTIN_H

#include "func.h"

struct builtin {
	const char	*name;
	func_fn		*fn;
	const char	*usage;
};

/* The builtin called name, or NULL. */
const struct builtin	*builtin_find(const char *name);

/* The table, ended by an entry with a NULL name. */
extern const struct builtin builtin_table[];

/* The version of the zlib that gzip runs with (static storage). */
const char		*builtin_zlib_version(void);

#endif

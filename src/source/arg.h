/* SPDX-License-Identifier: ISC */
/*
 * arg: one input value, a byte string with an explicit length.  Values
 * never contain the record delimiter, but may hold any other byte.
 */
#ifndef PARX_ARG_H
#define PARX_ARG_H

#include <stddef.h>

struct arg {
	const char	*s;
	size_t		 len;
};

#endif

/* SPDX-License-Identifier: ISC */
/*
 * xalloc: allocation that cannot fail.  When memory runs out parx prints one
 * line ("parx: out of memory") and exits 255 (EXIT_PARX) at once, without
 * exit handlers; this is the only place in src/ that ends the process.
 * All functions are thread-safe.
 */
#ifndef PARX_XALLOC_H
#define PARX_XALLOC_H

#include <stddef.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
/* Resize an array of n elements of size sz, checking n * sz for overflow. */
void	*xreallocarray(void *, size_t n, size_t sz);
char	*xstrdup(const char *);
/* Copy len bytes of s and add a terminating NUL. */
char	*xmemdupz(const void *s, size_t len);
/* A new string, as printf makes it from fmt. */
char	*xasprintf(const char *fmt, ...)
#ifdef __GNUC__
	    __attribute__((format(printf, 1, 2)))
#endif
	    ;

#endif

/* SPDX-License-Identifier: ISC */
/*
 * Allocation wrappers that exit 255 on exhaustion, in the manner of tmux's
 * xmalloc.c: callers never check for NULL.
 */
#include "xalloc.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exitcode.h"

/* Zeroed blocks up to this size come from malloc (xcalloc()). */
#define XCALLOC_SMALL	1024

/* Called through a pointer, or the compiler makes malloc+memset calloc. */
static void *(*volatile xalloc_memset)(void *, int, size_t) = memset;

static void
xalloc_die(void)
{
	static const char m[] = "parx: out of memory\n";

	/* _exit: other threads may hold locks that exit() handlers take. */
	(void)!write(2, m, sizeof(m) - 1);
	_exit(EXIT_PARX);
}

/* Allocate size bytes. */
void *
xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (p == NULL)
		xalloc_die();
	return p;
}

/* Allocate n zeroed elements of size bytes. */
void *
xcalloc(size_t n, size_t size)
{
	void *p;

	if (n == 0 || size == 0)
		n = size = 1;
	/*
	 * glibc's calloc bypasses the per-thread cache that malloc uses, and
	 * a job's small records are allocated and freed once per job: ask
	 * malloc for those.  Big ones come from calloc, zeroed for free.
	 */
	if (n <= XCALLOC_SMALL / size) {
		if ((p = malloc(n * size)) != NULL)
			xalloc_memset(p, 0, n * size);
	} else {
		p = calloc(n, size);
	}
	if (p == NULL)
		xalloc_die();
	return p;
}

/* Resize p to size bytes. */
void *
xrealloc(void *p, size_t size)
{
	p = realloc(p, size ? size : 1);
	if (p == NULL)
		xalloc_die();
	return p;
}

/* Resize p to n elements of sz bytes. */
void *
xreallocarray(void *p, size_t n, size_t sz)
{
	if (sz != 0 && n > SIZE_MAX / sz)
		xalloc_die();
	return xrealloc(p, n * sz);
}

/* Duplicate a string. */
char *
xstrdup(const char *s)
{
	return xmemdupz(s, strlen(s));
}

/* Format a new string. */
char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *m;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		xalloc_die();
	m = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(m, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return m;
}

/* Duplicate len bytes and terminate them. */
char *
xmemdupz(const void *s, size_t len)
{
	char *p;

	if (len == SIZE_MAX)
		xalloc_die();
	p = xmalloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

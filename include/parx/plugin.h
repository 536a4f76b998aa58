/* SPDX-License-Identifier: ISC */
/*
 * parx/plugin.h: the interface of parx functions, jobs that run inside a parx
 * worker instead of as a process of their own (parx --func).
 *
 * A function is
 *
 *	int name(struct parx_call *call);
 *
 * exported from a shared object and named on the command line as
 * "--func path/to/lib.so:name".  parx calls it once per job, with the job's
 * arguments in call->argv (the expanded template words, or the input
 * values when there is no template).  Its return value is the job's exit
 * status (0 success, 1..255 failure; other values are taken modulo 256).
 *
 * Output goes through call->write(); parx groups it like any job's output
 * (one block per job, -k, --tag).  A function must not write to
 * descriptors 1 and 2 itself.
 *
 * Where it runs: in --mode=process a function runs inside a worker process
 * (a crash fails only its own job; the worker is replaced); in
 * --mode=thread it runs on a worker thread inside parx, several at once,
 * so it must be thread-safe, and a crash ends parx.  Long-running
 * functions should poll call->cancelled() and return soon after it turns
 * nonzero (--timeout, --halt now, Ctrl-C): parx cannot kill a thread.
 * A function must return: exit() and _exit() in it fail its job and, in
 * --mode=thread, stop parx with status 255.
 *
 * The struct may grow at its end in later versions; PARX_API_VERSION says
 * which fields exist.
 */
#ifndef PARX_PLUGIN_H
#define PARX_PLUGIN_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#define PARX_API_VERSION	1

struct parx_call {
	int			 api_version;	/* PARX_API_VERSION of parx */
	int			 argc;
	char *const		*argv;		/* argv[argc] is NULL */
	unsigned long long	 seq;		/* the job's {#} */
	unsigned long		 slot;		/* the job's {%} */

	/*
	 * Append len bytes to the job's standard output (stream 1) or
	 * standard error (stream 2).  Returns 0, or -1 for a bad stream.
	 */
	int	(*write)(struct parx_call *, int stream, const void *,
		    size_t len);

	/* Nonzero once the job should stop as soon as it can. */
	int	(*cancelled)(const struct parx_call *);

	void			*parx_private;
};

/* printf to the job's stream 1 or 2. */
static inline int
parx_printf(struct parx_call *call, int stream, const char *fmt, ...)
{
	char small[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	if ((size_t)n < sizeof(small))
		return call->write(call, stream, small, (size_t)n);
	{
		char *big = (char *)malloc((size_t)n + 1);
		int rc;

		if (big == NULL)
			return -1;
		va_start(ap, fmt);
		vsnprintf(big, (size_t)n + 1, fmt, ap);
		va_end(ap);
		rc = call->write(call, stream, big, (size_t)n);
		free(big);
		return rc;
	}
}

typedef int parx_func_fn(struct parx_call *);

#endif

/*
 * perl: the {= perl expression =} replacement strings.  One perl process
 * per parx run, started with posix_spawn when a template holds such an
 * expression, compiles each expression once into a sub and evaluates it
 * on request, over two pipes.  Requests are synchronous: the main thread
 * sends what one job needs and waits for the answer.
 *
 * In an expression $_ is the value and the result is $_ afterwards; @arg
 * holds all the job's values from $arg[1]; Q() shell-quotes, pQ()
 * perl-quotes, uq() leaves the result unquoted, seq(), slot() and
 * $job->seq(), $job->slot() are the job's {#} and {%}, skip() (or
 * $job->skip()) skips the job, total_jobs() is the number of jobs when
 * the input has been read to its end, else 0.
 *
 * Only the main thread uses a perl.
 */
#ifndef PARX_PERL_H
#define PARX_PERL_H

#include <stddef.h>

struct arg;
struct perl;
struct tmpl_val;

/* One evaluation: expression expr with $_ the job's value arg (from 0). */
struct perl_req {
	size_t	expr;
	size_t	arg;
};

/* What one job's evaluations share. */
struct perl_job {
	unsigned long long	 seq;
	unsigned long		 slot;
	unsigned long long	 total;	/* total_jobs(), 0 if unknown */
	const struct arg	*args;
	size_t			 nargs;
};

/*
 * Start perl and compile the n expressions.  Returns the helper, or NULL
 * with *err set to a malloc'd one-line message (perl is missing, or an
 * expression does not compile, with perl's own words); the caller frees
 * *err.
 */
struct perl	*perl_new(char *const *exprs, size_t n, char **err);

/* Close the pipes and reap perl.  NULL is allowed. */
void		 perl_free(struct perl *);

/*
 * Evaluate the n requests for job pj.  On success returns 0, sets vals[i]
 * to the result of reqs[i] (its bytes belong to the perl and stay valid
 * until the next call) and *skip when the code called skip().  Returns
 * -1 with *err set (malloc'd, one line) when the code died or perl is
 * gone; every later call fails too.
 */
int		 perl_eval(struct perl *, const struct perl_job *pj,
		    const struct perl_req *reqs, size_t n,
		    struct tmpl_val *vals, int *skip, char **err);

#endif

/* SPDX-License-Identifier: ISC */
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
 * $job->skip()) skips the job, total_jobs() is the number of jobs the
 * caller passes (0 when it does not know it).
 *
 * Only the main thread uses a perl.
 */
#ifndef PARX_PERL_H
#define PARX_PERL_H

#include <stddef.h>

struct arg;
struct perl;
struct sys_stop;
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
 * Start perl, for what (named in the message when it cannot be run).
 * While waiting for perl's answers, the perl gives up when stop (sys.h;
 * may be NULL) says so, killing perl: code may never end.  Returns the
 * helper, or NULL with *err set to a malloc'd one-line message, which
 * the caller frees.
 */
struct perl	*perl_new(const char *what, const struct sys_stop *stop,
		    char **err);

/*
 * --rpl: replace in the n words each TAG of the rpl strings ("TAG perl
 * code") by the {= =} that does what it says, the longest TAG first, as
 * GNU parallel does: a TAG may hold a (regexp) whose groups the code
 * reads as $$1, $$2...; one that starts with '{' has a positional form
 * {N...} too.  keep holds parx's own replacement strings, each after a
 * letter: A (as it is and in positional form), N (as it is) or P (in
 * positional form), which stay as they are unless a TAG names them.
 * Returns 0 with *out set to n malloc'd words (free them with
 * perl_free_words()), or -1 with *err as perl_eval().
 */
int		 perl_rewrite(struct perl *, char *const *words, size_t n,
		    char *const *rpl, size_t nrpl, char *const *keep,
		    size_t nkeep, char ***out, char **err);
void		 perl_free_words(char **, size_t n);

/*
 * Compile the n expressions once, for perl_eval() to name by index.  A
 * message names expression i names[i], or "{= exprs[i] =}" when names or
 * names[i] is NULL.  exprs and names must outlive the perl.  Returns 0,
 * or -1 with *err set (malloc'd, one line, with perl's own words when an
 * expression does not compile).
 */
int		 perl_compile(struct perl *, char *const *exprs,
		    const char *const *names, size_t n, char **err);

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

/*
 * Evaluate several jobs' expressions with one request: begin, add each
 * job (while perl_batch_size() stays small enough for the request to fit
 * in a pipe: perl answers while parx is still writing), then eval: fn is
 * called for job i's answer (vals valid during the call only), in order.
 * Returns 0, or -1 with *err when perl failed (or died on a job's code)
 * before answering every job: the jobs from there on have no answer.
 */
typedef void	 perl_answer_fn(void *ctx, size_t i, int skip,
		    const struct tmpl_val *vals, size_t n);
void		 perl_batch_begin(struct perl *);
void		 perl_batch_add(struct perl *, const struct perl_job *pj,
		    const struct perl_req *reqs, size_t n);
size_t		 perl_batch_size(const struct perl *);
int		 perl_batch_eval(struct perl *, const size_t *nreq,
		    perl_answer_fn *fn, void *ctx, char **err);

/*
 * Make the values of the first expression for n values of $_ at once,
 * outside any job (--group-by): fn gets value i as vals[0] (valid during
 * the call only).  No value may hold a newline.  Perl reads the whole
 * request before it answers, so any n will do.  Returns 0, or -1 with
 * *err.
 */
int		 perl_values(struct perl *, const struct arg *in, size_t n,
		    perl_answer_fn *fn, void *ctx, char **err);

/*
 * --filter: run code, after the job's perl_eval(), and set *keep to
 * whether it is true.  When it dies or does not compile *keep is 0 and
 * *why perl's message (malloc'd, one line).  Returns 0, or -1 with *err
 * when perl is gone.
 */
int		 perl_filter(struct perl *, const char *code, size_t len,
		    int *keep, char **why, char **err);

#endif

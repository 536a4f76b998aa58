/* SPDX-License-Identifier: ISC */
/*
 * halt: --halt, when to stop early because enough jobs failed, succeeded
 * or finished, and the exit status that follows, as GNU parallel has it.
 *
 *	--halt now|soon,fail|success|done=N	N jobs (at least 1)
 *	--halt now|soon,fail|success|done=N%	N% of all the jobs
 *	--halt 0 (never), 1 (soon,fail=1), 2 (now,fail=1),
 *	       -1 (soon,success=1), -2 (now,success=1), N% (soon,fail=N%)
 *
 * soon starts no new job and lets the running ones finish; now also kills
 * them.  The exit status is fixed when the condition is met:
 *
 *	fail=1, done=1		the status of the job that met it (its exit
 *				code, 128 + N when killed by signal N, 255
 *				when it timed out)
 *	fail=N, done=N		the number of failed jobs (101 for more than
 *				100)
 *	fail=N%, done=N%	the percentage of jobs that failed, rounded
 *				up
 *	success=...		0
 *
 * and when it never is: the number of failed jobs, or with N% the
 * percentage of the jobs started that failed.
 *
 * Only the main thread uses a struct halt.
 */
#ifndef PARX_HALT_H
#define PARX_HALT_H

#include <stddef.h>

struct job;

enum halt_when {
	HALT_NEVER,
	HALT_SOON,
	HALT_NOW
};

enum halt_why {
	HALT_FAIL,
	HALT_SUCCESS,
	HALT_DONE
};

struct halt_spec {
	enum halt_when	when;
	enum halt_why	why;
	unsigned long	count;		/* N, or 0 with pct */
	unsigned	pct;		/* N% (1..100), or 0 */
};

/*
 * Parse a --halt value into *spec.  Returns 0, or -1 when it is not one
 * of the forms above (N and N% must be at least 1, N% at most 100).
 */
int	halt_parse(const char *, struct halt_spec *spec);

struct halt {
	struct halt_spec	spec;
	unsigned long long	ndone;
	unsigned long long	nfailed;
	int			met;		/* the condition was met */
	int			status;		/* valid once met */
};

void	halt_init(struct halt *, const struct halt_spec *);

/* 1 when the condition is a percentage: it needs the number of jobs. */
int	halt_needs_total(const struct halt *);

/*
 * Count a job that finished for good.  total is the number of jobs in
 * all (for N%).  Reports the job on standard error when it counts towards
 * the condition ("this job failed: CMD").  Returns HALT_SOON or HALT_NOW
 * the first time the condition is met, else HALT_NEVER.
 */
enum halt_when	halt_job_done(struct halt *, const struct job *,
		    unsigned long long total);

/*
 * The exit status the halt rules give, with started jobs started and
 * nfailed of them failed, in *status.  Returns 1, or 0 when --halt is not
 * in use (the usual rules apply).
 */
int	halt_status(const struct halt *, unsigned long long started,
	    unsigned long long nfailed, int *status);

#endif

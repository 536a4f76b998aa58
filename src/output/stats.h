/* SPDX-License-Identifier: ISC */
/*
 * stats: the measurements of a run (--stats, --stats-json, --events), the
 * figures --compare sets side by side.  Fed by the main loop with every
 * finished job; memory stays constant whatever the number of jobs
 * (runtimes go into a logarithmic histogram).  Main thread only.
 */
#ifndef PARX_STATS_H
#define PARX_STATS_H

#include <stdio.h>

struct job;
struct stats;

/* The figures of a run, as --stats prints them. */
struct stats_sum {
	const char		*mode;
	unsigned long long	 jobs;
	unsigned long long	 failed;
	double			 wall_s;
	double			 jobs_per_s;
	double			 parx_user_s;	/* parx and its workers */
	double			 parx_sys_s;
	long			 parx_rss_kb;	/* main + worker processes */
	double			 jobs_user_s;
	double			 jobs_sys_s;
	long			 job_max_rss_kb;
	double			 runtime_p50_ms;
	double			 runtime_p95_ms;
	double			 runtime_max_ms;
	double			 runtime_sum_s;	/* the jobs' runtimes added up */
	unsigned long		 slots;		/* slots used: -j, or fewer jobs */
	double			 dispatch_us;	/* slot time no job used, per job */
	long long		 parx_vcsw;	/* context switches of parx */
	long long		 parx_ivcsw;
	long long		 jobs_vcsw;
	long long		 jobs_ivcsw;
	unsigned long long	 digest;	/* --compare: output and statuses */
};

/* Start measuring now; mode is "process" or "thread" (kept, not copied). */
struct stats	*stats_new(const char *mode, unsigned long nslots);
void		 stats_free(struct stats *);

/* Account a finished job; bytes_out is its stdout size or -1. */
void		 stats_job(struct stats *, const struct job *, long long bytes);

/* Mix one job's result into the output digest (--compare). */
void		 stats_digest(struct stats *, unsigned long long seq,
		    int status, const char *out, size_t outlen,
		    const char *err, size_t errlen);

/* Stop the clock and take parx's own resource usage (after the workers
   were reaped). */
void		 stats_finish(struct stats *, struct stats_sum *);

/* Write the summary as text (--stats) or as one JSON object. */
void		 stats_print(const struct stats_sum *, FILE *);
void		 stats_print_json(const struct stats_sum *, FILE *);

/*
 * Write one --events line for a finished job: a JSON object with seq,
 * worker, mode, start, runtime, exit, signal, user, sys, maxrss, bytes_out.
 */
void		 stats_event(FILE *, const char *mode, const struct job *,
		    long long bytes);

#endif

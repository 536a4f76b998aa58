/* SPDX-License-Identifier: ISC */
/*
 * Run measurements.  parx's own CPU is what the process and everything it
 * reaped used, less what the jobs used: in process mode that counts the
 * worker processes as parx, in thread mode it leaves the functions' CPU
 * (measured per call with RUSAGE_THREAD) to the jobs.  Percentiles come
 * from a histogram with 16 buckets per power of two (within 5%).
 */
#include "stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>

#include "buf.h"
#include "job.h"
#include "utf8.h"
#include "xalloc.h"

#define STATS_SUB	16		/* buckets per power of two */
#define STATS_NBUCKET	(64 * STATS_SUB)
#define STATS_EVENT_ARGS 256		/* bytes of arguments an event keeps */

struct stats {
	const char		*mode;
	struct timespec		 t0;
	unsigned long long	 jobs;
	unsigned long long	 failed;
	double			 jobs_user;
	double			 jobs_sys;
	long			 job_max_rss;
	long long		 jobs_vcsw;
	long long		 jobs_ivcsw;
	double			 max_ns;
	double			 sum_ns;
	long			*worker_rss;	/* per slot */
	unsigned long		 nslots;
	unsigned long long	 digest;
	unsigned long long	 hist[STATS_NBUCKET];
};

static double
ts_sec(const struct timespec *t)
{
	return (double)t->tv_sec + t->tv_nsec / 1e9;
}

static double
tv_sec(const struct timeval *t)
{
	return (double)t->tv_sec + t->tv_usec / 1e6;
}

/* Begin a measurement. */
struct stats *
stats_new(const char *mode, unsigned long nslots)
{
	struct stats *s = xcalloc(1, sizeof(*s));

	s->mode = mode;
	s->nslots = nslots;
	s->worker_rss = xcalloc(nslots ? nslots : 1, sizeof(long));
	clock_gettime(CLOCK_MONOTONIC, &s->t0);
	return s;
}

/* Free a measurement. */
void
stats_free(struct stats *s)
{
	if (s == NULL)
		return;
	free(s->worker_rss);
	free(s);
}

static int
stats_bucket(double ns)
{
	int e, b;
	double m;

	if (ns < 1)
		return 0;
	m = frexp(ns, &e);	/* ns = m * 2^e, 0.5 <= m < 1 */
	b = e * STATS_SUB + (int)((m - 0.5) * 2 * STATS_SUB);
	if (b < 0)
		b = 0;
	if (b >= STATS_NBUCKET)
		b = STATS_NBUCKET - 1;
	return b;
}

static double
stats_bucket_mid(int b)
{
	int e = b / STATS_SUB, k = b % STATS_SUB;

	return ldexp(0.5 + (k + 0.5) / (2.0 * STATS_SUB), e);
}

static double
job_runtime_ns(const struct job *j)
{
	return (j->res.end_mono.tv_sec - j->res.start_mono.tv_sec) * 1e9 +
	    (j->res.end_mono.tv_nsec - j->res.start_mono.tv_nsec);
}

/* Account a job. */
void
stats_job(struct stats *s, const struct job *j, long long bytes)
{
	double ns = job_runtime_ns(j);

	s->jobs++;
	if (job_failed(j))
		s->failed++;
	s->jobs_user += tv_sec(&j->res.ru.ru_utime);
	s->jobs_sys += tv_sec(&j->res.ru.ru_stime);
	s->jobs_vcsw += j->res.ru.ru_nvcsw;
	s->jobs_ivcsw += j->res.ru.ru_nivcsw;
	/* A function's maxrss is its process's: not the job's own. */
	if (!j->func && j->res.ru.ru_maxrss > s->job_max_rss)
		s->job_max_rss = j->res.ru.ru_maxrss;
	if (ns > s->max_ns)
		s->max_ns = ns;
	s->hist[stats_bucket(ns)]++;
	s->sum_ns += ns;
	if (j->slot >= 1 && j->slot <= s->nslots &&
	    j->res.worker_rss > s->worker_rss[j->slot - 1])
		s->worker_rss[j->slot - 1] = j->res.worker_rss;
	(void)bytes;
}

static unsigned long long
stats_hash(unsigned long long h, const void *p, size_t len)
{
	const unsigned char *c = p;
	size_t i;

	/* FNV-1a, 64 bits. */
	for (i = 0; i < len; i++) {
		h ^= c[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* Mix a job into the digest, independently of completion order. */
void
stats_digest(struct stats *s, unsigned long long seq, int status,
    const char *out, size_t outlen, const char *err, size_t errlen)
{
	unsigned long long h = 0xcbf29ce484222325ULL;

	h = stats_hash(h, &seq, sizeof(seq));
	h = stats_hash(h, &status, sizeof(status));
	h = stats_hash(h, &outlen, sizeof(outlen));
	h = stats_hash(h, out, outlen);
	h = stats_hash(h, &errlen, sizeof(errlen));
	h = stats_hash(h, err, errlen);
	s->digest += h * 0x9e3779b97f4a7c15ULL;
}

static double
stats_percentile(const struct stats *s, double q)
{
	unsigned long long want, seen = 0;
	int b;

	if (s->jobs == 0)
		return 0;
	want = (unsigned long long)ceil(q * (double)s->jobs);
	if (want < 1)
		want = 1;
	for (b = 0; b < STATS_NBUCKET; b++) {
		seen += s->hist[b];
		if (seen >= want) {
			double mid = stats_bucket_mid(b);

			return mid > s->max_ns ? s->max_ns : mid;
		}
	}
	return s->max_ns;
}

/* Stop and sum up. */
void
stats_finish(struct stats *s, struct stats_sum *o)
{
	struct rusage self, kids;
	struct timespec t1;
	unsigned long i;
	double user, sys, busy;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	getrusage(RUSAGE_SELF, &self);
	getrusage(RUSAGE_CHILDREN, &kids);
	memset(o, 0, sizeof(*o));
	o->mode = s->mode;
	o->jobs = s->jobs;
	o->failed = s->failed;
	o->wall_s = ts_sec(&t1) - ts_sec(&s->t0);
	o->jobs_per_s = o->wall_s > 0 ? s->jobs / o->wall_s : 0;
	user = tv_sec(&self.ru_utime) + tv_sec(&kids.ru_utime) - s->jobs_user;
	sys = tv_sec(&self.ru_stime) + tv_sec(&kids.ru_stime) - s->jobs_sys;
	o->parx_user_s = user > 0 ? user : 0;
	o->parx_sys_s = sys > 0 ? sys : 0;
	o->parx_rss_kb = self.ru_maxrss;
	for (i = 0; i < s->nslots; i++)
		o->parx_rss_kb += s->worker_rss[i];
	o->jobs_user_s = s->jobs_user;
	o->jobs_sys_s = s->jobs_sys;
	o->job_max_rss_kb = s->job_max_rss;
	o->runtime_p50_ms = stats_percentile(s, 0.50) / 1e6;
	o->runtime_p95_ms = stats_percentile(s, 0.95) / 1e6;
	o->runtime_max_ms = s->max_ns / 1e6;
	o->runtime_sum_s = s->sum_ns / 1e9;
	o->slots = s->nslots < s->jobs ? s->nslots : s->jobs;
	/* The slots' time that no job used, per job: what the executor
	   costs, in the same units as the wall time it adds to. */
	busy = o->wall_s * (double)o->slots - o->runtime_sum_s;
	o->dispatch_us = s->jobs && busy > 0 ? busy * 1e6 / s->jobs : 0;
	o->parx_vcsw = self.ru_nvcsw + kids.ru_nvcsw - s->jobs_vcsw;
	o->parx_ivcsw = self.ru_nivcsw + kids.ru_nivcsw - s->jobs_ivcsw;
	if (o->parx_vcsw < 0)
		o->parx_vcsw = 0;
	if (o->parx_ivcsw < 0)
		o->parx_ivcsw = 0;
	o->jobs_vcsw = s->jobs_vcsw;
	o->jobs_ivcsw = s->jobs_ivcsw;
	o->digest = s->digest;
}

/* The --stats text. */
void
stats_print(const struct stats_sum *o, FILE *f)
{
	fprintf(f, "parx: %s mode: %llu jobs, %llu failed, %.3f s wall, "
	    "%.1f jobs/s\n", o->mode, o->jobs, o->failed, o->wall_s,
	    o->jobs_per_s);
	fprintf(f, "  parx:     user %.3f s  sys %.3f s  peak RSS %ld KiB  "
	    "context switches %lld+%lld\n", o->parx_user_s, o->parx_sys_s,
	    o->parx_rss_kb, o->parx_vcsw, o->parx_ivcsw);
	fprintf(f, "  jobs:     user %.3f s  sys %.3f s  largest RSS %ld KiB  "
	    "context switches %lld+%lld\n", o->jobs_user_s, o->jobs_sys_s,
	    o->job_max_rss_kb, o->jobs_vcsw, o->jobs_ivcsw);
	fprintf(f, "  runtime:  p50 %.3f ms  p95 %.3f ms  max %.3f ms\n",
	    o->runtime_p50_ms, o->runtime_p95_ms, o->runtime_max_ms);
	fprintf(f, "  dispatch: %.2f us per job (the slots' time no job "
	    "used)\n", o->dispatch_us);
}

/* The --stats-json object. */
void
stats_print_json(const struct stats_sum *o, FILE *f)
{
	fprintf(f, "{\"mode\":\"%s\",\"jobs\":%llu,\"failed\":%llu,"
	    "\"wall_s\":%.6f,\"jobs_per_s\":%.3f,"
	    "\"parx_user_s\":%.6f,\"parx_sys_s\":%.6f,\"parx_rss_kb\":%ld,"
	    "\"jobs_user_s\":%.6f,\"jobs_sys_s\":%.6f,"
	    "\"job_max_rss_kb\":%ld,"
	    "\"runtime_p50_ms\":%.6f,\"runtime_p95_ms\":%.6f,"
	    "\"runtime_max_ms\":%.6f,\"runtime_sum_s\":%.6f,"
	    "\"slots\":%lu,\"dispatch_us\":%.3f,"
	    "\"parx_vcsw\":%lld,\"parx_ivcsw\":%lld,"
	    "\"jobs_vcsw\":%lld,\"jobs_ivcsw\":%lld,"
	    "\"digest\":\"%016llx\"}", o->mode, o->jobs, o->failed,
	    o->wall_s, o->jobs_per_s, o->parx_user_s, o->parx_sys_s,
	    o->parx_rss_kb, o->jobs_user_s, o->jobs_sys_s, o->job_max_rss_kb,
	    o->runtime_p50_ms, o->runtime_p95_ms, o->runtime_max_ms,
	    o->runtime_sum_s, o->slots, o->dispatch_us, o->parx_vcsw, o->parx_ivcsw, o->jobs_vcsw,
	    o->jobs_ivcsw, o->digest);
}

/*
 * Write s (len bytes) as a JSON string: each byte that is not valid UTF-8
 * becomes U+FFFD, so that the line stays valid JSON whatever the bytes.
 */
static void
stats_json_string(FILE *f, const char *s, size_t len)
{
	size_t at = 0, k;
	unsigned char c;

	putc('"', f);
	while (at < len) {
		c = (unsigned char)s[at];
		k = utf8_char(s + at, len - at);
		if (k == 0) {
			fputs("\\ufffd", f);
			k = 1;
		} else if (c == '"' || c == '\\') {
			putc('\\', f);
			putc(c, f);
		} else if (c < 0x20 || c == 0x7f) {
			fprintf(f, "\\u%04x", c);
		} else {
			fwrite(s + at, 1, k, f);
		}
		at += k;
	}
	putc('"', f);
}

/* One --events line. */
void
stats_event(FILE *f, const char *mode, const struct job *j, long long bytes)
{
	struct buf args = BUF_INIT;
	int st = j->res.status;

	fprintf(f, "{\"seq\":%llu,\"worker\":%lu,\"mode\":\"%s\","
	    "\"start\":%.6f,\"runtime\":%.6f,\"exit\":%d,\"signal\":%d,"
	    "\"user\":%.6f,\"sys\":%.6f,\"maxrss\":%ld,",
	    j->seq, j->slot, mode, ts_sec(&j->res.start_real),
	    job_runtime_ns(j) / 1e9,
	    j->res.spawn_errno ? WEXITSTATUS(st) : job_exitval(j),
	    job_signal(j), tv_sec(&j->res.ru.ru_utime),
	    tv_sec(&j->res.ru.ru_stime), j->res.ru.ru_maxrss);
	if (bytes >= 0)
		fprintf(f, "\"bytes_out\":%lld,", bytes);
	else
		fprintf(f, "\"bytes_out\":null,");
	fprintf(f, "\"outcome\":\"%s\",\"args\":",
	    job_outcome_name(job_outcome(j)));
	job_args_text(j, &args, STATS_EVENT_ARGS);
	stats_json_string(f, args.data ? args.data : "", args.len);
	buf_release(&args);
	fputs("}\n", f);
}

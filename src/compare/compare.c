/* SPDX-License-Identifier: ISC */
/*
 * The side-by-side comparison of process mode and thread mode.
 *
 * DESIGN: every measured run is a fresh parx process (this same
 * executable), started with posix_spawn with the user's options plus
 * --mode, --group and two internal options: its output is not written but
 * folded into a digest (job by job, independent of completion order,
 * exit statuses included), and its --stats figures come back as JSON on
 * descriptor 3.  A fresh process per run keeps the runs independent and
 * the rule "no fork once a thread exists" intact.  Standard input, when it
 * is a source, is read once into a memory file that every run reads.
 *
 * The runs alternate between the modes, a warm-up pair first, so that a
 * change in the machine's load falls on both.  Without --runs they go on
 * until the 95% interval of the ratio of median wall times (cstat.h) is
 * within 5%, or the time budget (--compare-time) is spent, at least 5 per
 * mode.  A run that dies (a crash in thread mode takes every job of the
 * run with it) is "lost": the other mode goes on, and the report says so.
 *
 * With -j LIST (1,2,4,8) each level is such a comparison, and a last
 * table sets the levels side by side: speedup over the first level,
 * efficiency, CPUs used, and what bounds the workload (compare_classify).
 */
#include "compare.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "config.h"
#include "cstat.h"
#include "exitcode.h"
#include "msg.h"
#include "report.h"
#include "sig.h"
#include "sys.h"
#include "timeline.h"
#include "xalloc.h"

extern char **environ;

/*
 * The figures compared, with how to show them.  A figure is read from the
 * run's --stats JSON (key), or derived from others (key NULL, see
 * run_figures), one way for every run.  res: below it a value is within
 * the measurement's resolution, and a ratio of it means nothing ("-").
 */
enum {
	F_WALL, F_JOBS_S, F_CPU_JOB, F_DISPATCH, F_PARX_USER, F_PARX_SYS,
	F_PARX_RSS, F_JOBS_USER, F_JOBS_SYS, F_JOB_RSS, F_P50, F_P95, F_MAX,
	F_PARX_VCSW, F_PARX_IVCSW, F_JOBS_VCSW, F_JOBS_IVCSW, NFIG
};
static const struct {
	const char	*key;
	const char	*label;
	const char	*fmt;
	double		 res;
} fig[NFIG] = {
	[F_WALL] = { "wall_s", "wall time (s)", "%.3f", 1e-5 },
	[F_JOBS_S] = { NULL, "jobs/s", "%.1f", 1e-9 },
	[F_CPU_JOB] = { NULL, "CPU per job (us)", "%.2f", 0.1 },
	[F_DISPATCH] = { "dispatch_us", "dispatch per job (us)", "%.2f", 0.1 },
	[F_PARX_USER] = { "parx_user_s", "parx user CPU (s)", "%.3f", 0.01 },
	[F_PARX_SYS] = { "parx_sys_s", "parx sys CPU (s)", "%.3f", 0.01 },
	[F_PARX_RSS] = { "parx_rss_kb", "parx peak RSS (KiB)", "%.0f", 1 },
	[F_JOBS_USER] = { "jobs_user_s", "jobs user CPU (s)", "%.3f", 0.01 },
	[F_JOBS_SYS] = { "jobs_sys_s", "jobs sys CPU (s)", "%.3f", 0.01 },
	[F_JOB_RSS] = { "job_max_rss_kb", "largest job RSS (KiB)", "%.0f", 1 },
	[F_P50] = { "runtime_p50_ms", "job runtime p50 (ms)", "%.3f", 0.01 },
	[F_P95] = { "runtime_p95_ms", "job runtime p95 (ms)", "%.3f", 0.01 },
	[F_MAX] = { "runtime_max_ms", "job runtime max (ms)", "%.3f", 0.01 },
	[F_PARX_VCSW] = { "parx_vcsw", "parx voluntary switches", "%.0f", 10 },
	[F_PARX_IVCSW] = { "parx_ivcsw", "parx involuntary switches", "%.0f",
	    10 },
	[F_JOBS_VCSW] = { "jobs_vcsw", "jobs voluntary switches", "%.0f", 10 },
	[F_JOBS_IVCSW] = { "jobs_ivcsw", "jobs involuntary switches", "%.0f",
	    10 },
};

/* Without --runs: stop when the interval is within this, or the budget. */
#define COMPARE_TIGHT		0.05
#define COMPARE_MIN_RUNS	5
#define COMPARE_MAX_RUNS	100
#define COMPARE_DEFAULT_TIME	10.0

struct run {
	double		 v[NFIG];
	double		 jobs;
	double		 failed;
	double		 cpu_s;		/* parx and jobs, user and sys */
	char		 digest[32];
	int		 status;
	int		 lost;		/* the run died: signal, or status */
	int		 sig;
	char		*json;		/* its --stats JSON, one line */
	char		*err;		/* a lost run's first stderr line */
};

/* The runs of one mode at one level. */
struct series {
	struct run	*run;
	size_t		 n;
	struct run	 warm;
	int		 lost;		/* a run was lost: no more runs */
};

struct level {
	unsigned long	 jobs;		/* -j of the runs, 0: the user's */
	struct series	 m[2];		/* process, thread */
	struct cstat_ratio ci;		/* process wall / thread wall */
	int		 have_ci;
	const char	*stop;		/* why the runs stopped */
};

static const char *const mode_name[2] = { "process", "thread" };

/* What the runs share. */
struct compare {
	const struct config *cfg;
	char		**av;		/* the runs' command line */
	int		 at;		/* where their options go in */
	int		 in_fd;		/* stdin for every run, or -1 */
	double		 budget;	/* seconds per level */
	int		 fixed;		/* --runs N */
	struct report	*report;	/* --compare-report, or NULL */
};

static double
json_number(const char *json, const char *key)
{
	char pat[64];
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\":", key);
	p = strstr(json, pat);
	return p ? strtod(p + strlen(pat), NULL) : NAN;
}

static void
json_string(const char *json, const char *key, char *out, size_t n)
{
	char pat[64];
	const char *p, *q;
	size_t len;

	out[0] = '\0';
	snprintf(pat, sizeof(pat), "\"%s\":\"", key);
	p = strstr(json, pat);
	if (p == NULL)
		return;
	p += strlen(pat);
	q = strchr(p, '"');
	len = q ? (size_t)(q - p) : 0;
	if (len >= n)
		len = n - 1;
	memcpy(out, p, len);
	out[len] = '\0';
}

static char *
read_fd(int fd)
{
	struct buf b = BUF_INIT;
	char chunk[8192];
	ssize_t n;
	off_t off = 0;

	while ((n = pread(fd, chunk, sizeof(chunk), off)) > 0) {
		buf_add(&b, chunk, (size_t)n);
		off += n;
	}
	return buf_detach(&b, NULL);
}

static double
now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + t.tv_nsec / 1e9;
}

/* The figures of a run from its JSON, the derived ones computed here. */
static void
run_figures(struct run *r)
{
	int i;

	for (i = 0; i < NFIG; i++)
		r->v[i] = fig[i].key ? json_number(r->json, fig[i].key) : 0;
	r->jobs = json_number(r->json, "jobs");
	r->failed = json_number(r->json, "failed");
	r->cpu_s = r->v[F_PARX_USER] + r->v[F_PARX_SYS] + r->v[F_JOBS_USER] +
	    r->v[F_JOBS_SYS];
	r->v[F_JOBS_S] = r->v[F_WALL] > 0 ? r->jobs / r->v[F_WALL] : 0;
	r->v[F_CPU_JOB] = r->jobs > 0 ? r->cpu_s * 1e6 / r->jobs : 0;
	json_string(r->json, "digest", r->digest, sizeof(r->digest));
}

/*
 * The command line of a run in mode: argv with the run's own options put
 * in at index at.  argv already holds the words of the config file, the
 * profiles and $PARALLEL: --plain keeps the run from reading them again.
 */
static char **
run_argv(const struct compare *c, int mode, unsigned long jobs, char *modeopt,
    char *jobsopt, size_t size, const char *events)
{
	char *opts[7] = { modeopt, "--group", "--internal-digest",
	    "--internal-stats-fd=3", "--plain", jobsopt, NULL };
	size_t nadd = jobs ? 6 : 5;
	char **av;
	int argc, i, k;

	for (argc = 0; c->av[argc]; argc++)
		;
	av = xreallocarray(NULL, (size_t)argc + 7 + 1, sizeof(*av));
	snprintf(modeopt, size, "--mode=%s", mode_name[mode]);
	snprintf(jobsopt, size, "-j%lu", jobs);
	if (events)		/* --compare-report: a warm-up run */
		opts[nadd++] = (char *)events;
	for (i = 0, k = 0; i <= argc; i++) {
		if (i == (c->at < argc ? c->at : argc)) {
			memcpy(av + k, opts, nadd * sizeof(*opts));
			k += (int)nadd;
		}
		if (i < argc)
			av[k++] = c->av[i];
	}
	av[k] = NULL;
	return av;
}

/* The first line of a lost run's messages, for the report. */
static char *
first_line(int fd)
{
	char *e = read_fd(fd);

	e[strcspn(e, "\n")] = '\0';
	return e;
}

/*
 * Wait for a run.  SIGINT or SIGTERM to parx (a Ctrl-C reaches the run
 * too, from the terminal) stops it with SIGTERM, which ends its jobs, and
 * the comparison with it: returns -1, reported.
 */
static int
run_wait(pid_t pid, int *st)
{
	int stopped = 0;

	for (;;) {
		if (sig_fatal_pending() && !stopped) {
			kill(pid, SIGTERM);
			stopped = 1;
		}
		if (waitpid(pid, st, 0) != -1)
			break;
		if (errno != EINTR) {
			msg_error("cannot wait for a run: %s", strerror(errno));
			return -1;
		}
	}
	if (stopped || sig_fatal_pending()) {
		msg_error("interrupted: the comparison stops");
		return -1;
	}
	return 0;
}

/*
 * Run parx once in mode; fill r.  Returns 0 (r->lost says whether the
 * run died), or -1 when it could not be run at all (reported).
 */
static int
run_once(const struct compare *c, int mode, unsigned long jobs, struct run *r,
    const char *events)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	char modeopt[32], jobsopt[32];
	char **av;
	int st, stats_fd, err_fd, rc = -1;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	if (sig_fatal_pending()) {
		msg_error("interrupted: the comparison stops");
		return -1;
	}
	av = run_argv(c, mode, jobs, modeopt, jobsopt, sizeof(modeopt),
	    events);
	stats_fd = sys_tmpfile(NULL);
	err_fd = sys_tmpfile(NULL);
	if (stats_fd == -1 || err_fd == -1) {
		msg_error("cannot make a temporary file: %s", strerror(errno));
		goto out;
	}
	if (c->in_fd >= 0)
		lseek(c->in_fd, 0, SEEK_SET);
	posix_spawn_file_actions_init(&fa);
	if (c->in_fd >= 0)
		posix_spawn_file_actions_adddup2(&fa, c->in_fd, 0);
	else
		posix_spawn_file_actions_addopen(&fa, 0, "/dev/null",
		    O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, err_fd, 2);
	posix_spawn_file_actions_adddup2(&fa, stats_fd, 3);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK |
	    POSIX_SPAWN_SETSIGDEF);
	posix_spawnattr_setsigmask(&attr, sig_orig_mask());
	posix_spawnattr_setsigdefault(&attr, sig_default_set());
	st = posix_spawn(&pid, "/proc/self/exe", &fa, &attr, av, environ);
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&fa);
	if (st != 0) {
		msg_error("cannot run parx again: %s", strerror(st));
		goto out;
	}
	if (run_wait(pid, &st) == -1)
		goto out;
	rc = 0;
	r->json = read_fd(stats_fd);
	if (!WIFEXITED(st) || WEXITSTATUS(st) == EXIT_PARX ||
	    r->json[0] != '{') {
		r->lost = 1;
		r->sig = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
		r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + r->sig;
		r->err = first_line(err_fd);
		goto out;
	}
	r->status = WEXITSTATUS(st);
	/* The JSON ends in a newline: drop it for embedding. */
	r->json[strcspn(r->json, "\n")] = '\0';
	run_figures(r);
out:
	if (stats_fd >= 0)
		close(stats_fd);
	if (err_fd >= 0)
		close(err_fd);
	free(av);
	return rc;
}

static void
run_release(struct run *r)
{
	free(r->json);
	free(r->err);
}

/* The values of figure f over the series' runs, into v. */
static size_t
series_values(const struct series *s, int f, double *v)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		v[i] = s->run[i].v[f];
	return s->n;
}

/* fn (cstat_median or cstat_spread) of figure f over the series' runs. */
static double
series_stat(const struct series *s, int f,
    double (*fn)(const double *, size_t))
{
	double *v;
	double m;

	if (s->n == 0)
		return NAN;
	v = xreallocarray(NULL, s->n, sizeof(*v));
	series_values(s, f, v);
	m = fn(v, s->n);
	free(v);
	return m;
}

/*
 * The median of figure f, or its spread.  jobs/s is the jobs over the
 * median wall time, so that it agrees with the wall time's row and the
 * verdict, and has the wall time's spread, relative.
 */
static double
series_figure(const struct series *s, int f, int spread)
{
	double w, js;

	if (f != F_JOBS_S)
		return series_stat(s, f, spread ? cstat_spread : cstat_median);
	w = series_stat(s, F_WALL, cstat_median);
	if (!(w > 0))
		return s->n ? 0 : NAN;
	js = s->run[0].jobs / w;
	return spread ? js * series_stat(s, F_WALL, cstat_spread) / w : js;
}

static double
series_median(const struct series *s, int f)
{
	return series_figure(s, f, 0);
}

static double
series_spread(const struct series *s, int f)
{
	return series_figure(s, f, 1);
}

/* The interval of the ratio of wall times, process over thread. */
static int
level_ci(struct level *l)
{
	double *a, *b;
	int rc;

	if (l->m[0].n == 0 || l->m[1].n == 0)
		return -1;
	a = xreallocarray(NULL, l->m[0].n, sizeof(*a));
	b = xreallocarray(NULL, l->m[1].n, sizeof(*b));
	series_values(&l->m[0], F_WALL, a);
	series_values(&l->m[1], F_WALL, b);
	rc = cstat_ratio(a, l->m[0].n, b, l->m[1].n, &l->ci);
	free(a);
	free(b);
	l->have_ci = rc == 0;
	return rc;
}

/* One more run of mode into its series.  Returns -1 on error. */
static int
series_add(const struct compare *c, struct level *l, int mode)
{
	struct series *s = &l->m[mode];
	struct run r;

	if (run_once(c, mode, l->jobs, &r, NULL) == -1)
		return -1;
	if (r.lost) {
		/* The first lost run is the one the report shows. */
		if (!s->lost) {
			run_release(&s->warm);
			s->warm = r;
			s->lost = 1;
		}
		else
			run_release(&r);
		return 0;
	}
	s->run = xreallocarray(s->run, s->n + 1, sizeof(*s->run));
	s->run[s->n++] = r;
	return 0;
}

/* Run one level: the warm-up pair, then pairs until done. */
static int
level_run(const struct compare *c, struct level *l)
{
	const char *events = NULL;
	double t0;
	int m;

	for (m = 0; m < 2; m++) {
		if (c->report && (events = report_events_option(c->report,
		    mode_name[m], l->jobs)) == NULL)
			return -1;
		if (run_once(c, m, l->jobs, &l->m[m].warm, events) == -1)
			return -1;
		if (c->report && l->m[m].warm.lost)
			report_lost(c->report);
		l->m[m].lost = l->m[m].warm.lost;
	}
	if (l->m[0].lost && l->m[1].lost) {
		for (m = 0; m < 2; m++)
			if (l->m[m].warm.err[0])
				fprintf(stderr, "%s\n", l->m[m].warm.err);
		msg_error("the runs failed in both modes (%s %d); stopping "
		    "the comparison", l->m[0].warm.sig ? "signal" :
		    "exit status", l->m[0].warm.sig ? l->m[0].warm.sig :
		    l->m[0].warm.status);
		return -1;
	}
	t0 = now_s();
	for (;;) {
		size_t n = l->m[0].n > l->m[1].n ? l->m[0].n : l->m[1].n;

		if (c->fixed && n >= (size_t)c->fixed) {
			l->stop = "as --runs says";
			break;
		}
		if (!c->fixed && n >= COMPARE_MIN_RUNS) {
			if (l->m[0].lost || l->m[1].lost) {
				l->stop = "one mode's runs were lost";
				break;
			}
			if (level_ci(l) == 0 &&
			    cstat_tight(&l->ci, COMPARE_TIGHT)) {
				l->stop = "the 95% interval was within 5%";
				break;
			}
			if (now_s() - t0 >= c->budget) {
				l->stop = "the time budget (--compare-time) "
				    "was spent";
				break;
			}
			if (n >= COMPARE_MAX_RUNS) {
				l->stop = "the most runs it makes (100)";
				break;
			}
		}
		for (m = 0; m < 2; m++)
			if (!l->m[m].lost && series_add(c, l, m) == -1)
				return -1;
	}
	level_ci(l);
	return 0;
}

/* Whether every run of the level gave the first one's output. */
static int
level_same(const struct level *l, const struct run **first)
{
	const struct run *ref = NULL;
	size_t i;
	int m, same = 1;

	for (m = 0; m < 2; m++) {
		const struct series *s = &l->m[m];

		if (!s->warm.lost && ref == NULL)
			ref = &s->warm;
		if (!s->warm.lost && (strcmp(s->warm.digest, ref->digest) ||
		    s->warm.status != ref->status))
			same = 0;
		for (i = 0; i < s->n; i++)
			if (strcmp(s->run[i].digest, ref->digest) ||
			    s->run[i].status != ref->status)
				same = 0;
	}
	*first = ref;
	return same;
}

static size_t
level_nruns(const struct level *l)
{
	return l->m[0].n + l->m[1].n + 2;
}

static const char *
sig_name(int sig)
{
	static char buf[16];
	const char *abbrev = sigabbrev_np(sig);

	if (abbrev == NULL)
		return "an unknown signal";
	snprintf(buf, sizeof(buf), "SIG%s", abbrev);
	return buf;
}

/* "value ± spread" of figure f, or what the series lacks. */
static void
cell(const struct series *s, int f, char *out, size_t n)
{
	char num[32], sp[32];

	if (s->n == 0) {
		snprintf(out, n, "%s", s->lost ? "lost" : "-");
		return;
	}
	snprintf(num, sizeof(num), fig[f].fmt, series_median(s, f));
	snprintf(sp, sizeof(sp), fig[f].fmt, series_spread(s, f));
	snprintf(out, n, "%s \xc2\xb1 %s", num, sp);
}

static void
print_table(const struct level *l)
{
	int f;

	printf("%-26s %22s %22s %9s\n", "", "process", "thread", "thr/proc");
	for (f = 0; f < NFIG; f++) {
		char a[80], b[80], ratio[32] = "-";
		double pm = series_median(&l->m[0], f);
		double tm = series_median(&l->m[1], f);

		cell(&l->m[0], f, a, sizeof(a));
		cell(&l->m[1], f, b, sizeof(b));
		/* A ratio of values within the resolution says nothing. */
		if (pm >= fig[f].res && tm >= fig[f].res && pm > 0)
			snprintf(ratio, sizeof(ratio), "%.2f", tm / pm);
		/* "±" is two bytes of one column: pad one more. */
		printf("%-26s %*s %*s %9s\n", fig[f].label,
		    22 + (a[0] != 'l' && a[0] != '-'), a,
		    22 + (b[0] != 'l' && b[0] != '-'), b, ratio);
	}
}

/* The sentence on a mode whose runs were lost. */
static void
print_lost(FILE *f, const struct level *l, int m)
{
	const struct run *w = &l->m[m].warm;
	const struct series *o = &l->m[!m];

	fprintf(f, "%s mode's run was lost: ", mode_name[m]);
	if (w->sig)
		fprintf(f, "parx was killed by %s (signal %d)",
		    sig_name(w->sig), w->sig);
	else
		fprintf(f, "parx exited with status %d", w->status);
	if (w->err && w->err[0])
		fprintf(f, " (\"%s\")", w->err);
	fprintf(f, ".\n");
	if (o->n > 0)
		fprintf(f, "%s mode completed every run: %.0f jobs, %.0f "
		    "failed%s\n",
		    mode_name[!m], o->run[0].jobs, o->run[0].failed,
		    m == 1 ? " (a crash in a worker process fails only its "
		    "job; in thread mode it ends the whole run)" : "");
}

/* The CPU and memory of thread mode against process mode's. */
static void
print_usage(FILE *f, const struct level *l)
{
	double pc = series_median(&l->m[0], F_CPU_JOB);
	double tc = series_median(&l->m[1], F_CPU_JOB);
	double pr = series_median(&l->m[0], F_PARX_RSS);
	double tr = series_median(&l->m[1], F_PARX_RSS);
	int cpu = pc >= fig[F_CPU_JOB].res && tc >= fig[F_CPU_JOB].res;

	if (cpu)
		fprintf(f, "thread mode used %.2f \xc3\x97 the CPU and %.2f "
		    "\xc3\x97 the memory of process mode (medians)\n",
		    tc / pc, pr > 0 ? tr / pr : 0);
	else
		fprintf(f, "thread mode used %.2f \xc3\x97 the memory of "
		    "process mode (medians; too little CPU to compare)\n",
		    pr > 0 ? tr / pr : 0);
}

/*
 * "MODE mode is R ± SD times faster (95% CI LO–HI, RUNS)": with three
 * decimals when two would show a difference the interval excludes as
 * 1.00.
 */
static void
print_winner(FILE *f, const char *mode, double r, double sd, double lo,
    double hi, const char *runs)
{
	int d = lo < 1.005 ? 3 : 2;

	fprintf(f, "%s mode is %.*f \xc2\xb1 %.*f times faster (95%% CI "
	    "%.*f\xe2\x80\x93%.*f, %s)\n", mode, d, r, d, sd, d, lo, d, hi,
	    runs);
}

/* Whether the level's runs are enough for a verdict. */
static int
level_decided(const struct level *l)
{
	return l->have_ci && l->m[0].n >= COMPARE_MIN_RUNS &&
	    l->m[1].n >= COMPARE_MIN_RUNS;
}

/* The verdict: a winner only when the interval leaves out 1. */
static void
print_verdict(FILE *f, const struct level *l)
{
	const struct cstat_ratio *r = &l->ci;
	size_t n0 = l->m[0].n, n1 = l->m[1].n;
	char runs[64];
	int m;

	for (m = 0; m < 2; m++)
		if (l->m[m].lost) {
			print_lost(f, l, m);
			return;
		}
	if (n0 == n1)
		snprintf(runs, sizeof(runs), "%zu run%s each", n0,
		    n0 == 1 ? "" : "s");
	else
		snprintf(runs, sizeof(runs), "%zu and %zu runs", n0, n1);
	if (n0 < COMPARE_MIN_RUNS || n1 < COMPARE_MIN_RUNS)
		fprintf(f, "no verdict: %s are too few to tell a difference "
		    "from noise (%d each at least)\n", runs,
		    COMPARE_MIN_RUNS);
	else if (!l->have_ci)
		fprintf(f, "no verdict: the wall times are too short to "
		    "compare (%s)\n", runs);
	else if (r->lo > 1)
		print_winner(f, "thread", r->ratio, r->sd, r->lo, r->hi, runs);
	else if (r->hi < 1)
		print_winner(f, "process", 1 / r->ratio, r->sd /
		    (r->ratio * r->ratio), 1 / r->hi, 1 / r->lo, runs);
	else
		fprintf(f, "no clear difference: the difference is within the "
		    "noise (process/thread wall time %.2f, 95%% CI "
		    "%.2f\xe2\x80\x93%.2f, %s)\n", r->ratio, r->lo, r->hi,
		    runs);
	print_usage(f, l);
}

static void
print_header(const struct compare *c, const struct level *l)
{
	const struct run *first;
	size_t n = l->m[0].n > l->m[1].n ? l->m[0].n : l->m[1].n;
	int same = level_same(l, &first);

	printf("parx --compare: %zu run%s per mode after a warm-up, %.0f jobs "
	    "per run, -j%lu\n", n, n == 1 ? "" : "s",
	    first->jobs, l->jobs ? l->jobs : c->cfg->jobs);
	printf("runs stopped: %s\n", l->stop);
	if (l->m[0].lost || l->m[1].lost)
		printf("output and exit statuses: only one mode has "
		    "them (exit status %d)\n\n", first->status);
	else if (same)
		printf("output and exit statuses: identical in all %zu runs "
		    "(exit status %d)\n\n", level_nruns(l), first->status);
	else
		printf("output and exit statuses: DIFFER between runs "
		    "(process %s/%d, thread %s/%d)\n\n", l->m[0].warm.digest,
		    l->m[0].warm.status, l->m[1].warm.digest,
		    l->m[1].warm.status);
}

/* --compare-json: every run's raw figures, and each level's verdict. */
static void
write_json(FILE *f, const struct level *lv, size_t nl)
{
	size_t k, i;
	int m;

	fprintf(f, "{\"levels\":[");
	for (k = 0; k < nl; k++) {
		const struct level *l = &lv[k];
		const struct run *first;

		fprintf(f, "%s{\"jobs\":%lu,\"identical\":%s,\"stopped\":\"%s\"",
		    k ? "," : "", l->jobs, level_same(l, &first) &&
		    !l->m[0].lost && !l->m[1].lost ? "true" : "false",
		    l->stop);
		if (l->have_ci)
			fprintf(f, ",\"ratio\":{\"process_over_thread\":%.6f,"
			    "\"sd\":%.6f,\"ci95\":[%.6f,%.6f]}", l->ci.ratio,
			    l->ci.sd, l->ci.lo, l->ci.hi);
		for (m = 0; m < 2; m++) {
			const struct series *s = &l->m[m];

			fprintf(f, ",\"%s\":{\"lost\":", mode_name[m]);
			if (s->lost)
				fprintf(f, "{\"status\":%d,\"signal\":%d}",
				    s->warm.status, s->warm.sig);
			else
				fprintf(f, "null");
			fprintf(f, ",\"runs\":[");
			for (i = 0; i < s->n; i++)
				fprintf(f, "%s%s", i ? "," : "",
				    s->run[i].json);
			fprintf(f, "]}");
		}
		fprintf(f, "}");
	}
	fprintf(f, "]}\n");
}

/*
 * memory-bound: at the highest level the run holds half the machine's
 * memory or more (parx with its workers, and the largest job times the
 * slots): more slots would swap, whatever the mode.  Says so, returns 1.
 */
static int
compare_memory_bound(const struct level *hi)
{
	double ram = (double)sysconf(_SC_PHYS_PAGES) *
	    (double)sysconf(_SC_PAGESIZE) / 1024, held = 0;
	int m;

	for (m = 0; m < 2; m++)
		held = fmax(held, series_median(&hi->m[m], F_PARX_RSS) +
		    series_median(&hi->m[m], F_JOB_RSS) * (double)hi->jobs);
	if (!(ram > 0) || held < ram / 2)
		return 0;
	printf("bound: memory-bound: at -j%lu the run holds about %.0f MiB of "
	    "the machine's %.0f MiB: more slots would swap, in either mode\n",
	    hi->jobs, held / 1024, ram / 1024);
	return 1;
}

/* What bounds the workload, from the levels' medians. */
static void
compare_classify(const struct level *lv, size_t nl)
{
	long ncpus = sys_ncpus();
	const struct level *lo = &lv[0], *hi = &lv[nl - 1];
	double sp[2], cpu_slot[2];
	int m, best;

	for (m = 0; m < 2; m++)
		if (lo->m[m].lost || hi->m[m].lost) {
			printf("bound: crash-sensitive: %s mode's runs were "
			    "lost; process mode's isolation kept the other "
			    "jobs running\n", mode_name[m]);
			return;
		}
	if (compare_memory_bound(hi))
		return;
	for (m = 0; m < 2; m++) {
		double w0 = series_median(&lo->m[m], F_WALL);
		double w1 = series_median(&hi->m[m], F_WALL);
		double cpu = 0;
		size_t i;

		sp[m] = w1 > 0 ? w0 / w1 : 0;
		for (i = 0; i < hi->m[m].n; i++)
			cpu += hi->m[m].run[i].cpu_s;
		cpu /= (double)hi->m[m].n;
		cpu_slot[m] = w1 > 0 ? cpu / w1 / (double)hi->jobs : 0;
	}
	best = level_decided(hi) && hi->ci.lo > 1 ? 1 : 0;
	if (level_decided(hi) && hi->ci.lo > 1.2 &&
	    series_median(&hi->m[0], F_DISPATCH) / 1e3 >
	    series_median(&hi->m[0], F_P50)) {
		printf("bound: dispatch-bound: the executor's own cost per job "
		    "is larger than the jobs (process mode's dispatch %.2f us "
		    "against a median job of %.3f ms); thread mode hands jobs "
		    "over for less\n", series_median(&hi->m[0], F_DISPATCH),
		    series_median(&hi->m[0], F_P50));
	} else if (cpu_slot[best] >= 0.6 && (long)hi->jobs > ncpus &&
	    sp[best] < 1.15 * (double)ncpus / (double)lo->jobs) {
		printf("bound: CPU-bound: the speedup stops near the %ld "
		    "CPUs (%.2f at -j%lu), every slot keeps a CPU %.0f%% "
		    "busy\n", ncpus, sp[best], hi->jobs, 100 * cpu_slot[best]);
	} else if (cpu_slot[best] < 0.3 && (long)hi->jobs > ncpus &&
	    sp[best] > (double)ncpus / (double)lo->jobs * 1.2) {
		printf("bound: waiting-bound: the speedup goes on past the %ld "
		    "CPUs (%.2f at -j%lu) with little CPU (%.0f%% per slot): "
		    "more slots help, in either mode\n", ncpus, sp[best],
		    hi->jobs, 100 * cpu_slot[best]);
	} else if (cpu_slot[best] >= 0.6) {
		printf("bound: CPU-bound: every slot keeps a CPU %.0f%% busy "
		    "(levels above the %ld CPUs would show where the speedup "
		    "stops)\n", 100 * cpu_slot[best], ncpus);
	} else {
		printf("bound: no single bound: speedup %.2f at -j%lu, "
		    "%.0f%% CPU per slot; see the figures above\n", sp[best],
		    hi->jobs, 100 * cpu_slot[best]);
	}
}

/* The sweep's table: a row per level, both modes side by side. */
static void
print_sweep(const struct level *lv, size_t nl)
{
	size_t k;
	int m;

	printf("\nscaling, medians (speedup over -j%lu; efficiency = "
	    "speedup / (j/%lu); CPUs = CPU time / wall time):\n",
	    lv[0].jobs, lv[0].jobs);
	printf("%6s  %9s %8s %6s %5s  %9s %8s %6s %5s  %s\n", "-j",
	    "process s", "speedup", "eff", "CPUs", "thread s", "speedup",
	    "eff", "CPUs", "verdict");
	for (k = 0; k < nl; k++) {
		const struct level *l = &lv[k];

		printf("%6lu", l->jobs);
		for (m = 0; m < 2; m++) {
			const struct series *s = &l->m[m];
			double w0, w, cpu = 0;
			size_t i;

			if (s->n == 0 || lv[0].m[m].n == 0) {
				printf("  %9s %8s %6s %5s", "lost", "-", "-",
				    "-");
				continue;
			}
			w0 = series_median(&lv[0].m[m], F_WALL);
			w = series_median(s, F_WALL);
			for (i = 0; i < s->n; i++)
				cpu += s->run[i].cpu_s;
			cpu /= (double)s->n;
			printf("  %9.3f %8.2f %5.0f%% %5.2f", w, w0 / w,
			    100 * (w0 / w) / ((double)l->jobs /
			    (double)lv[0].jobs), cpu / w);
		}
		if (l->m[0].lost || l->m[1].lost)
			printf("  %s lost\n", l->m[0].lost ? "process" :
			    "thread");
		else if (!level_decided(l))
			printf("  too few runs\n");
		else if (l->ci.lo > 1)
			printf("  thread %.2fx\n", l->ci.ratio);
		else if (l->ci.hi < 1)
			printf("  process %.2fx\n", 1 / l->ci.ratio);
		else
			printf("  no clear difference\n");
	}
	compare_classify(lv, nl);
}

/* The sweep's speedup chart: each mode's median wall times. */
static char *
speedup_svg(const struct level *lv, size_t nl, double *height)
{
	unsigned long *jobs = xcalloc(nl, sizeof(*jobs));
	double *sp[2];
	char *svg;
	size_t k;
	int m;

	for (m = 0; m < 2; m++) {
		double w0 = series_median(&lv[0].m[m], F_WALL);

		sp[m] = xcalloc(nl, sizeof(*sp[m]));
		for (k = 0; k < nl; k++) {
			double w = series_median(&lv[k].m[m], F_WALL);

			sp[m][k] = w > 0 && w0 > 0 ? w0 / w : NAN;
		}
	}
	for (k = 0; k < nl; k++)
		jobs[k] = lv[k].jobs;
	svg = report_speedup_svg(jobs, sp[0], sp[1], nl, height);
	free(sp[0]);
	free(sp[1]);
	free(jobs);
	return svg;
}

/* --compare-report: the warm-up runs, under each level's verdict. */
static int
compare_report(const struct compare *c, const struct level *lv, size_t nl)
{
	struct timeline_panel panel = { NULL, 0 };
	char *text = NULL;
	size_t len = 0, k;
	FILE *f;
	int rc;

	if ((f = open_memstream(&text, &len)) == NULL) {
		msg_error("cannot write the report: %s", strerror(errno));
		return -1;
	}
	for (k = 0; k < nl; k++) {
		if (nl > 1)
			fprintf(f, "-j %lu: ", lv[k].jobs);
		print_verdict(f, &lv[k]);
	}
	fclose(f);
	if (nl > 1)
		panel.svg = speedup_svg(lv, nl, &panel.height);
	rc = report_write(c->report, "parx --compare: the warm-up runs of both "
	    "modes on one time axis", text, panel.svg ? &panel : NULL);
	free((char *)panel.svg);
	free(text);
	return rc;
}

/* Run the comparison. */
int
compare_main(const struct config *cfg, int argc, char **argv,
    const unsigned char *keep, int nopts)
{
	struct compare c;
	struct level *lv;
	size_t nl, k, i, s;
	int status = EXIT_PARX, same = 1, m;
	const char *json_path = cfg->compare_json ? cfg->compare_json :
	    cfg->stats_json;
	FILE *json = NULL;

	if (cfg->dry_run) {
		msg_error("--compare measures real runs: it does not go with "
		    "--dry-run");
		return EXIT_PARX;
	}
	if (sig_init() == -1) {
		msg_error("cannot set up signal handling: %s", strerror(errno));
		return EXIT_PARX;
	}
	if (json_path) {
		json = sys_fopen_w(json_path);
		if (json == NULL) {
			msg_error("cannot write '%s': %s", json_path,
			    strerror(errno));
			return EXIT_PARX;
		}
	}
	memset(&c, 0, sizeof(c));
	c.cfg = cfg;
	c.in_fd = -1;
	if (cfg->compare_report && (c.report = report_new(cfg->compare_report,
	    cfg->tmpdir)) == NULL)
		goto out_json;
	c.fixed = cfg->compare_runs;
	nl = cfg->compare_njobs ? cfg->compare_njobs : 1;
	c.budget = (cfg->compare_time > 0 ? cfg->compare_time :
	    COMPARE_DEFAULT_TIME) / (double)nl;
	for (s = 0; s < cfg->nsrc; s++)
		if (cfg->src[s].kind == CONFIG_SRC_FILE &&
		    strcmp(cfg->src[s].path, "-") == 0) {
			c.in_fd = sys_spool(0, NULL);
			if (c.in_fd == -1) {
				msg_error("cannot read standard input: %s",
				    strerror(errno));
				goto out_json;
			}
			break;
		}

	/* The runs' command line: ours less the comparison's own words. */
	c.av = xreallocarray(NULL, (size_t)argc + 1, sizeof(*c.av));
	for (i = 0, k = 0; i < (size_t)argc; i++) {
		if ((int)i == nopts)
			c.at = (int)k;
		if (keep[i] & CONFIG_KEEP_COMPARE)
			c.av[k++] = argv[i];
	}
	if (nopts >= argc)
		c.at = (int)k;
	c.av[k] = NULL;

	if (c.fixed)
		msg_warn("--compare runs the whole workload %d times (a "
		    "warm-up and %d measured runs per mode%s): jobs with "
		    "side effects repeat them", (int)nl * 2 * (c.fixed + 1),
		    c.fixed, nl > 1 ? ", at each -j" : "");
	else
		msg_warn("--compare runs the whole workload many times (a "
		    "warm-up and %d to %d measured runs per mode%s, within "
		    "about %.0f s): jobs with side effects repeat them",
		    COMPARE_MIN_RUNS, COMPARE_MAX_RUNS,
		    nl > 1 ? ", at each -j" : "", c.budget * (double)nl);
	lv = xcalloc(nl, sizeof(*lv));
	for (k = 0; k < nl; k++) {
		lv[k].jobs = cfg->compare_njobs ? cfg->compare_jobs[k] : 0;
		if (level_run(&c, &lv[k]) == -1)
			goto out;
	}

	for (k = 0; k < nl; k++) {
		const struct run *first;

		if (k)
			putchar('\n');
		print_header(&c, &lv[k]);
		print_table(&lv[k]);
		putchar('\n');
		print_verdict(stdout, &lv[k]);
		if (!level_same(&lv[k], &first) || lv[k].m[0].lost ||
		    lv[k].m[1].lost)
			same = 0;
	}
	if (nl > 1)
		print_sweep(lv, nl);
	fflush(stdout);
	if (json)
		write_json(json, lv, nl);
	status = same ? 0 : 1;
	if (c.report && compare_report(&c, lv, nl) == -1)
		status = EXIT_PARX;
out:
	for (k = 0; k < nl; k++)
		for (m = 0; m < 2; m++) {
			for (i = 0; i < lv[k].m[m].n; i++)
				run_release(&lv[k].m[m].run[i]);
			free(lv[k].m[m].run);
			run_release(&lv[k].m[m].warm);
		}
	free(lv);
	free(c.av);
out_json:
	if (json && fclose(json) == EOF) {
		msg_error("cannot write '%s': %s", json_path,
		    strerror(errno));
		status = EXIT_PARX;
	}
	if (c.in_fd >= 0)
		close(c.in_fd);
	report_free(c.report);
	return status;
}

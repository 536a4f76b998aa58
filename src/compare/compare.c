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
#include <unistd.h>

#include "buf.h"
#include "config.h"
#include "exitcode.h"
#include "msg.h"
#include "sig.h"
#include "stats.h"
#include "sys.h"
#include "xalloc.h"

extern char **environ;

/* The figures compared, with how to show them. */
static const struct {
	const char	*key;
	const char	*label;
	const char	*fmt;
} compare_rows[] = {
	{ "wall_s", "wall time (s)", "%.3f" },
	{ "jobs_per_s", "jobs/s", "%.1f" },
	{ "parx_user_s", "parx user CPU (s)", "%.3f" },
	{ "parx_sys_s", "parx sys CPU (s)", "%.3f" },
	{ "parx_rss_kb", "parx peak RSS (KiB)", "%.0f" },
	{ "jobs_user_s", "jobs user CPU (s)", "%.3f" },
	{ "jobs_sys_s", "jobs sys CPU (s)", "%.3f" },
	{ "job_max_rss_kb", "largest job RSS (KiB)", "%.0f" },
	{ "runtime_p50_ms", "job runtime p50 (ms)", "%.3f" },
	{ "runtime_p95_ms", "job runtime p95 (ms)", "%.3f" },
	{ "runtime_max_ms", "job runtime max (ms)", "%.3f" },
	{ "dispatch_us", "dispatch per job (us)", "%.2f" },
	{ "parx_vcsw", "parx voluntary switches", "%.0f" },
	{ "parx_ivcsw", "parx involuntary switches", "%.0f" },
	{ "jobs_vcsw", "jobs voluntary switches", "%.0f" },
	{ "jobs_ivcsw", "jobs involuntary switches", "%.0f" },
};
#define NROWS	(sizeof(compare_rows) / sizeof(compare_rows[0]))

struct run_result {
	double		 v[NROWS];
	char		 digest[32];
	int		 status;
	char		*json;
	double		 jobs;
	double		 failed;
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

/*
 * The command line of a run in mode: argv with the run's own options put
 * in at index at.  argv already holds the words of the config file, the
 * profiles and $PARALLEL: --plain keeps the run from reading them again.
 */
static char **
compare_argv(char **argv, int at, const char *mode, char *modeopt,
    size_t size)
{
	char *opts[] = { modeopt, "--group", "--internal-digest",
	    "--internal-stats-fd=3", "--plain" };
	size_t nadd = sizeof(opts) / sizeof(opts[0]);
	char **av;
	int argc, i, k;

	for (argc = 0; argv[argc]; argc++)
		;
	av = xreallocarray(NULL, (size_t)argc + nadd + 1, sizeof(*av));
	snprintf(modeopt, size, "--mode=%s", mode);
	for (i = 0, k = 0; i <= argc; i++) {
		if (i == (at < argc ? at : argc)) {
			memcpy(av + k, opts, sizeof(opts));
			k += (int)nadd;
		}
		if (i < argc)
			av[k++] = argv[i];
	}
	av[k] = NULL;
	return av;
}

/* Run parx once in mode; fill res.  Returns 0, or -1 (reported). */
static int
compare_run(char **argv, int at, const char *mode, int in_fd,
    struct run_result *res)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	char modeopt[32];
	char **av;
	int i, st, stats_fd, err_fd, rc = -1;
	pid_t pid;

	av = compare_argv(argv, at, mode, modeopt, sizeof(modeopt));
	stats_fd = sys_tmpfile(NULL);
	err_fd = sys_tmpfile(NULL);
	if (stats_fd == -1 || err_fd == -1) {
		msg_error("cannot make a temporary file: %s", strerror(errno));
		goto out;
	}
	if (in_fd >= 0)
		lseek(in_fd, 0, SEEK_SET);
	posix_spawn_file_actions_init(&fa);
	if (in_fd >= 0)
		posix_spawn_file_actions_adddup2(&fa, in_fd, 0);
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
	while (waitpid(pid, &st, 0) == -1)
		if (errno != EINTR) {
			msg_error("cannot wait for a run: %s", strerror(errno));
			goto out;
		}
	if (!WIFEXITED(st) || WEXITSTATUS(st) == EXIT_PARX) {
		char *e = read_fd(err_fd);

		fputs(e, stderr);
		free(e);
		msg_error("the %s-mode run failed (%s %d); stopping the "
		    "comparison", mode, WIFEXITED(st) ? "exit status" :
		    "signal", WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
		goto out;
	}
	res->status = WEXITSTATUS(st);
	res->json = read_fd(stats_fd);
	for (i = 0; i < (int)NROWS; i++)
		res->v[i] = json_number(res->json, compare_rows[i].key);
	res->jobs = json_number(res->json, "jobs");
	res->failed = json_number(res->json, "failed");
	json_string(res->json, "digest", res->digest, sizeof(res->digest));
	/* The JSON ends in a newline: drop it for embedding. */
	res->json[strcspn(res->json, "\n")] = '\0';
	rc = 0;
out:
	if (stats_fd >= 0)
		close(stats_fd);
	if (err_fd >= 0)
		close(err_fd);
	free(av);
	return rc;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Median and half-range of n values. */
static void
median_spread(const double *v, int n, double *med, double *spread)
{
	double *s = xreallocarray(NULL, (size_t)n, sizeof(*s));
	int i;

	for (i = 0; i < n; i++)
		s[i] = v[i];
	qsort(s, (size_t)n, sizeof(*s), cmp_double);
	*med = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
	*spread = (s[n - 1] - s[0]) / 2;
	free(s);
}

static void
compare_verdict(struct run_result *p, struct run_result *t, int n)
{
	double pw[64] = { 0 }, tw[64] = { 0 }, ratio[64] = { 0 };
	double pc[64] = { 0 }, tc[64] = { 0 }, pm[64] = { 0 }, tm[64] = { 0 };
	double speed, sspread, cpu, cspread, mem, mspread;
	int i, thread_faster;

	for (i = 0; i < n && i < 64; i++) {
		pw[i] = p[i].v[0];
		tw[i] = t[i].v[0];
		pc[i] = p[i].v[2] + p[i].v[3] + p[i].v[5] + p[i].v[6];
		tc[i] = t[i].v[2] + t[i].v[3] + t[i].v[5] + t[i].v[6];
		pm[i] = p[i].v[4];
		tm[i] = t[i].v[4];
	}
	median_spread(pw, n, &speed, &sspread);
	median_spread(tw, n, &cpu, &cspread);
	thread_faster = cpu <= speed;
	/* Ratios per pair of runs, then their median and spread. */
	for (i = 0; i < n; i++)
		ratio[i] = thread_faster ? (tw[i] > 0 ? pw[i] / tw[i] : 0) :
		    (pw[i] > 0 ? tw[i] / pw[i] : 0);
	median_spread(ratio, n, &speed, &sspread);
	for (i = 0; i < n; i++)
		ratio[i] = thread_faster ? (pc[i] > 0 ? tc[i] / pc[i] : 0) :
		    (tc[i] > 0 ? pc[i] / tc[i] : 0);
	median_spread(ratio, n, &cpu, &cspread);
	for (i = 0; i < n; i++)
		ratio[i] = thread_faster ? (pm[i] > 0 ? tm[i] / pm[i] : 0) :
		    (tm[i] > 0 ? pm[i] / tm[i] : 0);
	median_spread(ratio, n, &mem, &mspread);
	printf("%s mode: %.2f \xc2\xb1 %.2f \xc3\x97 faster wall time, "
	    "%.2f \xc3\x97 the CPU, %.2f \xc3\x97 the memory\n",
	    thread_faster ? "thread" : "process", speed, sspread, cpu, mem);
}

/* Run the comparison. */
int
compare_main(const struct config *cfg, int argc, char **argv,
    const unsigned char *keep, int nopts)
{
	struct run_result *p, *t, warm[2];
	char **av;
	int runs = cfg->compare_runs, i, k, at = 0, in_fd = -1, same = 1;
	int status = EXIT_PARX;
	size_t s;
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
	if (cfg->stats_json) {
		json = fopen(cfg->stats_json, "we");
		if (json == NULL) {
			msg_error("cannot write '%s': %s", cfg->stats_json,
			    strerror(errno));
			return EXIT_PARX;
		}
	}
	for (s = 0; s < cfg->nsrc; s++)
		if (cfg->src[s].kind == CONFIG_SRC_FILE &&
		    strcmp(cfg->src[s].path, "-") == 0) {
			in_fd = sys_spool(0, NULL);
			if (in_fd == -1) {
				msg_error("cannot read standard input: %s",
				    strerror(errno));
				goto out_json;
			}
			break;
		}

	/* The runs' command line: ours less the comparison's own words. */
	av = xreallocarray(NULL, (size_t)argc + 1, sizeof(*av));
	for (i = 0, k = 0; i < argc; i++) {
		if (i == nopts)
			at = k;
		if (keep[i] & CONFIG_KEEP_COMPARE)
			av[k++] = argv[i];
	}
	if (nopts >= argc)
		at = k;
	av[k] = NULL;

	msg_warn("--compare runs the whole workload %d times (a warm-up and "
	    "%d measured runs per mode): jobs with side effects repeat them",
	    2 * (runs + 1), runs);
	p = xcalloc((size_t)runs, sizeof(*p));
	t = xcalloc((size_t)runs, sizeof(*t));
	memset(warm, 0, sizeof(warm));
	if (compare_run(av, at, "process", in_fd, &warm[0]) == -1 ||
	    compare_run(av, at, "thread", in_fd, &warm[1]) == -1)
		goto out;
	for (i = 0; i < runs; i++)
		if (compare_run(av, at, "process", in_fd, &p[i]) == -1 ||
		    compare_run(av, at, "thread", in_fd, &t[i]) == -1)
			goto out;

	for (i = 0; i < runs; i++)
		if (strcmp(p[i].digest, warm[0].digest) != 0 ||
		    strcmp(t[i].digest, warm[0].digest) != 0 ||
		    p[i].status != warm[0].status ||
		    t[i].status != warm[0].status)
			same = 0;
	if (strcmp(warm[1].digest, warm[0].digest) != 0 ||
	    warm[1].status != warm[0].status)
		same = 0;

	printf("parx --compare: %d runs per mode after a warm-up, %.0f jobs "
	    "per run, -j%lu\n", runs, warm[0].jobs, cfg->jobs);
	if (same)
		printf("output and exit statuses: identical in all %d runs "
		    "(exit status %d)\n\n", 2 * (runs + 1), warm[0].status);
	else
		printf("output and exit statuses: DIFFER between runs "
		    "(process %s/%d, thread %s/%d)\n\n", warm[0].digest,
		    warm[0].status, warm[1].digest, warm[1].status);
	printf("%-26s %22s %22s %9s\n", "", "process", "thread",
	    "thr/proc");
	for (s = 0; s < NROWS; s++) {
		double pv[64], tv[64], pmed, psp, tmed, tsp;
		char a[80], b[80], num[32], sp[32];

		for (i = 0; i < runs && i < 64; i++) {
			pv[i] = p[i].v[s];
			tv[i] = t[i].v[s];
		}
		median_spread(pv, runs, &pmed, &psp);
		median_spread(tv, runs, &tmed, &tsp);
		snprintf(num, sizeof(num), compare_rows[s].fmt, pmed);
		snprintf(sp, sizeof(sp), compare_rows[s].fmt, psp);
		snprintf(a, sizeof(a), "%s \xc2\xb1 %s", num, sp);
		snprintf(num, sizeof(num), compare_rows[s].fmt, tmed);
		snprintf(sp, sizeof(sp), compare_rows[s].fmt, tsp);
		snprintf(b, sizeof(b), "%s \xc2\xb1 %s", num, sp);
		if (pmed > 0)
			printf("%-26s %23s %23s %9.2f\n", compare_rows[s].label,
			    a, b, tmed / pmed);
		else
			printf("%-26s %23s %23s %9s\n", compare_rows[s].label,
			    a, b, "-");
	}
	putchar('\n');
	compare_verdict(p, t, runs);
	fflush(stdout);

	if (json) {
		fprintf(json, "{\"runs\":%d,\"identical\":%s,\"process\":[",
		    runs, same ? "true" : "false");
		for (i = 0; i < runs; i++)
			fprintf(json, "%s%s", i ? "," : "", p[i].json);
		fprintf(json, "],\"thread\":[");
		for (i = 0; i < runs; i++)
			fprintf(json, "%s%s", i ? "," : "", t[i].json);
		fprintf(json, "]}\n");
	}
	status = same ? 0 : 1;
out:
	for (i = 0; i < runs; i++) {
		free(p[i].json);
		free(t[i].json);
	}
	free(warm[0].json);
	free(warm[1].json);
	free(p);
	free(t);
	free(av);
out_json:
	if (json && fclose(json) == EOF) {
		msg_error("cannot write '%s': %s", cfg->stats_json,
		    strerror(errno));
		status = EXIT_PARX;
	}
	if (in_fd >= 0)
		close(in_fd);
	return status;
}

/* SPDX-License-Identifier: ISC */
/*
 * Admission: the checks a job passes between getting a free slot and
 * being handed to the runner (descriptors, --load and --memfree, --delay)
 * and, with -S, the host it runs on.
 */
#include "admit.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "config.h"
#include "gate.h"
#include "job.h"
#include "loop.h"
#include "msg.h"
#include "num.h"
#include "output.h"
#include "remote.h"
#include "runner.h"
#include "sig.h"
#include "sshlogin.h"
#include "stop.h"
#include "sys.h"
#include "tmpl.h"
#include "xalloc.h"

/* Descriptors parx keeps for itself besides the jobs'. */
#define ADMIT_FD_RESERVE	16

/*
 * How long a job refused a process while no job runs is tried again
 * before parx gives up: processes that just ended (parx's own workers
 * beyond the lowered cap among them) count against ulimit -u until they
 * are reaped.
 */
#define ADMIT_STARVE_MS		3000

/*
 * --limit: ask again this long after a no, and this often while jobs run;
 * --memsuspend looks at the memory as often.
 */
#define ADMIT_LIMIT_MS		100

/* -j FILE: look at the file at least this often, and after each job. */
#define ADMIT_JOBS_FILE_MS	1000

/*
 * A running job, for --limit to kill (sent: it was signalled) and
 * --memsuspend to stop (suspended: it was sent SIGSTOP).
 */
struct admit_running {
	struct job		*j;
	int			 sent;
	int			 suspended;
};

struct admit {
	const struct config	*cfg;
	struct stop		*stop;		/* not owned */
	struct gate		*gate;		/* --load, --memfree */
	long			 gate_retry;	/* ms until asking again, or -1 */
	struct timespec		 next_start;	/* --delay */
	int			 delay_wait;	/* a start waits for it */
	int			 started;	/* a job was started */
	size_t			 fd_budget;
	size_t			 fds_per_job;
	size_t			 cap;		/* jobs at once; 0: nslots */
	int			 starving;	/* refused with none running */
	struct timespec		 starve_end;	/* then give up */
	struct timespec		 refused_retry;	/* try again no sooner */
	int			 refused_wait;	/* a start waits for it */
	struct sshlogin		*hosts;		/* -S, --slf: NULL without */
	char			**groups;	/* the placed job's groups */
	size_t			  ngroups;
	struct remote		*remote;

	/* -j FILE: the jobs at once it gives (0: no limit), and its state. */
	unsigned long		 file_jobs;
	struct stat		 file_st;	/* when it was read */
	struct timespec		 file_next;	/* look again then */
	int			 file_look;	/* a job ended: look now */

	/* --limit: its script, when to ask again, the jobs it may kill. */
	char			*limit;		/* owned; NULL without */
	struct timespec		 limit_next;	/* a no: not again before */
	int			 limit_wait;
	struct timespec		 limit_check;	/* jobs run: ask then */
	struct admit_running	*run;		/* the running jobs */
	size_t			 nrun;
	size_t			 run_cap;
	struct runner		*rn;		/* not owned */
};

/* *err becomes the message fmt makes. */
static void
admit_error(char **err, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	*err = xstrdup(msg);
}

/*
 * Wait until a host is up (with --filter-hosts: every host is up or
 * down), or none is connecting any more, or a signal stops parx (the
 * main loop then acts on it).  Returns the hosts up.
 */
static size_t
admit_wait_host(struct admit *a)
{
	struct pollfd *pfd;
	size_t n, max = sshlogin_connecting(a->hosts);

	pfd = xcalloc(max ? max : 1, sizeof(*pfd));
	/* --filter-hosts: every host is known up or down first. */
	while ((sshlogin_up(a->hosts) == 0 || a->cfg->remote.filter_hosts) &&
	    !sig_fatal_pending() &&
	    (n = sshlogin_prepare(a->hosts, pfd, max)) > 0) {
		/* The signals are blocked: looked at every 100 ms. */
		if (poll(pfd, n, 100) == -1 && errno != EINTR)
			break;
		sshlogin_dispatch(a->hosts, pfd, n);
	}
	free(pfd);
	return sshlogin_up(a->hosts);
}

/* -S, --slf: read the hosts and connect them.  Returns 0, or -1 with *err. */
static int
admit_setup_hosts(struct admit *a, const struct config *cfg, char **err)
{
	struct tmpl_opts to;
	size_t i;

	if (cfg->remote.nlogins == 0 && cfg->remote.nfiles == 0)
		return 0;
	if (cfg->dry_run)	/* the logins must parse; nothing connects */
		return sshlogin_check(&cfg->remote, err);
	a->hosts = sshlogin_new(&cfg->remote, cfg->tmpdir, err);
	if (a->hosts == NULL)
		return -1;
	if (!sshlogin_all_local(a->hosts) && (cfg->func || cfg->pipe.cat ||
	    cfg->pipe.fifo)) {
		/* The file {} names is on this machine. */
		admit_error(err, "%s cannot run jobs on other hosts (-S)",
		    cfg->func ? "--func" : cfg->pipe.cat ? "--cat" : "--fifo");
		return -1;
	}
	memset(&to, 0, sizeof(to));
	for (i = 0; i < TMPL_NREPL; i++)
		to.repl[i] = cfg->repl[i];
	a->remote = remote_new(&cfg->remote, &to, err);
	if (a->remote == NULL)
		return -1;
	sshlogin_connect(a->hosts);
	if (admit_wait_host(a) == 0 && !sig_fatal_pending()) {
		admit_error(err, "no host is up to run jobs on");
		return -1;
	}
	return 0;
}

/*
 * GNU parallel's built-in --limit commands, as it writes them: "mem N"
 * (exit 1 below N bytes free, 2 below N/2) and "load N" (1 when more
 * than N processes run or wait for a disk).  %s is N, in bytes or as is.
 */
static const struct {
	const char	*name;
	const char	*script;
} admit_limits[] = {
	{ "mem", "mem() { limit=$1; awk '/^((Swap)?Cached|MemFree|Buffers):/"
	    "{ sum += $2} END { if (sum*1024 < '$limit'/2) { exit 2; } "
	    "else { exit (sum*1024 < '$limit') } }' /proc/meminfo; }; "
	    "mem %s" },
	{ "load", "load() { limit=$1; ps ax -o state,command | "
	    "grep -E '^[DOR].[^[]' | wc -l | "
	    "perl -ne 'exit ('$limit' < $_)'; }; load %s" },
};

/* The script --limit runs: a built-in command, or the command itself. */
static char *
admit_limit_script(const char *spec)
{
	char word[64], arg[64], num[64], script[512];
	unsigned long long n;
	struct buf b;
	size_t i;
	int k;

	buf_init(&b);
	/* Jobs on this machine: GNU parallel's $SSHLOGIN is ":". */
	buf_addstr(&b, "SSHLOGIN=:; export SSHLOGIN; ");
	k = sscanf(spec, " %63s %63s", word, arg);
	for (i = 0; k >= 1 && i < sizeof(admit_limits) /
	    sizeof(admit_limits[0]); i++) {
		if (strcmp(word, admit_limits[i].name) != 0)
			continue;
		if (k == 2 && num_parse_size(arg, &n) == 0)
			snprintf(num, sizeof(num), "%llu", n);
		else
			snprintf(num, sizeof(num), "%s", k == 2 ? arg : "");
		snprintf(script, sizeof(script), admit_limits[i].script, num);
		buf_addstr(&b, script);
		return buf_detach(&b, NULL);
	}
	buf_addstr(&b, spec);
	return buf_detach(&b, NULL);
}

/*
 * Run the --limit command: its exit status (1 when it did not exit).  A
 * command the shell cannot find or run (127, 126) would say "not now"
 * for ever, as it does in GNU parallel: parx stops with an error instead.
 */
static int
admit_limit_run(struct admit *a)
{
	int st = sshlogin_sh(a->limit, NULL, 0);

	if (st == -1 || !WIFEXITED(st))
		return 1;
	st = WEXITSTATUS(st);
	if ((st == 126 || st == 127) && !stop_stopping(a->stop)) {
		msg_error("--limit command '%s' cannot run (exit status %d)",
		    a->cfg->limit, st);
		stop_error(a->stop);
	}
	return st;
}

/*
 * --limit said 2 while jobs run: terminate the youngest job not told
 * already, as GNU parallel does.  NEEDSWORK: GNU parallel sends the
 * whole --termseq; this sends its first signal, SIGTERM.
 */
static void
admit_limit_kill(struct admit *a)
{
	struct admit_running *y = NULL;
	size_t i;

	for (i = 0; i < a->nrun; i++)
		if (!a->run[i].sent && (y == NULL || a->run[i].j->seq >
		    y->j->seq))
			y = &a->run[i];
	if (y == NULL || a->rn == NULL)
		return;
	y->sent = 1;
	runner_signal_job(a->rn, y->j, SIGTERM);
}

/* Send job r SIGSTOP (stop 1) or SIGCONT (stop 0), if not so already. */
static void
admit_suspend(struct admit *a, struct admit_running *r, int stop)
{
	if (r->suspended == stop || a->rn == NULL)
		return;
	r->suspended = stop;
	runner_signal_job(a->rn, r->j, stop ? SIGSTOP : SIGCONT);
}

/* Order running jobs by sequence number, the oldest first. */
static int
admit_running_cmp(const void *x, const void *y)
{
	const struct admit_running *p = x, *q = y;

	return p->j->seq < q->j->seq ? -1 : p->j->seq > q->j->seq;
}

/*
 * --memsuspend SIZE, as GNU parallel does it: below 2*SIZE available,
 * only the oldest 1/(2 - available/SIZE) jobs run (one below SIZE), the
 * others are stopped; above, one stopped job is continued each time.
 * When parx stops, every job is continued, so that it can end.
 */
static void
admit_memsuspend(struct admit *a)
{
	double s = (double)a->cfg->memsuspend, f;
	long long avail;
	size_t i, run;

	if (a->cfg->memsuspend == 0 || a->nrun == 0 || a->gate == NULL)
		return;
	avail = stop_stopping(a->stop) ? -1 : gate_mem_available(a->gate);
	qsort(a->run, a->nrun, sizeof(*a->run), admit_running_cmp);
	if (avail < 0 || (double)avail >= 2 * s) {
		for (i = 0; i < a->nrun; i++)
			if (a->run[i].suspended) {
				admit_suspend(a, &a->run[i], 0);
				if (avail >= 0)
					break;
			}
		return;
	}
	f = 1 / (2 - (double)avail / s);
	run = f < 1 ? 1 : (size_t)f + 1;
	for (i = 0; i < a->nrun; i++)
		admit_suspend(a, &a->run[i], i >= run);
}

/* While jobs run, ask --limit when due; a 2 kills the youngest. */
static void
admit_limit_check(struct admit *a)
{
	int rc;

	if (a->nrun == 0 || loop_ms_until(&a->limit_check) > 0)
		return;
	loop_deadline_in(&a->limit_check, ADMIT_LIMIT_MS);
	admit_memsuspend(a);
	if (a->limit == NULL || stop_stopping(a->stop))
		return;
	if ((rc = admit_limit_run(a)) == 2)
		admit_limit_kill(a);
	if (rc != 0) {
		loop_deadline_in(&a->limit_next, ADMIT_LIMIT_MS);
		a->limit_wait = 1;
	}
}

/* Set up the checks and the hosts. */
struct admit *
admit_new(const struct config *cfg, struct stop *st, char **err)
{
	struct admit *a = xcalloc(1, sizeof(*a));
	struct gate_opts go;

	a->cfg = cfg;
	a->stop = st;
	a->gate_retry = -1;
	go.load_max = cfg->load_max;
	/* --memsuspend: no new job below SIZE, as in GNU parallel. */
	go.memfree = cfg->memfree + cfg->memsuspend;
	a->gate = gate_new(&go);
	if (cfg->limit)
		a->limit = admit_limit_script(cfg->limit);
	if (cfg->jobs_file) {
		a->file_jobs = cfg->jobs;
		if (stat(cfg->jobs_file, &a->file_st) == -1)
			memset(&a->file_st, 0, sizeof(a->file_st));
		loop_deadline_in(&a->file_next, ADMIT_JOBS_FILE_MS);
	}
	if (admit_setup_hosts(a, cfg, err) == -1) {
		admit_free(a);
		return NULL;
	}
	return a;
}

/* Free the admit. */
void
admit_free(struct admit *a)
{
	if (a == NULL)
		return;
	sshlogin_free(a->hosts, a->cfg->remote.cleanup);
	while (a->ngroups > 0)
		free(a->groups[--a->ngroups]);
	free(a->groups);
	remote_free(a->remote);
	gate_free(a->gate);
	free(a->limit);
	free(a->run);
	free(a);
}

/* How many slots the descriptor limit allows. */
unsigned long
admit_slots(struct admit *a, struct output *out, size_t per_worker)
{
	const struct config *cfg = a->cfg;
	struct rlimit rl;
	unsigned long max, want = cfg->jobs, room = 0;
	size_t limit = 1024, avail, per_job;

	per_job = cfg->dry_run || cfg->func ? 0 : output_fds_per_job(out);
	if (cfg->pipe.on)
		per_job += 2;	/* the ends of the job's stdin pipe */
	/*
	 * Room for the hosts still connecting, and for those a --slf file
	 * may add later.
	 */
	if (a->hosts) {
		want = sshlogin_slots(a->hosts);
		room = sshlogin_room(a->hosts) +
		    (a->cfg->remote.nfiles || a->cfg->remote.hostgroups ?
		    SSHLOGIN_ROOM : 0);
	}
	else if (cfg->jobs_file)
		want = 0;	/* room for any value the file may give */
	a->fds_per_job = per_job;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0)
		limit = rl.rlim_cur == RLIM_INFINITY ? 1 << 20 : rl.rlim_cur;
	avail = limit > ADMIT_FD_RESERVE ? limit - ADMIT_FD_RESERVE : 1;
	max = per_job + per_worker ?
	    (unsigned long)(avail / (per_job + per_worker)) : 100000;
	if (max < 1)
		max = 1;
	if (want == 0)
		want = max > 100000 ? 100000 : max;
	else if (want > max) {
		msg_warn("only enough file descriptors to run %lu jobs at once "
		    "(ulimit -n is %zu); running %lu", max, limit, max);
		want = max;
	}
	want = want + room > max ? max : want + room;
	a->fd_budget = avail > want * per_worker ? avail - want * per_worker :
	    0;
	return want;
}

/* Whether st is another file, or the file changed, since old. */
static int
admit_file_changed(const struct stat *old, const struct stat *st)
{
	return old->st_dev != st->st_dev || old->st_ino != st->st_ino ||
	    old->st_size != st->st_size ||
	    old->st_mtim.tv_sec != st->st_mtim.tv_sec ||
	    old->st_mtim.tv_nsec != st->st_mtim.tv_nsec;
}

/*
 * -j FILE: read the file again if it changed.  A value that is not one
 * is reported, and the old one stays; an empty file is not read, as the
 * shell empties it before it writes the new value.
 */
static void
admit_reread_jobs(struct admit *a)
{
	const char *path = a->cfg->jobs_file;
	unsigned long v;
	struct stat st;
	char text[64];
	int rc;

	a->file_look = 0;
	loop_deadline_in(&a->file_next, ADMIT_JOBS_FILE_MS);
	if (stat(path, &st) == -1 || !admit_file_changed(&a->file_st, &st))
		return;	/* gone, or the same: keep the value */
	if (st.st_size == 0)
		return;	/* truncated by "echo N > FILE": its value comes next */
	a->file_st = st;
	rc = config_read_jobs_file(path, sys_ncpus(), &v, text, sizeof(text));
	if (rc == 0) {
		a->file_jobs = v;
		return;
	}
	if (rc == 1)
		msg_warn("-j '%s' leaves no job slot ('%s'); keeping %lu at "
		    "once", path, text, a->file_jobs);
	else if (errno == EINVAL)
		msg_warn("invalid number of jobs '%s' in '%s'; keeping %lu at "
		    "once", text, path, a->file_jobs);
	else
		msg_warn("cannot read '%s': %s; keeping %lu jobs at once",
		    path, strerror(errno), a->file_jobs);
}

/* Forget the waits of the last round; look at -j FILE when due. */
void
admit_begin(struct admit *a, struct runner *rn)
{
	a->rn = rn;
	a->gate_retry = -1;
	a->delay_wait = 0;
	admit_limit_check(a);
	if (a->cfg->jobs_file && !stop_stopping(a->stop) &&
	    (a->file_look || loop_ms_until(&a->file_next) == 0))
		admit_reread_jobs(a);
}

/* 1 when one more job may start. */
int
admit_may_start(struct admit *a, size_t running, size_t held)
{
	if (a->cap && running >= a->cap)
		return 0;	/* the system allows no more */
	if (a->file_jobs && running >= a->file_jobs)
		return 0;	/* -j FILE allows no more now */
	if (a->refused_wait) {
		if (loop_ms_until(&a->refused_retry) > 0)
			return 0;	/* refused a moment ago */
		a->refused_wait = 0;
	}
	if ((running + 1) * a->fds_per_job + held > a->fd_budget &&
	    running > 0)
		return 0;	/* -k holds too much: wait for its turn */
	if (a->gate && !gate_open(a->gate, &a->gate_retry))
		return 0;	/* the machine is busy: ask again later */
	if (a->limit == NULL)
		return 1;
	if (a->limit_wait && loop_ms_until(&a->limit_next) > 0)
		return 0;	/* --limit said no a moment ago */
	a->limit_wait = 0;
	if (admit_limit_run(a) == 0)
		return 1;
	loop_deadline_in(&a->limit_next, ADMIT_LIMIT_MS);
	a->limit_wait = 1;
	return 0;
}

/* Cap the jobs at once at those running now (one when none runs). */
static int
admit_lower(struct admit *a, int err, size_t running)
{
	size_t cap;

	if ((err != EAGAIN && err != ENOMEM) || stop_stopping(a->stop))
		return -1;
	if (running == 0 && a->cap == 1) {
		/* Give what just ended time to be reaped, then give up. */
		if (!a->starving) {
			a->starving = 1;
			loop_deadline_in(&a->starve_end, ADMIT_STARVE_MS);
		} else if (loop_ms_until(&a->starve_end) == 0) {
			return -1;
		}
		loop_deadline_in(&a->refused_retry, 100);
		a->refused_wait = 1;
		return 0;
	}
	cap = running ? running : 1;
	if (a->cap == 0)
		msg_warn("cannot start more than %zu job%s at once (%s); "
		    "running %zu at a time", cap, cap == 1 ? "" : "s",
		    strerror(err), cap);
	if (a->cap == 0 || cap < a->cap)
		a->cap = cap;
	return 0;
}

/* Run fewer jobs at once, and stop the workers they do not need. */
int
admit_lower_cap(struct admit *a, int err, struct runner *rn)
{
	if (admit_lower(a, err, runner_count(rn)) == -1)
		return -1;
	runner_trim(rn, a->cap);
	return 0;
}

/* A job whose process the system refused. */
int
admit_job_refused(struct admit *a, struct runner *rn, struct job *j)
{
	int e = j->res.spawn_errno;

	if (e == 0 || j->killed)
		return 0;
	if (!a->cfg->pipe.on && admit_lower_cap(a, e, rn) == 0) {
		/* It never ran: again once a slot frees, not an attempt. */
		stop_job_unstarted(a->stop, j);
		return 1;
	}
	if ((e == EAGAIN || e == ENOMEM) && !stop_stopping(a->stop)) {
		/* Not even one job can run: none ever will. */
		msg_error("cannot start job %llu: %s", j->seq, strerror(e));
		stop_error(a->stop);
	}
	return 0;
}

/* 1 while --delay keeps the next job from starting. */
int
admit_delayed(struct admit *a)
{
	if (a->cfg->delay <= 0 || !a->started ||
	    loop_ms_until(&a->next_start) == 0)
		return 0;
	a->delay_wait = 1;
	return 1;
}

/* 1 when jobs need a host. */
int
admit_hosts(const struct admit *a)
{
	return a->hosts != NULL;
}

/* --hostgroups: cut "@GROUPS" off the job's arguments. */
void
admit_job_groups(struct admit *a, struct job *j)
{
	const char *at;
	size_t i;

	if (a->hosts == NULL || !a->cfg->remote.hostgroups)
		return;
	for (i = 0; i < j->nargs; i++) {
		struct arg *v = &j->args[i];

		at = v->len ? memchr(v->s, '@', v->len) : NULL;
		if (at == NULL || at + 1 == v->s + v->len)
			continue;
		/* The first argument's say where the job may run. */
		if (i == 0 && j->hostgroups == NULL)
			j->hostgroups = xmemdupz(at + 1,
			    (size_t)(v->s + v->len - at - 1));
		v->len = (size_t)(at - v->s);
	}
}

/*
 * The groups of job j in a->groups.  A group no host is in becomes a
 * host, as in GNU parallel, with a warning.  Returns 0, or -1 with errno
 * EINVAL when such a group is not a login.
 */
static int
admit_groups(struct admit *a, struct job *j)
{
	const char *p = j->hostgroups, *plus;
	char *err = NULL;
	size_t i;
	int known = 0;

	for (; *p; p = *plus ? plus + 1 : plus) {
		plus = strchr(p, '+');
		if (plus == NULL)
			plus = p + strlen(p);
		if (plus == p)
			continue;
		a->groups = xreallocarray(a->groups, a->ngroups + 1,
		    sizeof(*a->groups));
		a->groups[a->ngroups++] = xmemdupz(p, (size_t)(plus - p));
	}
	for (i = 0; i < a->ngroups; i++)
		known |= sshlogin_has_group(a->hosts, a->groups[i]);
	for (i = 0; !known && i < a->ngroups; i++) {
		msg_warn("adding host group '%s' as a host (no host is in it)",
		    a->groups[i]);
		if (sshlogin_add_host(a->hosts, a->groups[i], &err) == -1) {
			msg_error("%s", err);
			free(err);
			errno = EINVAL;
			return -1;
		}
	}
	return 0;
}

/* Give the job a host. */
int
admit_place(struct admit *a, struct job *j)
{
	struct tmpl_ctx ctx = { j->args, j->nargs, j->seq, j->slot, NULL, 0 };
	char *all;
	int p[2];

	while (a->ngroups > 0)
		free(a->groups[--a->ngroups]);
	if (j->hostgroups && admit_groups(a, j) == -1)
		return -1;
	j->host = sshlogin_take(a->hosts, j->failed_on, a->groups,
	    a->ngroups);
	if (j->host == NULL) {
		if (errno == EAGAIN)
			return 1;
		return -1;
	}
	if (j->host->local)
		return 0;
	if (sys_pipe(p) == -1)
		return -1;
	(void)sys_set_nonblock(p[1], 1);
	/* --pipe: the block goes on descriptor 3 (remote.c). */
	job_set_child_fd(j, 3, j->child_fd[0], (j->child_close & 1u) != 0);
	job_set_child_fd(j, 0, p[0], 1);
	j->ctl_fd = p[1];
	if (a->cfg->remote.hostgroups) {
		all = j->hostgroups ? NULL : sshlogin_all_groups(a->hosts);
		remote_wrap(a->remote, j->host, j, &ctx,
		    j->hostgroups ? j->hostgroups : all);
		free(all);
	} else
		remote_wrap(a->remote, j->host, j, &ctx, NULL);
	return 0;
}

/* The job does not run after all. */
void
admit_unplace(struct admit *a, struct job *j)
{
	if (a->hosts && j->host) {
		sshlogin_release(a->hosts, j->host);
		j->host = NULL;
	}
	if (j->ctl_fd >= 0) {
		close(j->ctl_fd);
		j->ctl_fd = -1;
		/* Its control pipe's end goes, its --pipe block comes back. */
		if (j->child_close & 1u)
			close(j->child_fd[0]);
		j->child_fd[0] = j->child_fd[3];
		j->child_close = (j->child_close & ~1u) |
		    ((j->child_close >> 3) & 1u);
		j->child_fd[3] = -1;
		j->child_close &= ~(1u << 3);
	}
}

/* A job was started. */
void
admit_started(struct admit *a, struct job *j)
{
	a->started = 1;
	if (a->limit || a->cfg->memsuspend) {
		if (a->nrun == a->run_cap) {
			a->run_cap = a->run_cap ? 2 * a->run_cap : 16;
			a->run = xreallocarray(a->run, a->run_cap,
			    sizeof(*a->run));
		}
		a->run[a->nrun].j = j;
		a->run[a->nrun].suspended = 0;
		a->run[a->nrun++].sent = 0;
		if (a->nrun == 1)
			loop_deadline_in(&a->limit_check, ADMIT_LIMIT_MS);
	}
	if (a->cfg->delay > 0)
		loop_deadline_in(&a->next_start,
		    (long)(a->cfg->delay * 1000 + 0.5));
}

/* The job's host slot is free again. */
void
admit_job_done(struct admit *a, struct job *j)
{
	size_t i;

	if (j->res.spawn_errno == 0 && !j->killed)
		a->starving = 0;	/* one job at a time can run */
	a->file_look = a->cfg->jobs_file != NULL;
	for (i = 0; i < a->nrun; i++)
		if (a->run[i].j == j) {
			a->run[i] = a->run[--a->nrun];
			break;
		}
	if (a->hosts == NULL || j->host == NULL)
		return;
	sshlogin_release(a->hosts, j->host);
	if (j->killed)
		j->host->killed = 1;	/* its signal file may be left */
	/*
	 * A remote job parx killed names no signal (remote.c): its 128+N
	 * is the signal of the kill sequence that ended it, as a wait
	 * status says of a local job.
	 */
	if (!j->host->local && j->killed && WIFEXITED(j->res.status) &&
	    WEXITSTATUS(j->res.status) > 128 &&
	    WEXITSTATUS(j->res.status) < 128 + 65)
		j->res.status = WEXITSTATUS(j->res.status) - 128;
	if (!j->host->local && !j->killed && WIFEXITED(j->res.status) &&
	    WEXITSTATUS(j->res.status) == 255)
		(void)sshlogin_lost(a->hosts, j->host);
	if (j->ctl_fd >= 0) {
		close(j->ctl_fd);
		j->ctl_fd = -1;
	}
	if (!stop_stopping(a->stop))
		sshlogin_reread(a->hosts);
}

/* --delay, --load and --memfree. */
static size_t
admit_time_prepare(void *ctx, struct pollfd *pfd, size_t max, long *ms)
{
	struct admit *a = ctx;

	if (a->delay_wait)
		loop_ms_min(ms, loop_ms_until(&a->next_start));
	if (a->refused_wait)
		loop_ms_min(ms, loop_ms_until(&a->refused_retry));
	if (!stop_stopping(a->stop))
		loop_ms_min(ms, a->gate_retry);
	if (a->cfg->jobs_file && !stop_stopping(a->stop))
		loop_ms_min(ms, loop_ms_until(&a->file_next));
	if (a->limit_wait)
		loop_ms_min(ms, loop_ms_until(&a->limit_next));
	if ((a->limit || a->cfg->memsuspend) && a->nrun > 0)
		loop_ms_min(ms, loop_ms_until(&a->limit_check));
	return 0;
}

const struct loop_source admit_deadline_source =
	{ "admission deadlines", admit_time_prepare, NULL };

/* The hosts still connecting. */
size_t
admit_maxfds(const struct admit *a)
{
	if (a->hosts == NULL)
		return 0;
	/* And those a --slf file may add. */
	return sshlogin_connecting(a->hosts) +
	    (a->cfg->remote.nfiles || a->cfg->remote.hostgroups ?
	    SSHLOGIN_ROOM : 0);
}

static size_t
admit_hosts_prepare(void *ctx, struct pollfd *pfd, size_t max, long *ms)
{
	struct admit *a = ctx;

	(void)ms;
	return a->hosts ? sshlogin_prepare(a->hosts, pfd, max) : 0;
}

static void
admit_hosts_dispatch(void *ctx, const struct pollfd *pfd, size_t n)
{
	struct admit *a = ctx;

	if (a->hosts)
		sshlogin_dispatch(a->hosts, pfd, n);
}

const struct loop_source admit_hosts_source =
	{ "hosts connecting", admit_hosts_prepare, admit_hosts_dispatch };

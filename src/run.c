/*
 * The main loop: input to jobs, jobs to the runner, finished jobs to the
 * output, and the signals and errors that stop it all.  Only this file
 * decides when parx stops and with which status.
 */
#include "run.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "batch.h"
#include "buf.h"
#include "config.h"
#include "exitcode.h"
#include "func.h"
#include "input.h"
#include "job.h"
#include "msg.h"
#include "output.h"
#include "pipe.h"
#include "runner.h"
#include "shell.h"
#include "sig.h"
#include "spawn.h"
#include "stats.h"
#include "sys.h"
#include "termseq.h"
#include "tmpl.h"
#include "xalloc.h"

#define RUN_TERMSEQ_MAX	32
/* Descriptors parx keeps for itself besides the jobs'. */
#define RUN_FD_RESERVE	16

struct run {
	const struct config	*cfg;
	struct input		*in;
	struct batch		*batch;		/* several tuples per job */
	struct pipe		*pipe;		/* --pipe: blocks of stdin */
	struct tmpl		*tmpl;
	struct tmpl		*tagtmpl;
	struct output		*out;
	struct runner		*runner;
	unsigned long		 nslots;
	int			 direct;	/* exec without a shell */
	struct job		*pending;	/* waits for descriptors */
	int			 raw;		/* no command: input is code */
	func_fn			*func;		/* --func */
	int			 measure;	/* per-job CPU of functions */
	struct stats		*stats;
	FILE			*stats_json;
	FILE			*events;

	unsigned long long	 seq;		/* last sequence number used */
	unsigned long		 nfailed;
	int			 input_done;
	int			 want_input;	/* input_next() said AGAIN */
	int			 stopping;	/* start no new job */
	int			 error;		/* parx's own error */
	int			 interrupted;	/* SIGINT or SIGTERM */
	int			 broken;	/* stdout went away */
	int			 abandon;	/* leave running functions behind */

	struct termseq_step	 ts[RUN_TERMSEQ_MAX];
	int			 nts;
	int			 killing;	/* the step in progress + 1 */
	struct timespec		 kill_at;	/* when the next step is due */

	size_t			 fd_budget;
	size_t			 fds_per_job;
	int			 stdout_pipe;	/* poll stdout for POLLERR */

	struct pollfd		*pfd;
	size_t			 npfd;
	struct buf		 cmdbuf;
	struct buf		 argvbuf;
	struct buf		 tagbuf;
	size_t			 arg_max;
	size_t			 arg_strlen_max;
	size_t			 env_size;
};

extern char **environ;

static int
run_interrupted(void)
{
	return sig_fatal_pending();
}

static long
ms_until(const struct timespec *t)
{
	struct timespec now;
	long ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (t->tv_sec - now.tv_sec) * 1000 +
	    (t->tv_nsec - now.tv_nsec) / 1000000;
	return ms < 0 ? 0 : ms + 1;
}

static void
deadline_in(struct timespec *t, long ms)
{
	clock_gettime(CLOCK_MONOTONIC, t);
	t->tv_sec += ms / 1000;
	t->tv_nsec += (ms % 1000) * 1000000L;
	if (t->tv_nsec >= 1000000000L) {
		t->tv_sec++;
		t->tv_nsec -= 1000000000L;
	}
}

/* Send the next signal of the kill sequence to every running job. */
static void
run_kill_step(struct run *r)
{
	const struct termseq_step *s;

	if (r->killing >= r->nts)
		return;
	s = &r->ts[r->killing++];
	r->runner->ops->signal_all(r->runner, s->sig);
	deadline_in(&r->kill_at, s->ms);
}

/* Stop starting jobs and kill the running ones. */
static void
run_kill_all(struct run *r)
{
	r->stopping = 1;
	if (r->killing == 0)
		run_kill_step(r);
}

/*
 * How many slots the descriptor limit allows.  Each slot costs per_worker
 * descriptors for as long as parx runs (a worker's socket) and per_job
 * while a job runs in it; *budget is what is left for jobs' output.
 */
static unsigned long
run_slots(const struct config *cfg, size_t per_job, size_t per_worker,
    size_t *budget)
{
	struct rlimit rl;
	unsigned long max, want = cfg->jobs;
	size_t limit = 1024, avail;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0)
		limit = rl.rlim_cur == RLIM_INFINITY ? 1 << 20 : rl.rlim_cur;
	avail = limit > RUN_FD_RESERVE ? limit - RUN_FD_RESERVE : 1;
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
	*budget = avail > want * per_worker ? avail - want * per_worker : 0;
	return want;
}

static size_t
run_env_size(void)
{
	size_t n = 0;
	char **e;

	for (e = environ; *e; e++)
		n += strlen(*e) + 1 + sizeof(char *);
	/* PARALLEL_SEQ, PARALLEL_JOBSLOT and PARALLEL_PID. */
	return n + 3 * (64 + sizeof(char *));
}

/* Check the command against the exec limits; 0 fits, -1 does not. */
static int
run_fits(struct run *r, const struct job *j)
{
	size_t total;

	if (j->direct) {
		const char *p = j->argv;
		size_t i;

		total = r->env_size + sizeof(char *);
		for (i = 0; i < j->argc; i++) {
			size_t len = strlen(p) + 1;

			if (len > r->arg_strlen_max)
				return -1;
			total += len + sizeof(char *);
			p += len;
		}
		return total <= r->arg_max ? 0 : -1;
	}
	if (j->cmd_len + 1 > r->arg_strlen_max)
		return -1;
	if (r->cfg->batch.max_chars && j->cmd_len + 1 > r->cfg->batch.max_chars)
		return -1;	/* -s */
	total = r->env_size + j->cmd_len + 1 + 64;
	return total <= r->arg_max ? 0 : -1;
}

static int
run_all_blank(const struct arg *args, size_t nargs)
{
	size_t i, k;

	for (i = 0; i < nargs; i++)
		for (k = 0; k < args[i].len; k++)
			if (args[i].s[k] != ' ' && args[i].s[k] != '\t' &&
			    args[i].s[k] != '\n' && args[i].s[k] != '\r')
				return 0;
	return 1;
}

/* Build the job's tag (--tag, --tagstring) in r->tagbuf. */
static void
run_tag(struct run *r, const struct job *j, const struct tmpl_ctx *ctx)
{
	size_t i;

	buf_reset(&r->tagbuf);
	if (r->tagtmpl) {
		tmpl_expand(r->tagtmpl, ctx, 0, &r->tagbuf);
		buf_addch(&r->tagbuf, '\t');
	} else if (r->cfg->tag) {
		for (i = 0; i < j->nargs; i++) {
			if (i)
				buf_addch(&r->tagbuf, ' ');
			buf_add(&r->tagbuf, j->args[i].s, j->args[i].len);
		}
		buf_addch(&r->tagbuf, '\t');
	}
}

/* Stop with an error of parx's own; job (if any) never runs. */
static void
run_fail_job(struct run *r, struct job *j)
{
	output_skip(r->out, j->seq);
	job_free(j);
	r->error = 1;
	r->stopping = 1;
}

/*
 * Expand a job for its slot and hand it to the runner.  Returns 0 when the
 * job is gone (started, or failed for good), or 1 when it could not get
 * its output descriptors yet and should be tried again once another job
 * has finished.
 */
static int
run_launch(struct run *r, struct job *j, unsigned long slot)
{
	struct tmpl_ctx ctx;

	j->slot = slot;
	ctx.args = j->args;
	ctx.nargs = j->nargs;
	ctx.seq = j->seq;
	ctx.slot = slot;

	free(j->cmd);
	free(j->argv);
	j->argv = NULL;
	buf_reset(&r->cmdbuf);
	if (r->func) {
		/* Shown as a command would be: the name, the quoted words. */
		buf_addstr(&r->cmdbuf, r->cfg->func);
		buf_addch(&r->cmdbuf, ' ');
	}
	tmpl_expand(r->tmpl, &ctx, !r->raw, &r->cmdbuf);
	j->cmd = xmemdupz(r->cmdbuf.data, r->cmdbuf.len);
	j->cmd_len = r->cmdbuf.len;
	if (r->func) {
		buf_reset(&r->argvbuf);
		j->argc = tmpl_expand_argv(r->tmpl, &ctx, &r->argvbuf);
		j->argv = xmemdupz(r->argvbuf.data, r->argvbuf.len);
		j->argv_len = r->argvbuf.len;
		j->func = r->func;
		j->func_name = r->cfg->func;
	} else if (r->direct) {
		buf_reset(&r->argvbuf);
		j->argc = tmpl_expand_argv(r->tmpl, &ctx, &r->argvbuf);
		j->argv = xmemdupz(r->argvbuf.data, r->argvbuf.len);
		j->argv_len = r->argvbuf.len;
		j->direct = 1;
	}
	j->measure = r->measure;
	if (!r->func && run_fits(r, j) == -1) {
		size_t s = r->cfg->batch.max_chars;

		if (s == 0 || s > r->arg_strlen_max)
			s = r->arg_strlen_max;
		msg_error("command line too long for job %llu (%zu bytes; "
		    "%s allows %zu): '%.40s...'", j->seq, j->cmd_len + 1,
		    s == r->cfg->batch.max_chars ? "-s" : "the system", s,
		    j->cmd);
		run_fail_job(r, j);
		return 0;
	}
	if (!r->cfg->dry_run) {
		run_tag(r, j, &ctx);
		if (output_prepare(r->out, j, r->tagbuf.data,
		    r->tagbuf.len) == -1) {
			/* Out of descriptors: wait for a running job to end. */
			if ((errno == EMFILE || errno == ENFILE) &&
			    r->runner->ops->count(r->runner) > 0)
				return 1;
			msg_error("cannot set up the output of job %llu: %s",
			    j->seq, strerror(errno));
			run_fail_job(r, j);
			return 0;
		}
		if (r->cfg->announce) {
			buf_reset(&r->cmdbuf);
			buf_add(&r->cmdbuf, j->cmd, j->cmd_len);
			buf_addch(&r->cmdbuf, '\n');
			output_announce(r->out, j, r->cmdbuf.data,
			    r->cmdbuf.len);
		}
	}
	if (r->cfg->verbose) {
		buf_reset(&r->cmdbuf);
		buf_add(&r->cmdbuf, j->cmd, j->cmd_len);
		buf_addch(&r->cmdbuf, '\n');
		output_text(r->out, 2, r->cmdbuf.data, r->cmdbuf.len);
		output_flush(r->out);	/* before the job can run */
	}
	if (r->runner->ops->start(r->runner, j) == -1) {
		msg_error("cannot start a %s worker: %s", r->runner->ops->name,
		    strerror(errno));
		if (!r->cfg->dry_run)
			output_job_done(r->out, j, 1);
		job_free(j);
		r->error = 1;
		r->stopping = 1;
	}
	return 0;
}

/* Start jobs while there are free slots and input. */
static void
run_fill_slots(struct run *r)
{
	const struct arg *args;
	unsigned long slot;
	size_t nargs, running;
	struct job *j;
	int rc, stdin_fd = -1;

	r->want_input = 0;
	while (!r->stopping) {
		slot = r->runner->ops->free_slot(r->runner);
		if (slot == 0)
			return;
		running = r->runner->ops->count(r->runner);
		if ((running + 1) * r->fds_per_job +
		    output_held_fds(r->out) > r->fd_budget && running > 0)
			return;	/* -k holds too much: wait for its turn */
		if (r->pending) {
			j = r->pending;
			r->pending = NULL;
		} else {
			if (r->input_done)
				return;
			if (r->pipe) {
				rc = pipe_next(r->pipe, r->seq + 1, &stdin_fd);
				args = NULL;
				nargs = 0;
			} else
				rc = r->batch ? batch_next(r->batch, r->seq + 1,
				    slot, &args, &nargs) : input_next(r->in,
				    &args, &nargs);
			if (rc == INPUT_AGAIN) {
				r->want_input = r->pipe == NULL;
				return;
			}
			if (rc == INPUT_END) {
				r->input_done = 1;
				return;
			}
			if (rc == INPUT_ERROR) {
				msg_error("cannot read '%s': %s", r->pipe ?
				    pipe_culprit(r->pipe) :
				    input_culprit(r->in), strerror(errno));
				r->error = 1;
				r->stopping = 1;
				return;
			}
			if (r->cfg->no_run_if_empty && !r->pipe &&
			    run_all_blank(args, nargs))
				continue;
			j = job_new(++r->seq, args, nargs);
			if (r->pipe) {
				/* The block comes on the job's stdin. */
				j->child_fd[0] = stdin_fd;
				j->child_close |= 1;
			}
		}
		if (run_launch(r, j, slot) == 1) {
			r->pending = j;
			return;
		}
	}
}

/* The bytes a finished job wrote to stdout, or -1 when parx cannot tell. */
static long long
run_bytes_out(const struct job *j)
{
	struct stat st;

	if (j->func)
		return (long long)j->fout[0].len;
	if (j->out_fd >= 0 && fstat(j->out_fd, &st) == 0 &&
	    S_ISREG(st.st_mode))
		return (long long)st.st_size;
	return -1;
}

/* --compare: fold the job's output and status into the digest. */
static void
run_digest(struct run *r, const struct job *j)
{
	struct buf b[2] = { BUF_INIT, BUF_INIT };
	const struct buf *use[2];
	int i, fd;

	for (i = 0; i < 2; i++) {
		use[i] = &b[i];
		if (j->func) {
			use[i] = &j->fout[i];
			continue;
		}
		fd = i ? j->err_fd : j->out_fd;
		if (fd >= 0) {
			char chunk[65536];
			off_t off = 0;
			ssize_t n;

			while ((n = pread(fd, chunk, sizeof(chunk), off)) > 0) {
				buf_add(&b[i], chunk, (size_t)n);
				off += n;
			}
		}
	}
	stats_digest(r->stats, j->seq, j->res.status,
	    use[0]->data ? use[0]->data : "", use[0]->len,
	    use[1]->data ? use[1]->data : "", use[1]->len);
	buf_release(&b[0]);
	buf_release(&b[1]);
}

/* Finish one job: its output, its count, its measurements. */
static void
run_finish_job(struct run *r, struct job *j)
{
	int discard = j->killed && (r->interrupted || r->broken);
	long long bytes = -1;

	if (r->stats) {
		bytes = run_bytes_out(j);
		stats_job(r->stats, j, bytes);
		if (r->events)
			stats_event(r->events, r->runner->ops->name, j, bytes);
		if (r->cfg->digest) {
			run_digest(r, j);
			discard = 1;
		}
	}
	if (r->cfg->dry_run) {
		struct tmpl_ctx ctx = { j->args, j->nargs, j->seq, j->slot };

		run_tag(r, j, &ctx);
		buf_reset(&r->cmdbuf);
		buf_add(&r->cmdbuf, r->tagbuf.data, r->tagbuf.len);
		buf_add(&r->cmdbuf, j->cmd, j->cmd_len);
		buf_addch(&r->cmdbuf, '\n');
		output_text(r->out, 1, r->cmdbuf.data, r->cmdbuf.len);
	} else {
		output_job_done(r->out, j, discard);
	}
	if (job_failed(j))
		r->nfailed++;
	if (r->pipe)
		pipe_job_done(r->pipe, j->seq);
	job_free(j);
}

/* Take back every job the runner has finished; return how many. */
static size_t
run_collect(struct run *r)
{
	struct job *j;
	size_t n = 0;

	while ((j = r->runner->ops->next_done(r->runner)) != NULL) {
		run_finish_job(r, j);
		n++;
	}
	return n;
}

static int
run_finished(const struct run *r)
{
	if (r->abandon)
		return 1;
	return ((r->input_done && r->pending == NULL) || r->stopping) &&
	    r->runner->ops->count(r->runner) == 0;
}

/* Act on the signals received. */
static void
run_signals(struct run *r, unsigned bits)
{
	if (bits & (SIG_INT | SIG_TERM)) {
		r->interrupted = 1;
		run_kill_all(r);
	}
	if (bits & SIG_HUP)
		r->stopping = 1;	/* let the running jobs finish */
}

/* Wait for one event and dispatch it. */
static void
run_wait(struct run *r)
{
	size_t n = 0, k_in = (size_t)-1, k_out = (size_t)-1, k_run, n_run;
	size_t k_lines, n_lines, k_pipe, n_pipe;
	long timeout = -1;
	int rc;

	if (r->runner->ops->flush)
		r->runner->ops->flush(r->runner);
	output_flush(r->out);
	if (r->events)
		fflush(r->events);

	r->pfd[n].fd = sig_fd();
	r->pfd[n].events = POLLIN;
	r->pfd[n++].revents = 0;
	if (r->want_input && !r->stopping && input_pollfd(r->in) >= 0) {
		k_in = n;
		r->pfd[n].fd = input_pollfd(r->in);
		r->pfd[n].events = POLLIN;
		r->pfd[n++].revents = 0;
	}
	if (r->stdout_pipe && !r->broken) {
		k_out = n;
		r->pfd[n].fd = 1;
		r->pfd[n].events = 0;	/* only POLLERR: the reader left */
		r->pfd[n++].revents = 0;
	}
	k_run = n;
	n_run = r->runner->ops->pollfds(r->runner, r->pfd + n, r->npfd - n);
	n += n_run;
	k_lines = n;
	n_lines = output_pollfds(r->out, r->pfd + n, r->npfd - n);
	n += n_lines;
	k_pipe = n;
	n_pipe = r->pipe ? pipe_pollfds(r->pipe, r->pfd + n, r->npfd - n,
	    !r->stopping) : 0;
	n += n_pipe;

	if (r->killing && (r->killing < r->nts || (r->func &&
	    r->cfg->mode == CONFIG_THREAD)))
		timeout = ms_until(&r->kill_at);

	rc = poll(r->pfd, n, timeout > 0x7fffffff ? 0x7fffffff : (int)timeout);
	if (rc < 0) {
		if (errno != EINTR)
			BUG("poll: %s", strerror(errno));
		run_signals(r, sig_take());
		return;
	}
	if (r->pfd[0].revents)
		run_signals(r, sig_take());
	if (k_in != (size_t)-1 && r->pfd[k_in].revents) {
		if (input_read(r->in) == -1 && errno != EINTR &&
		    errno != EAGAIN) {
			msg_error("cannot read '%s': %s", input_culprit(r->in),
			    strerror(errno));
			r->error = 1;
			r->stopping = 1;
		}
	}
	if (k_out != (size_t)-1 && (r->pfd[k_out].revents & POLLERR))
		r->broken = 1;
	r->runner->ops->events(r->runner, r->pfd + k_run, n_run);
	output_events(r->out, r->pfd + k_lines, n_lines);
	if (r->pipe && pipe_events(r->pipe, r->pfd + k_pipe, n_pipe) == -1) {
		msg_error("cannot read '%s': %s", pipe_culprit(r->pipe),
		    strerror(errno));
		r->error = 1;
		r->stopping = 1;
	}

	if (r->killing && r->killing < r->nts && ms_until(&r->kill_at) == 0)
		run_kill_step(r);
	else if (r->killing >= r->nts && r->func && r->cfg->mode ==
	    CONFIG_THREAD && ms_until(&r->kill_at) == 0)
		r->abandon = 1;	/* a thread cannot be killed: exit over it */
}

static int
run_setup(struct run *r, const struct config *cfg)
{
	struct tmpl_opts to;
	struct output_opts oo;
	char *err = NULL, *shell;
	char *words[1] = { "{}" };
	size_t i, per_job;
	struct stat st;

	memset(r, 0, sizeof(*r));
	r->cfg = cfg;
	buf_init(&r->cmdbuf);
	buf_init(&r->argvbuf);
	buf_init(&r->tagbuf);

	r->nts = termseq_parse(cfg->termseq ? cfg->termseq : TERMSEQ_DEFAULT,
	    r->ts, RUN_TERMSEQ_MAX);
	if (r->nts <= 0) {
		msg_error("invalid --termseq '%s'", cfg->termseq);
		return -1;
	}

	memset(&to, 0, sizeof(to));
	for (i = 0; i < TMPL_NREPL; i++)
		to.repl[i] = cfg->repl[i];
	to.flags = cfg->quote ? TMPL_QUOTE_WORDS : 0;
	if (cfg->pipe.on)
		to.flags |= TMPL_NO_APPEND;	/* the input is on stdin */
	else if (batch_context(&cfg->batch))
		to.flags |= TMPL_CONTEXT;
	if (cfg->func) {
		r->func = func_resolve(cfg->func, &err);
		if (r->func == NULL) {
			msg_error("%s", err);
			free(err);
			return -1;
		}
		to.flags |= TMPL_ARGV;
		r->tmpl = tmpl_parse(cfg->cmd, cfg->ncmd, &to, &err);
	} else if (cfg->ncmd == 0) {
		/* No command: each input line is the command itself. */
		r->raw = 1;
		to.flags = 0;
		memset(to.repl, 0, sizeof(to.repl));
		r->tmpl = tmpl_parse(words, 1, &to, &err);
	} else {
		r->tmpl = tmpl_parse(cfg->cmd, cfg->ncmd, &to, &err);
	}
	if (r->tmpl == NULL) {
		msg_error("%s", err);
		free(err);
		return -1;
	}
	if (cfg->tagstring) {
		char *tw[1];

		tw[0] = (char *)cfg->tagstring;
		to.flags = TMPL_NO_APPEND | (to.flags & TMPL_CONTEXT);
		r->tagtmpl = tmpl_parse(tw, 1, &to, &err);
		if (r->tagtmpl == NULL) {
			msg_error("--tagstring: %s", err);
			free(err);
			return -1;
		}
	}

	shell = shell_find();
	spawn_init(shell);
	r->direct = !r->raw && !r->func && tmpl_is_simple(r->tmpl) &&
	    tmpl_program(r->tmpl) != NULL &&
	    !shell_needs_shell(tmpl_program(r->tmpl));
	/* zsh reads ~/.zshenv and bash $BASH_ENV: functions may hide there. */
	if (strstr(shell, "zsh") ||
	    (strstr(shell, "bash") && getenv("BASH_ENV")))
		r->direct = 0;
	free(shell);

	r->in = input_new(cfg->delim, cfg->delim_len,
	    cfg->link ? INPUT_LINK_ALL : 0);
	for (i = 0; i < cfg->nsrc; i++) {
		const struct config_source *s = &cfg->src[i];

		if (s->kind == CONFIG_SRC_FILE)
			input_add_file(r->in, s->path, s->linked);
		else
			input_add_words(r->in, s->words, s->nwords, s->linked);
	}
	if (input_start(r->in) == -1) {
		msg_error("cannot open '%s': %s", input_culprit(r->in),
		    strerror(errno));
		return -1;
	}

	memset(&oo, 0, sizeof(oo));
	oo.mode = cfg->dry_run ? OUTPUT_UNGROUP : cfg->output;
	oo.keep_order = cfg->keep_order;
	oo.tmpdir = cfg->tmpdir;
	oo.interrupted = run_interrupted;
	r->out = output_new(&oo);

	per_job = cfg->dry_run || cfg->func ? 0 : output_fds_per_job(r->out);
	if (cfg->pipe.on)
		per_job += 2;	/* the ends of the job's stdin pipe */
	r->fds_per_job = per_job;
	r->nslots = run_slots(cfg, per_job,
	    cfg->mode == CONFIG_PROCESS && !cfg->dry_run ? 1 : 0,
	    &r->fd_budget);
	if (r->func && cfg->mode == CONFIG_THREAD && !cfg->dry_run)
		func_crash_guard();
	if (cfg->dry_run)
		r->runner = runner_dry_new(r->nslots);
	else if (cfg->mode == CONFIG_THREAD)
		r->runner = runner_thread_new(r->nslots);
	else
		r->runner = runner_proc_new(r->nslots);
	if (r->runner == NULL) {
		msg_error("cannot start the %s engine: %s",
		    cfg->mode == CONFIG_THREAD ? "thread" : "process",
		    strerror(errno));
		return -1;
	}
	if (cfg->pipe.on) {
		struct pipe_env pe = { cfg->src[0].path,
		    cfg->batch.nargs_set ? cfg->batch.nargs : 0,
		    cfg->batch.lines_set ? cfg->batch.lines : 0, r->nslots };

		r->pipe = pipe_new(&cfg->pipe, &pe, &err);
		if (r->pipe == NULL) {
			msg_error("%s", err);
			free(err);
			return -1;
		}
	}
	r->npfd = 4 + r->nslots + 2 * r->nslots +
	    (r->pipe ? pipe_maxfds(r->pipe) : 0);
	r->pfd = xreallocarray(NULL, r->npfd, sizeof(*r->pfd));

	if (cfg->stats || cfg->stats_json || cfg->events || cfg->stats_fd >= 0 ||
	    cfg->digest) {
		r->measure = 1;
		if (cfg->stats_json) {
			r->stats_json = fopen(cfg->stats_json, "we");
			if (r->stats_json == NULL) {
				msg_error("cannot write '%s': %s",
				    cfg->stats_json, strerror(errno));
				return -1;
			}
		} else if (cfg->stats_fd >= 0) {
			r->stats_json = fdopen(cfg->stats_fd, "w");
		}
		if (cfg->events) {
			r->events = fopen(cfg->events, "we");
			if (r->events == NULL) {
				msg_error("cannot write '%s': %s", cfg->events,
				    strerror(errno));
				return -1;
			}
		}
		r->stats = stats_new(cfg->dry_run ? "dry-run" :
		    cfg->mode == CONFIG_THREAD ? "thread" : "process",
		    r->nslots);
	}

	r->arg_max = sys_arg_max();
	r->arg_strlen_max = sys_arg_strlen_max();
	r->env_size = run_env_size();
	if (batch_enabled(&cfg->batch) && !cfg->pipe.on) {
		struct batch_env be = { r->in, r->tmpl, !r->raw, r->direct,
		    cfg->no_run_if_empty, r->nslots, r->arg_max,
		    r->arg_strlen_max, r->env_size };

		r->batch = batch_new(&cfg->batch, &be);
	}
	if (fstat(1, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode)))
		r->stdout_pipe = 1;
	return 0;
}

/* Stop the engine, then report the measurements. */
static void
run_report(struct run *r)
{
	struct stats_sum sum;

	if (r->runner && !r->abandon) {
		r->runner->ops->destroy(r->runner);
		r->runner = NULL;
	}
	if (r->stats == NULL)
		return;
	output_flush(r->out);
	stats_finish(r->stats, &sum);
	if (r->cfg->stats)
		stats_print(&sum, stderr);
	if (r->stats_json) {
		stats_print_json(&sum, r->stats_json);
		fputc('\n', r->stats_json);
		if (fclose(r->stats_json) == EOF)
			msg_error("cannot write '%s': %s", r->cfg->stats_json ?
			    r->cfg->stats_json : "stats", strerror(errno));
		r->stats_json = NULL;
	}
	if (r->events) {
		if (fclose(r->events) == EOF)
			msg_error("cannot write '%s': %s", r->cfg->events,
			    strerror(errno));
		r->events = NULL;
	}
	stats_free(r->stats);
	r->stats = NULL;
}

static void
run_teardown(struct run *r)
{
	if (r->abandon)
		r->runner = NULL;	/* its threads end with the process */
	if (r->pending) {
		output_skip(r->out, r->pending->seq);
		job_free(r->pending);
		r->pending = NULL;
	}
	/* End the feeds first: a job waiting for its stdin must see EOF. */
	pipe_free(r->pipe);
	r->pipe = NULL;
	if (r->runner)
		r->runner->ops->destroy(r->runner);
	if (r->out)
		output_free(r->out);
	batch_free(r->batch);
	if (r->in)
		input_free(r->in);
	if (r->tmpl)
		tmpl_free(r->tmpl);
	if (r->tagtmpl)
		tmpl_free(r->tagtmpl);
	if (r->stats_json)
		fclose(r->stats_json);
	if (r->events)
		fclose(r->events);
	stats_free(r->stats);
	free(r->pfd);
	buf_release(&r->cmdbuf);
	buf_release(&r->argvbuf);
	buf_release(&r->tagbuf);
}

static int
run_status(const struct run *r)
{
	if (r->interrupted || r->error || output_failed(r->out))
		return EXIT_PARX;
	if (r->nfailed > EXIT_MAX_COUNT)
		return EXIT_MANY;
	return (int)r->nfailed;
}

/* Run the configured work. */
int
run_main(const struct config *cfg)
{
	struct run run, *r = &run;
	int status;

	sys_open_std_fds();
	if (sig_init() == -1) {
		msg_error("cannot set up signal handling: %s", strerror(errno));
		return EXIT_PARX;
	}
	if (run_setup(r, cfg) == -1) {
		run_teardown(r);
		return EXIT_PARX;
	}

	/*
	 * The main loop.  Fill every free slot with the next job from the
	 * input; take back the jobs that ended (writing their output, counting
	 * their failures); if none did, wait for the next event: a job ending,
	 * input arriving, a signal, the next step of a kill sequence.  It ends
	 * when the input is used up, or parx is stopping, and no job is left.
	 */
	for (;;) {
		run_fill_slots(r);
		if (run_collect(r) > 0)
			continue;
		if (output_broken(r->out))
			r->broken = 1;
		if (r->broken)
			run_kill_all(r);
		if (run_finished(r))
			break;
		run_wait(r);
	}

	if (!r->interrupted)
		output_flush_all(r->out);
	run_report(r);
	status = run_status(r);
	if (r->broken) {
		/* Pass the broken pipe on, as a filter killed by it would. */
		sigset_t pipe_set;

		run_teardown(r);
		signal(SIGPIPE, SIG_DFL);
		sigemptyset(&pipe_set);
		sigaddset(&pipe_set, SIGPIPE);
		sigprocmask(SIG_UNBLOCK, &pipe_set, NULL);
		raise(SIGPIPE);
		return EXIT_PARX;
	}
	run_teardown(r);
	return status;
}

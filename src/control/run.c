/* SPDX-License-Identifier: ISC */
/*
 * The main loop, as a story: set up, then fill the free slots, take back
 * the jobs that ended, see whether to stop, and wait for the next event;
 * then tear down.  Each concern is a module of its own, which this file
 * only calls: where the next job comes from (source.h), what it runs
 * (cmdline.h), whether it may start now and where (admit.h), the runner
 * that runs it (runner.h), its output (output.h), what is kept of it
 * (record.h), and when and how parx stops, with which status (stop.h).
 * Each registers its own descriptors and deadlines in the poll set
 * (loop.h).
 */
#include "run.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admit.h"
#include "buf.h"
#include "cmdline.h"
#include "config.h"
#include "exitcode.h"
#include "job.h"
#include "loop.h"
#include "msg.h"
#include "output.h"
#include "progress.h"
#include "quote.h"
#include "record.h"
#include "results.h"
#include "runner.h"
#include "sig.h"
#include "source.h"
#include "sshlogin.h"
#include "stop.h"
#include "sys.h"
#include "termseq.h"
#include "tmpl.h"
#include "workdir.h"

struct run {
	const struct config	*cfg;
	struct stop		*stop;		/* when and how parx stops */
	struct source		*src;		/* where the next job comes from */
	struct cmdline		*cl;		/* what a job runs */
	struct admit		*admit;		/* may a job start now, where */
	struct runner		*runner;	/* runs the jobs */
	struct output		*out;		/* their output */
	struct loop		*loop;		/* the poll set */
	unsigned long		 nslots;

	struct record		*rec;		/* job log, store, measurements */
	struct progress		*prog;		/* --bar, --eta, --progress */
	struct workdir		*wd;		/* --workdir of local jobs */

	/*
	 * --hostgroups: jobs whose groups' hosts were all busy, in input
	 * order; they go first when slots free, and meanwhile the jobs
	 * after them start on other hosts (at most nslots are held).
	 */
	struct jobq		 held;
	size_t			 nheld;
};

/*
 * No worker could be started for the job: undo its set-up, but for its
 * --pipe block, so that it waits for a free slot.
 */
static void
run_hold(struct run *r, struct job *j)
{
	int in;
	unsigned keep;

	if (!r->cfg->dry_run)
		output_job_retry(r->out, j);
	admit_unplace(r->admit, j);	/* the block back on 0 */
	in = j->child_fd[0];
	keep = j->child_close & 1u;
	j->child_close &= ~1u;
	job_reset(j);
	j->child_fd[0] = in;
	j->child_close |= keep;
}

/* Stop with an error of parx's own; job (if any) never runs. */
static void
run_fail_job(struct run *r, struct job *j)
{
	if (r->wd)
		workdir_leave(r->wd, j);
	admit_unplace(r->admit, j);
	output_skip(r->out, j->seq);
	job_free(j);
	stop_error(r->stop);
}

/*
 * Set up the output of job j (its tag, its pipes or files) and say that
 * it starts (--plain's announce, -v).  Returns 0; 1 when it must wait
 * for descriptors until a running job ends; -1 when it failed (reported,
 * and the job is gone).
 */
static int
run_open_output(struct run *r, struct job *j)
{
	struct results *res = record_store(r->rec);
	const char *text;
	size_t len;

	if (!r->cfg->dry_run) {
		text = cmdline_tag(r->cl, j, &len);
		if (output_prepare(r->out, j, text, len) == -1) {
			/* Out of descriptors: wait for a running job to end. */
			if ((errno == EMFILE || errno == ENFILE) &&
			    runner_count(r->runner) > 0) {
				admit_unplace(r->admit, j);
				return 1;
			}
			if (res)
				msg_error("cannot create '%s' for job %llu: %s",
				    results_culprit(res), j->seq,
				    strerror(errno));
			else
				msg_error("cannot set up the output of job "
				    "%llu: %s", j->seq, strerror(errno));
			run_fail_job(r, j);
			return -1;
		}
		if (r->cfg->announce) {
			text = cmdline_line(r->cl, j, 0, &len);
			output_announce(r->out, j, text, len);
		}
	}
	if (r->cfg->verbose) {
		text = cmdline_line(r->cl, j, 0, &len);
		output_text(r->out, 2, text, len);
		output_flush(r->out);	/* before the job can run */
	}
	return 0;
}

/*
 * --tty, -o: the job's stdin is the terminal, and it stays in the
 * terminal's foreground process group (parx's), as GNU parallel does.
 * Without a terminal to open it runs as any job does.
 */
static void
run_open_tty(struct run *r, struct job *j)
{
	int fd;

	if (!r->cfg->tty || j->func || j->child_fd[0] >= 0 || r->cfg->dry_run)
		return;
	if ((fd = open("/dev/tty", O_RDONLY | O_CLOEXEC | O_NOCTTY)) == -1)
		return;
	job_set_child_fd(j, 0, fd, 1);
	j->tty = 1;
}

/*
 * Expand a job for its slot and hand it to the runner.  Returns 0 when the
 * job is gone (started, or failed for good), or 1 when it could not get
 * a host or its output descriptors yet and should be tried again once
 * another job has finished; 2 when that host is one of its --hostgroups
 * (another job may start meanwhile).
 */
static int
run_launch(struct run *r, struct job *j, unsigned long slot)
{
	char *why;
	int rc;

	j->slot = slot;
	admit_job_groups(r->admit, j);
	if ((rc = cmdline_expand(r->cl, j, &why)) != 0) {
		if (rc == -1) {
			msg_error("%s", why);
			free(why);
			run_fail_job(r, j);
			return 0;
		}
		/* skip() in a {= =}: the job is left out. */
		output_skip(r->out, j->seq);
		source_job_done(r->src, j);
		job_free(j);
		return 0;
	}
	if (admit_hosts(r->admit) && (rc = admit_place(r->admit, j)) != 0) {
		if (rc == 1)
			return j->hostgroups ? 2 : 1;
		/* parx stops: no job goes unsaid. */
		if (errno == ENOENT)
			msg_error("no host is left to run job %llu on%s", j->seq,
			    source_has_more(r->src) ? ", nor the jobs after it" :
			    "");
		else
			msg_error("cannot set up job %llu: %s", j->seq,
			    strerror(errno));
		run_fail_job(r, j);
		return 0;
	}
	/* --workdir: here for a local job, in its script for a remote one. */
	if (r->wd && (j->host == NULL || j->host->local) &&
	    workdir_enter(r->wd, j) == -1) {
		msg_error("cannot use '%s' as the working directory of job "
		    "%llu: %s", workdir_culprit(r->wd), j->seq,
		    strerror(errno));
		run_fail_job(r, j);
		return 0;
	}
	if (cmdline_fits(r->cl, j, &why) == -1 ||
	    cmdline_write_files(r->cl, j, &why) == -1) {
		msg_error("%s", why);
		free(why);
		run_fail_job(r, j);
		return 0;
	}
	if ((rc = run_open_output(r, j)) != 0)
		return rc == 1;
	run_open_tty(r, j);
	while (runner_start(r->runner, j) == -1) {
		int e = errno;

		if (admit_lower_cap(r->admit, e, r->runner) == 0) {
			if (runner_count(r->runner) == 0 &&
			    admit_may_start(r->admit, 0, 0))
				continue;	/* idle workers stopped: again */
			run_hold(r, j);
			return 1;
		}
		msg_error("cannot start a %s worker: %s", r->runner->ops->name,
		    strerror(e));
		if (!r->cfg->dry_run)
			output_job_done(r->out, j, 1);
		job_free(j);
		stop_error(r->stop);
		return 0;
	}
	stop_job_started(r->stop, j);
	admit_started(r->admit, j);
	progress_started(r->prog, j);
	return 0;
}

/*
 * Whether -j left no job slot (-j 0%, -j -100000) for the job j, the
 * first one: then, as GNU parallel does, parx runs no job and stops with
 * an error.  It is not one when there is no job at all, nor with --pipe
 * (blocks are read only once a job may start: one slot), nor with -S
 * (each host has its own slots).
 */
static int
run_no_slot(struct run *r, struct job *j)
{
	const struct config *cfg = r->cfg;

	if (cfg->jobs_none == NULL || (cfg->pipe.on && !cfg->pipe.part) ||
	    cfg->remote.nlogins > 0 || cfg->remote.nfiles > 0)
		return 0;
	msg_error(CONFIG_JOBS_NONE_FMT, cfg->jobs_none);
	run_fail_job(r, j);
	return 1;
}

/*
 * --hostgroups: start the held jobs whose groups have a free host now,
 * in input order.  Returns 1 when the other jobs may start after them, 0
 * when something else than a busy host holds them back.
 */
static int
run_start_held(struct run *r)
{
	struct jobq again = STAILQ_HEAD_INITIALIZER(again);
	unsigned long slot;
	struct job *j;
	int rc = 2;

	while (rc == 2 && (j = STAILQ_FIRST(&r->held)) != NULL) {
		if (stop_stopping(r->stop) ||
		    (slot = runner_free_slot(r->runner)) == 0 ||
		    !admit_may_start(r->admit, runner_count(r->runner),
		    output_held_fds(r->out)) || admit_delayed(r->admit)) {
			rc = 1;
			break;
		}
		STAILQ_REMOVE_HEAD(&r->held, link);
		r->nheld--;
		if ((rc = run_launch(r, j, slot)) == 0) {
			rc = 2;		/* started, or failed: the next one */
			continue;
		}
		STAILQ_INSERT_TAIL(&again, j, link);
		r->nheld++;
		if (rc == 2)
			continue;	/* its hosts are busy: the next one */
	}
	/* Those tried again go first, in order. */
	STAILQ_CONCAT(&again, &r->held);
	STAILQ_INIT(&r->held);
	STAILQ_CONCAT(&r->held, &again);
	return rc == 2;
}

/*
 * Start jobs while there are free slots and jobs to start, and nothing
 * else holds them back.
 */
static void
run_fill_slots(struct run *r)
{
	unsigned long slot;
	struct job *j;
	int rc;

	admit_begin(r->admit, r->runner);
	if (!run_start_held(r))
		return;
	if (source_begin(r->src) == -1)
		return;
	while (!stop_stopping(r->stop)) {
		/*
		 * A signal that came while jobs were ending is acted on before
		 * their slots are filled again: after SIGHUP no job may start.
		 */
		if (sig_pending()) {
			stop_take_signals(r->stop);
			if (stop_stopping(r->stop))
				return;
		}
		slot = runner_free_slot(r->runner);
		if (slot == 0 || !source_has_more(r->src))
			return;
		if (!admit_may_start(r->admit, runner_count(r->runner),
		    output_held_fds(r->out)))
			return;
		if ((rc = source_next(r->src, slot, &j)) <= 0) {
			if (rc == 0)
				continue;	/* left out: done before */
			return;
		}
		if (run_no_slot(r, j))
			return;
		/*
		 * --delay holds a job that is known to exist, so that the
		 * end of the input is seen without waiting for the delay.
		 */
		if (admit_delayed(r->admit) ||
		    (rc = run_launch(r, j, slot)) == 1 ||
		    (rc == 2 && r->nheld >= r->nslots)) {
			source_unget(r->src, j);
			return;
		}
		if (rc == 2) {
			STAILQ_INSERT_TAIL(&r->held, j, link);
			r->nheld++;
		}
	}
}

/*
 * --dry-run: the job's command line.  With --pipe-part, a command that
 * reads the job's part of the file into it, so that the line runs as the
 * job would (GNU's parsort runs these lines): "tail -c +OFF FILE | head -c
 * LEN | (CMD)", the header read first.  --shellquote: the line quoted.
 */
/* Hand the dry-run line to the output; --shellquote quotes it first. */
static void
run_dry_out(struct run *r, struct job *j, const char *line, size_t len,
    size_t taglen)
{
	struct buf q = BUF_INIT;
	size_t nl;

	if (!r->cfg->shellquote) {
		output_dry_done(r->out, j, line, len, taglen);
		return;
	}
	nl = len > taglen && line[len - 1] == '\n';
	buf_add(&q, line, taglen);
	quote_shell(&q, line + taglen, len - taglen - nl);
	if (nl)
		buf_addch(&q, '\n');
	output_dry_done(r->out, j, q.data, q.len, taglen);
	buf_release(&q);
}

static void
run_dry_line(struct run *r, struct job *j)
{
	struct buf b = BUF_INIT, file = BUF_INIT;
	char num[64];
	size_t len, taglen, nl;
	const char *line;

	(void)cmdline_tag(r->cl, j, &taglen);
	line = cmdline_line(r->cl, j, 1, &len);
	if (j->part_len == 0 || j->part_path == NULL) {
		run_dry_out(r, j, line, len, taglen);
		return;
	}
	quote_shell(&file, j->part_path, strlen(j->part_path));
	buf_add(&b, line, taglen);
	if (j->part_hlen > 0 && j->part_hoff > 0) {
		snprintf(num, sizeof(num), "{ tail -c +%lld ",
		    j->part_hoff + 1);
		buf_addstr(&b, num);
		buf_add(&b, file.data, file.len);
		snprintf(num, sizeof(num), " | head -c %zu; ", j->part_hlen);
		buf_addstr(&b, num);
	} else if (j->part_hlen > 0) {
		snprintf(num, sizeof(num), "{ head -c %zu ", j->part_hlen);
		buf_addstr(&b, num);
		buf_add(&b, file.data, file.len);
		buf_addstr(&b, "; ");
	}
	snprintf(num, sizeof(num), "tail -c +%lld ", j->part_off + 1);
	buf_addstr(&b, num);
	buf_add(&b, file.data, file.len);
	snprintf(num, sizeof(num), " | head -c %zu%s | (", j->part_len,
	    j->part_hlen > 0 ? "; }" : "");
	buf_addstr(&b, num);
	nl = len > taglen && line[len - 1] == '\n';
	buf_add(&b, line + taglen, len - taglen - nl);
	buf_addstr(&b, nl ? ")\n" : ")");
	run_dry_out(r, j, b.data, b.len, taglen);
	buf_release(&b);
	buf_release(&file);
}

/*
 * Finish one job, unless it is to run again: its output, its count, its
 * log, the halt rules.
 */
static void
run_finish_job(struct run *r, struct job *j)
{
	int discard;

	if (r->wd)
		workdir_leave(r->wd, j);
	if (r->cfg->remote.cleanup)
		cmdline_remove_files(r->cl, j);
	admit_job_done(r->admit, j);
	discard = stop_job_ended(r->stop, j);
	if (admit_job_refused(r->admit, r->runner, j) || (!r->cfg->dry_run &&
	    !discard && stop_job_retry(r->stop, j))) {
		source_retry(r->src, j);
		return;
	}
	if (r->cfg->dry_run) {
		run_dry_line(r, j);
	} else if (record_digest(r->rec, r->out, j)) {
		discard = 1;
	} else {
		output_job_done(r->out, j, discard);
	}
	record_job(r->rec, r->out, j, r->runner->ops->name, discard);
	source_job_done(r->src, j);
	/* A --halt message comes after what was written of the job. */
	if (stop_has_halt(r->stop))
		output_flush(r->out);
	stop_job_done(r->stop, j, discard, source_njobs(r->src));
	progress_done(r->prog, j);
	job_free(j);
}

/* Take back every job the runner has finished; return how many. */
static size_t
run_collect(struct run *r)
{
	struct job *j;
	size_t n = 0;

	while ((j = runner_next_done(r->runner)) != NULL) {
		run_finish_job(r, j);
		n++;
	}
	return n;
}

/*
 * Register the main loop's sources (loop.h) in the order they are
 * dispatched: signals first, so that a stop is acted on before anything
 * else; then input, stdout's watch, the engine, the output pipes and the
 * --pipe feeds; then the deadlines.
 */
static void
run_setup_loop(struct run *r)
{
	r->loop = loop_new(4 + 3 * r->nslots + source_maxfds(r->src) +
	    admit_maxfds(r->admit));
	loop_add(r->loop, &stop_signal_source, r->stop);
	loop_add(r->loop, &source_input_source, r->src);
	loop_add(r->loop, &stop_stdout_source, r->stop);
	loop_add(r->loop, r->runner->ops->source, r->runner);
	loop_add(r->loop, &output_source, r->out);
	loop_add(r->loop, &source_pipe_source, r->src);
	loop_add(r->loop, &stop_deadline_source, r->stop);
	loop_add(r->loop, &admit_deadline_source, r->admit);
	loop_add(r->loop, &admit_hosts_source, r->admit);
	loop_add(r->loop, &progress_source, r->prog);
}

/* Wait for one event and dispatch it. */
static void
run_wait(struct run *r)
{
	record_flush(r->rec);
	if (loop_wait(r->loop) == -1)
		BUG("poll: %s", strerror(errno));
}

/* The progress line and the output: where the jobs' output goes. */
static void
run_setup_output(struct run *r, const struct config *cfg)
{
	struct output_opts oo;
	struct progress_opts po;

	po.flags = cfg->progress;
	po.fd = 2;
	po.stop = sig_stop();
	r->prog = progress_new(&po);

	memset(&oo, 0, sizeof(oo));
	oo.mode = cfg->dry_run ? OUTPUT_UNGROUP : cfg->output;
	oo.keep_order = cfg->keep_order;
	oo.tmpdir = cfg->tmpdir;
	if (cfg->compress) {
		oo.compress = cfg->compress_prg;
		oo.decompress = cfg->decompress_prg;
	}
	oo.stop = sig_stop();
	oo.results = record_store(r->rec);
	oo.files = cfg->files;
	oo.color = cfg->color;
	oo.color_failed = cfg->color_failed;
	if (oo.results)
		oo.mode = OUTPUT_GROUP;	/* the files are the output */
	if (r->prog) {
		oo.writing = progress_writing;
		oo.writing_ctx = r->prog;
	}
	r->out = output_new(&oo);
}

/*
 * The hosts, how many jobs run at once, and the engine that runs them.
 * Returns 0, or -1 after reporting the problem.
 */
static int
run_setup_engine(struct run *r, const struct config *cfg)
{
	const struct runner_ops *engine = runner_engine(cfg);
	char *err = NULL;

	r->admit = admit_new(cfg, r->stop, &err);
	if (r->admit == NULL) {
		msg_error("%s", err);
		free(err);
		return -1;
	}
	r->nslots = admit_slots(r->admit, r->out, engine->fds_per_slot);
	r->runner = runner_new(engine, r->nslots, cfg->func != NULL,
	    stop_has_timeout(r->stop));
	if (r->runner == NULL) {
		msg_error("cannot start the %s engine: %s", engine->name,
		    strerror(errno));
		return -1;
	}
	stop_set_runner(r->stop, r->runner, cfg->func &&
	    !runner_can(r->runner, RUNNER_KILLS_FUNCS));
	return 0;
}

/* --show-limits: what -X fills, on stdout before any job's output. */
static void
run_show_limits(const struct cmdline *cl, const struct config *cfg)
{
	printf("Maximal size of command: %zu\n"
	    "Maximal usable size of command: %zu\n"
	    "\n"
	    "parx now goes on: it reads its input and runs the jobs;\n"
	    "press Ctrl-D or Ctrl-C if that is not what you want\n",
	    cmdline_max_length(cfg->env_code ? cfg->env_code_len : 0),
	    cmdline_usable(cl));
	fflush(stdout);
}

/*
 * --workdir for the jobs that run here.  Returns 0, or -1 after reporting
 * the problem.
 */
static int
run_setup_workdir(struct run *r, const struct config *cfg)
{
	struct tmpl_opts to;
	char *err = NULL;
	size_t i;

	if (cfg->remote.workdir == NULL || cfg->dry_run)
		return 0;
	if (cfg->func) {
		msg_error("--workdir cannot change the directory of --func "
		    "jobs, which run inside parx");
		return -1;
	}
	if (!sys_spawn_has_chdir()) {
		msg_error("--workdir for jobs on this machine needs "
		    "posix_spawn_file_actions_addchdir_np, which this C "
		    "library lacks");
		return -1;
	}
	memset(&to, 0, sizeof(to));
	for (i = 0; i < TMPL_NREPL; i++)
		to.repl[i] = cfg->repl[i];
	r->wd = workdir_new(cfg->remote.workdir, &to, &err);
	if (r->wd == NULL) {
		msg_error("--workdir: %s", err);
		free(err);
		return -1;
	}
	return 0;
}

/*
 * Set up everything, in the order the problems are reported in.
 * Returns 0, or -1 after reporting one.
 */
static int
run_setup(struct run *r, const struct config *cfg)
{
	char *err = NULL;

	memset(r, 0, sizeof(*r));
	STAILQ_INIT(&r->held);
	r->cfg = cfg;
	r->stop = stop_new(cfg);
	if (r->stop == NULL) {
		msg_error("invalid kill sequence '%s' for --termseq: expected "
		    TERMSEQ_EXPECT, cfg->termseq);
		return -1;
	}
	r->src = source_new(cfg, r->stop);
	r->rec = record_new(cfg, r->stop);
	if (source_read_log(r->src) == -1)
		return -1;
	r->cl = cmdline_new(cfg, sig_stop(), &err);
	if (r->cl == NULL) {
		msg_error("%s", err);
		free(err);
		return -1;
	}
	if (cfg->show_limits)
		run_show_limits(r->cl, cfg);
	if (run_setup_workdir(r, cfg) == -1)
		return -1;
	if (source_open(r->src, r->cl) == -1 ||
	    record_check_store(r->rec) == -1)
		return -1;
	run_setup_output(r, cfg);
	if (source_attach(r->src, r->out, r->prog,
	    record_store(r->rec)) == -1 || record_open_log(r->rec) == -1)
		return -1;
	if (run_setup_engine(r, cfg) == -1 ||
	    source_start(r->src, r->nslots) == -1)
		return -1;
	output_set_slots(r->out, r->nslots);
	run_setup_loop(r);
	return record_open_stats(r->rec, r->runner->ops->name, r->nslots);
}

/* Stop the engine, then report the measurements. */
static void
run_report(struct run *r)
{
	if (r->runner && !stop_abandoned(r->stop)) {
		runner_destroy(r->runner);
		r->runner = NULL;
	}
	record_report(r->rec, r->out);
}

static void
run_teardown(struct run *r)
{
	struct job *j;

	while ((j = STAILQ_FIRST(&r->held)) != NULL) {
		STAILQ_REMOVE_HEAD(&r->held, link);
		job_free(j);
	}
	if (r->stop && stop_abandoned(r->stop))
		r->runner = NULL;	/* its threads end with the process */
	/* The source ends the --pipe feeds: a job must see EOF on stdin. */
	source_free(r->src);
	if (r->runner)
		runner_destroy(r->runner);
	if (r->out)
		output_free(r->out);
	cmdline_free(r->cl);
	record_free(r->rec);
	admit_free(r->admit);
	workdir_free(r->wd);
	stop_free(r->stop);
	progress_free(r->prog);
	loop_free(r->loop);
}

/* Run the configured work. */
int
run_main(const struct config *cfg)
{
	struct run run, *r = &run;
	int status;

	sys_open_std_fds();
	/* Enough for the deepest call of the main loop, several times over. */
	sys_stack_reserve(256 * 1024);
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
		stop_check_broken(r->stop, output_broken(r->out));
		if (stop_finished(r->stop, !source_has_more(r->src) &&
		    r->nheld == 0))
			break;
		run_wait(r);
	}

	if (!stop_interrupted(r->stop)) {
		output_flush_all(r->out);
		record_release_log(r->rec);
	}
	output_flush(r->out);	/* the final progress line comes after */
	progress_finish(r->prog);
	run_report(r);
	status = stop_status(r->stop, output_failed(r->out));
	if (stop_broken(r->stop)) {
		run_teardown(r);
		stop_raise_sigpipe();
		return EXIT_PARX;
	}
	run_teardown(r);
	return status;
}

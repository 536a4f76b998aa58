/* SPDX-License-Identifier: ISC */
/*
 * The records of finished jobs other than their output: the job log, the
 * --results store, and the measurements.
 */
#include "record.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "config.h"
#include "job.h"
#include "joblog.h"
#include "msg.h"
#include "output.h"
#include "results.h"
#include "results_table.h"
#include "sig.h"
#include "stats.h"
#include "stop.h"
#include "sys.h"
#include "timeline.h"
#include "tmpl.h"
#include "xalloc.h"

struct record {
	const struct config	*cfg;
	struct stop		*stop;		/* not owned */
	struct results		*res;		/* --results, --files */
	struct joblog		*log;		/* --joblog */
	int			 log_hold;	/* -k: log once output is out */
	struct stats		*stats;		/* --stats, --compare */
	FILE			*stats_json;
	FILE			*events;
	struct timeline		*tl;		/* --timeline */
	FILE			*tl_file;
	struct timespec		 tl_origin;
	const char		*tl_mode;
	unsigned long		 tl_slots;
	struct buf		 tl_args;
};

/* An empty record. */
struct record *
record_new(const struct config *cfg, struct stop *st)
{
	struct record *rec = xcalloc(1, sizeof(*rec));

	rec->cfg = cfg;
	rec->stop = st;
	return rec;
}

/* Free the record. */
void
record_free(struct record *rec)
{
	if (rec == NULL)
		return;
	joblog_close(rec->log);
	results_free(rec->res);
	if (rec->stats_json)
		fclose(rec->stats_json);
	if (rec->events)
		fclose(rec->events);
	if (rec->tl_file)
		fclose(rec->tl_file);
	timeline_free(rec->tl);
	buf_release(&rec->tl_args);
	stats_free(rec->stats);
	free(rec);
}

/*
 * A --results table: open it, and say that --resume cannot use it.
 * Returns 0, or -1 after reporting the problem.
 */
static int
record_open_table(struct record *rec, struct results_table *t)
{
	/* With a job log, --resume reads that, as GNU parallel does. */
	if (rec->cfg->resume != CONFIG_RESUME_NONE && rec->cfg->joblog == NULL)
		msg_warn("--resume does not read a --results table (.csv, "
		    ".tsv, .json): every job runs again");
	if (results_table_open(t, sig_stop()) == 0)
		return 0;
	msg_error("cannot create the --results table '%s': %s",
	    results_table_path(t), strerror(errno));
	return -1;
}

/* Check where output goes before any job runs. */
int
record_check_store(struct record *rec)
{
	const struct config *cfg = rec->cfg;
	struct results_table *t;
	struct tmpl_opts to;
	const char *dir = cfg->tmpdir;
	char *err = NULL;
	size_t i;
	int fd;

	if (dir && *dir && !cfg->dry_run) {
		fd = sys_tmpfile(dir);
		if (fd == -1) {
			msg_error("cannot create temporary files in '%s' "
			    "(--tmpdir): %s", dir, strerror(errno));
			return -1;
		}
		close(fd);
	}
	if (cfg->results == NULL && !cfg->files)
		return 0;
	memset(&to, 0, sizeof(to));
	for (i = 0; i < TMPL_NREPL; i++)
		to.repl[i] = cfg->repl[i];
	rec->res = results_new(cfg->results, cfg->tmpdir, cfg->files, &to,
	    &err);
	if (rec->res == NULL) {
		msg_error("--results: %s", err);
		free(err);
		return -1;
	}
	t = results_get_table(rec->res);
	if (t && record_open_table(rec, t) == -1)
		return -1;
	if (cfg->dry_run) {
		/* No files, but the table of the commands. */
		if (t == NULL) {
			results_free(rec->res);
			rec->res = NULL;
		}
		return 0;
	}
	if (results_check(rec->res) == -1) {
		if (cfg->results && t == NULL)
			msg_error("cannot create the --results directory "
			    "'%s': %s", results_culprit(rec->res),
			    strerror(errno));
		else
			msg_error("cannot create files in '%s' for %s: %s",
			    results_culprit(rec->res), cfg->results ?
			    "--results" : "--files", strerror(errno));
		return -1;
	}
	return 0;
}

/* Open the job log. */
int
record_open_log(struct record *rec)
{
	const struct config *cfg = rec->cfg;

	if (cfg->joblog == NULL || cfg->dry_run)
		return 0;
	rec->log = joblog_open(cfg->joblog, cfg->joblog_append ||
	    cfg->resume != CONFIG_RESUME_NONE, sig_stop());
	if (rec->log == NULL) {
		msg_error("cannot write to --joblog '%s': %s", cfg->joblog,
		    strerror(errno));
		return -1;
	}
	rec->log_hold = cfg->keep_order && cfg->output != OUTPUT_UNGROUP;
	return 0;
}

/*
 * --timeline: create the picture's file now, so that a path parx cannot
 * write is an error before any job runs; the picture goes in at the end.
 */
static int
record_open_timeline(struct record *rec, const char *engine,
    unsigned long nslots)
{
	const char *path = rec->cfg->timeline;

	if (path == NULL)
		return 0;
	rec->tl_file = sys_fopen_w(path);
	if (rec->tl_file == NULL) {
		msg_error("cannot write '%s': %s", path, strerror(errno));
		return -1;
	}
	rec->tl = timeline_new(nslots);
	rec->tl_mode = engine;
	rec->tl_slots = nslots;
	clock_gettime(CLOCK_MONOTONIC, &rec->tl_origin);
	return 0;
}

/* Open the measurements' files and start measuring. */
int
record_open_stats(struct record *rec, const char *engine,
    unsigned long nslots)
{
	const struct config *cfg = rec->cfg;

	if (record_open_timeline(rec, engine, nslots) == -1)
		return -1;
	if (!cfg->stats && !cfg->stats_json && !cfg->events &&
	    cfg->stats_fd < 0 && !cfg->digest)
		return 0;
	if (cfg->stats_json) {
		rec->stats_json = sys_fopen_w(cfg->stats_json);
		if (rec->stats_json == NULL) {
			msg_error("cannot write '%s': %s", cfg->stats_json,
			    strerror(errno));
			return -1;
		}
	} else if (cfg->stats_fd >= 0) {
		rec->stats_json = fdopen(cfg->stats_fd, "w");
	}
	if (cfg->events) {
		rec->events = sys_fopen_w(cfg->events);
		if (rec->events == NULL) {
			msg_error("cannot write '%s': %s", cfg->events,
			    strerror(errno));
			return -1;
		}
	}
	rec->stats = stats_new(engine, nslots);
	return 0;
}

/* The store. */
struct results *
record_store(const struct record *rec)
{
	return rec->res;
}

/* --compare: fold the job's output and status into the digest. */
int
record_digest(struct record *rec, struct output *out, struct job *j)
{
	struct buf b[2] = { BUF_INIT, BUF_INIT };

	if (rec->stats == NULL || !rec->cfg->digest)
		return 0;
	output_job_take(out, j, b);
	stats_digest(rec->stats, j->seq, j->res.status,
	    b[0].data ? b[0].data : "", b[0].len,
	    b[1].data ? b[1].data : "", b[1].len);
	buf_release(&b[0]);
	buf_release(&b[1]);
	return 1;
}

/* The job log could not be written: say so once and stop. */
static void
record_log_failed(struct record *rec)
{
	msg_error("cannot write to --joblog '%s': %s", joblog_path(rec->log),
	    strerror(errno));
	joblog_close(rec->log);
	rec->log = NULL;
	stop_error(rec->stop);
}

/* Log a finished job (with -k, once its output is out). */
static void
record_log(struct record *rec, struct output *out, const struct job *j)
{
	struct joblog_rec lr;

	if (rec->log == NULL)
		return;
	joblog_rec_init(&lr, j);
	if (joblog_add(rec->log, &lr, rec->log_hold) == -1 ||
	    (rec->log_hold && joblog_release(rec->log,
	    output_next_seq(out)) == -1))
		record_log_failed(rec);
}

/* Measure and log a finished job. */
void
record_job(struct record *rec, struct output *out, const struct job *j,
    const char *engine, int discard)
{
	struct timeline_job tj;
	long long bytes;

	if (rec->tl) {
		timeline_job_init(&tj, j, &rec->tl_origin, &rec->tl_args);
		timeline_add(rec->tl, &tj);
	}
	if (rec->stats) {
		bytes = output_job_bytes(out, j);
		stats_job(rec->stats, j, bytes);
		if (rec->events)
			stats_event(rec->events, engine, j, bytes);
	}
	if (!discard)
		record_log(rec, out, j);
}

/* Write the log lines -k still holds. */
void
record_release_log(struct record *rec)
{
	if (rec->log && joblog_release(rec->log, ~0ULL) == -1)
		record_log_failed(rec);
}

/* Flush --events. */
void
record_flush(struct record *rec)
{
	if (rec->events)
		fflush(rec->events);
}

/* Draw the --timeline picture into its file, and close it. */
static void
record_draw_timeline(struct record *rec)
{
	struct timeline_head head;
	struct timespec now;
	int rc;

	clock_gettime(CLOCK_MONOTONIC, &now);
	head.label = NULL;
	head.mode = rec->tl_mode;
	head.slots = rec->tl_slots;
	head.wall = (double)(now.tv_sec - rec->tl_origin.tv_sec) +
	    (now.tv_nsec - rec->tl_origin.tv_nsec) / 1e9;
	head.span = 0;
	rc = timeline_write(rec->tl, rec->tl_file, &head);
	if (fclose(rec->tl_file) == EOF)
		rc = -1;
	rec->tl_file = NULL;
	if (rc == -1)
		msg_error("cannot write '%s': %s", rec->cfg->timeline,
		    strerror(errno));
	timeline_free(rec->tl);
	rec->tl = NULL;
}

/* Report the measurements. */
void
record_report(struct record *rec, struct output *out)
{
	struct stats_sum sum;

	if (rec->tl)
		record_draw_timeline(rec);
	if (rec->stats == NULL)
		return;
	output_flush(out);
	stats_finish(rec->stats, &sum);
	if (rec->cfg->stats)
		stats_print(&sum, stderr);
	if (rec->stats_json) {
		stats_print_json(&sum, rec->stats_json);
		fputc('\n', rec->stats_json);
		if (fclose(rec->stats_json) == EOF)
			msg_error("cannot write '%s': %s", rec->cfg->stats_json ?
			    rec->cfg->stats_json : "stats", strerror(errno));
		rec->stats_json = NULL;
	}
	if (rec->events) {
		if (fclose(rec->events) == EOF)
			msg_error("cannot write '%s': %s", rec->cfg->events,
			    strerror(errno));
		rec->events = NULL;
	}
	stats_free(rec->stats);
	rec->stats = NULL;
}

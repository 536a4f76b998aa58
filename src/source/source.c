/* SPDX-License-Identifier: ISC */
/*
 * The jobs' source: the pending job, the queue of retries and of jobs
 * known in advance, and the input in its three shapes (--pipe blocks,
 * batches, single tuples), behind one "next job for this slot" call.
 */
#include "source.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "batch.h"
#include "buf.h"
#include "cmdline.h"
#include "colsep.h"
#include "config.h"
#include "input.h"
#include "job.h"
#include "joblog.h"
#include "loop.h"
#include "msg.h"
#include "output.h"
#include "pipe.h"
#include "progress.h"
#include "quote.h"
#include "results.h"
#include "shuf.h"
#include "stop.h"
#include "xalloc.h"

/*
 * The progress line wants the total number of jobs: before the first job
 * starts, the input is read ahead into the queue, up to this many jobs or
 * bytes of arguments, whichever comes first, or until the line's hold
 * ends (PROGRESS_HOLD_MS, for input that comes slowly).  An input that
 * ends within them gives the total from the first line; a longer one
 * gives it when it ends, and memory stays bounded.
 */
#define SOURCE_AHEAD_JOBS	10000
#define SOURCE_AHEAD_BYTES	((size_t)4 << 20)

struct source {
	const struct config	*cfg;
	struct stop		*stop;		/* not owned */
	struct cmdline		*cl;		/* not owned */
	struct output		*out;		/* not owned */
	struct progress		*prog;		/* not owned */
	struct results		*res;		/* not owned */

	struct input		*in;
	struct batch		*batch;		/* several tuples per job */
	struct pipe		*pipe;		/* --pipe: blocks of stdin */
	/*
	 * --pipe-part over several files: a pipe a file, one after the
	 * other.  part is the index of pipe's file in cfg->src; old holds
	 * the pipes of the files before it while jobs still read their
	 * blocks.  polled is what the last prepare asked each pipe to poll
	 * (the pipes are freed only there, so the list holds until the
	 * dispatch).
	 */
	size_t			 part;
	unsigned long long	 part_size;	/* all of the files */
	struct pipe		**old;
	size_t			 nold;
	struct source_polled {
		struct pipe	*pipe;
		size_t		 n;
	}			*polled;
	size_t			 npolled;
	int			 args_done;	/* --pipe ::: lists used up */
	struct shuf		*shuf;		/* --shuf */
	struct colsep		*cs;		/* --colsep, --header, --trim */
	int			 need_header;	/* the next tuple is the header */
	size_t			 tuple;		/* values of the last tuple a
						   batch took */
	struct joblog_past	*past;		/* --resume*: the old log */

	struct job		*pending;	/* could not start last time */
	struct jobq		 queue;		/* to run before the input */
	int			 read_all;	/* N%: count the jobs first */
	int			 lookahead;	/* read ahead for the total */
	unsigned long long	 ahead_jobs;	/* jobs and bytes read so */
	size_t			 ahead_bytes;	/* far for it */
	unsigned long		 nslots;
	unsigned long long	 seq;		/* last sequence number used */
	unsigned long long	 njobs;		/* jobs made, not skipped */
	unsigned long long	 skip_next;	/* --retry-failed: for -k */
	int			 input_done;
	int			 want_input;	/* input_next() said AGAIN */
	int			 ahead;		/* read jobs ahead for {= =} */
	int			 ahead_errno;	/* a read error found ahead */
	struct buf		 nulbuf;	/* arguments with \0 for NUL */
	struct arg		*nulargs;
	size_t			 nulcap;
	int			 nul_warned;
	int			 crnl_warned;
};

/* Put a job at the end (or, for a retry, the front) of the queue. */
static void
source_enqueue(struct source *src, struct job *j, int front)
{
	if (front)
		STAILQ_INSERT_HEAD(&src->queue, j, link);
	else
		STAILQ_INSERT_TAIL(&src->queue, j, link);
}

static struct job *
source_dequeue(struct source *src)
{
	struct job *j = STAILQ_FIRST(&src->queue);

	if (j) {
		STAILQ_REMOVE_HEAD(&src->queue, link);
		STAILQ_NEXT(j, link) = NULL;
	}
	return j;
}

/* An empty source. */
struct source *
source_new(const struct config *cfg, struct stop *st)
{
	struct source *src = xcalloc(1, sizeof(*src));

	STAILQ_INIT(&src->queue);

	src->cfg = cfg;
	src->stop = st;
	src->read_all = stop_needs_total(st);
	src->skip_next = 1;
	buf_init(&src->nulbuf);
	return src;
}

/* Free the source and the jobs it holds. */
void
source_free(struct source *src)
{
	struct job *j;

	if (src == NULL)
		return;
	if (src->pending) {
		output_skip(src->out, src->pending->seq);
		job_free(src->pending);
	}
	while ((j = source_dequeue(src)) != NULL)
		job_free(j);
	/* End the feeds first: a job waiting for its stdin must see EOF. */
	pipe_free(src->pipe);
	while (src->nold > 0)
		pipe_free(src->old[--src->nold]);
	free(src->old);
	free(src->polled);
	batch_free(src->batch);
	if (src->in)
		input_free(src->in);
	shuf_free(src->shuf);
	colsep_free(src->cs);
	joblog_past_free(src->past);
	buf_release(&src->nulbuf);
	free(src->nulargs);
	free(src);
}

/* Read the old job log for --resume and friends. */
int
source_read_log(struct source *src)
{
	const struct config *cfg = src->cfg;
	size_t bad;

	if (cfg->resume == CONFIG_RESUME_NONE || cfg->joblog == NULL ||
	    strcmp(cfg->joblog, "-") == 0)
		return 0;
	src->past = joblog_past_read(cfg->joblog, &bad);
	if (src->past == NULL && bad) {
		msg_error("cannot resume from '%s': line %zu is not a job log "
		    "line", cfg->joblog, bad);
		return -1;
	}
	if (src->past == NULL) {
		msg_error("cannot read '%s': %s", cfg->joblog, strerror(errno));
		return -1;
	}
	return 0;
}

/* Open the input. */
int
source_open(struct source *src, struct cmdline *cl)
{
	const struct config *cfg = src->cfg;
	char *err = NULL;
	size_t i;
	int header;

	src->cl = cl;
	/* total_jobs() in a {= =}: every job is known before one starts. */
	if (cmdline_needs_total(cl) && !cfg->pipe.on &&
	    !batch_enabled(&cfg->batch))
		src->read_all = 1;
	/* --tee: every job must have its pipe before the data is read. */
	if (cfg->pipe.tee)
		src->read_all = 1;
	/* With --pipe the header is the blocks' (pipe.c), not column names. */
	header = cfg->header && strcmp(cfg->header, "0") != 0 && !cfg->pipe.on;
	if (cfg->colsep || header || cfg->trim_set || cfg->csv) {
		struct colsep_opts co = { cfg->colsep, header,
		    cfg->trim_set ? cfg->trim : -1, cfg->csv };

		src->cs = colsep_new(&co, &err);
		if (src->cs == NULL) {
			msg_error("%s", err);
			free(err);
			return -1;
		}
		src->need_header = header;
	}
	src->in = input_new(cfg->delim, cfg->delim_len,
	    (cfg->link ? INPUT_LINK_ALL : 0) | (header ? INPUT_HEADER : 0) |
	    (cfg->skip_first_line ? INPUT_SKIP_LINE : 0) |
	    (cfg->csv ? INPUT_CSV : 0));
	if (cfg->eof && *cfg->eof)
		input_set_eof(src->in, cfg->eof);
	/* --retry-failed takes its jobs from the old log alone. */
	for (i = 0; cfg->resume != CONFIG_RETRY_FAILED && i < cfg->nsrc; i++) {
		const struct config_source *s = &cfg->src[i];

		if (cfg->pipe.tee && s->implied)
			continue;	/* standard input is the data */
		if (cfg->pipe.on && !cfg->pipe.tee &&
		    s->kind == CONFIG_SRC_FILE)
			continue;	/* the data, which pipe.c reads */
		if (s->kind == CONFIG_SRC_FILE)
			input_add_file(src->in, s->path, s->linked);
		else
			input_add_words(src->in, s->words, s->nwords,
			    s->linked);
	}
	if (cfg->resume == CONFIG_RETRY_FAILED)
		src->input_done = 1;
	else if (input_start(src->in) == -1) {
		msg_error("cannot open '%s': %s", input_culprit(src->in),
		    strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * --retry-failed with --func: the logged command is the function's name and
 * its words as quote_shell() wrote them; queue a job with those words as
 * its arguments.  Returns -1 after reporting a record that is not a call
 * of this function.
 */
static int
source_retry_call(struct source *src, const struct joblog_entry *e)
{
	struct buf w = BUF_INIT;
	struct arg *a;
	const char *why = "it names another function", *p;
	long n, i;

	n = quote_split(e->cmd, e->cmd_len, &w, &why);
	if (n < 1 || strcmp(w.data, src->cfg->func) != 0) {
		msg_error("--retry-failed: job %llu in the old log is not a "
		    "call of --func %s (%s): '%.60s'", e->seq, src->cfg->func,
		    n < 1 && n != -1 ? "no words" : why, e->cmd);
		buf_release(&w);
		return -1;
	}
	a = xcalloc((size_t)n, sizeof(*a));
	p = w.data + strlen(w.data) + 1;
	for (i = 0; i < n - 1; i++) {
		a[i].s = p;
		a[i].len = strlen(p);
		p += a[i].len + 1;
	}
	source_enqueue(src, job_new(e->seq, a, (size_t)n - 1), 0);
	free(a);
	buf_release(&w);
	return 0;
}

/* Name the output, progress line and store; queue --retry-failed's jobs. */
int
source_attach(struct source *src, struct output *out, struct progress *prog,
    struct results *res)
{
	const struct config *cfg = src->cfg;
	const struct joblog_entry *e;
	struct arg a;
	size_t i;
	int newline = 0;

	src->out = out;
	src->prog = prog;
	src->res = res;
	if (cfg->shuf)
		src->shuf = shuf_new();
	if (cfg->total_jobs >= 0)
		progress_set_total(prog, (unsigned long long)cfg->total_jobs);
	else if (input_total(src->in) >= 0 && !cfg->no_run_if_empty)
		progress_set_total(prog,
		    (unsigned long long)input_total(src->in));
	else if (prog && !cfg->pipe.on && !batch_enabled(&cfg->batch) &&
	    !src->input_done) {
		/*
		 * --bar, --eta, --progress: GNU parallel reads all the input
		 * first for the total; parx reads a bounded part ahead.
		 */
		src->lookahead = 1;
		progress_hold(prog);
	}
	if (cfg->resume != CONFIG_RETRY_FAILED)
		return 0;
	for (i = 0; src->past && i < joblog_past_nfailed(src->past); i++) {
		e = joblog_past_failed(src->past, i);
		if (cfg->func) {
			if (source_retry_call(src, e) == -1)
				return -1;
		} else {
			newline |= memchr(e->cmd, '\n', e->cmd_len) != NULL;
			a.s = e->cmd;
			a.len = e->cmd_len;
			source_enqueue(src, job_new(e->seq, &a, 1), 0);
		}
		src->njobs++;
	}
	/*
	 * GNU parallel says so, and reads its job list NUL-separated then
	 * (--null); parx takes each logged command whole anyway.
	 */
	if (newline)
		msg_warn("command lines contain newline");
	return 0;
}

static int	source_batch_tuple(void *, const struct arg **, size_t *);

/*
 * The pipe of the data: standard input, or file cfg->src[src->part].
 * Returns 0, or -1 after saying why not.
 */
static int
source_pipe_new(struct source *src)
{
	const struct config *cfg = src->cfg;
	struct pipe_opts po = cfg->pipe;
	struct pipe_env pe = { cfg->pipe.tee || cfg->pipe.args ? "-" :
	    cfg->src[src->part].path,
	    cfg->batch.nargs_set ? cfg->batch.nargs : 0,
	    cfg->batch.lines_set ? cfg->batch.lines : 0, src->nslots,
	    cfg->no_run_if_empty, cfg->tmpdir,
	    cfg->attempts > 1 && (!cfg->pipe.round_robin || cfg->pipe.part) &&
	    !cfg->pipe.tee, cfg->skip_first_line, src->part_size };
	char *err = NULL;

	po.colsep = cfg->colsep;	/* --group-by's columns */
	po.csv = cfg->csv;
	if (po.part && po.round_robin) {
		/* GNU parallel: --block -1, a block per slot. */
		po.round_robin = 0;
		po.block = 0;
		po.blocks = 1;
	}
	src->pipe = pipe_new(&po, &pe, &err);
	if (src->pipe == NULL) {
		msg_error("%s", err);
		free(err);
		return -1;
	}
	return 0;
}

/*
 * --pipe-part: the total size of the files, which the block size divides;
 * each must be a regular file, as the first is told by pipe_new() (GNU
 * parallel checks them all before it starts, too).  Returns 0 or -1.
 */
static int
source_part_size(struct source *src)
{
	const struct config *cfg = src->cfg;
	struct stat st;
	size_t i;
	int rc;

	for (i = 0; i < cfg->nsrc; i++) {
		const char *path = cfg->src[i].path;

		rc = strcmp(path, "-") == 0 ? fstat(0, &st) : stat(path, &st);
		if (rc == -1) {
			msg_error("cannot open '%s': %s", path,
			    strerror(errno));
			return -1;
		}
		if (!S_ISREG(st.st_mode)) {
			msg_error("--pipe-part needs a regular file, and '%s' "
			    "is not one", path);
			return -1;
		}
		src->part_size += (unsigned long long)st.st_size;
	}
	return 0;
}

/*
 * --pipe-part: the file after pipe's, once pipe has given its last block.
 * The pipe stays until its jobs have ended.  Returns 0 or -1.
 */
static int
source_next_file(struct source *src)
{
	src->old = xreallocarray(src->old, src->nold + 1, sizeof(*src->old));
	src->old[src->nold++] = src->pipe;
	src->pipe = NULL;
	src->part++;
	return source_pipe_new(src);
}

/* The pipe that job seq's block came from. */
static struct pipe *
source_pipe_of(const struct source *src, unsigned long long seq)
{
	size_t i;

	for (i = 0; i < src->nold; i++)
		if (pipe_owns(src->old[i], seq))
			return src->old[i];
	return src->pipe;
}

/* Start the --pipe feeds and the batches. */
int
source_start(struct source *src, unsigned long nslots)
{
	const struct config *cfg = src->cfg;

	src->nslots = nslots;
	if (cfg->pipe.part && source_part_size(src) == -1)
		return -1;
	if (cfg->pipe.on && source_pipe_new(src) == -1)
		return -1;
	if (batch_enabled(&cfg->batch) && !cfg->pipe.on) {
		struct batch_env be;

		memset(&be, 0, sizeof(be));
		cmdline_batch_env(src->cl, &be);
		be.next = source_batch_tuple;
		be.next_ctx = src;
		be.nsrc = input_nsources(src->in);
		be.colsep = src->cs != NULL;
		be.nslots = nslots;
		src->batch = batch_new(&cfg->batch, &be);
	}
	/* A job a tuple: reading ahead lets {= =} go in batches. */
	src->ahead = src->pipe == NULL && src->batch == NULL;
	return 0;
}

/* The most descriptors the feeds poll. */
size_t
source_maxfds(const struct source *src)
{
	return src->pipe ? pipe_maxfds(src->pipe) : 0;
}

/* Reading culprit failed: say so and stop. */
static void
source_failed(struct source *src, const char *culprit)
{
	msg_error("cannot read '%s': %s", culprit, strerror(errno));
	stop_error(src->stop);
}

/*
 * --header with --results: the header's columns name the table's value
 * columns, or the directory levels.  GNU parallel then names column k
 * after the k-th input file given (-a, ::::), whatever its own header
 * says; so does parx, so that the tables and directories are the same.
 */
static void
source_result_names(struct source *src, const struct arg *args,
    size_t nargs)
{
	const struct config *cfg = src->cfg;
	const struct arg *cols;
	struct arg *names;
	size_t i, k, n, ncols;

	if (src->res == NULL)
		return;
	colsep_split_header(src->cs, args, nargs, &cols, &ncols);
	for (i = k = 0; i < cfg->nsrc; i++)
		if (cfg->src[i].kind == CONFIG_SRC_FILE && !cfg->src[i].implied)
			k++;
	n = ncols > k ? ncols : k;
	names = xreallocarray(NULL, n ? n : 1, sizeof(*names));
	for (i = 0; i < ncols; i++)
		names[i] = cols[i];
	for (i = k = 0; i < cfg->nsrc; i++) {
		if (cfg->src[i].kind != CONFIG_SRC_FILE ||
		    cfg->src[i].implied)
			continue;
		names[k].s = cfg->src[i].path;
		names[k++].len = strlen(cfg->src[i].path);
	}
	results_set_names(src->res, names, n);
	free(names);
}

/*
 * --header: the first tuple names the columns (of the command, and of a
 * --results table), and the command is parsed again with the names (a
 * batch gets the new template).  Returns input_next()'s code; INPUT_END
 * when the names are bad (said).
 */
static int
source_take_header(struct source *src)
{
	const struct arg *args;
	size_t nargs;
	char *err = NULL;
	int rc;

	rc = input_next(src->in, &args, &nargs);
	if (rc != INPUT_OK)
		return rc;
	src->need_header = 0;
	source_result_names(src, args, nargs);
	if (cmdline_take_header(src->cl, src->cs, args, nargs, &err) == -1) {
		msg_error("%s", err);
		free(err);
		stop_error(src->stop);
		return INPUT_END;
	}
	if (src->batch)
		batch_set_tmpl(src->batch, cmdline_tmpl(src->cl));
	return INPUT_OK;
}

/*
 * Input from a DOS file keeps a \r at the end of each value: say so once,
 * as GNU parallel does (input_crnl()).
 */
static void
source_check_crnl(struct source *src)
{
	if (src->crnl_warned || !input_crnl(src->in))
		return;
	msg_warn("the first three values end in CR-NL: consider using "
	    "-d \"\\r\\n\"");
	src->crnl_warned = 1;
}

/*
 * The next tuple of arguments, as input_next() returns it, after the
 * transformations the options ask for: the header taken out (--header),
 * random order (--shuf), blank items left out (-r), values split into
 * columns (--colsep, --trim).
 */
static int
source_next_tuple(struct source *src, const struct arg **args,
    size_t *nargs)
{
	int rc;

	if (src->need_header && (rc = source_take_header(src)) != INPUT_OK)
		return rc;
	/* -r looks at the values as they came, before --colsep splits them. */
	do {
		if (src->shuf == NULL) {
			rc = input_next(src->in, args, nargs);
		} else {
			rc = shuf_next(src->shuf, src->in, args, nargs);
			if (rc == INPUT_OK && !src->cfg->no_run_if_empty)
				progress_set_total(src->prog,
				    (unsigned long long)shuf_total(src->shuf));
		}
		if (rc != INPUT_OK)
			return rc;
	} while (src->cfg->no_run_if_empty &&
	    input_blank(*args, *nargs));
	source_check_crnl(src);
	if (src->cs) {
		const struct arg *bad;

		colsep_split(src->cs, *args, *nargs, args, nargs);
		if ((bad = colsep_csv_bad(src->cs)) != NULL) {
			/* GNU parallel dies there too; no more input. */
			msg_error("CSV has unexpected format: ^%.*s^",
			    (int)bad->len, bad->s);
			stop_error(src->stop);
			src->input_done = 1;
			return INPUT_END;
		}
	}
	return rc;
}

/* source_next_tuple() for a batch (batch.h). */
static int
source_batch_tuple(void *ctx, const struct arg **args, size_t *nargs)
{
	struct source *src = ctx;
	int rc;

	rc = source_next_tuple(src, args, nargs);
	if (rc == INPUT_OK)
		src->tuple = *nargs;
	return rc;
}

/*
 * A NUL byte in a line (no -0) cannot reach a command, whose arguments
 * are C strings: as GNU parallel does, it becomes the two characters \0,
 * so that the argument is kept whole, and a warning says so once.
 * Returns args, or copies of them in src->nulargs, valid until the next
 * call.
 */
static const struct arg *
source_escape_nul(struct source *src, const struct arg *args, size_t nargs)
{
	size_t i, k, *off;

	for (i = 0; i < nargs; i++)
		if (args[i].len && memchr(args[i].s, '\0', args[i].len))
			break;
	if (i == nargs)
		return args;
	if (!src->nul_warned)
		msg_warn("a NUL byte in the input was replaced with \\0: "
		    "an argument cannot hold one (use -0 for NUL-separated "
		    "input)");
	src->nul_warned = 1;
	if (nargs > src->nulcap) {
		src->nulargs = xreallocarray(src->nulargs, nargs,
		    sizeof(*src->nulargs));
		src->nulcap = nargs;
	}
	/* Offsets first: the buffer moves as it grows. */
	off = xreallocarray(NULL, nargs, sizeof(*off));
	buf_reset(&src->nulbuf);
	for (i = 0; i < nargs; i++) {
		off[i] = src->nulbuf.len;
		for (k = 0; k < args[i].len; k++) {
			if (args[i].s[k] == '\0')
				buf_add(&src->nulbuf, "\\0", 2);
			else
				buf_addch(&src->nulbuf, args[i].s[k]);
		}
		src->nulargs[i].len = src->nulbuf.len - off[i];
	}
	buf_addch(&src->nulbuf, '\0');
	for (i = 0; i < nargs; i++)
		src->nulargs[i].s = src->nulbuf.data + off[i];
	free(off);
	return src->nulargs;
}

/*
 * Make the job for an input tuple, or return NULL when it is skipped: a
 * blank one under -r, or one the old log (or --results) has as done.
 */
static struct job *
source_make_job(struct source *src, const struct arg *args, size_t nargs)
{
	const struct config *cfg = src->cfg;
	unsigned long long seq;
	struct job *j;
	int done = 0;

	/* source_next_tuple() left blank items out, before --colsep. */
	if (cfg->no_run_if_empty && !src->pipe && !src->cs &&
	    input_blank(args, nargs))
		return NULL;
	seq = ++src->seq;
	if (src->past && cfg->resume == CONFIG_RESUME)
		done = joblog_past_finished(src->past, seq);
	else if (src->past && cfg->resume == CONFIG_RESUME_FAILED)
		done = joblog_past_succeeded(src->past, seq);
	if (done) {
		output_skip(src->out, seq);
		return NULL;
	}
	j = job_new(seq, source_escape_nul(src, args, nargs), nargs);
	if (src->batch && src->tuple > 0 && src->tuple < nargs)
		j->tuple = src->tuple;
	if (src->res && cfg->resume == CONFIG_RESUME &&
	    results_exists(src->res, j)) {
		output_skip(src->out, seq);
		job_free(j);
		return NULL;
	}
	src->njobs++;
	return j;
}

/* --retry-failed runs some seqs only: the others never produce output. */
static void
source_skip_to(struct source *src, unsigned long long seq)
{
	if (src->cfg->resume != CONFIG_RETRY_FAILED)
		return;
	while (src->skip_next < seq)
		output_skip(src->out, src->skip_next++);
	if (src->skip_next == seq)
		src->skip_next++;
}

/* The reading ahead for the progress line is over. */
static void
source_end_lookahead(struct source *src)
{
	src->lookahead = 0;
	progress_release(src->prog);
}

/* Count a job read ahead for the progress line. */
static void
source_count_ahead(struct source *src, const struct job *j)
{
	size_t i;

	src->ahead_jobs++;
	for (i = 0; i < j->nargs; i++)
		src->ahead_bytes += j->args[i].len + 1;
}

/*
 * A new round; with --halt N% (and others), read all the input first;
 * with a progress line, read ahead a bounded part of it.
 */
int
source_begin(struct source *src)
{
	const struct arg *args;
	size_t nargs;
	struct job *j;
	int rc;

	src->want_input = 0;
	while ((src->read_all || src->lookahead) && !src->input_done &&
	    !stop_stopping(src->stop)) {
		if (!src->read_all && (src->ahead_jobs >= SOURCE_AHEAD_JOBS ||
		    src->ahead_bytes >= SOURCE_AHEAD_BYTES)) {
			/* The rest is read as slots free up. */
			source_end_lookahead(src);
			break;
		}
		/* --halt N%: every job must be known before one ends. */
		rc = source_next_tuple(src, &args, &nargs);
		if (rc == INPUT_AGAIN) {
			src->want_input = 1;
			if (src->read_all || progress_holding(src->prog))
				return -1;
			/* Input that comes slowly: the jobs start. */
			source_end_lookahead(src);
			break;
		}
		if (rc == INPUT_END) {
			src->input_done = 1;
		} else if (rc == INPUT_ERROR) {
			source_end_lookahead(src);
			source_failed(src, input_culprit(src->in));
			return -1;
		} else if ((j = source_make_job(src, args, nargs)) != NULL) {
			source_enqueue(src, j, 0);
			source_count_ahead(src, j);
		}
	}
	if ((src->read_all || src->lookahead) && src->input_done) {
		cmdline_set_total(src->cl, src->njobs);
		progress_set_total(src->prog, src->seq);
		source_end_lookahead(src);
	}
	if (src->cfg->pipe.tee && src->input_done &&
	    src->njobs > src->nslots) {
		msg_error("--tee runs every job at once, and -j allows %lu "
		    "of the %llu jobs: try -j 0", src->nslots, src->njobs);
		stop_error(src->stop);
		return -1;
	}
	return 0;
}

/* 1 while a job is left to start. */
int
source_has_more(const struct source *src)
{
	return src->pending || !STAILQ_EMPTY(&src->queue) || !src->input_done;
}

/*
 * ::: lists beside --pipe: the job of a block takes the next tuple, or
 * none once they are used up (GNU parallel gives such jobs empty values).
 */
static void
source_pipe_args(struct source *src, const struct arg **args, size_t *nargs)
{
	if (src->args_done || source_next_tuple(src, args, nargs) !=
	    INPUT_OK) {
		src->args_done = 1;
		*args = NULL;
		*nargs = 0;
	}
}

/*
 * --round-robin with ::: lists, at the end of the data: a job for each
 * tuple left, its stdin empty, so that every job the lists name runs
 * (GNU's parsort opens a fifo per slot and waits for each one's writer,
 * whatever the size of the data).  Returns INPUT_OK or INPUT_END.
 */
static int
source_pipe_rest(struct source *src, int *stdin_fd, const struct arg **args,
    size_t *nargs)
{
	source_pipe_args(src, args, nargs);
	if (src->args_done)
		return INPUT_END;
	*stdin_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (*stdin_fd == -1)
		return INPUT_ERROR;
	return INPUT_OK;
}

/* The next job from the input. */
static int
source_read(struct source *src, unsigned long slot, struct job **jp)
{
	const struct arg *args;
	struct arg file;
	const char *name = NULL;
	size_t nargs;
	struct job *j;
	int rc, stdin_fd = -1;

	if (src->pipe) {
		/* With --cat or --fifo, {} is the block's file. */
		rc = pipe_next(src->pipe, src->seq + 1, &stdin_fd, &name);
		while (rc == INPUT_END && src->cfg->pipe.part &&
		    src->part + 1 < src->cfg->nsrc) {
			if (source_next_file(src) == -1) {
				stop_error(src->stop);
				return -1;
			}
			rc = pipe_next(src->pipe, src->seq + 1, &stdin_fd,
			    &name);
		}
		file.s = name;
		file.len = name ? strlen(name) : 0;
		args = name ? &file : NULL;
		nargs = name ? 1 : 0;
		if (rc == INPUT_OK && src->cfg->pipe.args)
			source_pipe_args(src, &args, &nargs);
		else if (rc == INPUT_END && src->cfg->pipe.args &&
		    src->cfg->pipe.round_robin)
			rc = source_pipe_rest(src, &stdin_fd, &args, &nargs);
	} else if (src->batch) {
		/* The header first: the batch sizes lines by the template. */
		rc = src->need_header ? source_take_header(src) : INPUT_OK;
		if (rc == INPUT_OK)
			rc = batch_next(src->batch, src->seq + 1, slot, &args,
			    &nargs);
	} else
		rc = source_next_tuple(src, &args, &nargs);
	if (rc == INPUT_AGAIN) {
		src->want_input = src->pipe == NULL;
		return -1;
	}
	if (rc == INPUT_END) {
		src->input_done = 1;
		progress_set_total(src->prog, src->seq);
		return -1;
	}
	if (rc == INPUT_ERROR && name != NULL) {
		/* The job that would have run never does: parx fails. */
		msg_error("cannot write the block of job %llu to '%s': %s",
		    src->seq + 1, name, strerror(errno));
		pipe_job_done(src->pipe, src->seq + 1);
		stop_error(src->stop);
		return -1;
	}
	if (rc == INPUT_ERROR && src->pipe && pipe_problem(src->pipe)) {
		msg_error("%s", pipe_problem(src->pipe));
		stop_error(src->stop);
		return -1;
	}
	if (rc == INPUT_ERROR) {
		source_failed(src, src->pipe ? pipe_culprit(src->pipe) :
		    input_culprit(src->in));
		return -1;
	}
	j = source_make_job(src, args, nargs);
	if (j == NULL) {
		/* Not run (--resume): its block is dropped. */
		if (src->pipe) {
			if (stdin_fd >= 0)
				close(stdin_fd);
			pipe_job_done(src->pipe, src->seq);
		}
		return 0;
	}
	if (stdin_fd >= 0) {
		/* The block comes on the job's stdin. */
		job_set_child_fd(j, 0, stdin_fd, 1);
		if (pipe_last_part(src->pipe, &j->part_off, &j->part_len,
		    &j->part_hoff, &j->part_hlen) == -1)
			j->part_len = 0;
		j->part_path = src->cfg->pipe.part ?
		    src->cfg->src[src->part].path : NULL;
	}
	*jp = j;
	return 1;
}

/*
 * --tee: give job j its pipe of all the data; once the last job has one,
 * the data is read.  Returns 1, or -1 when parx stops.
 */
static int
source_tee_feed(struct source *src, struct job *j)
{
	const char *name;
	int fd;

	if (pipe_next(src->pipe, j->seq, &fd, &name) != INPUT_OK) {
		msg_error("cannot set up the input of job %llu: %s", j->seq,
		    strerror(errno));
		output_skip(src->out, j->seq);
		job_free(j);
		stop_error(src->stop);
		return -1;
	}
	job_set_child_fd(j, 0, fd, 1);
	if (STAILQ_EMPTY(&src->queue) && src->input_done)
		pipe_tee_start(src->pipe);
	return 1;
}

/*
 * Read the jobs the input has ready, up to CMDLINE_PREFETCH_JOBS, into
 * the queue, so that their {= =} are evaluated together.  A read error
 * is reported once the jobs read before it have gone.
 */
static void
source_read_ahead(struct source *src)
{
	const struct arg *args;
	size_t n, nargs;
	struct job *j;
	int rc;

	for (n = 0; n < CMDLINE_PREFETCH_JOBS && !stop_stopping(src->stop);) {
		rc = source_next_tuple(src, &args, &nargs);
		if (rc == INPUT_AGAIN) {
			src->want_input = 1;
			return;
		}
		if (rc == INPUT_END) {
			src->input_done = 1;
			progress_set_total(src->prog, src->seq);
			return;
		}
		if (rc == INPUT_ERROR) {
			src->ahead_errno = errno ? errno : EIO;
			return;
		}
		if ((j = source_make_job(src, args, nargs)) != NULL) {
			source_enqueue(src, j, 0);
			n++;
		}
	}
}

/* Have the {= =} of the job at the queue's head and the next evaluated. */
static void
source_prefetch(struct source *src)
{
	struct job *batch[CMDLINE_PREFETCH_JOBS], *j;
	size_t n = 0;

	j = STAILQ_FIRST(&src->queue);
	if (j == NULL || j->pcache != NULL || !cmdline_prefetches(src->cl))
		return;
	for (; j && n < CMDLINE_PREFETCH_JOBS; j = STAILQ_NEXT(j, link))
		if (j->pcache == NULL)
			batch[n++] = j;
	cmdline_prefetch(src->cl, batch, n);
}

/* The next job for a slot. */
int
source_next(struct source *src, unsigned long slot, struct job **jp)
{
	if (src->pending) {
		*jp = src->pending;
		src->pending = NULL;
		return 1;
	}
	if (src->ahead && STAILQ_EMPTY(&src->queue) && !src->input_done &&
	    src->ahead_errno == 0 && cmdline_prefetches(src->cl))
		source_read_ahead(src);
	if (STAILQ_EMPTY(&src->queue) && src->ahead_errno) {
		errno = src->ahead_errno;
		src->ahead_errno = 0;
		source_failed(src, input_culprit(src->in));
		return -1;
	}
	if (!STAILQ_EMPTY(&src->queue)) {
		source_prefetch(src);
		*jp = source_dequeue(src);
		source_skip_to(src, (*jp)->seq);
		if (src->pipe && src->cfg->pipe.tee)
			return source_tee_feed(src, *jp);
		return 1;
	}
	if (src->input_done)
		return -1;
	return source_read(src, slot, jp);
}

/* Take back a job that could not start. */
void
source_unget(struct source *src, struct job *j)
{
	src->pending = j;
}

/* Run a job again before any other, from scratch. */
void
source_retry(struct source *src, struct job *j)
{
	int fd;

	output_job_retry(src->out, j);
	job_reset(j);
	if (src->pipe) {
		if (pipe_job_again(source_pipe_of(src, j->seq), j->seq,
		    &fd) == -1)
			msg_error("job %llu runs again without its block: %s",
			    j->seq, strerror(errno));
		if (fd >= 0)
			job_set_child_fd(j, 0, fd, 1);
	}
	source_enqueue(src, j, 1);
}

/* A job finished for good. */
void
source_job_done(struct source *src, const struct job *j)
{
	if (src->pipe)
		pipe_job_done(source_pipe_of(src, j->seq), j->seq);
}

/* The number of jobs made. */
unsigned long long
source_njobs(const struct source *src)
{
	return src->njobs;
}

/* The input, when input_next() asked to wait for more. */
static size_t
source_input_prepare(void *ctx, struct pollfd *pfd, size_t max, long *ms)
{
	struct source *src = ctx;

	if (!src->want_input || stop_stopping(src->stop) ||
	    input_pollfd(src->in) < 0)
		return 0;
	pfd[0].fd = input_pollfd(src->in);
	pfd[0].events = POLLIN;
	return 1;
}

static void
source_input_dispatch(void *ctx, const struct pollfd *pfd, size_t n)
{
	struct source *src = ctx;

	if (n == 0 || pfd[0].revents == 0)
		return;
	if (input_read(src->in) == -1 && errno != EINTR && errno != EAGAIN)
		source_failed(src, input_culprit(src->in));
}

/*
 * --pipe: the input and the feeds of the jobs' stdin, of the current pipe
 * and of the earlier files' pipes whose jobs still run (those whose jobs
 * have all ended go now).
 */
static size_t
source_pipe_prepare(void *ctx, struct pollfd *pfd, size_t max, long *ms)
{
	struct source *src = ctx;
	struct pipe *p;
	size_t i, k = 0, n;

	src->npolled = 0;
	if (src->pipe == NULL)
		return 0;
	for (i = n = 0; i < src->nold; i++) {
		if (pipe_idle(src->old[i]))
			pipe_free(src->old[i]);
		else
			src->old[n++] = src->old[i];
	}
	src->nold = n;
	src->polled = xreallocarray(src->polled, src->nold + 1,
	    sizeof(*src->polled));
	for (i = 0; i <= src->nold; i++) {
		p = i == 0 ? src->pipe : src->old[i - 1];
		n = pipe_pollfds(p, pfd + k, max - k,
		    !stop_stopping(src->stop), ms);
		src->polled[src->npolled].pipe = p;
		src->polled[src->npolled++].n = n;
		k += n;
	}
	return k;
}

static void
source_pipe_dispatch(void *ctx, const struct pollfd *pfd, size_t n)
{
	struct source *src = ctx;
	size_t i, k = 0;

	for (i = 0; i < src->npolled && k <= n; i++) {
		if (pipe_events(src->polled[i].pipe, pfd + k,
		    src->polled[i].n) == -1)
			source_failed(src, pipe_culprit(src->polled[i].pipe));
		k += src->polled[i].n;
	}
}

const struct loop_source source_input_source =
	{ "input", source_input_prepare, source_input_dispatch };
const struct loop_source source_pipe_source =
	{ "pipe", source_pipe_prepare, source_pipe_dispatch };

/* SPDX-License-Identifier: ISC */
/*
 * source: where the next job comes from.  One call, source_next(), gives
 * the job for a free slot, taken in this order from
 *
 *	the pending job		one that could not start last time (it
 *				waits for --delay, a host, descriptors);
 *	the queue		retries (--retries) at its front; the jobs
 *				--retry-failed takes from the old log; with
 *				--halt N%, the whole input, read first;
 *	the input		--pipe blocks (pipe.h), or batches of tuples
 *				(batch.h), or one tuple per job (input.h)
 *				after --header, --shuf, -r and --colsep.
 *
 * It numbers the jobs, and leaves out those --resume, --resume-failed
 * and --results say are done, telling the output module (output_skip()).
 * A NUL byte in a value becomes the two characters \0, with one warning.
 *
 * The source owns the input, the --pipe feeds, the batches, the old job
 * log and every job it holds (pending or queued).  It uses, without
 * owning them, the command line (for --header), the output, the progress
 * line, the --results store and the stop (stop_error() when the input
 * fails).  Only the main thread uses it.
 */
#ifndef PARX_SOURCE_H
#define PARX_SOURCE_H

#include <stddef.h>

struct cmdline;
struct config;
struct job;
struct loop_source;
struct output;
struct progress;
struct results;
struct source;
struct stop;

/*
 * An empty source for cfg (which must outlive it), reporting its errors
 * to st.  Never fails.
 */
struct source	*source_new(const struct config *cfg, struct stop *st);

/*
 * Free the source and the jobs it holds (each is skipped in the output,
 * which must still exist).  The --pipe feeds are ended first, so that a
 * job waiting for its stdin sees EOF.
 */
void		 source_free(struct source *);

/*
 * Set-up, in this order, each returning 0, or -1 after reporting the
 * problem on stderr:
 *
 * source_read_log() reads the old job log for --resume, --resume-failed
 * and --retry-failed.
 *
 * source_open() opens the input (--colsep, --header, -a, :::) and names
 * cl (not owned), whose templates --header parses again.
 *
 * source_attach() names the output, the progress line and the --results
 * store (res may be NULL), which it uses but does not own, sets the
 * progress line's total when it is known, and queues the jobs
 * --retry-failed takes from the old log.
 *
 * source_start() starts the --pipe feeds and the batches for nslots jobs
 * at once.
 */
int		 source_read_log(struct source *);
int		 source_open(struct source *, struct cmdline *cl);
int		 source_attach(struct source *, struct output *out,
		    struct progress *prog, struct results *res);
int		 source_start(struct source *, unsigned long nslots);

/* The most descriptors the --pipe feeds poll at once. */
size_t		 source_maxfds(const struct source *);

/*
 * A new round of starts.  With --halt N%, read the whole input into the
 * queue first; with a progress line whose total is unknown, read ahead up
 * to SOURCE_AHEAD_JOBS jobs or SOURCE_AHEAD_BYTES bytes (source.c) into
 * it, while the line is held back (progress_hold()).  Returns 0, or -1 when the input must be waited
 * for (its descriptor is then polled) or failed.
 */
int		 source_begin(struct source *);

/* 1 while a job is left to start: pending, queued, or input to read. */
int		 source_has_more(const struct source *);

/*
 * The next job for slot (1 and up), in *jp, owned by the caller: returns
 * 1.  Returns 0 when an input tuple was left out (done already: ask
 * again), or -1 when there is no job now: the input must be waited for,
 * is over, or failed (reported; the stop then says so).
 */
int		 source_next(struct source *, unsigned long slot,
		    struct job **jp);

/* Take back j, which could not start: it is the next one given. */
void		 source_unget(struct source *, struct job *j);

/*
 * Queue j, back from the runner, to run again under its sequence number,
 * before any other (--retries, or a process the system refused): what
 * this attempt wrote is dropped (output_job_retry()) and j is reset
 * (job_reset()).
 */
void		 source_retry(struct source *, struct job *j);

/* Job j finished for good: its --pipe block may go. */
void		 source_job_done(struct source *, const struct job *j);

/* How many jobs were made (not left out): the total for --halt N%. */
unsigned long long source_njobs(const struct source *);

/*
 * The loop sources (loop.h), ctx the source: the input when it must be
 * waited for, and the --pipe input and feeds.
 */
extern const struct loop_source source_input_source;
extern const struct loop_source source_pipe_source;

#endif

/* SPDX-License-Identifier: ISC */
/*
 * record: what parx keeps of the jobs besides their output: the --joblog
 * (with -k, each line once the job's output is out), the --results and
 * --files store, the measurements (--stats, --stats-json, --events,
 * --compare's digest) and the --timeline picture.
 *
 * The record owns the job log, the store, the measurements and their
 * files.  It calls stop_error() on the stop it is given (not owned) when
 * the job log cannot be written.  Only the main thread uses it.
 */
#ifndef PARX_RECORD_H
#define PARX_RECORD_H

struct config;
struct job;
struct output;
struct record;
struct results;
struct stop;

/* An empty record for cfg (which must outlive it).  Never fails. */
struct record	*record_new(const struct config *cfg, struct stop *st);

/* Free the record, closing its files. */
void		 record_free(struct record *);

/*
 * Set-up, in this order, each returning 0, or -1 after reporting the
 * problem on stderr.  record_check_store() checks where output goes
 * (--tmpdir, --results, --files) before any job runs;
 * record_open_log() opens the --joblog; record_open_stats() opens the
 * measurements' files and the --timeline picture's, and starts measuring
 * nslots slots of engine (its name, as stats.h shows it).
 */
int		 record_check_store(struct record *);
int		 record_open_log(struct record *);
int		 record_open_stats(struct record *, const char *engine,
		    unsigned long nslots);

/* The --results or --files store, or NULL (owned by the record). */
struct results	*record_store(const struct record *);

/*
 * --compare: fold j's output (taken from out) and status into the
 * digest.  Returns 1 when it did (the output is not written), else 0.
 */
int		 record_digest(struct record *, struct output *out,
		    struct job *j);

/*
 * Job j finished for good: measure it (its output bytes as out counted
 * them; engine names the runner for --events), then, unless discard,
 * log it (with -k, once out says its output is out).
 */
void		 record_job(struct record *, struct output *out,
		    const struct job *j, const char *engine, int discard);

/* The end: write the job log lines -k still holds. */
void		 record_release_log(struct record *);

/* Flush --events before the loop sleeps. */
void		 record_flush(struct record *);

/*
 * Report the measurements (--stats on stderr, --stats-json), draw the
 * --timeline picture, and close their files, after out is flushed.
 */
void		 record_report(struct record *, struct output *out);

#endif

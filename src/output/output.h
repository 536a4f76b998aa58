/* SPDX-License-Identifier: ISC */
/*
 * output: where job output goes, and how it reaches parx's stdout and
 * stderr without ever mixing two jobs' bytes.
 *
 *	OUTPUT_GROUP	(default) a job writes to two anonymous temporary
 *			files; when it ends they are copied out as one block
 *			each, stdout then stderr.  Nothing limits their size.
 *	OUTPUT_LINE	(--line-buffer) a job writes to pipes that the main
 *			loop polls; whole lines are passed on as they come.
 *	OUTPUT_UNGROUP	(-u) a job writes straight to parx's stdout/stderr.
 *
 * With results set (--results, --files) a job writes to files of its own
 * instead (results.h), and nothing of it is copied out; with files set
 * (--files) the name of its stdout file takes the place of its output.
 *
 * A --func job's output comes back in memory with the finished job and is
 * written as one block in every mode.
 *
 * With keep_order (-k) blocks are written in sequence order: a finished job
 * is held until every earlier one has been written (in line mode, the
 * oldest running job streams live and the others are buffered).  With a
 * tag, every line gets the tag in front.
 *
 * Writes handle short writes, EINTR and EAGAIN (a stdout left non-blocking
 * by someone else), so no byte is lost to a slow reader.  EPIPE on stdout
 * marks the output broken; any other write error is reported once.
 *
 * Only the main thread calls these functions.
 *
 * Test hook: $PARX_TEST_SPOOL, a ':'-separated list of up to three
 * directories, replaces the default spool places (/dev/shm, /tmp,
 * /var/tmp) when neither --tmpdir nor $TMPDIR is set, so that tests can
 * fill small file systems of their own without hiding /tmp.  Each is
 * used till it is full, whatever its path: only the default /dev/shm is
 * used just while it has room to spare.
 */
#ifndef PARX_OUTPUT_H
#define PARX_OUTPUT_H

#include <stddef.h>

struct buf;
struct job;
struct loop_source;
struct pollfd;
struct output;
struct results;

enum output_mode {
	OUTPUT_GROUP,
	OUTPUT_LINE,
	OUTPUT_UNGROUP
};

struct sys_stop;

struct output_opts {
	enum output_mode	 mode;
	int			 keep_order;
	const char		*tmpdir;	/* NULL: $TMPDIR or /tmp */
	/*
	 * --compress: group mode's spool files are written through the
	 * shell command compress and read back through decompress.  NULL:
	 * not compressed.
	 */
	const char		*compress;
	const char		*decompress;
	struct results		*results;	/* --results/--files, or NULL */
	int			 files;		/* --files */
	int			 color;		/* --color: each job's lines */
	int			 color_failed;	/* --color-failed: white on red */
	/* When a blocked write is given up (Ctrl-C); NULL: never. */
	const struct sys_stop	*stop;
	/* If set, called before bytes are written to fd 1 or 2. */
	void			(*writing)(void *ctx, int fd);
	void			*writing_ctx;
};

struct output	*output_new(const struct output_opts *);
void		 output_free(struct output *);

/*
 * The number of jobs that may run at once: group mode sizes the pipes it
 * gives them by it.  Call before the first output_prepare().
 */
void		 output_set_slots(struct output *, unsigned long nslots);

/*
 * Give a job about to start its output sinks: sets job->child_fd[1..2],
 * their bits in job->child_close (the bit of a standard input the caller
 * set up is left alone), job->out_fd and job->err_fd.  tag (copied; NULL
 * for none) goes in front of every line.  Call in sequence order.
 * Returns 0, or -1 with errno (a temporary file or pipe could not be
 * made).
 */
int		 output_prepare(struct output *, struct job *,
		    const char *tag, size_t taglen);

/*
 * -v: put len bytes at s (the job's command and a newline) in front of the
 * job's stdout.  Call after output_prepare(), before the job starts.
 */
void		 output_announce(struct output *, struct job *, const char *s,
		    size_t len);

/*
 * The job has finished: write its output now, or hold it until its turn.
 * Takes over job->out_fd and job->err_fd (they are -1 afterwards) and
 * sets job->out_bytes to the size of its standard output.  With discard
 * set, the output is dropped (a job parx killed).
 */
void		 output_job_done(struct output *, struct job *, int discard);

/*
 * The bytes a finished job wrote to its stdout (job->out_bytes, set by
 * output_job_done()), or -1 when parx cannot tell (-u, --compress).
 */
long long	 output_job_bytes(const struct output *, const struct job *);

/*
 * --compare: like output_job_done() with discard set, but the job's
 * stdout and stderr are appended to out[0] and out[1] first.
 */
void		 output_job_take(struct output *, struct job *,
		    struct buf *out);

/*
 * The job failed and runs again under the same sequence number
 * (--retries): drop what this attempt wrote, except what line mode has
 * passed on already.  Takes over job->out_fd and job->err_fd.
 */
void		 output_job_retry(struct output *, struct job *);

/*
 * With keep_order: the lowest sequence number whose output has not been
 * written yet (every lower one is out).  Without: the next one after
 * everything that was written.
 */
unsigned long long output_next_seq(const struct output *);

/*
 * A sequence number that will never produce output (a job that was not
 * run); -k must not wait for it.  Call in sequence order with the jobs.
 */
void		 output_skip(struct output *, unsigned long long seq);

/* Write every held block now, in order, whatever is missing before it. */
void		 output_flush_all(struct output *);

/*
 * Small writes are gathered; write them out.  The main loop calls this
 * before it waits.
 */
void		 output_flush(struct output *);

/*
 * --dry-run job j is over: its line (len bytes: its tag of taglen bytes,
 * then its command line) goes to stdout, or is its output in a --results
 * table.
 */
void		 output_dry_done(struct output *, struct job *j,
		    const char *line, size_t len, size_t taglen);

/*
 * Write bytes to fd (1 or 2) at once, with the same care as job output.
 * Returns 0 or -1.
 */
int		 output_text(struct output *, int fd, const char *, size_t);

/*
 * The main loop's source (loop.h) for the output, its context a struct
 * output: before each wait it writes what small writes gathered, and it
 * reads the pipes of running jobs (line and group mode) as they fill.
 */
extern const struct loop_source output_source;

/*
 * The descriptors held beyond output_fds_per_job() for each running job:
 * spool files, and whatever finished jobs waiting for their turn hold.
 */
size_t		 output_held_fds(const struct output *);

/* The descriptors one running job costs. */
size_t		 output_fds_per_job(const struct output *);

/* Nonzero once stdout reported EPIPE. */
int		 output_broken(const struct output *);

/* Nonzero once a write failed for another reason (disk full...). */
int		 output_failed(const struct output *);

#endif

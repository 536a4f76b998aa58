/* SPDX-License-Identifier: ISC */
/*
 * joblog: the job log of --joblog in GNU parallel's format, and reading an
 * old one back for --resume, --resume-failed and --retry-failed.
 *
 * The log is a header line, then one line per finished job, the fields
 * separated by TABs:
 *
 *	Seq Host Starttime JobRuntime Send Receive Exitval Signal Command
 *
 * Host is ":" (this machine); Starttime is seconds since the epoch with 3
 * decimals; JobRuntime seconds with 3 decimals, right-aligned in 10
 * columns; Send is 0 and Receive the number of bytes the job wrote to its
 * standard output; Exitval is -1 for a job killed by --timeout and 0 for
 * one killed by a signal, whose number is in Signal.  Newlines in the
 * command are written as NUL bytes, so each record is one line.
 *
 * Each record is written with a single write(2) (O_APPEND), nothing is
 * buffered in parx: a log cut short by a crash holds whole lines, except
 * perhaps the last one, which the reader then ignores.
 *
 * Only the main thread writes the log.  The parser is a pure function of
 * its buffer.
 */
#ifndef PARX_JOBLOG_H
#define PARX_JOBLOG_H

#include <stddef.h>
#include <time.h>

struct sys_stop;

struct buf;
struct job;
struct joblog;
struct joblog_past;

#define JOBLOG_HEADER \
	"Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand"

/* One record, as written. */
struct joblog_rec {
	unsigned long long	 seq;
	struct timespec		 start;		/* CLOCK_REALTIME */
	long long		 runtime_ms;
	unsigned long long	 receive;
	int			 exitval;
	int			 sig;
	const char		*cmd;
	size_t			 cmd_len;
	const char		*host;		/* -S login; NULL: ":" */
};

/*
 * Fill r from finished job j; r->cmd points into j, so r is valid as
 * long as j is.
 */
void		 joblog_rec_init(struct joblog_rec *r, const struct job *j);

/*
 * r's Starttime and JobRuntime as the log writes them (seconds with 3
 * decimals, without padding), as NUL-terminated strings.
 */
void		 joblog_times(const struct joblog_rec *r, char start[32],
		    char runtime[32]);

/* Append the record as one line, newline included, to out. */
void		 joblog_format(const struct joblog_rec *, struct buf *out);

/*
 * Open the log at path ("-" is standard output) for writing.  With append
 * set, records go after what the file holds (a last line cut short gets
 * its newline first); otherwise the file is truncated.  The header is
 * written when the file is empty.  A write to the log that blocks gives
 * up on stop (see sys_write_all(); NULL: never), failing with EINTR.
 * Returns the log, or NULL with errno.
 */
struct joblog	*joblog_open(const char *path, int append,
		    const struct sys_stop *stop);

/* Close the log (held records are dropped: see joblog_release). */
void		 joblog_close(struct joblog *);

/*
 * Log a finished job.  With hold set the line is kept until
 * joblog_release() lets it go (-k: a job is logged once its output is
 * out).  Returns 0, or -1 with errno when the write failed.
 */
int		 joblog_add(struct joblog *, const struct joblog_rec *,
		    int hold);

/*
 * Write the held records whose sequence number is below seq, in order.
 * Returns 0, or -1 with errno when a write failed.
 */
int		 joblog_release(struct joblog *, unsigned long long below);

/* The path the log was opened with. */
const char	*joblog_path(const struct joblog *);

/* One record as read back.  cmd points into the parsed buffer. */
struct joblog_entry {
	unsigned long long	 seq;
	int			 exitval;
	int			 sig;
	const char		*cmd;		/* not NUL-terminated */
	size_t			 cmd_len;
};

typedef void	(*joblog_entry_fn)(void *ctx, const struct joblog_entry *);

/*
 * Parse the log held in buf[0..len) and call fn for each record, in file
 * order.  Header lines (starting "Seq\tHost\t") and empty lines are
 * skipped, and so is a last line without a newline that is not a whole
 * record (a write cut short).  Stops at the first other line that is not
 * a record, and returns its number (from 1); returns 0 when every line
 * was fine.  Any bytes are allowed in buf; nothing outside it is read,
 * nothing is allocated.
 */
size_t		 joblog_parse(const char *buf, size_t len, joblog_entry_fn,
		    void *ctx);

/*
 * Read the old log at path.  A file that does not exist is an empty log.
 * Returns the past, or NULL with errno set; errno EINVAL means a line is
 * malformed, and *bad_line gives its number.
 */
struct joblog_past *joblog_past_read(const char *path, size_t *bad_line);
void		 joblog_past_free(struct joblog_past *);

/* 1 when some record of job seq exists (--resume). */
int		 joblog_past_finished(const struct joblog_past *,
		    unsigned long long seq);

/* 1 when some record of job seq says it succeeded (--resume-failed). */
int		 joblog_past_succeeded(const struct joblog_past *,
		    unsigned long long seq);

/*
 * --retry-failed: the jobs with no successful record, in sequence order;
 * for each, the command of its last record (NUL bytes turned back into
 * newlines, NUL-terminated), owned by the past.  Returns the number of
 * such jobs; i < that number.
 */
size_t		 joblog_past_nfailed(const struct joblog_past *);
const struct joblog_entry *joblog_past_failed(const struct joblog_past *,
		    size_t i);

#endif

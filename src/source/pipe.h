/* SPDX-License-Identifier: ISC */
/*
 * pipe: standard input (or a file) cut into blocks, each block the
 * standard input of one job (--pipe, --pipe-part, --round-robin).
 *
 * The data is a sequence of records.  A record ends with the record end
 * string (--recend, default "\n") and the next one begins with the record
 * start string (--recstart, default empty); a block is only ever cut
 * where the two meet, so no record is split and, once every block has
 * been written, every byte has gone to exactly one job.  With --regexp
 * both strings are POSIX extended regular expressions ('^' and '$' match
 * at newlines too; \n \t \r \f \v \a \e, \xHH, \d and \s are understood).
 *
 *	--pipe		a block ends at the last record boundary at most
 *			--block bytes from its start (default 1 MiB); a
 *			record longer than that makes a block of its own.
 *			With -N n a block is n records instead, whatever
 *			its size; with -L l a record is l lines (records).
 *	--pipe-part	the same from a seekable file, but a block ends at
 *			the first boundary whose record end starts --block
 *			bytes or more from the block's start.  The default
 *			block is a tenth of the data per job slot, and
 *			--block -n means n blocks per slot: 1 + size /
 *			(slots * n) bytes, as GNU parallel computes it,
 *			where size is the total of all the files (one
 *			pipe a file, source.c), and --round-robin means
 *			--block -1.  With --csv the quotes are counted
 *			from the file's start (or its header's end), so a
 *			block never ends inside a quoted field.
 *	--round-robin	as --pipe, but at most one job per slot is
 *			started, and each further block goes to whichever
 *			running job has taken all of its earlier ones.
 *	--header	the beginning of the data (N lines, ":" for one
 *			line, or what a regular expression matches there)
 *			is put in front of every block (of every job's input
 *			with --round-robin).
 *	--cat		the block (after the header) is written to a
 *			temporary file, whose name is the job's argument
 *			({}); the job's stdin is /dev/null.  The file is
 *			removed when the job ends.
 *	--fifo		the same with a named pipe in a private temporary
 *			directory, fed once the job opens it.
 *	--tee		no blocks: every job gets all of the data, which
 *			is read only once every job has its pipe (so all
 *			jobs must run at once) and kept until the slowest
 *			job has taken it.
 *	--group-by	a record is the lines that have one value in a
 *			column (a number, or a name in the first line,
 *			which is then the header), split at --colsep (or
 *			a tab); a new record starts where the value
 *			changes, so the input must be sorted by it.
 *	--rrs		each block loses its record separators: every
 *			record end followed by a record start, the record
 *			start at its front, the record end at its end.
 *
 * DESIGN: every job reads its block from a pipe.  The main loop writes
 * into it through a "feed" that polls the pipe's write end (non-blocking,
 * never waiting for a slow job), after making the pipe as large as the
 * block where the system allows (F_SETPIPE_SZ), so that most blocks are
 * written whole before the job even starts.  Standard input that is a
 * pipe is read (poll, then read) into one buffer, blocks are cut in place
 * and written from there; only the part of a block that does not fit
 * into its job's pipe is copied aside.  A regular file (standard input
 * redirected from one, or --pipe-part) is mapped instead: the boundaries
 * are found in the mapping, which reads only the pages near them, and the
 * blocks are spliced from the file into the pipes without passing through
 * parx.  At most one block is cut ahead of the jobs, so the memory held is
 * a block or two plus what has not fitted into the jobs' pipes.
 *
 * A feed ends, closing the pipe (end of file for the job), when its block
 * is written, or at once when the job has stopped reading; it is dropped
 * when the job ends.  A --fifo feed opens its named pipe without blocking,
 * again on every turn of the loop (and at least every few milliseconds)
 * until the job has opened it for reading: a job that never opens it
 * holds nothing up, its feed is dropped with it.  A --cat file is written
 * whole before the job starts.  Only the main thread calls these
 * functions.
 */
#ifndef PARX_PIPE_H
#define PARX_PIPE_H

#include <stddef.h>

struct pollfd;
struct pipe;

/* What the command line asked for.  Strings point into argv. */
struct pipe_opts {
	int			 on;		/* --pipe, --pipe-part, --round-robin */
	int			 part;		/* --pipe-part */
	int			 round_robin;	/* --round-robin */
	unsigned long long	 block;		/* --block; 0: the default */
	unsigned long long	 blocks;	/* --block -n: n blocks per slot */
	const char		*recstart;	/* NULL: not given */
	const char		*recend;	/* NULL: not given */
	int			 regexp;	/* --regexp */
	const char		*header;	/* --header, or NULL */
	int			 cat;		/* --cat */
	int			 fifo;		/* --fifo */
	int			 rrs;		/* --rrs */
	int			 tee;		/* --tee */
	const char		*group_by;	/* --group-by: a number from 1, a
						   name [A-Za-z0-9_], or NULL */
	const char		*group_perl;	/* --group-by's perl code, or
						   NULL; no column: the line */
	const char		*colsep;	/* --colsep, for --group-by */
	/*
	 * --csv: a record ends at a newline with an even number of double
	 * quotes before it (in the block), and -N is not used, as in GNU
	 * parallel; -L goes first.
	 */
	int			 csv;
	/*
	 * ::: lists beside --pipe: the data is standard input, and each job
	 * takes the next tuple of the lists as its arguments, then none once
	 * they are used up, as in GNU parallel (source.c).
	 */
	int			 args;
};

/* What the main loop decides. */
struct pipe_env {
	const char	*path;		/* the data; "-" is standard input */
	unsigned long	 records;	/* -N: records per block, 0: by size */
	unsigned long	 lines;		/* -L: lines per record, 0 or 1: one */
	unsigned long	 nslots;
	int		 skip_blank;	/* -r: no job for a block of blanks */
	const char	*tmpdir;	/* --cat, --fifo; NULL: $TMPDIR, /tmp */
	int		 keep_blocks;	/* --retries: a job's block is kept
					   until it ends for good */
	int		 skip_line;	/* --skip-first-line: the data's
					   first line goes to no job */
	unsigned long long total;	/* --pipe-part: the size of all of
					   the files, which the default and
					   negative --block divide; 0: this
					   file's */
};

/*
 * Open the data and get ready to cut it.  Returns the pipe, or NULL with
 * *err set to a malloc'd one-line message (a file that cannot be opened,
 * --pipe-part on a stream, a bad regular expression); the caller frees
 * *err.  All descriptors it opens are close-on-exec.
 */
struct pipe	*pipe_new(const struct pipe_opts *, const struct pipe_env *,
		    char **err);

/* Close everything, ending every feed still running. */
void		 pipe_free(struct pipe *);

/*
 * The standard input of job seq: on INPUT_OK *fd is the read end of a
 * pipe that the job's block is being written to, now the caller's, and
 * *name is NULL.  With --cat or --fifo, *fd is -1 and *name the file the
 * block is in (or comes through), held until pipe_job_done(seq).  Never
 * blocks on a pipe (a --cat file is written before it returns).  Returns
 * INPUT_OK, INPUT_AGAIN (no block is complete yet: poll what
 * pipe_pollfds() gives), INPUT_END or INPUT_ERROR (errno set).  With
 * --tee there is no block: every call gives a new pipe that all of the
 * data will be written to (a second call for one seq drops the first
 * pipe's feed).  On an
 * INPUT_ERROR from writing a --cat file, *name is that file (removed,
 * the name held until pipe_job_done(seq)); otherwise it is NULL.
 */
int		 pipe_next(struct pipe *, unsigned long long seq, int *fd,
		    const char **name);

/*
 * --tee: every job has its pipe now (pipe_next() was called for each),
 * the data may be read.
 */
void		 pipe_tee_start(struct pipe *);

/*
 * Job seq runs again.  With keep_blocks, *fd is the read end of a new
 * pipe that the job's whole block (the header first) is written to again,
 * now the caller's; else -1.  A --cat file stays as it is; a --fifo gives
 * end of file once it is opened (its block is not kept), as does a
 * --round-robin or --tee job's pipe.  Returns 0, or -1 with errno.
 */
int		 pipe_job_again(struct pipe *, unsigned long long seq, int *fd);

/*
 * Job seq has ended: drop its feed, and whatever it did not read; remove
 * its --cat file or --fifo.
 */
void		 pipe_job_done(struct pipe *, unsigned long long seq);

/*
 * The descriptors to poll: the input while a block is wanted, the feeds
 * with bytes left.  take_input 0 means no more input will be taken (parx
 * is stopping): feeds end once the blocks they hold are written.  While
 * a --fifo waits for its job to open it, *ms is lowered to the time until
 * the next try (as a loop source's prepare() does).
 */
size_t		 pipe_pollfds(struct pipe *, struct pollfd *, size_t max,
		    int take_input, long *ms);

/*
 * After poll(): read the input, feed the pipes.  Returns 0, or -1 with
 * errno when reading the input failed.
 */
int		 pipe_events(struct pipe *, const struct pollfd *, size_t n);

/* Job seq's block came from this pipe, and the job has not ended. */
int		 pipe_owns(const struct pipe *, unsigned long long seq);

/* No feed is left: every job that had a block has ended. */
int		 pipe_idle(const struct pipe *);

/* The most descriptors pipe_pollfds() returns. */
size_t		 pipe_maxfds(const struct pipe *);

/*
 * What went wrong with the data itself, when pipe_next() returned
 * INPUT_ERROR for it (a --group-by column not in the header), or NULL:
 * then errno says what failed.
 */
const char	*pipe_problem(const struct pipe *);

/* The data's name for messages ("-" for standard input). */
const char	*pipe_culprit(const struct pipe *);

/*
 * --pipe-part: the range of the file that the block pipe_next() gave last
 * holds (off, len), after hlen bytes of header from offset hoff of the
 * file (its start, unless --skip-first-line).  Returns -1 when the data is
 * not a mapped file.
 */
int		 pipe_last_part(const struct pipe *, long long *off, size_t *len,
		    long long *hoff, size_t *hlen);

#endif

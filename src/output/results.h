/* SPDX-License-Identifier: ISC */
/*
 * results: the files that keep each job's output for --results and
 * --files, named as GNU parallel names them.
 *
 *	--results DIR	DIR/1/VALUE1/2/VALUE2/.../{stdout,stderr,seq}: one
 *			level pair per input source, its number (with
 *			--header its name, results_set_names()) then the
 *			job's value, with '\' written as "\\", TAB as "\t",
 *			NUL as "\0" and '/' as "\_"; an empty value is "\e",
 *			"." is "\." and ".." is "\.\."; a name longer than
 *			255 bytes is cut there.  A job of several tuples
 *			(-N, -X) has the pairs of each tuple in turn.
 *	--results T	where T holds replacement strings: T expanded (values
 *			unquoted) is the stdout file, with ".err" and ".seq"
 *			added for the others; if it ends in '/', it is a
 *			directory holding stdout, stderr and seq.
 *	--results NAME.csv, NAME.tsv, NAME.json
 *			a table, one row per job holding its output
 *			(results_table.h); each job writes to two anonymous
 *			files in the temporary directory, read back for its
 *			row; with --files its stdout goes to a new file
 *			parxXXXXXX.par that stays, and stderr is discarded.
 *	--files		without --results: stdout goes to a new file
 *			parxXXXXXX.par in the temporary directory, stderr is
 *			discarded.
 *
 * The seq file holds the sequence number, without a newline; it is written
 * when the job has finished, so --resume reruns a job that was cut short
 * (whose stdout file exists) but not one that ended.  Missing
 * directories are made.  Only the main thread uses a struct results.
 */
#ifndef PARX_RESULTS_H
#define PARX_RESULTS_H

#include <stddef.h>

struct arg;
struct job;
struct results;
struct results_table;
struct tmpl_opts;

/*
 * Set up for --results spec (NULL: --files only, in tmpdir, or $TMPDIR or
 * /tmp when that is NULL); files is --files.  opts gives the replacement
 * string names.  Returns NULL with *err set to a malloc'd message when
 * spec is not a valid template.
 */
struct results	*results_new(const char *spec, const char *tmpdir,
		    int files, const struct tmpl_opts *opts, char **err);
void		 results_free(struct results *);

/*
 * Before any job: make the --results directory (a plain DIR, or the
 * fixed part of a template), or check that files can be made in the
 * temporary directory (--files, a table).  Returns 0, or -1 with errno,
 * results_culprit() naming the path.  A table's own file is opened by
 * results_table_open().
 */
int		 results_check(struct results *);

/*
 * Create the files of job j: fd[0] for its stdout, fd[1] for its stderr,
 * both close-on-exec, and write its seq file.  *path gets the stdout
 * file's name (malloc'd; NULL for a table's anonymous files).  Returns 0,
 * or -1 with errno, results_culprit() naming the path that failed.
 */
int		 results_open(struct results *, const struct job *, int fd[2],
		    char **path);

/*
 * Job j has finished (whatever its exit status): write its seq file.
 * Returns 0, or -1 with errno, results_culprit() naming the file.
 */
int		 results_done(struct results *, const struct job *);

/*
 * 1 when job j finished in an earlier run, as its seq file says
 * (--resume); a job that was killed with parx, or is still running,
 * has none.
 */
int		 results_exists(struct results *, const struct job *);

/*
 * --header: the n names of the value columns, copied: the table's (see
 * results_table_set_names()), or the names of the directory levels of a
 * plain DIR, sorted as GNU parallel sorts them (by their leading number,
 * as perl reads one, then byte by byte); a column with no name, or an
 * empty one, is named by its number.
 */
void		 results_set_names(struct results *, const struct arg *names,
		    size_t n);

/* The path of the last failure. */
const char	*results_culprit(const struct results *);

/* The table that spec names (owned by the results), or NULL. */
struct results_table *results_get_table(const struct results *);

/* The directory of the temporary files. */
const char	*results_tmpdir(const struct results *);

#endif

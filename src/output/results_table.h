/* SPDX-License-Identifier: ISC */
/*
 * results_table: --results NAME.csv, NAME.tsv or NAME.json (the suffix in
 * any case): one table in place of the jobs' output, written as GNU
 * parallel 20221122 writes it.  "-.csv", "-.tsv" and "-.json" (exactly)
 * are standard output.
 *
 * CSV and TSV: a header line, then one line per job, the fields
 *
 *	Seq Host Starttime JobRuntime Send Receive Exitval Signal Command
 *	V1 ... Vn Stdout Stderr
 *
 * separated by ',' or TAB.  A field holding a space, \t, \n, \v, \f, \r,
 * NUL, '"' or the separator is put in double quotes, with each '"'
 * doubled; no other byte is changed.  The header's V names come from the
 * first row written (its number of values); with --header they are the
 * names given (results_table_set_names()), a value without a name having
 * no column in the header, else V1, V2...
 *
 * JSON: one object per line, no header:
 *
 *	{ "Seq": 1, "Host": ":", "Starttime": 1.000, "JobRuntime": 0.000,
 *	"Send": 0, "Receive": 2, "Exitval": 0, "Signal": 0, "Command":
 *	"echo a", "V": [ "a" ], "Stdout": "a\u000a", "Stderr": "" }
 *
 * (on one line), the values of V separated by a bare ','.  In strings '\'
 * is "\\", '"' is "\"" and bytes below 0x20 are \u00XX (lower-case hex);
 * other bytes are written as they are.
 *
 * Starttime and JobRuntime are those of the job log; Send is 0.  A tag
 * (--tag, --tagstring) goes before each line of the output and after
 * each '\r' in it.
 *
 * Only the main thread uses a table.
 */
#ifndef PARX_RESULTS_TABLE_H
#define PARX_RESULTS_TABLE_H

#include <stddef.h>

#include "arg.h"

struct buf;
struct job;
struct results_table;
struct sys_stop;

/*
 * Whether a --results name asks for a table: 1 (and the table made, in
 * *out) when it ends in .csv, .tsv or .json, else 0.
 */
int		 results_table_new(const char *spec,
		    struct results_table **out);
void		 results_table_free(struct results_table *);

/*
 * Create (or empty) the table's file, or take standard output.  A write
 * to the file that blocks (a FIFO) gives up on stop (see sys_write_all();
 * NULL: never).  Returns 0, or -1 with errno.
 */
int		 results_table_open(struct results_table *,
		    const struct sys_stop *stop);

/* The table's name, as given. */
const char	*results_table_path(const struct results_table *);

/* 1 when the table goes to standard output. */
int		 results_table_stdout(const struct results_table *);

/*
 * --header: the names of the value columns, not copied: they must stay
 * until the table is freed or other names are given (results.h keeps
 * them).
 */
void		 results_table_set_names(struct results_table *,
		    const struct arg *names, size_t n);

/*
 * Append to head the fields of finished job j that come before its
 * output, in the table's format.
 */
void		 results_table_head(const struct results_table *,
		    const struct job *j, struct buf *head);

/*
 * Append to row the whole line of a job: the header line first, when no
 * row came before; then head (from results_table_head(), for a job of
 * nvals values), its stdout out[0] and its stderr out[1], with tag (of
 * taglen bytes; 0: none) in front of every line and after every '\r'.
 */
void		 results_table_row(struct results_table *,
		    const struct buf *head, size_t nvals, const char *tag,
		    size_t taglen, const struct buf *out, struct buf *row);

/*
 * Write a row to the table's file (not standard output: the caller
 * writes that).  A row that cannot be written whole is taken back, so
 * the file holds whole rows.  Returns 0, or -1 with errno.
 */
int		 results_table_put(struct results_table *, const char *row,
		    size_t len);

#endif

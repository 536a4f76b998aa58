/* SPDX-License-Identifier: ISC */
/*
 * The --results table (CSV, TSV or JSON): quoting the fields, the header
 * line, and writing rows so that the file only ever holds whole ones.
 */
#include "results_table.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "buf.h"
#include "job.h"
#include "joblog.h"
#include "sys.h"
#include "xalloc.h"

enum results_table_kind {
	TABLE_CSV,
	TABLE_TSV,
	TABLE_JSON
};

struct results_table {
	char			*path;
	enum results_table_kind	 kind;
	char			 sep;		/* CSV and TSV */
	int			 to_stdout;
	int			 fd;		/* the file's; -1 for stdout */
	off_t			 size;		/* its whole rows */
	int			 header_done;
	const struct sys_stop	*stop;		/* give up a blocked write */
	const struct arg	*names;		/* --header; not owned */
	size_t			 nnames;
};

/* Whether spec ends in suffix, in any case. */
static int
table_suffix(const char *spec, const char *suffix)
{
	size_t n = strlen(spec), k = strlen(suffix);

	return n >= k && strcasecmp(spec + n - k, suffix) == 0;
}

/* A table, when spec names one. */
int
results_table_new(const char *spec, struct results_table **out)
{
	struct results_table *t;
	enum results_table_kind kind;

	*out = NULL;
	if (table_suffix(spec, ".csv"))
		kind = TABLE_CSV;
	else if (table_suffix(spec, ".tsv"))
		kind = TABLE_TSV;
	else if (table_suffix(spec, ".json"))
		kind = TABLE_JSON;
	else
		return 0;
	t = xcalloc(1, sizeof(*t));
	t->path = xstrdup(spec);
	t->kind = kind;
	t->sep = kind == TABLE_TSV ? '\t' : ',';
	/* Only these exact names; "-.CSV" is a file. */
	t->to_stdout = strcmp(spec, "-.csv") == 0 ||
	    strcmp(spec, "-.tsv") == 0 || strcmp(spec, "-.json") == 0;
	t->fd = -1;
	*out = t;
	return 1;
}

/* Free the table, closing its file. */
void
results_table_free(struct results_table *t)
{
	if (t == NULL)
		return;
	if (t->fd >= 0)
		close(t->fd);
	free(t->path);
	free(t);
}

/* Create the file. */
int
results_table_open(struct results_table *t, const struct sys_stop *stop)
{
	t->stop = stop;
	if (t->to_stdout)
		return 0;
	/* O_APPEND: after a row is taken back, the next one goes at the end. */
	t->fd = open(t->path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND |
	    O_CLOEXEC, 0666);
	return t->fd == -1 ? -1 : 0;
}

/* The name given. */
const char *
results_table_path(const struct results_table *t)
{
	return t->path;
}

/* Whether the table is standard output. */
int
results_table_stdout(const struct results_table *t)
{
	return t->to_stdout;
}

/* Use the --header names, in place of any given before. */
void
results_table_set_names(struct results_table *t, const struct arg *names,
    size_t n)
{
	t->names = names;
	t->nnames = n;
}

/* Append one CSV or TSV field, in double quotes when it needs them. */
static void
table_add_field(const struct results_table *t, struct buf *b,
    const char *s, size_t len)
{
	const char *q, *end = s + len;
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] == '"' || s[i] == t->sep || s[i] == ' ' ||
		    s[i] == '\0' || (s[i] >= '\t' && s[i] <= '\r'))
			break;
	if (i == len) {
		buf_add(b, s, len);
		return;
	}
	buf_addch(b, '"');
	while ((q = memchr(s, '"', (size_t)(end - s))) != NULL) {
		buf_add(b, s, (size_t)(q - s) + 1);
		buf_addch(b, '"');
		s = q + 1;
	}
	buf_add(b, s, (size_t)(end - s));
	buf_addch(b, '"');
}

/* Append the inside of a JSON string. */
static void
table_add_json(struct buf *b, const char *s, size_t len)
{
	char esc[8];
	size_t i, from = 0;
	unsigned char c;

	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		buf_add(b, s + from, i - from);
		if (c < 0x20) {
			snprintf(esc, sizeof(esc), "\\u%04x", c);
			buf_add(b, esc, 6);
		} else {
			buf_addch(b, '\\');
			buf_addch(b, c);
		}
		from = i + 1;
	}
	buf_add(b, s + from, len - from);
}

/* The fields before the output, as JSON. */
static void
table_head_json(const struct joblog_rec *lr, const struct job *j,
    struct buf *head)
{
	char num[256], start[32], rt[32];
	size_t i;

	joblog_times(lr, start, rt);
	snprintf(num, sizeof(num), "{ \"Seq\": %llu, \"Host\": \"", lr->seq);
	buf_addstr(head, num);
	table_add_json(head, lr->host ? lr->host : ":",
	    strlen(lr->host ? lr->host : ":"));
	snprintf(num, sizeof(num), "\", \"Starttime\": %s, \"JobRuntime\": "
	    "%s, \"Send\": 0, \"Receive\": %llu, \"Exitval\": %d, "
	    "\"Signal\": %d, \"Command\": \"", start, rt, lr->receive,
	    lr->exitval, lr->sig);
	buf_addstr(head, num);
	table_add_json(head, lr->cmd, lr->cmd_len);
	buf_addstr(head, "\", \"V\": [ ");
	for (i = 0; i < j->nargs; i++) {
		buf_addstr(head, i ? ",\"" : "\"");
		table_add_json(head, j->args[i].s, j->args[i].len);
		buf_addch(head, '"');
	}
	buf_addstr(head, " ], \"Stdout\": \"");
}

/* The fields of finished job j before its output. */
void
results_table_head(const struct results_table *t, const struct job *j,
    struct buf *head)
{
	struct joblog_rec lr;
	char num[160], start[32], rt[32];
	const char *host;
	size_t i;

	joblog_rec_init(&lr, j);
	if (t->kind == TABLE_JSON) {
		table_head_json(&lr, j, head);
		return;
	}
	joblog_times(&lr, start, rt);
	snprintf(num, sizeof(num), "%llu%c", lr.seq, t->sep);
	buf_addstr(head, num);
	host = lr.host ? lr.host : ":";
	table_add_field(t, head, host, strlen(host));
	snprintf(num, sizeof(num), "%c%s%c%s%c0%c%llu%c%d%c%d%c", t->sep,
	    start, t->sep, rt, t->sep, t->sep, lr.receive, t->sep, lr.exitval,
	    t->sep, lr.sig, t->sep);
	buf_addstr(head, num);
	table_add_field(t, head, lr.cmd, lr.cmd_len);
	buf_addch(head, t->sep);
	for (i = 0; i < j->nargs; i++) {
		table_add_field(t, head, j->args[i].s, j->args[i].len);
		buf_addch(head, t->sep);
	}
}

/* The CSV or TSV header line, for rows of nvals values. */
static void
table_header(const struct results_table *t, size_t nvals, struct buf *row)
{
	static const char *const fixed[] = { "Seq", "Host", "Starttime",
	    "JobRuntime", "Send", "Receive", "Exitval", "Signal", "Command" };
	char v[32];
	size_t i;

	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		buf_addstr(row, fixed[i]);
		buf_addch(row, t->sep);
	}
	for (i = 0; i < nvals; i++) {
		/* A value without a name has no column, as in GNU parallel. */
		if (t->names && i >= t->nnames)
			break;
		if (t->names) {
			table_add_field(t, row, t->names[i].s,
			    t->names[i].len);
		} else {
			snprintf(v, sizeof(v), "V%zu", i + 1);
			buf_addstr(row, v);
		}
		buf_addch(row, t->sep);
	}
	buf_addstr(row, "Stdout");
	buf_addch(row, t->sep);
	buf_addstr(row, "Stderr\n");
}

/*
 * Put tag in front of every line of p, and after every '\r', as GNU
 * parallel tags the output it keeps for a table (its --tag on a terminal
 * treats '\r' otherwise).  No output, no tag.
 */
static void
table_tag(struct buf *b, const char *p, size_t len, const char *tag,
    size_t taglen)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (i == 0 || p[i - 1] == '\n')
			buf_add(b, tag, taglen);
		buf_addch(b, p[i]);
		if (p[i] == '\r')
			buf_add(b, tag, taglen);
	}
}

/* A job's whole row. */
void
results_table_row(struct results_table *t, const struct buf *head,
    size_t nvals, const char *tag, size_t taglen, const struct buf *out,
    struct buf *row)
{
	struct buf tagged[2] = { BUF_INIT, BUF_INIT };
	const char *p[2];
	size_t len[2];
	int i;

	for (i = 0; i < 2; i++) {
		p[i] = out[i].len ? out[i].data : "";
		len[i] = out[i].len;
		if (taglen && len[i]) {
			table_tag(&tagged[i], p[i], len[i], tag, taglen);
			p[i] = tagged[i].data;
			len[i] = tagged[i].len;
		}
	}
	if (t->kind == TABLE_JSON) {
		buf_add(row, head->data, head->len);
		table_add_json(row, p[0], len[0]);
		buf_addstr(row, "\", \"Stderr\": \"");
		table_add_json(row, p[1], len[1]);
		buf_addstr(row, "\" }\n");
	} else {
		if (!t->header_done)
			table_header(t, nvals, row);
		t->header_done = 1;
		buf_add(row, head->data, head->len);
		table_add_field(t, row, p[0], len[0]);
		buf_addch(row, t->sep);
		table_add_field(t, row, p[1], len[1]);
		buf_addch(row, '\n');
	}
	buf_release(&tagged[0]);
	buf_release(&tagged[1]);
}

/* Write a row to the file, whole or not at all. */
int
results_table_put(struct results_table *t, const char *row, size_t len)
{
	int e;

	if (sys_write_all(t->fd, row, len, t->stop) == 0) {
		t->size += (off_t)len;
		return 0;
	}
	e = errno;
	/* Take back what was written, header line included. */
	if (ftruncate(t->fd, t->size) == 0 && t->size == 0)
		t->header_done = 0;
	errno = e;
	return -1;
}

/* SPDX-License-Identifier: ISC */
/*
 * Output files for --results and --files: naming them from the job's
 * arguments, making their directories, creating them.
 */
#include "results.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "job.h"
#include "results_table.h"
#include "sys.h"
#include "tmpl.h"
#include "xalloc.h"

/* The longest name of one directory entry we make. */
#define RESULTS_NAME_MAX	255

struct results {
	char		*spec;		/* NULL: --files in a temporary dir */
	char		*tmpdir;
	int		 files;		/* --files */
	struct results_table *table;	/* spec names a table, or NULL */
	struct tmpl	*tmpl;
	struct arg	*names;		/* --header: owned, with bytes */
	size_t		 nnames;
	struct buf	 path;
	struct buf	 name;
	char		*culprit;
};

static void	results_forget_names(struct results *);

/* Set up. */
struct results *
results_new(const char *spec, const char *tmpdir, int files,
    const struct tmpl_opts *opts, char **err)
{
	struct results *res = xcalloc(1, sizeof(*res));
	struct tmpl_opts to;
	char *words[1];

	buf_init(&res->path);
	buf_init(&res->name);
	if (tmpdir == NULL || *tmpdir == '\0')
		tmpdir = getenv("TMPDIR");
	res->tmpdir = xstrdup(tmpdir && *tmpdir ? tmpdir : "/tmp");
	res->files = files;
	if (spec == NULL)
		return res;
	res->spec = xstrdup(spec);
	if (results_table_new(spec, &res->table))
		return res;
	to = *opts;
	to.flags = TMPL_NO_APPEND | TMPL_NO_PERL;
	words[0] = res->spec;
	res->tmpl = tmpl_parse(words, 1, &to, err);
	if (res->tmpl == NULL) {
		results_free(res);
		return NULL;
	}
	return res;
}

/* Free. */
void
results_free(struct results *res)
{
	if (res == NULL)
		return;
	if (res->tmpl)
		tmpl_free(res->tmpl);
	results_table_free(res->table);
	results_forget_names(res);
	buf_release(&res->path);
	buf_release(&res->name);
	free(res->spec);
	free(res->tmpdir);
	free(res->culprit);
	free(res);
}

static void
results_forget_names(struct results *res)
{
	size_t i;

	for (i = 0; i < res->nnames; i++)
		free((char *)res->names[i].s);
	free(res->names);
	res->names = NULL;
	res->nnames = 0;
}

/* Keep the --header names, for the table or the directory levels. */
void
results_set_names(struct results *res, const struct arg *names, size_t n)
{
	size_t i;

	if (res->table)
		results_table_set_names(res->table, NULL, 0);
	results_forget_names(res);
	res->names = xreallocarray(NULL, n ? n : 1, sizeof(*res->names));
	for (i = 0; i < n; i++) {
		res->names[i].s = xmemdupz(names[i].s, names[i].len);
		res->names[i].len = names[i].len;
	}
	res->nnames = n;
	if (res->table)
		results_table_set_names(res->table, res->names, n);
}

static void
results_blame(struct results *res, const char *path)
{
	int e = errno;

	free(res->culprit);
	res->culprit = xstrdup(path);
	errno = e;
}

/* The path of the last failure. */
const char *
results_culprit(const struct results *res)
{
	return res->culprit ? res->culprit : "";
}

/* The table, if any. */
struct results_table *
results_get_table(const struct results *res)
{
	return res->table;
}

/* Where the temporary files go. */
const char *
results_tmpdir(const struct results *res)
{
	return res->tmpdir;
}

/* mkdir -p of the first len bytes of path. */
static int
results_mkdirs(struct results *res, const char *path, size_t len)
{
	size_t bad;
	char *p;
	int e;

	if (sys_mkdirs(path, len, &bad) == 0)
		return 0;
	e = errno;
	p = xmemdupz(path, bad);
	results_blame(res, p);
	free(p);
	errno = e;
	return -1;
}

/* Append one value as a directory name. */
static void
results_add_value(struct buf *b, const char *s, size_t len)
{
	size_t start = b->len, i;

	if (len == 0) {
		buf_addstr(b, "\\e");
		return;
	}
	if ((len == 1 && s[0] == '.') || (len == 2 && s[0] == '.' &&
	    s[1] == '.')) {
		buf_addstr(b, len == 1 ? "\\." : "\\.\\.");
		return;
	}
	for (i = 0; i < len; i++) {
		switch (s[i]) {
		case '\\':
			buf_addstr(b, "\\\\");
			break;
		case '\t':
			buf_addstr(b, "\\t");
			break;
		case '\0':
			buf_addstr(b, "\\0");
			break;
		case '/':
			buf_addstr(b, "\\_");
			break;
		default:
			buf_addch(b, s[i]);
		}
		if (b->len - start >= RESULTS_NAME_MAX)
			break;
	}
	if (b->len - start > RESULTS_NAME_MAX) {
		/* Cut at the limit, but never in the middle of an escape. */
		b->len = start + RESULTS_NAME_MAX;
		for (i = start; i < b->len; i++)
			if (b->data[i] == '\\')
				i++;
		if (i > b->len)
			b->len--;
		b->data[b->len] = '\0';
	}
}

/* A directory level: the name of a value's column, and the value. */
struct results_level {
	const char	*name;
	size_t		 len;
	double		 num;		/* the name as a number, as perl reads it */
	size_t		 col;		/* from 0 */
	const struct arg *val;
};

/*
 * The number at the start of s, as perl reads a string as a number:
 * blanks, a sign, digits with a fraction and an exponent; 0 when none.
 */
static double
results_name_num(const char *s, size_t len)
{
	char tmp[64];
	size_t i = 0, n;

	while (i < len && isspace((unsigned char)s[i]))
		i++;
	n = strspn(s + i, "+-0123456789.eE");
	if (n > len - i)
		n = len - i;
	if (n == 0 || n >= sizeof(tmp))
		return 0;
	memcpy(tmp, s + i, n);
	tmp[n] = '\0';
	return strtod(tmp, NULL);
}

/* GNU parallel's order of the levels: by number, then by name. */
static int
results_level_cmp(const void *a, const void *b)
{
	const struct results_level *x = a, *y = b;
	int c;

	if (x->num != y->num)
		return x->num < y->num ? -1 : 1;
	c = memcmp(x->name, y->name, x->len < y->len ? x->len : y->len);
	if (c != 0)
		return c;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return x->col < y->col ? -1 : x->col > y->col;
}

/*
 * The levels of one tuple of n values under --header: each value under
 * its column's name (its number when the header gave none), the levels
 * sorted by name as GNU parallel sorts them.
 */
static void
results_add_named(struct results *res, const struct arg *vals, size_t n)
{
	struct results_level *lv = xreallocarray(NULL, n ? n : 1,
	    sizeof(*lv));
	char *nums = xmalloc(n * 24 + 1), *p = nums;
	size_t i;

	for (i = 0; i < n; i++) {
		lv[i].col = i;
		lv[i].val = &vals[i];
		if (i < res->nnames && res->names[i].len > 0) {
			lv[i].name = res->names[i].s;
			lv[i].len = res->names[i].len;
		} else {
			lv[i].name = p;
			lv[i].len = (size_t)sprintf(p, "%zu", i + 1);
			p += lv[i].len + 1;
		}
		lv[i].num = results_name_num(lv[i].name, lv[i].len);
	}
	qsort(lv, n, sizeof(*lv), results_level_cmp);
	for (i = 0; i < n; i++) {
		buf_addch(&res->path, '/');
		results_add_value(&res->path, lv[i].name, lv[i].len);
		buf_addch(&res->path, '/');
		results_add_value(&res->path, lv[i].val->s, lv[i].val->len);
	}
	free(nums);
	free(lv);
}

/*
 * Build the job's directory (ending in '/') or stdout file name in
 * res->path; return 1 for a directory.
 */
static int
results_name(struct results *res, const struct job *j)
{
	struct tmpl_ctx ctx;
	size_t i, tuple = j->tuple ? j->tuple : j->nargs;

	buf_reset(&res->path);
	ctx.args = j->args;
	ctx.nargs = j->nargs;
	ctx.seq = j->seq;
	ctx.slot = j->slot;
	tmpl_expand(res->tmpl, &ctx, 0, &res->path);
	if (strcmp(res->path.data ? res->path.data : "", res->spec) != 0)
		return res->path.len && res->path.data[res->path.len - 1] ==
		    '/';
	/*
	 * A plain directory: for each value, one level for its column (the
	 * source's number, or with --header its name), one for the value;
	 * a job of several tuples (-N, -X) has the levels of each in turn.
	 */
	buf_reset(&res->path);
	buf_addstr(&res->path, res->spec);
	for (i = 0; i < j->nargs; i += tuple) {
		size_t k, n = j->nargs - i < tuple ? j->nargs - i : tuple;

		if (res->names) {
			results_add_named(res, j->args + i, n);
			continue;
		}
		for (k = 0; k < n; k++) {
			char num[32];

			snprintf(num, sizeof(num), "/%zu/", k + 1);
			buf_addstr(&res->path, num);
			results_add_value(&res->path, j->args[i + k].s,
			    j->args[i + k].len);
		}
	}
	buf_addch(&res->path, '/');
	return 1;
}

/* Make a directory for the results, or try the temporary directory. */
int
results_check(struct results *res)
{
	struct tmpl_ctx ctx;
	const char *slash;
	int fd;

	if (res->spec == NULL || res->table) {
		fd = sys_tmpfile(res->tmpdir);
		if (fd == -1) {
			results_blame(res, res->tmpdir);
			return -1;
		}
		close(fd);
		return 0;
	}
	/* The part before the first replacement string, up to a '/'. */
	memset(&ctx, 0, sizeof(ctx));
	buf_reset(&res->path);
	tmpl_expand(res->tmpl, &ctx, 0, &res->path);
	if (strcmp(res->path.data ? res->path.data : "", res->spec) == 0)
		return results_mkdirs(res, res->spec, strlen(res->spec));
	slash = strrchr(res->spec, '/');
	if (slash == NULL || slash == res->spec || memchr(res->spec, '{',
	    (size_t)(slash - res->spec)))
		return 0;
	return results_mkdirs(res, res->spec, (size_t)(slash - res->spec));
}

static int
results_create(struct results *res, const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);

	if (fd == -1)
		results_blame(res, path);
	return fd;
}

/* Write the seq file. */
static int
results_write_seq(struct results *res, const char *path,
    unsigned long long seq)
{
	char num[32];
	int fd, n, e;

	fd = results_create(res, path);
	if (fd == -1)
		return -1;
	n = snprintf(num, sizeof(num), "%llu", seq);
	if (write(fd, num, (size_t)n) != n) {
		if (errno == 0)
			errno = ENOSPC;
		e = errno;
		close(fd);
		results_blame(res, path);
		errno = e;
		return -1;
	}
	if (close(fd) == -1) {
		results_blame(res, path);
		return -1;
	}
	return 0;
}

static int
results_open_tmp(struct results *res, int fd[2], char **path)
{
	fd[0] = sys_named_tmpfile(res->tmpdir, "parx", ".par", path);
	if (fd[0] == -1) {
		results_blame(res, res->tmpdir);
		return -1;
	}
	fd[1] = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (fd[1] == -1) {
		int e = errno;

		close(fd[0]);
		unlink(*path);
		free(*path);
		*path = NULL;
		errno = e;
		results_blame(res, "/dev/null");
		return -1;
	}
	return 0;
}

/* A table's job: two anonymous files, read back when its row is made. */
static int
results_open_anon(struct results *res, int fd[2])
{
	int i, e;

	for (i = 0; i < 2; i++) {
		fd[i] = sys_tmpfile(res->tmpdir);
		if (fd[i] == -1) {
			e = errno;
			if (i)
				close(fd[0]);
			fd[0] = -1;
			errno = e;
			results_blame(res, res->tmpdir);
			return -1;
		}
	}
	return 0;
}

/* Create a job's files. */
int
results_open(struct results *res, const struct job *j, int fd[2],
    char **path)
{
	struct buf *n = &res->name;
	const char *suffix[3];
	size_t base;
	int dir, e;

	fd[0] = fd[1] = -1;
	*path = NULL;
	if (res->spec == NULL || (res->table && res->files))
		return results_open_tmp(res, fd, path);
	if (res->table)
		return results_open_anon(res, fd);

	dir = results_name(res, j);
	if (dir) {
		if (results_mkdirs(res, res->path.data, res->path.len) == -1)
			return -1;
		suffix[0] = "stdout";
		suffix[1] = "stderr";
		suffix[2] = "seq";
	} else {
		const char *slash = strrchr(res->path.data, '/');

		if (slash && slash != res->path.data && results_mkdirs(res,
		    res->path.data, (size_t)(slash - res->path.data)) == -1)
			return -1;
		suffix[0] = "";
		suffix[1] = ".err";
		suffix[2] = ".seq";
	}
	buf_reset(n);
	buf_add(n, res->path.data, res->path.len);
	base = n->len;

	/* Until the job has finished, no seq file says it has. */
	buf_addstr(n, suffix[2]);
	if (unlink(n->data) == -1 && errno != ENOENT) {
		results_blame(res, n->data);
		return -1;
	}
	n->len = base;
	buf_addstr(n, suffix[1]);
	fd[1] = results_create(res, n->data);
	if (fd[1] == -1)
		return -1;
	n->len = base;
	buf_addstr(n, suffix[0]);
	fd[0] = results_create(res, n->data);
	if (fd[0] == -1) {
		e = errno;
		close(fd[1]);
		fd[1] = -1;
		errno = e;
		return -1;
	}
	*path = xmemdupz(n->data, n->len);
	return 0;
}

/* The name of job j's seq file, in res->path. */
static void
results_seq_name(struct results *res, const struct job *j)
{
	buf_addstr(&res->path, results_name(res, j) ? "seq" : ".seq");
}

/* A job has finished: write its seq file. */
int
results_done(struct results *res, const struct job *j)
{
	if (res->spec == NULL || res->table)
		return 0;
	results_seq_name(res, j);
	return results_write_seq(res, res->path.data, j->seq);
}

/* Whether a job has finished in an earlier run. */
int
results_exists(struct results *res, const struct job *j)
{
	struct stat st;

	if (res->spec == NULL || res->table)
		return 0;
	results_seq_name(res, j);
	return stat(res->path.data, &st) == 0 && S_ISREG(st.st_mode);
}

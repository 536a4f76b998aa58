/* SPDX-License-Identifier: ISC */
/*
 * The working directory of local jobs (--workdir, --wd): expanding it for
 * each job, making it, and removing a fresh one (...) once the job is over.
 */
#include "workdir.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "job.h"
#include "sys.h"
#include "tmpl.h"
#include "xalloc.h"

struct workdir {
	struct tmpl	*tmpl;		/* DIR; NULL for . and ... */
	int		 fresh;		/* ... */
	char		 host[256];
	struct buf	 b;
	char		*culprit;
};

/* Set up. */
struct workdir *
workdir_new(const char *spec, const struct tmpl_opts *opts, char **err)
{
	struct workdir *wd = xcalloc(1, sizeof(*wd));
	struct tmpl_opts to = *opts;
	char *words[1];

	buf_init(&wd->b);
	if (gethostname(wd->host, sizeof(wd->host) - 1) == -1)
		strcpy(wd->host, "parx");
	if (strcmp(spec, "...") == 0) {
		wd->fresh = 1;
		return wd;
	}
	if (strcmp(spec, ".") == 0)
		return wd;
	to.flags = TMPL_NO_APPEND | TMPL_NO_PERL;
	words[0] = (char *)spec;
	if ((wd->tmpl = tmpl_parse(words, 1, &to, err)) == NULL) {
		workdir_free(wd);
		return NULL;
	}
	return wd;
}

/* Free. */
void
workdir_free(struct workdir *wd)
{
	if (wd == NULL)
		return;
	tmpl_free(wd->tmpl);
	buf_release(&wd->b);
	free(wd->culprit);
	free(wd);
}

static void
workdir_blame(struct workdir *wd, const char *path, size_t len)
{
	int e = errno;

	free(wd->culprit);
	wd->culprit = xmemdupz(path, len);
	errno = e;
}

/* The job's directory, made. */
int
workdir_enter(struct workdir *wd, struct job *j)
{
	struct tmpl_ctx ctx = { j->args, j->nargs, j->seq, j->slot, NULL, 0 };
	const char *home;
	char tail[320];
	size_t bad;

	free(j->wd);
	j->wd = NULL;
	buf_reset(&wd->b);
	if (wd->fresh) {
		/* Where GNU parallel makes it: below the home directory. */
		home = getenv("HOME");
		buf_addstr(&wd->b, home && *home ? home : "/tmp");
		snprintf(tail, sizeof(tail), "/.parallel/tmp/%s-%ld-%llu",
		    wd->host, (long)getpid(), j->seq);
		buf_addstr(&wd->b, tail);
	} else if (wd->tmpl) {
		tmpl_expand(wd->tmpl, &ctx, 0, &wd->b);
	} else {
		/* --wd .: the job's OLDPWD is parx's directory (spawn.h). */
		buf_addch(&wd->b, '.');
	}
	if (wd->b.len == 0)
		return 0;
	if (sys_mkdirs(wd->b.data, wd->b.len, &bad) == -1) {
		workdir_blame(wd, wd->b.data, bad);
		return -1;
	}
	j->wd = xmemdupz(wd->b.data, wd->b.len);
	return 0;
}

/* The job is over. */
void
workdir_leave(struct workdir *wd, struct job *j)
{
	if (wd->fresh && j->wd != NULL)
		(void)sys_remove_tree(j->wd);
	free(j->wd);
	j->wd = NULL;
}

/* The path of the last failure. */
const char *
workdir_culprit(const struct workdir *wd)
{
	return wd->culprit ? wd->culprit : "";
}

/* SPDX-License-Identifier: ISC */
/*
 * The picture of a comparison, from the warm-up runs' --events files.
 */
#include "report.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "msg.h"
#include "plot.h"
#include "sys.h"
#include "xalloc.h"

struct report {
	const char	*path;		/* the picture */
	const char	*tmpdir;
	char		**events;	/* the runs' events files */
	char		**label;	/* "warm-up run at -j 4" */
	char		**option;	/* "--events=FILE" */
	const char	**mode;		/* "process", "thread" */
	size_t		 n;
};

/* A report. */
struct report *
report_new(const char *path, const char *tmpdir)
{
	struct report *rep;
	FILE *f;

	/* Made now, written at the end: a bad path fails before any run. */
	if ((f = fopen(path, "we")) == NULL || fclose(f) == EOF) {
		msg_error("cannot write '%s': %s", path, strerror(errno));
		return NULL;
	}
	rep = xcalloc(1, sizeof(*rep));
	rep->path = path;
	if (tmpdir == NULL || *tmpdir == '\0')
		tmpdir = getenv("TMPDIR");
	rep->tmpdir = tmpdir && *tmpdir ? tmpdir : "/tmp";
	return rep;
}

/* The --events option of one warm-up run. */
const char *
report_events_option(struct report *rep, const char *mode,
    unsigned long jobs)
{
	char *path, label[64];
	size_t len;
	int fd;

	fd = sys_named_tmpfile(rep->tmpdir, "parx-report-", ".jsonl", &path);
	if (fd == -1) {
		msg_error("cannot make a temporary file in '%s': %s",
		    rep->tmpdir, strerror(errno));
		return NULL;
	}
	close(fd);
	rep->events = xreallocarray(rep->events, rep->n + 1,
	    sizeof(*rep->events));
	rep->label = xreallocarray(rep->label, rep->n + 1,
	    sizeof(*rep->label));
	rep->option = xreallocarray(rep->option, rep->n + 1,
	    sizeof(*rep->option));
	rep->mode = xreallocarray(rep->mode, rep->n + 1, sizeof(*rep->mode));
	rep->mode[rep->n] = mode;
	if (jobs)
		snprintf(label, sizeof(label), "warm-up run at -j %lu", jobs);
	else
		snprintf(label, sizeof(label), "warm-up run");
	rep->label[rep->n] = xstrdup(label);
	len = strlen(path) + sizeof("--events=");
	rep->option[rep->n] = xmalloc(len);
	snprintf(rep->option[rep->n], len, "--events=%s", path);
	rep->events[rep->n] = path;
	return rep->option[rep->n++];
}

/* Mark the last run lost. */
void
report_lost(struct report *rep)
{
	char *old;
	size_t len;

	if (rep->n == 0)
		return;
	old = rep->label[rep->n - 1];
	len = strlen(old) + sizeof(" (lost)");
	rep->label[rep->n - 1] = xmalloc(len);
	snprintf(rep->label[rep->n - 1], len, "%s (lost)", old);
	free(old);
}

/* Draw the runs. */
int
report_write(struct report *rep, const char *title, const char *notes)
{
	return plot_main(rep->events, (const char *const *)rep->label,
	    rep->mode, rep->n, rep->path, title, notes);
}

/* Remove the files, free the report. */
void
report_free(struct report *rep)
{
	size_t i;

	if (rep == NULL)
		return;
	for (i = 0; i < rep->n; i++) {
		unlink(rep->events[i]);
		free(rep->events[i]);
		free(rep->label[i]);
		free(rep->option[i]);
	}
	free(rep->events);
	free(rep->label);
	free(rep->option);
	free(rep->mode);
	free(rep);
}

/* SPDX-License-Identifier: ISC */
/*
 * The picture of a comparison, from the warm-up runs' --events files.
 */
#include "report.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "msg.h"
#include "plot.h"
#include "sys.h"
#include "timeline.h"
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
report_write(struct report *rep, const char *title, const char *notes,
    const struct timeline_panel *panel)
{
	return plot_main(rep->events, (const char *const *)rep->label,
	    rep->mode, rep->n, rep->path, title, notes, panel);
}

/* The chart's geometry: the plot area inside its box. */
#define SP_X0	60.0
#define SP_W	420.0
#define SP_Y0	28.0
#define SP_H	150.0
#define SP_HEIGHT	(SP_Y0 + SP_H + 30)

static double
sp_x(size_t i, size_t n)
{
	return SP_X0 + (n > 1 ? SP_W * (double)i / (double)(n - 1) : SP_W / 2);
}

static double
sp_y(double v, double top)
{
	return SP_Y0 + SP_H - SP_H * v / top;
}

/* One mode's line and points (NaN: that level's runs were lost). */
static void
sp_line(FILE *f, const unsigned long *jobs, const double *sp, size_t n,
    double top, const char *colour, const char *mode)
{
	size_t i;

	fprintf(f, "<polyline fill=\"none\" stroke-width=\"2\" "
	    "stroke=\"%s\" points=\"", colour);
	for (i = 0; i < n; i++)
		if (sp[i] == sp[i])
			fprintf(f, "%.1f,%.1f ", sp_x(i, n), sp_y(sp[i], top));
	fputs("\"/>\n", f);
	for (i = 0; i < n; i++)
		if (sp[i] == sp[i])
			fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" "
			    "fill=\"%s\"><title>%s mode, -j %lu: speedup "
			    "%.2f</title></circle>\n", sp_x(i, n),
			    sp_y(sp[i], top), colour, mode, jobs[i], sp[i]);
}

/* The speedup chart of a sweep. */
char *
report_speedup_svg(const unsigned long *jobs, const double *process,
    const double *thread, size_t n, double *height)
{
	char *text = NULL;
	size_t len = 0, i;
	double top = 1, ideal;
	FILE *f;

	for (i = 0; i < n; i++) {
		ideal = (double)jobs[i] / (double)jobs[0];
		top = fmax(top, ideal);
		if (process[i] == process[i])
			top = fmax(top, process[i]);
		if (thread[i] == thread[i])
			top = fmax(top, thread[i]);
	}
	top = ceil(top * 1.1);
	if ((f = open_memstream(&text, &len)) == NULL)
		return NULL;
	fprintf(f, "<text x=\"0\" y=\"14\" font-size=\"13\" "
	    "font-weight=\"bold\">speedup over -j %lu (medians of the "
	    "measured runs)</text>\n", jobs[0]);
	fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
	    "height=\"%.1f\" fill=\"#f4f5f7\"/>\n", SP_X0, SP_Y0, SP_W, SP_H);
	for (i = 0; i <= 2; i++)
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" "
		    "text-anchor=\"end\">%g</text>\n", SP_X0 - 6,
		    sp_y(top * (double)i / 2, top) + 4, top * (double)i / 2);
	for (i = 0; i < n; i++)
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" "
		    "text-anchor=\"middle\">-j %lu</text>\n", sp_x(i, n),
		    SP_Y0 + SP_H + 16, jobs[i]);
	/* The ideal: speedup in proportion to the job slots. */
	fputs("<polyline fill=\"none\" stroke=\"#888\" stroke-width=\"1\" "
	    "stroke-dasharray=\"4 3\" points=\"", f);
	for (i = 0; i < n; i++)
		fprintf(f, "%.1f,%.1f ", sp_x(i, n), sp_y((double)jobs[i] /
		    (double)jobs[0], top));
	fputs("\"/>\n", f);
	sp_line(f, jobs, process, n, top, "#4477aa", "process");
	sp_line(f, jobs, thread, n, top, "#ee7733", "thread");
	fprintf(f, "<g font-size=\"12\">"
	    "<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"3\" "
	    "fill=\"#4477aa\"/><text x=\"%.1f\" y=\"%.1f\">process mode</text>"
	    "<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"3\" "
	    "fill=\"#ee7733\"/><text x=\"%.1f\" y=\"%.1f\">thread mode</text>"
	    "<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"1\" "
	    "fill=\"#888\"/><text x=\"%.1f\" y=\"%.1f\">ideal (in proportion "
	    "to -j)</text></g>\n",
	    SP_X0 + SP_W + 30, SP_Y0 + 10, SP_X0 + SP_W + 50, SP_Y0 + 14,
	    SP_X0 + SP_W + 30, SP_Y0 + 30, SP_X0 + SP_W + 50, SP_Y0 + 34,
	    SP_X0 + SP_W + 30, SP_Y0 + 50, SP_X0 + SP_W + 50, SP_Y0 + 54);
	if (fclose(f) == EOF) {
		free(text);
		return NULL;
	}
	*height = SP_HEIGHT;
	return text;
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

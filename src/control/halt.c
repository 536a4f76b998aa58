/* SPDX-License-Identifier: ISC */
/*
 * The --halt rules: parsing the value, counting finished jobs against the
 * condition, and the exit status GNU parallel gives in each case.
 */
#include "halt.h"

#include <stdlib.h>
#include <string.h>

#include "job.h"
#include "msg.h"

/* A whole number of 1..9 digits, at least 1, or -1. */
static long
halt_number(const char *p, const char *end)
{
	long v = 0;

	if (p == end || end - p > 9)
		return -1;
	for (; p < end; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		v = v * 10 + (*p - '0');
	}
	return v >= 1 ? v : -1;
}

/* Parse "N" or "N%" into the count or the percentage of spec. */
static int
halt_parse_amount(const char *p, struct halt_spec *spec)
{
	const char *end = p + strlen(p);
	long v;

	if (end > p && end[-1] == '%') {
		v = halt_number(p, end - 1);
		if (v < 1 || v > 100)
			return -1;
		spec->pct = (unsigned)v;
		spec->count = 0;
		return 0;
	}
	v = halt_number(p, end);
	if (v < 1)
		return -1;
	spec->count = (unsigned long)v;
	spec->pct = 0;
	return 0;
}

/* Parse a --halt value. */
int
halt_parse(const char *s, struct halt_spec *spec)
{
	static const struct {
		const char	*name;
		enum halt_when	 when;
		enum halt_why	 why;
	} shorts[] = {
		{ "0", HALT_NEVER, HALT_FAIL },
		{ "never", HALT_NEVER, HALT_FAIL },
		{ "1", HALT_SOON, HALT_FAIL },
		{ "2", HALT_NOW, HALT_FAIL },
		{ "-1", HALT_SOON, HALT_SUCCESS },
		{ "-2", HALT_NOW, HALT_SUCCESS },
	};
	const char *comma, *eq, *why;
	size_t i, wlen;

	memset(spec, 0, sizeof(*spec));
	for (i = 0; i < sizeof(shorts) / sizeof(shorts[0]); i++)
		if (strcmp(s, shorts[i].name) == 0) {
			spec->when = shorts[i].when;
			spec->why = shorts[i].why;
			spec->count = spec->when == HALT_NEVER ? 0 : 1;
			return 0;
		}
	if (*s && s[strlen(s) - 1] == '%' && strchr(s, ',') == NULL) {
		/* "N%" is soon,fail=N% */
		spec->when = HALT_SOON;
		spec->why = HALT_FAIL;
		return halt_parse_amount(s, spec);
	}

	comma = strchr(s, ',');
	if (comma == NULL)
		return -1;
	if ((size_t)(comma - s) == 4 && strncmp(s, "soon", 4) == 0)
		spec->when = HALT_SOON;
	else if ((size_t)(comma - s) == 3 && strncmp(s, "now", 3) == 0)
		spec->when = HALT_NOW;
	else
		return -1;
	why = comma + 1;
	eq = strchr(why, '=');
	if (eq == NULL)
		return -1;
	wlen = (size_t)(eq - why);
	if (wlen == 4 && strncmp(why, "fail", 4) == 0)
		spec->why = HALT_FAIL;
	else if (wlen == 7 && strncmp(why, "success", 7) == 0)
		spec->why = HALT_SUCCESS;
	else if (wlen == 4 && strncmp(why, "done", 4) == 0)
		spec->why = HALT_DONE;
	else
		return -1;
	return halt_parse_amount(eq + 1, spec);
}

/* Start counting. */
void
halt_init(struct halt *h, const struct halt_spec *spec)
{
	memset(h, 0, sizeof(*h));
	h->spec = *spec;
}

/* Whether the rule needs the number of jobs. */
int
halt_needs_total(const struct halt *h)
{
	return h->spec.when != HALT_NEVER && h->spec.pct != 0;
}

/* ceil(100 * part / whole), for whole > 0. */
static int
halt_percent(unsigned long long part, unsigned long long whole)
{
	if (whole == 0)
		whole = 1;
	return (int)((part * 100 + whole - 1) / whole);
}

/* A job's status as a shell reports it. */
static int
halt_job_status(const struct job *j)
{
	int v = job_exitval(j);

	if (v != 0)
		return v & 0xff;	/* -1 (timed out) reads 255 */
	return job_signal(j) ? 128 + job_signal(j) : 0;
}

/* Count a finished job. */
enum halt_when
halt_job_done(struct halt *h, const struct job *j, unsigned long long total)
{
	unsigned long long limit;
	int failed = job_failed(j);
	const char *what;

	if (h->spec.when == HALT_NEVER)
		return HALT_NEVER;
	h->ndone++;
	if (failed)
		h->nfailed++;
	switch (h->spec.why) {
	case HALT_FAIL:
		if (!failed)
			return HALT_NEVER;
		what = "failed";
		limit = h->nfailed;
		break;
	case HALT_SUCCESS:
		if (failed)
			return HALT_NEVER;
		what = "succeeded";
		limit = h->ndone - h->nfailed;
		break;
	default:
		what = "finished";
		limit = h->ndone;
		break;
	}
	msg_error("this job %s: %.*s", what, (int)j->cmd_len, j->cmd);
	if (h->met)
		return HALT_NEVER;
	if (h->spec.pct ? limit * 100 < total * h->spec.pct :
	    limit < h->spec.count)
		return HALT_NEVER;

	h->met = 1;
	if (h->spec.why == HALT_SUCCESS)
		h->status = 0;
	else if (h->spec.pct)
		h->status = halt_percent(h->nfailed, total);
	else if (h->spec.count == 1)
		h->status = halt_job_status(j);
	else
		h->status = h->nfailed > 100 ? 101 : (int)h->nfailed;
	return h->spec.when;
}

/* The exit status by the halt rules. */
int
halt_status(const struct halt *h, unsigned long long started,
    unsigned long long nfailed, int *status)
{
	if (h->spec.when == HALT_NEVER)
		return 0;
	if (h->met)
		*status = h->status;
	else if (h->spec.pct)
		*status = halt_percent(nfailed, started);
	else
		*status = nfailed > 100 ? 101 : (int)nfailed;
	return 1;
}

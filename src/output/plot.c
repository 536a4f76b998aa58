/* SPDX-License-Identifier: ISC */
/*
 * The timeline of a saved --events file.  The file is read twice: once
 * to check every line and find where the time axis starts (the earliest
 * start) and how long it is, then to add the jobs to the timeline, whose
 * memory stays bounded (timeline.h).  A file that cannot be read twice (a
 * pipe) is first copied into a temporary file.
 *
 * Each line is one JSON object, parsed here in full (strings with their
 * escapes, numbers, nested values skipped), so that a damaged line is
 * reported with its number instead of drawn wrong.
 */
#include "plot.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "msg.h"
#include "sys.h"
#include "timeline.h"
#include "utf8.h"
#include "xalloc.h"

/* The fields of one event that the picture uses. */
struct plot_event {
	struct timeline_job	 tj;
	double			 at;		/* start, epoch seconds */
	char			 mode[16];
	unsigned		 have;		/* PLOT_HAVE_* */
	struct buf		 args;
};

#define PLOT_HAVE_SEQ		0x01
#define PLOT_HAVE_WORKER	0x02
#define PLOT_HAVE_START		0x04
#define PLOT_HAVE_RUNTIME	0x08
#define PLOT_HAVE_EXIT		0x10
#define PLOT_HAVE_SIGNAL	0x20
#define PLOT_HAVE_OUTCOME	0x40
#define PLOT_NEED		0x3f

/* A parse: where it is in the line, and what went wrong. */
struct plot_parse {
	const char		*p;
	const char		*end;
	const char		*why;		/* static text */
	struct buf		 s;		/* the last string */
};

static void
plot_ws(struct plot_parse *ps)
{
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' ||
	    *ps->p == '\r' || *ps->p == '\n'))
		ps->p++;
}

/* Fail with why; returns -1. */
static int
plot_fail(struct plot_parse *ps, const char *why)
{
	if (ps->why == NULL)
		ps->why = why;
	return -1;
}

/* Append code point cp to b as UTF-8. */
static void
plot_put_utf8(struct buf *b, unsigned long cp)
{
	char u[4];

	if (cp < 0x80) {
		buf_addch(b, (int)cp);
		return;
	}
	if (cp < 0x800) {
		u[0] = (char)(0xc0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3f));
		buf_add(b, u, 2);
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | cp >> 12);
		u[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		buf_add(b, u, 3);
	} else {
		u[0] = (char)(0xf0 | cp >> 18);
		u[1] = (char)(0x80 | (cp >> 12 & 0x3f));
		u[2] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		buf_add(b, u, 4);
	}
}

/* Four hex digits of a \u escape, or -1. */
static long
plot_hex4(struct plot_parse *ps)
{
	long v = 0;
	int i, c;

	if (ps->end - ps->p < 4)
		return -1;
	for (i = 0; i < 4; i++) {
		c = (unsigned char)*ps->p++;
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

/* One escape after the backslash, into ps->s. */
static int
plot_escape(struct plot_parse *ps)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *k;
	long cp, lo;

	if (ps->p == ps->end)
		return plot_fail(ps, "a string does not end");
	if (*ps->p != 'u') {
		k = strchr(from, *ps->p);
		if (k == NULL || *ps->p == '\0')
			return plot_fail(ps, "a bad escape in a string");
		buf_addch(&ps->s, to[k - from]);
		ps->p++;
		return 0;
	}
	ps->p++;
	if ((cp = plot_hex4(ps)) == -1)
		return plot_fail(ps, "a bad \\u escape in a string");
	if (cp >= 0xd800 && cp <= 0xdbff && ps->end - ps->p >= 6 &&
	    ps->p[0] == '\\' && ps->p[1] == 'u') {
		ps->p += 2;
		if ((lo = plot_hex4(ps)) == -1)
			return plot_fail(ps, "a bad \\u escape in a string");
		if (lo >= 0xdc00 && lo <= 0xdfff)
			cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
		else
			cp = 0xfffd;
	} else if (cp >= 0xd800 && cp <= 0xdfff) {
		cp = 0xfffd;	/* a lone surrogate */
	}
	plot_put_utf8(&ps->s, (unsigned long)cp);
	return 0;
}

/* A string, into ps->s. */
static int
plot_string(struct plot_parse *ps)
{
	size_t k;

	buf_reset(&ps->s);
	if (ps->p == ps->end || *ps->p != '"')
		return plot_fail(ps, "expected a string");
	ps->p++;
	while (ps->p < ps->end && *ps->p != '"') {
		if ((unsigned char)*ps->p < 0x20)
			return plot_fail(ps, "a control character in a "
			    "string");
		if (*ps->p == '\\') {
			ps->p++;
			if (plot_escape(ps) == -1)
				return -1;
			continue;
		}
		k = utf8_char(ps->p, (size_t)(ps->end - ps->p));
		if (k == 0)
			return plot_fail(ps, "a string that is not UTF-8");
		buf_add(&ps->s, ps->p, k);
		ps->p += k;
	}
	if (ps->p == ps->end)
		return plot_fail(ps, "a string does not end");
	ps->p++;
	return 0;
}

/* A JSON number. */
static int
plot_number(struct plot_parse *ps, double *v)
{
	const char *q = ps->p;
	char tmp[64];
	size_t n;

	if (q < ps->end && *q == '-')
		q++;
	if (q == ps->end || *q < '0' || *q > '9')
		return plot_fail(ps, "expected a number");
	while (q < ps->end && strchr("0123456789.eE+-", *q) != NULL)
		q++;
	n = (size_t)(q - ps->p);
	if (n >= sizeof(tmp))
		return plot_fail(ps, "a number too long");
	memcpy(tmp, ps->p, n);
	tmp[n] = '\0';
	errno = 0;
	*v = strtod(tmp, NULL);
	if (errno == ERANGE || !isfinite(*v))
		return plot_fail(ps, "a number out of range");
	ps->p = q;
	return 0;
}

/* Any value, not kept: nested objects and arrays are skipped whole. */
static int
plot_skip(struct plot_parse *ps, int depth)
{
	static const char *const words[] = { "true", "false", "null" };
	double v;
	size_t i, n;
	char close;

	if (depth > 64)
		return plot_fail(ps, "values nested too deep");
	plot_ws(ps);
	if (ps->p == ps->end)
		return plot_fail(ps, "expected a value");
	if (*ps->p == '"')
		return plot_string(ps);
	if (*ps->p == '{' || *ps->p == '[') {
		close = *ps->p == '{' ? '}' : ']';
		ps->p++;
		plot_ws(ps);
		if (ps->p < ps->end && *ps->p == close) {
			ps->p++;
			return 0;
		}
		for (;;) {
			if (close == '}') {
				plot_ws(ps);
				if (plot_string(ps) == -1)
					return -1;
				plot_ws(ps);
				if (ps->p == ps->end || *ps->p++ != ':')
					return plot_fail(ps, "expected ':'");
			}
			if (plot_skip(ps, depth + 1) == -1)
				return -1;
			plot_ws(ps);
			if (ps->p < ps->end && *ps->p == ',') {
				ps->p++;
				continue;
			}
			if (ps->p < ps->end && *ps->p == close) {
				ps->p++;
				return 0;
			}
			return plot_fail(ps, "expected ',' or the end of a "
			    "value");
		}
	}
	for (i = 0; i < 3; i++) {
		n = strlen(words[i]);
		if ((size_t)(ps->end - ps->p) >= n &&
		    memcmp(ps->p, words[i], n) == 0) {
			ps->p += n;
			return 0;
		}
	}
	return plot_number(ps, &v);
}

/* A number that must be a whole one within lo..hi. */
static int
plot_whole(struct plot_parse *ps, double lo, double hi, double *v)
{
	if (plot_number(ps, v) == -1)
		return -1;
	if (*v != floor(*v) || *v < lo || *v > hi)
		return plot_fail(ps, "a value out of range");
	return 0;
}

/* The outcome named s, or -1. */
static int
plot_outcome(const char *s)
{
	int o;

	for (o = 0; o < JOB_NOUTCOME; o++)
		if (strcmp(s, job_outcome_name((enum job_outcome)o)) == 0)
			return o;
	return -1;
}

/* Copy the start of s to out: letters, digits, '-' and '_', else '?'. */
static void
plot_word(char *out, size_t size, const char *s)
{
	size_t i;

	for (i = 0; i + 1 < size && s[i]; i++)
		out[i] = strchr("abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_", s[i]) ? s[i] :
		    '?';
	out[i] = '\0';
}

/* The value of key into ev. */
static int
plot_field(struct plot_parse *ps, const char *key, struct plot_event *ev)
{
	double v;
	int o;

	plot_ws(ps);
	if (strcmp(key, "seq") == 0) {
		if (plot_whole(ps, 1, 1e18, &v) == -1)
			return -1;
		ev->tj.seq = (unsigned long long)v;
		ev->have |= PLOT_HAVE_SEQ;
	} else if (strcmp(key, "worker") == 0) {
		if (plot_whole(ps, 0, 1e6, &v) == -1)
			return -1;
		ev->tj.slot = (unsigned long)v;
		ev->have |= PLOT_HAVE_WORKER;
	} else if (strcmp(key, "start") == 0) {
		if (plot_number(ps, &ev->at) == -1)
			return -1;
		ev->have |= PLOT_HAVE_START;
	} else if (strcmp(key, "runtime") == 0) {
		if (plot_number(ps, &ev->tj.runtime) == -1)
			return -1;
		if (ev->tj.runtime < 0)
			return plot_fail(ps, "a negative runtime");
		ev->have |= PLOT_HAVE_RUNTIME;
	} else if (strcmp(key, "exit") == 0 || strcmp(key, "signal") == 0) {
		if (plot_whole(ps, -1, 255, &v) == -1)
			return -1;
		if (key[0] == 'e')
			ev->tj.exit = (int)v;
		else
			ev->tj.sig = (int)v;
		ev->have |= key[0] == 'e' ? PLOT_HAVE_EXIT : PLOT_HAVE_SIGNAL;
	} else if (strcmp(key, "mode") == 0) {
		if (plot_string(ps) == -1)
			return -1;
		plot_word(ev->mode, sizeof(ev->mode), ps->s.data);
	} else if (strcmp(key, "outcome") == 0) {
		if (plot_string(ps) == -1)
			return -1;
		if ((o = plot_outcome(ps->s.data)) == -1)
			return plot_fail(ps, "an unknown outcome");
		ev->tj.outcome = (enum job_outcome)o;
		ev->have |= PLOT_HAVE_OUTCOME;
	} else if (strcmp(key, "args") == 0) {
		if (plot_string(ps) == -1)
			return -1;
		buf_reset(&ev->args);
		buf_add(&ev->args, ps->s.data, ps->s.len);
	} else {
		return plot_skip(ps, 0);
	}
	return 0;
}

/* The name of the first field the event lacks. */
static const char *
plot_missing(unsigned have)
{
	static const char *const names[] = { "seq", "worker", "start",
	    "runtime", "exit", "signal" };
	int i;

	for (i = 0; i < 6; i++)
		if (!(have & (1u << i)))
			return names[i];
	return NULL;
}

/*
 * Parse one line into ev.  Returns 1 for an event, 0 for a blank line,
 * -1 with *why set for a bad one.
 */
static int
plot_line(struct plot_parse *ps, const char *line, size_t len,
    struct plot_event *ev, const char **why)
{
	struct buf key = BUF_INIT;
	int rc = -1;

	ps->p = line;
	ps->end = line + len;
	ps->why = NULL;
	memset(&ev->tj, 0, sizeof(ev->tj));
	ev->have = 0;
	ev->mode[0] = '\0';
	buf_reset(&ev->args);
	plot_ws(ps);
	if (ps->p == ps->end)
		return 0;
	if (memchr(line, '\0', len) != NULL) {
		*why = "a NUL byte";
		return -1;
	}
	if (*ps->p++ != '{') {
		*why = "expected a JSON object";
		return -1;
	}
	plot_ws(ps);
	if (ps->p < ps->end && *ps->p == '}') {
		ps->p++;
		goto done;
	}
	for (;;) {
		plot_ws(ps);
		if (plot_string(ps) == -1)
			goto out;
		buf_reset(&key);
		buf_add(&key, ps->s.data, ps->s.len);
		plot_ws(ps);
		if (ps->p == ps->end || *ps->p++ != ':') {
			plot_fail(ps, "expected ':' after a key");
			goto out;
		}
		if (plot_field(ps, key.data, ev) == -1)
			goto out;
		plot_ws(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			continue;
		}
		if (ps->p < ps->end && *ps->p == '}') {
			ps->p++;
			break;
		}
		plot_fail(ps, "expected ',' or '}'");
		goto out;
	}
done:
	plot_ws(ps);
	if (ps->p != ps->end) {
		plot_fail(ps, "text after the object");
		goto out;
	}
	rc = 1;
out:
	buf_release(&key);
	if (rc == -1)
		*why = ps->why;
	return rc;
}

/* The outcome of an event that does not name it (an older file). */
static void
plot_settle(struct plot_event *ev)
{
	if (ev->have & PLOT_HAVE_OUTCOME)
		return;
	if (ev->tj.sig || ev->tj.exit == -1)
		ev->tj.outcome = JOB_KILLED;
	else
		ev->tj.outcome = ev->tj.exit ? JOB_FAILED : JOB_SUCCEEDED;
}

/* What the first pass finds. */
struct plot_span {
	unsigned long long	 jobs;
	double			 first;		/* the earliest start */
	double			 last;		/* the latest end */
	unsigned long		 slots;
	char			 mode[16];
};

/*
 * Read the events of f once; with tl, add them to it, else fill sp.
 * Returns 0, or -1 after reporting the problem.
 */
static int
plot_pass(FILE *f, const char *path, struct timeline *tl,
    struct plot_span *sp)
{
	struct plot_parse ps;
	struct plot_event ev;
	char *line = NULL;
	const char *why, *miss;
	size_t cap = 0, lineno = 0;
	ssize_t len;
	int rc = 0, r;

	memset(&ps, 0, sizeof(ps));
	memset(&ev, 0, sizeof(ev));
	errno = 0;
	while ((len = getline(&line, &cap, f)) != -1) {
		lineno++;
		if (len > 0 && line[len - 1] == '\n')
			len--;
		r = plot_line(&ps, line, (size_t)len, &ev, &why);
		if (r == 0)
			continue;
		if (r == 1 && (miss = plot_missing(ev.have)) != NULL) {
			msg_error("bad line %zu in '%s': no \"%s\"", lineno,
			    path, miss);
			rc = -1;
			break;
		}
		if (r == -1) {
			msg_error("bad line %zu in '%s': %s", lineno, path,
			    why ? why : "not an event");
			rc = -1;
			break;
		}
		plot_settle(&ev);
		if (tl != NULL) {
			ev.tj.start = ev.at - sp->first;
			ev.tj.args = ev.args.data;
			ev.tj.argslen = ev.args.len;
			timeline_add(tl, &ev.tj);
			continue;
		}
		if (sp->jobs == 0 || ev.at < sp->first)
			sp->first = ev.at;
		if (sp->jobs == 0 || ev.at + ev.tj.runtime > sp->last)
			sp->last = ev.at + ev.tj.runtime;
		if (ev.tj.slot > sp->slots)
			sp->slots = ev.tj.slot;
		if (sp->jobs == 0)
			memcpy(sp->mode, ev.mode, sizeof(sp->mode));
		else if (strcmp(sp->mode, ev.mode) != 0)
			snprintf(sp->mode, sizeof(sp->mode), "mixed");
		sp->jobs++;
	}
	if (rc == 0 && ferror(f)) {
		msg_error("cannot read '%s': %s", path, strerror(errno));
		rc = -1;
	}
	free(line);
	buf_release(&ps.s);
	buf_release(&ev.args);
	return rc;
}

/*
 * Open the events at path ("-": standard input) as a stream that can be
 * read twice.  Returns it, or NULL after reporting the problem.
 */
static FILE *
plot_open(const char *path)
{
	struct stat st;
	int fd, copy;
	FILE *f;

	fd = strcmp(path, "-") == 0 ? fcntl(0, F_DUPFD_CLOEXEC, 0) :
	    open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1 || fstat(fd, &st) == -1)
		goto fail;
	if (S_ISDIR(st.st_mode)) {
		errno = EISDIR;
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		copy = sys_spool(fd, NULL);
		if (copy == -1)
			goto fail;
		close(fd);
		fd = copy;
	}
	if ((f = fdopen(fd, "r")) == NULL)
		goto fail;
	return f;
fail:
	msg_error("cannot read '%s': %s", path, strerror(errno));
	if (fd != -1)
		close(fd);
	return NULL;
}

/* One saved run, read. */
struct plot_run {
	struct timeline		*tl;
	struct timeline_head	 head;
	char			 mode[16];
};

/* Read the events at path into run.  Returns 0, or -1 (reported). */
static int
plot_read(const char *path, struct plot_run *run)
{
	struct plot_span sp;
	FILE *in;
	int rc = -1;

	if ((in = plot_open(path)) == NULL)
		return -1;
	memset(&sp, 0, sizeof(sp));
	if (plot_pass(in, path, NULL, &sp) == -1)
		goto out;
	run->tl = timeline_new(sp.slots);
	rewind(in);
	if (plot_pass(in, path, run->tl, &sp) == -1)
		goto out;
	memcpy(run->mode, sp.mode, sizeof(run->mode));
	run->head.mode = run->mode[0] ? run->mode : "unknown";
	run->head.slots = sp.slots;
	run->head.wall = sp.last - sp.first;
	run->head.span = 1;
	rc = 0;
out:
	fclose(in);
	return rc;
}

/* Draw saved --events files. */
int
plot_main(char *const *events, const char *const *labels,
    const char *const *modes, size_t n, const char *svg, const char *title,
    const char *notes, const struct timeline_panel *panel)
{
	struct plot_run *run = xcalloc(n ? n : 1, sizeof(*run));
	struct timeline **tl = xcalloc(n ? n : 1, sizeof(*tl));
	struct timeline_head *head = xcalloc(n ? n : 1, sizeof(*head));
	char text[64];
	FILE *out = NULL;
	size_t i;
	int rc = -1;

	for (i = 0; i < n; i++) {
		if (plot_read(events[i], &run[i]) == -1)
			goto out;
		tl[i] = run[i].tl;
		head[i] = run[i].head;
		head[i].label = labels ? labels[i] : n > 1 ? events[i] : NULL;
		if (run[i].mode[0] == '\0' && modes)
			head[i].mode = modes[i];
	}
	if ((out = sys_fopen_w(svg)) == NULL) {
		msg_error("cannot write '%s': %s", svg, strerror(errno));
		goto out;
	}
	if (title == NULL) {
		snprintf(text, sizeof(text), "parx --plot: %zu runs on one "
		    "time axis", n);
		title = text;
	}
	if ((n == 1 ? timeline_write(tl[0], out, &head[0]) :
	    timeline_write_several(tl, head, n, out, title, notes,
	    panel)) == -1 ||
	    fclose(out) == EOF) {
		out = NULL;
		msg_error("cannot write '%s': %s", svg, strerror(errno));
		goto out;
	}
	out = NULL;
	rc = 0;
out:
	if (out)
		fclose(out);
	for (i = 0; i < n; i++)
		timeline_free(run[i].tl);
	free(head);
	free(tl);
	free(run);
	return rc;
}

/* SPDX-License-Identifier: ISC */
/*
 * Fuzz target for the job log reader that --resume uses, src/output/joblog.c.
 *
 * The input is any bytes, read as a log.
 *
 * Properties: joblog_parse() reads nothing outside the buffer (ASan) and
 * returns 0 or the number of a line that exists; every entry's command
 * lies inside the buffer; an entry written back with joblog_format()
 * parses to one entry with the same seq, exit value, signal and command.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fuzz.h"
#include "joblog.h"

struct fuzz_ctx {
	const char	*buf;
	size_t		 len;
	size_t		 n;
	int		 again;
	struct joblog_entry first;
};

static void
fuzz_same(void *arg, const struct joblog_entry *e)
{
	struct fuzz_ctx *c = arg;

	if (c->n++ == 0)
		c->first = *e;
}

static void
fuzz_entry(void *arg, const struct joblog_entry *e)
{
	struct fuzz_ctx *c = arg, back;
	struct joblog_rec rec;
	struct buf b = BUF_INIT;
	size_t bad;

	c->n++;
	FUZZ_CHECK(e->cmd >= c->buf && e->cmd + e->cmd_len <= c->buf + c->len,
	    "entry %llu: command outside the buffer", e->seq);
	memset(&rec, 0, sizeof(rec));
	rec.seq = e->seq;
	rec.exitval = e->exitval;
	rec.sig = e->sig;
	rec.cmd = e->cmd;
	rec.cmd_len = e->cmd_len;
	joblog_format(&rec, &b);
	memset(&back, 0, sizeof(back));
	back.buf = b.data;
	back.len = b.len;
	bad = joblog_parse(b.data, b.len, fuzz_same, &back);
	FUZZ_CHECK(bad == 0 && back.n == 1, "entry %llu written back: %zu "
	    "entries, bad line %zu", e->seq, back.n, bad);
	FUZZ_CHECK(back.first.seq == e->seq &&
	    back.first.exitval == e->exitval && back.first.sig == e->sig &&
	    back.first.cmd_len == e->cmd_len &&
	    memcmp(back.first.cmd, e->cmd, e->cmd_len) == 0,
	    "entry %llu does not survive a round trip", e->seq);
	buf_release(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_ctx c;
	size_t bad, lines = 1, i;
	char *copy = malloc(size ? size : 1);

	/* An exact-size copy, so that ASan sees any read past the end. */
	memcpy(copy, data, size);
	for (i = 0; i < size; i++)
		if (copy[i] == '\n')
			lines++;
	memset(&c, 0, sizeof(c));
	c.buf = copy;
	c.len = size;
	bad = joblog_parse(copy, size, fuzz_entry, &c);
	FUZZ_CHECK(bad <= lines, "bad line %zu of %zu", bad, lines);
	free(copy);
	return 0;
}

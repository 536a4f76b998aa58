/* SPDX-License-Identifier: ISC */
/*
 * Fuzz target for src/source/input.c: cutting input into records and combining
 * sources (lines, NUL, -d delimiters, ::::, :::+, --link).
 *
 * The input is a flags byte, a length byte L, L bytes of -d spec (used
 * when the flags ask for -d), then the data.  Flags: bits 0-1 the
 * delimiter (0 newline, 1 NUL, 2-3 the -d spec, parsed by
 * input_parse_delim; newline if it does not parse), bits 2-4 the layout
 * below, bits 5-7 seed the sizes of the chunks the stream is fed in.
 *
 *	0  the data streamed through a pipe, in small chunks
 *	1  ::: A B, then the data as a file (read whole): a product
 *	2  --link: the data as a file, linked with ::: A B C (wrapping)
 *	3  the data streamed, linked with :::+ A B C (shortest wins)
 *	4  the data streamed, times the same data as a file (few records)
 *	5  the data as a file twice, linked with ::::+ (file, file)
 *	6, 7  like 0 and 3, the stream being a regular file read whole
 *
 * Properties: the records are those of a plain reference splitter (the
 * leftmost delimiter ends a record, a last record without one counts,
 * nothing else is dropped), whatever the chunk boundaries; the tuples of
 * every layout are the ones input.h promises, in order; input_next never
 * hands out a tuple after INPUT_END, and INPUT_AGAIN only while the
 * stream is open.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "arg.h"
#include "fuzz.h"
#include "input.h"

#define FUZZ_MAXREC	4096

struct fuzz_ref {
	struct arg	 rec[FUZZ_MAXREC];
	size_t		 n;
};

/* The reference splitter. */
static int
fuzz_split(const char *p, size_t len, const char *d, size_t dlen,
    struct fuzz_ref *ref)
{
	size_t i = 0, start = 0;

	ref->n = 0;
	while (i + dlen <= len) {
		if (memcmp(p + i, d, dlen) == 0) {
			if (ref->n == FUZZ_MAXREC)
				return -1;
			ref->rec[ref->n].s = p + start;
			ref->rec[ref->n++].len = i - start;
			i += dlen;
			start = i;
		} else
			i++;
	}
	if (start < len) {
		if (ref->n == FUZZ_MAXREC)
			return -1;
		ref->rec[ref->n].s = p + start;
		ref->rec[ref->n++].len = len - start;
	}
	return 0;
}

static int
fuzz_same(const struct arg *x, const struct arg *y)
{
	return fuzz_eq(x->s, x->len, y->s, y->len);
}

/* A regular file holding the data, as a path input_start() can open. */
static int
fuzz_memfile(const char *p, size_t len, char *path, size_t pathsz)
{
	int fd = memfd_create("fuzz-input", MFD_CLOEXEC);

	if (fd < 0)
		return -1;
	if (len && write(fd, p, len) != (ssize_t)len) {
		close(fd);
		return -1;
	}
	snprintf(path, pathsz, "/proc/self/fd/%d", fd);
	return fd;
}

struct fuzz_feed {
	int		 wfd;		/* the pipe's write end, or -1 */
	const char	*p;
	size_t		 left;
	unsigned	 seed;
};

/* Give the stream its next chunk, or end it; then let parx read once. */
static void
fuzz_feed(struct input *in, struct fuzz_feed *f)
{
	size_t n;

	FUZZ_CHECK(input_pollfd(in) >= 0, "%s",
	    "INPUT_AGAIN without a descriptor to poll");
	if (f->wfd >= 0 && f->left == 0) {
		close(f->wfd);
		f->wfd = -1;
	} else if (f->wfd >= 0) {
		f->seed = f->seed * 1103515245u + 12345u;
		n = 1 + (f->seed >> 16) % 13;
		if (n > f->left)
			n = f->left;
		FUZZ_CHECK(write(f->wfd, f->p, n) == (ssize_t)n, "%s",
		    "cannot feed the pipe");
		f->p += n;
		f->left -= n;
	}
	while (input_read(in) == -1)
		FUZZ_CHECK(errno == EINTR || errno == EAGAIN,
		    "input_read: %s", strerror(errno));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *const abc[] = { "A", "B", "C" };
	static struct fuzz_ref ref;
	const struct arg *t;
	struct fuzz_feed feed;
	struct input *in;
	char *spec, *delim = NULL, path[64], path2[64];
	const char *d, *body;
	size_t speclen, dlen, blen, nargs, k, want, nw;
	unsigned flags, layout;
	int fd = -1, fd2 = -1, pfd[2] = { -1, -1 }, r, linkall = 0;

	if (size < 2)
		return 0;
	flags = data[0];
	speclen = data[1];
	if (speclen > size - 2)
		speclen = size - 2;
	body = (const char *)data + 2 + speclen;
	blen = size - 2 - speclen;
	layout = (flags >> 2) & 7;

	switch (flags & 3) {
	case 0:
		d = "\n";
		dlen = 1;
		break;
	case 1:
		d = "";
		dlen = 1;
		break;
	default:
		spec = strndup((const char *)data + 2, speclen);
		delim = input_parse_delim(spec, &dlen);
		if (delim != NULL)
			FUZZ_CHECK(dlen >= 1 && dlen <= strlen(spec),
			    "-d '%s' parsed into %zu bytes", spec, dlen);
		else
			FUZZ_CHECK(errno == EINVAL, "%s", "no EINVAL");
		free(spec);
		d = delim ? delim : "\n";
		dlen = delim ? dlen : 1;
	}
	if (fuzz_split(body, blen, d, dlen, &ref) == -1)
		goto out;
	if (layout == 4 && ref.n > 24)
		layout = 0;
	/* A delimiter would split the words A B C (-d splits ::: words). */
	if (dlen == 1 && memchr("ABC", d[0], 3) != NULL)
		layout = 0;

	if (layout == 2)
		linkall = 1;
	in = input_new(d, dlen, linkall ? INPUT_LINK_ALL : 0);
	memset(&feed, 0, sizeof(feed));
	feed.wfd = -1;
	feed.p = body;
	feed.left = blen;
	feed.seed = flags >> 5;
	if (layout == 0 || layout == 3 || layout == 4) {
		FUZZ_CHECK(pipe2(pfd, O_CLOEXEC) == 0, "%s", "pipe2");
		snprintf(path, sizeof(path), "/proc/self/fd/%d", pfd[0]);
		feed.wfd = pfd[1];
	} else {
		fd = fuzz_memfile(body, blen, path, sizeof(path));
		FUZZ_CHECK(fd >= 0, "%s", "memfd");
	}
	if (layout == 4 || layout == 5) {
		fd2 = fuzz_memfile(body, blen, path2, sizeof(path2));
		FUZZ_CHECK(fd2 >= 0, "%s", "memfd");
	}

	switch (layout) {
	case 1:
		input_add_words(in, abc, 2, 0);
		input_add_file(in, path, 0);
		break;
	case 2:
		input_add_file(in, path, 0);
		input_add_words(in, abc, 3, 0);
		break;
	case 3:
	case 7:
		input_add_file(in, path, 0);
		input_add_words(in, abc, 3, 1);
		break;
	case 4:
		input_add_file(in, path, 0);
		input_add_file(in, path2, 0);
		break;
	case 5:
		input_add_file(in, path, 0);
		input_add_file(in, path2, 1);
		break;
	default:
		input_add_file(in, path, 0);
	}
	FUZZ_CHECK(input_start(in) == 0, "input_start: %s", strerror(errno));
	/* input_start opened its own descriptions. */
	if (pfd[0] >= 0)
		close(pfd[0]);

	/*
	 * A source with no value beside one with values is one empty value,
	 * as in GNU parallel; when every source is empty nothing runs.
	 */
	if (ref.n == 0 && (layout == 1 || layout == 2 || layout == 3 ||
	    layout == 7)) {
		ref.rec[0].s = "";
		ref.rec[0].len = 0;
		ref.n = 1;
	}
	switch (layout) {
	case 1:
		want = 2 * ref.n;
		break;
	case 2:
		want = ref.n > 3 ? ref.n : 3;
		break;
	case 3:
	case 7:
		want = ref.n < 3 ? ref.n : 3;
		break;
	case 4:
		want = ref.n * ref.n;
		break;
	default:
		want = ref.n;
	}
	nw = (layout == 0 || layout == 6) ? 1 : 2;

	for (k = 0;;) {
		r = input_next(in, &t, &nargs);
		if (r == INPUT_AGAIN) {
			FUZZ_CHECK(feed.wfd >= 0 || input_pollfd(in) >= 0,
			    "%s", "INPUT_AGAIN after the stream ended");
			fuzz_feed(in, &feed);
			continue;
		}
		FUZZ_CHECK(r != INPUT_ERROR, "input_next: %s", strerror(errno));
		if (r == INPUT_END)
			break;
		FUZZ_CHECK(r == INPUT_OK, "input_next returned %d", r);
		FUZZ_CHECK(k < want, "more than the %zu tuples expected", want);
		FUZZ_CHECK(nargs == nw, "%zu values in a tuple, not %zu", nargs,
		    nw);
		switch (layout) {
		case 1:
			FUZZ_CHECK(t[0].len == 1 && t[0].s[0] == "AB"[k /
			    ref.n], "tuple %zu: wrong word", k);
			FUZZ_CHECK(fuzz_same(&t[1], &ref.rec[k % ref.n]),
			    "tuple %zu: wrong record", k);
			break;
		case 2:
			FUZZ_CHECK(fuzz_same(&t[0], &ref.rec[k % ref.n]),
			    "tuple %zu: wrong record", k);
			FUZZ_CHECK(t[1].len == 1 && t[1].s[0] == "ABC"[k % 3],
			    "tuple %zu: wrong word", k);
			break;
		case 3:
		case 7:
			FUZZ_CHECK(fuzz_same(&t[0], &ref.rec[k]),
			    "tuple %zu: wrong record", k);
			FUZZ_CHECK(t[1].len == 1 && t[1].s[0] == "ABC"[k],
			    "tuple %zu: wrong word", k);
			break;
		case 4:
			FUZZ_CHECK(fuzz_same(&t[0], &ref.rec[k / ref.n]) &&
			    fuzz_same(&t[1], &ref.rec[k % ref.n]),
			    "tuple %zu: wrong records", k);
			break;
		case 5:
			FUZZ_CHECK(fuzz_same(&t[0], &ref.rec[k]) &&
			    fuzz_same(&t[1], &ref.rec[k]),
			    "tuple %zu: wrong records", k);
			break;
		default:
			FUZZ_CHECK(fuzz_same(&t[0], &ref.rec[k]),
			    "record %zu differs from the reference", k);
		}
		k++;
	}
	FUZZ_CHECK(k == want, "%zu tuples, not %zu", k, want);
	r = input_next(in, &t, &nargs);
	FUZZ_CHECK(r == INPUT_END, "%s", "input_next went on after INPUT_END");

	input_free(in);
	if (feed.wfd >= 0)
		close(feed.wfd);
	if (fd >= 0)
		close(fd);
	if (fd2 >= 0)
		close(fd2);
out:
	free(delim);
	return 0;
}

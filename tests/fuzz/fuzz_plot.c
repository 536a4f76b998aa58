/* SPDX-License-Identifier: ISC */
/*
 * Fuzz target for src/output/plot.c and src/output/timeline.c: any bytes
 * read as a saved --events file (parx --plot EVENTS --timeline FILE.svg).
 *
 * Properties: plot_main() returns 0 or -1; when it drew, the picture is
 * whole (it ends with the closing tag), valid UTF-8 with no control
 * character but newlines, and every '<' in it opens a tag that a '>'
 * closes (no argument escaped the XML escaping), with as many titles
 * opened as closed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "buf.h"
#include "fuzz.h"
#include "plot.h"
#include "sys.h"
#include "utf8.h"

/* A memory file holding data; its descriptor. */
static int
fuzz_memfile(const uint8_t *data, size_t size)
{
	int fd = memfd_create("fuzz", MFD_CLOEXEC);

	FUZZ_CHECK(fd >= 0, "memfd_create");
	FUZZ_CHECK(size == 0 || write(fd, data, size) == (ssize_t)size,
	    "write");
	return fd;
}

/* Count the occurrences of needle in the len bytes at s. */
static size_t
fuzz_count(const char *s, size_t len, const char *needle)
{
	size_t n = 0, k = strlen(needle);
	const char *p = s, *end = s + len;

	while ((p = memmem(p, (size_t)(end - p), needle, k)) != NULL) {
		n++;
		p += k;
	}
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf svg = BUF_INIT;
	char in_path[64], out_path[64], *events[1];
	int in, out, rc, depth = 0;
	size_t i, k;

	in = fuzz_memfile(data, size);
	out = fuzz_memfile(NULL, 0);
	snprintf(in_path, sizeof(in_path), "/proc/self/fd/%d", in);
	snprintf(out_path, sizeof(out_path), "/proc/self/fd/%d", out);
	events[0] = in_path;
	rc = plot_main(events, NULL, NULL, 1, out_path, NULL, NULL, NULL);
	FUZZ_CHECK(rc == 0 || rc == -1, "rc %d", rc);
	if (rc == 0) {
		lseek(out, 0, SEEK_SET);
		FUZZ_CHECK(sys_read_all(out, &svg) == 0, "read the picture");
		FUZZ_CHECK(svg.len > 7 &&
		    memcmp(svg.data + svg.len - 7, "</svg>\n", 7) == 0,
		    "the picture is cut short");
		for (i = 0; i < svg.len; i += k) {
			k = utf8_char(svg.data + i, svg.len - i);
			FUZZ_CHECK(k > 0, "not UTF-8 at byte %zu", i);
			FUZZ_CHECK((unsigned char)svg.data[i] >= 0x20 ||
			    svg.data[i] == '\n', "control byte at %zu", i);
			if (svg.data[i] == '<') {
				FUZZ_CHECK(depth == 0, "'<' in a tag at %zu",
				    i);
				depth = 1;
			} else if (svg.data[i] == '>') {
				FUZZ_CHECK(depth == 1, "stray '>' at %zu", i);
				depth = 0;
			}
		}
		FUZZ_CHECK(depth == 0, "a tag does not end");
		FUZZ_CHECK(fuzz_count(svg.data, svg.len, "<title>") ==
		    fuzz_count(svg.data, svg.len, "</title>"),
		    "titles unbalanced");
	}
	buf_release(&svg);
	close(in);
	close(out);
	return 0;
}

/* SPDX-License-Identifier: ISC */
/*
 * Values of the command line that count from the number of CPUs: -j and
 * --load, both of the [+-]N[%] form that num_relative() splits.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "num.h"

/* Parse a -j value. */
int
config_parse_jobs(const char *spec, long ncpus, unsigned long *out)
{
	struct num_relative r;
	const char *p;
	char b[16];
	size_t len = strlen(spec);
	unsigned long v;

	/*
	 * One final newline is allowed, as GNU parallel's $ matches before
	 * it: -j "$(cmd)" with a newline kept, or a value read from a file.
	 */
	if (len > 0 && spec[len - 1] == '\n') {
		if (len > sizeof(b))
			return -1;
		memcpy(b, spec, len - 1);
		b[len - 1] = '\0';
		spec = b;
	}
	if (num_relative(spec, &r) == -1)
		return -1;
	/* Whole decimal numbers only, as GNU parallel takes them. */
	if (r.num == r.end || r.end - r.num > 7)
		return -1;
	for (p = r.num; p < r.end; p++)
		if (!isdigit((unsigned char)*p))
			return -1;
	v = strtoul(r.num, NULL, 10);
	if (r.pct) {
		/* Rounded up, as GNU parallel does: 60% of 2 CPUs is 2. */
		v = ((unsigned long)ncpus * v + 99) / 100;
	} else if (r.sign > 0) {
		v = (unsigned long)ncpus + v;
	} else if (r.sign < 0) {
		v = (unsigned long)ncpus > v ? (unsigned long)ncpus - v : 0;
	} else {
		*out = v;	/* 0: as many as possible */
		return 0;
	}
	*out = v < 1 ? 1 : v;
	return v < 1;
}

/* Read and parse a -j FILE. */
int
config_read_jobs_file(const char *path, long ncpus, unsigned long *out,
    char *text, size_t size)
{
	char b[64];
	ssize_t n;
	size_t len = 0, shown;
	int fd, rc;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	/* A value is short: more than fits is not one. */
	while (len < sizeof(b) &&
	    (n = read(fd, b + len, sizeof(b) - len)) != 0) {
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			rc = errno;
			close(fd);
			errno = rc;
			return -1;
		}
		len += (size_t)n;
	}
	close(fd);
	/* Messages show "4\n" as 4: config_parse_jobs() takes it so. */
	shown = len > 0 && b[len - 1] == '\n' ? len - 1 : len;
	if (size > 0) {
		memcpy(text, b, shown < size ? shown : size - 1);
		text[shown < size ? shown : size - 1] = '\0';
	}
	if (len == sizeof(b) || memchr(b, '\0', len) != NULL) {
		errno = EINVAL;
		return -1;
	}
	b[len] = '\0';
	if ((rc = config_parse_jobs(b, ncpus, out)) == -1)
		errno = EINVAL;
	return rc;
}

/* Parse a --load value. */
int
config_parse_load(const char *spec, long ncpus, double *out)
{
	struct num_relative r;
	double v;

	if (num_relative(spec, &r) == -1 || num_relative_decimal(&r, &v) == -1)
		return -1;
	if (r.pct)
		v = (double)ncpus * v / 100;
	else if (r.sign > 0)
		v = (double)ncpus + v;
	else if (r.sign < 0)
		v = (double)ncpus - v;
	*out = v > 0.01 ? v : 0.01;
	return 0;
}

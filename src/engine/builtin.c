/* SPDX-License-Identifier: ISC */
/*
 * The builtin functions of --func.  Each is thread-safe, polls for
 * cancellation when it can run long, and reports errors on the job's
 * stderr in the words the matching command would use.
 */
#include "builtin.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "parx/plugin.h"

static int
builtin_echo(struct parx_call *c)
{
	char small[1024];
	size_t n = 0, len;
	char *big = NULL, *p = small;
	int i, rc;

	for (i = 0; i < c->argc; i++)
		n += strlen(c->argv[i]) + 1;
	if (n == 0)
		n = 1;
	if (n > sizeof(small)) {
		big = malloc(n);
		if (big == NULL)
			return 1;
		p = big;
	}
	for (i = 0, len = 0; i < c->argc; i++) {
		size_t k = strlen(c->argv[i]);

		if (i)
			p[len++] = ' ';
		memcpy(p + len, c->argv[i], k);
		len += k;
	}
	p[len++] = '\n';
	rc = c->write(c, 1, p, len);
	free(big);
	return rc == 0 ? 0 : 1;
}

static int
builtin_number(struct parx_call *c, const char *what, double *v)
{
	char *end;

	if (c->argc != 1) {
		parx_printf(c, 2, "%s: expected one number, got %d arguments\n",
		    what, c->argc);
		return -1;
	}
	errno = 0;
	*v = strtod(c->argv[0], &end);
	if (errno || end == c->argv[0] || *end != '\0' || *v < 0 ||
	    *v > 1e9) {
		parx_printf(c, 2, "%s: invalid number '%s'\n", what,
		    c->argv[0]);
		return -1;
	}
	return 0;
}

static int
builtin_sleep(struct parx_call *c)
{
	struct timespec end, now, step;
	double secs;
	long long ns;

	if (builtin_number(c, "sleep", &secs) == -1)
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &end);
	ns = (long long)(secs * 1e9);
	end.tv_sec += ns / 1000000000LL;
	end.tv_nsec += ns % 1000000000LL;
	if (end.tv_nsec >= 1000000000L) {
		end.tv_sec++;
		end.tv_nsec -= 1000000000L;
	}
	/* Sleep in slices short enough to notice cancellation. */
	for (;;) {
		if (c->cancelled(c))
			return 1;
		clock_gettime(CLOCK_MONOTONIC, &now);
		ns = (end.tv_sec - now.tv_sec) * 1000000000LL +
		    (end.tv_nsec - now.tv_nsec);
		if (ns <= 0)
			return 0;
		if (ns > 20000000LL)
			ns = 20000000LL;
		step.tv_sec = 0;
		step.tv_nsec = (long)ns;
		nanosleep(&step, NULL);
	}
}

static int
builtin_spin(struct parx_call *c)
{
	struct timespec t0, t;
	volatile unsigned long sink = 0;
	double ms;
	long long want, used;
	int i;

	if (builtin_number(c, "spin", &ms) == -1)
		return 1;
	want = (long long)(ms * 1e6);
	/* CPU time of this thread, so that the work is the same per job. */
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
	for (;;) {
		for (i = 0; i < 20000; i++)
			sink += (unsigned long)i * 2654435761u;
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
		used = (t.tv_sec - t0.tv_sec) * 1000000000LL +
		    (t.tv_nsec - t0.tv_nsec);
		if (used >= want) {
			/* A read, or clang finds sink set but never used. */
			(void)sink;
			return 0;
		}
		if (c->cancelled(c))
			return 1;
	}
}

static int
builtin_gzip_one(struct parx_call *c, const char *path, int level, int keep)
{
	char mode[8], buf[65536];
	struct timespec times[2];
	struct stat st;
	size_t plen = strlen(path);
	char *out;
	gzFile gz;
	ssize_t n;
	int in, ofd, rc = 1;

	in = open(path, O_RDONLY | O_CLOEXEC);
	if (in == -1) {
		parx_printf(c, 2, "gzip: %s: %s\n", path, strerror(errno));
		return 1;
	}
	if (fstat(in, &st) == -1 || !S_ISREG(st.st_mode)) {
		parx_printf(c, 2, "gzip: %s is not a regular file - ignored\n",
		    path);
		close(in);
		return 1;
	}
	out = malloc(plen + 4);
	if (out == NULL) {
		close(in);
		return 1;
	}
	memcpy(out, path, plen);
	memcpy(out + plen, ".gz", 4);
	ofd = open(out, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    st.st_mode & 07777);
	if (ofd == -1) {
		parx_printf(c, 2, "gzip: %s: %s\n", out, errno == EEXIST ?
		    "already exists; not overwritten" : strerror(errno));
		goto done_in;
	}
	snprintf(mode, sizeof(mode), "wb%d", level);
	gz = gzdopen(ofd, mode);
	if (gz == NULL) {
		close(ofd);
		parx_printf(c, 2, "gzip: %s: cannot compress\n", out);
		goto unlink_out;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0) {
		if (gzwrite(gz, buf, (unsigned)n) != (int)n) {
			parx_printf(c, 2, "gzip: %s: write error\n", out);
			gzclose(gz);
			goto unlink_out;
		}
		if (c->cancelled(c)) {
			gzclose(gz);
			goto unlink_out;
		}
	}
	if (n < 0) {
		parx_printf(c, 2, "gzip: %s: %s\n", path, strerror(errno));
		gzclose(gz);
		goto unlink_out;
	}
	if (gzclose(gz) != Z_OK) {
		parx_printf(c, 2, "gzip: %s: write error\n", out);
		goto unlink_out;
	}
	/* gzip(1) keeps the times and removes the original. */
	times[0] = st.st_atim;
	times[1] = st.st_mtim;
	utimensat(AT_FDCWD, out, times, 0);
	if (!keep)
		unlink(path);
	rc = 0;
	goto done_in;
unlink_out:
	unlink(out);
done_in:
	free(out);
	close(in);
	return rc;
}

static int
builtin_gzip(struct parx_call *c)
{
	int i, level = 6, keep = 0, rc = 0, files = 0;

	for (i = 0; i < c->argc; i++) {
		const char *a = c->argv[i];

		if (a[0] == '-' && a[1] >= '1' && a[1] <= '9' && a[2] == '\0')
			level = a[1] - '0';
		else if (strcmp(a, "-k") == 0 || strcmp(a, "--keep") == 0)
			keep = 1;
		else if (strcmp(a, "--") == 0) {
			i++;
			break;
		} else if (a[0] == '-' && a[1] != '\0') {
			parx_printf(c, 2, "gzip: invalid option '%s'\n", a);
			return 1;
		} else
			break;
	}
	for (; i < c->argc; i++, files++)
		if (builtin_gzip_one(c, c->argv[i], level, keep) != 0)
			rc = 1;
	if (files == 0) {
		parx_printf(c, 2, "gzip: no file given\n");
		return 1;
	}
	return rc;
}

const struct builtin builtin_table[] = {
	{ "echo", builtin_echo, "echo ARGS..." },
	{ "sleep", builtin_sleep, "sleep SECONDS" },
	{ "spin", builtin_spin, "spin MILLISECONDS" },
	{ "gzip", builtin_gzip, "gzip [-k] [-1..-9] FILE..." },
	{ NULL, NULL, NULL }
};

/* Look a builtin up by name. */
const struct builtin *
builtin_find(const char *name)
{
	const struct builtin *b;

	for (b = builtin_table; b->name; b++)
		if (strcmp(b->name, name) == 0)
			return b;
	return NULL;
}

/* The zlib linked at run time, which may be newer than the headers'. */
const char *
builtin_zlib_version(void)
{
	return zlibVersion();
}

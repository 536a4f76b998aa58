/* SPDX-License-Identifier: ISC */
/*
 * The start gate of --load and --memfree.  This is the one place where
 * parx reads the Linux /proc files loadavg and meminfo.
 */
#include "gate.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "xalloc.h"

struct gate {
	struct gate_opts	 o;
	char			 loadavg[4096];	/* paths of the two files */
	char			 meminfo[4096];
	long			 recheck_ms;	/* GATE_RECHECK_MS or the hook */
	struct timespec		 checked;	/* when last read */
	int			 valid;		/* checked is set */
	int			 open;		/* the answer then */
};

/* The recheck interval: $PARX_TEST_GATE_MS when valid (a test hook). */
static long
gate_recheck_ms(void)
{
	const char *s;
	char *end;
	long ms;

	s = getenv("PARX_TEST_GATE_MS");
	if (s == NULL || *s < '0' || *s > '9')
		return GATE_RECHECK_MS;
	ms = strtol(s, &end, 10);
	if (*end != '\0' || ms < 1 || ms > 60000)
		return GATE_RECHECK_MS;
	return ms;
}

/* Make a gate for the limits in opts. */
struct gate *
gate_new(const struct gate_opts *opts)
{
	const char *dir;
	struct gate *g;

	if (opts->load_max <= 0 && opts->memfree == 0)
		return NULL;
	g = xcalloc(1, sizeof(*g));
	g->o = *opts;
	g->recheck_ms = gate_recheck_ms();
	dir = getenv("PARX_TEST_PROCDIR");
	if (dir == NULL || *dir == '\0')
		dir = "/proc";
	snprintf(g->loadavg, sizeof(g->loadavg), "%s/loadavg", dir);
	snprintf(g->meminfo, sizeof(g->meminfo), "%s/meminfo", dir);
	return g;
}

/* Free a gate. */
void
gate_free(struct gate *g)
{
	free(g);
}

/* Read a small file whole into buf; -1 when it cannot be read. */
static int
gate_read(const char *path, char *buf, size_t size)
{
	ssize_t n;
	size_t len = 0;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		return -1;
	while (len < size - 1) {
		n = read(fd, buf + len, size - 1 - len);
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	return len > 0 ? 0 : -1;
}

/* The 1-minute load average, or -1. */
static double
gate_load(const struct gate *g)
{
	char buf[256], *end;
	double v;

	if (gate_read(g->loadavg, buf, sizeof(buf)) == -1)
		return -1;
	v = strtod(buf, &end);
	return end == buf ? -1 : v;
}

/* The bytes available to new programs, or -1 when unknown. */
static long long
gate_memavail(const struct gate *g)
{
	char buf[8192], *p;
	long long kb = -1, free_kb = -1;

	if (gate_read(g->meminfo, buf, sizeof(buf)) == -1)
		return -1;
	/* MemAvailable exists since Linux 3.14; MemFree is the fallback. */
	if ((p = strstr(buf, "MemAvailable:")) != NULL)
		kb = strtoll(p + 13, NULL, 10);
	if ((p = strstr(buf, "MemFree:")) != NULL)
		free_kb = strtoll(p + 8, NULL, 10);
	if (kb < 0)
		kb = free_kb;
	return kb < 0 ? -1 : kb * 1024;
}

/* The memory available now, for --memsuspend. */
long long
gate_mem_available(const struct gate *g)
{
	return gate_memavail(g);
}

static long
gate_ms_since(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t->tv_sec) * 1000 +
	    (now.tv_nsec - t->tv_nsec) / 1000000;
}

/* Whether a job may start now. */
int
gate_open(struct gate *g, long *retry_ms)
{
	long age;

	age = g->valid ? gate_ms_since(&g->checked) : g->recheck_ms;
	if (age >= g->recheck_ms) {
		double load = g->o.load_max > 0 ? gate_load(g) : -1;
		long long mem = g->o.memfree ? gate_memavail(g) : -1;

		g->open = 1;
		if (load >= 0 && load >= g->o.load_max)
			g->open = 0;
		if (mem >= 0 && (unsigned long long)mem < g->o.memfree)
			g->open = 0;
		clock_gettime(CLOCK_MONOTONIC, &g->checked);
		g->valid = 1;
		age = 0;
	}
	if (!g->open)
		*retry_ms = g->recheck_ms - age;
	return g->open;
}

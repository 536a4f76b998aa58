/* SPDX-License-Identifier: ISC */
/*
 * Helpers for the fuzz targets: failure reports, a decoder for the shell
 * words parx writes, and a real shell round trip for sampled inputs.
 */
#include "fuzz.h"

#include <errno.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"

extern char **environ;

/* Report a failed property and abort. */
void
fuzz_fail(const char *file, int line, const char *cond, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s:%d: property failed: %s: ", file, line, cond);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

/* Let a real shell read word back. */
int
fuzz_sh_printf(const char *shell, const char *word, struct buf *out)
{
	posix_spawn_file_actions_t fa;
	struct buf code = BUF_INIT;
	char chunk[4096], *argv[4];
	int p[2], status = -1;
	ssize_t n;
	pid_t pid;

	if (pipe(p) == -1)
		return -1;
	buf_addstr(&code, "printf %s ");
	buf_addstr(&code, word);
	argv[0] = (char *)shell;
	argv[1] = "-c";
	argv[2] = code.data;
	argv[3] = NULL;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, p[1], 1);
	posix_spawn_file_actions_addclose(&fa, p[0]);
	posix_spawn_file_actions_addclose(&fa, p[1]);
	if (posix_spawn(&pid, shell, &fa, NULL, argv, environ) != 0)
		pid = -1;
	posix_spawn_file_actions_destroy(&fa);
	close(p[1]);
	while (pid > 0 && ((n = read(p[0], chunk, sizeof(chunk))) > 0 ||
	    (n < 0 && errno == EINTR)))
		if (n > 0)
			buf_add(out, chunk, (size_t)n);
	close(p[0]);
	while (pid > 0 && waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	buf_release(&code);
	return status;
}

/* Compare, without handing memcmp a NULL pointer. */
int
fuzz_eq(const void *a, size_t alen, const void *b, size_t blen)
{
	return alen == blen && (alen == 0 || memcmp(a, b, alen) == 0);
}

/* FNV-1a. */
uint32_t
fuzz_hash(const uint8_t *data, size_t size)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < size; i++)
		h = (h ^ data[i]) * 16777619u;
	return h;
}

/* SPDX-License-Identifier: ISC */
/*
 * $PARALLEL_ENV: read once at start-up, then put in front of each shell
 * command, as GNU parallel does for env_parallel.
 */
#include "penv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "msg.h"
#include "xalloc.h"

#define PENV_VAR	"PARALLEL_ENV"

/*
 * Read all of path into b, from where a reader starts (a fifo has no
 * offset).  Returns 0, or -1 with errno.
 */
static int
penv_read(const char *path, struct buf *b)
{
	char chunk[65536];
	ssize_t n;
	int fd, e;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		buf_add(b, chunk, (size_t)n);
	}
	e = errno;
	close(fd);
	errno = e;
	return n == 0 ? 0 : -1;
}

/* Take $PARALLEL_ENV: see penv.h. */
int
penv_take(char **code, size_t *len, char **err)
{
	const char *v = getenv(PENV_VAR);
	struct buf b = BUF_INIT;
	struct stat st;
	char *nul, *p;
	size_t n;

	if (v == NULL || *v == '\0')
		return 0;
	if (stat(v, &st) == 0) {
		if (penv_read(v, &b) == -1) {
			*err = xasprintf("cannot read $" PENV_VAR " file '%s': %s",
			    v, strerror(errno));
			buf_release(&b);
			return -1;
		}
	} else
		buf_addstr(&b, v);
	unsetenv(PENV_VAR);
	p = buf_detach(&b, &n);
	if ((nul = memchr(p, '\0', n)) != NULL) {
		msg_warn("$" PENV_VAR " holds a NUL byte, which no shell "
		    "command can: what follows it is left out");
		n = (size_t)(nul - p);
	}
	for (nul = p; (nul = memchr(nul, '\001', n - (size_t)(nul - p))) !=
	    NULL; nul++)
		*nul = '\n';
	if (n == 0) {
		free(p);
		return 0;	/* an empty file: no code, as in GNU parallel */
	}
	p[n] = '\0';
	*code = p;
	*len = n;
	return 1;
}

/* The code, a newline, the command (zsh: eval 'command'). */
void
penv_wrap(struct buf *b, const char *code, size_t codelen, int zsh,
    const char *cmd, size_t len)
{
	const char *q, *end = cmd + len;

	buf_add(b, code, codelen);
	buf_addch(b, '\n');
	if (!zsh) {
		buf_add(b, cmd, len);
		return;
	}
	buf_addstr(b, "eval '");
	for (; (q = memchr(cmd, '\'', (size_t)(end - cmd))) != NULL;
	    cmd = q + 1) {
		buf_add(b, cmd, (size_t)(q - cmd));
		buf_addstr(b, "'\\''");
	}
	buf_add(b, cmd, (size_t)(end - cmd));
	buf_addch(b, '\'');
}

/* What penv_wrap() appends, in bytes. */
size_t
penv_wrap_len(size_t codelen, int zsh, const char *cmd, size_t len)
{
	const char *q, *end = cmd + len;
	size_t n = codelen + 1 + len;

	if (!zsh)
		return n;
	n += 7;			/* eval '...' */
	for (; (q = memchr(cmd, '\'', (size_t)(end - cmd))) != NULL;
	    cmd = q + 1)
		n += 3;
	return n;
}

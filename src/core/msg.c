/* SPDX-License-Identifier: ISC */
/*
 * Error and warning messages.  The text is formatted into a local buffer
 * and written at once, so concurrent messages stay whole lines.
 */
#include "msg.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *progname = "parx";

/* Set the prefix from argv[0]. */
void
msg_init(const char *argv0)
{
	const char *slash;

	if (argv0 == NULL || *argv0 == '\0')
		return;
	slash = strrchr(argv0, '/');
	progname = slash ? slash + 1 : argv0;
}

/* The program name used in messages. */
const char *
msg_progname(void)
{
	return progname;
}

static void
msg_vwrite(const char *kind, const char *fmt, va_list ap)
{
	char line[4096];
	size_t n;
	int r;

	r = snprintf(line, sizeof(line), "%s: %s", progname, kind);
	n = r < 0 ? 0 : (size_t)r;
	if (n < sizeof(line)) {
		r = vsnprintf(line + n, sizeof(line) - n, fmt, ap);
		n += r < 0 ? 0 : (size_t)r;
	}
	if (n > sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	(void)!write(2, line, n);
}

/* Print an error. */
void
msg_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	msg_vwrite("", fmt, ap);
	va_end(ap);
}

/* Print a warning. */
void
msg_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	msg_vwrite("warning: ", fmt, ap);
	va_end(ap);
}

/* Report a bug and abort. */
void
msg_bug(const char *file, int line, const char *fmt, ...)
{
	char where[256];
	va_list ap;

	snprintf(where, sizeof(where), "BUG: %s:%d: ", file, line);
	va_start(ap, fmt);
	msg_vwrite(where, fmt, ap);
	va_end(ap);
	abort();
}

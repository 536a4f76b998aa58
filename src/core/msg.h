/* SPDX-License-Identifier: ISC */
/*
 * msg: diagnostics on standard error, in git's wording: the program name,
 * the failure first, lower case, no final period, for example
 *
 *	parx: cannot open 'log.tsv': Permission denied
 *
 * Each message is written with a single write(2), so lines from different
 * threads never mix.  All functions are thread-safe once msg_init() ran.
 */
#ifndef PARX_MSG_H
#define PARX_MSG_H

#ifdef __GNUC__
#define PARX_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define PARX_NORETURN __attribute__((noreturn))
#else
#define PARX_PRINTF(a, b)
#define PARX_NORETURN
#endif

/* Remember the program name used as the prefix (basename of argv0). */
void	msg_init(const char *argv0);
const char *msg_progname(void);
/* Print "parx: <message>" on stderr. */
void	msg_error(const char *, ...) PARX_PRINTF(1, 2);
/* Print "parx: warning: <message>" on stderr. */
void	msg_warn(const char *, ...) PARX_PRINTF(1, 2);
/* Report a broken invariant with file and line, then abort. */
void	msg_bug(const char *file, int line, const char *, ...)
	    PARX_PRINTF(3, 4) PARX_NORETURN;

#define BUG(...) msg_bug(__FILE__, __LINE__, __VA_ARGS__)

#endif

/* SPDX-License-Identifier: ISC */
/*
 * quote: shell quoting of values substituted into a command template, so
 * that no input can inject shell code.  The output is understood by every
 * POSIX shell (sh, dash, bash, ksh, zsh).  Thread-safe.
 */
#ifndef PARX_QUOTE_H
#define PARX_QUOTE_H

#include <stddef.h>

struct buf;

/*
 * Append the shell-quoted form of the len bytes at s to out.  A value made
 * only of [A-Za-z0-9_./+-] (and not empty) is appended as it is; any other
 * value is wrapped in single quotes, with each embedded single quote
 * written as '"'"'; as in GNU parallel, the '' this leaves at either end
 * of a value that begins or ends with a single quote is dropped ("'a"
 * gives "'"'a').  The empty value becomes ''.  Read back by /bin/sh the
 * result is exactly the input bytes (a NUL byte cannot be represented and
 * ends the value, as it does for execve).
 */
void	quote_shell(struct buf *out, const char *s, size_t len);

/*
 * The number of bytes quote_shell() would append for s, without building
 * it (to measure command lines before they are made).
 */
size_t	quote_shell_len(const char *s, size_t len);

/* Return 1 when quote_shell() would copy s unchanged, else 0. */
int	quote_is_safe(const char *s, size_t len);

/*
 * Return 1 when byte c means nothing to the shell outside quotes, in any
 * word position: [A-Za-z0-9_./+,:@%=-].
 */
int	quote_is_inert(unsigned char c);

/*
 * The inverse of quote_shell() for a line of its words: split the len
 * bytes at s, words separated by blanks, each word made of bytes that
 * stand for themselves ([A-Za-z0-9_./+,:@%=-]), '...' and "'...'" runs,
 * into the values.  Each value is appended to out followed by a NUL byte;
 * returns the number of values.  Anything else ($, `, \, ;, *, an
 * unterminated quote, a NUL byte...) is not a word list: returns -1 with
 * *why saying what was found.  Whatever quote_shell() wrote, joined with
 * spaces, splits back into exactly the values it was given.
 */
long	quote_split(const char *s, size_t len, struct buf *out,
	    const char **why);

#endif

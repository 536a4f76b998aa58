/* SPDX-License-Identifier: ISC */
/*
 * penv: $PARALLEL_ENV, the shell code GNU parallel's env_parallel hands
 * over (the calling shell's aliases, functions and variables), which
 * every shell job runs before its command.
 */
#ifndef PARX_PENV_H
#define PARX_PENV_H

#include <stddef.h>

struct buf;

/*
 * Take $PARALLEL_ENV out of the environment, when it is set and not
 * empty (the jobs do not get it), and make its code: the value, or, when
 * the value names a file that exists (a fifo too), that file's content;
 * each \001 byte becomes a newline.  A NUL byte cannot be passed to a
 * shell: the code ends before it, with a warning.  Returns 1 with *code
 * (malloc'd, NUL-terminated) and *len; 0 when the variable is unset or
 * empty (the environment is left alone) or its file is empty (it is taken
 * out); -1 with *err (a malloc'd
 * message naming the file) when the file cannot be read.  Call from the
 * main thread before any other thread exists (it changes environ).
 */
int	penv_take(char **code, size_t *len, char **err);

/*
 * Append to b the shell code that runs the len bytes of cmd after the
 * codelen bytes of code: the code, a newline and the command; for zsh
 * (zsh != 0) the command is "eval"'d, single-quoted, so that the
 * aliases the code defines apply to it.  penv_wrap_len() is the number
 * of bytes penv_wrap() appends.  Thread-safe.
 */
void	penv_wrap(struct buf *b, const char *code, size_t codelen, int zsh,
	    const char *cmd, size_t len);
size_t	penv_wrap_len(size_t codelen, int zsh, const char *cmd, size_t len);

#endif

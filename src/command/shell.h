/* SPDX-License-Identifier: ISC */
/*
 * shell: which shell runs the jobs, and whether a command word needs it.
 */
#ifndef PARX_SHELL_H
#define PARX_SHELL_H

/*
 * The shell for jobs: $PARALLEL_SHELL if set; else the shell that started
 * parx (the parent process), if it is a POSIX-family shell (sh, dash,
 * bash, ksh, mksh, zsh, ash, yash, posh) -- or, when the parent is not a
 * shell (timeout, env, make), the nearest such ancestor, by the name it
 * was started as, found in $PATH (as GNU parallel finds it: /usr/bin/sh
 * for a dash started as sh), else by its executable's path; else /bin/sh.
 * Returns a malloc'd path.
 */
char	*shell_find(void);

/*
 * 1 when the word names something only the shell can run the same way: a
 * builtin or keyword (echo, cd, test, true, ...), or a function exported
 * from bash (BASH_FUNC_name%% in the environment).
 */
int	 shell_needs_shell(const char *word);

#endif

/* SPDX-License-Identifier: ISC */
/*
 * complete: the shell completion scripts of parx (and sem), for bash, zsh
 * and fish, written from the option table that --help is made from, so
 * that they offer the options parx reads and the values each one takes
 * (the row's complete and values, options.h).
 */
#ifndef PARX_CMD_COMPLETE_H
#define PARX_CMD_COMPLETE_H

#include <stdio.h>

#include "options.h"

/*
 * Write the completion script for shell ("bash", "zsh" or "fish") of the
 * options of tab to fp; the rows named internal-* are left out.  Returns
 * 0, or -1 when parx has no script for shell.
 */
int	complete_write(const struct opt *tab, const char *shell, FILE *fp);

#endif

/* SPDX-License-Identifier: ISC */
/*
 * loginsrc: the special names of -S and --slf, resolved once, before any
 * job's input is read.
 *
 *	..	(-S or --slf) the file sshloginfile in parx's config
 *		directory: the first that exists of $PARALLEL_HOME,
 *		$XDG_CONFIG_HOME/parallel, each $XDG_CONFIG_DIRS/parallel
 *		and ~/.parallel (~/.parallel when none does)
 *	.	(--slf) /etc/parallel/sshloginfile
 *	-	(-S or --slf) the logins on standard input, one a line
 *	NAME	(--slf) a file that cannot be read as given is looked for
 *		in the config directory
 *
 * "slurm" (--slf) stays as it is (slurm.h).  Nothing here is
 * thread-safe; it runs on the main thread before the engines start.
 */
#ifndef PARX_LOGINSRC_H
#define PARX_LOGINSRC_H

struct remote_opts;

/*
 * Rewrite the -S logins and --slf names of ro: a ".." login becomes the
 * --slf path of the config directory's sshloginfile (so a change to that
 * file is followed like any --slf), "." and the looked-up names become
 * paths, and "-" is replaced by the logins read from standard input
 * (lines whose first non-blank byte is '#', and blank lines, skipped),
 * which are -S logins from then on.  stdin_busy says that standard input
 * holds the jobs' input: "-" is then refused.  The strings made here
 * belong to ro (loginsrc_release()).  Returns 0, or -1 with *err set to
 * a one-line message the caller frees (a file that cannot be read, no
 * $HOME for the config directory, "-" with stdin_busy, a read error).
 */
int	loginsrc_resolve(struct remote_opts *ro, int stdin_busy, char **err);

/* Free the strings loginsrc_resolve() made for ro. */
void	loginsrc_release(struct remote_opts *ro);

#endif

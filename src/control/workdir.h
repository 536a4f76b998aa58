/* SPDX-License-Identifier: ISC */
/*
 * workdir: --workdir (--wd) for jobs that run on this machine, with no -S
 * or on the host ":", as GNU parallel runs them.
 *
 *	DIR	a template, expanded for each job with its values as they are;
 *		missing directories are made (mkdir -p), relative to parx's
 *		own working directory
 *	.	parx's own working directory: nothing changes
 *	...	a fresh directory $HOME/.parallel/tmp/HOST-PID-SEQ, made for
 *		the job and removed with all it holds when the job is over
 *
 * The job is started in its directory (spawn.h).  Jobs on other hosts get
 * theirs from remote.h.  Only the main thread uses a struct workdir.
 */
#ifndef PARX_WORKDIR_H
#define PARX_WORKDIR_H

struct job;
struct tmpl_opts;
struct workdir;

/*
 * Set up for --workdir spec; opts gives the replacement string names.
 * Returns NULL with *err set to a malloc'd message when spec is not a
 * valid template.
 */
struct workdir	*workdir_new(const char *spec, const struct tmpl_opts *opts,
		    char **err);
void		 workdir_free(struct workdir *);

/*
 * Give job j its directory: set j->wd (owned by the job; NULL for ".")
 * and make the directories that are missing.  Returns 0, or -1 with errno
 * and workdir_culprit() naming the path that failed (ENOTDIR: it is not
 * a directory).
 */
int		 workdir_enter(struct workdir *, struct job *j);

/* Job j is over: remove its directory if it was made fresh (...). */
void		 workdir_leave(struct workdir *, struct job *j);

/* The path of the last failure. */
const char	*workdir_culprit(const struct workdir *);

#endif

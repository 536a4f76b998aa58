/* SPDX-License-Identifier: ISC */
/*
 * remote: what a job on another host runs.  A remote job is still one
 * local process started through the ordinary spawn path: /bin/sh running
 * a short script that sends the job's files (--transferfile), runs the
 * command with ssh through the host's master connection, fetches the
 * results (--return) and removes the files (--cleanup).
 *
 * On the host the command runs under a small POSIX sh wrapper, in the
 * process group sshd made for the session.  The wrapper reads signal
 * names from its stdin, which is the local ssh's stdin, a pipe parx
 * holds (job.h, ctl_fd): each name it reads it sends to the job's whole
 * process group, so the kill sequence (--termseq, --timeout) reaches the
 * remote job step by step.  When that stdin ends before the job does
 * (the ssh connection died, or parx did), it kills the group itself:
 * TERM, and KILL a second later.
 *
 * Files move with rsync when both sides have it, else with tar over the
 * same ssh connection; PARX_TRANSFER=tar or rsync forces a method.
 */
#ifndef PARX_REMOTE_H
#define PARX_REMOTE_H

#include <stddef.h>

struct buf;
struct job;
struct sshlogin_host;
struct tmpl_ctx;
struct tmpl_opts;

/*
 * The options, filled by cmd/.  Strings point into argv, or into own
 * (made by loginsrc_resolve(), loginsrc.h).
 */
struct remote_opts {
	char		**logins;	/* -S, --sshlogin */
	size_t		  nlogins;
	char		**files;	/* --slf */
	size_t		  nfiles;
	const char	 *ssh;		/* --ssh */
	char		**transfer;	/* --transferfile, --transfer: {} */
	size_t		  ntransfer;
	char		**ret;		/* --return */
	size_t		  nret;
	char		**basefile;	/* --basefile */
	size_t		  nbasefile;
	int		  cleanup;	/* --cleanup */
	const char	 *workdir;	/* --workdir */
	char		**env;		/* --env */
	size_t		  nenv;
	const char	 *jobs;		/* -j as given: slots per host */
	double		  sshdelay;	/* --sshdelay: between ssh starts */
	int		  filter_hosts;	/* --filter-hosts: all connected first */
	int		  hostgroups;	/* --hostgroups: ARG@GROUPS */
	char		**own;		/* strings made for logins, files */
	size_t		  nown;
};

struct remote;

/*
 * Parse the templates of --transferfile, --return and --workdir with the
 * replacement strings of to.  Returns NULL with *err set (to be freed).
 */
struct remote	*remote_new(const struct remote_opts *,
		    const struct tmpl_opts *to, char **err);
void		 remote_free(struct remote *);

/*
 * Turn job j, whose command is already expanded, into the local script
 * that runs it on host h (argv for direct exec: /bin/sh -c SCRIPT),
 * using ctx for the file templates.  With --hostgroups, arggroups is
 * the job's $PARALLEL_ARGHOSTGROUPS (and h's groups its
 * $PARALLEL_HOSTGROUPS); NULL without.  j->cmd stays as it was (the job log
 * and -v show it).  Never fails.
 */
void		 remote_wrap(struct remote *, const struct sshlogin_host *h,
		    struct job *j, const struct tmpl_ctx *ctx,
		    const char *arggroups);

/*
 * Append to script the shell code that sends path (a --basefile or
 * --transferfile name) to h, into workdir wd (NULL: the login dir).
 */
void		 remote_send(struct buf *script, const struct sshlogin_host *h,
		    const char *path, const char *wd);

/* Append the shell code that runs code (len bytes) on h. */
void		 remote_ssh(struct buf *script, const struct sshlogin_host *h,
		    const char *code, size_t len);

/* Append the shell code that makes directory wd on h. */
void		 remote_mkdir(struct buf *script, const struct sshlogin_host *h,
		    const char *wd);

/* Append the shell code that removes path from h (wd as above). */
void		 remote_remove(struct buf *script,
		    const struct sshlogin_host *h, const char *path,
		    const char *wd);

/*
 * The directory --basefile files go to: --workdir (. made a path), or
 * NULL for the login dir (no --workdir, or ...).  The caller frees it.
 */
char		*remote_base_dir(const struct remote_opts *);

/*
 * Append the shell code that removes from h the files through which
 * this parx's remote jobs report a signal (see remote.c), which a job
 * killed while it read its own leaves behind.
 */
void		 remote_remove_sigfiles(struct buf *script,
		    const struct sshlogin_host *h);

/* 1 when files go with rsync to h (both sides have it). */
int		 remote_use_rsync(const struct sshlogin_host *h);

#endif

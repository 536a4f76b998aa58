/* SPDX-License-Identifier: ISC */
/*
 * sshlogin: the hosts jobs run on (-S, --sshlogin, --slf), their job
 * slots, and the one OpenSSH connection parx keeps to each.
 *
 * A login is "[@GROUPS/][N/][SSHCOMMAND ][user[:password]@]host[:port]"
 * (IPv6: "[addr]:port"), or ":" for this machine; GROUPS (separated by '+') name
 * the host groups it is in besides its own name, and a login "@GROUPS"
 * alone keeps only the hosts of those groups.  SSHCOMMAND is the ssh
 * command for that host instead of --ssh.  A password (empty: $SSHPASS)
 * is given to the master connection's ssh by sshpass -e, through the
 * environment of that one process; the name of the host leaves it out,
 * and messages show it as "***".  For every remote host parx starts one
 * master connection
 * (ssh -M -N -f) whose control socket lives in a private directory
 * (mode 0700) under the temporary directory; every later ssh to the host
 * (jobs, transfers, checks) goes through it with -S.  A host without N/
 * gets -j slots, or, when -j was not given, as many as it has CPUs: the
 * host is asked once with a plain POSIX command line.
 *
 * Connecting is asynchronous: every host gets one connecting script at
 * once (master, CPU count, --basefile files), and the caller polls their
 * descriptors (sshlogin_prepare(), sshlogin_dispatch()); a host takes jobs
 * from the moment its script has ended well, so a host that never answers
 * holds nothing up.  Everything here runs on the main thread; nothing is
 * thread-safe.
 */
#ifndef PARX_SSHLOGIN_H
#define PARX_SSHLOGIN_H

#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

struct buf;
struct pollfd;
struct remote_opts;

enum sshlogin_state {
	SSHLOGIN_NEW,		/* not connected yet */
	SSHLOGIN_CONNECTING,	/* its connecting script runs */
	SSHLOGIN_UP,		/* connected: takes jobs */
	SSHLOGIN_DOWN,		/* could not connect, or lost: no more jobs */
	SSHLOGIN_GONE		/* left the --slf file: no more jobs */
};

struct sshlogin_host {
	char			*name;	/* as written, without N/; ":" local */
	char			*user;	/* NULL: ssh's default */
	char			*pass;	/* user:password@, or NULL */
	char			*host;
	char			*port;	/* NULL: ssh's default */
	int			 local;
	enum sshlogin_state	 state;
	unsigned long		 slots;	/* 0 until known */
	int			 slots_given; /* N/ */
	unsigned long		 busy;	/* jobs running on it */
	int			 rsync;	/* rsync found here and there */
	int			 listed; /* in the last read of its --slf */
	int			 from_file;
	char			*ctl;	/* control socket path */
	char			*ssh;	/* shell code: the ssh command with
					   -S, -p and -l, without host */
	char			*mssh;	/* the master's, with a password */
	char			*dest;	/* shell code: -- 'host' */
	pid_t			 conn_pid; /* the connecting script, or -1 */
	int			 conn_fd; /* its stdout, or -1 */
	struct buf		*conn_out; /* what it wrote so far */
	int			 killed;  /* a job here was killed by parx */
	char			*sshcmd; /* "SSHCOMMAND host": its ssh, or NULL */
	char			**groups; /* @GROUP+GROUP/ */
	size_t			 ngroups;
	int			 select; /* "@GROUP" alone: not a host */
};

struct sshlogin;

/*
 * Parse the logins (-S) and read the files (--slf) of ro; a host without
 * N/ gets ro->jobs slots (-j, counted from the host's CPUs for +N, -N,
 * N% and 0), or its CPU count without -j.  tmpdir (NULL: $TMPDIR or
 * /tmp) gets the control directory.  Returns the table, or NULL with
 * *err set to a message the caller frees (a malformed login, an
 * unreadable file, no login at all).
 */
struct sshlogin	*sshlogin_new(const struct remote_opts *ro, const char *tmpdir,
		    char **err);

/*
 * Start connecting the hosts that are not yet connected: for each, one
 * script makes the master connection, finds the slots and sends the
 * --basefile files.  This machine (":") is up at once.  A host whose
 * script fails is reported on stderr (once) and is down.
 */
void		 sshlogin_connect(struct sshlogin *);

/* The number of hosts up. */
size_t		 sshlogin_up(const struct sshlogin *);

/*
 * For the main loop (loop.h): fill at most max entries of pfd with the
 * descriptors of the connecting scripts, and return how many; then act
 * on the n entries after poll(): a script that has ended makes its host
 * up (it takes jobs from then on) or down.
 */
size_t		 sshlogin_prepare(struct sshlogin *, struct pollfd *pfd,
		    size_t max);
void		 sshlogin_dispatch(struct sshlogin *, const struct pollfd *pfd,
		    size_t n);

/* How many hosts are connecting now (descriptors the loop polls). */
size_t		 sshlogin_connecting(const struct sshlogin *);

/* 1 when h is in one of the n groups g (its own name counts as one). */
int		 sshlogin_in_groups(const struct sshlogin_host *h,
		    char *const *g, size_t n);

/* 1 when only this machine (":") is listed: ssh is not needed at all. */
int		 sshlogin_all_local(const struct sshlogin *);

/* The job slots of the hosts up, added together. */
unsigned long	 sshlogin_slots(const struct sshlogin *);

/*
 * The slots the hosts still connecting may bring: their N/ or -j N, or
 * SSHLOGIN_ROOM for a host whose CPU count is not known yet.
 */
unsigned long	 sshlogin_room(const struct sshlogin *);

#define SSHLOGIN_ROOM	64

/*
 * A host with a free slot, which is counted busy until
 * sshlogin_release(); the least loaded one is picked, among those in one
 * of the ngroups groups (any host when ngroups is 0), and another one
 * than avoid (the host a retried job failed on; may be NULL) when one is
 * free.  Returns NULL with errno EAGAIN when every slot is busy (or a
 * host is still connecting), or ENOENT when no host can take jobs any
 * more (none is up or connecting, and no job is running that could end
 * in a --slf change).
 */
struct sshlogin_host *sshlogin_take(struct sshlogin *,
		    const struct sshlogin_host *avoid, char *const *groups,
		    size_t ngroups);

/*
 * 1 when a host (not one that left its --slf) is in group g.  Else
 * sshlogin_add_host() adds the login s (a group named where no host is
 * in it, as GNU parallel does) and starts connecting it; it returns 0,
 * or -1 with *err set when s is not a login.
 */
int		 sshlogin_has_group(const struct sshlogin *, const char *g);

/*
 * Every group of the hosts (not those that left their --slf), their own
 * names included, each once, joined by '+', in order.  The caller frees
 * it.
 */
char		*sshlogin_all_groups(const struct sshlogin *);
int		 sshlogin_add_host(struct sshlogin *, const char *s,
		    char **err);
void		 sshlogin_release(struct sshlogin *, struct sshlogin_host *);

/*
 * A job on host exited 255, which is ssh's own failure: check the master
 * connection.  When it is gone the host is reported on stderr (once)
 * and gets no more jobs; returns 1 then, else 0.
 */
int		 sshlogin_lost(struct sshlogin *, struct sshlogin_host *);

/*
 * Read the --slf files again if one changed since the last read: new
 * hosts are connected, hosts no longer listed get no new jobs.
 */
void		 sshlogin_reread(struct sshlogin *);

/*
 * Run the shell code script with /bin/sh, in a process group of its
 * own, and wait for it.  stdin is /dev/null; stdout is collected in out
 * when out is not NULL (stderr too when with_err is set), else it goes
 * to /dev/null; stderr is otherwise parx's.  Returns the wait status, or
 * -1 with errno when it could not start.
 */
int		 sshlogin_sh(const char *script, struct buf *out, int with_err);

/*
 * Stop the connecting scripts (a host still connecting is reported: it
 * got no jobs), close every master connection (ssh -O exit), after
 * removing the --basefile files when cleanup is set, and remove the
 * control directory; free the table.  NULL is fine.
 */
void		 sshlogin_free(struct sshlogin *, int cleanup);

/*
 * Parse the logins of ro and read its --slf files as sshlogin_new()
 * does, connecting nothing (--dry-run).  Returns 0, or -1 with *err set
 * as sshlogin_names() sets it.
 */
int		 sshlogin_check(const struct remote_opts *ro, char **err);

/*
 * The length of the first login of the list s..end (-S, a --slf line):
 * up to its first newline, or first comma that is not part of ",," or
 * "\,", which stand for a comma in a login (-S 'ssh -J a,,b host'), as
 * in GNU parallel.
 */
size_t		 sshlogin_item_len(const char *s, const char *end);

/*
 * The names of the logins of ro (-S, then the --slf files), each once,
 * as written but without N/ (nor a password), in order; ":" alone when
 * there are none.  In *logins, at the same index, the login with its
 * password for a host that has one, else NULL.  Connects to nothing.
 * Returns a NULL-terminated array (free each name and the array; the
 * same for *logins) with its length in *n, or NULL with *err set (to be
 * freed) and *logins untouched.
 */
char		**sshlogin_names(const struct remote_opts *ro, size_t *n,
		    char ***logins, char **err);

#endif

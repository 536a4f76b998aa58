/* SPDX-License-Identifier: ISC */
/*
 * The host table: parsing logins, the master connections, the job slots,
 * and re-reading --slf files while jobs run.
 *
 * DESIGN: every ssh parx runs for its own needs (master, CPU count, check,
 * exit, basefiles) is a short /bin/sh script started with posix_spawn
 * from the main thread and waited for by pid, so it never meets the
 * engines' children.  The master is started with -f: ssh forks to the
 * background once the connection and its control socket are up, so the
 * exit status of the process parx waits for says whether the host is up.
 *
 * Connecting: one script per host does all of it (master, probe,
 * basefiles) and tells by its exit status which step failed; its stdout
 * is a non-blocking pipe the main loop polls, and the host takes jobs
 * once the script has ended well.  A host that never answers therefore
 * costs nothing but its script, which is stopped (its process group) when
 * parx ends.
 *
 * Nothing left behind, SIGKILL included: masters outlive the process that
 * started them (-f), and ControlPersist cannot tell that parx is gone, so
 * a watchdog does it: a shell, in a group of its own, that waits for end
 * of file on a pipe only parx holds, which the kernel closes however parx
 * ends.  It then stops the connecting scripts (each wrote its process
 * group as N.pid in the control directory), sends -O exit to every socket
 * there, and removes the directory.  Nothing depends on a later run.
 */
#include "sshlogin.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "config.h"
#include "msg.h"
#include "quote.h"
#include "remote.h"
#include "slurm.h"
#include "spawn.h"
#include "sys.h"
#include "xalloc.h"

/* Asks for the CPU count, then says whether rsync is there. */
#define SSHLOGIN_PROBE	"getconf _NPROCESSORS_ONLN 2>/dev/null || " \
	"nproc 2>/dev/null || grep -c ^processor /proc/cpuinfo 2>/dev/null" \
	" || echo 1; command -v rsync >/dev/null 2>&1 && echo rsync"

struct sshlogin_file {
	const char	*path;
	struct stat	 st;		/* at the last read */
};

struct sshlogin {
	struct sshlogin_host	**h;
	size_t			  n;
	const struct remote_opts *ro;
	const char		 *ssh;		/* the ssh command (shell) */
	unsigned long		  fixed;	/* -j N slots, or 0 */
	char			 *dir;		/* the control directory */
	unsigned		  nctl;		/* sockets named so far */
	struct sshlogin_file	 *files;
	size_t			  nfiles;
	unsigned long		  running;	/* jobs on any host */
	char			**allow;	/* @GROUPS logins: only these */
	size_t			  nallow;
	int			  rsync;	/* -1: not looked for yet */
	pid_t			  watch_pid;	/* the watchdog, or -1 */
	int			  watch_fd;	/* its pipe: EOF when parx ends */
};

extern char **environ;

static void
sshlogin_host_free(struct sshlogin_host *h)
{
	if (h == NULL)
		return;
	free(h->name);
	free(h->user);
	if (h->pass) {
		explicit_bzero(h->pass, strlen(h->pass));
		free(h->pass);
	}
	free(h->host);
	free(h->port);
	free(h->ctl);
	free(h->ssh);
	free(h->mssh);
	free(h->dest);
	free(h->sshcmd);
	while (h->ngroups > 0)
		free(h->groups[--h->ngroups]);
	free(h->groups);
	if (h->conn_out) {
		buf_release(h->conn_out);
		free(h->conn_out);
	}
	free(h);
}

/*
 * Append the login s (len bytes) to b with its password, if it has one,
 * shown as "***": the part between the first ':' and the first '@' of
 * its user@host word, after any @GROUPS/ and N/.
 */
static void
sshlogin_add_masked(struct buf *b, const char *s, size_t len)
{
	const char *end = s + len, *w = end, *at, *colon, *q;

	while (w > s && w[-1] != ' ' && w[-1] != '\t')
		w--;
	if (w == s && *w == '@' && (q = memchr(w, '/', len)) != NULL)
		w = q + 1;
	for (q = w; q < end && *q >= '0' && *q <= '9'; q++)
		;
	if (q > w && q < end && *q == '/')
		w = q + 1;
	at = memchr(w, '@', (size_t)(end - w));
	colon = at ? memchr(w, ':', (size_t)(at - w)) : NULL;
	if (colon == NULL || colon + 1 == at) {
		buf_add(b, s, len);
		return;
	}
	buf_add(b, s, (size_t)(colon + 1 - s));
	buf_addstr(b, "***");
	buf_add(b, at, (size_t)(end - at));
}

/* The message for the bad login s (len bytes) of -S or of file. */
static char *
sshlogin_bad(const char *s, size_t len, const char *file)
{
	struct buf e = BUF_INIT;

	buf_addstr(&e, "invalid sshlogin '");
	sshlogin_add_masked(&e, s, len);
	if (file) {
		buf_addstr(&e, "' in --sshloginfile '");
		buf_addstr(&e, file);
		buf_addstr(&e, "'");
	} else
		buf_addstr(&e, "' for --sshlogin/-S");
	buf_addstr(&e, ": expected [@GROUPS/][N/][SSHCOMMAND ][user[:password]@]"
	    "host[:port], ':' or @GROUPS");
	return buf_detach(&e, NULL);
}

/* Add the '+'-separated groups in s (len bytes) to *v.  -1: one is empty. */
static int
sshlogin_add_groups(char ***v, size_t *n, const char *s, size_t len)
{
	const char *end = s + len, *plus;

	for (; s <= end; s = plus + 1) {
		plus = memchr(s, '+', (size_t)(end - s));
		if (plus == NULL)
			plus = end;
		if (plus == s)
			return -1;
		*v = xreallocarray(*v, *n + 1, sizeof(**v));
		(*v)[(*n)++] = xmemdupz(s, (size_t)(plus - s));
	}
	return 0;
}

/* 1 when c may be in a host name or address. */
static int
sshlogin_host_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	    c == ':' || c == '%';
}

/* 1 when c, in the login p..end, is in its password ("user:password@"). */
static int
sshlogin_in_password(const char *p, const char *end, const char *c)
{
	const char *at = memchr(p, '@', (size_t)(end - p));
	const char *colon = at ? memchr(p, ':', (size_t)(at - p)) : NULL;

	return colon && colon < c && c < at;
}

/*
 * The password of the login s (len bytes), between colon and at: kept in
 * h, and cut out of h's name, where colon is at offset off.  An
 * empty one is $SSHPASS.  Returns 0, or -1 with *err set when there is
 * no password after all or no sshpass to give it.
 */
static int
sshlogin_password(struct sshlogin_host *h, const char *s, size_t len,
    const char *colon, const char *at, size_t off, char **err)
{
	struct buf e = BUF_INIT;
	const char *env = getenv("SSHPASS");
	char *found, *cut = h->name + off;
	size_t cutlen = (size_t)(at - colon);

	if (colon + 1 < at)
		h->pass = xmemdupz(colon + 1, (size_t)(at - colon - 1));
	else if (env && *env)
		h->pass = xstrdup(env);
	buf_addstr(&e, "sshlogin '");
	sshlogin_add_masked(&e, s, len);
	if (h->pass == NULL) {
		buf_addstr(&e, "': its password is empty, and $SSHPASS is not "
		    "set");
		*err = buf_detach(&e, NULL);
		return -1;
	}
	if ((found = sys_path_find("sshpass")) == NULL) {
		buf_addstr(&e, "': a login with a password needs sshpass, "
		    "which is not in $PATH");
		*err = buf_detach(&e, NULL);
		return -1;
	}
	free(found);
	buf_release(&e);
	/* The name is "... user:password@host": drop ":password". */
	memmove(cut, cut + cutlen, strlen(cut + cutlen) + 1);
	return 0;
}

/*
 * Parse one login of -S or of the --slf file file:
 *
 *	[@GROUP[+GROUP...]/][N/][SSHCOMMAND ][user[:password]@]host[:port]
 *	[@GROUP[+GROUP...]/][N/]:
 *	@GROUP[+GROUP...]	(no host: only the hosts of these groups run
 *				jobs; the host comes back with select set)
 *
 * Returns the host, or NULL with *err set.
 */
static struct sshlogin_host *
sshlogin_parse(const char *s, size_t len, const char *file, char **err)
{
	struct sshlogin_host *h;
	const char *p = s, *end = s + len, *at, *colon, *slash, *ws, *q;
	const char *name0;
	unsigned long n = 0;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	while (end > p && (end[-1] == ' ' || end[-1] == '\t' ||
	    end[-1] == '\r'))
		end--;
	h = xcalloc(1, sizeof(*h));
	h->conn_pid = -1;
	h->conn_fd = -1;
	if (p < end && *p == '@') {
		slash = memchr(p, '/', (size_t)(end - p));
		if (sshlogin_add_groups(&h->groups, &h->ngroups, p + 1,
		    (size_t)((slash ? slash : end) - p - 1)) == -1)
			goto bad;
		if (slash == NULL) {
			h->select = 1;
			return h;
		}
		p = slash + 1;
	}
	ws = p;
	while (ws < end && *ws != ' ' && *ws != '\t')
		ws++;
	slash = memchr(p, '/', (size_t)(end - p));
	for (q = p; slash && q < slash && *q >= '0' && *q <= '9'; q++)
		if ((n = n * 10 + (unsigned long)(*q - '0')) > 100000)
			goto bad;
	if (slash && q == slash && q > p) {
		if (n == 0)
			goto bad;
		h->slots = n;
		h->slots_given = 1;
		p = slash + 1;
	} else if (slash && ws == end && !sshlogin_in_password(p, end, slash)) {
		goto bad;	/* a '/' outside an ssh command */
	}
	name0 = p;
	h->name = xmemdupz(p, (size_t)(end - p));
	if (strcmp(h->name, ":") == 0) {
		h->local = 1;
		return h;
	}
	/* "SSHCOMMAND [user@]host": the last word is the host. */
	for (ws = end; ws > p && ws[-1] != ' ' && ws[-1] != '\t'; ws--)
		;
	if (ws > p) {
		for (q = ws; q > p && (q[-1] == ' ' || q[-1] == '\t'); q--)
			;
		h->sshcmd = xmemdupz(p, (size_t)(q - p));
		p = ws;
	}
	at = memchr(p, '@', (size_t)(end - p));
	if (at) {
		const char *colon2 = memchr(p, ':', (size_t)(at - p));

		if (at == p)
			goto bad;
		if (colon2 && sshlogin_password(h, s, len, colon2, at,
		    (size_t)(colon2 - name0), err) == -1)
			goto fail;
		if ((colon2 ? colon2 : at) > p)
			h->user = xmemdupz(p, (size_t)((colon2 ? colon2 : at) - p));
		p = at + 1;
	}
	if (p < end && *p == '[') {
		const char *rb = memchr(p, ']', (size_t)(end - p));

		if (rb == NULL || rb == p + 1)
			goto bad;
		h->host = xmemdupz(p + 1, (size_t)(rb - p - 1));
		p = rb + 1;
		if (p < end && *p != ':')
			goto bad;
		colon = p < end ? p : NULL;
	} else {
		colon = memchr(p, ':', (size_t)(end - p));
		/* Two colons: an IPv6 address without a port. */
		if (colon && memchr(colon + 1, ':', (size_t)(end - colon - 1)))
			colon = NULL;
		h->host = xmemdupz(p, (size_t)((colon ? colon : end) - p));
	}
	if (colon) {
		if (colon + 1 == end)
			goto bad;
		for (q = colon + 1; q < end; q++)
			if (*q < '0' || *q > '9')
				goto bad;
		h->port = xmemdupz(colon + 1, (size_t)(end - colon - 1));
	}
	if (*h->host == '\0' || *h->host == '-')
		goto bad;
	for (q = h->host; *q; q++)
		if (!sshlogin_host_char(*q))
			goto bad;
	return h;
bad:
	*err = sshlogin_bad(s, len, file);
fail:
	sshlogin_host_free(h);
	return NULL;
}

/* 1 when h is in one of the n groups g (its own name is one). */
int
sshlogin_in_groups(const struct sshlogin_host *h, char *const *g, size_t n)
{
	size_t i, k;

	for (i = 0; i < n; i++) {
		if (h->name && strcmp(h->name, g[i]) == 0)
			return 1;
		for (k = 0; k < h->ngroups; k++)
			if (strcmp(h->groups[k], g[i]) == 0)
				return 1;
	}
	return 0;
}

/* Give a new remote host its control socket and ssh command words. */
static void
sshlogin_name_ctl(struct sshlogin *sl, struct sshlogin_host *h)
{
	struct buf b = BUF_INIT;
	char num[32];

	snprintf(num, sizeof(num), "/%u", sl->nctl++);
	buf_addstr(&b, sl->dir);
	buf_addstr(&b, num);
	h->ctl = buf_detach(&b, NULL);
	buf_addstr(&b, h->sshcmd ? h->sshcmd : sl->ssh);
	buf_addstr(&b, " -S ");
	quote_shell(&b, h->ctl, strlen(h->ctl));
	if (h->port) {
		buf_addstr(&b, " -p ");
		quote_shell(&b, h->port, strlen(h->port));
	}
	if (h->user) {
		buf_addstr(&b, " -l ");
		quote_shell(&b, h->user, strlen(h->user));
	}
	if (h->pass) {
		/*
		 * Only the master logs in.  Any other ssh goes through it,
		 * and if it is gone must fail, not ask for the password.
		 */
		h->mssh = xmemdupz(b.data, b.len);
		buf_addstr(&b, " -o BatchMode=yes");
	}
	h->ssh = buf_detach(&b, NULL);
	buf_addstr(&b, " -- ");
	quote_shell(&b, h->host, strlen(h->host));
	h->dest = buf_detach(&b, NULL);
}

static struct sshlogin_host *
sshlogin_find(struct sshlogin *sl, const char *name)
{
	size_t i;

	for (i = 0; i < sl->n; i++)
		if (strcmp(sl->h[i]->name, name) == 0 &&
		    sl->h[i]->state != SSHLOGIN_GONE)
			return sl->h[i];
	return NULL;
}

/* Move the groups of h to the end of *v. */
static void
sshlogin_move_groups(char ***v, size_t *n, struct sshlogin_host *h)
{
	if (h->ngroups == 0)
		return;		/* h->groups may be NULL: no memcpy from it */
	*v = xreallocarray(*v, *n + h->ngroups, sizeof(**v));
	memcpy(*v + *n, h->groups, h->ngroups * sizeof(*h->groups));
	*n += h->ngroups;
	h->ngroups = 0;
}

/* The length of the first login of the list s..end. */
size_t
sshlogin_item_len(const char *s, const char *end)
{
	const char *p;

	for (p = s; p < end && *p != '\n'; p++) {
		if ((*p == ',' || *p == '\\') && p + 1 < end && p[1] == ',')
			p++;	/* ",," or "\,": a comma in the login */
		else if (*p == ',')
			break;
	}
	return (size_t)(p - s);
}

/* The login s (len bytes) into b, its ",," and "\," made ",". */
static void
sshlogin_unescape(struct buf *b, const char *s, size_t len)
{
	const char *end = s + len;

	buf_reset(b);
	for (; s < end; s++) {
		if ((*s == ',' || *s == '\\') && s + 1 < end && s[1] == ',')
			s++;
		buf_addch(b, *s);
	}
}

/*
 * Add the comma-separated logins in s (len bytes), of -S or of a line of
 * the --slf file file (see sshlogin_item_len()).  A login listed twice
 * is kept once.  Returns 0, or -1 with *err set.
 */
static int
sshlogin_add(struct sshlogin *sl, const char *s, size_t len, const char *file,
    char **err)
{
	const char *end = s + len, *comma;
	struct sshlogin_host *h, *old;
	struct buf one = BUF_INIT;

	for (; s <= end; s = comma + 1) {
		comma = s + sshlogin_item_len(s, end);
		if (comma == s || (file && *s == '#')) {
			if (file && *s == '#')
				break;
			continue;
		}
		sshlogin_unescape(&one, s, (size_t)(comma - s));
		h = sshlogin_parse(one.data, one.len, file, err);
		if (h == NULL) {
			buf_release(&one);
			return -1;
		}
		if (h->select) {
			/* @GROUPS alone: which hosts run jobs. */
			sshlogin_move_groups(&sl->allow, &sl->nallow, h);
			sshlogin_host_free(h);
			continue;
		}
		old = sshlogin_find(sl, h->name);
		if (old) {
			old->listed = 1;
			/* In the groups of both. */
			sshlogin_move_groups(&old->groups, &old->ngroups, h);
			if (h->slots_given && old->state == SSHLOGIN_UP) {
				old->slots = h->slots;
				old->slots_given = 1;
			}
			sshlogin_host_free(h);
			continue;
		}
		h->from_file = file != NULL;
		h->listed = 1;
		if (!h->slots_given)
			h->slots = sl->fixed;
		if (!h->local && sl->dir)
			sshlogin_name_ctl(sl, h);
		sl->h = xreallocarray(sl->h, sl->n + 1, sizeof(*sl->h));
		sl->h[sl->n++] = h;
	}
	buf_release(&one);
	return 0;
}

/*
 * With @GROUPS logins, drop the hosts not yet connected that are in none
 * of those groups.
 */
static void
sshlogin_select(struct sshlogin *sl)
{
	size_t i, k = 0;

	for (i = 0; i < sl->n; i++) {
		struct sshlogin_host *h = sl->h[i];

		if (sl->nallow == 0 || h->state != SSHLOGIN_NEW ||
		    sshlogin_in_groups(h, sl->allow, sl->nallow))
			sl->h[k++] = h;
		else
			sshlogin_host_free(h);
	}
	sl->n = k;
}

/* Free the @GROUPS of sl. */
static void
sshlogin_free_allow(struct sshlogin *sl)
{
	while (sl->nallow > 0)
		free(sl->allow[--sl->nallow]);
	free(sl->allow);
	sl->allow = NULL;
}

/* Read one --slf file.  Returns 0, or -1 with errno. */
static int
sshlogin_read_file(struct sshlogin *sl, struct sshlogin_file *f, char **err)
{
	struct buf b = BUF_INIT;
	char chunk[4096], *p, *nl, *end;
	ssize_t n;
	int fd, rc = 0;

	if (slurm_is_name(f->path)) {
		if (slurm_logins(&b, err) == -1) {
			buf_release(&b);
			return -1;
		}
		goto parse;
	}
	fd = open(f->path, O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		return -1;
	if (fstat(fd, &f->st) == -1) {
		close(fd);
		return -1;
	}
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			buf_release(&b);
			close(fd);
			return -1;
		}
		buf_add(&b, chunk, (size_t)n);
	}
	close(fd);
parse:
	p = b.data;
	end = b.data + b.len;
	for (; p && p < end && rc == 0; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		rc = sshlogin_add(sl, p, (size_t)(nl - p), f->path, err);
	}
	buf_release(&b);
	if (rc == -1)
		errno = EINVAL;
	return rc;
}

/* Make the private directory of the control sockets. */
static int
sshlogin_mkdir(struct sshlogin *sl, const char *tmpdir)
{
	struct buf b = BUF_INIT;

	if (tmpdir == NULL || *tmpdir == '\0')
		tmpdir = getenv("TMPDIR");
	/* A socket path must fit in sun_path (108 bytes). */
	if (tmpdir == NULL || *tmpdir == '\0' || strlen(tmpdir) > 80)
		tmpdir = "/tmp";
	buf_addstr(&b, tmpdir);
	buf_addstr(&b, "/parx-ssh-XXXXXX");
	sl->dir = buf_detach(&b, NULL);
	if (mkdtemp(sl->dir) == NULL) {
		free(sl->dir);
		sl->dir = NULL;
		return -1;
	}
	return 0;
}

/*
 * Start the watchdog: a shell that waits for end of file on a pipe whose
 * other end only parx holds (close-on-exec), then stops the connecting
 * scripts still running (each wrote its process group in the control
 * directory) and every master still listening there, and removes the
 * directory.
 * parx gone by any means, SIGKILL included, leaves nothing behind; after
 * a normal end it finds the directory gone already.
 */
static int
sshlogin_watch(struct sshlogin *sl)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	struct buf script = BUF_INIT;
	char *argv[4];
	int p[2], err;

	if (sys_pipe(p) == -1)
		return -1;
	buf_addstr(&script, "cat >/dev/null; for s in ");
	quote_shell(&script, sl->dir, strlen(sl->dir));
	buf_addstr(&script, "/*.pid; do [ -f \"$s\" ] && "
	    "kill -s TERM -- \"-$(cat \"$s\")\"; done; for s in ");
	quote_shell(&script, sl->dir, strlen(sl->dir));
	buf_addstr(&script, "/*; do [ -S \"$s\" ] && ");
	buf_addstr(&script, sl->ssh);
	buf_addstr(&script, " -S \"$s\" -O exit parx; done; rm -rf ");
	quote_shell(&script, sl->dir, strlen(sl->dir));
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, p[0], 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	/* Its own group: Ctrl-C at the terminal is parx's to handle. */
	spawn_attr_init(&attr);
	argv[0] = "sh";
	argv[1] = "-c";
	argv[2] = script.data;
	argv[3] = NULL;
	err = posix_spawn(&sl->watch_pid, "/bin/sh", &fa, &attr, argv,
	    environ);
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&fa);
	buf_release(&script);
	close(p[0]);
	if (err) {
		close(p[1]);
		sl->watch_pid = -1;
		errno = err;
		return -1;
	}
	sl->watch_fd = p[1];
	return 0;
}

/* Build the table. */
struct sshlogin *
sshlogin_new(const struct remote_opts *ro, const char *tmpdir, char **err)
{
	struct sshlogin *sl;
	char msg[512];
	size_t i;

	sl = xcalloc(1, sizeof(*sl));
	sl->rsync = -1;
	sl->watch_pid = -1;
	sl->watch_fd = -1;
	sl->ro = ro;
	/* A plain -j N needs no CPU count; +N, -N, N% and 0 do. */
	if (ro->jobs && *ro->jobs >= '0' && *ro->jobs <= '9' &&
	    config_parse_jobs(ro->jobs, 1, &sl->fixed) == -1)
		sl->fixed = 0;
	sl->ssh = ro->ssh;
	if (sl->ssh == NULL || *sl->ssh == '\0')
		sl->ssh = getenv("PARALLEL_SSH");
	if (sl->ssh == NULL || *sl->ssh == '\0')
		sl->ssh = "ssh";
	if (sshlogin_mkdir(sl, tmpdir) == -1) {
		snprintf(msg, sizeof(msg), "cannot create a directory for the "
		    "ssh control sockets: %s", strerror(errno));
		*err = xstrdup(msg);
		free(sl);
		return NULL;
	}
	if (sshlogin_watch(sl) == -1) {
		snprintf(msg, sizeof(msg), "cannot start the watchdog of the "
		    "ssh control directory: %s", strerror(errno));
		*err = xstrdup(msg);
		goto fail;
	}
	for (i = 0; i < ro->nlogins; i++)
		if (sshlogin_add(sl, ro->logins[i], strlen(ro->logins[i]),
		    NULL, err) == -1)
			goto fail;
	sl->files = xcalloc(ro->nfiles ? ro->nfiles : 1, sizeof(*sl->files));
	sl->nfiles = ro->nfiles;
	for (i = 0; i < ro->nfiles; i++) {
		sl->files[i].path = ro->files[i];
		if (sshlogin_read_file(sl, &sl->files[i], err) == -1) {
			if (*err == NULL) {
				snprintf(msg, sizeof(msg), "cannot read --slf "
				    "'%s': %s", ro->files[i], strerror(errno));
				*err = xstrdup(msg);
			}
			goto fail;
		}
	}
	sshlogin_select(sl);
	if (sl->n == 0 && sl->nfiles == 0) {
		*err = xstrdup(sl->nallow ? "no sshlogin is in the host groups "
		    "given" : "no sshlogin given");
		goto fail;
	}
	return sl;
fail:
	sshlogin_free(sl, 0);
	return NULL;
}

/*
 * The login of the host name (user@host, after any SSHCOMMAND) with its
 * password pass put back: user:pass@host.  The caller frees it.
 */
static char *
sshlogin_with_password(const char *name, const char *pass)
{
	const char *w = name + strlen(name), *at;
	struct buf b = BUF_INIT;

	while (w > name && w[-1] != ' ' && w[-1] != '\t')
		w--;
	at = strchr(w, '@');
	if (at == NULL)
		BUG("the name of a login with a password has no '@'");
	buf_add(&b, name, (size_t)(at - name));
	buf_addch(&b, ':');
	buf_addstr(&b, pass);
	buf_addstr(&b, at);
	return buf_detach(&b, NULL);
}

/* The names of the logins of ro, connecting to none. */
char **
sshlogin_names(const struct remote_opts *ro, size_t *n, char ***logins,
    char **err)
{
	struct sshlogin sl;
	struct sshlogin_file f;
	char **names = NULL, msg[512];
	size_t i;

	memset(&sl, 0, sizeof(sl));
	sl.ro = ro;
	*err = NULL;
	for (i = 0; i < ro->nlogins; i++)
		if (sshlogin_add(&sl, ro->logins[i], strlen(ro->logins[i]),
		    NULL, err) == -1)
			goto out;
	for (i = 0; i < ro->nfiles; i++) {
		memset(&f, 0, sizeof(f));
		f.path = ro->files[i];
		if (sshlogin_read_file(&sl, &f, err) == -1) {
			if (*err == NULL) {
				snprintf(msg, sizeof(msg), "cannot read --slf "
				    "'%s': %s", ro->files[i], strerror(errno));
				*err = xstrdup(msg);
			}
			goto out;
		}
	}
	sshlogin_select(&sl);
	names = xcalloc(sl.n + 2, sizeof(*names));
	*logins = xcalloc(sl.n + 2, sizeof(**logins));
	for (i = 0; i < sl.n; i++) {
		names[i] = sl.h[i]->name;
		sl.h[i]->name = NULL;
		if (sl.h[i]->pass)
			(*logins)[i] = sshlogin_with_password(names[i],
			    sl.h[i]->pass);
	}
	*n = sl.n;
	if (sl.n == 0) {
		names[0] = xstrdup(":");
		*n = 1;
	}
out:
	for (i = 0; i < sl.n; i++)
		sshlogin_host_free(sl.h[i]);
	free(sl.h);
	sshlogin_free_allow(&sl);
	return names;
}

/* Parse the logins of ro, connecting to none. */
int
sshlogin_check(const struct remote_opts *ro, char **err)
{
	char **names, **logins = NULL;
	size_t n = 0, i;

	if ((names = sshlogin_names(ro, &n, &logins, err)) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		free(names[i]);
		if (logins[i]) {
			explicit_bzero(logins[i], strlen(logins[i]));
			free(logins[i]);
		}
	}
	free(names);
	free(logins);
	return 0;
}

/*
 * The environment of the connecting script of a host with password pass:
 * parx's, with SSHPASS=pass.  The caller frees it with
 * sshlogin_env_free().
 */
static char **
sshlogin_env(const char *pass)
{
	char **env;
	size_t n, k = 0, i;

	for (n = 0; environ[n]; n++)
		;
	env = xcalloc(n + 2, sizeof(*env));
	env[k++] = xasprintf("SSHPASS=%s", pass);
	for (i = 0; i < n; i++)
		if (strncmp(environ[i], "SSHPASS=", 8) != 0)
			env[k++] = environ[i];
	return env;
}

static void
sshlogin_env_free(char **env)
{
	explicit_bzero(env[0], strlen(env[0]));
	free(env[0]);
	free(env);
}

/*
 * Start /bin/sh -c script; stdout (and stderr) to *fd when fd is set; in
 * env (NULL: parx's environment).
 */
static pid_t
sshlogin_spawn(const char *script, int *fd, int with_err, char **env)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	char *argv[4];
	int p[2] = { -1, -1 }, err;
	pid_t pid;

	if (fd && sys_pipe(p) == -1)
		return -1;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	if (fd) {
		posix_spawn_file_actions_adddup2(&fa, p[1], 1);
		if (with_err)
			posix_spawn_file_actions_adddup2(&fa, p[1], 2);
	} else {
		posix_spawn_file_actions_addopen(&fa, 1, "/dev/null",
		    O_WRONLY, 0);
	}
	/* Its own group: Ctrl-C at the terminal is parx's to handle. */
	spawn_attr_init(&attr);
	argv[0] = "sh";
	argv[1] = "-c";
	argv[2] = (char *)script;
	argv[3] = NULL;
	err = posix_spawn(&pid, "/bin/sh", &fa, &attr, argv,
	    env ? env : environ);
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&fa);
	if (fd) {
		close(p[1]);
		*fd = p[0];
	}
	if (err) {
		if (fd)
			close(p[0]);
		errno = err;
		return -1;
	}
	return pid;
}

/* Read fd to its end into out (when not NULL), close it, reap pid. */
static int
sshlogin_finish(pid_t pid, int fd, struct buf *out)
{
	char chunk[1024];
	ssize_t n;
	int status;

	if (fd >= 0) {
		while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
			if (n < 0) {
				if (errno == EINTR)
					continue;
				break;
			}
			if (out)
				buf_add(out, chunk, (size_t)n);
		}
		close(fd);
	}
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			return -1;
	return status;
}

/* Run a script to completion. */
int
sshlogin_sh(const char *script, struct buf *out, int with_err)
{
	int fd = -1;
	pid_t pid;

	pid = sshlogin_spawn(script, out ? &fd : NULL, with_err, NULL);
	if (pid == -1)
		return -1;
	return sshlogin_finish(pid, fd, out);
}

/* The first line of what ssh said, for a message. */
static const char *
sshlogin_first_line(struct buf *b)
{
	char *nl;

	if (b->len == 0)
		return "ssh failed";
	buf_addch(b, '\0');
	nl = strchr(b->data, '\n');
	if (nl)
		*nl = '\0';
	/* ssh ends its messages with "\r\n". */
	nl = strchr(b->data, '\r');
	if (nl)
		*nl = '\0';
	return *b->data ? b->data : "ssh failed";
}

static void
sshlogin_down(struct sshlogin_host *h, const char *why)
{
	if (h->state == SSHLOGIN_DOWN)
		return;
	h->state = SSHLOGIN_DOWN;
	msg_warn("host '%s' is down, it gets no more jobs: %s", h->name, why);
}

/* The slots of a host without N/ that has ncpus CPUs. */
static unsigned long
sshlogin_slots_for(const struct sshlogin *sl, unsigned long ncpus)
{
	unsigned long v;

	if (sl->fixed)
		return sl->fixed;
	if (sl->ro->jobs && config_parse_jobs(sl->ro->jobs, (long)ncpus,
	    &v) != -1 && v > 0)
		return v;
	return ncpus;
}

/*
 * Append to script the code that sends the --basefile files to h, into
 * wd; a failure ends the script with status 203.
 */
static void
sshlogin_basefiles(struct sshlogin *sl, struct sshlogin_host *h,
    struct buf *script, const char *wd)
{
	size_t k;

	if (wd) {
		remote_mkdir(script, h, wd);
		buf_addstr(script, " || exit 203\n");
	}
	for (k = 0; k < sl->ro->nbasefile; k++) {
		remote_send(script, h, sl->ro->basefile[k], wd);
		buf_addstr(script, " || exit 203\n");
	}
}

/*
 * Append to script the master connection of h, which has a password:
 * sshpass -e types it (from $SSHPASS, in the script's environment only)
 * at ssh's prompt on a terminal of its own.  When sshpass ends, that
 * terminal hangs up, which would kill the master that ssh -f left in the
 * background if it did not ignore SIGHUP.  Status 204: the password was
 * refused (sshpass's 5); 201: any other failure.
 */
static void
sshlogin_master_pass(const struct sshlogin_host *h, struct buf *script)
{
	struct buf code = BUF_INIT;

	buf_addstr(&code, "trap '' HUP; exec ");
	buf_addstr(&code, h->mssh);
	buf_addstr(&code, " -M -N -f -o ControlPersist=no");
	buf_addstr(&code, h->dest);
	buf_addstr(script, "sshpass -e /bin/sh -c ");
	quote_shell(script, code.data, code.len);
	buf_addstr(script, " 2>&1\ncase $? in 0) ;; 5) exit 204;; "
	    "*) exit 201;; esac\n");
	buf_release(&code);
}

/*
 * The script that connects h: the master (its messages on stdout; status
 * 201 when it fails), the probe when needed (its answer on stdout; 202
 * when ssh fails), the --basefile files (203).  rsync moves the files
 * when both sides have it, which only the probe's answer tells.
 */
static void
sshlogin_conn_script(struct sshlogin *sl, struct sshlogin_host *h,
    struct buf *script, const char *wd, double delay)
{
	int probe = !h->slots || sl->ro->ntransfer || sl->ro->nret ||
	    sl->ro->nbasefile;
	char num[64];

	/* For the watchdog: the group to stop if parx dies meanwhile. */
	buf_addstr(script, "echo $$ >");
	quote_shell(script, h->ctl, strlen(h->ctl));
	buf_addstr(script, ".pid\n");
	if (delay > 0) {
		/* --sshdelay: this master after the ones before it. */
		snprintf(num, sizeof(num), "sleep %.3f\n", delay);
		buf_addstr(script, num);
	}
	if (h->pass)
		sshlogin_master_pass(h, script);
	else {
		buf_addstr(script, h->ssh);
		buf_addstr(script, " -M -N -f -o ControlPersist=no");
		buf_addstr(script, h->dest);
		buf_addstr(script, " 2>&1 || exit 201\n");
	}
	if (!probe)
		return;
	buf_addstr(script, "p=$(");
	remote_ssh(script, h, SSHLOGIN_PROBE, strlen(SSHLOGIN_PROBE));
	buf_addstr(script, ") || exit 202\nprintf '%s\\n' \"$p\"\n");
	if (sl->ro->nbasefile == 0)
		return;
	buf_addstr(script, "{\n");
	if (sl->rsync) {
		buf_addstr(script, "case $p in *rsync*)\n");
		h->rsync = 1;
		sshlogin_basefiles(sl, h, script, wd);
		buf_addstr(script, ";;\n*)\n");
	}
	h->rsync = 0;
	sshlogin_basefiles(sl, h, script, wd);
	if (sl->rsync)
		buf_addstr(script, ";;\nesac\n");
	buf_addstr(script, "} >/dev/null\n");
}

/* Start connecting h. */
static void
sshlogin_conn_start(struct sshlogin *sl, struct sshlogin_host *h,
    const char *wd, double delay)
{
	struct buf script = BUF_INIT;
	char **env;

	if (h->local) {
		h->state = SSHLOGIN_UP;
		if (h->slots == 0)
			h->slots = sshlogin_slots_for(sl,
			    (unsigned long)sys_ncpus());
		return;
	}
	sshlogin_conn_script(sl, h, &script, wd, delay);
	env = h->pass ? sshlogin_env(h->pass) : NULL;
	h->conn_pid = sshlogin_spawn(script.data, &h->conn_fd, 0, env);
	if (env)
		sshlogin_env_free(env);
	buf_release(&script);
	if (h->conn_pid == -1) {
		h->conn_fd = -1;
		sshlogin_down(h, strerror(errno));
		return;
	}
	(void)sys_set_nonblock(h->conn_fd, 1);
	h->conn_out = xcalloc(1, sizeof(*h->conn_out));
	buf_init(h->conn_out);
	h->state = SSHLOGIN_CONNECTING;
}

/* Remove the file with the group of h's connecting script. */
static void
sshlogin_unlink_pid(const struct sshlogin_host *h)
{
	struct buf b = BUF_INIT;

	buf_addstr(&b, h->ctl);
	buf_addstr(&b, ".pid");
	(void)unlink(b.data);
	buf_release(&b);
}

/* h's connecting script ended with status: up, or down. */
static void
sshlogin_conn_end(struct sshlogin *sl, struct sshlogin_host *h, int status)
{
	struct buf *out = h->conn_out;
	unsigned long n;
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	int gone = h->state == SSHLOGIN_GONE;

	h->conn_pid = -1;
	sshlogin_unlink_pid(h);
	h->state = SSHLOGIN_NEW;	/* so that sshlogin_down() says it */
	buf_addch(out, '\0');
	out->len--;
	n = strtoul(out->data, NULL, 10);
	if (code == 201 || code == -1)
		sshlogin_down(h, sshlogin_first_line(out));
	else if (code == 202 && n == 0)
		sshlogin_down(h, "cannot run commands on it");
	else if (code == 203)
		sshlogin_down(h, "cannot send it the --basefile files");
	else if (code == 204)
		sshlogin_down(h, "sshpass: the password was refused");
	else if (code != 0 && code != 202)
		sshlogin_down(h, "ssh failed");
	else {
		h->rsync = sl->rsync == 1 && strstr(out->data, "rsync") != NULL;
		if (h->slots == 0)
			h->slots = sshlogin_slots_for(sl, n ? n : 1);
		if (h->slots == 0)
			h->slots = 1;
		h->state = SSHLOGIN_UP;
	}
	if (gone && h->state == SSHLOGIN_UP)
		h->state = SSHLOGIN_GONE;
	buf_release(out);
	free(out);
	h->conn_out = NULL;
}

/* Read what h's script wrote; at its end, reap it.  1 when it ended. */
static int
sshlogin_conn_read(struct sshlogin *sl, struct sshlogin_host *h)
{
	char chunk[1024];
	ssize_t n;
	int status;

	for (;;) {
		n = read(h->conn_fd, chunk, sizeof(chunk));
		if (n > 0) {
			buf_add(h->conn_out, chunk, (size_t)n);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return 0;
		break;
	}
	close(h->conn_fd);
	h->conn_fd = -1;
	while (waitpid(h->conn_pid, &status, 0) == -1)
		if (errno != EINTR) {
			status = -1;
			break;
		}
	sshlogin_conn_end(sl, h, status);
	return 1;
}

/* Start connecting the new hosts. */
void
sshlogin_connect(struct sshlogin *sl)
{
	char *wd = NULL;
	double delay = 0;
	size_t i;

	for (i = 0; i < sl->n; i++)
		if (sl->h[i]->state == SSHLOGIN_NEW && !sl->h[i]->local)
			break;
	if (i < sl->n) {
		wd = remote_base_dir(sl->ro);
		if (sl->rsync == -1 && (sl->ro->ntransfer || sl->ro->nret ||
		    sl->ro->nbasefile))
			sl->rsync = sshlogin_sh("command -v rsync", NULL,
			    0) == 0;
	}
	for (i = 0; i < sl->n; i++) {
		if (sl->h[i]->state != SSHLOGIN_NEW)
			continue;
		sshlogin_conn_start(sl, sl->h[i], wd, delay);
		if (!sl->h[i]->local)
			delay += sl->ro->sshdelay;
	}
	free(wd);
}

/* How many scripts connect now. */
size_t
sshlogin_connecting(const struct sshlogin *sl)
{
	size_t i, k = 0;

	for (i = 0; i < sl->n; i++)
		if (sl->h[i]->conn_fd >= 0)
			k++;
	return k;
}

/* The descriptors of the connecting scripts. */
size_t
sshlogin_prepare(struct sshlogin *sl, struct pollfd *pfd, size_t max)
{
	size_t i, k = 0;

	for (i = 0; i < sl->n && k < max; i++) {
		if (sl->h[i]->conn_fd < 0)
			continue;
		pfd[k].fd = sl->h[i]->conn_fd;
		pfd[k].events = POLLIN;
		pfd[k].revents = 0;
		k++;
	}
	return k;
}

/* Act on the scripts that wrote or ended. */
void
sshlogin_dispatch(struct sshlogin *sl, const struct pollfd *pfd, size_t n)
{
	size_t i, k;

	for (k = 0; k < n; k++) {
		if (pfd[k].revents == 0)
			continue;
		for (i = 0; i < sl->n; i++)
			if (sl->h[i]->conn_fd == pfd[k].fd) {
				(void)sshlogin_conn_read(sl, sl->h[i]);
				break;
			}
	}
}

/* The number of hosts up. */
size_t
sshlogin_up(const struct sshlogin *sl)
{
	size_t i, up = 0;

	for (i = 0; i < sl->n; i++)
		if (sl->h[i]->state == SSHLOGIN_UP)
			up++;
	return up;
}

/* Whether ssh is needed at all. */
int
sshlogin_all_local(const struct sshlogin *sl)
{
	size_t i;

	for (i = 0; i < sl->n; i++)
		if (!sl->h[i]->local)
			return 0;
	return sl->nfiles == 0;
}

/*
 * The slots of the hosts in state; a host whose slots are not known yet
 * counts as SSHLOGIN_ROOM.
 */
static unsigned long
sshlogin_sum(const struct sshlogin *sl, enum sshlogin_state state)
{
	unsigned long n = 0;
	size_t i;

	for (i = 0; i < sl->n; i++)
		if (sl->h[i]->state == state)
			n += sl->h[i]->slots ? sl->h[i]->slots : SSHLOGIN_ROOM;
	return n;
}

/* Slots of the hosts up. */
unsigned long
sshlogin_slots(const struct sshlogin *sl)
{
	return sshlogin_sum(sl, SSHLOGIN_UP);
}

/* Slots the hosts connecting may bring. */
unsigned long
sshlogin_room(const struct sshlogin *sl)
{
	return sshlogin_sum(sl, SSHLOGIN_CONNECTING);
}

/* Pick the least loaded host with a free slot. */
struct sshlogin_host *
sshlogin_take(struct sshlogin *sl, const struct sshlogin_host *avoid,
    char *const *groups, size_t ngroups)
{
	struct sshlogin_host *best = NULL, *h;
	int any = 0;
	size_t i;

	for (i = 0; i < sl->n; i++) {
		h = sl->h[i];
		if (ngroups && !sshlogin_in_groups(h, groups, ngroups))
			continue;
		if (h->state == SSHLOGIN_CONNECTING)
			any = 1;	/* it may take jobs soon */
		if (h->state != SSHLOGIN_UP || h->slots == 0)
			continue;
		any = 1;
		if (h->busy >= h->slots)
			continue;
		/* busy/slots below best's, compared without division. */
		if (best == NULL || (best == avoid && h != avoid) ||
		    (h != avoid && h->busy * best->slots <
		    best->busy * h->slots))
			best = h;
	}
	if (best == NULL) {
		/* Nothing running will ever free a slot or re-read a file. */
		if (!any && sl->running == 0)
			errno = ENOENT;
		else
			errno = EAGAIN;
		return NULL;
	}
	best->busy++;
	sl->running++;
	return best;
}

/* Whether a host is in group g. */
int
sshlogin_has_group(const struct sshlogin *sl, const char *g)
{
	char *v[1];
	size_t i;

	v[0] = (char *)g;
	for (i = 0; i < sl->n; i++)
		if (sl->h[i]->state != SSHLOGIN_GONE &&
		    sshlogin_in_groups(sl->h[i], v, 1))
			return 1;
	return 0;
}

/* Append group g to b unless it is there already. */
static void
sshlogin_add_once(struct buf *b, const char *g)
{
	/* An empty buffer may have no data at all: no pointer arithmetic
	   on NULL. */
	const char *p = b->len ? b->data : NULL;
	const char *end = p ? p + b->len : NULL;
	size_t n = strlen(g);

	while (p && p < end) {
		const char *plus = memchr(p, '+', (size_t)(end - p));

		if (plus == NULL)
			plus = end;
		if ((size_t)(plus - p) == n && memcmp(p, g, n) == 0)
			return;
		p = plus + 1;
	}
	if (b->len)
		buf_addch(b, '+');
	buf_addstr(b, g);
}

/* Every group, joined by '+'. */
char *
sshlogin_all_groups(const struct sshlogin *sl)
{
	struct buf b = BUF_INIT;
	size_t i, k;

	for (i = 0; i < sl->n; i++) {
		if (sl->h[i]->state == SSHLOGIN_GONE)
			continue;
		for (k = 0; k < sl->h[i]->ngroups; k++)
			sshlogin_add_once(&b, sl->h[i]->groups[k]);
		sshlogin_add_once(&b, sl->h[i]->name);
	}
	buf_addch(&b, '\0');
	return buf_detach(&b, NULL);
}

/* Add a host while jobs run. */
int
sshlogin_add_host(struct sshlogin *sl, const char *s, char **err)
{
	if (sshlogin_add(sl, s, strlen(s), NULL, err) == -1)
		return -1;
	sshlogin_connect(sl);
	return 0;
}

/* A job on h is over. */
void
sshlogin_release(struct sshlogin *sl, struct sshlogin_host *h)
{
	if (h == NULL)
		return;
	if (h->busy > 0)
		h->busy--;
	if (sl->running > 0)
		sl->running--;
}

/* Check a host whose ssh exited 255. */
int
sshlogin_lost(struct sshlogin *sl, struct sshlogin_host *h)
{
	struct buf script = BUF_INIT;
	int status;

	if (h == NULL || h->local)
		return 0;
	if (h->state == SSHLOGIN_DOWN)
		return 1;
	buf_addstr(&script, h->ssh);
	buf_addstr(&script, " -O check");
	buf_addstr(&script, h->dest);
	buf_addstr(&script, " 2>/dev/null");
	status = sshlogin_sh(script.data, NULL, 0);
	buf_release(&script);
	if (status == 0)
		return 0;
	sshlogin_down(h, "its ssh connection was lost");
	return 1;
}

/* Re-read the --slf files that changed. */
void
sshlogin_reread(struct sshlogin *sl)
{
	struct stat st;
	char *err = NULL;
	size_t i, k;
	int changed = 0;

	for (i = 0; i < sl->nfiles; i++) {
		struct sshlogin_file *f = &sl->files[i];

		/* The allocation does not change while parx runs in it. */
		if (slurm_is_name(f->path))
			continue;
		if (stat(f->path, &st) == -1)
			continue;	/* being replaced: try again later */
		if (st.st_mtim.tv_sec != f->st.st_mtim.tv_sec ||
		    st.st_mtim.tv_nsec != f->st.st_mtim.tv_nsec ||
		    st.st_size != f->st.st_size || st.st_ino != f->st.st_ino)
			changed = 1;
	}
	if (!changed)
		return;
	for (k = 0; k < sl->n; k++)
		if (sl->h[k]->from_file)
			sl->h[k]->listed = 0;
	for (i = 0; i < sl->nfiles; i++) {
		if (sshlogin_read_file(sl, &sl->files[i], &err) == -1) {
			/* err names the file itself. */
			if (err)
				msg_warn("%s (its hosts before the change "
				    "are kept)", err);
			else
				msg_warn("cannot read --slf '%s' again: %s",
				    sl->files[i].path, strerror(errno));
			free(err);
			err = NULL;
			/* Keep the hosts it listed. */
			for (k = 0; k < sl->n; k++)
				if (sl->h[k]->from_file)
					sl->h[k]->listed = 1;
		}
	}
	for (k = 0; k < sl->n; k++) {
		struct sshlogin_host *h = sl->h[k];

		if (h->from_file && !h->listed && h->state != SSHLOGIN_DOWN)
			h->state = SSHLOGIN_GONE;
	}
	sshlogin_select(sl);
	sshlogin_connect(sl);
}

/* Close the connections and free the table. */
void
sshlogin_free(struct sshlogin *sl, int cleanup)
{
	struct buf script = BUF_INIT;
	char *wd;
	size_t i, k;

	if (sl == NULL)
		return;
	wd = remote_base_dir(sl->ro);
	for (i = 0; i < sl->n; i++) {
		struct sshlogin_host *h = sl->h[i];

		if (h->conn_pid != -1) {
			/* Its ssh has not answered yet: no need to wait. */
			(void)kill(-h->conn_pid, SIGTERM);
			if (h->conn_fd >= 0)
				close(h->conn_fd);
			h->conn_fd = -1;
			while (waitpid(h->conn_pid, NULL, 0) == -1 &&
			    errno == EINTR)
				;
			h->conn_pid = -1;
			sshlogin_unlink_pid(h);
			if (h->state == SSHLOGIN_CONNECTING)
				msg_warn("host '%s' got no jobs: it was still "
				    "connecting when the jobs were done",
				    h->name);
		}
		if (!h->local && h->state != SSHLOGIN_NEW) {
			buf_reset(&script);
			for (k = 0; cleanup && h->state != SSHLOGIN_DOWN &&
			    k < sl->ro->nbasefile; k++) {
				remote_remove(&script, h, sl->ro->basefile[k],
				    wd);
				buf_addch(&script, '\n');
			}
			if (h->killed && h->state != SSHLOGIN_DOWN) {
				remote_remove_sigfiles(&script, h);
				buf_addstr(&script, " </dev/null 2>/dev/null\n");
			}
			buf_addstr(&script, h->ssh);
			buf_addstr(&script, " -O exit");
			buf_addstr(&script, h->dest);
			buf_addstr(&script, " 2>/dev/null");
			(void)sshlogin_sh(script.data, NULL, 0);
		}
		if (h->ctl)
			(void)unlink(h->ctl);
		sshlogin_host_free(h);
	}
	if (sl->dir)
		(void)rmdir(sl->dir);
	if (sl->watch_fd >= 0)
		close(sl->watch_fd);	/* the watchdog finds nothing left */
	if (sl->watch_pid != -1)
		while (waitpid(sl->watch_pid, NULL, 0) == -1 && errno == EINTR)
			;
	free(wd);
	buf_release(&script);
	sshlogin_free_allow(sl);
	free(sl->dir);
	free(sl->h);
	free(sl->files);
	free(sl);
}

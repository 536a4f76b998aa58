/* SPDX-License-Identifier: ISC */
/*
 * Remote jobs: the local script that runs one job on a host, the wrapper
 * the job runs under there, and the shell code that moves files.
 *
 * Every value is quoted with quote_shell(): once for the remote shell,
 * and the remote code as a whole once more for the local script.  Paths
 * are cut in three: the local directory a file is taken from (or put
 * in), its path below that, which it keeps on the other side, and the
 * remote directory it goes to.  As in GNU parallel:
 *
 *	tmp/foo/bar	./ tmp/foo/bar WD	(WD: --workdir, or login dir)
 *	/tmp/foo/bar	/ tmp/foo/bar /
 *	/tmp/./foo/bar	/tmp foo/bar WD
 */
#include "remote.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "job.h"
#include "quote.h"
#include "spawn.h"
#include "sshlogin.h"
#include "tmpl.h"
#include "xalloc.h"

/*
 * The wrapper, run by /bin/sh on the host as sh -c W sh CMD WD SIGFILE.
 * sshd made its process a session and group leader, so -$p is the job's
 * group.  A reader in the background takes signal names from the ssh
 * channel (fd 3) and sends them to the group; the wrapper and the reader
 * trap them, so they live on while the job dies.  If the channel ends
 * first, the reader kills the group.  The job itself runs in the
 * foreground with /dev/null as stdin and default signal actions; the
 * wrapper's own stderr goes to /dev/null then, so that the shell says
 * nothing ("Terminated") about a job killed by a signal.
 *
 * A shell gives 128+N both for a child killed by signal N and for one
 * that exited so, and ssh carries an exit status only.  Where the host
 * has perl, it waits for the job instead (REMOTE_WAITER): a job killed
 * by a signal makes it write the signal's name in SIGFILE (below the
 * login directory) and exit 128+N; the local script, seeing 128+N, reads
 * and removes that file over the master connection, and kills itself
 * with the signal, so that parx sees what it sees of a local job.  Not
 * when the signal came from parx (its kill sequence, or the channel's
 * end): no one would read the file then.  The reader says so by making
 * SIGFILE.k before it sends the signal, and the waiter then writes
 * nothing.  The waiter also removes what was left over a minute ago
 * (by a job killed with SIGKILL along with it).
 */
#define REMOTE_WAITER \
	"$f = shift; unlink $f, \"$f.k\"; ($d = $f) =~ s{/[^/]*$}{}; " \
	"opendir D, $d and unlink map { \"$d/$_\" } grep " \
	"{ /^\\.parx-(signal|ctl)-/ && -M \"$d/$_\" > 0.0007 } readdir D; " \
	"$SIG{$_} = sub {} for qw(HUP INT TERM QUIT USR1 USR2 ALRM PIPE); " \
	"$s = system { $ARGV[0] } @ARGV; exit 127 if $s == -1; " \
	"if ($s & 127) { require Config; " \
	"@n = split \" \", $Config::Config{sig_name}; " \
	"unlink \"$f.k\" or open F, \">\", $f and print F $n[$s & 127]; " \
	"close F; exit 128 + ($s & 127) } unlink \"$f.k\"; exit $s >> 8"

#define REMOTE_RUN \
	"trap : HUP INT TERM QUIT USR1 USR2 ALRM PIPE; " \
	"case $2 in ?*) mkdir -p -- \"$2\" && cd -- \"$2\" || exit 1;; esac; " \
	"exec 4>&2 2>/dev/null; " \
	"if command -v perl >/dev/null 2>&1; then " \
	"perl -e '" REMOTE_WAITER "' \"$3\" \"${SHELL:-/bin/sh}\" -c \"$1\" " \
	"2>&4 4>&-; c=$?; " \
	"else \"${SHELL:-/bin/sh}\" -c \"$1\" 2>&4 4>&-; c=$?; fi; "

static const char remote_wrapper[] =
	"p=$$; exec 3<&0 </dev/null; "
	"case $3 in /*) ;; *) set -- \"$1\" \"$2\" \"$PWD/$3\";; esac; "
	"{ trap : HUP INT TERM QUIT USR1 USR2 ALRM PIPE; "
	"while read s <&3; do : >\"$3.k\"; kill -s \"$s\" -- \"-$p\"; done; "
	": >\"$3.k\"; "
	"kill -s TERM -- \"-$p\"; sleep 1; kill -s KILL -- \"-$p\"; "
	"} >/dev/null 2>&1 & r=$!; exec 3<&-; "
	REMOTE_RUN
	"kill -s KILL \"$r\" 2>/dev/null; exit \"$c\"";

/*
 * A --pipe job: the block is the session's stdin, which the job reads
 * as its own; the signal names come through a second session (below).
 * Run as sh -c W sh CMD WD SIGFILE CTLFILE: the wrapper writes its
 * group's id into CTLFILE (below the login directory, made whole by a
 * rename), and "done" once the job has ended.
 */
static const char remote_pipe_wrapper[] =
	"p=$$; "
	"case $3 in /*) ;; *) set -- \"$1\" \"$2\" \"$PWD/$3\" \"$4\";; esac; "
	"case $4 in /*) ;; *) set -- \"$1\" \"$2\" \"$3\" \"$PWD/$4\";; esac; "
	"echo $p >\"$4.n\" && mv -f -- \"$4.n\" \"$4\"; "
	REMOTE_RUN
	"echo done >\"$4.n\" && mv -f -- \"$4.n\" \"$4\"; exit \"$c\"";

/*
 * The second session of a --pipe job, sh -c C sh CTLFILE SIGFILE, its
 * stdin the control pipe: it waits (a minute at most) for the job's
 * group id in CTLFILE, then sends each signal name it reads to that
 * group, as the wrapper's reader does, while the job runs.  When its
 * stdin ends before the job does (parx is gone), it kills the group.
 * It removes CTLFILE.
 */
static const char remote_pipe_ctl[] =
	"i=0; while [ ! -s \"$1\" ]; do i=$((i + 1)); "
	"[ $i -gt 600 ] && exit 0; sleep 0.1 2>/dev/null || sleep 1; done; "
	"trap : HUP INT TERM QUIT USR1 USR2 ALRM PIPE; "
	"read p <\"$1\"; "
	"while [ \"$p\" != done ] && read s; do "
	"read p <\"$1\" 2>/dev/null || p=done; [ \"$p\" = done ] && break; "
	": >\"$2.k\"; kill -s \"$s\" -- \"-$p\"; done; "
	"read p <\"$1\" 2>/dev/null || p=done; "
	"if [ \"$p\" != done ]; then : >\"$2.k\"; "
	"kill -s TERM -- \"-$p\"; sleep 1; kill -s KILL -- \"-$p\"; fi; "
	"rm -f -- \"$1\"";

struct remote {
	const struct remote_opts *o;
	struct tmpl		**tf;		/* --transferfile */
	size_t			  ntf;
	struct tmpl		**ret;		/* --return */
	size_t			  nret;
	struct tmpl		 *wd;		/* --workdir */
	char			 *here;		/* --workdir . as a path */
	char			  host[256];	/* this machine, for ... */
	struct buf		  b, code, tmp;	/* script, code, temp */
	unsigned long		  nctl;		/* CTLFILEs named */
};

/* Parse the template s of option opt; an error names the option. */
static struct tmpl *
remote_parse(const char *opt, const char *s, const struct tmpl_opts *to,
    char **err)
{
	struct tmpl_opts o = *to;
	struct tmpl *t;
	struct buf b = BUF_INIT;
	char *words[1];

	words[0] = (char *)s;
	o.flags = TMPL_NO_APPEND | TMPL_NO_PERL;
	if ((t = tmpl_parse(words, 1, &o, err)) == NULL) {
		buf_addstr(&b, opt);
		buf_addstr(&b, ": ");
		buf_addstr(&b, *err);
		free(*err);
		*err = buf_detach(&b, NULL);
	}
	return t;
}

static struct tmpl **
remote_parse_all(const char *opt, char *const *s, size_t n,
    const struct tmpl_opts *to, char **err)
{
	struct tmpl **t;
	size_t i;

	t = xcalloc(n ? n : 1, sizeof(*t));
	for (i = 0; i < n; i++) {
		t[i] = remote_parse(opt, s[i], to, err);
		if (t[i] == NULL) {
			while (i-- > 0)
				tmpl_free(t[i]);
			free(t);
			return NULL;
		}
	}
	return t;
}

/* The current directory as --workdir . means it: below $HOME, relative. */
static char *
remote_here(void)
{
	const char *home = getenv("HOME");
	char *cwd = getcwd(NULL, 0);
	size_t n;

	if (cwd == NULL)
		return xstrdup(".");
	n = home ? strlen(home) : 0;
	while (n > 1 && home[n - 1] == '/')
		n--;
	if (n > 1 && strncmp(cwd, home, n) == 0 &&
	    (cwd[n] == '/' || cwd[n] == '\0')) {
		char *rel = xstrdup(cwd[n] ? cwd + n + 1 : "");

		free(cwd);
		return rel;
	}
	return cwd;
}

/* The --workdir --basefile files go to. */
char *
remote_base_dir(const struct remote_opts *o)
{
	if (o->workdir == NULL || strcmp(o->workdir, "...") == 0)
		return NULL;
	if (strcmp(o->workdir, ".") == 0)
		return remote_here();
	return xstrdup(o->workdir);
}

/* Parse the templates. */
struct remote *
remote_new(const struct remote_opts *o, const struct tmpl_opts *to,
    char **err)
{
	struct remote *rm = xcalloc(1, sizeof(*rm));

	rm->o = o;
	buf_init(&rm->b);
	buf_init(&rm->code);
	buf_init(&rm->tmp);
	if (gethostname(rm->host, sizeof(rm->host) - 1) == -1)
		strcpy(rm->host, "parx");
	rm->tf = remote_parse_all("--transferfile", o->transfer,
	    o->ntransfer, to, err);
	if (rm->tf == NULL)
		goto fail;
	rm->ntf = o->ntransfer;
	rm->ret = remote_parse_all("--return", o->ret, o->nret, to,
	    err);
	if (rm->ret == NULL)
		goto fail;
	rm->nret = o->nret;
	if (o->workdir && strcmp(o->workdir, ".") == 0)
		rm->here = remote_here();
	else if (o->workdir && strcmp(o->workdir, "...") != 0) {
		rm->wd = remote_parse("--workdir", o->workdir, to, err);
		if (rm->wd == NULL)
			goto fail;
	}
	return rm;
fail:
	remote_free(rm);
	return NULL;
}

/* Free it. */
void
remote_free(struct remote *rm)
{
	size_t i;

	if (rm == NULL)
		return;
	for (i = 0; rm->tf && i < rm->ntf; i++)
		tmpl_free(rm->tf[i]);
	for (i = 0; rm->ret && i < rm->nret; i++)
		tmpl_free(rm->ret[i]);
	free(rm->tf);
	free(rm->ret);
	tmpl_free(rm->wd);
	free(rm->here);
	buf_release(&rm->b);
	buf_release(&rm->code);
	buf_release(&rm->tmp);
	free(rm);
}

/* Whether rsync moves the files. */
int
remote_use_rsync(const struct sshlogin_host *h)
{
	const char *force = getenv("PARX_TRANSFER");

	if (force && strcmp(force, "tar") == 0)
		return 0;
	if (force && strcmp(force, "rsync") == 0)
		return 1;
	return h->rsync;
}

/*
 * Cut path into the local directory lb, the path r below it, and the
 * remote directory rd (see the top of this file).
 */
static void
remote_split(const char *path, const char *wd, struct buf *lb, struct buf *r,
    struct buf *rd)
{
	const char *mark = strstr(path, "/./");

	buf_reset(lb);
	buf_reset(r);
	buf_reset(rd);
	if (mark) {
		if (mark == path)
			buf_addch(lb, '/');
		else
			buf_add(lb, path, (size_t)(mark - path));
		buf_addstr(r, mark + 3);
		buf_addstr(rd, wd && *wd ? wd : ".");
	} else if (path[0] == '/') {
		buf_addch(lb, '/');
		buf_addstr(r, path + 1);
		buf_addch(rd, '/');
	} else {
		buf_addch(lb, '.');
		buf_addstr(r, path);
		buf_addstr(rd, wd && *wd ? wd : ".");
	}
}

/* Append "host:" as rsync wants it, an IPv6 address in brackets. */
static void
remote_rsync_host(struct buf *b, const struct sshlogin_host *h)
{
	if (strchr(h->host, ':')) {
		buf_addch(b, '[');
		buf_addstr(b, h->host);
		buf_addch(b, ']');
	} else {
		buf_addstr(b, h->host);
	}
	buf_addch(b, ':');
}

/* Run code on the host. */
void
remote_ssh(struct buf *script, const struct sshlogin_host *h,
    const char *code, size_t len)
{
	buf_addstr(script, h->ssh);
	buf_addstr(script, h->dest);
	buf_addch(script, ' ');
	quote_shell(script, code, len);
}

/* Make a directory on the host. */
void
remote_mkdir(struct buf *script, const struct sshlogin_host *h,
    const char *wd)
{
	struct buf t = BUF_INIT;

	buf_addstr(&t, "mkdir -p -- ");
	quote_shell(&t, wd, strlen(wd));
	remote_ssh(script, h, t.data, t.len);
	buf_release(&t);
}

/* rsync -R with the host's ssh command, up to the first path. */
static void
remote_rsync(struct buf *script, const struct sshlogin_host *h)
{
	buf_addstr(script, "rsync -rlDzsR -e ");
	quote_shell(script, h->ssh, strlen(h->ssh));
	buf_addstr(script, " -- ");
}

/* Send one file to the host. */
void
remote_send(struct buf *script, const struct sshlogin_host *h,
    const char *path, const char *wd)
{
	struct buf lb = BUF_INIT, r = BUF_INIT, rd = BUF_INIT, t = BUF_INIT;

	remote_split(path, wd, &lb, &r, &rd);
	if (remote_use_rsync(h)) {
		remote_rsync(script, h);
		buf_add(&t, lb.data, lb.len);
		buf_addstr(&t, lb.len == 1 && lb.data[0] == '/' ? "./" : "/./");
		buf_add(&t, r.data, r.len);
		quote_shell(script, t.data, t.len);
		buf_addch(script, ' ');
		buf_reset(&t);
		remote_rsync_host(&t, h);
		buf_add(&t, rd.data, rd.len);
		buf_addch(&t, '/');
		quote_shell(script, t.data, t.len);
	} else {
		buf_addstr(script, "tar -C ");
		quote_shell(script, lb.data, lb.len);
		buf_addstr(script, " -cf - ");
		buf_addstr(&t, "./");
		buf_add(&t, r.data, r.len);
		quote_shell(script, t.data, t.len);
		buf_addstr(script, " | ");
		buf_reset(&t);
		buf_addstr(&t, "mkdir -p -- ");
		quote_shell(&t, rd.data, rd.len);
		buf_addstr(&t, " && tar -C ");
		quote_shell(&t, rd.data, rd.len);
		buf_addstr(&t, " -xf -");
		remote_ssh(script, h, t.data, t.len);
	}
	buf_release(&lb);
	buf_release(&r);
	buf_release(&rd);
	buf_release(&t);
}

/* Fetch one file from the host. */
static void
remote_fetch(struct buf *script, const struct sshlogin_host *h,
    const char *path, const char *wd)
{
	struct buf lb = BUF_INIT, r = BUF_INIT, rd = BUF_INIT, t = BUF_INIT;

	remote_split(path, wd, &lb, &r, &rd);
	buf_addstr(script, "mkdir -p -- ");
	quote_shell(script, lb.data, lb.len);
	buf_addstr(script, " && ");
	if (remote_use_rsync(h)) {
		remote_rsync(script, h);
		remote_rsync_host(&t, h);
		buf_add(&t, rd.data, rd.len);
		buf_addstr(&t, "/./");
		buf_add(&t, r.data, r.len);
		quote_shell(script, t.data, t.len);
		buf_addch(script, ' ');
		buf_reset(&t);
		buf_add(&t, lb.data, lb.len);
		buf_addch(&t, '/');
		quote_shell(script, t.data, t.len);
	} else {
		buf_addstr(&t, "cd -- ");
		quote_shell(&t, rd.data, rd.len);
		buf_addstr(&t, " && tar -cf - ./");
		quote_shell(&t, r.data, r.len);
		remote_ssh(script, h, t.data, t.len);
		buf_addstr(script, " | tar -C ");
		quote_shell(script, lb.data, lb.len);
		buf_addstr(script, " -xf -");
	}
	buf_release(&lb);
	buf_release(&r);
	buf_release(&rd);
	buf_release(&t);
}

/* Append path as the remote shell reaches it from the login dir. */
static void
remote_path(struct buf *code, const char *path, const char *wd)
{
	struct buf lb = BUF_INIT, r = BUF_INIT, rd = BUF_INIT, t = BUF_INIT;

	remote_split(path, wd, &lb, &r, &rd);
	buf_add(&t, rd.data, rd.len);
	if (rd.len != 1 || rd.data[0] != '/')
		buf_addch(&t, '/');
	buf_add(&t, r.data, r.len);
	quote_shell(code, t.data, t.len);
	buf_release(&lb);
	buf_release(&r);
	buf_release(&rd);
	buf_release(&t);
}

/*
 * Append the code that removes the directories below the remote
 * directory that held path, as far up as they are empty.
 */
static void
remote_dirs(struct buf *code, const char *path, const char *wd)
{
	struct buf lb = BUF_INIT, r = BUF_INIT, rd = BUF_INIT;
	char *slash;

	remote_split(path, wd, &lb, &r, &rd);
	buf_addch(&r, '\0');
	slash = strrchr(r.data, '/');
	if (slash && slash != r.data && !(rd.len == 1 && rd.data[0] == '/')) {
		buf_addstr(code, "(cd -- ");
		quote_shell(code, rd.data, rd.len);
		buf_addstr(code, " && rmdir -p -- ");
		quote_shell(code, r.data, (size_t)(slash - r.data));
		buf_addstr(code, ") 2>/dev/null; ");
	}
	buf_release(&lb);
	buf_release(&r);
	buf_release(&rd);
}

/* Remove one file from the host. */
void
remote_remove(struct buf *script, const struct sshlogin_host *h,
    const char *path, const char *wd)
{
	struct buf code = BUF_INIT;

	buf_addstr(&code, "rm -f -- ");
	remote_path(&code, path, wd);
	remote_ssh(script, h, code.data, code.len);
	buf_release(&code);
}

/* --cleanup: remember path, and the directories that held it. */
static void
remote_forget(struct buf *files, struct buf *dirs, const char *path,
    const char *wd)
{
	buf_addch(files, ' ');
	remote_path(files, path, wd);
	remote_dirs(dirs, path, wd);
}

/* Expand a file template for the job; 0 when it came out empty. */
static int
remote_expand(struct remote *rm, const struct tmpl *t,
    const struct tmpl_ctx *ctx)
{
	buf_reset(&rm->tmp);
	tmpl_expand(t, ctx, 0, &rm->tmp);
	buf_addch(&rm->tmp, '\0');
	return rm->tmp.data[0] != '\0';
}

/* 1 when s can be a variable name in sh (and is not "_"). */
static int
remote_is_name(const char *s)
{
	const char *p;

	if (!(*s == '_' || (*s >= 'A' && *s <= 'Z') ||
	    (*s >= 'a' && *s <= 'z')))
		return 0;
	for (p = s + 1; *p; p++)
		if (!(*p == '_' || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')))
			return 0;
	return strcmp(s, "_") != 0;
}

/*
 * --env NAME for a bash function that is exported (export -f) rather than
 * a variable: append its definition, and its export for the shells the
 * job starts, to code that goes in front of the job's command, as GNU
 * parallel sends it.  The job's shell on the host ($SHELL there) must
 * understand the function; bash's export -f is silenced elsewhere.
 */
static void
remote_function(struct buf *code, const char *name)
{
	static const char *const forms[] = { "BASH_FUNC_%s%%%%",
	    "BASH_FUNC_%s()" };
	char var[300];
	const char *v = NULL;
	size_t i;

	for (i = 0; v == NULL && i < sizeof(forms) / sizeof(forms[0]); i++) {
		snprintf(var, sizeof(var), forms[i], name);
		v = getenv(var);
	}
	if (v == NULL || strncmp(v, "() {", 4) != 0)
		return;
	buf_addstr(code, name);
	buf_addch(code, ' ');
	buf_addstr(code, v);
	buf_addstr(code, "\nexport -f ");
	buf_addstr(code, name);
	buf_addstr(code, " 2>/dev/null\n");
}

/* The name of job j's SIGFILE (see remote_wrapper), below the login dir. */
static void
remote_sigfile(const struct remote *rm, const struct job *j, char *name,
    size_t size)
{
	snprintf(name, size, ".parx-signal-%s-%ld-%llu", rm->host,
	    (long)getpid(), j->seq);
}

/*
 * The name of a --pipe job's CTLFILE (see remote_pipe_wrapper), below the
 * login dir; each run of a job has its own.
 */
static void
remote_ctlfile(struct remote *rm, const struct job *j, char *name,
    size_t size)
{
	snprintf(name, size, ".parx-ctl-%s-%ld-%llu-%lu", rm->host,
	    (long)getpid(), j->seq, ++rm->nctl);
}

/* Remove what this parx's SIGFILEs may have left on h. */
void
remote_remove_sigfiles(struct buf *script, const struct sshlogin_host *h)
{
	struct buf code = BUF_INIT;
	char host[256], name[400];

	if (gethostname(host, sizeof(host) - 1) == -1)
		strcpy(host, "parx");
	host[sizeof(host) - 1] = '\0';
	buf_addstr(&code, "rm -f --");
	snprintf(name, sizeof(name), ".parx-signal-%s-%ld-", host,
	    (long)getpid());
	buf_addch(&code, ' ');
	quote_shell(&code, name, strlen(name));
	buf_addch(&code, '*');
	snprintf(name, sizeof(name), ".parx-ctl-%s-%ld-", host,
	    (long)getpid());
	buf_addch(&code, ' ');
	quote_shell(&code, name, strlen(name));
	buf_addch(&code, '*');
	remote_ssh(script, h, code.data, code.len);
	buf_release(&code);
}

/* Build the job's remote code: environment, then the wrapper. */
static void
remote_code(struct remote *rm, const struct sshlogin_host *h,
    const struct job *j, const char *wd, const char *arggroups,
    const char *ctlfile)
{
	char sigfile[400];
	struct buf *c = &rm->code;
	char num[96];
	const char *v;
	size_t i;

	buf_reset(c);
	snprintf(num, sizeof(num), "PARALLEL_SEQ=%llu PARALLEL_JOBSLOT=%lu",
	    j->seq, j->slot);
	buf_addstr(c, "export ");
	buf_addstr(c, num);
	/* The login as written, without N/ and @GROUPS/, and its host. */
	buf_addstr(c, " PARALLEL_SSHLOGIN=");
	quote_shell(c, h->name, strlen(h->name));
	buf_addstr(c, " PARALLEL_SSHHOST=");
	quote_shell(c, h->host, strlen(h->host));
	if (arggroups) {
		/* --hostgroups: the host's groups, its own name last. */
		buf_reset(&rm->tmp);
		for (i = 0; i < h->ngroups; i++) {
			buf_addstr(&rm->tmp, h->groups[i]);
			buf_addch(&rm->tmp, '+');
		}
		buf_addstr(&rm->tmp, h->name);
		buf_addstr(c, " PARALLEL_HOSTGROUPS=");
		quote_shell(c, rm->tmp.data, rm->tmp.len);
		buf_addstr(c, " PARALLEL_ARGHOSTGROUPS=");
		quote_shell(c, arggroups, strlen(arggroups));
	}
	buf_addstr(c, "; ");
	buf_reset(&rm->tmp);
	for (i = 0; i < rm->o->nenv; i++) {
		const char *name = rm->o->env[i];

		/* Names only: a pattern or "_" would not be one variable. */
		if (!remote_is_name(name))
			continue;
		if ((v = getenv(name)) == NULL) {
			remote_function(&rm->tmp, name);
			continue;
		}
		buf_addstr(c, "export ");
		buf_addstr(c, name);
		buf_addch(c, '=');
		quote_shell(c, v, strlen(v));
		buf_addstr(c, "; ");
	}
	buf_addstr(c, "exec /bin/sh -c ");
	if (ctlfile)
		quote_shell(c, remote_pipe_wrapper,
		    sizeof(remote_pipe_wrapper) - 1);
	else
		quote_shell(c, remote_wrapper, sizeof(remote_wrapper) - 1);
	buf_addstr(c, " sh ");
	/* $PARALLEL_ENV's code runs there too, before the command. */
	spawn_shell_code(&rm->tmp, j->cmd, j->cmd_len);
	quote_shell(c, rm->tmp.data, rm->tmp.len);
	buf_addch(c, ' ');
	quote_shell(c, wd ? wd : "", wd ? strlen(wd) : 0);
	buf_addch(c, ' ');
	remote_sigfile(rm, j, sigfile, sizeof(sigfile));
	quote_shell(c, sigfile, strlen(sigfile));
	if (ctlfile) {
		buf_addch(c, ' ');
		quote_shell(c, ctlfile, strlen(ctlfile));
	}
}

/*
 * A --pipe job's second session, in the background of the local script:
 * the control pipe (the script's stdin) goes to it, the block (on 3) to
 * the job's session, which follows.
 */
static void
remote_pipe_control(struct remote *rm, const struct sshlogin_host *h,
    const struct job *j, const char *ctlfile)
{
	char sigfile[400];

	buf_reset(&rm->code);
	buf_addstr(&rm->code, "exec /bin/sh -c ");
	quote_shell(&rm->code, remote_pipe_ctl, sizeof(remote_pipe_ctl) - 1);
	buf_addstr(&rm->code, " sh ");
	quote_shell(&rm->code, ctlfile, strlen(ctlfile));
	buf_addch(&rm->code, ' ');
	remote_sigfile(rm, j, sigfile, sizeof(sigfile));
	quote_shell(&rm->code, sigfile, strlen(sigfile));
	buf_addstr(&rm->b, "exec 4<&0\n");
	remote_ssh(&rm->b, h, rm->code.data, rm->code.len);
	buf_addstr(&rm->b, " <&4 >/dev/null 2>&1 3<&- 4<&- &\nk=$!\n"
	    "exec 4<&-\n");
}

/*
 * Append to the local script, after the job's ssh (its status in $c),
 * the code that turns a 128+N into signal N when the host says so: the
 * local shell kills itself with it (no core file).
 */
static void
remote_signal_check(struct remote *rm, const struct sshlogin_host *h,
    const struct job *j)
{
	char sigfile[400];

	buf_reset(&rm->code);
	remote_sigfile(rm, j, sigfile, sizeof(sigfile));
	buf_addstr(&rm->code, "cat -- ");
	quote_shell(&rm->code, sigfile, strlen(sigfile));
	buf_addstr(&rm->code, " 2>/dev/null && rm -f -- ");
	quote_shell(&rm->code, sigfile, strlen(sigfile));
	/*
	 * Only through the master, and not once parx is gone (the worker
	 * or parx that started this script): its watchdog closes the
	 * master, and ssh, finding no socket, would connect anew.
	 */
	buf_addstr(&rm->b, "case $c in 129|1[3-8][0-9]|19[0-2])\n"
	    "kill -0 $PPID 2>/dev/null &&\ns=$(");
	buf_addstr(&rm->b, h->ssh);
	buf_addstr(&rm->b, " -o ProxyCommand=false");
	buf_addstr(&rm->b, h->dest);
	buf_addch(&rm->b, ' ');
	quote_shell(&rm->b, rm->code.data, rm->code.len);
	buf_addstr(&rm->b, " </dev/null 2>/dev/null)\n"
	    "case $s in ''|*[!A-Z0-9]*) ;; *) ulimit -c 0; "
	    "kill -s \"$s\" $$;; esac;;\nesac\n");
}

/* The job's remote working directory (NULL: the login dir), to free. */
static char *
remote_job_wd(struct remote *rm, const struct job *j,
    const struct tmpl_ctx *ctx, int *unique)
{
	char dir[512], *wd = NULL;

	*unique = 0;
	if (rm->here) {
		wd = xstrdup(rm->here);
	} else if (rm->o->workdir && strcmp(rm->o->workdir, "...") == 0) {
		snprintf(dir, sizeof(dir), ".parallel/tmp/%s-%ld-%llu",
		    rm->host, (long)getpid(), j->seq);
		wd = xstrdup(dir);
		*unique = 1;
	} else if (rm->wd) {
		buf_reset(&rm->tmp);
		tmpl_expand(rm->wd, ctx, 0, &rm->tmp);
		wd = buf_detach(&rm->tmp, NULL);
	}
	if (wd && *wd == '\0') {
		free(wd);
		wd = NULL;
	}
	return wd;
}

/*
 * Append to the script the commands that send (or fetch) the job's files
 * of the n templates t; a failed send ends the script.  With --cleanup,
 * note their remote paths in files and dirs.
 */
static void
remote_files(struct remote *rm, const struct sshlogin_host *h,
    struct tmpl *const *t, size_t n, int send, const struct tmpl_ctx *ctx,
    const char *wd, struct buf *files, struct buf *dirs)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!remote_expand(rm, t[i], ctx))
			continue;
		buf_addstr(&rm->b, "{ ");
		if (send)
			remote_send(&rm->b, h, rm->tmp.data, wd);
		else
			remote_fetch(&rm->b, h, rm->tmp.data, wd);
		buf_addstr(&rm->b, send ? "; } </dev/null || exit\n" :
		    "; } </dev/null\n");
		if (rm->o->cleanup)
			remote_forget(files, dirs, rm->tmp.data, wd);
	}
}

/* The --cleanup code for the host, in rm->code. */
static void
remote_cleanup_code(struct remote *rm, const struct buf *files,
    const struct buf *dirs, const char *wd, int unique)
{
	struct buf *c = &rm->code;

	buf_reset(c);
	if (files->len) {
		buf_addstr(c, "rm -f --");
		buf_add(c, files->data, files->len);
		buf_addstr(c, "; ");
		buf_add(c, dirs->data, dirs->len);
	}
	if (unique) {
		buf_addstr(c, "rm -rf -- ");
		quote_shell(c, wd, strlen(wd));
	} else if (wd) {
		buf_addstr(c, "rmdir -- ");
		quote_shell(c, wd, strlen(wd));
		buf_addstr(c, " 2>/dev/null");
	}
	buf_addstr(c, "; :");
}

/* Make the job's local script. */
void
remote_wrap(struct remote *rm, const struct sshlogin_host *h, struct job *j,
    const struct tmpl_ctx *ctx, const char *arggroups)
{
	struct buf *s = &rm->b, files = BUF_INIT, dirs = BUF_INIT;
	char *wd, ctl[400];
	int unique;

	wd = remote_job_wd(rm, j, ctx, &unique);
	buf_reset(s);
	if (rm->ntf && wd) {
		remote_mkdir(s, h, wd);
		buf_addstr(s, " </dev/null || exit\n");
	}
	remote_files(rm, h, rm->tf, rm->ntf, 1, ctx, wd, &files, &dirs);
	if (j->child_fd[3] >= 0) {
		remote_ctlfile(rm, j, ctl, sizeof(ctl));
		remote_pipe_control(rm, h, j, ctl);
		remote_code(rm, h, j, wd, arggroups, ctl);
		remote_ssh(s, h, rm->code.data, rm->code.len);
		buf_addstr(s, " <&3 3<&-\nc=$?\nkill $k 2>/dev/null\n");
	} else {
		remote_code(rm, h, j, wd, arggroups, NULL);
		remote_ssh(s, h, rm->code.data, rm->code.len);
		buf_addstr(s, "\nc=$?\n");
	}
	remote_files(rm, h, rm->ret, rm->nret, 0, ctx, wd, &files, &dirs);
	if (rm->o->cleanup && (files.len || unique)) {
		remote_cleanup_code(rm, &files, &dirs, wd, unique);
		buf_addstr(s, "{ ");
		remote_ssh(s, h, rm->code.data, rm->code.len);
		buf_addstr(s, "; } </dev/null\n");
	}
	remote_signal_check(rm, h, j);
	buf_addstr(s, "exit $c\n");
	buf_release(&files);
	buf_release(&dirs);
	free(wd);

	/* /bin/sh -c SCRIPT, packed as the direct-exec argv. */
	free(j->argv);
	buf_reset(&rm->tmp);
	buf_add(&rm->tmp, "/bin/sh\0-c\0", 11);
	buf_add(&rm->tmp, s->data, s->len);
	buf_addch(&rm->tmp, '\0');
	j->argv_len = rm->tmp.len;
	j->argv = buf_detach(&rm->tmp, NULL);
	j->argc = 3;
	j->direct = 1;
}

/* SPDX-License-Identifier: ISC */
/*
 * --onall and --nonall: parx runs itself once per host (onall.h).
 */
#include "onall.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "config.h"
#include "exitcode.h"
#include "joblog.h"
#include "msg.h"
#include "run.h"
#include "sshlogin.h"
#include "sys.h"
#include "xalloc.h"

#define ONALL_INNER	"--onall-inner"
#define ONALL_SELF	"PARX_ONALL_SELF"
#define ONALL_ARGV	"PARX_ONALL_ARGV"
#define ONALL_STDIN	"PARX_ONALL_STDIN"
#define ONALL_LOGINS	"PARX_ONALL_LOGINS"

/*
 * Export name as the path by which another process opens fd, which stays
 * open as long as parx runs: the file needs no name of its own, and
 * nothing is left behind however parx ends.
 */
static void
onall_export_fd(const char *name, int fd)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%ld/fd/%d", (long)getpid(), fd);
	setenv(name, path, 1);
}

/* Which options --onall cannot pass on; NULL when it can. */
static const char *
onall_refused(const struct config *cfg)
{
	if (cfg->pipe.on)
		return "--pipe";
	if (cfg->resume != CONFIG_RESUME_NONE)
		return "--resume, --resume-failed and --retry-failed (the "
		    "job log has each job once per host)";
	if (cfg->results)
		return "--results (each host would write the same files)";
	if (cfg->compare)
		return "--compare";
	if (cfg->func)
		return "--func";
	return NULL;
}

/*
 * The inner command line after "-S HOST", NUL-separated, into a file:
 * -j1, the job log to append to, then the words of argv that keep passes
 * on, with -N0 and one argument for --nonall without input.
 */
static int
onall_write_argv(const struct config *cfg, int argc, char **argv,
    const unsigned char *keep, int dashes, int noargs, const char *argsep)
{
	struct buf b = BUF_INIT;
	int i, fd;

	buf_add(&b, "--plain", sizeof("--plain"));
	buf_add(&b, "-j1", sizeof("-j1"));
	if (cfg->joblog) {
		buf_add(&b, "--joblog", sizeof("--joblog"));
		if (strcmp(cfg->joblog, "-") != 0)
			buf_addch(&b, '+');
		buf_add(&b, cfg->joblog, strlen(cfg->joblog) + 1);
	}
	for (i = 1; i < argc; i++) {
		if (i == dashes && noargs)
			buf_add(&b, "-N0", sizeof("-N0"));
		if (keep[i] & CONFIG_KEEP_ONALL)
			buf_add(&b, argv[i], strlen(argv[i]) + 1);
	}
	if (noargs) {
		buf_add(&b, argsep, strlen(argsep) + 1);
		buf_add(&b, "1", sizeof("1"));
	}
	fd = sys_tmpfile(cfg->tmpdir);
	if (fd != -1 && sys_write_all(fd, b.data, b.len, NULL) == -1) {
		close(fd);
		fd = -1;
	}
	buf_release(&b);
	return fd;
}

/*
 * The logins with a password, which cannot go on the inner runs' command
 * lines: "NAME\0LOGIN\0" for each, into a file.  Returns its descriptor,
 * -2 when there is none, or -1 with errno.
 */
static int
onall_write_logins(char **names, char **logins, size_t n,
    const char *tmpdir)
{
	struct buf b = BUF_INIT;
	size_t i;
	int fd;

	for (i = 0; i < n; i++)
		if (logins[i]) {
			buf_add(&b, names[i], strlen(names[i]) + 1);
			buf_add(&b, logins[i], strlen(logins[i]) + 1);
		}
	if (b.len == 0)
		return -2;
	fd = sys_tmpfile(tmpdir);
	if (fd != -1 && sys_write_all(fd, b.data, b.len, NULL) == -1) {
		close(fd);
		fd = -1;
	}
	explicit_bzero(b.data, b.len);
	buf_release(&b);
	return fd;
}

/* Truncate the job log and write its header, unless it is appended to. */
static int
onall_joblog(const struct config *cfg)
{
	struct joblog *jl;

	if (cfg->joblog == NULL || strcmp(cfg->joblog, "-") == 0)
		return 0;
	if ((jl = joblog_open(cfg->joblog, cfg->joblog_append, NULL)) == NULL) {
		msg_error("cannot open joblog '%s': %s", cfg->joblog,
		    strerror(errno));
		return -1;
	}
	joblog_close(jl);
	return 0;
}

int
onall_main(const struct config *cfg, int argc, char **argv,
    const unsigned char *keep, int dashes, unsigned long jobs,
    int explicit_input, const char *argsep)
{
	static char *cmd[] = { "exec", "\"$" ONALL_SELF "\"", ONALL_INNER,
	    "{}", "<", "\"$" ONALL_STDIN "\"" };
	struct config o;
	struct config_source hosts;
	char self[PATH_MAX], **names, **logins = NULL, *err = NULL;
	const char *why;
	size_t i, n = 0;
	ssize_t len;
	int argv_fd = -1, in_fd = -1, status = EXIT_PARX, from_stdin = 0;
	int logins_fd = -2;
	int noargs;

	if ((why = onall_refused(cfg)) != NULL) {
		msg_error("--onall and --nonall do not take %s", why);
		return EXIT_PARX;
	}
	if ((names = sshlogin_names(&cfg->remote, &n, &logins, &err)) ==
	    NULL) {
		msg_error("%s", err);
		free(err);
		return EXIT_PARX;
	}
	noargs = cfg->onall == CONFIG_NONALL && !explicit_input;
	for (i = 0; !noargs && i < cfg->nsrc; i++)
		if (cfg->src[i].kind == CONFIG_SRC_FILE &&
		    strcmp(cfg->src[i].path, "-") == 0)
			from_stdin = 1;
	if ((len = readlink("/proc/self/exe", self, sizeof(self) - 1)) == -1) {
		msg_error("cannot find parx's own program: %s",
		    strerror(errno));
		goto out;
	}
	self[len] = '\0';
	argv_fd = onall_write_argv(cfg, argc, argv, keep, dashes, noargs,
	    argsep);
	logins_fd = onall_write_logins(names, logins, n, cfg->tmpdir);
	if (argv_fd == -1 || logins_fd == -1 || (from_stdin &&
	    (in_fd = sys_spool(0, cfg->tmpdir)) == -1)) {
		msg_error("cannot make a temporary file: %s", strerror(errno));
		goto out;
	}
	if (onall_joblog(cfg) == -1)
		goto out;
	setenv(ONALL_SELF, self, 1);
	onall_export_fd(ONALL_ARGV, argv_fd);
	if (from_stdin)
		onall_export_fd(ONALL_STDIN, in_fd);
	if (logins_fd >= 0)
		onall_export_fd(ONALL_LOGINS, logins_fd);

	/* The outer run: a job per host, as the inner ones would show it. */
	memset(&o, 0, sizeof(o));
	memset(&hosts, 0, sizeof(hosts));
	hosts.kind = CONFIG_SRC_WORDS;
	hosts.words = names;
	hosts.nwords = n;
	o.mode = cfg->mode;
	o.jobs = jobs ? jobs : n;
	o.keep_order = cfg->keep_order;
	o.output = cfg->output;
	o.tag = cfg->tag;
	o.color = cfg->color;
	o.color_failed = cfg->color_failed;
	o.halt = cfg->halt;
	o.termseq = cfg->termseq;
	o.tmpdir = cfg->tmpdir;
	o.tty = cfg->tty;
	o.delim = "\n";
	o.delim_len = 1;
	o.src = &hosts;
	o.nsrc = 1;
	o.cmd = cmd;
	o.ncmd = from_stdin ? 6 : 4;
	o.total_jobs = -1;
	o.stats_fd = -1;
	status = run_main(&o);
out:
	if (argv_fd != -1)
		close(argv_fd);
	if (in_fd != -1)
		close(in_fd);
	if (logins_fd >= 0)
		close(logins_fd);
	for (i = 0; i < n; i++) {
		free(names[i]);
		if (logins && logins[i]) {
			explicit_bzero(logins[i], strlen(logins[i]));
			free(logins[i]);
		}
	}
	free(names);
	free(logins);
	return status;
}

/* Read the whole file at path; NULL with errno. */
static char *
onall_read(const char *path, size_t *len)
{
	struct buf b = BUF_INIT;
	int fd, rc, e;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return NULL;
	rc = sys_read_all(fd, &b);
	e = errno;
	close(fd);
	if (rc == -1) {
		buf_release(&b);
		errno = e;
		return NULL;
	}
	return buf_detach(&b, len);
}

/*
 * The login of the host name: with its password when the outer run
 * wrote one for it (onall_write_logins()), else name.  Kept for the
 * whole run.
 */
static char *
onall_inner_login(char *name)
{
	static char *pairs;
	const char *path = getenv(ONALL_LOGINS);
	char *p;
	size_t len;

	if (path == NULL)
		return name;
	if ((pairs = onall_read(path, &len)) == NULL) {
		msg_error("--onall: cannot read the logins in '%s': %s", path,
		    strerror(errno));
		exit(EXIT_PARX);
	}
	for (p = pairs; p < pairs + len; p += strlen(p) + 1) {
		char *login = p + strlen(p) + 1;

		if (login >= pairs + len)
			break;
		if (strcmp(p, name) == 0)
			return login;
		p = login;
	}
	return name;
}

void
onall_inner_argv(int *argc, char ***argv)
{
	/* Kept for the whole run, as argv is. */
	static char **av, *words;
	const char *path = getenv(ONALL_ARGV);
	char *p;
	size_t len, n = 0, k;

	if (*argc != 3 || strcmp((*argv)[1], ONALL_INNER) != 0 || path == NULL)
		return;
	if ((words = onall_read(path, &len)) == NULL) {
		msg_error("--onall: cannot read the command line in '%s': %s",
		    path, strerror(errno));
		exit(EXIT_PARX);
	}
	for (p = words; p < words + len; p += strlen(p) + 1)
		n++;
	av = xcalloc(n + 4, sizeof(*av));
	av[0] = (*argv)[0];
	av[1] = "-S";
	av[2] = onall_inner_login((*argv)[2]);
	for (k = 3, p = words; p < words + len; p += strlen(p) + 1)
		av[k++] = p;
	av[k] = NULL;
	*argc = (int)k;
	*argv = av;
	unsetenv(ONALL_SELF);
	unsetenv(ONALL_ARGV);
	unsetenv(ONALL_STDIN);
	unsetenv(ONALL_LOGINS);
}

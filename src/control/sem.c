/* SPDX-License-Identifier: ISC */
/*
 * The counting semaphore: slots as locked files, a command run holding one.
 */
#include "sem.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "config.h"
#include "exitcode.h"
#include "msg.h"
#include "penv.h"
#include "shell.h"
#include "sys.h"
#include "xalloc.h"

extern char **environ;

#define SEM_NAP_MAX_MS	50	/* the longest wait between two looks */

static volatile sig_atomic_t sem_child;	/* the command, for sem_forward */

/* Make a directory unless it is there. */
static int
sem_mkdir(struct buf *path)
{
	if (mkdir(path->data, 0700) == 0 || errno == EEXIST)
		return 0;
	msg_error("cannot make the semaphore directory '%s': %s", path->data,
	    strerror(errno));
	return -1;
}

/*
 * The directory of the name's slots, made if missing.  Bytes of the name
 * other than letters, digits, '-' and '_' are written in hex, so that any
 * name (a terminal's is /dev/pts/N) makes one directory.
 */
static char *
sem_dir(const char *id)
{
	struct buf b = BUF_INIT;
	const char *home = getenv("PARALLEL_HOME");
	const unsigned char *p;
	char hex[3];

	if (home != NULL && *home != '\0') {
		buf_addstr(&b, home);
	} else if ((home = getenv("HOME")) != NULL && *home != '\0') {
		buf_addstr(&b, home);
		buf_addstr(&b, "/.parallel");
	} else {
		msg_error("sem needs $PARALLEL_HOME or $HOME for its files");
		return NULL;
	}
	if (sem_mkdir(&b) == -1)
		goto fail;
	buf_addstr(&b, "/semaphores");
	if (sem_mkdir(&b) == -1)
		goto fail;
	buf_addstr(&b, "/parx-id-");
	for (p = (const unsigned char *)id; *p; p++) {
		if (isalnum(*p) || *p == '-' || *p == '_') {
			buf_addch(&b, *p);
		} else {
			snprintf(hex, sizeof(hex), "%02x", *p);
			buf_addstr(&b, hex);
		}
	}
	if (sem_mkdir(&b) == -1)
		goto fail;
	return buf_detach(&b, NULL);
fail:
	buf_release(&b);
	return NULL;
}

/*
 * Lock the slot file dir/name, waiting for it when wait is set.  Returns
 * its descriptor, -1 when it is taken, -2 on an error (said).
 */
static int
sem_lock(const char *dir, const char *name, int wait)
{
	struct buf path = BUF_INIT;
	int fd;

	buf_addstr(&path, dir);
	buf_addch(&path, '/');
	buf_addstr(&path, name);
	fd = open(path.data, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd == -1) {
		msg_error("cannot open the semaphore slot '%s': %s",
		    path.data, strerror(errno));
		buf_release(&path);
		return -2;
	}
	buf_release(&path);
	while (flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB)) == -1) {
		if (errno == EINTR)
			continue;
		close(fd);
		if (errno == EWOULDBLOCK)
			return -1;
		msg_error("cannot lock a semaphore slot in '%s': %s", dir,
		    strerror(errno));
		return -2;
	}
	return fd;
}

/* Milliseconds since t0. */
static double
sem_ms_since(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t0->tv_sec) * 1e3 +
	    (double)(now.tv_nsec - t0->tv_nsec) / 1e6;
}

/*
 * Wait for one of the n slots: its locked descriptor; -1 when the
 * timeout ran out first; -2 on an error.  Free slots are looked for at
 * once, then after naps that grow to SEM_NAP_MAX_MS.
 */
static int
sem_take(const char *dir, unsigned long n, const struct config_sem *s)
{
	struct timespec t0, nap;
	unsigned long k;
	long ms = 1;
	char name[32];
	int fd;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		for (k = 0; k < n; k++) {
			snprintf(name, sizeof(name), "slot-%lu", k);
			if ((fd = sem_lock(dir, name, 0)) != -1)
				return fd;
		}
		if (s->timeout != 0 && sem_ms_since(&t0) >=
		    (s->timeout < 0 ? -s->timeout : s->timeout) * 1e3)
			return -1;
		nap.tv_sec = 0;
		nap.tv_nsec = ms * 1000000L;
		nanosleep(&nap, NULL);
		if ((ms *= 2) > SEM_NAP_MAX_MS)
			ms = SEM_NAP_MAX_MS;
	}
}

/* --wait: lock every slot of the name in turn, then let them go. */
static int
sem_wait_all(const char *dir)
{
	struct dirent *de;
	DIR *d;
	int fd, rc = 0;

	if ((d = opendir(dir)) == NULL) {
		msg_error("cannot read '%s': %s", dir, strerror(errno));
		return EXIT_PARX;
	}
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, "slot-", 5) != 0)
			continue;
		if ((fd = sem_lock(dir, de->d_name, 1)) < 0) {
			rc = EXIT_PARX;
			break;
		}
		close(fd);
	}
	closedir(d);
	return rc;
}

/* Pass a signal on to the command's process group: its whole tree. */
static void
sem_forward(int sig)
{
	int e = errno;	/* the interrupted code may look at it */

	if (sem_child > 0)
		kill(-(pid_t)sem_child, sig);
	errno = e;
}

/*
 * While the command runs, in a process group of its own as every parx
 * job: SIGINT (Ctrl-C), SIGQUIT, SIGTERM and SIGHUP are passed on to that
 * group, so that they end the command's whole tree; sem then returns its
 * status (128+N).
 */
static void
sem_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;	/* waitpid returns EINTR, and is called again */
	sa.sa_handler = sem_forward;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGQUIT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

/*
 * Start sh -c cmd (sh a path, or a name found on $PATH), its stdin from in
 * and stdout and stderr to out and err where these are not -1.  Returns
 * its pid, or -1 (said).
 */
static pid_t
sem_spawn(const char *sh, const char *cmd, int in, int out, int err)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none, dflt;
	char *argv[4];
	pid_t pid;
	int rc;

	argv[0] = (char *)sh;
	argv[1] = (char *)"-c";
	argv[2] = (char *)cmd;
	argv[3] = NULL;
	posix_spawn_file_actions_init(&fa);
	if (in >= 0)
		posix_spawn_file_actions_adddup2(&fa, in, 0);
	if (out >= 0)
		posix_spawn_file_actions_adddup2(&fa, out, 1);
	if (err >= 0)
		posix_spawn_file_actions_adddup2(&fa, err, 2);
	sigemptyset(&none);
	sigemptyset(&dflt);
	sigaddset(&dflt, SIGINT);
	sigaddset(&dflt, SIGQUIT);
	sigaddset(&dflt, SIGTERM);
	sigaddset(&dflt, SIGHUP);
	sigaddset(&dflt, SIGPIPE);
	posix_spawnattr_init(&at);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP |
	    POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	posix_spawnattr_setpgroup(&at, 0);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setsigdefault(&at, &dflt);
	rc = posix_spawnp(&pid, sh, &fa, &at, argv, environ);
	posix_spawnattr_destroy(&at);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0) {
		msg_error("cannot run '%s': %s", sh, strerror(rc));
		return -1;
	}
	return pid;
}

/*
 * Run the command and wait for it: its status as the shell gives it.
 * The signals sem passes on are held until sem_forward knows the pid.
 */
static int
sem_run_command(const char *sh, const char *cmd, int in, int out, int err)
{
	sigset_t fwd, old;
	pid_t pid;
	int st;

	sigemptyset(&fwd);
	sigaddset(&fwd, SIGINT);
	sigaddset(&fwd, SIGQUIT);
	sigaddset(&fwd, SIGTERM);
	sigaddset(&fwd, SIGHUP);
	sigprocmask(SIG_BLOCK, &fwd, &old);
	sem_signals();
	pid = sem_spawn(sh, cmd, in, out, err);
	sem_child = pid > 0 ? pid : 0;
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (pid == -1)
		return EXIT_PARX;
	while (waitpid(pid, &st, 0) == -1)
		if (errno != EINTR)
			return EXIT_PARX;
	sem_child = 0;
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return WEXITSTATUS(st);
}

/* Write out a spooled stream; say so if it cannot be. */
static void
sem_write_out(int fd, int to, const char *cmd)
{
	struct stat st;
	off_t off = 0;

	if (fstat(fd, &st) == -1 || st.st_size == 0)
		return;
	if (sys_copy_all(to, fd, &off, st.st_size, NULL) == -1)
		msg_error("cannot write the output of '%s': %s", cmd,
		    strerror(errno));
}

/*
 * --bg: fork a holder, which keeps the slot (the locked descriptor is
 * shared by the fork) while it runs the command, its output spooled, and
 * writes the output whole when the command ends.  sem itself returns at
 * once.
 */
static int
sem_background(const struct config *cfg, const char *sh, const char *cmd,
    const char *code)
{
	int out, err, in = -1, st;
	pid_t pid;

	out = sys_tmpfile(cfg->tmpdir);
	err = out == -1 ? -1 : sys_tmpfile(cfg->tmpdir);
	if (err == -1) {
		msg_error("cannot make a file for the output of '%s': %s", cmd,
		    strerror(errno));
		return EXIT_PARX;
	}
	if (!cfg->pipe.on &&
	    (in = open("/dev/null", O_RDONLY | O_CLOEXEC)) == -1) {
		msg_error("cannot open /dev/null: %s", strerror(errno));
		return EXIT_PARX;
	}
	fflush(NULL);
	pid = fork();	/* sem has no threads */
	if (pid == -1) {
		msg_error("cannot start '%s' in the background: %s", cmd,
		    strerror(errno));
		return EXIT_PARX;
	}
	if (pid > 0)
		return 0;
	st = sem_run_command(sh, code, in, out, err);
	sem_write_out(out, 1, cmd);
	sem_write_out(err, 2, cmd);
	_exit(st);
}

/* The command line: the words joined by spaces, as GNU parallel does. */
static char *
sem_command(const struct config *cfg)
{
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < cfg->ncmd; i++) {
		if (i > 0)
			buf_addch(&b, ' ');
		buf_addstr(&b, cfg->cmd[i]);
	}
	return buf_detach(&b, NULL);
}

/* Hold a slot while the command runs, or have the holder do it. */
static int
sem_run(const struct config *cfg, const char *dir, const char *id)
{
	const struct config_sem *s = &cfg->sem;
	struct buf code = BUF_INIT;
	char *cmd, *sh;
	int lock = -1, st;

	/* No slot at all: the command never runs, as in GNU parallel. */
	if (cfg->jobs_none) {
		msg_error(CONFIG_JOBS_NONE_FMT, cfg->jobs_none);
		return EXIT_PARX;
	}
	if (cfg->jobs > 0) {
		lock = sem_take(dir, cfg->jobs, s);
		if (lock == -2)
			return EXIT_PARX;
		if (lock == -1 && s->timeout < 0) {
			msg_error("semaphore '%s' still taken after %g s: "
			    "the command was not run", id, -s->timeout);
			return 1;
		}
	}
	cmd = sem_command(cfg);
	sh = shell_find();
	/* What the shell runs: $PARALLEL_ENV's code first (penv.h). */
	if (cfg->env_code) {
		penv_wrap(&code, cfg->env_code, cfg->env_code_len,
		    strstr(sh, "zsh") != NULL, cmd, strlen(cmd));
	} else
		buf_addstr(&code, cmd);
	if (s->fg) {
		st = sem_run_command(sh, code.data, -1, -1, -1);
	} else {
		st = sem_background(cfg, sh, cmd, code.data);
	}
	if (lock >= 0)
		close(lock);
	free(sh);
	free(cmd);
	buf_release(&code);
	return st;
}

/* Run or wait under the semaphore. */
int
sem_main(const struct config *cfg)
{
	const char *id = cfg->sem.id;
	char *dir;
	int st;

	/* GNU parallel's default: what tty(1) prints. */
	if (id == NULL && (id = ttyname(0)) == NULL)
		id = "not a tty";
	if ((dir = sem_dir(id)) == NULL)
		return EXIT_PARX;
	st = cfg->sem.wait ? sem_wait_all(dir) : sem_run(cfg, dir, id);
	free(dir);
	return st;
}

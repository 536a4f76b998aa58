/* SPDX-License-Identifier: ISC */
/*
 * Starting jobs.  posix_spawn is used throughout, never fork: parx may have
 * threads, and glibc's posix_spawn (clone with CLONE_VFORK) is both safe
 * there and cheaper than fork for a large parent.  It blocks its caller
 * until the child has exec'd, which is why every worker spawns its own jobs
 * instead of one loop spawning for all.
 */
#include "spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "msg.h"
#include "penv.h"
#include "sig.h"
#include "sys.h"
#include "xalloc.h"

extern char **environ;

/* Set once by spawn_init() and read-only afterwards. */
static char *spawn_shell_path;		/* as given: the jobs' $0 */
static char *spawn_shell_exec;		/* found on $PATH if a bare name */
static char **spawn_env;		/* environ without PARALLEL_{SEQ,...} */
static size_t spawn_nenv;
static char spawn_pid_var[64];
static char spawn_login_var[] = "PARALLEL_SSHLOGIN=:";
static char spawn_host_var[] = "PARALLEL_SSHHOST=:";
static char *spawn_pwd_var;		/* environ's PWD=, or NULL */
static char *spawn_oldpwd_var;		/* OLDPWD=spawn_cwd, else environ's */
static char *spawn_oldpwd_own;
static char *spawn_cwd;			/* the logical working directory */
static char *spawn_slot_name;		/* --process-slot-var, or NULL */
static int spawn_nice, spawn_nice_set;
static char *spawn_env_code;		/* $PARALLEL_ENV's, or NULL */
static size_t spawn_env_code_len;

static int
spawn_is_own_var(const char *e)
{
	return strncmp(e, "PARALLEL_SEQ=", 13) == 0 ||
	    strncmp(e, "PARALLEL_JOBSLOT=", 17) == 0 ||
	    strncmp(e, "PARALLEL_PID=", 13) == 0 ||
	    strncmp(e, "PARALLEL_SSHLOGIN=", 18) == 0 ||
	    strncmp(e, "PARALLEL_SSHHOST=", 17) == 0;
}

/*
 * The working directory as a shell names it: $PWD when it is this
 * directory (through symbolic links, as `cd` keeps it), else getcwd().
 * Returns a malloc'd path, or NULL when neither is known.
 */
static char *
spawn_logical_cwd(const char *pwd_var)
{
	struct stat a, b;
	const char *pwd = pwd_var ? pwd_var + 4 : NULL;

	if (pwd && pwd[0] == '/' && stat(pwd, &a) == 0 && stat(".", &b) == 0 &&
	    a.st_dev == b.st_dev && a.st_ino == b.st_ino)
		return xstrdup(pwd);
	return getcwd(NULL, 0);
}

/*
 * Append dir to the logical path that starts at offset start in b, as
 * `cd` does without -P: a relative dir goes below it, `.` parts vanish
 * and `..` takes the last part off, without looking at symbolic links.
 */
static void
spawn_logical_join(struct buf *b, size_t start, const char *dir)
{
	const char *p, *e;
	size_t k;

	if (dir[0] == '/')
		b->len = start;
	for (p = dir; *p; p = e) {
		while (*p == '/')
			p++;
		if (*p == '\0')
			break;
		e = strchr(p, '/');
		if (e == NULL)
			e = p + strlen(p);
		if (e - p == 1 && p[0] == '.')
			continue;
		if (e - p == 2 && p[0] == '.' && p[1] == '.') {
			for (k = b->len; k > start && b->data[k - 1] != '/';)
				k--;
			b->len = k > start ? k - 1 : start;
			continue;
		}
		buf_addch(b, '/');
		buf_add(b, p, (size_t)(e - p));
	}
	if (b->len == start)
		buf_addch(b, '/');
}

/* The PWD of a job that runs in dir, in b: as `cd dir` sets it. */
static void
spawn_wd_pwd(struct buf *b, const char *dir)
{
	buf_addstr(b, "PWD=");
	if (spawn_cwd)
		buf_addstr(b, spawn_cwd);
	spawn_logical_join(b, 4, dir);
	buf_addch(b, '\0');
}

/* Record the shell and the base environment. */
void
spawn_init(const char *shell)
{
	size_t n, i;

	free(spawn_shell_path);
	free(spawn_shell_exec);
	spawn_shell_path = xstrdup(shell);
	/* $PARALLEL_SHELL=bash: found on $PATH, $0 bash as in GNU parallel. */
	spawn_shell_exec = sys_path_find(shell);
	if (spawn_shell_exec == NULL)
		spawn_shell_exec = xstrdup(shell);

	for (n = 0; environ[n]; n++)
		;
	free(spawn_env);
	spawn_env = xreallocarray(NULL, n + 1, sizeof(*spawn_env));
	spawn_nenv = 0;
	spawn_pwd_var = spawn_oldpwd_var = NULL;
	for (i = 0; i < n; i++)
		if (strncmp(environ[i], "PWD=", 4) == 0)
			spawn_pwd_var = environ[i];
		else if (strncmp(environ[i], "OLDPWD=", 7) == 0)
			spawn_oldpwd_var = environ[i];
		else if (!spawn_is_own_var(environ[i]))
			spawn_env[spawn_nenv++] = environ[i];
	spawn_env[spawn_nenv] = NULL;
	/*
	 * As GNU parallel does, every job's OLDPWD is the directory parx
	 * runs in, as if the job's shell had come from there with cd.
	 */
	free(spawn_cwd);
	free(spawn_oldpwd_own);
	spawn_oldpwd_own = NULL;
	spawn_cwd = spawn_logical_cwd(spawn_pwd_var);
	if (spawn_cwd)
		spawn_oldpwd_var = spawn_oldpwd_own =
		    xasprintf("OLDPWD=%s", spawn_cwd);
	snprintf(spawn_pid_var, sizeof(spawn_pid_var), "PARALLEL_PID=%ld",
	    (long)getpid());
}

/* --process-slot-var: see spawn.h. */
void
spawn_set_slot_var(const char *name)
{
	size_t i, k, len;

	free(spawn_slot_name);
	spawn_slot_name = name ? xstrdup(name) : NULL;
	if (name == NULL)
		return;
	/* The job's value replaces any the environment has. */
	len = strlen(name);
	for (i = k = 0; i < spawn_nenv; i++)
		if (strncmp(spawn_env[i], name, len) != 0 ||
		    spawn_env[i][len] != '=')
			spawn_env[k++] = spawn_env[i];
	spawn_nenv = k;
	spawn_env[k] = NULL;
}

/* Record the code jobs run first. */
void
spawn_set_env_code(const char *code, size_t len)
{
	free(spawn_env_code);
	spawn_env_code = len ? xmemdupz(code, len) : NULL;
	spawn_env_code_len = len;
}

/* Whether jobs run $PARALLEL_ENV's code first. */
int
spawn_has_env_code(void)
{
	return spawn_env_code != NULL;
}

/* Whether the shell is zsh, as GNU parallel tells: its path says so. */
static int
spawn_zsh(void)
{
	return spawn_shell_path && strstr(spawn_shell_path, "zsh") != NULL;
}

/* The shell code of a job: the command, after the env code if any. */
void
spawn_shell_code(struct buf *b, const char *cmd, size_t len)
{
	if (spawn_env_code == NULL)
		buf_add(b, cmd, len);
	else
		penv_wrap(b, spawn_env_code, spawn_env_code_len, spawn_zsh(),
		    cmd, len);
}

/* Its length. */
size_t
spawn_shell_code_len(const char *cmd, size_t len)
{
	if (spawn_env_code == NULL)
		return len;
	return penv_wrap_len(spawn_env_code_len, spawn_zsh(), cmd, len);
}

/* Record the niceness of jobs. */
void
spawn_set_nice(int nice)
{
	spawn_nice = nice;
	spawn_nice_set = 1;
}

/*
 * Set up the calling worker.  posix_spawn cannot set a child's niceness,
 * so the worker takes it on itself: a worker process for the whole
 * process, a worker thread for itself only (see sys_nice_self).
 */
void
spawn_worker_init(void)
{
	if (spawn_nice_set)
		(void)sys_nice_self(spawn_nice);
}

/* The shell that runs jobs. */
const char *
spawn_shell(void)
{
	return spawn_shell_path;
}

static void
spawn_say(int fd, const char *fmt, const char *what, const char *why)
{
	char line[512];
	int n;

	n = snprintf(line, sizeof(line), fmt, msg_progname(), what, why);
	if (n > (int)sizeof(line) - 1)
		n = sizeof(line) - 1;
	if (n > 0)
		(void)!write(fd < 0 ? 2 : fd, line, (size_t)n);
}

/* The attributes of every child. */
void
spawn_attr_init(posix_spawnattr_t *attr)
{
	posix_spawnattr_init(attr);
	posix_spawnattr_setflags(attr, POSIX_SPAWN_SETPGROUP |
	    POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	posix_spawnattr_setpgroup(attr, 0);
	posix_spawnattr_setsigmask(attr, sig_orig_mask());
	posix_spawnattr_setsigdefault(attr, sig_default_set());
}

/* Room for the environment of a job, for spawn_req.env. */
char **
spawn_env_new(void)
{
	return xreallocarray(NULL, spawn_nenv + 9, sizeof(char *));
}

/* The descriptors of the job described by req. */
void
spawn_actions_init(posix_spawn_file_actions_t *fa,
    const struct spawn_req *req)
{
	posix_spawn_file_actions_init(fa);
	if (req->fd[0] >= 0)
		posix_spawn_file_actions_adddup2(fa, req->fd[0], 0);
	else
		posix_spawn_file_actions_addopen(fa, 0, "/dev/null",
		    O_RDONLY, 0);
	if (req->fd[1] >= 0)
		posix_spawn_file_actions_adddup2(fa, req->fd[1], 1);
	if (req->fd[2] >= 0)
		posix_spawn_file_actions_adddup2(fa, req->fd[2], 2);
	/* After 0-2: one of them may be a copy of what is 3 here. */
	if (req->fd[3] >= 0)
		posix_spawn_file_actions_adddup2(fa, req->fd[3], 3);
	if (req->wd)
		sys_spawn_addchdir(fa, req->wd);
}

/* Start a helper of parx's own: see spawn.h. */
int
spawn_helper(const char *cmd, int in, int out, pid_t *pid)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	char *argv[4], *plain = NULL;
	int err;

	/* Plain words: the shell becomes the program, one process. */
	if (strpbrk(cmd, "$'\"\\`;|&<>(){}*?[~#\n") == NULL)
		plain = xasprintf("exec %s", cmd);
	argv[0] = (char *)"sh";
	argv[1] = (char *)"-c";
	argv[2] = plain ? plain : (char *)cmd;
	argv[3] = NULL;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in, 0);
	posix_spawn_file_actions_adddup2(&fa, out, 1);
	spawn_attr_init(&attr);
	err = posix_spawn(pid, "/bin/sh", &fa, &attr, argv, environ);
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&fa);
	free(plain);
	return err;
}

static int
spawn_start(const struct spawn_req *req, const char *path,
    char *const *argv, int search, pid_t *pid)
{
	posix_spawn_file_actions_t own;
	const posix_spawn_file_actions_t *fa = req->fa;
	posix_spawnattr_t attr;
	char seq[40], slot[40], slotvar[256];
	char **envp = req->env;
	struct buf wdpwd;
	size_t i, n;
	int err, tries;

	snprintf(seq, sizeof(seq), "PARALLEL_SEQ=%llu", req->seq);
	snprintf(slot, sizeof(slot), "PARALLEL_JOBSLOT=%lu", req->slot);
	envp[0] = seq;
	envp[1] = slot;
	envp[2] = spawn_pid_var;
	/* This machine, as GNU parallel names it (remote.c for others). */
	envp[3] = spawn_login_var;
	envp[4] = spawn_host_var;
	for (i = 0; i < spawn_nenv; i++)
		envp[5 + i] = spawn_env[i];
	n = 5 + spawn_nenv;
	buf_init(&wdpwd);
	if (req->wd) {
		spawn_wd_pwd(&wdpwd, req->wd);
		envp[n++] = wdpwd.data;
	} else if (spawn_pwd_var) {
		envp[n++] = spawn_pwd_var;
	}
	if (spawn_oldpwd_var)
		envp[n++] = spawn_oldpwd_var;
	if (spawn_slot_name) {
		/* GNU parallel's value: the slot counted from 0. */
		snprintf(slotvar, sizeof(slotvar), "%s=%lu", spawn_slot_name,
		    req->slot > 0 ? req->slot - 1 : 0);
		envp[n++] = slotvar;
	}
	envp[n] = NULL;

	if (fa == NULL) {
		spawn_actions_init(&own, req);
		fa = &own;
	}

	spawn_attr_init(&attr);
	/* --tty, -o: the job reads the terminal, so it stays in its group. */
	if (req->tty)
		posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK |
		    POSIX_SPAWN_SETSIGDEF);

	/*
	 * Out of processes is often passing: back off a little and retry,
	 * briefly; then the caller runs fewer jobs at once (admit.h).
	 */
	for (tries = 0;; tries++) {
		if (search)
			err = posix_spawnp(pid, path, fa, &attr, argv, envp);
		else
			err = posix_spawn(pid, path, fa, &attr, argv, envp);
		if ((err != EAGAIN && err != ENOMEM) || tries >= 3)
			break;
		usleep(10000 * (tries + 1));
	}

	posix_spawnattr_destroy(&attr);
	if (fa == &own)
		posix_spawn_file_actions_destroy(&own);
	buf_release(&wdpwd);
	return err;
}

/* Run one job to completion. */
int
spawn_run(const struct spawn_req *req, struct spawn_res *res,
    const struct spawn_hooks *hooks, void *ctx)
{
	char *vec_small[16];
	char **vec = vec_small;
	char *shargv[4];
	const char *p;
	siginfo_t si;
	size_t i;
	int err = 0, status = 0, direct = req->direct;

	memset(res, 0, sizeof(*res));
	res->pid = -1;
	clock_gettime(CLOCK_REALTIME, &res->start_real);
	clock_gettime(CLOCK_MONOTONIC, &res->start_mono);

	if (direct) {
		if (req->argc + 1 > sizeof(vec_small) / sizeof(vec_small[0]))
			vec = xreallocarray(NULL, req->argc + 1, sizeof(*vec));
		for (i = 0, p = req->argv; i < req->argc; i++) {
			vec[i] = (char *)p;
			p += strlen(p) + 1;
		}
		vec[req->argc] = NULL;
		err = spawn_start(req, vec[0], vec, 1, &res->pid);
		/*
		 * A script without "#!" is run by the shell, as sh would; a
		 * command that cannot be run is left to the shell too, so
		 * that its message and status (127, 126) are the shell's own,
		 * as under GNU parallel.  Out of processes or memory is
		 * reported as it is (admit.h).
		 */
		if (err && err != EAGAIN && err != ENOMEM)
			direct = 0;
		else if (err)
			spawn_say(req->fd[2], "%s: %s: %s\n", vec[0],
			    strerror(err));
	}
	if (!direct) {
		/* $0 is the path, as GNU parallel runs it: "/usr/bin/bash:". */
		shargv[0] = spawn_shell_path;
		shargv[1] = "-c";
		shargv[2] = (char *)req->cmd;
		shargv[3] = NULL;
		err = spawn_start(req, spawn_shell_exec, shargv, 0, &res->pid);
		if (err)
			spawn_say(req->fd[2], "%s: cannot run shell '%s': %s\n",
			    spawn_shell_path, strerror(err));
	}
	if (vec != vec_small)
		free(vec);

	if (err) {
		res->pid = -1;
		res->spawn_errno = err;
		/* As a shell reports it: 127 not found, 126 cannot run. */
		res->status = (err == ENOENT ? 127 : 126) << 8;
		clock_gettime(CLOCK_MONOTONIC, &res->end_mono);
		return 0;
	}
	if (hooks && hooks->started)
		hooks->started(ctx, res->pid, res);

	/*
	 * Wait without reaping first: until the reap below, the pid (and so
	 * the process group id) cannot be reused, which lets the exited hook
	 * close the window in which the caller might signal a stranger.
	 */
	while (waitid(P_PID, (id_t)res->pid, &si, WEXITED | WNOWAIT) == -1)
		if (errno != EINTR)
			break;
	clock_gettime(CLOCK_MONOTONIC, &res->end_mono);
	if (hooks && hooks->exited)
		hooks->exited(ctx);
	while (wait4(res->pid, &status, 0, &res->ru) == -1) {
		if (errno != EINTR) {
			BUG("wait4 on job %llu: %s", req->seq, strerror(errno));
		}
	}
	res->status = status;
	res->pid = -1;
	return 0;
}

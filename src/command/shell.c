/* SPDX-License-Identifier: ISC */
/*
 * Choosing the job shell.  Using the parent's shell is what makes
 * "export -f myfunc; parx myfunc ::: a b" work from bash; shells whose
 * quoting differs from POSIX (csh, fish) are not used, since parx quotes
 * values for POSIX shells.
 */
#include "shell.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "xalloc.h"

extern char **environ;

static int
shell_is_posix(const char *path)
{
	static const char *const names[] = { "sh", "dash", "bash", "ksh",
	    "ksh93", "mksh", "pdksh", "zsh", "ash", "yash", "posh", "lksh" };
	const char *base = strrchr(path, '/');
	size_t i;

	base = base ? base + 1 : path;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(base, names[i]) == 0)
			return 1;
	return 0;
}

/*
 * The parent of pid, from /proc, or -1; its command name (the name it
 * was started by, such as sh for a dash run as sh) in comm.
 */
static long
shell_ppid_of(long pid, char *comm, size_t size)
{
	char path[64], stat[512], *p, *open;
	FILE *f;
	long ppid = -1;
	size_t n;

	*comm = '\0';
	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	f = fopen(path, "re");
	if (f == NULL)
		return -1;
	n = fread(stat, 1, sizeof(stat) - 1, f);
	fclose(f);
	stat[n] = '\0';
	/* "pid (comm) state ppid ...": comm may hold spaces and parens. */
	p = strrchr(stat, ')');
	open = strchr(stat, '(');
	if (p && open && open < p && (size_t)(p - open) <= size) {
		memcpy(comm, open + 1, (size_t)(p - open - 1));
		comm[p - open - 1] = '\0';
	}
	if (p && sscanf(p + 1, " %*c %ld", &ppid) != 1)
		ppid = -1;
	return ppid;
}

/*
 * The shell by the name it was started as, found in $PATH as GNU
 * parallel finds it (/usr/bin/sh for a dash started as sh, so that its
 * messages name it so), or exe when the name is not found there.
 */
static char *
shell_by_name(const char *comm, const char *exe)
{
	const char *path = getenv("PATH"), *p, *end;
	struct buf b = BUF_INIT;

	if (*comm == '\0' || strchr(comm, '/') || !shell_is_posix(comm) ||
	    path == NULL)
		return xstrdup(exe);
	for (p = path; ; p = end + 1) {
		end = strchr(p, ':');
		if (end == NULL)
			end = p + strlen(p);
		if (end > p && *p == '/') {
			buf_reset(&b);
			buf_add(&b, p, (size_t)(end - p));
			buf_addch(&b, '/');
			buf_addstr(&b, comm);
			if (access(b.data, X_OK) == 0)
				return buf_detach(&b, NULL);
		}
		if (*end == '\0')
			break;
	}
	buf_release(&b);
	return xstrdup(exe);
}

/* Pick the job shell. */
char *
shell_find(void)
{
	char link[64], path[PATH_MAX], comm[64];
	const char *env = getenv("PARALLEL_SHELL");
	long pid = (long)getppid(), ppid;
	ssize_t n;
	int depth;

	if (env && *env)
		return xstrdup(env);
	/*
	 * Walk up from the parent: parx is often started through a program
	 * that is not a shell (timeout, nice, env, make), and the shell that
	 * defined the user's functions is further up.
	 */
	for (depth = 0; pid > 1 && depth < 64; depth++) {
		snprintf(link, sizeof(link), "/proc/%ld/exe", pid);
		n = readlink(link, path, sizeof(path) - 1);
		ppid = shell_ppid_of(pid, comm, sizeof(comm));
		if (n > 0) {
			path[n] = '\0';
			if (shell_is_posix(path) && access(path, X_OK) == 0)
				return shell_by_name(comm, path);
		}
		pid = ppid;
	}
	return xstrdup("/bin/sh");
}

/* Whether word must be run by the shell to mean the same thing. */
int
shell_needs_shell(const char *word)
{
	static const char *const builtins[] = {
	    "!", ".", ":", "[", "[[", "]]", "{", "}", "alias", "bg", "bind",
	    "break", "builtin", "caller", "case", "cd", "command", "compgen",
	    "complete", "compopt", "continue", "coproc", "declare", "dirs",
	    "disown", "do", "done", "echo", "elif", "else", "enable", "esac",
	    "eval", "exec", "exit", "export", "false", "fc", "fg", "fi", "for",
	    "function", "getopts", "hash", "help", "history", "if", "in",
	    "jobs", "kill", "let", "local", "logout", "mapfile", "popd",
	    "printf", "pushd", "pwd", "read", "readarray", "readonly",
	    "return", "select", "set", "shift", "shopt", "source", "suspend",
	    "test", "then", "time", "times", "trap", "true", "type",
	    "typeset", "ulimit", "umask", "unalias", "unset", "until", "wait",
	    "while" };
	struct buf name = BUF_INIT;
	size_t i;
	char **e;
	int found = 0;

	for (i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
		if (strcmp(word, builtins[i]) == 0)
			return 1;
	/* bash exports functions as BASH_FUNC_name%%=() { ...; } */
	buf_addstr(&name, "BASH_FUNC_");
	buf_addstr(&name, word);
	for (e = environ; *e && !found; e++)
		if (strncmp(*e, name.data, name.len) == 0 &&
		    ((*e)[name.len] == '%' || (*e)[name.len] == '('))
			found = 1;
	buf_release(&name);
	return found;
}

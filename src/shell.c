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

/* Pick the job shell. */
char *
shell_find(void)
{
	char link[64], path[PATH_MAX];
	const char *env = getenv("PARALLEL_SHELL");
	ssize_t n;

	if (env && *env)
		return xstrdup(env);
	snprintf(link, sizeof(link), "/proc/%ld/exe", (long)getppid());
	n = readlink(link, path, sizeof(path) - 1);
	if (n > 0) {
		path[n] = '\0';
		if (shell_is_posix(path) && access(path, X_OK) == 0)
			return xstrdup(path);
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

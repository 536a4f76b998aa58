/* SPDX-License-Identifier: ISC */
/*
 * The special names of -S and --slf: "..", ".", "-", and --slf names
 * looked up in the config directory (loginsrc.h).
 */
#include "loginsrc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "remote.h"
#include "slurm.h"
#include "sshlogin.h"
#include "xalloc.h"

#define LOGINSRC_FILE	"sshloginfile"
#define LOGINSRC_SYSTEM	"/etc/parallel/sshloginfile"

/* Keep s, made here, with ro; returns it. */
static char *
loginsrc_own(struct remote_opts *ro, char *s)
{
	ro->own = xreallocarray(ro->own, ro->nown + 1, sizeof(*ro->own));
	ro->own[ro->nown++] = s;
	return s;
}

static int
loginsrc_is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/*
 * The config directory, allocated: $PARALLEL_HOME when set, else the
 * first directory that exists of $XDG_CONFIG_HOME/parallel, each
 * $XDG_CONFIG_DIRS/parallel and ~/.parallel, else ~/.parallel.  NULL
 * when none can be named (no $HOME).
 */
static char *
loginsrc_config_dir(void)
{
	const char *v = getenv("PARALLEL_HOME"), *p, *colon;
	const char *home = getenv("HOME");
	struct buf b = BUF_INIT;

	if (v && *v)
		return xstrdup(v);
	if ((v = getenv("XDG_CONFIG_HOME")) != NULL && *v) {
		buf_addstr(&b, v);
		buf_addstr(&b, "/parallel");
		if (loginsrc_is_dir(b.data))
			return buf_detach(&b, NULL);
		buf_reset(&b);
	}
	for (p = getenv("XDG_CONFIG_DIRS"); p && *p; p = colon + 1) {
		colon = strchr(p, ':');
		if (colon == NULL)
			colon = p + strlen(p);
		if (colon > p) {
			buf_add(&b, p, (size_t)(colon - p));
			buf_addstr(&b, "/parallel");
			if (loginsrc_is_dir(b.data))
				return buf_detach(&b, NULL);
			buf_reset(&b);
		}
		if (*colon == '\0')
			break;
	}
	buf_release(&b);
	if (home == NULL || *home == '\0')
		return NULL;
	return xasprintf("%s/.parallel", home);
}

/*
 * The file a --slf name (or the -S login "..") stands for, owned by ro;
 * opt names the option for a message.  NULL with *err set when it
 * cannot be read.
 */
static const char *
loginsrc_path(struct remote_opts *ro, const char *name, const char *opt,
    char **err)
{
	char *dir = NULL, *path = NULL;
	int e;

	if (strcmp(name, ".") == 0) {
		path = xstrdup(LOGINSRC_SYSTEM);
	} else if (strcmp(name, "..") == 0) {
		if ((dir = loginsrc_config_dir()) == NULL) {
			*err = xasprintf("cannot find the sshloginfile of %s "
			    "'..': neither $PARALLEL_HOME nor $HOME is set",
			    opt);
			return NULL;
		}
		path = xasprintf("%s/%s", dir, LOGINSRC_FILE);
	} else if (access(name, R_OK) == 0 || name[0] == '/') {
		return name;
	} else {
		/* Not readable as given: the config directory's, if there. */
		e = errno;
		dir = loginsrc_config_dir();
		if (dir)
			path = xasprintf("%s/%s", dir, name);
		if (path == NULL || access(path, R_OK) == -1) {
			if (path)
				*err = xasprintf("cannot read %s '%s' (nor "
				    "'%s'): %s", opt, name, path,
				    strerror(e));
			else
				*err = xasprintf("cannot read %s '%s': %s",
				    opt, name, strerror(e));
			free(path);
			free(dir);
			return NULL;
		}
	}
	free(dir);
	if (access(path, R_OK) == -1) {
		*err = xasprintf("cannot read %s '%s' ('%s'): %s", opt, name,
		    path, strerror(errno));
		free(path);
		return NULL;
	}
	return loginsrc_own(ro, path);
}

/* Add the --slf path to ro. */
static void
loginsrc_add_file(struct remote_opts *ro, const char *path)
{
	ro->files = xreallocarray(ro->files, ro->nfiles + 1,
	    sizeof(*ro->files));
	ro->files[ro->nfiles++] = (char *)path;
}

/* Add the login s (len bytes, owned by ro) to the -S logins of ro. */
static void
loginsrc_add_login(struct remote_opts *ro, const char *s, size_t len)
{
	ro->logins = xreallocarray(ro->logins, ro->nlogins + 1,
	    sizeof(*ro->logins));
	ro->logins[ro->nlogins++] = loginsrc_own(ro, xmemdupz(s, len));
}

/*
 * Take the items ".." and "-" out of the comma-separated -S value *s:
 * "..", as the config directory's sshloginfile, goes to the --slf files;
 * "-" sets *from_stdin.  *s becomes what is left (NULL: nothing).
 * Returns 0, or -1 with *err.
 */
static int
loginsrc_split(struct remote_opts *ro, char **s, int *from_stdin,
    char **err)
{
	const char *p = *s, *end = p + strlen(p), *comma;
	const char *path;
	struct buf rest = BUF_INIT;
	int special = 0;

	for (; p <= end; p = comma + 1) {
		size_t len;

		len = sshlogin_item_len(p, end);
		comma = p + len;
		if (len == 2 && memcmp(p, "..", 2) == 0) {
			special = 1;
			if ((path = loginsrc_path(ro, "..", "-S", err)) == NULL) {
				buf_release(&rest);
				return -1;
			}
			loginsrc_add_file(ro, path);
		} else if (len == 1 && *p == '-') {
			special = 1;
			*from_stdin = 1;
		} else if (len > 0) {
			if (rest.len)
				buf_addch(&rest, '\n');
			buf_add(&rest, p, len);
		}
	}
	if (special)
		*s = rest.len ? loginsrc_own(ro, buf_detach(&rest, NULL)) :
		    NULL;
	buf_release(&rest);
	return 0;
}

/* Read the logins on standard input into ro.  -1 with *err. */
static int
loginsrc_stdin(struct remote_opts *ro, char **err)
{
	struct buf b = BUF_INIT;
	char chunk[4096];
	const char *p, *nl, *end, *q;
	ssize_t n;

	while ((n = read(STDIN_FILENO, chunk, sizeof(chunk))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			*err = xasprintf("cannot read the sshlogins on standard "
			    "input: %s", strerror(errno));
			buf_release(&b);
			return -1;
		}
		buf_add(&b, chunk, (size_t)n);
	}
	end = b.data + b.len;
	for (p = b.data; p && p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		for (q = p; q < nl && (*q == ' ' || *q == '\t' || *q == '\r');
		    q++)
			;
		if (q < nl && *q != '#')
			loginsrc_add_login(ro, p, (size_t)(nl - p));
	}
	buf_release(&b);
	return 0;
}

/* Resolve the special names of ro. */
int
loginsrc_resolve(struct remote_opts *ro, int stdin_busy, char **err)
{
	const char *path;
	size_t i, k, nlogins = ro->nlogins;
	int from_stdin = 0;

	*err = NULL;
	for (i = k = 0; i < ro->nfiles; i++) {
		if (strcmp(ro->files[i], "-") == 0) {
			from_stdin = 1;
			continue;
		}
		if (!slurm_is_name(ro->files[i])) {
			path = loginsrc_path(ro, ro->files[i], "--slf", err);
			if (path == NULL)
				return -1;
			ro->files[i] = (char *)path;
		}
		ro->files[k++] = ro->files[i];
	}
	ro->nfiles = k;
	for (i = k = 0; i < nlogins; i++) {
		if (loginsrc_split(ro, &ro->logins[i], &from_stdin, err) == -1)
			return -1;
		if (ro->logins[i])
			ro->logins[k++] = ro->logins[i];
	}
	ro->nlogins = k;
	if (!from_stdin)
		return 0;
	if (stdin_busy) {
		*err = xstrdup("-S - and --slf - read the sshlogins from "
		    "standard input, which holds the jobs' arguments here: "
		    "give those with ::: or -a FILE");
		return -1;
	}
	return loginsrc_stdin(ro, err);
}

/* Free what loginsrc_resolve() made. */
void
loginsrc_release(struct remote_opts *ro)
{
	while (ro->nown > 0)
		free(ro->own[--ro->nown]);
	free(ro->own);
	ro->own = NULL;
}

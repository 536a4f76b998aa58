/* SPDX-License-Identifier: ISC */
/*
 * Running --func jobs: finding the function, calling it with a struct
 * parx_call whose write() appends to the job's output buffers, and the
 * crash and exit() reports of thread mode.
 *
 * DESIGN: exit(), _exit() and _Exit() are defined here, and the parx
 * executable exports them (the Makefile's --export-dynamic-symbol), so a
 * plugin's calls to them bind to these, not to the C library's.  Called
 * by a function on a worker thread, they report the job and return from
 * the function instead (longjmp), and the job comes back to the main
 * loop marked, which stops the run with status 255.  Anywhere else they
 * are the C library's.  NEEDSWORK: what this cannot see: a function that
 * makes the exit_group system call itself, or exits from a thread of its
 * own, or a plugin linked so that it binds exit() to itself; the frames
 * the longjmp skips keep whatever they held (locks, memory).
 */
#include "func.h"

#include <dlfcn.h>
#include <setjmp.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "builtin.h"
#include "msg.h"
#include "parx/plugin.h"
#include "spawn.h"
#include "xalloc.h"

/* What a worker thread is running, for the crash report. */
struct func_current {
	unsigned long long	 seq;
	const char		*name;
	int			 argc;
	char *const		*argv;
	jmp_buf			 exit_jb;	/* where exit() returns to */
	int			 exit_status;
};

static _Thread_local struct func_current *func_now;

/* Thread mode: exit() in a function is caught (set once, before threads). */
static int func_catch_exit;

struct func_priv {
	struct buf		*out;
	const _Atomic int	*cancel;
	const _Atomic unsigned long long *cancel_seq;
};

static int
func_write(struct parx_call *c, int stream, const void *p, size_t len)
{
	struct func_priv *fp = c->parx_private;

	if (stream != 1 && stream != 2)
		return -1;
	buf_add(&fp->out[stream - 1], p, len);
	return 0;
}

static int
func_cancelled(const struct parx_call *c)
{
	const struct func_priv *fp = c->parx_private;

	return (fp->cancel && atomic_load(fp->cancel)) ||
	    (fp->cancel_seq && atomic_load(fp->cancel_seq) == c->seq);
}

/* Resolve a --func name. */
func_fn *
func_resolve(const char *name, char **err)
{
	const struct builtin *b;
	struct buf msg = BUF_INIT;
	const char *colon;
	char *path;
	void *h, *sym;

	*err = NULL;
	colon = strrchr(name, ':');
	if (colon == NULL || (strchr(name, '/') == NULL &&
	    strstr(name, ".so") == NULL)) {
		b = builtin_find(name);
		if (b)
			return b->fn;
		buf_addstr(&msg, "invalid function '");
		buf_addstr(&msg, name);
		buf_addstr(&msg, "' for --func: expected a builtin (");
		for (b = builtin_table; b->name; b++) {
			if (b != builtin_table)
				buf_addstr(&msg, ", ");
			buf_addstr(&msg, b->name);
		}
		buf_addstr(&msg, ") or PATH.so:SYMBOL");
		*err = buf_detach(&msg, NULL);
		return NULL;
	}
	if (colon[1] == '\0' || colon == name) {
		buf_addstr(&msg, "invalid function '");
		buf_addstr(&msg, name);
		buf_addstr(&msg, "' for --func: expected PATH.so:SYMBOL");
		*err = buf_detach(&msg, NULL);
		return NULL;
	}
	path = xmemdupz(name, (size_t)(colon - name));
	/* A bare file name would make dlopen search the library path. */
	if (strchr(path, '/') == NULL) {
		char *rel = xmalloc(strlen(path) + 3);

		memcpy(rel, "./", 2);
		strcpy(rel + 2, path);
		free(path);
		path = rel;
	}
	h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (h == NULL) {
		buf_addstr(&msg, "cannot load '");
		buf_addstr(&msg, path);
		buf_addstr(&msg, "': ");
		buf_addstr(&msg, dlerror());
		free(path);
		*err = buf_detach(&msg, NULL);
		return NULL;
	}
	dlerror();
	sym = dlsym(h, colon + 1);
	if (sym == NULL) {
		buf_addstr(&msg, "no function '");
		buf_addstr(&msg, colon + 1);
		buf_addstr(&msg, "' in '");
		buf_addstr(&msg, path);
		buf_addstr(&msg, "'");
		free(path);
		*err = buf_detach(&msg, NULL);
		return NULL;
	}
	free(path);
	/* The handle stays open for the life of parx, on purpose. */
	{
		func_fn *fn;

		memcpy(&fn, &sym, sizeof(fn));	/* POSIX: dlsym to function */
		return fn;
	}
}

/* Call fn; an exit() in it (thread mode) comes back here as its status. */
static int
func_call(func_fn *fn, struct parx_call *call, struct func_current *cur,
    int *exited)
{
	*exited = 0;
	if (setjmp(cur->exit_jb)) {
		*exited = 1;
		return cur->exit_status;
	}
	return fn(call);
}

/* Call one function job. */
void
func_run(func_fn *fn, const char *name, int argc, char *const *argv,
    unsigned long long seq, unsigned long slot, struct buf *out,
    const _Atomic int *cancel, const _Atomic unsigned long long *cancel_seq,
    int measure, struct spawn_res *res)
{
	struct func_current cur;
	struct func_priv priv = { out, cancel, cancel_seq };
	struct parx_call call;
	struct rusage r0, r1;
	int rc, exited;

	memset(&cur, 0, sizeof(cur));
	cur.seq = seq;
	cur.name = name;
	cur.argc = argc;
	cur.argv = argv;
	memset(res, 0, sizeof(*res));
	res->pid = -1;
	memset(&call, 0, sizeof(call));
	call.api_version = PARX_API_VERSION;
	call.argc = argc;
	call.argv = argv;
	call.seq = seq;
	call.slot = slot;
	call.write = func_write;
	call.cancelled = func_cancelled;
	call.parx_private = &priv;

	clock_gettime(CLOCK_REALTIME, &res->start_real);
	clock_gettime(CLOCK_MONOTONIC, &res->start_mono);
	if (measure)
		getrusage(RUSAGE_THREAD, &r0);
	func_now = &cur;
	rc = func_call(fn, &call, &cur, &exited);
	func_now = NULL;
	res->func_exited = exited;
	if (measure) {
		getrusage(RUSAGE_THREAD, &r1);
		timersub(&r1.ru_utime, &r0.ru_utime, &res->ru.ru_utime);
		timersub(&r1.ru_stime, &r0.ru_stime, &res->ru.ru_stime);
		res->ru.ru_nvcsw = r1.ru_nvcsw - r0.ru_nvcsw;
		res->ru.ru_nivcsw = r1.ru_nivcsw - r0.ru_nivcsw;
		/* Memory is the process's: threads have no peak of their own. */
		res->ru.ru_maxrss = r1.ru_maxrss;
	}
	clock_gettime(CLOCK_MONOTONIC, &res->end_mono);
	res->status = (rc & 0xff) << 8;
}

static void
func_crash_put(char *line, size_t *n, size_t cap, const char *s)
{
	while (*s && *n < cap - 1)
		line[(*n)++] = *s++;
}

/* The crash handler: async-signal-safe calls only. */
static void
func_crash_handler(int sig)
{
	struct func_current *cur = func_now;
	char line[1024], num[24];
	size_t n = 0, k;
	unsigned long long v;
	int i;

	if (cur != NULL) {
		func_crash_put(line, &n, sizeof(line), msg_progname());
		func_crash_put(line, &n, sizeof(line), ": job ");
		k = sizeof(num);
		num[--k] = '\0';
		v = cur->seq;
		do
			num[--k] = (char)('0' + v % 10);
		while ((v /= 10) && k > 0);
		func_crash_put(line, &n, sizeof(line), num + k);
		func_crash_put(line, &n, sizeof(line), " (--func ");
		func_crash_put(line, &n, sizeof(line), cur->name);
		for (i = 0; i < cur->argc && n < 900; i++) {
			func_crash_put(line, &n, sizeof(line), " ");
			func_crash_put(line, &n, 900, cur->argv[i]);
		}
		func_crash_put(line, &n, sizeof(line), ") crashed with ");
		func_crash_put(line, &n, sizeof(line), sigabbrev_np(sig) ?
		    "SIG" : "signal");
		func_crash_put(line, &n, sizeof(line), sigabbrev_np(sig) ?
		    sigabbrev_np(sig) : "?");
		func_crash_put(line, &n, sizeof(line), ", which ends parx in "
		    "thread mode; --mode=process contains crashes to their "
		    "job\n");
		(void)!write(2, line, n);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Install the thread-mode crash report. */
void
func_crash_guard(void)
{
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = func_crash_handler;
	sa.sa_flags = SA_ONSTACK | SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
	func_catch_exit = 1;
}

/*
 * A function on a worker thread called how(status): report it, and go
 * back to func_run().  Returns only when that is not the case.
 */
static void
func_exit_catch(const char *how, int status)
{
	struct func_current *cur = func_now;
	struct buf line = BUF_INIT;
	int i;

	if (cur == NULL || !func_catch_exit)
		return;
	buf_addstr(&line, cur->name);
	for (i = 0; i < cur->argc; i++) {
		buf_addch(&line, ' ');
		buf_addstr(&line, cur->argv[i]);
	}
	msg_error("job %llu (--func %s) called %s(%d), which would end parx "
	    "in thread mode: parx stops (--mode=process contains it to its "
	    "job)", cur->seq, line.data, how, status);
	buf_release(&line);
	cur->exit_status = status;
	func_now = NULL;
	longjmp(cur->exit_jb, 1);
}

/* The C library's function called name. */
static _Noreturn void
func_libc_exit(const char *name, int status)
{
	void (*real)(int);
	void *sym = dlsym(RTLD_NEXT, name);

	if (sym == NULL)
		abort();	/* cannot happen: the C library has all three */
	memcpy(&real, &sym, sizeof(real));
	real(status);
	abort();
}

/* exit(3), caught in a thread-mode function. */
void
exit(int status)
{
	func_exit_catch("exit", status);
	func_libc_exit("exit", status);
}

/* _exit(2), caught in a thread-mode function. */
void
_exit(int status)
{
	func_exit_catch("_exit", status);
	func_libc_exit("_exit", status);
}

/* _Exit(3), caught in a thread-mode function. */
void
_Exit(int status)
{
	func_exit_catch("_Exit", status);
	func_libc_exit("_Exit", status);
}

/*
 * Give the calling thread an alternate signal stack in mem (of
 * FUNC_ALTSTACK_SIZE bytes), remembering in *old the one it had.  A thread
 * that already has one (a sanitizer runtime installs its own in every
 * thread) keeps it when it is big enough.
 */
void
func_thread_init(struct func_altstack *st, void *mem)
{
	stack_t ss;

	memset(st, 0, sizeof(*st));
	if (sigaltstack(NULL, &st->old) == 0 &&
	    !(st->old.ss_flags & SS_DISABLE) &&
	    st->old.ss_size >= FUNC_ALTSTACK_SIZE)
		return;
	memset(&ss, 0, sizeof(ss));
	ss.ss_size = FUNC_ALTSTACK_SIZE;
	ss.ss_sp = mem;
	if (sigaltstack(&ss, NULL) == -1)
		return;
	st->mine = ss.ss_sp;
}

/* Put back the thread's previous alternate signal stack. */
void
func_thread_release(struct func_altstack *st)
{
	if (st->mine == NULL)
		return;
	/*
	 * Whoever set the old stack (a sanitizer runtime) frees it at
	 * thread exit, by asking sigaltstack which one is current.
	 */
	st->old.ss_flags &= SS_DISABLE;
	sigaltstack(&st->old, NULL);
	st->mine = NULL;
}

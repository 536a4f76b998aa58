/* SPDX-License-Identifier: ISC */
/*
 * func: jobs that are function calls inside a worker (--func), built in
 * (builtin.c) or loaded from a shared object with dlopen, through the
 * interface of include/parx/plugin.h.
 */
#ifndef PARX_FUNC_H
#define PARX_FUNC_H

#include <signal.h>
#include <stddef.h>

struct buf;
struct parx_call;
struct spawn_res;

typedef int func_fn(struct parx_call *);

/*
 * Find the function --func names: a builtin ("echo"), or "PATH:SYMBOL" of
 * a shared object (PATH holds a '/', or ends in ".so").  Returns it, or
 * NULL with *err set to a malloc'd one-line message.  Call in the main
 * thread before any worker exists (a plugin must be loaded before worker
 * processes are forked, so that they share it).
 */
func_fn	*func_resolve(const char *name, char **err);

/*
 * Call fn for one job: argc words in argv (argv[argc] must be NULL), its
 * output appended to out[0] (stdout) and out[1] (stderr).  The function
 * is asked to stop once *cancel turns nonzero, or *cancel_seq (if not
 * NULL) equals seq.  Fills res: times, the
 * status as a raw wait status (exit code), and with measure set the
 * calling thread's CPU time and context switches during the call.
 * Thread-safe.
 */
void	 func_run(func_fn *fn, const char *name, int argc, char *const *argv,
	    unsigned long long seq, unsigned long slot, struct buf *out,
	    const _Atomic int *cancel, const _Atomic unsigned long long *cancel_seq,
	    int measure, struct spawn_res *res);

/*
 * Thread mode: make a crash (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT)
 * inside a function print one line naming the job before parx dies.
 * Call once in the main thread; call func_thread_init() at the start of
 * every worker thread with FUNC_ALTSTACK_SIZE bytes that the thread owns
 * until it returns (they become its alternate signal stack, so that even
 * a stack overflow is reported; memory never touched costs nothing until
 * a signal comes) and func_thread_release() with the same struct before
 * the thread returns: it restores the stack the thread had.
 */
#define FUNC_ALTSTACK_SIZE	(64 * 1024)
struct func_altstack {
	stack_t	 old;	/* the thread's stack before func_thread_init */
	void	*mine;	/* ours in use, or NULL when the old one was kept */
};
void	 func_crash_guard(void);
void	 func_thread_init(struct func_altstack *, void *mem);
void	 func_thread_release(struct func_altstack *);

#endif

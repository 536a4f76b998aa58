/* SPDX-License-Identifier: ISC */
/*
 * Signal handling for the main loop.
 *
 * DESIGN: a handler sets a bit and writes one byte to a non-blocking
 * close-on-exec pipe; the main loop polls the read end.  A self-pipe is
 * used rather than signalfd because parx writes its output with blocking
 * writes: with handlers installed without SA_RESTART, a write stuck on a
 * slow reader returns EINTR when the user presses Ctrl-C, and the loop can
 * act on it.  With signalfd the signal would stay blocked and the write
 * would not return.  Worker threads block the handled signals, so the
 * kernel always delivers them to the main thread.
 */
#include "sig.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "sys.h"

static int sig_pipe[2] = { -1, -1 };
static volatile sig_atomic_t sig_bits;
static volatile sig_atomic_t sig_fatal;	/* SIGINT or SIGTERM, ever */
static sigset_t sig_orig;
static sigset_t sig_deflt;
static sigset_t sig_handled;

static void
sig_handler(int signo)
{
	int saved = errno;
	char c = (char)signo;

	switch (signo) {
	case SIGINT:
		sig_bits |= SIG_INT;
		sig_fatal = 1;
		break;
	case SIGTERM:
		sig_bits |= SIG_TERM;
		sig_fatal = 1;
		break;
	case SIGHUP:
		sig_bits |= SIG_HUP;
		break;
	}
	if (sig_pipe[1] != -1)
		(void)!write(sig_pipe[1], &c, 1);
	errno = saved;
}

/* Install the handlers. */
int
sig_init(void)
{
	static const int handled[] = { SIGINT, SIGTERM, SIGHUP };
	static const int deflt[] = { SIGINT, SIGTERM, SIGHUP, SIGCHLD };
	struct sigaction old;
	struct sigaction sa;
	size_t i;

	if (sigprocmask(SIG_SETMASK, NULL, &sig_orig) == -1)
		return -1;
	/*
	 * Jobs get default handling for what parx changes (its handled
	 * signals, SIGCHLD, and SIGPIPE unless it came ignored); any other
	 * signal keeps the disposition parx inherited, ignored ones included.
	 */
	sigemptyset(&sig_deflt);
	for (i = 0; i < sizeof(deflt) / sizeof(deflt[0]); i++)
		sigaddset(&sig_deflt, deflt[i]);
	if (sigaction(SIGPIPE, NULL, &old) == 0 && old.sa_handler != SIG_IGN)
		sigaddset(&sig_deflt, SIGPIPE);
	sigemptyset(&sig_handled);
	for (i = 0; i < sizeof(handled) / sizeof(handled[0]); i++)
		sigaddset(&sig_handled, handled[i]);

	if (sys_pipe(sig_pipe) == -1)
		return -1;
	if (sys_set_nonblock(sig_pipe[0], 1) == -1 ||
	    sys_set_nonblock(sig_pipe[1], 1) == -1)
		return -1;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = sig_handler;
	sigfillset(&sa.sa_mask);
	sa.sa_flags = 0;	/* no SA_RESTART: see DESIGN */
	for (i = 0; i < sizeof(handled) / sizeof(handled[0]); i++)
		if (sigaction(handled[i], &sa, NULL) == -1)
			return -1;
	sa.sa_handler = SIG_IGN;
	if (sigaction(SIGPIPE, &sa, NULL) == -1)
		return -1;
	/*
	 * An inherited SIG_IGN for SIGCHLD would make the kernel reap jobs
	 * behind our back, and waitpid() would fail with ECHILD.
	 */
	sa.sa_handler = SIG_DFL;
	if (sigaction(SIGCHLD, &sa, NULL) == -1)
		return -1;
	/* A parent may have left signals blocked: unblock the handled ones. */
	return sigprocmask(SIG_UNBLOCK, &sig_handled, NULL);
}

/* The self-pipe's read end. */
int
sig_fd(void)
{
	return sig_pipe[0];
}

/* Collect the signals received. */
unsigned
sig_take(void)
{
	char drain[64];
	sigset_t all, old;
	unsigned bits;

	while (read(sig_pipe[0], drain, sizeof(drain)) > 0)
		;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	bits = (unsigned)sig_bits;
	sig_bits = 0;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return bits;
}

/* Whether any signal is waiting. */
int
sig_pending(void)
{
	return sig_bits != 0;
}

/* Whether a terminating signal is waiting. */
int
sig_fatal_pending(void)
{
	return (sig_bits & (SIG_INT | SIG_TERM)) != 0;
}

static int
sig_fatal_seen(void)
{
	return sig_fatal != 0;
}

/* The stop for blocked writes. */
const struct sys_stop *
sig_stop(void)
{
	static struct sys_stop st = { -1, sig_fatal_seen };

	st.fd = sig_pipe[0];
	return &st;
}

/* The mask at start-up. */
const sigset_t *
sig_orig_mask(void)
{
	return &sig_orig;
}

/* The signals reset to default in jobs. */
const sigset_t *
sig_default_set(void)
{
	return &sig_deflt;
}

/* The handled signals. */
const sigset_t *
sig_handled_set(void)
{
	return &sig_handled;
}

/* Block the handled signals in this thread. */
int
sig_block_thread(sigset_t *old)
{
	return pthread_sigmask(SIG_BLOCK, &sig_handled, old);
}

/* Reset signal state in a forked worker. */
void
sig_reset_in_child(void)
{
	struct sigaction sa;

	sigprocmask(SIG_BLOCK, &sig_handled, NULL);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	if (sig_pipe[0] != -1)
		close(sig_pipe[0]);
	if (sig_pipe[1] != -1)
		close(sig_pipe[1]);
	sig_pipe[0] = sig_pipe[1] = -1;
	sig_bits = 0;
	sig_fatal = 0;
}

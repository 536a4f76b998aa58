/* SPDX-License-Identifier: ISC */
/*
 * sig: the signals parx handles, delivered to the main loop as readable
 * bytes on one descriptor (the self-pipe trick, after skalibs' selfpipe).
 *
 * Handled: SIGINT, SIGTERM and SIGHUP.  SIGPIPE is ignored, so a closed
 * output shows up as EPIPE; SIGCHLD is set to its default, so that children
 * stay waitable.  Only the main thread may receive the
 * handled signals: every other thread must be started with them blocked
 * (sig_block_thread()).  Jobs get the signal mask parx started with
 * (sig_orig_mask()); SIGINT, SIGTERM, SIGHUP, SIGCHLD and (unless parx
 * inherited it ignored) SIGPIPE are reset to default for them
 * (sig_default_set()); every other signal keeps the disposition parx
 * inherited.
 */
#ifndef PARX_SIG_H
#define PARX_SIG_H

#include <signal.h>

#include "sys.h"

/* Bits returned by sig_take(). */
#define SIG_INT		0x01
#define SIG_TERM	0x02
#define SIG_HUP		0x04

/*
 * Save the original mask, create the self-pipe and install the handlers
 * (without SA_RESTART, so a blocking write is interrupted by a signal).
 * Returns 0, or -1 with errno.  Call once, before any thread exists.
 */
int		 sig_init(void);

/* The descriptor to poll for POLLIN; -1 before sig_init(). */
int		 sig_fd(void);

/* Drain the self-pipe and return the SIG_ bits received since last time. */
unsigned	 sig_take(void);

/* Nonzero when any handled signal arrived and was not taken yet (cheap). */
int		 sig_pending(void);

/* Nonzero when SIGINT or SIGTERM arrived and was not taken yet. */
int		 sig_fatal_pending(void);

/*
 * For writes that must give up on Ctrl-C: the self-pipe and a test that
 * turns true once SIGINT or SIGTERM has arrived, and stays true (taking
 * the signal with sig_take() does not clear it).
 */
const struct sys_stop *sig_stop(void);

/* The mask parx started with, for jobs (POSIX_SPAWN_SETSIGMASK). */
const sigset_t	*sig_orig_mask(void);

/* The signals a job must see with default handling (SETSIGDEF). */
const sigset_t	*sig_default_set(void);

/* The set of handled signals. */
const sigset_t	*sig_handled_set(void);

/*
 * Block the handled signals in the calling thread; threads created from
 * it inherit the mask.  Returns 0 or an error number.
 */
int		 sig_block_thread(sigset_t *old);

/*
 * In a forked worker process: forget the handlers and the self-pipe and
 * block the handled signals, so only the main process reacts to them.
 */
void		 sig_reset_in_child(void);

#endif

/* SPDX-License-Identifier: ISC */
/*
 * sem: parx as a counting semaphore (sem, parx --semaphore), as GNU
 * parallel's sem: wait until one of -j slots of a name is free, then run
 * one command holding it, in the background (the default: sem returns at
 * once and the command's output comes out whole when it ends) or in the
 * foreground (--fg: sem returns the command's status).  --wait waits until
 * every slot of the name is free.
 *
 * The N slots of a name are N lock files in
 * $PARALLEL_HOME/semaphores/parx-id-NAME/ (PARALLEL_HOME defaults to
 * ~/.parallel), and holding a slot is holding flock(LOCK_EX) on its file.
 * The kernel drops the lock with the holder's last descriptor, so a holder
 * that dies in any way, SIGKILL included, frees its slot at once: no count
 * is kept that a crash could leave wrong.
 *
 * sem runs no threads, so the background holder is a fork of sem itself.
 */
#ifndef PARX_SEM_H
#define PARX_SEM_H

struct config;

/*
 * Run cfg->cmd under the semaphore cfg->sem (or wait for it, --wait).
 * Returns the exit status: the command's with --fg (128+N for a signal),
 * 0 when a background command was started or --wait is over, 1 when a
 * negative --semaphore-timeout ran out, 255 on an error (said on stderr).
 */
int	sem_main(const struct config *cfg);

#endif

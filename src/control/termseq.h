/* SPDX-License-Identifier: ISC */
/*
 * termseq: the kill sequence sent to jobs that must stop, as GNU parallel's
 * --termseq spells it: signal names and waits in milliseconds, alternating,
 * for example the default "TERM,200,TERM,100,TERM,50,KILL,25".
 */
#ifndef PARX_TERMSEQ_H
#define PARX_TERMSEQ_H

#include <stddef.h>
#include <sys/types.h>
#include <time.h>

struct termseq_step {
	int	sig;
	long	ms;	/* wait after sending sig */
};

#define TERMSEQ_DEFAULT	"TERM,200,TERM,100,TERM,50,KILL,25"
#define TERMSEQ_MAX	32	/* the most signals a sequence may have */
/* What a sequence is, for the message about a bad one. */
#define TERMSEQ_EXPECT	"signals and waits in milliseconds, alternating " \
	"(TERM,200,TERM,100,KILL,25)"

/*
 * Parse spec into at most max steps; a missing last wait means 0.
 * Returns the number of steps, or -1 when spec is malformed.
 */
int	termseq_parse(const char *spec, struct termseq_step *steps, size_t max);

/* The number of the signal called name ("TERM", "SIGTERM", "15"), or -1. */
int	termseq_signum(const char *name);

/*
 * The name of signal sig without "SIG" ("TERM"), as kill -s takes it, or
 * "TERM" for a signal the table does not name.  Thread-safe.
 */
const char *termseq_signame(int sig);

/*
 * The i-th signal name termseq_signum() knows ("HUP"), from 0, or NULL
 * past the last: for the shell completion of --termseq.  Thread-safe.
 */
const char *termseq_name(size_t i);

/*
 * The rest of the kill sequences of process groups whose leader is gone.
 * A job's shell may die of the first signal and be reaped while children
 * of its that ignore it go on running in its process group: the sequence
 * goes on for the whole group, step by step, until no member is left or
 * the last step is over.  A group is named by its id (the leader's pid,
 * which the system does not reuse while the group has members).
 */
struct termseq_groups;

/* An empty set for the sequence steps[0..nsteps-1] (kept, not copied). */
struct termseq_groups *termseq_groups_new(const struct termseq_step *steps,
	    int nsteps);
void	termseq_groups_free(struct termseq_groups *);

/*
 * Process group pgid, signalled up to step step - 1 of the sequence, has
 * lost its leader; step step is due at due (CLOCK_MONOTONIC).  When a
 * member is left and steps are, the group is kept and the steps are sent
 * to it by termseq_groups_fire().
 */
void	termseq_groups_add(struct termseq_groups *, pid_t pgid, int step,
	    const struct timespec *due);

/* The number of groups kept. */
size_t	termseq_groups_count(const struct termseq_groups *);

/*
 * Milliseconds until termseq_groups_fire() has something to do (a step,
 * or a look whether a group is gone), or -1 when no group is kept.
 */
long	termseq_groups_next_ms(const struct termseq_groups *);

/* Send the steps that are due; forget the groups that are gone or done. */
void	termseq_groups_fire(struct termseq_groups *);

#endif

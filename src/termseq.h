/*
 * termseq: the kill sequence sent to jobs that must stop, as GNU parallel's
 * --termseq spells it: signal names and waits in milliseconds, alternating,
 * for example the default "TERM,200,TERM,100,TERM,50,KILL,25".
 */
#ifndef PARX_TERMSEQ_H
#define PARX_TERMSEQ_H

#include <stddef.h>

struct termseq_step {
	int	sig;
	long	ms;	/* wait after sending sig */
};

#define TERMSEQ_DEFAULT	"TERM,200,TERM,100,TERM,50,KILL,25"

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

#endif

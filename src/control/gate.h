/* SPDX-License-Identifier: ISC */
/*
 * gate: whether the machine has room for one more job (--load, --memfree).
 *
 * The main loop asks before it starts each new job.  The answer comes from
 * the 1-minute load average (/proc/loadavg) and the memory the kernel
 * estimates is available to new programs (MemAvailable in /proc/meminfo).
 * Both are read at most once per GATE_RECHECK_MS: a closed gate tells the
 * caller when to ask again, so the main loop waits for that in its poll
 * timeout instead of spinning.
 *
 * Two test hooks, read by gate_new (not user options):
 * $PARX_TEST_PROCDIR, when set, names a directory read instead of /proc
 * (loadavg and meminfo in the same format), so that tests can open and
 * close the gate at will.  $PARX_TEST_GATE_MS, when set to a whole number
 * from 1 to 60000, replaces GATE_RECHECK_MS, so that tests need not wait
 * half a second for each reading; any other value is ignored.
 *
 * Only the main thread uses a gate.
 */
#ifndef PARX_GATE_H
#define PARX_GATE_H

/* How long a reading is trusted, and how often a closed gate is retried. */
#define GATE_RECHECK_MS	500

struct gate;

struct gate_opts {
	double			load_max;	/* start only below; 0: no limit */
	unsigned long long	memfree;	/* start only above; 0: no limit */
};

/* Make a gate; NULL when opts set no limit at all.  Never fails. */
struct gate	*gate_new(const struct gate_opts *);
void		 gate_free(struct gate *);

/*
 * 1 when a new job may start now.  0 when not: *retry_ms is then how long
 * to wait before asking again.  A value that cannot be read (no /proc)
 * does not hold jobs back.
 */
int		 gate_open(struct gate *, long *retry_ms);

/* The bytes available to new programs now, or -1 when unknown. */
long long	 gate_mem_available(const struct gate *);

#endif

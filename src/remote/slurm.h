/* SPDX-License-Identifier: ISC */
/*
 * slurm: the hosts of the Slurm allocation parx runs in (--slf slurm).
 *
 * Slurm describes an allocation in the environment of salloc's command,
 * of a batch script and of srun's tasks: $SLURM_JOB_NODELIST names the
 * nodes as a hostlist ("node[01-04,07],gpu1"), $SLURM_TASKS_PER_NODE
 * gives their task counts in the same order ("16(x4),8").  An srun
 * task is given its step's counts there: its step's nodes,
 * $SLURM_STEP_NODELIST, and $SLURM_STEP_TASKS_PER_NODE go together
 * instead (the job's list names more nodes when the step has fewer).
 * Each node
 * becomes the login "N/node"; the node parx runs on ($SLURMD_NODENAME,
 * else this machine's short host name) becomes "N/:", so its jobs run
 * here without ssh.
 */
#ifndef PARX_SLURM_H
#define PARX_SLURM_H

struct buf;

/* 1 when an --slf argument means the Slurm allocation: "slurm". */
int	slurm_is_name(const char *path);

/*
 * Append the allocation's logins to out, one a line.  Returns 0, or -1
 * with *err set to a message the caller frees (not inside an
 * allocation, a hostlist or a task count that does not parse, or counts
 * for fewer nodes than the list names).
 */
int	slurm_logins(struct buf *out, char **err);

#endif

/* SPDX-License-Identifier: ISC */
/*
 * test-tool slurm: the logins --slf slurm makes (src/remote/slurm.c) from
 * the environment ($SLURM_JOB_NODELIST, $SLURM_TASKS_PER_NODE,
 * $SLURMD_NODENAME), one a line on stdout.
 *
 * Exit status: 0, or 1 with the error on stderr.
 */
#include <stdio.h>
#include <stdlib.h>

#include "buf.h"
#include "slurm.h"
#include "tool.h"

int
cmd_slurm(int argc, char **argv)
{
	struct buf b = BUF_INIT;
	char *err = NULL;

	(void)argc;
	(void)argv;
	if (slurm_logins(&b, &err) == -1) {
		fprintf(stderr, "%s\n", err);
		free(err);
		buf_release(&b);
		return 1;
	}
	fwrite(b.data, 1, b.len, stdout);
	buf_release(&b);
	return 0;
}

/* SPDX-License-Identifier: ISC */
/*
 * test-tool: a driver that exercises single modules of src/ from the
 * tests, after git's t/helper/test-tool.  Each subcommand lives in its own
 * file and prints its results on stdout.
 */
#ifndef PARX_TEST_TOOL_H
#define PARX_TEST_TOOL_H

int	cmd_quote(int argc, char **argv);
int	cmd_tmpl(int argc, char **argv);
int	cmd_input(int argc, char **argv);
int	cmd_joblog(int argc, char **argv);
int	cmd_cstat(int argc, char **argv);
int	cmd_slurm(int argc, char **argv);

#endif

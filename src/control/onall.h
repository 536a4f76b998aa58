/* SPDX-License-Identifier: ISC */
/*
 * onall: --onall and --nonall, every job (or the command once) on every
 * host.  As GNU parallel does it, parx runs parx once per host: an outer
 * run whose jobs are the hosts (-j of them at once, --tag naming the
 * host, each host's output one block), and in each job an inner parx
 * with the same command line, but -S HOST -j1: the host's jobs one at a
 * time.  The inner parx finds its command line in a file the outer one
 * holds (PARX_ONALL_ARGV), standard input, when it is the input, in a
 * copy (PARX_ONALL_STDIN), and the login of a host with a password
 * (which must not be on a command line) in another file
 * (PARX_ONALL_LOGINS).
 */
#ifndef PARX_ONALL_H
#define PARX_ONALL_H

struct config;

/*
 * The outer run.  argv (argc words, "--" at index dashes) is parx's whole
 * command line; keep says which words the inner runs get
 * (CONFIG_KEEP_ONALL).  jobs is -j, or 0 when it was not given: one job
 * per host.  explicit_input: the command line names its input (:::,
 * ::::, -a); without it --nonall runs the command with no arguments.
 * Returns parx's exit status: as GNU parallel's, the number of hosts
 * where something failed.
 */
int	onall_main(const struct config *cfg, int argc, char **argv,
	    const unsigned char *keep, int dashes, unsigned long jobs,
	    int explicit_input, const char *argsep);

/*
 * An inner run: when argv[1] is the word the outer run starts it with,
 * make *argv the inner command line (from PARX_ONALL_ARGV) and take the
 * variables out of the environment, so that no job sees them.  Exits
 * with EXIT_PARX when the file cannot be read.
 */
void	onall_inner_argv(int *argc, char ***argv);

#endif

/* SPDX-License-Identifier: ISC */
/*
 * test-tool SUBCOMMAND ARGS...: run one module of src/ on its own.
 */
#include <stdio.h>
#include <string.h>

#include "msg.h"
#include "tool.h"

static const struct {
	const char	*name;
	int		(*fn)(int, char **);
} cmds[] = {
	{ "quote", cmd_quote },
	{ "tmpl", cmd_tmpl },
	{ "input", cmd_input },
	{ "joblog", cmd_joblog },
	{ "cstat", cmd_cstat },
	{ "slurm", cmd_slurm },
};

int
main(int argc, char **argv)
{
	size_t i;

	msg_init("test-tool");
	if (argc < 2) {
		fprintf(stderr, "usage: test-tool quote|tmpl|input|joblog|cstat|slurm ARGS...\n");
		return 2;
	}
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(argv[1], cmds[i].name) == 0)
			return cmds[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "test-tool: unknown subcommand '%s'\n", argv[1]);
	return 2;
}

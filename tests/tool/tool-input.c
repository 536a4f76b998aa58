/* Placeholder until the input driver lands. */
#include "tool.h"

int
cmd_input(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return 2;
}

/* Placeholder until the tmpl driver lands. */
#include "tool.h"

int
cmd_tmpl(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return 2;
}

int
cmd_quote(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return 2;
}

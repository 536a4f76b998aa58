/* SPDX-License-Identifier: ISC */
/*
 * An example parx plugin: functions that parx runs inside its workers.
 *
 *	cc $(pkg-config --cflags parx) -shared -fPIC -o plugin.so plugin.c
 *	parx --func ./plugin.so:wordcount ::: *.txt
 *
 * wordcount FILE...	print "LINES WORDS BYTES FILE" for each file, like wc
 * upper WORDS...	print the words in upper case
 * fail CODE		return CODE (the job's exit status)
 * crash [abort]	crash on purpose: SIGSEGV, or SIGABRT with "abort"
 * crash_on NEEDLE WORD	print WORD, but crash (SIGSEGV) when it is NEEDLE
 * wait_cancel		wait until parx cancels the job (--timeout, Ctrl-C)
 * stuck_on NEEDLE WORD	print WORD, but when it is NEEDLE create a file of
 *			that name and never return, ignoring cancellation
 * exit_on NEEDLE WORD	print WORD, but call exit(7) when it is NEEDLE
 * _exit_on NEEDLE WORD	print WORD, but call _exit(0) when it is NEEDLE
 *
 * The last three misbehave on purpose, to show what parx does about it:
 * a function must return, and should poll cancelled().
 */
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <parx/plugin.h>

int	wordcount(struct parx_call *);
int	upper(struct parx_call *);
int	fail(struct parx_call *);
int	crash(struct parx_call *);
int	wait_cancel(struct parx_call *);
int	crash_on(struct parx_call *);
int	stuck_on(struct parx_call *);
int	exit_on(struct parx_call *);
int	_exit_on(struct parx_call *);

int
wordcount(struct parx_call *c)
{
	unsigned long lines, words, bytes;
	int i, ch, inword, rc = 0;
	FILE *f;

	for (i = 0; i < c->argc; i++) {
		f = fopen(c->argv[i], "re");
		if (f == NULL) {
			parx_printf(c, 2, "wordcount: %s: %s\n", c->argv[i],
			    strerror(errno));
			rc = 1;
			continue;
		}
		lines = words = bytes = 0;
		inword = 0;
		while ((ch = getc(f)) != EOF) {
			bytes++;
			if (ch == '\n')
				lines++;
			if (isspace(ch))
				inword = 0;
			else if (!inword) {
				inword = 1;
				words++;
			}
		}
		fclose(f);
		parx_printf(c, 1, "%lu %lu %lu %s\n", lines, words, bytes,
		    c->argv[i]);
	}
	return rc;
}

int
upper(struct parx_call *c)
{
	int i;
	size_t k;

	for (i = 0; i < c->argc; i++) {
		char *w = strdup(c->argv[i]);

		if (w == NULL)
			return 1;
		for (k = 0; w[k]; k++)
			w[k] = (char)toupper((unsigned char)w[k]);
		parx_printf(c, 1, "%s%s", i ? " " : "", w);
		free(w);
	}
	c->write(c, 1, "\n", 1);
	return 0;
}

int
fail(struct parx_call *c)
{
	return c->argc > 0 ? atoi(c->argv[0]) : 1;
}

int
crash(struct parx_call *c)
{
	volatile int *nowhere = NULL;

	if (c->argc > 0 && strcmp(c->argv[0], "abort") == 0)
		abort();
	*nowhere = 1;
	return 0;
}

int
crash_on(struct parx_call *c)
{
	volatile int *nowhere = NULL;

	if (c->argc != 2)
		return 2;
	if (strcmp(c->argv[0], c->argv[1]) == 0)
		*nowhere = 1;
	parx_printf(c, 1, "%s\n", c->argv[1]);
	return 0;
}

int
wait_cancel(struct parx_call *c)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };

	while (!c->cancelled(c))
		nanosleep(&ts, NULL);
	parx_printf(c, 2, "cancelled\n");
	return 3;
}

int
stuck_on(struct parx_call *c)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	FILE *f;

	if (c->argc != 2)
		return 2;
	if (strcmp(c->argv[0], c->argv[1]) == 0) {
		f = fopen(c->argv[1], "we");
		if (f == NULL)
			return 2;
		fclose(f);
		for (;;)
			nanosleep(&ts, NULL);
	}
	parx_printf(c, 1, "%s\n", c->argv[1]);
	return 0;
}

/* Print WORD, or end the process with end(code) when it is NEEDLE. */
static int
exit_when(struct parx_call *c, void (*end)(int), int code)
{
	if (c->argc != 2)
		return 2;
	if (strcmp(c->argv[0], c->argv[1]) == 0)
		end(code);
	parx_printf(c, 1, "%s\n", c->argv[1]);
	return 0;
}

int
exit_on(struct parx_call *c)
{
	return exit_when(c, exit, 7);
}

int
_exit_on(struct parx_call *c)
{
	return exit_when(c, _exit, 0);
}

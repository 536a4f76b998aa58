/* SPDX-License-Identifier: ISC */
/*
 * The floor for spawn-bound workloads: N threads, each reading the next
 * argument line and running "/bin/true ARG" with posix_spawn, then waiting
 * for it.  No output handling, no quoting: the least any executor can do.
 *
 *	floor N PROGRAM < lines
 */
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

extern char **environ;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static const char *prog;

static void *
work(void *arg)
{
	char line[4096];
	char *argv[3];
	pid_t pid;
	int st;

	(void)arg;
	for (;;) {
		pthread_mutex_lock(&mu);
		if (fgets(line, sizeof(line), stdin) == NULL) {
			pthread_mutex_unlock(&mu);
			return NULL;
		}
		pthread_mutex_unlock(&mu);
		line[strcspn(line, "\n")] = '\0';
		argv[0] = (char *)prog;
		argv[1] = line;
		argv[2] = NULL;
		if (posix_spawn(&pid, prog, NULL, NULL, argv, environ) == 0)
			waitpid(pid, &st, 0);
	}
}

int
main(int argc, char **argv)
{
	pthread_t t[256];
	int n, i;

	if (argc != 3)
		return 2;
	n = atoi(argv[1]);
	if (n < 1 || n > 256)
		return 2;
	prog = argv[2];
	for (i = 0; i < n; i++)
		pthread_create(&t[i], NULL, work, NULL);
	for (i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	return 0;
}

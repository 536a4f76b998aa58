/* SPDX-License-Identifier: ISC */
/*
 * test-tool joblog: run src/output/joblog.c's reader on a file.
 *
 *	test-tool joblog [--past] FILE
 *
 * Without --past: the file is read whole and given to joblog_parse(); each
 * record is printed as "SEQ EXITVAL SIGNAL [COMMAND]", the command with
 * NUL, newline, tab and backslash written \0 \n \t \\, then "ok" or
 * "bad LINE".  With --past: joblog_past_read() on FILE, then
 * "finished SEQ..." and "succeeded SEQ..." for seqs 1..20, and
 * "failed SEQ [COMMAND]" for each job --retry-failed would run.
 *
 * Exit status: 0, 1 when the log is malformed or unreadable, 2 on a
 * usage error.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "joblog.h"
#include "tool.h"

static void
tool_joblog_cmd(const char *s, size_t n)
{
	size_t i;

	putchar('[');
	for (i = 0; i < n; i++) {
		switch (s[i]) {
		case '\0':
			fputs("\\0", stdout);
			break;
		case '\n':
			fputs("\\n", stdout);
			break;
		case '\t':
			fputs("\\t", stdout);
			break;
		case '\\':
			fputs("\\\\", stdout);
			break;
		default:
			putchar(s[i]);
		}
	}
	putchar(']');
}

static void
tool_joblog_entry(void *ctx, const struct joblog_entry *e)
{
	printf("%llu %d %d ", e->seq, e->exitval, e->sig);
	tool_joblog_cmd(e->cmd, e->cmd_len);
	putchar('\n');
}

static int
tool_joblog_past(const char *path)
{
	struct joblog_past *past;
	unsigned long long seq;
	size_t bad, i;

	past = joblog_past_read(path, &bad);
	if (past == NULL) {
		if (bad)
			printf("bad %zu\n", bad);
		else
			printf("error %s\n", strerror(errno));
		return 1;
	}
	fputs("finished", stdout);
	for (seq = 1; seq <= 20; seq++)
		if (joblog_past_finished(past, seq))
			printf(" %llu", seq);
	fputs("\nsucceeded", stdout);
	for (seq = 1; seq <= 20; seq++)
		if (joblog_past_succeeded(past, seq))
			printf(" %llu", seq);
	putchar('\n');
	for (i = 0; i < joblog_past_nfailed(past); i++) {
		const struct joblog_entry *e = joblog_past_failed(past, i);

		printf("failed %llu ", e->seq);
		tool_joblog_cmd(e->cmd, strlen(e->cmd));
		putchar('\n');
	}
	joblog_past_free(past);
	return 0;
}

int
cmd_joblog(int argc, char **argv)
{
	struct buf b = BUF_INIT;
	char chunk[65536];
	ssize_t n;
	size_t bad;
	int fd;

	if (argc == 3 && strcmp(argv[1], "--past") == 0)
		return tool_joblog_past(argv[2]);
	if (argc != 2) {
		fprintf(stderr, "usage: test-tool joblog [--past] FILE\n");
		return 2;
	}
	fd = open(argv[1], O_RDONLY);
	if (fd == -1) {
		perror(argv[1]);
		return 1;
	}
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		buf_add(&b, chunk, (size_t)n);
	close(fd);
	bad = joblog_parse(b.data, b.len, tool_joblog_entry, NULL);
	buf_release(&b);
	if (bad) {
		printf("bad %zu\n", bad);
		return 1;
	}
	puts("ok");
	return 0;
}

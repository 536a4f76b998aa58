/* SPDX-License-Identifier: ISC */
/*
 * Jobs: creation, release and the few facts derived from a finished job.
 */
#include "job.h"

#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "msg.h"
#include "termseq.h"
#include "utf8.h"
#include "xalloc.h"

/* Make a job holding copies of its arguments. */
struct job *
job_new(unsigned long long seq, const struct arg *args, size_t nargs)
{
	struct job *j;
	size_t i, bytes = 0;
	char *p;

	for (i = 0; i < nargs; i++)
		bytes += args[i].len + 1;
	/* One allocation: the job, its arg array, then the bytes. */
	j = xcalloc(1, sizeof(*j) + nargs * sizeof(struct arg) + bytes);
	j->args = (struct arg *)(j + 1);
	p = (char *)(j->args + nargs);
	for (i = 0; i < nargs; i++) {
		memcpy(p, args[i].s, args[i].len);
		p[args[i].len] = '\0';
		j->args[i].s = p;
		j->args[i].len = args[i].len;
		p += args[i].len + 1;
	}
	j->nargs = nargs;
	j->tuple = nargs;
	j->seq = seq;
	j->state = JOB_NEW;
	for (i = 0; i < JOB_NFD; i++)
		j->child_fd[i] = -1;
	j->out_fd = j->err_fd = -1;
	j->ctl_fd = -1;
	j->pid = -1;
	j->res.pid = -1;
	buf_init(&j->fout[0]);
	buf_init(&j->fout[1]);
	return j;
}

/* Say what the child gets as descriptor n, and who closes it. */
void
job_set_child_fd(struct job *j, int n, int fd, int owned)
{
	j->child_fd[n] = fd;
	if (owned)
		j->child_close |= 1u << n;
	else
		j->child_close &= ~(1u << n);
}

/* Close the child's copies the runner was told to close. */
void
job_close_child_fds(struct job *j)
{
	int i;

	for (i = 0; i < JOB_NFD; i++) {
		if ((j->child_close & (1u << i)) && j->child_fd[i] >= 0)
			close(j->child_fd[i]);
		if (j->child_close & (1u << i))
			j->child_fd[i] = -1;
	}
	j->child_close = 0;
}

/* Close every descriptor the job holds, and forget them. */
static void
job_close_fds(struct job *j)
{
	int i;

	job_close_child_fds(j);
	if (j->out_fd >= 0)
		close(j->out_fd);
	if (j->err_fd >= 0)
		close(j->err_fd);
	if (j->ctl_fd >= 0)
		close(j->ctl_fd);
	for (i = 0; i < JOB_NFD; i++)
		j->child_fd[i] = -1;
	j->out_fd = j->err_fd = j->ctl_fd = -1;
}

/* Free a job. */
void
job_free(struct job *j)
{
	if (j == NULL)
		return;
	job_close_fds(j);
	free(j->cmd);
	free(j->argv);
	free(j->tag);
	free(j->ptag);
	free(j->pcache);
	free(j->out_path);
	free(j->wd);
	free(j->hostgroups);
	buf_release(&j->fout[0]);
	buf_release(&j->fout[1]);
	free(j);
}

/* Get a finished job ready for another attempt. */
void
job_reset(struct job *j)
{
	job_close_fds(j);
	j->failed_on = j->host;
	j->host = NULL;
	free(j->tag);
	j->tag = NULL;
	j->taglen = 0;
	free(j->out_path);
	j->out_path = NULL;
	j->out_bytes = 0;
	buf_reset(&j->fout[0]);
	buf_reset(&j->fout[1]);
	atomic_store(&j->cancel, 0);
	memset(&j->res, 0, sizeof(j->res));
	j->res.pid = -1;
	j->pid = -1;
	j->killed = 0;
	j->pgid = 0;
	j->timedout = 0;
	j->state = JOB_NEW;
	STAILQ_NEXT(j, link) = NULL;
}

/* Signal a running job, here or on its host. */
void
job_kill(struct job *j, int sig)
{
	char line[32];
	int n;

	if (j->ctl_fd >= 0) {
		/* The pipe is non-blocking: a full one means a dead reader. */
		n = snprintf(line, sizeof(line), "%s\n", termseq_signame(sig));
		(void)!write(j->ctl_fd, line, (size_t)n);
		if (sig != SIGKILL)
			return;
	}
	if (j->pid > 0) {
		/* Its kill sequence outlives the leader (termseq_groups). */
		if (j->ctl_fd < 0)
			j->pgid = j->pid;
		kill(-j->pid, sig);
	}
}

/* Describe the job for spawn_run(). */
void
job_spawn_req(const struct job *j, struct spawn_req *req)
{
	int i;

	req->seq = j->seq;
	req->slot = j->slot;
	req->argv = j->argv;
	req->argc = j->argc;
	req->cmd = j->cmd;
	req->direct = j->direct;
	req->tty = j->tty;
	req->wd = j->wd;
	req->fa = NULL;
	req->env = NULL;
	for (i = 0; i < JOB_NFD; i++)
		req->fd[i] = j->child_fd[i];
	req->func = j->func;
	req->func_name = j->func_name;
	req->fout = (struct buf *)j->fout;
	req->cancel = &j->cancel;
	req->cancel_seq = NULL;
	req->measure = j->measure;
}

/* Whether the job counts as failed. */
int
job_failed(const struct job *j)
{
	int st = j->res.status;

	if (j->res.spawn_errno || j->timedout)
		return 1;
	if (WIFSIGNALED(st))
		return 1;
	return !WIFEXITED(st) || WEXITSTATUS(st) != 0;
}

/* Exit value for logs. */
int
job_exitval(const struct job *j)
{
	int st = j->res.status;

	if (j->timedout)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 0;
}

/* Killing signal, if any. */
int
job_signal(const struct job *j)
{
	int st = j->res.status;

	return WIFSIGNALED(st) ? WTERMSIG(st) : 0;
}

/* What became of the job. */
enum job_outcome
job_outcome(const struct job *j)
{
	if (j->res.spawn_errno)
		return JOB_NOT_RUN;
	if (j->timedout || WIFSIGNALED(j->res.status))
		return JOB_KILLED;
	return job_failed(j) ? JOB_FAILED : JOB_SUCCEEDED;
}

/* The outcome's name. */
const char *
job_outcome_name(enum job_outcome o)
{
	static const char *const name[JOB_NOUTCOME] = {
		[JOB_SUCCEEDED] = "ok",
		[JOB_FAILED] = "failed",
		[JOB_NOT_RUN] = "not run",
		[JOB_KILLED] = "killed",
	};

	if ((unsigned)o >= JOB_NOUTCOME)
		BUG("outcome %d", (int)o);
	return name[o];
}

/* The arguments as one line of text, cut at max bytes. */
void
job_args_text(const struct job *j, struct buf *b, size_t max)
{
	size_t i, room = max, n;

	for (i = 0; i < j->nargs; i++) {
		if (i > 0) {
			if (room == 0)
				break;
			buf_addch(b, ' ');
			room--;
		}
		n = j->args[i].len;
		if (n > room) {
			buf_add(b, j->args[i].s, utf8_cut(j->args[i].s, n,
			    room));
			buf_addstr(b, "\xe2\x80\xa6");
			return;
		}
		buf_add(b, j->args[i].s, n);
		room -= n;
	}
	if (i < j->nargs)
		buf_addstr(b, "\xe2\x80\xa6");
}

/* SPDX-License-Identifier: ISC */
/*
 * The process engine: a pool of worker processes, the analogue of a
 * multiprocessing pool.  Workers are forked from parx on first use; parx
 * never creates a thread in this mode, so fork() is safe, and a worker
 * shares every function parx loaded before it (--func plugins).
 *
 * DESIGN: each worker has a stream socket to the main process.  Main sends
 * request frames (the packed argv and shell code); a command's output
 * descriptors ride along with its frame (SCM_RIGHTS).  The worker runs its
 * jobs in order and answers with STARTED (commands: the pid, so main can
 * signal the job's process group) and DONE frames (wait status, times,
 * resource usage, and for --func jobs their output bytes).  Frames are
 * plain structs: both ends are the same executable.
 *
 * A command gets a slot to itself, as in thread mode.  --func jobs are
 * queued deeper, and both sides buffer frames and write them in batches,
 * so a job costs a fraction of a system call on each side.
 *
 * A function cannot be killed without killing its worker.  Cancellation
 * goes through a page shared with the workers (the seq of the job to
 * cancel, or "all"), which the function polls through parx_call; SIGKILL
 * kills the worker.  A worker that dies fails the job it was running
 * (with the worker's own wait status, as if that job had been killed),
 * and its other queued jobs go to a new worker forked for the slot.
 * Unless parx killed it, one line on stderr names the job and how the
 * worker ended.  A command whose worker dies is killed, its whole process
 * group, before its result goes back: nobody would wait for it, and a
 * --retries attempt must not run beside it.  A worker dies with parx
 * (PR_SET_PDEATHSIG), and is sent SIGCONT with every signal of a kill
 * sequence, so that a stopped worker cannot hold parx up.
 *
 * MEMORY at high -j: one worker process per slot.  A forked worker shares
 * parx's pages until it writes them; what it writes is its own.  At -j1000
 * with 1000 "sleep 6" running, the PSS summed over parx and its workers
 * (smaps_rollup) is about 85 MiB: about 85 KiB a worker, of which 44 KiB
 * are heap pages that its first allocations (its buffers, the environment
 * of its jobs, posix_spawn's file actions) take from free chunks spread
 * over parx's heap, and the rest one or two pages each of its stack, the
 * C library's and the loader's data, and its receive buffer.  Main keeps
 * no receive buffer for an idle worker (1.3 MiB in all, from 5.3).  The
 * thread engine runs the same load in about 11 MiB.
 *
 * Halving that needs fewer processes, not smaller ones: a worker that
 * supervises several slots (say 64), spawning and reaping their commands
 * from one poll loop (pidfd or SIGCHLD through signalfd, each job still
 * its own process group), with one socket to main and a slot number in
 * every frame.  A --func job would still block its worker, so functions
 * keep one worker per slot; commands are where -j1000 is used.  Not done
 * yet: a crash of such a worker fails the commands of all its slots, and
 * posix_spawn blocks the loop for each spawn, so the start rate of a
 * multi-slot worker must be measured against a worker per slot first.
 *
 * NEEDSWORK: between a worker reaping a command and main reading DONE,
 * main may still signal the job's old process group id.  The id can only
 * have been reused if the system wrapped its pid space in that moment.
 *
 * NEEDSWORK: a worker that dies between spawning a command and sending
 * STARTED leaves that command running unseen: main never learnt its pid.
 */
#include "runner.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "job.h"
#include "loop.h"
#include "msg.h"
#include "sig.h"
#include "spawn.h"
#include "sys.h"
#include "worker.h"
#include "xalloc.h"

#define WIRE_FD0	0x01
#define WIRE_FD1	0x02
#define WIRE_FD2	0x04
#define WIRE_DIRECT	0x08
#define WIRE_FUNC	0x10
#define WIRE_MEASURE	0x20
#define WIRE_TTY	0x40
#define WIRE_FD3	0x80

/* The flag that says descriptor i of the job comes with the frame. */
static const uint32_t wire_fd[JOB_NFD] = { WIRE_FD0, WIRE_FD1, WIRE_FD2,
    WIRE_FD3 };

#define WIRE_STARTED	1
#define WIRE_DONE	2

/* Write buffered frames once this much is waiting. */
#define PRUNNER_TX_HIGH		(64 * 1024)

struct wire_req {
	uint32_t	flags;
	uint32_t	pad;
	uint64_t	seq;
	uint64_t	slot;
	uint64_t	argc;
	uint64_t	argv_len;
	uint64_t	cmd_len;
	uint64_t	wd_len;		/* with its NUL; 0: none */
	uint64_t	func;		/* same address in every worker */
	uint64_t	func_name;
};

struct wire_res {
	uint32_t	type;
	uint32_t	pad;
	uint64_t	seq;
	uint64_t	out_len;	/* DONE of a --func job: bytes that follow */
	uint64_t	err_len;
	struct spawn_res res;
};

/* Shared with a worker: what to cancel. */
struct pshared {
	_Atomic unsigned long long	cancel_seq;
	_Atomic int			cancel_all;
	char				pad[64 - sizeof(unsigned long long) -
					    sizeof(int)];
};

struct pworker {
	pid_t		 pid;		/* -1: not running */
	int		 fd;		/* main's end of the socket */
	struct jobq	 q;		/* sent, not yet DONE, in order */
	struct buf	 tx;
	struct buf	 rx;
};

struct prunner {
	struct runner	 base;
	struct pworker	*w;
	struct pshared	*shared;	/* one per slot, MAP_SHARED */
	struct buf	 rx;		/* what prunner_read() reads into */
};

/* The signal every job gets (runner_signal_all()), or 0. */
static int
prunner_kill_sig(struct prunner *r)
{
	return atomic_load(&r->base.kill_sig);
}

/* The worker process's side of the channel. */
struct pchan {
	int		 fd;
	struct pshared	*shared;
	struct buf	 rx;
	struct buf	 tx;
	int		 fds[16];	/* received, not yet given to a frame */
	size_t		 nfds;
	int		 jobfd[JOB_NFD]; /* the current job's */
	struct buf	 payload;
	struct buf	 code;		/* the shell code, with $PARALLEL_ENV's */
	struct buf	 fout[2];
	uint64_t	 seq;
	int		 func;
	int		 measure;
	char		**env;		/* room for a job's environment */
};

/* Worker: read more from main, keeping descriptors that come along. */
static int
pchan_fill(struct pchan *c)
{
	union {
		struct cmsghdr	align;
		char		buf[CMSG_SPACE(16 * sizeof(int))];
	} ctl;
	struct msghdr msg;
	struct iovec iov;
	struct cmsghdr *cm;
	ssize_t n;
	size_t k, nfd;

	buf_grow(&c->rx, 65536);
	memset(&msg, 0, sizeof(msg));
	iov.iov_base = c->rx.data + c->rx.len;
	iov.iov_len = c->rx.cap - c->rx.len - 1;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = ctl.buf;
	msg.msg_controllen = sizeof(ctl.buf);
	do
		n = recvmsg(c->fd, &msg, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n <= 0)
		return -1;
	for (cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm)) {
		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		nfd = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (k = 0; k < nfd; k++) {
			int fd;

			memcpy(&fd, CMSG_DATA(cm) + k * sizeof(int), sizeof(fd));
			if (c->nfds < sizeof(c->fds) / sizeof(c->fds[0]))
				c->fds[c->nfds++] = fd;
			else
				close(fd);
		}
	}
	c->rx.len += (size_t)n;
	c->rx.data[c->rx.len] = '\0';
	return 0;
}

static void
pchan_flush(struct pchan *c)
{
	if (c->tx.len == 0)
		return;
	if (sys_write_all(c->fd, c->tx.data, c->tx.len, NULL) == -1)
		_exit(0);	/* main is gone: nobody to report to */
	buf_reset(&c->tx);
}

static int
pchan_take(void *chan, struct spawn_req *req)
{
	struct pchan *c = chan;
	struct wire_req h;
	size_t need, i;

	for (;;) {
		if (c->rx.len >= sizeof(h)) {
			memcpy(&h, c->rx.data, sizeof(h));
			need = sizeof(h) + h.argv_len + h.cmd_len + h.wd_len;
			if (c->rx.len >= need)
				break;
		}
		/* Nothing to do until main sends more: report first. */
		pchan_flush(c);
		if (pchan_fill(c) == -1)
			return 0;
	}
	buf_reset(&c->payload);
	buf_add(&c->payload, c->rx.data + sizeof(h), h.argv_len + h.cmd_len +
	    h.wd_len);
	buf_consume(&c->rx, need);

	for (i = 0; i < JOB_NFD; i++) {
		c->jobfd[i] = -1;
		if ((h.flags & wire_fd[i]) && c->nfds > 0) {
			c->jobfd[i] = c->fds[0];
			memmove(c->fds, c->fds + 1, --c->nfds * sizeof(int));
		}
	}
	c->seq = h.seq;
	c->func = (h.flags & WIRE_FUNC) != 0;
	c->measure = (h.flags & WIRE_MEASURE) != 0;
	memset(req, 0, sizeof(*req));
	req->seq = h.seq;
	req->slot = h.slot;
	req->argc = h.argc;
	req->argv = c->payload.data;
	/* The shell code follows the argv; its NUL was sent along. */
	req->cmd = c->payload.data + h.argv_len;
	req->wd = h.wd_len ? req->cmd + h.cmd_len : NULL;
	req->direct = (h.flags & WIRE_DIRECT) != 0;
	req->tty = (h.flags & WIRE_TTY) != 0;
	if (!req->direct && !c->func && spawn_has_env_code()) {
		buf_reset(&c->code);
		spawn_shell_code(&c->code, req->cmd, h.cmd_len - 1);
		req->cmd = c->code.data;
	}
	for (i = 0; i < JOB_NFD; i++)
		req->fd[i] = c->jobfd[i];
	req->env = c->env;
	if (c->func) {
		uintptr_t fn = (uintptr_t)h.func, name = (uintptr_t)h.func_name;

		memcpy(&req->func, &fn, sizeof(req->func));
		req->func_name = (const char *)name;
		buf_reset(&c->fout[0]);
		buf_reset(&c->fout[1]);
		req->fout = c->fout;
		req->cancel = &c->shared->cancel_all;
		req->cancel_seq = &c->shared->cancel_seq;
		req->measure = (h.flags & WIRE_MEASURE) != 0;
	}
	return 1;
}

static void
pchan_close_fds(struct pchan *c)
{
	int i;

	for (i = 0; i < JOB_NFD; i++) {
		if (c->jobfd[i] >= 0)
			close(c->jobfd[i]);
		c->jobfd[i] = -1;
	}
}

static void
pchan_add(struct pchan *c, uint32_t type, const struct spawn_res *res)
{
	struct wire_res w;

	memset(&w, 0, sizeof(w));
	w.type = type;
	w.seq = c->seq;
	w.res = *res;
	if (type == WIRE_DONE && c->func) {
		w.out_len = c->fout[0].len;
		w.err_len = c->fout[1].len;
	}
	buf_add(&c->tx, &w, sizeof(w));
	if (type == WIRE_DONE && c->func) {
		buf_add(&c->tx, c->fout[0].data, c->fout[0].len);
		buf_add(&c->tx, c->fout[1].data, c->fout[1].len);
	}
}

static void
pchan_started(void *chan, pid_t pid, const struct spawn_res *res)
{
	struct pchan *c = chan;
	struct spawn_res r = *res;

	pchan_close_fds(c);
	r.pid = pid;
	pchan_add(c, WIRE_STARTED, &r);
	pchan_flush(c);		/* main needs the pid to signal the job */
}

static void
pchan_done(void *chan, const struct spawn_res *res)
{
	struct pchan *c = chan;

	pchan_close_fds(c);
	if (c->measure) {
		struct rusage self;
		struct spawn_res r = *res;

		getrusage(RUSAGE_SELF, &self);
		r.worker_rss = self.ru_maxrss;
		pchan_add(c, WIRE_DONE, &r);
	} else {
		pchan_add(c, WIRE_DONE, res);
	}
	/*
	 * Report at once: if the next job crashes this worker, a result
	 * still in its buffer would be lost, and the job would have to run
	 * again.  Main still reads many results per read(2).
	 */
	pchan_flush(c);
}

static const struct worker_ops pchan_ops = {
	.take = pchan_take,
	.started = pchan_started,
	.exited = NULL,
	.done = pchan_done,
};

static void
prunner_worker_main(int fd, struct pshared *shared, pid_t parent)
{
	struct pchan c;
	int i;

	/* Without PR_SET_PDEATHSIG, the worker leaves when its socket does. */
	if (sys_die_with_parent(parent) == -1 && errno != ENOSYS)
		_exit(0);
	sig_reset_in_child();
	fd = sys_close_own_fds(fd);
	memset(&c, 0, sizeof(c));
	c.fd = fd;
	c.shared = shared;
	for (i = 0; i < JOB_NFD; i++)
		c.jobfd[i] = -1;
	buf_init(&c.rx);
	buf_init(&c.tx);
	buf_init(&c.payload);
	buf_init(&c.code);
	buf_init(&c.fout[0]);
	buf_init(&c.fout[1]);
	c.env = spawn_env_new();
	worker_loop(&pchan_ops, &c);
	pchan_flush(&c);
	free(c.env);
	_exit(0);
}

static int
prunner_fork(struct prunner *r, unsigned long slot)
{
	struct pworker *w = &r->w[slot - 1];
	int sv[2];
	pid_t pid, parent = getpid();

	if (sys_socketpair(sv) == -1)
		return -1;
	atomic_store(&r->shared[slot - 1].cancel_seq, 0);
	atomic_store(&r->shared[slot - 1].cancel_all, prunner_kill_sig(r) != 0);
	pid = fork();
	if (pid == -1) {
		int e = errno;

		close(sv[0]);
		close(sv[1]);
		errno = e;
		return -1;
	}
	if (pid == 0) {
		close(sv[0]);
		prunner_worker_main(sv[1], &r->shared[slot - 1], parent);
	}
	close(sv[1]);
	sys_set_nonblock(sv[0], 1);
	w->pid = pid;
	w->fd = sv[0];
	buf_reset(&w->rx);
	buf_reset(&w->tx);
	return 0;
}

/* Append the job's request frame to buf. */
static void
prunner_frame(struct buf *b, const struct job *j, int measure)
{
	struct wire_req h;
	uintptr_t fn = 0, name = (uintptr_t)j->func_name;
	int i;

	memset(&h, 0, sizeof(h));
	for (i = 0; i < JOB_NFD; i++)
		if (j->child_fd[i] >= 0)
			h.flags |= wire_fd[i];
	if (j->direct)
		h.flags |= WIRE_DIRECT;
	if (j->tty)
		h.flags |= WIRE_TTY;
	if (j->func) {
		h.flags |= WIRE_FUNC;
		memcpy(&fn, &j->func, sizeof(fn));
	}
	if (measure)
		h.flags |= WIRE_MEASURE;
	h.seq = j->seq;
	h.slot = j->slot;
	h.argc = j->argc;
	h.argv_len = j->argv ? j->argv_len : 0;
	h.cmd_len = j->cmd ? j->cmd_len + 1 : 1;
	h.wd_len = j->wd ? strlen(j->wd) + 1 : 0;
	h.func = fn;
	h.func_name = name;
	buf_add(b, &h, sizeof(h));
	if (h.argv_len)
		buf_add(b, j->argv, h.argv_len);
	if (j->cmd)
		buf_add(b, j->cmd, h.cmd_len);
	else
		buf_addch(b, '\0');
	if (j->wd)
		buf_add(b, j->wd, h.wd_len);
}

/* Send one frame now, with the job's descriptors attached. */
static int
prunner_send_fds(struct pworker *w, const struct job *j)
{
	struct buf frame = BUF_INIT;
	union {
		struct cmsghdr	align;
		char		buf[CMSG_SPACE(JOB_NFD * sizeof(int))];
	} ctl;
	struct msghdr msg;
	struct iovec iov;
	struct cmsghdr *cm;
	int fds[JOB_NFD], nfd = 0, i, rc = 0;
	ssize_t n;

	prunner_frame(&frame, j, j->measure);
	for (i = 0; i < JOB_NFD; i++)
		if (j->child_fd[i] >= 0)
			fds[nfd++] = j->child_fd[i];
	memset(&msg, 0, sizeof(msg));
	iov.iov_base = frame.data;
	iov.iov_len = frame.len;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	memset(&ctl, 0, sizeof(ctl));
	msg.msg_control = ctl.buf;
	msg.msg_controllen = CMSG_SPACE(nfd * sizeof(int));
	cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(nfd * sizeof(int));
	memcpy(CMSG_DATA(cm), fds, nfd * sizeof(int));
	for (;;) {
		n = sendmsg(w->fd, &msg, MSG_NOSIGNAL);
		if (n >= 0)
			break;
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN) {
			struct pollfd pfd = { w->fd, POLLOUT, 0 };

			poll(&pfd, 1, -1);
			continue;
		}
		rc = -1;
		break;
	}
	/* The descriptors went with the first byte; send the rest plainly. */
	if (rc == 0 && (size_t)n < frame.len &&
	    sys_write_all(w->fd, frame.data + n, frame.len - (size_t)n,
	    NULL) == -1)
		rc = -1;
	buf_release(&frame);
	return rc;
}

static int
prunner_start(struct runner *base, struct job *j)
{
	struct prunner *r = (struct prunner *)base;
	struct pworker *w = &r->w[j->slot - 1];

	if (w->pid == -1 && prunner_fork(r, j->slot) == -1)
		return -1;
	if (j->child_fd[0] >= 0 || j->child_fd[1] >= 0 ||
	    j->child_fd[2] >= 0 || j->child_fd[3] >= 0) {
		if (prunner_send_fds(w, j) == -1)
			return -1;
		/* The worker holds its own copies now. */
		job_close_child_fds(j);
	} else {
		prunner_frame(&w->tx, j, j->measure);
	}
	j->state = JOB_QUEUED;
	STAILQ_INSERT_TAIL(&w->q, j, link);
	return 0;
}

/* Write what can be written of a worker's frames without blocking. */
static void
prunner_write(struct pworker *w)
{
	ssize_t n;

	while (w->tx.len) {
		n = send(w->fd, w->tx.data, w->tx.len, MSG_NOSIGNAL);
		if (n > 0) {
			buf_consume(&w->tx, (size_t)n);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		return;		/* EAGAIN: later; EPIPE: the read side sees it */
	}
}

/*
 * The loop source: send what start() queued, then poll every live
 * worker's socket (for writing too while frames wait).
 */
static size_t
prunner_prepare(void *ctx, struct pollfd *pfd, size_t max, long *ms)
{
	struct prunner *r = ctx;
	unsigned long i;
	size_t k = 0;

	for (i = 0; i < r->base.nslots; i++)
		if (r->w[i].pid != -1 && r->w[i].tx.len)
			prunner_write(&r->w[i]);
	for (i = 0; i < r->base.nslots && k < max; i++) {
		if (r->w[i].pid == -1)
			continue;
		pfd[k].fd = r->w[i].fd;
		pfd[k].events = POLLIN | (r->w[i].tx.len ? POLLOUT : 0);
		pfd[k].revents = 0;
		k++;
	}
	return k;
}

static struct job *
prunner_pop(struct pworker *w)
{
	struct job *j = STAILQ_FIRST(&w->q);

	if (j)
		STAILQ_REMOVE_HEAD(&w->q, link);
	return j;
}

/* Act on one frame; returns its size, or 0 if it is not complete yet. */
static size_t
prunner_frame_in(struct prunner *r, struct pworker *w, const char *p,
    size_t len)
{
	struct wire_res f;
	struct job *j;
	size_t need;
	int sig;

	if (len < sizeof(f))
		return 0;
	memcpy(&f, p, sizeof(f));
	need = sizeof(f) + f.out_len + f.err_len;
	if (len < need)
		return 0;
	j = STAILQ_FIRST(&w->q);
	if (j == NULL || f.seq != j->seq)
		BUG("worker %ld reported job %llu, not %llu", (long)w->pid,
		    (unsigned long long)f.seq, j ? j->seq : 0ULL);
	if (f.type == WIRE_STARTED) {
		j->pid = f.res.pid;
		j->state = JOB_RUNNING;
		j->res.start_real = f.res.start_real;
		j->res.start_mono = f.res.start_mono;
		if ((sig = runner_start_sig(&r->base, j->slot)) != 0) {
			j->killed = 1;
			job_kill(j, sig);
		}
		return need;
	}
	j->res = f.res;
	buf_add(&j->fout[0], p + sizeof(f), f.out_len);
	buf_add(&j->fout[1], p + sizeof(f) + f.out_len, f.err_len);
	prunner_pop(w);
	runner_pend(&r->base, j->slot, 0);
	if (j->func) {
		/* A cancellation is for one attempt: --retries runs it again. */
		unsigned long long seq = j->seq;

		atomic_compare_exchange_strong(
		    &r->shared[j->slot - 1].cancel_seq, &seq, 0);
	}
	runner_done(&r->base, j);
	return need;
}

/* One line on how a worker ended while it held job j. */
static void
prunner_report(const struct job *j, int status)
{
	char how[64];
	int sig;

	if (WIFSIGNALED(status)) {
		sig = WTERMSIG(status);
		if (sigabbrev_np(sig))
			snprintf(how, sizeof(how), "SIG%s", sigabbrev_np(sig));
		else
			snprintf(how, sizeof(how), "signal %d", sig);
	} else {
		snprintf(how, sizeof(how), "exit status %d",
		    WIFEXITED(status) ? WEXITSTATUS(status) : status);
	}
	if (j->func && WIFSIGNALED(status))
		msg_error("job %llu (--func %.*s) crashed with %s", j->seq,
		    (int)j->cmd_len, j->cmd, how);
	else if (j->func)
		msg_error("job %llu (--func %.*s) ended its worker process "
		    "with %s", j->seq, (int)j->cmd_len, j->cmd, how);
	else
		msg_error("the worker process of job %llu died (%s): the job "
		    "was killed with it", j->seq, how);
}

static void
prunner_lost(struct prunner *r, unsigned long slot)
{
	struct pworker *w = &r->w[slot - 1];
	struct jobq rest = STAILQ_HEAD_INITIALIZER(rest);
	struct job *j, *tj;
	int status = 0, kill_sig = prunner_kill_sig(r);

	close(w->fd);
	w->fd = -1;
	while (waitpid(w->pid, &status, 0) == -1 && errno == EINTR)
		;
	w->pid = -1;
	runner_pend(&r->base, slot, 0);
	j = prunner_pop(w);
	if (j == NULL)
		return;
	/* The job it was running: failed as the worker ended. */
	if (!j->func && j->state == JOB_RUNNING && j->pid > 0)
		job_kill(j, SIGKILL);
	if (!kill_sig && !(j->func && j->killed))
		prunner_report(j, status);
	j->res.pid = -1;
	j->res.status = status ? status : (1 << 8);
	clock_gettime(CLOCK_MONOTONIC, &j->res.end_mono);
	if (j->res.start_mono.tv_sec == 0) {
		/* A function reports nothing until it is done: start is now. */
		j->res.start_mono = j->res.end_mono;
		clock_gettime(CLOCK_REALTIME, &j->res.start_real);
	}
	if (kill_sig)
		j->killed = 1;
	runner_done(&r->base, j);

	/* The jobs queued behind it go to a new worker, or die with it. */
	STAILQ_CONCAT(&rest, &w->q);
	if (!STAILQ_EMPTY(&rest) && !kill_sig && prunner_fork(r, slot) == 0) {
		STAILQ_FOREACH(j, &rest, link)
			prunner_frame(&w->tx, j, j->measure);
		STAILQ_CONCAT(&w->q, &rest);
		prunner_write(w);
		return;
	}
	STAILQ_FOREACH_SAFE(j, &rest, link, tj) {
		j->killed = 1;
		j->res.status = kill_sig ? kill_sig : SIGKILL;
		runner_done(&r->base, j);
	}
}

/*
 * Read what a worker sent and take its frames.  The bytes go to one
 * buffer shared by all workers; only the start of a frame not yet whole
 * stays with the worker (at -j1000 a buffer for every worker adds up).
 */
static void
prunner_read(struct prunner *r, unsigned long slot)
{
	struct pworker *w = &r->w[slot - 1];
	struct buf *b = w->rx.len ? &w->rx : &r->rx;
	size_t off = 0, used;
	ssize_t n;
	int e = 0;

	for (;;) {
		buf_grow(b, 65536);
		n = read(w->fd, b->data + b->len, b->cap - b->len - 1);
		if (n > 0) {
			b->len += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		e = n < 0 ? errno : 0;
		break;
	}
	/* The frames may signal jobs: errno is the read's no longer. */
	while ((used = prunner_frame_in(r, w, b->data + off,
	    b->len - off)) > 0)
		off += used;
	if (b == &r->rx) {
		if (off < b->len)
			buf_add(&w->rx, b->data + off, b->len - off);
		buf_reset(b);
	} else {
		buf_consume(b, off);
		if (b->len == 0)
			buf_release(b);
	}
	if (n == 0 || (n < 0 && e != EAGAIN && e != EWOULDBLOCK))
		prunner_lost(r, slot);
}

static void
prunner_dispatch(void *ctx, const struct pollfd *pfd, size_t n)
{
	struct prunner *r = ctx;
	unsigned long i;
	size_t k = 0;

	/* pfd lists the live workers in slot order, as prepare() made it. */
	for (i = 0; i < r->base.nslots && k < n; i++) {
		struct pworker *w = &r->w[i];

		if (w->pid == -1 || pfd[k].fd != w->fd)
			continue;
		if (pfd[k].revents & POLLOUT)
			prunner_write(w);
		if (pfd[k].revents & (POLLIN | POLLHUP | POLLERR))
			prunner_read(r, i + 1);
		k++;
	}
}

static const struct loop_source prunner_source = {
	.name = "engine",
	.prepare = prunner_prepare,
	.dispatch = prunner_dispatch,
};

static void
prunner_signal_all(struct runner *base, int sig)
{
	struct prunner *r = (struct prunner *)base;
	unsigned long i;
	struct job *j;

	for (i = 0; i < base->nslots; i++) {
		struct pworker *w = &r->w[i];

		if (w->pid == -1 || (j = STAILQ_FIRST(&w->q)) == NULL)
			continue;
		if (j->func) {
			for (; j; j = STAILQ_NEXT(j, link))
				j->killed = 1;
			atomic_store(&r->shared[i].cancel_all, 1);
			if (sig == SIGKILL)
				kill(w->pid, SIGKILL);
		} else if (j->state == JOB_RUNNING && j->pid > 0) {
			j->killed = 1;
			job_kill(j, sig);
		}
		/* A stopped worker would never report its job's end. */
		kill(w->pid, SIGCONT);
	}
}

static void
prunner_signal_job(struct runner *base, struct job *j, int sig)
{
	struct prunner *r = (struct prunner *)base;
	struct pworker *w = &r->w[j->slot - 1];

	if (j->func) {
		if (STAILQ_FIRST(&w->q) != j || w->pid == -1)
			return;
		j->killed = 1;
		atomic_store(&r->shared[j->slot - 1].cancel_seq, j->seq);
		if (sig == SIGKILL)
			kill(w->pid, SIGKILL);
		return;
	}
	if (STAILQ_FIRST(&w->q) != j)
		return;		/* finished */
	j->killed = 1;
	if (j->state == JOB_RUNNING && j->pid > 0)
		job_kill(j, sig);
	else
		runner_pend(base, j->slot, sig);	/* sent at STARTED */
}

static void
prunner_destroy(struct runner *base)
{
	struct prunner *r = (struct prunner *)base;
	unsigned long i;

	/* End of file on its socket tells a worker to exit. */
	for (i = 0; i < base->nslots; i++)
		if (r->w[i].fd >= 0) {
			close(r->w[i].fd);
			r->w[i].fd = -1;
		}
	for (i = 0; i < base->nslots; i++) {
		if (r->w[i].pid != -1)
			kill(r->w[i].pid, SIGCONT);	/* a stopped one */
		if (r->w[i].pid != -1)
			while (waitpid(r->w[i].pid, NULL, 0) == -1 &&
			    errno == EINTR)
				;
		buf_release(&r->w[i].rx);
		buf_release(&r->w[i].tx);
	}
	munmap(r->shared, base->nslots * sizeof(*r->shared));
	buf_release(&r->rx);
	runner_release(base);
	free(r->w);
	free(r);
}

static void
prunner_trim(struct runner *base, unsigned long keep)
{
	struct prunner *r = (struct prunner *)base;
	unsigned long i, alive = 0;

	for (i = 0; i < base->nslots; i++)
		alive += r->w[i].pid != -1;
	for (i = base->nslots; i-- > 0 && alive > keep;) {
		struct pworker *w = &r->w[i];

		if (w->pid == -1 || base->given[i] > 0 || !STAILQ_EMPTY(&w->q))
			continue;
		/* An idle worker exits at end of file on its socket. */
		close(w->fd);
		w->fd = -1;
		while (waitpid(w->pid, NULL, 0) == -1 && errno == EINTR)
			;
		w->pid = -1;
		buf_reset(&w->rx);
		buf_reset(&w->tx);
		alive--;
	}
}

/* Create the process engine. */
static struct runner *
prunner_create(unsigned long nslots, size_t depth)
{
	struct prunner *r;
	unsigned long i;
	void *shared;

	shared = mmap(NULL, nslots * sizeof(struct pshared),
	    PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED)
		return NULL;
	r = xcalloc(1, sizeof(*r));
	runner_init(&r->base, &runner_proc_ops, nslots, depth);
	r->shared = shared;
	buf_init(&r->rx);
	r->w = xcalloc(nslots, sizeof(*r->w));
	for (i = 0; i < nslots; i++) {
		r->w[i].pid = -1;
		r->w[i].fd = -1;
		STAILQ_INIT(&r->w[i].q);
		buf_init(&r->w[i].rx);
		buf_init(&r->w[i].tx);
	}
	return &r->base;
}

/* A function is killed with its worker; each worker holds its socket. */
const struct runner_ops runner_proc_ops = {
	.name = "process",
	.caps = RUNNER_KILLS_FUNCS,
	.fds_per_slot = 1,
	.source = &prunner_source,
	.create = prunner_create,
	.start = prunner_start,
	.signal_all = prunner_signal_all,
	.signal_job = prunner_signal_job,
	.destroy = prunner_destroy,
	.trim = prunner_trim,
};

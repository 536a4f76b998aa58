/*
 * The process engine: a pool of worker processes, the analogue of a
 * multiprocessing pool.  Workers are forked from parx on first use; parx
 * never creates a thread in this mode, so fork() is safe.
 *
 * DESIGN: each worker has a stream socket to the main process.  Main sends
 * a request frame (the packed argv and shell code) with the job's output
 * descriptors attached (SCM_RIGHTS); the worker spawns the job, reports
 * STARTED with the pid, waits for its own child and reports DONE with the
 * wait status, times and resource usage.  Frames are fixed-size structs:
 * both ends are the same executable.  Main reads results non-blocking; a
 * worker that dies shows up as end of file on its socket, fails the job it
 * was running (with the worker's own wait status) and is forked again the
 * next time its slot is needed.
 *
 * NEEDSWORK: between a worker reaping its job and main reading DONE, main
 * may still signal the job's old process group id.  The id can only have
 * been reused if the system wrapped its pid space in that moment.
 */
#include "runner.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "job.h"
#include "msg.h"
#include "sig.h"
#include "spawn.h"
#include "sys.h"
#include "worker.h"
#include "xalloc.h"

#define WIRE_FD0	0x1
#define WIRE_FD1	0x2
#define WIRE_FD2	0x4
#define WIRE_DIRECT	0x8

#define WIRE_STARTED	1
#define WIRE_DONE	2

struct wire_req {
	uint32_t	flags;
	uint32_t	pad;
	uint64_t	seq;
	uint64_t	slot;
	uint64_t	argc;
	uint64_t	argv_len;
	uint64_t	cmd_len;
};

struct wire_res {
	uint32_t	type;
	uint32_t	pad;
	uint64_t	seq;
	struct spawn_res res;
};

struct pworker {
	pid_t		 pid;		/* -1: not running */
	int		 fd;		/* main's end of the socket */
	struct job	*job;		/* the job it runs */
	int		 pending_sig;	/* for the job once it starts */
	int		 busy;		/* slot taken until next_done */
	struct buf	 rx;
};

struct prunner {
	struct runner	 base;
	struct pworker	*w;
	unsigned long	 n;
	int		 kill_sig;
	struct job	*done_head;
	struct job	*done_tail;
	size_t		 held;
};

/* The worker process's side of the channel. */
struct pchan {
	int		 fd;
	int		 fds[3];	/* received for the current job */
	struct buf	 payload;
	uint64_t	 seq;
};

static int
read_full(int fd, void *p, size_t len)
{
	char *c = p;
	ssize_t n;

	while (len) {
		n = read(fd, c, len);
		if (n == 0)
			return 0;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		c += n;
		len -= (size_t)n;
	}
	return 1;
}

static int
write_full(int fd, const void *p, size_t len)
{
	const char *c = p;
	ssize_t n;

	while (len) {
		n = write(fd, c, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN) {
				struct pollfd pfd = { fd, POLLOUT, 0 };

				poll(&pfd, 1, -1);
				continue;
			}
			return -1;
		}
		c += n;
		len -= (size_t)n;
	}
	return 0;
}

static int
pchan_take(void *chan, struct spawn_req *req)
{
	struct pchan *c = chan;
	struct wire_req h;
	union {
		struct cmsghdr	align;
		char		buf[CMSG_SPACE(3 * sizeof(int))];
	} ctl;
	struct msghdr msg;
	struct iovec iov;
	struct cmsghdr *cm;
	ssize_t n;
	size_t nfd = 0, i, got;
	int fds[3], k;

	memset(&msg, 0, sizeof(msg));
	iov.iov_base = &h;
	iov.iov_len = sizeof(h);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = ctl.buf;
	msg.msg_controllen = sizeof(ctl.buf);
	do
		n = recvmsg(c->fd, &msg, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n <= 0)
		return 0;
	for (cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm)) {
		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		nfd = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		if (nfd > 3)
			nfd = 3;
		memcpy(fds, CMSG_DATA(cm), nfd * sizeof(int));
	}
	got = (size_t)n;
	if (got < sizeof(h) && read_full(c->fd, (char *)&h + got,
	    sizeof(h) - got) != 1)
		return 0;

	buf_reset(&c->payload);
	buf_grow(&c->payload, h.argv_len + h.cmd_len + 2);
	if (read_full(c->fd, c->payload.data, h.argv_len + h.cmd_len) != 1)
		return 0;
	c->payload.len = h.argv_len + h.cmd_len;
	c->payload.data[c->payload.len] = '\0';

	for (i = 0, k = 0; i < 3; i++) {
		c->fds[i] = -1;
		if ((h.flags & (WIRE_FD0 << i)) && (size_t)k < nfd)
			c->fds[i] = fds[k++];
	}
	c->seq = h.seq;
	req->seq = h.seq;
	req->slot = h.slot;
	req->argc = h.argc;
	req->argv = c->payload.data;
	/* The shell code follows the argv; its NUL was sent along. */
	req->cmd = c->payload.data + h.argv_len;
	req->direct = (h.flags & WIRE_DIRECT) != 0;
	for (i = 0; i < 3; i++)
		req->fd[i] = c->fds[i];
	return 1;
}

static void
pchan_close_fds(struct pchan *c)
{
	int i;

	for (i = 0; i < 3; i++) {
		if (c->fds[i] >= 0)
			close(c->fds[i]);
		c->fds[i] = -1;
	}
}

static void
pchan_send(struct pchan *c, uint32_t type, const struct spawn_res *res)
{
	struct wire_res w;

	memset(&w, 0, sizeof(w));
	w.type = type;
	w.seq = c->seq;
	w.res = *res;
	if (write_full(c->fd, &w, sizeof(w)) == -1)
		_exit(0);	/* main is gone: nobody to report to */
}

static void
pchan_started(void *chan, pid_t pid, const struct spawn_res *res)
{
	struct pchan *c = chan;
	struct spawn_res r = *res;

	pchan_close_fds(c);
	r.pid = pid;
	pchan_send(c, WIRE_STARTED, &r);
}

static void
pchan_done(void *chan, const struct spawn_res *res)
{
	struct pchan *c = chan;

	pchan_close_fds(c);
	pchan_send(c, WIRE_DONE, res);
}

static const struct worker_ops pchan_ops = {
	pchan_take, pchan_started, NULL, pchan_done
};

static void
prunner_worker_main(int fd)
{
	struct pchan c;

	sig_reset_in_child();
	sys_close_own_fds(fd);
	memset(&c, 0, sizeof(c));
	c.fd = fd;
	c.fds[0] = c.fds[1] = c.fds[2] = -1;
	buf_init(&c.payload);
	worker_loop(&pchan_ops, &c);
	_exit(0);
}

static int
prunner_fork(struct pworker *w)
{
	int sv[2];
	pid_t pid;

	if (sys_socketpair(sv) == -1)
		return -1;
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
		prunner_worker_main(sv[1]);
	}
	close(sv[1]);
	sys_set_nonblock(sv[0], 1);
	w->pid = pid;
	w->fd = sv[0];
	buf_reset(&w->rx);
	return 0;
}

static unsigned long
prunner_free_slot(struct runner *base)
{
	struct prunner *r = (struct prunner *)base;
	unsigned long i;

	for (i = 0; i < r->n; i++)
		if (!r->w[i].busy)
			return i + 1;
	return 0;
}

static int
prunner_send(struct pworker *w, struct job *j)
{
	struct wire_req h;
	union {
		struct cmsghdr	align;
		char		buf[CMSG_SPACE(3 * sizeof(int))];
	} ctl;
	struct msghdr msg;
	struct iovec iov[3];
	struct cmsghdr *cm;
	int fds[3], nfd = 0, i;
	ssize_t n;
	size_t total, sent;

	memset(&h, 0, sizeof(h));
	for (i = 0; i < 3; i++)
		if (j->child_fd[i] >= 0) {
			h.flags |= WIRE_FD0 << i;
			fds[nfd++] = j->child_fd[i];
		}
	if (j->direct)
		h.flags |= WIRE_DIRECT;
	h.seq = j->seq;
	h.slot = j->slot;
	h.argc = j->argc;
	h.argv_len = j->argv ? j->argv_len : 0;
	h.cmd_len = j->cmd_len + 1;

	iov[0].iov_base = &h;
	iov[0].iov_len = sizeof(h);
	iov[1].iov_base = j->argv;
	iov[1].iov_len = h.argv_len;
	iov[2].iov_base = j->cmd;
	iov[2].iov_len = h.cmd_len;
	total = sizeof(h) + h.argv_len + h.cmd_len;

	memset(&msg, 0, sizeof(msg));
	msg.msg_iov = iov;
	msg.msg_iovlen = 3;
	if (nfd) {
		memset(&ctl, 0, sizeof(ctl));
		msg.msg_control = ctl.buf;
		msg.msg_controllen = CMSG_SPACE(nfd * sizeof(int));
		cm = CMSG_FIRSTHDR(&msg);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(nfd * sizeof(int));
		memcpy(CMSG_DATA(cm), fds, nfd * sizeof(int));
	}
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
		return -1;
	}
	/* The descriptors went with the first byte; send the rest plainly. */
	for (sent = (size_t)n; sent < total;) {
		size_t off = sent, k;
		const char *p = NULL;
		size_t len = 0;

		for (k = 0; k < 3; k++) {
			if (off < iov[k].iov_len) {
				p = (const char *)iov[k].iov_base + off;
				len = iov[k].iov_len - off;
				break;
			}
			off -= iov[k].iov_len;
		}
		n = send(w->fd, p, len, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN) {
				struct pollfd pfd = { w->fd, POLLOUT, 0 };

				poll(&pfd, 1, -1);
				continue;
			}
			return -1;
		}
		sent += (size_t)n;
	}
	return 0;
}

static int
prunner_start(struct runner *base, struct job *j)
{
	struct prunner *r = (struct prunner *)base;
	struct pworker *w;

	if (j->slot < 1 || j->slot > r->n || r->w[j->slot - 1].busy)
		BUG("job %llu given busy slot %lu", j->seq, j->slot);
	w = &r->w[j->slot - 1];
	if (w->pid == -1 && prunner_fork(w) == -1)
		return -1;
	if (prunner_send(w, j) == -1)
		return -1;
	/* The worker holds its own copies now. */
	job_close_child_fds(j);
	j->state = JOB_QUEUED;
	w->job = j;
	w->pending_sig = 0;
	w->busy = 1;
	r->held++;
	return 0;
}

static size_t
prunner_pollfds(struct runner *base, struct pollfd *pfd, size_t max)
{
	struct prunner *r = (struct prunner *)base;
	unsigned long i;
	size_t k = 0;

	for (i = 0; i < r->n && k < max; i++) {
		if (r->w[i].pid == -1)
			continue;
		pfd[k].fd = r->w[i].fd;
		pfd[k].events = POLLIN;
		pfd[k].revents = 0;
		k++;
	}
	return k;
}

static void
prunner_push_done(struct prunner *r, struct job *j)
{
	j->pid = -1;
	j->state = JOB_DONE;
	j->next = NULL;
	if (r->done_tail)
		r->done_tail->next = j;
	else
		r->done_head = j;
	r->done_tail = j;
}

static void
prunner_frame(struct prunner *r, struct pworker *w, const struct wire_res *f)
{
	struct job *j = w->job;

	if (j == NULL || f->seq != j->seq)
		BUG("worker %ld reported job %llu, not %llu", (long)w->pid,
		    (unsigned long long)f->seq, j ? j->seq : 0ULL);
	if (f->type == WIRE_STARTED) {
		j->pid = f->res.pid;
		j->state = JOB_RUNNING;
		j->res.start_real = f->res.start_real;
		j->res.start_mono = f->res.start_mono;
		if (r->kill_sig || w->pending_sig) {
			j->killed = 1;
			kill(-j->pid,
			    r->kill_sig ? r->kill_sig : w->pending_sig);
		}
		w->pending_sig = 0;
		return;
	}
	j->res = f->res;
	w->job = NULL;
	w->pending_sig = 0;
	prunner_push_done(r, j);
}

static void
prunner_lost(struct prunner *r, struct pworker *w)
{
	int status = 0;

	close(w->fd);
	w->fd = -1;
	while (waitpid(w->pid, &status, 0) == -1 && errno == EINTR)
		;
	if (w->job) {
		struct job *j = w->job;

		msg_error("worker process %ld for job %llu died", (long)w->pid,
		    j->seq);
		/* The job did not report: fail it with the worker's status. */
		j->res.status = status ? status : (1 << 8);
		clock_gettime(CLOCK_MONOTONIC, &j->res.end_mono);
		w->job = NULL;
		prunner_push_done(r, j);
	}
	w->pid = -1;
}

static void
prunner_read(struct prunner *r, struct pworker *w)
{
	char chunk[8192];
	ssize_t n;

	for (;;) {
		n = read(w->fd, chunk, sizeof(chunk));
		if (n > 0) {
			buf_add(&w->rx, chunk, (size_t)n);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		break;
	}
	while (w->rx.len >= sizeof(struct wire_res)) {
		struct wire_res f;

		memcpy(&f, w->rx.data, sizeof(f));
		buf_consume(&w->rx, sizeof(f));
		prunner_frame(r, w, &f);
	}
	if (n == 0 || (n < 0 && errno != EAGAIN))
		prunner_lost(r, w);
}

static void
prunner_events(struct runner *base, const struct pollfd *pfd, size_t n)
{
	struct prunner *r = (struct prunner *)base;
	unsigned long i;
	size_t k = 0;

	/* pfd lists the live workers in slot order, as pollfds() made it. */
	for (i = 0; i < r->n && k < n; i++) {
		struct pworker *w = &r->w[i];

		if (w->pid == -1 || pfd[k].fd != w->fd)
			continue;
		if (pfd[k].revents)
			prunner_read(r, w);
		k++;
	}
}

static struct job *
prunner_next_done(struct runner *base)
{
	struct prunner *r = (struct prunner *)base;
	struct job *j = r->done_head;

	if (j == NULL)
		return NULL;
	r->done_head = j->next;
	if (r->done_head == NULL)
		r->done_tail = NULL;
	j->next = NULL;
	r->w[j->slot - 1].busy = 0;
	r->held--;
	return j;
}

static void
prunner_signal_all(struct runner *base, int sig)
{
	struct prunner *r = (struct prunner *)base;
	unsigned long i;

	r->kill_sig = sig;
	for (i = 0; sig && i < r->n; i++) {
		struct job *j = r->w[i].job;

		if (j && j->state == JOB_RUNNING && j->pid > 0) {
			j->killed = 1;
			kill(-j->pid, sig);
		}
	}
}

static void
prunner_signal_job(struct runner *base, struct job *j, int sig)
{
	struct prunner *r = (struct prunner *)base;
	struct pworker *w;

	if (j->slot < 1 || j->slot > r->n || r->w[j->slot - 1].job != j)
		return;		/* finished, or not ours */
	w = &r->w[j->slot - 1];
	j->killed = 1;
	if (j->state == JOB_RUNNING && j->pid > 0)
		kill(-j->pid, sig);
	else
		w->pending_sig = sig;	/* sent when STARTED arrives */
}

static size_t
prunner_count(struct runner *base)
{
	return ((struct prunner *)base)->held;
}

static void
prunner_destroy(struct runner *base)
{
	struct prunner *r = (struct prunner *)base;
	unsigned long i;

	/* End of file on its socket tells a worker to exit. */
	for (i = 0; i < r->n; i++)
		if (r->w[i].fd >= 0) {
			close(r->w[i].fd);
			r->w[i].fd = -1;
		}
	for (i = 0; i < r->n; i++) {
		if (r->w[i].pid != -1)
			while (waitpid(r->w[i].pid, NULL, 0) == -1 &&
			    errno == EINTR)
				;
		buf_release(&r->w[i].rx);
	}
	free(r->w);
	free(r);
}

static const struct runner_ops prunner_ops = {
	"process",
	prunner_free_slot,
	prunner_start,
	prunner_pollfds,
	prunner_events,
	prunner_next_done,
	prunner_signal_all,
	prunner_signal_job,
	prunner_count,
	prunner_destroy,
};

/* Create the process engine. */
struct runner *
runner_proc_new(unsigned long nslots)
{
	struct prunner *r;
	unsigned long i;

	r = xcalloc(1, sizeof(*r));
	r->base.ops = &prunner_ops;
	r->n = nslots;
	r->w = xcalloc(nslots, sizeof(*r->w));
	for (i = 0; i < nslots; i++) {
		r->w[i].pid = -1;
		r->w[i].fd = -1;
		buf_init(&r->w[i].rx);
	}
	return &r->base;
}

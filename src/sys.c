/*
 * Wrappers around Linux-specific calls (pipe2, O_TMPFILE, sendfile,
 * sched_getaffinity, /proc), with the POSIX fallback next to each one.
 * Nothing else in src/ calls these directly.
 */
#include "sys.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"

static int
sys_cloexec(int fd)
{
	int flags = fcntl(fd, F_GETFD);

	if (flags == -1 || fcntl(fd, F_SETFD, flags | FD_CLOEXEC) == -1)
		return -1;
	return 0;
}

/* Create a close-on-exec pipe. */
int
sys_pipe(int fds[2])
{
#ifdef O_CLOEXEC
	if (pipe2(fds, O_CLOEXEC) == 0)
		return 0;
	if (errno != ENOSYS)
		return -1;
#endif
	if (pipe(fds) == -1)
		return -1;
	/* NEEDSWORK: without pipe2 a concurrent spawn may see these fds. */
	if (sys_cloexec(fds[0]) == -1 || sys_cloexec(fds[1]) == -1) {
		int e = errno;

		close(fds[0]);
		close(fds[1]);
		errno = e;
		return -1;
	}
	return 0;
}

/* Create an unlinked temporary file. */
int
sys_tmpfile(const char *dir)
{
	struct buf path = BUF_INIT;
	int fd;

	if (dir == NULL || *dir == '\0')
		dir = getenv("TMPDIR");
#ifdef MFD_CLOEXEC
	/*
	 * Nobody said where temporary files go: keep the output in memory.
	 * A memfd costs a few microseconds; an unlinked file on a journalled
	 * disk costs a hundred, twice per job.
	 */
	if (dir == NULL || *dir == '\0') {
		fd = memfd_create("parx-output", MFD_CLOEXEC);
		if (fd >= 0 || errno != ENOSYS)
			return fd;
	}
#endif
	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
#ifdef O_TMPFILE
	fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0)
		return fd;
	if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL &&
	    errno != ENOENT)
		return -1;
	if (errno == ENOENT) {
		struct stat st;

		/* ENOENT may mean "no O_TMPFILE" on old kernels; or no dir. */
		if (stat(dir, &st) == -1)
			return -1;
	}
#endif
	buf_addstr(&path, dir);
	buf_addstr(&path, "/parx.XXXXXX");
	fd = mkostemp(path.data, O_CLOEXEC);
	if (fd >= 0)
		unlink(path.data);
	buf_release(&path);
	return fd;
}

/* Create a close-on-exec socket pair. */
int
sys_socketpair(int fds[2])
{
	return socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds);
}

/* Switch O_NONBLOCK. */
int
sys_set_nonblock(int fd, int on)
{
	int flags = fcntl(fd, F_GETFL);

	if (flags == -1)
		return -1;
	flags = on ? flags | O_NONBLOCK : flags & ~O_NONBLOCK;
	return fcntl(fd, F_SETFL, flags);
}

/* Set the calling thread's niceness. */
int
sys_nice_self(int nice)
{
	/*
	 * Linux reads PRIO_PROCESS with who 0 as the calling thread, not the
	 * whole process as POSIX has it: exactly what a worker thread needs.
	 */
	return setpriority(PRIO_PROCESS, 0, nice);
}

/* Count usable CPUs. */
long
sys_ncpus(void)
{
	cpu_set_t set;
	long n;

	if (sched_getaffinity(0, sizeof(set), &set) == 0) {
		n = CPU_COUNT(&set);
		if (n > 0)
			return n;
	}
	n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? n : 1;
}

/* Copy between descriptors, with sendfile(2) when the kernel allows. */
ssize_t
sys_copy(int out, int in, off_t *off, size_t len)
{
	char chunk[65536];
	ssize_t n, w;

	if (len == 0)
		return 0;
	n = sendfile(out, in, off, len > 1 << 30 ? 1 << 30 : len);
	if (n >= 0)
		return n;
	if (errno != EINVAL && errno != ENOSYS)
		return -1;
	/* sendfile refuses some outputs (O_APPEND files): copy by hand. */
	n = pread(in, chunk, len < sizeof(chunk) ? len : sizeof(chunk), *off);
	if (n <= 0)
		return n;
	w = write(out, chunk, (size_t)n);
	if (w > 0)
		*off += w;
	return w;
}

/* Close parx's own descriptors in a forked child. */
void
sys_close_own_fds(int keep)
{
	DIR *d;
	struct dirent *de;
	int dfd, fd, flags;

	d = opendir("/proc/self/fd");
	if (d == NULL) {
		long max = sysconf(_SC_OPEN_MAX);

		if (max < 0 || max > 65536)
			max = 65536;
		for (fd = 3; fd < max; fd++) {
			flags = fcntl(fd, F_GETFD);
			if (fd != keep && flags != -1 && (flags & FD_CLOEXEC))
				close(fd);
		}
		return;
	}
	dfd = dirfd(d);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		fd = atoi(de->d_name);
		if (fd < 3 || fd == keep || fd == dfd)
			continue;
		flags = fcntl(fd, F_GETFD);
		if (flags != -1 && (flags & FD_CLOEXEC))
			close(fd);
	}
	closedir(d);
}

/* Reopen missing standard descriptors on /dev/null. */
void
sys_open_std_fds(void)
{
	int fd;

	for (fd = 0; fd < 3; fd++) {
		if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
			continue;
		/* open() returns the lowest free descriptor: this one. */
		if (open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY) == -1)
			return;
	}
}

/* The execve() size limit for arguments and environment together. */
size_t
sys_arg_max(void)
{
	long max = sysconf(_SC_ARG_MAX);

	return max > 0 ? (size_t)max : 131072;
}

/* The largest single argument execve() accepts. */
size_t
sys_arg_strlen_max(void)
{
	/* Linux caps each string at 32 pages (MAX_ARG_STRLEN). */
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t max = 32 * (page ? page : 4096);

	return max < sys_arg_max() ? max : sys_arg_max();
}

/* SPDX-License-Identifier: ISC */
/*
 * Wrappers around Linux-specific calls (pipe2, O_TMPFILE, sendfile, splice,
 * F_SETPIPE_SZ, sched_getaffinity, /proc), with the POSIX fallback next to
 * each one.
 * Nothing else in src/ calls these directly.
 */
#include "sys.h"

#include <alloca.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <sched.h>
#include <spawn.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "buf.h"
#include "xalloc.h"

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

/* Whether dir has a quarter of its file system and 64 MiB free. */
int
sys_dir_roomy(const char *dir)
{
	struct statvfs sv;
	unsigned long long avail, size;

	if (statvfs(dir, &sv) == -1)
		return 1;	/* then let open() tell */
	avail = (unsigned long long)sv.f_bavail * sv.f_frsize;
	size = (unsigned long long)sv.f_blocks * sv.f_frsize;
	return avail >= (64ULL << 20) && avail >= size / 4;
}

/* Copy all of fd into a new unlinked temporary file in dir. */
int
sys_spool(int fd, const char *dir)
{
	char chunk[65536];
	ssize_t n;
	int mem = sys_tmpfile(dir), e;

	if (mem == -1)
		return -1;
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || sys_write_all(mem, chunk, (size_t)n, NULL) == -1) {
			e = errno;
			close(mem);
			errno = e;
			return -1;
		}
	}
	return mem;
}

/* Create an unlinked temporary file. */
FILE *
sys_fopen_w(const char *path)
{
	FILE *f;
	int fd;

	if (strcmp(path, "-") != 0)
		return fopen(path, "we");
	if ((fd = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3)) == -1)
		return NULL;
	if ((f = fdopen(fd, "w")) == NULL)
		close(fd);
	return f;
}

int
sys_tmpfile(const char *dir)
{
	struct buf path = BUF_INIT;
	int fd;

	if (dir == NULL || *dir == '\0')
		dir = getenv("TMPDIR");
	/*
	 * Nobody said where temporary files go: keep the output in memory,
	 * in /dev/shm, whose size is capped (half the RAM by default), so a
	 * job with endless output fills that and fails, instead of leaving
	 * the whole machine out of memory as an uncapped memfd would.  An
	 * unlinked file there costs a few microseconds; one on a journalled
	 * disk costs a hundred, twice per job.  When /dev/shm runs low, new
	 * files go to /tmp instead.
	 */
	if (dir == NULL || *dir == '\0') {
#ifdef O_TMPFILE
		if (sys_dir_roomy("/dev/shm")) {
			fd = open("/dev/shm", O_TMPFILE | O_RDWR | O_CLOEXEC,
			    0600);
			if (fd >= 0)
				return fd;
		}
#endif
#ifdef MFD_CLOEXEC
		if (access("/dev/shm", F_OK) == -1) {
			fd = memfd_create("parx-output", MFD_CLOEXEC);
			if (fd >= 0 || errno != ENOSYS)
				return fd;
		}
#endif
	}
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

/* Create a named file that outlives parx. */
int
sys_named_tmpfile(const char *dir, const char *prefix, const char *suffix,
    char **path)
{
	struct buf p = BUF_INIT;
	int fd, e;

	buf_addstr(&p, dir);
	buf_addch(&p, '/');
	buf_addstr(&p, prefix);
	buf_addstr(&p, "XXXXXX");
	buf_addstr(&p, suffix);
	fd = mkostemps(p.data, (int)strlen(suffix), O_CLOEXEC);
	if (fd == -1) {
		e = errno;
		buf_release(&p);
		errno = e;
		*path = NULL;
		return -1;
	}
	*path = buf_detach(&p, NULL);
	return fd;
}

/* Whether fd's file system is full. */
int
sys_fs_full(int fd)
{
	struct statvfs sv;

	if (fstatvfs(fd, &sv) == -1 || sv.f_blocks == 0)
		return 0;
	/* Root may write into the reserved blocks too. */
	return (geteuid() == 0 ? sv.f_bfree : sv.f_bavail) == 0;
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

/* glibc 2.29 and later have it. */
#if defined(__GLIBC__) && (__GLIBC__ > 2 || \
    (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 29))
#define SYS_SPAWN_CHDIR	1
#else
#define SYS_SPAWN_CHDIR	0
#endif

/* Start the child in dir. */
int
sys_spawn_addchdir(posix_spawn_file_actions_t *fa, const char *dir)
{
#if SYS_SPAWN_CHDIR
	return posix_spawn_file_actions_addchdir_np(fa, dir);
#else
	return ENOSYS;
#endif
}

/* Whether sys_spawn_addchdir() works. */
int
sys_spawn_has_chdir(void)
{
	return SYS_SPAWN_CHDIR;
}

/* mkdir -p. */
int
sys_mkdirs(const char *path, size_t len, size_t *bad)
{
	struct stat st;
	char *p = xmemdupz(path, len), *s;
	int e;

	for (s = p + 1;; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		if (s[-1] != '/') {
			char c = *s;

			*s = '\0';
			if (mkdir(p, 0777) == -1 && (errno != EEXIST ||
			    stat(p, &st) == -1 || !S_ISDIR(st.st_mode))) {
				e = errno == EEXIST ? ENOTDIR : errno;
				*bad = (size_t)(s - p);
				free(p);
				errno = e;
				return -1;
			}
			*s = c;
		}
		if (*s == '\0')
			break;
	}
	free(p);
	return 0;
}

static int
sys_remove_one(const char *path, const struct stat *st, int flag,
    struct FTW *ftw)
{
	return remove(path) == -1 && errno != ENOENT ? -1 : 0;
}

/* rm -rf. */
int
sys_remove_tree(const char *path)
{
	struct stat st;

	if (lstat(path, &st) == -1)
		return -1;
	return nftw(path, sys_remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Add id to the n distinct ones in ids (room for max); return the new n. */
static size_t
sys_add_id(long *ids, size_t n, size_t max, long id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ids[i] == id)
			return n;
	if (n < max)
		ids[n++] = id;
	return n;
}

/* Count the CPU sockets. */
long
sys_nsockets(void)
{
	char path[96], line[256];
	long ids[1024], id;
	size_t n = 0;
	FILE *f;
	int cpu, misses = 0;

	/* CPU numbers may have holes (offline CPUs): allow a few. */
	for (cpu = 0; misses < 64 && cpu < 65536; cpu++) {
		snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/"
		    "topology/physical_package_id", cpu);
		if ((f = fopen(path, "re")) == NULL) {
			misses++;
			continue;
		}
		misses = 0;
		if (fscanf(f, "%ld", &id) == 1)
			n = sys_add_id(ids, n, sizeof(ids) / sizeof(ids[0]), id);
		fclose(f);
	}
	if (n == 0 && (f = fopen("/proc/cpuinfo", "re")) != NULL) {
		while (fgets(line, sizeof(line), f) != NULL)
			if (sscanf(line, "physical id : %ld", &id) == 1)
				n = sys_add_id(ids, n,
				    sizeof(ids) / sizeof(ids[0]), id);
		fclose(f);
	}
	return n > 0 ? (long)n : 1;
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

/* For a write without a stop: waits only when fd is non-blocking. */
static const struct sys_stop sys_no_stop = { -1, NULL };

static int	sys_wait_fd(int fd, short events, const struct sys_stop *st);

/* Wait until fd takes bytes, or st says to stop. */
int
sys_wait_writable(int fd, const struct sys_stop *st)
{
	return sys_wait_fd(fd, POLLOUT, st);
}

/* Wait until fd has bytes (or its end) to read, or st says to stop. */
int
sys_wait_readable(int fd, const struct sys_stop *st)
{
	return sys_wait_fd(fd, POLLIN, st);
}

/* Wait until fd is ready for events, or st says to stop. */
static int
sys_wait_fd(int fd, short events, const struct sys_stop *st)
{
	struct pollfd pfd[2];
	int watch, stopping, rc;

	if (st == NULL)
		st = &sys_no_stop;
	watch = st->fd >= 0;
	for (;;) {
		stopping = st->stop != NULL && st->stop();
		pfd[0].fd = fd;
		pfd[0].events = events;
		pfd[0].revents = 0;
		pfd[1].fd = st->fd;
		pfd[1].events = POLLIN;
		pfd[1].revents = 0;
		/*
		 * A wake-up that was no stop (SIGHUP) leaves st->fd readable:
		 * stop watching it then, and ask stop() ten times a second.
		 */
		rc = poll(pfd, watch && !stopping ? 2 : 1,
		    stopping ? 0 : watch ? -1 : 100);
		if (rc == -1) {
			if (errno != EINTR)
				return -1;
			continue;
		}
		if (pfd[0].revents)
			return 0;	/* ready, or an error the call reports */
		if (stopping) {
			errno = EINTR;
			return -1;
		}
		if (pfd[1].revents)
			watch = 0;
	}
}

/*
 * How much of len fd takes without blocking, once poll() said it takes
 * some: the free room of a pipe (a write that blocks half-way would only
 * return when a signal comes, and one that came just before it would be
 * missed); all of it for anything else.
 */
static size_t
sys_out_room(int fd, size_t len)
{
#ifdef F_GETPIPE_SZ
	int size, queued;
	size_t room;

	size = fcntl(fd, F_GETPIPE_SZ);
	if (size <= 0)
		return len;	/* not a pipe */
	if (ioctl(fd, FIONREAD, &queued) == -1 || queued < 0)
		queued = size;
	room = size > queued ? (size_t)(size - queued) : 0;
	/* POLLOUT on a pipe means a whole page is free. */
	if (room < PIPE_BUF)
		room = PIPE_BUF;
	return len < room ? len : room;
#else
	(void)fd;
	return len < PIPE_BUF ? len : PIPE_BUF;
#endif
}

/* Write a whole buffer, giving up on st. */
int
sys_write_all(int fd, const void *p, size_t len, const struct sys_stop *st)
{
	const char *c = p;
	size_t chunk;
	ssize_t n;

	while (len) {
		chunk = len;
		if (st != NULL) {
			if (sys_wait_writable(fd, st) == -1)
				return -1;
			chunk = sys_out_room(fd, len);
		}
		n = write(fd, c, chunk);
		if (n > 0) {
			c += n;
			len -= (size_t)n;
			continue;
		}
		if (n == 0) {
			errno = ENOSPC;
			return -1;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN)
			return -1;
		if (st == NULL && sys_wait_writable(fd, &sys_no_stop) == -1)
			return -1;
	}
	return 0;
}

/* Copy a file's bytes to out, giving up on st. */
int
sys_copy_all(int out, int in, off_t *off, off_t end,
    const struct sys_stop *st)
{
	size_t len;
	ssize_t n;

	while (*off < end) {
		len = (size_t)(end - *off);
		if (st != NULL) {
			if (sys_wait_writable(out, st) == -1)
				return -1;
			len = sys_out_room(out, len);
		}
		n = sys_copy(out, in, off, len);
		if (n > 0)
			continue;
		if (n == 0)
			return 0;	/* in is shorter than it was */
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN)
			return -1;
		if (st == NULL && sys_wait_writable(out, &sys_no_stop) == -1)
			return -1;
	}
	return 0;
}

/* Move file bytes into a pipe, in the kernel. */
ssize_t
sys_splice_to_pipe(int in, off_t *off, int out, size_t len)
{
#ifdef SPLICE_F_NONBLOCK
	loff_t o = *off;
	ssize_t n;

	n = splice(in, &o, out, NULL, len > 1 << 30 ? 1 << 30 : len,
	    SPLICE_F_NONBLOCK | SPLICE_F_MOVE);
	if (n > 0)
		*off = (off_t)o;
	return n;
#else
	errno = ENOSYS;
	return -1;
#endif
}

/* Append a whole file to b, from its start. */
int
sys_read_all(int fd, struct buf *b)
{
	char chunk[65536];
	off_t off = 0;
	ssize_t n;

	while ((n = pread(fd, chunk, sizeof(chunk), off)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf_add(b, chunk, (size_t)n);
		off += n;
	}
	return 0;
}

/* Move bytes out of a pipe into a file, in the kernel. */
ssize_t
sys_splice_from_pipe(int in, int out, size_t len)
{
#ifdef SPLICE_F_NONBLOCK
	return splice(in, NULL, out, NULL, len > 1 << 30 ? 1 << 30 : len,
	    SPLICE_F_NONBLOCK);
#else
	errno = EINVAL;
	return -1;
#endif
}

/* Give back a file mapping's pages. */
void
sys_drop_pages(void *addr, size_t len)
{
#ifdef MADV_DONTNEED
	(void)madvise(addr, len, MADV_DONTNEED);
#else
	(void)posix_madvise(addr, len, POSIX_MADV_DONTNEED);
#endif
}

/* Make a pipe's buffer larger. */
size_t
sys_pipe_grow(int fd, size_t want)
{
#ifdef F_SETPIPE_SZ
	int n;

	if (want > 1 << 30)
		want = 1 << 30;
	n = fcntl(fd, F_GETPIPE_SZ);
	if (n >= 0 && (size_t)n >= want)
		return (size_t)n;
	/* Refused above /proc/sys/fs/pipe-max-size or the user's quota. */
	if (fcntl(fd, F_SETPIPE_SZ, (int)want) == -1 && want > 1 << 20)
		(void)fcntl(fd, F_SETPIPE_SZ, 1 << 20);
	n = fcntl(fd, F_GETPIPE_SZ);
	return n > 0 ? (size_t)n : 0;
#else
	(void)fd;
	(void)want;
	return 0;
#endif
}

/* The highest descriptor parx inherited, found by sys_open_std_fds(). */
static int sys_inherited_max = 2;

static void
sys_close_cloexec(int from, int to, int keep)
{
	int fd, flags;

	for (fd = from; fd <= to; fd++) {
		if (fd == keep)
			continue;
		flags = fcntl(fd, F_GETFD);
		if (flags != -1 && (flags & FD_CLOEXEC))
			close(fd);
	}
}

/* Tie a forked child's life to its parent's. */
int
sys_die_with_parent(pid_t parent)
{
#ifdef PR_SET_PDEATHSIG
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1)
		return -1;
	/* The parent may have died before prctl: then nobody will kill us. */
	if (getppid() != parent) {
		errno = ESRCH;
		return -1;
	}
	return 0;
#else
	(void)parent;
	errno = ENOSYS;
	return -1;
#endif
}

/* Close parx's own descriptors in a forked child. */
int
sys_close_own_fds(int keep)
{
	int top = sys_inherited_max, moved;

	/*
	 * Everything above the highest inherited descriptor is parx's own:
	 * move keep just above it and close the rest with one call, however
	 * many workers and jobs parx has open.  Below it, only close-on-exec
	 * descriptors are parx's.
	 */
	if (keep != top + 1) {
		moved = fcntl(keep, F_DUPFD_CLOEXEC, top + 1);
		if (moved == -1)
			return keep;
		if (moved != top + 1) {
			/* top + 1 is taken: by one of ours; take it over. */
			if (dup3(keep, top + 1, O_CLOEXEC) == -1) {
				close(moved);
				sys_close_cloexec(3, 65535, keep);
				return keep;
			}
			close(moved);
		}
		close(keep);
		keep = top + 1;
	}
	if (close_range((unsigned)keep + 1, ~0U, 0) == -1) {
		long max = sysconf(_SC_OPEN_MAX);

		sys_close_cloexec(keep + 1, max < 0 || max > 65536 ? 65535 :
		    (int)max - 1, keep);
	}
	sys_close_cloexec(3, top, keep);
	return keep;
}

/* Reopen missing standard descriptors on /dev/null. */
void
sys_open_std_fds(void)
{
	DIR *d;
	struct dirent *de;
	int fd, dfd;

	/* Note the highest descriptor parx was given, for workers. */
	d = opendir("/proc/self/fd");
	if (d != NULL) {
		dfd = dirfd(d);
		while ((de = readdir(d)) != NULL) {
			fd = atoi(de->d_name);
			if (fd != dfd && fd > sys_inherited_max)
				sys_inherited_max = fd;
		}
		closedir(d);
	}

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

/* Touch size bytes of stack, a page at a time, from the top down. */
static __attribute__((noinline)) void
sys_stack_touch(size_t size)
{
	volatile char *p = alloca(size);
	size_t i;

	for (i = size; i >= 4096; i -= 4096)
		p[i - 1] = 0;
	p[0] = 0;
}

/* Map the main thread's stack in advance (the kernel never shrinks it). */
void
sys_stack_reserve(size_t size)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	    rl.rlim_cur / 2 < size)
		size = rl.rlim_cur / 2;
	if (size > 0)
		sys_stack_touch(size);
}

/* Whether path is a regular file this process may execute. */
static int
sys_is_exec(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	    access(path, X_OK) == 0;
}

/* Find name as execvp() would. */
char *
sys_path_find(const char *name)
{
	const char *path, *p, *end;
	struct buf b;
	char *def = NULL, *found = NULL;
	size_t n;

	if (strchr(name, '/') != NULL) {
		if (sys_is_exec(name))
			return xstrdup(name);
		errno = ENOENT;
		return NULL;
	}
	path = getenv("PATH");
	if (path == NULL) {
		n = confstr(_CS_PATH, NULL, 0);
		def = xmalloc(n > 0 ? n : 1);
		def[0] = '\0';
		if (n > 0)
			confstr(_CS_PATH, def, n);
		path = def;
	}
	buf_init(&b);
	for (p = path; found == NULL; p = end + 1) {
		end = strchrnul(p, ':');
		buf_reset(&b);
		if (end == p)
			buf_addch(&b, '.');
		else
			buf_add(&b, p, (size_t)(end - p));
		buf_addch(&b, '/');
		buf_addstr(&b, name);
		if (sys_is_exec(b.data))
			found = xstrdup(b.data);
		if (*end == '\0')
			break;
	}
	buf_release(&b);
	free(def);
	if (found == NULL)
		errno = ENOENT;
	return found;
}

/* SPDX-License-Identifier: ISC */
/*
 * sys: the operating-system calls that are not plain POSIX 2008, each with
 * a portable fallback, kept in one place.  Every descriptor returned here
 * is close-on-exec.  All functions are thread-safe.
 */
#ifndef PARX_SYS_H
#define PARX_SYS_H

#include <stdio.h>

#include <spawn.h>
#include <stddef.h>
#include <sys/types.h>

struct buf;

/* A pipe with both ends close-on-exec.  Returns 0 or -1 with errno. */
int	sys_pipe(int fds[2]);

/*
 * An anonymous read-write file, already unlinked: in dir, else in $TMPDIR;
 * when neither is set, in /dev/shm (memory, of capped size), else an
 * anonymous memory file (memfd) when there is no /dev/shm, else in /tmp.
 * Returns the descriptor or -1 with errno.
 */
int	sys_tmpfile(const char *dir);

/*
 * Open path for writing, created or emptied, close-on-exec; "-" is
 * standard output (a descriptor of its own, so that fclose() leaves
 * standard output open).  NULL with errno.
 */
FILE	*sys_fopen_w(const char *path);

/*
 * Read fd to its end into a new unlinked temporary file in dir (as
 * sys_tmpfile() chooses it); its descriptor, or -1 with errno.
 */
int	sys_spool(int fd, const char *dir);

/*
 * A new file named dir/prefixXXXXXXsuffix, open for reading and writing,
 * close-on-exec, that stays after parx exits (--files).  *path gets its
 * name (malloc'd).  Returns the descriptor or -1 with errno.
 */
int	sys_named_tmpfile(const char *dir, const char *prefix,
	    const char *suffix, char **path);

/*
 * 1 when dir's file system has a quarter of its size and at least 64 MiB
 * free (or cannot tell), else 0.  Below that, parx leaves /dev/shm to
 * others: big outputs, or many held back by -k, would run it full.
 */
int	sys_dir_roomy(const char *dir);

/*
 * Append the whole content of the file fd, from offset 0 (the file
 * position is not used), to b.  Returns 0 or -1 with errno.
 */
int	sys_read_all(int fd, struct buf *b);

/*
 * 1 when the file system holding fd has no space left for this process
 * (a write there may have failed), 0 when it has or cannot tell.
 */
int	sys_fs_full(int fd);

/* A connected stream socket pair, close-on-exec.  Returns 0 or -1. */
int	sys_socketpair(int fds[2]);

/* Set or clear O_NONBLOCK on a descriptor parx owns.  Returns 0 or -1. */
int	sys_set_nonblock(int fd, int on);

/*
 * Set the niceness of the calling thread to nice.  On Linux niceness
 * belongs to each thread, and a child inherits that of the thread that
 * created it; in a single-threaded process this is the process's own.
 * Returns 0 or -1 with errno (EACCES: lowering it needs privilege).
 */
int	sys_nice_self(int nice);

/*
 * mkdir -p of the first len bytes of path (mode 0777 less the umask).
 * Returns 0, or -1 with errno (ENOTDIR: a part exists and is not a
 * directory) and *bad set to the length of the part that failed.
 */
int	sys_mkdirs(const char *path, size_t len, size_t *bad);

/*
 * Remove path and everything below it, not following symbolic links.
 * Returns 0, or -1 with errno (ENOENT when path is not there).
 */
int	sys_remove_tree(const char *path);

/*
 * Make a spawned child start in dir (posix_spawn_file_actions_addchdir_np
 * where the C library has it).  Returns 0 or an error number: ENOSYS when
 * it cannot be done here (sys_spawn_has_chdir() is 0).
 */
int	sys_spawn_addchdir(posix_spawn_file_actions_t *, const char *dir);
int	sys_spawn_has_chdir(void);

/* The number of CPUs this process may run on (at least 1). */
long	sys_ncpus(void);

/*
 * The number of CPU sockets (physical packages) of the machine: the
 * distinct package ids of its CPUs in /sys, else the distinct "physical
 * id" lines of /proc/cpuinfo, else 1.
 */
long	sys_nsockets(void);

/*
 * What lets a write that cannot go on give up: stop() returns nonzero
 * when it should (Ctrl-C), and fd, when not -1, turns readable when
 * stop() may have changed (the signal self-pipe), so that a wait for the
 * output wakes up for it.
 */
struct sys_stop {
	int	  fd;
	int	(*stop)(void);
};

/*
 * Write all len bytes of p to fd, retrying short writes, EINTR and
 * EAGAIN (an output another process made non-blocking).  With st set, it
 * waits in poll() for fd to take bytes, and writes no more than fd can
 * take without blocking (the free room of a pipe): when fd does not drain
 * and st->stop() turns true, it gives up with EINTR.  A fd that still
 * takes bytes gets them all, stop or not.  Returns 0, or -1 with errno
 * (EINTR: given up; ENOSPC when write(2) took nothing).
 */
int	sys_write_all(int fd, const void *p, size_t len,
	    const struct sys_stop *st);

/*
 * Wait until fd takes bytes (POLLOUT), or, with st set, until st->stop()
 * is true while fd stays full.  Returns 0, or -1 with errno (EINTR: given
 * up).
 */
int	sys_wait_writable(int fd, const struct sys_stop *st);

/* The same for reading: until fd has bytes or its end (POLLIN). */
int	sys_wait_readable(int fd, const struct sys_stop *st);

/*
 * Copy the bytes of in from offset *off (which advances) up to end to
 * out, in the kernel where possible, like sys_write_all() as to st.  The
 * copy ends early, with 0, when in turns out shorter than end.  Returns 0
 * or -1 with errno (EINTR: given up).
 */
int	sys_copy_all(int out, int in, off_t *off, off_t end,
	    const struct sys_stop *st);

/*
 * Copy len bytes from in (starting at offset *off, which advances) to out,
 * in the kernel where possible.  Returns the number of bytes copied, which
 * may be short, or -1 with errno (EINTR, EAGAIN and EPIPE included).
 */
ssize_t	sys_copy(int out, int in, off_t *off, size_t len);

/*
 * Move up to len bytes of the file in (from offset *off, which advances;
 * the file position is not used) into the pipe out without copying them
 * where the kernel allows (splice(2)); never blocks on the pipe.  Returns
 * the number of bytes moved, 0 at the end of the file, or -1 with errno:
 * EAGAIN when the pipe is full, EINVAL or ENOSYS when the kernel cannot
 * splice these descriptors (copy by hand then).
 */
ssize_t	sys_splice_to_pipe(int in, off_t *off, int out, size_t len);

/*
 * Move up to len bytes from the pipe in to the file out, at out's file
 * position, without copying them where the kernel allows (splice(2));
 * never blocks on the pipe.  Only what was written leaves the pipe.
 * Returns the number of bytes moved, 0 when the pipe's writers are gone
 * and it is empty, or -1 with errno: EAGAIN when the pipe is empty,
 * ENOSPC, EDQUOT or EFBIG when the file can grow no more, EINVAL when the
 * kernel cannot splice these descriptors (copy by hand then).
 */
ssize_t	sys_splice_from_pipe(int in, int out, size_t len);

/*
 * Drop the pages of a read-only file mapping from the process (they stay
 * in the page cache and come back on the next access): parx's RSS no
 * longer counts them.  Best effort.
 */
void	sys_drop_pages(void *addr, size_t len);

/*
 * Ask for a pipe buffer of at least want bytes (best effort: the system
 * caps it).  Returns the pipe's capacity in bytes, or 0 when unknown.
 */
size_t	sys_pipe_grow(int fd, size_t want);

/*
 * In a freshly forked child: close every descriptor parx opened itself,
 * except keep, which may move; returns keep's new number.  Descriptors
 * parx inherited (those above 2 without close-on-exec) are left alone, so
 * that the jobs of every mode see the same set.  Costs a few system calls
 * whatever the number of open descriptors.
 */
int	sys_close_own_fds(int keep);

/*
 * In a freshly forked child of parent: die (SIGKILL) when the parent
 * does, so that a worker never outlives parx.  Returns 0, or -1 when the
 * parent is already gone (the caller then exits) or the system cannot
 * tell (errno ENOSYS where there is no PR_SET_PDEATHSIG).
 */
int	sys_die_with_parent(pid_t parent);

/*
 * Make sure descriptors 0, 1 and 2 are open (on /dev/null if not), and
 * note which descriptors parx inherited.  Call first thing in main.
 */
void	sys_open_std_fds(void);

/*
 * Grow the calling (main) thread's stack by about size bytes now, within
 * half the stack limit, so that it never has to grow later.  Under a low
 * ulimit -v, the pool's thread stacks and buffers can use up the address
 * space, and a stack that cannot grow is a SIGSEGV.  Call first thing in
 * main, before any thread exists.
 */
void	sys_stack_reserve(size_t size);

/*
 * The largest total size of arguments plus environment that execve()
 * accepts, and the largest single argument.
 */
size_t	sys_arg_max(void);
size_t	sys_arg_strlen_max(void);

/*
 * The file execvp() and posix_spawnp() would run for name: name itself
 * when it holds a '/', else the first executable regular file of that name
 * in $PATH (the system's default path when PATH is unset; an empty entry
 * is the current directory).  Returns a string the caller frees, or NULL
 * with errno ENOENT.
 */
char	*sys_path_find(const char *name);

#endif

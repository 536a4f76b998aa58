# SPDX-License-Identifier: ISC
# Shared set-up for the bats suite.
#
# Every behavioural test runs parx through the `parx` function below, which
# adds --mode=$PARX_MODE; tests/run-all runs the whole suite once per mode
# (PARX_MODES, default "process thread").  Tests must not depend on the
# mode unless they say so, and must not sleep to order jobs: use the
# file barriers below.

: "${PARX:?set PARX to the parx binary (make test does)}"
: "${PARX_MODE:=process}"

parx() {
	"$PARX" --mode="$PARX_MODE" "$@"
}

# Run a command with a time limit, so a hang fails the test instead of
# blocking the suite.  A command stopped at its limit fails the test even
# where its status goes unchecked (run bparx ...; [ "$output" = ok ]):
# bounded notes it in $BATS_TEST_TMPDIR/.timed-out, which teardown reports.
bounded() {
	local st=0 start=$SECONDS limit=${BOUND:-60}
	timeout -k 5 "$limit" "$@" || st=$?
	if { [ $st -eq 124 ] || [ $st -eq 137 ]; } &&
	    [ $((SECONDS - start)) -ge $((${limit%.*} - 1)) ] &&
	    [ -n "${BATS_TEST_TMPDIR:-}" ]; then
		echo "stopped after $limit s: $*" >> "$BATS_TEST_TMPDIR/.timed-out"
	fi
	return $st
}

# parx under a time limit (timeout cannot run the shell function).
bparx() {
	bounded "$PARX" --mode="$PARX_MODE" "$@"
}

# on_tty [-i INPUT] ARGS...: bounded parx with stdin, stdout and stderr on
# a terminal (script's), INPUT typed at it (default: none, end of file);
# what the terminal showed is in tty, with its "\r\n" made "\n".  script
# runs its command with $SHELL, which may be dash: the command goes in a
# file that bash runs, since %q may write bash's $'..' quoting.
on_tty() {
	local input= rc=0
	if [ "${1:-}" = -i ]; then
		input=$2
		shift 2
	fi
	printf '%q ' "$PARX" --mode="$PARX_MODE" "$@" > tty.sh
	printf '%s' "$input" |
	    bounded script -q -e -c "bash tty.sh" /dev/null > tty.raw || rc=$?
	sed 's/\r$//' tty.raw > tty
	return $rc
}

# measuring_memory: call first in a test that measures parx's memory.
# AddressSanitizer holds freed memory in a quarantine, to catch uses after
# free, and fills its fake stacks (detect_stack_use_after_return) as calls
# go deeper; both would count as growth.  The test turns them off so that
# the figure is parx's own again.  ThreadSanitizer's shadow memory and
# event history grow with every access, and cannot be turned off: the test
# is skipped there.
measuring_memory() {
	if [ "${PARX_SANITIZER:-}" = tsan ]; then
		skip "ThreadSanitizer's own memory grows with the events it records"
	fi
	if [ "${PARX_SANITIZER:-}" = asan ]; then
		export ASAN_OPTIONS="${ASAN_OPTIONS:-}:quarantine_size_mb=0:thread_local_quarantine_size_kb=0:detect_stack_use_after_return=0"
	fi
}

# no_tsan_process_crash: skip a test whose function crashes in process
# mode (as --compare's runs do, whatever PARX_MODE says): ThreadSanitizer
# catches the worker's SIGSEGV before parx's own handler, reports it and
# exits 66, and the suite runs only thread mode under it.
no_tsan_process_crash() {
	if [ "${PARX_SANITIZER:-}" = tsan ]; then
		skip "ThreadSanitizer takes a process-mode worker's crash for its own report"
	fi
}

# lines TEXT...: the words as lines, for comparing with $output.
lines() {
	printf '%s\n' "$@"
}

# The one setup and teardown of every test.  A file that needs more
# defines setup_more (called last by setup; it may skip) or teardown_more
# (called last by teardown, after the processes below are killed), never
# setup or teardown themselves.
#
# setup: the test runs in its own directory $TMP; $S is its leftover
# marker, a sleep time no other process uses ("sleep $S" in a job, then
# no_processes_left "sleep $S"): of fixed width, so that no marker is the
# prefix of another, and made of this shell's pid, which no test running
# at the same time has, and the test's number.  $PARALLEL_HOME is the
# test's own, empty, and $PARALLEL unset: the config file and the $PARALLEL
# of whoever runs the suite must not change what parx does in it, and
# tests/profile.bats writes its own.
setup() {
	TMP="$BATS_TEST_TMPDIR"
	cd "$TMP" || return 1
	export PARALLEL_HOME="$TMP/.parallel"
	mkdir "$PARALLEL_HOME" || return 1
	unset PARALLEL
	printf -v S '1000.%07d%04d%05d' "$BASHPID" "$BATS_TEST_NUMBER" "$RANDOM"
	PID=
	if declare -F setup_more > /dev/null; then
		setup_more || return 1
	fi
}

# kill_tree PID: kill PID and, when it leads a process group, that group
# (never this shell's own group, nor anything but a pid above 1).
kill_tree() {
	local own
	case $1 in
	'' | *[!0-9]* | 0 | 1 | "$$" | "$BASHPID") return 0 ;;
	esac
	read -r _ _ _ _ own _ < /proc/"$BASHPID"/stat
	[ "$1" = "$own" ] || kill -KILL -- "-$1" 2> /dev/null
	kill -KILL "$1" 2> /dev/null
	return 0
}

# teardown: close fd 5 (a pipe a test may hold), kill parx ($PID) and
# every process whose pid a job wrote to $TMP/pids, $TMP/bgpid or
# $TMP/pid.*, with its process group; then teardown_more; then fail the
# test if a bounded command was stopped at its time limit.
teardown() {
	local p
	exec 5>&-
	if [ -n "${PID:-}" ]; then
		kill_tree "$PID"
	fi
	for p in $(cat "$TMP"/pids "$TMP"/bgpid "$TMP"/pid.* 2> /dev/null); do
		kill_tree "$p"
	done
	if declare -F teardown_more > /dev/null; then
		teardown_more
	fi
	if [ -n "${MOUNTED:-}" ]; then
		umount "$MOUNTED" 2>/dev/null
	fi
	if [ -e "$BATS_TEST_TMPDIR/.timed-out" ]; then
		cat "$BATS_TEST_TMPDIR/.timed-out"
		return 1
	fi
	return 0
}

# mount_tiny DIR SIZE: a small tmpfs at DIR (skips unless root can
# mount), unmounted by teardown.
mount_tiny() {
	[ "$(id -u)" = 0 ] || skip "mounting a tmpfs needs root"
	mkdir -p "$1"
	mount -t tmpfs -o "size=$2" tmpfs "$1" 2>/dev/null ||
	    skip "cannot mount a tmpfs"
	MOUNTED=$1
}

# wait_for FILE [SECONDS]: wait until FILE exists (a barrier another job
# creates), failing after SECONDS (default 20).
wait_for() {
	local f=$1 n=$(( ${2:-20} * 100 ))
	while [ ! -e "$f" ] && [ $n -gt 0 ]; do
		sleep 0.01
		n=$((n - 1))
	done
	[ -e "$f" ]
}

# no_processes_left TAG: no process whose command line contains TAG.
no_processes_left() {
	local tag=$1 left
	left=$(pgrep -f -- "$tag" || true)
	[ -z "$left" ] || { echo "left behind: $left"; ps -o pid,ppid,pgid,stat,args -p $left; return 1; }
}

# Helpers for tests that run parx in the background and watch processes.

# start_bg ARGS...: parx in the background (PID) with SIGINT at its
# default, as for a foreground command (a non-interactive shell starts
# background commands with SIGINT ignored), bats' fd 3 closed (with
# CLEAN=1 every fd above 2), stdin from $IN (default /dev/null), stdout
# to $OUT (default out), stderr to $ERR (default err), and killed by an
# alarm after 60 s.
start_bg() {
	perl -e 'use POSIX (); $SIG{INT} = $SIG{QUIT} = "DEFAULT"; alarm 60;
	    if ($ENV{CLEAN}) { POSIX::close($_) for 3 .. 1023 }
	    exec @ARGV or die "exec: $!\n"' \
	    "$PARX" --mode="$PARX_MODE" "$@" < "${IN:-/dev/null}" > "${OUT:-out}" \
	    2> "${ERR:-err}" 3>&- &
	PID=$!
}

# alive PID: PID exists and is not a zombie.
alive() {
	local st
	st=$(ps -o stat= -p "$1") || return 1
	[ "${st#Z}" = "$st" ]
}

# wait_exit [SECONDS]: wait until parx (PID) exits, at most SECONDS
# (default 20); set STATUS.  Fails if parx is still running.
wait_exit() {
	local n=$(( ${1:-20} * 100 ))
	while alive "$PID" && [ $n -gt 0 ]; do sleep 0.01; n=$((n - 1)); done
	if alive "$PID"; then
		echo "parx still running after ${1:-20} s"
		return 1
	fi
	STATUS=0
	wait "$PID" || STATUS=$?
	PID=
}

# wait_lines FILE N: wait (at most 20 s) until FILE has N lines or more.
wait_lines() {
	local n=2000
	while [ "$(cat "$1" 2>/dev/null | wc -l)" -lt "$2" ] && [ $n -gt 0 ]; do
		sleep 0.01; n=$((n - 1))
	done
	[ "$(wc -l < "$1")" -ge "$2" ]
}

# all_gone FILE: every pid in FILE has died, within 5 s (gone, or a zombie
# of init: orphans are reparented to init, which reaps them in its time).
all_gone() {
	local n=500 p left
	while [ $n -gt 0 ]; do
		left=
		for p in $(cat "$1"); do
			alive "$p" && left="$left $p"
		done
		[ -z "$left" ] && return 0
		sleep 0.01; n=$((n - 1))
	done
	echo "still running:$left"
	ps -o pid,ppid,pgid,stat,args -p ${left# }
	return 1
}

# make_ignorer: ./ignorer ARGS, a perl that ignores SIGTERM and logs each
# one to terms, writes its pid to pids, touches ready and sleeps (at most
# 60 s: an alarm ends it).  Run by a job's shell, not exec'd ("./ignorer;
# true"), it stays in the job's process group when the shell dies of the
# first SIGTERM.
make_ignorer() {
	cat > ignorer <<'END'
#!/usr/bin/perl
alarm 60;
$SIG{TERM} = sub { open(my $f, ">>", "terms"); print $f "TERM\n"; close $f };
open(my $f, ">>", "pids") or die; print $f "$$\n"; close $f;
open($f, ">", "ready") or die; close $f;
sleep 1 while 1;
END
	chmod +x ignorer
}

# need_plugin: skip unless $PARX_PLUGIN names the example plugin.
need_plugin() {
	[ -n "${PARX_PLUGIN:-}" ] ||
	    skip "PARX_PLUGIN is not set (the example plugin: make examples; PARX_PLUGIN=\$PWD/build/examples/plugin.so)"
	[ -f "$PARX_PLUGIN" ] || {
		echo "PARX_PLUGIN=$PARX_PLUGIN: no such file"
		return 1
	}
}

# make_bad_shell: ./badsh, an executable file that is no program, for jobs
# that are never run: the shell exists (parx checks that at start, as GNU
# parallel does), but starting it fails with ENOEXEC (exit 126).
make_bad_shell() {
	printf '\177ELF, but not a program' > badsh
	chmod +x badsh
}

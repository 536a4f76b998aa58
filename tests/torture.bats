#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
#
# torture: the hostile cases, harsher than signals.bats, output.bats and
# jobs.bats.  Every parx runs under a time limit: bparx and bounded in the
# foreground, and in the background an alarm set before exec (an interval
# timer survives exec, so a parx that hangs dies of SIGALRM).
#
# Hostile arguments never run; INT, TERM, HUP, a closed stdout and SIGKILL
# leave no job, grandchild or worker behind; 100 MB of output arrives
# byte-exact and in whole blocks; descriptors stay constant over 2000 jobs;
# one-megabyte lines, NUL bytes, daemons holding stdout, jobs reading stdin.

load helpers

# children PID: the pids whose parent is PID (the workers, in process mode).
children() {
	ps -o pid= --ppid "$1" | tr -d ' '
}

# A job whose tree is three processes deep, the deepest ones sleeping.
tree_job() {
	echo "echo \$\$ >> pids; sh -c 'sleep $S & echo \$! >> pids;" \
	    "sh -c \"sleep $S & echo \\\$! >> pids; wait\" & wait'"
}

# Hostile arguments: none is ever executed

# The corpus: shell syntax, quotes, expansions, globs, leading dashes,
# newlines, every control byte, a 50 KB word, replacement strings.
hostile_corpus() {
	printf '%s\0' \
	    '$(touch pwned1)' '`touch pwned2`' '; touch pwned3' \
	    '| touch pwned4' '& touch pwned5 &' '> pwned6' '< /etc/passwd' \
	    "'; touch pwned7; '" '"; touch pwned8; "' '\' "'" '"' '\\' \
	    '${IFS}touch${IFS}pwned9' '$((1+1))' '$HOME' '*' '?' '[a-z]*' \
	    '~' '~root' '-n' '-e' '--' '-' '--help' '!' '!!' '#' '{}' '{.}' \
	    '{1}' ':::' '::::' '%s%n%s' "$(printf 'a\nb\n; touch pwned10')" \
	    "$(printf '\t \t')" ' leading and trailing ' '' \
	    "$(printf 'x\1\2\3\4\5\6\7\10\11\13\14\15\16\17\20\21\22\23\24')" \
	    "$(printf 'x\25\26\27\30\31\32\33\34\35\36\37\177\200\377')" \
	    "$(head -c 51200 /dev/zero | tr '\0' '$')" \
	    "$(printf '$(touch pwned11)%.0s' $(seq 2000))"
}

@test "hostile arguments from -0 input reach the job byte for byte, none runs" {
	hostile_corpus > corpus
	for opt in --group -k --line-buffer -u; do
		bparx -0 -j1 $opt "printf '%s\0'" > out < corpus
		cmp out corpus
	done
	# inside a longer shell command, and through {/} {.}
	bparx -0 -k 'printf "%s\0" {}' > out < corpus
	cmp out corpus
	bparx -0 -k 'printf "<%s>\0" {/} {.}' > out < corpus
	[ "$(tr -cd '\0' < out | wc -c)" -eq $(( 2 * $(tr -cd '\0' < corpus | wc -c) )) ]
	! ls pwned* 2>/dev/null
}

@test "hostile arguments after ::: and in -a files, with -q too, none runs" {
	hostile_corpus > corpus
	# ::: and :::: after ::: are separators, as they should be
	mapfile -d '' all < corpus
	words=()
	for w in "${all[@]}"; do
		case $w in :::|::::) ;; *) words+=("$w") ;; esac
	done
	printf '%s\0' "${words[@]}" > want
	bparx -k "printf '%s\0'" ::: "${words[@]}" > out
	cmp out want
	# -q: the format is quoted too, and printf itself reads its \0
	bparx -k -a corpus -0 -q printf '%s\0' > out
	cmp out corpus
	bparx -k --tag -0 -a corpus 'printf x' > /dev/null
	! ls pwned* 2>/dev/null
}

@test "hostile arguments: --dry-run prints each command ready to paste into sh" {
	hostile_corpus > corpus
	bparx -0 -k --dry-run "printf '%s\0'" < corpus > cmds
	sh cmds > out
	cmp out corpus
	! ls pwned* 2>/dev/null
}

# Signals: nothing is left behind

signal_leaves_nothing() {
	local sig=$1 want=$2 workers
	start_bg -j4 "$(tree_job)" ::: $(seq 12)
	wait_lines pids 12
	workers=$(children "$PID")
	kill -"$sig" "$PID"
	# a second signal while the kill sequence runs changes nothing
	kill -"$sig" "$PID" 2>/dev/null || true
	wait_exit 10
	[ "$STATUS" -eq "$want" ]
	all_gone pids
	echo "$workers" > workers
	all_gone workers
	no_processes_left "sleep $S"
}

@test "SIGINT twice: every job, grandchild and worker is gone, exit 255" {
	signal_leaves_nothing INT 255
}

@test "SIGTERM twice: every job, grandchild and worker is gone, exit 255" {
	signal_leaves_nothing TERM 255
}

@test "SIGINT right after start, with 500 jobs queued: nothing left" {
	start_bg -j64 "echo \$\$ >> pids; sleep $S" ::: $(seq 500)
	wait_lines pids 1
	kill -INT "$PID"
	wait_exit 10
	[ "$STATUS" -eq 255 ]
	all_gone pids
	no_processes_left "sleep $S"
	[ "$(wc -l < pids)" -le 64 ]
}

@test "SIGHUP: the running jobs finish, then no worker or zombie is left" {
	start_bg -j4 "echo \$\$ >> pids; touch started{}; until [ -e go ]; do sleep 0.01; done; echo {}" ::: $(seq 40)
	wait_lines pids 4
	echo "$(children "$PID")" > workers
	kill -HUP "$PID"
	kill -HUP "$PID"
	touch go
	wait_exit 20
	[ "$STATUS" -eq 0 ]
	[ "$(wc -l < out)" -eq 4 ]
	[ "$(ls started* | wc -l)" -eq 4 ]
	all_gone workers
}

@test "a closed stdout with jobs still writing: parx ends and leaves no job" {
	# each job writes 64 KB at a time until its pipe breaks, up to 20 MB
	( st=0; perl -e 'alarm 60; exec @ARGV' "$PARX" --mode="$PARX_MODE" -j4 \
	    "echo \$\$ >> pids; head -c 20000000 /dev/zero" ::: $(seq 50) \
	    3>&- 2> err || st=$?; echo $st > status ) | head -c 100 > /dev/null
	[ "$(cat status)" -ne 0 ]
	[ "$(cat status)" -ne 142 ] # not the alarm
	all_gone pids
}

@test "parx killed with SIGKILL: its running jobs finish, nothing new starts" {
	start_bg -j3 "touch started{}; until [ -e go ]; do sleep 0.01; done; echo {} > done{}" ::: $(seq 9)
	wait_for started1; wait_for started2; wait_for started3
	echo "$(children "$PID")" > workers
	kill -KILL "$PID"
	wait_exit 5
	[ "$STATUS" -eq 137 ]
	touch go
	wait_for done1; wait_for done2; wait_for done3
	[ "$(cat done1 done2 done3 | sort | tr '\n' ' ')" = "1 2 3 " ]
	[ "$(ls started* | wc -l)" -eq 3 ]
	# the workers of process mode leave once their job is done
	all_gone workers
}

# Workers that die or stop (process mode: a worker is a process)

only_process() {
	[ "$PARX_MODE" = process ] ||
	    skip "process mode only: thread mode has no worker process"
}

# ATTEMPT_JOB: counts its attempts, creates startedN for attempt N, waits
# for go, then appends a side effect to effects.
ATTEMPT_JOB='echo $$ >> pids; echo x >> attempts; touch started$(wc -l < attempts); until [ -e go ]; do sleep 0.01; done; echo side >> effects; echo done'

@test "process mode: a worker killed with SIGKILL takes its job down; --retries runs it once more, once" {
	only_process
	start_bg -j1 --retries 3 --joblog log "$ATTEMPT_JOB" ::: 1
	wait_for started1
	w=$(children "$PID")
	[ -n "$w" ]
	kill -KILL $w
	wait_for started2
	# the first attempt's process is gone before the second one starts
	head -n 1 pids > first
	all_gone first
	touch go
	wait_exit 20
	cat err
	[ "$STATUS" -eq 0 ]
	[ "$(cat effects)" = side ]
	[ "$(cat out)" = "done 1" ]
	grep -E "^parx: the worker process of job 1 died \(SIGKILL\)" err
	all_gone pids
}

@test "process mode: a worker killed with SIGKILL: its job's tree is killed, its output kept" {
	only_process
	start_bg -j1 "echo partial; $(tree_job)" ::: 1
	wait_lines pids 3
	w=$(children "$PID")
	kill -KILL $w
	wait_exit 20
	cat err
	[ "$STATUS" -eq 1 ]
	[ "$(cat out)" = partial ]
	[ "$(wc -l < err)" -eq 1 ]
	all_gone pids
	no_processes_left "sleep $S"
}

@test "process mode: parx killed with SIGKILL while a function runs: the worker dies too" {
	only_process
	need_plugin
	start_bg -j1 --func "$PARX_PLUGIN:stuck_on" 1 ::: 1
	wait_for 1
	children "$PID" > workers
	[ -s workers ]
	kill -KILL "$PID"
	wait_exit 5
	all_gone workers
}

@test "process mode: SIGINT with a stopped worker: exit 255 at once, worker and job gone" {
	only_process
	start_bg -j2 "echo \$\$ >> pids; touch started{}; sleep $S" ::: 1 2
	wait_for started1
	wait_for started2
	children "$PID" > workers
	kill -STOP $(head -n 1 workers)
	kill -INT "$PID"
	wait_exit 10
	[ "$STATUS" -eq 255 ]
	all_gone pids
	all_gone workers
	no_processes_left "sleep $S"
}

# Big output, slow readers, binary data

# block_job: job {} writes 2,000,000 bytes of lines "NNNN" (its number).
BLOCK_JOB='yes $(printf %04d {}) | head -c 2000000'

@test "50 jobs x 2 MB at -j8: 50 whole blocks, never interleaved" {
	BOUND=120 bparx -j8 "$BLOCK_JOB" ::: $(seq 50) | uniq -c > runs
	[ "$(wc -l < runs)" -eq 50 ]
	[ "$(awk '$1 != 400000' runs | wc -l)" -eq 0 ]
	[ "$(awk '{ print $2 + 0 }' runs | sort -n | tr '\n' ' ')" = "$(seq 50 | tr '\n' ' ')" ]
}

@test "50 jobs x 2 MB at -j8 with -k: byte-exact, in order" {
	for i in $(seq 50); do yes "$(printf %04d "$i")" | head -c 2000000; done > want
	BOUND=120 bparx -k -j8 "$BLOCK_JOB" ::: $(seq 50) > out
	cmp out want
}

@test "a reader that stops and starts: 16 jobs x 1 MB of random bytes, -k, byte-exact" {
	for i in $(seq 16); do head -c 1048576 /dev/urandom > "r$i"; done
	cat $(for i in $(seq 16); do echo "r$i"; done) > want
	bparx -k -j8 'cat r{}' ::: $(seq 16) |
	    perl -e 'while (sysread(STDIN, $b, 65536)) { print $b; select(undef, undef, undef, 0.005) }' > out
	cmp out want
}

@test "NUL bytes everywhere: in the input, the arguments and the output" {
	printf 'a\0b\0\0c\n\0' > bin
	for opt in --group -k --line-buffer; do
		bparx $opt -j4 'cat bin; printf "%s\0" {}' ::: 1 2 3 4 > out
		[ "$(wc -c < out)" -eq $(( 4 * (8 + 2) )) ]
		[ "$(grep -c -a -F "$(printf 'c')" out)" -eq 4 ]
	done
	bparx -k -j4 ': {}; head -c 100000 /dev/zero' ::: 1 2 3 > out
	cmp out <(head -c 300000 /dev/zero)
}

@test "a NUL byte in a line (no -0): the argument is kept whole, NUL as \\0, one warning" {
	local w='parx: warning: a NUL byte in the input was replaced with \0: an argument cannot hold one (use -0 for NUL-separated input)'
	printf 'a\0b\nc\n\0\0d\0\n' > in
	# what GNU parallel 20221122 gives the command: a\0b, c, \0\0d\0
	printf '<%s>\n' 'a\0b' c '\0\0d\0' > want
	bparx -k 'printf "<%s>\n" {}' < in > out 2> err
	cmp out want
	[ "$(cat err)" = "$w" ]
	bparx -k 'printf "<%s>\n" {}' :::: in > out 2> err
	cmp out want
	[ "$(cat err)" = "$w" ]
	bparx -k --func echo :::: in > out 2> err
	[ "$(cat out)" = "$(printf '%s\n' 'a\0b' c '\0\0d\0')" ]
	[ "$(cat err)" = "$w" ]
	bparx -X -j1 'printf "<%s>\n"' < in > out 2> err
	cmp out want
	[ "$(cat err)" = "$w" ]
	# -0: NUL is the delimiter, nothing to warn about
	printf 'a\nb\0c\0' | bparx -0 -k 'printf "<%s>\n" {}' > out 2> err
	[ "$(cat out)" = "$(printf '<a\nb>\n<c>')" ]
	[ ! -s err ]
}

# Descriptors

@test "2000 jobs at -j64: the jobs see 0 1 2, and parx's own set does not grow" {
	mkfifo in
	# opened for reading and writing, which does not wait for a reader
	exec 5<> in
	CLEAN=1 IN=in start_bg -j64 ': {}; echo $(ls /proc/self/fd)'
	seq 100 >&5
	wait_lines out 100
	before=$(ls /proc/"$PID"/fd | wc -l)
	seq 101 2000 >&5
	wait_lines out 2000
	after=$(ls /proc/"$PID"/fd | wc -l)
	exec 5>&-
	wait_exit 20
	[ "$STATUS" -eq 0 ]
	[ "$before" -eq "$after" ]
	[ "$(sort out | uniq -c | awk '{ $1 = $1; print }')" = "2000 0 1 2 3" ]
}

@test "ulimit -n 64 with -j16: 500 jobs of 96 KB each, -k, all output intact" {
	seq -w 00001 00500 > want
	( ulimit -n 64; BOUND=120 bparx -k -j16 'yes {} | head -n 16000' ::: $(cat want) ) > out 2> err
	[ "$(wc -l < out)" -eq $(( 500 * 16000 )) ]
	uniq out | cmp - want
}

@test "ulimit -n 64 with -j16 --line-buffer and -u: all jobs run" {
	for opt in --line-buffer -u; do
		( ulimit -n 64; bparx $opt -j16 'echo {}' ::: $(seq 1000) ) > out 2> err
		[ "$(sort -n out | tr '\n' ' ')" = "$(seq 1000 | tr '\n' ' ')" ]
	done
}

# Resource limits: processes

# as_nobody NPROC ARGS...: parx run by the user nobody under ulimit -u
# (the processes and threads nobody runs already, plus NPROC), stdout to
# out and stderr to err; STATUS.  Skipped unless root can switch users.
as_nobody() {
	local n=$1 have
	shift
	[ "$(id -u)" -eq 0 ] || skip "needs root to run parx as nobody"
	command -v setpriv >/dev/null || skip "needs setpriv"
	chmod 777 "$TMP"
	# LeakSanitizer stops the world at exit from a thread of its own,
	# which the limit refuses: it would abort with a fatal error of its
	# own, not parx's.  (Its report could not be written either.)
	if [ "${PARX_SANITIZER:-}" = asan ]; then
		export ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0"
	fi
	have=$(ps -L -u nobody --no-headers | wc -l)
	STATUS=0
	timeout -k 5 60 setpriv --reuid=nobody --regid=nogroup \
	    --clear-groups bash -c 'ulimit -u "$1"; shift; exec "$@"' \
	    as_nobody $((have + n)) "$PARX" --mode="$PARX_MODE" "$@" \
	    > out 2> err 3>&- || STATUS=$?
}

@test "ulimit -u low with -j20: all 40 jobs run once, fewer at a time, one warning" {
	# parx itself and room for about four slots (worker or thread + job)
	as_nobody 9 -j20 'echo {}; exec sleep 0.1' ::: $(seq 40)
	cat err
	[ "$STATUS" -eq 0 ]
	[ "$(sort -n out | tr '\n' ' ')" = "$(seq 40 | tr '\n' ' ')" ]
	[ "$(wc -l < err)" -eq 1 ]
	grep -Eqx 'parx: warning: cannot start more than [0-9]+ jobs? at once \(Resource temporarily unavailable\); running [0-9]+ at a time' err
}

@test "ulimit -u leaving room for no job: exit 255, one clear error, nothing runs" {
	as_nobody 1 -j4 'echo {}' ::: 1 2 3
	cat err
	[ "$STATUS" -eq 255 ]
	[ ! -s out ]
	grep -q '^parx: cannot start .*Resource temporarily unavailable$' err
}

@test "ulimit -u room for one process but no job: exit 255, one clear error" {
	if [ "${PARX_SANITIZER:-}" = tsan ]; then
		skip "ThreadSanitizer's own thread takes the one process left"
	fi
	as_nobody 2 -j4 'echo {}' ::: 1 2 3
	cat err
	[ "$STATUS" -eq 255 ]
	[ ! -s out ]
	# The jobs are tried at once: whichever is refused last is named.
	[ "$(grep -c '^parx: cannot start job [123]: Resource temporarily unavailable$' err)" -eq 1 ]
	[ "$(grep -c '^parx: cannot start' err)" -eq 1 ]
}

# Resource limits: memory

@test "out of memory (:::: /dev/zero under ulimit -v): one line, exit 255" {
	[ -z "${PARX_SANITIZER:-}" ] || skip "sanitizers reserve more address space than the limit"
	local st=0
	( ulimit -v 100000; ulimit -c 0
	  exec timeout -k 5 60 "$PARX" --mode="$PARX_MODE" echo :::: /dev/zero ) \
	    > out 2> err 3>&- || st=$?
	cat err
	[ "$st" -eq 255 ]
	[ "$(cat err)" = "parx: out of memory" ]
	[ ! -s out ]
}

@test "ulimit -v 8000 at -j4, 60 runs: never a SIGSEGV; all jobs run, or a clear 255" {
	[ -z "${PARX_SANITIZER:-}" ] || skip "sanitizers reserve more address space than the limit"
	local i st
	for i in $(seq 60); do
		st=0
		( ulimit -v 8000; ulimit -c 0
		  exec timeout -k 5 60 "$PARX" --mode="$PARX_MODE" -j4 \
		    /bin/echo {} ::: $(seq 20) ) > out 2> err 3>&- || st=$?
		# Memory may be too short even for one job: then say so.
		if [ "$st" -eq 255 ] &&
		    grep -q '^parx: cannot start job [0-9]*: Cannot allocate memory$' err; then
			continue
		fi
		if [ "$st" -ne 0 ]; then
			echo "run $i: status $st"
			cat err
			return 1
		fi
		[ "$(sort -n out | tr '\n' ' ')" = "$(seq 20 | tr '\n' ' ')" ]
	done
}

# Long lines

@test "a 1 MB input line reaches a --func job whole" {
	{ head -c 1000000 /dev/zero | tr '\0' a; echo; echo short; } > in
	bparx -k --func echo < in > out
	cmp out in
}

@test "a 1 MB input line too long for exec: exit 255 with one short message" {
	{ echo first; head -c 1000000 /dev/zero | tr '\0' a; echo; echo last; } > in
	run bparx -j1 -k echo < in
	[ "$status" -eq 255 ]
	echo "$output" | grep -qx first
	[ "$(echo "$output" | grep -c 'command line too long')" -eq 1 ]
	[ "${#output}" -lt 1000 ]
}

# Daemons and stdin

@test "jobs that daemonise holding stdout and stderr do not hold parx up" {
	for opt in --group -k --line-buffer -u; do
		# double fork and setsid: the daemon is no longer in the job's group
		bparx $opt -j2 "setsid sh -c 'sleep $S & echo \$! >> bgpid' & wait; echo done{}; echo err{} >&2" ::: 1 2 > out 2> err 3>&-
		[ "$(sort out | tr '\n' ' ')" = "done1 done2 " ]
		[ "$(sort err | tr '\n' ' ')" = "err1 err2 " ]
	done
	for p in $(cat bgpid); do kill "$p"; done
	rm bgpid
}

@test "300 jobs reading stdin to its end get nothing, and every input runs once" {
	seq 300 > in
	bparx -j8 'n=$(wc -c); echo {} $n' < in > out
	[ "$(awk '$2 != 0' out | wc -l)" -eq 0 ]
	[ "$(awk '{ print $1 }' out | sort -n | tr '\n' ' ')" = "$(seq 300 | tr '\n' ' ')" ]
}

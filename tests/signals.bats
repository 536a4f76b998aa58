#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
#
# signals: SIGINT/SIGTERM stop everything, SIGHUP drains, a closed stdout
# ends parx, jobs' stdin, process groups, background children.
#
# Jobs record their pids in files; leftover checks look at those pids and
# at a marker (a sleep time unique to the test) on the command lines.

load helpers

# bounded cannot run a shell function: bparx is "bounded parx", with the
# same --mode switch as the parx function.

# A job that starts a grandchild in the background and one in the
# foreground, all of them sleeping: records 3 pids, prints before sleeping.
tree_job() {
	echo "echo {} >> started; echo \$\$ >> pids; echo out{}; echo err{} >&2;" \
	    "sh -c 'sleep $S & echo \$! >> pids; echo \$\$ >> pids; sleep $S; wait'"
}

# SIGINT, SIGTERM

@test "SIGINT: parx exits 255, every job's tree is killed, no new job starts" {
	start_bg -j3 "$(tree_job)" ::: 1 2 3 4 5 6
	wait_lines pids 9
	kill -INT "$PID"
	wait_exit 5
	[ "$STATUS" -eq 255 ]
	all_gone pids
	no_processes_left "sleep $S"
	[ "$(sort started | tr '\n' ' ')" = "1 2 3 " ]
}

@test "SIGINT: the killed jobs' output is discarded" {
	start_bg -j3 "$(tree_job)" ::: 1 2 3 4 5 6
	wait_lines pids 9
	kill -INT "$PID"
	wait_exit 5
	[ ! -s out ]
	! grep -q '^err[0-9]' err
}

@test "SIGTERM: parx exits 255, every job's tree is killed, no new job starts" {
	start_bg -j3 "$(tree_job)" ::: 1 2 3 4 5 6
	wait_lines pids 9
	kill -TERM "$PID"
	wait_exit 5
	[ "$STATUS" -eq 255 ]
	all_gone pids
	no_processes_left "sleep $S"
	[ "$(sort started | tr '\n' ' ')" = "1 2 3 " ]
	[ ! -s out ]
	! grep -q '^err[0-9]' err
}

@test "SIGINT with -u and --line-buffer kills the trees too" {
	for opt in -u --line-buffer; do
		rm -f pids started
		start_bg $opt -j2 "$(tree_job)" ::: 1 2 3 4
		wait_lines pids 6
		kill -INT "$PID"
		wait_exit 5
		[ "$STATUS" -eq 255 ]
		all_gone pids
		[ "$(sort started | tr '\n' ' ')" = "1 2 " ]
	done
	no_processes_left "sleep $S"
}

@test "SIGTERM: finished jobs' output is kept, running ones' discarded" {
	start_bg -j2 "if [ {} = 1 ]; then echo done1; else echo \$\$ >> pids; echo out{}; exec sleep $S; fi" ::: 1 2
	wait_lines pids 1
	i=0; while [ ! -s out ] && [ $i -lt 1000 ]; do sleep 0.01; i=$((i+1)); done
	kill -TERM "$PID"
	wait_exit 5
	[ "$STATUS" -eq 255 ]
	[ "$(cat out)" = done1 ]
	all_gone pids
}

@test "a job that ignores TERM is killed at the end of the sequence" {
	start_bg -j2 "trap '' TERM; echo \$\$ >> pids; sh -c 'echo \$\$ >> pids; sleep $S'" ::: 1 2
	wait_lines pids 4
	kill -TERM "$PID"
	wait_exit 10
	[ "$STATUS" -eq 255 ]
	all_gone pids
	no_processes_left "sleep $S"
}

@test "--termseq sets the signals sent to the jobs" {
	# the job logs each signal; USR1 and USR2 do not end it, KILL does
	start_bg --termseq USR1,200,USR2,200,KILL,25 \
	    ": {}; trap 'echo USR1 >> sigs' USR1; trap 'echo USR2 >> sigs' USR2;
	     trap 'echo TERM >> sigs' TERM; trap 'echo INT >> sigs' INT;
	     echo \$\$ >> pids; while :; do sleep 0.05; done" ::: 1
	wait_lines pids 1
	kill -INT "$PID"
	wait_exit 10
	[ "$STATUS" -eq 255 ]
	all_gone pids
	[ "$(cat sigs | tr '\n' ' ')" = "USR1 USR2 " ]
}

@test "the default sequence sends TERM first" {
	start_bg ": {}; trap 'echo TERM >> sigs; exit 0' TERM; trap 'echo INT >> sigs; exit 0' INT;
	     echo \$\$ >> pids; while :; do sleep 0.05; done" ::: 1
	wait_lines pids 1
	kill -INT "$PID"
	wait_exit 10
	[ "$STATUS" -eq 255 ]
	all_gone pids
	[ "$(cat sigs)" = TERM ]
}

@test "an invalid --termseq is an error" {
	run bparx --termseq NOSUCHSIG,100 true ::: 1
	[ "$status" -eq 255 ]
	[ "$output" = "parx: invalid kill sequence 'NOSUCHSIG,100' for --termseq: expected signals and waits in milliseconds, alternating (TERM,200,TERM,100,KILL,25)" ]
}

@test "a --termseq wait is a plain number: no blank, no sign" {
	# regression: strtol let " 5", "+5" and "-0" through (fuzz_termseq)
	for seq in 'TERM, 5' 'TERM,+5' 'TERM,-0' 'TERM,5 ' 'TERM,' 'TERM,,KILL'; do
		run bparx --termseq "$seq" true ::: 1
		[ "$status" -eq 255 ] || { echo "accepted: '$seq'"; return 1; }
	done
	run bparx --termseq 'TERM,05,KILL' true ::: 1
	[ "$status" -eq 0 ]
}

@test "SIGINT: the kill sequence goes on for a group whose shell died" {
	make_ignorer
	start_bg "./ignorer $S {}; true" ::: 1
	wait_for ready
	kill -INT "$PID"
	wait_exit 5
	[ "$STATUS" -eq 255 ]
	[ "$(cat terms)" = "$(lines TERM TERM TERM)" ]
	all_gone pids
	no_processes_left "ignorer $S"
}

# Blocked outputs: a reader that holds the fifo open and never reads

# stuck_fifo: a fifo named fifo, held open for reading by a sleep that
# never reads (its pid in bgpid, for teardown).
stuck_fifo() {
	rm -f fifo
	mkfifo fifo
	sleep "$S" < fifo &
	echo $! >> bgpid
}

# fifo_full: wait (at most 20 s) until fifo is full: more than half of it
# taken (small writes leave the ends of pages unused), and nothing added
# for three tenths of a second.
fifo_full() {
	perl -e 'open(my $f, "+<", "fifo") or die "fifo: $!\n";
	    my $size = fcntl($f, 1032, 0) || 65536;	# F_GETPIPE_SZ
	    my ($last, $same) = (-1, 0);
	    for (1 .. 200) {
		my $n = pack("i", 0);
		ioctl($f, 0x541B, $n) or die "FIONREAD: $!\n";
		$n = unpack("i", $n);
		$same = $n == $last ? $same + 1 : 0;
		exit 0 if $same == 3 && $n > $size / 2;
		$last = $n;
		select(undef, undef, undef, 0.1);
	    }
	    print STDERR "fifo holds $last bytes of $size\n";
	    exit 1'
}

# interrupt_blocked SIG ARGS...: once parx (started with ARGS, behind
# stuck_fifo) has filled the fifo, SIG ends it within 3 s with 255, and
# every job that wrote its pid to pids is gone.
interrupt_blocked() {
	local sig=$1

	shift
	start_bg "$@"
	fifo_full
	kill -"$sig" "$PID"
	wait_exit 3
	[ "$STATUS" -eq 255 ]
	all_gone pids
	no_processes_left "yes $S"
}

@test "SIGINT ends parx at once while its stdout is blocked (grouped)" {
	stuck_fifo
	OUT=fifo interrupt_blocked INT 'echo $$ >> pids; seq 400000; : {}' ::: 1 2
}

@test "SIGINT ends parx at once while its stdout is blocked (-k)" {
	stuck_fifo
	OUT=fifo interrupt_blocked INT -k 'echo $$ >> pids; seq 400000; : {}' \
	    ::: 1 2
}

@test "SIGINT ends parx at once while its stdout is blocked (--line-buffer)" {
	stuck_fifo
	OUT=fifo interrupt_blocked INT --line-buffer \
	    "echo \$\$ >> pids; yes $S; : {}" ::: 1 2
}

@test "SIGINT ends parx at once while the jobs' stdout is blocked (-u)" {
	stuck_fifo
	OUT=fifo interrupt_blocked INT -u "echo \$\$ >> pids; yes $S; : {}" \
	    ::: 1 2
}

@test "SIGTERM ends parx at once while its stderr is blocked" {
	stuck_fifo
	ERR=fifo interrupt_blocked TERM 'echo $$ >> pids; seq 400000 >&2; : {}' \
	    ::: 1 2
}

@test "SIGTERM ends parx at once while --joblog - is blocked" {
	stuck_fifo
	OUT=fifo interrupt_blocked TERM --joblog - 'echo {} > /dev/null' \
	    ::: $(seq 5000)
}

@test "SIGINT ends parx at once while --joblog FIFO is blocked" {
	stuck_fifo
	interrupt_blocked INT --joblog fifo 'echo {}' ::: $(seq 5000)
	grep -q "joblog 'fifo'" err
}

@test "SIGTERM ends parx at once while --joblog +FIFO is blocked" {
	stuck_fifo
	interrupt_blocked TERM --joblog +fifo 'echo {}' ::: $(seq 5000)
}

# SIGHUP

# hup_delivered: wait until parx has taken the SIGHUP sent to it (it is
# no longer pending for the process).
hup_delivered() {
	local n=1000 pnd
	while [ $n -gt 0 ]; do
		pnd=$(awk '/^ShdPnd/ { print $2 }' /proc/$PID/status)
		[ $(( 0x$pnd & 1 )) -eq 0 ] && return 0
		sleep 0.01; n=$((n - 1))
	done
	return 1
}

@test "SIGHUP: no new job starts, the running ones finish, parx exits" {
	start_bg -j2 "echo {} >> started; i=0; while [ ! -e go ] && [ \$i -lt 2000 ]; do sleep 0.01; i=\$((i+1)); done; echo out{}" ::: 1 2 3 4 5
	wait_lines started 2
	kill -HUP "$PID"
	hup_delivered
	: > go
	wait_exit 10
	# all the jobs that ran succeeded (GNU parallel exits 0 here too)
	[ "$STATUS" -eq 0 ]
	[ "$(sort started | tr '\n' ' ')" = "1 2 " ]
	[ "$(sort out | tr '\n' ' ')" = "out1 out2 " ]
}

@test "SIGHUP with -k keeps the running jobs' output in order" {
	start_bg -k -j3 "echo {} >> started; i=0; while [ ! -e go.{} ] && [ \$i -lt 2000 ]; do sleep 0.01; i=\$((i+1)); done; echo out{}; : > go.\$(({} - 1))" ::: 1 2 3 4 5
	wait_lines started 3
	kill -HUP "$PID"
	hup_delivered
	: > go.3
	wait_exit 10
	[ "$STATUS" -eq 0 ]
	[ "$(sort started | tr '\n' ' ')" = "1 2 3 " ]
	[ "$(cat out | tr '\n' ' ')" = "out1 out2 out3 " ]
}

# Closed stdout

@test "stdout closed with endless input: parx ends promptly (grouped)" {
	run bounded bash -c 'set -o pipefail; yes | "$PARX" --mode="$PARX_MODE" echo | head -1' 3>&-
	[ "$status" -ne 124 ]
	[ "$status" -ne 137 ]
	[ "$output" = y ]
}

@test "stdout closed with endless input: parx ends promptly (-u)" {
	run bounded bash -c 'set -o pipefail; yes | "$PARX" --mode="$PARX_MODE" -u echo | head -1' 3>&-
	[ "$status" -ne 124 ]
	[ "$status" -ne 137 ]
	[ "$output" = y ]
}

@test "stdout closed with endless input: parx ends promptly (-k, --line-buffer)" {
	run bounded bash -c 'set -o pipefail; yes | "$PARX" --mode="$PARX_MODE" -k echo | head -1' 3>&-
	[ "$status" -ne 124 ]
	[ "$status" -ne 137 ]
	[ "$output" = y ]
	run bounded bash -c 'set -o pipefail; yes | "$PARX" --mode="$PARX_MODE" --lb echo | head -1' 3>&-
	[ "$status" -ne 124 ]
	[ "$status" -ne 137 ]
	[ "$output" = y ]
}

@test "stdout closed while jobs are being killed: nothing but the first line, 20 times" {
	# Signalling jobs while reading a worker's reports once clobbered
	# errno, and a live worker was taken for dead ("worker process for
	# job N died").
	local i
	for i in $(seq 20); do
		run bounded bash -c 'set -o pipefail; yes | "$PARX" --mode="$PARX_MODE" --lb echo | head -1' 3>&-
		[ "$output" = y ]
	done
}

@test "stdout closed: parx does not exit 0" {
	# the broken pipe is passed on: parx dies of SIGPIPE or fails
	run bounded bash -c 'yes | "$PARX" --mode="$PARX_MODE" echo | head -1 >/dev/null; echo "${PIPESTATUS[1]}"' 3>&-
	[ "$status" -eq 0 ]
	[ "$output" -ne 0 ] && [ "$output" -ne 124 ]
}

# Jobs' stdin

@test "a job's stdin is empty when parx's stdin is a pipe holding data" {
	# the fifo is held open for writing by this shell: a job reading
	# parx's stdin would get "data", then block
	mkfifo fifo
	exec 5<>fifo
	echo data >&5
	bparx -j2 'cat; echo {}' ::: 1 2 <&5 > out 3>&-
	status=$?
	exec 5>&-
	[ "$status" -eq 0 ]
	[ "$(sort out | tr '\n' ' ')" = "1 2 " ]
}

@test "a job's stdin is empty when the input comes from stdin" {
	printf 'a\nb\nc\n' | bparx -j1 'cat; echo {}' > out
	[ "$(cat out | tr '\n' ' ')" = "a b c " ]
}

@test "a job's stdin is empty when parx's stdin is a terminal" {
	# script gives parx a pty as stdin; nothing is typed into it, and
	# script's own stdin (a fifo this shell holds open) never ends
	mkfifo fifo
	exec 5<>fifo
	run bounded script -qec "'$PARX' --mode=$PARX_MODE -j2 'cat; echo x{}' ::: 1 2" /dev/null <&5 3>&-
	exec 5>&-
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | tr -d '\r' | sort | tr '\n' ' ')" = "x1 x2 " ]
}

# Process groups

@test "each job has its own process group" {
	bparx -j3 'read -r _ _ _ _ pg _ < /proc/$$/stat; echo $pg; : > s.{}; i=0; while [ "$(ls s.* | wc -l)" -lt 3 ] && [ $i -lt 2000 ]; do sleep 0.01; i=$((i+1)); done' ::: 1 2 3 > out 3>&-
	[ "$(wc -l < out)" -eq 3 ]
	[ "$(sort -u out | wc -l)" -eq 3 ]
	! grep -qx "$(ps -o pgid= -p $$ | tr -d ' ')" out
}

@test "kill 0 inside a job kills only that job" {
	# job 2 waits until jobs 1 and 3 run, then kills its group; 1 and 3
	# wait until job 2 is dead, then print.  setsid: if a job shared a
	# group with parx or with bats, the damage stays in the new session.
	run bounded setsid -w "$PARX" --mode="$PARX_MODE" -j3 "
		i=0
		if [ {} = 2 ]; then
			echo \$\$ > p2.tmp; mv p2.tmp p2
			while [ ! -e s.1 ] || [ ! -e s.3 ]; do sleep 0.01; i=\$((i+1)); [ \$i -lt 2000 ] || break; done
			kill 0; echo survived
		fi
		: > s.{}
		if [ {} = 1 ] || [ {} = 3 ]; then
			while [ ! -e p2 ] || kill -0 \$(cat p2) 2>/dev/null; do sleep 0.01; i=\$((i+1)); [ \$i -lt 2000 ] || break; done
		fi
		echo out{}" ::: 1 2 3 4 5 3>&-
	[ "$status" -eq 1 ]
	[ "$(echo "$output" | sort | tr '\n' ' ')" = "out1 out3 out4 out5 " ]
}

# Background children

@test "a job's background child holding stdout does not hold parx up" {
	for opt in --group -k --line-buffer -u; do
		# a file, not run: run would wait for the sleeps' end of the pipe
		bparx $opt -j2 "sleep $S & echo \$! >> bgpid; echo done{}" ::: 1 2 > out 3>&-
		[ "$(sort out | tr '\n' ' ')" = "done1 done2 " ]
		for p in $(cat bgpid); do kill "$p"; done
		rm bgpid
	done
}

# Zombies

@test "finished jobs are reaped while other jobs still run" {
	start_bg -j2 "if [ {} = 1 ]; then echo \$\$ >> pids; i=0; while [ ! -e go ] && [ \$i -lt 2000 ]; do sleep 0.01; i=\$((i+1)); done; fi; echo {}" ::: $(seq 1 20)
	wait_lines out 19
	# no zombie among parx's descendants (allow a moment for the last reap)
	n=500
	while [ $n -gt 0 ]; do
		z=$(ps -eo pid=,ppid=,stat= | awk -v root="$PID" '
		    { ppid[$1] = $2; st[$1] = $3 }
		    END { for (p in ppid) { q = p; while (q in ppid && q != root) q = ppid[q];
		          if (q == root && p != root && st[p] ~ /^Z/) print p } }')
		[ -z "$z" ] && break
		sleep 0.01; n=$((n - 1))
	done
	[ -z "$z" ]
	: > go
	wait_exit 10
	[ "$STATUS" -eq 0 ]
	[ "$(wc -l < out)" -eq 20 ]
}

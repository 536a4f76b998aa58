#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
#
# timeout: --timeout SECS and N% kill a job's process group with the kill
# sequence; the job counts as failed, with Exitval -1 in the job log.
#
# The jobs that must time out sleep for a time no other process uses (the
# leftover marker), so nothing here waits for a timeout to pass by itself
# except the timeouts under test, which are short.

bats_require_minimum_version 1.5.0

load helpers

@test "a job over its time is killed and fails; its output is kept" {
	run --separate-stderr bparx --timeout 0.3 "echo start {}; exec sleep $S" ::: 1
	[ "$status" -eq 1 ]
	[ "$output" = "start 1" ]
	[ "$stderr" = "parx: warning: this job was killed because it timed out: echo start 1; exec sleep $S" ]
	no_processes_left "sleep $S"
}

@test "the job log has Exitval -1 and the signal for a timed-out job" {
	run bparx -k --timeout 0.3 --joblog log "[ {} = slow ] && exec sleep $S; echo {}" ::: slow fast
	[ "$status" -eq 1 ]
	[ "$(tail -n +2 log | sort -n | cut -f 1,7,8 | tr '\t\n' ', ')" = "1,-1,15 2,0,0 " ]
}

@test "only the slow job times out; the others go on" {
	run --separate-stderr bparx -k -j2 --timeout 0.5 "[ {} = slow ] && exec sleep $S; echo {}" ::: slow a b c d
	[ "$status" -eq 1 ]
	[ "$output" = "$(lines a b c d)" ]
	no_processes_left "sleep $S"
}

@test "the whole process group is killed" {
	run bparx --timeout 0.3 "sh -c 'echo \$\$ >> pids; exec sleep $S' & echo \$\$ >> pids; sleep $S; wait" ::: 1
	[ "$status" -eq 1 ]
	all_gone pids
	no_processes_left "sleep $S"
}

@test "a job ignoring TERM gets the rest of the kill sequence" {
	run bparx --timeout 0.3 --joblog log ": {}; trap '' TERM; echo \$\$ >> pids; sh -c 'echo \$\$ >> pids; exec sleep $S'" ::: 1
	[ "$status" -eq 1 ]
	all_gone pids
	[ "$(tail -n +2 log | cut -f 7,8 | tr '\t' ,)" = "-1,9" ]
}

@test "the kill sequence goes on for the group after the job's shell died" {
	make_ignorer
	run bparx -u --timeout 0.3 "./ignorer $S {}; true" ::: 1
	[ "$status" -eq 1 ]
	[ "$(cat terms)" = "$(lines TERM TERM TERM)" ]
	all_gone pids
	no_processes_left "ignorer $S"
}

@test "--termseq sets the signals of a timeout" {
	run bparx --timeout 0.3 --termseq USR1,100,USR2,100,KILL ": {}; trap 'echo USR1 >> sigs' USR1;
	    trap 'echo USR2 >> sigs' USR2; trap 'echo TERM >> sigs' TERM;
	    echo \$\$ >> pids; while :; do sleep 0.05; done" ::: 1
	[ "$status" -eq 1 ]
	all_gone pids
	[ "$(tr '\n' ' ' < sigs)" = "USR1 USR2 " ]
}

@test "a timed-out job that exits 0 on TERM still fails" {
	run bparx --timeout 0.3 --joblog log ": {}; trap 'exit 0' TERM; while :; do sleep 0.05; done" ::: 1
	[ "$status" -eq 1 ]
	[ "$(tail -n +2 log | cut -f 7,8 | tr '\t' ,)" = "-1,0" ]
}

@test "jobs within their time are not touched" {
	run bparx -k --timeout 60 --joblog log 'echo {}' ::: a b c
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines a b c)" ]
	[ "$(tail -n +2 log | cut -f 7 | tr '\n' ' ')" = "0 0 0 " ]
}

@test "many jobs timing out at different times are all killed" {
	run bparx -j8 --timeout 0.2 "echo \$\$ >> pids; exec sleep $S" < <(seq 16)
	[ "$status" -eq 16 ]
	[ "$(wc -l < pids)" -eq 16 ]
	all_gone pids
	no_processes_left "sleep $S"
}

@test "--timeout N%: a percentage of the median run time of the successful jobs" {
	# five short jobs set the median; the slow one gets a small multiple.
	# They sleep so that starting a job is small beside its run time.
	run --separate-stderr bparx -k -j1 --timeout 300% "[ {} = slow ] && exec sleep $S; sleep 0.1; echo {}" ::: 1 2 3 4 5 slow
	[ "$status" -eq 1 ]
	[ "$output" = "$(lines 1 2 3 4 5)" ]
	[[ $stderr == "parx: warning: this job was killed because it timed out: "* ]]
	no_processes_left "sleep $S"
}

@test "--timeout N%: no limit before a job has succeeded" {
	run bparx -j1 --timeout 1% 'sleep 0.2; echo {}' ::: a
	[ "$status" -eq 0 ]
	[ "$output" = a ]
}

@test "--timeout with --retries: a timed-out attempt runs again" {
	run --separate-stderr bparx --timeout 0.3 --retries 2 ": {}; if [ -e tried ]; then echo second; else touch tried; exec sleep $S; fi" ::: 1
	[ "$status" -eq 0 ]
	[ "$output" = second ]
}

@test "--timeout with --halt now,fail=1: the status of a timed-out job is 255" {
	run --separate-stderr bparx --timeout 0.3 --halt now,fail=1 "exec sleep $S" ::: 1
	[ "$status" -eq 255 ]
}

@test "durations take the s, m, h and d units" {
	for d in 2 1.5 .5 10s 1m 1h 1d 1h30m 1m0.5s 2H 1M; do
		run bparx --timeout "$d" true ::: 1
		[ "$status" -eq 0 ] || { echo "refused: $d"; return 1; }
	done
}

@test "invalid --timeout values are errors" {
	for d in '' x 1x -1 1.5.5 0% 1m% 's' 1s2 '%' '1.'; do
		run bparx --timeout "$d" true ::: 1
		[ "$status" -eq 255 ] || { echo "accepted: $d"; return 1; }
		[ "$output" = "parx: invalid duration '$d' for --timeout: expected seconds (1.5, 2m, 1h30m...) or a percentage (200%)" ]
	done
}

# --func: a function cannot be killed; its time up means cancellation.

@test "--func: a function over its time is cancelled and fails" {
	run --separate-stderr bparx -j2 --func sleep --timeout 0.2 --joblog log ::: 0.01 1000
	[ "$status" -eq 1 ]
	if [ "$PARX_MODE" = thread ]; then
		# a thread cannot be killed: parx does not claim it was
		[ "$stderr" = "parx: warning: this job timed out and was asked to stop (a function in thread mode cannot be killed): sleep 1000" ]
	else
		[ "$stderr" = "parx: warning: this job was killed because it timed out: sleep 1000" ]
	fi
	[ "$(tail -n +2 log | sort -n | cut -f 1,7,9)" = "$(printf '1\t0\tsleep 0.01\n2\t-1\tsleep 1000')" ]
}

@test "--func: --timeout with --retries cancels every attempt" {
	run --separate-stderr bparx --func sleep --timeout 0.1 --retries 3 --joblog log ::: 1000
	[ "$status" -eq 1 ]
	[ "$(grep -c 'timed out.*: sleep 1000$' <<< "$stderr")" -eq 3 ]
	[ "$(tail -n +2 log | cut -f 1,7)" = "$(printf '1\t-1')" ]
}

@test "--func: a function's time does not run while it waits behind others" {
	# hundreds of tiny calls would let a worker queue many functions
	run bparx -j1 --func sleep --timeout 0.5 ::: $(yes 0.0001 | head -n 300) 0.2 0.2 0.2 0.2 0.2
	[ "$status" -eq 0 ]
}

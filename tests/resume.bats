#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
#
# resume: --resume, --resume-failed and --retry-failed read the job log
# back; a run killed with SIGKILL resumes with every job run at least once
# and none that the log has as finished run again.

bats_require_minimum_version 1.5.0

load helpers

HEADER=$(printf 'Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand')

# seqs FILE: the Seq of each record, sorted.
seqs() {
	tail -n +2 "$1" | cut -f 1 | sort -n | tr '\n' ' '
}

# record SEQ EXITVAL SIGNAL COMMAND: a job log line.
record() {
	printf '%s\t:\t1700000000.000\t     0.001\t0\t0\t%s\t%s\t%s\n' "$@"
}

@test "--resume runs only the jobs the log does not have, and appends" {
	run bparx -k --joblog log 'echo {}' ::: 1 2 3
	[ "$status" -eq 0 ]
	run bparx -k --resume --joblog log 'echo new{}' ::: 1 2 3 4 5
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines new4 new5)" ]
	[ "$(grep -c '^Seq' log)" -eq 1 ]
	[ "$(seqs log)" = "1 2 3 4 5 " ]
}

@test "--resume looks at Seq only: failed jobs are not run again" {
	{ echo "$HEADER"; record 1 1 0 'x'; record 3 0 9 'y'; } > log
	run bparx -k --resume --joblog log 'echo {}' ::: a b c d
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines b d)" ]
}

@test "--resume with a job log that does not exist runs everything" {
	run bparx -k --resume --joblog log 'echo {}' ::: a b
	[ "$output" = "$(lines a b)" ]
	[ "$(head -1 log)" = "$HEADER" ]
	[ "$(seqs log)" = "1 2 " ]
}

@test "--resume keeps -k order and PARALLEL_SEQ across the gaps" {
	{ echo "$HEADER"; record 2 0 0 'x'; record 4 0 0 'y'; } > log
	run bparx -k -j3 --resume --joblog log 'echo {} $PARALLEL_SEQ' ::: a b c d e
	[ "$output" = "$(lines 'a 1' 'c 3' 'e 5')" ]
}

@test "--resume-failed runs the failed jobs again and the ones not run" {
	{ echo "$HEADER"; record 1 0 0 'x'; record 2 1 0 'x'; record 3 0 15 'x'; } > log
	run bparx -k --resume-failed --joblog log 'echo {}' ::: a b c d
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines b c d)" ]
	[ "$(seqs log)" = "1 2 2 3 3 4 " ]
	# once they succeeded, nothing is left to do
	run bparx -k --resume-failed --joblog log 'echo {}' ::: a b c d
	[ "$output" = "" ]
}

@test "--retry-failed runs the failed commands of the log, ignoring the command line" {
	{ echo "$HEADER"; record 1 0 0 'echo one'; record 2 3 0 'echo two $PARALLEL_SEQ';
	  record 3 0 0 'echo three'; record 4 0 9 'echo four'; } > log
	run bparx -k --retry-failed --joblog log echo ignored ::: x y z
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 'two 2' four)" ]
	[ "$(seqs log)" = "1 2 2 3 4 4 " ]
}

@test "--retry-failed restores newlines in commands, with GNU parallel's warning" {
	{ echo "$HEADER"; printf '1\t:\t1.000\t 0.001\t0\t0\t1\t0\techo a\0echo b\n'; } > log
	run bparx --retry-failed --joblog log
	[ "$output" = "$(lines 'parx: warning: command lines contain newline' a b)" ]
	# A log parx wrote: a newline in a command is a NUL there, and every
	# failed job runs again, in order with -k.
	# GNU: parallel --joblog log 'echo a{}
	#      exit {}' ::: 0 1 2; parallel -k --retry-failed --joblog log
	# (parallel: Warning: Command lines contain newline. Forcing --null.)
	rm log
	run bparx -k --joblog log 'echo a{}
exit {}' ::: 0 1 2
	[ "$status" -eq 2 ]
	[ "$(tr '\0' '@' < log | cut -f 9 | sort | tr '\n' ' ')" = "Command echo a0@exit 0 echo a1@exit 1 echo a2@exit 2 " ]
	local st=0
	bparx -k --retry-failed --joblog log > out 2> err || st=$?
	[ "$st" -eq 2 ]
	[ "$(cat out)" = "$(lines a1 a2)" ]
	[ "$(cat err)" = "parx: warning: command lines contain newline" ]
	[ "$(seqs log)" = "1 2 2 3 3 " ]
	# No newline, no warning.
	{ echo "$HEADER"; record 1 1 0 'echo x'; } > log
	bparx --retry-failed --joblog log > out 2> err
	[ "$(cat out)" = x ]
	[ ! -s err ]
}

@test "--retry-failed does not read standard input or the sources" {
	{ echo "$HEADER"; record 1 1 0 'echo again'; } > log
	run bparx --retry-failed --joblog log cat :::: /nonexistent
	[ "$status" -eq 0 ]
	[ "$output" = again ]
}

@test "--resume needs --joblog or --results; --retry-failed needs --joblog" {
	run bparx --resume echo ::: a
	[ "$status" -eq 255 ]
	[ "${lines[0]}" = "parx: --resume and --resume-failed need --joblog or --results" ]
	run bparx --resume-failed echo ::: a
	[ "$status" -eq 255 ]
	run bparx --retry-failed --results out echo ::: a
	[ "$status" -eq 255 ]
	[ "${lines[0]}" = "parx: --retry-failed needs --joblog" ]
}

@test "a malformed job log stops --resume before any job" {
	{ echo "$HEADER"; record 1 0 0 'x'; echo 'not a record'; record 2 0 0 'y'; } > log
	run bparx --resume --joblog log 'touch ran{}' ::: a b c
	[ "$status" -eq 255 ]
	[ "$output" = "parx: cannot resume from 'log': line 3 is not a job log line" ]
	[ ! -e rana ] && [ ! -e ranc ]
}

@test "a last record cut short is ignored and the next one starts a new line" {
	{ echo "$HEADER"; record 1 0 0 'x'; printf '2\t:\t17000'; } > log
	run bparx -k --resume --joblog log 'echo {}' ::: a b
	[ "$output" = b ]
	[ "$(sed -n 3p log)" = "$(printf '2\t:\t17000')" ]
	[[ $(sed -n 4p log) == 2$'\t:\t'* ]]
	run "$PARX_TEST_TOOL" joblog log
	[ "$status" -eq 1 ]	# the cut line is in the middle now
}

# kill -9 and --resume

@test "parx killed with SIGKILL: --resume runs each job that did not finish, once" {
	# Jobs 1 and 2 finish; 3 and 4 hang until parx is gone; 5 and 6
	# never start.
	perl -e 'exec @ARGV' "$PARX" --mode="$PARX_MODE" -j2 --joblog log \
	    "echo {} >> ran; if [ {} -ge 3 ]; then echo \$\$ >> pids; exec sleep $S; fi" \
	    ::: 1 2 3 4 5 6 > out 2> err 3>&- &
	PID=$!
	wait_lines pids 2
	[ "$(seqs log)" = "1 2 " ]
	kill -KILL "$PID"
	wait "$PID" || true
	PID=
	# its jobs are still running: SIGKILL is not passed on
	for p in $(cat pids); do kill -0 "$p"; done
	for p in $(cat pids); do kill -KILL "$p"; done

	run bparx -j2 --resume --joblog log 'echo {} >> ran2' ::: 1 2 3 4 5 6
	[ "$status" -eq 0 ]
	[ "$(sort -n ran | tr '\n' ' ')" = "1 2 3 4 " ]
	[ "$(sort -n ran2 | tr '\n' ' ')" = "3 4 5 6 " ]
	[ "$(seqs log)" = "1 2 3 4 5 6 " ]
	[ "$(grep -c '^Seq' log)" -eq 1 ]
}

@test "parx killed with SIGKILL while -k held output: those jobs run again" {
	# With -k a record is written once the job's output is: job 2 ends
	# first but waits for job 1, so the log has nothing when parx dies.
	perl -e 'exec @ARGV' "$PARX" --mode="$PARX_MODE" -k -j2 --joblog log \
	    "echo {} >> ran; if [ {} = 1 ]; then echo \$\$ >> pids; exec sleep $S; fi; echo out{}" \
	    ::: 1 2 3 > out 2> err 3>&- &
	PID=$!
	wait_for pids
	wait_lines ran 3
	kill -KILL "$PID"
	wait "$PID" || true
	PID=
	for p in $(cat pids); do kill -KILL "$p"; done
	[ "$(seqs log)" = "" ]
	[ ! -s out ]
	run bparx -k --resume --joblog log 'echo {}' ::: 1 2 3
	[ "$output" = "$(lines 1 2 3)" ]
}

@test "--resume with --func: the functions logged as done do not run again" {
	bparx -k --func echo --joblog log ::: a b
	run bparx -k --func echo --joblog log --resume ::: a b c
	[ "$status" -eq 0 ]
	[ "$output" = c ]
	[ "$(tail -n +2 log | cut -f 1 | sort -n | tr '\n' ' ')" = "1 2 3 " ]
}

@test "--retry-failed with --func calls the function again with the logged words" {
	printf '%s\0' a 'b c' "d'e" $'p\nq' '' '-n' > in
	bparx -0 -k --func echo --joblog log -a in
	# Mark all but the first as failed, as a failing function would.
	awk -F '\t' 'BEGIN { OFS = "\t" } NR > 2 { $7 = 1 } { print }' log > old
	mv old log
	run bparx -k --retry-failed --joblog log --func echo ignored ::: x
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 'b c' "d'e" p q '' -n)" ]
	[ "$(seqs log)" = "1 2 2 3 3 4 4 5 5 6 6 " ]
	# Now nothing has failed: nothing runs.
	run bparx --retry-failed --joblog log --func echo
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
}

@test "--retry-failed with --func refuses a log of other calls, running nothing" {
	{ echo "$HEADER"; record 1 1 0 'echo fine'; record 2 1 0 'sleep 1'; } > log
	run bparx --retry-failed --joblog log --func echo
	[ "$status" -eq 255 ]
	[ "$output" = "parx: --retry-failed: job 2 in the old log is not a call of --func echo (it names another function): 'sleep 1'" ]
	{ echo "$HEADER"; record 1 1 0 'echo $(touch pwned)'; } > log
	run bparx --retry-failed --joblog log --func echo
	[ "$status" -eq 255 ]
	[ "$output" = "parx: --retry-failed: job 1 in the old log is not a call of --func echo (an unquoted byte the shell would act on): 'echo \$(touch pwned)'" ]
	[ ! -e pwned ]
	[ "$(wc -l < log)" -eq 2 ]
}

@test "--results + --resume: a job killed mid-run is run again, a finished one is not" {
	# Jobs 1 and 2 finish; 3 and 4 have written to their stdout files and
	# hang until parx is gone; 5 and 6 never start.
	perl -e 'exec @ARGV' "$PARX" --mode="$PARX_MODE" -j2 --results res \
	    "echo {} >> ran; echo out{}; if [ {} -ge 3 ]; then echo \$\$ >> pids; exec sleep $S; fi" \
	    ::: 1 2 3 4 5 6 > out 2> err 3>&- &
	PID=$!
	wait_lines pids 2
	wait_for res/1/1/seq
	wait_for res/1/2/seq
	[ -s res/1/3/stdout ]
	[ -s res/1/4/stdout ]
	[ ! -e res/1/3/seq ]
	kill -KILL "$PID"
	wait "$PID" || true
	PID=
	for p in $(cat pids); do kill -KILL "$p"; done

	run bparx -j2 --resume --results res 'echo {} >> ran2; echo again{}' \
	    ::: 1 2 3 4 5 6
	[ "$status" -eq 0 ]
	[ "$(sort -n ran2 | tr '\n' ' ')" = "3 4 5 6 " ]
	[ "$(cat res/1/1/stdout)" = out1 ]
	[ "$(cat res/1/3/stdout)" = again3 ]
	[ "$(cat res/1/3/seq)" = 3 ]
	[ "$(cat res/1/6/seq)" = 6 ]
}

#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
#
# halt: --halt now|soon,fail|success|done=N|N% and the short forms; which
# jobs still start, which are killed, and the exit status, as GNU
# parallel 20221122 has them.

bats_require_minimum_version 1.5.0

load helpers

# halt_run SPEC: -j1 over the exit codes 0 3 0 4 0 0 5 (each job echoes
# its code first), as compared with GNU parallel.
halt_run() {
	run --separate-stderr bparx -j1 --halt "$1" 'echo {}; exit {}' ::: 0 3 0 4 0 0 5
	out=$(echo "$output" | tr '\n' ' ')
}

# Counts and the exit status, job by job

@test "now,fail=1: stop at the first failure with its exit status" {
	run bparx -j1 --halt now,fail=1 'echo {}; exit {}' ::: 0 3 0 4
	[ "$status" -eq 3 ]
	[ "$output" = "$(lines 0 3 'parx: this job failed: echo 3; exit 3')" ]
}

@test "soon,fail=1 and the short forms 1 and 2" {
	for spec in soon,fail=1 1 2; do
		run bparx -j1 --halt $spec 'echo {}; exit {}' ::: 0 3 0 4
		[ "$status" -eq 3 ]
		[ "$output" = "$(lines 0 3 'parx: this job failed: echo 3; exit 3')" ]
	done
}

@test "--halt-on-error is --halt" {
	run bparx -j1 --halt-on-error 2 'exit {}' ::: 0 5 0
	[ "$status" -eq 5 ]
}

@test "fail=N: the status is the number of failed jobs" {
	run --separate-stderr bparx -j1 --halt now,fail=2 'echo {}; exit {}' ::: 0 3 0 4 0 0 5
	[ "$status" -eq 2 ]
	[ "$output" = "$(lines 0 3 0 4)" ]
	[ "$stderr" = "$(lines 'parx: this job failed: echo 3; exit 3' 'parx: this job failed: echo 4; exit 4')" ]
}

@test "fail=N%: of all the jobs; the status is the percentage that failed" {
	halt_run soon,fail=30%
	[ "$status" -eq 43 ]	# ceil(3 / 7 * 100): 30% is met by the last
	halt_run 30%
	[ "$status" -eq 43 ]
	halt_run now,fail=20%
	[ "$status" -eq 29 ]	# 2 of 7 >= 20%
	[ "$out" = "0 3 0 4 " ]
}

@test "N% counts the jobs of the whole input, which parx reads first" {
	# 10 jobs, 1 failure is 10%: met at the first failure, not before
	run bparx -j1 --halt now,fail=10% 'echo {}; [ {} != 5 ]' < <(seq 10)
	[ "$status" -eq 10 ]
	[ "$(echo "$output" | grep -v '^parx:' | tr '\n' ' ')" = "1 2 3 4 5 " ]
}

@test "success=N and success=N%: status 0" {
	halt_run now,success=1
	[ "$status" -eq 0 ]
	[ "$output" = 0 ]
	[ "$stderr" = 'parx: this job succeeded: echo 0; exit 0' ]
	halt_run soon,success=2
	[ "$status" -eq 0 ]
	[ "$out" = "0 3 0 " ]
	halt_run -1
	[ "$status" -eq 0 ]
	[ "$out" = "0 " ]
	halt_run -2
	[ "$status" -eq 0 ]
	[ "$out" = "0 " ]
	halt_run now,success=50%
	[ "$status" -eq 0 ]
	[ "$out" = "0 3 0 4 0 0 " ]
}

@test "done=N and done=N%: every job counts; status is the failed ones" {
	halt_run now,done=2
	[ "$status" -eq 1 ]
	[ "$out" = "0 3 " ]
	[ "$stderr" = "$(lines 'parx: this job finished: echo 0; exit 0' 'parx: this job finished: echo 3; exit 3')" ]
	halt_run soon,done=50%
	[ "$status" -eq 29 ]
	[ "$out" = "0 3 0 4 " ]
}

@test "done=1: the status of the job that finished" {
	run bparx -j1 --halt now,done=1 'exit {}' ::: 6 0
	[ "$status" -eq 6 ]
	run bparx -j1 --halt now,done=1 'exit {}' ::: 0 6
	[ "$status" -eq 0 ]
}

@test "a condition never met: the usual count, or the percentage with N%" {
	run bparx -j1 --halt soon,fail=5 'exit {}' ::: 0 1 2 0
	[ "$status" -eq 2 ]
	run bparx -j1 --halt soon,fail=90% 'exit {}' ::: 0 1 2 0
	[ "$status" -eq 50 ]
	run bparx -j1 --halt 0 'exit {}' ::: 0 1 2 0
	[ "$status" -eq 2 ]
	run bparx -j1 --halt never 'exit {}' ::: 0 1
	[ "$status" -eq 1 ]
}

@test "fail=1: a job killed by signal N gives 128 + N" {
	run bparx -j1 --halt now,fail=1 'kill -{} $$' ::: TERM
	[ "$status" -eq 143 ]
	run bparx -j1 --halt soon,fail=1 'kill -{} $$' ::: USR1
	[ "$status" -eq 138 ]
}

@test "fail=1: a command not found gives 127" {
	run -127 bparx -j1 --halt now,fail=1 nosuchcommand-parx-{} ::: 1 2
	[ "$(echo "$output" | grep -c 'command not found')" -eq 1 ]
}

# Which jobs run

@test "now,fail=1: no job starts after the failure; running ones are killed, their output dropped" {
	# w1 and w2 hang; f fails once both run; x1.. must never start
	run --separate-stderr bparx -j3 --halt now,fail=1 "echo {} >> started;
	    case {} in
	    w*) echo out{}; echo \$\$ >> pids; exec sleep $S;;
	    f) until [ \"\$(cat pids 2>/dev/null | wc -l)\" -ge 2 ]; do sleep 0.01; done
	       echo outf; exit 7;;
	    esac" ::: w1 w2 f x1 x2 x3
	[ "$status" -eq 7 ]
	[ "$(sort started | tr '\n' ' ')" = "f w1 w2 " ]
	all_gone pids
	no_processes_left "sleep $S"
	# only the failed job's output: the killed ones' is discarded
	[ "$output" = outf ]
	[[ $stderr == "parx: this job failed: "* ]]
}

@test "soon,fail=1: no job starts after the failure; running ones finish and keep their output" {
	# w1 and w2 wait until f is in the job log, i.e. until parx has
	# counted it
	run --separate-stderr bparx -j3 --joblog log --halt soon,fail=1 "echo {} >> started;
	    case {} in
	    w*) until grep -q 'exit 7' log; do sleep 0.01; done; echo out{};;
	    f) exit 7;;
	    esac" ::: w1 w2 f x1 x2 x3
	[ "$status" -eq 7 ]
	[ "$(sort started | tr '\n' ' ')" = "f w1 w2 " ]
	[ "$(echo "$output" | sort | tr '\n' ' ')" = "outw1 outw2 " ]
	[ "$stderr" = "$(lines \
	    "parx: this job failed: echo f >> started;
	    case f in
	    w*) until grep -q 'exit 7' log; do sleep 0.01; done; echo outf;;
	    f) exit 7;;
	    esac" 'parx: starting no more jobs, waiting for 2 jobs to finish')" ]
	[ "$(tail -n +2 log | wc -l)" -eq 3 ]
}

@test "now: the killed jobs are not in the job log" {
	run bparx -j2 --joblog log --halt now,fail=1 "case {} in
	    w) echo \$\$ >> pids; exec sleep $S;;
	    f) until [ -s pids ]; do sleep 0.01; done; exit 1;;
	    esac" ::: w f
	[ "$status" -eq 1 ]
	all_gone pids
	[ "$(tail -n +2 log | cut -f 1)" = 2 ]
}

@test "now,success=1 kills the others once one succeeds" {
	run --separate-stderr bparx -j3 --halt now,success=1 "case {} in
	    w*) echo \$\$ >> pids; exec sleep $S;;
	    ok) until [ \"\$(cat pids 2>/dev/null | wc -l)\" -ge 2 ]; do sleep 0.01; done; echo fine;;
	    esac" ::: w1 w2 ok later
	[ "$status" -eq 0 ]
	all_gone pids
	[ "$output" = fine ]
}

@test "now kills with --termseq" {
	run bparx -j2 --termseq USR1,100,KILL --halt now,fail=1 "case {} in
	    w) trap 'echo USR1 >> sigs' USR1; echo \$\$ >> pids; while :; do sleep 0.05; done;;
	    f) until [ -s pids ]; do sleep 0.01; done; exit 1;;
	    esac" ::: w f
	[ "$status" -eq 1 ]
	all_gone pids
	[ "$(cat sigs)" = USR1 ]
}

@test "now: the kill sequence goes on for a group whose shell died" {
	make_ignorer
	run bparx -j2 --halt now,fail=1 "case {} in
	    w) ./ignorer $S; true;;
	    f) until [ -e ready ]; do sleep 0.01; done; exit 1;;
	    esac" ::: w f
	[ "$status" -eq 1 ]
	[ "$(cat terms)" = "$(lines TERM TERM TERM)" ]
	all_gone pids
	no_processes_left "ignorer $S"
}

@test "a failed attempt that --retries runs again does not count" {
	run bparx -j1 --retries 2 --halt now,fail=1 '[ -e seen{} ] || { touch seen{}; exit 1; }; echo {}' ::: a b
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines a b)" ]
}

@test "with -k the output of the jobs before the halt is written in order" {
	run bparx -k -j1 --halt soon,fail=1 'echo {}; exit {}' ::: 0 0 2 0
	[ "$status" -eq 2 ]
	[ "$(echo "$output" | grep -v '^parx:')" = "$(lines 0 0 2)" ]
}

@test "the halt message comes after the failing job's output, in every output mode" {
	# GNU: parallel -j1 [-k|--line-buffer|-u] --halt now,fail=1 (and
	# soon,fail=1) 'echo out{}; echo err{} >&2; [ {} != 2 ]' ::: 1 2 3 2>&1
	# (out1 err1 out2 err2, then This job failed)
	local msg="parx: this job failed: echo out2; echo err2 >&2; [ 2 != 2 ]"
	local when o i

	for when in now soon; do
		for o in --group -k --line-buffer -u; do
			for i in 1 2 3 4 5; do
				run bparx -j1 $o --halt $when,fail=1 \
				    'echo out{}; echo err{} >&2; [ {} != 2 ]' ::: 1 2 3
				[ "$status" -eq 1 ]
				[ "$output" = "$(lines out1 err1 out2 err2 "$msg")" ]
			done
		done
	done
}

@test "-k: output held for order comes after the halt message" {
	# GNU: parallel -j2 -k --halt soon,fail=1 'sleep 0.{}; echo out{};
	# echo err{} >&2; [ {} != 2 ]' ::: 5 2 1 2>&1 (This job failed,
	# Starting no more jobs, out5 err5 out2 err2); here a waits for the
	# second message
	local st=0

	bparx -j2 -k --halt soon,fail=1 "case {} in
	    a) until grep -q 'no more' out; do sleep 0.01; done;;
	    esac; echo out{}; echo err{} >&2; [ {} = f ] && exit 7; :" \
	    ::: a f x > out 2>&1 || st=$?
	[ "$st" -eq 7 ]
	[ "$(sed -n 1p out)" = "parx: this job failed: case f in" ]
	[ "$(tail -n 5 out)" = "$(lines \
	    'parx: starting no more jobs, waiting for 1 jobs to finish' \
	    outa erra outf errf)" ]
}

@test "invalid --halt values are errors" {
	for v in foo now now, now,fail now,fail= now,fail=x now,x=1 later,fail=1 \
	    now,fail=0 now,fail=1.5 now,fail=101% now,fail=0% 3 -3 0% soon,fail=-1; do
		run bparx --halt "$v" true ::: 1
		[ "$status" -eq 255 ] || { echo "accepted: $v"; return 1; }
		[[ $output == "parx: invalid condition '$v' for --halt: expected "* ]]
		[ "${#lines[@]}" -eq 1 ]
	done
}

@test "--func: now,fail=1 starts no function after the failure" {
	run --separate-stderr bparx -j1 --halt now,fail=1 --func sleep --joblog log ::: 0 x 0 0
	[ "$status" -eq 1 ]
	[ "$(tail -n +2 log | cut -f 1,7 | tr '\t\n' ': ')" = "1:0 2:1 " ]
}

@test "--func: now,fail=1 cancels the running functions" {
	run --separate-stderr bparx -j2 --halt now,fail=1 --func sleep --joblog log ::: 1000 x
	[ "$status" -eq 1 ]
	[ "$(tail -n +2 log | cut -f 1,7 | tr '\t\n' ': ')" = "2:1 " ]
}

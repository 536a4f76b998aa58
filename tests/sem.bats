#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
#
# sem: parx as a counting semaphore (sem, --semaphore, --id, --fg, --bg,
# --wait, --st).  Expected results are GNU parallel 20221122's (sem 'cmd'
# run beside parx), except where a test says otherwise.

bats_require_minimum_version 1.5.0

load helpers

setup_more() {
	export PARALLEL_HOME=$TMP/ph
	ln -s "$PARX" sem
	SEM=$TMP/sem
}

teardown_more() {
	# every background holder of this test's names is gone
	"$PARX" --semaphore --id t --wait
	"$PARX" --semaphore --id u --wait
}

# the pids of processes whose command line holds $1
pids_of() {
	pgrep -f -- "$1" || true
}

@test "--fg runs the command and returns its status" {
	# sem --id t --fg 'echo hi; exit 3' -> hi, 3
	run bounded "$SEM" --id t --fg 'echo hi; exit 3'
	[ "$status" -eq 3 ]
	[ "$output" = "hi" ]
	# parallel --semaphore --id t --fg ... is the same
	run bparx --semaphore --id t --fg 'echo hi; exit 4'
	[ "$status" -eq 4 ]
	[ "$output" = "hi" ]
}

@test "--fg: a command killed by a signal is 128+N" {
	# sem --fg 'kill -9 $$' -> 137
	run bounded "$SEM" --id t --fg 'kill -9 $$'
	[ "$status" -eq 137 ]
}

@test "--fg passes standard input on" {
	# echo piped | sem --fg cat -> piped
	run bounded bash -c 'echo piped | "$0" --id t --fg cat' "$SEM"
	[ "$status" -eq 0 ]
	[ "$output" = "piped" ]
}

@test "the command is the words joined by spaces, run by the shell" {
	# sem --fg echo a ';' echo b -> a, b
	run bounded "$SEM" --id t --fg echo a ';' echo b
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines a b)" ]
}

@test "--bg (the default) returns at once, the output whole at the end" {
	# sem 'echo a; sleep 1; echo b': sem exits 0 at once; a and b together
	bounded "$SEM" --id t "echo a; until [ -e $TMP/go ]; do sleep 0.01; done; echo b" > out
	[ ! -s out ]
	touch go
	bounded "$SEM" --id t --wait
	[ "$(cat out)" = "$(lines a b)" ]
}

@test "one slot by default: a second command waits for the first" {
	"$SEM" --id t "touch $TMP/one; until [ -e $TMP/go ]; do sleep 0.01; done; echo one"
	wait_for one
	"$SEM" --id t "echo two; touch $TMP/two" > out &
	sleep 0.3
	# still waiting: the slot is taken
	[ ! -e two ]
	touch go
	wait_for two
	wait
	bounded "$SEM" --id t --wait
	[ "$(cat out)" = "two" ]
}

@test "-j N: N commands at once, the next waits" {
	for i in 1 2 3; do
		"$SEM" --id t -j 3 "touch $TMP/run.$i; until [ -e $TMP/go ]; do sleep 0.01; done"
	done
	wait_for run.1
	wait_for run.2
	wait_for run.3
	run bounded "$SEM" --id t -j 3 --st -0.3 "touch $TMP/ran4"
	[ "$status" -eq 1 ]
	[ "$output" = "sem: semaphore 't' still taken after 0.3 s: the command was not run" ]
	[ ! -e ran4 ]
	touch go
	bounded "$SEM" --id t --wait
}

@test "--st positive: after the time, the command runs anyway" {
	"$SEM" --id t "until [ -e $TMP/go ]; do sleep 0.01; done"
	run bounded "$SEM" --id t --st 0.2 --fg 'echo anyway'
	[ "$status" -eq 0 ]
	[ "$output" = "anyway" ]
	touch go
	bounded "$SEM" --id t --wait
}

@test "names are separate semaphores" {
	"$SEM" --id t "until [ -e $TMP/go ]; do sleep 0.01; done"
	run bounded "$SEM" --id u --st -2 --fg 'echo other name'
	[ "$status" -eq 0 ]
	[ "$output" = "other name" ]
	touch go
	bounded "$SEM" --id t --wait
}

@test "--wait waits for every command of the name" {
	"$SEM" --id t -j 2 "until [ -e $TMP/go ]; do sleep 0.01; done; touch $TMP/done.1"
	"$SEM" --id t -j 2 "until [ -e $TMP/go ]; do sleep 0.01; done; sleep 0.2; touch $TMP/done.2"
	( sleep 0.3; touch go ) &
	run bounded "$SEM" --id t --wait
	[ "$status" -eq 0 ]
	[ -e done.1 ]
	[ -e done.2 ]
	wait
}

@test "a holder killed with SIGKILL frees its slot at once" {
	"$SEM" --id t "echo \$\$ > $TMP/pid.cmd; sleep $S"
	wait_for pid.cmd
	holder=$(ps -o ppid= -p "$(cat pid.cmd)" | tr -d ' ')
	[ -n "$holder" ]
	kill -KILL "$holder"
	run bounded "$SEM" --id t --st -2 --fg 'echo free'
	[ "$status" -eq 0 ]
	[ "$output" = "free" ]
	kill "$(cat pid.cmd)"
}

@test "SIGTERM and SIGINT to sem --fg end the command's whole tree" {
	start_bg --semaphore --id t --fg "echo \$\$ > $TMP/pid.cmd; sleep $S"
	wait_for pid.cmd
	kill -TERM "$PID"
	wait_exit
	[ "$STATUS" -eq 143 ]
	no_processes_left "sleep $S"
	rm pid.cmd
	start_bg --semaphore --id t --fg "echo \$\$ > $TMP/pid.cmd; sleep $S"
	wait_for pid.cmd
	kill -INT "$PID"
	wait_exit
	[ "$STATUS" -eq 130 ]
	no_processes_left "sleep $S"
}

@test "Ctrl-C reaches a background command through its holder" {
	"$SEM" --id t "echo \$\$ > $TMP/pid.cmd; sleep $S"
	wait_for pid.cmd
	holder=$(ps -o ppid= -p "$(cat pid.cmd)" | tr -d ' ')
	kill -INT "$holder"
	bounded "$SEM" --id t --wait
	no_processes_left "sleep $S"
}

@test "bad uses are errors, exit 255, and run nothing" {
	run --separate-stderr bounded "$SEM" --id t touch ran ::: a
	[ "$status" -eq 255 ]
	[ "${stderr%%$'\n'*}" = "sem: a semaphore runs one command: it takes no input (:::, ::::, -a)" ]
	run --separate-stderr bounded "$SEM" --id t --wait touch ran
	[ "$status" -eq 255 ]
	[ "${stderr%%$'\n'*}" = "sem: --wait waits for the semaphore's commands: it takes no command of its own" ]
	run --separate-stderr bounded "$SEM" --id t
	[ "$status" -eq 255 ]
	[ "${stderr%%$'\n'*}" = "sem: a semaphore needs a command to run" ]
	run --separate-stderr bparx --semaphore --id t --st soon touch ran
	[ "$status" -eq 255 ]
	[ "$stderr" = "parx: invalid duration 'soon' for --st: expected seconds, or with a unit (s, m, h, d); negative to give up" ]
	[ ! -e ran ]
}

@test "-j that leaves no slot: the command never runs, exit 255" {
	# sem --id t -j 0% touch ran; sem --id t --fg -j -100000 touch ran:
	# "parallel: Error: Cannot run any jobs.", 255
	run --separate-stderr bounded "$SEM" --id t -j 0% touch ran
	[ "$status" -eq 255 ]
	[ "$stderr" = "sem: cannot run any jobs: -j '0%' leaves no job slot" ]
	run --separate-stderr bparx --semaphore --id t --fg -j -100000 touch ran
	[ "$status" -eq 255 ]
	[ "$stderr" = "parx: cannot run any jobs: -j '-100000' leaves no job slot" ]
	"$PARX" --semaphore --id t --wait
	[ ! -e ran ]
}

@test "the slots live under \$PARALLEL_HOME/semaphores" {
	run bounded "$SEM" --id 'a/b c' --fg true
	[ "$status" -eq 0 ]
	[ -d "ph/semaphores/parx-id-a2fb20c" ]
	[ -e "ph/semaphores/parx-id-a2fb20c/slot-0" ]
}

@test "sem: \$PARALLEL_SHELL names a shell on \$PATH" {
	# GNU: PARALLEL_SHELL=bash sem --id ID --fg 'echo hi $0' (hi bash)
	run env PARALLEL_SHELL=bash "$PARX" --mode="$PARX_MODE" --semaphore \
	    --id "shell$$" --fg 'echo hi $0'
	[ "$status" -eq 0 ]
	[ "$output" = "hi bash" ]
}

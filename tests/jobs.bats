#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
#
# jobs: descriptor hygiene, job slots and sequence numbers, more jobs than
# descriptors, every job run exactly once, memory that does not grow with
# the input.

load helpers

# bounded cannot run a shell function: bparx is "bounded parx", with the
# same --mode switch as the parx function.

# clean_parx ARGS...: bounded parx started with only fds 0, 1 and 2 open
# (bats and the shell hold others), so the jobs' descriptor set is known.
clean_parx() {
	bounded perl -e 'use POSIX (); POSIX::close($_) for 3 .. 1023; exec @ARGV or die "exec: $!\n"' \
	    "$PARX" --mode="$PARX_MODE" "$@"
}

# fd_job: a job printing its open descriptors ("ls" opens one more, 3).
FD_JOB=': {}; echo $(ls /proc/self/fd)'

# Descriptors

@test "2000 jobs at -j8 all see the same descriptors: 0 1 2 only" {
	clean_parx -j8 "$FD_JOB" ::: $(seq 2000) > out
	[ "$(wc -l < out)" -eq 2000 ]
	[ "$(sort | uniq -c <out | awk '{ $1 = $1; print }')" = "2000 0 1 2 3" ]
}

@test "the descriptor set does not depend on -j or the output mode" {
	for opt in "-j1" "-j32" "-j8 --line-buffer" "-j8 -u" "-j8 -k" "-j8 --tag"; do
		clean_parx $opt "$FD_JOB" ::: $(seq 300) > out
		[ "$(wc -l < out)" -eq 300 ]
		[ "$(sed 's/^[0-9]*\t//' out | sort -u)" = "0 1 2 3" ] || {
			echo "with $opt:"; sort out | uniq -c | head; return 1; }
	done
}

@test "jobs read from stdin input see the same descriptors" {
	seq 500 | clean_parx -j8 "$FD_JOB" > out
	[ "$(wc -l < out)" -eq 500 ]
	[ "$(sort -u out)" = "0 1 2 3" ]
}

@test "descriptors parx inherited open are passed on unchanged" {
	# fd 7 is open (not close-on-exec) when parx starts: every job has it
	exec 7< /dev/null
	bparx -j4 ': {}; [ -e /proc/self/fd/7 ] && echo yes || echo no' ::: $(seq 50) > out 3>&-
	exec 7<&-
	[ "$(sort | uniq -c < out | awk '{ $1 = $1; print }')" = "50 yes" ]
}

# Slots and sequence numbers

@test "{%} stays within 1..j" {
	bparx -j4 'echo {%}' ::: $(seq 300) > out
	[ "$(wc -l < out)" -eq 300 ]
	[ "$(grep -cvx '[1-4]' out)" -eq 0 ]
}

@test "jobs running at the same time have distinct slots 1..j" {
	bparx -j4 '
		: > s.{}; i=0
		while [ "$(ls s.* | wc -l)" -lt 4 ] && [ $i -lt 2000 ]; do sleep 0.01; i=$((i+1)); done
		echo {%}' ::: 1 2 3 4 > out
	[ "$(sort out | tr '\n' ' ')" = "1 2 3 4 " ]
}

@test "a freed slot is reused: with one slot busy, all other jobs get the other" {
	# job 1 holds its slot until the 9 others have finished
	bparx -j2 '
		if [ {} = 1 ]; then
			i=0; while [ "$(ls d.* 2>/dev/null | wc -l)" -lt 9 ] && [ $i -lt 2000 ]; do sleep 0.01; i=$((i+1)); done
		fi
		echo {} {%}; : > d.{}' ::: $(seq 10) > out
	[ "$(sort -n out | tr '\n' ' ')" = "1 1 2 2 3 2 4 2 5 2 6 2 7 2 8 2 9 2 10 2 " ]
}

@test "-j1: {%} is always 1" {
	bparx -j1 'echo {%}' ::: $(seq 20) > out
	[ "$(sort -u out)" = 1 ]
	[ "$(wc -l < out)" -eq 20 ]
}

@test "\$PARALLEL_SEQ is {#} and \$PARALLEL_JOBSLOT is {%}" {
	bparx -j4 'echo $PARALLEL_SEQ {#} $PARALLEL_JOBSLOT {%} {}' ::: $(seq 101 200) > out
	[ "$(wc -l < out)" -eq 100 ]
	[ "$(awk '$1 != $2 || $3 != $4 || $5 != $1 + 100' out | wc -l)" -eq 0 ]
	[ "$(grep -cv '^[0-9]* [0-9]* [1-4] [1-4] [0-9]*$' out)" -eq 0 ]
	[ "$(cut -d' ' -f1 out | sort -n | tr '\n' ' ')" = "$(seq 100 | tr '\n' ' ')" ]
}

@test "-k: \$PARALLEL_SEQ follows the input order" {
	bparx -k -j3 'echo $PARALLEL_SEQ {}' ::: a b c d e > out
	printf '1 a\n2 b\n3 c\n4 d\n5 e\n' | cmp - out
}

# More jobs than descriptors

# lowfd ARGS...: parx (bounded) with at most 64 descriptors.
lowfd() {
	bounded bash -c 'ulimit -n 64 && exec "$@"' lowfd "$PARX" --mode="$PARX_MODE" "$@"
}

@test "ulimit -n 64, -j16, 200 jobs: all succeed (grouped)" {
	run lowfd -j16 'echo {}' ::: $(seq 200)
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | grep -vi warning | sort -n | tr '\n' ' ')" = "$(seq 200 | tr '\n' ' ')" ]
}

@test "ulimit -n 64, -j16, 200 jobs: all succeed (-k)" {
	lowfd -k -j16 'echo {}' ::: $(seq 200) > out 2> err || { cat err; false; }
	seq 200 | cmp - out
}

@test "ulimit -n 64, -j16, 200 jobs: all succeed (--line-buffer)" {
	lowfd --line-buffer -j16 'echo {}' ::: $(seq 200) > out 2> err || { cat err; false; }
	sort -n out | cmp - <(seq 200)
}

@test "ulimit -n 64, -j16, 200 jobs: all succeed (-u)" {
	lowfd -u -j16 'echo {}' ::: $(seq 200) > out 2> err || { cat err; false; }
	sort -n out | cmp - <(seq 200)
}

@test "ulimit -n 64: -k with a slow first job holding the others' output" {
	# job 1 waits (at most 2 s) for the 199 others: parx may hold their
	# output, or wait for job 1 before it starts more (it has no fds to
	# hold them all); either way all succeed, in order
	lowfd -k -j16 '
		if [ {} = 1 ]; then
			i=0; while [ "$(ls | grep -c "^d\.")" -lt 199 ] && [ $i -lt 200 ]; do sleep 0.01; i=$((i+1)); done
		fi
		echo {}; : > d.{}' ::: $(seq 200) > out 2> err || { cat err; false; }
	seq 200 | cmp - out
}

# Every job exactly once

@test "2000 short jobs from ::: all run exactly once" {
	bparx -j8 'echo {}' ::: $(seq 2000) > out
	sort -n out | cmp - <(seq 2000)
}

@test "2000 short jobs from stdin all run exactly once" {
	seq 2000 | bparx -j8 'echo {}; echo {} >> log' > out
	sort -n out | cmp - <(seq 2000)
	sort -n log | cmp - <(seq 2000)
}

@test "2000 jobs at -j0 all run exactly once" {
	seq 2000 | bparx -j0 'echo {}' > out
	sort -n out | cmp - <(seq 2000)
}

# Memory

@test "--dry-run: parx's memory does not grow with the input (10,000 vs 300,000 lines)" {
	measuring_memory
	seq 10000 | bounded /usr/bin/time -o small -f %M "$PARX" --mode="$PARX_MODE" -j2 --dry-run true > out1
	seq 300000 | bounded /usr/bin/time -o large -f %M "$PARX" --mode="$PARX_MODE" -j2 --dry-run true > out2
	[ "$(wc -l < out2)" -eq 300000 ]
	echo "max RSS: $(cat small) KB, $(cat large) KB"
	# 290,000 more lines: 1 MB of slack is under 4 bytes a line
	[ "$(cat large)" -le $(( $(cat small) + 1024 )) ]
}

# hwm N: parx's own peak RSS (KB) while running N cheap jobs, read by the
# last job from /proc (time(1) would count the jobs too).  The last job
# walks up its ancestors to the topmost parx (process mode has workers).
hwm() {
	local exe
	exe=$(readlink -f "$PARX")
	seq "$1" | bparx -j2 "if [ {} = $1 ]; then
		p=\$PPID
		while q=\$(awk '{ print \$4 }' /proc/\$p/stat) && [ \"\$(readlink /proc/\$q/exe)\" = '$exe' ]; do p=\$q; done
		awk '/^VmHWM/ { print \$2 }' /proc/\$p/status > hwm.$1; fi" > /dev/null
	cat hwm.$1
}

@test "running jobs: parx's memory does not grow with the number of jobs (500 vs 4000)" {
	measuring_memory
	small=$(hwm 500)
	large=$(hwm 4000)
	echo "peak RSS: $small KB, $large KB"
	[ -n "$small" ]
	[ -n "$large" ]
	# 3500 more jobs: 256 KB of slack is 75 bytes a job
	[ "$large" -le $((small + 256)) ]
}

@test "--process-slot-var NAME: each job's slot minus one in \$NAME" {
	# GNU: X=7 parallel -k --process-slot-var X -j2 'echo {} $X
	# $PARALLEL_JOBSLOT' ::: a b c (the slot from 0; the job's value in
	# place of the environment's), exit 0
	X=7 run bparx -j2 -N0 --process-slot-var X 'echo $X $PARALLEL_JOBSLOT' \
	    ::: $(seq 20)
	[ "$status" -eq 0 ]
	[ "$(sort -u <<< "$output")" = "$(lines '0 1' '1 2')" ]
	# A bad name, or the option with --func, -S or --semaphore: exit 255
	run bparx --process-slot-var 'a b' echo ::: 1
	[ "$status" -eq 255 ]
	[ "${lines[0]}" = "parx: invalid variable name 'a b' for --process-slot-var: expected letters, digits and _, not a digit first" ]
	run bparx --process-slot-var X --func echo ::: 1
	[ "$status" -eq 255 ]
	run bparx -S : --process-slot-var X echo ::: 1
	[ "$status" -eq 255 ]
	run bparx --semaphore --process-slot-var X echo 1
	[ "$status" -eq 255 ]
}

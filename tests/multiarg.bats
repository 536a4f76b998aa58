#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
#
# multiarg: several arguments per job (-X, -m, --xargs, -N, -n, -L, -l,
# -s), through the real binary, in the mode tests/run-all selects.
# Expected texts are what GNU parallel 20221122 prints, except where a
# test says parx chooses otherwise.

bats_require_minimum_version 1.5.0

load helpers

# -X and -m

@test "-X repeats the word around {} for each argument" {
	run bparx -j1 -X echo pre{}post ::: a b
	[ "$status" -eq 0 ]
	[ "$output" = "preapost prebpost" ]
}

@test "-m puts all the arguments where {} is" {
	run bparx -j1 -m echo pre{}post ::: a b
	[ "$status" -eq 0 ]
	[ "$output" = "prea bpost" ]
}

@test "-X and -m without {} append the arguments" {
	run bparx -j1 -X echo ::: a b c
	[ "$output" = "a b c" ]
	run bparx -j1 -m echo ::: a b c
	[ "$output" = "a b c" ]
}

@test "every value stays one quoted argument" {
	run bparx -j1 -k -X "printf '<%s>\n'" ::: 'a b' "c'd" '$(echo x)' '' '*'
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines '<a b>' "<c'd>" '<$(echo x)>' '<>' '<*>')" ]
	run bparx -j1 -m "printf '<%s>\n'" ::: 'a b' "c'd"
	[ "$output" = "$(lines '<a b>' "<c'd>")" ]
}

@test "--dry-run shows the quoted command line" {
	run bparx -j1 --dry-run -X echo x{}y ::: 'a b' "c'd"
	[ "$output" = "echo x'a b'y x'c'\"'\"'d'y" ]
	run bparx -j1 --dry-run -m echo x{}y ::: 'a b' "c'd"
	[ "$output" = "echo x'a b' 'c'\"'\"'d'y" ]
}

@test "-X with several sources takes whole tuples, {} each value" {
	run bparx -j1 -X echo x{}y ::: a b ::: 1 2
	[ "$output" = "xay x1y xay x2y xby x1y xby x2y" ]
	run bparx -j1 -m echo x{}y ::: a b ::: 1 2
	[ "$output" = "xa 1 a 2 b 1 b 2y" ]
}

@test "-X: {#} is the job's number, positional forms stay put" {
	run bparx -j1 -X echo x{#}y x{1}y{} ::: a b c
	[ "$output" = "x1y xaya xayb xayc" ]
	run bparx -j1 -X echo x{/}y ::: a/1 b/2
	[ "$output" = "x1y x2y" ]
}

@test "-X and -m spread the last arguments evenly over the job slots" {
	run bparx -k -j3 -X echo < <(seq 10)
	[ "$output" = "$(lines '1 2 3 4' '5 6 7 8' '9 10')" ]
	run bparx -k -j4 -X echo < <(seq 10)
	[ "$output" = "$(lines '1 2 3' '4 5 6' '7 8 9' '10')" ]
	run bparx -k -j3 -m echo < <(seq 7)
	[ "$output" = "$(lines '1 2 3' '4 5 6' '7')" ]
}

@test "--xargs fills every line and never spreads" {
	run bparx -k -j2 --xargs echo ::: 1 2 3 4 5
	[ "$output" = "1 2 3 4 5" ]
	run bparx -j1 --xargs echo x{}y ::: a b c
	[ "$output" = "xa b cy" ]
}

# -N and -n

@test "-N groups tuples and gives {1}..{N}, empty when missing" {
	run bparx -k -j1 -N2 echo {1}-{2} ::: a b c d e
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines a-b c-d e-)" ]
	run bparx -k -j1 -N2 echo ::: a b c
	[ "$output" = "$(lines 'a b' c)" ]
}

@test "-N counts tuples; positions run over all their values" {
	run bparx -k -j1 -N2 echo {} ::: a b ::: 1 2
	[ "$output" = "$(lines 'a 1 a 2' 'b 1 b 2')" ]
	run bparx -k -j1 -N2 echo {1}-{2} {3}{4} ::: a b ::: 1 2
	[ "$output" = "$(lines 'a-1 a2' 'b-1 b2')" ]
}

@test "-N repeats the word around {}, -n does not" {
	run bparx -k -j1 -N2 echo x{}y ::: a b c
	[ "$output" = "$(lines 'xay xby' xcy)" ]
	run bparx -k -j1 -n2 echo x{}y ::: a b c
	[ "$output" = "$(lines 'xa by' xcy)" ]
	run bparx -k -j1 -n2 -X echo x{}y ::: a b c
	[ "$output" = "$(lines 'xay xby' xcy)" ]
	run bparx -k -j1 -N2 -m echo x{}y ::: a b c
	[ "$output" = "$(lines 'xay xby' xcy)" ]
}

@test "-N alone never spreads; with -X the rest is spread" {
	run bparx -k -j3 -N5 echo < <(seq 10)
	[ "$output" = "$(lines '1 2 3 4 5' '6 7 8 9 10')" ]
	run bparx -k -j3 -X -N5 echo < <(seq 10)
	[ "$output" = "$(lines '1 2 3 4 5' '6 7' '8 9' 10)" ]
}

@test "-N0 reads one tuple per job and inserts nothing" {
	run bparx -k -j1 -N0 echo x{}y ::: a b c
	[ "$output" = "$(lines xy xy xy)" ]
}

@test "--max-args and --max-replace-args are -n and -N" {
	run bparx -k -j1 --max-args 2 echo ::: a b c
	[ "$output" = "$(lines 'a b' c)" ]
	run bparx -k -j1 --max-replace-args=2 echo {2} ::: a b c
	[ "$output" = "$(lines b '')" ]
}

# -L and -l

@test "-L N takes N lines per job" {
	run bparx -k -j1 -L2 echo < <(seq 5)
	[ "$output" = "$(lines '1 2' '3 4' 5)" ]
}

@test "-L: a line ending in a blank continues on the next" {
	run bparx -k -j1 --dry-run -L1 echo < <(printf 'a b \nc\nd\ne\n')
	[ "$output" = "$(lines "echo 'a b c'" 'echo d' 'echo e')" ]
	run bparx -k -j1 --dry-run -L2 echo < <(printf 'a b \nc\nd\ne\n')
	[ "$output" = "$(lines "echo 'a b c' d" 'echo e')" ]
	run bparx -k -j1 --dry-run -L1 echo < <(printf 'a\n\n  \nb\n')
	[ "$output" = "$(lines 'echo a' "echo ''" "echo '  b'")" ]
	run bparx -k -j1 --dry-run -L1 echo < <(printf 'a\t\nb\n')
	[ "$output" = "echo 'a	b'" ]
}

@test "-L: a blank at the very end is kept" {
	run bparx -k -j1 --dry-run -L1 echo < <(printf 'a \n')
	[ "$output" = "echo 'a '" ]
}

@test "-L repeats the word around {} unless -m is given" {
	run bparx -k -j1 -L2 echo x{}y ::: a b c
	[ "$output" = "$(lines 'xay xby' xcy)" ]
	run bparx -k -j1 -L2 -m echo x{}y ::: a b c
	[ "$output" = "$(lines 'xa by' xcy)" ]
}

@test "-l alone is one line, -l 0 too, -l N is -L N" {
	run bparx -k -j1 -l echo x{}y ::: a b
	[ "$output" = "$(lines xay xby)" ]
	run bparx -k -j1 -l0 echo ::: a b
	[ "$output" = "$(lines a b)" ]
	run bparx -k -j1 -l2 echo ::: a b c
	[ "$output" = "$(lines 'a b' c)" ]
	run bparx -k -j1 --max-lines=2 echo ::: a b c
	[ "$output" = "$(lines 'a b' c)" ]
}

@test "-l N: a number in the next word is N, as GNU parallel reads it" {
	# GNU: parallel -k -j1 -l 2 echo ::: a b c d e
	run bparx -k -j1 -l 2 echo ::: a b c d e
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 'a b' 'c d' e)" ]
	# GNU: parallel -k -j1 --max-lines 2 echo ::: a b c
	run bparx -k -j1 --max-lines 2 echo ::: a b c
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 'a b' c)" ]
	# GNU: parallel -k -j1 --maxlines 2 echo ::: a b c
	run bparx -k -j1 --maxlines 2 echo ::: a b c
	[ "$output" = "$(lines 'a b' c)" ]
	# GNU: parallel -k -j1 -kl 3 echo ::: a b c d
	run bparx -j1 -kl 3 echo ::: a b c d
	[ "$output" = "$(lines 'a b c' d)" ]
	# GNU: parallel -k -j1 -l 0 echo ::: a b
	run bparx -k -j1 -l 0 echo ::: a b
	[ "$output" = "$(lines a b)" ]
	# GNU: parallel -k -j1 -l .5 echo ::: a b
	run bparx -k -j1 -l .5 echo ::: a b
	[ "$output" = "$(lines a b)" ]
}

@test "-l: a next word that is not a number is the command" {
	# GNU: parallel -k -j1 -l echo ::: a b
	run bparx -k -j1 -l echo ::: a b
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines a b)" ]
	# GNU: parallel -j1 -l 3x echo ::: a (exit 1: 3x: command not found)
	run bparx -j1 -l 3x echo ::: a
	[ "$status" -eq 1 ]
	[ "$output" = "/usr/bin/bash: line 1: 3x: command not found" ]
	# GNU: parallel -j1 -l 2. echo ::: a (exit 1: 2.: command not found)
	run bparx -j1 -l 2. echo ::: a
	[ "$status" -eq 1 ]
	[ "$output" = "/usr/bin/bash: line 1: 2.: command not found" ]
	# GNU: printf 'a\0b\0' | parallel -k -j1 -l -0 echo (-0 is an option)
	run bparx -k -j1 -l -0 echo < <(printf 'a\0b\0')
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines a b)" ]
}

@test "-l N gives {} all the job's values; -L N repeats the word" {
	# GNU: parallel -k -j1 -l 2 echo x{}y ::: a b c
	run bparx -k -j1 -l 2 echo x{}y ::: a b c
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 'xa by' xcy)" ]
	# GNU: parallel -k -j1 -L 2 echo x{}y ::: a b c
	run bparx -k -j1 -L 2 echo x{}y ::: a b c
	[ "$output" = "$(lines 'xay xby' xcy)" ]
	# GNU: parallel -k -j1 -l 2 -X echo x{}y ::: a b c
	run bparx -k -j1 -l 2 -X echo x{}y ::: a b c
	[ "$output" = "$(lines 'xay xby' xcy)" ]
}

# -s and the system's limit

@test "-s counts the command line and its terminating NUL" {
	run bparx -k -j1 -s 9 --xargs echo ::: a b c d e f
	[ "$output" = "$(lines 'a b' 'c d' 'e f')" ]
	run bparx -k -j1 -s 8 --xargs echo ::: a b c d e f
	[ "$output" = "$(lines a b c d e f)" ]
	run bparx -k -j1 -s 13 -X echo x{}y ::: a b c d e f
	[ "$output" = "$(lines 'xay xby' 'xcy xdy' 'xey xfy')" ]
	run bparx -k -j1 --max-chars=11 --xargs echo ::: a b c d e f
	[ "$output" = "$(lines 'a b c' 'd e f')" ]
}

@test "-s smaller than one argument is an error, exit 255" {
	run bparx -j1 -s 5 --xargs echo ::: a b
	[ "$status" -eq 255 ]
	[ "$output" = "parx: command line too long for job 1 (7 bytes; -s allows 5): 'echo a...'" ]
	run bparx -j1 -s 5 echo ::: a b
	[ "$status" -eq 255 ]
}

# GNU parallel's usable size of a command line.  Its search for the
# longest command gives 130329 where one string may have 32 pages of 4096
# bytes (the environment small beside ARG_MAX); the usable size is that
# less 3000, halved: 63664.
gnu_limits() {
	[ "$(getconf PAGESIZE)" = 4096 ] || skip "the figures are for 4 KiB pages"
	[ "$(getconf ARG_MAX)" -ge 1048576 ] || skip "the figures are for ARG_MAX >= 1 MiB"
}

@test "-X, -m and --xargs fill lines up to GNU parallel's usable size, 63664" {
	gnu_limits
	seq 60000 > in
	# GNU: seq 60000 | parallel -k -j2 -X echo | awk '{print length($0)+1}'
	run bparx -k -j2 -X echo < in
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | awk '{print length($0)+1}' | tr '\n' ' ')" = "63654 63654 63654 63654 63654 15312 15312 " ]
	[ "$(printf '%s\n' "$output" | tr ' ' '\n')" = "$(seq 60000)" ]
	# GNU: seq 60000 | parallel -X echo | head -1 | wc -c
	[ "$(parx -X echo < in | head -1 | wc -c)" -eq 63654 ]
	# GNU: seq 60000 | parallel -k -j2 -m echo | awk '{print length($0)+1}'
	run bparx -k -j2 -m echo < in
	[ "$(printf '%s\n' "$output" | awk '{print length($0)+1}' | tr '\n' ' ')" = "63654 63654 63654 63654 63654 15312 15312 " ]
	# GNU: seq 60000 | parallel -k -j2 --xargs echo | awk '{print length($0)+1}'
	run bparx -k -j2 --xargs echo < in
	[ "$(printf '%s\n' "$output" | awk '{print length($0)+1}' | tr '\n' ' ')" = "63654 63654 63654 63654 63654 30624 " ]
	# The word around {} counts.
	# GNU: seq 60000 | parallel -k -j1 -X echo x{}y | head -1 | awk '{print $NF}'
	[ "$(parx -k -j1 -X echo x{}y < in | head -1 | awk '{print $NF}')" = x9252y ]
}

@test "-q counts a line three times and -S four thirds of it, as GNU parallel" {
	gnu_limits
	seq 60000 > in
	# GNU: seq 60000 | parallel -q -j1 -X echo | head -1 | wc -c
	[ "$(parx -q -j1 -X echo < in | head -1 | wc -c)" -eq 21213 ]
	# GNU: seq 60000 | parallel -S : -j1 -X echo | head -1 | wc -c
	[ "$(parx -S : -j1 -X echo < in | head -1 | wc -c)" -eq 47743 ]
	# GNU: seq 60000 | parallel -S : -q -j1 -X echo | head -1 | wc -c
	[ "$(parx -S : -q -j1 -X echo < in | head -1 | wc -c)" -eq 15908 ]
	# With -s too: "echo a b" is 8 bytes, 24 counted; "echo a b c" 30.
	# GNU: parallel -q -j1 -X -s 30 echo ::: a b c d e f
	run bparx -k -q -j1 -X -s 30 echo ::: a b c d e f
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 'a b' 'c d' 'e f')" ]
	# GNU: seq 9 | parallel -k -S : -j1 -X -s 20 echo
	run bparx -k -S : -j1 -X -s 20 echo < <(seq 9)
	[ "$output" = "$(lines '1 2 3 4 5' '6 7 8 9')" ]
}

@test "-s above the usable size warns and fills lines up to it" {
	gnu_limits
	seq 60000 > in
	# GNU: seq 60000 | parallel -k -j1 -X -s 100000 echo | awk '{print length($0)+1}' | head -1
	# (parallel: Warning: Value for option -s should be < 63664.)
	bparx -k -j1 -X -s 100000 echo < in > out 2> err
	[ "$(awk '{print length($0)+1}' out | head -1)" -eq 63654 ]
	[ "$(cat err)" = "parx: warning: -s 100000 is above the usable size of a command line, 63664: lines are filled up to 63664" ]
	# -s equal to the usable size takes it without a word.
	# GNU: seq 60000 | parallel -k -j1 -X -s 63664 echo | awk '{print length($0)+1}' | head -1
	bparx -k -j1 -X -s 63664 echo < in > out 2> err
	[ "$(awk '{print length($0)+1}' out | head -1)" -eq 63654 ]
	[ ! -s err ]
	# GNU: seq 60000 | parallel -k -j1 -X -s 63600 echo | awk '{print length($0)+1}' | head -1
	bparx -k -j1 -X -s 63600 echo < in > out
	[ "$(awk '{print length($0)+1}' out | head -1)" -eq 63594 ]
}

@test "an argument over the usable size but within the system's limit runs alone" {
	gnu_limits
	# GNU refuses it: "Command line too long (70005 >= 63664) at input 0",
	# exit 255 (parallel -k -X echo ::: b $(printf %070000d 0) c);
	# parx runs the command the system takes.
	printf 'b\n%070000d\nc\n' 0 > big
	run bparx -k -j1 -X echo :::: big
	[ "$status" -eq 0 ]
	[ "$output" = "$(cat big)" ]
}

@test "--max-line-length-allowed prints GNU parallel's longest command and exits" {
	gnu_limits
	# GNU: parallel --max-line-length-allowed echo ::: a
	run bparx --max-line-length-allowed echo ::: a
	[ "$status" -eq 0 ]
	[ "$output" = 130329 ]
	run bparx --maxlinelengthallowed
	[ "$output" = 130329 ]
}

@test "--show-limits prints the limits on stdout, then runs the jobs" {
	gnu_limits
	# GNU: parallel --show-limits echo ::: a (the two figures, a note, a)
	bparx --show-limits echo ::: a > out 2> err
	[ "$(sed -n 1,2p out)" = "$(lines 'Maximal size of command: 130329' 'Maximal usable size of command: 63664')" ]
	[ "$(sed -n 3p out)" = "" ]
	[ "$(tail -n 1 out)" = a ]
	[ "$(wc -l < out)" -eq 6 ]
	[ ! -s err ]
	# GNU: parallel --show-limits -s 100 echo ::: a | sed -n 2p
	run bparx --showlimits -s 100 echo ::: a
	[ "${lines[1]}" = "Maximal usable size of command: 100" ]
}

@test "-N fits the arguments to -s, using fewer when needed" {
	run bparx -k -j1 -N2 -s 8 echo ::: a b c
	[ "$output" = "$(lines a b c)" ]
}

@test "bad counts and sizes name the flag" {
	run bparx -N x echo
	[ "$status" -eq 255 ]
	[[ "$output" == "parx: invalid count 'x' for --max-replace-args/-N: expected a number"* ]]
	run bparx -s 0 echo
	[ "$status" -eq 255 ]
	[[ "$output" == "parx: invalid size '0' for --max-chars/-s: expected a number above 0"* ]]
	run bparx -L 1.5q echo
	[ "$status" -eq 255 ]
	[[ "$output" == "parx: invalid count '1.5q' for -L: expected a number"* ]]
}

@test "sizes take K (1024) and k (1000)" {
	run bparx -k -j1 -n 1k echo < <(seq 2001)
	[ "$(printf '%s\n' "$output" | awk '{print NF}' | tr '\n' ' ')" = "1000 1000 1 " ]
	run bparx -k -j1 -n 1K echo < <(seq 2001)
	[ "$(printf '%s\n' "$output" | awk '{print NF}' | tr '\n' ' ')" = "1024 977 " ]
}

@test "200,000 arguments: each once, in order, in few full lines" {
	seq 200000 > in
	run bparx -k -X echo < in
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | tr ' ' '\n')" = "$(seq 200000)" ]
	[ "${#lines[@]}" -lt 40 ]
	# The same through the argument vector (no shell).
	bparx -k -X "env printf '%s\n'" < in > out
	cmp out in
}

@test "a single argument over the system's limit is a clear error, exit 255" {
	head -c 200000 /dev/zero | tr '\0' a > big
	echo >> big
	run bparx -X echo :::: big
	[ "$status" -eq 255 ]
	[[ "$output" == "parx: command line too long for job 1 ("*"; the system allows "* ]]
	run bparx -X env true :::: big
	[ "$status" -eq 255 ]
}

@test "arguments next to an oversized one still run before the error" {
	{ echo small1; head -c 200000 /dev/zero | tr '\0' a; echo; } > big
	run bparx -j1 -X echo :::: big
	[ "$status" -eq 255 ]
	[ "${lines[0]}" = "small1" ]
}

# Jobs and their input

@test "a batch starts once its line is full, without waiting for the input" {
	# The input stays open until the first job has run.
	run bparx -N3 'echo {} ; touch started' < <(seq 3; wait_for started 20;
	    seq 4 6)
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines '1 2 3' '4 5 6')" ]
}

@test "-r drops blank values from a batch" {
	run bparx -j1 -r -X echo < <(printf 'a\n \nb\n')
	[ "$output" = "a b" ]
}

@test "exit statuses count jobs, not arguments" {
	run bparx -j1 -N2 'exit {1}' ::: 0 9 1 0 2 7
	[ "$status" -eq 2 ]
	run bparx -j2 -X false ::: a b c d
	[ "$status" -eq 2 ]
}

@test "--tag puts the job's arguments in front" {
	run bparx -k -j3 -N2 --tag echo ::: 1 2 3
	[ "$output" = "$(lines $'1 2\t1 2' $'3\t3')" ]
	run bparx -k -j1 --tag -N2 echo ::: a b ::: 1 2
	[ "$output" = "$(lines $'a 1 a 2\ta 1 a 2' $'b 1 b 2\tb 1 b 2')" ]
}

@test "--tagstring repeats its word around {} under -X" {
	run bparx -k -j1 -X --tagstring '<{}>' echo ::: 1 2 3 4
	[ "$output" = $'<1> <2> <3> <4>\t1 2 3 4' ]
	run bparx -k -j1 -X --tagstring '<{1}>' echo ::: 1 2 3 4
	[ "$output" = $'<1>\t1 2 3 4' ]
}

@test "-k keeps the order of batches" {
	# The first batch ends only after the last one has.
	run bparx -k -j4 -N3 'if [ {#} -eq 1 ]; then
	    until [ -e last ]; do sleep 0.01; done; fi
	    echo {} ; if [ {#} -eq 4 ]; then touch last; fi' < <(seq 12)
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines '1 2 3' '4 5 6' '7 8 9' '10 11 12')" ]
}

@test "the batch's memory does not grow with the input" {
	measuring_memory
	# A million arguments in 1 MB lines: parx's RSS stays small.
	run bounded /usr/bin/time -f '%M' "$PARX" --mode="$PARX_MODE" -X true \
	    < <(seq 1000000)
	[ "$status" -eq 0 ]
	[ "${lines[-1]}" -lt 20000 ]
}

# A batch takes its tuples as a single job does: after --header, --shuf,
# -r and --colsep.

@test "--header takes the first line out of a batch and names its columns" {
	# printf 'h,x\n1,2\n3,4\n5,6\n' |
	#     parallel -j1 --header : --colsep , -N2 echo {h}-{x}
	run bparx -j1 --header : --colsep , -N2 echo {h}-{x} \
	    < <(printf 'h,x\n1,2\n3,4\n5,6\n')
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 1-2 5-6)" ]
	# parallel -j1 --header : -N2 echo {h} ::: h 1 2 3 4
	run bparx -j1 --header : -N2 echo {h} ::: h 1 2 3 4
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 1 3)" ]
}

@test "--colsep splits each line of a batch into its columns" {
	# printf 'a,b\nc\nd,e,f\n' | parallel -j1 --colsep , -N2 echo {1}/{2}/{3}/{4}/{5}
	run bparx -j1 --colsep , -N2 echo {1}/{2}/{3}/{4}/{5} \
	    < <(printf 'a,b\nc\nd,e,f\n')
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines a/b/c// d/e/f//)" ]
	# printf 'h,x\n1,2\n\n3,4\n' | parallel -j1 --colsep , -m echo
	run bparx -j1 --colsep , -m echo < <(printf 'h,x\n1,2\n\n3,4\n')
	[ "$status" -eq 0 ]
	[ "$output" = "h x 1 2  3 4" ]
	run bparx -j1 --colsep , -X echo x{}y < <(printf 'a,b\nc\n')
	[ "$status" -eq 0 ]
	[ "$output" = "xay xby xcy" ]
}

@test "--shuf shuffles the arguments of a batch" {
	# parallel -j1 --shuf -X echo ::: $(seq 30)
	run bparx -j1 --shuf -X echo ::: $(seq 30)
	[ "$status" -eq 0 ]
	[ "$(tr ' ' '\n' <<< "$output" | sort -n | tr '\n' ' ')" = "$(seq 30 | tr '\n' ' ')" ]
	[ "$output" != "$(seq 30 | tr '\n' ' ' | sed 's/ $//')" ]
	run bparx -j1 -k --shuf -N2 echo ::: $(seq 30)
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 15 ]
	[ "$(tr ' ' '\n' <<< "$output" | sort -n | tr '\n' ' ')" = "$(seq 30 | tr '\n' ' ')" ]
}

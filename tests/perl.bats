#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
#
# perl: {= perl expression =} and {=n perl expression =}, evaluated by one
# perl per run.  Each test names the GNU parallel 20221122 command whose
# output it matches, or says where parx chooses otherwise.

bats_require_minimum_version 1.5.0

load helpers

setup_more() {
	command -v perl >/dev/null || skip "no perl"
	T=$BATS_TEST_TMPDIR
}

@test "perl: s/// changes each value" {
	# parallel -k echo '{= s/a/b/ =}' ::: a1 a2 'a c'
	run bparx -k echo '{= s/a/b/ =}' ::: a1 a2 'a c'
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines b1 b2 'b c')" ]
}

@test "perl: uc, and the result is quoted like a value" {
	# parallel -k echo '{= $_ = uc =}' ::: 'a;b' 'c d'
	run bparx -k echo '{= $_ = uc =}' ::: 'a;b' 'c d'
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 'A;B' 'C D')" ]
}

@test "perl: {= =} with two sources changes each value" {
	# parallel -k echo '{= s/a/b/ =}' ::: a1 a2 ::: ax
	run bparx -k echo '{= s/a/b/ =}' ::: a1 a2 ::: ax
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 'b1 bx' 'b2 bx')" ]
}

@test "perl: {=2 =} takes the second source's value" {
	# parallel -k echo '{=2 s/a/b/ =}' '{=1 $_ .= "!" =}' ::: a1 a2 ::: ax ay
	run bparx -k echo '{=2 s/a/b/ =}' '{=1 $_ .= "!" =}' \
	    ::: a1 a2 ::: ax ay
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 'bx a1!' 'by a1!' 'bx a2!' 'by a2!')" ]
}

@test "perl: \$arg[n] is the job's n-th value" {
	# parallel -k echo '{=1 $_ = "$arg[2]-$arg[1]" =}' ::: a b ::: x
	run bparx -k echo '{=1 $_ = "$arg[2]-$arg[1]" =}' ::: a b ::: x
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines x-a x-b)" ]
}

@test "perl: Q() quotes once more, uq() not at all" {
	# parallel -k echo '{= $_ = Q($_) =}' ::: 'a b'
	run bparx -k echo '{= $_ = Q($_) =}' ::: 'a b'
	[ "$status" -eq 0 ]
	[ "$output" = "'a b'" ]
	# parallel echo '{= uq(); $_ = "a;echo b" =}' ::: x
	run bparx echo '{= uq(); $_ = "a;echo b" =}' ::: x
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines a b)" ]
}

@test "perl: seq() and \$job->seq() are {#}, slot() is {%}" {
	# parallel -j1 -k echo '{= $_ = seq() =}' '{= $_ = $job->seq() =}' \
	#     '{= $_ = slot() =}' ::: a b c
	run bparx -j1 -k echo '{= $_ = seq() =}' '{= $_ = $job->seq() =}' \
	    '{= $_ = slot() =}' ::: a b c
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines '1 1 1' '2 2 1' '3 3 1')" ]
}

@test "perl: skip() leaves the job out" {
	# parallel -k echo '{= $_ eq "b" and skip() =}' {#} ::: a b c
	# (GNU also exits 1 and logs the job with exit value -2; parx neither
	# runs nor counts it.)
	run bparx -k echo '{= $_ eq "b" and skip() =}' {#} ::: a b c
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 'a 1' 'c 3')" ]
}

@test "perl: a word that opens {= is joined to the words up to =}" {
	# parallel -k echo '{=' 's/a/b/' '=}' ::: a1 'a 2'
	run bparx -k echo '{=' 's/a/b/' '=}' ::: a1 'a 2'
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines b1 'b 2')" ]
}

@test "perl: -X repeats the word per value, -m joins the values" {
	# parallel -j1 -X echo 'x{= s/a/b/ =}y' ::: a1 a2 a3
	run bparx -j1 -X echo 'x{= s/a/b/ =}y' ::: a1 a2 a3
	[ "$status" -eq 0 ]
	[ "$output" = "xb1y xb2y xb3y" ]
	# parallel -j1 -m echo 'x{= s/a/b/ =}y' ::: a1 a2 a3
	run bparx -j1 -m echo 'x{= s/a/b/ =}y' ::: a1 a2 a3
	[ "$status" -eq 0 ]
	[ "$output" = "xb1 b2 b3y" ]
}

@test "perl: --dry-run shows the results, quoted" {
	# parallel --dry-run -k echo '{= s/a/b/ =}' ::: a1 'a 2'
	run bparx --dry-run -k echo '{= s/a/b/ =}' ::: a1 'a 2'
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 'echo b1' "echo 'b 2'")" ]
}

@test "perl: a syntax error stops parx before any job, exit 255" {
	# parallel echo '{= s/a/ =}' ::: a b (exit 255, no job run)
	run --separate-stderr bparx echo '{= s/a/ =}' ';' touch "$T/ran" \
	    ::: a b
	[ "$status" -eq 255 ]
	[ "$output" = "" ]
	[ "$stderr" = "parx: cannot use {= s/a/ =}: Substitution replacement not terminated at (eval 1) line 1." ]
	[ ! -e "$T/ran" ]
}

@test "perl: code that dies stops parx, exit 255" {
	# parallel -j1 -k echo '{= die "boom\n" if $_ eq "b" =}' ::: a b c
	# (GNU exits 25; parx treats it as any error of its own.)
	run --separate-stderr bparx -j1 -k \
	    echo '{= die "boom\n" if $_ eq "b" =}' ::: a b c
	[ "$status" -eq 255 ]
	[ "$output" = "a" ]
	[ "$stderr" = 'parx: cannot use {= die "boom\n" if $_ eq "b" =}: boom' ]
}

@test "perl: without perl on PATH, one line and exit 255" {
	mkdir "$T/bin"
	ln -s "$(command -v sh)" "$T/bin/sh"
	run --separate-stderr env PATH="$T/bin" "$PARX" --mode="$PARX_MODE" \
	    echo '{= s/a/b/ =}' ::: a
	[ "$status" -eq 255 ]
	[ "$output" = "" ]
	[ "$stderr" = "parx: cannot run perl for {= =}: No such file or directory" ]
}

@test "perl: perl killed mid-run is named, and parx ends" {
	run --separate-stderr bparx -j1 -k \
	    echo '{= kill 9, $$ if $_ eq "b" =}' ::: a b c
	[ "$status" -eq 255 ]
	[ "$output" = "a" ]
	[ "$stderr" = "parx: the perl for {= =} was killed by signal 9" ]
}

@test "perl: --rpl defines a replacement string, with its positional form" {
	# parallel -k --rpl '{..} s:\.[^.]+$::;s:\.[^.]+$::;' echo '{..}' \
	#     '{1..}' ::: a.tar.gz b.c.d
	run bparx -k --rpl '{..} s:\.[^.]+$::;s:\.[^.]+$::;' echo '{..}' \
	    '{1..}' ::: a.tar.gz b.c.d
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 'a a' 'b b')" ]
}

@test "perl: --rpl with (regexp) groups read as \$\$1, \$\$2" {
	# parallel --rpl '{/(\.\S+)/(\.\S+)} s/$$1/$$2/g;' echo '{/.tar/.zip}' \
	#     ::: a.tar.gz
	run bparx --rpl '{/(\.\S+)/(\.\S+)} s/$$1/$$2/g;' echo '{/.tar/.zip}' \
	    ::: a.tar.gz
	[ "$status" -eq 0 ]
	[ "$output" = "a.zip.gz" ]
}

@test "perl: --rpl can redefine {}, and the longest string wins" {
	# parallel -k --rpl '{} s/a/b/' --rpl '{x} s/a/x/' echo '{}' '{x}' \
	#     '{= s/a/y/ =}' '{2x}' ::: a1 ::: a2
	run bparx -k --rpl '{} s/a/b/' --rpl '{x} s/a/x/' echo '{}' '{x}' \
	    '{= s/a/y/ =}' '{2x}' ::: a1 ::: a2
	[ "$status" -eq 0 ]
	[ "$output" = "b1 b2 x1 x2 y1 y2 x2" ]
}

@test "perl: a --rpl whose code does not compile stops parx, exit 255" {
	# parallel --rpl '{x} s/a/' echo '{x}' ::: a (exit 255)
	run --separate-stderr bparx --rpl '{x} s/a/' echo '{x}' ::: a
	[ "$status" -eq 255 ]
	[ "$output" = "" ]
	[ "$stderr" = "parx: cannot use {= s/a/ =}: Substitution replacement not terminated at (eval 1) line 1." ]
}

@test "perl: total_jobs() is the number of jobs" {
	# seq 4 | parallel -j1 -k echo '{= $_ = total_jobs() - seq() =}'
	run bparx -j1 -k echo '{= $_ = total_jobs() - seq() =}' < <(seq 4)
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 3 2 1 0)" ]
}

@test "perl: --tagstring takes {= =} too" {
	# parallel -k --tagstring '{= s/a/b/ =}-{#}' echo {} ::: a1 'a 2'
	run bparx -k --tagstring '{= s/a/b/ =}-{#}' echo {} ::: a1 'a 2'
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines $'b1-1\ta1' $'b 2-2\ta 2')" ]
	# parallel -k --dry-run --tagstring '{= $_ = uc =}' echo '{= s/a/b/ =}' \
	#     ::: a1 'a 2'
	run bparx -k --dry-run --tagstring '{= $_ = uc =}' echo '{= s/a/b/ =}' \
	    ::: a1 'a 2'
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines $'A1\techo b1' $'A 2\techo \'b 2\'')" ]
}

@test "perl: Ctrl-C stops code that never ends, and its perl" {
	cd "$T"
	start_bg echo '{= open(my $f, ">", "pids"); print $f "$$\n"; close $f;
	    open($f, ">", "ready"); close $f; 1 while 1 =}' ::: a
	wait_for ready
	kill -INT "$PID"
	wait_exit 5
	[ "$STATUS" -eq 255 ]
	[ "$(cat out)" = "" ]
	[ "$(cat err)" = "parx: interrupted while perl ran {= =} code" ]
	all_gone pids
}

@test "perl: a job without arguments still runs its {= =} once" {
	# parallel -k -N0 echo '{= $_ = "x" . seq() =}' ::: 1 2
	# (GNU's $_ then holds a marker of its own; parx's is empty.)
	run bparx -k -N0 echo '{= $_ = "x" . seq() =}' ::: 1 2
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines x1 x2)" ]
}

@test "perl: {= =} where parx does not evaluate it is an error" {
	# (GNU parallel evaluates it in these options too.)
	run --separate-stderr bparx --results "$T/r/{= s/a/b/ =}" echo ::: a
	[ "$status" -eq 255 ]
	[ "$stderr" = "parx: --results: {= =} is not supported there" ]
	run --separate-stderr bparx -S : --return '{= s/a/b/ =}' echo ::: a
	[ "$status" -eq 255 ]
	[ "$stderr" = "parx: --return: {= =} is not supported there" ]
}

# --filter CODE

@test "--filter: the man page's example; {#} keeps its numbers" {
	# parallel -k --filter '{1} < {2}+1' echo ::: 1 2 3 ::: 1 2 3
	run bparx -k --filter '{1} < {2}+1' echo ::: 1 2 3 ::: 1 2 3
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines '1 1' '1 2' '1 3' '2 2' '2 3' '3 3')" ]
	# parallel -k --filter '"{}" ne "b"' echo {#} {} ::: a b c
	run bparx -k --filter '"{}" ne "b"' echo {#} {} ::: a b c
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines '1 a' '3 c')" ]
}

@test "--filter: values go in as they are, not quoted" {
	# parallel --filter '"{}" eq "a b"' echo ::: 'a b' 'a  b' (a b)
	run bparx -k --filter '"{}" eq "a b"' echo ::: 'a b' 'a  b' "a'b"
	[ "$status" -eq 0 ]
	[ "$output" = 'a b' ]
	run bparx -k --filter "'{}' eq q(a b)" echo ::: 'a b' 'a  b'
	[ "$status" -eq 0 ]
	[ "$output" = 'a b' ]
}

@test "--filter: left-out jobs do not run, are not logged, and do not fail" {
	# GNU parallel logs them with exit value -2 and counts them as failed
	run bparx -k --joblog log --filter '{} > 1' 'echo {}; touch ran.{}' \
	    ::: 1 2 3
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 2 3)" ]
	[ ! -e ran.1 ]
	[ -e ran.2 ]
	[ "$(cut -f1 log | tail -n +2 | sort)" = "$(lines 2 3)" ]
}

@test "--filter: code that dies or does not compile is false, with a warning" {
	# parallel --filter '{} =~ /a/' echo ::: abc bcd (runs none: strict)
	run -0 --separate-stderr bparx -k --filter '{} =~ /a/' echo ::: abc bcd
	[ "$output" = '' ]
	[ "$stderr" = 'parx: warning: --filter leaves out job 1, and any other whose code fails: Bareword "abc" not allowed while "strict subs" in use at --filter line 1.' ]
	run -0 --separate-stderr bparx -k --filter '{} == 2 or die "no {}\n"' \
	    echo ::: 1 2 3
	[ "$output" = 2 ]
	[ "$stderr" = 'parx: warning: --filter leaves out job 1, and any other whose code fails: no 1' ]
}

@test "--filter: {= =}, --rpl, --header names and positions in the code" {
	# parallel -k --filter '{= $_*=2 =} > 3' echo ::: 1 2 3
	run bparx -k --filter '{= $_*=2 =} > 3' echo ::: 1 2 3
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 2 3)" ]
	# parallel -k --rpl '{v} $_ = 10*$_' --filter '{v} > 15' echo {v} ::: 1 2 3
	run bparx -k --rpl '{v} $_ = 10*$_' --filter '{v} > 15' echo {v} \
	    ::: 1 2 3
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 20 30)" ]
	# printf 'a\tb\n1\t2\n3\t1\n' | parallel -k --header : --colsep '\t'
	#   --filter '{a} < {b}' echo {a}
	printf 'a\tb\n1\t2\n3\t1\n' > t.tsv
	run bparx -k --header : --colsep '\t' --filter '{a} < {b}' echo {a} \
	    :::: t.tsv
	[ "$status" -eq 0 ]
	[ "$output" = 1 ]
	run bparx -k --filter '"{2}" eq "x"' echo {1} ::: a b ::: x y
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines a b)" ]
}

@test "--filter: with -N and -X the code sees all of a job's values" {
	# parallel -j1 -N2 --filter '{1} < {2}' echo ::: 2 1 3 4
	run bparx -j1 -N2 --filter '{1} < {2}' echo ::: 2 1 3 4
	[ "$status" -eq 0 ]
	[ "$output" = '3 4' ]
	run bparx -j1 -X -n2 --filter 'length("{}") > 3' echo ::: a bb cc
	[ "$status" -eq 0 ]
	[ "$output" = 'a bb' ]
}

@test "--filter: input lines that are commands, and --dry-run" {
	run bparx -k --filter '"{}" =~ /1/' ::: 'echo 1' 'echo 2'
	[ "$status" -eq 0 ]
	[ "$output" = 1 ]
	# GNU parallel's --dry-run shows every job: parx shows those that run
	run bparx -k --dry-run --filter '{} > 1' echo ::: 1 2 3
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 'echo 2' 'echo 3')" ]
}

@test "--filter: no perl to run it is an error, exit 255" {
	mkdir bin
	ln -s "$(command -v echo)" bin/echo
	ln -s "$(command -v timeout)" bin/timeout
	PATH=$PWD/bin run bparx --filter 1 echo ::: a
	[ "$status" -eq 255 ]
	[ "$output" = "parx: cannot run perl for --filter: No such file or directory" ]
}

# Jobs whose {= =} are evaluated together, ahead of their start

@test "perl: jobs evaluated together keep the input's order, past one batch" {
	# parallel -k echo '{= $main::n++; $_ = $main::n =}' ::: $(seq 600)
	run bparx -k echo '{= $main::n++; $_ = $main::n =}' ::: $(seq 600)
	[ "$status" -eq 0 ]
	[ "$output" = "$(seq 600)" ]
	seq 700 > in
	run bparx -k echo '{= $_ = total_jobs() - $_ =}' :::: in
	[ "$status" -eq 0 ]
	[ "$output" = "$(seq 699 -1 0)" ]
}

@test "perl: code that dies in the middle of a batch: the jobs before it run" {
	# parallel -j1 -k echo '{= die "bad\n" if $_ == 300 =}' ::: $(seq 400)
	# (GNU parallel warns and goes on; parx stops, exit 255)
	run --separate-stderr bparx -j1 -k echo '{= die "bad\n" if $_ == 300 =}' \
	    ::: $(seq 400)
	[ "$status" -eq 255 ]
	[ "$output" = "$(seq 299)" ]
	[ "$stderr" = 'parx: cannot use {= die "bad\n" if $_ == 300 =}: bad' ]
}

@test "perl: results are one word each, direct or not; uq() results are shell code" {
	mkdir bin
	printf '#!/bin/sh\necho "[$*]"\n' > bin/show
	chmod +x bin/show
	PATH=$PWD/bin:$PATH run bparx -k show '{= s/a/b/ =}' ::: 'a;echo x' 'a b'
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines '[b;echo x]' '[b b]')" ]
	PATH=$PWD/bin:$PATH run bparx -k show '{= s/a/b/; uq() =}' ::: 'a;echo x'
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines '[b]' x)" ]
}

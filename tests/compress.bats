#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
#
# --compress, --compress-program, --decompress-program: grouped output
# kept compressed until it is written, and written back byte for byte.
# Expected texts are GNU parallel 20221122's for the command in each
# test's comment, except where a test says parx chooses otherwise.

bats_require_minimum_version 1.5.0

load helpers

# expected N...: what seq N prints for each N, one after the other.
expected() {
	local n
	for n in "$@"; do
		seq "$n"
	done
}

@test "--compress -k: large outputs in input order, byte for byte" {
	# GNU: parallel --compress -k -j3 'seq {}' ::: 3 300000 2 50000
	run bparx --compress -k -j3 'seq {}' ::: 3 300000 2 50000
	[ "$status" -eq 0 ]
	[ "$output" = "$(expected 3 300000 2 50000)" ]
}

@test "--compress: each job's output and standard error whole, none lost" {
	# GNU: parallel --compress -j3 'seq {} 3 60000 | sed s/^/{}:/; echo e{} >&2' ::: 1 2 3
	bparx --compress -j3 'seq {} 3 60000 | sed s/^/{}:/; echo e{} >&2' \
	    ::: 1 2 3 > out 2> err
	# Three blocks, one per job, never interleaved.
	[ "$(cut -d: -f1 out | uniq | sort | tr '\n' ' ')" = "1 2 3 " ]
	[ "$(sort -t: -k1,1n -k2,2n out | md5sum)" = \
	    "$(for i in 1 2 3; do seq $i 3 60000 | sed "s/^/$i:/"; done | md5sum)" ]
	[ "$(sort err | tr '\n' ' ')" = "e1 e2 e3 " ]
}

@test "--compress with --tag, -v, and a last line without newline" {
	# GNU: parallel --compress -k --tag 'printf "a\nb"' ::: x y
	run bparx --compress -k --tag 'printf "a\nb"' ::: x y
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'x\ta\nx\tby\ta\ny\tb')" ]
	# GNU: parallel --compress -k -v echo ::: x
	run bparx --compress -k -v echo ::: x
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 'echo x' x)" ]
}

@test "--compress-program PRG: the output goes through PRG, and PRG -dc reads it back" {
	# GNU: parallel -k --compress-program 'gzip -1' 'seq {}' ::: 100000 5
	run bparx -k --compress-program 'gzip -1' 'seq {}' ::: 100000 5
	[ "$status" -eq 0 ]
	[ "$output" = "$(expected 100000 5)" ]
	# The programs are what parx runs: tr changes what comes back.
	# GNU: parallel --compress-program 'tr a b' --decompress-program cat echo ::: abc
	run bparx --compress-program 'tr a b' --decompress-program cat \
	    echo ::: abc
	[ "$status" -eq 0 ]
	[ "$output" = bbc ]
	run bparx --compress-program cat --decompress-program 'tr c d' \
	    echo ::: abc
	[ "$status" -eq 0 ]
	[ "$output" = abd ]
}

@test "--compress has no effect on --line-buffer and -u output" {
	# GNU: parallel -k --compress --line-buffer echo ::: a b -> a, b
	run bparx -k --compress --line-buffer echo ::: a b
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines a b)" ]
	run bparx -j1 --compress -u echo ::: a b
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines a b)" ]
}

# helper_fails KIND OPTIONS...: parx with OPTIONS runs echo a, whose
# streams the KIND ("compress" or "decompress") program false fails on:
# both are said, nothing is written, exit 255.
helper_fails() {
	local kind=$1

	shift
	run --separate-stderr bparx "$@" echo ::: a
	[ "$status" -eq 255 ]
	[ "$output" = "" ]
	[ "$stderr" = "$(lines \
	    "parx: $kind program 'false' failed on the output of job 1: exit status 1" \
	    "parx: $kind program 'false' failed on the standard error of job 1: exit status 1")" ]
}

@test "a compressor or decompressor that fails is an error naming it, exit 255" {
	# GNU: parallel --compress-program false echo ::: a -> "parallel:
	# Error: false failed.", exit 1 (parx: 255, one line per stream)
	helper_fails compress --compress-program false
	# GNU: parallel --compress --decompress-program false echo ::: a
	# -> nothing at all, exit 0 (parx says so)
	helper_fails decompress --compress --decompress-program false
}

@test "a compressor that is not found stops parx before any job, exit 255" {
	# GNU: parallel --compress-program nosuchprog echo ::: a -> runs
	# the job, "nosuchprog: command not found", exit 1
	run --separate-stderr bparx --compress-program 'nosuch-zip -1' \
	    touch ran ::: a
	[ "$status" -eq 255 ]
	[ "$stderr" = "parx: cannot find 'nosuch-zip' of --compress-program 'nosuch-zip -1'" ]
	[ ! -e ran ]
	run --separate-stderr bparx --compress --decompress-program \
	    nosuch-unzip touch ran ::: a
	[ "$status" -eq 255 ]
	[ "$stderr" = "parx: cannot find 'nosuch-unzip' of --decompress-program 'nosuch-unzip'" ]
	[ ! -e ran ]
	# parx: --decompress-program alone (GNU ignores it).
	run --separate-stderr bparx --decompress-program cat echo ::: a
	[ "$status" -eq 255 ]
	[ "${stderr%%$'\n'*}" = "parx: --decompress-program needs --compress or --compress-program" ]
}

@test "--compress: a failing job's output and exit status are kept" {
	# GNU: parallel --compress -k 'echo {}; exit {}' ::: 0 3 0 -> 0 3 0, exit 1
	run bparx --compress -k 'echo {}; exit {}' ::: 0 3 0
	[ "$status" -eq 1 ]
	[ "$output" = "$(lines 0 3 0)" ]
}

@test "--compress: SIGINT kills the jobs and the compressors, exit 255" {
	start_bg --compress-program "sleep $S; cat" -j2 \
	    "echo \$\$ >> pids; sleep $S & echo {}; wait" ::: 1 2 3
	wait_lines pids 2
	kill -INT "$PID"
	wait_exit 5
	[ "$STATUS" -eq 255 ]
	[ ! -s out ]
	all_gone pids
	no_processes_left "sleep $S"
}

@test "--compress: a child the job leaves holding its output is waited for; SIGTERM ends the wait" {
	start_bg --compress "sleep $S & echo \$! > bgpid; echo {}" ::: 1
	wait_for bgpid
	alive "$PID"
	[ ! -s out ]
	kill -TERM "$PID"
	wait_exit 5
	[ "$STATUS" -eq 255 ]
	[ ! -s out ]
}

#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
#
# joblog: --joblog in GNU parallel's format, written as jobs end; +FILE;
# errors; the parser (test-tool joblog).

bats_require_minimum_version 1.5.0

load helpers

HEADER=$(printf 'Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand')

# fields N FILE: field N of each record (not the header), in file order.
fields() {
	tail -n +2 "$2" | cut -f "$1" | tr '\n' ' '
}

@test "the header and one tab-separated record per job, in GNU parallel's format" {
	run bparx -j1 --joblog log 'echo {}' ::: a b
	[ "$status" -eq 0 ]
	[ "$(head -1 log)" = "$HEADER" ]
	[ "$(wc -l < log)" -eq 3 ]
	# Seq, Host ":", Starttime %.3f, JobRuntime %10.3f, Send 0, Receive,
	# Exitval, Signal, Command
	re=$'^[0-9]+\t:\t[0-9]{10}\\.[0-9]{3}\t [ 0-9]{4}[0-9]\\.[0-9]{3}\t0\t[0-9]+\t-?[0-9]+\t[0-9]+\t'
	tail -n +2 log | while IFS= read -r line; do
		[[ $line =~ $re ]] || { echo "bad record: $line"; return 1; }
	done
	[ "$(fields 1 log)" = "1 2 " ]
	[ "$(fields 9 log)" = "echo a echo b " ]
	[ "$(tail -n +2 log | cut -f 4 | awk '{ print length($0) }' | sort -u)" = 10 ]
}

@test "Starttime is the epoch time the job started" {
	before=$(date +%s)
	run bparx --joblog log true ::: 1
	after=$(date +%s)
	[ "$status" -eq 0 ]
	t=$(fields 3 log)
	t=${t%%.*}
	[ "$t" -ge "$before" ] && [ "$t" -le "$after" ]
}

@test "Exitval and Signal: exit codes, signals, commands not found" {
	# no command: each input line is the command
	run bparx -k --joblog log < <(lines 'exit 3' 'kill -9 $$' 'exit 0' nosuchcommand-parx)
	[ "$status" -eq 3 ]
	[ "$(tail -n +2 log | sort -n | cut -f 1,7,8 | tr '\t\n' ', ')" = "1,3,0 2,0,9 3,0,0 4,127,0 " ]
}

@test "Receive counts the bytes of the job's standard output only" {
	run bparx -k --joblog log 'printf {}; printf 1234567 >&2' ::: abc '' 1234567890
	[ "$status" -eq 0 ]
	[ "$(fields 6 log)" = "3 0 10 " ]
	run bparx -k --lb --joblog log2 'printf {}' ::: abcd xy
	[ "$status" -eq 0 ]
	[ "$(fields 6 log2)" = "4 2 " ]
	run bparx -u --joblog log3 'printf {}' ::: abcd
	[ "$status" -eq 0 ]
	[ "$(fields 6 log3)" = "0 " ]
}

@test "records are written in the order jobs end" {
	# job 1 waits until job 2 has ended, so job 2 is logged first
	run bparx -j2 --joblog log 'if [ {} = 1 ]; then
		until grep -q "echo 2" log 2>/dev/null; do sleep 0.01; done
	    fi; echo {} > /dev/null' ::: 1 2
	[ "$status" -eq 0 ]
	[ "$(fields 1 log)" = "2 1 " ]
}

@test "with -k records follow the order of the output, as in GNU parallel" {
	run bparx -k -j2 --joblog log 'if [ {} = 1 ]; then
		until [ -e done2 ]; do sleep 0.01; done
	    else touch done2; fi; echo {}' ::: 1 2
	[ "$output" = "$(lines 1 2)" ]
	[ "$(fields 1 log)" = "1 2 " ]
}

@test "each record is on disk as soon as its job is done" {
	# job 2 runs while parx is still going, and sees job 1's record
	run bparx -j2 --joblog log 'if [ {} = 2 ]; then
		until [ "$(grep -c "^1	" log)" = 1 ]; do sleep 0.01; done
		echo saw1; fi' ::: 1 2
	[ "$status" -eq 0 ]
	[ "$output" = saw1 ]
}

@test "a newline in the command is written as a NUL byte" {
	run bparx --joblog log echo ::: 'a
b'
	[ "$status" -eq 0 ]
	[ "$(tail -n +2 log | cut -f 9 | tr '\0' '@')" = "echo 'a@b'" ]
	[ "$(wc -l < log)" -eq 2 ]
}

@test "a tab in the command stays in the last field" {
	run bparx --joblog log 'echo "{}"' ::: "$(printf 'a\tb')"
	[ "$status" -eq 0 ]
	[ "$(tail -n +2 log | cut -f 9-)" = "$(printf "echo \"'a\tb'\"")" ]
}

@test "--joblog FILE replaces the file" {
	echo old > log
	run bparx --joblog log true ::: 1
	[ "$status" -eq 0 ]
	[ "$(head -1 log)" = "$HEADER" ]
	[ "$(wc -l < log)" -eq 2 ]
	! grep -q old log
}

@test "--joblog +FILE appends without a second header" {
	run bparx --joblog log 'echo {}' ::: a
	[ "$status" -eq 0 ]
	run bparx --joblog +log 'echo {}' ::: b c
	[ "$status" -eq 0 ]
	[ "$(grep -c '^Seq' log)" -eq 1 ]
	[ "$(tail -n +2 log | cut -f 9 | sort | tr '\n' ' ')" = "echo a echo b echo c " ]
}

@test "--joblog +FILE on a new file starts it with the header" {
	run bparx --joblog +new echo ::: a
	[ "$status" -eq 0 ]
	[ "$(head -1 new)" = "$HEADER" ]
	[ "$(wc -l < new)" -eq 2 ]
}

@test "--jl is --joblog" {
	run bparx --jl log true ::: 1
	[ "$status" -eq 0 ]
	[ "$(wc -l < log)" -eq 2 ]
}

@test "--joblog - writes the log on standard output" {
	run bparx --joblog - true ::: 1
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "$HEADER" ]
	[[ ${lines[1]} == 1$'\t'* ]]
}

@test "--dry-run writes no job log" {
	run bparx --dry-run --joblog log echo ::: a
	[ "$output" = "echo a" ]
	[ ! -e log ]
}

@test "a job log that cannot be written: exit 255 before any job starts" {
	run bparx --joblog nodir/log 'touch ran{}' ::: 1 2
	[ "$status" -eq 255 ]
	[ "$output" = "parx: cannot write to --joblog 'nodir/log': No such file or directory" ]
	[ ! -e ran1 ]
	[ ! -e ran2 ]
	mkdir adir
	run bparx --joblog adir 'touch ran{}' ::: 1
	[ "$status" -eq 255 ]
	[ "$output" = "parx: cannot write to --joblog 'adir': Is a directory" ]
	[ ! -e ran1 ]
}

@test "a job log on a full device: exit 255 before any job starts" {
	[ -w /dev/full ] || skip "no /dev/full"
	run bparx --joblog /dev/full 'touch ran{}' ::: 1
	[ "$status" -eq 255 ]
	[ "$output" = "parx: cannot write to --joblog '/dev/full': No space left on device" ]
	[ ! -e ran1 ]
}

@test "a disk that fills up under the job log is reported; parx stops" {
	mount_tiny small 4k
	run bparx -j1 --joblog small/log 'echo {} >> ran' < <(seq 500)
	[ "$status" -eq 255 ]
	[ "$output" = "parx: cannot write to --joblog 'small/log': No space left on device" ]
	# it stopped starting jobs; every job it logged did run
	[ "$(wc -l < ran)" -lt 500 ]
	[ "$(tail -n +2 small/log | wc -l)" -le "$(wc -l < ran)" ]
}

@test "--joblog with -u logs each job" {
	run bparx -u --joblog log 'echo {}' ::: a b
	[ "$status" -eq 0 ]
	[ "$(tail -n +2 log | wc -l)" -eq 2 ]
}

# The parser

jl() {
	"$PARX_TEST_TOOL" joblog "$@"
}

@test "parser: records, the header and empty lines" {
	printf '%s\n1\t:\t1.000\t     0.001\t0\t3\t0\t0\techo a\n\n2\thost\t2.5\t1\t0\t0\t-1\t15\tsleep 9\n' "$HEADER" > log
	run jl log
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines '1 0 0 [echo a]' '2 -1 15 [sleep 9]' ok)" ]
}

@test "parser: a last line cut short is ignored, a whole one without newline kept" {
	printf '1\t:\t1\t1\t0\t0\t0\t0\ta\n2\t:\t1\t1\t0' > cut
	run jl cut
	[ "$output" = "$(lines '1 0 0 [a]' ok)" ]
	printf '1\t:\t1\t1\t0\t0\t0\t0\ta\n2\t:\t1\t1\t0\t0\t4\t0\tb' > whole
	run jl whole
	[ "$output" = "$(lines '1 0 0 [a]' '2 4 0 [b]' ok)" ]
}

@test "parser: a malformed line is reported with its number" {
	for bad in 'x\t:\t1\t1\t0\t0\t0\t0\ta' '0\t:\t1\t1\t0\t0\t0\t0\ta' \
	    '1\t:\t1\t1\t0\t0\t0\ta' '1\t\t1\t1\t0\t0\t0\t0\ta' \
	    '1\t:\tx\t1\t0\t0\t0\t0\ta' '1\t:\t1\t1\t0\t0\t1x\t0\ta' \
	    '1\t:\t1\t1\t0\t0\t0\t-\ta' '99999999999999999999\t:\t1\t1\t0\t0\t0\t0\ta' \
	    'garbage'; do
		printf "1\t:\t1\t1\t0\t0\t0\t0\tok\n$bad\n" > log
		run jl log
		[ "$status" -eq 1 ] || { echo "accepted: $bad"; return 1; }
		[ "${lines[1]}" = "bad 2" ]
	done
}

@test "parser: NUL bytes and tabs in the command are kept" {
	printf '1\t:\t1\t1\t0\t0\t0\t0\ta\0b\tc\n' > log
	run jl log
	[ "$output" = "$(lines '1 0 0 [a\0b\tc]' ok)" ]
}

@test "parser: random bytes never crash it" {
	for i in 1 2 3 4 5; do
		head -c 20000 /dev/urandom > rnd
		run jl rnd
		[ "$status" -le 1 ]
		tr -dc '0-9\t:.\n-' < /dev/urandom | head -c 20000 > rnd
		run jl rnd
		[ "$status" -le 1 ]
	done
}

@test "parser: what --resume, --resume-failed and --retry-failed see" {
	printf '%s\n' "$HEADER" > log
	printf '1\t:\t1\t1\t0\t0\t1\t0\tfirst try\n' >> log
	printf '2\t:\t1\t1\t0\t0\t0\t0\tok\n' >> log
	printf '3\t:\t1\t1\t0\t0\t0\t9\tkilled\0x\n' >> log
	printf '1\t:\t1\t1\t0\t0\t2\t0\tsecond try\n' >> log
	printf '4\t:\t1\t1\t0\t0\t1\t0\tfailed\n' >> log
	printf '4\t:\t1\t1\t0\t0\t0\t0\tthen ok\n' >> log
	run jl --past log
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 'finished 1 2 3 4' 'succeeded 2 4' \
	    'failed 1 [second try]' 'failed 3 [killed\nx]')" ]
}

@test "parser: a missing file is an empty log" {
	run jl --past nosuchfile
	[ "$output" = "$(lines finished succeeded)" ]
}

@test "--func jobs are logged, Receive being the bytes of their output" {
	run bparx -k --func echo --joblog log ::: a bb
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines a bb)" ]
	[ "$(tail -n +2 log | cut -f 1,5-9)" = "$(printf '1\t0\t2\t0\t0\techo a\n2\t0\t3\t0\t0\techo bb')" ]
}

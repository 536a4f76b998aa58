#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
# -v (the command on stdout, in front of its output), --silent,
# --number-of-cpus and the options accepted for GNU parallel's sake.

load helpers

@test "-v puts each command in front of its job's output block" {
	run bparx -v -k -j2 'echo {}; echo e{} >&2' ::: a b
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'echo a; echo ea >&2\na\nea\necho b; echo eb >&2\nb\neb')" ]
}

@test "-v keeps the command with its own job when jobs finish out of order" {
	# job 1 waits until job 2's block is out: a barrier on parx's output
	local c='if [ {} = 1 ]; then while ! grep -qx out2 out; do sleep 0.01; done; fi; echo out{}'
	bparx -v -j2 "$c" ::: 1 2 > out
	[ "$(cat out)" = "$(lines "${c//\{\}/2}" out2 "${c//\{\}/1}" out1)" ]
}

@test "-v with a simple template, --line-buffer and -u" {
	run bparx -v echo ::: x
	[ "$output" = "$(printf 'echo x\nx')" ]
	run bparx -v --line-buffer echo ::: x
	[ "$output" = "$(printf 'echo x\nx')" ]
	run bparx -v -u echo ::: x
	[ "$output" = "$(printf 'echo x\nx')" ]
}

@test "-v with --func shows the call" {
	run bparx -v -k --func echo ::: 'a b' c
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf "echo 'a b'\na b\necho c\nc")" ]
}

@test "-v with --tag tags the command line too" {
	run bparx -v --tag echo ::: a
	[ "$output" = "$(printf 'a\techo a\na\ta')" ]
}

@test "--silent undoes -v" {
	run bparx -v --silent echo ::: a
	[ "$output" = "a" ]
}

@test "--number-of-cpus, --number-of-cores, --number-of-threads print the CPU count" {
	want=$(nproc)
	for o in --number-of-cpus --number-of-cores --number-of-threads; do
		run bparx "$o"
		[ "$status" -eq 0 ]
		[ "$output" = "$want" ]
	done
}

@test "--number-of-sockets prints the number of CPU packages of the machine" {
	# GNU: parallel --number-of-sockets (1 on a one-socket machine)
	want=$(cat /sys/devices/system/cpu/cpu[0-9]*/topology/physical_package_id |
	    sort -u | wc -l)
	for o in --number-of-sockets --numberofsockets; do
		run bparx "$o"
		[ "$status" -eq 0 ]
		[ "$output" = "$want" ]
	done
}

@test "--will-cite, --no-notice, --gnu and --plain are accepted and change nothing" {
	run bparx --will-cite --no-notice --gnu --plain -k echo ::: a b
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'a\nb')" ]
}

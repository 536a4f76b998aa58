#!/usr/bin/env bats
# -v (the command on stdout, in front of its output), --silent,
# --number-of-cpus and the options accepted for GNU parallel's sake.

load helpers

@test "-v puts each command in front of its job's output block" {
	run bparx -v -k -j2 'echo {}; echo e{} >&2' ::: a b
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'echo a; echo ea >&2\na\nea\necho b; echo eb >&2\nb\neb')" ]
}

@test "-v keeps the command with its own job when jobs finish out of order" {
	run bparx -v -j2 'if [ {} = 1 ]; then while [ ! -e done2 ]; do sleep 0.01; done; fi; echo out{}; [ {} = 2 ] && touch done2; true' ::: 1 2
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' "if [ 2 = 1 ]; then while [ ! -e done2 ]; do sleep 0.01; done; fi; echo out2; [ 2 = 2 ] && touch done2; true" out2 "if [ 1 = 1 ]; then while [ ! -e done2 ]; do sleep 0.01; done; fi; echo out1; [ 1 = 2 ] && touch done2; true" out1)" ]
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

@test "--will-cite, --no-notice, --gnu and --plain are accepted and change nothing" {
	run bparx --will-cite --no-notice --gnu --plain -k echo ::: a b
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'a\nb')" ]
}

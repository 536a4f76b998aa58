#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
#
# shuf: --shuf runs every job once, in random order, numbered in the
# order they run.

load helpers

@test "--shuf runs every job exactly once" {
	bparx --shuf -j4 echo ::: $(seq 500) > out
	[ "$(sort -n out)" = "$(seq 500)" ]
}

@test "--shuf changes the order" {
	# the chance that 200 values come out in order is 1/200!
	bparx --shuf -j1 echo ::: $(seq 200) > out
	[ "$(sort -n out)" = "$(seq 200)" ]
	[ "$(cat out)" != "$(seq 200)" ]
	# and differs between runs
	bparx --shuf -j1 echo ::: $(seq 200) > out2
	! cmp -s out out2
}

@test "--shuf: {#} numbers the jobs in the order they run" {
	bparx --shuf -j1 echo {#} ::: $(seq 50) > out
	[ "$(cat out)" = "$(seq 50)" ]
	bparx --shuf -k echo {#} {} ::: $(seq 50) > out
	[ "$(cut -d' ' -f1 out)" = "$(seq 50)" ]
	[ "$(cut -d' ' -f2 out | sort -n)" = "$(seq 50)" ]
}

@test "--shuf shuffles whole combinations of several sources" {
	bparx --shuf echo {1}{2} ::: a b c ::: 1 2 3 :::+ x y z > out
	[ "$(sort out)" = "$(lines a1 a2 a3 b1 b2 b3 c1 c2 c3)" ]
	bparx --shuf echo {1}{2}{3} ::: a b c ::: 1 2 :::+ x y > out
	[ "$(sort out)" = "$(lines a1x a2y b1x b2y c1x c2y)" ]
}

@test "--shuf reads stdin to its end first" {
	seq 300 | bparx --shuf -j3 echo > out
	[ "$(sort -n out)" = "$(seq 300)" ]
}

@test "--shuf keeps empty values, NUL-delimited input and -r" {
	printf 'a\0\0b c\0' | bparx -0 --shuf -k echo '[{}]' > out
	[ "$(sort out)" = "$(lines '[]' '[a]' '[b c]')" ]
	printf 'a\n\n \nb\n' | bparx -r --shuf echo > out
	[ "$(sort out)" = "$(lines a b)" ]
}

@test "--shuf with no input runs nothing" {
	run bparx --shuf echo :::
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	run bparx --shuf echo < /dev/null
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "--shuf: the total for --progress is known once the input is read" {
	printf '%s\n' 1 2 3 > in
	bparx --shuf --progress -a in true 2> err
	[ "$(sed 's/avg .*/avg/' err)" = "3/3 done, avg" ]
}

@test "--shuf with --func runs every function once" {
	bparx --shuf -j3 --func echo ::: $(seq 300) > out
	[ "$(sort -n out)" = "$(seq 300)" ]
	[ "$(cat out)" != "$(seq 300)" ]
}

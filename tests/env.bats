#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
#
# --env: the jobs get parx's whole environment; --env VAR is accepted for
# GNU parallel's sake and changes nothing locally.  Expected outputs are
# GNU parallel 20221122's.

load helpers

@test "jobs see the exported environment, with or without --env" {
	export PARX_T_FOO=1
	run bparx -k echo '$PARX_T_FOO' {} ::: a
	[ "$output" = "1 a" ]
	run bparx -k --env PARX_T_FOO echo '$PARX_T_FOO' {} ::: a
	[ "$output" = "1 a" ]
	run bparx -k --env PARX_T_OTHER echo '$PARX_T_FOO' {} ::: a
	[ "$output" = "1 a" ]
}

@test "--env does not export a shell variable" {
	PARX_T_LOCAL=1
	run bparx -k --env PARX_T_LOCAL echo "[\$PARX_T_LOCAL]" ::: a
	[ "$output" = "[] a" ]
}

@test "--env may be repeated and takes _ and patterns" {
	export PARX_T_A=x PARX_T_B=y
	run bparx -k --env PARX_T_A --env PARX_T_B --env _ --env 'PARX_T_*' \
	    echo '$PARX_T_A$PARX_T_B' ::: a
	[ "$status" -eq 0 ]
	[ "$output" = "xy a" ]
}

@test "--env leaves the command unchanged" {
	run bparx --dry-run --env PARX_T_FOO echo '$PARX_T_FOO' ::: a
	[ "$output" = 'echo $PARX_T_FOO a' ]
}

@test "--env needs a value; after ::: it is an argument" {
	run bparx --env
	[ "$status" -eq 255 ]
	[ "${lines[0]}" = "parx: option '--env' requires an argument" ]
	run bparx -k echo ::: a --env
	[ "$output" = "$(lines a --env)" ]
}

@test "--env with --func: accepted, the functions run as without it" {
	run bparx -k --env PARX_T_FOO --func echo {} ::: a b
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines a b)" ]
}

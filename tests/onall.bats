#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
#
# --onall and --nonall on this machine (-S :, or no -S at all); the
# same across real hosts is in ssh.bats.  Each test names the GNU
# parallel 20221122 command it matches.

bats_require_minimum_version 1.5.0

load helpers

@test "--nonall without -S runs the command once here" {
	# parallel --nonall 'echo hi {} $PARALLEL_SEQ'
	run -0 bparx --nonall 'echo hi {} $PARALLEL_SEQ'
	[ "$output" = 'hi 1' ]
}

@test "--nonall --tag: the tag is the login; a login listed twice is one" {
	# parallel --nonall --tag -S :,: 'echo hi'
	run -0 bparx --nonall --tag -S :,: 'echo hi'
	[ "$output" = "$(printf ':\thi')" ]
}

@test "--onall -S : runs every job in order, one at a time" {
	# parallel --onall -S : 'echo {}; exit {}' ::: 0 1 2 (status 1: a host)
	run -1 bparx --onall -S : 'echo {}; exit {}' ::: 0 1 2
	[ "$output" = "$(lines 0 1 2)" ]
	run -0 bparx --onall -S : \
	    '[ ! -e run ] || echo both; touch run; sleep 0.1; rm run; echo {}' \
	    ::: a b c
	[ "$output" = "$(lines a b c)" ]
}

@test "--onall: standard input, -a files and --arg-sep" {
	# printf 'x\ny\n' | parallel --onall -S : echo
	printf 'x\ny\n' > stdin
	run -0 bparx --onall -S : echo < stdin
	[ "$output" = "$(lines x y)" ]
	printf 'f1\nf2\n' > in
	run -0 bparx --onall -a in echo
	[ "$output" = "$(lines f1 f2)" ]
	run -0 bparx --nonall --arg-sep ,, 'echo hi {}'
	[ "$output" = 'hi' ]
	run -0 bparx --onall --arg-sep ,, echo ,, p q
	[ "$output" = "$(lines p q)" ]
}

@test "--nonall with arguments runs them, as --onall" {
	# parallel --nonall echo hi ::: a b
	run -0 bparx --nonall -S : echo hi ::: a b
	[ "$output" = "$(lines 'hi a' 'hi b')" ]
}

@test "--onall: --dry-run shows each host's commands" {
	# (GNU parallel 20221122 runs them with --nonall --dry-run)
	run -0 bparx --onall --dry-run -S : echo ::: a b
	[ "$output" = "$(lines 'echo a' 'echo b')" ]
}

@test "--onall: the jobs see none of parx's own variables" {
	run -0 bparx --onall -S : 'env | grep -c "^PARX_ONALL" || :' ::: 1
	[ "$output" = 0 ]
}

@test "--onall refuses what it cannot pass on, exit 255" {
	run -255 bparx --onall --pipe cat < /dev/null
	[ "$output" = 'parx: --onall and --nonall do not take --pipe' ]
	run -255 bparx --onall --joblog log --resume echo ::: a
	[ "$output" = 'parx: --onall and --nonall do not take --resume, --resume-failed and --retry-failed (the job log has each job once per host)' ]
	run -255 bparx --onall --results out echo ::: a
	[ "$output" = 'parx: --onall and --nonall do not take --results (each host would write the same files)' ]
	run -255 bparx --nonall --slf nosuch echo
	[ "$output" = "parx: cannot read --slf 'nosuch' (nor '$PARALLEL_HOME/nosuch'): No such file or directory" ]
	[ ! -e out ]
}

@test "--onall-inner is nothing without the run that starts it" {
	run -255 bparx --onall-inner x echo
	[ "${lines[0]}" = "parx: unrecognized option '--onall-inner'" ]
}

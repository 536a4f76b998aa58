#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
#
# parset (shell/parset.sh): a shell function that sets variables from the
# outputs of parx's jobs, as GNU parallel's parset does.  Each test sources
# the file into bash (or zsh) with this build's parx first on PATH, and
# the mode in $PARALLEL.  Expected values are GNU parallel 20221122's
# (its parset from ". $(which env_parallel.bash)") for the command in each
# test's comment, except where a test says parx chooses otherwise.

load helpers

setup_more() {
	PARSET_SH="$BATS_TEST_DIRNAME/../shell/parset.sh"
	mkdir "$TMP/bin" && ln -s "$PARX" "$TMP/bin/parx" || return 1
	printf '#!/bin/sh\nprintf "%%s\\n\\n" "$1"\n' > "$TMP/bin/twice"
	printf '#!/bin/sh\nsleep "0.$1"; echo "$1"\n' > "$TMP/bin/late"
	chmod +x "$TMP/bin/twice" "$TMP/bin/late"
	PATH="$TMP/bin:$PATH"
	export PARALLEL="--mode=$PARX_MODE"
}

# in_bash SCRIPT: run SCRIPT in a new bash that sourced parset.sh.
in_bash() {
	bounded bash -c ". \"\$1\"; $1" bash "$PARSET_SH"
}

@test "parset: several names, one job's output each, in input order" {
	# GNU: parset a,b,c echo ::: x y z; parset "d e" echo ::: 'p  q' r
	run in_bash 'parset a,b,c -j3 echo ::: x y z; echo "$? [$a] [$b] [$c]"
	    parset "d e" echo ::: "p  q" r; echo "$? [$d] [$e]"
	    parset "f, g" late ::: 3 0; echo "[$f] [$g]"'
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines '0 [x] [y] [z]' '0 [p  q] [r]' '[3] [0]')" ]
}

@test "parset: one name is an array of the outputs, with spaces, newlines and only the last newline dropped" {
	# GNU: parset arr printf '%s\n\n' ::: 'one two' x; parset nl printf 'a\n\n\n' ::: 1
	# (GNU 20221122 splits a ::: value holding a newline into two jobs;
	# parx keeps it one value, as everywhere else.)
	run in_bash 'arr=(9 9 9 9); parset arr twice ::: "one two" "l1
l2" x; echo "$? ${#arr[@]}"; declare -p arr
	    parset nl printf "a\\\\n\\\\n\\\\n" ::: 1; declare -p nl
	    parset none printf ab ::: 1; declare -p none
	    parset one echo ::: single; declare -p one'
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines '0 3' \
	    "declare -a arr=([0]=\$'one two\\n' [1]=\$'l1\\nl2\\n' [2]=\$'x\\n')" \
	    "declare -a nl=([0]=\$'a\\n\\n')" \
	    'declare -a none=([0]="ab")' \
	    'declare -a one=([0]="single")')" ]
}

@test "parset: large outputs come back byte for byte" {
	run in_bash 'parset big,small "seq {}" ::: 200000 3
	    [ "$big" = "$(seq 200000)" ] && [ "$small" = "$(seq 3)" ] && echo same ${#big}'
	[ "$status" -eq 0 ]
	[ "$output" = "same $(($(seq 200000 | wc -c) - 1))" ]
}

@test "parset: the status is parx's, failed jobs give their (empty) outputs too" {
	# GNU: parset arr2 'echo {}; exit {}' ::: 0 3 0 5 -> 2
	run in_bash 'parset arr "echo {}; exit {}" ::: 0 3 0 5; echo $?; declare -p arr
	    parset t ::: "echo a" false "echo c"; echo $?; declare -p t
	    parset u no-such-command-here ::: 1 2>/dev/null; echo $?; declare -p u'
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 2 \
	    'declare -a arr=([0]="0" [1]="3" [2]="0" [3]="5")' \
	    1 'declare -a t=([0]="a" [1]="" [2]="c")' \
	    1 'declare -a u=([0]="")')" ]
}

@test "parset: the jobs' standard error goes to standard error, in input order" {
	# GNU: parset e 'echo out; echo err >&2' ::: 1 (GNU writes it as the
	# job ends; parx once all jobs are done)
	run in_bash 'parset e "echo out{}; echo err{} >&2" ::: 1 2 2>err; declare -p e; cat err'
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 'declare -a e=([0]="out1" [1]="out2")' err1 err2)" ]
}

@test "parset: more jobs than names is an error after setting them; fewer leaves the rest alone" {
	# GNU: parset v1,v2 echo ::: a b c -> 255, v1=a v2=b; w3=old stays
	run in_bash 'parset v1,v2 echo ::: a b c; echo "$? [$v1] [$v2]"
	    w3=old; parset w1,w2,w3 echo ::: a b; echo "$? [$w1] [$w2] [$w3]"'
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines \
	    'parset: 3 jobs, 2 variables: too few named destination variables' \
	    '255 [a] [b]' '0 [a] [b] [old]')" ]
}

@test "parset: a bad name, no name, an associative array: one line, 255, nothing runs" {
	# GNU: parset 1bad echo ::: a -> 255; parset -> 255
	run in_bash 'parset 1bad touch ran ::: a; echo $?
	    parset; echo $?
	    parset _parset_x echo ::: a; echo $?
	    declare -A as; parset as touch ran ::: a; echo $?
	    [ ! -e ran ] && echo nothing ran'
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines \
	    "parset: '1bad' is not a variable name parset can set" 255 \
	    'parset: no destination variable given' \
	    'usage: parset NAME[,NAME...] [parx options] command ...' 255 \
	    "parset: '_parset_x' is not a variable name parset can set" 255 \
	    "parset: 'as' is an associative array: parset sets arrays and variables" 255 \
	    'nothing ran')" ]
}

@test "parset: no job gives an empty array; the temporary directory is removed" {
	# GNU: parset q echo ::: -> 0, q=()
	mkdir tmp
	run in_bash 'TMPDIR=$PWD/tmp; parset q echo :::; echo $?; declare -p q
	    parset r,s echo ::: 1 2; ls -A tmp | wc -l'
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 0 'declare -a q=()' 0)" ]
}

@test "parset in zsh: names and arrays" {
	command -v zsh > /dev/null || skip "no zsh"
	run bounded zsh -c '. "$1"; parset a,b echo ::: "x y" z; echo "$? [$a] [$b]"
	    parset arr twice ::: 1 "2 3"; typeset -p arr' zsh "$PARSET_SH"
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines '0 [x y] [z]' "typeset -a arr=( \$'1\\n' \$'2 3\\n' )")" ]
}

#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
#
# dryrun: --dry-run prints the commands and runs nothing; -t/--verbose
# prints each command on stderr as it starts.  Expected texts are what
# GNU parallel 20221122 prints.

bats_require_minimum_version 1.5.0

load helpers

# bparx ARGS...: the parx function under bounded.  timeout(1) cannot call
# a shell function, so a bash in between calls it; that bash is then the
# shell parx sees as the one that started it, as with a plain call.


# --dry-run

@test "--dry-run quotes as GNU parallel does" {
	run --separate-stderr bparx --dry-run -k echo ::: "it's" 'a b' '' plain
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines "echo 'it'\"'\"'s'" "echo 'a b'" "echo ''" \
	    "echo plain")" ]
	[ -z "$stderr" ]
}

@test "--dry-run quoting of shell metacharacters" {
	run bparx --dry-run -k echo ::: "a'b'c" "''" '$x' '${x}' '`x`' '$(x)' \
	    '*' '?' '[x]' '~' '~/x' '#' 'a#' '!' '{}' 'a b  c' '&' ';' '|' \
	    '<' '>' '(' ')' '=' 'x=1' '--' '-n' '"' '\' '%' ':' '@' ',' '.' \
	    '/x' '+' '^' 'a.b-c_d/e:f' $'\t'
	[ "$status" -eq 0 ]
	[ "$output" = "$(cat <<-'EOF'
	echo 'a'"'"'b'"'"'c'
	echo "'"''"'"
	echo '$x'
	echo '${x}'
	echo '`x`'
	echo '$(x)'
	echo '*'
	echo '?'
	echo '[x]'
	echo '~'
	echo '~/x'
	echo '#'
	echo 'a#'
	echo '!'
	echo '{}'
	echo 'a b  c'
	echo '&'
	echo ';'
	echo '|'
	echo '<'
	echo '>'
	echo '('
	echo ')'
	echo '='
	echo 'x=1'
	echo --
	echo -n
	echo '"'
	echo '\'
	echo '%'
	echo ':'
	echo '@'
	echo ','
	echo .
	echo /x
	echo +
	echo '^'
	echo 'a.b-c_d/e:f'
	EOF
	printf "echo '\t'")" ]
}

@test "--dry-run passes control bytes and invalid UTF-8 inside quotes" {
	bparx --dry-run -k echo ::: é $'\377' $'a\rb' > got
	printf "echo '\303\251'\necho '\377'\necho 'a\rb'\n" > want
	cmp want got
}

@test "--dry-run prints a newline inside an item within the quotes" {
	run bparx --dry-run -0 echo < <(printf 'a\nb\0')
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf "echo 'a\nb'")" ]
}

@test "--dry-run with every replacement string" {
	run bparx --dry-run -k echo {} {.} {/} {//} {/.} {1} {#} ::: "d'x/f g.t"
	[ "$status" -eq 0 ]
	[ "$output" = "echo 'd'\"'\"'x/f g.t' 'd'\"'\"'x/f g' 'f g.t' 'd'\"'\"'x' 'f g' 'd'\"'\"'x/f g.t' 1" ]
}

@test "--dry-run keeps the template's shell syntax as it is" {
	run bparx --dry-run -k 'echo {} | wc; ls > {}.out' ::: 'x y'
	[ "$status" -eq 0 ]
	[ "$output" = "echo 'x y' | wc; ls > 'x y'.out" ]
}

@test "--dry-run with -q quotes the template's words" {
	run bparx --dry-run -q echo 'a b' '|' '$x' ::: 'c d'
	[ "$status" -eq 0 ]
	[ "$output" = "echo 'a b' '|' '\$x' 'c d'" ]
}

@test "--dry-run with several sources and stdin" {
	run bparx --dry-run -k echo {2} {1} ::: a 'b c' ::: 1
	[ "$output" = "$(lines "echo 1 a" "echo 1 'b c'")" ]
	run bparx --dry-run -k echo < <(lines a 'b c')
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines "echo a" "echo 'b c'")" ]
}

@test "--dry-run with no command prints the input lines" {
	run bparx --dry-run -k ::: 'echo a' 'touch ran'
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 'echo a' 'touch ran')" ]
	[ ! -e ran ]
}

@test "--dry-run runs nothing" {
	run bparx --dry-run touch ran ::: a b
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | sort)" = \
	    "$(lines 'touch ran a' 'touch ran b')" ]
	[ ! -e ran ]
	[ ! -e a ]
}

@test "--dry-run runs no shell template either" {
	run bparx --dry-run -j2 'touch ran.{}; echo ran' ::: a b c
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | sort)" = \
	    "$(lines 'touch ran.a; echo ran' 'touch ran.b; echo ran' \
	    'touch ran.c; echo ran')" ]
	! compgen -G 'ran*'
}

@test "--dry-run runs no exported function" {
	myfunc() { touch ran; }
	export -f myfunc
	run bparx --dry-run myfunc ::: a
	[ "$status" -eq 0 ]
	[ "$output" = "myfunc a" ]
	[ ! -e ran ]
}

@test "--dry-run exits 0 for commands that would fail or do not exist" {
	run bparx --dry-run -k 'exit 1' ::: a b
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 'exit 1 a' 'exit 1 b')" ]
	run bparx --dry-run nosuchcmd_parx ::: a
	[ "$status" -eq 0 ]
	[ "$output" = "nosuchcmd_parx a" ]
}

@test "--dry-run with empty input prints nothing" {
	run bparx --dry-run echo < /dev/null
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	run bparx --dry-run echo :::
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "--dry-run still reports errors of parx" {
	run bparx --dry-run --colsep '[' echo ::: a
	[ "$status" -eq 255 ]
	[ "$output" = "parx: invalid regular expression '[' for --colsep/-C: expected an extended regular expression (Invalid regular expression)" ]
	run bparx --dry-run -a missing echo
	[ "$status" -eq 255 ]
}

@test "--dry-run: a '{' that nothing closes is literal, as in GNU parallel" {
	# parallel --dry-run 'echo {' ::: a  prints  echo { a
	run bparx --dry-run 'echo {' ::: a
	[ "$status" -eq 0 ]
	[ "$output" = "echo { a" ]
}

@test "--dry-run -k prints in input order" {
	run bparx --dry-run -k -j4 echo {#} < <(seq 50)
	[ "$status" -eq 0 ]
	[ "$output" = "$(seq 50 | sed 's/^/echo /')" ]
}

@test "--dry-run without -k prints each command once" {
	run bparx --dry-run -j4 echo < <(seq 50)
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | sort -k2n)" = "$(seq 50 | sed 's/^/echo /')" ]
}

@test "--dry-run --tag prefixes the arguments as GNU does" {
	run bparx --dry-run --tag -k echo ::: a 'b c'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf "a\techo a\nb c\techo 'b c'")" ]
}

# -k while running

# A job that waits until the jobs named by its arguments have ended and
# parx has reaped them (a zombie still answers kill -0).
cat_waiter() {
	cat > waiter <<-'EOF'
	#!/bin/sh
	me=$1
	shift
	for j in "$@"; do
		while [ ! -s pid.$j ]; do sleep 0.01; done
		while kill -0 "$(cat pid.$j)" 2>/dev/null; do sleep 0.01; done
	done
	echo "$me"
	EOF
	chmod +x waiter
}

@test "-k writes the output in input order" {
	cat_waiter
	# job 1 ends last, job 2 next to last
	run bparx -k -j3 'if [ {} = 1 ]; then ./waiter 1 2 3; elif [ {} = 2 ]; then echo $$ > pid.2; ./waiter 2 3; else echo $$ > pid.3; echo 3; fi' ::: 1 2 3
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 1 2 3)" ]
}

@test "--keep-order is -k" {
	cat_waiter
	run bparx --keep-order -j2 'if [ {} = 1 ]; then ./waiter 1 2; else echo $$ > pid.2; echo 2; fi' ::: 1 2
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 1 2)" ]
}

@test "without -k output comes as jobs finish" {
	# job 1 waits until parx has written job 2's output
	bparx -j2 'if [ {} = 1 ]; then while ! grep -q 2 out; do sleep 0.01; done; fi; echo {}' ::: 1 2 > out
	[ "$(cat out)" = "$(lines 2 1)" ]
}

# -t / --verbose

@test "-t prints each command on stderr, the output stays on stdout" {
	run --separate-stderr bparx -t -k -j1 echo ::: 'a b' "it's"
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 'a b' "it's")" ]
	[ "$stderr" = "$(lines "echo 'a b'" "echo 'it'\"'\"'s'")" ]
}

@test "--verbose is -t" {
	run --separate-stderr bparx --verbose echo ::: a
	[ "$status" -eq 0 ]
	[ "$output" = a ]
	[ "$stderr" = "echo a" ]
}

@test "-t prints the command before the job's own stderr" {
	run --separate-stderr bparx -j1 -t 'echo out{}; echo err{} >&2' ::: 1 2
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines out1 out2)" ]
	[ "$stderr" = "$(lines 'echo out1; echo err1 >&2' err1 \
	    'echo out2; echo err2 >&2' err2)" ]
}

@test "-t prints the command before the job runs" {
	# each job looks for its own command line in parx's stderr
	bparx -t -j2 grep -c -F X{}X err ::: 1 2 3 2> err > out
	[ "$(sort out)" = "$(lines 1 1 1)" ]
	[ "$(sort err)" = "$(lines 'grep -c -F X1X err' \
	    'grep -c -F X2X err' 'grep -c -F X3X err')" ]
}

@test "-t prints the command before a shell job runs" {
	bparx -t -j2 'grep -c -F X{}X err | cat' ::: 1 2 3 2> err > out
	[ "$(sort out)" = "$(lines 1 1 1)" ]
	[ "$(sort err)" = "$(lines 'grep -c -F X1X err | cat' \
	    'grep -c -F X2X err | cat' 'grep -c -F X3X err | cat')" ]
}

@test "-t with several jobs at once prints each command once" {
	run --separate-stderr bparx -t -j4 echo < <(seq 20)
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | sort -n)" = "$(seq 20)" ]
	[ "$(printf '%s\n' "$stderr" | sort -k2n)" = "$(seq 20 | sed 's/^/echo /')" ]
}

@test "-t shows failing and missing commands too" {
	run --separate-stderr bparx -t -k -j1 nosuchcmd_parx ::: a
	[ "$status" -eq 1 ]
	[ "${stderr%%$'\n'*}" = "nosuchcmd_parx a" ]
}

@test "--dry-run -t prints the commands on stdout and stderr" {
	run --separate-stderr bparx --dry-run -t -k touch ran ::: 'a b' c
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines "touch ran 'a b'" "touch ran c")" ]
	[ "$stderr" = "$(lines "touch ran 'a b'" "touch ran c")" ]
	[ ! -e ran ]
}

@test "--shellquote prints each command line shell-quoted and runs nothing" {
	# GNU: parallel -k --shellquote ::: 'a b' "c'd" x '' ('a b',
	# 'c'"'"'d', x, ''), exit 0
	run --separate-stderr bparx -k --shellquote ::: 'a b' "c'd" x ''
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines "'a b'" "'c'\"'\"'d'" x "''")" ]
	[ -z "$stderr" ]
	# GNU: parallel --shellquote touch ::: 'a b' ('touch '"'"'a b'"'"),
	# nothing touched
	run bparx --shellquote touch ::: 'a b'
	[ "$status" -eq 0 ]
	[ "$output" = "'touch '\"'\"'a b'\"'\"" ]
	[ ! -e 'a b' ]
	# GNU: echo 'x y' | parallel --shellquote ('x y'); parallel -k
	# --shellquote ::: 'a b' ::: 'c d' ('a b c d')
	run bparx --shellquote <<< 'x y'
	[ "$output" = "'x y'" ]
	run bparx -k --shellquote ::: 'a b' ::: 'c d'
	[ "$output" = "'a b c d'" ]
	# GNU: parallel --shell-quote ::: 'a b' ('a b'): the other name
	run bparx --shell-quote ::: 'a b'
	[ "$output" = "'a b'" ]
	# The quoted name reads back as itself
	q=$(bparx -0 --shellquote ::: "a \$b'c")
	[ "$(eval "printf %s $q")" = "a \$b'c" ]
}

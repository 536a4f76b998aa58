#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
#
# basic: input and templates end to end, through the real binary, in the
# mode tests/run-all selects.  Expected texts are what GNU parallel
# 20221122 prints, except where a test says parx chooses otherwise.

bats_require_minimum_version 1.5.0

load helpers

# bparx ARGS...: the parx function under bounded.  timeout(1) cannot call
# a shell function, so a bash in between calls it; that bash is then the
# shell parx sees as the one that started it, as with a plain call.


# Input sources

@test "stdin lines are the arguments" {
	run bparx -k echo <<-EOF
	a
	b c
	EOF
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines a 'b c')" ]
}

@test "without -k the output holds every job once" {
	run bparx echo < <(seq 20)
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | sort -n)" = "$(seq 20)" ]
}

@test "-a FILE reads the arguments from the file, not stdin" {
	printf 'f1\nf2\n' > in
	run bparx -k -a in echo <<< "stdin"
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines f1 f2)" ]
}

@test "--arg-file is -a" {
	printf 'f1\nf2\n' > in
	run bparx -k --arg-file in echo < /dev/null
	[ "$output" = "$(lines f1 f2)" ]
}

@test "-a twice combines the files as a product" {
	printf '1\n2\n' > f1
	printf 'a\nb\n' > f2
	run bparx -k -a f1 -a f2 echo < /dev/null
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines '1 a' '1 b' '2 a' '2 b')" ]
}

@test "-a - is stdin" {
	printf 'a\nb\n' > f2
	run bparx -k -a - -a f2 echo <<-EOF
	x
	y
	EOF
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 'x a' 'x b' 'y a' 'y b')" ]
}

@test "::: gives one job per word, stdin unread" {
	run bparx -k echo ::: a 'b c' d <<< "stdin"
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines a 'b c' d)" ]
}

@test ":::: reads a file, and :::: - reads stdin" {
	printf 'a\nb\n' > in
	run bparx -k echo :::: in
	[ "$output" = "$(lines a b)" ]
	run bparx -k echo :::: - ::: 1 <<< "s"
	[ "$status" -eq 0 ]
	[ "$output" = "s 1" ]
}

@test "several sources combine as a product, the last varying fastest" {
	printf 'x\ny\n' > in
	run bparx -k echo ::: 1 2 ::: a b :::: in
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines '1 a x' '1 a y' '1 b x' '1 b y' \
	    '2 a x' '2 a y' '2 b x' '2 b y')" ]
}

@test "each file after :::: is a source of its own" {
	printf '1\n2\n' > f1
	printf 'a\nb\n' > f2
	run bparx -k echo :::: f1 f2
	[ "$output" = "$(lines '1 a' '1 b' '2 a' '2 b')" ]
}

@test ":::+ pairs with the previous source and stops at the shortest" {
	run bparx -k echo ::: a b c :::+ 1 2
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 'a 1' 'b 2')" ]
	run bparx -k echo ::: a b :::+ 1 2 3
	[ "$output" = "$(lines 'a 1' 'b 2')" ]
}

@test ":::+ inside a product pairs only with the source before it" {
	printf '1\n2\n' > f1
	run bparx -k echo :::: f1 ::: a b c :::+ X Y
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines '1 a X' '1 b Y' '2 a X' '2 b Y')" ]
}

@test "::::+ pairs a file with the previous source" {
	printf '1\n2\n3\n' > f1
	printf 'a\nb\n' > f2
	run bparx -k echo :::: f1 ::::+ f2
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines '1 a' '2 b')" ]
}

@test "--link pairs the sources and wraps the shorter ones around" {
	run bparx -k --link echo ::: a b c ::: 1 2
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 'a 1' 'b 2' 'c 1')" ]
	run bparx -k --link echo ::: a ::: 1 2 3
	[ "$output" = "$(lines 'a 1' 'a 2' 'a 3')" ]
}

@test "--xapply is --link" {
	run bparx -k --xapply echo ::: a b c ::: 1 2
	[ "$output" = "$(lines 'a 1' 'b 2' 'c 1')" ]
}

# Delimiters

@test "-0 splits on NUL and keeps newlines inside items" {
	printf 'a\0b\nc\0d' | {
		run bparx -k -0 printf '[%s]'
		[ "$status" -eq 0 ]
		[ "$output" = "$(printf '[a][b\nc][d]')" ]
	}
}

@test "--null is -0" {
	run bparx -k --null echo < <(printf 'a\0b\0')
	[ "$output" = "$(lines a b)" ]
}

@test "-d takes a multi-character delimiter" {
	run bparx -k -d ,, echo '[{}]' < <(printf 'a,,b,c,,d')
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines '[a]' '[b,c]' '[d]')" ]
}

@test "-d '\\t' is a tab and newline is then an ordinary character" {
	run bparx -k -d '\t' printf "'[%s]'" < <(printf 'a\tb\n\tc\n')
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '[a][b\n][c\n]')" ]
}

@test "-d with an escape in a longer delimiter" {
	run bparx -k -d 'x\ty' echo < <(printf 'ax\tyb')
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines a b)" ]
}

@test "--delimiter is -d" {
	run bparx -k --delimiter : echo < <(printf 'a:b')
	[ "$output" = "$(lines a b)" ]
}

@test "-d splits ::: words at the delimiter, as GNU parallel does" {
	# parallel -k -d , echo '[{}]' ::: 'a,b' c
	run bparx -k -d , echo '[{}]' ::: 'a,b' c
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines '[a]' '[b]' '[c]')" ]
	# parallel -k -d : echo {#}-{} ::: 'a:b:' c: the word ends a record
	run bparx -k -d : echo {#}-{} ::: 'a:b:' c
	[ "$output" = "$(lines 1-a 2-b 3- 4-c)" ]
	# parallel -k -d ab echo {#}-{} ::: xabyab ab
	run bparx -k -d ab echo {#}-{} ::: xabyab ab
	[ "$output" = "$(lines 1-x 2-y 3- 4- 5-)" ]
	# parallel -k -d : echo {1}-{2} ::: a:b :::+ x:y
	run bparx -k -d : echo {1}-{2} ::: a:b :::+ x:y
	[ "$output" = "$(lines a-x b-y)" ]
}

@test "without -d a ::: word is one value, newlines and all (GNU splits it)" {
	run bparx -k echo '[{}]' ::: $'a\nb' c
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines '[a' 'b]' '[c]')" ]
	run bparx -k -0 echo '[{}]' ::: $'a\nb'
	[ "$output" = "$(lines '[a' 'b]')" ]
}

# Odd input

@test "empty input runs no job, prints nothing and exits 0" {
	run bparx touch ran < /dev/null
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	[ ! -e ran ]
}

@test "an empty file after :::: runs no job" {
	: > empty
	run bparx touch ran :::: empty
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	[ ! -e ran ]
}

@test "an empty ::: list alone runs no job and exits 0" {
	run bparx touch ran :::
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	[ ! -e ran ]
	# GNU: parallel touch ran ::: a ::: (touch ran a '': an empty list
	# beside another is one empty value; touch fails on ''), exit 1
	run bparx touch ran ::: a :::
	[ "$status" -eq 1 ]
	[ -e ran ]
	[ -e a ]
}

@test "empty lines are jobs with an empty argument" {
	run bparx -k printf "'[%s]\n'" < <(printf 'a\n\n\nb\n')
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines '[a]' '[]' '[]' '[b]')" ]
}

@test "an empty ::: word is a job with an empty argument" {
	run bparx -k printf "'[%s]\n'" ::: a '' b
	[ "$output" = "$(lines '[a]' '[]' '[b]')" ]
}

@test "carriage returns and spaces are kept" {
	run bparx -k printf "'[%s]\n'" < <(printf 'a\r\n  b  \n\t\n')
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '[a\r]\n[  b  ]\n[\t]')" ]
}

@test "a last line without newline is a job" {
	run bparx -k echo < <(printf 'a\nlast')
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines a last)" ]
}

@test "invalid UTF-8 passes through byte for byte" {
	printf '\377\376\n\303(\n\355\240\200\n' > in
	printf '[\377\376]\n[\303(]\n[\355\240\200]\n' > want
	bparx -k printf "'[%s]\n'" :::: in > got
	cmp want got
	bparx -k 'printf "[%s]\n" {}' :::: in > got
	cmp want got
}

@test "a long input line is one argument" {
	head -c 100000 /dev/zero | tr '\0' x > in
	echo >> in
	run bparx 'printf %s {} | wc -c' < in
	[ "$status" -eq 0 ]
	[ "$output" = 100000 ]
}

@test "-r skips items that are only blanks" {
	run bparx -k -r echo x < <(printf 'a\n\n \t \nb\n')
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 'x a' 'x b')" ]
	run bparx -k --no-run-if-empty echo x ::: a '' ' ' b
	[ "$output" = "$(lines 'x a' 'x b')" ]
}

@test "-r with -0 skips empty items" {
	run bparx -k -r -0 echo x < <(printf 'a\0\0 \0b\0')
	[ "$output" = "$(lines 'x a' 'x b')" ]
}

@test "without -r a blank line runs" {
	run bparx -k echo x < <(printf 'a\n \n')
	[ "$output" = "$(lines 'x a' 'x  ')" ]
}

# Replacement strings

@test "every replacement string on a path with a directory" {
	run bparx -j1 echo {} {.} {/} {//} {/.} {#} {%} ::: d/e/f.tar.gz
	[ "$status" -eq 0 ]
	[ "$output" = "d/e/f.tar.gz d/e/f.tar f.tar.gz d/e f.tar 1 1" ]
}

@test "replacement strings on a plain name: {//} is ." {
	run bparx -j1 echo {} {.} {/} {//} {/.} ::: plain
	[ "$status" -eq 0 ]
	[ "$output" = "plain plain plain . plain" ]
}

@test "{.} only strips an extension of the last component" {
	run bparx -k echo {.} {/.} ::: a.b/c /x.y .hidden/z.q
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 'a.b/c c' '/x x' '.hidden/z z')" ]
}

@test "{//} of a file at the root is /" {
	run bparx echo {//} ::: /f
	[ "$output" = "/" ]
}

@test "{#} counts jobs from 1 in input order" {
	run bparx -k echo {#} {} ::: a b c
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines '1 a' '2 b' '3 c')" ]
}

@test "{%} is 1 with -j1 and within 1..j otherwise" {
	run bparx -j1 -k echo {%} ::: a b c
	[ "$output" = "$(lines 1 1 1)" ]
	run bparx -j3 echo {%} < <(seq 30)
	[ "$status" -eq 0 ]
	[ -z "$(printf '%s\n' "$output" | grep -vx '[123]')" ]
	[ "$(printf '%s\n' "$output" | wc -l)" -eq 30 ]
}

@test "positional replacement strings pick a source" {
	run bparx -k echo {2} {1} ::: a b ::: x
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 'x a' 'x b')" ]
}

@test "positional replacement strings with modifiers" {
	run bparx echo {1} {2.} {2/} {2//} {2/.} {1//} ::: a.x ::: d/b.y
	[ "$status" -eq 0 ]
	[ "$output" = "a.x d/b b.y d b ." ]
}

@test "negative positions count from the last source" {
	run bparx echo {-1} {-2} {-1.} ::: a ::: b ::: c.d
	[ "$status" -eq 0 ]
	[ "$output" = "c.d b c" ]
}

@test "{} with several sources is all the arguments" {
	run bparx -k echo '[{}]' ::: a b ::: 'c d'
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines '[a c d]' '[b c d]')" ]
}

@test "{} with several sources quotes each argument" {
	run bparx printf "'[%s]'" {} ::: 'a b' ::: 'c d'
	[ "$output" = "[a b][c d]" ]
}

@test "a replacement string inside a word" {
	run bparx -k echo pre{}post x{#}y ::: a
	[ "$output" = "preapost x1y" ]
}

@test "the same replacement string twice" {
	run bparx printf "'[%s]'" {} {} ::: 'a b'
	[ "$output" = "[a b][a b]" ]
}

@test "-I renames {}" {
	run bparx -k -I XX echo XX {} ::: a b
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 'a {}' 'b {}')" ]
}

@test "-I with punctuation" {
	run bparx -I ,, echo ,,/x {} ::: a
	[ "$output" = "a/x {}" ]
}

@test "-I keeps positional {n} working (parx differs from GNU)" {
	run bparx -I XX echo XX {1} {2} ::: a ::: b
	[ "$status" -eq 0 ]
	[ "$output" = "a b a b" ]
}

@test "-I renames only {}: {.} {/} {#} keep working" {
	run bparx -I XX echo XX {.} {/} {#} ::: d/f.t
	[ "$output" = "d/f.t d/f f.t 1" ]
}

@test "-i is -I {}" {
	run bparx -i echo {} ::: a
	[ "$output" = "a" ]
}

@test "--replace=STR and -iSTR are -I STR; --replace alone is -I {}" {
	# GNU: parallel --replace=X echo X {} ::: a; parallel -iX echo X {} ::: a
	# (a {}); parallel --replace -k echo {} ::: a (a)
	run bparx --replace=X echo X {} ::: a
	[ "$status" -eq 0 ]
	[ "$output" = "a {}" ]
	run bparx -iX echo X {} ::: a
	[ "$status" -eq 0 ]
	[ "$output" = "a {}" ]
	run bparx --replace -k echo {} ::: a
	[ "$status" -eq 0 ]
	[ "$output" = a ]
}

@test "--extensionreplace and friends rename the other strings" {
	run bparx -j1 --er E --bnr B --dnr D --bner N --seqreplace S \
	    --slotreplace L echo E B D N S L {.} {/} {//} {/.} {#} {%} \
	    ::: d/f.t
	[ "$status" -eq 0 ]
	[ "$output" = "d/f f.t d f 1 1 {.} {/} {//} {/.} {#} {%}" ]
}

@test "the long names of the renaming options" {
	run bparx -j1 --extensionreplace E --basenamereplace B \
	    --dirnamereplace D --basenameextensionreplace N echo E B D N \
	    ::: d/f.t
	[ "$status" -eq 0 ]
	[ "$output" = "d/f f.t d f" ]
}

@test "{0} is literal (parx differs from GNU)" {
	run bparx echo {0} {} ::: a
	[ "$status" -eq 0 ]
	[ "$output" = "{0} a" ]
}

@test "a brace that is not a replacement string is kept" {
	run bparx echo '{x}' '{ }' ::: a
	[ "$status" -eq 0 ]
	[ "$output" = "{x} { } a" ]
}

@test "input that looks like a replacement string is not expanded" {
	run bparx -k echo {} ::: '{}' '{#}' '{1}'
	[ "$output" = "$(lines '{}' '{#}' '{1}')" ]
}

# The command

@test "without a replacement string the arguments are appended" {
	run bparx -k echo x ::: a ::: b
	[ "$status" -eq 0 ]
	[ "$output" = "x a b" ]
}

@test "appended arguments are quoted" {
	run bparx printf "'[%s]'" ::: 'a b' ::: '$HOME'
	[ "$output" = '[a b][$HOME]' ]
}

@test "{#} alone stops the append" {
	run bparx echo x{#} ::: a
	[ "$output" = "x1" ]
}

@test "no command: each input line is a command" {
	run bparx -k ::: 'echo a' 'echo b; echo c'
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines a b c)" ]
	run bparx -k < <(lines 'echo x' 'printf "%s\n" y | tr y Y')
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines x Y)" ]
}

@test "a replacement string in the first word runs the value as code" {
	# GNU: parallel -k {} ::: 'echo a; echo b' 'echo "c  d"'
	run bparx -k {} ::: 'echo a; echo b' 'echo "c  d"'
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines a b 'c  d')" ]
	# GNU: parallel '{} x' ::: 'echo a' (and as two words: {} x)
	run bparx '{} x' ::: 'echo a'
	[ "$output" = "a x" ]
	run bparx {} x ::: 'echo a'
	[ "$output" = "a x" ]
	# GNU: parallel -k {2} ::: a b ::: 'echo x'
	run bparx -k {2} ::: a b ::: 'echo x'
	[ "$output" = "$(lines x x)" ]
	# GNU: printf '%s\n' 'echo a; echo b' 'echo c' | parallel -k {}
	run bparx -k {} < <(lines 'echo a; echo b' 'echo c')
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines a b c)" ]
}

@test "a replacement string in the first word: ./{}, {.}, {1} {}" {
	printf '#!/bin/sh\necho "[$1]"\n' > sc
	chmod +x sc
	# GNU: parallel ./{} ::: 'sc x;y'
	run bparx ./{} ::: 'sc x;y'
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "[x]" ]
	# GNU: parallel {.} ::: 'echo a.b c.d'
	run bparx {.} ::: 'echo a.b c.d'
	[ "$status" -eq 0 ]
	[ "$output" = "a.b c" ]
	# GNU: parallel {1} {} ::: 'echo a'
	run bparx {1} {} ::: 'echo a'
	[ "$output" = "a echo a" ]
	# GNU: parallel --dry-run '{#}' echo {} ::: 'a b'
	run bparx --dry-run '{#}' echo {} ::: 'a b'
	[ "$status" -eq 0 ]
	[ "$output" = "1 echo a b" ]
}

@test "a perl expression in the first word runs the value as code too" {
	command -v perl > /dev/null || skip "no perl"
	# GNU: parallel '{= s/_/ /g =}' ::: 'echo_a;echo_b'
	run bparx -k '{= s/_/ /g =}' ::: 'echo_a;echo_b'
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines a b)" ]
	# GNU: parallel --dry-run 'x{= s/_//g =}' {} ::: 'a_b c'
	run bparx --dry-run 'x{= s/_//g =}' {} ::: 'a_b c'
	[ "$output" = "xab c a_b c" ]
	# GNU: parallel --dry-run echo '{= s/_/ /g =}' ::: 'echo_a;b'
	run bparx --dry-run echo '{= s/_/ /g =}' ::: 'echo_a;b'
	[ "$output" = "echo 'echo a;b'" ]
}

@test "a value after the first word or in an assignment stays quoted" {
	# GNU: parallel echo {} ::: 'a;b'
	run bparx echo {} ::: 'a;b'
	[ "$output" = "a;b" ]
	# GNU: parallel 'V={} printenv V' ::: 'a b;c'
	run bparx 'V={} printenv V' ::: 'a b;c'
	[ "$status" -eq 0 ]
	[ "$output" = "a b;c" ]
	# GNU: parallel --dry-run 'V={} cmd' ::: 'a b'
	run bparx --dry-run 'V={} cmd' ::: 'a b'
	[ "$output" = "V='a b' cmd" ]
}

@test "under -q a value in the first word is one quoted word" {
	# GNU: parallel --dry-run -q {} ::: 'echo a b;'
	run bparx --dry-run -q {} ::: 'echo a b;'
	[ "$status" -eq 0 ]
	[ "$output" = "'echo a b;'" ]
	# GNU: parallel --dry-run -q ::: 'echo a b'
	run bparx --dry-run -q ::: 'echo a b'
	[ "$output" = "'echo a b'" ]
	# GNU: parallel -q ::: 'echo a b' (exit 1: command not found)
	run bparx -q ::: 'echo a b'
	[ "$status" -eq 1 ]
	[[ "$output" = *"echo a b: command not found" ]]
}

@test "-X and -m with a replacement string in the first word" {
	# GNU: parallel --dry-run -X {} ::: 'echo a' 'b c'
	run bparx --dry-run -X {} ::: 'echo a' 'b c'
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 'echo a' 'b c')" ]
	# GNU: parallel --dry-run -m {} echo ::: 'echo a' 'b c'
	run bparx --dry-run -m {} echo ::: 'echo a' 'b c'
	[ "$output" = "$(lines 'echo a echo' 'b c echo')" ]
	# GNU: parallel -k -X {} ::: 'echo a' 'echo b'
	run bparx -k -X {} ::: 'echo a' 'echo b'
	[ "$output" = "$(lines a b)" ]
}

@test "the template is shell code: pipes, redirections, ;" {
	run bparx -k 'echo {} | tr a-z A-Z; echo {}x > out.{}; cat < out.{}' ::: ab cd
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines AB abx CD cdx)" ]
	[ "$(cat out.ab)" = abx ]
}

@test "template words are joined with spaces and run by the shell" {
	run bparx -k echo {} '|' tr a b ::: aa
	[ "$output" = "bb" ]
	run bparx -k echo {} '&&' echo ok ::: a
	[ "$output" = "$(lines a ok)" ]
}

@test "shell variables and globs in the template work" {
	touch g1 g2
	run bparx 'echo $((1+{})) g*' ::: 2
	[ "$status" -eq 0 ]
	[ "$output" = "3 g1 g2" ]
}

@test "-q quotes the template's own words" {
	run bparx -q printf '%s\n' 'a;b' '$HOME' ::: 'c d'
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 'a;b' '$HOME' 'c d')" ]
}

@test "-q runs no shell syntax from the template" {
	run bparx -q echo a '|' tr a b ';' touch pwned ::: x
	[ "$status" -eq 0 ]
	[ "$output" = "a | tr a b ; touch pwned x" ]
	[ ! -e pwned ]
}

@test "--quote is -q" {
	run bparx --quote echo 'a  b' ::: x
	[ "$output" = "a  b x" ]
}

@test "an exported function is a command (the shell is bash, as bats)" {
	myfunc() { echo "func:$1:$#"; }
	export -f myfunc
	run bparx -k myfunc ::: a 'b c'
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines func:a:1 'func:b c:1')" ]
}

@test "an exported function inside a shell template" {
	myfunc() { echo "<$*>"; }
	export -f myfunc
	run bparx -k 'myfunc {} | tr a A' ::: a
	[ "$output" = "<A>" ]
}

@test "the shell is the one that started parx" {
	run bparx '[ -n "$BASH_VERSION" ] && echo bash {}' ::: x
	[ "$status" -eq 0 ]
	[ "$output" = "bash x" ]
	# started from a shell that is not bash
	export PARX PARX_MODE
	run bounded dash -c \
	    '"$PARX" --mode="$PARX_MODE" "echo \${BASH_VERSION:-nobash} {}" ::: x; :'
	[ "$status" -eq 0 ]
	[ "$output" = "nobash x" ]
}

@test "the starting shell is found through a program that is not a shell" {
	# GNU parallel looks at the grand*parents too, so that
	# "timeout 60 parallel myfunc ::: a" works from bash: timeout forks
	# and waits, it is parx's parent, and bash its grandparent.
	myfunc() { echo "func:$1"; }
	export -f myfunc
	run bounded "$PARX" --mode="$PARX_MODE" myfunc ::: a
	[ "$status" -eq 0 ]
	[ "$output" = "func:a" ]
}

@test "\$PARALLEL_SHELL chooses the shell" {
	cat > myshell <<-EOF
	#!/bin/sh
	printf '%s\n' "\$@" >> "$TMP/shell.log"
	exec /bin/dash "\$@"
	EOF
	chmod +x myshell
	PARALLEL_SHELL=$TMP/myshell run bparx \
	    'echo ${BASH_VERSION:-nobash} {} | cat' ::: x
	[ "$status" -eq 0 ]
	[ "$output" = "nobash x" ]
	grep -qx -- '-c' shell.log
	grep -q "echo .*| cat" shell.log
}

@test "\$PARALLEL_SHELL names a shell on \$PATH; a missing one is an error, exit 255" {
	# GNU: printf '"#&/\n()*=?'"'" | PARALLEL_SHELL=dash parallel -0
	# 'echo $0;echo' (dash, then the text), exit 0
	run env PARALLEL_SHELL=dash "$PARX" --mode="$PARX_MODE" -0 \
	    'echo $0;echo' < <(printf '"#&/\n()*=?'"'")
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' dash '"#&/' "()*=?'")" ]
	# GNU: PARALLEL_SHELL=nosuchsh parallel echo ::: 1 (Shell 'nosuchsh'
	# not found, exit 255, no job); the same for /etc/passwd
	for sh in nosuchsh /etc/passwd; do
		PARALLEL_SHELL=$sh run --separate-stderr bparx echo ::: 1
		[ "$status" -eq 255 ]
		[ -z "$output" ]
		[ "$stderr" = "parx: shell '$sh' not found (\$PARALLEL_SHELL)" ]
	done
}

@test "\$PARALLEL_SHELL wins over the starting shell for functions" {
	myfunc() { echo func; }
	export -f myfunc
	PARALLEL_SHELL=/bin/dash run bparx myfunc ::: x
	[ "$status" -eq 1 ]
	[ "$output" != "func" ]
}

@test "options end at the first word that is not an option" {
	run bparx -k echo -k -j 5 --tag ::: a
	[ "$status" -eq 0 ]
	[ "$output" = "-k -j 5 --tag a" ]
}

@test "--arg-sep and --arg-file-sep replace ::: and ::::" {
	printf '1\n2\n' > f1
	run bparx -k --arg-sep ,, --arg-file-sep ,,,, echo ,, a b ,,,, f1
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 'a 1' 'a 2' 'b 1' 'b 2')" ]
}

@test "with --arg-sep, ::: is an ordinary word" {
	run bparx -k --arg-sep ,, echo ::: ,, a
	[ "$status" -eq 0 ]
	[ "$output" = "::: a" ]
	run bparx -k --arg-file-sep ,, echo :::: ::: a
	[ "$output" = ":::: a" ]
}

@test "--arg-sep with its + form links" {
	run bparx -k --arg-sep ,, echo ,, a b c ,,+ 1 2
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 'a 1' 'b 2')" ]
}

# Hostile arguments are never executed

# make_corpus FILE: NUL-terminated items that a shell would run or
# rewrite, if they were ever given to one unquoted.
make_corpus() {
	local c
	{
		printf '%s\0' \
		    "it's" "'" "''" '"' '"double"' '\' '\\' '\n' \
		    '$(touch pwned)' '`touch pwned`' '$HOME' '${HOME}' '$' \
		    '; touch pwned' '| touch pwned' '&& touch pwned' \
		    '& touch pwned' '> pwned' '>> pwned' '< pwned' \
		    '2>pwned' "'; touch pwned; '" '"; touch pwned; "' \
		    "'\$(touch pwned)'" '*' '?' '[a]' '[' ']' '~' '~root' \
		    '~/x' '#' '# comment' '!' '!!' '!$' '{}' '{#}' '{1}' '{' \
		    '}' '-' '--' '-n' '-e' '--help' '-c' ' ' '  two  ' \
		    $'\t' "" 'a=b' '%s' '%' '(' ')' '$((1+1))' '<(touch pwned)' \
		    $'line1\nline2' $'\ntouch pwned\n' $'x\r' \
		    "$(printf '\303\251\377\376')"
		# every control byte but NUL, and DEL
		for c in $(seq 1 31) 127; do
			printf "\\$(printf '%03o' "$c")x\\0"
		done
		printf '\001\002\003\004\033[31m\177\0'
		# a 50 KB argument full of shell syntax
		yes "a'b\"c \$(touch pwned) \`touch pwned\`; touch pwned |&<>*" |
		    head -c 51200
		printf '\0'
	} > "$1"
}

corpus_check() {
	make_corpus corpus
	touch a	  # a file a glob such as [a] or ? would find
	bparx -k -0 "$@" :::: corpus > got
	cmp corpus got
	[ ! -e pwned ]
}

@test "hostile arguments through a shell template come back byte-exact" {
	corpus_check 'printf "%s\0" {}'
}

@test "hostile arguments through a shell template with a pipe" {
	corpus_check 'printf "%s\0" {} | cat'
}

@test "hostile arguments through a simple template come back byte-exact" {
	corpus_check printf '%s\\0'
}

@test "hostile arguments through a simple template with {}" {
	corpus_check /usr/bin/printf '%s\\0' {}
}

@test "hostile arguments through a directly executed script" {
	printf '#!/bin/sh\nprintf "%%s\\0" "$@"\n' > emit
	chmod +x emit
	corpus_check ./emit
}

@test "hostile arguments as positional replacement strings" {
	make_corpus corpus
	bparx -k -0 printf '%s\\0' {2} {1} ::: x :::: corpus > got
	# each item, then x
	xargs -0 -n1 printf '%s\0x\0' < corpus > want
	cmp want got
	[ ! -e pwned ]
}

@test "hostile arguments given as ::: words come back byte-exact" {
	local -a items
	make_corpus corpus
	mapfile -d '' items < corpus
	bparx -k printf '%s\\0' ::: "${items[@]}" > got
	cmp corpus got
	bparx -k 'printf "%s\0" {}' ::: "${items[@]}" > got
	cmp corpus got
	[ ! -e pwned ]
}

@test "hostile arguments in {.} {/} {//} {/.} stay quoted" {
	run bparx -k printf "'[%s]'" {.} {/} {//} {/.} \
	    ::: '$(touch pwned)/`touch pwned`.x;y' "a'b/c d.e"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s' \
	    '[$(touch pwned)/`touch pwned`][`touch pwned`.x;y]' \
	    '[$(touch pwned)][`touch pwned`]' \
	    "[a'b/c d][c d.e][a'b][c d]")" ]
	[ ! -e pwned ]
}

@test "hostile arguments with --tag and -t are not executed" {
	run bparx --tag -t echo ::: '$(touch pwned)' '`touch pwned`'
	[ "$status" -eq 0 ]
	[ ! -e pwned ]
}

# GNU parallel's other spellings of the options

# same CANON ALIAS ARGS...: parx ARGS with each word "%%" replaced by
# CANON, and again by ALIAS, gives the same status, stdout and stderr.
# Each run has a directory of its own (c, a), where $prep, if set, is
# run first.
same() {
	local canon=$1 alias=$2 want got
	shift 2
	rm -rf c a
	mkdir c a
	if [ -n "${prep:-}" ]; then
		(cd c && eval "$prep" > /dev/null 2>&1) || true
		(cd a && eval "$prep" > /dev/null 2>&1) || true
	fi
	want=$(cd c && bparx "${@/#%%/$canon}" 2>&1; echo "status $?")
	got=$(cd a && bparx "${@/#%%/$alias}" 2>&1; echo "status $?")
	if [ "$want" != "$got" ]; then
		printf '%s: %s\n%s: %s\n' "$canon" "$want" "$alias" "$got"
		return 1
	fi
	if [ "$want" = "status 255" ]; then
		echo "$canon: parx failed"
		return 1
	fi
}

@test "GNU's other names of -k, --no-keep-order, --dry-run, --line-buffer" {
	local a
	lines a b c > "$TMP/in"
	# GNU: parallel --dryrun echo ::: a (and --dr)
	for a in --dryrun --dr; do
		same --dry-run $a %% echo :::: "$TMP/in" || return 1
	done
	run bparx --dr echo ::: a
	[ "$output" = "echo a" ]
	# GNU: parallel --keeporder -j3 ... (job 1 ends last, prints first)
	same -k --keeporder %% -j3 'if [ {} = a ]; then
	    while [ ! -e c ]; do sleep 0.01; done; fi; echo {}; touch {}' \
	    :::: "$TMP/in"
	# GNU: parallel -k --nokeeporder -j2 ... ::: a b c (and --no-k, --nok):
	# c starts once b has ended, and a ends after c has started.
	nok='if [ {} = a ]; then while [ ! -e c ]; do sleep 0.01; done; fi
	    if [ {} = c ]; then touch c; else echo {}; fi'
	for a in --nokeeporder --no-k --nok; do
		same --no-keep-order $a -k %% -j2 "$nok" ::: a b c || return 1
	done
	mkdir n
	cd n
	run bparx -k --nok -j2 "$nok" ::: a b c
	[ "$output" = "$(lines b a)" ]
	# GNU: parallel --linebuffer -k echo ::: a b c (and the others)
	for a in --line-buffered --linebuffer --linebuffered; do
		same --line-buffer $a -k %% echo :::: "$TMP/in" || return 1
	done
}

@test "GNU's other names of -n, -N, -l, -s, -P, -a, -C, -r, --tagstring" {
	lines a b c > "$TMP/in"
	# GNU: parallel -k --maxargs 2 echo :::: in
	same --max-args --maxargs -k %% 2 echo :::: "$TMP/in"
	# GNU: parallel -k --maxreplaceargs 2 echo {2}-{1} :::: in
	same --max-replace-args --maxreplaceargs -k %% 2 echo {2}-{1} \
	    :::: "$TMP/in"
	# GNU: parallel -k --maxlines 2 echo :::: in
	same --max-lines --maxlines -k %% 2 echo :::: "$TMP/in"
	# GNU: parallel -k --maxchars 10 echo :::: in
	same --max-chars --maxchars -k -m %% 10 echo :::: "$TMP/in"
	# GNU: parallel --maxprocs 1 'echo {%}' :::: in
	same --max-procs --maxprocs %% 1 -k 'echo {%}' :::: "$TMP/in"
	# GNU: parallel -k --argfile in echo
	same --arg-file --argfile -k %% "$TMP/in" echo
	# GNU: parallel --col-sep , echo {2} ::: a,b
	same --colsep --col-sep %% , echo {2} ::: a,b
	# GNU: printf 'a\n \nb\n' | parallel -k --norunifempty echo
	printf 'a\n \nb\n' > "$TMP/blank"
	same --no-run-if-empty --norunifempty -k %% -a "$TMP/blank" echo
	# GNU: parallel --tag-string 'x{}' echo ::: a
	same --tagstring --tag-string %% 'x{}' echo ::: a
	run bparx --tag-string 'x{}' echo ::: a
	[ "$output" = "xa	a" ]
}

@test "GNU's other names of --arg-sep, --arg-file-sep, --pipe options" {
	lines a b c > "$TMP/in"
	# GNU: parallel --argsep ,, -k echo ,, a b
	same --arg-sep --argsep %% ,, -k echo ,, a b
	# GNU: parallel --argfilesep ,, -k echo ,, in
	same --arg-file-sep --argfilesep %% ,, -k echo ,, "$TMP/in"
	# GNU: parallel --pipepart -a in --block 2 -k wc -l
	same --pipe-part --pipepart %% -a "$TMP/in" --block 2 -k wc -l
	# GNU: parallel --pipe --blocksize 2 -k wc -l < in
	same --block --blocksize --pipe %% 2 -k wc -l :::: "$TMP/in"
	# GNU: parallel --roundrobin -j1 wc -l < in
	same --round-robin --roundrobin %% -j1 wc -l :::: "$TMP/in"
	# GNU: printf 'a1b22c' | parallel --pipe --recend '[0-9]+' --regex -N1 -k cat
	printf 'a1b22c' > "$TMP/rec"
	same --regexp --regex --pipe --recend '[0-9]+' %% -N1 -k \
	    'cat; echo' :::: "$TMP/rec"
}

@test "GNU's other names of --halt, --results, --files, --tmpdir, --total-jobs" {
	# GNU: parallel -j1 --haltonerror 1 'echo {}; exit {}' ::: 0 1 2
	same --halt --haltonerror -j1 %% 1 'echo {}; exit {}' ::: 0 1 2
	# GNU: parallel --result out echo ::: a; cat out/1/a/stdout
	same --results --result %% out -k 'echo {}; cat out/1/{}/stdout' \
	    ::: a
	run bparx --result out echo ::: a
	[ "$(cat out/1/a/stdout)" = a ]
	# GNU: parallel --outputasfiles echo ::: a | xargs cat
	run bparx --outputasfiles echo ::: a
	[ "$status" -eq 0 ]
	[ "$(cat "$output")" = a ]
	rm -f "$output"
	# GNU: parallel --tempdir /nonexistent echo ::: a (exit 255)
	same --tmpdir --tempdir %% . echo ::: a
	run bparx --tempdir "$TMP/none" echo ::: a
	[ "$status" -eq 255 ]
	# GNU: parallel --totaljobs 1 --dry-run echo ::: a
	same --total-jobs --totaljobs %% 1 --dry-run echo ::: a
}

@test "GNU's other names of --resume-failed, --retry-failed" {
	# Each run's directory starts with a job log where a and b failed.
	prep="parx --joblog log 'echo {}; [ -e ok ]' ::: a b; touch ok"
	# GNU: parallel --joblog log --resumefailed -k 'echo {}; [ -e ok ]' ::: a b c
	same --resume-failed --resumefailed --joblog log %% -k \
	    'echo {}; [ -e ok ]' ::: a b c
	run cat a/log
	[ "${#lines[@]}" -eq 6 ]
	# GNU: parallel --joblog log --retryfailed
	same --retry-failed --retryfailed --joblog log -k %%
	rm -rf a
	mkdir a
	cd a
	eval "$prep" > /dev/null 2>&1 || true
	run bparx --joblog log -k --retryfailed
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines a b)" ]
}

@test "GNU's other names of --number-of-cpus and the ignored options" {
	local a want
	want=$(bparx --number-of-cpus)
	# GNU: parallel --numberofcpus (and --numberofcores, --numberofthreads)
	for a in --numberofcpus --numberofcores --numberofthreads; do
		run bparx $a
		[ "$status" -eq 0 ]
		[ "$output" = "$want" ]
	done
	# GNU: parallel --willcite --nonotice --nn echo ::: a
	run bparx --willcite --nonotice --nn echo ::: a
	[ "$status" -eq 0 ]
	[ "$output" = a ]
}

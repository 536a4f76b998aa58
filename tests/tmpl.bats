#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
#
# tmpl: parsing and expanding the command template, through "test-tool
# tmpl" (see tests/tool/tool-tmpl.c).  Expected texts are what GNU
# parallel 20221122 prints with --dry-run, except where a test says parx
# chooses otherwise.

bats_require_minimum_version 1.5.0

load helpers

setup_more() {
	: "${PARX_TEST_TOOL:?PARX_TEST_TOOL must name the test-tool binary}"
	T=$BATS_TEST_TMPDIR
}

tt() {
	"$PARX_TEST_TOOL" tmpl "$@"
}

# check_argv TMPL-ARGS...: the template must be simple, and the argv it
# gives must be what sh builds from the expanded text.
check_argv() {
	local text want got

	text=$(tt "$@"; printf x) || return 1
	text=${text%?x}
	want=$(sh -c "set -- $text; printf '<%s>\n' \"\$@\""; printf x)
	got=$(tt --argv "$@"; printf x) || return 1
	if [ "${got%%$'\n'*}" != "simple: 1" ]; then
		printf 'not simple: %s\n' "$text"
		return 1
	fi
	got=${got#*$'\n'}		# "program: ..."
	got=${got#*$'\n'}
	if [ "$got" != "$want" ]; then
		printf 'text: %s\nwant:\n%sgot:\n%s\n' "$text" "$want" "$got"
		return 1
	fi
}

# Words and the " {}" append rule

@test "template words are joined with single spaces" {
	run tt echo 'a b' c --- x
	[ "$status" -eq 0 ]
	[ "$output" = "echo a b c x" ]
}

@test "without a replacement string the arguments are appended" {
	run tt echo --- a b c
	[ "$status" -eq 0 ]
	[ "$output" = "echo a b c" ]
	run tt echo --- 'a b'
	[ "$output" = "echo 'a b'" ]
}

@test "any replacement string stops the append" {
	run tt echo {#} --- a
	[ "$output" = "echo 1" ]
	run tt echo {%} --- a
	[ "$output" = "echo 1" ]
	run tt echo {2} --- a b
	[ "$output" = "echo b" ]
	run tt echo {-1//} --- a/b
	[ "$output" = "echo a" ]
}

@test "TMPL_NO_APPEND never appends" {
	run tt --no-append echo --- a
	[ "$status" -eq 0 ]
	[ "$output" = "echo" ]
}

@test "an empty template is the arguments themselves, unquoted" {
	# GNU: parallel --dry-run ::: 'echo hi' ({} is then the first word)
	run tt --- 'echo hi'
	[ "$output" = "echo hi" ]
	run tt -q --- 'echo hi'
	[ "$output" = "'echo hi'" ]
	run tt --raw --- 'echo hi'
	[ "$output" = "echo hi" ]
}

# Replacement strings

@test "{} is the argument, quoted" {
	run tt echo {} --- "it's"
	[ "$status" -eq 0 ]
	[ "$output" = "echo 'it'\"'\"'s'" ]
}

@test "{} with several arguments quotes each and joins with spaces" {
	run tt echo {1} {} --- a c
	[ "$output" = "echo a a c" ]
	run tt echo {} --- 'a b' '' c
	[ "$output" = "echo 'a b' '' c" ]
}

@test "{.} {/} {//} {/.} follow GNU parallel" {
	local in want i=0
	local -a ins=(x.y/z a/.bashrc .bashrc a. /a/b.c.d a/b/ //x / plain \
	    /r a// '')
	local -a wants=(
		"echo x.y/z z x.y z"
		"echo a/ .bashrc a ''"
		"echo '' .bashrc . ''"
		"echo a a. . a"
		"echo /a/b.c b.c.d /a b.c"
		"echo a/b/ '' a ''"
		"echo //x x / x"
		"echo / '' / ''"
		"echo plain plain . plain"
		"echo /r r / r"
		"echo a// '' . ''"
		"echo '' '' . ''"
	)
	for in in "${ins[@]}"; do
		run tt echo {.} {/} {//} {/.} --- "$in"
		[ "$status" -eq 0 ]
		if [ "$output" != "${wants[i]}" ]; then
			printf 'in: %s\nwant: %s\ngot: %s\n' "$in" \
			    "${wants[i]}" "$output"
			return 1
		fi
		i=$((i + 1))
	done
}

@test "derived forms with several arguments apply to each" {
	run tt echo {.} {/} --- a.x b/c.y
	[ "$output" = "echo a b/c a.x c.y" ]
}

@test "{#} and {%} are unquoted decimal numbers" {
	run tt echo '{#}{}{%}' --- a
	[ "$output" = "echo 1a1" ]
	run tt --seq 42 --slot 7 echo {#}-{%} --- a
	[ "$output" = "echo 42-7" ]
	run tt --seq 18446744073709551615 --slot 0 echo {#} {%}
	[ "$output" = "echo 18446744073709551615 0" ]
}

@test "replacement strings work inside a word" {
	run tt echo 'x{}y' 'a{.}b{/}c' --- d/e.f
	[ "$output" = "echo xd/e.fy ad/ebe.fc" ]
	run tt echo 'x{}y' --- 'a b'
	[ "$output" = "echo x'a b'y" ]
}

@test "--raw inserts values unquoted" {
	run tt --raw echo {} {.} '{#}' --- 'a b.c' "it's"
	[ "$status" -eq 0 ]
	[ "$output" = "echo a b.c it's a b it's 1" ]
}

# A replacement string in the first word

@test "a value in the first word is shell code: no value is quoted" {
	# GNU: parallel --dry-run {} ::: 'echo a; echo b'
	run tt {} --- 'echo a; echo b'
	[ "$status" -eq 0 ]
	[ "$output" = "echo a; echo b" ]
	# GNU: parallel --dry-run '{} x' ::: 'echo a'
	run tt '{} x' --- 'echo a'
	[ "$output" = "echo a x" ]
	# GNU: parallel --dry-run {2} ::: a b ::: 'echo x' (the job a)
	run tt {2} --- a 'echo x'
	[ "$output" = "echo x" ]
	# GNU: parallel --dry-run ./{} ::: 'a b'
	run tt ./{} --- 'a b'
	[ "$output" = "./a b" ]
	# GNU: parallel --dry-run {.} ::: 'echo a.b c.d'
	run tt {.} --- 'echo a.b c.d'
	[ "$output" = "echo a.b c" ]
}

@test "a value in the first word leaves the later values unquoted too" {
	# GNU: parallel --dry-run {1} {} ::: 'echo a'
	run tt {1} {} --- 'echo a'
	[ "$output" = "echo a echo a" ]
	# GNU: parallel --dry-run 'x{}y z' ::: 'a b'
	run tt 'x{}y z' --- 'a b'
	[ "$output" = "xa by z" ]
	# GNU: parallel --dry-run '{}=x' ::: 'a b'
	run tt '{}=x' --- 'a b'
	[ "$output" = "a b=x" ]
	# GNU: parallel --dry-run '{#}' echo {} ::: 'a b'
	run tt '{#}' echo {} --- 'a b'
	[ "$output" = "1 echo a b" ]
	# GNU: parallel --dry-run -I XX XX echo XX ::: 'a b'
	run tt -I XX XX echo XX --- 'a b'
	[ "$output" = "a b echo a b" ]
}

@test "a value after a blank or '=' of the first word stays quoted" {
	# GNU: parallel --dry-run echo {} ::: 'a b'
	run tt echo {} --- 'a b'
	[ "$output" = "echo 'a b'" ]
	# GNU: parallel --dry-run 'V={} cmd' ::: 'a b'
	run tt 'V={} cmd' --- 'a b'
	[ "$output" = "V='a b' cmd" ]
	# GNU: parallel --dry-run 'a=x{}' ::: 'a b'
	run tt 'a=x{}' --- 'a b'
	[ "$output" = "a=x'a b'" ]
	# GNU: parallel --dry-run ' {}' ::: 'a b'
	run tt ' {}' --- 'a b'
	[ "$output" = " 'a b'" ]
	# GNU: parallel --dry-run '' {} ::: 'a b'
	run tt '' {} --- 'a b'
	[ "$output" = " 'a b'" ]
	# GNU: parallel --dry-run $'a\t{}' ::: 'a b' (and $'a\n{}')
	run tt $'a\t{}' --- 'a b'
	[ "$output" = $'a\t\'a b\'' ]
	run tt $'a\n{}' --- 'a b'
	[ "$output" = $'a\n\'a b\'' ]
}

@test "under -q a value in the first word is quoted" {
	# GNU: parallel --dry-run -q {} ::: 'echo a b;'
	run tt -q {} --- 'echo a b;'
	[ "$output" = "'echo a b;'" ]
	# GNU: parallel --dry-run -q {} x ::: 'a b'
	run tt -q {} x --- 'a b'
	[ "$output" = "'a b' x" ]
}

@test "context: a value in the first word is repeated unquoted" {
	# GNU: parallel --dry-run -X {} echo {} ::: 'a b' c (one job each)
	run tt --context {} echo {} --- 'a b'
	[ "$output" = "a b echo a b" ]
}

# Positional forms

@test "{n} and its derived forms pick argument n" {
	run tt echo {1.} {1/} {1//} {1/.} {2} {2.} --- /a/b.c x/y.z
	[ "$output" = "echo /a/b b.c /a b x/y.z x/y" ]
}

@test "{-n} counts from the last argument" {
	run tt echo {-1} {-2} {-1/.} {-2.} --- a.x /b/c.y
	[ "$output" = "echo /b/c.y a.x c a" ]
	run tt echo {3} {-1} {1} --- a b
	[ "$output" = "echo  b a" ]
}

@test "out-of-range positions expand to nothing, not ''" {
	run tt echo x{3}y {-3} {3.} {4/} {-9//} {99999999999999999999} --- a b
	[ "$status" -eq 0 ]
	[ "$output" = "echo xy     " ]
}

@test "an in-range position whose value is empty gives ''" {
	run tt echo {1} {2/} --- '' a/
	[ "$output" = "echo '' ''" ]
}

@test "leading zeros are accepted" {
	run tt echo {01} {-02} --- a b
	[ "$output" = "echo a a" ]
}

@test "blanks and newlines may follow the number: {1 } {1<newline>} {2\t.}" {
	# GNU: parallel --dry-run -N2 'echo {1 } {2	.} {-1  /}' ::: a.x b/c.y
	run tt echo '{1 }' $'{2\t.}' '{-1  /}' --- a.x b/c.y
	[ "$status" -eq 0 ]
	[ "$output" = "echo a.x b/c c.y" ]
	# GNU: parallel 'echo {1
	#      }' ::: a
	run bparx $'echo {1\n}' ::: a
	[ "$status" -eq 0 ]
	[ "$output" = a ]
	# Before the number, or without one, a blank leaves it literal.
	# GNU: parallel 'echo { 1}' ::: a
	run bparx 'echo { 1}' ::: a
	[ "$output" = "{ 1} a" ]
}

@test "{0} and {-0} are literal text" {
	run tt echo {0} x{-0} --- a
	[ "$status" -eq 0 ]
	[ "$output" = "echo {0} x{-0} a" ]
}

# Renaming

@test "-I renames {}, which becomes literal" {
	run tt -I @@ echo @@ {} --- a
	[ "$status" -eq 0 ]
	[ "$output" = "echo a {}" ]
	run tt -I @@ echo {} --- a
	[ "$output" = "echo {} a" ]
}

@test "positional forms keep working under -I" {
	run tt -I @@ echo @@ {1} {-1.} --- a.b
	[ "$output" = "echo a.b a.b a" ]
}

@test "every replacement string can be renamed" {
	run tt -I II --extensionreplace EE --basenamereplace BB \
	    --dirnamereplace DD --basenameextensionreplace XX \
	    --seqreplace SS --slotreplace LL --seq 3 --slot 2 \
	    echo II EE BB DD XX SS LL --- /a/b.c
	[ "$status" -eq 0 ]
	[ "$output" = "echo /a/b.c /a/b b.c /a b 3 2" ]
}

@test "a renamed string is literal under its old name" {
	run tt --extensionreplace EE echo EE {.} --- a.b
	[ "$output" = "echo a {.}" ]
	run tt --seqreplace SS echo {#} SS --- a
	[ "$output" = "echo {#} 1" ]
}

@test "a renamed string in use stops the append" {
	run tt --extensionreplace EE echo EE --- a.b
	[ "$output" = "echo a" ]
	run tt -I @@ echo x@@ --- a
	[ "$output" = "echo xa" ]
}

@test "the longest replacement string wins" {
	run tt -I '{' --basenamereplace '{/' echo '{/x' '{x' --- a/b
	[ "$status" -eq 0 ]
	[ "$output" = "echo bx a/bx" ]
}

@test "an empty replacement string is an error" {
	run --separate-stderr tt -I '' echo
	[ "$status" -eq 1 ]
	[ "$output" = "" ]
	[ "$stderr" = "test-tool: empty replacement string" ]
}

# -q

@test "-q quotes the template's own words" {
	run tt -q echo 'a b' --- x
	[ "$status" -eq 0 ]
	[ "$output" = "echo 'a b' x" ]
	run tt echo 'a b' --- x
	[ "$output" = "echo a b x" ]
	run tt -q echo "it's" '' '$HOME;' --- x
	[ "$output" = "echo 'it'\"'\"'s' '' '\$HOME;' x" ]
}

@test "-q keeps replacement strings inside a word" {
	run tt -q echo 'a b{}c d' --- 'x y'
	[ "$output" = "echo 'a b''x y''c d'" ]
	run tt -q echo '{.}' --- a.b
	[ "$output" = "echo a" ]
}

@test "under -q the appended {} is a replacement string" {
	run tt -q echo --- 'x y'
	[ "$output" = "echo 'x y'" ]
}

# Literal braces and the unbalanced '{'

@test "other brace pairs are literal" {
	run tt awk '{print}' '${HOME}' '{a,b}' '{{}}' '{ }' '{.x}' --- v
	[ "$status" -eq 0 ]
	[ "$output" = "awk {print} \${HOME} {a,b} {v} { } {.x}" ]
}

@test "a stray '}' is fine" {
	run tt echo 'a}' --- v
	[ "$status" -eq 0 ]
	[ "$output" = "echo a} v" ]
	run tt echo '}{}' --- v
	[ "$output" = "echo }v" ]
}

@test "a '{' closed in a later word is fine" {
	run tt sh -c '{' echo '}' --- v
	[ "$status" -eq 0 ]
	[ "$output" = "sh -c { echo } v" ]
}

@test "an unclosed '{' is literal, as in GNU parallel" {
	run --separate-stderr tt echo '{' --- v
	[ "$status" -eq 0 ]
	[ "$output" = "echo { v" ]
	[ "$stderr" = "" ]
}

@test "a '{' closed only by a replacement string is literal (GNU's texts)" {
	local t
	check() {
		run --separate-stderr tt echo "$1" --- v
		[ "$status" -eq 0 ]
		[ "$stderr" = "" ]
		[ "$output" = "$2" ]
	}
	check '{x' 'echo {x v'
	check 'a{' 'echo a{ v'
	check '{{}' 'echo {v'
	check '} {' 'echo } { v'
	check '{.' 'echo {. v'
	check '{1' 'echo {1 v'
	check '{-' 'echo {- v'
	check '{/}{' 'echo v{'
	check '{=' 'echo {= v'
	check '{}{' 'echo v{'
}

@test "an unclosed '{' is literal under -q too" {
	run --separate-stderr tt -q echo '{' --- v
	[ "$status" -eq 0 ]
	[ "$output" = "echo '{' v" ]
}

@test "parx runs commands with unclosed braces: awk programs, brace groups" {
	cd "$T"
	printf '1 2\n3 4\n' > f
	run --separate-stderr parx -k "awk '{print \$2}' {}; echo '{'" ::: f
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "$output" = "$(printf '2\n4\n{')" ]
	run --separate-stderr parx -k 'echo {1 x{ {}{' ::: a b
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '{1 x{ a{\n{1 x{ b{')" ]
	run --separate-stderr parx -k '{ echo {}; } | tr a A' ::: a
	[ "$status" -eq 0 ]
	[ "$output" = "A" ]
}

# tmpl_uses

@test "tmpl_uses reports each replacement string in any form" {
	run tt --uses echo {1//} {#} --- a
	[ "${lines[0]}" = "uses: {//} {#}" ]
	run tt --uses echo {} {-2.} {/} {/.} {%}
	[ "${lines[0]}" = "uses: {} {.} {/} {/.} {%}" ]
	run tt --uses echo
	[ "${lines[0]}" = "uses: {}" ]
	run tt --uses --no-append echo
	[ "${lines[0]}" = "uses:" ]
}

# Running without a shell

@test "simple templates name their program" {
	run tt --argv echo a,b:c@d%e=f+g -h ./x --- v
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "simple: 1" ]
	[ "${lines[1]}" = "program: echo" ]
	run tt --argv /bin/echo
	[ "${lines[1]}" = "program: /bin/echo" ]
	run tt --argv -q 'my prog' 'a;b'
	[ "${lines[1]}" = "program: my prog" ]
	run tt --argv -q 'a=b'
	[ "${lines[1]}" = "program: a=b" ]
}

@test "templates with shell syntax are not simple" {
	local t
	for t in 'echo;' 'echo $HOME' 'echo *' 'echo ~' 'echo a|b' \
	    'echo >x' 'a=b echo' 'echo "x"' "echo 'x'" 'echo \x' \
	    $'echo a\nb' 'echo (x)' 'echo #' 'echo !' 'echo [a]' \
	    '{} x' 'x{} y' '{#}' 'if true' 'for' 'time echo' \
	    'echo a&' ''; do
		run tt --argv "$t"
		[ "$status" -eq 0 ]
		if [ "$output" != "simple: 0" ]; then
			printf 'template: %s\noutput: %s\n' "$t" "$output"
			return 1
		fi
	done
}

@test "an empty template or a bare first word under -q is not simple" {
	run tt --argv --- a
	[ "$output" = "simple: 0" ]
	run tt --argv -q '{}' x
	[ "$output" = "simple: 0" ]
	run tt --argv -q '' x
	[ "$output" = "simple: 0" ]
	run tt --argv -q if x
	[ "$output" = "simple: 0" ]
}

@test "argv of {} with several arguments joins prefix and suffix" {
	run tt --argv echo 'x{}y' --- a b
	[ "$output" = "$(printf '%s\n' 'simple: 1' 'program: echo' '<echo>' \
	    '<xa>' '<by>')" ]
	check_argv echo 'x{}y' --- a b
}

@test "argv equals what sh builds, for plain templates" {
	check_argv echo
	check_argv echo --- a
	check_argv echo {} --- ''
	check_argv echo x{}y --- ''
	check_argv echo {} --- '' ''
	check_argv echo x{} {}y --- a b c
	check_argv echo 'a  b' $'c\td' ' ' --- x
	check_argv '  echo  ' x --- 1
	check_argv echo {3} x{3}y {-3} {2.} {1//} --- a.b c.d
	check_argv echo {#}{%} {} --- 'a b'
	check_argv --seq 99 --slot 5 echo {#} x{%}y {/} {.} --- p/q.r s
	check_argv -I @@ echo @@ x@@ --- 'a b' c
	check_argv echo
	check_argv --no-append echo
}

@test "argv equals what sh builds, under -q" {
	check_argv -q printf '%s;|&' '$(x)' '' 'a b{}c d' --- 'p q'
	check_argv -q echo "it's" '{ }' '*' --- ''
	check_argv -q echo --- a b
	check_argv -q echo 'x{}y' '{1}{2}' --- '' 'b c'
}

@test "argv equals what sh builds, for hostile values" {
	local v
	for v in "'" '"' "it's" '$(echo pwned)' '`id`' ';|&><*?[]~#!' \
	    $'a\nb' $'\t' $'a\r' '-n' ' a  b ' '' $'\xff\xc3\xa9' '\' \
	    '{}' '{.}' 'a/b.c/d.e' '/' '//' '.x' 'x.'; do
		check_argv echo {} x{}y {.} {/} {//} {/.} {1} {-1} --- "$v"
		check_argv -q echo '{}' 'a b{.}' --- "$v" "$v"
	done
}

@test "argv of a value with a NUL-free 50 KB payload" {
	local v i
	v=
	for i in $(seq 1 5000); do
		v+="$i;' "
	done
	check_argv echo x{}y --- "$v" b
}

@test "expansion is fast enough to repeat a million times" {
	run tt --repeat 1000000 echo 'x{}y' {.} {#} --- 'a b.c'
	[ "$status" -eq 0 ]
	[ "$output" = "echo x'a b.c'y 'a b' 1" ]
}

# Several arguments per job (-X, -m, -N): TMPL_CONTEXT and measuring

@test "{} with several arguments gives all of them, each quoted" {
	run tt echo 'pre{}post' --- a 'b c' "d'e"
	[ "$output" = "echo prea 'b c' 'd'\"'\"'e'post" ]
}

@test "context: the word around {} is repeated once per argument" {
	run tt --context echo 'pre{}post' --- a b
	[ "$output" = "echo preapost prebpost" ]
	run tt --context echo 'x{.}y{#}' z --- a.x b.y
	[ "$output" = "echo xay1 xby1 z" ]
	run tt --context echo 'x{}y{}' --- a b c
	[ "$output" = "echo xaya xbyb xcyc" ]
}

@test "context: positional forms stay fixed in a repeated word" {
	run tt --context echo 'x{1}y{}' --- a b c
	[ "$output" = "echo xaya xayb xayc" ]
	run tt --context echo 'x{1}y' '{-1}' --- a b c
	[ "$output" = "echo xay c" ]
}

@test "context: words end at blanks inside a template word too" {
	run tt --context echo 'x{/}y z{}' --- a/1 b/2
	[ "$output" = "echo x1y x2y za/1 zb/2" ]
	# Under -q the template word is one shell word: it repeats whole.
	# (GNU parallel cuts it at the quoted blank; parx keeps it one word.)
	run tt --context -q echo 'x{/}y z{}' --- a/1 b/2
	[ "$output" = "echo x1'y z'a/1 x2'y z'b/2" ]
}

@test "context: no argument expands the word once, empty" {
	run tt --context echo 'x{}y' ---
	[ "$output" = "echo xy" ]
	run tt --context --argv echo 'x{}y' ---
	[ "$output" = "$(printf '%s\n' 'simple: 1' 'program: echo' '<echo>' '<xy>')" ]
}

@test "context: argv gives one element per repetition" {
	check_argv --context echo 'x{}y' '{}' --- 'a b' c ''
	check_argv --context echo 'x{1}y{.}' k --- p.q r
	check_argv --context -q echo 'x{}y' --- 'a b' c
}

# size_check TMPL-ARGS...: text is predicted exactly, argv/argc from above.
size_check() {
	local out line pred real
	out=$(tt --size "$@") || return 1
	while read -r line pred real; do
		case $line in
		text) [ "$pred" -eq "$real" ] ||
			{ echo "text $pred != $real: $*"; return 1; } ;;
		*) [ "$pred" -ge "$real" ] ||
			{ echo "$line $pred < $real: $*"; return 1; } ;;
		esac
	done <<< "$out"
}

@test "measuring: the predicted length is the expanded length" {
	local c q t
	for c in '' --context; do
		for q in '' -q; do
			for t in 'echo pre{}post' 'echo {}' 'echo x{1}y{} {-1}' \
			    'echo {#} a{%}b{} {} {.}' 'echo {2} {-2/} x{3}y' \
			    'sh -c "echo {}; echo {}"' '{} x' 'x{}y{2}'; do
				size_check $c $q --seq 12345 --slot 7 $t --- \
				    'a b' "c'd" e.f '' "'" 'p/q.r' || return 1
				size_check $c $q $t --- one || return 1
			done
		done
	done
	size_check --raw echo {} x{}y --- 'a b' "c'd"
}

@test "a template with nothing in it expands to nothing (--tagstring '')" {
	# regression: no segments at all; found by fuzz_tmpl under UBSan
	run tt --no-append ''
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	run tt --no-append --raw ''
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
}

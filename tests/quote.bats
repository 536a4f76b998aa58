#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
#
# quote: shell quoting of values, through "test-tool quote" (see
# tests/tool/tool-tmpl.c).  The exact text must match GNU parallel's, and
# every shell must read the quoted text back as the original bytes.

bats_require_minimum_version 1.5.0

load helpers

setup_more() {
	: "${PARX_TEST_TOOL:?PARX_TEST_TOOL must name the test-tool binary}"
	T=$BATS_TEST_TMPDIR
}

tq() {
	"$PARX_TEST_TOOL" quote "$@"
}

# Values no shell may misread.  Each one is read back by every shell.
corpus() {
	printf '%s\0' \
	    "'" '"' "it's" "'a" "a'" "''" "'''" '"'"'"'"' \
	    '$(echo pwned)' '`echo pwned`' '$HOME' '${HOME}' '$' '$1' \
	    ';' '|' '&' '>' '<' '*' '?' '[' ']' '[a]' '~' '~root' '#' '#a' \
	    '!' '!!' '!-1' 'a;b|c&d>e<f*g?h[i]j~k#l!m' '(' ')' '{' '}' \
	    '{a,b}' '{}' $'a\nb' $'\n' $'a\n' $'\n\n' $'a\tb' $'\t' \
	    $'a\rb' $'\r\n' '-n' '-e' '--' '-' '--help' ' ' '  a  b  ' \
	    '' $'\xc3\xa9' $'\xff\xfe' $'\x80' $'\xc3' $'\x01\x1b[0m' \
	    '\' '\\' '\n' '\"' '%s' '%' '=' 'a=b' 'IFS=x' ',' ':' '@' '^' \
	    'plain' 'a/b' '1e5'
}

# readback SHELL VALUE: the shell runs printf %s on the quoted value; its
# output must equal the value byte for byte.
readback() {
	local sh=$1 v=$2 q

	q=$(tq -- "$v") || return 1
	printf '%s' "$v" >"$T/want"
	printf 'printf %%s %s\n' "$q" >"$T/script"
	"$sh" "$T/script" >"$T/got" || return 1
	if ! cmp -s "$T/want" "$T/got"; then
		printf 'shell %s, value:\n' "$sh"
		od -c "$T/want"
		printf 'quoted: %s\ngot:\n' "$q"
		od -c "$T/got"
		return 1
	fi
}

# GNU parallel's exact output

@test "values of safe bytes stay bare" {
	run tq plain -n 1e5 a/b a.b a+b a_b A-Z_09 /usr/bin/x ./a..b
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' plain -n 1e5 a/b a.b a+b a_b A-Z_09 \
	    /usr/bin/x ./a..b)" ]
}

@test "values with a space or other bytes are single-quoted" {
	run tq 'a b' a,b a:b a@b a%b a= =a a~ é '\' '#a' 'a]' 'a}' '$x' '*'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' "'a b'" "'a,b'" "'a:b'" "'a@b'" \
	    "'a%b'" "'a='" "'=a'" "'a~'" "'é'" "'\\'" "'#a'" "'a]'" \
	    "'a}'" "'\$x'" "'*'")" ]
}

@test "the empty value becomes ''" {
	run tq ''
	[ "$status" -eq 0 ]
	[ "$output" = "''" ]
}

@test "a single quote is written as '\"'\"'" {
	run tq "it's" "a''b"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "'it'\"'\"'s'" ]
	[ "${lines[1]}" = "'a'\"'\"''\"'\"'b'" ]
}

@test "the '' left at either end by a single quote is dropped" {
	run tq "'a" "a'" "'" "''"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "\"'\"'a'" ]
	[ "${lines[1]}" = "'a'\"'\"" ]
	[ "${lines[2]}" = "\"'\"" ]
	[ "${lines[3]}" = "\"'\"''\"'\"" ]
}

@test "a newline stays literal inside the single quotes" {
	run tq $'a\nb'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf "'a\nb'")" ]
}

@test "tab and carriage return stay literal inside the single quotes" {
	run tq $'a\tb' $'c\rd'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf "'a\tb'\n'c\rd'")" ]
}

@test "invalid UTF-8 is quoted and kept as it is" {
	tq $'\xff\xfe' >"$T/got"
	printf "'\xff\xfe'\n" >"$T/want"
	cmp "$T/want" "$T/got"
}

# quote_is_safe

@test "quote_is_safe agrees with the bare output" {
	run tq --safe plain -n a/b.c+d_e 'a b' '' a,b "it's" é
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' 1 1 1 0 0 0 0 0)" ]
}

# Reading back

@test "sh reads every hostile value back byte for byte" {
	local v
	while IFS= read -r -d '' v; do
		readback sh "$v"
	done < <(corpus)
}

@test "bash reads every hostile value back byte for byte" {
	local v
	while IFS= read -r -d '' v; do
		readback bash "$v"
	done < <(corpus)
}

@test "sh, dash and bash read back all hostile values joined into one" {
	local v all=
	while IFS= read -r -d '' v; do
		all+=$v
	done < <(corpus)
	readback sh "$all"
	readback bash "$all"
	readback dash "$all"
}

@test "a 50 KB value of hostile bytes reads back in sh and bash" {
	local v i
	v=
	for i in $(seq 1 1400); do
		v+=$'ab\'c"d$(e)`f`;|&><*?[]~#!\n\t\r -x\xff\xc3\xa9 '"$i"
	done
	[ "$(printf %s "$v" | wc -c)" -ge 51200 ]
	readback sh "$v"
	readback bash "$v"
}

@test "a 50 KB value of single quotes reads back through standard input" {
	head -c 51200 /dev/zero | tr '\0' "'" >"$T/in"
	tq --stdin <"$T/in" >"$T/q"
	{ printf 'printf %%s '; cat "$T/q"; } >"$T/script"
	sh "$T/script" >"$T/got"
	cmp "$T/in" "$T/got"
	bash "$T/script" >"$T/got"
	cmp "$T/in" "$T/got"
}

@test "all 255 non-NUL bytes read back in sh and bash" {
	local i v
	for i in $(seq 1 255); do
		printf "\\$(printf '%03o' "$i")"
	done >"$T/bytes"
	v=$(cat "$T/bytes"; printf x)
	v=${v%x}
	[ "$(printf %s "$v" | wc -c)" -eq 255 ]
	readback sh "$v"
	readback bash "$v"
}

@test "a NUL byte ends the value" {
	run tq --stdin < <(printf 'ab\0;rm')
	[ "$status" -eq 0 ]
	[ "$output" = "ab" ]
	run tq --stdin < <(printf 'a b\0c')
	[ "$output" = "'a b'" ]
	run tq --stdin < <(printf '\0x')
	[ "$output" = "''" ]
}

@test "quoted values keep their own word when the shell splits" {
	run sh -c "printf '<%s>\n' $(tq ' a  b ') $(tq '') $(tq '*')"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' '< a  b >' '<>' '<*>')" ]
}

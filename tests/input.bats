#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
#
# input: sources, their combination, delimiters and streaming, through
# "test-tool input" (see tests/tool/tool-input.c), which prints each tuple
# as one line of bracketed, escaped values.

load helpers
bats_require_minimum_version 1.5.0

setup_more() {
	: "${PARX_TEST_TOOL:?PARX_TEST_TOOL must name the test-tool binary}"
	T=$BATS_TEST_TMPDIR
	ENOENT="No such file or directory"
}

ti() {
	"$PARX_TEST_TOOL" input "$@"
}

# Combination of sources

@test "a word list gives one value per word" {
	run ti ::: a b c
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '[a]\n[b]\n[c]')" ]
}

@test "two sources combine as a product, the last fastest" {
	run ti ::: 1 2 ::: a b
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '[1][a]\n[1][b]\n[2][a]\n[2][b]')" ]
}

@test "three sources combine as a product" {
	run ti ::: 1 2 ::: a b ::: x y
	[ "$output" = "$(printf '%s\n' '[1][a][x]' '[1][a][y]' '[1][b][x]' \
	    '[1][b][y]' '[2][a][x]' '[2][a][y]' '[2][b][x]' '[2][b][y]')" ]
}

@test "a streamed file first, then words" {
	run ti :::: <(printf 'a\nb\n') ::: 1 2
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '[a][1]\n[a][2]\n[b][1]\n[b][2]')" ]
}

@test "words first, then a file read whole" {
	printf 'a\nb\n' > "$T/f"
	run ti ::: 1 2 :::: "$T/f"
	[ "$output" = "$(printf '[1][a]\n[1][b]\n[2][a]\n[2][b]')" ]
}

@test "each file after :::: is its own source" {
	printf 'a\nb\n' > "$T/f1"
	printf '1\n2\n' > "$T/f2"
	run ti :::: "$T/f1" "$T/f2"
	[ "$output" = "$(printf '[a][1]\n[a][2]\n[b][1]\n[b][2]')" ]
}

@test ":::+ links to the previous source and stops at the shortest" {
	run ti ::: a ::: 1 2 :::+ x y z
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '[a][1][x]\n[a][2][y]')" ]
}

@test ":::+ on a longer list stops at the shorter previous one" {
	run ti ::: 1 2 3 :::+ x y
	[ "$output" = "$(printf '[1][x]\n[2][y]')" ]
}

@test "::::+ links files" {
	printf 'a\nb\nc\n' > "$T/f1"
	printf '1\n2\n' > "$T/f2"
	run ti :::: "$T/f1" ::::+ "$T/f2"
	[ "$output" = "$(printf '[a][1]\n[b][2]')" ]
}

@test "a streamed source linked to a shorter list stops early" {
	printf '1\n2\n3\n4\n5\n' > "$T/f"
	run ti :::: "$T/f" :::+ a b c
	[ "$output" = "$(printf '[1][a]\n[2][b]\n[3][c]')" ]
}

@test "a streamed source linked to a longer list stops at its end" {
	run ti :::: <(printf '1\n2\n') :::+ a b c
	[ "$output" = "$(printf '[1][a]\n[2][b]')" ]
}

@test "an endless stream linked to a short list ends" {
	run bash -c 'yes | "$PARX_TEST_TOOL" input :::: - :::+ a b'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '[y][a]\n[y][b]')" ]
}

@test "a linked group inside a product" {
	run ti :::: <(printf '1\n2\n3\n') ::: a b :::+ x
	[ "$output" = "$(printf '[1][a][x]\n[2][a][x]\n[3][a][x]')" ]
}

@test "--link advances every source, the shorter ones wrap" {
	run ti --link ::: a b c ::: 1 2
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '[a][1]\n[b][2]\n[c][1]')" ]
}

@test "--link reads files too" {
	printf '1\n2\n3\n4\n' > "$T/f"
	run ti --link :::: "$T/f" ::: a b
	[ "$output" = "$(printf '[1][a]\n[2][b]\n[3][a]\n[4][b]')" ]
}

@test "--link with an empty source: it gives one empty value" {
	# GNU 20221122 dies there (Can't call method "orig")
	run ti --link ::: a b ::: ::: x
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '[a][][x]\n[b][][x]')" ]
}

@test "an empty word list is one empty value in the product" {
	# GNU: parallel -k echo ::: a b ::: gives "a " and "b "
	run ti ::: a b :::
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '[a][]\n[b][]')" ]
	run ti ::: ::: a b
	[ "$output" = "$(printf '[][a]\n[][b]')" ]
}

@test "an empty file is one empty value in the product" {
	# GNU: parallel -k echo ::: a b :::: empty gives "a " and "b "
	: > "$T/empty"
	run ti ::: a b :::: "$T/empty"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '[a][]\n[b][]')" ]
	run ti :::: "$T/empty" ::: a b
	[ "$output" = "$(printf '[][a]\n[][b]')" ]
}

@test "an empty linked list ends a streamed group after one tuple" {
	# GNU: parallel -k echo :::: <(printf '1\n2\n') :::+ gives "1 "
	run ti :::: <(printf '1\n2\n') :::+
	[ "$status" -eq 0 ]
	[ "$output" = "[1][]" ]
}

# Records and delimiters

@test "standard input is the default source" {
	run bash -c 'printf "a\nb\n" | "$PARX_TEST_TOOL" input'
	[ "$output" = "$(printf '[a]\n[b]')" ]
}

@test "an empty standard input gives nothing" {
	run bash -c ': | "$PARX_TEST_TOOL" input'
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
}

@test "one line gives exactly one record" {
	run bash -c 'printf "a\n" | "$PARX_TEST_TOOL" input'
	[ "$output" = "[a]" ]
}

@test "a lone newline is one empty record" {
	run bash -c 'printf "\n" | "$PARX_TEST_TOOL" input'
	[ "$output" = "[]" ]
}

@test "a last record without a delimiter counts" {
	run bash -c 'printf "a\nlast" | "$PARX_TEST_TOOL" input'
	[ "$output" = "$(printf '[a]\n[last]')" ]
}

@test "spaces, CR, empty lines and invalid UTF-8 are kept" {
	printf ' a b \r\n\n\n\377\376x\n\tend' > "$T/f"
	run ti :::: "$T/f"
	[ "$output" = "$(printf '%s\n' '[ a b \r]' '[]' '[]' '[\xff\xfex]' \
	    '[\tend]')" ]
}

@test "NUL bytes are kept with the default delimiter" {
	printf 'a\0b\n\0\n' > "$T/f"
	run ti :::: "$T/f"
	[ "$output" = "$(printf '%s\n' '[a\0b]' '[\0]')" ]
}

@test "backslashes and brackets are escaped in the output" {
	run ti ::: 'a\b' '[x]'
	[ "$output" = "$(printf '%s\n' '[a\\b]' '[[x\]]')" ]
}

@test "-0 splits at NUL and keeps newlines" {
	printf 'a\nb\0c\0\0d' > "$T/f"
	run ti -0 :::: "$T/f"
	[ "$output" = "$(printf '%s\n' '[a\nb]' '[c]' '[]' '[d]')" ]
}

@test "-d takes a multi-byte delimiter" {
	run bash -c 'printf "aXYbXY" | "$PARX_TEST_TOOL" input -d XY'
	[ "$output" = "$(printf '[a]\n[b]')" ]
	run bash -c 'printf "XaXXYbXYXY" | "$PARX_TEST_TOOL" input -d XY'
	[ "$output" = "$(printf '%s\n' '[XaX]' '[b]' '[]')" ]
}

@test "-d makes newline an ordinary character" {
	run bash -c 'printf "a\nb,c\n" | "$PARX_TEST_TOOL" input -d ,'
	[ "$output" = "$(printf '%s\n' '[a\nb]' '[c\n]')" ]
}

@test "-d understands C escapes" {
	run bash -c 'printf "a\tb" | "$PARX_TEST_TOOL" input -d "\\t"'
	[ "$output" = "$(printf '[a]\n[b]')" ]
	run bash -c 'printf "1AB2" | "$PARX_TEST_TOOL" input -d "\\x41\\102"'
	[ "$output" = "$(printf '[1]\n[2]')" ]
	run bash -c 'printf "1\\\\2" | "$PARX_TEST_TOOL" input -d "\\\\"'
	[ "$output" = "$(printf '[1]\n[2]')" ]
	run bash -c 'printf "1\0002\n" | "$PARX_TEST_TOOL" input -d "\\0"'
	[ "$output" = "$(printf '%s\n' '[1]' '[2\n]')" ]
	run bash -c 'printf "1\n2" | "$PARX_TEST_TOOL" input -d "\\012"'
	[ "$output" = "$(printf '[1]\n[2]')" ]
}

@test "-d rejects empty and malformed delimiters" {
	run ti -d '' ::: a
	[ "$status" -eq 2 ]
	run ti -d '\q' ::: a
	[ "$status" -eq 2 ]
	run ti -d 'a\' ::: a
	[ "$status" -eq 2 ]
	run ti -d '\x' ::: a
	[ "$status" -eq 2 ]
	run ti -d '\777' ::: a
	[ "$status" -eq 2 ]
}

@test "without -d words are never split; -d splits them" {
	run ti ::: 'a b' "$(printf 'c\nd')" ''
	[ "$output" = "$(printf '%s\n' '[a b]' '[c\nd]' '[]')" ]
	run ti -d , ::: 'a,b'
	[ "$output" = "$(printf '%s\n' '[a]' '[b]')" ]
	run ti -d , ::: 'a,' ''
	[ "$output" = "$(printf '%s\n' '[a]' '[]' '[]')" ]
}

@test "the delimiter applies to every file" {
	printf 'a,b' > "$T/f1"
	printf '1,2,' > "$T/f2"
	run ti -d , :::: "$T/f1" "$T/f2"
	[ "$output" = "$(printf '[a][1]\n[a][2]\n[b][1]\n[b][2]')" ]
}

# Files

@test "- is standard input, also when it is not the first source" {
	run bash -c 'printf "a\nb\n" | "$PARX_TEST_TOOL" input ::: 1 2 :::: -'
	[ "$output" = "$(printf '[1][a]\n[1][b]\n[2][a]\n[2][b]')" ]
}

@test "-a files come first, in order" {
	printf 'a\nb\n' > "$T/f1"
	printf '1\n' > "$T/f2"
	run ti -a "$T/f1" -a "$T/f2" ::: x
	[ "$output" = "$(printf '[a][1][x]\n[b][1][x]')" ]
}

@test "a missing file fails and is named" {
	run ti ::: a :::: "$T/missing"
	[ "$status" -eq 1 ]
	[ "$output" = "test-tool: cannot open '$T/missing': $ENOENT" ]
}

@test "a missing first file fails before anything is read" {
	run bash -c 'echo x | "$PARX_TEST_TOOL" input :::: "$1" - ::: a' _ \
	    "$T/missing"
	[ "$status" -eq 1 ]
	[ "$output" = "test-tool: cannot open '$T/missing': $ENOENT" ]
}

@test "a directory fails when it is read" {
	run ti ::: a :::: "$T"
	[ "$status" -eq 1 ]
	[ "$output" = "test-tool: cannot open '$T': Is a directory" ]
	run ti :::: "$T"
	[ "$status" -eq 1 ]
	[ "$output" = "test-tool: cannot read '$T': Is a directory" ]
}

# Streaming

@test "records from a slow pipe come out as they arrive" {
	# The writer sends "b" only once "[a]" is out (or after 10 seconds,
	# writing "timeout" first so that the test fails).
	out=$T/out
	: > "$out"
	{
		echo a
		i=0
		until grep -qx '\[a\]' "$out"; do
			i=$((i + 1))
			if [ "$i" -gt 200 ]; then
				echo timeout
				break
			fi
			sleep 0.05
		done
		echo b
	} | ti --flush > "$out"
	[ "$(cat "$out")" = "$(printf '[a]\n[b]')" ]
}

@test "records split across reads are joined" {
	run bash -c '{ printf "aX"; sleep 0.1; printf "Yb"; sleep 0.1;
	    printf "X"; sleep 0.1; printf "YcX"; } |
	    "$PARX_TEST_TOOL" input -d XY'
	[ "$output" = "$(printf '[a]\n[b]\n[cX]')" ]
	run bash -c '{ printf "ab"; sleep 0.1; printf "c\nd"; sleep 0.1;
	    printf "\n"; } | "$PARX_TEST_TOOL" input ::: 1 2'
	[ "$output" = "$(printf '%s\n' '[1]' '[2]')" ]
	run bash -c '{ printf "ab"; sleep 0.1; printf "c\nd"; sleep 0.1;
	    printf "\n"; } | "$PARX_TEST_TOOL" input :::: - ::: 1 2'
	[ "$output" = "$(printf '%s\n' '[abc][1]' '[abc][2]' '[d][1]' \
	    '[d][2]')" ]
}

@test "many records come out whole and in order" {
	seq 200000 > "$T/f"
	sed 's/.*/[&]/' "$T/f" > "$T/want"
	ti :::: "$T/f" > "$T/got"
	cmp "$T/want" "$T/got"
	seq 200000 | ti > "$T/got"
	cmp "$T/want" "$T/got"
	ti --link :::: "$T/f" > "$T/got"
	cmp "$T/want" "$T/got"
}

@test "a 10 MB line works" {
	head -c 10000000 /dev/zero | tr '\0' x > "$T/line"
	printf '\nshort\n' >> "$T/line"
	ti :::: "$T/line" ::: 1 > "$T/got"
	[ "$(wc -c < "$T/got")" -eq $((10000000 + 6 + 11)) ]
	[ "$(tail -n 1 "$T/got")" = "[short][1]" ]
	[ "$(head -c 10 "$T/got")" = "[xxxxxxxxx" ]
	ti ::: 1 :::: - < "$T/line" | tail -n 1 > "$T/got"
	[ "$(cat "$T/got")" = "[1][short]" ]
}

@test "memory does not grow with the number of streamed lines" {
	seq 10000 > "$T/small"
	seq 1000000 > "$T/big"

	run ti --count :::: "$T/big"
	[ "$output" = "1000000" ]

	ti --count --maxrss :::: "$T/small" 2> "$T/rss-small" > /dev/null
	ti --count --maxrss :::: "$T/big" 2> "$T/rss-big" > /dev/null
	ti --maxrss < "$T/big" 2> "$T/rss-pipe" > /dev/null
	ti --count --maxrss --link :::: "$T/big" 2> "$T/rss-whole" > /dev/null
	small=$(sed -n 's/^maxrss //p' "$T/rss-small")
	big=$(sed -n 's/^maxrss //p' "$T/rss-big")
	pipe=$(sed -n 's/^maxrss //p' "$T/rss-pipe")
	whole=$(sed -n 's/^maxrss //p' "$T/rss-whole")
	echo "maxrss KiB: small $small big $big pipe $pipe whole $whole"
	[ "$big" -lt $((small + 4096)) ]
	[ "$pipe" -lt $((small + 4096)) ]
	# The measure can see growth: --link reads the file whole.
	[ "$whole" -gt $((small + 10000)) ]
}

# --skip-first-line

@test "--skip-first-line: the first record of the first source is not used" {
	# GNU: seq 3 | parallel -k --skip-first-line echo
	run bparx -k --skip-first-line echo < <(seq 3)
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 2 3)" ]
	printf 'a\nb\n' > s1
	printf 'x\ny\n' > s2
	# GNU: parallel -k --skip-first-line echo :::: s1 s2
	run bparx -k --skip-first-line echo :::: s1 s2
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 'b x' 'b y')" ]
	# GNU: parallel -k --skip-first-line echo ::: h a b
	run bparx -k --skip-first-line echo ::: h a b
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines a b)" ]
	# GNU: printf only | parallel --skip-first-line echo (nothing)
	run bparx --skip-first-line echo < <(printf only)
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
}

@test "--skip-first-line: the first record ends at the -d or -0 delimiter" {
	# GNU: printf 'a\nb\0c\0' | parallel -k --skip-first-line -0 echo
	run bparx -k --skip-first-line -0 echo < <(printf 'a\nb\0c\0')
	[ "$status" -eq 0 ]
	[ "$output" = c ]
	# GNU: printf 'xaaby\nab' | parallel -k --skip-first-line -d ab echo
	run bparx -k --skip-first-line -d ab echo < <(printf 'xaaby\nab')
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines y '')" ]
}

@test "values in CR-NL: one warning when the first three of the first source end in \\r" {
	local w='parx: warning: the first three values end in CR-NL: consider using -d "\r\n"'
	# GNU: printf 'b\r\nc\r\nd\r\ne\r\n' | parallel -k echo {}a (b\ra
	# c\ra d\ra e\ra; parallel: Warning: The first three values end in
	# CR-NL. Consider using -d "\r\n"), exit 0
	printf 'b\r\nc\r\nd\r\ne\r\n' > in
	run --separate-stderr bparx -k echo {}a < in
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'b\ra\nc\ra\nd\ra\ne\ra')" ]
	[ "$stderr" = "$w" ]
	# GNU: the same with :::: in ::: 1, and with -n2 (one warning)
	run --separate-stderr bparx -k echo :::: in ::: 1
	[ "$status" -eq 0 ]
	[ "$stderr" = "$w" ]
	run --separate-stderr bparx -k -n2 echo < in
	[ "$output" = "$(printf 'b\r c\r\nd\r e\r')" ]
	[ "$stderr" = "$w" ]
	# GNU: no warning with -d '\r\n', when a value of the first three
	# ends in \n only, when the first source has two values, or when
	# they are not in the first source
	run --separate-stderr bparx -k -d '\r\n' echo {}a < in
	[ "$output" = "$(printf 'ba\nca\nda\nea')" ]
	[ -z "$stderr" ]
	printf 'b\r\nc\nd\r\ne\r\n' | bparx -k echo > out 2> err
	[ ! -s err ]
	head -2 in > in2
	run --separate-stderr bparx -k echo :::: in2 ::: 1 2
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	run --separate-stderr bparx -k echo ::: 1 :::: in
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
}

@test "an empty source among others is one empty value; all empty, no job" {
	# GNU: parallel -k echo ::: a b :::: /dev/null ('a ', 'b '), exit 0
	run bparx -k echo ::: a b :::: /dev/null
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 'a ' 'b ')" ]
	# GNU: parallel -k echo ::: a ::: ('a '); the stream too:
	# parallel -k echo :::: - ::: a < /dev/null (' a')
	run bparx -k echo ::: a :::
	[ "$output" = 'a ' ]
	run bparx -k echo :::: - ::: a < /dev/null
	[ "$output" = ' a' ]
	# GNU: seq 1 100 | parallel -k -E 3 echo :::: - ::: 3 4 :::: <(seq 3
	# 11) ('1  ', '2  ': -E ends the last two at their first value)
	run bparx -k -E 3 echo :::: - ::: 3 4 :::: <(seq 3 11) < <(seq 100)
	[ "$output" = "$(lines '1  ' '2  ')" ]
	# GNU: no job when every source is empty: parallel echo :::: - :::
	# < /dev/null; seq 3 9 | parallel -E 3 echo :::: - ::: 3 4 (exit 0)
	run bparx echo :::: - ::: < /dev/null
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	run bparx -E 3 echo :::: - ::: 3 4 < <(seq 3 9)
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	run bparx echo ::: :::
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

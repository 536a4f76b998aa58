#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
#
# pipe: standard input (or a file) cut into blocks, one per job's stdin:
# --pipe, --block, --recend, --recstart, --regexp, -N, -L, --header,
# --pipe-part, --round-robin.  Expected texts are what GNU parallel
# 20221122 prints, except where a test says parx chooses otherwise.

bats_require_minimum_version 1.5.0

load helpers

# jobs: the output of 'echo JOB; cat' jobs, one line per job, blanks between.
jobs_of() {
	printf '%s\n' "$output" | awk '/^JOB$/ { if (n++) printf "\n"; next }
	    { printf "%s ", $0 } END { printf "\n" }'
}

# Cutting into blocks

@test "-N: blocks of N records, each the stdin of one job" {
	run bparx -k --pipe -N3 'echo {#}; cat' < <(seq 10)
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 1 1 2 3 2 4 5 6 3 7 8 9 4 10)" ]
}

@test "--block: a block ends at the last record end within the size" {
	run bparx -k --pipe --block 20 wc -c < <(seq 100)
	[ "$output" = "$(printf '18\n%.0s' $(seq 16); echo 4)" ]
	run bparx -k --pipe --block 20 'wc -l' < <(seq 100)
	[ "$output" = "$(echo 9; printf '6\n%.0s' $(seq 15); echo 1)" ]
}

@test "--block: the same blocks from a file as from a pipe" {
	seq 100000 > in
	parx -k --pipe --block 1000 'wc -c' < in > from-file
	cat in | parx -k --pipe --block 1000 'wc -c' > from-pipe
	cmp from-file from-pipe
	[ "$(head -1 from-file)" = 1000 ]
}

@test "--block takes units: k is 1000, K is 1024, fractions work" {
	run bparx -k --pipe --block 1k 'wc -c' < <(seq 100000)
	[ "${lines[0]}" = 1000 ]
	run bparx -k --pipe --block 1K 'wc -c' < <(seq 100000)
	[ "${lines[0]}" = 1024 ]
	run bparx -k --pipe --block 1.5k 'wc -c' < <(seq 100000)
	[ "${lines[0]}" = 1500 ]
	run bparx --pipe --block 1q cat
	[ "$status" -eq 255 ]
}

@test "a record longer than the block is a block of its own" {
	# GNU: printf '%035d\nb\nc\n' 0 | parallel -k --pipe --block 10 wc -c
	# (36, 4; the block size warned grown to 14, 20, 27, 37), exit 0
	run --separate-stderr bparx -k --pipe --block 10 wc -c < <(printf '%035d\nb\nc\n' 0)
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 36 4)" ]
	[ "$stderr" = "$(lines \
	    'parx: warning: a record was longer than 10: increasing to --blocksize 14' \
	    'parx: warning: a record was longer than 14: increasing to --blocksize 20' \
	    'parx: warning: a record was longer than 20: increasing to --blocksize 27' \
	    'parx: warning: a record was longer than 27: increasing to --blocksize 37')" ]
}

@test "the block size grown for a long record stays grown for the blocks after" {
	# GNU: printf 'aaaaaaaaaa\nb\nc\nd\ne\nf\ng\nh\n' | parallel --pipe
	# --block 2 -k 'echo JOB; cat' (aaaaaaaaaa | b c d e f | g h, the
	# size warned grown to 4, 7, 11), exit 0
	run --separate-stderr bparx --pipe --block 2 -k 'echo JOB; cat' \
	    < <(printf 'aaaaaaaaaa\nb\nc\nd\ne\nf\ng\nh\n')
	[ "$status" -eq 0 ]
	[ "$(jobs_of)" = "$(lines 'aaaaaaaaaa ' 'b c d e f ' 'g h ')" ]
	[ "$(wc -l <<< "$stderr")" -eq 3 ]
	[ "${stderr##*$'\n'}" = 'parx: warning: a record was longer than 7: increasing to --blocksize 11' ]
	# GNU: printf 'aaaaaaaaaa\nb\n' > in; parallel --pipe -N2 --block 2
	# -k cat < in (the size warned grown to 4, 7, 11, 16: -N's records
	# together); parallel --pipe-part -a in --block 2 -k cat (no warning)
	printf 'aaaaaaaaaa\nb\n' > in
	run --separate-stderr bparx --pipe -N2 --block 2 -k cat < in
	[ "$output" = "$(lines aaaaaaaaaa b)" ]
	[ "${stderr##*$'\n'}" = 'parx: warning: a record was longer than 11: increasing to --blocksize 16' ]
	run --separate-stderr bparx --pipe-part -a in --block 2 -k cat
	[ "$output" = "$(lines aaaaaaaaaa b)" ]
	[ -z "$stderr" ]
}

@test "-N ignores the block size" {
	# GNU: seq 100 | parallel -k --pipe -N 50 --block 10 wc -l (50, 50;
	# the size warned grown nine times, to 151), exit 0
	run --separate-stderr bparx -k --pipe -N 50 --block 10 wc -l < <(seq 100)
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 50 50)" ]
	[ "$(wc -l <<< "$stderr")" -eq 9 ]
	[ "${stderr##*$'\n'}" = 'parx: warning: a record was longer than 115: increasing to --blocksize 151' ]
}

@test "-L: records of L lines" {
	run bparx -k --pipe -L 3 --block 10 wc -l < <(seq 20)
	[ "$output" = "$(lines 3 3 3 3 3 3 2)" ]
	run bparx -k --pipe -L 3 -N2 wc -l < <(seq 20)
	[ "$output" = "$(lines 6 6 6 2)" ]
}

@test "-L: a block is whole groups of L lines, the lines left over one more" {
	# GNU: seq 10 | parallel -k --pipe -L 4 'cat;echo X'
	run bparx -k --pipe -L 4 'cat;echo X' < <(seq 10)
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 1 2 3 4 5 6 7 8 X 9 10 X)" ]
	# A file (mapped) is cut the same way.
	seq 23 > in
	# GNU: seq 23 | parallel -k --pipe -L 4 wc -l
	run bparx -k --pipe -L 4 wc -l < in
	[ "$output" = "$(lines 20 3)" ]
	# Within the block size: as many groups as fit, the rest at the end.
	# GNU: seq 23 | parallel -k --pipe -L 3 --block 12 wc -l
	run bparx -k --pipe -L 3 --block 12 wc -l < in
	[ "$output" = "$(lines 6 3 3 3 3 3 2)" ]
	# GNU: seq 23 | parallel -k --pipe -L 4 --block 20 wc -l
	run bparx -k --pipe -L 4 --block 20 wc -l < in
	[ "$output" = "$(lines 8 4 4 4 3)" ]
	# -N n: blocks of n groups.
	# GNU: seq 23 | parallel -k --pipe -L 2 -N 3 wc -l
	run bparx -k --pipe -L 2 -N 3 wc -l < in
	[ "$output" = "$(lines 6 6 6 5)" ]
	# A whole number of groups: no empty block after them.
	# GNU: seq 8 | parallel -k --pipe -L 4 wc -l
	run bparx -k --pipe -L 4 wc -l < <(seq 8)
	[ "$output" = 8 ]
}

@test "-l N is -L N: records of N lines" {
	# GNU: seq 20 | parallel -k --pipe -l 3 --block 10 wc -l
	run bparx -k --pipe -l 3 --block 10 wc -l < <(seq 20)
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 3 3 3 3 3 3 2)" ]
	# GNU: seq 20 | parallel -k --pipe --max-lines 3 --block 10 wc -l
	run bparx -k --pipe --max-lines 3 --block 10 wc -l < <(seq 20)
	[ "$output" = "$(lines 3 3 3 3 3 3 2)" ]
	# GNU: seq 5 | parallel -k --pipe -l --block 3 wc -l
	run bparx -k --pipe -l --block 3 wc -l < <(seq 5)
	[ "$output" = "$(lines 1 1 1 1 1)" ]
}

@test "a last record without its end is a block too" {
	run bparx -k --pipe -N1 wc -c < <(printf 'a\nb\nc')
	[ "$output" = "$(lines 2 2 1)" ]
	run bparx --pipe 'echo job; wc -c' < <(printf 'abc')
	[ "$output" = "$(lines job 3)" ]
}

@test "empty input runs no job" {
	run bparx --pipe 'echo job' < /dev/null
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
}

# Record separators

@test "--recstart alone splits before every occurrence" {
	run bparx -k --pipe -N1 --recstart '>' 'echo JOB; cat' < <(
	    printf '>a\nx>q\n>b\ny\n>c\nz\n')
	[ "$output" = "$(printf 'JOB\n>a\nxJOB\n>q\nJOB\n>b\ny\nJOB\n>c\nz')" ]
}

@test "--recend and --recstart together must meet" {
	run bparx -k --pipe -N1 --recstart '>' --recend '\n' 'echo JOB; cat' \
	    < <(printf '>a\nx>q\n>b\ny\n>c\nz\n')
	[ "$(jobs_of)" = "$(lines '>a x>q ' '>b y ' '>c z ')" ]
}

@test "--recend with another string; text before a record start is one" {
	run bparx -k --pipe -N1 --recend ';' 'echo JOB; cat; echo' < <(
	    printf 'a;b;c;')
	[ "$(jobs_of)" = "$(lines 'a; ' 'b; ' 'c; ')" ]
	run bparx -k --pipe -N1 --recstart '>' 'echo JOB; cat' < <(
	    printf 'junk\n>a\nx\n>b\n')
	[ "$(jobs_of)" = "$(lines 'junk ' '>a x ' '>b ')" ]
}

@test "--recend '' cuts anywhere: exact block sizes" {
	run bparx -k --pipe --recend '' --block 100 wc -c < <(seq 100)
	[ "$output" = "$(lines 100 100 92)" ]
	run bparx -k --pipe --recend '' -N 7 wc -c < <(seq 10)
	[ "$output" = "$(lines 7 7 7)" ]
}

@test "--regexp: record ends and starts as regular expressions" {
	run bparx -k --pipe -N1 --regexp --recstart '^>' 'echo JOB; cat' < <(
	    printf 'a\n>b\nc>d\n>e\n')
	[ "$(jobs_of)" = "$(lines 'a ' '>b c>d ' '>e ')" ]
	run bparx -k --pipe -N1 --regexp --recend '[0-9]+\n' 'echo JOB; cat' \
	    < <(printf 'a1\nb22\nc333\nd\n')
	[ "$(jobs_of)" = "$(lines 'a1 ' 'b22 ' 'c333 ' 'd ')" ]
	run bparx -k --pipe -N1 --regexp --recend '\n\n' 'echo JOB; cat' < <(
	    printf 'x\n\ny\nz\n\nw\n')
	[ "$(jobs_of)" = "$(lines 'x  ' 'y z  ' 'w ')" ]
	run bparx -k --pipe -N1 --regexp --recend '\d\d\n' 'echo JOB; cat' \
	    < <(seq 9 12)
	[ "$(jobs_of)" = "$(lines '9 10 ' '11 ' '12 ')" ]
}

# re_jobs DATA ARGS...: parx --pipe --regexp -k ARGS 'echo JOB;cat', the
# data (a printf format) its input.
re_jobs() {
	local data=$1
	shift
	# shellcheck disable=SC2059
	run bparx --pipe --regexp -k "$@" 'echo JOB;cat' < <(printf "$data")
}

@test "--regexp -N: a record begins with a whole record start, as GNU parallel's" {
	local d='A2, Start, 5\nA2, 1\nA2, Start, 7\n'
	# The record start matches one byte into its own line ("2, Start"):
	# no split there, the next record starts at the next line's match.
	# GNU: printf 'A2, Start, 5\nA2, 1\nA2, Start, 7\n' | parallel --pipe --regexp -k --recstart '.*, Start' -N1 'echo JOB;cat'
	re_jobs "$d" --recstart '.*, Start' -N1
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines JOB 'A2, Start, 5' 'A2, 1' JOB 'A2, Start, 7')" ]
	# GNU: (the same) ... -N2 'echo JOB;cat'
	re_jobs "$d" --recstart '.*, Start' -N2
	[ "$output" = "$(lines JOB 'A2, Start, 5' 'A2, 1' 'A2, Start, 7')" ]
	# What comes before the first record start is a block of its own.
	# GNU: printf 'x\nA2, Start, 5\nA2, 1\nA2, Start, 7\n' | parallel --pipe --regexp -k --recstart '.*, Start' -N5 'echo JOB;cat'
	re_jobs "x\\n$d" --recstart '.*, Start' -N5
	[ "$output" = "$(lines JOB x JOB 'A2, Start, 5' 'A2, 1' 'A2, Start, 7')" ]
	# GNU: printf 'a;b;;c\n' | parallel --pipe --regexp -k --recend ';' -N2 'echo JOB;cat'
	re_jobs 'a;b;;c\n' --recend ';' -N2
	[ "$output" = "$(lines JOB 'a;b;JOB' ';c')" ]
	# An empty record ends the splitting: '$' matches before the newline
	# that starts the second record, and the rest is one block.
	# GNU: printf '11\n, Sa21\n' | parallel --pipe --regexp -k --recend '$' -N1 'echo JOB;cat'
	re_jobs '11\n, Sa21\n' --recend '$' -N1
	[ "$output" = "$(lines JOB 11JOB '' ', Sa21')" ]
}

@test "--regexp -N: record end and start together, the first bytes a block alone" {
	# The records run from a 4 to a 5 followed by a 4: the 151 bytes
	# before the first "54" are one block, the other records one more.
	# GNU: seq 10000 | parallel --pipe --regexp --recstart 4 --recend 5 -N1000 -k 'wc -c'
	seq 10000 > in
	run bparx --pipe --regexp --recstart 4 --recend 5 -N1000 -k 'wc -c' \
	    < <(cat in)
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 151 48743)" ]
	# The same from a file (mapped, not read).
	run bparx --pipe --regexp --recstart 4 --recend 5 -N1000 -k 'wc -c' < in
	[ "$output" = "$(lines 151 48743)" ]
	# GNU: seq 10000 | parallel --pipe --regexp --recstart 4 --recend 5 -N10 -k 'wc -c' | tr '\n' ' '
	run bparx --pipe --regexp --recstart 4 --recend 5 -N10 -k 'wc -c' < in
	[ "$(echo $output)" = "151 1918 2092 2454 2546 2454 2546 2454 2546 2454 2546 1758 50 50 50 50 45 50 50 50 50 251 2546 2454 2546 2454 2546 2454 2546 2454 2279" ]
}

@test "--regexp: a block ends at the last match within the size, long records too" {
	seq 1000000 1030000 > in
	run bparx -k --pipe --regexp --recend '\n' --block 99999 wc -c < in
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 99992 ]
	[ "$output" = "$(bparx -k --pipe --block 99999 wc -c < in)" ]
	# Records longer than the stretch searched near the block's end.
	yes "$(printf '%19999s' '')" | head -n 10 > long
	run bparx -k --pipe --regexp --recend ' \n' --block 50000 wc -c < long
	[ "$output" = "$(lines 40000 40000 40000 40000 40000)" ]
	yes "$(printf '%29999s' '')" | head -n 7 > long
	run bparx -k --pipe --regexp --recstart '^ ' --block 100000 wc -c < long
	[ "$output" = "$(lines 90000 90000 30000)" ]
}

@test "--regexp: a bad expression is an error, exit 255" {
	run bparx --pipe --regexp --recend '(' cat < /dev/null
	[ "$status" -eq 255 ]
	[[ "$output" == "parx: invalid regular expression '(' for --recend: expected an extended regular expression ("*")" ]]
	run bparx --pipe --regexp --recend x --recstart '+' cat < /dev/null
	[ "$status" -eq 255 ]
	[[ "$output" == "parx: invalid regular expression '+' for --recstart: expected an extended regular expression ("*")" ]]
	run bparx --pipe --regexp --header '[' cat < /dev/null
	[ "$status" -eq 255 ]
	[[ "$output" == "parx: invalid regular expression '[' for --header: expected N, : or an extended regular expression ("*")" ]]
}

@test "--recend, --recstart: a bad escape is an error, exit 255" {
	local what="expected characters and escapes (\n, \t, \0, \NNN, \xHH...)"

	run bparx --pipe --recend 'x\q' cat < /dev/null
	[ "$status" -eq 255 ]
	[ "$output" = "parx: invalid record end 'x\q' for --recend: $what" ]
	run bparx --pipe --recstart '\' cat < /dev/null
	[ "$status" -eq 255 ]
	[ "$output" = "parx: invalid record start '\' for --recstart: $what" ]
}

# --header

@test "--header N and --header : repeat the first lines in every block" {
	run bparx -k --pipe -N3 --header : 'echo JOB; cat' < <(seq 10)
	[ "$(jobs_of)" = "$(lines '1 2 3 4 ' '1 5 6 7 ' '1 8 9 10 ')" ]
	run bparx -k --pipe -N3 --header 2 'echo JOB; cat' < <(seq 10)
	[ "$(jobs_of)" = "$(lines '1 2 3 4 5 ' '1 2 6 7 8 ' '1 2 9 10 ')" ]
}

@test "--header REGEX takes what matches at the start" {
	run bparx -k --pipe -N3 --header '1\n2\n' 'echo JOB; cat' < <(seq 10)
	[ "$(jobs_of)" = "$(lines '1 2 3 4 5 ' '1 2 6 7 8 ' '1 2 9 10 ')" ]
}

@test "--header with nothing after it runs no job" {
	run bparx -k --pipe -N3 --header 2 'echo JOB; cat' < <(seq 2)
	[ "$output" = "" ]
	run bparx -k --pipe --header : 'echo JOB; cat' < <(echo h)
	[ "$output" = "" ]
}

@test "--header that does not match is no header" {
	run bparx -k --pipe --recend ';' -N1 --header : 'echo JOB; cat; echo' \
	    < <(printf 'a;b;')
	[ "$(jobs_of)" = "$(lines 'a; ' 'b; ')" ]
}

# Jobs, output and exit statuses

@test "--tag and {#} work on blocks" {
	run bparx -k --pipe --tag cat < <(seq 3)
	[ "$output" = "$(lines $'\t1' $'\t2' $'\t3')" ]
	run bparx -k --pipe --tagstring 'b{#}' -N2 'wc -l' < <(seq 5)
	[ "$output" = "$(lines $'b1\t2' $'b2\t2' $'b3\t1')" ]
}

@test "--dry-run shows one command per block" {
	run bparx --pipe --dry-run -N2 'cat {#}' < <(seq 5)
	[ "$output" = "$(lines 'cat 1' 'cat 2' 'cat 3')" ]
}

@test "exit statuses count the failed blocks" {
	run bparx -k --pipe -N3 'exit $(wc -l)' < <(seq 8)
	[ "$status" -eq 3 ]
}

@test "-k keeps block order whatever order the jobs end in" {
	# Job 1 ends only once job 3 has.
	run bparx -k -j3 --pipe -N2 'if [ {#} -eq 1 ]; then
	    until [ -e three ]; do sleep 0.01; done; fi
	    cat; if [ {#} -eq 3 ]; then touch three; fi' < <(seq 6)
	[ "$status" -eq 0 ]
	[ "$output" = "$(seq 6)" ]
}

@test "a job starts as soon as its block is complete" {
	run bparx --pipe -N3 'cat; touch started' < <(seq 3;
	    wait_for started 20; seq 4 6)
	[ "$status" -eq 0 ]
	[ "$output" = "$(seq 6)" ]
}

@test "a job that does not read its block does not stop the others" {
	# Blocks far larger than a pipe: the first job reads nothing until
	# the second has run, so parx must not wait for it to drain.
	yes 123456789 | head -n 3000000 > in
	run bparx -k -j2 --pipe --block 10m 'if [ {#} -eq 1 ]; then
	    until [ -e two ]; do sleep 0.01; done; fi
	    wc -c; if [ {#} -eq 2 ]; then touch two; fi' < in
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 10000000 10000000 10000000)" ]
}

@test "a job that stops reading early loses only its own block" {
	seq 300000 > in
	run bparx -k --pipe --block 1M 'head -1' < in
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
	[ "${lines[0]}" = 1 ]
	run bparx -k --pipe --block 1M true < in
	[ "$status" -eq 0 ]
}

@test "NUL bytes and invalid UTF-8 pass through" {
	printf 'a\0b\n\377\376\nc\0\n' > in
	bparx -k --pipe -N1 cat < in > out
	cmp in out
}

# No byte lost or duplicated

@test "100 MB through --pipe, from a pipe and from a file, -k: the same bytes" {
	seq 1 14000000 | head -c 100000000 > in
	cat in | bparx -k -j4 --pipe --block 700k cat > out1
	cmp in out1
	bparx -k -j4 --pipe --block 3M cat < in > out2
	cmp in out2
	rm -f out1 out2
	bparx -k -j4 --pipe -N 100000 cat < in > out3
	cmp in out3
}

@test "100 MB with other separators and cut rules: the same bytes" {
	seq 1 14000000 | head -c 100000000 > in
	cat in | bparx -k --pipe --recend 77 --recstart 8 --block 1M cat > out
	cmp in out
	bparx -k --pipe --regexp --recend '[79]\n' --block 2M cat < in > out
	cmp in out
	cat in | bparx -k --pipe --recend '' --block 999999 cat > out
	cmp in out
}

@test "100 MB through --pipe-part: the same bytes" {
	seq 1 14000000 | head -c 100000000 > in
	bparx -k -j4 --pipe-part -a in cat > out
	cmp in out
	bparx -k --pipe-part --block 1M cat :::: in > out
	cmp in out
}

# --pipe-part

@test "--pipe-part: a block ends at the first record end past the size" {
	seq 100 > in
	run bparx -k --pipe-part -a in --block 50 'wc -c'
	[ "$output" = "$(lines 51 51 51 51 51 37)" ]
}

@test "--pipe-part: the default is ten blocks per job slot, --block -N N" {
	seq 1000000 > in
	run bparx -k -j2 --pipe-part -a in 'wc -c'
	[ "${#lines[@]}" -eq 20 ]
	[ "${lines[0]}" = 344448 ]
	run bparx -k -j3 --pipe-part -a in --block -2 'wc -c'
	[ "${#lines[@]}" -eq 6 ]
}

@test "--pipe-part: --header goes in front of every part" {
	seq 100 > in
	run bparx -k --pipe-part -a in --header : --block 100 'head -2'
	[ "$output" = "$(lines 1 2 1 39 1 73)" ]
}

@test "--pipe-part: the block is 1 + size / (slots x n) bytes, as GNU parallel computes it" {
	# 27 bytes, -j3 --block -1: blocks of 10 bytes, not 9
	# GNU: parallel --pipepart -j3 --block -1 -k -a in 'echo J; cat'
	{ seq 9; echo 12345678; } > in
	run bparx --pipe-part -j3 --block -1 -k -a in 'echo J; cat'
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines J 1 2 3 4 5 6 J 7 8 9 12345678)" ]
}

@test "--pipe-part --round-robin: one block per job slot (--block -1), whatever --block says" {
	# GNU: parallel --pipepart --roundrobin --block 10k -j2 -k -a in wc -c
	seq 100000 > in
	run bparx --pipe-part --round-robin --block 10k -j2 -k -a in wc -c
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 294450 294445)" ]
}

@test "--pipe-part with several files: each cut on its own, in order, the block size from their total" {
	seq 1 6 > f1
	seq 10 14 > f2
	# GNU: parallel -j2 --pipepart --block -1 -k 'echo J{#}; cat' :::: f1 f2
	run bparx -j2 --pipe-part --block -1 -k 'echo J{#}; cat' :::: f1 f2
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines J1 1 2 3 4 5 6 J2 10 11 12 13 14)" ]
	# GNU: the same with -j3 (blocks of 1 + 27 / 3 = 10 bytes)
	run bparx -j3 --pipe-part --block -1 -k -a f1 -a f2 'echo J{#}; cat'
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines J1 1 2 3 4 5 6 J2 10 11 12 13 J3 14)" ]
	# the default block: a tenth per slot of both files together
	# GNU: parallel -j2 --pipepart -k 'wc -c' :::: g1 g2
	seq 100000 > g1
	seq 50000 > g2
	run bparx -j2 --pipe-part -k 'wc -c' :::: g1 g2
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 21 ]
	[ "${lines[0]}" = 43893 ]
	[ "${lines[13]}" = 18253 ]
	[ "${lines[14]}" = 43893 ]
	[ "${lines[20]}" = 25524 ]
	bparx -j2 --pipe-part -k cat :::: g1 g2 > out
	cat g1 g2 | cmp - out
}

@test "--pipe-part with several files: each file's own --header, --cat and --fifo" {
	printf 'H1\na\nb\nc\n' > h1
	printf 'H2\nd\ne\n' > h2
	# GNU: parallel --pipepart --header : --block 3 -k 'echo J{#}; cat' :::: h1 h2
	run bparx --pipe-part --header : --block 3 -k 'echo J{#}; cat' :::: h1 h2
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines J1 H1 a b J2 H1 c J3 H2 d e)" ]
	# GNU: parallel --pipepart --cat --block 3 -k 'echo J{#}; cat {}' :::: h1 h2
	run bparx --pipe-part --cat --block 3 -k 'echo J{#}; cat {}' :::: h1 h2
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines J1 H1 a J2 b c J3 H2 d J4 e)" ]
	run bparx --pipe-part --fifo --block 3 -k 'echo J{#}; cat {}' :::: h1 h2
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines J1 H1 a J2 b c J3 H2 d J4 e)" ]
}

@test "--pipe-part over 1500 files with 64 descriptors: a file is open only while its jobs run" {
	mkdir d
	for i in $(seq 1500); do echo "$i" > "d/$i"; done
	ulimit -n 64
	run bparx -j4 -k --pipe-part cat :::: $(printf 'd/%s ' $(seq 1500))
	[ "$status" -eq 0 ]
	[ "$output" = "$(seq 1500)" ]
}

@test "--pipe-part with several files: a missing or irregular one stops parx before any job" {
	seq 3 > f1
	# GNU: parallel --pipepart -a f1 -a missing cat (File not found: missing)
	run --separate-stderr bparx --pipe-part -a f1 -a missing cat
	[ "$status" -eq 255 ]
	[ "$output" = "" ]
	[ "$stderr" = "parx: cannot open 'missing': No such file or directory" ]
	run --separate-stderr bparx --pipe-part -a f1 -a /dev/null cat
	[ "$status" -eq 255 ]
	[ "$output" = "" ]
	[ "$stderr" = "parx: --pipe-part needs a regular file, and '/dev/null' is not one" ]
	# ::: lists are not data
	run --separate-stderr bparx --pipe-part cat :::: f1 ::: x
	[ "$status" -eq 255 ]
	[ "${stderr_lines[0]}" = "parx: --pipe-part reads files (-a FILE, :::: FILE...), not ::: lists" ]
}

@test "--pipe-part --retries with several files: a job that fails gets its own block again" {
	seq 1 4 > f1
	seq 5 8 > f2
	# each job fails the first time it runs
	run bparx --pipe-part --block 4 --retries 2 -k \
	    'f=t.$(head -c 1 | tr -d "\n"); [ -e $f ] || { touch $f; exit 1; }; echo $f' :::: f1 f2
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines t.1 t.4 t.5 t.8)" ]
}

@test "--skip-first-line with --pipe: the data's first line goes to no job" {
	# GNU: seq 3 | parallel --pipe --skip-first-line cat
	run bparx --pipe --skip-first-line cat < <(seq 3)
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 2 3)" ]
	# GNU: seq 5 | parallel --pipe --skip-first-line --header 1 -N1 -k 'echo J;cat'
	run bparx --pipe --skip-first-line --header 1 -N1 -k 'echo J;cat' < <(seq 5)
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines J 2 3 J 2 4 J 2 5)" ]
	# GNU: seq 4 | parallel --pipe --skip-first-line -N1 -k 'echo {}; cat' ::: a b c
	# (the first ::: value goes too)
	run bparx --pipe --skip-first-line -N1 -k 'echo {}; cat' ::: a b c < <(seq 4)
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines b 2 c 3 '' 4)" ]
}

@test "--skip-first-line with --pipe-part: each file's first line, before its header; --dry-run reads past it" {
	seq 1 6 > f1
	# GNU: parallel --pipepart --skip-first-line -a f1 -k --block 4 'echo J; cat'
	run bparx --pipe-part --skip-first-line -a f1 -k --block 4 'echo J; cat'
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines J 2 3 4 J 5 6)" ]
	printf 'H1\na\nb\nc\n' > h1
	printf 'H2\nd\ne\n' > h2
	# GNU: parallel --pipepart --header : --skip-first-line -k --block 4 'echo J; cat' :::: h1 h2
	run bparx --pipe-part --header : --skip-first-line -k --block 4 'echo J; cat' :::: h1 h2
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines J a b c J d e)" ]
	run bparx --pipe-part --header : --skip-first-line -k --block 4 --dry-run cat :::: h1 h2
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines '{ tail -c +4 h1 | head -c 2; tail -c +6 h1 | head -c 4; } | (cat)' \
	    '{ tail -c +4 h2 | head -c 2; tail -c +6 h2 | head -c 2; } | (cat)')" ]
	[ "$(printf '%s\n' "$output" | bash)" = "$(lines a b c d e)" ]
}

@test "--pipe-part needs a regular file" {
	run bparx --pipe-part -a /dev/null cat
	[ "$status" -eq 255 ]
	[ "$output" = "parx: --pipe-part needs a regular file, and '/dev/null' is not one" ]
	run bparx --pipe-part cat < <(echo x)
	[ "$status" -eq 255 ]
}

# --round-robin

@test "--round-robin: one job per slot, every record once" {
	seq 100000 > in
	run bparx --pipe --round-robin -j3 --block 10k 'echo job; wc -l' < in
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | grep -c job)" -eq 3 ]
	[ "$(printf '%s\n' "$output" | awk '!/job/ { n += $1 } END { print n }')" -eq 100000 ]
	bparx --round-robin -j3 --block 10k cat < in | sort -n > out
	cmp in out
}

@test "--round-robin: blocks go round while the jobs keep up" {
	run bparx -k --pipe --round-robin -j3 -N1 'echo JOB; cat' < <(seq 10)
	[ "$(jobs_of)" = "$(lines '1 4 7 10 ' '2 5 8 ' '3 6 9 ')" ]
}

@test "--round-robin: fewer blocks than slots start fewer jobs" {
	run bparx --pipe --round-robin -j4 -N1 'echo job' < <(seq 3)
	[ "$output" = "$(lines job job job)" ]
	run bparx --pipe --round-robin -j3 'echo job' < /dev/null
	[ "$output" = "" ]
}

@test "--round-robin: each job gets the header once" {
	run bparx -k --pipe --round-robin --header : -j3 -N1 'echo JOB; cat' \
	    < <(seq 10)
	[ "$(jobs_of)" = "$(lines '1 2 5 8 ' '1 3 6 9 ' '1 4 7 10 ')" ]
}

# Errors and signals

@test "--pipe needs a command and one data source" {
	run bparx --pipe < /dev/null
	[ "$status" -eq 255 ]
	[ "${lines[0]}" = "parx: --pipe needs a command to run" ]
	# ::: lists are the jobs' arguments (parsort.bats); with a file, no
	run bparx --pipe -a /dev/null cat ::: a b
	[ "$status" -eq 255 ]
	run bparx --block -2 --pipe cat < /dev/null
	[ "$status" -eq 255 ]
}

@test "--pipe -a FILE reads the file instead of stdin" {
	seq 5 > in
	run bparx -k --pipe -N2 -a in 'wc -l' < /dev/null
	[ "$output" = "$(lines 2 2 1)" ]
}

@test "SIGTERM stops jobs that wait for their input" {
	mkfifo fifo
	"$PARX" --mode="$PARX_MODE" --pipe -j2 -N1 \
	    "cat > /dev/null; touch started{#}; sleep $S" < fifo > out 3>&- &
	PID=$!
	exec 8> fifo
	seq 2 >&8
	wait_for started1
	wait_for started2
	kill -TERM "$PID"
	wait_exit 10
	exec 8>&-
	[ "$STATUS" -eq 255 ]
	no_processes_left "sleep $S"
}

@test "parx holds a few blocks, not the input" {
	# 200 MB through a pipe in 1 MB blocks: parx's RSS stays small.
	run bounded bash -c "head -c 200000000 /dev/zero | tr '\\0' x |
	    fold -w 99 | /usr/bin/time -o rss -f '%M' '$PARX' \
	    --mode=$PARX_MODE --pipe -j4 'wc -c' |
	    awk '{ n += \$1 } END { print n }'"
	[ "$status" -eq 0 ]
	[ "$output" -gt 200000000 ]
	[ "$(cat rss)" -lt 40000 ]
}

@test "--spreadstdin, --block-size and --round are the long names" {
	run bparx -k --spreadstdin --block-size 20 wc -c < <(seq 20)
	[ "$output" = "$(lines 18 18 15)" ]
	run bparx --round -j2 --block 10 'wc -l' < <(seq 100)
	[ "$(printf '%s\n' "$output" | awk '{ n += $1 } END { print n, NR }')" = "100 2" ]
}

@test "--pipe with --line-buffer and -u passes every byte" {
	run bparx -k --pipe -N2 --line-buffer cat < <(seq 6)
	[ "$output" = "$(seq 6)" ]
	run bparx -j1 --pipe -N2 -u cat < <(seq 6)
	[ "$output" = "$(seq 6)" ]
}

@test "-r: a block of blanks only runs no job and takes no number" {
	# echo | parallel -r --pipe -N1 wc -l: nothing, status 0
	run bparx -r --pipe -N1 wc -l < <(echo)
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	# printf 'a\n\nb\n' | parallel -k -r --pipe -N1 echo {#}: 1 2
	run bparx -k -r --pipe -N1 echo {#} < <(printf 'a\n\nb\n')
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 1 2)" ]
	run bparx -k -r --pipe -N1 cat < <(printf 'a\n \t\n\nb\n')
	[ "$output" = "$(lines a b)" ]
	printf ' \n\n' > blank
	run bparx -r --pipe-part -a blank --block 1 echo ran
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	# without -r the blank block is a job's input
	run bparx -k --pipe -N1 wc -l < <(printf 'a\n\n')
	[ "$output" = "$(lines 1 1)" ]
}

@test "-r: a block with data keeps its blank lines (unlike GNU parallel)" {
	run bparx -r --pipe cat < <(printf 'a\n \nb\n\n')
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'a\n \nb\n\n')" ]
}

@test "--retries: a job run again gets its whole block again" {
	# seq 3 | parallel --pipe --retries 2 'cat; false': 1 2 3, status 1
	run bparx --pipe --retries 2 'cat; false' < <(seq 3)
	[ "$status" -eq 1 ]
	[ "$output" = "$(seq 3)" ]
	# the first attempt fails after reading; the second counts the lines
	run bparx --pipe --retries 3 "if [ -e $TMP/once ]; then wc -l; else touch $TMP/once; cat > /dev/null; false; fi" < <(seq 3)
	[ "$status" -eq 0 ]
	[ "$output" = "3" ]
	# with --header the header comes first again; --pipe-part the same
	run bparx --header : --pipe -k -N1 --retries 2 'cat; false' < <(printf 'h\n1\n2\n')
	[ "$output" = "$(lines h 1 h 2)" ]
	seq 3 > f3
	run bparx --pipe-part -a f3 --block 100 --retries 2 'cat; false'
	[ "$status" -eq 1 ]
	[ "$output" = "$(seq 3)" ]
}

#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
#
# output: grouped blocks, -k, --line-buffer, -u, --tag/--tagstring, big,
# binary and unterminated output, slow readers.  Jobs that must overlap or
# finish in a given order wait on file barriers, or on the text already
# present in parx's output file.

bats_require_minimum_version 1.5.0

load helpers

# bounded cannot run a shell function: bparx is "bounded parx", with the
# same --mode switch as the parx function.

# gen.sh ID N [GROUP]: print the lines "ID-1" .. "ID-N" (about 10 bytes
# each).  With GROUP, print the first half, then wait until GROUP jobs have
# printed their first half (files half.*), then print the rest: the jobs
# are then writing at the same time.
make_gen() {
	cat > "$TMP/gen.sh" <<-'EOF'
	id=$1 n=$2 group=${3:-0}
	half=$((n / 2))
	seq -f "$id-%g" 1 $half
	if [ "$group" -gt 0 ]; then
		: > half.$id
		i=0
		while [ "$(ls half.* | wc -l)" -lt "$group" ] && [ $i -lt 2000 ]; do
			sleep 0.01; i=$((i + 1))
		done
	fi
	seq -f "$id-%g" $((half + 1)) $n
	EOF
}

# check_blocks FILE N ID...: FILE holds, for each ID, the whole output of
# "gen.sh ID N" as one contiguous block, blocks in any order.
check_blocks() {
	local file=$1 n=$2 order id
	shift 2
	order=$(cut -d- -f1 "$file" | uniq)
	if [ "$(printf '%s\n' $order | sort)" != "$(printf '%s\n' "$@" | sort)" ]; then
		echo "blocks in output: $(echo $order)"
		return 1
	fi
	for id in $order; do seq -f "$id-%g" 1 "$n"; done > "$TMP/expected"
	cmp "$TMP/expected" "$file"
}

# wait_text FILE TEXT: shell code for a job that waits (bounded) until
# FILE holds a line TEXT.
wait_text() {
	echo "i=0; while ! grep -qx \"$2\" $1 && [ \$i -lt 2000 ]; do sleep 0.01; i=\$((i+1)); done"
}

# Grouped output

@test "4 jobs writing 2 MB each at the same time never interleave" {
	make_gen
	bparx -j4 sh gen.sh {} 200000 4 ::: j1 j2 j3 j4 > out
	check_blocks out 200000 j1 j2 j3 j4
}

@test "6 jobs of 2 MB at -j4 come out as 6 whole blocks" {
	make_gen
	bparx -j4 sh gen.sh {} 200000 ::: j1 j2 j3 j4 j5 j6 > out
	check_blocks out 200000 j1 j2 j3 j4 j5 j6
}

@test "output bigger than a pipe buffer arrives whole through a pipe" {
	head -c 3000000 /dev/urandom > big
	bparx cat ::: big | cat > out
	cmp big out
}

@test "a last line without newline is kept as is" {
	bparx -j1 'printf "{}\nno-newline-{}"' ::: 1 2 > out
	printf '1\nno-newline-12\nno-newline-2' > expected
	cmp expected out
}

@test "a job with no output adds nothing" {
	bparx -k 'if [ {} = 2 ]; then echo two; fi' ::: 1 2 3 > out
	printf 'two\n' > expected
	cmp expected out
}

@test "binary output with NUL bytes is byte-exact" {
	head -c 200000 /dev/urandom > bin1
	printf 'a\0b\0\0\n\0' > bin2
	head -c 70000 /dev/zero > bin3
	bparx -k -j3 cat ::: bin1 bin2 bin3 > out
	cat bin1 bin2 bin3 > expected
	cmp expected out
}

@test "each job's stderr is one block too" {
	cat > job.sh <<-'EOF'
	id=$1
	for i in $(seq 1 1000); do echo "$id out $i"; echo "$id err $i" >&2; done
	: > half.$id
	i=0; while [ "$(ls half.* | wc -l)" -lt 3 ] && [ $i -lt 2000 ]; do sleep 0.01; i=$((i+1)); done
	for i in $(seq 1001 2000); do echo "$id out $i"; echo "$id err $i" >&2; done
	EOF
	bparx -j3 sh job.sh ::: j1 j2 j3 > out 2> err
	[ "$(cut -d' ' -f1 out | uniq | sort | tr '\n' ' ')" = "j1 j2 j3 " ]
	[ "$(cut -d' ' -f1 err | uniq | sort | tr '\n' ' ')" = "j1 j2 j3 " ]
	for id in $(cut -d' ' -f1 out | uniq); do seq -f "$id out %g" 1 2000; done | cmp - out
	for id in $(cut -d' ' -f1 err | uniq); do seq -f "$id err %g" 1 2000; done | cmp - err
}

@test "with stdout and stderr on one file, a job's stdout block comes before its stderr block" {
	cat > job.sh <<-'EOF'
	id=$1
	for i in 1 2 3; do echo "$id out $i"; echo "$id err $i" >&2; done
	: > half.$id
	i=0; while [ "$(ls half.* | wc -l)" -lt 3 ] && [ $i -lt 2000 ]; do sleep 0.01; i=$((i+1)); done
	for i in 4 5 6; do echo "$id out $i"; echo "$id err $i" >&2; done
	EOF
	bparx -j3 sh job.sh ::: j1 j2 j3 > out 2>&1
	order=$(cut -d' ' -f1 out | uniq)
	[ "$(printf '%s\n' $order | sort | tr '\n' ' ')" = "j1 j2 j3 " ]
	for id in $order; do
		seq -f "$id out %g" 1 6
		seq -f "$id err %g" 1 6
	done > expected
	cmp expected out
}

@test "-j1: stdout and stderr blocks follow the jobs" {
	bparx -j1 'echo o1 {}; echo e1 {} >&2; echo o2 {}; echo e2 {} >&2' ::: a b > out 2>&1
	printf 'o1 a\no2 a\ne1 a\ne2 a\no1 b\no2 b\ne1 b\ne2 b\n' > expected
	cmp expected out
}

# Order

# rev.sh ID: job ID waits until job ID+1 (up to 3) has exited, then prints
# "job ID" and logs its end in "finished": jobs end in the order 3 2 1.
make_rev() {
	cat > "$TMP/rev.sh" <<-'EOF'
	id=$1
	echo $$ > pid.$id.tmp && mv pid.$id.tmp pid.$id
	if [ "$id" -lt 3 ]; then
		next=$((id + 1)) i=0
		while [ ! -e pid.$next ] && [ $i -lt 2000 ]; do sleep 0.01; i=$((i+1)); done
		p=$(cat pid.$next)
		while kill -0 "$p" 2>/dev/null && [ $i -lt 2000 ]; do sleep 0.01; i=$((i+1)); done
	fi
	echo "job $id"
	echo "$id" >> finished
	EOF
}

@test "-k prints 1 2 3 although the jobs finish 3 2 1" {
	make_rev
	bparx -k -j3 exec sh rev.sh ::: 1 2 3 > out
	[ "$(cat finished | tr '\n' ' ')" = "3 2 1 " ]
	printf 'job 1\njob 2\njob 3\n' > expected
	cmp expected out
}

@test "-k with stderr keeps input order on stderr too" {
	make_rev
	bparx -k -j3 'exec sh rev.sh {} >&2' ::: 1 2 3 2> err
	[ "$(cat finished | tr '\n' ' ')" = "3 2 1 " ]
	printf 'job 1\njob 2\njob 3\n' > expected
	cmp expected err
}

@test "without -k blocks come out in completion order" {
	# job N waits until job N+1's line is in parx's output.
	bparx -j3 "
		if [ {} -lt 3 ]; then $(wait_text out 'job $(({} + 1))'); fi
		echo job {}" ::: 1 2 3 > out
	printf 'job 3\njob 2\njob 1\n' > expected
	cmp expected out
}

# --line-buffer

@test "--line-buffer passes whole lines at once, never half a line" {
	# job 1 writes half a line, then waits until job 2's whole line is
	# in the output, then ends its line and leaves a partial last one.
	bparx -j2 --line-buffer "
		if [ {} = 1 ]; then
			printf 'one-'; : > b1
			$(wait_text out two)
			printf 'end\npartial'
		else
			i=0; while [ ! -e b1 ] && [ \$i -lt 2000 ]; do sleep 0.01; i=\$((i+1)); done
			echo two
		fi" ::: 1 2 > out
	printf 'two\none-end\npartial' > expected
	cmp expected out
}

@test "--line-buffer: lines of 4 busy jobs are never split" {
	bparx -j4 --line-buffer 'seq -f "{}-%g-xxxxxxxxxxxxxxx" 1 100000' ::: j1 j2 j3 j4 > out
	[ "$(grep -cvx 'j[1-4]-[0-9]*-xxxxxxxxxxxxxxx' out)" -eq 0 ]
	for id in j1 j2 j3 j4; do
		grep "^$id-" out | cmp - <(seq -f "$id-%g-xxxxxxxxxxxxxxx" 1 100000)
	done
	[ "$(wc -l < out)" -eq 400000 ]
}

@test "--line-buffer keeps NUL bytes and stderr lines" {
	bparx -j1 --line-buffer 'printf "a\0b\nc\0"; printf "e\0r\n" >&2' ::: 1 > out 2> err
	printf 'a\0b\nc\0' | cmp - out
	printf 'e\0r\n' | cmp - err
}

@test "--line-buffer -k: the oldest job passes lines live, the others follow in order" {
	# job 1 waits until its first line is out, and until job 2 has ended.
	bparx -j2 -k --lb "
		if [ {} = 1 ]; then
			echo first
			$(wait_text out first)
			i=0; while [ ! -e done2 ] && [ \$i -lt 2000 ]; do sleep 0.01; i=\$((i+1)); done
			echo second
		else
			echo two; : > done2
		fi" ::: 1 2 > out
	printf 'first\nsecond\ntwo\n' > expected
	cmp expected out
}

# -u

@test "-u passes output straight through, even half lines" {
	bparx -j2 -u "
		if [ {} = 1 ]; then
			printf 1a; : > b1
			$(wait_text out 1a2a)
			echo 1b
		else
			i=0; while [ ! -e b1 ] && [ \$i -lt 2000 ]; do sleep 0.01; i=\$((i+1)); done
			echo 2a
		fi" ::: 1 2 > out
	printf '1a2a\n1b\n' > expected
	cmp expected out
}

@test "-u keeps binary output byte-exact" {
	head -c 300000 /dev/urandom > bin
	bparx -u cat ::: bin > out
	cmp bin out
}

# --tag, --tagstring

@test "--tag puts the arguments and a TAB before every line, stderr too" {
	bparx -j1 --tag 'printf "x\ny"; echo err >&2' ::: a 'b c' ::: 1 > out 2> err
	printf 'a 1\tx\na 1\tyb c 1\tx\nb c 1\ty' > expected
	cmp expected out
	printf 'a 1\terr a 1\nb c 1\terr b c 1\n' > expected
	cmp expected err
}

@test "--tag tags each line of a block of many lines" {
	bparx -k --tag 'seq {}' ::: 3 1 > out
	printf '3\t1\n3\t2\n3\t3\n1\t1\n' > expected
	cmp expected out
}

@test "--tag with --line-buffer tags every line, a partial last line too" {
	bparx -j1 --lb --tag 'printf "x\ny"' ::: a b > out
	printf 'a\tx\na\tyb\tx\nb\ty' > expected
	cmp expected out
}

@test "--tagstring expands positional replacement strings" {
	bparx -k --tagstring '{1}-{2}' 'echo out; echo err >&2' ::: a b ::: x > out 2> err
	printf 'a-x\tout\nb-x\tout\n' > expected
	cmp expected out
	printf 'a-x\terr a x\nb-x\terr b x\n' > expected
	cmp expected err
}

@test "an empty --tagstring puts only the TAB before each line" {
	# regression: the empty tag template has no segments at all, and
	# expanding it did arithmetic on a null pointer (UBSan, fuzz_tmpl)
	bparx -k --tagstring '' 'echo {}' ::: a b > out
	printf '\ta\n\tb\n' > expected
	cmp expected out
}

# Slow readers

@test "a reader that starts late loses no byte" {
	make_gen
	bparx -j4 sh gen.sh {} 100000 4 ::: j1 j2 j3 j4 | (sleep 1; cat) > out
	check_blocks out 100000 j1 j2 j3 j4
}

slow_reader() {
	perl -e '$|=1; while (my $n = sysread(STDIN, my $b, 4096)) {
		syswrite(STDOUT, $b, $n); select(undef, undef, undef, 0.001) }'
}

@test "a slow reader loses no byte, grouped" {
	make_gen
	bparx -j4 sh gen.sh {} 50000 4 ::: j1 j2 j3 j4 | slow_reader > out
	check_blocks out 50000 j1 j2 j3 j4
}

@test "a slow reader loses no byte, -k with binary output" {
	for i in 1 2 3; do head -c 300000 /dev/urandom > bin$i; done
	bparx -k -j3 cat ::: bin1 bin2 bin3 | slow_reader > out
	cat bin1 bin2 bin3 | cmp - out
}

@test "a slow reader loses no byte, --line-buffer" {
	bparx -j4 --lb 'seq -f "{}-%g-xxxxxxxxxxxxxxx" 1 20000' ::: j1 j2 j3 j4 | slow_reader > out
	[ "$(grep -cvx 'j[1-4]-[0-9]*-xxxxxxxxxxxxxxx' out)" -eq 0 ]
	for id in j1 j2 j3 j4; do
		grep "^$id-" out | cmp - <(seq -f "$id-%g-xxxxxxxxxxxxxxx" 1 20000)
	done
}

# in_small_shm OUT CMD...: run CMD, stdout to OUT, with a 1 MB /dev/shm
# of its own (in a private mount namespace), bounded; skips where such a
# namespace cannot be made.
in_small_shm() {
	local out=$1
	shift
	unshare -m sh -c 'mount -t tmpfs -o size=1m tmpfs /dev/shm' 2>/dev/null ||
	    skip "cannot mount a tmpfs in a mount namespace here"
	timeout -k 5 "${BOUND:-60}" unshare -m sh -c '
	    mount -t tmpfs -o size=1m tmpfs /dev/shm && exec "$@" > "$0"' \
	    "$out" "$@"
}

@test "a /dev/shm too small for the output: the blocks go to disk, whole" {
	run in_small_shm out env -u TMPDIR "$PARX" --mode="$PARX_MODE" \
	    -k -j2 'head -c 3000000 /dev/zero | tr "\0" {}; echo' ::: a b c
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	[ "$(wc -c < out)" -eq 9000003 ]
	[ "$(tr -s 'abc' < out)" = "$(lines a b c)" ]
}

@test "--line-buffer: a long line written in many pieces comes out whole" {
	# 3 MB in 3000 writes of 1000 bytes, then a newline, then a short line
	run bparx --line-buffer --tag 'for i in $(seq 3000); do head -c 1000 /dev/zero | tr "\0" x; done; echo; echo end' ::: a
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
	[ "${lines[0]}" = "a	$(head -c 3000000 /dev/zero | tr '\0' x)" ]
	[ "${lines[1]}" = "a	end a" ]
}

# --color, --ctag, --color-failed

# color SEQ: the colour code of job SEQ (1 to 3), as GNU parallel 20221122
# gives it: seq 3 | parallel -k --color echo | od -c
color() {
	case $1 in
	1) printf '\033[48;5;134;38;5;231m\033[K' ;;
	2) printf '\033[48;5;021;38;5;231m\033[K' ;;
	3) printf '\033[48;5;243;38;5;231m\033[K' ;;
	esac
}

@test "--color: job for job the colours of GNU parallel, over all of them and round again" {
	[ "$(seq 3 | bparx -k --color echo)" = "$(lines "$(color 1)1$(printf '\033[m')" \
	    "$(color 2)2$(printf '\033[m')" "$(color 3)3$(printf '\033[m')")" ]
	command -v parallel > /dev/null || skip "no GNU parallel to compare with"
	# seq 700 | parallel -k --color --tag echo (307 colours, then again)
	seq 700 | bparx -k --color --tag echo > mine
	seq 700 | parallel -k --color --tag echo > gnu
	cmp mine gnu
}

@test "--color: each job's lines in its colour, the colour ended before each newline" {
	# parallel -k --color 'echo {}; echo x{}' ::: a b
	run -0 bparx -k --color 'echo {}; echo x{}' ::: a b
	[ "$output" = "$(color 1)a$(printf '\033[m')
$(color 1)xa$(printf '\033[m')
$(color 2)b$(printf '\033[m')
$(color 2)xb$(printf '\033[m')" ]
}

@test "--color: stderr too; an unfinished last line is ended; --colour" {
	# parallel --colour 'printf a; printf e >&2' ::: 1 (both end in ESC[m\n)
	run -0 --separate-stderr bparx --colour 'printf a; printf e >&2' ::: 1
	[ "$output" = "$(color 1)a$(printf '\033[m')" ]
	[ "$stderr" = "$(color 1)e$(printf '\033[m')" ]
	bparx --color printf a ::: 1 > out
	[ "$(od -An -c out | tr -d ' \n')" = "$(color 1 | od -An -c | tr -d ' \n')a033[m\n" ]
}

@test "--ctag is --tag --color, --ctagstring STR is --tagstring STR --color" {
	# parallel -k --ctag echo ::: a b; parallel --ctagstring 'T{}' echo ::: a
	run -0 bparx -k --ctag echo ::: a b
	[ "$output" = "$(color 1)a	a$(printf '\033[m')
$(color 2)b	b$(printf '\033[m')" ]
	run -0 bparx --ctagstring 'T{}' echo ::: a
	[ "$output" = "$(color 1)Ta	a$(printf '\033[m')" ]
}

@test "--color with --line-buffer and with --func; -u has no colour" {
	run -0 bparx --color --line-buffer 'echo a; echo b' ::: 1
	[ "$output" = "$(color 1)a$(printf '\033[m')
$(color 1)b 1$(printf '\033[m')" ]
	run -0 bparx -k --color --func echo ::: x y
	[ "$output" = "$(color 1)x$(printf '\033[m')
$(color 2)y$(printf '\033[m')" ]
	# parallel --color -u echo ::: u
	run -0 bparx --color -u echo ::: u
	[ "$output" = u ]
}

@test "--color-failed, --cf: a failed job's lines white on red" {
	# parallel -k --color-failed 'echo {}; exit {}' ::: 0 1
	red=$(printf '\033[48;5;196;38;5;231m\033[K')
	run -1 bparx -k --color-failed 'echo {}; exit {}' ::: 0 1
	[ "$output" = "0
${red}1$(printf '\033[m')" ]
	run -1 bparx -k --cf --color 'echo {}; exit {}' ::: 0 1
	[ "$output" = "$(color 1)0$(printf '\033[m')
${red}1$(printf '\033[m')" ]
}

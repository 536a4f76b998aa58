#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
#
# progress: the status line of --bar, --eta and --progress, on a terminal
# (script(1) gives parx one) and off it (a plain file or pipe).
#
# Times vary from run to run: norm replaces them with T before comparing.

load helpers

# norm: the text on stdin with every duration replaced by T.
norm() {
	sed -E 's/(took|ETA) [0-9]+(s|m[0-9]+s|h[0-9]+m)/\1 T/g; s/avg [0-9]+\.[0-9]+s/avg T/g'
}

# frames: the pieces of the terminal output between carriage returns and
# newlines, one per line, without the erase sequences.
frames() {
	tr '\r' '\n' < tty | sed 's/\x1b\[K//g' | grep -v '^$'
}

# screen: what the terminal shows in the end, line by line.  Each "\r"
# goes back to the start of the line and each "\033[K" erases the rest
# of it, so a line shows what follows its last "\r" (or all of it); a
# line with a progress frame and job output on it shows both.
screen() {
	sed 's/\x1b\[K//g; s/.*\r//' < tty
}

BAR40='########################################'

# Off a terminal: only the final state, once (--bar: the records for
# zenity that GNU parallel writes, in gnu_misc.bats)

@test "not a terminal: --progress writes one final line and nothing else" {
	bparx --progress -k echo ::: a b c > out 2> err
	[ "$(cat out)" = "$(lines a b c)" ]
	[ "$(norm < err)" = "3/3 done, avg T" ]
}

@test "not a terminal: --eta gives the time taken and the average" {
	bparx --eta true ::: 1 2 3 4 2> err
	[ "$(norm < err)" = "4/4 done, took T, avg T" ]
}

@test "not a terminal: --bar ends with a full record and a newline" {
	# GNU: parallel -j1 --bar true ::: 1 2 (records for zenity: gnu_misc.bats)
	bparx -j1 --bar true ::: 1 2 2> err
	[ "$(tail -c 1 err | od -An -c | tr -d ' ')" = '\n' ]
	[ "$(tr '\r' '\n' < err | grep -E '^[0-9.]+$' | tail -n 1)" = 100 ]
}

@test "not a terminal: without --bar the line holds no control characters" {
	bparx --eta --progress true ::: 1 2 2> err
	[ "$(wc -l < err)" -eq 1 ]
	[ "$(tr -d '\n' < err | tr -d '[:print:]' | wc -c)" -eq 0 ]
}

@test "without --bar, --eta or --progress nothing is added to stderr" {
	bparx 'echo {}; echo e{} >&2' ::: 1 > out 2> err
	[ "$(cat out)" = 1 ]
	[ "$(cat err)" = e1 ]
}

@test "failed jobs are counted" {
	bparx --progress 'exit {}' ::: 0 1 2 0 2> err && status=0 || status=$?
	[ "$status" -eq 2 ]
	[ "$(norm < err)" = "4/4 done, 2 failed, avg T" ]
}

@test "streamed input: the total is the number of jobs run" {
	seq 7 | bparx --eta true 2> err
	[ "$(norm < err)" = "7/7 done, took T, avg T" ]
}

@test "-r: skipped items are not counted" {
	bparx -r --progress echo ::: a '' b ' ' > out 2> err
	[ "$(norm < err)" = "2/2 done, avg T" ]
}

@test "the progress line follows the last output of -k" {
	bparx -k --progress 'echo {} >&2' ::: 1 2 3 2> err
	[ "$(norm < err)" = "$(lines 1 2 3 '3/3 done, avg T')" ]
}

@test "--dry-run: the commands count as done" {
	bparx --dry-run --progress echo ::: a b > out 2> err
	[ "$(cat out)" = "$(lines 'echo a' 'echo b')" ]
	[ "$(norm < err)" = "2/2 done, avg T" ]
}

@test "no jobs at all" {
	bparx --eta echo ::: 2> err
	[ "$(norm < err)" = "0/0 done, took T" ]
}

@test "invalid --total-jobs values are errors" {
	for v in x '' -1 1.5; do
		run bparx --total-jobs "$v" true ::: 1
		[ "$status" -eq 255 ]
		[ "$output" = "parx: invalid number of jobs '$v' for --total-jobs: expected a whole number" ]
	done
}

# On a terminal: a live line

@test "terminal: the line is drawn in place and ends on a line of its own" {
	command -v script > /dev/null || skip "no script(1)"
	on_tty --bar -j2 true ::: 1 2 3 4
	# the screen holds just the final line
	[ "$(screen | norm)" = "100% [$BAR40] 4/4 done, took T" ]
	# it ends with an erase and a newline
	[ "$(tail -c 4 tty.raw | od -An -c | tr -d ' ')" = '[K\r\n' ]
	# and every frame before it is the same line drawn again
	[ "$(frames | grep -vc '^ *[0-9?]*% \[[# ]*\] [0-9/]* done')" -eq 0 ]
}

@test "terminal: job output never shares a line with the progress line" {
	command -v script > /dev/null || skip "no script(1)"
	on_tty --bar --eta -j2 'echo out{}; echo err{} >&2' ::: $(seq 20)
	screen > shown
	# job lines on lines of their own, then the final progress line
	[ "$(grep -c . shown)" -eq 41 ]
	[ "$(head -n 40 shown | grep -cvx '\(out\|err\)[0-9]*')" -eq 0 ] || {
		cat -v tty; return 1; }
	[ "$(tail -n 1 shown | norm)" = "100% [$BAR40] 20/20 done, took T, avg T" ]
	[ "$(grep -o 'out[0-9]*' shown | sort -V | tr '\n' ' ')" = "$(printf 'out%s ' $(seq 20))" ]
	[ "$(grep -o 'err[0-9]*' shown | sort -V | tr '\n' ' ')" = "$(printf 'err%s ' $(seq 20))" ]
}

@test "terminal: --line-buffer and -k output is kept apart too" {
	command -v script > /dev/null || skip "no script(1)"
	for opt in --line-buffer -k; do
		on_tty $opt --progress -j3 'echo a{}; echo b{}' ::: 1 2 3 4 5 6
		screen > shown
		[ "$(head -n 12 shown | grep -cvx '[ab][1-6]')" -eq 0 ] || {
			echo "with $opt:"; cat -v tty; return 1; }
		[ "$(tail -n +13 shown | norm)" = "6/6 done, avg T" ]
	done
}

@test "terminal: -t command lines are kept apart from the line" {
	command -v script > /dev/null || skip "no script(1)"
	on_tty -t -k --progress -j2 true ::: 1 2 3
	screen > shown
	[ "$(head -n 3 shown | sort)" = "$(lines 'true 1' 'true 2' 'true 3')" ] || {
		cat -v tty; return 1; }
	[ "$(tail -n +4 shown | norm)" = "3/3 done, avg T" ]
}

@test "terminal: -v command lines and --func output are kept apart too" {
	command -v script > /dev/null || skip "no script(1)"
	on_tty -v -k --progress -j2 echo ::: 1 2 3
	screen > shown
	[ "$(head -n 6 shown)" = "$(lines 'echo 1' 1 'echo 2' 2 'echo 3' 3)" ] || {
		cat -v tty; return 1; }
	[ "$(tail -n +7 shown | norm)" = "3/3 done, avg T" ]
	on_tty --func echo --bar -j2 {} ::: 1 2 3
	screen > shown
	[ "$(head -n 3 shown | sort)" = "$(lines 1 2 3)" ] || {
		cat -v tty; return 1; }
	[ "$(tail -n +4 shown | norm)" = "100% [$BAR40] 3/3 done, took T" ]
}

@test "terminal: the total is not needed up front" {
	command -v script > /dev/null || skip "no script(1)"
	# input that comes slowly: after 2 s the line says what it knows
	{ printf '{ echo 1; sleep 4; echo 2; } | '
	  printf '%q ' "$PARX" --mode="$PARX_MODE" -j1 --bar true; } > tty.sh
	bounded script -q -e -c "bash tty.sh" /dev/null < /dev/null > tty.raw
	sed 's/\r$//' tty.raw > tty
	[ "$(frames | grep -c '^  ?% \[ *\] 1 done')" -ge 1 ] || {
		cat -v tty; return 1; }
	[ "$(screen | norm)" = "100% [$BAR40] 2/2 done, took T" ]
}

@test "terminal: ::: lists give the total from the start" {
	command -v script > /dev/null || skip "no script(1)"
	on_tty -j2 --progress true ::: 1 2 3 4 5
	[ "$(frames | grep -vc '/5 done')" -eq 0 ]
}

@test "terminal: --total-jobs gives the total for the live line" {
	command -v script > /dev/null || skip "no script(1)"
	printf '%s\n' 1 2 > in
	on_tty -j1 -a in --total-jobs 10 --progress true
	[ "$(frames | head -n 1 | cut -d, -f1)" = "0/10 done" ]
	[ "$(screen | norm)" = "2/2 done, avg T" ]
}

@test "terminal: with stdout elsewhere, job output is not cleared for" {
	command -v script > /dev/null || skip "no script(1)"
	on_tty --bar -k 'echo {} > out.{}; echo {}' ::: a b c
	[ "$(screen | norm)" = "$(lines a b c "100% [$BAR40] 3/3 done, took T")" ]
	cmd=$(printf '%q ' "$PARX" --mode="$PARX_MODE" --bar -k echo ::: a b c)
	bounded script -q -e -c "$cmd > out" /dev/null < /dev/null > tty.raw
	sed 's/\r$//' tty.raw > tty
	[ "$(cat out)" = "$(lines a b c)" ]
	[ "$(screen | norm)" = "100% [$BAR40] 3/3 done, took T" ]
	# one draw per state at most: no erase was needed for stdout
	[ "$(grep -c $'\r\x1b\[K' tty)" -eq 0 ]
}

# Input from a pipe: the total is read ahead (up to 10,000 jobs or 4 MB of
# arguments), so the line has it from the first frame; GNU parallel reads
# all the input first.

# piped N ARGS...: on_tty, with the numbers 1 to N piped into parx.
piped() {
	local n=$1
	shift
	{ printf 'seq %s | ' "$n"; printf '%q ' "$PARX" --mode="$PARX_MODE" "$@"; } > tty.sh
	bounded script -q -e -c "bash tty.sh" /dev/null < /dev/null > tty.raw
	sed 's/\r$//' tty.raw > tty
}

@test "terminal: 50 items from a pipe give the total from the first line" {
	command -v script > /dev/null || skip "no script(1)"
	# GNU: seq 50 | parallel -j2 --bar true (reads all the input first)
	piped 50 -j2 --bar true
	[ "$(frames | head -n 1 | grep -o ' [0-9]*/[0-9]* done')" = " 0/50 done" ] || {
		cat -v tty; return 1; }
	[ "$(frames | grep -vc '^ *[0-9]*% \[[# ]*\] [0-9]*/50 done')" -eq 0 ]
	[ "$(screen | norm)" = "100% [$BAR40] 50/50 done, took T" ]
	for opt in --eta --progress; do
		piped 50 -j2 $opt true
		[ "$(frames | head -n 1 | cut -d, -f1)" = "0/50 done" ] || {
			echo "with $opt:"; cat -v tty; return 1; }
		[ "$(frames | grep -vc '^[0-9]*/50 done')" -eq 0 ]
	done
}

@test "not a terminal: 50 items from a pipe: every --bar record has the total" {
	# GNU: seq 50 | parallel -j2 --bar true (done:left adds up to 50)
	seq 50 | bparx -j2 --bar true 2> err
	# the reverse video may cut a number: take it out first
	tr '\r' '\n' < err | sed 's/\x1b\[[0-9]*m//g' |
	    grep -ao '[0-9]*:[0-9]*=' | tr ':=' '+ ' > sums
	[ "$(wc -l < sums)" -ge 50 ]
	[ "$(while read -r s; do echo $((s)); done < sums | sort -u)" = 50 ]
	seq 50 | bparx --progress true 2> err
	[ "$(norm < err)" = "50/50 done, avg T" ]
}

@test "terminal: beyond 10,000 items the total shows when the input ends" {
	command -v script > /dev/null || skip "no script(1)"
	{ printf 'seq 12000 | '; printf '%q ' "$PARX" --mode="$PARX_MODE" --dry-run --progress true; printf '> out\n'; } > tty.sh
	bounded script -q -e -c "bash tty.sh" /dev/null < /dev/null > tty.raw
	sed 's/\r$//' tty.raw > tty
	[ "$(wc -l < out)" -eq 12000 ]
	# no total before the input has ended; the exact one at the end
	[ "$(frames | head -n 1 | grep -c '^[0-9]* done')" -eq 1 ] || {
		cat -v tty | head; return 1; }
	[ "$(screen | norm)" = "12000/12000 done, avg T" ]
}

@test "input read ahead for the line: memory stays bounded" {
	measuring_memory
	# GNU: seq 300000 | parallel --bar --dry-run true (holds it all)
	seq 20000 | bounded /usr/bin/time -o small -f %M "$PARX" --mode="$PARX_MODE" -j2 --bar --dry-run true > out1 2> /dev/null
	seq 300000 | bounded /usr/bin/time -o large -f %M "$PARX" --mode="$PARX_MODE" -j2 --bar --dry-run true > out2 2> /dev/null
	[ "$(wc -l < out2)" -eq 300000 ]
	echo "max RSS: $(cat small) KB, $(cat large) KB"
	# 280,000 more lines: 1 MB of slack is under 4 bytes a line
	[ "$(cat large)" -le $(( $(cat small) + 1024 )) ]
}

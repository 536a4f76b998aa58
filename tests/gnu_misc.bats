#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
#
# gnu_misc: GNU parallel options beside the main ones: --bar without a
# terminal (the records its man page feeds to zenity), -j FILE (the
# number of jobs read from a file, again when it changes), --limit, --tty
# and --open-tty, --memsuspend, -E (the end-of-file string).  GNU parallel 20221122 is the oracle: the command each
# test compares with is in its comment.

load helpers
bats_require_minimum_version 1.5.0

# zenity: stderr as the man page's recipe gives it to zenity
# (perl -pe 'BEGIN{$/="\r";$|=1};s/\r/\n/g'), with the spaces that pad
# each line to 80 columns cut and the seconds replaced by T.
zenity() {
	perl -pe 'BEGIN{$/="\r"} s/\r/\n/g' < "$1" | sed -E 's/ +$//;
	    s/ +(\x1b\[0m)/\1/g;
	    s/^#   [0-9]+ sec/#   T sec/; s/=[0-9dhms]+ /=T /'
}

# --bar without a terminal

@test "--bar, no terminal: no job gives one record, byte for byte" {
	# GNU: true | parallel --bar echo 2> err (less its /dev/tty messages)
	bparx --bar echo ::: > out 2> err
	[ ! -s out ]
	printf '\r\r%-80s\r0\r\033[7m\033[0m%-80s\033[0m\n' \
	    '#   0 sec ' '0% 0:0=0s ' > want
	cmp err want
}

@test "--bar, no terminal: a record when each job starts and ends" {
	# GNU: seq 3 | parallel -j1 --bar 'echo {}' (the same records, and
	# more of them while it waits)
	seq 3 | bparx -j1 --bar 'echo {}' > out 2> err
	[ "$(cat out)" = "$(lines 1 2 3)" ]
	zenity err > rec
	[ "$(grep -c . rec)" -eq 21 ]
	[ "$(grep -E '^[0-9.]+$' rec)" = "$(lines 0 33.3333333333333 \
	    33.3333333333333 66.6666666666667 66.6666666666667 100 100)" ]
	[ "$(grep '^#' rec | uniq)" = "$(lines '#   T sec 1' '#   T sec 2' \
	    '#   T sec 3')" ]
	[ "$(tail -n 1 rec)" = $'\033[7m100% 3:0=T 3\033[0m\033[0m' ]
	[ "$(tail -c 1 err | od -An -c | tr -d ' ')" = '\n' ]
}

@test "--bar, no terminal: the bar is reverse video up to the part done" {
	# GNU: parallel -j1 --bar true ::: a b (80 columns, 40 of them
	# reverse once one job of two is done)
	bparx -j1 --bar true ::: a b 2> err
	perl -ne 'BEGIN{$/="\r"} chomp; /^\e\[7m50%/ and print "$_\n"' < err |
	    head -n 1 > half
	perl -lne 'print index($_, "\e[0m") - 4, " ", length' < half > at
	[ "$(cat at)" = '40 92' ]
}

@test "--bar, no terminal: the values of the newest job, all of them" {
	# GNU: parallel -j1 -N2 --bar true ::: a b c d
	bparx -j1 -N2 --bar true ::: a b c d 2> err
	[ "$(zenity err | grep '^#' | uniq)" = "$(lines '#   T sec a b' \
	    '#   T sec c d')" ]
}

@test "--bar, no terminal: the recipe in GNU parallel's man page" {
	# GNU: seq 10 | parallel -j3 --bar '(echo {})' 2> >(perl -pe
	# 'BEGIN{$/="\r";$|=1};s/\r/\n/g' > z) | wc -l
	seq 10 | bparx -j3 --bar '(echo {})' 2> >(perl -pe \
	    'BEGIN{$/="\r";$|=1};s/\r/\n/g' > z) | wc -l > n
	[ "$(cat n)" = 10 ]
	wait_for z
	wait_lines z 85
	[ "$(grep -cE '^[0-9.]+$' z)" -eq 21 ]
	[ "$(grep -E '^[0-9.]+$' z | tail -n 1)" = 100 ]
}

# -j with a newline

@test "-j: one final newline is allowed, as scripts pass \$(cmd) output on" {
	# GNU: parallel -j $'1\n' -k 'echo {%} {}' ::: a b (1 a, 1 b, exit 0);
	# parallel -j $'+0\n' echo ::: a and parallel -j $'50%\n' echo ::: a
	# (a, exit 0)
	run bparx -j $'1\n' -k 'echo {%} {}' ::: a b
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines '1 a' '1 b')" ]
	run bparx -j $'+0\n' echo ::: a
	[ "$status" -eq 0 ]
	[ "$output" = a ]
	run bparx -j $'50%\n' echo ::: a
	[ "$status" -eq 0 ]
	[ "$output" = a ]
}

@test "-j: two newlines, a blank or a carriage return are still errors" {
	# GNU: parallel -j $'2\n\n' echo ::: 1, -j '2 ', -j ' 2', -j $'2\r'
	# (Parsing of --jobs/-j/--max-procs/-P failed., exit 255)
	local jobs="expected N, 0, +N, -N or N%"

	run bparx -j $'2\n\n' echo ::: 1
	[ "$status" -eq 255 ]
	[ "$output" = "parx: invalid number of jobs '2"$'\n\n'"' for --jobs/-j: $jobs" ]
	run bparx -j '2 ' echo ::: 1
	[ "$status" -eq 255 ]
	[ "$output" = "parx: invalid number of jobs '2 ' for --jobs/-j: $jobs" ]
	run bparx -j ' 2' echo ::: 1
	[ "$status" -eq 255 ]
	[ "$output" = "parx: invalid number of jobs ' 2' for --jobs/-j: $jobs" ]
	run bparx -j $'2\r' echo ::: 1
	[ "$status" -eq 255 ]
	[ "$output" = "parx: invalid number of jobs '2"$'\r'"' for --jobs/-j: $jobs" ]
}

@test "-j: a value with a newline that leaves no slot says so, exit 255" {
	# GNU: parallel -j $'-100000\n' echo ::: a (Cannot run any jobs.,
	# exit 255)
	run bparx -j $'-100000\n' echo ::: a
	[ "$status" -eq 255 ]
	[ "$output" = "parx: cannot run any jobs: -j '-100000"$'\n'"' leaves no job slot" ]
}

# -j FILE

@test "-j FILE: the file holds the number of jobs" {
	# GNU: echo 1 > jf; parallel -j jf -k 'echo {%} {}' ::: a b c
	echo 1 > jf
	run bparx -j jf -k 'echo {%} {}' ::: a b c
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines '1 a' '1 b' '1 c')" ]
	printf 2 > jf
	run bparx -j jf 'echo {%}' ::: a b
	[ "$status" -eq 0 ]
	[ "$(sort <<< "$output")" = "$(lines 1 2)" ]
}

@test "-j FILE: a number wins over a file of that name" {
	# GNU: echo 1 > 2; parallel -j 2 'echo {%}' ::: a b
	echo 1 > 2
	run bparx -j 2 'echo {%}' ::: a b
	[ "$status" -eq 0 ]
	[ "$(sort <<< "$output")" = "$(lines 1 2)" ]
}

# bad_jobs_file CONTENT SHOWN: -j jf with jf holding CONTENT is an error
# that shows SHOWN, exit 255.
bad_jobs_file() {
	printf '%s' "$1" > jf
	run bparx -j jf echo ::: a
	[ "$status" -eq 255 ]
	[ "$output" = "parx: invalid number of jobs '$2' in 'jf' for --jobs/-j: expected N, 0, +N, -N or N%" ]
}

@test "-j FILE: a file that holds no value is an error, exit 255" {
	# GNU: echo xx > jf; parallel -j jf echo ::: a (Parsing of
	# --jobs/-j/--max-procs/-P failed., exit 255); the same for an empty
	# file, two lines, two newlines, "2 \n" and "2\r\n"
	bad_jobs_file xx xx
	bad_jobs_file '' ''
	bad_jobs_file $'1\n2\n' $'1\n2'
	bad_jobs_file $'2\n\n' $'2\n'
	bad_jobs_file $'2 \n' '2 '
	bad_jobs_file $'2\r\n' $'2\r'
}

@test "-j FILE: a value that leaves no slot, or no such file, as on the command line" {
	# GNU: echo -100000 > jf; parallel -j jf echo ::: a (Cannot run any
	# jobs., exit 255); parallel -j nosuch echo ::: a (exit 255)
	echo -100000 > jf
	run bparx -j jf echo ::: a
	[ "$status" -eq 255 ]
	[ "$output" = "parx: cannot run any jobs: -j 'jf' leaves no job slot" ]
	run bparx -j nosuch echo ::: a
	[ "$status" -eq 255 ]
	[ "$output" = "parx: invalid number of jobs 'nosuch' for --jobs/-j: expected N, 0, +N, -N or N%" ]
}

@test "-j FILE: a larger value in the file starts more jobs" {
	# GNU: echo 1 > jf; parallel -j jf 'touch r.{}; wait for go' ::: 1 2 3
	# & echo 3 > jf (jobs 2 and 3 start within a second or two)
	echo 1 > jf
	start_bg -j jf 'touch r.{}; while [ ! -e go ]; do sleep 0.01; done; echo {}' ::: 1 2 3
	wait_for r.1
	sleep 0.5
	[ ! -e r.2 ]
	echo 3 > jf
	wait_for r.2 5
	wait_for r.3 5
	touch go
	wait_exit
	[ "$STATUS" -eq 0 ]
	[ "$(sort out)" = "$(lines 1 2 3)" ]
	[ ! -s err ]
}

@test "-j FILE: a smaller value lets the running jobs finish first" {
	# GNU: echo 3 > jf; parallel -j jf JOB ::: 1 2 3 4 5 6 & echo 1 > jf
	# (jobs 4 to 6 run one at a time, after 1 to 3)
	echo 3 > jf
	start_bg -j jf 'touch r.{}; while [ ! -e go ]; do sleep 0.01; done;
	    set -- r.*; echo $#; rm r.{}' ::: 1 2 3 4 5 6
	wait_for r.1
	wait_for r.2
	wait_for r.3
	echo 1 > jf
	touch go
	wait_exit
	[ "$STATUS" -eq 0 ]
	[ "$(sed -n '4,$p' out)" = "$(lines 1 1 1)" ]
	[ ! -s err ]
}

@test "-j FILE: a changed file with no value is a warning, the old value stays" {
	# GNU: exits 255 with "Parsing of --jobs/-j/--max-procs/-P failed."
	# once it reads the changed file
	echo 2 > jf
	start_bg -j jf 'touch r.{}; while [ ! -e go ]; do sleep 0.01; done; echo {}' ::: 1 2 3
	wait_for r.2
	echo xx > jf
	wait_lines err 1
	touch go
	wait_exit
	[ "$STATUS" -eq 0 ]
	[ "$(sort out)" = "$(lines 1 2 3)" ]
	[ "$(cat err)" = "parx: warning: invalid number of jobs 'xx' in 'jf'; keeping 2 at once" ]
}

@test "-j FILE: an emptied file is not read: no warning, the old value stays" {
	# GNU: : > jf while it runs (exit 255, Parsing of --jobs/-j failed.)
	echo 2 > jf
	start_bg -j jf 'touch r.{}; while [ ! -e go ]; do sleep 0.01; done; echo {}' ::: 1 2 3
	wait_for r.2
	: > jf
	sleep 1.5
	touch go
	wait_exit
	[ "$STATUS" -eq 0 ]
	[ "$(sort out)" = "$(lines 1 2 3)" ]
	[ ! -s err ]
}

# --limit

@test "--limit: 0 starts each job, with \$SSHLOGIN ':'" {
	# GNU: parallel -k --limit 'echo "$SSHLOGIN" >> log' echo ::: a b
	run bparx -k --limit 'echo "$SSHLOGIN" >> log' echo ::: a b
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines a b)" ]
	[ "$(sort -u log)" = : ]
}

@test "--limit: 1 starts no job until it says 0" {
	# GNU: parallel --limit 'test -e go' echo ::: a & touch go
	start_bg --limit 'touch asked; test -e go' echo ::: a
	wait_for asked
	[ ! -s out ]
	touch go
	wait_exit
	[ "$STATUS" -eq 0 ]
	[ "$(cat out)" = a ]
	[ ! -s err ]
}

@test "--limit: 2 kills the youngest job, which counts as failed" {
	# GNU: parallel -j2 --limit 'test -e k || exit 0; rm k; exit 2'
	# 'touch r.{}; sleep 3; echo {}' ::: 1 2 (prints 1, exits 1)
	start_bg -j2 --limit 'test -e k || exit 0; rm k; exit 2' \
	    'touch r.{}; while [ ! -e go ]; do sleep 0.01; done; echo {}' ::: 1 2
	wait_for r.1
	wait_for r.2
	touch k
	while [ -e k ]; do sleep 0.01; done
	touch go
	wait_exit
	[ "$STATUS" -eq 1 ]
	[ "$(cat out)" = 1 ]
}

@test "--limit: the built-in mem and load commands" {
	# GNU: parallel --limit 'mem 1k' echo ::: a; parallel --limit
	# 'load 100000' echo ::: b
	run bparx --limit 'mem 1k' echo ::: a
	[ "$status" -eq 0 ]
	[ "$output" = a ]
	run bparx --limit 'load 100000' echo ::: b
	[ "$status" -eq 0 ]
	[ "$output" = b ]
}

@test "--limit: an empty command is an error" {
	# GNU: parallel --limit '' echo ::: a (runs a: an empty limit is none)
	run bparx --limit '' echo ::: a
	[ "$status" -eq 255 ]
	[ "$output" = "parx: invalid limit '' for --limit: expected a command" ]
}

# --tty and -o

@test "--tty: the job reads the terminal" {
	# GNU: printf 'hello\n' | script -q -e -c "parallel --tty
	# 'read x; echo got \$x' ::: 1" /dev/null
	on_tty -i $'hello\n' --tty 'read x; echo got $x' ::: 1
	grep -qx 'got hello 1' tty
}

@test "-o: the job reads the terminal; without -o it reads /dev/null" {
	# GNU: the same with parallel -o, and with neither
	on_tty -i $'hello\n' -o 'read x; echo "got [$x]"' ::: 1
	grep -qx 'got \[hello\] 1' tty
	on_tty -i $'hello\n' 'read x; echo "got [$x]"' ::: 1
	grep -qx 'got \[\] 1' tty
}

@test "--tty: the job is in the terminal's foreground process group" {
	# GNU: script -c "parallel --tty 'ps -o pgid=,tpgid= -p \$\$'" (equal)
	on_tty --tty 'set -- $(ps -o pgid=,tpgid= -p $$); [ "$1" = "$2" ] && echo fg' ::: 1
	grep -qx "fg 1" tty
}

@test "--tty: one job at a time unless -j says more" {
	# GNU: parallel --tty 'echo {%}' ::: a b c (1 1 1); parallel --tty -j3
	# with jobs that wait for each other (all three run at once)
	on_tty --tty 'echo {%}' ::: a b c
	[ "$(cat tty)" = "$(lines 1 1 1)" ]
	on_tty --tty -j3 'touch r.{}; while [ ! -e r.1 ] || [ ! -e r.2 ] ||
	    [ ! -e r.3 ]; do sleep 0.01; done; echo {}' ::: 1 2 3
	[ "$(sort tty)" = "$(lines 1 2 3)" ]
}

@test "arguments read from a terminal: a warning on stderr, the status kept" {
	# GNU: script -q -e -c "parallel echo" /dev/null < /dev/null: five
	# lines of "parallel: Warning: Input is read from the terminal...",
	# exit 0; the same with -a - and :::: -
	local warning
	warning=$(lines \
	    "parx: warning: reading arguments from the terminal, one a line; Ctrl-D ends them" \
	    "parx: warning: (arguments may also come after :::, from -a FILE or through a pipe)")
	on_tty echo
	[ "$(cat tty)" = "$warning" ]
	on_tty -a - echo
	[ "$(cat tty)" = "$warning" ]
	on_tty echo :::: -
	[ "$(cat tty)" = "$warning" ]
	# GNU: printf 'x\n' | script ... -c "parallel false": exit 1
	run on_tty -i $'x\n' false
	[ "$status" -eq 1 ]
	# the terminal echoes the x typed, before or after the warning
	[ "$(grep -vx x tty)" = "$warning" ]
	[ "$(grep -cx x tty)" -eq 1 ]
}

@test "no warning when the arguments or the data come from elsewhere" {
	# GNU: script ... -c "parallel echo ::: a", "parallel --pipe cat": no
	# warning; nor when standard input is no terminal
	on_tty echo ::: a
	[ "$(cat tty)" = a ]
	on_tty -i $'d\n' --pipe cat
	[ "$(cat tty)" = "$(lines d d)" ]
	run bparx echo < /dev/null
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
}

@test "-o without a terminal: the job reads /dev/null, exit 0" {
	# GNU: setsid parallel -o 'read x; echo "got [$x]"' ::: 1 < /dev/null
	run bounded setsid "$PARX" --mode="$PARX_MODE" -o 'read x; echo "got [$x]"' ::: 1
	[ "$status" -eq 0 ]
	[ "$output" = 'got [] 1' ]
}

@test "--limit: a command the shell cannot find is an error, exit 255" {
	# GNU: parallel --limit nosuchcmd echo ::: a (waits for ever)
	run --separate-stderr bparx --limit nosuchcmd echo ::: a
	[ "$status" -eq 255 ]
	[ -z "$output" ]
	[ "$(grep -v 'not found' <<< "$stderr")" = "parx: --limit command 'nosuchcmd' cannot run (exit status 127)" ]
}

# --memsuspend

# stat_of N: the state letter of job N's shell (its pid in p.N).
stat_of() {
	ps -o stat= -p "$(cat "p.$1")" | cut -c 1
}

# states: the state letters of jobs 1 to 3, once they settle (T: stopped).
states() {
	local want=$1 n=200 s
	while [ $n -gt 0 ]; do
		s="$(stat_of 1)$(stat_of 2)$(stat_of 3)"
		s=${s//[^T]/R}
		[ "$s" = "$want" ] && break
		sleep 0.02
		n=$((n - 1))
	done
	echo "$s"
}

@test "--memsuspend: below SIZE only the oldest job runs; above 2*SIZE all do again" {
	# GNU: parallel -j3 --memsuspend 1M JOB ::: 1 2 3, with the memory
	# available made 100 kB, 1500 kB (two run: 1/(2-1.46) = 1.8, the
	# oldest 1+1), then 3000 kB (one more continued at each look)
	mkdir proc
	echo '0.00 0.00 0.00 1/1 1' > proc/loadavg
	echo 'MemAvailable: 3000 kB' > proc/meminfo
	PARX_TEST_PROCDIR=$PWD/proc start_bg -j3 --memsuspend 1M \
	    'echo $$ > p.{}; while [ ! -e go ]; do sleep 0.01; done; echo {}' ::: 1 2 3
	wait_for p.1
	wait_for p.2
	wait_for p.3
	[ "$(states RRR)" = RRR ]
	echo 'MemAvailable: 100 kB' > proc/meminfo
	[ "$(states RTT)" = RTT ]
	echo 'MemAvailable: 1500 kB' > proc/meminfo
	[ "$(states RRT)" = RRT ]
	echo 'MemAvailable: 3000 kB' > proc/meminfo
	[ "$(states RRR)" = RRR ]
	touch go
	wait_exit
	[ "$STATUS" -eq 0 ]
	[ "$(sort out)" = "$(lines 1 2 3)" ]
}

@test "--memsuspend: no new job starts below SIZE" {
	# GNU: parallel --memsuspend SIZE starts jobs only while SIZE (plus
	# --memfree) is available
	mkdir proc
	echo '0.00 0.00 0.00 1/1 1' > proc/loadavg
	echo 'MemAvailable: 100 kB' > proc/meminfo
	PARX_TEST_PROCDIR=$PWD/proc PARX_TEST_GATE_MS=20 start_bg \
	    --memsuspend 1M 'echo {}' ::: 1
	sleep 0.3
	[ ! -s out ]
	echo 'MemAvailable: 3000 kB' > proc/meminfo
	wait_exit
	[ "$STATUS" -eq 0 ]
	[ "$(cat out)" = 1 ]
}

@test "--memsuspend: stopped jobs are continued when parx is interrupted" {
	# GNU: parallel -j2 --memsuspend 1P JOB ::: 1 2, then SIGINT
	mkdir proc
	echo '0.00 0.00 0.00 1/1 1' > proc/loadavg
	echo 'MemAvailable: 3000 kB' > proc/meminfo
	PARX_TEST_PROCDIR=$PWD/proc start_bg -j3 --memsuspend 1M \
	    'echo $$ > p.{}; sleep '"$S" ::: 1 2 3
	wait_for p.1
	wait_for p.2
	wait_for p.3
	echo 'MemAvailable: 100 kB' > proc/meminfo
	[ "$(states RTT)" = RTT ]
	kill -INT "$PID"
	wait_exit
	[ "$STATUS" -eq 255 ]
	no_processes_left "sleep $S"
}

# -E, -e, --eof: the end-of-file string

@test "-E STR: input ends at a record that is STR, exactly" {
	# GNU: printf 'a\nb\nc\n' | parallel -k -E b echo (a); and with
	# records ' b' and 'b ' before the b (kept)
	run bparx -k -E b echo < <(printf 'a\nb\nc\n')
	[ "$status" -eq 0 ]
	[ "$output" = a ]
	run bparx -k -E b echo < <(printf 'a\n b\nb \nb\nc\n')
	[ "$output" = "$(lines a ' b' 'b ')" ]
	# GNU: printf 'a\nb' | parallel -E b echo (a last record with no
	# newline counts); printf 'a\0b\0c\0' | parallel -0 -E b echo
	run bparx -E b echo < <(printf 'a\nb')
	[ "$output" = a ]
	run bparx -0 -E b echo < <(printf 'a\0b\0c\0')
	[ "$output" = a ]
}

@test "-E STR: each source ends at its own STR, ::: and :::: too" {
	# GNU: parallel -k -E b echo ::: a b c (a); printf 'a\nb\nc\n' > f;
	# parallel -k -E b echo :::: f ::: x y (a x, a y); parallel -k -E b
	# echo ::: x y ::: a b c (x a, y a); parallel -E b -a f echo (a)
	run bparx -k -E b echo ::: a b c
	[ "$output" = a ]
	printf 'a\nb\nc\n' > f
	run bparx -k -E b echo :::: f ::: x y
	[ "$output" = "$(lines 'a x' 'a y')" ]
	run bparx -k -E b echo ::: x y ::: a b c
	[ "$output" = "$(lines 'x a' 'y a')" ]
	run bparx -E b -a f echo
	[ "$output" = a ]
}

@test "-E STR: the rest of standard input is not read" {
	# GNU: yes | parallel -E y echo (no job, exit 0)
	run bparx -E y echo < <(yes)
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "--eof=STR and -eSTR are -E STR; -e, --eof and -E '' set none" {
	# GNU: printf 'a\nb\nc\n' | parallel -k --eof=b echo; ... -eb ...
	# (a); ... -E '' ... (a b c)
	local a

	for a in --eof=b -eb -Eb; do
		run bparx -k $a echo < <(printf 'a\nb\nc\n')
		[ "$status" -eq 0 ]
		[ "$output" = a ]
	done
	# (parx: -e and --eof take no next word, as xargs; GNU takes echo)
	for a in -e --eof; do
		run bparx -k $a echo < <(printf 'a\nb\nc\n')
		[ "$status" -eq 0 ]
		[ "$output" = "$(lines a b c)" ]
	done
	run bparx -k -E '' echo < <(printf 'a\nb\nc\n')
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines a b c)" ]
}

@test "-E with --pipe: the blocks keep the whole input, as GNU" {
	# GNU: printf 'a\nb\nc\n' | parallel --pipe -k -E b cat (a b c)
	run bparx --pipe -k -E b cat < <(printf 'a\nb\nc\n')
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines a b c)" ]
}

# --workdir (--wd) for jobs on this machine

@test "--wd DIR: local jobs run in DIR, made when missing; -S : too" {
	# GNU: mkdir sub; parallel --wd sub pwd ::: 1 ($PWD/sub); parallel
	# --workdir new/deep pwd ::: 1 (made); parallel -S : --wd sub pwd ::: 1
	mkdir sub
	run bparx --wd sub pwd ::: 1
	[ "$status" -eq 0 ]
	[ "$output" = "$PWD/sub" ]
	run bparx --workdir new/deep pwd ::: 1
	[ "$status" -eq 0 ]
	[ "$output" = "$PWD/new/deep" ]
	[ -d new/deep ]
	run bparx -S : --wd sub pwd ::: 1
	[ "$status" -eq 0 ]
	[ "$output" = "$PWD/sub" ]
	# GNU: parallel --wd . pwd ::: 1; parallel --wd / pwd ::: 1
	run bparx --wd . pwd ::: 1
	[ "$output" = "$PWD" ]
	run bparx --wd / pwd ::: 1
	[ "$output" = / ]
}

@test "--wd TEMPLATE: each job's own directory" {
	# GNU: parallel -k --wd 'x{#}/{}' pwd ::: a b ($PWD/x1/a, $PWD/x2/b)
	run bparx -k --wd 'x{#}/{}' pwd ::: a b
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines "$PWD/x1/a" "$PWD/x2/b")" ]
}

@test "--wd: the job's PWD is the path as cd makes it, OLDPWD parx's directory" {
	# GNU: ln -s "$PWD/real" link; cd "$PWD/link";
	# OLDPWD=/elsewhere parallel -N0 --wd DIR 'pwd; echo "$OLDPWD"' :::
	# 1 for DIR in sub, ../link/./sub/.., /, . ($PWD/link/sub, $PWD/link,
	# /, $PWD/real (parx: $PWD/link); each with OLDPWD $PWD/link), exit 0
	mkdir -p real/sub
	ln -s "$PWD/real" link
	top=$PWD
	cd "$top/link"
	for dir in sub ../link/./sub/.. / .; do
		OLDPWD=/elsewhere run bparx -N0 --wd "$dir" 'pwd; echo "$OLDPWD"' ::: 1
		[ "$status" -eq 0 ]
		case $dir in
		sub)	want=$top/link/sub ;;
		/)	want=/ ;;
		*)	want=$top/link ;;
		esac
		[ "$output" = "$(lines "$want" "$top/link")" ]
	done
	# GNU: the same without --wd ($PWD/link twice)
	OLDPWD=/elsewhere run bparx -N0 'pwd; echo "$OLDPWD"' ::: 1
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines "$top/link" "$top/link")" ]
}

@test "--wd ...: a fresh directory per job under ~/.parallel/tmp, removed after" {
	# GNU: parallel --wd ... 'pwd; touch f; mkdir d; touch d/e; true' ::: 1
	# ($HOME/.parallel/tmp/HOST-PID-1, gone once the job succeeded)
	export HOME=$PWD/home
	mkdir home
	run bparx -j1 --wd ... 'pwd; ls; touch f; mkdir d; touch d/e; true' ::: 1 2
	[ "$status" -eq 0 ]
	[[ "$(sed -n 1p <<< "$output")" =~ ^"$HOME/.parallel/tmp/$(hostname)-"[0-9]+-1$ ]]
	[[ "$(sed -n 2p <<< "$output")" =~ ^"$HOME/.parallel/tmp/$(hostname)-"[0-9]+-2$ ]]
	[ "$(wc -l <<< "$output")" -eq 2 ]
	[ -z "$(ls home/.parallel/tmp)" ]
	# A failed job's is removed too (GNU keeps it)
	run bparx --wd ... 'pwd > where; false' ::: 1
	[ "$status" -eq 1 ]
	[ -z "$(ls home/.parallel/tmp)" ]
}

@test "--wd: a path that cannot be a directory is an error naming it, exit 255" {
	# GNU: touch afile; parallel --wd afile echo ::: 1 (Cannot change into
	# non-executable dir afile: File exists, exit 255; no job runs)
	touch afile
	run --separate-stderr bparx -k --wd afile echo ::: 1 2
	[ "$status" -eq 255 ]
	[ -z "$output" ]
	[ "$stderr" = "parx: cannot use 'afile' as the working directory of job 1: Not a directory" ]
	run --separate-stderr bparx --wd afile/sub echo ::: 1
	[ "$status" -eq 255 ]
	[ "$stderr" = "parx: cannot use 'afile' as the working directory of job 1: Not a directory" ]
}

@test "--wd with --func is an error: a function runs inside parx" {
	run bparx --func sleep --wd sub ::: 0
	[ "$status" -eq 255 ]
	[ "$output" = "parx: --workdir cannot change the directory of --func jobs, which run inside parx" ]
}

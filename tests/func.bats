#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
#
# func: --func, jobs that are function calls inside the worker: the
# builtins (echo, sleep, spin, gzip), exit-status counting, --dry-run,
# errors in naming a function, the example plugin ($PARX_PLUGIN, built
# from examples/plugin.c), crash containment (process mode) and the crash
# report (thread mode), cancellation, and the output of many jobs.
#
# Every test runs in both modes unless its name says "process mode" or
# "thread mode": there the behaviours differ by design, and the test skips
# in the other mode.

load helpers

only_mode() {
	[ "$PARX_MODE" = "$1" ] ||
	    skip "$1 mode only: the other mode behaves differently by design"
}

# echo

@test "echo: prints its argument, one job per input" {
	run bparx -k --func echo ::: a b c
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines a b c)" ]
}

@test "echo: several arguments are joined by one space, words kept as they are" {
	run bparx --func echo x 'y  z' '$HOME' '*' ';' '"q"' {} ::: 1
	[ "$status" -eq 0 ]
	[ "$output" = 'x y  z $HOME * ; "q" 1' ]
}

@test "echo: an input with spaces and quotes is one argument, not shell code" {
	run bparx -k --func echo '<{}>' ::: 'a  b' "it's" '$(touch pwned)'
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines '<a  b>' "<it's>" '<$(touch pwned)>')" ]
	[ ! -e pwned ]
}

@test "echo: {} as the first word is still one argument (no shell)" {
	# parx's own: GNU parallel has no --func; its {} in the first word
	# would make each input the command (parx {} ::: ..., basic.bats).
	run bparx -k --func echo {} x ::: 'a  b;c' '$(touch pwned)'
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 'a  b;c x' '$(touch pwned) x')" ]
	[ ! -e pwned ]
	run bparx --dry-run --func echo {} ::: 'a b;c'
	[ "$output" = "echo 'a b;c'" ]
}

@test "echo: replacement strings" {
	run bparx --func echo {} {.} {/} {//} {/.} ::: dir/sub/file.tar.gz
	[ "$status" -eq 0 ]
	[ "$output" = "dir/sub/file.tar.gz dir/sub/file.tar file.tar.gz dir/sub file.tar" ]
}

@test "echo: {#} and {%}" {
	run bparx -j1 -k --func echo {#} {%} {} ::: a b c
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines '1 1 a' '2 1 b' '3 1 c')" ]
}

@test "echo: two ::: sources combine, {1} {2} pick them" {
	run bparx -k --func echo {2}-{1} ::: a b ::: 1 2 3
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 1-a 2-a 3-a 1-b 2-b 3-b)" ]
}

@test "echo: no replacement string appends the arguments" {
	run bparx -k --func echo pre ::: a b ::: 1 2
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 'pre a 1' 'pre a 2' 'pre b 1' 'pre b 2')" ]
}

@test "echo: input from stdin, :::: files and --link" {
	printf 'x\ny\n' > f
	run bash -c 'printf "l1\nl2\n" | "$PARX" --mode="$PARX_MODE" -k --func echo' 3>&-
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines l1 l2)" ]
	run bparx -k --func echo {1}{2} :::: f ::: 1 2
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines x1 x2 y1 y2)" ]
	run bparx -k --link --func echo {1}{2} :::: f ::: 1 2
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines x1 y2)" ]
}

@test "echo: -k keeps input order" {
	seq 2000 > want
	seq 2000 | bparx -k -j2 --func echo > out
	cmp want out
}

@test "echo: --tag puts the arguments in front" {
	run bparx -k --tag --func echo x {} ::: a b ::: 1 2
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'a 1\tx a 1\na 2\tx a 2\nb 1\tx b 1\nb 2\tx b 2')" ]
}

@test "echo: --tagstring with replacement strings" {
	run bparx -k --tagstring '[{#}]' --func echo ::: a b
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '[1]\ta\n[2]\tb')" ]
}

@test "echo: every output mode gives each job its line" {
	for opt in --group --line-buffer -u; do
		seq 200 | bparx $opt -j2 --func echo x > out
		seq 200 | sed 's/^/x /' > want
		sort out | cmp - <(sort want)
	done
}

# sleep, spin

@test "sleep: returns 0 and prints nothing" {
	run bparx --func sleep ::: 0 0.01 0.02
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
}

@test "sleep: a bad argument fails the job with a message" {
	run bparx -k --func sleep ::: abc -1 0
	[ "$status" -eq 2 ]
	[ "$output" = "$(lines "sleep: invalid number 'abc'" "sleep: invalid number '-1'")" ]
	run bparx --func sleep 1 2 ::: x
	[ "$status" -eq 1 ]
	[ "$output" = "sleep: expected one number, got 3 arguments" ]
}

# A "sleep 0" that ends first must not make parx queue the rest of the
# input behind one worker (the queue depth of --func jobs follows their
# runtimes): every slot runs jobs, and no job starts on one slot long
# after another slot ran out of work.  The margin (1 s) is five jobs long;
# queueing the 20 jobs after the first wave behind slot 1 misses it by
# seconds.  GNU parallel has no --func; its nearest, parallel -j4 sleep
# ::: 0 0.2 ..., gives each job the first free slot.
@test "sleep: a short first job does not queue the rest behind one worker" {
	{ echo 0; for i in $(seq 23); do echo 0.2; done; } > in
	run bparx -j4 --events ev --func sleep < in
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	python3 - ev <<-'EOF'
	import json, sys
	ev = [json.loads(l) for l in open(sys.argv[1])]
	assert sorted(e["seq"] for e in ev) == list(range(1, 25)), ev
	last = {}
	for e in ev:
	    end = e["start"] + e["runtime"]
	    last[e["worker"]] = max(last.get(e["worker"], 0), end)
	assert sorted(last) == [1, 2, 3, 4], last
	late = [(e["seq"], e["worker"], x) for e in ev for x in last
	        if x != e["worker"] and e["start"] > last[x] + 1.0]
	assert not late, late
	EOF
}

@test "spin: returns 0 and prints nothing; a bad argument fails" {
	run bparx -j2 --func spin ::: 1 5 0
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	run bparx -k --func spin ::: x 1
	[ "$status" -eq 1 ]
	[ "$output" = "spin: invalid number 'x'" ]
}

# gzip

# make_files: files of several kinds (empty, small, binary, larger than
# gzip's read buffer), with their modes and times set; copies in orig/.
make_files() {
	mkdir orig
	: > empty
	printf 'hello\n' > small
	head -c 300000 /dev/urandom > binary
	seq 200000 > big
	chmod 640 small
	chmod 600 binary
	chmod 604 big
	touch -d '2001-02-03 04:05:06' small big
	for f in empty small binary big; do cp -p "$f" orig/; done
}

@test "gzip: FILE.gz holds FILE's content, as gzip(1) makes it" {
	make_files
	run bparx -j2 --func gzip ::: empty small binary big
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	for f in empty small binary big; do
		gzip -t "$f.gz"
		gzip -dc "$f.gz" | cmp - "orig/$f"
	done
}

@test "gzip: the originals are removed, mode and times kept" {
	make_files
	bparx --func gzip ::: empty small binary big
	for f in empty small binary big; do
		[ ! -e "$f" ]
		[ "$(stat -c %a "$f.gz")" = "$(stat -c %a "orig/$f")" ]
		[ "$(stat -c %Y "$f.gz")" = "$(stat -c %Y "orig/$f")" ]
	done
}

@test "gzip: does the same work as the gzip command" {
	make_files
	mkdir cmd
	for f in empty small binary big; do cp -p "orig/$f" cmd/; done
	bparx --func gzip ::: empty small binary big
	bparx gzip ::: cmd/empty cmd/small cmd/binary cmd/big
	for f in empty small binary big; do
		cmp <(gzip -dc "$f.gz") <(gzip -dc "cmd/$f.gz")
		[ "$(stat -c %a "$f.gz")" = "$(stat -c %a "cmd/$f.gz")" ]
	done
}

@test "gzip: -k keeps the originals" {
	make_files
	# -- ends parx's options: -k is gzip's (parx's own -k is --keep-order)
	run bparx --func gzip -- -k ::: small big
	[ "$status" -eq 0 ]
	cmp small orig/small
	cmp big orig/big
	gzip -dc small.gz | cmp - orig/small
	gzip -dc big.gz | cmp - orig/big
}

@test "gzip: -1 and -9 set the level" {
	# text that level 9 packs better than level 1 (seq output is not:
	# zlib's level 9 makes it slightly bigger)
	yes 'the quick brown fox' | head -n 50000 > orig
	cp orig a
	cp orig b
	bparx --func gzip -- -1 ::: a
	bparx --func gzip -- -9 ::: b
	gzip -dc a.gz | cmp - orig
	gzip -dc b.gz | cmp - orig
	[ "$(stat -c %s b.gz)" -lt "$(stat -c %s a.gz)" ]
}

@test "gzip: an existing FILE.gz is an error and both files are left alone" {
	make_files
	echo keep-me > small.gz
	run bparx -k --func gzip ::: small big
	[ "$status" -eq 1 ]
	[ "$output" = "gzip: small.gz: already exists; not overwritten" ]
	[ "$(cat small.gz)" = keep-me ]
	cmp small orig/small
	# the other file of the run is compressed
	[ ! -e big ]
	gzip -dc big.gz | cmp - orig/big
}

@test "gzip: a missing file fails its job, the others are done" {
	make_files
	run bparx -k --func gzip ::: small missing big
	[ "$status" -eq 1 ]
	[ "$output" = "gzip: missing: No such file or directory" ]
	[ ! -e missing.gz ]
	gzip -dc small.gz | cmp - orig/small
	gzip -dc big.gz | cmp - orig/big
}

@test "gzip: a directory is not compressed" {
	mkdir d
	run bparx --func gzip ::: d
	[ "$status" -eq 1 ]
	[ "$output" = "gzip: d is not a regular file - ignored" ]
	[ -d d ]
	[ ! -e d.gz ]
}

# Exit statuses

@test "exit status: the number of functions that failed" {
	need_plugin
	run bparx --func "$PARX_PLUGIN:fail" ::: 0 3 255
	[ "$status" -eq 2 ]
	[ "$output" = "" ]
	run bparx --func "$PARX_PLUGIN:fail" ::: 0 0 0
	[ "$status" -eq 0 ]
	run bparx --func "$PARX_PLUGIN:fail" ::: 1 2 3 4 5 6 7
	[ "$status" -eq 7 ]
}

@test "exit status: a return value is taken modulo 256" {
	need_plugin
	run bparx --func "$PARX_PLUGIN:fail" ::: 256 512 257
	[ "$status" -eq 1 ]
}

@test "exit status: more than 100 failed functions give 101" {
	need_plugin
	run bash -c 'seq 150 | "$PARX" --mode="$PARX_MODE" --func "$PARX_PLUGIN:fail"' 3>&-
	[ "$status" -eq 101 ]
}

# --dry-run

@test "--dry-run --func prints the calls, shell-quoted, and runs nothing" {
	printf 'data\n' > a
	run bparx -k --dry-run --func gzip ::: a 'b c' "it's"
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 'gzip a' "gzip 'b c'" "gzip 'it'\"'\"'s'")" ]
	[ "$(cat a)" = data ]
	[ ! -e a.gz ]
}

@test "--dry-run --func with a template and --tag" {
	run bparx -k --dry-run --tag --func echo x {} ::: a b
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'a\techo x a\nb\techo x b')" ]
}

# Naming a function

@test "an unknown function: exit 255 and one line naming it" {
	bparx --func nosuchfunc ::: 1 > out 2> err && status=0 || status=$?
	[ "$status" -eq 255 ]
	[ ! -s out ]
	[ "$(cat err)" = "parx: invalid function 'nosuchfunc' for --func: expected a builtin (echo, sleep, spin, gzip) or PATH.so:SYMBOL" ]
}

@test "a plugin that does not exist: exit 255 and one line naming it" {
	bparx --func ./no/such/plugin.so:upper ::: 1 > out 2> err && status=0 || status=$?
	[ "$status" -eq 255 ]
	[ ! -s out ]
	[ "$(wc -l < err)" -eq 1 ]
	grep -q "no/such/plugin.so" err
}

@test "a file that is not a shared object: exit 255 and one line" {
	echo 'not ELF' > fake.so
	bparx --func ./fake.so:upper ::: 1 > out 2> err && status=0 || status=$?
	[ "$status" -eq 255 ]
	[ ! -s out ]
	[ "$(wc -l < err)" -eq 1 ]
	grep -q "fake.so" err
}

@test "a symbol missing from the plugin: exit 255 and one line naming it" {
	need_plugin
	bparx --func "$PARX_PLUGIN:nosuchsymbol" ::: 1 > out 2> err && status=0 || status=$?
	[ "$status" -eq 255 ]
	[ ! -s out ]
	[ "$(wc -l < err)" -eq 1 ]
	grep -q "nosuchsymbol" err
}

@test "PATH.so: with no symbol: exit 255 and one line" {
	need_plugin
	bparx --func "$PARX_PLUGIN:" ::: 1 > out 2> err && status=0 || status=$?
	[ "$status" -eq 255 ]
	[ ! -s out ]
	[ "$(cat err)" = "parx: invalid function '$PARX_PLUGIN:' for --func: expected PATH.so:SYMBOL" ]
}

# The example plugin

@test "plugin: upper" {
	need_plugin
	run bparx -k --func "$PARX_PLUGIN:upper" ::: abc 'd e' ''
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines ABC 'D E' '')" ]
	run bparx --func "$PARX_PLUGIN:upper" x y {} ::: z
	[ "$status" -eq 0 ]
	[ "$output" = "X Y Z" ]
}

@test "plugin: wordcount counts like wc" {
	need_plugin
	printf 'one two\nthree\n\n  four  \n' > a
	printf 'no newline' > b
	: > c
	run bparx -k --func "$PARX_PLUGIN:wordcount" ::: a b c
	[ "$status" -eq 0 ]
	[ "$output" = "$(for f in a b c; do set -- $(wc -l -w -c < $f); echo "$1 $2 $3 $f"; done)" ]
	[ "$output" = "$(lines '4 4 24 a' '0 2 10 b' '0 0 0 c')" ]
}

@test "plugin: wordcount of a missing file fails with a message" {
	need_plugin
	printf 'x\n' > a
	bparx -k --func "$PARX_PLUGIN:wordcount" ::: missing a > out 2> err && status=0 || status=$?
	[ "$status" -eq 1 ]
	[ "$(cat out)" = "1 1 2 a" ]
	[ "$(cat err)" = "wordcount: missing: No such file or directory" ]
}

@test "plugin: a bare file name is looked up in the current directory" {
	need_plugin
	cp "$PARX_PLUGIN" ./myplugin.so
	run bparx --func myplugin.so:upper ::: ok
	[ "$status" -eq 0 ]
	[ "$output" = OK ]
}

# Crashes

@test "process mode: a crashing function fails only its own job" {
	need_plugin
	only_mode process
	bparx --func "$PARX_PLUGIN:crash_on" 500 ::: $(seq 2000) > out 2> err && status=0 || status=$?
	[ "$status" -eq 1 ]
	seq 2000 | grep -vx 500 > want
	sort -n out | cmp - want
}

@test "process mode: with one worker, the worker is replaced and the run goes on" {
	need_plugin
	only_mode process
	bparx -j1 -k --func "$PARX_PLUGIN:crash_on" 3 ::: 1 2 3 4 3 5 \
	    > out 2> err && status=0 || status=$?
	[ "$status" -eq 2 ]
	[ "$(cat out)" = "$(lines 1 2 4 5)" ]
	[ "$(grep -c "crashed with SIGSEGV" err)" -eq 2 ]
}

@test "process mode: an abort fails only its own job" {
	need_plugin
	only_mode process
	run bparx -j1 --func "$PARX_PLUGIN:crash" ::: abort
	[ "$status" -eq 1 ]
	run bparx -j2 --func "$PARX_PLUGIN:crash" ::: abort segv abort
	[ "$status" -eq 3 ]
}

# thread_crash NEEDLE: run crash_on NEEDLE over 1..5 at -j1 in thread mode,
# bounded, without core dumps; sets status, stdout in out, stderr in err.
thread_crash() {
	# exec: no shell of the subshell waits to report the signal in err
	( ulimit -c 0; exec timeout -k 5 "${BOUND:-60}" "$PARX" --mode=thread \
	    -j1 --func "$PARX_PLUGIN:crash_on" "$1" ::: 1 2 3 4 5 ) \
	    > out 2> err 3>&- && status=0 || status=$?
}

@test "thread mode: a crash prints one line naming the job, and parx dies of SIGSEGV" {
	need_plugin
	only_mode thread
	thread_crash 3
	[ "$status" -eq 139 ]
	[ "$(wc -l < err)" -eq 1 ]
	# the job's seq and its arguments, and the way out
	grep -E "^parx: job 3 \(--func .*crash_on 3 3\) crashed with SIGSEGV" err
	grep -qF -- "--mode=process" err
	# job 4 never ran
	! grep -qx 4 out || false
}

@test "thread mode: an abort prints one line naming the job, and parx dies of SIGABRT" {
	need_plugin
	only_mode thread
	( ulimit -c 0; exec timeout -k 5 "${BOUND:-60}" "$PARX" --mode=thread \
	    -j1 --func "$PARX_PLUGIN:crash" ::: abort ) > out 2> err 3>&- &&
	    status=0 || status=$?
	[ "$status" -eq 134 ]
	[ "$(wc -l < err)" -eq 1 ]
	grep -E "^parx: job 1 \(--func .*crash abort\) crashed with SIGABRT" err
	grep -qF -- "--mode=process" err
}

# A function that exits instead of returning

# exit_test FUNC CALL STATUS: job 3 of five calls FUNC (exit_on: exit(7),
# _exit_on: _exit(0)); stdout in out, stderr in err, joblog in log.
exit_test() {
	bparx -j1 -k --joblog log --func "$PARX_PLUGIN:$1" 3 ::: 1 2 3 4 5 \
	    > out 2> err && status=0 || status=$?
}

# thread_exit_test FUNC CALL CODE: in thread mode, job 3 calling CALL(CODE)
# through FUNC is reported in one line, parx stops with 255, and the jobs
# before it have their output and their records; none after runs.
thread_exit_test() {
	need_plugin
	only_mode thread
	exit_test "$1"
	cat err
	[ "$status" -eq 255 ]
	[ "$(wc -l < err)" -eq 1 ]
	grep -E "^parx: job 3 \(--func .*$1 3 3\) called $2\($3\)" err
	[ "$(cat out)" = "$(lines 1 2)" ]
	[ "$(cut -f1,7 log | tail -n +2 | tr '\t\n' ': ')" = "1:0 2:0 3:$3 " ]
}

@test "thread mode: a function calling exit() is reported, parx stops with 255 and keeps what was done" {
	thread_exit_test exit_on exit 7
}

@test "thread mode: a function calling _exit() is reported, parx stops with 255 and keeps what was done" {
	thread_exit_test _exit_on _exit 0
}

@test "process mode: a function calling exit() or _exit() fails its job with one line on stderr" {
	need_plugin
	only_mode process
	exit_test exit_on
	cat err
	[ "$status" -eq 1 ]
	[ "$(wc -l < err)" -eq 1 ]
	grep -E "^parx: job 3 \(--func .*exit_on 3 3\) ended its worker process with exit status 7$" err
	[ "$(cat out)" = "$(lines 1 2 4 5)" ]
	exit_test _exit_on
	cat err
	[ "$status" -eq 1 ]
	[ "$(wc -l < err)" -eq 1 ]
	grep -E "^parx: job 3 \(--func .*_exit_on 3 3\) ended its worker process with exit status 0$" err
	[ "$(cat out)" = "$(lines 1 2 4 5)" ]
}

@test "process mode: a crashing function fails its job with one line naming the signal" {
	need_plugin
	only_mode process
	bparx -j1 -k --func "$PARX_PLUGIN:crash_on" 2 ::: 1 2 3 > out 2> err &&
	    status=0 || status=$?
	cat err
	[ "$status" -eq 1 ]
	[ "$(wc -l < err)" -eq 1 ]
	grep -E "^parx: job 2 \(--func .*crash_on 2 2\) crashed with SIGSEGV$" err
	[ "$(cat out)" = "$(lines 1 3)" ]
}

# A function that ignores cancellation

@test "--timeout on a function that ignores cancellation: no false claim, parx ends" {
	need_plugin
	BOUND=15 bparx -j2 -k --timeout 0.3 --termseq TERM,50,KILL,50 \
	    --func "$PARX_PLUGIN:stuck_on" 2 ::: 1 2 3 > out 2> err &&
	    status=0 || status=$?
	cat err
	[ -e 2 ]
	[ "$(cat out)" = "$(lines 1 3)" ]
	if [ "$PARX_MODE" = thread ]; then
		# the thread cannot be killed: say so, and exit over it
		[ "$status" -eq 255 ]
		! grep -q "killed because" err || false
		grep -E "^parx: job 2 \(--func .*stuck_on 2 2\) timed out; .*does not respond to cancellation" err
		grep -E "^parx: .*job 2 .*still running" err
	else
		# the worker is killed, and the job with it
		[ "$status" -eq 1 ]
		grep -q "killed because it timed out" err
	fi
}

@test "thread mode: with every slot held by a function that ignores --timeout, parx ends" {
	need_plugin
	only_mode thread
	BOUND=15 bparx -j1 -k --timeout 0.3 --termseq TERM,50,KILL,50 \
	    --func "$PARX_PLUGIN:stuck_on" 2 ::: 1 2 3 > out 2> err &&
	    status=0 || status=$?
	cat err
	[ "$status" -eq 255 ]
	[ "$(cat out)" = "1" ]
	grep -E "^parx: job 2 \(--func .*stuck_on 2 2\) timed out; .*does not respond to cancellation" err
	grep -E "not run" err
}

@test "SIGINT ends parx while a function ignores cancellation" {
	need_plugin
	start_bg -j1 --termseq TERM,50,KILL,50 --func "$PARX_PLUGIN:stuck_on" 1 ::: 1 2
	wait_for 1
	kill -INT "$PID"
	wait_exit 10
	[ "$STATUS" -eq 255 ]
}

# Cancellation

# sleep_syscall: the number of the system call that nanosleep(3) makes
# (clock_nanosleep on Linux), read from a sleeping sleep(1).
sleep_syscall() {
	local p n=500 nr=
	sleep 30 & p=$!
	while [ $n -gt 0 ]; do
		read -r nr _ < /proc/$p/syscall 2>/dev/null
		case $nr in [0-9]*) break ;; esac
		sleep 0.01; n=$((n - 1))
	done
	kill "$p"; wait "$p" 2>/dev/null
	echo "$nr"
}

# nanosleeping NR: how many tasks of parx (its threads and its worker
# processes' threads) are in system call NR, from /proc/*/syscall.
nanosleeping() {
	local t nr n=0
	for t in /proc/"$PID"/task/* $(pgrep -P "$PID" | sed 's|.*|/proc/&/task/*|'); do
		read -r nr _ < "$t/syscall" 2>/dev/null || continue
		[ "$nr" = "$1" ] && n=$((n + 1))
	done
	echo $n
}

# wait_calls N: wait until N wait_cancel calls are running: each sleeps
# 10 ms at a time between its polls of cancelled(), in nanosleep.  (-t
# alone is no barrier: it reports a job when parx hands it to a worker,
# before the call.  /proc/PID/wchan is no help either: it often reads 0
# for a sleeping thread.)
wait_calls() {
	local n=2000 nr k=0
	nr=$(sleep_syscall)
	[ -n "$nr" ] || { echo "cannot tell the nanosleep system call"; return 1; }
	while k=$(nanosleeping "$nr") && [ "$k" -lt "$1" ] && [ $n -gt 0 ]; do
		sleep 0.01; n=$((n - 1))
	done
	[ "$k" -ge "$1" ] || {
		echo "$k calls running, not $1 (nanosleep is system call $nr):"
		grep . /proc/"$PID"/task/*/syscall || true
		ps -o pid,ppid,stat,args --ppid "$PID" || true
		cat err
		return 1
	}
}

# cancel_test SIGNAL: two wait_cancel jobs of three are running; SIGNAL to
# parx stops them (they see cancelled() and return 3), parx exits 255, the
# third never starts, and no worker is left.
cancel_test() {
	local mark="cancel$$x$RANDOM"
	start_bg -t -j2 --events ev --func "$PARX_PLUGIN:wait_cancel" {} $mark ::: 1 2 3
	wait_calls 2
	kill -"$1" "$PID"
	wait_exit 10
	[ "$STATUS" -eq 255 ]
	[ "$(grep -c wait_cancel err)" -eq 2 ]
	! grep -q "wait_cancel 3 " err || false
	[ ! -s out ]
	# both running jobs returned through the cancellation
	python3 - ev <<-'EOF'
	import json, sys
	ev = [json.loads(l) for l in open(sys.argv[1])]
	got = sorted((e["seq"], e["exit"], e["signal"]) for e in ev)
	assert got == [(1, 3, 0), (2, 3, 0)], got
	EOF
	no_processes_left "$mark"
}

@test "SIGINT cancels running functions, parx exits 255" {
	need_plugin
	cancel_test INT
}

@test "SIGTERM cancels running functions, parx exits 255" {
	need_plugin
	cancel_test TERM
}

# Many jobs

@test "100,000 --func echo jobs: every output exactly once" {
	seq 100000 > want
	bparx -j2 --func echo :::: want > out
	sort -n out | cmp - want
}

@test "100,000 --func echo jobs with -k: exact output" {
	seq 100000 > want
	bparx -k -j2 --func echo :::: want > out
	cmp want out
}

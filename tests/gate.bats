#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
#
# gate: pacing by load average (--load) and free memory (--memfree), and
# the niceness of jobs (--nice).
#
# The gate reads $PARX_TEST_PROCDIR/loadavg and meminfo instead of /proc,
# so a test holds jobs back and lets them go by rewriting those files, and
# reads them every $PARX_TEST_GATE_MS (10) ms instead of every 500 ms.
# The checks that nothing started yet come after readings (below): a slow
# machine can only make them pass.

load helpers

setup_more() {
	mkdir proc
	export PARX_TEST_PROCDIR="$TMP/proc"
	export PARX_TEST_GATE_MS=10
	set_load 0.00
	set_mem 1048576
}

# set_load L: the 1-minute load average is L.
set_load() {
	echo "$1 0.00 0.00 1/100 4242" > proc/loadavg.new
	mv proc/loadavg.new proc/loadavg
}

# set_mem KB: MemAvailable is KB kilobytes.
set_mem() {
	printf 'MemTotal:       16000000 kB\nMemFree:          123 kB\nMemAvailable:   %s kB\n' \
	    "$1" > proc/meminfo.new
	mv proc/meminfo.new proc/meminfo
}

# readings: wait for some 30 readings of the gate.
readings() {
	sleep 0.3
}

# --load

@test "--load below the load average: every job runs" {
	set_load 0.50
	run bparx -k --load 2 echo ::: a b c
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines a b c)" ]
}

@test "--load: no job starts while the load is at MAX or above, all once it drops" {
	set_load 3.00
	start_bg -k --load 3 'echo {}; : > started.{}' ::: 1 2 3
	readings
	[ ! -e started.1 ]
	[ ! -s out ]
	set_load 2.99
	wait_for started.3
	wait_exit
	[ "$STATUS" -eq 0 ]
	[ "$(cat out)" = "$(lines 1 2 3)" ]
}

@test "--load: a job running while the load rises holds back the rest" {
	# job 1 starts; then the load goes up; job 2 waits for it to drop
	start_bg -j1 --load 2 'echo {}; : > started.{}; [ {} = 1 ] && while [ ! -e go ]; do sleep 0.01; done; :' ::: 1 2
	wait_for started.1
	set_load 5.00
	readings	# let the reading of 0.00 age
	: > go
	readings
	[ ! -e started.2 ]
	set_load 1.00
	wait_for started.2
	wait_exit
	[ "$STATUS" -eq 0 ]
}

@test "--load N% is a share of the CPUs, +N and -N relative to them" {
	n=$(nproc)
	# the load equals the number of CPUs: 100% holds, 200% and +1 do not
	set_load "$n.00"
	run bparx --load 200% echo {} ::: ok
	[ "$output" = ok ]
	run bparx --load +1 echo {} ::: ok
	[ "$output" = ok ]
	start_bg --load 100% ': > started' ::: 1
	readings
	[ ! -e started ]
	kill "$PID"; wait_exit
	start_bg --load -0 ': > started' ::: 1
	readings
	[ ! -e started ]
	kill "$PID"; wait_exit
}

@test "--load 0 means 0.01: an idle machine still runs jobs" {
	set_load 0.00
	run bparx --load 0 echo {} ::: ok
	[ "$output" = ok ]
}

@test "waiting for the load does not busy-loop" {
	export PARX_TEST_GATE_MS=50
	set_load 9.00
	start_bg --load 1 true ::: 1
	readings
	# utime + stime of parx, in clock ticks, over 1 s of waiting
	t0=$(awk '{ print $14 + $15 }' /proc/$PID/stat)
	sleep 1
	t1=$(awk '{ print $14 + $15 }' /proc/$PID/stat)
	set_load 0.00
	wait_exit
	[ "$STATUS" -eq 0 ]
	[ $((t1 - t0)) -lt 10 ]
}

@test "SIGTERM while waiting for the gate: parx exits at once with 255" {
	set_load 9.00
	start_bg --load 1 ': > started' ::: 1
	readings
	kill -TERM "$PID"
	wait_exit
	[ "$STATUS" -eq 255 ]
	[ ! -e started ]
}

@test "invalid --load values are errors" {
	for v in x '' 1x 2%% +1% 1e3 -; do
		run bparx --load "$v" true ::: 1
		[ "$status" -eq 255 ]
		[ "$output" = "parx: invalid load '$v' for --load: expected N, +N, -N or N%" ] || {
			echo "value '$v': $output"; return 1; }
	done
	run bparx --load 1.5 echo {} ::: ok
	[ "$output" = ok ]
}

# --memfree

@test "--memfree below the available memory: every job runs" {
	set_mem 1048576		# 1 GiB
	run bparx -k --memfree 1000M echo ::: a b
	[ "$output" = "$(lines a b)" ]
}

@test "--memfree: no job starts while less memory is available, all once there is" {
	set_mem 1048575		# 1 GiB - 1 KiB
	start_bg -k --memfree 1G 'echo {}; : > started.{}' ::: 1 2
	readings
	[ ! -e started.1 ]
	set_mem 1048576
	wait_for started.2
	wait_exit
	[ "$STATUS" -eq 0 ]
	[ "$(cat out)" = "$(lines 1 2)" ]
}

@test "--memfree units: K M G T P are powers of 1024, k m g t p of 1000" {
	set_mem 1000		# 1,024,000 bytes
	run bparx --memfree 1000K echo {} ::: ok
	[ "$output" = ok ]
	run bparx --memfree 1.024m echo {} ::: ok
	[ "$output" = ok ]
	run bparx --memfree 1024000 echo {} ::: ok
	[ "$output" = ok ]
	start_bg --memfree 1024001 ': > started' ::: 1
	readings
	[ ! -e started ]
	kill "$PID"; wait_exit
}

@test "--memfree falls back to MemFree without MemAvailable" {
	printf 'MemTotal: 16000000 kB\nMemFree: 2048 kB\n' > proc/meminfo
	run bparx --memfree 2M echo {} ::: ok
	[ "$output" = ok ]
}

@test "invalid --memfree values are errors" {
	for v in x '' 1X -1 1e3 K 1.2.3; do
		run bparx --memfree "$v" true ::: 1
		[ "$status" -eq 255 ]
		[ "$output" = "parx: invalid size '$v' for --memfree: expected a number with an optional unit (K, M, G, T, P; k, m, g, t, p)" ] || {
			echo "value '$v': $output"; return 1; }
	done
}

# --nice

# The niceness of the job's shell, then of parx (the main thread).
NICE_JOB='echo $(cut -d" " -f19 /proc/self/stat) $(cut -d" " -f19 /proc/$PARALLEL_PID/stat) {}'

@test "--nice N: every job runs at niceness N, parx itself does not" {
	run bparx -k -j2 --nice 7 "$NICE_JOB" ::: a b c d
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines '7 0 a' '7 0 b' '7 0 c' '7 0 d')" ]
}

@test "--nice applies to commands run without a shell too" {
	# "cat FILE" runs without a shell: the niceness is cat's own
	run bparx --nice 5 cat /proc/self/stat ::: /dev/null
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | cut -d' ' -f2,19)" = "(cat) 5" ]
}

@test "without --nice jobs keep parx's niceness" {
	run bounded nice -n 3 "$PARX" --mode="$PARX_MODE" "$NICE_JOB" ::: a
	[ "$output" = "3 3 a" ]
}

@test "--nice is clamped to 19" {
	run bparx --nice 40 'cut -d" " -f19 /proc/self/stat' ::: /dev/null
	[ "$output" = 19 ]
}

@test "--nice below parx's own niceness: lowered with privilege, kept without" {
	run bounded nice -n 5 "$PARX" --mode="$PARX_MODE" --nice 2 'cut -d" " -f19 /proc/self/stat' ::: /dev/null
	[ "$status" -eq 0 ]
	if [ "$(id -u)" -eq 0 ]; then
		[ "$output" = 2 ]
	else
		[ "$output" = 5 ]
	fi
}

@test "invalid --nice values are errors" {
	for v in x '' 1.5 5x; do
		run bparx --nice "$v" true ::: 1
		[ "$status" -eq 255 ]
		[ "$output" = "parx: invalid niceness '$v' for --nice: expected a whole number" ]
	done
}

# nice_of PID: the niceness of each thread of PID and of its children.
nice_of() {
	local t c
	for t in /proc/"$1"/task/*; do
		cut -d' ' -f19 "$t/stat" 2>/dev/null
		for c in $(cat "$t/children" 2>/dev/null); do
			cat /proc/"$c"/task/*/stat 2>/dev/null | cut -d' ' -f19
		done
	done
}

@test "--nice applies to --func jobs: their workers run at niceness N" {
	# the job sleeps until parx is stopped
	start_bg --nice 7 -j1 --func sleep {} ::: 60
	local n=500 seen=
	while [ $n -gt 0 ]; do
		if nice_of "$PID" | grep -qx 7; then seen=1; break; fi
		sleep 0.01; n=$((n - 1))
	done
	# parx's own main thread keeps its niceness
	main=$(cut -d' ' -f19 /proc/"$PID"/stat)
	kill -TERM "$PID"
	wait_exit
	[ "$STATUS" -eq 255 ]
	[ -n "$seen" ]
	[ "$main" = 0 ]
}

@test "--load and --memfree hold --func jobs back too" {
	set_load 3.00
	set_mem 1000
	start_bg -k --load 3 --memfree 1M --func echo {} ::: 1 2 3
	readings
	[ ! -s out ]
	set_load 0.50
	readings
	[ ! -s out ]
	set_mem 2000
	wait_exit
	[ "$STATUS" -eq 0 ]
	[ "$(cat out)" = "$(lines 1 2 3)" ]
}

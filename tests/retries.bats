#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
#
# retries: --retries N (N attempts in all) and --delay between starts.

bats_require_minimum_version 1.5.0

load helpers

# A job that fails until its Nth attempt: counts attempts in file a{}.
until_nth() {
	echo "echo x >> a{}; n=\$(wc -l < a{}); echo try\$n; echo err\$n >&2; [ \$n -ge $1 ]"
}

@test "--retries N: a failing job runs N times in all" {
	run bparx --retries 3 'echo x >> a{}; exit 1' ::: j
	[ "$status" -eq 1 ]
	[ "$(wc -l < aj)" -eq 3 ]
}

@test "--retries: a job that succeeds on a later attempt counts as a success" {
	run --separate-stderr bparx --retries 3 "$(until_nth 2)" ::: j
	[ "$status" -eq 0 ]
	[ "$(wc -l < aj)" -eq 2 ]
}

@test "--retries: only the last attempt's output is written" {
	run --separate-stderr bparx --retries 3 "$(until_nth 3)" ::: j
	[ "$status" -eq 0 ]
	[ "$output" = try3 ]
	[ "$stderr" = err3 ]
	run --separate-stderr bparx --retries 2 'echo x >> b{}; echo try$(wc -l < b{}); exit 1' ::: j
	[ "$status" -eq 1 ]
	[ "$output" = try2 ]
}

@test "--retries 1 and no --retries: one attempt" {
	run bparx --retries 1 'echo x >> a{}; exit 1' ::: j
	[ "$status" -eq 1 ]
	[ "$(wc -l < aj)" -eq 1 ]
	run bparx 'echo x >> b{}; exit 1' ::: j
	[ "$status" -eq 1 ]
	[ "$(wc -l < bj)" -eq 1 ]
}

@test "--retries 0: no limit" {
	run --separate-stderr bparx --retries 0 "$(until_nth 7)" ::: j
	[ "$status" -eq 0 ]
	[ "$(wc -l < aj)" -eq 7 ]
}

@test "--retries keeps the sequence number, {#} and -k order" {
	run --separate-stderr bparx -k -j2 --retries 3 \
	    "echo x >> a{}; [ {} = b ] && [ \$(wc -l < a{}) -lt 3 ] && exit 1; echo {} {#} \$PARALLEL_SEQ" ::: a b c
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 'a 1 1' 'b 2 2' 'c 3 3')" ]
}

@test "--retries: the job log has the last attempt only" {
	run --separate-stderr bparx --retries 3 --joblog log "$(until_nth 2)" ::: j
	[ "$status" -eq 0 ]
	[ "$(tail -n +2 log | wc -l)" -eq 1 ]
	[ "$(tail -n +2 log | cut -f 1,6,7 | tr '\t' ,)" = "1,5,0" ]
}

@test "--retries with --line-buffer and -u: every attempt's lines pass" {
	run --separate-stderr bparx -u --retries 2 'echo x >> a{}; echo try$(wc -l < a{}); exit 1' ::: j
	[ "$output" = "$(lines try1 try2)" ]
	run --separate-stderr bparx --lb --retries 2 'echo x >> b{}; echo try$(wc -l < b{}); exit 1' ::: j
	[ "$output" = "$(lines try1 try2)" ]
}

@test "--retries: a job killed by a signal is retried too" {
	run bparx --retries 2 'echo x >> a{}; [ $(wc -l < a{}) -ge 2 ] || kill -9 $$' ::: j
	[ "$status" -eq 0 ]
	[ "$(wc -l < aj)" -eq 2 ]
}

@test "--retries: once --halt soon stops parx, failed jobs are not retried" {
	# f uses its 5 attempts and halts parx; j was running and fails after
	# that (it waits for f's record in the log): no second attempt
	run --separate-stderr bparx -j2 --retries 5 --joblog log --halt soon,fail=1 \
	    'echo x >> a{}; if [ {} = j ]; then
		until [ "$(tail -n +2 log | wc -l)" -ge 1 ]; do sleep 0.01; done
	    fi; exit 1' ::: j f k
	[ "$status" -eq 1 ]
	[ "$(wc -l < af)" -eq 5 ]
	[ "$(wc -l < aj)" -eq 1 ]
	[ ! -e ak ]
}

@test "invalid --retries values are errors" {
	for v in '' x -1 1.5 1234567890; do
		run bparx --retries "$v" true ::: 1
		[ "$status" -eq 255 ] || { echo "accepted: $v"; return 1; }
		[ "$output" = "parx: invalid number of runs '$v' for --retries: expected a whole number up to 999999999 (0: no limit)" ]
	done
}

# --delay

@test "--delay: every job still runs, in order of start" {
	run bparx -k -j4 --delay 0.05 'echo {}; echo {} >> started' ::: 1 2 3 4
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 1 2 3 4)" ]
	[ "$(tr '\n' ' ' < started)" = "1 2 3 4 " ]
}

@test "--delay: job starts are at least the delay apart" {
	run bparx -j4 --delay 0.3 --joblog log true ::: 1 2 3
	[ "$status" -eq 0 ]
	tail -n +2 log | sort -n | cut -f 3 | awk '
	    NR > 1 && $1 - prev < 0.29 { bad = 1 } { prev = $1 } END { exit bad }'
}

@test "--delay: the first job starts at once, with or without other jobs" {
	run bparx --delay 1h echo ::: only
	[ "$status" -eq 0 ]
	[ "$output" = only ]
}

@test "--delay takes durations; invalid ones are errors" {
	run bparx --delay 0.01s true ::: 1 2
	[ "$status" -eq 0 ]
	for v in '' x -1 1x; do
		run bparx --delay "$v" true ::: 1
		[ "$status" -eq 255 ] || { echo "accepted: $v"; return 1; }
		[ "$output" = "parx: invalid duration '$v' for --delay: expected seconds (1.5, 2m, 1h30m...)" ]
	done
}

@test "--retries with --func: N attempts, the output of the last one only" {
	run --separate-stderr bparx --func sleep --retries 3 --joblog log ::: x 0
	[ "$status" -eq 1 ]
	[ "$(grep -c "sleep: invalid number 'x'" <<< "$stderr")" -eq 1 ]
	[ "$(tail -n +2 log | sort -n | cut -f 1,7,9)" = "$(printf '1\t1\tsleep x\n2\t0\tsleep 0')" ]
}

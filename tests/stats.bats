#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
#
# stats: --stats (the summary on stderr), --stats-json FILE (the same as
# JSON) and --events FILE (one JSON object per finished job), for shell
# commands and for --func jobs, and their errors.
#
# The figures measured (times, CPU, memory) vary from run to run: the tests
# check what is exact (job and failure counts, seqs, exit statuses, bytes
# out) and what must hold whatever the timing (non-negative figures,
# p50 <= p95 <= max, workers within 1..-j).

bats_require_minimum_version 1.5.0

load helpers

# check_stats_text FILE JOBS FAILED: the last 5 lines of FILE are a --stats
# summary of this mode's run of JOBS jobs, FAILED of them failed, with
# consistent figures.
check_stats_text() {
	tail -n 5 "$1" > summary
	python3 - summary "$PARX_MODE" "$2" "$3" <<-'EOF'
	import re, sys
	f, mode, jobs, failed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
	lines = open(f).read().split("\n")
	assert lines[-1] == "" and len(lines) == 6, lines
	num = r"([0-9]+\.[0-9]+)"
	pats = [
	    r"parx: (\w+) mode: ([0-9]+) jobs, ([0-9]+) failed, %s s wall, %s jobs/s" % (num, num),
	    r"  parx:     user %s s  sys %s s  peak RSS ([0-9]+) KiB  context switches ([0-9]+)\+([0-9]+)" % (num, num),
	    r"  jobs:     user %s s  sys %s s  largest RSS ([0-9]+) KiB  context switches ([0-9]+)\+([0-9]+)" % (num, num),
	    r"  runtime:  p50 %s ms  p95 %s ms  max %s ms" % (num, num, num),
	    r"  dispatch: %s us per job \(the slots' time no job used\)" % num,
	]
	m = []
	for line, pat in zip(lines, pats):
	    g = re.fullmatch(pat, line)
	    assert g, "%r does not match %r" % (line, pat)
	    m.append(g.groups())
	assert m[0][0] == mode, m[0]
	assert int(m[0][1]) == jobs, ("jobs", m[0][1], jobs)
	assert int(m[0][2]) == failed, ("failed", m[0][2], failed)
	assert float(m[0][3]) >= 0, "wall time"
	assert int(m[1][2]) > 0, "parx peak RSS"
	for g in m[1:3]:
	    assert float(g[0]) >= 0 and float(g[1]) >= 0, g
	p50, p95, pmax = map(float, m[3])
	assert 0 <= p50 <= p95 <= pmax, m[3]
	assert float(m[4][0]) >= 0
	EOF
}

# stats_json FILE JOBS FAILED [FIELD OP VALUE]...: FILE is valid JSON, a
# --stats-json object for this mode with JOBS jobs, FAILED failed, the
# documented keys, consistent figures, and each FIELD OP VALUE holding
# (OP one of == >= > <=).
stats_json() {
	python3 - "$PARX_MODE" "$@" <<-'EOF'
	import json, operator, sys
	mode, f, jobs, failed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
	o = json.load(open(f))
	keys = ["mode", "jobs", "failed", "wall_s", "jobs_per_s", "parx_user_s",
	    "parx_sys_s", "parx_rss_kb", "jobs_user_s", "jobs_sys_s",
	    "job_max_rss_kb", "runtime_p50_ms", "runtime_p95_ms",
	    "runtime_max_ms", "runtime_sum_s", "slots", "dispatch_us", "parx_vcsw", "parx_ivcsw",
	    "jobs_vcsw", "jobs_ivcsw", "digest"]
	assert sorted(o) == sorted(keys), sorted(set(o) ^ set(keys))
	assert o["mode"] == mode, o["mode"]
	assert o["jobs"] == jobs, ("jobs", o["jobs"], jobs)
	assert o["failed"] == failed, ("failed", o["failed"], failed)
	for k in keys:
	    if k not in ("mode", "digest"):
	        assert isinstance(o[k], (int, float)) and o[k] >= 0, (k, o[k])
	for k in ("jobs", "failed", "parx_rss_kb", "job_max_rss_kb", "parx_vcsw",
	    "parx_ivcsw", "jobs_vcsw", "jobs_ivcsw"):
	    assert isinstance(o[k], int), (k, o[k])
	assert o["wall_s"] > 0 and o["parx_rss_kb"] > 0, o
	assert o["runtime_p50_ms"] <= o["runtime_p95_ms"] <= o["runtime_max_ms"], o
	ops = {"==": operator.eq, ">=": operator.ge, ">": operator.gt, "<=": operator.le}
	rest = sys.argv[5:]
	for i in range(0, len(rest), 3):
	    k, op, v = rest[i:i + 3]
	    val = eval(k, {}, o)
	    assert ops[op](val, float(v)), "%s = %r, not %s %s" % (k, val, op, v)
	EOF
}

# check_events FILE J SEQ:EXIT:SIGNAL:BYTES...: FILE has one JSON object
# per line, one per job; the seqs are exactly those given (1..N), each
# with its exit status, signal and bytes out (- for any); worker within
# 1..J; mode this mode; the start a time of this run (after $T0); runtime,
# CPU and memory non-negative.
check_events() {
	python3 - "$PARX_MODE" "$T0" "$@" <<-'EOF'
	import json, sys, time
	mode, t0, f, j = sys.argv[1], float(sys.argv[2]), sys.argv[3], int(sys.argv[4])
	want = {}
	for w in sys.argv[5:]:
	    seq, ex, sig, by = w.split(":")
	    want[int(seq)] = (int(ex), int(sig), None if by == "-" else int(by))
	text = open(f).read()
	assert text.endswith("\n"), "no newline at the end"
	lines = text[:-1].split("\n")
	assert len(lines) == len(want), ("lines", len(lines), "jobs", len(want))
	seen = {}
	now = time.time()
	for line in lines:
	    e = json.loads(line)
	    for k in ("seq", "worker", "mode", "start", "runtime", "exit",
	        "signal", "user", "sys", "maxrss", "bytes_out", "outcome", "args"):
	        assert k in e, (k, line)
	    assert e["seq"] not in seen, ("seq twice", e["seq"])
	    seen[e["seq"]] = e
	    assert e["mode"] == mode, line
	    assert 1 <= e["worker"] <= j, ("worker", line)
	    assert t0 - 1 <= e["start"] <= now + 1, ("start", t0, now, line)
	    for k in ("runtime", "user", "sys", "maxrss"):
	        assert e[k] >= 0, (k, line)
	    ex, sig, by = want[e["seq"]]
	    assert (e["exit"], e["signal"]) == (ex, sig), ("exit/signal", (ex, sig), line)
	    if by is not None:
	        assert e["bytes_out"] == by, ("bytes_out", by, line)
	assert sorted(seen) == list(range(1, len(want) + 1)), sorted(seen)
	EOF
}

setup_more() {
	T0=$(date +%s.%N)
}

# --stats

@test "--stats: the summary on stderr counts jobs and failures (commands)" {
	bparx -j2 --stats 'echo out{}; exit {}' ::: 0 1 0 3 0 > out 2> err &&
	    status=0 || status=$?
	[ "$status" -eq 2 ]
	[ "$(sort out)" = "$(lines out0 out0 out0 out1 out3)" ]
	[ "$(wc -l < err)" -eq 5 ]
	check_stats_text err 5 2
}

@test "--stats: the summary on stderr counts jobs and failures (--func)" {
	bparx -j2 --stats --func sleep ::: 0 x 0 y 0 0 > out 2> err &&
	    status=0 || status=$?
	[ "$status" -eq 2 ]
	[ ! -s out ]
	# the jobs' own messages, then the summary
	[ "$(head -n 2 err | sort)" = "$(lines "sleep: invalid number 'x'" "sleep: invalid number 'y'")" ]
	[ "$(wc -l < err)" -eq 7 ]
	check_stats_text err 6 2
}

@test "--stats: plugin functions, all failing" {
	need_plugin
	bparx -j2 --stats --func "$PARX_PLUGIN:fail" ::: 1 2 3 > out 2> err &&
	    status=0 || status=$?
	[ "$status" -eq 3 ]
	[ ! -s out ]
	[ "$(wc -l < err)" -eq 5 ]
	check_stats_text err 3 3
}

@test "--stats: a run with no jobs" {
	bparx --stats echo < /dev/null > out 2> err && status=0 || status=$?
	[ "$status" -eq 0 ]
	[ ! -s out ]
	[ "$(wc -l < err)" -eq 5 ]
	check_stats_text err 0 0
}

# --stats-json

@test "--stats-json: valid JSON with consistent figures (commands)" {
	run bparx -j2 --stats-json s.json 'echo {}; exit {}' ::: 0 1 2 0
	[ "$status" -eq 2 ]
	# nothing on stderr without --stats
	[ "$(echo "$output" | sort)" = "$(lines 0 0 1 2)" ]
	python3 -c 'import json,sys; json.load(open(sys.argv[1]))' s.json
	stats_json s.json 4 2 job_max_rss_kb '>' 0
}

@test "--stats-json: valid JSON with consistent figures (--func)" {
	run bparx -j2 --stats-json s.json --func echo ::: a b c
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | sort)" = "$(lines a b c)" ]
	python3 -c 'import json,sys; json.load(open(sys.argv[1]))' s.json
	# a function has no memory of its own (parx(1))
	stats_json s.json 3 0 job_max_rss_kb == 0
}

@test "--stats-json: the functions' CPU time is counted for the jobs" {
	# spin uses that much CPU time of its thread: 2 x 30 ms at least
	run bparx -j2 --stats-json s.json --func spin ::: 30 30
	[ "$status" -eq 0 ]
	stats_json s.json 2 0 'jobs_user_s + jobs_sys_s' '>=' 0.055
}

@test "--stats-json with --stats: both, with the same counts" {
	need_plugin
	bparx --stats --stats-json s.json --func "$PARX_PLUGIN:fail" ::: 0 4 0 > out 2> err &&
	    status=0 || status=$?
	[ "$status" -eq 1 ]
	check_stats_text err 3 1
	stats_json s.json 3 1
}

# --events

@test "--events: one object per job, exit statuses and bytes out (commands)" {
	run bparx -j3 --events ev 'head -c {} /dev/zero; exit $(( {} % 4 ))' ::: 0 1 5 100 4097 70001
	[ "$status" -eq 4 ]
	check_events ev 3 1:0:0:0 2:1:0:1 3:1:0:5 4:0:0:100 5:1:0:4097 6:1:0:70001
}

@test "--events: a command killed by a signal" {
	run bparx -j2 --events ev 'echo x; [ {} = 1 ] || kill -s {} $$' ::: 1 TERM KILL
	[ "$status" -eq 2 ]
	check_events ev 2 1:0:0:2 2:0:15:2 3:0:9:2
}

@test "--events: -k and --tag do not change what is counted" {
	run bparx -k -j2 --tag --events ev 'printf %s {}' ::: abc de
	[ "$status" -eq 0 ]
	check_events ev 2 1:0:0:3 2:0:0:2
}

@test "--events: one object per job, bytes out (--func echo)" {
	long=$(printf 'x%.0s' $(seq 5000))
	run bparx -j2 --events ev --func echo ::: '' a 'bb cc' "$long"
	[ "$status" -eq 0 ]
	check_events ev 2 1:0:0:1 2:0:0:2 3:0:0:6 4:0:0:5001
}

@test "--events: exit statuses of functions (plugin fail)" {
	need_plugin
	run bparx -j2 --events ev --func "$PARX_PLUGIN:fail" ::: 0 3 255 0 7
	[ "$status" -eq 3 ]
	check_events ev 2 1:0:0:0 2:3:0:0 3:255:0:0 4:0:0:0 5:7:0:0
}

@test "--events: many function jobs, seqs 1..N exactly once" {
	seq 3000 > in
	bparx -j2 --events ev --func echo :::: in > out
	args=()
	for i in $(seq 3000); do args+=("$i:0:0:$(( ${#i} + 1 ))"); done
	check_events ev 2 "${args[@]}"
}

@test "--events: each job's outcome and arguments (cut, valid UTF-8)" {
	long=$(printf 'y%.0s' {1..300})
	run bparx -j2 --timeout 5 --events ev '{}' ::: 'exit 3' 'kill -s TERM $$' \
	    'true "$1"' "true '$long'" $'true \'\xff\t"\\\''
	[ "$status" -eq 2 ]
	make_bad_shell
	PARALLEL_SHELL=$PWD/badsh bparx --events ev2 'echo {}' ::: a b \
	    2> /dev/null || true
	python3 - "$long" <<-'EOF'
	import json, sys
	ev = {}
	for line in open("ev", encoding="utf-8"):
	    e = json.loads(line)
	    ev[e["seq"]] = (e["outcome"], e["args"])
	cut = ("true '" + sys.argv[1])[:256] + "\u2026"
	want = {1: ("failed", "exit 3"), 2: ("killed", "kill -s TERM $$"),
	    3: ("ok", 'true "$1"'), 4: ("ok", cut),
	    5: ("ok", "true '\ufffd\t\"\\'")}
	assert ev == want, (ev, want)
	ev2 = [json.loads(l) for l in open("ev2")]
	assert sorted((e["outcome"], e["args"], e["exit"]) for e in ev2) == \
	    [("not run", "a", 126), ("not run", "b", 126)], ev2
	EOF
}

@test "--events with --stats-json: the same jobs" {
	run bparx -j2 --events ev --stats-json s.json 'exit {}' ::: 0 2 0
	[ "$status" -eq 1 ]
	check_events ev 2 1:0:0:0 2:2:0:0 3:0:0:0
	stats_json s.json 3 1
}

@test "process mode: --events reports a crashed function like a killed command" {
	need_plugin
	[ "$PARX_MODE" = process ] || skip "process mode only: in thread mode a crash ends parx"
	bparx -j1 --events ev --func "$PARX_PLUGIN:crash_on" 2 ::: 1 2 3 \
	    > out 2> err && status=0 || status=$?
	[ "$status" -eq 1 ]
	[ "$(cat out)" = "$(lines 1 3)" ]
	[[ $(cat err) == "parx: job 2 (--func "*" 2 2) crashed with SIGSEGV" ]]
	check_events ev 1 1:0:0:2 2:0:11:0 3:0:0:2
}

# Errors

@test "an unwritable --stats-json path: exit 255, one line, no job run" {
	run bparx --stats-json nodir/s.json 'touch ran{}' ::: 1 2
	[ "$status" -eq 255 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" = *nodir/s.json* ]]
	[ -z "$(ls -d ran* 2>/dev/null)" ]
	[ ! -e nodir ]
}

@test "an unwritable --events path: exit 255, one line, no job run" {
	run bparx --events nodir/ev 'touch ran{}' ::: 1 2
	[ "$status" -eq 255 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" = *nodir/ev* ]]
	[ -z "$(ls -d ran* 2>/dev/null)" ]
}

@test "a directory as --events: exit 255, one line, no job run" {
	mkdir d
	run bparx --events d 'touch ran{}' ::: 1 2
	[ "$status" -eq 255 ]
	[ "${#lines[@]}" -eq 1 ]
	[ -z "$(ls -d ran* 2>/dev/null)" ]
}

@test "an unwritable path with --func: exit 255, one line, no function run" {
	echo data > f
	run bparx --stats-json nodir/s.json --func gzip ::: f
	[ "$status" -eq 255 ]
	[ "${#lines[@]}" -eq 1 ]
	[ "$(cat f)" = data ]
	[ ! -e f.gz ]
	run bparx --events nodir/ev --func gzip ::: f
	[ "$status" -eq 255 ]
	[ "${#lines[@]}" -eq 1 ]
	[ "$(cat f)" = data ]
	[ ! -e f.gz ]
}

@test "--events -, --stats-json -, --timeline -: standard output, no file named -" {
	run --separate-stderr bparx -j1 --events - 'echo out{}' ::: 1 2
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 4 ]
	[ "$(grep -c '^out[12]$' <<< "$output")" -eq 2 ]
	[ "$(grep -c '^{"seq":[12],' <<< "$output")" -eq 2 ]
	run --separate-stderr bparx --stats-json - 'echo out{}' ::: 1
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = out1 ]
	python3 -c 'import json, sys; o = json.loads(sys.argv[1]); assert o["jobs"] == 1, o' "${lines[1]}"
	run --separate-stderr bparx --timeline - true ::: 1
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = '<?xml version="1.0" encoding="UTF-8"?>' ]
	[ ! -e ./- ]
}

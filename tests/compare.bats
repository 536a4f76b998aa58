#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
#
# compare: --compare runs the workload in process mode and in thread mode
# itself (a warm-up and --runs N measured runs per mode), checks that the
# output and exit statuses are identical, and prints a table and a verdict.
#
# --compare chooses the modes of its runs, so these tests do not depend on
# PARX_MODE (the --mode the parx function adds is dropped); they run under
# both modes all the same.  They stay cheap: few jobs, --runs 1 or 2.

load helpers

# check_report FILE RUNS JOBS J: FILE is a --compare report of RUNS runs
# per mode of JOBS jobs at -jJ: header, why the runs stopped, the
# identical/DIFFER line, a blank line, the table header, a row for every
# figure, a blank line, the verdict and the CPU/memory line.  Prints
# "identical STATUS" or "differ", then the verdict line.
check_report() {
	python3 - "$@" <<-'EOF'
	import os, re, sys
	f, runs, jobs, j = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
	text = open(f, encoding="utf-8").read()
	assert text.endswith("\n"), "no newline at the end"
	ls = text[:-1].split("\n")
	assert re.fullmatch(r"parx --compare: %d runs? per mode after a warm-up, "
	    r"%d jobs per run, -j%d" % (runs, jobs, j), ls[0]), ls[0]
	assert re.fullmatch(r"runs stopped: (as --runs says|the 95% interval "
	    r"was within 5%|the time budget \(--compare-time\) was spent|"
	    r"the most runs it makes \(100\))", ls[1]), ls[1]
	m = re.fullmatch(r"output and exit statuses: identical in all %d runs "
	    r"\(exit status ([0-9]+)\)" % (2 * (runs + 1)), ls[2])
	if m:
	    result = "identical " + m.group(1)
	else:
	    assert ls[2].startswith("output and exit statuses: DIFFER between runs"), ls[2]
	    result = "differ"
	assert ls[3] == "", ls[3]
	assert re.fullmatch(r"\s+process\s+thread\s+thr/proc", ls[4]), ls[4]
	assert ls[-3] == "", ls[-3]
	rows = ls[5:-3]
	figures = [r"wall time \(s\)", r"jobs/s", r"CPU per job \(us\)",
	    r"dispatch per job \(us\)", r"parx user CPU", r"parx sys CPU",
	    r"parx peak RSS", r"jobs user CPU", r"jobs sys CPU",
	    r"largest job RSS", r"job runtime p50", r"job runtime p95",
	    r"job runtime max", r"parx voluntary switches",
	    r"parx involuntary switches", r"jobs voluntary switches",
	    r"jobs involuntary switches"]
	num = r"[0-9]+(?:\.[0-9]+)?"
	row = r"(\S.*?)\s+(%s) ± (%s)\s+(%s) ± (%s)\s+(%s|-)" % (num, num, num, num, num)
	vals = {}
	for r in rows:
	    g = re.fullmatch(row, r)
	    assert g, "bad row %r" % r
	    vals[g.group(1)] = g.groups()[1:]
	labels = list(vals)
	assert len(labels) == len(figures), labels
	for fig, label in zip(figures, labels):
	    assert re.match(fig + r"( \(|$)", label), (fig, label)
	# jobs/s is the jobs over the wall time: its ratio is the inverse
	w, js = vals["wall time (s)"], vals["jobs/s"]
	if w[4] != "-" and js[4] != "-":
	    wr, jr = float(w[4]), float(js[4])
	    assert abs(jr - 1 / wr) <= 0.0051 + 0.0051 / wr ** 2, (w, js)
	winner = r"(thread|process) mode is ([0-9.]+) ± ([0-9.]+) times faster " \
	    r"\(95% CI ([0-9.]+)–([0-9.]+), ([0-9]+) runs? each\)"
	nodiff = r"no clear difference: the difference is within the noise " \
	    r"\(process/thread wall time ([0-9.]+), 95% CI ([0-9.]+)–([0-9.]+), " \
	    r"([0-9]+) runs? each\)"
	few = r"no verdict: %d runs? each are too few to tell a difference " \
	    r"from noise \(5 each at least\)" % runs
	v = ls[-2]
	if runs < 5:
	    assert re.fullmatch(few, v), v
	else:
	    g = re.fullmatch(winner, v)
	    if g:
	        lo, hi = float(g.group(4)), float(g.group(5))
	        assert 1 < lo <= float(g.group(2)) <= hi, v
	        assert int(g.group(6)) == runs, v
	    else:
	        g = re.fullmatch(nodiff, v)
	        assert g, v
	        assert float(g.group(2)) <= 1 <= float(g.group(3)), v
	assert re.fullmatch(r"thread mode used ([0-9.]+ × the CPU and [0-9.]+ × "
	    r"the memory of process mode \(medians\)|[0-9.]+ × the memory of "
	    r"process mode \(medians; too little CPU to compare\))", ls[-1]), ls[-1]
	print(result)
	print(v)
	EOF
}

# check_warning FILE TIMES: FILE is the one-line warning that the workload
# runs TIMES times and jobs with side effects repeat them.
check_warning() {
	[ "$(wc -l < "$1")" -eq 1 ] || { cat "$1"; return 1; }
	grep -E "^parx: warning: .*--compare.* $2 times.*side effects" "$1"
}

@test "--compare: report structure, identical output, exit 0 (--func)" {
	bparx --compare --runs 1 -j2 --func echo ::: a b c > out 2> err &&
	    status=0 || status=$?
	[ "$status" -eq 0 ]
	[ "$(check_report out 1 3 2| head -1)" = "identical 0" ]
	check_warning err 4
}

@test "--compare: report structure, identical output, exit 0 (commands, --runs 2)" {
	bparx --compare --runs 2 -j2 'echo {}' ::: a b > out 2> err &&
	    status=0 || status=$?
	[ "$status" -eq 0 ]
	[ "$(check_report out 2 2 2| head -1)" = "identical 0" ]
	check_warning err 6
}

@test "--compare: a row for every --stats figure, the jobs' context switches too" {
	bparx --compare --runs 1 -j2 'echo {}' ::: a b > out 2> err &&
	    status=0 || status=$?
	[ "$status" -eq 0 ]
	[ "$(check_report out 1 2 2 | head -1)" = "identical 0" ]
}

@test "--compare: the jobs' output is not written" {
	bparx --compare --runs 1 -j1 'echo job-output-{}; echo job-error-{} >&2' ::: 1 2 > out 2> err &&
	    status=0 || status=$?
	[ "$status" -eq 0 ]
	! grep -q job- out || false
	! grep -q job- err || false
	[ "$(check_report out 1 2 1| head -1)" = "identical 0" ]
}

@test "--compare: failing jobs with identical results still exit 0" {
	bparx --compare --runs 1 -j2 'exit {}' ::: 0 3 0 > out 2> err &&
	    status=0 || status=$?
	[ "$status" -eq 0 ]
	[ "$(check_report out 1 3 2| head -1)" = "identical 1" ]
}

@test "--compare: the jobs run as many times as the warning says" {
	bparx --compare --runs 2 -j1 'echo {} >> ran' ::: a b > out 2> err &&
	    status=0 || status=$?
	[ "$status" -eq 0 ]
	check_warning err 6
	[ "$(sort ran | uniq -c | awk '{ print $1, $2 }')" = "$(lines '6 a' '6 b')" ]
}

@test "--compare: output that differs between runs (\$PARALLEL_PID): DIFFER, exit 1" {
	bparx --compare --runs 1 -j2 'echo $PARALLEL_PID {}' ::: a b > out 2> err &&
	    status=0 || status=$?
	[ "$status" -eq 1 ]
	[ "$(check_report out 1 2 2| head -1)" = differ ]
	check_warning err 4
}

@test "--compare: output that differs between runs (date +%N): DIFFER, exit 1" {
	bparx --compare --runs 1 -j1 'date +%N; : {}' ::: a > out 2> err &&
	    status=0 || status=$?
	[ "$status" -eq 1 ]
	[ "$(check_report out 1 1 1| head -1)" = differ ]
}

@test "--compare: an exit status that differs between runs: DIFFER, exit 1" {
	# the first run fails, the others succeed; no output at all
	bparx --compare --runs 1 -j1 '[ -e flag ] || { : > flag; exit 1; }; : {}' ::: a > out 2> err &&
	    status=0 || status=$?
	[ "$status" -eq 1 ]
	[ "$(check_report out 1 1 1| head -1)" = differ ]
}

@test "--compare: stdin is read once and every run gets all of it" {
	# the producer runs once; each of the 4 runs sees the 3 items
	{ echo x >> produced; seq 3; } |
	    bparx --compare --runs 1 -j1 'echo {} >> ran; echo {}' > out 2> err &&
	    status=0 || status=$?
	[ "$status" -eq 0 ]
	[ "$(cat produced)" = x ]
	[ "$(check_report out 1 3 1| head -1)" = "identical 0" ]
	[ "$(sort ran | uniq -c | awk '{ print $1, $2 }')" = "$(lines '4 1' '4 2' '4 3')" ]
}

@test "--compare: stdin as -a - and as :::: -" {
	seq 3 | bparx --compare --runs 1 -j1 -a - 'echo {} >> ran1' > out 2> err
	[ "$(check_report out 1 3 1| head -1)" = "identical 0" ]
	[ "$(sort ran1 | uniq -c | awk '{ print $1, $2 }')" = "$(lines '4 1' '4 2' '4 3')" ]
	seq 2 | bparx --compare --runs 1 -j1 'echo {1}{2} >> ran2' :::: - ::: a > out 2> err
	[ "$(check_report out 1 2 1| head -1)" = "identical 0" ]
	[ "$(sort ran2 | uniq -c | awk '{ print $1, $2 }')" = "$(lines '4 1a' '4 2a')" ]
}

@test "--compare-json (and --stats-json with --compare): every run's figures" {
	local opt
	for opt in --compare-json --stats-json; do
		bparx --compare --runs 3 -j2 $opt c.json --func echo ::: a b c > out 2> err &&
		    status=0 || status=$?
		[ "$status" -eq 0 ]
		python3 - c.json <<-'EOF'
		import json, sys
		o = json.load(open(sys.argv[1]))
		assert list(o) == ["levels"] and len(o["levels"]) == 1, o
		l = o["levels"][0]
		assert l["jobs"] == 0 and l["identical"] is True, l
		assert l["stopped"] == "as --runs says", l
		r = l["ratio"]
		assert r["ci95"][0] <= r["process_over_thread"] <= r["ci95"][1], r
		for mode in ("process", "thread"):
		    assert l[mode]["lost"] is None, l[mode]
		    runs = l[mode]["runs"]
		    assert isinstance(runs, list) and len(runs) == 3, (mode, runs)
		    for x in runs:
		        assert x["mode"] == mode, x
		        assert x["jobs"] == 3 and x["failed"] == 0 and x["slots"] == 2, x
		        assert x["runtime_p50_ms"] <= x["runtime_p95_ms"] <= x["runtime_max_ms"], x
		        for k in ("wall_s", "jobs_per_s", "parx_user_s", "parx_sys_s",
		            "parx_rss_kb", "jobs_user_s", "jobs_sys_s", "dispatch_us",
		            "runtime_sum_s"):
		            assert x[k] >= 0, (k, x)
		EOF
		[ "$(check_report out 3 3 2 | head -1)" = "identical 0" ]
	done
}

@test "--compare-json: DIFFER is \"identical\": false" {
	bparx --compare --runs 1 -j1 --compare-json c.json 'echo $PARALLEL_PID {}' ::: a > out 2> err &&
	    status=0 || status=$?
	[ "$status" -eq 1 ]
	python3 - c.json <<-'EOF'
	import json, sys
	l = json.load(open(sys.argv[1]))["levels"][0]
	assert l["identical"] is False, l
	assert len(l["process"]["runs"]) == 1 and len(l["thread"]["runs"]) == 1, l
	EOF
}

# cstat_ref A... -- B...: the bootstrap the man page describes, written
# again in Python: xorshift64* from the seed 0x9E3779B97F4A7C15, 4000
# resamples, A's draws then B's, ratios of medians, the 2.5% and 97.5%
# points of the sorted ratios.  Prints what test-tool cstat prints.
cstat_ref() {
	python3 - "$@" <<-'EOF'
	import sys
	args = sys.argv[1:]
	k = args.index("--")
	a, b = [float(x) for x in args[:k]], [float(x) for x in args[k + 1:]]
	M = (1 << 64) - 1
	state = 0x9E3779B97F4A7C15
	def rnd():
	    global state
	    x = state
	    x ^= x >> 12; x ^= (x << 25) & M; x ^= x >> 27
	    state = x
	    return (x * 0x2545F4914F6CDD1D) & M
	def median(v):
	    s = sorted(v); n = len(s)
	    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2
	def spread(v):
	    s = sorted(v); n = len(s)
	    def q(p):
	        pos = p * (n - 1); i = int(pos); f = pos - i
	        return s[i] + f * (s[i + 1] - s[i]) if i + 1 < n else s[-1]
	    return (q(0.75) - q(0.25)) / 2
	for name, v in (("a", a), ("b", b)):
	    print("median %s %.6f" % (name, median(v)))
	    print("spread %s %.6f" % (name, spread(v)))
	rs = []
	for _ in range(4000):
	    ra = median([a[rnd() % len(a)] for _ in a])
	    rb = median([b[rnd() % len(b)] for _ in b])
	    if rb > 0:
	        rs.append(ra / rb)
	mean = sum(rs) / len(rs)
	sd = (sum((x - mean) ** 2 for x in rs) / (len(rs) - 1)) ** 0.5
	rs.sort()
	import math
	lo = rs[int(math.floor(0.025 * len(rs)))]
	hi = rs[max(int(math.ceil(0.975 * len(rs))) - 1, 0)]
	print("ratio %.6f %.6f %.6f %.6f" % (median(a) / median(b), sd, lo, hi))
	print("tight %d" % (lo > 0 and hi / lo <= 1.05))
	EOF
}

@test "compare statistics: medians, spreads and the bootstrap interval on fixed samples" {
	# no spread at all: the ratio is exact and so is its interval
	run "$PARX_TEST_TOOL" cstat 1 1 1 -- 0.5 0.5 0.5
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 'median a 1.000000' 'spread a 0.000000' \
	    'median b 0.500000' 'spread b 0.000000' \
	    'ratio 2.000000 0.000000 2.000000 2.000000' 'tight 1')" ]
	# medians of odd and even counts; half the interquartile range
	run "$PARX_TEST_TOOL" cstat 3 1 2 -- 4 1 3 2
	[ "${lines[0]}" = "median a 2.000000" ]
	[ "${lines[1]}" = "spread a 0.500000" ]
	[ "${lines[2]}" = "median b 2.500000" ]
	[ "${lines[3]}" = "spread b 0.750000" ]
	# separated samples: the interval lies inside [min a/max b, max a/min b]
	# and leaves out 1
	run "$PARX_TEST_TOOL" cstat 10 11 12 13 14 -- 5 5.5 6 6.5 7
	[ "${lines[4]%% *}" = ratio ]
	read -r _ r sd lo hi <<< "${lines[4]}"
	[ "$r" = 2.000000 ]
	python3 -c "import sys; lo, hi = $lo, $hi; assert 10/7 <= lo < 2 < hi <= 14/5, (lo, hi)"
	# overlapping samples: the interval holds 1
	run "$PARX_TEST_TOOL" cstat 1 2 3 4 5 -- 1.5 2.5 3.5 4.5 5.5
	read -r _ r sd lo hi <<< "${lines[4]}"
	python3 -c "import sys; lo, hi = $lo, $hi; assert lo < 1 < hi, (lo, hi)"
	# a median of zero has no ratio
	run "$PARX_TEST_TOOL" cstat 1 2 -- 0 0 0 1
	[ "${lines[4]}" = "ratio none" ]
}

@test "compare statistics: the bootstrap is the one the man page describes, to the digit" {
	local s
	for s in "10 11 12 13 14 -- 5 5.5 6 6.5 7" "1 2 3 4 5 -- 1.5 2.5 3.5 4.5 5.5" \
	    "0.31 0.29 0.35 0.30 0.33 0.41 -- 0.15 0.16 0.15 0.17 0.22 0.14 0.15" \
	    "1 1 1 1 0 -- 2 2 2 3"; do
		run "$PARX_TEST_TOOL" cstat $s
		[ "$status" -eq 0 ]
		[ "$output" = "$(cstat_ref $s)" ]
	done
}

@test "--compare: without --runs, at least 5 runs each, until the interval is tight or the budget spent" {
	bparx --compare --compare-time 0.5 -j2 --func echo ::: a b c > out 2> err &&
	    status=0 || status=$?
	[ "$status" -eq 0 ]
	n=$(sed -n '1s/^parx --compare: \([0-9]*\) runs per mode.*/\1/p' out)
	[ "$n" -ge 5 ]
	[ "$(check_report out "$n" 3 2 | head -1)" = "identical 0" ]
	grep -Eq '^runs stopped: (the 95% interval was within 5%|the time budget \(--compare-time\) was spent|the most runs it makes \(100\))$' out
	grep -Eq "^parx: warning: --compare runs the whole workload many times \(a warm-up and 5 to 100 measured runs per mode, within about 0 s\)" err ||
	    grep -Eq "^parx: warning: --compare runs the whole workload many times \(a warm-up and 5 to 100 measured runs per mode, within about 1 s\)" err
}

@test "--compare: a function that crashes: process mode completes, thread mode's run is lost, exit 1" {
	[ -n "$PARX_PLUGIN" ] || skip "PARX_PLUGIN is not set"
	no_tsan_process_crash
	bparx --compare --runs 3 -j2 --func "$PARX_PLUGIN:crash_on" 3 ::: 1 2 3 4 > out 2> err &&
	    status=0 || status=$?
	[ "$status" -eq 1 ]
	[ "$(sed -n 3p out)" = "output and exit statuses: only one mode has them (exit status 1)" ]
	# every row: process figures, "lost" for thread, no ratio
	[ "$(sed -n '6,22p' out | grep -cE '^.{26} +[0-9.]+ ± [0-9.]+ +lost +-$')" -eq 17 ]
	[ "$(sed -n 24p out)" = "thread mode's run was lost: parx was killed by SIGSEGV (signal 11) (\"parx: job 3 (--func $PARX_PLUGIN:crash_on 3 3) crashed with SIGSEGV, which ends parx in thread mode; --mode=process contains crashes to their job\")." ]
	[ "$(sed -n 25p out)" = "process mode completed every run: 4 jobs, 1 failed (a crash in a worker process fails only its job; in thread mode it ends the whole run)" ]
	[ "$(wc -l < out)" -eq 25 ]
}

@test "--compare -j 1,4: a table per level, the scaling table, and what bounds the workload" {
	bparx --compare --runs 3 -j 1,4 'sleep 0.2; : {}' ::: 1 2 3 4 > out 2> err &&
	    status=0 || status=$?
	[ "$status" -eq 0 ]
	[ "$(grep -c '^parx --compare: 3 runs per mode after a warm-up, 4 jobs per run, -j[14]$' out)" -eq 2 ]
	grep -q '^scaling, medians (speedup over -j1; efficiency = speedup / (j/1); CPUs = CPU time / wall time):$' out
	grep -Eq '^ +-j +process s +speedup +eff +CPUs +thread s +speedup +eff +CPUs +verdict$' out
	grep -Eq '^ +1 +[0-9.]+ +1\.00 +100% +[0-9.]+ +[0-9.]+ +1\.00 +100% +[0-9.]+  ' out
	grep -Eq '^ +4 +[0-9.]+ +[0-9.]+ +[0-9]+% +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9]+% +[0-9.]+  ' out
	# sleeping jobs: four slots are about four times as fast as one, in
	# both modes, with little CPU: bound by waiting (on a machine of up
	# to 2 CPUs, where the speedup goes past the CPUs)
	if [ "$(nproc)" -le 2 ]; then
		grep -q '^bound: waiting-bound: the speedup goes on past the [12] CPUs' out
	fi
	check_warning err 16
}

@test "--compare -j 1,2: the runs' -j is each level's, the user's list is not passed on" {
	bparx --compare --runs 1 -j 1,2 'echo $PARALLEL_JOBSLOT {} >> slots' ::: a b c d > out 2> err &&
	    status=0 || status=$?
	# 2 levels x 2 modes x 2 runs: -j1 runs use slot 1 only
	[ "$(sort -u slots | awk '{ print $1 }' | sort -u | tr '\n' ' ')" = "1 2 " ]
	[ "$(grep -c '^parx --compare: 1 run per mode after a warm-up, 4 jobs per run, -j[12]$' out)" -eq 2 ]
}

@test "a list of job counts without --compare, and bad lists: one line, exit 255" {
	run bparx -j 1,2 echo ::: a
	[ "$status" -eq 255 ]
	[ "${lines[0]}" = "parx: a list of job counts (-j 1,2) goes with --compare only" ]
	run bparx --compare -j 1,x echo ::: a
	[ "$status" -eq 255 ]
	[ "${lines[0]}" = "parx: invalid number of jobs 'x' in --jobs/-j '1,x': expected a list such as 1,2,4,8" ]
	run bparx --runs 3 echo ::: a
	[ "$status" -eq 255 ]
	[ "${lines[0]}" = "parx: --runs, --compare-time and --compare-json go with --compare" ]
	run bparx --compare --compare-time x echo ::: a
	[ "$status" -eq 255 ]
	[[ "${lines[0]}" = *compare-time* ]]
}

@test "--compare --dry-run: an error, exit 255, nothing run" {
	run bparx --compare --runs 1 --dry-run 'touch ran{}' ::: 1 2
	[ "$status" -eq 255 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" = *--dry-run* ]]
	[ -z "$(ls -d ran* 2>/dev/null)" ]
}

@test "--compare with an unwritable --stats-json: exit 255, one line, nothing run" {
	run bparx --compare --runs 1 --stats-json nodir/c.json 'touch ran{}' ::: 1 2
	[ "$status" -eq 255 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" = *nodir/c.json* ]]
	[ -z "$(ls -d ran* 2>/dev/null)" ]
}

@test "--compare: an invalid --runs is an error" {
	run bparx --compare --runs 0 echo ::: 1
	[ "$status" -eq 255 ]
	run bparx --compare --runs x echo ::: 1
	[ "$status" -eq 255 ]
	run bparx --compare --runs 101 echo ::: 1
	[ "$status" -eq 255 ]
}

@test "--compare: SIGINT and SIGTERM stop the comparison and the jobs of its run, exit 255" {
	local sig
	for sig in INT TERM; do
		rm -f started pids
		start_bg --compare 'echo $$ >> pids; touch started; sleep 30.5; : {}' ::: 1
		wait_for started
		kill -s "$sig" "$PID"
		wait_exit 10
		[ "$STATUS" -eq 255 ]
		[ "$(tail -1 err)" = "parx: interrupted: the comparison stops" ]
		[ "$(wc -l < pids)" -eq 1 ]
		all_gone pids
		no_processes_left "sleep 30.5"
	done
}

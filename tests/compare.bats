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
# per mode of JOBS jobs at -jJ: header, the identical/DIFFER line, a blank
# line, the table header, a row for every --stats figure, a blank line and
# the verdict.  Prints "identical STATUS" or "differ".
check_report() {
	python3 - "$@" <<-'EOF'
	import os, re, sys
	f, runs, jobs, j = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
	text = open(f, encoding="utf-8").read()
	assert text.endswith("\n"), "no newline at the end"
	ls = text[:-1].split("\n")
	assert re.fullmatch(r"parx --compare: %d runs? per mode after a warm-up, "
	    r"%d jobs per run, -j%d" % (runs, jobs, j), ls[0]), ls[0]
	m = re.fullmatch(r"output and exit statuses: identical in all %d runs "
	    r"\(exit status ([0-9]+)\)" % (2 * (runs + 1)), ls[1])
	if m:
	    result = "identical " + m.group(1)
	else:
	    assert ls[1].startswith("output and exit statuses: DIFFER between runs"), ls[1]
	    result = "differ"
	assert ls[2] == "", ls[2]
	assert re.fullmatch(r"\s+process\s+thread\s+thr/proc", ls[3]), ls[3]
	assert ls[-2] == "", ls[-2]
	rows = ls[4:-2]
	# every --stats figure but the job and failure counts (in the header)
	figures = [r"wall time", r"jobs/s", r"parx user CPU", r"parx sys CPU",
	    r"parx peak RSS", r"jobs user CPU", r"jobs sys CPU",
	    r"largest job RSS", r"job runtime p50", r"job runtime p95",
	    r"job runtime max", r"dispatch per job",
	    r"parx voluntary (context )?switches",
	    r"parx involuntary (context )?switches"]
	# the jobs' context switches (--stats prints them): checked by one
	# test of their own, ALL_FIGURES=1
	jobs_switches = [r"jobs voluntary (context )?switches",
	    r"jobs involuntary (context )?switches"]
	if os.environ.get("ALL_FIGURES"):
	    figures += jobs_switches
	num = r"[0-9]+(\.[0-9]+)?"
	row = r"(\S.*?)\s+(%s) ± (%s)\s+(%s) ± (%s)\s+(%s|-)" % (num, num, num, num, num)
	labels = []
	for r in rows:
	    g = re.fullmatch(row, r)
	    assert g, "bad row %r" % r
	    labels.append(g.group(1))
	for fig in figures:
	    hits = [l for l in labels if re.match(fig + r"\b", l)]
	    assert len(hits) == 1, "figure %r: rows %r (rows: %r)" % (fig, hits, labels)
	if os.environ.get("ALL_FIGURES"):
	    assert len(rows) == len(figures), ("rows", labels)
	v = re.fullmatch(r"(thread|process) mode: ([0-9.]+) ± ([0-9.]+) × faster wall time, "
	    r"([0-9.]+) × the CPU, ([0-9.]+) × the memory", ls[-1])
	assert v, ls[-1]
	if runs == 1:
	    # one pair of runs: the faster mode is faster by a ratio >= 1
	    assert float(v.group(2)) >= 1 and float(v.group(3)) == 0, ls[-1]
	print(result)
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
	[ "$(check_report out 1 3 2)" = "identical 0" ]
	check_warning err 4
}

@test "--compare: report structure, identical output, exit 0 (commands, --runs 2)" {
	bparx --compare --runs 2 -j2 'echo {}' ::: a b > out 2> err &&
	    status=0 || status=$?
	[ "$status" -eq 0 ]
	[ "$(check_report out 2 2 2)" = "identical 0" ]
	check_warning err 6
}

@test "--compare: a row for every --stats figure, the jobs' context switches too" {
	bparx --compare --runs 1 -j2 'echo {}' ::: a b > out 2> err &&
	    status=0 || status=$?
	[ "$status" -eq 0 ]
	[ "$(ALL_FIGURES=1 check_report out 1 2 2)" = "identical 0" ]
}

@test "--compare: the jobs' output is not written" {
	bparx --compare --runs 1 -j1 'echo job-output-{}; echo job-error-{} >&2' ::: 1 2 > out 2> err &&
	    status=0 || status=$?
	[ "$status" -eq 0 ]
	! grep -q job- out || false
	! grep -q job- err || false
	[ "$(check_report out 1 2 1)" = "identical 0" ]
}

@test "--compare: failing jobs with identical results still exit 0" {
	bparx --compare --runs 1 -j2 'exit {}' ::: 0 3 0 > out 2> err &&
	    status=0 || status=$?
	[ "$status" -eq 0 ]
	[ "$(check_report out 1 3 2)" = "identical 1" ]
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
	[ "$(check_report out 1 2 2)" = differ ]
	check_warning err 4
}

@test "--compare: output that differs between runs (date +%N): DIFFER, exit 1" {
	bparx --compare --runs 1 -j1 'date +%N; : {}' ::: a > out 2> err &&
	    status=0 || status=$?
	[ "$status" -eq 1 ]
	[ "$(check_report out 1 1 1)" = differ ]
}

@test "--compare: an exit status that differs between runs: DIFFER, exit 1" {
	# the first run fails, the others succeed; no output at all
	bparx --compare --runs 1 -j1 '[ -e flag ] || { : > flag; exit 1; }; : {}' ::: a > out 2> err &&
	    status=0 || status=$?
	[ "$status" -eq 1 ]
	[ "$(check_report out 1 1 1)" = differ ]
}

@test "--compare: stdin is read once and every run gets all of it" {
	# the producer runs once; each of the 4 runs sees the 3 items
	{ echo x >> produced; seq 3; } |
	    bparx --compare --runs 1 -j1 'echo {} >> ran; echo {}' > out 2> err &&
	    status=0 || status=$?
	[ "$status" -eq 0 ]
	[ "$(cat produced)" = x ]
	[ "$(check_report out 1 3 1)" = "identical 0" ]
	[ "$(sort ran | uniq -c | awk '{ print $1, $2 }')" = "$(lines '4 1' '4 2' '4 3')" ]
}

@test "--compare: stdin as -a - and as :::: -" {
	seq 3 | bparx --compare --runs 1 -j1 -a - 'echo {} >> ran1' > out 2> err
	[ "$(check_report out 1 3 1)" = "identical 0" ]
	[ "$(sort ran1 | uniq -c | awk '{ print $1, $2 }')" = "$(lines '4 1' '4 2' '4 3')" ]
	seq 2 | bparx --compare --runs 1 -j1 'echo {1}{2} >> ran2' :::: - ::: a > out 2> err
	[ "$(check_report out 1 2 1)" = "identical 0" ]
	[ "$(sort ran2 | uniq -c | awk '{ print $1, $2 }')" = "$(lines '4 1a' '4 2a')" ]
}

@test "--compare --stats-json: both modes' runs as JSON" {
	bparx --compare --runs 2 -j2 --stats-json c.json --func echo ::: a b c > out 2> err &&
	    status=0 || status=$?
	[ "$status" -eq 0 ]
	python3 -c 'import json,sys; json.load(open(sys.argv[1]))' c.json
	python3 - c.json <<-'EOF'
	import json, sys
	o = json.load(open(sys.argv[1]))
	assert o["runs"] == 2 and o["identical"] is True, o
	for mode in ("process", "thread"):
	    runs = o[mode]
	    assert isinstance(runs, list) and len(runs) == 2, (mode, runs)
	    for r in runs:
	        assert r["mode"] == mode, r
	        assert r["jobs"] == 3 and r["failed"] == 0, r
	        assert r["runtime_p50_ms"] <= r["runtime_p95_ms"] <= r["runtime_max_ms"], r
	        for k in ("wall_s", "jobs_per_s", "parx_user_s", "parx_sys_s",
	            "parx_rss_kb", "jobs_user_s", "jobs_sys_s", "dispatch_us"):
	            assert r[k] >= 0, (k, r)
	EOF
	[ "$(check_report out 2 3 2)" = "identical 0" ]
}

@test "--compare --stats-json: DIFFER is \"identical\": false" {
	bparx --compare --runs 1 -j1 --stats-json c.json 'echo $PARALLEL_PID {}' ::: a > out 2> err &&
	    status=0 || status=$?
	[ "$status" -eq 1 ]
	python3 - c.json <<-'EOF'
	import json, sys
	o = json.load(open(sys.argv[1]))
	assert o["runs"] == 1 and o["identical"] is False, o
	assert len(o["process"]) == 1 and len(o["thread"]) == 1, o
	EOF
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
}

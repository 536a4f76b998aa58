#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
#
# timeline: --timeline FILE.svg draws a run (one row per job slot, one bar
# per job, coloured by outcome, titled with seq, arguments, runtime and
# exit status, a panel of running jobs), and --plot EVENTS --timeline
# FILE.svg draws the same from a saved --events file.  The pictures must
# be valid XML and render (xmllint, rsvg-convert); bars are counted by
# their class: "job OUTCOME" for a job's own bar, "jobs OUTCOME" for the
# merged bar of jobs thinner than a column.  GNU parallel draws no
# pictures: nothing to compare with.

bats_require_minimum_version 1.5.0

load helpers

setup_more() {
	command -v xmllint >/dev/null || skip "xmllint missing (tests/install-deps)"
	command -v rsvg-convert >/dev/null ||
	    skip "rsvg-convert missing (tests/install-deps)"
}

# svg_ok FILE: valid XML, and rendered to a PNG without a complaint.
svg_ok() {
	xmllint --noout "$1"
	rsvg-convert "$1" -o "$1.png" 2> render.err
	[ ! -s render.err ]
	[ -s "$1.png" ]
}

# bars FILE: one line per bar: its class, a tab, its title with each
# newline made " / ", in the order of the file.
bars() {
	python3 - "$1" <<-'EOF'
	import sys, xml.etree.ElementTree as ET
	ns = "{http://www.w3.org/2000/svg}"
	for r in ET.parse(sys.argv[1]).iter(ns + "rect"):
	    c = r.get("class", "").split()
	    if c and c[0] in ("job", "jobs"):
	        t = r.find(ns + "title")
	        print(" ".join(c) + "\t" + t.text.replace("\n", " / "))
	EOF
}

# job_bars FILE: the "job" bars, each as its class and title without the
# line of times (which depends on where the axis starts), sorted.
job_bars() {
	bars "$1" | grep '^job ' | sed 's| / started at [^/]* / | / |' | sort
}

@test "--timeline: one bar per job, classed and titled by its outcome (commands)" {
	run bparx -j2 --timeline t.svg 'exit {}' ::: 0 3 0 1
	[ "$status" -eq 2 ]
	svg_ok t.svg
	bars t.svg > b
	[ "$(grep -c '^job ' b)" -eq 4 ]
	[ "$(grep -c '^jobs ' b || true)" -eq 0 ]
	job_bars t.svg | sed 's/, slot [12]//' > got
	lines "job failed	seq 2 / args: 3 / exit 3 (failed)" \
	    "job failed	seq 4 / args: 1 / exit 1 (failed)" \
	    "job ok	seq 1 / args: 0 / exit 0" \
	    "job ok	seq 3 / args: 0 / exit 0" > want
	diff want got
}

@test "--timeline: one bar per job (--func sleep), a bad argument failed" {
	# (x fails at once: the job after it must not be that short too, or
	# both would start in one pixel column and be merged.)
	run bparx -j2 --timeline t.svg --func sleep ::: 0.01 0.02 x 0.03
	[ "$status" -eq 1 ]
	[ "$output" = "sleep: invalid number 'x'" ]
	svg_ok t.svg
	job_bars t.svg | sed 's/, slot [12]//' > got
	lines "job failed	seq 3 / args: x / exit 1 (failed)" \
	    "job ok	seq 1 / args: 0.01 / exit 0" \
	    "job ok	seq 2 / args: 0.02 / exit 0" \
	    "job ok	seq 4 / args: 0.03 / exit 0" > want
	diff want got
}

@test "--timeline: killed by a signal, timed out, not run" {
	run bparx -j3 --timeout 2 --timeline t.svg '{}' ::: \
	    'kill -s TERM $$' 'sleep 30' 'true'
	[ "$status" -eq 2 ]
	svg_ok t.svg
	job_bars t.svg | sed 's/, slot [123]//' > got
	lines "job killed	seq 1 / args: kill -s TERM \$\$ / killed by signal 15 (SIGTERM)" \
	    "job killed	seq 2 / args: sleep 30 / timed out (--timeout), exit -1" \
	    "job ok	seq 3 / args: true / exit 0" > want
	diff want got
	# A job whose shell cannot be started never ran.
	make_bad_shell
	PARALLEL_SHELL=$PWD/badsh run bparx --timeline n.svg 'echo {}' ::: a
	[ "$status" -eq 1 ]
	svg_ok n.svg
	[ "$(job_bars n.svg)" = "job notrun	seq 1, slot 1 / args: a / not run: exit 126" ]
}

@test "--timeline: arguments escaped for XML, cleaned and cut to 80 characters" {
	long=$(printf 'x%.0s' {1..100})
	# (jobs of 50 ms: each long enough for a bar of its own)
	bparx -j1 --timeline t.svg 'sleep 0.05 #' ::: 'a<b>&"c"' $'bad\xff\x01' "$long"
	svg_ok t.svg
	job_bars t.svg > got
	lines "job ok	seq 1, slot 1 / args: a<b>&\"c\" / exit 0" \
	    "job ok	seq 2, slot 1 / args: bad$(printf '\xef\xbf\xbd')? / exit 0" \
	    "job ok	seq 3, slot 1 / args: $(printf 'x%.0s' {1..80})$(printf '\xe2\x80\xa6') / exit 0" > want
	diff want got
	grep -q 'a&lt;b&gt;&amp;"c"' t.svg
}

@test "--timeline: one row per slot, a heading, the running jobs' panel" {
	bparx -j3 --timeline t.svg 'sleep 0.{}' ::: 1 2 3 1 2 3 > out
	svg_ok t.svg
	python3 - t.svg "$PARX_MODE" <<-'EOF'
	import re, sys, xml.etree.ElementTree as ET
	ns = "{http://www.w3.org/2000/svg}"
	root = ET.parse(sys.argv[1]).getroot()
	ys = {}
	for r in root.iter(ns + "rect"):
	    if r.get("class", "").startswith("job "):
	        slot = int(re.search(r"slot (\d+)", r.find(ns + "title").text).group(1))
	        ys.setdefault(slot, set()).add(r.get("y"))
	assert sorted(ys) == [1, 2, 3], ys
	assert all(len(v) == 1 for v in ys.values()), ys
	y = [float(ys[s].pop()) for s in (1, 2, 3)]
	assert y[0] < y[1] < y[2], y
	texts = ["".join(t.itertext()) for t in root.iter(ns + "text")]
	head = texts[0]
	assert head.startswith("parx: %s mode, -j 3, 6 jobs, wall " % sys.argv[2]), head
	assert "running" in texts, texts
	paths = [p for g in root.iter(ns + "g") if g.get("class") == "running"
	    for p in g.iter(ns + "path")]
	assert len(paths) == 1, paths
	EOF
}

@test "--timeline: 100,000 --func echo jobs, merged, under 3 MB" {
	seq 100000 > in
	bparx -j2 --timeline t.svg --func echo :::: in > out
	[ "$(wc -l < out)" -eq 100000 ]
	[ "$(stat -c %s t.svg)" -lt 3000000 ]
	svg_ok t.svg
	# Every job is counted once: in its own bar or in a merged one.
	bars t.svg | python3 -c '
import re, sys
n = 0
for line in sys.stdin:
    cls, title = line.split("\t", 1)
    if cls.startswith("jobs "):
        n += int(re.match(r"([\d,]+) jobs? in slot", title).group(1).replace(",", ""))
    else:
        n += 1
assert n == 100000, n'
}

@test "--timeline: memory does not grow with the number of jobs" {
	measuring_memory
	seq 50000 | bounded /usr/bin/time -o small -f %M "$PARX" \
	    --mode="$PARX_MODE" -j2 --timeline s.svg --func echo > /dev/null
	seq 400000 | bounded /usr/bin/time -o large -f %M "$PARX" \
	    --mode="$PARX_MODE" -j2 --timeline l.svg --func echo > /dev/null
	echo "max RSS: $(cat small) KB, $(cat large) KB"
	svg_ok l.svg
	# 350,000 more jobs: 2 MB of slack is under 6 bytes a job
	[ "$(cat large)" -le $(( $(cat small) + 2048 )) ]
}

@test "--plot: a saved --events file gives the bars of --timeline" {
	run bparx -j2 --events ev --timeline live.svg '{}' ::: 'exit 4' \
	    'sleep 0.1' 'echo "<x>"' 'kill -s KILL $$'
	[ "$status" -eq 2 ]
	run bparx --plot ev --timeline saved.svg
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	svg_ok saved.svg
	job_bars live.svg > live
	job_bars saved.svg > saved
	[ "$(wc -l < live)" -eq 4 ]
	diff live saved
	grep -q 'first start to the last end' saved.svg
}

@test "--plot: the same bars for --func jobs" {
	run bparx -j2 --events ev --timeline live.svg --func sleep ::: 0.05 y 0.02
	[ "$status" -eq 1 ]
	bparx --plot ev --timeline saved.svg
	svg_ok saved.svg
	job_bars live.svg > live
	job_bars saved.svg > saved
	[ "$(wc -l < live)" -eq 3 ]
	diff live saved
}

@test "--plot twice: both runs on one time axis, each with its bars" {
	bparx -j2 --events ev1 'sleep 0.2; exit {}' ::: 0 1 > out || true
	bparx -j3 --events ev2 --func sleep ::: 0.05 0.05 0.05 > out
	bparx --plot ev1 --plot ev2 --timeline both.svg
	svg_ok both.svg
	[ "$(job_bars both.svg | wc -l)" -eq 5 ]
	python3 - both.svg "$PARX_MODE" <<-'EOF'
	import sys, xml.etree.ElementTree as ET
	ns = "{http://www.w3.org/2000/svg}"
	root = ET.parse(sys.argv[1]).getroot()
	texts = ["".join(t.itertext()) for t in root.iter(ns + "text")]
	assert texts[0] == "parx --plot: 2 runs on one time axis", texts[0]
	m = sys.argv[2]
	assert any(t.startswith("ev1: %s mode, -j 2, 2 jobs, " % m) for t in texts), texts
	assert any(t.startswith("ev2: %s mode, -j 3, 3 jobs, " % m) for t in texts), texts
	panels = [g for g in root.iter(ns + "g") if g.get("class") == "running"]
	assert len(panels) == 2, panels
	# One time axis: the 0.05 s jobs end left of the 0.2 s ones.
	right = {}
	for r in root.iter(ns + "rect"):
	    if r.get("class", "").startswith("job "):
	        t = r.find(ns + "title").text
	        right[t.split("\n")[1]] = float(r.get("x")) + float(r.get("width"))
	assert max(right["args: 0.05"] for _ in [0]) < min(right["args: 0"], right["args: 1"]), right
	EOF
}

@test "--plot: reads standard input, skips blank lines" {
	bparx -j2 --events ev 'exit {}' ::: 0 1 > out || true
	{ echo; cat ev; echo; } | bparx --plot - --timeline saved.svg
	svg_ok saved.svg
	[ "$(job_bars saved.svg | wc -l)" -eq 2 ]
}

@test "--plot: an events file without outcome and args (older parx)" {
	printf '%s\n' \
	    '{"seq":1,"worker":1,"mode":"thread","start":100.5,"runtime":0.25,"exit":0,"signal":0}' \
	    '{"seq":2,"worker":2,"mode":"thread","start":100.5,"runtime":0.5,"exit":0,"signal":9}' \
	    '{"seq":3,"worker":1,"mode":"thread","start":100.75,"runtime":0.25,"exit":2,"signal":0,"x":[1,{"y":null}]}' > ev
	bparx --plot ev --timeline t.svg
	svg_ok t.svg
	job_bars t.svg > got
	lines "job failed	seq 3, slot 1 / args: (none) / exit 2 (failed)" \
	    "job killed	seq 2, slot 2 / args: (none) / killed by signal 9 (SIGKILL)" \
	    "job ok	seq 1, slot 1 / args: (none) / exit 0" > want
	diff want got
	grep -q 'parx: thread mode, -j 2, 3 jobs, 500.00 ms from the first start' t.svg
}

# plot_refuses MESSAGE LINE...: --plot of a file of these lines fails with
# exit 255 and the one line "parx: MESSAGE".
plot_refuses() {
	local want=$1
	shift
	printf '%s\n' "$@" > ev
	run bparx --plot ev --timeline t.svg
	[ "$status" -eq 255 ]
	[ "$output" = "parx: $want" ]
}

@test "--plot: times out of all proportion are drawn, within 31 years" {
	printf '%s\n' \
	    '{"seq":1,"worker":1,"start":1e308,"runtime":1e308,"exit":0,"signal":0}' \
	    '{"seq":2,"worker":1,"start":-1e308,"runtime":1e308,"exit":0,"signal":0}' > ev
	BOUND=20 bparx --plot ev --timeline t.svg
	svg_ok t.svg
	[ "$(job_bars t.svg | wc -l)" -eq 2 ]
}

@test "--plot: a bad line is an error naming its number, exit 255" {
	local good='{"seq":1,"worker":1,"start":1,"runtime":0,"exit":0,"signal":0'
	plot_refuses "bad line 2 in 'ev': expected a JSON object" "$good}" 'not json'
	plot_refuses "bad line 1 in 'ev': no \"signal\"" \
	    '{"seq":1,"worker":1,"start":1,"runtime":0,"exit":0}'
	plot_refuses "bad line 1 in 'ev': text after the object" "$good} x"
	plot_refuses "bad line 3 in 'ev': a string does not end" "$good}" '' \
	    "$good,\"args\":\"a"
	plot_refuses "bad line 1 in 'ev': a value out of range" \
	    '{"seq":1.5,"worker":1,"start":1,"runtime":0,"exit":0,"signal":0}'
	plot_refuses "bad line 1 in 'ev': an unknown outcome" "$good,\"outcome\":\"meh\"}"
}

@test "--plot: a missing events file, an unwritable picture: one line, exit 255" {
	run bparx --plot nosuch --timeline t.svg
	[ "$status" -eq 255 ]
	[ "$output" = "parx: cannot read 'nosuch': No such file or directory" ]
	: > ev
	run bparx --plot ev --timeline no/such/dir/t.svg
	[ "$status" -eq 255 ]
	[ "$output" = "parx: cannot write 'no/such/dir/t.svg': No such file or directory" ]
}

@test "--plot: needs --timeline, takes no command" {
	: > ev
	run bparx --plot ev
	[ "$status" -eq 255 ]
	[ "${lines[0]}" = "parx: --plot needs --timeline FILE.svg: where to draw 'ev'" ]
	run bparx --plot ev --timeline t.svg echo ::: a
	[ "$status" -eq 255 ]
	[ "${lines[0]}" = "parx: --plot draws a saved run: it takes no command, function or input" ]
}

@test "--timeline: an unwritable file is an error before any job runs" {
	run bparx --timeline no/such/dir/t.svg echo ::: a
	[ "$status" -eq 255 ]
	[ "$output" = "parx: cannot write 'no/such/dir/t.svg': No such file or directory" ]
}

@test "--timeline: a picture that cannot be written at the end is one line" {
	[ -w /dev/full ] || skip "no /dev/full"
	run --separate-stderr bparx --timeline /dev/full 'exit {}' ::: 0 3
	[ "$status" -eq 1 ]
	[ "$stderr" = "parx: cannot write '/dev/full': No space left on device" ]
}

@test "--timeline: not with --dry-run or --compare" {
	run bparx --dry-run --timeline t.svg echo ::: a
	[ "$status" -eq 255 ]
	[ "${lines[0]}" = "parx: --timeline cannot be combined with --dry-run: no job runs" ]
	[ ! -e t.svg ]
	run bparx --compare --timeline t.svg echo ::: a
	[ "$status" -eq 255 ]
	[ "${lines[0]}" = "parx: --timeline draws one run, not the runs of --compare (--compare-report draws them)" ]
}

# --compare-report

@test "--compare-report: both modes' warm-up runs, one section each" {
	mkdir tmp
	TMPDIR=$PWD/tmp run bparx --compare --runs 1 --compare-report r.svg -j2 \
	    'sleep 0.0{}; exit {}' ::: 0 1 2
	[ "$status" -eq 0 ]
	svg_ok r.svg
	# Each section: the three jobs, their outcomes and arguments.
	job_bars r.svg | sed 's/, slot [12]//' | sort | uniq -c |
	    sed 's/^ *//' > got
	lines "2 job failed	seq 2 / args: 1 / exit 1 (failed)" \
	    "2 job failed	seq 3 / args: 2 / exit 2 (failed)" \
	    "2 job ok	seq 1 / args: 0 / exit 0" > want
	diff want got
	grep -q '>warm-up run: process mode, -j 2, 3 jobs, ' r.svg
	grep -q '>warm-up run: thread mode, -j 2, 3 jobs, ' r.svg
	# Under the heading, the verdict as --compare printed it.
	grep -q '>no verdict: 1 run each are too few to tell a difference from noise (5 each at least)<' r.svg
	grep -q '^no verdict: 1 run each are too few' <<< "$output"
	# The events files it drew from are gone.
	[ -z "$(ls tmp)" ]
}

@test "--compare-report with -j 1,2: a section per mode and level" {
	run bparx --compare --runs 1 --compare-report r.svg -j 1,2 \
	    --func sleep ::: 0.01 0.02
	[ "$status" -eq 0 ]
	svg_ok r.svg
	[ "$(job_bars r.svg | wc -l)" -eq 8 ]
	[ "$(grep -c '>warm-up run at -j [12]: [a-z]* mode, ' r.svg)" -eq 4 ]
	grep -q '>-j 1: no verdict: ' r.svg
	grep -q '>-j 2: no verdict: ' r.svg
	# the speedup chart: a point per mode and level, titled with its
	# speedup (1.00 at the first level), the ideal dashed
	grep -q '>speedup over -j 1 (medians of the measured runs)<' r.svg
	[ "$(grep -c '<circle .*<title>[a-z]* mode, -j [12]: speedup [0-9.]*</title></circle>' r.svg)" -eq 4 ]
	[ "$(grep -c '<title>[a-z]* mode, -j 1: speedup 1.00</title>' r.svg)" -eq 2 ]
	[ "$(grep -c 'stroke-dasharray' r.svg)" -eq 1 ]
}

@test "--compare-report without -j LIST: no speedup chart" {
	run bparx --compare --runs 1 --compare-report r.svg -j2 --func echo ::: a b
	[ "$status" -eq 0 ]
	svg_ok r.svg
	! grep -q 'speedup over' r.svg || false
	! grep -q '<circle' r.svg || false
}

@test "--compare-report: an unwritable file fails before any run; only with --compare" {
	run bparx --compare --compare-report no/such/r.svg echo ::: a
	[ "$status" -eq 255 ]
	[ "$output" = "parx: cannot write 'no/such/r.svg': No such file or directory" ]
	run bparx --compare-report r.svg echo ::: a
	[ "$status" -eq 255 ]
	[ "${lines[0]}" = "parx: --compare-report draws the runs of --compare: it goes with --compare" ]
	[ ! -e r.svg ]
}

@test "--compare-report: a run lost to a crashing function is drawn as far as it went" {
	need_plugin
	no_tsan_process_crash
	run bparx --compare --runs 1 --compare-report r.svg -j1 \
	    --func "$PARX_PLUGIN:crash_on" 2 ::: 1 2 3
	[ "$status" -eq 1 ]
	svg_ok r.svg
	grep -q '>warm-up run: process mode, -j 1, 3 jobs, ' r.svg
	grep -q ">thread mode's run was lost: parx was killed by SIGSEGV (signal 11) " r.svg
	# Thread mode's run ends at the crash: its first job's event was
	# written, unless the crash came before parx flushed it.
	grep -Eq '>warm-up run \(lost\): thread mode(, -j 1, 1 job, |: no job recorded<)' r.svg
	job_bars r.svg > got
	grep -q '^job killed	seq 2, slot 1 / args: 2 / killed by signal 11 (SIGSEGV)$' got
	[ "$(grep -c '^job ok	seq [13], slot 1' got)" -ge 2 ]
}

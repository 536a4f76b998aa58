#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
# GNU parallel's extras, what they cost over the plain run: {= perl =}
# against {} (jobs that run, then the expressions alone under --dry-run),
# --plus strings against {.}, and sem's start-up against GNU parallel's.
# Every run's output is checked.
#
#   BENCH_JOBS=N      jobs that run, for {= =} (default 20000)
#   BENCH_ARGS=N      arguments under --dry-run (default 100000)
#   BENCH_GNU_ARGS=N  GNU parallel's --dry-run share of them (default
#                     10000: it takes about 3 ms a job)
#   BENCH_SEMS=N      sem calls in a row (default 20)
. "$(dirname "$0")/lib.sh"
ROUNDS=${BENCH_ROUNDS:-5}
JOBS=${BENCH_JOBS:-20000}
N=${BENCH_ARGS:-100000}
GN=${BENCH_GNU_ARGS:-10000}
SEMS=${BENCH_SEMS:-20}
gnu() { have parallel && [ -z "${BENCH_NO_GNU:-}" ]; }

seq "$JOBS" | sed 's/^/a/' >"$BENCH_TMP/jobs"
seq "$N" | sed 's/^/a/' >"$BENCH_TMP/args"
head -n "$GN" "$BENCH_TMP/args" >"$BENCH_TMP/gargs"
# /bin/echo, not the shell's: the jobs run without a shell.
sum() { echo "| md5sum | grep -q $(sed "$1" "$2" | md5sum | cut -c1-32)"; }

echo "== $JOBS jobs, /bin/echo {} against /bin/echo '{= s/a/b/ =}' (median" \
    "of $ROUNDS rounds; PARALLEL_SHELL=$PARALLEL_SHELL)"
same=$(sum '' "$BENCH_TMP/jobs")
changed=$(sum 's/^a/b/' "$BENCH_TMP/jobs")
bench_add "parx {}" "$PARX -k /bin/echo {} < $BENCH_TMP/jobs $same"
bench_add "parx {= s:a:b: =}" "$PARX -k /bin/echo '{= s/a/b/ =}' < $BENCH_TMP/jobs $changed"
bench_add "parx --mode=thread {= =}" "$PARX --mode=thread -k /bin/echo '{= s/a/b/ =}' < $BENCH_TMP/jobs $changed"
if gnu; then
	bench_add "GNU parallel {= s:a:b: =}" "parallel -k /bin/echo '{= s/a/b/ =}' < $BENCH_TMP/jobs $changed"
fi
bench_run "$ROUNDS"
bench_report "parx {}"

bench_reset
echo
echo "== $N arguments, --dry-run: what making the commands costs (median of" \
    "$ROUNDS rounds; GNU parallel on the first $GN only)"
bench_add "parx {}" "$PARX --dry-run -k echo {} < $BENCH_TMP/args $(sum 's/^/echo /' "$BENCH_TMP/args")"
bench_add "parx {= s:a:b: =}" "$PARX --dry-run -k echo '{= s/a/b/ =}' < $BENCH_TMP/args $(sum 's/^a/echo b/' "$BENCH_TMP/args")"
bench_add "parx -X {= s:a:b: =}" "$PARX -X -j1 echo '{= s/a/b/ =}' < $BENCH_TMP/args | tr ' ' '\n' $(sum 's/^a/b/' "$BENCH_TMP/args")"
bench_add "parx {.}" "$PARX --dry-run -k echo {.} < $BENCH_TMP/args $(sum 's/^/echo /' "$BENCH_TMP/args")"
bench_add "parx --plus {..}" "$PARX --plus --dry-run -k echo {..} < $BENCH_TMP/args $(sum 's/^/echo /' "$BENCH_TMP/args")"
bench_add "parx --plus {:1:2}" "$PARX --plus --dry-run -k echo {:1:2} < $BENCH_TMP/args $(sum 's/^a\(..\).*/echo \1/; s/^a\(.\)$/echo \1/' "$BENCH_TMP/args")"
if gnu; then
	bench_add "GNU {= =} ($GN args)" "parallel --dry-run -k echo '{= s/a/b/ =}' < $BENCH_TMP/gargs $(sum 's/^a/echo b/' "$BENCH_TMP/gargs")"
fi
bench_run "$ROUNDS"
bench_report "parx {}"

bench_reset
echo
echo "== $SEMS sem calls in a row, each running true (median of $ROUNDS rounds)"
export PARALLEL_HOME=$BENCH_TMP/home
mkdir -p "$PARALLEL_HOME"
ln -sf "$PARX" "$BENCH_TMP/sem"
bench_add "parx sem" "for i in \$(seq $SEMS); do $BENCH_TMP/sem --id bench --fg true || exit 1; done"
if gnu && have sem; then
	bench_add "GNU sem" "for i in \$(seq $SEMS); do sem --id bench --fg true || exit 1; done"
fi
bench_run "$ROUNDS"
bench_report "parx sem"

#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
# 5000 x `true` at -j2, and 2000 x `echo {} >/dev/null` at -j2: the cost of
# starting jobs, against xargs -P, GNU parallel and the posix_spawn floor.
. "$(dirname "$0")/lib.sh"
N=${BENCH_N:-5000}
ROUNDS=${BENCH_ROUNDS:-5}
seq "$N" >"$BENCH_TMP/in"
cc -O2 -pthread -o "$BENCH_TMP/floor" "$(dirname "$0")/floor.c"

echo "== $N x true, -j2 (median of $ROUNDS interleaved rounds; PARALLEL_SHELL=$PARALLEL_SHELL)"
bench_add floor "$BENCH_TMP/floor 2 /bin/true < $BENCH_TMP/in"
bench_add "xargs -P2 -n1" "xargs -P2 -n1 true < $BENCH_TMP/in"
bench_add "parx --mode=process" "$PARX --mode=process -j2 true < $BENCH_TMP/in"
bench_add "parx --mode=thread" "$PARX --mode=thread -j2 true < $BENCH_TMP/in"
if have parallel && [ -z "${BENCH_NO_GNU:-}" ]; then
	bench_add "GNU parallel" "parallel -j2 true < $BENCH_TMP/in"
fi
bench_run "$ROUNDS"
bench_report "xargs -P2 -n1"

bench_reset
M=${BENCH_M:-2000}
seq "$M" >"$BENCH_TMP/in2"
echo
echo "== $M x 'echo {} >/dev/null', -j2"
bench_add "xargs -P2 sh -c" "xargs -P2 -I{} sh -c 'echo {} >/dev/null' < $BENCH_TMP/in2"
bench_add "parx --mode=process" "$PARX --mode=process -j2 'echo {} >/dev/null' < $BENCH_TMP/in2"
bench_add "parx --mode=thread" "$PARX --mode=thread -j2 'echo {} >/dev/null' < $BENCH_TMP/in2"
if have parallel && [ -z "${BENCH_NO_GNU:-}" ]; then
	bench_add "GNU parallel" "parallel -j2 'echo {} >/dev/null' < $BENCH_TMP/in2"
fi
bench_run "$ROUNDS"
bench_report "xargs -P2 sh -c"

# Start-up: the fixed cost of a run, one job and ten, as a script pays it
# when it calls the executor in a loop.  Each contender runs R times in a
# row; the per-run figure is the median wall time / R.
bench_reset
R=${BENCH_STARTS:-200}
GR=${BENCH_GNU_STARTS:-10}
loop() { echo "i=0; while [ \$i -lt $1 ]; do $2; i=\$((i + 1)); done"; }
echo
echo "== start-up: $R runs of one job (true ::: 1) and of ten, -j2 (GNU parallel: $GR runs)"
bench_add "xargs, 1 job" "$(loop "$R" "echo 1 | xargs true")"
bench_add "parx process, 1 job" "$(loop "$R" "$PARX --mode=process true ::: 1")"
bench_add "parx thread, 1 job" "$(loop "$R" "$PARX --mode=thread true ::: 1")"
bench_add "xargs -P2, 10 jobs" "$(loop "$R" "seq 10 | xargs -P2 -n1 true")"
bench_add "parx process, 10 jobs" "$(loop "$R" "$PARX --mode=process -j2 true ::: 1 2 3 4 5 6 7 8 9 10")"
bench_add "parx thread, 10 jobs" "$(loop "$R" "$PARX --mode=thread -j2 true ::: 1 2 3 4 5 6 7 8 9 10")"
if have parallel && [ -z "${BENCH_NO_GNU:-}" ]; then
	bench_add "GNU parallel, 1 job" "$(loop "$GR" "parallel true ::: 1")"
fi
bench_run "$ROUNDS"
bench_report "xargs, 1 job"
echo "per run, ms:"
for name in "${BENCH_NAMES[@]}"; do
	case $name in GNU*) r=$GR ;; *) r=$R ;; esac
	printf '  %-28s %8.2f\n' "$name" \
	    "$(awk -v w="$(median "$BENCH_TMP/$name.times" 1)" -v n="$r" 'BEGIN { print 1000 * w / n }')"
done

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

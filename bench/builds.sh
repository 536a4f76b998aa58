#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
# Two builds of parx side by side, in the same interleaved rounds, on the
# workloads of make bench: did a change make any of them slower?
#
#   PARX_BEFORE=/path/to/old/parx bench/builds.sh
#
# PARX (default build/parx) is "after".  Each table's ratio column is
# against "before" in the same mode; every run's output is checked.
. "$(dirname "$0")/lib.sh"
: "${PARX_BEFORE:?set PARX_BEFORE to the parx binary to compare with}"
ROUNDS=${BENCH_ROUNDS:-7}

# table TITLE CHECK ARGS...: parx ARGS for both builds and modes.
table() {
	local title=$1 check=$2 m
	shift 2
	bench_reset
	echo "== $title (median of $ROUNDS interleaved rounds)"
	for m in process thread; do
		bench_add "before --mode=$m" "$PARX_BEFORE --mode=$m $* $check"
		bench_add "after --mode=$m" "$PARX --mode=$m $* $check"
	done
	bench_run "$ROUNDS"
	bench_report "before --mode=process"
	for m in process thread; do
		printf '%-28s %7.3fx\n' "after/before, $m" "$(awk \
		    -v a="$(median "$BENCH_TMP/after --mode=$m.times" 1)" \
		    -v b="$(median "$BENCH_TMP/before --mode=$m.times" 1)" \
		    'BEGIN { print (b > 0) ? a / b : 0 }')"
	done
	echo
}

seq 5000 >"$BENCH_TMP/in5000"
seq 2000 >"$BENCH_TMP/in2000"
seq 200 >"$BENCH_TMP/in200"
seq 200000 >"$BENCH_TMP/in200k"
seq 1000000 >"$BENCH_TMP/in1m"
head -c 524288 /dev/urandom | base64 -w 76 | head -c 524288 >"$BENCH_TMP/blob"

table "5000 x true, -j2" "" -j2 true "< $BENCH_TMP/in5000"
table "2000 x 'echo {} >/dev/null', -j2" "" -j2 "'echo {} >/dev/null'" \
    "< $BENCH_TMP/in2000"
table "200 x 512 KiB grouped into a pipe, -j2" \
    "| wc -c | grep -qx $((200 * 524288))" -j2 cat "$BENCH_TMP/blob" \
    "< $BENCH_TMP/in200"
table "200 x 512 KiB with -k, -j2" \
    "| wc -c | grep -qx $((200 * 524288))" -k -j2 cat "$BENCH_TMP/blob" \
    "< $BENCH_TMP/in200"
table "200,000 args, -X echo" "| wc -l | grep -qx '[1-9][0-9]*'" -j2 -X echo \
    "< $BENCH_TMP/in200k"
table "1,000,000 x --func echo, -j2" "| wc -l | grep -qx 1000000" -j2 \
    --func echo "< $BENCH_TMP/in1m"

#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
# In-process jobs (--func): the dispatch cost of the two engines, CPU-bound
# scaling, and a real job (gzip) as a function against the gzip command.
. "$(dirname "$0")/lib.sh"
ROUNDS=${BENCH_ROUNDS:-5}
N=${BENCH_FUNC_N:-1000000}
seq "$N" >"$BENCH_TMP/in"

echo "== $N x --func echo, -j2 (median of $ROUNDS rounds)"
bench_add "parx --mode=thread" "$PARX --mode=thread -j2 --func echo < $BENCH_TMP/in"
bench_add "parx --mode=process" "$PARX --mode=process -j2 --func echo < $BENCH_TMP/in"
bench_run "$ROUNDS"
bench_report "parx --mode=thread"
for name in "parx --mode=thread" "parx --mode=process"; do
	printf '%-28s %12.0f jobs/s\n' "$name" \
	    "$(awk -v n="$N" -v w="$(median "$BENCH_TMP/$name.times" 1)" 'BEGIN{print n/w}')"
done

bench_reset
echo
echo "== 200 x --func spin 10 (10 ms of CPU each): -j1 against -j2"
seq 200 | sed 's/.*/10/' >"$BENCH_TMP/spin"
bench_add "thread -j1" "$PARX --mode=thread -j1 --func spin < $BENCH_TMP/spin"
bench_add "thread -j2" "$PARX --mode=thread -j2 --func spin < $BENCH_TMP/spin"
bench_add "process -j1" "$PARX --mode=process -j1 --func spin < $BENCH_TMP/spin"
bench_add "process -j2" "$PARX --mode=process -j2 --func spin < $BENCH_TMP/spin"
bench_run "$ROUNDS"
bench_report "thread -j1"

bench_reset
echo
echo "== gzip of 500 files of 64 KiB: --func gzip against the gzip command, -j2"
mkdir -p "$BENCH_TMP/src"
for i in $(seq 500); do
	head -c 49152 /dev/urandom | base64 >"$BENCH_TMP/src/f$i.log"
done
# Each round compresses a fresh copy (gzip removes its input).
prep="rm -rf $BENCH_TMP/w && cp -r $BENCH_TMP/src $BENCH_TMP/w && cd $BENCH_TMP/w"
bench_add "parx --func gzip, thread" "$prep && $PARX --mode=thread -j2 --func gzip ::: *.log"
bench_add "parx --func gzip, process" "$prep && $PARX --mode=process -j2 --func gzip ::: *.log"
bench_add "parx gzip (command)" "$prep && $PARX -j2 gzip ::: *.log"
bench_add "xargs -P2 gzip" "$prep && printf '%s\\n' *.log | xargs -P2 -n1 gzip"
bench_run "$ROUNDS"
bench_report "parx gzip (command)"
echo "(each gzip row includes the same copy of the 500 files, about 0.05 s)"

bench_reset
echo
echo "== 640 x --func sleep of mixed length (0 to 22 ms), -j64: each slot's share is about 0.11 s"
# A "sleep 0" ending first once queued most of the input behind a few
# workers (2.9 s instead of 0.12 s in one run of five).
seq 640 | awk '{ print 0.001 * ($1 % 23) }' >"$BENCH_TMP/mixed"
bench_add "thread -j64" "$PARX --mode=thread -j64 --func sleep < $BENCH_TMP/mixed"
bench_add "process -j64" "$PARX --mode=process -j64 --func sleep < $BENCH_TMP/mixed"
bench_add "thread -j64 --timeout 10" "$PARX --mode=thread -j64 --timeout 10 --func sleep < $BENCH_TMP/mixed"
bench_run "$ROUNDS"
bench_report "thread -j64 --timeout 10"

#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
# 200 jobs x 512 KiB of output each, grouped, through a pipe: parx in both
# modes against GNU parallel (the only peer that groups and loses nothing).
# Every run's byte count is checked.
. "$(dirname "$0")/lib.sh"
N=${BENCH_JOBS:-200}
ROUNDS=${BENCH_ROUNDS:-5}
head -c 524288 /dev/urandom | base64 -w 76 | head -c 524288 >"$BENCH_TMP/blob"
# Each job is "cat BLOB": its one argument is the file's name.
for i in $(seq "$N"); do echo "$BENCH_TMP/blob"; done >"$BENCH_TMP/in"
want=$((N * 524288))
check="| wc -c | grep -qx $want"
cc -O2 -pthread -o "$BENCH_TMP/floor" "$(dirname "$0")/floor.c"

echo "== $N jobs x 512 KiB, grouped, -j2, into a pipe (median of $ROUNDS rounds;"
echo "   floor: the same cat jobs spawned two at a time, their output interleaved)"
bench_add "floor" "$BENCH_TMP/floor 2 /bin/cat < $BENCH_TMP/in $check"
bench_add "parx --mode=process" "$PARX --mode=process -j2 cat < $BENCH_TMP/in $check"
bench_add "parx --mode=thread" "$PARX --mode=thread -j2 cat < $BENCH_TMP/in $check"
bench_add "parx -k --mode=process" "$PARX -k --mode=process -j2 cat < $BENCH_TMP/in $check"
bench_add "parx -k --mode=thread" "$PARX -k --mode=thread -j2 cat < $BENCH_TMP/in $check"
bench_add "xargs -P2 (interleaves)" "xargs -P2 -n1 cat < $BENCH_TMP/in $check"
if have parallel && [ -z "${BENCH_NO_GNU:-}" ]; then
	bench_add "GNU parallel" "parallel -j2 cat < $BENCH_TMP/in $check"
fi
bench_run "$ROUNDS"
bench_report "floor"

# --line-buffer with one long line: the cost must grow with its length,
# not its square (100 MB and 200 MB without a newline).
bench_reset
for mb in 100 200; do
	tr '\0' x < /dev/zero | head -c "${mb}000000" > "$BENCH_TMP/line$mb"
done
echo
echo "== --line-buffer, one line of 100 MB / 200 MB without a newline (median of $ROUNDS rounds)"
for mb in 100 200; do
	check="| wc -c | grep -qx ${mb}000000"
	bench_add "parx --mode=process $mb MB" "$PARX --mode=process --line-buffer cat ::: $BENCH_TMP/line$mb $check"
	bench_add "parx --mode=thread $mb MB" "$PARX --mode=thread --line-buffer cat ::: $BENCH_TMP/line$mb $check"
	if have parallel && [ -z "${BENCH_NO_GNU:-}" ]; then
		bench_add "GNU parallel $mb MB" "parallel --line-buffer cat ::: $BENCH_TMP/line$mb $check"
	fi
done
bench_run "$ROUNDS"
bench_report "parx --mode=process 100 MB"

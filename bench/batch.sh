#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
# Batching and blocks: 200,000 arguments with -X echo against xargs, and
# --pipe wc -l over 1 GB against GNU parallel's --pipe and --pipe-part.
# Every run's result is checked.
#
#   BENCH_ARGS=N       arguments for -X (default 200000)
#   BENCH_PIPE_MB=N    size of the --pipe input in MB (default 1000)
#   BENCH_BIG_DIR=DIR  where to put it (default /dev/shm, else $TMPDIR)
. "$(dirname "$0")/lib.sh"
ROUNDS=${BENCH_ROUNDS:-5}
N=${BENCH_ARGS:-200000}
MB=${BENCH_PIPE_MB:-1000}
gnu() { have parallel && [ -z "${BENCH_NO_GNU:-}" ]; }

seq "$N" >"$BENCH_TMP/args"
want=$(wc -c <"$BENCH_TMP/args")
check="| wc -c | grep -qx $want"
echo "== $N arguments, -X echo (median of $ROUNDS interleaved rounds;" \
    "PARALLEL_SHELL=$PARALLEL_SHELL)"
bench_add "xargs" "xargs echo < $BENCH_TMP/args $check"
bench_add "parx -X --mode=process" "$PARX --mode=process -X echo < $BENCH_TMP/args $check"
bench_add "parx -X --mode=thread" "$PARX --mode=thread -X echo < $BENCH_TMP/args $check"
bench_add "parx -m -j1" "$PARX -j1 -m echo < $BENCH_TMP/args $check"
if gnu; then
	bench_add "GNU parallel -X" "parallel -X echo < $BENCH_TMP/args $check"
fi
bench_run "$ROUNDS"
bench_report "xargs"

# The 1 GB input lives in memory if it can: the disk is not what is measured.
dir=${BENCH_BIG_DIR:-/dev/shm}
if [ ! -d "$dir" ] || [ ! -w "$dir" ] ||
    [ "$(df -Pk "$dir" | awk 'NR == 2 { print $4 }')" -lt $((MB * 1100)) ]; then
	dir=$BENCH_TMP
fi
big=$(mktemp "$dir/parx-bench-pipe.XXXXXX")
trap 'rm -rf "$BENCH_TMP" "$big"' EXIT
seq 1 $((MB * 150000)) | head -c $((MB * 1000000)) >"$big"
lines=$(wc -l <"$big")
sum="| awk '{ n += \$1 } END { exit n != $lines }'"

bench_reset
echo
echo "== --pipe wc -l over $MB MB ($((lines)) lines, in $dir), -j2," \
    "default blocks (median of $ROUNDS rounds)"
bench_add "wc -l < file (no executor)" "wc -l < $big $sum"
bench_add "parx --pipe < file" "$PARX -j2 --pipe wc -l < $big $sum"
bench_add "parx --pipe --mode=thread" "$PARX --mode=thread -j2 --pipe wc -l < $big $sum"
bench_add "cat file | parx --pipe" "cat $big | $PARX -j2 --pipe wc -l $sum"
bench_add "parx --pipe-part" "$PARX -j2 --pipe-part -a $big wc -l $sum"
bench_add "parx --pipe --block 50M" "$PARX -j2 --pipe --block 50M wc -l < $big $sum"
if gnu; then
	bench_add "GNU parallel --pipe" "parallel -j2 --pipe wc -l < $big $sum"
	bench_add "GNU parallel --pipe-part" "parallel -j2 --pipe-part -a $big wc -l $sum"
	base="GNU parallel --pipe-part"
else
	base="parx --pipe < file"
fi
bench_run "$ROUNDS"
bench_report "$base"

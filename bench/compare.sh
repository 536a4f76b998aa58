#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
# The --compare verdict, repeated: each workload compared BENCH_REPEAT
# times (default 5).  --func echo x 100000 must name thread mode every
# time; 'sleep 0.05' x 100 at -j8 and --func spin 20 x 40 at -j2 must
# never name a winner whose interval holds 1 (the report's own check), and
# should mostly say "no clear difference".  Exits 1 when a verdict is
# wrong.
. "$(dirname "$0")/lib.sh"
REPEAT=${BENCH_REPEAT:-5}
fail=0

# verdicts NAME ARGS...: run parx --compare ARGS REPEAT times, print each
# verdict line, and check that a named winner's interval leaves out 1.
verdicts() {
	local name=$1 i v
	shift
	echo "== $name: $REPEAT x parx --compare $*"
	for i in $(seq "$REPEAT"); do
		v=$("$PARX" --compare "$@" 2>/dev/null | grep -E '^(thread mode is|process mode is|no clear|no verdict)')
		echo "  $v"
		printf '%s\n' "$v" >>"$BENCH_TMP/$name.verdicts"
		if [[ $v =~ faster\ \(95%\ CI\ ([0-9.]+)–([0-9.]+) ]]; then
			awk -v lo="${BASH_REMATCH[1]}" 'BEGIN { exit !(lo > 1) }' ||
			    { echo "  WRONG: a winner whose interval holds 1"; fail=1; }
		fi
	done
}

seq 100000 >"$BENCH_TMP/in"
verdicts echo --func echo -a "$BENCH_TMP/in"
if [ "$(grep -c '^thread mode is' "$BENCH_TMP/echo.verdicts")" -ne "$REPEAT" ]; then
	echo "  WRONG: thread mode was not named faster every time"
	fail=1
fi
# shellcheck disable=SC2046
verdicts sleep -j8 'sleep 0.05; : {}' ::: $(seq 100)
# shellcheck disable=SC2046
verdicts spin -j2 --func spin ::: $(seq 40 | sed 's/.*/20/')
for name in sleep spin; do
	echo "$name: $(grep -c '^no clear' "$BENCH_TMP/$name.verdicts") of $REPEAT no clear difference"
done
exit "$fail"

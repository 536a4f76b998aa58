#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
# parx's own peak RSS must not grow with the number of input lines.
# --dry-run keeps the whole pipeline (input, template, output) but runs
# nothing, so a million lines take seconds; a real run of 20,000 cheap jobs
# is measured too.
. "$(dirname "$0")/lib.sh"
printf '%-34s %10s\n' workload "maxRSS(K)"
for n in 10000 100000 1000000; do
	for mode in process thread; do
		rss=$(seq "$n" | /usr/bin/time -f %M "$PARX" --mode=$mode --dry-run echo {} 2>&1 >/dev/null | tail -n1)
		printf '%-34s %10s\n' "$n lines, dry-run, $mode" "$rss"
	done
done
for mode in process thread; do
	rss=$(seq 20000 | /usr/bin/time -f %M "$PARX" --mode=$mode -j2 true 2>&1 >/dev/null | tail -n1)
	printf '%-34s %10s\n' "20000 jobs, $mode" "$rss"
done
rss=$(seq 20000 | /usr/bin/time -f %M xargs -P2 -n1 true 2>&1 >/dev/null | tail -n1)
printf '%-34s %10s\n' "20000 jobs, xargs -P2" "$rss"

# The whole tree at -j1000 while every slot runs a job: the proportional
# set size (PSS, /proc/PID/smaps_rollup) of parx and of its worker
# processes, summed once all 1000 jobs have started; the jobs themselves
# are not counted.  xargs -P1000 for scale.
pss_tree() {
	local top=$1 want=$2 i n pids p tot=0
	for ((i = 0; i < 200; i++)); do
		ps -e -o pid=,ppid=,comm= >"$BENCH_TMP/ps"
		n=$(awk -v p="$top" '
			$2 == p && $3 != "sleep" { w[$1] = 1 }
			{ pid[NR] = $1; pp[NR] = $2; c[NR] = $3 }
			END { for (k in c) if (c[k] == "sleep" && (pp[k] == p || pp[k] in w)) n++; print n + 0 }' "$BENCH_TMP/ps")
		[ "$n" -ge "$want" ] && break
		sleep 0.1
	done
	pids="$top $(awk -v p="$top" '$2 == p && $3 != "sleep" { print $1 }' "$BENCH_TMP/ps")"
	for p in $pids; do
		tot=$((tot + $(awk '/^Pss:/ { print $2 }' "/proc/$p/smaps_rollup")))
	done
	echo "$tot $n"
}
echo
printf '%-34s %10s\n' "-j1000, 2000 x sleep 6" "PSS(K)"
for mode in process thread; do
	"$PARX" --mode=$mode -j1000 -N0 sleep 6 ::: $(seq 2000) &
	top=$!
	read -r pss n < <(pss_tree $top 1000)
	kill -TERM $top
	wait $top 2>/dev/null
	printf '%-34s %10s\n' "parx, $mode ($n running)" "$pss"
done
seq 2000 | xargs -P1000 -I{} sleep 6 &
top=$!
read -r pss n < <(pss_tree $top 1000)
printf '%-34s %10s\n' "xargs -P1000 ($n running)" "$pss"
wait

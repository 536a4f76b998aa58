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

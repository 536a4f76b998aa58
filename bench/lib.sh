# SPDX-License-Identifier: ISC
# Shared helpers for the benchmarks: run commands in interleaved rounds and
# report medians.  Source it from bash.
#
#   bench_add NAME 'shell command'     register a contender
#   bench_run ROUNDS                   run every contender ROUNDS times,
#                                      interleaved, recording wall/user/sys
#                                      seconds and peak RSS (KiB)
#   bench_report BASE                  print medians and ratios against BASE

set -u
PARX=${PARX:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/build/parx}
BENCH_TMP=$(mktemp -d "${TMPDIR:-/tmp}/parx-bench.XXXXXX")
trap 'rm -rf "$BENCH_TMP"' EXIT
export PARALLEL_SHELL=${PARALLEL_SHELL:-/bin/sh}
mkdir -p ~/.parallel 2>/dev/null && touch ~/.parallel/will-cite 2>/dev/null

BENCH_NAMES=()
declare -A BENCH_CMD

# Forget the contenders and their times, for the next table.
bench_reset() {
	local name
	for name in "${BENCH_NAMES[@]}"; do
		rm -f "$BENCH_TMP/$name.times"
	done
	BENCH_NAMES=()
}

bench_add() {
	BENCH_NAMES+=("$1")
	BENCH_CMD[$1]=$2
}

bench_run() {
	local rounds=$1 r name
	for ((r = 1; r <= rounds; r++)); do
		for name in "${BENCH_NAMES[@]}"; do
			/usr/bin/time -f "%e %U %S %M" -o "$BENCH_TMP/t" \
			    bash -c "${BENCH_CMD[$name]}" >/dev/null 2>"$BENCH_TMP/err" ||
			    { echo "bench: '$name' failed:" >&2; cat "$BENCH_TMP/err" >&2; }
			tail -n 1 "$BENCH_TMP/t" >>"$BENCH_TMP/$name.times"
		done
	done
}

# median FILE COLUMN
median() {
	awk -v c="$2" '{print $c}' "$1" | sort -g |
	    awk '{v[NR]=$1} END {if (NR%2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'
}

# spread FILE COLUMN: (max-min)/2 as a share of the median, in percent
spread() {
	awk -v c="$2" 'NR==1{mn=$c;mx=$c} {if($c<mn)mn=$c; if($c>mx)mx=$c; s[NR]=$c}
	    END {printf "%.0f", (mx-mn)/2}' "$1" >/dev/null
	local m; m=$(median "$1" "$2")
	awk -v c="$2" -v m="$m" 'NR==1{mn=$c;mx=$c} {if($c<mn)mn=$c; if($c>mx)mx=$c}
	    END {if (m > 0) printf "%.0f", 100*(mx-mn)/2/m; else print 0}' "$1"
}

bench_report() {
	local base=$1 name wall user sys rss bw
	bw=$(median "$BENCH_TMP/$base.times" 1)
	printf '%-28s %9s %7s %8s %8s %9s %8s\n' contender "wall(s)" "±%" "user(s)" "sys(s)" "maxRSS(K)" "ratio"
	for name in "${BENCH_NAMES[@]}"; do
		wall=$(median "$BENCH_TMP/$name.times" 1)
		user=$(median "$BENCH_TMP/$name.times" 2)
		sys=$(median "$BENCH_TMP/$name.times" 3)
		rss=$(median "$BENCH_TMP/$name.times" 4)
		printf '%-28s %9.3f %7s %8.2f %8.2f %9d %7.2fx\n' "$name" "$wall" \
		    "$(spread "$BENCH_TMP/$name.times" 1)" "$user" "$sys" "$rss" \
		    "$(awk -v a="$wall" -v b="$bw" 'BEGIN{print (b>0)?a/b:0}')"
		if [ -n "${BENCH_VERBOSE:-}" ]; then
			echo "    walls: $(awk '{printf "%s ", $1}' "$BENCH_TMP/$name.times")"
		fi
	done
}

have() { command -v "$1" >/dev/null 2>&1; }

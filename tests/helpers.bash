# Shared set-up for the bats suite.
#
# Every behavioural test runs parx through the `parx` function below, which
# adds --mode=$PARX_MODE; tests/run-all runs the whole suite once per mode
# (PARX_MODES, default "process thread").  Tests must not depend on the
# mode unless they say so, and must not sleep to order jobs: use the
# file barriers below.

: "${PARX:?set PARX to the parx binary (make test does)}"
: "${PARX_MODE:=process}"

parx() {
	"$PARX" --mode="$PARX_MODE" "$@"
}

# Run a command with a time limit, so a hang fails the test instead of
# blocking the suite.
bounded() {
	timeout -k 5 "${BOUND:-60}" "$@"
}

# parx under a time limit (timeout cannot run the shell function).
bparx() {
	bounded "$PARX" --mode="$PARX_MODE" "$@"
}

# measuring_memory: call first in a test that measures parx's memory.
# AddressSanitizer holds freed memory in a quarantine, to catch uses after
# free, and fills its fake stacks (detect_stack_use_after_return) as calls
# go deeper; both would count as growth.  The test turns them off so that
# the figure is parx's own again.  ThreadSanitizer's shadow memory and
# event history grow with every access, and cannot be turned off: the test
# is skipped there.
measuring_memory() {
	if [ "${PARX_SANITIZER:-}" = tsan ]; then
		skip "ThreadSanitizer's own memory grows with the events it records"
	fi
	if [ "${PARX_SANITIZER:-}" = asan ]; then
		export ASAN_OPTIONS="${ASAN_OPTIONS:-}:quarantine_size_mb=0:thread_local_quarantine_size_kb=0:detect_stack_use_after_return=0"
	fi
}

# lines TEXT...: the words as lines, for comparing with $output.
lines() {
	printf '%s\n' "$@"
}

setup() {
	TMP="$BATS_TEST_TMPDIR"
	cd "$TMP" || return 1
}

# wait_for FILE [SECONDS]: wait until FILE exists (a barrier another job
# creates), failing after SECONDS (default 20).
wait_for() {
	local f=$1 n=$(( ${2:-20} * 100 ))
	while [ ! -e "$f" ] && [ $n -gt 0 ]; do
		sleep 0.01
		n=$((n - 1))
	done
	[ -e "$f" ]
}

# no_processes_left TAG: no process whose command line contains TAG.
no_processes_left() {
	local tag=$1 left
	left=$(pgrep -f -- "$tag" || true)
	[ -z "$left" ] || { echo "left behind: $left"; ps -o pid,ppid,pgid,stat,args -p $left; return 1; }
}

#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
#
# spool: grouped output when the file systems that hold it fill up.  Each
# test runs parx in a private mount namespace whose /dev/shm, /tmp and
# /var/tmp are small tmpfs mounts, so "full" is real and cheap.  Nothing
# may be lost: output moves on to the next place, and when no place has
# room one job's output streams straight through while the others wait.

load helpers

setup_more() {
	[ "$(id -u)" = 0 ] && unshare -m true 2>/dev/null ||
	    skip "needs root and mount namespaces"
}

# in_fs SIZE1 SIZE2 SIZE3 ARGS...: parx ARGS with its spool places
# ($PARX_TEST_SPOOL, standing for /dev/shm, /tmp and /var/tmp) three
# tmpfs mounts of those sizes, in a private mount namespace, and TMPDIR
# unset; stdout to out, stderr to err, the exit status in STATUS.
in_fs() {
	local s1=$1 s2=$2 s3=$3
	shift 3
	mkdir -p p1 p2 p3
	STATUS=0
	timeout -k 5 "${BOUND:-120}" unshare -m sh -c '
	    mount -t tmpfs -o size="$1" tmpfs p1 &&
	    mount -t tmpfs -o size="$2" tmpfs p2 &&
	    mount -t tmpfs -o size="$3" tmpfs p3 || exit 99
	    shift 3
	    exec env -u TMPDIR PARX_TEST_SPOOL="$PWD/p1:$PWD/p2:$PWD/p3" "$@"' \
	    sh "$s1" "$s2" "$s3" "$PARX" --mode="$PARX_MODE" "$@" \
	    > out 2> err || STATUS=$?
}

# The job of these tests: about 2.3 MB of numbered lines on stdout, and
# with ERR set as many on stderr.
job='seq -f "{} out %.0f" 1 250000; [ -z "$ERR" ] || seq -f "{} err %.0f" 1 250000 >&2'

# blocks FILE KIND IDS...: FILE holds each id's lines whole and in order,
# one block per id, in any order of blocks.
blocks() {
	local f=$1 kind=$2 id
	shift 2
	for id in "$@"; do
		grep "^$id $kind " "$f" | cmp - <(seq -f "$id $kind %.0f" 1 250000)
	done
	[ "$(wc -l < "$f")" -eq $(( $# * 250000 )) ]
	# whole blocks: the id changes only $# - 1 times
	[ "$(cut -d' ' -f1 "$f" | uniq | wc -l)" -eq $# ]
}

@test "one job writes 200 MB, more than /dev/shm holds: every byte, exit 0" {
	# A 128 MB /dev/shm of its own fills; the spool goes on in /tmp.
	STATUS=0
	timeout -k 5 120 unshare -m sh -c '
	    mount -t tmpfs -o size=128m tmpfs /dev/shm || exit 99
	    exec env -u TMPDIR -u PARX_TEST_SPOOL "$@"' sh \
	    "$PARX" --mode="$PARX_MODE" 'head -c 200000000 /dev/zero; : {}' \
	    ::: 1 > out 2> err || STATUS=$?
	[ "$STATUS" -eq 0 ]
	[ ! -s err ]
	[ "$(wc -c < out)" -eq 200000000 ]
	[ "$(tr -d '\0' < out | wc -c)" -eq 0 ]
}

@test "-k: 6 jobs x 2.3 MB, with 1 MB /dev/shm, 4 MB /tmp, 2 MB /var/tmp: byte-exact" {
	in_fs 1m 4m 2m -k -j3 "$job" ::: 1 2 3 4 5 6
	[ "$STATUS" -eq 0 ]
	[ ! -s err ]
	for i in 1 2 3 4 5 6; do seq -f "$i out %.0f" 1 250000; done | cmp - out
}

@test "without -k: 6 jobs x 2.3 MB in 7 MB of room: six whole blocks" {
	in_fs 1m 4m 2m -j3 "$job" ::: 1 2 3 4 5 6
	[ "$STATUS" -eq 0 ]
	[ ! -s err ]
	blocks out out 1 2 3 4 5 6
}

@test "no room anywhere: stdout and stderr stream through, whole, exit 0" {
	in_fs 64k 64k 64k -j2 "ERR=1; $job" ::: 1 2 3
	[ "$STATUS" -eq 0 ]
	blocks out out 1 2 3
	blocks err err 1 2 3
}

@test "no room anywhere, -k and --tag: in order, every line tagged" {
	in_fs 64k 64k 64k -k -j3 --tag "$job" ::: 1 2 3 4
	[ "$STATUS" -eq 0 ]
	[ ! -s err ]
	for i in 1 2 3 4; do
		seq -f "$i	$i out %.0f" 1 250000
	done | cmp - out
}

@test "--tmpdir on a full file system: the output still arrives whole" {
	mkdir small
	STATUS=0
	timeout -k 5 120 unshare -m sh -c '
	    mount -t tmpfs -o size=512k tmpfs small || exit 99
	    exec "$@"' sh "$PARX" --mode="$PARX_MODE" --tmpdir small -k -j2 \
	    "$job" ::: 1 2 3 > out 2> err || STATUS=$?
	[ "$STATUS" -eq 0 ]
	[ ! -s err ]
	for i in 1 2 3; do seq -f "$i out %.0f" 1 250000; done | cmp - out
}

@test "--results on a full file system: the job is named, exit 255" {
	mkdir res
	STATUS=0
	timeout -k 5 120 unshare -m sh -c '
	    mount -t tmpfs -o size=256k tmpfs res || exit 99
	    exec "$@"' sh "$PARX" --mode="$PARX_MODE" --results res \
	    'head -c 1000000 /dev/zero; : {}' ::: 1 > out 2> err || STATUS=$?
	[ "$STATUS" -eq 255 ]
	grep -q 'output of job 1 may be incomplete' err
}

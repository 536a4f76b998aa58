#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
# Remote jobs: parx -S against GNU parallel -S and against ssh itself (short
# jobs, and --pipe of 200 MB), on a real sshd started for the run on
# 127.0.0.1 (the tests' sshd, with keys made for it).  Every ssh session
# starts the user's login shell, and bash reads ~/.bashrc even then: run it
# as a user whose shell starts fast, or the figures measure the rc files.  Every contender runs the same jobs, and every run's
# output is checked.
#
#   BENCH_REMOTE_JOBS=N  short jobs (true) a run (default 500)
#   BENCH_REMOTE_J=N     jobs at once for the parallel contenders (default 8)
#   BENCH_REMOTE_USER=U  log in as U (say a user whose shell is /bin/sh,
#                        made by useradd -m -s /bin/sh U; usermod -p '*' U,
#                        as sshd turns a locked account away); the sshd
#                        takes the run's key for any user.  Run as root
#                        without it, the benchmark makes such a user for
#                        the run and removes it at the end.
#
# The floors are a loop of `ssh host true`, one after the other, without
# and with a master connection (what every job costs at the least: a new
# session; with a master, no new handshake).  Per-job figures divide the
# wall time by the jobs.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../tests/sshd.bash"
ROUNDS=${BENCH_ROUNDS:-3}
N=${BENCH_REMOTE_JOBS:-500}
J=${BENCH_REMOTE_J:-8}
gnu() { have parallel && [ -z "${BENCH_NO_GNU:-}" ]; }
# As root, a user of its own for the run, whose login shell is /bin/sh.
made_user=
if [ -z "${BENCH_REMOTE_USER:-}" ] && [ "$(id -u)" = 0 ] &&
    useradd -m -s /bin/sh "parxbench$$" 2>/dev/null; then
	usermod -p '*' "parxbench$$"
	BENCH_REMOTE_USER=parxbench$$
	made_user=$BENCH_REMOTE_USER
fi
H=${BENCH_REMOTE_USER:+$BENCH_REMOTE_USER@}127.0.0.1

SSHD_DIR=$BENCH_TMP/sshd
if ! sshd_up "$SSHD_DIR" 127.0.0.1; then
	echo "== remote jobs: skipped ($(cat "$SSHD_DIR/skip"))"
	[ -z "$made_user" ] || userdel -r "$made_user" 2>/dev/null
	exit 0
fi
trap 'sshd_stop sshd; rm -rf "$BENCH_TMP"; [ -z "$made_user" ] || userdel -r "$made_user" 2>/dev/null' EXIT
if [ -n "${BENCH_REMOTE_USER:-}" ]; then
	# sshd reads the key file as that user.
	chmod a+rx "$BENCH_TMP" "$SSHD_DIR"
	chmod a+r "$SSHD_DIR/authorized_keys"
fi
SSH="ssh -F $SSHD_DIR/ssh_config"
# The floor with a master connection: one master for the whole loop.
MUX="$SSH -o ControlPath=$SSHD_DIR/mux -o ControlMaster=auto -o ControlPersist=60"

seq "$N" >"$BENCH_TMP/jobs"
ok=$(seq "$N" | md5sum | cut -c1-32)
check="| sort -n | md5sum | grep -q $ok"

echo "== $N remote jobs (echo N) over ssh to 127.0.0.1 (median of $ROUNDS" \
    "rounds; -j$J for parx and GNU parallel)"
bench_add "ssh loop" "while read -r i; do $SSH $H echo \$i </dev/null; done < $BENCH_TMP/jobs $check"
bench_add "ssh loop, one master" "while read -r i; do $MUX $H echo \$i </dev/null; done < $BENCH_TMP/jobs $check"
bench_add "parx -S, -j$J" "$PARX -j$J --ssh '$SSH' -S $H echo {} < $BENCH_TMP/jobs $check"
bench_add "parx -S --mode=thread" "$PARX --mode=thread -j$J --ssh '$SSH' -S $H echo {} < $BENCH_TMP/jobs $check"
bench_add "parx -S, -j1" "$PARX -j1 --ssh '$SSH' -S $H echo {} < $BENCH_TMP/jobs $check"
if gnu; then
	bench_add "GNU parallel -S, -j$J" "parallel -j$J --ssh '$SSH' -S $H echo {} < $BENCH_TMP/jobs $check"
	bench_add "GNU parallel -S -M, -j$J" "parallel -M -j$J --ssh '$SSH' -S $H echo {} < $BENCH_TMP/jobs $check"
fi
bench_run "$ROUNDS"
bench_report "ssh loop, one master"
echo "per job (wall / $N), ms:"
for name in "${BENCH_NAMES[@]}"; do
	printf '  %-28s %8.2f\n' "$name" \
	    "$(awk -v w="$(median "$BENCH_TMP/$name.times" 1)" -v n="$N" 'BEGIN { print 1000 * w / n }')"
done

# --pipe of 200 MB to the host: the blocks through ssh, every byte counted
# there, against one ssh carrying it all (the floor: the stream once).
bench_reset
MB=${BENCH_REMOTE_MB:-200}
head -c "${MB}000000" /dev/zero | tr '\0' x | fold -w 99 >"$BENCH_TMP/data"
size=$(wc -c <"$BENCH_TMP/data")
sum="| awk '{ n += \$1 } END { print n }' | grep -qx $size"
echo
echo "== --pipe of $MB MB to 127.0.0.1, blocks of 1 MiB, wc -c there (median of $ROUNDS rounds; -j$J)"
bench_add "one ssh (floor)" "$MUX $H wc -c < $BENCH_TMP/data $sum"
bench_add "parx --pipe -S" "$PARX -j$J --pipe --ssh '$SSH' -S $H wc -c < $BENCH_TMP/data $sum"
bench_add "parx --pipe -S, thread" "$PARX --mode=thread -j$J --pipe --ssh '$SSH' -S $H wc -c < $BENCH_TMP/data $sum"
bench_add "parx --pipe-part -S" "$PARX -j$J --pipe-part --block 1M --ssh '$SSH' -S $H wc -c :::: $BENCH_TMP/data $sum"
if gnu; then
	bench_add "GNU parallel --pipe -S" "parallel -j$J --pipe --ssh '$SSH' -S $H wc -c < $BENCH_TMP/data $sum"
fi
bench_run "$ROUNDS"
bench_report "one ssh (floor)"

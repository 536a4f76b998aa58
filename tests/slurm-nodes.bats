#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
#
# slurm-nodes: parx --slf slurm in allocations of two nodes, on a real
# two-node cluster on this one machine.
#
# setup_file starts Slurm (tests/slurm.bash) with two nodes: n1 on
# 127.0.0.1 and n2 on 127.0.0.2, each a slurmd of its own (slurmd -N),
# and an sshd (tests/sshd.bash) on both addresses; its ssh_config makes
# the names n1 and n2 those addresses, as a cluster's resolver would.
# parx on n1 (a batch script) runs n1's jobs itself and n2's over ssh;
# parx outside the nodes (salloc's command, on the login machine) runs
# both nodes' over ssh.  A job tells where it ran by $SSH_CONNECTION
# (its third field is the address it reached; none: locally).
#
# Concurrency is measured per node with marker files, not times: a job
# creates run/NODE.SEQ, writes how many markers of its node it sees to
# seen.NODE, and removes its marker when it ends.

load helpers
load slurm
load sshd

bats_require_minimum_version 1.5.0

setup_file() {
	SLURM_NODES="n1=127.0.0.1 n2=127.0.0.2"
	slurm_up
	export SSHD_DIR="$BATS_FILE_TMPDIR/sshd"
	sshd_up "$SSHD_DIR" 127.0.0.1 127.0.0.2 || return 0
	cat >> "$SSHD_DIR/ssh_config" <<-EOF
	Host n1
	  HostName 127.0.0.1
	Host n2
	  HostName 127.0.0.2
	EOF
}

teardown_file() {
	sshd_stop sshd
	slurm_down
}

setup_more() {
	need_cluster
	if [ -e "$SSHD_DIR/skip" ]; then
		skip "$(cat "$SSHD_DIR/skip")"
	fi
	PATH=$PATH:/usr/sbin
	SSH="ssh -F $SSHD_DIR/ssh_config"
	N=$(nproc)
	[ "$N" -le 4 ] || N=4
	# job.sh SEQ [EXIT]: marks itself running on its node (local or
	# the address ssh reached), records what it sees and where it ran,
	# waits a little, exits EXIT (default 0).
	cat > job.sh <<-'EOF'
	#!/bin/sh
	at=$(echo $SSH_CONNECTION | cut -d' ' -f3)
	at=${at:-local}
	mkdir -p run
	: > run/$at.$1
	ls run | grep -c "^$at\." >> seen.$at
	echo "$1 $at" >> ran
	sleep 0.5
	ls run | grep -c "^$at\." >> seen.$at
	rm -f run/$at.$1
	exit ${2:-0}
	EOF
	chmod +x job.sh
}

teardown_more() {
	[ -e "$SLURM_DIR/skip" ] || scancel --quiet -u "$(id -un)" 2>/dev/null
	return 0
}

# most_at_once AT: the largest number of jobs seen running at once at AT
# (local, 127.0.0.1 or 127.0.0.2).
most_at_once() {
	sort -n "seen.$1" | tail -1
}

# make_hold: ./hold.sh SEQ writes its pid to pids, creates
# started.SEQ.AT (AT: local, or the address ssh reached) and sleeps.
make_hold() {
	printf '#!/bin/sh\necho $$ >> pids; at=$(echo $SSH_CONNECTION | cut -d" " -f3); : > started.$1.${at:-local}; exec sleep %s\n' "$S" > hold.sh
	chmod +x hold.sh
}

# wait_started: wait (at most 20 s) until 2N jobs of hold.sh started.
wait_started() {
	local n=0
	while [ "$(ls started.* 2>/dev/null | wc -l)" -lt $((2 * N)) ] &&
	    [ $n -lt 2000 ]; do
		sleep 0.01
		n=$((n + 1))
	done
}

@test "the cluster: two idle nodes, n1 on 127.0.0.1 and n2 on 127.0.0.2" {
	run sinfo -h -N -o '%N %c %T'
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines "n1 $(nproc) idle" "n2 $(nproc) idle")" ]
	run sinfo -h -N -o '%N %o'
	[ "$output" = "$(lines "n1 127.0.0.1" "n2 127.0.0.2")" ]
}

@test "sbatch -N2: --slf slurm runs n1's tasks on n1 and n2's over ssh, each node's count at once" {
	# 2N-1 tasks on two nodes of N CPUs or more: the nodes get different
	# counts (SLURM_TASKS_PER_NODE=2,1 with 2 CPUs), read back here.
	# GNU parallel has no such file: the hosts are written out from
	# scontrol show hostnames "$SLURM_JOB_NODELIST" and
	# $SLURM_TASKS_PER_NODE, n1 as ':'.
	printf '#!/bin/sh\necho "$SLURM_JOB_NODELIST $SLURM_TASKS_PER_NODE $SLURMD_NODENAME" > env\n"$PARX" --mode=%s --ssh "%s" --slf slurm --wd "%s" --joblog log ./job.sh {} %s ::: $(seq %s)\necho parx $? > status\n' \
	    "$PARX_MODE" "$SSH" "$TMP" "'\$(({} % 3))'" $((6 * N)) > batch.sh
	bounded sbatch --wait --quiet -N2 -n $((2 * N - 1)) --chdir="$TMP" \
	    --output="$TMP/batch.out" batch.sh
	cat batch.out
	read -r list tasks self < env
	[ "$list" = "n[1-2]" ]
	[ "$self" = n1 ]
	n1=${tasks%,*}
	n2=${tasks#*,}
	[ $((n1 + n2)) -eq $((2 * N - 1)) ]
	# Jobs 1, 2, 4, 5, ... exit 1 or 2: 4N of 6N fail.
	[ "$(cat status)" = "parx $((4 * N))" ]
	[ "$(cut -d' ' -f1 ran | sort -n)" = "$(seq $((6 * N)))" ]
	[ "$(most_at_once local)" -eq "$n1" ]
	[ "$(most_at_once 127.0.0.2)" -eq "$n2" ]
	[ ! -e seen.127.0.0.1 ]
	# The job log: n1's jobs are ':', n2's n2, each job's exit status.
	run awk -F'\t' 'NR > 1 { print $1, $2, $7, $8 }' log
	[ "$(sort -n <<< "$output" | cut -d' ' -f1,3,4)" = "$(for i in $(seq $((6 * N))); do echo "$i $((i % 3)) 0"; done)" ]
	[ "$(cut -d' ' -f2 <<< "$output" | sort -u)" = "$(lines : n2)" ]
	[ "$(sort -n <<< "$output" | cut -d' ' -f2 | sed 's/^:$/local/; s/^n2$/127.0.0.2/')" = "$(sort -n ran | cut -d' ' -f2)" ]
}

@test "salloc -N2: --slf slurm from the login machine runs both nodes' tasks over ssh" {
	# GNU: salloc -N2 --ntasks-per-node=N parallel --ssh ... -S N/n1,N/n2 ...
	run --separate-stderr bounded salloc --quiet -N2 --ntasks-per-node="$N" \
	    env -u SLURMD_NODENAME "$PARX" --mode="$PARX_MODE" --ssh "$SSH" \
	    --slf slurm --wd "$TMP" --joblog log ./job.sh {} {} ::: \
	    $(seq 0 $((4 * N - 1)))
	echo "$stderr"
	[ "$status" -eq $((4 * N - 1)) ]
	[ "$output" = "" ]
	[ "$(cut -d' ' -f1 ran | sort -n)" = "$(seq 0 $((4 * N - 1)))" ]
	[ "$(most_at_once 127.0.0.1)" -eq "$N" ]
	[ "$(most_at_once 127.0.0.2)" -eq "$N" ]
	[ ! -e seen.local ]
	run awk -F'\t' 'NR > 1 { print $2 }' log
	[ "$(sort -u <<< "$output")" = "$(lines n1 n2)" ]
}

@test "scancel of an sbatch -N2 job reaches parx's jobs on both nodes" {
	make_hold
	printf '#!/bin/sh\n"$PARX" --mode=%s --ssh "%s" --slf slurm --wd "%s" ./hold.sh ::: $(seq %s)\n' \
	    "$PARX_MODE" "$SSH" "$TMP" $((2 * N)) > batch.sh
	id=$(sbatch --parsable -N2 --ntasks-per-node="$N" --chdir="$TMP" \
	    --output="$TMP/batch.out" batch.sh)
	wait_started
	[ "$(ls started.*.local | wc -l)" -eq "$N" ]
	[ "$(ls started.*.127.0.0.2 | wc -l)" -eq "$N" ]
	[ "$(wc -l < pids)" -eq $((2 * N)) ]
	scancel "$id"
	all_gone pids
	no_processes_left "sleep $S"
	slurm_job_gone "$id"
}

@test "srun -N1 -n1 in an sbatch -N2 job: --slf slurm takes the step's node and task, not the job's" {
	# In an srun task $SLURM_TASKS_PER_NODE is the step's (1) and
	# $SLURM_JOB_NODELIST still the job's (n[1-2]); the step's own list
	# is $SLURM_STEP_NODELIST.
	printf '#!/bin/sh\nsrun -N1 -n1 -w %s sh -c '"'"'echo "$SLURM_JOB_NODELIST $SLURM_TASKS_PER_NODE $SLURM_STEP_NODELIST" > env; exec "$PARX" --mode=%s --ssh "%s" --slf slurm --joblog log ./job.sh {} ::: $(seq %s)'"'"'\necho parx $? > status\n' \
	    n2 "$PARX_MODE" "$SSH" $((2 * N)) > batch.sh
	bounded sbatch --wait --quiet -N2 --ntasks-per-node="$N" --chdir="$TMP" \
	    --output="$TMP/batch.out" batch.sh
	cat batch.out
	[ "$(cat env)" = "n[1-2] 1 n2" ]
	[ "$(cat status)" = "parx 0" ]
	[ "$(cut -d' ' -f1 ran | sort -n)" = "$(seq $((2 * N)))" ]
	[ "$(most_at_once local)" -eq 1 ]
	[ "$(ls seen.*)" = seen.local ]
	run awk -F'\t' 'NR > 1 { print $2 }' log
	[ "$(sort -u <<< "$output")" = : ]
}

@test "scancel of salloc -N2 --kill-command: parx stops its jobs on both nodes over ssh, exits 255" {
	make_hold
	# salloc's command runs on the login machine: both nodes' jobs are
	# over ssh, and parx, sent SIGTERM, stops them through it.
	timeout 60 salloc --quiet -J "parx$S" -N2 --ntasks-per-node="$N" \
	    --kill-command=TERM "$PARX" --mode="$PARX_MODE" --ssh "$SSH" \
	    --slf slurm --wd "$TMP" ./hold.sh ::: $(seq $((2 * N))) \
	    > out 2> err 3>&- &
	PID=$!
	wait_started
	[ "$(ls started.*.127.0.0.1 | wc -l)" -eq "$N" ]
	[ "$(ls started.*.127.0.0.2 | wc -l)" -eq "$N" ]
	scancel -n "parx$S"
	all_gone pids
	no_processes_left "sleep $S"
	wait_exit
	[ "$STATUS" -eq 255 ]
}

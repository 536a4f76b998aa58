#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
#
# slurm: parx inside a Slurm allocation, on a real one-host cluster.
#
# setup_file starts Debian's Slurm (22.05) on 127.0.0.1 (tests/slurm.bash)
# with one node, this machine by its hostname.  The tests run the
# README's recipes inside salloc and sbatch; they skip only when the
# daemons cannot run here, with the reason.  One test also starts an
# sshd (tests/sshd.bash), to reach the node from outside the allocation.
# tests/slurm-nodes.bats runs allocations of two nodes.
#
# Concurrency is measured with marker files, not times: a job creates
# run/SEQ, writes how many markers it sees, and removes its marker when
# it ends.

load helpers
load slurm
load sshd

bats_require_minimum_version 1.5.0

setup_file() {
	SLURM_NODE=$(hostname -s)
	export SLURM_NODE
	SLURM_NODES="$SLURM_NODE=127.0.0.1"
	slurm_up
}

teardown_file() {
	slurm_down
}

setup_more() {
	PATH=$PATH:/usr/sbin
	N=$(nproc)
	[ "$N" -le 4 ] || N=4
	# job.sh SEQ [EXIT]: marks itself running, records what it sees
	# and where it ran, waits a little, exits EXIT (default 0).
	cat > job.sh <<-'EOF'
	#!/bin/sh
	mkdir -p run
	: > run/$1
	ls run | wc -l >> seen
	echo "$1 $SLURM_STEP_ID" >> ran
	sleep 0.5
	ls run | wc -l >> seen
	rm -f run/$1
	exit ${2:-0}
	EOF
	chmod +x job.sh
}

teardown_more() {
	if [ -n "${SSHD_UP:-}" ]; then
		sshd_stop sshd
	fi
	# No controller: scancel would try to reach it for a while.
	[ -e "$SLURM_DIR/skip" ] || scancel --quiet -u "$(id -un)" 2>/dev/null
	return 0
}

# hosts_are LIST TASKS SELF LOGIN...: with $SLURM_JOB_NODELIST LIST,
# $SLURM_TASKS_PER_NODE TASKS and $SLURMD_NODENAME SELF (unset when
# empty), the logins of --slf slurm are the LOGINs.
hosts_are() {
	local list=$1 tasks=$2 self=$3
	shift 3
	run env -u SLURMD_NODENAME ${self:+"SLURMD_NODENAME=$self"} \
	    SLURM_JOB_NODELIST="$list" SLURM_TASKS_PER_NODE="$tasks" \
	    "$PARX_TEST_TOOL" slurm
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines "$@")" ]
}

# most_at_once: the largest number of jobs seen running at once.
most_at_once() {
	sort -n seen | tail -1
}

# batch SCRIPT: run the shell code SCRIPT with sbatch in this directory
# and wait for the batch job to end; its output is in batch.out.
batch() {
	printf '#!/bin/sh\n%s\n' "$1" > batch.sh
	bounded sbatch --wait --quiet -N1 -n "$N" --chdir="$TMP" \
	    --output="$TMP/batch.out" batch.sh
}

@test "the cluster: one idle node with this machine's CPUs" {
	need_cluster
	run sinfo -h -N -o '%N %c %T'
	[ "$status" -eq 0 ]
	[ "$output" = "$SLURM_NODE $(nproc) idle" ]
}

@test "sbatch: srun per job, -j \$SLURM_NTASKS: that many at once, each job once, statuses in the joblog" {
	need_cluster
	# GNU: parallel -j "$SLURM_NTASKS" srun -N1 -n1 --exclusive ./job.sh {} {=$_%=3=} ::: ...
	batch "\"\$PARX\" --mode=$PARX_MODE -j \"\$SLURM_NTASKS\" --joblog log \
	    srun -N1 -n1 --exclusive ./job.sh {} '\$(({} % 3))' ::: \$(seq $((3 * N)))
	echo parx \$? > status"
	cat batch.out
	[ "$(cat status)" = "parx $((2 * N))" ]
	[ "$(cut -d' ' -f1 ran | sort -n)" = "$(seq $((3 * N)))" ]
	[ "$(most_at_once)" -eq "$N" ]
	# Each job was a step of its own.
	[ "$(cut -d' ' -f2 ran | sort -u | wc -l)" -eq $((3 * N)) ]
	run awk -F'\t' 'NR > 1 { print $1, $7, $8 }' log
	[ "$(printf '%s\n' "$output" | sort -n)" = "$(for i in $(seq $((3 * N))); do echo "$i $((i % 3)) 0"; done)" ]
}

@test "salloc: srun per job: that many at once, each job once, exit status" {
	need_cluster
	# GNU: salloc -n N parallel -j "$SLURM_NTASKS" srun -N1 -n1 --exclusive ./job.sh {} ::: ...
	run --separate-stderr bounded salloc --quiet -N1 -n "$N" sh -c "\"\$PARX\" --mode=$PARX_MODE -j \"\$SLURM_NTASKS\" -k \
	    srun -N1 -n1 --exclusive ./job.sh {} ::: \$(seq $((2 * N)))"
	echo "$stderr"
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	[ "$(cut -d' ' -f1 ran | sort -n)" = "$(seq $((2 * N)))" ]
	[ "$(most_at_once)" -eq "$N" ]
}

@test "sbatch --mem: srun per job needs its share of the memory, else the steps run one at a time" {
	need_cluster
	# A step asks for all of the job's memory unless told otherwise.
	batch "#SBATCH --mem=$((100 * N))
	\"\$PARX\" --mode=$PARX_MODE -j \"\$SLURM_NTASKS\" srun -N1 -n1 --exclusive ./job.sh {} ::: \$(seq $((2 * N)))
	echo parx \$? > status"
	[ "$(cat status)" = "parx 0" ]
	[ "$(most_at_once)" -eq 1 ]
	rm seen ran
	batch "#SBATCH --mem=$((100 * N))
	\"\$PARX\" --mode=$PARX_MODE -j \"\$SLURM_NTASKS\" srun -N1 -n1 --exclusive --mem=100 ./job.sh {} ::: \$(seq $((2 * N)))
	echo parx \$? > status"
	[ "$(cat status)" = "parx 0" ]
	[ "$(cut -d' ' -f1 ran | sort -n)" = "$(seq $((2 * N)))" ]
	[ "$(most_at_once)" -eq "$N" ]
}

@test "sbatch: a job killed by a signal under srun is srun's exit 128+N" {
	need_cluster
	# srun reports a task killed by SIGTERM as its own exit status 143.
	cat > die.sh <<-'EOF'
	#!/bin/sh
	kill -TERM $$
	EOF
	chmod +x die.sh
	batch "\"\$PARX\" --mode=$PARX_MODE --joblog log srun -N1 -n1 ./die.sh ::: 1
	echo parx \$? > status"
	[ "$(cat status)" = "parx 1" ]
	run awk -F'\t' 'NR > 1 { print $7, $8 }' log
	[ "$output" = "143 0" ]
}

@test "scancel of a batch job reaches parx's jobs, local and srun ones" {
	need_cluster
	printf '#!/bin/sh\necho $$ >> pids; : > started.$1; exec sleep %s\n' "$S" > hold.sh
	chmod +x hold.sh
	printf '#!/bin/sh\n"$PARX" --mode=%s -j %s sh -c "\\"case {} in *1) exec srun -N1 -n1 --exclusive ./hold.sh {};; *) exec ./hold.sh {};; esac\\"" ::: $(seq %s)\n' \
	    "$PARX_MODE" "$N" "$N" > batch.sh
	id=$(sbatch --parsable -N1 -n "$N" --chdir="$TMP" --output="$TMP/batch.out" batch.sh)
	for i in $(seq "$N"); do
		wait_for "started.$i"
	done
	[ "$(wc -l < pids)" -eq "$N" ]
	scancel "$id"
	all_gone pids
	no_processes_left "sleep $S"
	slurm_job_gone "$id"
}

@test "scancel of salloc --kill-command reaches parx's jobs: parx exits 255" {
	need_cluster
	printf '#!/bin/sh\necho $$ >> pids; : > started.$1; exec sleep %s\n' "$S" > hold.sh
	chmod +x hold.sh
	# salloc sends its command SIGTERM when the allocation is revoked
	# (without --kill-command it waits for the command to end).
	timeout 60 salloc --quiet -J "parx$S" -N1 -n "$N" --kill-command=TERM \
	    "$PARX" --mode="$PARX_MODE" -j "$N" ./hold.sh ::: $(seq "$N") \
	    > out 2> err 3>&- &
	PID=$!
	for i in $(seq "$N"); do
		wait_for "started.$i"
	done
	scancel -n "parx$S"
	all_gone pids
	no_processes_left "sleep $S"
	wait_exit
	[ "$STATUS" -eq 255 ]
}

@test "sbatch: --slf slurm runs the allocation's tasks at once, here without ssh" {
	need_cluster
	# GNU parallel has no such file: the hosts are written out from
	# scontrol show hostnames "$SLURM_JOB_NODELIST".
	batch "\"\$PARX\" --mode=$PARX_MODE --slf slurm --joblog log ./job.sh {} ::: \$(seq $((3 * N)))
	echo parx \$? > status"
	cat batch.out
	[ "$(cat status)" = "parx 0" ]
	[ "$(cut -d' ' -f1 ran | sort -n)" = "$(seq $((3 * N)))" ]
	[ "$(most_at_once)" -eq "$N" ]
	run awk -F'\t' 'NR > 1 { print $2 }' log
	[ "$output" = "$(for i in $(seq $((3 * N))); do echo :; done)" ]
}

@test "salloc: --slf slurm, exit statuses counted as without Slurm" {
	need_cluster
	run --separate-stderr bounded salloc --quiet -N1 -n "$N" \
	    "$PARX" --mode="$PARX_MODE" --slf slurm ./job.sh {} {} ::: 0 1 2
	echo "$stderr"
	[ "$status" -eq 2 ]
	[ "$(cut -d' ' -f1 ran | sort -n)" = "$(lines 0 1 2)" ]
}

@test "salloc: --slf slurm from outside the allocation reaches its node over ssh" {
	need_cluster
	SSHD_DIR=$TMP/sshd
	sshd_up "$SSHD_DIR" 127.0.0.1 || skip "$(cat "$SSHD_DIR/skip")"
	SSHD_UP=1
	# salloc runs its command where salloc runs, often a login node that
	# is none of the allocation's nodes: $SLURMD_NODENAME says so here,
	# and the node, this machine by its name, is reached over ssh.
	run --separate-stderr bounded salloc --quiet -N1 -n "$N" \
	    env SLURMD_NODENAME=login "$PARX" --mode="$PARX_MODE" \
	    --ssh "ssh -F $SSHD_DIR/ssh_config" --slf slurm --wd "$TMP" \
	    --joblog log './job.sh {} && [ -n "$SSH_CONNECTION" ]' ::: \
	    $(seq $((2 * N)))
	echo "$stderr"
	[ "$status" -eq 0 ]
	[ "$(cut -d' ' -f1 ran | sort -n)" = "$(seq $((2 * N)))" ]
	[ "$(most_at_once)" -eq "$N" ]
	run awk -F'\t' 'NR > 1 { print $2 }' log
	[ "$output" = "$(for i in $(seq $((2 * N))); do echo "$SLURM_NODE"; done)" ]
}

@test "--slf slurm outside an allocation, or with a list it cannot read: exit 255" {
	run --separate-stderr env -u SLURM_JOB_NODELIST "$PARX" \
	    --mode="$PARX_MODE" --slf slurm echo ::: 1
	[ "$status" -eq 255 ]
	[ "$output" = "" ]
	[ "$stderr" = "parx: --slf slurm: \$SLURM_JOB_NODELIST: not set: not inside a Slurm allocation (salloc, sbatch or srun set it)" ]
	SLURM_JOB_NODELIST='n[1-' SLURM_TASKS_PER_NODE=1 run --separate-stderr \
	    parx --slf slurm echo ::: 1
	[ "$status" -eq 255 ]
	[ "$stderr" = "parx: --slf slurm: \$SLURM_JOB_NODELIST 'n[1-': not a hostlist such as 'node[01-04,07],gpu1'" ]
	SLURM_JOB_NODELIST='n[1-3]' SLURM_TASKS_PER_NODE='2(x2)' run \
	    --separate-stderr parx --slf slurm echo ::: 1
	[ "$status" -eq 255 ]
	[ "$stderr" = "parx: --slf slurm: \$SLURM_TASKS_PER_NODE '2(x2)': fewer task counts than \$SLURM_JOB_NODELIST has nodes" ]
	SLURM_JOB_NODELIST='n[1-3]' SLURM_TASKS_PER_NODE='1(x3)' \
	    SLURM_STEP_NODELIST='n[1-2]' SLURM_STEP_TASKS_PER_NODE='1' run \
	    --separate-stderr parx --slf slurm echo ::: 1
	[ "$status" -eq 255 ]
	[ "$stderr" = "parx: --slf slurm: \$SLURM_STEP_TASKS_PER_NODE '1': fewer task counts than \$SLURM_STEP_NODELIST has nodes" ]
	SLURM_JOB_NODELIST='n1' SLURM_TASKS_PER_NODE='0' run \
	    --separate-stderr parx --slf slurm echo ::: 1
	[ "$status" -eq 255 ]
	[ "$stderr" = "parx: --slf slurm: \$SLURM_TASKS_PER_NODE '0': not task counts such as '16(x4),8'" ]
}

@test "--slf slurm: hostlists and task counts as Slurm writes them" {
	[ -n "${PARX_TEST_TOOL:-}" ] || skip "PARX_TEST_TOOL is not set"
	# scontrol show hostnames 'r[1-2]n[08-10]-ib,gpu1,x[7]' gives the
	# same names, in this order.
	hosts_are 'r[1-2]n[08-10]-ib,gpu1,x[7]' '4(x3),2(x4),1' none \
	    4/r1n08-ib 4/r1n09-ib 4/r1n10-ib 2/r2n08-ib 2/r2n09-ib 2/r2n10-ib \
	    2/gpu1 1/x7
	# Zero-padded and plain ranges, single numbers; the node parx runs
	# on is ':'.
	hosts_are 'n[1-2,5,009-010]' '1(x5)' n009 1/n1 1/n2 1/n5 1/: 1/n010
	# Without $SLURMD_NODENAME (salloc's command), the host name is the
	# node's name.
	hosts_are "other,$(hostname -s)" 2,3 '' 2/other 3/:
	# What sbatch -N2 -n3 and salloc -N2 -n4 write (tests/slurm-nodes.bats
	# runs them).
	hosts_are 'n[1-2]' 2,1 n1 2/: 1/n2
	hosts_are 'n[1-2]' '2(x2)' '' 2/n1 2/n2
	# An srun task: the step's nodes with the step's counts, which
	# $SLURM_TASKS_PER_NODE also holds there.
	SLURM_STEP_NODELIST='n[2,4]' SLURM_STEP_TASKS_PER_NODE=3,1 \
	    hosts_are 'n[1-4]' 3,1 n2 3/: 1/n4
}

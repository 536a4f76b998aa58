#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
#
# slurm: parx inside a Slurm allocation, on a real one-host cluster.
#
# setup_file starts Debian's Slurm (22.05) on 127.0.0.1: munged with a
# key made for the run and its own socket, then slurmctld and slurmd in
# the foreground (in the background of the suite), with a slurm.conf
# whose one node is this machine (its hostname, as many CPUs as nproc
# says, 1000 MB of memory, CPUs and memory both counted, as clusters
# usually do) in one partition, and their state in a temporary
# directory.
# teardown_file stops them and checks that none is left.  The tests run
# the README's recipes inside salloc and sbatch; they skip only when the
# daemons cannot run here, with the reason.  One test also starts an
# sshd (tests/sshd.bash), to reach the node from outside the allocation.
#
# Concurrency is measured with marker files, not times: a job creates
# run/SEQ, writes how many markers it sees, and removes its marker when
# it ends.

load helpers
load sshd

bats_require_minimum_version 1.5.0

# slurm_wait_idle: wait (at most 30 s) until sinfo says the node is idle.
# Returns 0 then, 1 when a daemon has exited, 2 when the time is up.
slurm_wait_idle() {
	local end=$((SECONDS + 30))
	while [ $SECONDS -lt $end ]; do
		[ "$(sinfo -h -N -n "$SLURM_NODE" -o %T 2>/dev/null)" = idle ] &&
		    return 0
		kill -0 "$(cat "$SLURM_DIR/slurmctld.daemon")" 2>/dev/null ||
		    return 1
		kill -0 "$(cat "$SLURM_DIR/slurmd.daemon")" 2>/dev/null ||
		    return 1
		sleep 0.1
	done
	return 2
}

# slurm_conf DIR CTLD_PORT SLURMD_PORT: the cluster's slurm.conf.
slurm_conf() {
	local d=$1 user
	user=$(id -un)
	cat > "$d/slurm.conf" <<-EOF
	ClusterName=parx
	SlurmctldHost=$SLURM_NODE(127.0.0.1)
	SlurmctldPort=$2
	SlurmdPort=$3
	SlurmUser=$user
	SlurmdUser=$user
	AuthType=auth/munge
	CredType=cred/munge
	AuthInfo=socket=$d/munge/socket
	StateSaveLocation=$d/state
	SlurmdSpoolDir=$d/spool
	SlurmctldPidFile=$d/slurmctld.pid
	SlurmdPidFile=$d/slurmd.pid
	SlurmctldLogFile=$d/slurmctld.log
	SlurmdLogFile=$d/slurmd.log
	MailProg=/bin/true
	ProctrackType=proctrack/linuxproc
	TaskPlugin=task/none
	JobAcctGatherType=jobacct_gather/none
	AccountingStorageType=accounting_storage/none
	JobCompType=jobcomp/none
	SchedulerType=sched/builtin
	SelectType=select/cons_tres
	SelectTypeParameters=CR_CPU_Memory
	MpiDefault=none
	ReturnToService=2
	KillWait=2
	NodeName=$SLURM_NODE NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=1000 State=UNKNOWN
	PartitionName=parx Nodes=$SLURM_NODE Default=YES MaxTime=INFINITE State=UP
	EOF
}

# slurm_daemon NAME ARGS...: start NAME in the foreground, in the
# background of the suite, its pid in $SLURM_DIR/NAME.daemon.
slurm_daemon() {
	local name=$1
	shift
	"$@" </dev/null >"$SLURM_DIR/$name.out" 2>&1 3>&- &
	echo $! > "$SLURM_DIR/$name.daemon"
}

setup_file() {
	local d ports tries=0 n=0 why st=1
	# The munge socket and slurmd's step sockets must fit in sun_path
	# (108 bytes): a short directory of its own, not bats' deep one.
	d=$(mktemp -d /tmp/parx-slurm.XXXXXX)
	export SLURM_DIR="$d" SLURM_CONF="$d/slurm.conf"
	export SLURM_NODE
	SLURM_NODE=$(hostname -s)
	echo "$d" > "$BATS_FILE_TMPDIR/slurm_dir"
	for b in munged slurmctld slurmd sinfo salloc sbatch srun scancel; do
		command -v "$b" >/dev/null || [ -x "/usr/sbin/$b" ] || {
			echo "$b is not installed (tests/install-deps installs munge, slurmctld, slurmd, slurm-client)" > "$d/skip"
			return 0
		}
	done
	PATH=$PATH:/usr/sbin
	mkdir -p -m 0711 "$d/munge" && mkdir -p "$d/state" "$d/spool" &&
	    head -c 1024 /dev/urandom > "$d/munge/key" &&
	    chmod 0400 "$d/munge/key" || {
		echo "cannot make the munge key" > "$d/skip"
		return 0
	}
	slurm_daemon munged munged -F -f --key-file="$d/munge/key" \
	    --socket="$d/munge/socket" --pid-file="$d/munge/pid" \
	    --log-file="$d/munge/log" --seed-file="$d/munge/seed"
	while [ ! -S "$d/munge/socket" ] && [ $n -lt 200 ]; do
		sleep 0.05
		n=$((n + 1))
	done
	if ! munge -S "$d/munge/socket" -n </dev/null |
	    unmunge -S "$d/munge/socket" >/dev/null 2>&1; then
		echo "munged does not start: $(tail -3 "$d/munge/log" "$d/munged.out" 2>/dev/null)" > "$d/skip"
		return 0
	fi
	# Free ports, below the ephemeral range: a daemon that cannot bind
	# its port exits, and the next pair is tried.
	while [ $tries -lt 5 ] && [ $st -eq 1 ]; do
		tries=$((tries + 1))
		ports=$(( 10000 + (RANDOM % 10000) * 2 ))
		slurm_conf "$d" "$ports" $((ports + 1))
		slurm_daemon slurmctld slurmctld -D -i -f "$SLURM_CONF"
		slurm_daemon slurmd slurmd -D -f "$SLURM_CONF"
		st=0
		slurm_wait_idle || st=$?
		[ $st -eq 0 ] && return 0
		[ $st -eq 1 ] ||
		    why="the node is not idle after 30 s: $(sinfo -h -N -o '%N %T %E' 2>&1 | head -1)"
		kill "$(cat "$d/slurmctld.daemon")" "$(cat "$d/slurmd.daemon")" \
		    2>/dev/null
		wait "$(cat "$d/slurmctld.daemon")" "$(cat "$d/slurmd.daemon")" \
		    2>/dev/null
	done
	why="${why:+$why; }$(grep -h -i 'error\|fatal' "$d/slurmctld.out" \
	    "$d/slurmd.out" |
	    grep -v -i 'pmix\|mpi\|state file\|state save\|hwloc\|spool' |
	    tail -3 | tr '\n' ' ')"
	echo "slurmctld and slurmd do not start: ${why:-they exited}" > "$d/skip"
}

teardown_file() {
	local d name pid n left= steps p
	d=$(cat "$BATS_FILE_TMPDIR/slurm_dir" 2>/dev/null) || return 0
	[ -e "$d/skip" ] || scancel --full --quiet -u "$(id -un)" 2>/dev/null
	# slurmstepd, the daemon of a job step, is a child of slurmd.
	steps=$(pgrep -P "$(cat "$d/slurmd.daemon" 2>/dev/null)" 2>/dev/null)
	for name in slurmd slurmctld munged; do
		pid=$(cat "$d/$name.daemon" 2>/dev/null) || continue
		kill "$pid" 2>/dev/null
		n=0
		while kill -0 "$pid" 2>/dev/null && [ $n -lt 100 ]; do
			sleep 0.1
			n=$((n + 1))
		done
		kill -KILL "$pid" 2>/dev/null && left="$left $name"
		wait "$pid" 2>/dev/null
	done
	for p in $steps; do
		n=0
		while alive "$p" && [ $n -lt 50 ]; do
			sleep 0.1
			n=$((n + 1))
		done
		alive "$p" && left="$left slurmstepd($p)" && kill -KILL "$p"
	done
	rm -rf "$d"
	[ -z "$left" ] || { echo "left running:$left"; return 1; }
}

# need_cluster: skip, with the reason, when the daemons did not start.
need_cluster() {
	if [ -e "$SLURM_DIR/skip" ]; then
		skip "$(cat "$SLURM_DIR/skip")"
	fi
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
	n=0
	while [ -n "$(squeue -h -j "$id" 2>/dev/null)" ] && [ $n -lt 100 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	[ -z "$(squeue -h -j "$id" 2>/dev/null)" ]
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
	SLURM_JOB_NODELIST='n1' SLURM_TASKS_PER_NODE='0' run \
	    --separate-stderr parx --slf slurm echo ::: 1
	[ "$status" -eq 255 ]
	[ "$stderr" = "parx: --slf slurm: \$SLURM_TASKS_PER_NODE '0': not task counts such as '16(x4),8'" ]
}

@test "--slf slurm: hostlists and task counts as Slurm writes them" {
	[ -n "${PARX_TEST_TOOL:-}" ] || skip "PARX_TEST_TOOL is not set"
	# scontrol show hostnames 'r[1-2]n[08-10]-ib,gpu1,x[7]' gives the
	# same names, in this order.
	SLURM_JOB_NODELIST='r[1-2]n[08-10]-ib,gpu1,x[7]' \
	    SLURM_TASKS_PER_NODE='4(x3),2(x4),1' SLURMD_NODENAME=none \
	    run "$PARX_TEST_TOOL" slurm
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 4/r1n08-ib 4/r1n09-ib 4/r1n10-ib 2/r2n08-ib 2/r2n09-ib 2/r2n10-ib 2/gpu1 1/x7)" ]
	# Zero-padded and plain ranges, single numbers; the node parx runs
	# on is ':'.
	SLURM_JOB_NODELIST='n[1-2,5,009-010]' SLURM_TASKS_PER_NODE='1(x5)' \
	    SLURMD_NODENAME=n009 run "$PARX_TEST_TOOL" slurm
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 1/n1 1/n2 1/n5 1/: 1/n010)" ]
	# Without $SLURMD_NODENAME (salloc's command), the host name is the
	# node's name.
	SLURM_JOB_NODELIST="other,$(hostname -s)" SLURM_TASKS_PER_NODE='2,3' \
	    run env -u SLURMD_NODENAME "$PARX_TEST_TOOL" slurm
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 2/other 3/:)" ]
}

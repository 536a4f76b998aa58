# SPDX-License-Identifier: ISC
# A real Slurm cluster on this machine for the tests that run parx inside
# an allocation (tests/slurm.bats: one node; tests/slurm-nodes.bats: two).
#
# slurm_up starts Debian's Slurm (22.05): munged with a key made for the
# run and its own socket, then slurmctld and one slurmd per node, all in
# the foreground (in the background of the suite), with a slurm.conf
# whose nodes are this machine, each at its own loopback address and
# port (slurmd -N NAME: Debian's slurmd is built for several per host),
# as many CPUs each as nproc says, 1000 MB of memory, CPUs and memory
# both counted, as clusters usually do, in one partition, and their
# state in a temporary directory.  slurm_down stops them and checks
# that none is left.  A test calls need_cluster first: it skips only
# when the daemons cannot run here, with the reason.

# The nodes: NAME=ADDR words; slurmctld runs on this machine, by its
# name, at the first one's address.
: "${SLURM_NODES:=$(hostname -s)=127.0.0.1}"

# slurm_each_node: the nodes' names, one a line.
slurm_each_node() {
	local n
	for n in $SLURM_NODES; do
		echo "${n%%=*}"
	done
}

# slurm_wait_idle: wait (at most 30 s) until sinfo says every node is
# idle.  Returns 0 then, 1 when a daemon has exited, 2 when the time is
# up.
slurm_wait_idle() {
	local end=$((SECONDS + 30)) want f
	want=$(slurm_each_node | sed 's/$/ idle/' | sort)
	while [ $SECONDS -lt $end ]; do
		[ "$(sinfo -h -N -o '%N %T' 2>/dev/null | sort -u)" = "$want" ] &&
		    return 0
		for f in "$SLURM_DIR"/*.daemon; do
			kill -0 "$(cat "$f")" 2>/dev/null || return 1
		done
		sleep 0.1
	done
	return 2
}

# slurm_conf DIR PORT: the cluster's slurm.conf, slurmctld on PORT and
# the Nth node's slurmd on PORT+N.
slurm_conf() {
	local d=$1 user n i=0 first
	user=$(id -un)
	first=${SLURM_NODES%% *}
	cat > "$d/slurm.conf" <<-EOF
	ClusterName=parx
	SlurmctldHost=$(hostname -s)(${first#*=})
	SlurmctldPort=$2
	SlurmUser=$user
	SlurmdUser=$user
	AuthType=auth/munge
	CredType=cred/munge
	AuthInfo=socket=$d/munge/socket
	StateSaveLocation=$d/state
	SlurmdSpoolDir=$d/spool.%n
	SlurmctldPidFile=$d/slurmctld.pid
	SlurmdPidFile=$d/slurmd.%n.pid
	SlurmctldLogFile=$d/slurmctld.log
	SlurmdLogFile=$d/slurmd.%n.log
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
	EOF
	for n in $SLURM_NODES; do
		i=$((i + 1))
		echo "NodeName=${n%%=*} NodeAddr=${n#*=} NodeHostname=$(hostname -s) Port=$(($2 + i)) CPUs=$(nproc) RealMemory=1000 State=UNKNOWN"
	done >> "$d/slurm.conf"
	echo "PartitionName=parx Nodes=$(slurm_each_node | paste -s -d,) Default=YES MaxTime=INFINITE State=UP" >> "$d/slurm.conf"
}

# slurm_daemon NAME ARGS...: start NAME in the foreground, in the
# background of the suite, its pid in $SLURM_DIR/NAME.daemon.
slurm_daemon() {
	local name=$1
	shift
	"$@" </dev/null >"$SLURM_DIR/$name.out" 2>&1 3>&- &
	echo $! > "$SLURM_DIR/$name.daemon"
}

# slurm_kill_daemons: stop slurmctld and the slurmds, and wait for them.
slurm_kill_daemons() {
	local f pids=
	for f in "$SLURM_DIR"/slurm*.daemon; do
		pids="$pids $(cat "$f")"
	done
	kill $pids 2>/dev/null
	wait $pids 2>/dev/null
}

# slurm_up: start the cluster (call from setup_file).  Exports
# SLURM_DIR and SLURM_CONF; writes the reason to $SLURM_DIR/skip when it
# cannot.
slurm_up() {
	local d port tries=0 n=0 why st=1 b node
	# The munge socket and slurmd's step sockets must fit in sun_path
	# (108 bytes): a short directory of its own, not bats' deep one.
	d=$(mktemp -d /tmp/parx-slurm.XXXXXX)
	export SLURM_DIR="$d" SLURM_CONF="$d/slurm.conf" SLURM_NODES
	echo "$d" > "$BATS_FILE_TMPDIR/slurm_dir"
	for b in munged slurmctld slurmd sinfo salloc sbatch srun scancel; do
		command -v "$b" >/dev/null || [ -x "/usr/sbin/$b" ] || {
			echo "$b is not installed (tests/install-deps installs munge, slurmctld, slurmd, slurm-client)" > "$d/skip"
			return 0
		}
	done
	PATH=$PATH:/usr/sbin
	mkdir -p -m 0711 "$d/munge" && mkdir -p "$d/state" &&
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
	# its port exits, and the next ports are tried.
	while [ $tries -lt 5 ] && [ $st -eq 1 ]; do
		tries=$((tries + 1))
		port=$(( 10000 + (RANDOM % 3000) * 4 ))
		slurm_conf "$d" "$port"
		slurm_daemon slurmctld slurmctld -D -i -f "$SLURM_CONF"
		for node in $(slurm_each_node); do
			slurm_daemon "slurmd.$node" slurmd -D -N "$node" \
			    -f "$SLURM_CONF"
		done
		st=0
		slurm_wait_idle || st=$?
		[ $st -eq 0 ] && return 0
		[ $st -eq 1 ] ||
		    why="the nodes are not idle after 30 s: $(sinfo -h -N -o '%N %T %E' 2>&1 | tr '\n' ' ')"
		slurm_kill_daemons
	done
	why="${why:+$why; }$(grep -h -i 'error\|fatal' "$d"/slurm*.out |
	    grep -v -i 'pmix\|mpi\|state file\|state save\|hwloc\|spool' |
	    tail -3 | tr '\n' ' ')"
	echo "slurmctld and slurmd do not start: ${why:-they exited}" > "$d/skip"
}

# slurm_down: stop the cluster (call from teardown_file); fails, naming
# them, when daemons or job steps are left running.
slurm_down() {
	local d name pid n left= steps= p f
	d=$(cat "$BATS_FILE_TMPDIR/slurm_dir" 2>/dev/null) || return 0
	[ -e "$d/skip" ] || scancel --full --quiet -u "$(id -un)" 2>/dev/null
	# slurmstepd, the daemon of a job step, is a child of slurmd.
	for f in "$d"/slurmd.*.daemon; do
		[ -e "$f" ] || continue
		steps="$steps $(pgrep -P "$(cat "$f")" 2>/dev/null)"
	done
	for f in "$d"/slurmd.*.daemon "$d/slurmctld.daemon" "$d/munged.daemon"; do
		pid=$(cat "$f" 2>/dev/null) || continue
		name=${f##*/}
		name=${name%.daemon}
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

# slurm_job_gone ID: the batch job ID leaves squeue within 10 s.
slurm_job_gone() {
	local n=0
	while [ -n "$(squeue -h -j "$1" 2>/dev/null)" ] && [ $n -lt 100 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	[ -z "$(squeue -h -j "$1" 2>/dev/null)" ]
}

# need_cluster: skip, with the reason, when the daemons did not start.
need_cluster() {
	if [ -e "$SLURM_DIR/skip" ]; then
		skip "$(cat "$SLURM_DIR/skip")"
	fi
}

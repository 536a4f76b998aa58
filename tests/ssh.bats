#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
#
# ssh: jobs on other hosts (-S, --slf) through a real sshd started here.
#
# setup_file starts Debian's sshd on 127.0.0.1 and 127.0.0.2, on a free
# port, with host and user keys made for the run; the two addresses are
# two logins.  A remote job tells where it ran by $SSH_CONNECTION (its
# third field is the address it reached).  The tests skip only when
# sshd cannot run at all.  Some put a host in a network namespace of its
# own (ip netns, a veth pair), where the machine allows: a second sshd
# there, or a blackhole address (a host that never answers: what the
# namespace sends back is routed nowhere), never an outside address.
# The hosts connect at once and take jobs as each is ready, so a test
# with two hosts does not say which job goes to which.

load helpers
load sshd_file

# The remote login shell may say things on stderr (its rc files): the
# tests compare stdout, and look for parx's own lines in stderr.
bats_require_minimum_version 1.5.0

setup_more() {
	if [ -e "$SSHD_DIR/skip" ]; then
		skip "$(cat "$SSHD_DIR/skip")"
	fi
	PORT=$(cat "$SSHD_DIR/port")
	SSH="ssh -F $SSHD_DIR/ssh_config"
	H1=127.0.0.1
	H2=127.0.0.2
}

teardown_more() {
	if [ -e "$SSHD_DIR/extra.daemon" ]; then
		sshd_stop extra
	fi
	rm -f "$SSHD_DIR/extra.daemon"
	if [ -n "${NETNS:-}" ]; then
		ip netns del "$NETNS" 2>/dev/null
		ip link del "$VETH" 2>/dev/null
	fi
	return 0
}

# The address a remote job reached: 127.0.0.1, 127.0.0.2, or "" locally.
WHERE='$(echo $SSH_CONNECTION | cut -d" " -f3)'

# The hosts connect at once and take jobs as each is ready: which job
# goes where depends on which host answered first.  one_each TEXT: the
# lines "SEQ ... HOST" of TEXT are jobs 1 and 2, one on each of H1 and H2.
one_each() {
	[ "$(cut -d' ' -f1 <<< "$1" | tr '\n' ' ')" = "1 2 " ]
	[ "$(awk '{ print $NF }' <<< "$1" | sort | tr '\n' ' ')" = "$H1 $H2 " ]
}

@test "jobs spread over the hosts, one slot each, and the joblog names them" {
	# Each job waits for the other: they must run at once, on both hosts.
	run --separate-stderr bparx --ssh "$SSH" -S 1/$H1,1/$H2 -k --joblog log \
	    "touch $TMP/up.{}; while [ ! -e $TMP/up.\$((3 - {})) ]; do sleep 0.01; done; echo {} $WHERE" ::: 1 2
	[ "$status" -eq 0 ]
	one_each "$output"
	[ "$(cut -f 7 log | tr '\n' ' ')" = "Exitval 0 0 " ]
	one_each "$(tail -n +2 log | sort -n | cut -f 1,2 | tr '\t' ' ')"
}

@test "-S takes comma-separated lists and repeats; a login listed twice is one host" {
	run --separate-stderr bparx --ssh "$SSH" -S 1/$H1 -S 1/$H2,1/$H1 -k \
	    "touch $TMP/up.{}; while [ ! -e $TMP/up.\$((3 - {})) ]; do sleep 0.01; done; echo {} $WHERE" ::: 1 2
	[ "$status" -eq 0 ]
	one_each "$output"
}

@test "N/ gives a host N slots" {
	# Three jobs that each wait for all three: 3/ must run them at once.
	run --separate-stderr bparx --ssh "$SSH" -S 3/$H1 -k \
	    "touch $TMP/up.{}; until [ -e $TMP/up.1 ] && [ -e $TMP/up.2 ] && [ -e $TMP/up.3 ]; do sleep 0.01; done; echo {} $WHERE" ::: 1 2 3
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines "1 $H1" "2 $H1" "3 $H1")" ]
}

@test "--slf slurm: the allocation's nodes and task counts; the node parx runs on is local" {
	# The hostlist expands to both addresses, 1 slot each; each job waits
	# for the other, so they run at once, one per host.
	SLURM_JOB_NODELIST='127.0.0.[1-2]' SLURM_TASKS_PER_NODE='1(x2)' \
	    SLURMD_NODENAME=none run --separate-stderr bparx --ssh "$SSH" \
	    --slf slurm -k --joblog log \
	    "touch $TMP/up.{}; while [ ! -e $TMP/up.\$((3 - {})) ]; do sleep 0.01; done; echo {} $WHERE" ::: 1 2
	[ "$status" -eq 0 ]
	# The first host ready takes the first job: which job is not fixed.
	[ "$(awk '{ print $2 }' <<< "$output" | sort)" = "$(lines $H1 $H2)" ]
	# The node named by $SLURMD_NODENAME is this machine: ':', no ssh.
	SLURM_JOB_NODELIST="$H1,$H2" SLURM_TASKS_PER_NODE='1,1' \
	    SLURMD_NODENAME=$H2 run --separate-stderr bparx --ssh "$SSH" \
	    --slf slurm -k \
	    "touch $TMP/on.{}; while [ ! -e $TMP/on.\$((3 - {})) ]; do sleep 0.01; done; echo {} $WHERE" ::: 1 2
	[ "$status" -eq 0 ]
	[ "$(awk '{ print $2 }' <<< "$output" | sort)" = "$(lines '' $H1)" ]
}

# all_at_once N ARGS...: parx ARGS with N jobs that each wait for all N to
# have started; it finishes only if the host runs N jobs at once.
all_at_once() {
	local n=$1 args cond
	shift
	[ "$n" -le 17 ] || skip "too many CPUs to fill"
	args=$(seq 1 "$n")
	cond=$(for i in $args; do printf '[ -e %s/up.%s ] && ' "$TMP" "$i"; done)
	run --separate-stderr bparx --ssh "$SSH" "$@" -k \
	    "touch $TMP/up.{}; until $cond :; do sleep 0.01; done; echo {}" ::: $args
	[ "$status" -eq 0 ]
	[ "$output" = "$args" ]
}

@test "without N/ or -j a host gets as many slots as it has CPUs" {
	all_at_once "$(getconf _NPROCESSORS_ONLN)" -S $H1
}

@test "-j +1 counts from the host's CPUs" {
	all_at_once "$(( $(getconf _NPROCESSORS_ONLN) + 1 ))" -S $H1 -j +1
}

@test "-j N is the number of slots on each host" {
	# -j1: the second job on a host starts after the first one ended.
	run --separate-stderr bparx --ssh "$SSH" -S $H1 -j1 -k \
	    "[ {} = 1 ] || [ -e $TMP/done.1 ] || echo overlap; touch $TMP/done.{}; echo {}" ::: 1 2
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 1 2)" ]
}

@test ": is this machine: no ssh, Host : in the joblog" {
	run --separate-stderr bparx --ssh "$SSH" -S 1/:,1/$H1 -k --joblog log \
	    "touch $TMP/up.{}; while [ ! -e $TMP/up.\$((3 - {})) ]; do sleep 0.01; done; echo {} x$WHERE" ::: 1 2
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines "1 x" "2 x$H1")" ]
	run cut -f 1,2 log
	[ "$output" = "$(printf 'Seq\tHost\n1\t:\n2\t%s' $H1)" ]
}

@test "-S : alone runs locally without any ssh" {
	run --separate-stderr bparx --ssh false -S : -k echo ::: a b
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines a b)" ]
}

@test "--slf is read again when it changes: new hosts join, removed ones get no new jobs" {
	echo "1/$H1" > hosts
	start_bg --ssh "$SSH" --slf hosts --joblog log \
	    "touch $TMP/started.{}; while [ ! -e $TMP/go.{} ]; do sleep 0.01; done; echo {} $WHERE" ::: 1 2 3
	wait_for started.1
	# A new file (new inode) in one step: H1 leaves, H2 comes.
	echo "# the second host only" > hosts.new
	echo "1/$H2" >> hosts.new
	mv hosts.new hosts
	touch go.1 go.2 go.3
	wait_exit
	[ "$STATUS" -eq 0 ]
	[ "$(cat out)" = "$(lines "1 $H1" "2 $H2" "3 $H2")" ]
	run cut -f 1,2 log
	[ "$output" = "$(printf 'Seq\tHost\n1\t%s\n2\t%s\n3\t%s' $H1 $H2 $H2)" ]
}

@test "--slf changed into a bad file: one warning naming it once, its hosts kept" {
	echo "1/:" > hosts
	start_bg --slf hosts -j1 \
	    "touch $TMP/started.{}; while [ ! -e $TMP/go.{} ]; do sleep 0.01; done; echo {}" ::: 1 2
	wait_for started.1
	printf '1/:\nbad host!\n' > hosts.new
	mv hosts.new hosts
	touch go.1 go.2
	wait_exit
	[ "$STATUS" -eq 0 ]
	[ "$(cat out)" = "$(lines 1 2)" ]
	[ "$(cat err)" = "parx: warning: invalid sshlogin 'bad host!' in --sshloginfile 'hosts': expected [@GROUPS/][N/][SSHCOMMAND ][user[:password]@]host[:port], ':' or @GROUPS (its hosts before the change are kept)" ]
}

# transfer_round_trip METHOD: --transfer, --return, --cleanup with odd names.
transfer_round_trip() {
	export PARX_TRANSFER=$1
	mkdir "sub dir"
	names=('a b' "it's" $'new\nline' '-dash' 'sub dir/x"y' '$HOME')
	for f in "${names[@]}"; do printf '%s\n' "in $f" > "$f"; done
	run --separate-stderr bparx --ssh "$SSH" -S 1/$H1,1/$H2 --wd "$TMP/remote" \
	    --transfer --return {}.out --cleanup \
	    'tr a-z A-Z < {} > {}.out && echo ok' ::: "${names[@]}"
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines ok ok ok ok ok ok)" ]
	for f in "${names[@]}"; do
		[ "$(cat -- "$f.out")" = "$(printf '%s\n' "in $f" | tr a-z A-Z)" ]
	done
	# --cleanup removed what it sent and fetched, and the empty dirs.
	[ ! -e "$TMP/remote" ]
}

@test "--transfer --return --cleanup round trip with odd file names (rsync)" {
	command -v rsync >/dev/null || skip "no rsync"
	transfer_round_trip rsync
}

@test "--transfer --return --cleanup round trip with odd file names (tar)" {
	transfer_round_trip tar
}

@test "--trc is --transfer --return --cleanup; /./ keeps the path after it" {
	mkdir -p in out
	echo data > in/f
	run --separate-stderr bparx --ssh "$SSH" -S $H1 --wd "$TMP/remote" --trc out/./{}.out \
	    'cat {} > {}.out; echo {}' ::: in/f
	[ "$status" -eq 0 ]
	[ "$output" = in/f ]
	[ "$(cat out/in/f.out)" = data ]
	[ ! -e "$TMP/remote" ]
}

@test "--basefile reaches every host before its first job, --cleanup removes it" {
	echo base > base.txt
	run --separate-stderr bparx --ssh "$SSH" -S 1/$H1,1/$H2 --bf base.txt --wd "$TMP/r" --cleanup -k \
	    "touch $TMP/up.{}; while [ ! -e $TMP/up.\$((3 - {})) ]; do sleep 0.01; done; echo {} \$(cat base.txt) $WHERE" ::: 1 2
	[ "$status" -eq 0 ]
	[ "$(cut -d' ' -f2 <<< "$output" | tr '\n' ' ')" = "base base " ]
	one_each "$output"
	[ ! -e "$TMP/r/base.txt" ]
}

@test "GNU's other names: --work-dir, --transfer-file(s), --transferfiles" {
	local o
	echo data > f
	# GNU: parallel -S host --work-dir DIR --transfer-file {} --cleanup 'cat {}' ::: f
	for o in --transfer-file --transferfiles --transfer-files; do
		run --separate-stderr bparx --ssh "$SSH" -S $H1 \
		    --work-dir "$TMP/w" $o {} --cleanup 'cat {}; pwd' ::: f
		[ "$status" -eq 0 ]
		[ "$output" = "$(lines data "$TMP/w")" ]
		[ ! -e "$TMP/w" ]
	done
}

@test "--workdir DIR, . and ..." {
	run --separate-stderr bparx --ssh "$SSH" -S $H1 --wd "$TMP/w d" pwd ::: ''
	[ "$status" -eq 0 ]
	[ "$output" = "$TMP/w d" ]
	mkdir -p here
	cd here
	run --separate-stderr bparx --ssh "$SSH" -S $H1 --wd . pwd ::: ''
	[ "$status" -eq 0 ]
	[ "$output" = "$TMP/here" ]
	# ... is a new directory per job, removed with --cleanup.
	run --separate-stderr bparx --ssh "$SSH" -S $H1 --wd ... --cleanup pwd ::: ''
	[ "$status" -eq 0 ]
	case $output in
	"$HOME"/.parallel/tmp/*-1) ;;
	*) echo "unexpected: $output"; false ;;
	esac
	[ ! -e "$output" ]
}

@test "--workdir applies to jobs on : as to those on other hosts" {
	# parallel -S 1/:,1/$H1 --wd "$TMP/w d/{}" pwd ::: 1 2 (both made, both there)
	run --separate-stderr bparx --ssh "$SSH" -S 1/:,1/$H1 -k --wd "$TMP/w d/{}" \
	    "touch $TMP/up.{}; while [ ! -e $TMP/up.\$((3 - {})) ]; do sleep 0.01; done; echo \$(pwd) x$WHERE" ::: 1 2
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines "$TMP/w d/1 x" "$TMP/w d/2 x$H1")" ]
	# ... on : as on a host: a new directory per job, removed after
	export HOME=$TMP/home
	mkdir "$HOME"
	run --separate-stderr bparx --ssh "$SSH" -S 1/: --wd ... --cleanup 'pwd; : {}' ::: a
	[ "$status" -eq 0 ]
	case $output in
	"$HOME"/.parallel/tmp/*-1) ;;
	*) echo "unexpected: $output"; false ;;
	esac
	[ ! -e "$output" ]
}

@test "--env passes variables to the remote jobs" {
	export FOO="a 'b' \$c \"d\"" BAR=2
	run --separate-stderr bparx --ssh "$SSH" -S $H1 --env FOO --env BAR \
	    'printf "%s|%s|%s|%s\n" "$FOO" "$BAR" "$PARALLEL_SEQ" {}' ::: x
	[ "$status" -eq 0 ]
	[ "$output" = "a 'b' \$c \"d\"|2|1|x" ]
}

@test "--env NAME sends an exported bash function, and the shells it starts get it" {
	# myfunc() { ...; }; export -f myfunc;
	# parallel --ssh "$SSH" --env myfunc -S $H1 -k myfunc ::: 'a b' c
	myfunc() { printf '<%s>\n' "$@" "{q}"; }
	export -f myfunc
	run --separate-stderr bparx --ssh "$SSH" -S $H1 --env myfunc -k \
	    myfunc ::: 'a b' "c'd"
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines '<a b>' '<{q}>' "<c'd>" '<{q}>')" ]
	run --separate-stderr bparx --ssh "$SSH" -S $H1 --env myfunc \
	    'bash -c "myfunc {}"' ::: x
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines '<x>' '<{q}>')" ]
	# without --env it is not there
	run --separate-stderr bparx --ssh "$SSH" -S $H1 --joblog log myfunc ::: x
	[ "$status" -eq 1 ]
	[ "$(tail -1 log | cut -f 7)" = 127 ]
}

@test "SIGINT to parx kills the remote jobs, their whole process groups" {
	start_bg --ssh "$SSH" -S 2/$H1,2/$H2 \
	    "sleep $S & echo \$! > $TMP/pid.{}.bg; echo \$\$ > $TMP/pid.{}; exec sleep $S" ::: 1 2 3 4
	for i in 1 2 3 4; do wait_for pid.$i; wait_for pid.$i.bg; done
	kill -INT "$PID"
	wait_exit
	[ "$STATUS" -eq 255 ]
	for i in 1 2 3 4; do
		all_gone pid.$i
		all_gone pid.$i.bg
	done
	no_processes_left "sleep $S"
}

@test "--timeout kills the remote job" {
	run --separate-stderr bparx --ssh "$SSH" -S $H1 --timeout 1 --joblog log \
	    "echo \$\$ > $TMP/pid.1; exec sleep $S" ::: 1
	[ "$status" -eq 1 ]
	run cut -f 2,7 log
	[ "$output" = "$(printf 'Host\tExitval\n%s\t-1' $H1)" ]
	all_gone pid.1
	no_processes_left "sleep $S"
}

@test "--termseq is applied step by step on the remote side" {
	# The job ignores TERM: only the KILL at the end stops it.
	run --separate-stderr bparx --ssh "$SSH" -S $H1 --timeout 1 --termseq TERM,100,KILL,25 \
	    "trap '' TERM; echo \$\$ > $TMP/pid.1; sleep $S; echo survived" ::: 1
	[ "$status" -eq 1 ]
	[ "$output" != survived ]
	all_gone pid.1
	no_processes_left "sleep $S"
}

@test "a host that cannot be reached is reported once and gets no jobs" {
	# A port nobody listens on.
	dead=$PORT
	while (exec 3<>/dev/tcp/127.0.0.1/$dead) 2>/dev/null; do
		dead=$(( dead + 1 ))
	done
	run --separate-stderr bparx --ssh "$SSH" -S 1/$H1:$dead,1/$H2 -k --joblog log \
	    "echo {} $WHERE" ::: 1 2 3
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines "1 $H2" "2 $H2" "3 $H2")" ]
	[ "$(grep -c "host '$H1:$dead' is down" <<< "$stderr")" -eq 1 ]
	run cut -f 2 log
	[ "$output" = "$(lines Host $H2 $H2 $H2)" ]
}

# extra_up: a second sshd, on 127.0.0.3:$PORT2, for a host that goes down
# (sshd_stop extra).
extra_up() {
	PORT2=$((PORT + 1))
	while (exec 3<>/dev/tcp/127.0.0.3/$PORT2) 2>/dev/null; do
		PORT2=$(( PORT2 + 1 ))
	done
	sshd_start "$SSHD_DIR" "$PORT2" extra 127.0.0.3 || skip "no second sshd"
}

@test "a host that goes down: its job dies there and runs again on another host with --retries" {
	extra_up
	start_bg --ssh "$SSH" -S 1/127.0.0.3:$PORT2,1/$H1 --retries 2 -k --joblog log \
	    "echo \$\$ > $TMP/pid.{}.$WHERE; touch $TMP/started.{}.$WHERE; while [ ! -e $TMP/go ]; do sleep 0.01; done; echo {} $WHERE" ::: 1 2
	# The job the host took first, whichever it is.
	local n=2000 k=
	while [ -z "$k" ] && [ $n -gt 0 ]; do
		for i in 1 2; do [ ! -e "$TMP/started.$i.127.0.0.3" ] || k=$i; done
		sleep 0.01; n=$((n - 1))
	done
	[ -n "$k" ]
	sshd_stop extra
	touch go
	wait_exit
	[ "$STATUS" -eq 0 ]
	[ "$(cat out)" = "$(lines "1 $H1" "2 $H1")" ]
	[ "$(grep -c "host '127.0.0.3:$PORT2' is down" err)" -eq 1 ]
	# The job on the lost host died with its connection.
	all_gone pid.$k.127.0.0.3
	run cut -f 1,2,7 log
	[ "$output" = "$(printf 'Seq\tHost\tExitval\n1\t%s\t0\n2\t%s\t0' $H1 $H1)" ]
}

@test "every host down while jobs are left: the first is named, with the ones after it, and parx exits 255" {
	extra_up
	start_bg --ssh "$SSH" -S 1/127.0.0.3:$PORT2 --joblog log \
	    "touch $TMP/started.{}; while [ ! -e $TMP/go ]; do sleep 0.01; done; echo {}" ::: 1 2 3
	wait_for started.1
	sshd_stop extra
	touch go
	wait_exit
	[ "$STATUS" -eq 255 ]
	[ "$(grep -c "host '127.0.0.3:$PORT2' is down" err)" -eq 1 ]
	[ "$(tail -n 1 err)" = "parx: no host is left to run job 2 on, nor the jobs after it" ]
	[ "$(cut -f 1,7 log)" = "$(printf 'Seq\tExitval\n1\t255')" ]
	[ ! -e started.2 ]
}

@test "output stays grouped and -k keeps the order across hosts" {
	run --separate-stderr bparx --ssh "$SSH" -S 2/$H1,2/$H2 -k \
	    'for i in 1 2 3; do echo {}-$i; done' ::: a b c d e f
	[ "$status" -eq 0 ]
	[ "$output" = "$(for x in a b c d e f; do for i in 1 2 3; do echo $x-$i; done; done)" ]
	# Without -k: each job's block is whole, big ones too.
	run --separate-stderr bparx --ssh "$SSH" -S 2/$H1,2/$H2 'seq 1 20000 | sed "s/^/{} /"' ::: a b c d
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | awk '{ print $1 }' | uniq | wc -l)" -eq 4 ]
	[ "$(printf '%s\n' "$output" | wc -l)" -eq 80000 ]
}

@test "--tag across hosts" {
	run --separate-stderr bparx --ssh "$SSH" -S 1/$H1,1/$H2 -k --tag 'echo x; echo y; : {}' ::: a b
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'a\tx\na\ty\nb\tx\nb\ty')" ]
}

@test "exit statuses of remote jobs count as local ones do" {
	run --separate-stderr bparx --ssh "$SSH" -S 1/$H1,1/$H2 --joblog log 'exit {}' ::: 0 3 0 7
	[ "$status" -eq 2 ]
	run sh -c "cut -f 1,7 log | sort -n"
	[ "$output" = "$(printf 'Seq\tExitval\n1\t0\n2\t3\n3\t0\n4\t7')" ]
	run --separate-stderr bparx --ssh "$SSH" -S $H1 'no-such-command-{}' ::: x
	[ "$status" -eq 1 ]
	run --separate-stderr bparx --ssh "$SSH" -S $H1 --halt now,fail=1 'exit {}' ::: 5
	[ "$status" -eq 5 ]
}

@test "a remote job killed by a signal is logged as a local one is: Signal N, and --halt gives 128+N" {
	command -v perl >/dev/null || skip "no perl on the host"
	# GNU parallel logs the remote one as Exitval 143, Signal 0:
	# parallel -S $H1 --joblog log 'kill -TERM $$' ::: 1
	for host in : $H1; do
		run --separate-stderr bparx --ssh "$SSH" -S $host --joblog log \
		    'kill -TERM $$; : {}' ::: 1
		[ "$status" -eq 1 ]
		[ "$(tail -n 1 log | cut -f 2,7,8)" = "$(printf '%s\t0\t15' $host)" ]
		run --separate-stderr bparx --ssh "$SSH" -S $host --joblog log \
		    'sleep 0.1; kill -KILL $$; : {}' ::: 1
		[ "$status" -eq 1 ]
		[ "$(tail -n 1 log | cut -f 7,8)" = "$(printf '0\t9')" ]
		run --separate-stderr bparx --ssh "$SSH" -S $host --halt now,fail=1 \
		    'kill -TERM $$; : {}' ::: 1
		[ "$status" -eq 143 ]
		# A job that exits 128+N itself was not killed.
		run --separate-stderr bparx --ssh "$SSH" -S $host --joblog log 'exit {}' ::: 143
		[ "$status" -eq 1 ]
		[ "$(tail -n 1 log | cut -f 7,8)" = "$(printf '143\t0')" ]
	done
	# The signal's name went through a file on the host, removed since;
	# none is made for a job parx kills, which logs the signal it sent.
	start_bg --ssh "$SSH" -S $H1 'kill -TERM $$; : {}' ::: 1
	wait_exit
	[ "$STATUS" -eq 1 ]
	[ -z "$(cd && ls -a | grep -e "^\.parx-signal-.*-$PID-" || true)" ]
	start_bg --ssh "$SSH" -S $H1 --timeout 0.5 --joblog log 'sleep 10; : {}' ::: 1
	wait_exit
	[ "$STATUS" -eq 1 ]
	# TERM, or KILL when the remote side was slower than the sequence.
	case $(tail -n 1 log | cut -f 7,8) in
	"$(printf -- '-1\t15')"|"$(printf -- '-1\t9')") ;;
	*) tail -n 1 log; false ;;
	esac
	[ -z "$(cd && ls -a | grep -e "^\.parx-signal-.*-$PID-" || true)" ]
}

@test "\$PARALLEL_SSH is the ssh command when --ssh is not given" {
	PARALLEL_SSH="$SSH" run --separate-stderr bparx -S $H1 "echo {} $WHERE" ::: a
	[ "$status" -eq 0 ]
	[ "$output" = "a $H1" ]
}

@test "a malformed login is an error of parx (255)" {
	run --separate-stderr bparx -S 1/ true ::: a
	[ "$status" -eq 255 ]
	[ "$stderr" = "parx: invalid sshlogin '1/' for --sshlogin/-S: expected [@GROUPS/][N/][SSHCOMMAND ][user[:password]@]host[:port], ':' or @GROUPS" ]
	printf '%s\n' "$H1" 0/h > hosts
	run --separate-stderr bparx --slf hosts true ::: a
	[ "$status" -eq 255 ]
	[ "$stderr" = "parx: invalid sshlogin '0/h' in --sshloginfile 'hosts': expected [@GROUPS/][N/][SSHCOMMAND ][user[:password]@]host[:port], ':' or @GROUPS" ]
	run --separate-stderr bparx --slf "$TMP/no-such-file" true ::: a
	[ "$status" -eq 255 ]
	[ "$stderr" = "parx: cannot read --slf '$TMP/no-such-file': No such file or directory" ]
}

@test "a host that never answers holds nothing up: the others run every job, it is reported once" {
	blackhole_up
	# ssh's own connect timeout is minutes: the jobs are done long before.
	# (GNU parallel gives the host its jobs, each failing after the timeout.)
	SECONDS=0
	run --separate-stderr bparx --ssh "$SSH" -S 1/$BLACKHOLE,1/$H1 -k --joblog log \
	    "echo {} $WHERE" ::: 1 2 3
	[ "$status" -eq 0 ]
	[ "$SECONDS" -lt 30 ]
	[ "$output" = "$(lines "1 $H1" "2 $H1" "3 $H1")" ]
	[ "$stderr" = "parx: warning: host '$BLACKHOLE' got no jobs: it was still connecting when the jobs were done" ]
	run cut -f 2 log
	[ "$output" = "$(lines Host $H1 $H1 $H1)" ]
	no_processes_left "$BLACKHOLE"
}

@test "a host that answers no sooner than its connect timeout is down, once; the jobs run elsewhere" {
	blackhole_up
	# The jobs outlast the timeout: the host is reported as it fails.
	run --separate-stderr bparx --ssh "$SSH -o ConnectTimeout=1" -S 1/$BLACKHOLE,1/$H1 -k \
	    "[ {} != 1 ] || sleep 3; echo {} $WHERE" ::: 1 2
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines "1 $H1" "2 $H1")" ]
	[ "$(grep -c "$BLACKHOLE" <<< "$stderr")" -eq 1 ]
	grep -q "^parx: warning: host '$BLACKHOLE' is down, it gets no more jobs: ssh: connect to host $BLACKHOLE port $PORT: Connection timed out\$" <<< "$stderr"
}

@test "no host answers: an error of parx (255), every job reported as not run" {
	blackhole_up
	run --separate-stderr bparx --ssh "$SSH -o ConnectTimeout=1" -S $BLACKHOLE --joblog log true ::: a b
	[ "$status" -eq 255 ]
	[ "$(tail -n 1 <<< "$stderr")" = "parx: no host is up to run jobs on" ]
	[ "$(grep -c "host '$BLACKHOLE' is down" <<< "$stderr")" -eq 1 ]
	[ "$(cat log)" = "$(printf 'Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand')" ]
}

@test "SIGINT while the only host is still connecting: exit 255 at once, nothing left" {
	blackhole_up
	mkdir ctl
	TMPDIR="$TMP/ctl" start_bg --ssh "$SSH" -S $BLACKHOLE echo ::: 1
	# Its connecting ssh is there: parx waits for it.
	local n=500
	until pgrep -f -- "$TMP/ctl/parx-ssh-.* -M -N -f" >/dev/null || [ $n -eq 0 ]; do
		sleep 0.01; n=$((n - 1))
	done
	kill -INT "$PID"
	wait_exit 5
	[ "$STATUS" -eq 255 ]
	[ "$(cat out)" = "" ]
	[ -z "$(ls -A ctl)" ]
	no_processes_left "$TMP/ctl/parx-ssh-"
}

@test "no host up is an error of parx (255)" {
	dead=$PORT
	while (exec 3<>/dev/tcp/127.0.0.1/$dead) 2>/dev/null; do
		dead=$(( dead + 1 ))
	done
	run --separate-stderr bparx --ssh "$SSH" -S $H1:$dead true ::: a
	[ "$status" -eq 255 ]
	[ "$(tail -n 1 <<< "$stderr")" = "parx: no host is up to run jobs on" ]
}

@test "the control directory is gone and no ssh master is left" {
	mkdir ctl
	TMPDIR="$TMP/ctl" run --separate-stderr bparx --ssh "$SSH" -S $H1 true ::: a
	[ "$status" -eq 0 ]
	[ -z "$(ls -A ctl)" ]
	no_processes_left "$TMP/ctl/parx-ssh-"
}

@test "--func, --cat and --fifo cannot run on other hosts" {
	run --separate-stderr bparx --ssh "$SSH" -S $H1 --func echo ::: a
	[ "$status" -eq 255 ]
	[ "$stderr" = "parx: --func cannot run jobs on other hosts (-S)" ]
	run --separate-stderr bparx --ssh "$SSH" -S $H1 --cat cat < /dev/null
	[ "$status" -eq 255 ]
	[ "$stderr" = "parx: --cat cannot run jobs on other hosts (-S)" ]
	run --separate-stderr bparx --ssh "$SSH" -S $H1 --fifo cat < /dev/null
	[ "$status" -eq 255 ]
	[ "$stderr" = "parx: --fifo cannot run jobs on other hosts (-S)" ]
}

# ls_ctl: what the remote jobs' control files left in the login dir, once
# they have had 5 s to go (a job killed from there takes a second: TERM,
# then KILL).
ls_ctl() {
	local n=500
	while ls -A ~ | grep -q '^\.parx-' && [ $n -gt 0 ]; do
		sleep 0.01; n=$((n - 1))
	done
	ls -A ~ | grep '^\.parx-' || true
}

@test "--pipe to other hosts: each block is a remote job's stdin, every byte once, in order with -k" {
	# GNU: seq 10 | parallel --pipe -N3 -k -S 127.0.0.1 'echo J; cat'
	run --separate-stderr bparx --ssh "$SSH" -S $H1,$H2 --pipe -N3 -k 'echo J; cat' < <(seq 10)
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines J 1 2 3 J 4 5 6 J 7 8 9 J 10)" ]
	seq 300000 > big
	bparx --ssh "$SSH" -S 2/$H1,2/$H2 --pipe --block 200k -k cat < big > out
	cmp big out
	bparx --ssh "$SSH" -S 2/$H1,2/$H2 --pipe-part --block 200k -k cat :::: big > out
	cmp big out
	# a file name with blanks, quotes and a leading dash
	cp big "./-o d'd \"n\" \$x"
	bparx --ssh "$SSH" -S 2/$H1 --pipe-part --block 200k -k -a "./-o d'd \"n\" \$x" cat > out
	cmp big out
	# --round-robin: a job per slot, the blocks spread over them
	run --separate-stderr bparx --ssh "$SSH" -S 2/$H1 --round-robin --block 20k 'wc -l' < big
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
	[ "$(printf '%s\n' "$output" | awk '{ n += $1 } END { print n }')" -eq 300000 ]
	# --tee: all of it to every job
	run --separate-stderr bparx --ssh "$SSH" -S $H1 --tee --pipe -k 'echo {}; wc -l' ::: a b < big
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines a 300000 b 300000)" ]
	[ -z "$(ls_ctl)" ]
}

@test "--pipe to other hosts: exit statuses, --timeout, --retries; nothing left there" {
	run --separate-stderr bparx --ssh "$SSH" -S $H1 --pipe -N1 -k --joblog log 'read n; exit $n' < <(seq 0 2)
	[ "$status" -eq 2 ]
	[ "$(cut -f 7 log | tail -n 3 | tr '\n' ' ')" = "0 1 2 " ]
	run --separate-stderr bparx --ssh "$SSH" -S $H1 --pipe -N1 --timeout 1 --joblog log \
	    "cat > /dev/null; echo \$\$ > $TMP/pid.1; exec sleep $S" < <(seq 1)
	[ "$status" -eq 1 ]
	# killed: TERM, or KILL at the end of the kill sequence under load
	[ "$(tail -n 1 log | cut -f 7)" = -1 ]
	all_gone pid.1
	no_processes_left "sleep $S"
	# each job fails once, then gets its block again
	run --separate-stderr bparx --ssh "$SSH" -S $H1 --pipe -N2 --retries 2 -k \
	    "read i; f=$TMP/t.\$i; [ -e \$f ] || { touch \$f; exit 1; }; echo ok; cat" < <(seq 4)
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines ok 2 ok 4)" ]
	[ -z "$(ls_ctl)" ]
}

@test "--pipe to other hosts: SIGINT and SIGKILL to parx end the remote jobs" {
	IN=<(seq 4) start_bg --ssh "$SSH" -S 2/$H1,2/$H2 --pipe -N1 \
	    "read i; echo \$\$ > $TMP/pid.\$i; exec sleep $S"
	for i in 1 2 3 4; do wait_for pid.$i; done
	kill -INT "$PID"
	wait_exit
	[ "$STATUS" -eq 255 ]
	for i in 1 2 3 4; do all_gone pid.$i; done
	no_processes_left "sleep $S"
	[ -z "$(ls_ctl)" ]
	rm -f pid.*
	mkdir ctl
	IN=<(seq 2) TMPDIR="$TMP/ctl" start_bg --ssh "$SSH" -S 2/$H1 --pipe -N1 \
	    "read i; echo \$\$ > $TMP/pid.\$i; exec sleep $S"
	for i in 1 2; do wait_for pid.$i; done
	kill -KILL "$PID"
	wait_exit
	for i in 1 2; do all_gone pid.$i; done
	wait_ctl_gone "sleep $S"
	no_processes_left "sleep $S"
	[ -z "$(ls_ctl)" ]
}

@test "user@host:port logins; the joblog names them as written" {
	login="$(id -un)@$H2:$PORT"
	run --separate-stderr bparx --ssh "$SSH" -S "2/$login" --joblog log \
	    "echo {} $WHERE \$(id -un)" ::: a
	[ "$status" -eq 0 ]
	[ "$output" = "a $H2 $(id -un)" ]
	run cut -f 2 log
	[ "$output" = "$(lines Host "$login")" ]
}

@test "-S 'SSHCOMMAND [user@]host': the login's own ssh command, N/ before it; \$PARALLEL_SSHLOGIN, \$PARALLEL_SSHHOST" {
	# parallel -S "$SSH $H1" -S "2/$SSH $USER@$H2" --joblog log -k \
	#   'echo {} "$PARALLEL_SSHLOGIN" "$PARALLEL_SSHHOST"' ::: 1 2
	local user
	user=$(id -un)
	run --separate-stderr bparx --ssh false -S "1/$SSH $H1" -S "2/$SSH $user@$H2" --joblog log -k \
	    'touch '"$TMP"'/up.{}; until [ -e '"$TMP"'/up.1 ] && [ -e '"$TMP"'/up.2 ] && [ -e '"$TMP"'/up.3 ]; do sleep 0.01; done; echo {} "$PARALLEL_SSHLOGIN" "$PARALLEL_SSHHOST" '"$WHERE" ::: 1 2 3
	[ "$status" -eq 0 ]
	# Three at once: the second host has two slots.  Which host takes
	# which job depends on which is ready first.
	[ "$(cut -d' ' -f1 <<< "$output" | tr '\n' ' ')" = "1 2 3 " ]
	[ "$(grep -c " $SSH $H1 $H1 $H1\$" <<< "$output")" -eq 1 ]
	[ "$(grep -c " $SSH $user@$H2 $H2 $H2\$" <<< "$output")" -eq 2 ]
	[ "$(tail -n +2 log | cut -f 2 | sort -u)" = "$(lines "$SSH $H1" "$SSH $user@$H2")" ]
}

@test "\$PARALLEL_SSHLOGIN and \$PARALLEL_SSHHOST are : for jobs on this machine" {
	# parallel 'echo "$PARALLEL_SSHLOGIN" "$PARALLEL_SSHHOST"' ::: 1 (: :)
	for s in "" "-S 2/:"; do
		PARALLEL_SSHHOST=x run --separate-stderr bparx $s 'echo "$PARALLEL_SSHLOGIN" "$PARALLEL_SSHHOST" {}' ::: 1
		[ "$status" -eq 0 ]
		[ "$output" = ": : 1" ]
	done
}

@test "host groups: @GROUP+GROUP/ puts a login in groups, a login @GROUP keeps only that group's hosts" {
	# parallel -S @g1/$H1,@g2+g3/$H2,@g3 'echo $WHERE' ::: 1 2 3 (all on H2)
	run --separate-stderr bparx --ssh "$SSH" -S @g1/$H1,@g2+g3/2/$H2 -S @g3 -k \
	    "echo {} $WHERE" ::: 1 2 3
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines "1 $H2" "2 $H2" "3 $H2")" ]
	run --separate-stderr bparx --ssh "$SSH" -S @g1/$H1,@g2/$H2 -S @g9 true ::: 1
	[ "$status" -eq 255 ]
	[ "$stderr" = "parx: no sshlogin is in the host groups given" ]
}

@test "--hostgroups: ARG@GROUPS runs only on the hosts of those groups, with ARG as its value" {
	# parallel --hgrp -S @g1/$H1 -S @g2/$H2 -k --tag 'echo $WHERE' ::: a@g1 b@g2 c@g1+g2 d
	run --separate-stderr bparx --ssh "$SSH" --hgrp -S @g1/1/$H1 -S @g2/1/$H2 -k --tag \
	    "echo {} $WHERE" ::: a@g1 b@g2 a@g1 b@g2 c@g1+g2 d
	[ "$status" -eq 0 ]
	[ "$(grep -v '^[cd]' <<< "$output")" = "$(printf 'a\ta %s\nb\tb %s\na\ta %s\nb\tb %s' $H1 $H2 $H1 $H2)" ]
	[ "$(grep -c "^c	c \(127.0.0.1\|127.0.0.2\)\$" <<< "$output")" -eq 1 ]
	[ "$(grep -c "^d	d \(127.0.0.1\|127.0.0.2\)\$" <<< "$output")" -eq 1 ]
	# The groups of the host, and of the argument (every one without).
	run --separate-stderr bparx --ssh "$SSH" --hgrp -S @g1/1/$H1 -S @g2+g3/1/$H2 -k --tag \
	    'echo "$PARALLEL_HOSTGROUPS" "$PARALLEL_ARGHOSTGROUPS"' ::: a@g1 b@g3
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'a\tg1+%s g1 a\nb\tg2+g3+%s g3 b' $H1 $H2)" ]
	run --separate-stderr bparx --ssh "$SSH" --hgrp -S @g1/$H1 \
	    'echo "$PARALLEL_ARGHOSTGROUPS"' ::: a
	[ "$output" = "g1+$H1 a" ]
	# A host's own name is a group; one no host is in becomes a host.
	# parallel --hgrp -S $H1 'echo $WHERE' ::: a@$H2
	# (parallel: Warning: Adding hostgroups: $H2)
	run --separate-stderr bparx --ssh "$SSH" --hgrp -S $H1 "echo {} $WHERE" ::: a@$H2
	[ "$status" -eq 0 ]
	[ "$output" = "a $H2" ]
	[ "$stderr" = "parx: warning: adding host group '$H2' as a host (no host is in it)" ]
	# A job waiting for its group's host holds back no other: b starts
	# on H2 while a2 waits for a, which waits for b.
	# parallel --hgrp -S @g1/1/$H1 -S @g2/1/$H2 -k ... ::: a@g1 a2@g1 b@g2
	run --separate-stderr bparx --ssh "$SSH" --hgrp -S @g1/1/$H1 -S @g2/1/$H2 -k \
	    "if [ {} = b ]; then touch $TMP/b; else while [ ! -e $TMP/b ]; do sleep 0.01; done; fi; echo {} $WHERE" \
	    ::: a@g1 a2@g1 b@g2
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines "a $H1" "a2 $H1" "b $H2")" ]
	# Without --hostgroups the value is as it is.
	run --separate-stderr bparx --ssh "$SSH" -S @g1/$H1 "echo {}" ::: a@g1
	[ "$output" = "a@g1" ]
}

@test "--sshdelay starts the ssh connections and the jobs SECS apart" {
	# parallel --sshdelay 0.5 --joblog log -S $H1 true ::: 1 2 3: 0.5 s apart
	run --separate-stderr bparx --ssh "$SSH" --sshdelay 0.4 -S 3/$H1,3/$H2 --joblog log true ::: 1 2 3
	[ "$status" -eq 0 ]
	run sh -c "tail -n +2 log | cut -f 3 | sort -n"
	[ "$(lines $output | awk 'NR > 1 { if ($1 - p < 0.39) print "close: " p, $1 } { p = $1 }')" = "" ]
	[ "$(lines $output | wc -l)" -eq 3 ]
	# --delay, given, wins for the jobs.
	run --separate-stderr bparx --ssh "$SSH" --ssh-delay 5 --delay 0 -S 3/$H1 --joblog log true ::: 1 2
	[ "$status" -eq 0 ]
}

@test "--filter-hosts: every host is connected before the first job; a dead one gets none" {
	blackhole_up
	# parallel --filter-hosts -S $BLACKHOLE,$H1 echo ::: 1 2
	# (parallel: Warning: Removed $BLACKHOLE.)
	run --separate-stderr bparx --ssh "$SSH -o ConnectTimeout=1" --filter-hosts \
	    -S 1/$BLACKHOLE,1/$H1 -k "echo {} $WHERE" ::: 1 2
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines "1 $H1" "2 $H1")" ]
	[ "$stderr" = "parx: warning: host '$BLACKHOLE' is down, it gets no more jobs: ssh: connect to host $BLACKHOLE port $PORT: Connection timed out" ]
}

@test "--retries runs a failed job again on another host" {
	# The first try goes to the host ready first, the second to the other.
	run --separate-stderr bparx --ssh "$SSH" -S 1/$H1,1/$H2 --retries 2 --joblog log \
	    "if [ -e $TMP/tried ]; then echo {} $WHERE; else echo $WHERE > $TMP/tried; exit 1; fi" ::: a
	[ "$status" -eq 0 ]
	first=$(cat "$TMP/tried")
	case $first in
	$H1) second=$H2 ;;
	$H2) second=$H1 ;;
	*) false ;;
	esac
	[ "$output" = "a $second" ]
	run cut -f 2,7 log
	[ "$output" = "$(printf 'Host\tExitval\n%s\t0' $second)" ]
}

# netns_up: a network namespace $NETNS joined to this one by a veth pair
# ($VETH here); this side is 10.231.$net.1, the namespace 10.231.$net.2.
# Skips where the machine has no namespaces; teardown_more removes it.
netns_up() {
	command -v ip >/dev/null || skip "no ip"
	# Short names: interface names have at most 15 bytes.
	NETNS="parx$$$RANDOM"
	VETH="px${RANDOM}h"
	net=$(( RANDOM % 200 + 20 ))
	if ! ip netns add "$NETNS" 2>/dev/null; then
		NETNS=
		skip "no network namespaces here"
	fi
	ip link add "$VETH" type veth peer name "${VETH%h}n" 2>/dev/null ||
	    skip "no veth pairs here"
	ip link set "${VETH%h}n" netns "$NETNS"
	ip addr add 10.231.$net.1/30 dev "$VETH"
	ip link set "$VETH" up
	ip netns exec "$NETNS" ip addr add 10.231.$net.2/30 dev "${VETH%h}n"
	ip netns exec "$NETNS" ip link set "${VETH%h}n" up
	ip netns exec "$NETNS" ip link set lo up
}

# blackhole_up: BLACKHOLE, an address in a namespace of its own that
# never answers: what it would send back goes nowhere, so a connection
# to it waits until the client gives up.
blackhole_up() {
	netns_up
	ip netns exec "$NETNS" ip route add blackhole 10.231.$net.1/32 ||
	    skip "no blackhole routes here"
	BLACKHOLE=10.231.$net.2
}

@test "a host in another network namespace" {
	netns_up
	sshd_start "$SSHD_DIR" "$PORT" extra 10.231.$net.2 || skip "no sshd in the namespace"
	here=$(readlink /proc/self/ns/net)
	run --separate-stderr bparx --ssh "$SSH" -S 1/10.231.$net.2,1/$H1 -k --joblog log \
	    "touch $TMP/up.{}; while [ ! -e $TMP/up.\$((3 - {})) ]; do sleep 0.01; done; echo {} $WHERE \$(readlink /proc/self/ns/net)" ::: 1 2
	[ "$status" -eq 0 ]
	# Which job goes where depends on which host was ready first.
	[ "$(cut -d' ' -f1 <<< "$output" | tr '\n' ' ')" = "1 2 " ]
	[ "$(grep -c " 10.231.$net.2 " <<< "$output")" -eq 1 ]
	[ "$(grep " 10.231.$net.2 " <<< "$output" | cut -d' ' -f3)" != "$here" ]
	[ "$(grep -v " 10.231.$net.2 " <<< "$output" | cut -d' ' -f2,3)" = "$H1 $here" ]
	[ "$(tail -n +2 log | cut -f 2 | sort | tr '\n' ' ')" = "10.231.$net.2 $H1 " ]
}

@test "logins that do not parse" {
	for l in 0/h /h x/h user@ h: h:22x 'h:' '[::1' '[::1]x' 'a b!' -h @/h @a+/h '@a/0/h' h/x; do
		run --separate-stderr bparx -S "$l" true ::: a
		[ "$status" -eq 255 ] || { echo "accepted: $l"; false; }
		[ "$stderr" = "parx: invalid sshlogin '$l' for --sshlogin/-S: expected [@GROUPS/][N/][SSHCOMMAND ][user[:password]@]host[:port], ':' or @GROUPS" ]
	done
}

# wait_ctl_gone PATTERN: wait (at most 5 s) until the control directory
# ctl is empty and no process's command line holds PATTERN.
wait_ctl_gone() {
	local n=500
	while { [ -n "$(ls -A ctl)" ] || pgrep -f -- "$1" >/dev/null; } &&
	    [ $n -gt 0 ]; do
		sleep 0.01; n=$((n - 1))
	done
}

@test "parx killed with SIGKILL: the remote job dies with its control pipe" {
	mkdir ctl
	TMPDIR="$TMP/ctl" start_bg --ssh "$SSH" -S $H1 \
	    "echo \$\$ > $TMP/pid.1; exec sleep $S" ::: 1
	wait_for pid.1
	kill -KILL "$PID"
	wait_exit
	all_gone pid.1
	# The watchdog stops the master and removes the control directory;
	# the job's local side ends with its ssh.
	wait_ctl_gone "sleep $S"
	ls -lA ctl
	[ -z "$(ls -A ctl)" ]
	no_processes_left "$TMP/ctl/parx-ssh-"
	no_processes_left "sleep $S"
}

@test "parx killed with SIGKILL while a host is still connecting: nothing of it is left" {
	blackhole_up
	mkdir ctl
	TMPDIR="$TMP/ctl" start_bg --ssh "$SSH" -S 1/$BLACKHOLE,1/$H1 \
	    "echo \$\$ > $TMP/pid.1; exec sleep $S" ::: 1
	wait_for pid.1
	kill -KILL "$PID"
	wait_exit
	all_gone pid.1
	wait_ctl_gone "$TMP/ctl/parx-ssh-"
	[ -z "$(ls -A ctl)" ]
	no_processes_left "$TMP/ctl/parx-ssh-"
	no_processes_left "$BLACKHOLE"
}

# --onall, --nonall: every job, or the command once, on every host

@test "--nonall runs the command once on each host, no arguments" {
	# parallel --ssh "$SSH" --nonall -k --tag -S $H1,$H2 'echo hi {} $PARALLEL_SEQ'
	run --separate-stderr bparx --ssh "$SSH" --nonall -k --tag -S $H1,2/$H2 \
	    "echo hi {} \$PARALLEL_SEQ $WHERE"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\thi 1 %s\n%s\thi 1 %s' $H1 $H1 $H2 $H2)" ]
}

@test "--onall runs every job on each host, a host's output together" {
	# parallel --ssh "$SSH" --onall -S $H1,$H2 'echo {} $WHERE' ::: a b c
	run --separate-stderr bparx --ssh "$SSH" --onall -S $H1,$H2 \
	    "echo {} $WHERE" ::: a b c
	[ "$status" -eq 0 ]
	[ "$(sort <<< "$output")" = "$(lines "a $H1" "a $H2" "b $H1" "b $H2" "c $H1" "c $H2")" ]
	# each host's three lines in a row, in order
	[ "$(cut -d' ' -f2 <<< "$output" | uniq | wc -l)" -eq 2 ]
	[ "$(grep $H1 <<< "$output" | cut -d' ' -f1 | tr -d '\n')" = abc ]
	[ "$(grep $H2 <<< "$output" | cut -d' ' -f1 | tr -d '\n')" = abc ]
}

@test "--onall: one job at a time on a host, -j hosts at once" {
	# On each host the second job waits for the first to end: a job
	# finds no other of its host running.
	run --separate-stderr bparx --ssh "$SSH" --onall -S $H1,$H2 -k \
	    "h=\$(echo $WHERE); [ ! -e $TMP/run.\$h ] || echo both; touch $TMP/run.\$h; sleep 0.2; rm $TMP/run.\$h; echo {}" ::: 1 2 3
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 1 2 3 1 2 3)" ]
	# -j1: the second host starts once the first is done
	run --separate-stderr bparx --ssh "$SSH" --onall -j1 -S $H1,$H2 \
	    "touch $TMP/j1.{}.\$(echo $WHERE); ls $TMP | grep -c '^j1'" ::: 1
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 1 2)" ]
}

@test "--onall: the exit status counts the hosts where a job failed" {
	# parallel --onall -S $H1,$H2 'exit {}' ::: 0 1 2 (2)
	run --separate-stderr bparx --ssh "$SSH" --onall -S $H1,$H2 'exit {}' \
	    ::: 0 1 2
	[ "$status" -eq 2 ]
	run --separate-stderr bparx --ssh "$SSH" --onall -S $H1,$H2 \
	    "[ \$(echo $WHERE) = $H1 ] || exit 3" ::: 0
	[ "$status" -eq 1 ]
}

@test "--onall: standard input goes to every host; the joblog has each job per host" {
	# printf 'x\ny\n' | parallel --onall --joblog log -S $H1,$H2 echo
	printf 'Seq\told\n' > log
	printf 'x\ny\n' > stdin
	run --separate-stderr bparx --ssh "$SSH" --onall -k \
	    --joblog log -S $H1,$H2 echo < stdin
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines x y x y)" ]
	run sh -c "cut -f 1,2,7,9 log | sort"
	[ "$output" = "$(printf '1\t%s\t0\techo x\n1\t%s\t0\techo x\n2\t%s\t0\techo y\n2\t%s\t0\techo y\nSeq\tHost\tExitval\tCommand' $H1 $H2 $H1 $H2)" ]
	[ "$(head -1 log | cut -f1)" = Seq ]
}

@test "--onall: SIGINT kills every host's jobs" {
	start_bg --ssh "$SSH" --onall -S $H1,$H2 \
	    "echo \$\$ > $TMP/pid.{}.\$(echo $WHERE); exec sleep $S" ::: 1
	wait_for pid.1.$H1
	wait_for pid.1.$H2
	kill -INT "$PID"
	wait_exit
	[ "$STATUS" -eq 255 ]
	all_gone pid.1.$H1
	all_gone pid.1.$H2
	no_processes_left "sleep $S"
}

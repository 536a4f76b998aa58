# SPDX-License-Identifier: ISC
# A real sshd for the tests that run jobs over ssh (tests/ssh.bats,
# tests/slurm.bats): Debian's sshd in the foreground, in the background of
# the suite, with host and user keys made for the run, on a free port.

# sshd_up DIR ADDR...: make the keys in DIR, start sshd (named sshd) on a
# free port of the addresses ADDR, write DIR/port and the client's
# DIR/ssh_config (ssh -F DIR/ssh_config ADDR logs in), and check that
# logging in to each address works.  Returns 0, or 1 with the reason in
# DIR/skip.
sshd_up() {
	local d=$1 port tries=0 a
	shift
	mkdir -p "$d"
	if ! command -v ssh >/dev/null || [ ! -x /usr/sbin/sshd ]; then
		echo "no ssh or sshd" > "$d/skip"
		return 1
	fi
	# sshd wants its privilege separation directory.
	[ -d /run/sshd ] || mkdir -p -m 0755 /run/sshd 2>/dev/null || true
	ssh-keygen -q -t ed25519 -N '' -f "$d/hostkey" &&
	    ssh-keygen -q -t ed25519 -N '' -f "$d/userkey" &&
	    cp "$d/userkey.pub" "$d/authorized_keys" || {
		echo "cannot make keys" > "$d/skip"
		return 1
	}
	while [ $tries -lt 10 ]; do
		tries=$((tries + 1))
		port=$(( 20000 + (RANDOM % 20000) ))
		sshd_start "$d" "$port" sshd "$@" && break
		port=
	done
	if [ -z "$port" ]; then
		echo "sshd does not start: $(cat "$d/sshd.log" 2>/dev/null)" > "$d/skip"
		return 1
	fi
	echo "$port" > "$d/port"
	cat > "$d/ssh_config" <<-EOF
	Host *
	  Port $port
	  IdentityFile $d/userkey
	  IdentitiesOnly yes
	  UserKnownHostsFile $d/known_hosts
	  StrictHostKeyChecking no
	  BatchMode yes
	  LogLevel ERROR
	EOF
	for a in "$@"; do
		timeout 20 ssh -F "$d/ssh_config" "$a" true </dev/null || {
			echo "cannot log in over ssh" > "$d/skip"
			return 1
		}
	done
}

# sshd_start DIR PORT NAME ADDR...: start sshd in the foreground (in the
# background of the suite) on ADDR:PORT, pid in DIR/NAME.pid; inside the
# network namespace $NETNS when that is set; logins with a password too
# when $SSHD_PASSWORD is yes.
sshd_start() {
	local d=$1 port=$2 name=$3 a n=0
	shift 3
	{
		echo "Port $port"
		for a in "$@"; do echo "ListenAddress $a"; done
		cat <<-EOF
		HostKey $d/hostkey
		AuthorizedKeysFile $d/authorized_keys
		StrictModes no
		PasswordAuthentication ${SSHD_PASSWORD:-no}
		KbdInteractiveAuthentication no
		UsePAM no
		PermitRootLogin prohibit-password
		PidFile $d/$name.pid
		MaxSessions 100
		MaxStartups 100
		LogLevel ERROR
		EOF
	} > "$d/$name.conf"
	rm -f "$d/$name.pid"
	${NETNS:+ip netns exec "$NETNS"} /usr/sbin/sshd -D -f "$d/$name.conf" \
	    -E "$d/$name.log" </dev/null >/dev/null 2>&1 3>&- &
	echo $! > "$d/$name.daemon"
	# sshd writes its pid file once it listens; it exits if it cannot.
	while [ $n -lt 500 ]; do
		[ -s "$d/$name.pid" ] && return 0
		kill -0 "$(cat "$d/$name.daemon")" 2>/dev/null || return 1
		sleep 0.01
		n=$((n + 1))
	done
	return 1
}

# sshd_stop NAME: kill that sshd (of $SSHD_DIR) and the sessions it
# serves.
sshd_stop() {
	local pid
	pid=$(cat "$SSHD_DIR/$1.daemon" 2>/dev/null) || return 0
	kill $(pgrep -P "$pid") "$pid" 2>/dev/null
	return 0
}

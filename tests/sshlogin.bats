#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
#
# sshlogin: the special logins and login files of -S and --slf ("..",
# ".", "-", --slf names looked up in the config directory), against the
# real sshd of tests/sshd.bash on 127.0.0.1 and 127.0.0.2 (see
# tests/ssh.bats).  The tests that need no host run without it; the
# others skip only when sshd cannot run at all.

load helpers
load sshd_file

bats_require_minimum_version 1.5.0

setup_more() {
	PWUSER=
	SSH="ssh -F $SSHD_DIR/ssh_config"
	H1=127.0.0.1
	H2=127.0.0.2
}

teardown_more() {
	if [ -e "$SSHD_DIR/pw.daemon" ]; then
		sshd_stop pw
		rm -f "$SSHD_DIR/pw.daemon"
	fi
	if [ -n "$PWUSER" ]; then
		userdel "$PWUSER" 2>/dev/null
	fi
	return 0
}

# need_sshd: skip the test when sshd does not run here.
need_sshd() {
	if [ -e "$SSHD_DIR/skip" ]; then
		skip "$(cat "$SSHD_DIR/skip")"
	fi
}

# The address a remote job reached: 127.0.0.1, 127.0.0.2, or "" locally.
WHERE='$(echo $SSH_CONNECTION | cut -d" " -f3)'

@test "-S .. and --slf ..: the logins of \$PARALLEL_HOME/sshloginfile" {
	need_sshd
	# parallel -S .. 'echo {} $WHERE' ::: a (file: "# c", "", 1/$H1)
	printf '# the hosts\n\n1/%s\n' $H1 > "$PARALLEL_HOME/sshloginfile"
	run --separate-stderr bparx --ssh "$SSH" -S .. "echo {} $WHERE" ::: a
	[ "$status" -eq 0 ]
	[ "$output" = "a $H1" ]
	run --separate-stderr bparx --ssh "$SSH" --slf .. "echo {} $WHERE" ::: a
	[ "$status" -eq 0 ]
	[ "$output" = "a $H1" ]
	# In a list, beside other logins; the joblog names the hosts.
	echo "1/$H2" > "$PARALLEL_HOME/sshloginfile"
	run --separate-stderr bparx --ssh "$SSH" -S 1/:,.. --joblog log \
	    "touch $TMP/up.{}; while [ ! -e $TMP/up.\$((3 - {})) ]; do sleep 0.01; done; echo {}" ::: 1 2
	[ "$status" -eq 0 ]
	[ "$(tail -n +2 log | cut -f 2 | LC_ALL=C sort | tr '\n' ' ')" = "$H2 : " ]
}

@test "without \$PARALLEL_HOME: \$XDG_CONFIG_HOME/parallel, each \$XDG_CONFIG_DIRS/parallel, ~/.parallel, the first that exists" {
	need_sshd
	# PARALLEL_HOME= XDG_CONFIG_HOME=xdg parallel -S .. ... (GNU's
	# config_dirs: the same order)
	mkdir -p home/.parallel xdg/parallel sys/parallel
	echo "1/$H1" > home/.parallel/sshloginfile
	echo "1/$H2" > xdg/parallel/sshloginfile
	echo "1/$H2" > sys/parallel/sshloginfile
	run --separate-stderr env -u PARALLEL_HOME HOME="$TMP/home" \
	    XDG_CONFIG_HOME="$TMP/xdg" "$PARX" --mode="$PARX_MODE" \
	    --ssh "$SSH" -S .. "echo {}$WHERE" ::: ""
	[ "$status" -eq 0 ]
	[ "$output" = "$H2" ]
	run --separate-stderr env -u PARALLEL_HOME -u XDG_CONFIG_HOME \
	    HOME="$TMP/home" XDG_CONFIG_DIRS="$TMP/none:$TMP/sys" \
	    "$PARX" --mode="$PARX_MODE" --ssh "$SSH" --slf .. "echo {}$WHERE" ::: ""
	[ "$status" -eq 0 ]
	[ "$output" = "$H2" ]
	rmdir xdg/parallel 2>/dev/null || rm -r xdg/parallel
	run --separate-stderr env -u PARALLEL_HOME HOME="$TMP/home" \
	    XDG_CONFIG_HOME="$TMP/xdg" "$PARX" --mode="$PARX_MODE" \
	    --ssh "$SSH" -S .. "echo {}$WHERE" ::: ""
	[ "$status" -eq 0 ]
	[ "$output" = "$H1" ]
}

@test "--slf NAME that cannot be read as given is read from the config directory" {
	need_sshd
	# parallel --slf myhosts ... (myhosts only in $PARALLEL_HOME)
	echo "1/$H2" > "$PARALLEL_HOME/myhosts"
	run --separate-stderr bparx --ssh "$SSH" --slf myhosts "echo {}$WHERE" ::: ""
	[ "$status" -eq 0 ]
	[ "$output" = "$H2" ]
	# A file of that name here comes first.
	echo "1/$H1" > myhosts
	run --separate-stderr bparx --ssh "$SSH" --slf myhosts "echo {}$WHERE" ::: ""
	[ "$status" -eq 0 ]
	[ "$output" = "$H1" ]
}

@test "a login file that is not there: one line naming it, exit 255, no job" {
	# parallel -S .. true ::: a (parallel: Error: Cannot open
	# $PARALLEL_HOME/sshloginfile.), exit 255; --slf ., --slf nosuch alike
	run --separate-stderr bparx -S .. touch ran ::: a
	[ "$status" -eq 255 ]
	[ "$stderr" = "parx: cannot read -S '..' ('$PARALLEL_HOME/sshloginfile'): No such file or directory" ]
	run --separate-stderr bparx --slf .. touch ran ::: a
	[ "$status" -eq 255 ]
	[ "$stderr" = "parx: cannot read --slf '..' ('$PARALLEL_HOME/sshloginfile'): No such file or directory" ]
	run --separate-stderr bparx --slf nosuch touch ran ::: a
	[ "$status" -eq 255 ]
	[ "$stderr" = "parx: cannot read --slf 'nosuch' (nor '$PARALLEL_HOME/nosuch'): No such file or directory" ]
	if [ ! -e /etc/parallel/sshloginfile ]; then
		run --separate-stderr bparx --slf . touch ran ::: a
		[ "$status" -eq 255 ]
		[ "$stderr" = "parx: cannot read --slf '.' ('/etc/parallel/sshloginfile'): No such file or directory" ]
	fi
	[ ! -e ran ]
}

@test "-S - and --slf -: the logins on standard input, comments and blank lines skipped" {
	need_sshd
	# printf '# c\n\n1/$H1\n' | parallel -S - 'echo {} $WHERE' ::: a
	printf '  # the hosts\n\n1/%s\n' $H1 > in
	run --separate-stderr bparx --ssh "$SSH" -S - "echo {} $WHERE" ::: a < in
	[ "$status" -eq 0 ]
	[ "$output" = "a $H1" ]
	printf '1/%s\n' $H2 > in
	echo b > args
	run --separate-stderr bparx --ssh "$SSH" --slf - -a args "echo {} $WHERE" < in
	[ "$status" -eq 0 ]
	[ "$output" = "b $H2" ]
	# Host groups from standard input: -S @g2 keeps H2 only.
	printf '@g1/1/%s\n@g2/1/%s\n' $H1 $H2 > in
	run --separate-stderr bparx --ssh "$SSH" -S -,@g2 -k "echo {} $WHERE" ::: 1 2 < in
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines "1 $H2" "2 $H2")" ]
}

@test "--dry-run: the logins must parse and the files be there, nothing connects" {
	# parallel --dry-run -S 'bad!' echo ::: a: exit 255 (a parser bug
	# report); parallel --dry-run -S h1 echo ::: a prints "echo a"
	run --separate-stderr bparx --dry-run -S 'bad!' echo ::: a
	[ "$status" -eq 255 ]
	[ "$output" = "" ]
	[ "$stderr" = "parx: invalid sshlogin 'bad!' for --sshlogin/-S: expected [@GROUPS/][N/][SSHCOMMAND ][user[:password]@]host[:port], ':' or @GROUPS" ]
	run --separate-stderr env PATH="$TMP/none" "$PARX" --mode="$PARX_MODE" --dry-run -S "u:secret@h" echo ::: a
	[ "$status" -eq 255 ]
	[ "$stderr" = "parx: sshlogin 'u:***@h': a login with a password needs sshpass, which is not in \$PATH" ]
	run --separate-stderr bparx --dry-run --slf .. echo ::: a
	[ "$status" -eq 255 ]
	[ "$stderr" = "parx: cannot read --slf '..' ('$PARALLEL_HOME/sshloginfile'): No such file or directory" ]
	echo no.such.host > "$PARALLEL_HOME/sshloginfile"
	run --separate-stderr bparx --ssh false --dry-run -S ..,other echo ::: a
	[ "$status" -eq 0 ]
	[ "$output" = "echo a" ]
	[ "$stderr" = "" ]
}

@test "-S - when standard input holds the jobs' arguments: refused, exit 255" {
	# GNU reads every line as a login and runs no job (exit 0):
	# printf ':\nb\n' | parallel -S - echo
	for a in "-S -" "--slf -" "-S -,: -a -" "-S - --pipe"; do
		run --separate-stderr bparx $a touch ran < /dev/null
		[ "$status" -eq 255 ]
		[ "$stderr" = "parx: -S - and --slf - read the sshlogins from standard input, which holds the jobs' arguments here: give those with ::: or -a FILE" ]
	done
	[ ! -e ran ]
}

@test "--nonall and --onall take their hosts from standard input" {
	need_sshd
	# printf '$H1\n$H2\n' | parallel --nonall -S - 'echo $WHERE'
	printf '%s\n%s\n' $H1 $H2 > in
	run --separate-stderr bparx --ssh "$SSH" --nonall -S - "echo $WHERE" < in
	[ "$status" -eq 0 ]
	[ "$(sort <<< "$output")" = "$(lines $H1 $H2)" ]
	run --separate-stderr bparx --ssh "$SSH" --onall --slf - "echo {} $WHERE" ::: a < in
	[ "$status" -eq 0 ]
	[ "$(sort <<< "$output")" = "$(lines "a $H1" "a $H2")" ]
}

@test "-S: ,, and \\, are commas inside a login, a newline separates logins" {
	need_sshd
	# parallel -S "1/$SSH -o Ciphers=aes128-ctr,,aes256-ctr $H1" --joblog log ...
	# (the login is "$SSH -o Ciphers=aes128-ctr,aes256-ctr $H1")
	run --separate-stderr bparx -S "1/$SSH -o Ciphers=aes128-ctr,,aes256-ctr $H1" \
	    --joblog log "echo {} $WHERE" ::: a
	[ "$status" -eq 0 ]
	[ "$output" = "a $H1" ]
	[ "$(tail -n +2 log | cut -f 2)" = "$SSH -o Ciphers=aes128-ctr,aes256-ctr $H1" ]
	run --separate-stderr bparx -S "1/$SSH -o Ciphers=aes128-ctr\\,aes256-ctr $H2,.." \
	    "echo {} $WHERE" ::: a < /dev/null
	[ "$status" -eq 255 ]
	[ "$stderr" = "parx: cannot read -S '..' ('$PARALLEL_HOME/sshloginfile'): No such file or directory" ]
	echo 1/: > "$PARALLEL_HOME/sshloginfile"
	run --separate-stderr bparx -S "1/$SSH -o Ciphers=aes128-ctr\\,aes256-ctr $H2,.." -k \
	    "touch $TMP/up.{}; while [ ! -e $TMP/up.\$((3 - {})) ]; do sleep 0.01; done; echo {}" ::: 1 2
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 1 2)" ]
	# printf '1/$H1\n1/$H2' as one -S: two hosts, one job each at once.
	rm -f up.*
	run --separate-stderr bparx --ssh "$SSH" -S "$(printf '1/%s\n1/%s' $H1 $H2)" -k \
	    "touch $TMP/up.{}; while [ ! -e $TMP/up.\$((3 - {})) ]; do sleep 0.01; done; echo {} $WHERE" ::: 1 2
	[ "$status" -eq 0 ]
	[ "$(awk '{ print $2 }' <<< "$output" | sort | tr '\n' ' ')" = "$H1 $H2 " ]
}

@test "--slf .. is read again when the file changes" {
	need_sshd
	echo "1/$H1" > "$PARALLEL_HOME/sshloginfile"
	start_bg --ssh "$SSH" --slf .. --joblog log \
	    "touch $TMP/started.{}; while [ ! -e $TMP/go.{} ]; do sleep 0.01; done; echo {} $WHERE" ::: 1 2 3
	wait_for started.1
	echo "1/$H2" > hosts.new
	mv hosts.new "$PARALLEL_HOME/sshloginfile"
	touch go.1 go.2 go.3
	wait_exit
	[ "$STATUS" -eq 0 ]
	[ "$(cat out)" = "$(lines "1 $H1" "2 $H2" "3 $H2")" ]
}

# fake_sshpass WANT: an sshpass first in $PATH that notes its arguments
# and $SSHPASS in sshpass.log, exits 5 (a refused password) unless
# $SSHPASS is WANT, and else runs its command without a password: the
# test sshd takes the key of ssh_config.
fake_sshpass() {
	mkdir -p bin
	printf '%s' "$1" > bin/want
	cat > bin/sshpass <<-FAKE
	#!/bin/sh
	{ printf 'argv:'; printf ' [%s]' "\$@"; echo; echo "SSHPASS=\$SSHPASS"; } >> "$TMP/sshpass.log"
	[ "\$SSHPASS" = "\$(cat "$TMP/bin/want")" ] || exit 5
	[ "\$1" = -e ] || exit 2
	shift
	exec "\$@"
	FAKE
	chmod +x bin/sshpass
	PATH="$TMP/bin:$PATH"
}

@test "user:password@host: ssh logs in through sshpass -e, the password in its environment only" {
	need_sshd
	# parallel -S "$USER:pa'ss\$w@$H1" --joblog log 'echo {} $PARALLEL_SSHLOGIN' ::: a
	# (GNU: sshpass -e ssh -l $USER $H1 for each job; Host $USER@$H1)
	local user pw="pa'ss/\$w"
	user=$(id -un)
	fake_sshpass "$pw"
	run --separate-stderr bparx --ssh "$SSH" -S "1/$user:$pw@$H1" -v --joblog log \
	    "echo {} $WHERE \$PARALLEL_SSHLOGIN \${SSHPASS-none}" ::: a
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines "echo a $WHERE \$PARALLEL_SSHLOGIN \${SSHPASS-none}" "a $H1 $user@$H1 none")" ]
	[ "$(tail -n +2 log | cut -f 2)" = "$user@$H1" ]
	# sshpass ran once, for the master connection, with the password
	# in its environment and not among its arguments.
	[ "$(grep -c '^argv:' sshpass.log)" -eq 1 ]
	[ "$(grep '^SSHPASS=' sshpass.log)" = "SSHPASS=$pw" ]
	[ -z "$(grep -F "pa'ss" log)" ]
	[ -z "$(grep '^argv:' sshpass.log | grep -F "pa'ss")" ]
	grep -F -- "-M -N -f" sshpass.log > /dev/null
}

@test "user:@host: the password is \$SSHPASS; a refused one puts the host down, named without it" {
	need_sshd
	local user
	user=$(id -un)
	fake_sshpass "from env"
	SSHPASS="from env" run --separate-stderr bparx --ssh "$SSH" -S "$user:@$H2" "echo {} $WHERE" ::: a
	[ "$status" -eq 0 ]
	[ "$output" = "a $H2" ]
	[ "$(grep '^SSHPASS=' sshpass.log)" = "SSHPASS=from env" ]
	run --separate-stderr bparx --ssh "$SSH" -S "$user:wrong@$H2" "echo {} $WHERE" ::: a
	[ "$status" -eq 255 ]
	[ "$output" = "" ]
	[ "$stderr" = "$(lines "parx: warning: host '$user@$H2' is down, it gets no more jobs: sshpass: the password was refused" "parx: no host is up to run jobs on")" ]
}

@test "a login with a password: no sshpass, no password, a bad login: one line with the password hidden, exit 255" {
	# PATH=/nonexistent parallel -S u:secret@h true ::: a
	# (parallel: Error: --sshlogin with password requires sshpass installed)
	mkdir empty
	run --separate-stderr env PATH="$TMP/empty" "$PARX" --mode="$PARX_MODE" -S "2/u:secret@h" touch ran ::: a
	[ "$status" -eq 255 ]
	[ "$stderr" = "parx: sshlogin '2/u:***@h': a login with a password needs sshpass, which is not in \$PATH" ]
	if command -v sshpass >/dev/null; then
		SSHPASS= run --separate-stderr bparx -S "u:@h" touch ran ::: a
		[ "$status" -eq 255 ]
		[ "$stderr" = "parx: sshlogin 'u:@h': its password is empty, and \$SSHPASS is not set" ]
	fi
	run --separate-stderr bparx -S "@g/u:secret@h:22x" touch ran ::: a
	[ "$status" -eq 255 ]
	[ "$stderr" = "parx: invalid sshlogin '@g/u:***@h:22x' for --sshlogin/-S: expected [@GROUPS/][N/][SSHCOMMAND ][user[:password]@]host[:port], ':' or @GROUPS" ]
	[ ! -e ran ]
}

@test "--nonall and --onall with user:password@host: each host's run gets its password, not on a command line" {
	need_sshd
	# parallel --nonall -S "$USER:pw@$H1,$H2" 'echo $WHERE'
	local user
	user=$(id -un)
	fake_sshpass pw
	run --separate-stderr bparx --ssh "$SSH" --nonall --tag -S "$user:pw@$H1" -S $H2 "echo $WHERE"
	[ "$status" -eq 0 ]
	[ "$(LC_ALL=C sort <<< "$output")" = "$(lines "$H2	$H2" "$user@$H1	$H1")" ]
	[ "$(grep '^SSHPASS=' sshpass.log)" = "SSHPASS=pw" ]
	rm sshpass.log
	run --separate-stderr bparx --ssh "$SSH" --onall -S "$user:pw@$H1" "echo {} $WHERE" ::: a b
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines "a $H1" "b $H1")" ]
	[ "$(grep '^SSHPASS=' sshpass.log)" = "SSHPASS=pw" ]
}

@test "--filter-hosts with logins from standard input: a host whose password is refused gets no job" {
	need_sshd
	# printf '$USER:wrong@$H1\n1/$H2\n' | parallel --filter-hosts -S - 'echo {} $WHERE' ::: 1 2
	local user
	user=$(id -un)
	fake_sshpass right
	printf '%s:wrong@%s\n1/%s\n' "$user" $H1 $H2 > in
	run --separate-stderr bparx --ssh "$SSH" --filter-hosts -S - -k "echo {} $WHERE" ::: 1 2 < in
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines "1 $H2" "2 $H2")" ]
	[ "$stderr" = "parx: warning: host '$user@$H1' is down, it gets no more jobs: sshpass: the password was refused" ]
}

@test "user:password@host against a real sshd that takes passwords, through the real sshpass" {
	need_sshd
	# parallel --ssh "ssh -F pw_config" -S "$PWUSER:$pw@$H1" 'echo {} $(id -un)' ::: a b
	if [ "$(id -u)" -ne 0 ] || ! command -v sshpass >/dev/null ||
	    ! command -v useradd >/dev/null; then
		skip "needs root (a user with a password for sshd) and sshpass"
	fi
	local pw="s3cr'\$t" port tries=0
	PWUSER=parxpw$$
	useradd -M -d "$TMP" -s /bin/sh "$PWUSER"
	printf '%s:%s\n' "$PWUSER" "$pw" | chpasswd
	chmod 755 "$TMP"
	while [ $tries -lt 10 ]; do
		tries=$((tries + 1))
		port=$(( 20000 + (RANDOM % 20000) ))
		SSHD_PASSWORD=yes sshd_start "$SSHD_DIR" "$port" pw 127.0.0.1 && break
		port=
	done
	[ -n "$port" ]
	cat > pw_config <<-EOF
	Host *
	  Port $port
	  UserKnownHostsFile $SSHD_DIR/known_hosts
	  StrictHostKeyChecking no
	  PubkeyAuthentication no
	  LogLevel ERROR
	EOF
	run --separate-stderr bparx --ssh "ssh -F $TMP/pw_config" -S "$PWUSER:$pw@$H1" -k \
	    --joblog log 'echo {} $(id -un) ${SSHPASS-none}' ::: a b
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines "a $PWUSER none" "b $PWUSER none")" ]
	[ "$(tail -n +2 log | cut -f 2 | sort -u)" = "$PWUSER@$H1" ]
	run --separate-stderr bparx --ssh "ssh -F $TMP/pw_config" -S "$PWUSER:nope@$H1" \
	    'echo {}' ::: a
	[ "$status" -eq 255 ]
	[ "$stderr" = "$(lines "parx: warning: host '$PWUSER@$H1' is down, it gets no more jobs: sshpass: the password was refused" "parx: no host is up to run jobs on")" ]
}

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
	SSH="ssh -F $SSHD_DIR/ssh_config"
	H1=127.0.0.1
	H2=127.0.0.2
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

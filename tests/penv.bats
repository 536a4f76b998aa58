#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
#
# $PARALLEL_ENV: shell code (the calling shell's aliases, functions and
# variables, as GNU parallel's env_parallel puts them there) that every
# shell job runs before its command.  Expected outputs are GNU parallel
# 20221122's for the command in each test's comment, except where a test
# says parx chooses otherwise.

load helpers
load sshd

bats_require_minimum_version 1.5.0

teardown_more() {
	if [ -n "${SSHD_DIR:-}" ]; then
		sshd_stop sshd
	fi
	return 0
}

@test "PARALLEL_ENV as text: run before each command, \\001 a newline, not passed on" {
	# PARALLEL_ENV=$'X=1\001f() { echo "f $1"; }' parallel -k \
	#     'f {}; echo $X; echo "[${PARALLEL_ENV-unset}]"' ::: a b
	PARALLEL_ENV=$'X=1\001f() { echo "f $1"; }' run --separate-stderr \
	    bparx -k 'f {}; echo $X; echo "[${PARALLEL_ENV-unset}]"' ::: a b
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 'f a' 1 '[unset]' 'f b' 1 '[unset]')" ]
	[ "$stderr" = "" ]
}

@test "PARALLEL_ENV naming a file or a fifo: its content is the code" {
	# printf 'X=file\001Y=two\n' > code; PARALLEL_ENV=code parallel -k 'echo $X $Y {}' ::: a b
	printf 'X=file\001Y=two\n' > code
	PARALLEL_ENV=code run bparx -k 'echo $X $Y {}' ::: a b
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 'file two a' 'file two b')" ]
	PARALLEL_ENV=$TMP/code run bparx -k 'echo $X {}' ::: c
	[ "$output" = 'file c' ]
	# A fifo is read once, whatever the number of jobs.
	mkfifo fifo
	bounded sh -c 'printf "X=fifo" > fifo' &
	PARALLEL_ENV=fifo run bparx -k -j2 'echo $X {}' ::: a b c
	wait
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 'fifo a' 'fifo b' 'fifo c')" ]
}

@test "PARALLEL_ENV that names no file is code; empty is no code and stays in the environment" {
	# PARALLEL_ENV=nosuchfile parallel echo ::: a; PARALLEL_ENV= parallel 'echo "[${PARALLEL_ENV-unset}]"; echo' ::: a
	PARALLEL_ENV=nosuchfile run --separate-stderr bparx echo ::: a
	[ "$status" -eq 0 ]
	[ "$output" = "a" ]
	[ "${stderr##*: }" = "command not found" ]
	PARALLEL_ENV= run bparx 'echo "[${PARALLEL_ENV-unset}]"; echo' ::: a
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines '[]' a)" ]
	# An empty file: no code, and the variable is taken out.
	: > empty
	PARALLEL_ENV=empty run bparx 'echo "[${PARALLEL_ENV-unset}]"; echo' ::: a
	[ "$output" = "$(lines '[unset]' a)" ]
}

@test "PARALLEL_ENV: -v, --dry-run and the joblog show the command without the code" {
	# PARALLEL_ENV='X=1' parallel -v echo '$X' ::: a; ... --dry-run ...;
	# ... --joblog log ...: "echo $X a" each time
	PARALLEL_ENV='X=1' run bparx -v echo '$X' ::: a
	[ "$output" = "$(lines 'echo $X a' '1 a')" ]
	PARALLEL_ENV='X=1' run bparx --dry-run echo '$X' ::: a
	[ "$status" -eq 0 ]
	[ "$output" = 'echo $X a' ]
	PARALLEL_ENV='X=1' run bparx --joblog log echo '$X' ::: a
	[ "$output" = '1 a' ]
	[ "$(cut -f 7- log)" = "$(printf 'Exitval\tSignal\tCommand\n0\t0\techo $X a')" ]
}

@test "PARALLEL_ENV makes a plain command run by the shell, so its functions count" {
	# PARALLEL_ENV='seq() { echo mine "$@"; }' parallel seq ::: 3
	PARALLEL_ENV='seq() { echo mine "$@"; }' run bparx seq ::: 3
	[ "$status" -eq 0 ]
	[ "$output" = 'mine 3' ]
	PARALLEL_ENV='seq() { echo mine "$@"; }' run bparx -j1 -X seq ::: 3 4
	[ "$output" = 'mine 3 4' ]
	# Input lines as commands, and the exit status of the command.
	PARALLEL_ENV='f() { return $1; }' run bparx ::: 'f 3' 'f 0' 'f 4'
	[ "$status" -eq 2 ]
}

@test "PARALLEL_ENV with zsh as the shell: the command is eval'd, so aliases work" {
	command -v zsh > /dev/null || skip "no zsh"
	# PARALLEL_SHELL=zsh PARALLEL_ENV=$'alias hi="echo hi"\001q() { echo "q$1"; }' \
	#     parallel -k 'hi {}; q {}' ::: a "b'c"
	PARALLEL_SHELL=$(command -v zsh) \
	    PARALLEL_ENV=$'alias hi="echo hi"\001q() { echo "q$1"; }' \
	    run bparx -k 'hi {}; q {}' ::: a "b'c"
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 'hi a' qa "hi b'c" "qb'c")" ]
}

@test "PARALLEL_ENV with a NUL byte: a warning, and the code ends there" {
	# GNU parallel warns too, but its command then ends at the NUL:
	# printf 'X=1\0Y=2' > code; PARALLEL_ENV=code parallel 'echo $X $Y; echo done' ::: a
	# prints nothing at all.  parx runs the command after the code.
	printf 'X=1\0Y=2' > code
	PARALLEL_ENV=code run --separate-stderr bparx 'echo [$X] [$Y]' ::: a
	[ "$status" -eq 0 ]
	[ "$output" = '[1] [] a' ]
	[ "$stderr" = "parx: warning: \$PARALLEL_ENV holds a NUL byte, which no shell command can: what follows it is left out" ]
}

@test "PARALLEL_ENV naming a file that cannot be read: one line, exit 255, no job" {
	# GNU parallel reads a directory as empty code and runs the jobs.
	mkdir dir
	PARALLEL_ENV=dir run --separate-stderr bparx 'touch ran' ::: a
	[ "$status" -eq 255 ]
	[ "$output" = "" ]
	[ "$stderr" = "parx: cannot read \$PARALLEL_ENV file 'dir': Is a directory" ]
	[ ! -e ran ]
	if [ "$(id -u)" != 0 ]; then
		printf 'X=1' > secret
		chmod 000 secret
		PARALLEL_ENV=secret run --separate-stderr bparx 'touch ran' ::: a
		[ "$status" -eq 255 ]
		[ "$stderr" = "parx: cannot read \$PARALLEL_ENV file 'secret': Permission denied" ]
	fi
}

@test "PARALLEL_ENV and --func: a warning that the code is left out; the jobs run" {
	PARALLEL_ENV='X=1' run --separate-stderr bparx -k --func echo ::: a b
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines a b)" ]
	[ "$stderr" = "parx: warning: \$PARALLEL_ENV is shell code, and --func jobs run no shell: it is left out" ]
}

@test "PARALLEL_ENV counts in the command line limits: --show-limits and -X fill as GNU's" {
	# X=$(printf "%50000s" | tr " " x); PARALLEL_ENV="X=$X" parallel --show-limits
	# gives "Maximal size of command" 50000 less (within GNU's 1% search),
	# the usable size unchanged; -X lines are that much shorter.
	local x lim0 lim
	x=$(printf '%50000s' | tr ' ' x)
	lim0=$(parx --show-limits < /dev/null | sed -n 's/^Maximal size of command: //p')
	lim=$(PARALLEL_ENV="X=$x" parx --show-limits < /dev/null |
	    sed -n 's/^Maximal size of command: //p')
	[ $((lim0 - lim)) -gt 49000 ]
	[ $((lim0 - lim)) -lt 51000 ]
	PARALLEL_ENV="X=$x" run bparx --show-limits < /dev/null
	[ "${lines[1]}" = "$(parx --show-limits < /dev/null | sed -n 2p)" ]
	# seq 30000 | PARALLEL_ENV="X=$x" parallel -j1 -X 'echo ${#X}' |
	#     awk '{ print NF, length($0) }' | sort -u
	# (each line, with the code, stays under GNU's usable size, 63664)
	seq 30000 | PARALLEL_ENV="X=$x" bparx -j1 -X 'echo ${#X}' > out
	[ "$(awk '$1 != 50000 { bad = 1 } END { print bad + 0 }' out)" = 0 ]
	[ "$(awk '{ print NF, length($0) }' out | sort -u)" = "$(lines \
	    '2276 13655' '2540 13651' '2731 13655' '2952 13653' '851 5105')" ]
}

@test "PARALLEL_ENV too long for any shell command line: a clear error, exit 255" {
	# GNU parallel refuses any command that, with the code, is over
	# 63664 bytes; parx only what the system cannot run.
	printf 'X=%140000s' '' | tr ' ' x > big
	PARALLEL_ENV=big run --separate-stderr bparx echo ::: a
	[ "$status" -eq 255 ]
	[ "$output" = "" ]
	[[ "$stderr" = "parx: command line too long for job 1 (140010 bytes with \$PARALLEL_ENV; the system allows "* ]]
	printf 'X=%100000s' '' | tr ' ' x > big
	PARALLEL_ENV=big run bparx 'echo ${#X}' ::: a
	[ "$status" -eq 0 ]
	[ "$output" = '100000 a' ]
}

@test "PARALLEL_ENV with sem: the command runs after the code" {
	# PARALLEL_ENV='X=sem' sem --id ID 'echo $X; echo "[${PARALLEL_ENV-unset}]"'; sem --id ID --wait
	PARALLEL_ENV='X=sem' run bparx --semaphore --fg --id "penv$S" \
	    'echo $X; echo "[${PARALLEL_ENV-unset}]"'
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines sem '[unset]')" ]
}

@test "PARALLEL_ENV on remote hosts (-S): the code runs there, before the command" {
	SSHD_DIR=$TMP/sshd
	sshd_up "$SSHD_DIR" 127.0.0.1 || skip "$(cat "$SSHD_DIR/skip")"
	# PARALLEL_ENV=$'X=1\001f() { echo "f$1"; }' parallel -S 127.0.0.1 -k -v \
	#     --joblog log 'f {}; echo $X; echo "[${PARALLEL_ENV-unset}]"' ::: a b
	PARALLEL_ENV=$'X=1\001f() { echo "f$1"; }' run --separate-stderr \
	    bparx --ssh "ssh -F $SSHD_DIR/ssh_config" -S 127.0.0.1 -k -v \
	    --joblog log 'f {}; echo $X; echo "[${PARALLEL_ENV-unset}]"' ::: a b
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines \
	    'f a; echo $X; echo "[${PARALLEL_ENV-unset}]"' fa 1 '[unset]' \
	    'f b; echo $X; echo "[${PARALLEL_ENV-unset}]"' fb 1 '[unset]')" ]
	[ "$(tail -n +2 log | cut -f 2,7- | sort)" = "$(printf '%s\t0\t0\t%s\n' \
	    127.0.0.1 'f a; echo $X; echo "[${PARALLEL_ENV-unset}]"' \
	    127.0.0.1 'f b; echo $X; echo "[${PARALLEL_ENV-unset}]"')" ]
	# printf 'X=file\001f() { echo "f$1"; }' > code
	# PARALLEL_ENV=code parallel --onall -S 127.0.0.1 'f {}; echo $X {}' ::: a
	printf 'X=file\001f() { echo "f$1"; }' > code
	PARALLEL_ENV=code run --separate-stderr \
	    bparx --ssh "ssh -F $SSHD_DIR/ssh_config" -S 127.0.0.1 --onall \
	    'f {}; echo $X {}' ::: a
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines fa 'file a')" ]
}

# with_gnu_env_parallel: PATH has parx as "parallel"; GNU's
# env_parallel.bash is there to source.
with_gnu_env_parallel() {
	[ -r /usr/bin/env_parallel.bash ] ||
	    skip "GNU parallel's env_parallel.bash is not installed"
	mkdir -p bin
	ln -sf "$PARX" bin/parallel
	PATH=$TMP/bin:$PATH
	export PARALLEL="--mode=$PARX_MODE"
}

@test "GNU's env_parallel.bash with parx as parallel: a function, an alias, a variable" {
	with_gnu_env_parallel
	# The same script with GNU parallel as parallel prints the same.
	run bounded bash -c '. /usr/bin/env_parallel.bash
	    shopt -s expand_aliases
	    alias al="echo alias"
	    fn() { echo "fn $1"; }
	    V=var; arr=(p q)
	    env_parallel -k "al {}; fn {}; echo \$V \${arr[1]}" ::: a b
	    echo "rc=$?"
	    env_parallel --env fn -k "fn {}; echo [\$V]" ::: c
	    echo "rc=$?"
	    env_parallel "exit {}" ::: 3
	    echo "rc=$?"'
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 'alias a' 'fn a' 'var q' 'alias b' 'fn b' 'var q' \
	    rc=0 'fn c' '[]' rc=0 rc=1)" ]
}

# in_shell SHELL SCRIPT: run SCRIPT in a new SHELL (bash or zsh) that
# sourced shell/env_parx.sh, with this build's parx as "parx" on PATH and
# the mode in $PARALLEL.
in_shell() {
	local sh=$1
	command -v "$sh" > /dev/null || skip "no $sh"
	mkdir -p pbin
	ln -sf "$PARX" pbin/parx
	PATH=$TMP/pbin:$PATH PARALLEL="--mode=$PARX_MODE" bounded "$sh" -c \
	    ". \"\$1\"; $2" "$sh" "$BATS_TEST_DIRNAME/../shell/env_parx.sh"
}

@test "env_parx (bash): a function, an array, an alias, a variable; parx's status" {
	# GNU: the same with env_parallel.bash and env_parallel
	run in_shell bash 'shopt -s expand_aliases
	    alias al="echo alias"
	    fn() { echo "fn $1"; }
	    V=var; arr=(p "q r"); declare -A h=([k]=v)
	    env_parx -k "al {}; fn {}; echo \$V \${arr[1]} \${h[k]}" ::: a b
	    echo "rc=$?"
	    env_parx "exit {}" ::: 3 4
	    echo "rc=$?"
	    echo "[${PARALLEL_ENV-unset}]"'
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 'alias a' 'fn a' 'var q r v' 'alias b' 'fn b' \
	    'var q r v' rc=0 rc=2 '[unset]')" ]
}

@test "env_parx (zsh): a function, an array, an alias, a variable; parx's status" {
	run in_shell zsh 'alias al="echo alias"
	    fn() { echo "fn $1"; }
	    V=var; arr=(p "q r"); typeset -A h; h[k]=v
	    env_parx -k "al {}; fn {}; echo \$V \${arr[2]} \${h[k]}" ::: a b
	    echo "rc=$?"
	    env_parx "exit {}" ::: 3 4
	    echo "rc=$?"'
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 'alias a' 'fn a' 'var q r v' 'alias b' 'fn b' \
	    'var q r v' rc=0 rc=2)" ]
}

@test "env_parx --env NAME: only those names go along, and --env goes on to parx" {
	# GNU: env_parallel --env fn 'fn {}; echo "[$V]"' ::: c
	run --separate-stderr in_shell bash 'fn() { echo "fn $1"; }; gn() { echo gn; }; V=var; W=w
	    env_parx --env fn "fn {}; echo \"[\$V]\"; gn" ::: c
	    echo "rc=$?"
	    env_parx --env=V,fn --env W -k "fn {}; echo \"[\$V\$W]\"" ::: d
	    env_parx --env fn --dry-run "fn {}" ::: e'
	[ "$status" -eq 0 ]
	[ "$(head -n 3 <<< "$output")" = "$(lines 'fn c' '[]' rc=1)" ]
	[ "$(tail -n 3 <<< "$output")" = "$(lines 'fn d' '[varw]' 'fn e')" ]
	[ "${stderr##*: }" = "command not found" ]
	run in_shell zsh 'fn() { echo "fn $1"; }; V=var
	    env_parx --env fn "fn {}; echo \"[\$V]\"" ::: c'
	[ "$output" = "$(lines 'fn c' '[]')" ]
}

@test "env_parx leaves out read-only and special variables" {
	run in_shell bash 'readonly RO=1; V=2
	    env_parx "echo \$RO \$V \$RANDOM" ::: x | tr -d "0-9\n"; echo
	    env_parx "echo \$RO:\$V:{}" ::: y'
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines '  x' ':2:y')" ]
}

@test "env_parx: what it does not do is an error, exit 255, and parx does not run" {
	run --separate-stderr in_shell bash 'env_parx --env _ touch ran ::: a; echo "rc=$?"
	    env_parx --record-env; echo "rc=$?"
	    env_parx --session; echo "rc=$?"
	    big=$(printf "%130000s" "")
	    env_parx touch ran ::: a; echo "rc=$?"'
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines rc=255 rc=255 rc=255 rc=255)" ]
	[ ! -e ran ]
	[ "${stderr_lines[0]}" = "env_parx: --env _ (the names --record-env records) is not supported" ]
	[ "${stderr_lines[1]}" = "env_parx: --record-env: env_parx records no names (use --env NAME)" ]
	[ "${stderr_lines[2]}" = "env_parx: --session: env_parx records no names (use --env NAME)" ]
	[[ "${stderr_lines[3]}" = "env_parx: the definitions take 13"*" bytes, more than a command line holds: name the ones the jobs need with --env NAME" ]]
	# The big variable left out, it runs.
	run in_shell bash 'big=$(printf "%130000s" ""); V=v
	    env_parx --env V "echo \$V {}" ::: a'
	[ "$output" = 'v a' ]
}

@test "env_parx with -S: the function and the variable are defined on the host" {
	SSHD_DIR=$TMP/sshd
	sshd_up "$SSHD_DIR" 127.0.0.1 || skip "$(cat "$SSHD_DIR/skip")"
	[ "$(ssh -F "$SSHD_DIR/ssh_config" 127.0.0.1 'basename "$SHELL"' < /dev/null)" = bash ] ||
	    skip "the login shell on 127.0.0.1 is not bash"
	# GNU: env_parallel --env fn --env V -S 127.0.0.1 -k 'fn {}' ::: a b
	run in_shell bash "fn() { echo \"fn \$1 \$V \$SSH_CONNECTION\" | cut -d' ' -f 1-3,6; }; V=var
	    env_parx --ssh 'ssh -F $SSHD_DIR/ssh_config' --env fn --env V \
	    -S 127.0.0.1 -k 'fn {}' ::: a b"
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 'fn a var 127.0.0.1' 'fn b var 127.0.0.1')" ]
}

@test "env_parx works in a shell with set -eu" {
	run in_shell bash 'set -eu; declare x; f() { echo f; }
	    env_parx "f; echo [\${x-unset}]" ::: a; echo "rc=$?"'
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines f '[unset] a' rc=0)" ]
	run in_shell zsh 'set -eu; f() { echo "f $1"; }; env_parx "f {}" ::: a
	    echo "rc=$?"'
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 'f a' rc=0)" ]
}

@test "PARALLEL_ENV with --compare: the runs in each mode get the code, a fifo read once" {
	mkfifo fifo
	bounded sh -c 'printf "X=fifo" > fifo' &
	PARALLEL_ENV=fifo run --separate-stderr bparx --compare --runs 1 \
	    'test "${X}{}" = fifo{}' ::: a b
	wait
	[ "$status" -eq 0 ]
	[[ "$output" = *"output and exit statuses: identical in all 4 runs (exit status 0)"* ]]
}

#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
#
# exit: parx's exit status, failing jobs, errors of parx itself, and the
# number of jobs -j runs at once.

bats_require_minimum_version 1.5.0

load helpers

# bparx ARGS...: the parx function under bounded.  timeout(1) cannot call
# a shell function, so a bash in between calls it; that bash is then the
# shell parx sees as the one that started it, as with a plain call.

# The status: the number of failed jobs

@test "all jobs succeed: exit 0" {
	run bparx -k echo ::: a b
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'a\nb')" ]
}

@test "the status is the number of failed jobs" {
	run bparx 'exit {}' ::: 0 1 2 3 0
	[ "$status" -eq 3 ]
	run bparx 'exit {}' ::: 7
	[ "$status" -eq 1 ]
}

@test "failed jobs do not stop the others" {
	run bparx -k 'echo {}; exit {}' ::: 1 0 2
	[ "$status" -eq 2 ]
	[ "$output" = "$(printf '1\n0\n2')" ]
}

@test "100 failed jobs: exit 100" {
	run bparx -j4 'exit 1' < <(seq 100)
	[ "$status" -eq 100 ]
}

@test "101 failed jobs: exit 101" {
	run bparx -j4 'exit 1' < <(seq 101)
	[ "$status" -eq 101 ]
}

@test "more than 101 failed jobs: still 101" {
	run bparx -j4 'exit 1' < <(seq 150)
	[ "$status" -eq 101 ]
}

@test "a job exiting 255 makes parx exit 1" {
	run bparx 'exit {}' ::: 255
	[ "$status" -eq 1 ]
	run bparx 'exit {}' ::: 255 255 0
	[ "$status" -eq 2 ]
}

@test "a job exiting 101 or 127 counts as one failure" {
	run bparx 'exit {}' ::: 101
	[ "$status" -eq 1 ]
	run bparx 'exit {}' ::: 127
	[ "$status" -eq 1 ]
}

@test "a job killed by a signal counts as failed" {
	run bparx 'kill -{} $$' ::: KILL
	[ "$status" -eq 1 ]
	run bparx -k 'echo {}; [ {} = ok ] || kill -{} $$' ::: TERM ok HUP
	[ "$status" -eq 2 ]
	[ "$output" = "$(printf 'TERM\nok\nHUP')" ]
}

@test "a directly executed job killed by a signal counts as failed" {
	printf '#!/bin/sh\nkill -9 $$\n' > killme
	chmod +x killme
	run bparx ./killme ::: a b
	[ "$status" -eq 2 ]
}

# Jobs that cannot run

@test "command not found: a message, counts as failed, the run goes on" {
	run --separate-stderr bparx -k ::: nosuchcmd_parx 'echo ok'
	[ "$status" -eq 1 ]
	[ "$output" = "ok" ]
	[[ "$stderr" == *nosuchcmd_parx*"not found"* ]]
}

@test "command not found in a simple template (run without a shell)" {
	run --separate-stderr bparx -k nosuchcmd_parx ::: a b
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[[ "$stderr" == *nosuchcmd_parx*"not found"* ]]
}

@test "a command that cannot run: the shell's own message, by its full path, as GNU" {
	# GNU (from bash): parallel nosuchcmd ::: 1; parallel 'nosuchcmd; echo'
	# ::: 1; parallel ./no/such ::: 1; parallel /etc/passwd ::: 1 (the
	# same stderr, byte for byte; exit 1)
	run --separate-stderr bparx nosuchcmd ::: 1
	[ "$status" -eq 1 ]
	[ "$stderr" = "/usr/bin/bash: line 1: nosuchcmd: command not found" ]
	run --separate-stderr bparx 'nosuchcmd; echo' ::: 1
	[ "$status" -eq 0 ]
	[ "$output" = 1 ]
	[ "$stderr" = "/usr/bin/bash: line 1: nosuchcmd: command not found" ]
	run --separate-stderr bparx ./no/such ::: 1
	[ "$status" -eq 1 ]
	[ "$stderr" = "/usr/bin/bash: line 1: ./no/such: No such file or directory" ]
	printf 'x\n' > noexec
	run --separate-stderr bparx ./noexec ::: 1
	[ "$status" -eq 1 ]
	[ "$stderr" = "/usr/bin/bash: line 1: ./noexec: Permission denied" ]
	# GNU: parallel --joblog log nosuchcmd ::: 1; ... ./noexec ::: 1
	# (Exitval 127 and 126)
	bparx --joblog log nosuchcmd ::: 1 2> /dev/null || true
	[ "$(tail -n 1 log | cut -f 7)" = 127 ]
	bparx --joblog log2 ./noexec ::: 1 2> /dev/null || true
	[ "$(tail -n 1 log2 | cut -f 7)" = 126 ]
}

@test "the job shell is named by its full path: \$0, and a dash started as sh" {
	# GNU: parallel 'echo $0; true' ::: 1 (/usr/bin/bash, from bash);
	# sh -c "parallel 'echo \$0; true' ::: 1; parallel nosuchcmd ::: 1"
	# (/usr/bin/sh, then /usr/bin/sh: 1: nosuchcmd: not found)
	run bparx 'echo $0; true' ::: 1
	[ "$output" = /usr/bin/bash ]
	run --separate-stderr sh -c "$PARX --mode=$PARX_MODE 'echo \$0; true' ::: 1; $PARX --mode=$PARX_MODE nosuchcmd ::: 1"
	[ "$output" = /usr/bin/sh ]
	[ "$stderr" = "/usr/bin/sh: 1: nosuchcmd: not found" ]
}

@test "a missing path in a simple template" {
	run --separate-stderr bparx ./no/such/prog ::: a
	[ "$status" -eq 1 ]
	[[ "$stderr" == *./no/such/prog* ]]
}

@test "not executable: a message, counts as failed" {
	printf '#!/bin/sh\necho hi\n' > noexec
	chmod -x noexec
	run --separate-stderr bparx -k ./noexec ::: a b
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[[ "$stderr" == *./noexec*"ermission denied"* ]]
}

@test "a directory as the command counts as failed" {
	mkdir dir
	run --separate-stderr bparx ./dir ::: a
	[ "$status" -eq 1 ]
	[[ "$stderr" == *./dir* ]]
}

@test "a script without #! runs via the shell" {
	printf 'echo "script:$*"\nexit 0\n' > nosb
	chmod +x nosb
	run bparx -k ./nosb ::: a 'b c'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'script:a\nscript:b c')" ]
}

@test "a script without #! keeps its exit status" {
	printf 'exit 3\n' > nosb
	chmod +x nosb
	run bparx ./nosb ::: a b
	[ "$status" -eq 2 ]
}

# Errors of parx itself: 255, one line naming the culprit, nothing run

# parx_error CULPRIT ARGS...: parx ARGS must exit 255, print nothing on
# stdout, run no job (the jobs would create "ran*"), and say on one line
# of stderr (a "Try ... --help" hint may follow) what is wrong.
parx_error() {
	local culprit=$1 n
	shift
	run --separate-stderr bparx "$@"
	if [ "$status" -ne 255 ]; then
		echo "status $status, not 255"
		return 1
	fi
	[ -z "$output" ] || { echo "stdout: $output"; return 1; }
	if compgen -G 'ran*' > /dev/null; then
		echo "a job ran"
		return 1
	fi
	n=$(printf '%s\n' "$stderr" | grep -cv "^Try .*--help")
	if [ "$n" -ne 1 ] || [[ "${stderr%%$'\n'*}" != *"$culprit"* ]]; then
		printf 'stderr:\n%s\n' "$stderr"
		return 1
	fi
}

@test "an unknown option" {
	parx_error --bogus --bogus touch ran ::: a
	parx_error "Y" -Y touch ran ::: a
}

@test "an abbreviation of several options names them" {
	# parallel --ta echo ::: 1: "Option ta is ambiguous (tag, ...)", 255
	run --separate-stderr bparx --ta touch ran ::: a
	[ "$status" -eq 255 ]
	[ ! -e ran ]
	[ "$stderr" = "parx: option '--ta' is ambiguous: --tag, --tagstring, --tag-string
Try 'parx --help' for more information." ]
	run --separate-stderr bparx --jo=2 touch ran ::: a
	[ "$status" -eq 255 ]
	[ "${stderr%%$'\n'*}" = "parx: option '--jo' is ambiguous: --jobs, --joblog" ]
	# one option's aliases are not several options
	run bparx --tot 1 echo ::: a
	[ "$status" -eq 0 ]
	[ "$output" = "a" ]
}

@test "a flag given a value" {
	run --separate-stderr bparx --keep-order=yes touch ran ::: a
	[ "$status" -eq 255 ]
	[ ! -e ran ]
	[ "$stderr" = "parx: option '--keep-order' doesn't allow an argument
Try 'parx --help' for more information." ]
	run --separate-stderr bparx --keep=yes touch ran ::: a
	[ "$status" -eq 255 ]
	[ "${stderr%%$'\n'*}" = "parx: option '--keep' doesn't allow an argument" ]
}

@test "an option without its argument" {
	parx_error "'j'" -j
	parx_error "arg-file" --arg-file
}

@test "bad -j values" {
	local v
	for v in x - + 1.5 % 2x ''; do
		parx_error "'$v'" -j "$v" touch ran ::: a || {
			echo "-j '$v'"
			return 1
		}
	done
}

@test "bad -j values that strtod would take: 0x2 1e1 +1.5 -1.5" {
	# GNU parallel refuses each of them
	local v
	for v in 0x2 1e1 +1.5 ' 2' -1.5 inf; do
		parx_error "'$v'" -j "$v" touch ran ::: a || {
			echo "-j '$v'"
			return 1
		}
	done
}

@test "a missing -a file" {
	parx_error missing -a missing touch ran
	printf 'a\n' > good
	parx_error missing -a good -a missing 'touch ran.{}'
}

@test "a missing :::: file" {
	parx_error missing touch ran :::: missing
	printf 'a\n' > good
	parx_error missing 'touch ran.{}' :::: good :::: missing
	parx_error missing 'touch ran.{}' ::: a ::::+ missing
}

@test ":::: with no file" {
	parx_error "::::" touch ran ::::
}

@test "an unclosed { in the template is literal, not an error" {
	run parx 'touch ran {' ::: a
	[ "$status" -eq 0 ]
	[ -e ran ]
	[ -e '{' ]
	[ -e a ]
	run parx touch ran.{} x{ ::: b
	[ "$status" -eq 0 ]
	[ -e ran.b ]
	[ -e 'x{' ]
}

@test "a bad --mode" {
	parx_error fork --mode=fork touch ran ::: a
	parx_error "''" --mode= touch ran ::: a
}

@test "an empty -I and other empty replacement strings" {
	parx_error -I -I '' touch ran ::: a
	parx_error "for --er:" --er '' touch ran ::: a
	parx_error "for --extensionreplace:" --extensionreplace '' touch ran ::: a
	parx_error --seqreplace --seqreplace '' touch ran ::: a
}

@test "empty --arg-sep" {
	parx_error --arg-sep --arg-sep '' touch ran ::: a
}

# bad_number MESSAGE ARGS...: parx ARGS exits 255, runs nothing, and its
# stderr is exactly the one line "parx: MESSAGE".
bad_number() {
	local msg=$1
	shift
	run --separate-stderr bparx "$@" touch ran ::: a
	[ "$status" -eq 255 ] || { echo "$*: status $status"; return 1; }
	[ -z "$output" ] || { echo "$*: stdout: $output"; return 1; }
	[ ! -e ran ] || { echo "$*: a job ran"; return 1; }
	[ "$stderr" = "parx: $msg" ] || {
		echo "$*: stderr: $stderr"
		return 1
	}
}

@test "a bad number: one line naming the value and the option" {
	local units="(K, M, G: powers of 1024; k, m, g: of 1000)"

	bad_number "invalid number of jobs 'abc' for --jobs/-j: expected N, 0, +N, -N or N%" -j abc
	bad_number "invalid number of jobs '+1%' for --jobs/-j: expected N, 0, +N, -N or N%" --jobs=+1%
	bad_number "invalid duration '-5' for --timeout: expected seconds (1.5, 2m, 1h30m...) or a percentage (200%)" --timeout -5
	bad_number "invalid number of runs '99999999999999999999' for --retries: expected a whole number up to 999999999 (0: no limit)" --retries 99999999999999999999
	bad_number "invalid number of runs '101' for --runs: expected 1 to 100" --runs 101
	bad_number "invalid duration '1x' for --delay: expected seconds (1.5, 2m, 1h30m...)" --delay 1x
	bad_number "invalid load '-1%' for --load: expected N, +N, -N or N%" --load -1%
	bad_number "invalid niceness '1.5' for --nice: expected a whole number" --nice 1.5
	bad_number "invalid number of jobs '99999999999999999999' for --total-jobs: expected a whole number" --total-jobs 99999999999999999999
	bad_number "invalid size '1Q' for --memfree: expected a number with an optional unit (K, M, G, T, P; k, m, g, t, p)" --memfree 1Q
	bad_number "invalid count '1e3' for --max-args/-n: expected a number $units" --max-args 1e3
	bad_number "invalid block size '0' for --block-size: expected a number above 0 $units, or -N blocks per job slot with --pipe-part" --block-size 0
	bad_number "invalid block size '-x' for --block: expected a number above 0 $units, or -N blocks per job slot with --pipe-part" --block -x
}

@test "a bad value names the option as it was given" {
	local jobs="expected N, 0, +N, -N or N%"

	bad_number "invalid number of jobs 'x' for --jobs/-j: $jobs" -j x
	bad_number "invalid number of jobs 'x' for --jobs/-j: $jobs" -kj x
	bad_number "invalid number of jobs 'x' for --max-procs/-P: $jobs" --max-p=x
	bad_number "invalid number of jobs 'x' for --max-procs/-P: $jobs" -P x
	bad_number "invalid number of jobs 'x' for --max-procs/-P: $jobs" --max-procs x
	bad_number "invalid condition 'x' for --halt-on-error: expected now|soon,fail|success|done=N or N%, or 0, 1, 2, -1, -2, N%" --halt-on-error x
	bad_number "invalid replacement string '' for -I: expected a non-empty string" -I ''
	bad_number "invalid replacement string '' for --replace/-i: expected a non-empty string" --replace=
	bad_number "invalid replacement string '' for --bnr: expected a non-empty string" --bnr ''
	bad_number "invalid file name '+' for --jl: expected a file name, with + in front to append" --jl +
	bad_number "invalid kill sequence 'x' for --term-seq: expected signals and waits in milliseconds, alternating (TERM,200,TERM,100,KILL,25)" --term-seq x
}

@test "a whole number is digits only: no blank, no sign where none belongs" {
	bad_number "invalid number of runs ' 3' for --runs: expected 1 to 100" --runs ' 3'
	bad_number "invalid number of runs '+3' for --runs: expected 1 to 100" --runs +3
	bad_number "invalid niceness ' 5' for --nice: expected a whole number" --nice ' 5'
	bad_number "invalid number of runs '+1' for --retries: expected a whole number up to 999999999 (0: no limit)" --retries +1
	bad_number "invalid number of jobs '+5' for --total-jobs: expected a whole number" --total-jobs +5
	run bparx --dry-run --nice -5 echo ::: a
	[ "$status" -eq 0 ]
	run bparx --dry-run --nice +5 echo ::: a
	[ "$status" -eq 0 ]
}

@test "--nice beyond -20..19 is clamped, as nice(1) does" {
	run bparx --dry-run --nice 99999999999999999999 echo ::: a
	[ "$status" -eq 0 ]
	[ "$output" = "echo a" ]
}

@test "a bad descriptor for --internal-stats-fd is an error, not descriptor 0" {
	bad_number "invalid descriptor 'abc' for --internal-stats-fd: expected a whole number" --internal-stats-fd abc
}

# The options of the table that take any text, where no value is plainly
# wrong (a file, a template, a command, a name); --recend and --recstart
# are checked only with --pipe (pipe.bats); a --profile that is not there
# is skipped, as GNU parallel skips it (profile.bats).
ANY_TEXT=" arg-file argfile basefile bf env events header profile recend
    recstart return ssh sshloginfile slf stats-json tagstring tag-string tf
    tmpdir tempdir transferfile transfer-file transferfiles transfer-files
    trc wd workdir work-dir semaphore-name semaphorename id rpl ctagstring
    filter compare-json compare-report report timeline plot eof
    compress-program decompress-program "

# bad_value NAME VALUE [SHOWN]: after "run --separate-stderr bparx
# --NAME=VALUE", parx exited 255, ran nothing, and said in one line "parx:
# invalid WHAT 'VALUE' for --SHOWN: expected ..." (--SHOWN/-X when it has
# a letter); SHOWN is NAME unless given.
bad_value() {
	local name=$1 val=$2 pre shown=${3:-$1}
	[ "$status" -eq 255 ] || { echo "--$name=$val: status $status"; return 1; }
	[ -z "$output" ] || { echo "--$name=$val: stdout: $output"; return 1; }
	[ ! -e ran ] || { echo "--$name=$val: a job ran"; return 1; }
	[[ "$stderr" != *$'\n'* ]] || {
		echo "--$name=$val: more than one line: $stderr"; return 1; }
	pre="parx: invalid "
	[[ "$stderr" == "$pre"*" '$val' for --$shown: expected "?* ||
	    "$stderr" == "$pre"*" '$val' for --$shown/-"?": expected "?* ]] || {
		echo "--$name=$val: $stderr"; return 1; }
}

@test "every option that takes a value: a bad one is one line naming it" {
	local name val n=0
	# Where "bogus" would pass: escapes, expressions, logins, and the
	# strings that only an empty one is wrong for.
	local -A bad=(
		[delimiter]='\q' [colsep]='[' [col-sep]='[' [sshlogin]=1/
		[joblog]= [jl]= [results]= [res]= [result]= [arg-sep]= [argsep]=
		[arg-file-sep]= [argfilesep]=
		[replace]= [extensionreplace]= [er]= [basenamereplace]= [bnr]=
		[dirnamereplace]= [dnr]= [basenameextensionreplace]= [bner]=
		[seqreplace]= [slotreplace]= [group-by]=0 [groupby]=1x [limit]=
		[process-slot-var]=1x
	)

	for name in $("$PARX" --internal-list-options); do
		[[ "$ANY_TEXT" != *[[:space:]]$name[[:space:]]* ]] || continue
		val=${bad[$name]-bogus}
		run --separate-stderr bparx "--$name=$val" touch ran ::: a
		# A flag: getopt_long refuses any value.
		if [ "$stderr" = "parx: option '--$name' doesn't allow an argument
Try 'parx --help' for more information." ]; then
			continue
		fi
		# src/ checks the regular expression: it names the option by
		# its main name.
		if [ "$name" = col-sep ]; then
			bad_value "$name" "$val" colsep
		else
			bad_value "$name" "$val"
		fi
		n=$((n + 1))
	done
	[ "$n" -gt 30 ]
}

@test "a command line over the system limit (shell template)" {
	head -c 200000 /dev/zero | tr '\0' a > big
	echo >> big
	parx_error "too long" 'touch ran; echo {}' :::: big
}

@test "a command line over the system limit (simple template)" {
	head -c 200000 /dev/zero | tr '\0' a > big
	echo >> big
	parx_error "too long" touch ran :::: big
}

@test "the too-long error is one line even for a long command" {
	head -c 300000 /dev/zero | tr '\0' a > big
	echo >> big
	run --separate-stderr bparx 'echo {}' :::: big
	[ "$status" -eq 255 ]
	[ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ]
	[ "${#stderr}" -lt 1000 ]
}

# -j: how many jobs run at once.  Each job registers its slot; the first
# ones wait until N different slots exist, so fewer than N at once hangs
# (bounded fails the test), and each job also records how many jobs are
# alive, which must never be more than N.

# jobs_at_once N NJOBS PARX-OPTIONS...
jobs_at_once() {
	local n=$1 njobs=$2 max
	shift 2
	local BOUND=20
	run --separate-stderr bparx "$@" \
	    'touch live.{#}; ls live.* 2>/dev/null | wc -l >> counts; echo {%};
	     touch slot.{%};
	     while [ "$(ls slot.* | wc -l)" -lt '"$n"' ]; do sleep 0.01; done;
	     rm live.{#}' < <(seq "$njobs")
	if [ "$status" -ne 0 ]; then
		echo "status $status (124: fewer than $n jobs at once)"
		printf 'stderr: %s\n' "$stderr"
		return 1
	fi
	max=$(sort -n counts | tail -1)
	if [ "$max" -gt "$n" ]; then
		echo "$max jobs alive at once, more than $n"
		return 1
	fi
	if [ "$(printf '%s\n' "$output" | sort -nu)" != "$(seq "$n")" ]; then
		printf 'slots: %s\n' "$(printf '%s\n' "$output" | sort -nu |
		    tr '\n' ' ')"
		return 1
	fi
	if [ "$(printf '%s\n' "$output" | wc -l)" -ne "$njobs" ]; then
		echo "not $njobs jobs"
		return 1
	fi
}

ncpus() {
	nproc
}

@test "-j 1 runs one job at a time" {
	jobs_at_once 1 4 -j 1
}

@test "-j 3 runs three jobs at once" {
	jobs_at_once 3 8 -j 3
}

@test "--jobs and -P are -j" {
	jobs_at_once 2 4 --jobs 2
	rm -f counts slot.* live.*
	jobs_at_once 3 6 -P 3
}

@test "the default is the number of CPUs" {
	jobs_at_once "$(ncpus)" "$(( $(ncpus) * 2 ))"
}

@test "-j 0 runs as many as possible" {
	jobs_at_once 24 24 -j 0
}

@test "-j +N is the number of CPUs plus N" {
	local n=$(( $(ncpus) + 2 ))
	jobs_at_once "$n" $((n * 2)) -j +2
}

@test "-j -N is the number of CPUs minus N" {
	local n=$(( $(ncpus) - 1 ))
	[ "$n" -ge 1 ] || skip "one CPU: -j -1 leaves no job slot"
	jobs_at_once "$n" $((n * 2)) -j -1
}

@test "-j N% is a percentage of the CPUs, rounded up" {
	# GNU: parallel -j 150% (ceil of 1.5 per CPU)
	local n=$(( ($(ncpus) * 150 + 99) / 100 ))
	jobs_at_once "$n" $((n * 2)) -j 150%
	rm -f counts slot.* live.*
	n=$(( $(ncpus) * 200 / 100 ))
	jobs_at_once "$n" $((n * 2)) -j 200%
	rm -f counts slot.* live.*
	# GNU: parallel -j 60%: 2 jobs at once on 2 CPUs
	n=$(( ($(ncpus) * 60 + 99) / 100 ))
	jobs_at_once "$n" $((n * 2)) -j 60%
}

@test "-j 1% is one job" {
	jobs_at_once 1 3 -j 1%
}

@test "-j that leaves no job slot: an error, exit 255, no job runs" {
	local v
	# GNU: parallel -j VALUE 'touch ran.{}' ::: a b (for each VALUE):
	# "parallel: Error: Cannot run any jobs.", exit 255
	for v in 0% -100000 -$(ncpus); do
		run --separate-stderr bparx -j "$v" 'touch ran.{}' ::: a b
		[ "$status" -eq 255 ]
		[ "$output" = "" ]
		[ "$stderr" = "parx: cannot run any jobs: -j '$v' leaves no job slot" ]
		[ ! -e ran.a ]
		[ ! -e ran.b ]
	done
	# GNU: parallel --dry-run -j 0% echo ::: a (exit 255)
	run --separate-stderr bparx --dry-run -j 0% echo ::: a
	[ "$status" -eq 255 ]
	[ "$output" = "" ]
	[ "$stderr" = "parx: cannot run any jobs: -j '0%' leaves no job slot" ]
	# GNU: parallel -P 0% -k echo < <(echo a) (exit 255)
	run --separate-stderr bparx --max-procs 0% -k echo < <(echo a)
	[ "$status" -eq 255 ]
	[ "$stderr" = "parx: cannot run any jobs: -j '0%' leaves no job slot" ]
}

@test "-j that leaves no job slot: no input is no error, a later -j wins" {
	# GNU: parallel -j 0% echo < /dev/null (exit 0)
	run --separate-stderr bparx -j 0% echo < /dev/null
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	[ "$stderr" = "" ]
	# GNU: parallel -j 0% echo ::: (exit 0)
	run --separate-stderr bparx -j 0% echo :::
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	# GNU: parallel -j 0% -j 1 echo ::: a
	run bparx -j 0% -j 1 echo ::: a
	[ "$status" -eq 0 ]
	[ "$output" = "a" ]
}

@test "-j that leaves no job slot with --pipe runs one job at a time" {
	# GNU: seq 3 | parallel -j 0% -k --pipe -N1 cat
	run --separate-stderr bparx -j 0% -k --pipe -N1 'echo {%}; cat' < <(seq 3)
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 1 1 1 2 1 3)" ]
	[ "$stderr" = "" ]
}

@test "-j larger than the number of jobs" {
	jobs_at_once 3 3 -j 50
}

@test "the last -j wins" {
	jobs_at_once 2 4 -j 5 -j 2
}

#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
#
# The options kept outside the command line, read as GNU parallel reads
# them: $PARALLEL_HOME/config (else ~/.parallel/config), or the -J
# profiles instead of it, then $PARALLEL, then the command line.  Every
# test has its own empty $PARALLEL_HOME and no $PARALLEL (helpers.bash).
# Expected outputs and exit statuses are GNU parallel 20221122's, run with
# the same files and variables (the command is in each test's comment),
# unless a test says otherwise.

load helpers

# run_out ARGS...: parx under a time limit, stdout in out, stderr in err,
# the exit status in $status.
run_out() {
	status=0
	bparx "$@" > out 2> err || status=$?
}

# GNU: PARALLEL='-k --tag' parallel echo ::: a b
@test "\$PARALLEL: its options apply" {
	PARALLEL='-k --tag' bparx echo ::: a b > out 2> err
	[ "$(cat out)" = "$(printf 'a\ta\nb\tb')" ]
	[ ! -s err ]
}

# GNU: PARALLEL="-k --tagstring 'a  b'\\ c\"d\\\"e\"" parallel echo ::: 1
@test "\$PARALLEL: split as a shell splits words, quotes and backslashes" {
	PARALLEL="-k --tagstring 'a  b'\\ c\"d\\\"e\"" bparx echo ::: 1 \
	    > out 2> err
	[ "$(od -An -c out | tr -s ' ')" = \
	    "$(printf 'a  b cd"e\t1\n' | od -An -c | tr -s ' ')" ]
	[ ! -s err ]
}

# GNU: printf '# first\n\n   # indented\n-k\n\t--tag\n' > $PARALLEL_HOME/config
#      parallel echo ::: a b
@test "config: its options apply; comment lines and blank lines are skipped" {
	printf '# first\n\n   # indented\n-k\n\t--tag\n' > "$PARALLEL_HOME/config"
	run bparx echo ::: a b
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'a\ta\nb\tb')" ]
}

# GNU: printf -- '-k # a note\n' > $PARALLEL_HOME/config
#      parallel --dry-run echo ::: a
@test "config: a # after a word is a word, not a comment" {
	printf -- '-k # a note\n' > "$PARALLEL_HOME/config"
	run bparx --dry-run echo ::: a
	[ "$status" -eq 0 ]
	[ "$output" = "# a note echo a" ]
}

# GNU: HOME=$TMP/home; unset PARALLEL_HOME
#      printf -- '--tagstring home\n' > ~/.parallel/config; parallel echo ::: a
@test "config: ~/.parallel/config when \$PARALLEL_HOME is not set" {
	mkdir -p home/.parallel
	printf -- '--tagstring home\n' > home/.parallel/config
	HOME=$TMP/home PARALLEL_HOME= bparx echo ::: a > out 2> err
	[ "$(cat out)" = "$(printf 'home\ta')" ]
	[ ! -s err ]
}

# GNU: printf -- '--tagstring c\n' > $PARALLEL_HOME/config
#      parallel echo ::: a
#      PARALLEL='--tagstring e' parallel echo ::: a
#      PARALLEL='--tagstring e' parallel --tagstring l echo ::: a
@test "the command line wins over \$PARALLEL, which wins over config" {
	printf -- '--tagstring c\n' > "$PARALLEL_HOME/config"
	run bparx echo ::: a
	[ "$output" = "$(printf 'c\ta')" ]
	PARALLEL='--tagstring e' bparx echo ::: a > out
	[ "$(cat out)" = "$(printf 'e\ta')" ]
	PARALLEL='--tagstring e' bparx --tagstring l echo ::: a > out
	[ "$(cat out)" = "$(printf 'l\ta')" ]
}

# GNU: printf 'f1\n' > f1; printf -- '-a f1\n' > $PARALLEL_HOME/config
#      parallel -k -a f1 echo
@test "an option that adds, given in config and on the command line, adds" {
	printf 'f1\n' > f1
	printf -- '-a f1\n' > "$PARALLEL_HOME/config"
	run bparx -k -a f1 echo
	[ "$status" -eq 0 ]
	[ "$output" = "f1 f1" ]
}

# GNU: printf -- '--tagstring c\n' > $PARALLEL_HOME/config
#      printf -- '--tagstring pj\n' > $PARALLEL_HOME/pj
#      parallel -J pj echo ::: a; parallel --profile pj echo ::: a
@test "-J NAME: the profile's options apply, the config file's do not" {
	printf -- '-k\n--tagstring c\n' > "$PARALLEL_HOME/config"
	printf -- '--tagstring pj\n' > "$PARALLEL_HOME/pj"
	run bparx -J pj echo ::: a b
	[ "$(sort <<< "$output")" = "$(printf 'pj\ta\npj\tb')" ]
	run bparx --profile pj echo ::: a
	[ "$output" = "$(printf 'pj\ta')" ]
}

# GNU: printf -- '--tagstring p1\n-k\n' > $PARALLEL_HOME/p1
#      printf -- '--tagstring p2\n' > $PARALLEL_HOME/p2
#      parallel -J p1 -J p2 echo ::: a b
#      PARALLEL='--tagstring e' parallel -J p1 echo ::: a
@test "-J may be repeated: the later profile wins, \$PARALLEL over both" {
	printf -- '--tagstring p1\n-k\n' > "$PARALLEL_HOME/p1"
	printf -- '--tagstring p2\n' > "$PARALLEL_HOME/p2"
	run bparx -J p1 -J p2 echo ::: a b
	[ "$output" = "$(printf 'p2\ta\np2\tb')" ]
	PARALLEL='--tagstring e' bparx -J p1 echo ::: a > out
	[ "$(cat out)" = "$(printf 'e\ta')" ]
}

# GNU: printf -- '--tagstring rel\n' > prof
#      parallel -J ./prof echo ::: a; parallel -J $TMP/prof echo ::: a
#      HOME=$TMP/home; unset PARALLEL_HOME
#      printf -- '--tagstring home\n' > ~/.parallel/hp; parallel -J hp echo ::: a
@test "-J ./NAME and -J /PATH are files; -J NAME is in ~/.parallel by default" {
	printf -- '--tagstring rel\n' > prof
	run bparx -J ./prof echo ::: a
	[ "$output" = "$(printf 'rel\ta')" ]
	run bparx -J "$TMP/prof" echo ::: a
	[ "$output" = "$(printf 'rel\ta')" ]
	mkdir -p home/.parallel
	printf -- '--tagstring home\n' > home/.parallel/hp
	HOME=$TMP/home PARALLEL_HOME= bparx -J hp echo ::: a > out
	[ "$(cat out)" = "$(printf 'home\ta')" ]
}

# GNU: parallel -k -J nope echo ::: a b; parallel -J ./nope echo ::: a
#      parallel -J /nonexistent/nope echo ::: a
@test "-J with no such profile: ignored, as GNU parallel ignores it" {
	printf -- '--tagstring c\n' > "$PARALLEL_HOME/config"
	run_out -k -J nope echo ::: a b
	[ "$status" -eq 0 ]
	[ "$(cat out)" = "$(lines a b)" ]
	[ ! -s err ]
	run_out -J ./nope echo ::: a
	[ "$status" -eq 0 ]
	[ "$(cat out)" = a ]
	run_out -J /nonexistent/nope echo ::: a
	[ "$status" -eq 0 ]
	[ "$(cat out)" = a ]
}

# GNU: printf -- '--tagstring p1\n' > $PARALLEL_HOME/p1
#      PARALLEL='-J p1 -k' parallel echo ::: a b
@test "-J in \$PARALLEL or in a file is accepted and reads nothing" {
	printf -- '--tagstring p1\n' > "$PARALLEL_HOME/p1"
	PARALLEL='-J p1 -k' bparx echo ::: a b > out 2> err
	[ "$(cat out)" = "$(lines a b)" ]
	[ ! -s err ]
	printf -- '-J p1\n-k\n' > "$PARALLEL_HOME/config"
	run bparx echo ::: a b
	[ "$output" = "$(lines a b)" ]
}

# GNU: printf -- '--tagstring c\n' > $PARALLEL_HOME/config
#      printf -- '--tagstring p\n' > $PARALLEL_HOME/p
#      PARALLEL='--tag' parallel --plain echo ::: a
#      PARALLEL='--tag' parallel --plain -J p echo ::: a
@test "--plain: no config file, no profile, no \$PARALLEL" {
	printf -- '--tagstring c\n' > "$PARALLEL_HOME/config"
	printf -- '--tagstring p\n' > "$PARALLEL_HOME/p"
	PARALLEL='--tag' bparx --plain echo ::: a > out
	[ "$(cat out)" = a ]
	PARALLEL='--tag' bparx --plain -J p echo ::: a > out
	[ "$(cat out)" = a ]
}

# GNU: PARALLEL='--tag echo' parallel -k ::: a b
#      PARALLEL='-k echo ::: x y' parallel ::: 1 2
#      PARALLEL='-k echo' parallel -- -n ::: a
@test "\$PARALLEL with a command or ::: in it: they go before the command line's" {
	PARALLEL='--tag echo' bparx -k ::: a b > out
	[ "$(cat out)" = "$(printf 'a\ta\nb\tb')" ]
	PARALLEL='-k echo ::: x y' bparx ::: 1 2 > out
	[ "$(cat out)" = "$(lines 'x 1' 'x 2' 'y 1' 'y 2')" ]
	PARALLEL='-k echo' bparx -- -n ::: a > out
	[ "$(od -An -c out | tr -d ' ')" = a ]
}

# GNU: printf -- 'echo\n--tag\n' > $PARALLEL_HOME/config
#      PARALLEL='-k' parallel ::: a
@test "config: words after its first operand are operands" {
	printf -- 'echo\n--tag\n' > "$PARALLEL_HOME/config"
	PARALLEL=-k bparx ::: a > out
	[ "$(cat out)" = "--tag a" ]
}

# GNU: printf -- '-k\n--bogus\n' > $PARALLEL_HOME/config; parallel echo ::: a
#      (GNU: "Unknown option: bogus" and its usage text, exit 255)
@test "config: an unknown option is exit 255, named with the file and line" {
	printf -- '-k\n--bogus\n' > "$PARALLEL_HOME/config"
	run_out echo ::: a
	[ "$status" -eq 255 ]
	[ ! -s out ]
	[ "$(cat err)" = \
	    "parx: $PARALLEL_HOME/config:2: unrecognized option '--bogus'" ]
}

# GNU: printf -- '-j foo\n' > $PARALLEL_HOME/p; parallel -J p echo ::: a
#      (GNU: "Parsing of --jobs/-j/--max-procs/-P failed", exit 255)
@test "-J: a bad value is exit 255, named with the profile and line" {
	printf -- '\n-j foo\n' > "$PARALLEL_HOME/p"
	run_out -J p echo ::: a
	[ "$status" -eq 255 ]
	[ ! -s out ]
	[ "$(cat err)" = "parx: $PARALLEL_HOME/p:2: invalid number of jobs 'foo' for --jobs/-j: expected N, 0, +N, -N or N%" ]
}

# GNU: printf -- '-k\n--bogus\n' > $PARALLEL_HOME/p; parallel -J p echo ::: a
#      (GNU: "Unknown option: bogus", exit 255): the profile's option is
#      named, not an option given before -J (--mode=... in these tests)
@test "-J: an unknown option is named with the profile and line" {
	printf -- '-k\n--bogus\n' > "$PARALLEL_HOME/p"
	run_out -j2 -J p echo ::: a
	[ "$status" -eq 255 ]
	[ ! -s out ]
	[ "$(cat err)" = \
	    "parx: $PARALLEL_HOME/p:2: unrecognized option '--bogus'" ]
}

# GNU: PARALLEL='--bogus' parallel echo ::: a
#      PARALLEL='-k -a' parallel echo ::: a
#      PARALLEL='--tagstring' parallel echo ::: a
#      PARALLEL='--ta' parallel echo ::: a
#      (GNU: "Unknown option: bogus", "Option a requires an argument",
#      "Option ta is ambiguous (tag, tag-string, tagstring)", ...
#      and its usage text, exit 255)
@test "\$PARALLEL: an unknown option or a missing value is exit 255, named" {
	PARALLEL='--bogus' run_out echo ::: a
	[ "$status" -eq 255 ]
	[ ! -s out ]
	[ "$(cat err)" = "parx: \$PARALLEL: unrecognized option '--bogus'" ]
	PARALLEL='-k -a' run_out echo ::: a
	[ "$status" -eq 255 ]
	[ "$(cat err)" = "parx: \$PARALLEL: option requires an argument -- 'a'" ]
	PARALLEL='--tagstring' run_out echo ::: a
	[ "$status" -eq 255 ]
	[ "$(cat err)" = \
	    "parx: \$PARALLEL: option '--tagstring' requires an argument" ]
	PARALLEL='--ta' run_out echo ::: a
	[ "$status" -eq 255 ]
	[ "$(cat err)" = \
	    "parx: \$PARALLEL: option '--ta' is ambiguous: --tag, --tagstring, --tag-string" ]
}

# GNU: PARALLEL='--tagstring "x' parallel echo ::: a
#      printf -- "--tag 'x\n" > $PARALLEL_HOME/config; parallel echo ::: a
#      GNU drops the words of a line with an unbalanced quote and says
#      nothing (exit 0, output "a"); parx refuses it, on purpose.
@test "an unbalanced quote is exit 255, named (GNU parallel drops the line)" {
	PARALLEL='--tagstring "x' run_out echo ::: a
	[ "$status" -eq 255 ]
	[ ! -s out ]
	[ "$(cat err)" = "parx: \$PARALLEL has an unterminated double quote" ]
	printf -- "-k\n--tag 'x\n" > "$PARALLEL_HOME/config"
	run_out echo ::: a
	[ "$status" -eq 255 ]
	[ "$(cat err)" = \
	    "parx: $PARALLEL_HOME/config:2: the line has an unterminated single quote" ]
}

# GNU: PARALLEL="'echo x{} >> $TMP/log'" parallel ::: a, four times (its
# --compare is parx's own).  The runs get parx's whole command line with
# --plain: reading $PARALLEL again would run "echo x{} >> log" twice over.
@test "--compare: its runs do not read config or \$PARALLEL again" {
	printf -- '--compare\n--runs 1\n' > "$PARALLEL_HOME/config"
	PARALLEL="'echo x{} >> \"$TMP/log\"'" bparx ::: a > out 2> err
	[ "$(head -1 out | cut -d, -f1-2)" = \
	    "parx --compare: 1 run per mode after a warm-up, 1 jobs per run" ]
	[ "$(cat log)" = "$(lines xa xa xa xa)" ]
}

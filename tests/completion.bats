#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
#
# completion: the bash, zsh and fish completions in completions/ are what
# parx writes from its option table (parx --internal-completion SHELL), so
# they name every option; bash's is driven as readline drives it, zsh's
# and fish's are loaded by their shells.  The completions do not depend on
# the mode: the file runs in each mode like every other.

load helpers

setup_more() {
	TOP=$BATS_TEST_DIRNAME/..
}

# The long options users type (the --internal-* ones are for parx itself).
long_options() {
	"$PARX" --internal-list-options | grep -v '^internal-'
}

# not_in LIST: the long options (--name) that are not lines of LIST.
not_in() {
	comm -23 <(long_options | sed 's/^/--/' | sort) <(sort -u <<< "$1")
}

# bash_complete WORD...: what the bash completion offers for the words,
# the last being the one completed, one a line, sorted (readline sorts
# them too).
bash_complete() {
	bash --norc --noprofile -c '
	    source "$1"
	    shift
	    COMP_WORDS=("$@")
	    COMP_CWORD=$(($# - 1))
	    _parx
	    printf "%s\n" "${COMPREPLY[@]}"' bash "$TOP/completions/parx.bash" \
	    "$@" | sort
}

@test "completions/ holds the scripts parx writes from its option table" {
	local shell file
	for shell in bash zsh fish; do
		case $shell in
		bash) file=parx.bash ;;
		zsh) file=_parx ;;
		fish) file=parx.fish ;;
		esac
		run "$PARX" --internal-completion $shell
		[ "$status" -eq 0 ]
		[ "$output" = "$(cat "$TOP/completions/$file")" ] || {
			echo "completions/$file is out of date: make completions"
			return 1
		}
	done
}

@test "--internal-completion: a shell without a script is an error, exit 255" {
	run "$PARX" --internal-completion tcsh
	[ "$status" -eq 255 ]
	[ "$output" = "parx: invalid shell 'tcsh' for --internal-completion: expected bash, zsh or fish" ]
}

@test "bash: the completion is set for parx and sem" {
	run bash --norc --noprofile -c 'source "$1"; complete -p parx sem' \
	    bash "$TOP/completions/parx.bash"
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines "complete -F _parx parx" "complete -F _parx sem")" ]
}

@test "bash: options, and every long option is offered" {
	[ "$(bash_complete parx --mo)" = "--mode" ]
	[ "$(bash_complete parx --ta)" = "$(lines --tag --tag-string --tagstring)" ]
	[ "$(bash_complete parx -- --mo)" = "" ]
	run bash_complete parx --
	[ "$(not_in "$output")" = "" ]
}

@test "bash: --mode, --halt, --func, --trim and --termseq offer their values" {
	[ "$(bash_complete parx --mode '')" = "$(lines process thread)" ]
	# "--mode=t": bash splits at the "=" (COMP_WORDBREAKS)
	[ "$(bash_complete parx --mode = t)" = thread ]
	[ "$(bash_complete parx --mode=t)" = --mode=thread ]
	[ "$(bash_complete parx --halt '')" = "$(lines never now,done= now,fail= \
	    now,success= soon,done= soon,fail= soon,success=)" ]
	[ "$(bash_complete parx --halt-on-error so)" = "$(lines soon,done= \
	    soon,fail= soon,success=)" ]
	[ "$(bash_complete parx --func '')" = "$(lines echo gzip sleep spin)" ]
	[ "$(bash_complete parx --trim l)" = "$(lines l lr)" ]
	[ "$(bash_complete parx --termseq TERM,200,K)" = TERM,200,KILL ]
	[ "$(bash_complete parx --termseq '')" = "$(lines ABRT ALRM CONT HUP \
	    INT KILL PIPE QUIT SEGV STOP TERM TSTP USR1 USR2)" ]
}

@test "bash: files for -a and --joblog, directories for --results" {
	mkdir w w/dir
	cd w
	touch a1 a2 dir/inner
	[ "$(bash_complete parx -a '')" = "$(lines a1 a2 dir)" ]
	[ "$(bash_complete parx --joblog a)" = "$(lines a1 a2)" ]
	[ "$(bash_complete parx --sshloginfile d)" = dir ]
	[ "$(bash_complete parx --results '')" = dir ]
	[ "$(bash_complete parx --tmpdir d)" = dir ]
	# a value that is no file: nothing is offered
	[ "$(bash_complete parx -j '')" = "" ]
	[ "$(bash_complete parx --tagstring '')" = "" ]
}

@test "bash: after the options the command, then files" {
	touch a1 a2
	[ "$(bash_complete parx -j 2 --mode thread echo a)" = "$(lines a1 a2)" ]
	[ "$(bash_complete parx echo ::: a)" = "$(lines a1 a2)" ]
	# -l takes the next word only when it is a number
	[ "$(bash_complete parx -l 2 echo a)" = "$(lines a1 a2)" ]
	run bash_complete parx -k ech
	[[ "$output" == *echo* ]]
	# the command's own options are not parx's
	[ "$(bash_complete parx echo --mo)" = "" ]
}

@test "zsh: the completion loads for parx and sem and names every option" {
	command -v zsh > /dev/null || skip "no zsh (tests/install-deps installs it)"
	zsh -n "$TOP/completions/_parx"
	mkdir fn
	cp "$TOP/completions/_parx" fn/
	run zsh -f -c 'fpath=("$1" $fpath); autoload -U compinit
	    compinit -u -D -d ./zcompdump && autoload +X _parx &&
	    print -r -- $_comps[parx] $_comps[sem]' zsh "$PWD/fn"
	[ "$status" -eq 0 ]
	[ "$output" = "_parx _parx" ]
	# each option has a line "  '--name[description]..." or "--name=["
	[ "$(not_in "$(sed -n "s/^  '\(--[^=[]*\)[=[].*/\1/p" \
	    "$TOP/completions/_parx")")" = "" ]
}

@test "fish: the completion loads and lists options and their values" {
	command -v fish > /dev/null || skip "no fish (tests/install-deps installs it)"
	fish -n "$TOP/completions/parx.fish"
	run fish --no-config -c 'source $argv[1]; complete -C "parx --mo"' \
	    "$TOP/completions/parx.fish"
	[ "$status" -eq 0 ]
	[ "$output" = $'--mode\tworkers are processes (default) or threads' ]
	run fish --no-config -c 'source $argv[1]; complete -C "sem --mode "' \
	    "$TOP/completions/parx.fish"
	[ "$(cut -f1 <<< "$output")" = "$(lines process thread)" ]
	run fish --no-config -c 'source $argv[1]; complete -C "parx --halt so"' \
	    "$TOP/completions/parx.fish"
	[ "$(cut -f1 <<< "$output")" = "$(lines soon,done= soon,fail= soon,success=)" ]
	touch a1 a2
	run fish --no-config -c 'source $argv[1]; complete -C "parx -a a"' \
	    "$TOP/completions/parx.fish"
	[ "$output" = "$(lines a1 a2)" ]
	run fish --no-config -c 'source $argv[1]; complete -C "parx --"' \
	    "$TOP/completions/parx.fish"
	[ "$(not_in "$(cut -f1 <<< "$output")")" = "" ]
}

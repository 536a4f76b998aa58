# SPDX-License-Identifier: ISC
# env_parx: run parx with the calling shell's aliases, functions and
# variables, as GNU parallel's env_parallel runs parallel.
#
# Source this file from bash or zsh (make install puts it in
# $(DATADIR)/parx/env_parx.sh):
#
#   . /usr/share/parx/env_parx.sh
#   greet() { echo "hello $1"; }
#   env_parx greet ::: world             # hello world
#   env_parx --env greet greet ::: you   # only greet goes along
#
# env_parx [--env NAME[,NAME...]]... [parx options] [command] [::: args...]
#
# The shell's options (bash: shopt), aliases, functions and variables,
# except the read-only and special ones, are written as shell code into
# $PARALLEL_ENV, which parx runs before each job's command (man parx,
# ENVIRONMENT); with --env only the names it gives go, and the --env
# options go on to parx as well.  The status is parx's; 255 for what
# env_parx does not do (--env _, --record-env, --session, --end-session)
# and for definitions too long for a command line.
# Its own variables and helpers all start with _env_parx_.

# _env_parx_wanted NAME: whether NAME goes along (--env, when given,
# lists the names in _env_parx_names, one per line between newlines).
_env_parx_wanted() {
	case $1 in
	_env_parx_* | env_parx | PARALLEL_ENV | PARALLEL_TMP) return 1 ;;
	esac
	[ -z "$_env_parx_names" ] && return 0
	case $_env_parx_names in
	*"
$1
"*) return 0 ;;
	esac
	return 1
}

# _env_parx_bash: the code that defines, in bash, what goes along.
_env_parx_bash() {
	local _env_parx_n _env_parx_a _env_parx_v
	_env_parx_v=$(shopt -p)
	printf '%s 2>/dev/null\n' "${_env_parx_v//$'\n'/ 2>/dev/null$'\n'}"
	echo 'shopt -s expand_aliases 2>/dev/null'
	for _env_parx_n in $(compgen -a); do
		_env_parx_wanted "$_env_parx_n" && alias "$_env_parx_n"
	done
	for _env_parx_n in $(compgen -A function); do
		_env_parx_wanted "$_env_parx_n" && typeset -f "$_env_parx_n"
	done
	for _env_parx_n in $(compgen -A variable); do
		case $_env_parx_n in
		RANDOM | SRANDOM | SECONDS | LINENO | HISTCMD | EPOCHSECONDS | \
		    EPOCHREALTIME | _ | GROUPS | FUNCNAME | DIRSTACK | \
		    PIPESTATUS | BASHPID | BASH_* | COMP_*) continue ;;
		esac
		# Read-only ones cannot be set again.
		eval '_env_parx_a=${!_env_parx_n@a}'
		case $_env_parx_a in *r*) continue ;; esac
		_env_parx_wanted "$_env_parx_n" && typeset -p "$_env_parx_n"
	done
	return 0
}

# _env_parx_zsh: the same for zsh.
_env_parx_zsh() {
	local _env_parx_n
	zmodload zsh/parameter 2>/dev/null
	eval '
	for _env_parx_n in ${(k)aliases}; do
		_env_parx_wanted "$_env_parx_n" && alias -L "$_env_parx_n"
	done
	for _env_parx_n in ${(k)functions}; do
		_env_parx_wanted "$_env_parx_n" && typeset -f "$_env_parx_n"
	done
	for _env_parx_n in ${(k)parameters}; do
		# Special and read-only ones cannot be set again.
		case ${parameters[$_env_parx_n]} in
		*special* | *readonly*) continue ;;
		esac
		_env_parx_wanted "$_env_parx_n" && typeset -p "$_env_parx_n"
	done'
	return 0
}

# _env_parx_add LIST: add the names of LIST (separated by commas) to
# _env_parx_names; 1 for "_", which env_parx does not do.
_env_parx_add() {
	case ",$1," in
	*,_,*)
		echo "env_parx: --env _ (the names --record-env records) is not supported" >&2
		return 1
		;;
	esac
	_env_parx_names="$_env_parx_names${1//,/
}
"
}

env_parx() {
	local _env_parx_names _env_parx_code _env_parx_next _env_parx_w
	_env_parx_names=
	_env_parx_next=
	# The names of --env NAME and --env=NAME, up to the first :::.
	for _env_parx_w in "$@"; do
		if [ -n "$_env_parx_next" ]; then
			_env_parx_next=
			_env_parx_add "$_env_parx_w" || return 255
			continue
		fi
		case $_env_parx_w in
		::: | :::: | :::+ | ::::+) break ;;
		--record-env | --session | --end-session | --end_session)
			echo "env_parx: $_env_parx_w: env_parx records no names (use --env NAME)" >&2
			return 255
			;;
		--env) _env_parx_next=1 ;;
		--env=*) _env_parx_add "${_env_parx_w#--env=}" || return 255 ;;
		esac
	done
	[ -z "$_env_parx_names" ] || _env_parx_names="
$_env_parx_names"
	if [ -n "${ZSH_VERSION:-}" ]; then
		_env_parx_code=$(_env_parx_zsh)
	else
		_env_parx_code=$(_env_parx_bash)
	fi
	# One variable's value, like one argument, holds 128 KiB at most.
	_env_parx_w=$(printf '%s' "$_env_parx_code" | wc -c)
	if [ "$_env_parx_w" -gt 126976 ]; then
		echo "env_parx: the definitions take $_env_parx_w bytes, more than a command line holds: name the ones the jobs need with --env NAME" >&2
		return 255
	fi
	PARALLEL_ENV=$_env_parx_code command parx "$@"
}

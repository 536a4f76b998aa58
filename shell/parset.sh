# SPDX-License-Identifier: ISC
# parset: set shell variables from the outputs of parx's jobs.
#
# Source this file from bash or zsh (make install puts it in
# $(DATADIR)/parx/parset.sh):
#
#   . /usr/share/parx/parset.sh
#   parset a,b,c echo ::: x y z        # $a is x, $b is y, $c is z
#   parset arr seq ::: 1 2 3           # ${arr[@]}: "1" "1 2" "1 2 3" as lines
#
# parset NAMES [parx options] [command] [::: args...]
#
# NAMES is one variable name, which becomes an array of the jobs' outputs
# in input order, or several names separated by commas or spaces, one per
# job in input order.  Each value is the job's standard output without
# its last newline, if it ends in one.  The jobs' standard error goes to
# standard error once all jobs are done, in input order.  The status is
# parx's; 255 for a bad name or more jobs than names.
#
# The function runs parx -k with each job's output kept in a file of a
# private temporary directory (--results DIR/{#}), and removed at the end.
# Its own variables and helpers all start with _parset_, a prefix no name
# may have.

# _parset_pop: the next name of _parset_rest (names separated by commas
# or spaces) into _parset_n, maybe empty; _parset_rest loses it.
_parset_pop() {
	_parset_n=${_parset_rest%%[, ]*}
	if [ "$_parset_n" = "$_parset_rest" ]; then
		_parset_rest=
	else
		_parset_rest=${_parset_rest#*[, ]}
	fi
}

# _parset_read: job _parset_k's output, without its last newline, into
# _parset_v (empty when that job did not run).
_parset_read() {
	_parset_v=$(cat "$_parset_dir/$_parset_k" 2> /dev/null
	    printf x)
	_parset_v=${_parset_v%x}
	_parset_v=${_parset_v%$'\n'}
}

parset() {
	local _parset_names _parset_rest _parset_n _parset_k _parset_dir
	local _parset_rc _parset_max _parset_v _parset_count _parset_arr
	if [ $# -eq 0 ] || [ -z "$1" ]; then
		echo "parset: no destination variable given" >&2
		echo "usage: parset NAME[,NAME...] [parx options] command ..." >&2
		return 255
	fi
	_parset_names=$1
	shift
	# Each name must be a shell variable name; count them.
	_parset_count=0
	_parset_rest=$_parset_names
	while [ -n "$_parset_rest" ]; do
		_parset_pop
		[ -n "$_parset_n" ] || continue
		case $_parset_n in
		[0-9]* | *[!A-Za-z0-9_]* | _parset_*)
			echo "parset: '$_parset_n' is not a variable name parset can set" >&2
			return 255
			;;
		esac
		case $(typeset -p "$_parset_n" 2> /dev/null) in
		"declare -A"* | "typeset -A"* | "typeset -g -A"*)
			echo "parset: '$_parset_n' is an associative array: parset sets arrays and variables" >&2
			return 255
			;;
		esac
		_parset_count=$((_parset_count + 1))
		_parset_arr=$_parset_n
	done
	if [ "$_parset_count" -eq 0 ]; then
		echo "parset: no destination variable given" >&2
		return 255
	fi
	_parset_dir=$(mktemp -d "${TMPDIR:-/tmp}/parset.XXXXXX") || return 255
	_parset_rc=0
	command parx -k --results "$_parset_dir/{#}" "$@" || _parset_rc=$?
	# The jobs that ran, by sequence number; one that did not run
	# (--halt) gives an empty value.
	_parset_max=$(ls "$_parset_dir" | sed -n 's/^\([0-9]*\)\.seq$/\1/p' |
	    sort -n | tail -n 1)
	_parset_max=${_parset_max:-0}
	_parset_k=1
	while [ "$_parset_k" -le "$_parset_max" ]; do
		if [ -s "$_parset_dir/$_parset_k.err" ]; then
			cat "$_parset_dir/$_parset_k.err" >&2
		fi
		_parset_k=$((_parset_k + 1))
	done
	if [ "$_parset_count" -eq 1 ]; then
		eval "$_parset_arr=()"
		_parset_k=1
		while [ "$_parset_k" -le "$_parset_max" ]; do
			_parset_read
			eval "$_parset_arr+=(\"\$_parset_v\")"
			_parset_k=$((_parset_k + 1))
		done
	else
		_parset_k=1
		_parset_rest=$_parset_names
		while [ -n "$_parset_rest" ] &&
		    [ "$_parset_k" -le "$_parset_max" ]; do
			_parset_pop
			[ -n "$_parset_n" ] || continue
			_parset_read
			eval "$_parset_n=\$_parset_v"
			_parset_k=$((_parset_k + 1))
		done
		if [ "$_parset_max" -gt "$_parset_count" ]; then
			echo "parset: $_parset_max jobs, $_parset_count variables: too few named destination variables" >&2
			_parset_rc=255
		fi
	fi
	rm -rf "$_parset_dir"
	return "$_parset_rc"
}

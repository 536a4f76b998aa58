#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
#
# shebang: parx as the interpreter of a script (#!/path/parx --shebang
# OPTIONS, #!/path/parx --shebang-wrap OPTIONS PROGRAM), as GNU parallel
# 20221122 is one.  The scripts name $PARX and the mode on their #! line;
# the GNU commands in the comments are the same scripts with
# /usr/bin/parallel there.

bats_require_minimum_version 1.5.0

load helpers

# script FILE LINE...: an executable file, "#!$PARX " and the first LINE
# its first line, the other LINEs after it.
script() {
	local f=$1 first=$2
	shift 2
	{
		printf '#!%s %s\n' "$PARX" "$first"
		printf '%s\n' "$@"
	} > "$f"
	chmod +x "$f"
}

@test "--shebang: the lines of the script after the #! line are the input" {
	# GNU: #!/usr/bin/parallel --shebang -r -k --verbose echo
	script s "--shebang --mode=$PARX_MODE -r -k --verbose echo" \
	    foo bar '' 'baz qux'
	bounded ./s > out 2> err
	[ "$(cat out)" = "$(lines foo bar 'baz qux')" ]
	[ "$(cat err)" = "$(lines 'echo foo' 'echo bar' "echo 'baz qux'")" ]
	# Without a command each line is one; the exit status is parx's.
	# GNU: #!/usr/bin/parallel --shebang -k
	script s2 "--shebang --mode=$PARX_MODE -k" 'echo a' false 'echo b; exit 3'
	run bounded ./s2
	[ "$status" -eq 2 ]
	[ "$output" = "$(lines a b)" ]
}

@test "--shebang through env -S, the options already apart" {
	# GNU: #!/usr/bin/env -S /usr/bin/parallel --shebang -k echo
	printf '#!/usr/bin/env -S %s --shebang --mode=%s -k echo x\n%s\n' \
	    "$PARX" "$PARX_MODE" 'a b' > s
	printf 'c\n' >> s
	chmod +x s
	env -S true 2> /dev/null || skip "env has no -S"
	run bounded ./s
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 'x a b' 'x c')" ]
}

@test "--shebang: the last word is the input, as in GNU parallel" {
	# GNU: ./s missing; parallel: Error: Cannot open input file `missing'
	script s "--shebang --mode=$PARX_MODE echo" a
	run bounded ./s missing
	[ "$status" -eq 255 ]
	[ "$output" = "parx: cannot open 'missing': No such file or directory" ]
}

@test "--shebang-wrap: the program runs the script once per argument" {
	# GNU: #!/usr/bin/parallel --shebang-wrap -k /usr/bin/perl
	script w "--shebang-wrap --mode=$PARX_MODE -k /usr/bin/perl" \
	    'print "Arguments @ARGV\n";'
	run bounded ./w a b 'c d'
	[ "$status" -eq 0 ]
	# GNU 20221122 splits 'c d' in two (it passes the words through a
	# shell unquoted); parx keeps each argument whole.
	[ "$output" = "$(lines 'Arguments a' 'Arguments b' 'Arguments c d')" ]
	# No argument: no job.
	run bounded ./w
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	# The script's failures count as jobs' failures.
	script w2 "--shebang-wrap --mode=$PARX_MODE -k /bin/sh" 'echo "$1"; exit "$1"'
	run bounded ./w2 0 1 2
	[ "$status" -eq 2 ]
	[ "$output" = "$(lines 0 1 2)" ]
}

@test "--shebang-wrap --pipe: standard input cut into blocks for the program" {
	# GNU: seq 3 | #!/usr/bin/parallel --shebang-wrap -k --pipe /usr/bin/perl -w
	script w "--shebang-wrap --mode=$PARX_MODE -k --pipe -N2 /usr/bin/perl -w" \
	    'print "block\n"; while (<>) { print "l:$_"; }'
	run bounded ./w < <(seq 3)
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines block l:1 l:2 block l:3)" ]
	# An argument is the file to read (GNU 20221122 reads standard input
	# all the same).
	seq 4 6 > data
	run bounded ./w data < /dev/null
	[ "$output" = "$(lines block l:4 l:5 block l:6)" ]
}

@test "--shebang elsewhere than first: a warning, and the word is no option" {
	# GNU: #!/usr/bin/parallel -k --shebang echo (the same warning, then
	# 'Unknown option', exit 255)
	script s "-k --shebang echo" x
	run bounded ./s
	[ "$status" -eq 255 ]
	[ "${lines[0]}" = "parx: warning: --shebang and --shebang-wrap must be the first argument" ]
	# As words of their own, they do nothing.
	# GNU: parallel -k --shebang echo ::: a
	run bparx -k --shebang --hashbang --shebang-wrap echo ::: a
	[ "$status" -eq 0 ]
	[ "$output" = a ]
}

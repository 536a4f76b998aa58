#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
#
# plus: the replacement strings of --plus.  Each test names the GNU
# parallel 20221122 command whose output and exit status it matches, or
# says where parx chooses otherwise.

bats_require_minimum_version 1.5.0

load helpers

setup_more() {
	command -v perl >/dev/null || skip "no perl"
}

@test "plus: {..} and {...} take two and three extensions off" {
	# parallel --plus -k echo '{..}' '{...}' ::: a/b.c.d.e .bashrc a.b/c d/e.f '' a\ b.c\'d.e noext x.tar.gz /a.b/.c.d
	run bparx --plus -k echo '{..}' '{...}' ::: a/b.c.d.e .bashrc a.b/c d/e.f '' a\ b.c\'d.e noext x.tar.gz /a.b/.c.d
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 'a/b.c a/b' '.bashrc .bashrc' 'a.b/c a.b/c' 'd/e.f d/e.f' ' ' a\ b\ a\ b.c\'d.e 'noext noext' 'x x.tar.gz' '/a.b/ /a.b/.c.d')" ]
}

@test "plus: {/..} and {/...} do the same to the basename" {
	# parallel --plus -k echo '{/..}' '{/...}' ::: a/b.c.d.e .bashrc a.b/c d/e.f '' a\ b.c\'d.e noext x.tar.gz /a.b/.c.d
	run bparx --plus -k echo '{/..}' '{/...}' ::: a/b.c.d.e .bashrc a.b/c d/e.f '' a\ b.c\'d.e noext x.tar.gz /a.b/.c.d
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 'b.c b' '.bashrc .bashrc' 'c c' 'e.f e.f' ' ' a\ b\ a\ b.c\'d.e 'noext noext' 'x x.tar.gz' ' .c.d')" ]
}

@test "plus: {+/} is the text before the last slash" {
	# parallel --plus -k echo '{+/}' ::: a/b.c.d.e .bashrc a.b/c d/e.f '' a\ b.c\'d.e noext x.tar.gz /a.b/.c.d
	run bparx --plus -k echo '{+/}' ::: a/b.c.d.e .bashrc a.b/c d/e.f '' a\ b.c\'d.e noext x.tar.gz /a.b/.c.d
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines a '' a.b d '' '' '' '' /a.b)" ]
}

@test "plus: {+.} is the text after the last dot, even before a slash" {
	# parallel --plus -k echo '{+.}' ::: a/b.c.d.e .bashrc a.b/c d/e.f '' a\ b.c\'d.e noext x.tar.gz /a.b/.c.d
	run bparx --plus -k echo '{+.}' ::: a/b.c.d.e .bashrc a.b/c d/e.f '' a\ b.c\'d.e noext x.tar.gz /a.b/.c.d
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines e bashrc b/c f '' e '' gz d)" ]
}

@test "plus: {+..} and {+...} are what {..} and {...} take off" {
	# parallel --plus -k echo '{+..}' '{+...}' ::: a/b.c.d.e .bashrc a.b/c d/e.f '' a\ b.c\'d.e noext x.tar.gz /a.b/.c.d
	run bparx --plus -k echo '{+..}' '{+...}' ::: a/b.c.d.e .bashrc a.b/c d/e.f '' a\ b.c\'d.e noext x.tar.gz /a.b/.c.d
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 'd.e c.d.e' ' ' ' ' ' ' ' ' c\'d.e\  ' ' 'tar.gz ' 'c.d ')" ]
}

@test "plus: the parts join up again" {
	# parallel --plus -k echo '{+/}/{/}' '{.}.{+.}' '{..}.{+..}' '{...}.{+...}' ::: a/b.c.d.e
	run bparx --plus -k echo '{+/}/{/}' '{.}.{+.}' '{..}.{+..}' '{...}.{+...}' ::: a/b.c.d.e
	[ "$status" -eq 0 ]
	[ "$output" = 'a/b.c.d.e a/b.c.d.e a/b.c.d.e a/b.c.d.e' ]
}

@test "plus: values are quoted as shell words" {
	# parallel --plus -k --dry-run echo '{..}' '{+.}' '{+/}' ::: a\ b.c\'d.e 'x;y/$z.q"w.e'
	run bparx --plus -k --dry-run echo '{..}' '{+.}' '{+/}' ::: a\ b.c\'d.e 'x;y/$z.q"w.e'
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines echo\ \'a\ b\'\ e\ \'\' echo\ \'x\;y/\$z\'\ e\ \'x\;y\')" ]
}

@test "plus: a string inside a word" {
	# parallel --plus -k echo 'X{..}Y{+..}Z' ::: a.b.c ''
	run bparx --plus -k echo 'X{..}Y{+..}Z' ::: a.b.c ''
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines XaYb.cZ XYZ)" ]
}

@test "plus: positional forms, blanks after the number" {
	# parallel --plus -k echo '{1..}' '{-1+.}' '{2 +..}' '{2/...}' ::: a.b.c ::: d/e.f.g.h
	run bparx --plus -k echo '{1..}' '{-1+.}' '{2 +..}' '{2/...}' ::: a.b.c ::: d/e.f.g.h
	[ "$status" -eq 0 ]
	[ "$output" = 'a h g.h e' ]
}

@test "plus: a position past the last argument is empty" {
	# parallel --plus -k echo x '{3..}' y ::: a.b.c
	run bparx --plus -k echo x '{3..}' y ::: a.b.c
	[ "$status" -eq 0 ]
	[ "$output" = 'x y' ]
}

@test "plus: {:-str} stands for str when the value is empty or 0" {
	# parallel --plus -k echo '{:-def}' '{:-a b}' ::: '' 0 00 abc
	run bparx --plus -k echo '{:-def}' '{:-a b}' ::: '' 0 00 abc
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 'def a b' 'def a b' '00 00' 'abc abc')" ]
}

@test "plus: {:N} drops N bytes" {
	# parallel --plus -k echo '{:2}' '{:0}' '{:010}' ::: abcdef ab a ''
	run bparx --plus -k echo '{:2}' '{:0}' '{:010}' ::: abcdef ab a ''
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 'cdef abcdef ' ' ab ' ' a ' '  ')" ]
}

@test "plus: {:N:M} is M bytes from byte N" {
	# parallel --plus -k echo '{:1:2}' '{:10:2}' '{:2:10}' '{:0:0}' ::: abcdef ab ''
	run bparx --plus -k echo '{:1:2}' '{:10:2}' '{:2:10}' '{:0:0}' ::: abcdef ab ''
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 'bc  cdef ' 'b   ' '   ')" ]
}

@test "plus: {:-} {:} {:x} are literal" {
	# parallel --plus -k echo '{:-}' '{:}' '{:x}' '{:1:}' ::: a
	run bparx --plus -k echo '{:-}' '{:}' '{:x}' '{:1:}' ::: a
	[ "$status" -eq 0 ]
	[ "$output" = '{:-} {:} {:x} {:1:} a' ]
}

@test "plus: positional {:-str} and {:N:M}" {
	# parallel --plus -k echo '{1:-x}' '{2:1}' '{-1:1:1}' ::: '' a ::: xyz
	run bparx --plus -k echo '{1:-x}' '{2:1}' '{-1:1:1}' ::: '' a ::: xyz
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 'x yz y' 'a yz y')" ]
}

@test "plus: {##} is the number of jobs, {0#} the padded sequence" {
	# parallel --plus -k echo '{##}' '{0#}' '{#}' ::: a b c d e f g h i j k
	run bparx --plus -k echo '{##}' '{0#}' '{#}' ::: a b c d e f g h i j k
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines '11 01 1' '11 02 2' '11 03 3' '11 04 4' '11 05 5' '11 06 6' '11 07 7' '11 08 8' '11 09 9' '11 10 10' '11 11 11')" ]
}

@test "plus: {#re} and {##re} remove the shortest and longest prefix" {
	# parallel --plus -k echo '{#z.*z.}' '{##z.*z.}' '{#a}' '{##[ab]+}' ::: z.z.z.foo.z.z.z banana ''
	run bparx --plus -k echo '{#z.*z.}' '{##z.*z.}' '{#a}' '{##[ab]+}' ::: z.z.z.foo.z.z.z banana ''
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 'z.foo.z.z.z z z.z.z.foo.z.z.z z.z.z.foo.z.z.z' 'banana banana banana nana' '   ')" ]
}

@test "plus: {%re} and {%%re} remove the shortest and longest suffix" {
	# parallel --plus -k echo '{%.z.*z}' '{%%.z.*z}' '{%a}' '{%%[a.]*}' ::: foo.z.z.z banana ''
	run bparx --plus -k echo '{%.z.*z}' '{%%.z.*z}' '{%a}' '{%%[a.]*}' ::: foo.z.z.z banana ''
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 'foo.z foo foo.z.z.z foo.z.z.z' 'banana banana banan banan' '   ')" ]
}

@test "plus: the regexp is perl's: . is any byte" {
	# parallel --plus -k echo '{#.}' '{%.}' '{#b}' '{%%}' ::: abc a%
	run bparx --plus -k echo '{#.}' '{%.}' '{#b}' '{%%}' ::: abc a%
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 'bc ab abc abc' '% a a% a')" ]
}

@test "plus: {/re/s} replaces the first match, {//re/s} every one" {
	# parallel --plus -k echo '{/a/X}' '{//a/X}' '{/a/}' '{//[an]/-}' ::: banana 'a b a' ''
	run bparx --plus -k echo '{/a/X}' '{//a/X}' '{/a/}' '{//[an]/-}' ::: banana 'a b a' ''
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 'bXnana bXnXnX bnana b-----' 'X b a X b X  b a - b -' '   ')" ]
}

@test "plus: {/#re/s} and {/%re/s} replace at the start and the end" {
	# parallel --plus -k echo '{/#a/X}' '{/%a/X}' ::: banana abc
	run bparx --plus -k echo '{/#a/X}' '{/%a/X}' ::: banana abc
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 'banana bananX' 'Xbc abc')" ]
}

@test "plus: a replacement is taken as it is" {
	# parallel --plus -k echo '{/a/$1}' '{/b/\1}' \{/\'/Q\} '{/ /_}' ::: ab\ c\'d
	run bparx --plus -k echo '{/a/$1}' '{/b/\1}' \{/\'/Q\} '{/ /_}' ::: ab\ c\'d
	[ "$status" -eq 0 ]
	[ "$output" = \$1b\ c\'d\ a\\1\ c\'d\ ab\ cQd\ ab_c\'d ]
}

@test "plus: {^re} {^^re} upper-case the match at the start or every one" {
	# parallel --plus -k echo '{^a}' '{^^a}' '{^.}' '{^^[an]}' ::: abana xa ''
	run bparx --plus -k echo '{^a}' '{^^a}' '{^.}' '{^^[an]}' ::: abana xa ''
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 'Abana AbAnA Abana AbANA' 'xa xA Xa xA' '   ')" ]
}

@test "plus: {,re} {,,re} lower-case it" {
	# parallel --plus -k echo '{,A}' '{,,A}' '{,.}' ::: ABANA XA
	run bparx --plus -k echo '{,A}' '{,,A}' '{,.}' ::: ABANA XA
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 'aBANA aBaNa aBANA' 'XA Xa xA')" ]
}

@test "plus: positional regexp forms" {
	# parallel --plus -k echo '{2#a}' '{-1%%c}' '{1/a/b}' '{2^^b}' ::: aa ::: abc
	run bparx --plus -k echo '{2#a}' '{-1%%c}' '{1/a/b}' '{2^^b}' ::: aa ::: abc
	[ "$status" -eq 0 ]
	[ "$output" = 'bc ab ba aBc' ]
}

@test "plus: regexp results are quoted" {
	# parallel --plus -k --dry-run echo '{/x/a b}' '{%c}' ::: 'x;c' it\'s
	run bparx --plus -k --dry-run echo '{/x/a b}' '{%c}' ::: 'x;c' it\'s
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines echo\ \'a\ b\;c\'\ \'x\;\' echo\ \'it\'\"\'\"\'s\'\ \'it\'\"\'\"\'s\')" ]
}

@test "plus: {choose_k} gives the values and skips unless they ascend" {
	# parallel --plus -k echo '{choose_k}' ::: a b c ::: a b c
	# (GNU exits 6: it counts each skipped job as failed; parx
	# leaves them out uncounted, as for skip() in a {= =}.)
	run bparx --plus -k echo '{choose_k}' ::: a b c ::: a b c
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 'a b' 'a c' 'b c')" ]
}

@test "plus: {uniq} skips jobs with equal values" {
	# parallel --plus -k echo '{uniq}' ::: a b ::: a b
	# (GNU exits 2: it counts each skipped job as failed; parx
	# leaves them out uncounted, as for skip() in a {= =}.)
	run bparx --plus -k echo '{uniq}' ::: a b ::: a b
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 'a b' 'b a')" ]
}

@test "plus: {uniq} counts an empty value as a repeat" {
	# parallel --plus -k echo '{uniq}' ::: '' b ::: a
	# (GNU exits 1: it counts each skipped job as failed; parx
	# leaves them out uncounted, as for skip() in a {= =}.)
	run bparx --plus -k echo '{uniq}' ::: '' b ::: a
	[ "$status" -eq 0 ]
	[ "$output" = 'b a' ]
}

@test "plus: positional {2uniq} {1choose_k}" {
	# parallel --plus -k echo '{2uniq}' '{1choose_k}' ::: a b ::: a b
	# (GNU exits 3: it counts each skipped job as failed; parx
	# leaves them out uncounted, as for skip() in a {= =}.)
	run bparx --plus -k echo '{2uniq}' '{1choose_k}' ::: a b ::: a b
	[ "$status" -eq 0 ]
	[ "$output" = 'b a' ]
}

@test "plus: without --plus every string is literal" {
	# parallel -k echo '{..}' '{+.}' '{##}' '{:-x}' '{#a}' '{/a/b}' '{^a}' '{uniq}' ::: a.b.c
	run bparx -k echo '{..}' '{+.}' '{##}' '{:-x}' '{#a}' '{/a/b}' '{^a}' '{uniq}' ::: a.b.c
	[ "$status" -eq 0 ]
	[ "$output" = '{..} {+.} {##} {:-x} {#a} {/a/b} {^a} {uniq} a.b.c' ]
}

@test "plus: with --plus the usual strings work as before" {
	# parallel --plus -k echo '{}' '{.}' '{/}' '{//}' '{/.}' '{#}' ::: a/b.c.d
	run bparx --plus -k echo '{}' '{.}' '{/}' '{//}' '{/.}' '{#}' ::: a/b.c.d
	[ "$status" -eq 0 ]
	[ "$output" = 'a/b.c.d a/b.c b.c.d a b.c 1' ]
}

@test "plus: a plus string alone is a replacement string: nothing appended" {
	# parallel --plus -k echo '{+.}' ::: a.b
	run bparx --plus -k echo '{+.}' ::: a.b
	[ "$status" -eq 0 ]
	[ "$output" = b ]
}

@test "plus: -X repeats the word around a plus string" {
	# parallel --plus -k -X echo 'p{..}s' ::: a.b.c d.e.f
	run bparx --plus -k -X echo 'p{..}s' ::: a.b.c d.e.f
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines pas pds)" ]
}

@test "plus: -q quotes the command but not the values" {
	# parallel --plus -k -q echo '{..}' ::: 'a b.c.d'
	run bparx --plus -k -q echo '{..}' ::: 'a b.c.d'
	[ "$status" -eq 0 ]
	[ "$output" = 'a b' ]
}

@test "plus: a plus string in the command's name" {
	# parallel --plus -k '{..}' ::: 'echo x.y.z'
	run bparx --plus -k '{..}' ::: 'echo x.y.z'
	[ "$status" -eq 0 ]
	[ "$output" = x ]
}

@test "plus: --tagstring takes plus strings" {
	# parallel --plus -k --tagstring '{..}' echo '{/..}' ::: a/b.c.d
	run bparx --plus -k --tagstring '{..}' echo '{/..}' ::: a/b.c.d
	[ "$status" -eq 0 ]
	[ "$output" = 'a/b	b' ]
}

@test "plus: {0%} pads the slot to the width of -j" {
	# parallel --plus -k -j10 echo '{0%}' '{%}' ::: a
	run bparx --plus -k -j10 echo '{0%}' '{%}' ::: a
	[ "$status" -eq 0 ]
	[ "$output" = '01 1' ]
}

@test "plus: {0%} with -j1" {
	# parallel --plus -k -j1 echo '{0%}' ::: a b
	run bparx --plus -k -j1 echo '{0%}' ::: a b
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 1 1)" ]
}

@test "plus: at 1000 jobs {0#} has 3 digits, as GNU computes the width" {
	# seq 1000 | parallel --plus -k --dry-run echo '{0#}' '{##}'
	seq 1000 >in
	run bparx --plus -k --dry-run -a in echo '{0#}' '{##}'
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 1000 ]
	[ "${lines[0]}" = 'echo 001 1000' ]
	[ "${lines[998]}" = 'echo 999 1000' ]
	[ "${lines[999]}" = 'echo 1000 1000' ]
}

@test "plus: {##} reads all the input first, from stdin too" {
	# printf '%s\n' a b c | parallel --plus -k echo '{##}' '{0#}' {}
	run bparx --plus -k echo '{##}' '{0#}' {} < <(printf '%s\n' a b c)
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines '3 1 a' '3 2 b' '3 3 c')" ]
}

@test "plus: a regexp perl cannot compile is an error, named as written" {
	# parallel --plus echo '{#(}' ::: a
	# (GNU exits 25 with perl's message; parx exits 255 for its errors.)
	run bparx --plus echo '{#(}' ::: a
	[ "$status" -eq 255 ]
	[ "$output" = "parx: cannot use {#(}: Unmatched ( in regex; marked by <-- HERE in m/^( <-- HERE (.*)/ at (eval 1) line 1." ]
}

@test "plus: positional forms of {##} {0#} {0%} and {0..} are literal" {
	# parallel --plus -k echo '{2##}' '{0..}' ::: a.b.c
	# (GNU reads {2##} as argument 21, which is not there, and {0..}
	# as {..}, giving "a"; parx keeps them literal, as it keeps {0}.)
	run bparx --plus -k echo '{2##}' '{0..}' ::: a.b.c
	[ "$status" -eq 0 ]
	[ "$output" = '{2##} {0..} a.b.c' ]
}

@test "plus: the error names the string when it starts the command" {
	# parallel --plus '{%%[}' ::: a
	# (GNU exits 25 with perl's message; parx exits 255 for its errors.)
	run bparx --plus '{%%[}' ::: a
	[ "$status" -eq 255 ]
	[ "$output" = 'parx: cannot use {%%[}: Unmatched [ in regex; marked by <-- HERE in m/[ <-- HERE $/ at (eval 1) line 1.' ]
}

@test "plus: a --rpl TAG does not cut into a plus string" {
	# parallel --plus -k --rpl '.. s/a/b/' echo '{..}' .. '{+..}' '{1..}' ::: a.b.c
	run bparx --plus -k --rpl '.. s/a/b/' echo '{..}' .. '{+..}' '{1..}' ::: a.b.c
	[ "$status" -eq 0 ]
	[ "$output" = 'a b.b.c b.c a' ]
}

@test "plus: a --rpl TAG named as a plus string replaces it" {
	# parallel --plus -k --rpl '{..} s/a/b/' echo '{..}' '{2..}' ::: a.b.c ::: a
	run bparx --plus -k --rpl '{..} s/a/b/' echo '{..}' '{2..}' ::: a.b.c ::: a
	[ "$status" -eq 0 ]
	[ "$output" = 'b.b.c b b' ]
}

@test "plus: -X measures a command with plus strings exactly" {
	# (parx's own: the length tmpl_size_*() predict is the real one.)
	local f t out
	for f in '' -q --context; do
		for t in 'echo {..}x{+.}' 'echo {:-dflt} {:1:2} {+/}' \
		    'echo {0#} {##} {0%} {1..} {-1+..}' \
		    'echo {uniq} p{2choose_k}q {/...}'; do
			out=$("$PARX_TEST_TOOL" tmpl --plus --size $f --seq 12 \
			    --slot 3 $t --- 'a b.c.d' '' 0 'p/q.r' "c'd")
			run awk '$1 == "text" ? $2 != $3 : $2 < $3' <<< "$out"
			[ "$output" = "" ]
		done
	done
}

@test "plus: -X packs arguments under -s with plus strings" {
	# parallel --plus -k -X -s 30 echo '{:-zz}{..}' ::: a.b.c '' dd.e.f g h.i.j
	run bparx --plus -k -X -s 30 echo '{:-zz}{..}' ::: a.b.c '' dd.e.f g h.i.j
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 'a.b.ca zz dd.e.fdd gg' h.i.jh)" ]
}

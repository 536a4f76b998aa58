#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
#
# template: --tmpl FILE=NAME (--template) writes FILE with its replacement
# strings filled in to NAME before each job, as GNU parallel 20221122 does.

bats_require_minimum_version 1.5.0

load helpers

@test "--tmpl: the file and its name filled in, the values unquoted" {
	printf 'Hello {} seq={#} {1.}\n' > t.tmpl
	# GNU: parallel --tmpl t.tmpl=out{#}.txt -k 'cat out{#}.txt' ::: a.b c
	run bparx --tmpl t.tmpl=out{#}.txt -k 'cat out{#}.txt' ::: a.b c
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 'Hello a.b seq=1 a' 'Hello c seq=2 c')" ]
	[ "$(cat out2.txt)" = "Hello c seq=2 c" ]
	# A value with a blank or a quote goes in as it is, in the file and
	# in its name; the command quotes it.
	# GNU: parallel -j1 --template t.tmpl='o {}.t' -k 'cat "o {}.t"' ::: "a b" "it's"
	printf 'V={}\n' > v.tmpl
	run bparx -j1 --template v.tmpl='o {}.t' -k 'cat o\ {}.t' ::: 'a b' "it's"
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 'V=a b' "V=it's")" ]
	[ -f "o a b.t" ]
	[ -f "o it's.t" ]
}

@test "--tmpl: several files, --header names, and --cleanup" {
	printf 'X {x} Y {y} A {1} B {2/}\n' > h.tmpl
	printf '{#}\n' > n.tmpl
	# GNU: parallel -k -j1 --header : --tmpl h.tmpl={#}.t --tmpl n.tmpl={#}.n 'cat {#}.t {#}.n' ::: x 1 2 ::: y 3 a/b
	run bparx -k -j1 --header : --tmpl h.tmpl={#}.t --tmpl n.tmpl={#}.n \
	    'cat {#}.t {#}.n' ::: x 1 2 ::: y 3 a/b
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 'X 1 Y 3 A 1 B 3' 1 'X 1 Y a/b A 1 B b' 2 \
	    'X 2 Y 3 A 2 B 3' 3 'X 2 Y a/b A 2 B b' 4)" ]
	rm -f ./*.t ./*.n
	# --cleanup removes each file once its job is over.
	# GNU: parallel --cleanup --tmpl n.tmpl=o{#}.n -k 'cat o{#}.n' ::: a b
	run bparx --cleanup --tmpl n.tmpl=o{#}.n -k 'cat o{#}.n' ::: a b
	[ "$output" = "$(lines 1 2)" ]
	[ ! -e o1.n ]
	[ ! -e o2.n ]
	# --dry-run writes them too, as GNU parallel does.
	# GNU: parallel --dry-run --tmpl n.tmpl=d{#}.n echo ::: a
	run bparx --dry-run --tmpl n.tmpl=d{#}.n echo ::: a
	[ "$output" = "echo a" ]
	[ "$(cat d1.n)" = 1 ]
}

@test "--tmpl: a bad value, a missing file, a file that cannot be written" {
	printf '{}\n' > t.tmpl
	# GNU: parallel --tmpl t.tmpl echo ::: a (Option tmpl, key "t.tmpl",
	# requires a value; exit 255)
	run bparx --tmpl t.tmpl echo ::: a
	[ "$status" -eq 255 ]
	[ "${lines[0]}" = "parx: invalid template 't.tmpl' for --tmpl: expected FILE=NAME" ]
	# GNU: parallel --tmpl nonexist=o.t echo ::: a (Cannot open 'nonexist'.)
	run bparx --tmpl nonexist=o.t touch ran ::: a
	[ "$status" -eq 255 ]
	[ "$output" = "parx: --tmpl: cannot read 'nonexist': No such file or directory" ]
	[ ! -e ran ]
	run bparx -j1 --tmpl t.tmpl=nodir/o.t touch ran ::: a
	[ "$status" -eq 255 ]
	[ "$output" = "parx: cannot write 'nodir/o.t' (--tmpl) for job 1: No such file or directory" ]
	[ ! -e ran ]
	# {= =} is not filled in in template files (GNU parallel's are).
	printf '{= $_ = uc =}\n' > p.tmpl
	run bparx --tmpl p.tmpl=o.t echo ::: a
	[ "$status" -eq 255 ]
	[[ "$output" == "parx: --tmpl: a {= =}"* ]]
}

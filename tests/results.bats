#!/usr/bin/env bats
#
# results: --results DIR and templates in GNU parallel 20221122's layout,
# --files, and the errors about where output goes, found before any job
# starts; for commands and for --func jobs.

bats_require_minimum_version 1.5.0

load helpers

# tree DIR: every path under DIR, sorted, with the contents of files.
tree() {
	(cd "$1" && find . -type f | LC_ALL=C sort | while read -r f; do
		printf '%s: %s\n' "$f" "$(cat "$f")"
	done)
}

@test "--results DIR: a directory level pair per source, stdout, stderr and seq" {
	run bparx -k --results out 'echo {1}{2}; echo e{1} >&2' ::: a b ::: x/y
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	[ "$(tree out)" = "$(lines './1/a/2/x\_y/seq: 1' './1/a/2/x\_y/stderr: ea' './1/a/2/x\_y/stdout: ax/y' \
	    './1/b/2/x\_y/seq: 2' './1/b/2/x\_y/stderr: eb' './1/b/2/x\_y/stdout: bx/y')" ]
}

@test "--results TEMPLATE: the expanded name is stdout, with .err and .seq" {
	run bparx --results 'out/{}.txt' echo ::: a b
	[ "$status" -eq 0 ]
	[ "$(tree out)" = "$(lines './a.txt: a' './a.txt.err: ' './a.txt.seq: 1' './b.txt: b' './b.txt.err: ' './b.txt.seq: 2')" ]
}

@test "--files: the names of files holding each job's stdout" {
	run bparx -k --files --tmpdir "$BATS_TEST_TMPDIR" echo ::: a b
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
	[ "$(cat "${lines[0]}")" = a ]
	[ "$(cat "${lines[1]}")" = b ]
	[[ ${lines[0]} == "$BATS_TEST_TMPDIR"/parx*.par ]]
}

@test "--func: --results and --files keep a function's output in files too" {
	run bparx --func echo --results out ::: a b
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	[ "$(tree out)" = "$(lines './1/a/seq: 1' './1/a/stderr: ' './1/a/stdout: a' './1/b/seq: 2' './1/b/stderr: ' './1/b/stdout: b')" ]
	run bparx -k --func echo --files --tmpdir "$BATS_TEST_TMPDIR" ::: c d
	[ "$status" -eq 0 ]
	[ "$(cat "${lines[0]}")" = c ]
	[ "$(cat "${lines[1]}")" = d ]
}

@test "a --results directory that cannot be made: one line, 255, no job" {
	touch afile
	run bparx --results afile/x 'echo ran > ran' ::: a
	[ "$status" -eq 255 ]
	[ "$output" = "parx: cannot create the --results directory 'afile': Not a directory" ]
	[ ! -e ran ]
}

@test "an unusable --tmpdir: one line, 255, no job" {
	touch afile
	for extra in '' --files; do
		run bparx $extra --tmpdir afile 'echo ran > ran' ::: a
		[ "$status" -eq 255 ]
		[ "$output" = "parx: cannot create temporary files in 'afile' (--tmpdir): Not a directory" ]
		[ ! -e ran ]
	done
}

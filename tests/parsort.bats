#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
#
# parsort: GNU parallel's parallel sort script runs unchanged with parx as
# its "parallel", and what it needs of parx: ::: lists beside --pipe (each
# job takes the next tuple as its arguments), and --pipe-part --dry-run
# printing commands that read each job's part of the file.  Expected texts
# are GNU parallel 20221122's for the command in each test's comment,
# except where a test says parx chooses otherwise.

bats_require_minimum_version 1.5.0

load helpers

# GNU's parsort comes from Debian's parallel package, unpacked into a
# directory of this file's own (not installed: the suite needs no GNU
# parallel on the machine).
setup_file() {
	export PARSORT_DIR=$BATS_FILE_TMPDIR/gnu
	mkdir -p "$PARSORT_DIR"
	if [ -x /usr/bin/parsort ]; then
		cp /usr/bin/parsort "$PARSORT_DIR/parsort"
	else
		(cd "$BATS_FILE_TMPDIR" && apt-get download parallel >/dev/null 2>&1 &&
		    dpkg -x parallel_*.deb root &&
		    cp root/usr/bin/parsort "$PARSORT_DIR/parsort") || true
	fi
}

# with_parsort: PATH has parx as "parallel", and GNU's parsort.
with_parsort() {
	[ -x "$PARSORT_DIR/parsort" ] ||
	    skip "GNU parsort: neither /usr/bin/parsort nor 'apt-get download parallel'"
	mkdir -p bin
	ln -sf "$PARX" bin/parallel
	PATH=$TMP/bin:$PARSORT_DIR:$PATH
}

@test "--pipe with ::: lists: each job takes the next tuple, then none" {
	# seq 10 | parallel --pipe -N2 -j1 'echo J{}; cat' ::: a b c
	# (GNU with -k runs the jobs after the last tuple with garbled
	# commands: parx gives them empty values, as GNU does without -k)
	run bparx --pipe -N2 -k 'echo J{}; cat' ::: a b c < <(seq 10)
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines Ja 1 2 Jb 3 4 Jc 5 6 J 7 8 J 9 10)" ]
}

@test "--pipe --round-robin with ::: lists: one job a slot, each with its tuple, every line once" {
	# seq 10 | parallel --pipe -N2 --round-robin -j2 'echo J{}; cat' ::: a b
	run bparx --pipe -N2 --round-robin -j2 -k 'echo J{}; cat' ::: a b < <(seq 10)
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines Ja 1 2 5 6 9 10 Jb 3 4 7 8)" ]
	# the jobs write to the files their arguments name (parsort's way)
	run bparx --pipe --block 100 --round-robin -j3 'cat > {}' ::: f1 f2 f3 < <(seq 1000)
	[ "$status" -eq 0 ]
	[ "$(cat f1 f2 f3 | sort -n | md5sum)" = "$(seq 1000 | md5sum)" ]
	[ -s f1 ]
	[ -s f2 ]
	[ -s f3 ]
}

@test "--pipe with ::: lists and --pipe-part, --cat, --fifo, or a file: an error, exit 255" {
	seq 3 > data
	run bparx --pipe-part 'cat' :::: data ::: x
	[ "$status" -eq 255 ]
	[[ "${lines[0]}" == "parx: --pipe-part reads files"* ]]
	run bparx --pipe --cat 'cat {}' ::: x < data
	[ "$status" -eq 255 ]
	run bparx --pipe -a data 'cat' ::: x
	[ "$status" -eq 255 ]
}

@test "--pipe-part --dry-run: each job's command reads its part of the file, and runs as the job would" {
	# parallel --pipepart --block -1 --dryrun -vv sort :::: data (GNU
	# prints a perl reader; parx tail and head, which bash runs alike)
	seq 1000 | shuf --random-source=<(yes) > data
	run bparx -j2 --pipe-part --block -1 --dry-run -vv sort -n :::: data
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
	[[ "${lines[0]}" =~ ^tail\ -c\ \+1\ data\ \|\ head\ -c\ [0-9]+\ \|\ \(sort\ -n\)$ ]]
	[[ "${lines[1]}" =~ ^tail\ -c\ \+[0-9]+\ data\ \|\ head\ -c\ [0-9]+\ \|\ \(sort\ -n\)$ ]]
	printf '%s\n' "${lines[@]}" > cmds
	[ "$(bash cmds | sort -n | md5sum)" = "$(seq 1000 | md5sum)" ]
	# each line is exactly the block the real run gives its job
	run bparx -j2 -k --pipe-part --block -1 'md5sum' :::: data
	[ "$output" = "$(sed 's/| (sort -n)$/| md5sum/' cmds | bash)" ]
}

@test "--pipe-part --dry-run with --header and an odd file name: the header first, the name quoted" {
	# parallel --pipepart --header 1 --block 4 -k cat :::: 'h f'
	printf 'h\n1\n2\n3\n4\n' > 'h f'
	run bparx --pipe-part --header 1 --block 4 --dry-run cat :::: 'h f'
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines "{ head -c 2 'h f'; tail -c +3 'h f' | head -c 6; } | (cat)" \
	    "{ head -c 2 'h f'; tail -c +9 'h f' | head -c 2; } | (cat)")" ]
	[ "$(printf '%s\n' "${lines[@]}" | bash)" = "$(lines h 1 2 3 h 4)" ]
}

@test "GNU parsort with parx as parallel: a file, sorted as sort sorts it" {
	with_parsort
	seq 20000 | shuf --random-source=<(yes) > data
	run parsort -n data
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | md5sum)" = "$(sort -n data | md5sum)" ]
	run parsort -r data
	[ "$(printf '%s\n' "$output" | md5sum)" = "$(sort -r data | md5sum)" ]
	# several files, each cut into parts of its own
	seq 3000 > data2
	run --separate-stderr parsort -rn data data2
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "$(printf '%s\n' "$output" | md5sum)" = "$(sort -rn data data2 | md5sum)" ]
	run parsort -n data data2 data
	[ "$(printf '%s\n' "$output" | md5sum)" = "$(sort -n data data2 data | md5sum)" ]
}

@test "--pipe --round-robin with more ::: tuples than blocks: every tuple's job runs, the rest with empty stdin" {
	# parsort's stdin path: a fifo a slot, each waiting for its writer
	run bparx --pipe --round-robin -j3 -k 'echo J{}; cat' ::: a b c < <(seq 3)
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines Ja 1 2 3 Jb Jc)" ]
}

@test "GNU parsort with parx as parallel: standard input" {
	with_parsort
	seq 20000 | shuf --random-source=<(yes) > data
	run bounded parsort -n < data
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | md5sum)" = "$(sort -n data | md5sum)" ]
}

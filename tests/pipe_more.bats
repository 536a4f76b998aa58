#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
#
# pipe_more: what --pipe gives a job besides its standard input: --cat
# (the block in a temporary file named by {}), --fifo (through a named
# pipe), --rrs (the block without its record separators), --tee (all of
# the input to every job), --group-by (records of the lines with one value
# in a column).  Expected texts are what GNU parallel 20221122 prints for
# the command in each test's comment, except where a test says parx
# chooses otherwise.

bats_require_minimum_version 1.5.0

load helpers

# --cat

@test "--cat: {} is a file holding the block; stdin is empty" {
	# seq 5 | parallel --pipe -N2 -k --cat 'cat {}; echo stdin:; cat'
	run bparx --pipe -N2 -k --cat 'cat {}; echo stdin:; cat' < <(seq 5)
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 1 2 stdin: 3 4 stdin: 5 stdin:)" ]
}

@test "--cat implies --pipe; a command without {} gets the file at its end" {
	# seq 3 | parallel --cat wc -l
	mkdir t
	run bparx --tmpdir "$TMP/t" --cat wc -l < <(seq 3)
	[ "$status" -eq 0 ]
	[[ "$output" == "3 $TMP/t/"* ]]
	[ "$(ls -A t)" = "" ]
}

@test "--cat: the file is there while the job runs, removed when it ends" {
	# seq 4 | parallel --pipe -N1 -k --cat 'test -f {} && echo {} > ...'
	mkdir t
	run bparx --tmpdir "$TMP/t" --pipe -N1 -k --cat \
	    'test -f {} && echo {} > name.{#}; cat {}' < <(seq 4)
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 1 2 3 4)" ]
	[ "$(cat name.1 name.2 name.3 name.4 | sort -u | wc -l)" -eq 4 ]
	[[ "$(cat name.1)" == "$TMP/t/"* ]]
	[ "$(ls -A t)" = "" ]
}

@test "--cat: --header comes first in every file" {
	# printf 'h\n1\n2\n3\n' | parallel --pipe --header : -N2 -k --cat 'cat {}'
	run bparx --pipe --header : -N2 -k --cat 'cat {}' < <(printf 'h\n1\n2\n3\n')
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines h 1 2 h 3)" ]
}

@test "--cat: a job's exit status counts" {
	# seq 3 | parallel --pipe -N1 --cat 'grep 2 {}'
	# GNU parallel 20221122 exits 0 here (it logs exit 2 for jobs 1 and 3
	# in its job log): parx counts the failed jobs, as for any job.
	run bparx --pipe -N1 -k --cat 'grep 2 {}' < <(seq 3)
	[ "$status" -eq 2 ]
	[ "$output" = 2 ]
}

# large_blocks OPT: with --cat or --fifo, blocks larger than a pipe
# buffer, from a pipe and with --pipe-part, and NUL bytes, come whole.
large_blocks() {
	seq 200000 > in
	cat in | parx --pipe --block 300k -k "$1" 'cat {}' > out
	cmp in out
	parx --pipe-part -a in --block 300k -k "$1" 'cat {}' > out2
	cmp in out2
	printf 'a\0b\nc' > nul
	parx --pipe -k "$1" 'cat {}' < nul > out3
	cmp nul out3
}

@test "--cat: large blocks, from a pipe and with --pipe-part, byte for byte" {
	# seq 200000 | parallel --pipe --block 300k -k --cat 'cat {}'
	# parallel --pipe-part -a in --block 300k -k --cat 'cat {}'
	large_blocks --cat
}

@test "--cat: a block that does not fit on the disk fails its job, exit 255" {
	# parx's own rule (GNU parallel 20221122 runs the job on a short file)
	mount_tiny small 64k
	run bparx --tmpdir "$TMP/small" -k --cat --block 100k 'wc -c < {}' \
	    < <(seq 100000)
	[ "$status" -eq 255 ]
	[[ "$output" == "parx: cannot write the block of job 1 to '$TMP/small/parx"*"': No space left on device" ]]
	[ "$(printf '%s\n' "$output" | wc -l)" -eq 1 ]
	[ "$(ls -A small)" = "" ]
}

@test "--cat and --fifo together: an error, exit 255" {
	# echo x | parallel --cat --fifo --pipe echo
	run bparx --cat --fifo --pipe echo < <(echo x)
	[ "$status" -eq 255 ]
	[ "${lines[0]}" = "parx: --fifo cannot be combined with --cat" ]
	run bparx --cat --round-robin echo < <(echo x)
	[ "$status" -eq 255 ]
	[ "${lines[0]}" = "parx: --cat cannot be combined with --round-robin" ]
}

# --fifo

@test "--fifo: {} is a named pipe the block comes through; stdin is empty" {
	# seq 5 | parallel --pipe -N2 -k --fifo 'cat {}; echo stdin:; cat'
	run bparx --pipe -N2 -k --fifo 'cat {}; echo stdin:; cat' < <(seq 5)
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 1 2 stdin: 3 4 stdin: 5 stdin:)" ]
	# seq 3 | parallel --pipe -N1 -k --fifo 'grep 2 {}'
	run bparx --pipe -N1 -k --fifo 'grep 2 {}' < <(seq 3)
	[ "$status" -eq 2 ]
	[ "$output" = 2 ]
}

@test "--fifo: a named pipe in a private directory, both removed afterwards" {
	# seq 2 | parallel --pipe -N1 --fifo 'test -p {} && cat {}'
	mkdir t
	run bparx --tmpdir "$TMP/t" --pipe -N1 -k --fifo \
	    'test -p {} && stat -c %a {} && cat {}' < <(seq 2)
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 600 1 600 2)" ]
	[ "$(ls -A t)" = "" ]
}

@test "--fifo: a job that never opens the pipe holds nothing up" {
	# seq 100000 | parallel --fifo --block 100k 'true {}; echo hi'
	# GNU parallel 20221122 waits for ever (its manual says so).
	mkdir t
	run bparx --tmpdir "$TMP/t" -k --fifo --block 100k 'true {}; echo hi' \
	    < <(seq 100000)
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines hi hi hi hi hi hi)" ]
	[ "$(ls -A t)" = "" ]
}

@test "--fifo, --cat: a job run again gets end of file, or the file again" {
	# seq 3 | parallel --pipe --fifo --retries 3 'cat {}; echo x; false'
	# GNU parallel 20221122 waits for ever.
	run bparx --pipe --fifo --retries 3 'cat {}; echo x; false' < <(seq 3)
	[ "$status" -eq 1 ]
	[ "$output" = x ]
	# seq 3 | parallel --pipe --cat --retries 3 'cat {}; false'
	# (GNU parallel 20221122 prints the same, then waits for ever.)
	run bparx --pipe --cat --retries 3 'cat {}; false' < <(seq 3)
	[ "$status" -eq 1 ]
	[ "$output" = "$(lines 1 2 3)" ]
}

@test "--fifo: a job that stops reading early ends with its own status" {
	# seq 100000 | parallel --pipe --fifo -k --block 100k 'head -1 {}'
	# GNU parallel 20221122 exits 6: its writer to the pipe fails.
	run bparx --pipe --fifo -k --block 100k 'head -1 {}' < <(seq 100000)
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 1 18518 35184 51850 68516 85182)" ]
}

@test "--fifo: large blocks, from a pipe and with --pipe-part, byte for byte" {
	# seq 200000 | parallel --pipe --block 300k -k --fifo 'cat {}'
	# parallel --pipe-part -a in --block 300k -k --fifo 'cat {}'
	large_blocks --fifo
	# printf 'h\n1\n2\n3\n' | parallel --pipe --header : -N2 -k --fifo 'cat {}'
	run bparx --pipe --header : -N2 -k --fifo 'cat {}' < <(printf 'h\n1\n2\n3\n')
	[ "$output" = "$(lines h 1 2 h 3)" ]
}

# --rrs

@test "--rrs: the default record end, every newline, goes" {
	# seq 5 | parallel --pipe --rrs -N2 -k 'cat; echo'
	run bparx --pipe --rrs -N2 -k 'cat; echo' < <(seq 5)
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 12 34 5)" ]
}

@test "--rrs: record end and start between records, start at the front, end at the end" {
	# printf 'a1b\na2b\na3b\n' | parallel --pipe --rrs -k --recend 'b\n' --recstart a -N2 'cat; echo'
	run bparx --pipe --rrs -k --recend 'b\n' --recstart a -N2 'cat; echo' \
	    < <(printf 'a1b\na2b\na3b\n')
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 12 3)" ]
	# printf 'a1ba2b\n' | parallel --pipe --rrs -k --recend b --recstart a -N2 'od -c'
	# (a record end just before the final newline goes too)
	run bparx --pipe --rrs -k --recend b --recstart a -N2 'od -An -c' \
	    < <(printf 'a1ba2b\n')
	[ "$output" = "   1   2  \n" ]
}

@test "--rrs: the header stays" {
	# printf 'h\n1\n2\n3\n' | parallel --pipe --rrs --header : -N2 -k 'cat; echo'
	run bparx --pipe --rrs --header : -N2 -k 'cat; echo' \
	    < <(printf 'h\n1\n2\n3\n')
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines h 12 h 3)" ]
}

@test "--rrs: with --regexp" {
	# printf 'x1yx2y\nx3y' | parallel --pipe --regexp --rrs -k --recend y --recstart x -N1 'cat; echo'
	# (records are only split where y meets x: the second is x2y\nx3y)
	run bparx --pipe --regexp --rrs -k --recend y --recstart x -N1 \
	    'cat; echo' < <(printf 'x1yx2y\nx3y')
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 1 2y x3)" ]
	# printf 'h\na1b\na2b\na3ba4b\n' | parallel --pipe --rrs -k --regexp --recend 'b\n' -N2 'od -c'
	run bparx --pipe --rrs -k --regexp --recend 'b\n' -N2 'od -An -c' \
	    < <(printf 'h\na1b\na2b\na3ba4b\n')
	[ "$output" = "$(lines '   h  \n   a   1   a   2' '   a   3   b   a   4')" ]
}

@test "--rrs: with --cat, and with --pipe-part" {
	# seq 5 | parallel --pipe --rrs -N2 -k --cat 'cat {}; echo'
	run bparx --pipe --rrs -N2 -k --cat 'cat {}; echo' < <(seq 5)
	[ "$output" = "$(lines 12 34 5)" ]
	# parallel --pipe-part -a in --block 4 --rrs -k 'cat; echo'
	# GNU parallel 20221122 leaves the separators there; its manual, and
	# parx, remove them with --pipe-part too.
	seq 6 > in
	run bparx --pipe-part -a in --block 4 --rrs -k 'cat; echo'
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 123 456)" ]
}

@test "--rrs, --remove-rec-sep: nothing without --pipe" {
	# parallel --rrs echo ::: a b
	run bparx -k --rrs echo ::: a b
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines a b)" ]
	# seq 3 | parallel --pipe --remove-rec-sep -k 'cat; echo'
	run bparx --pipe --remove-rec-sep --removerecsep 'cat; echo' < <(seq 3)
	[ "$output" = 123 ]
}

# --tee

@test "--tee: every job gets all of the input, one job per argument" {
	# seq 10 | parallel --pipe --tee --tag -k 'grep {}' ::: 1 2 3
	run bparx --pipe --tee --tag -k 'grep {}' ::: 1 2 3 < <(seq 10)
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '1\t1\n1\t10\n2\t2\n3\t3')" ]
	# seq 10 | parallel --pipe --tee -k --tag 'grep {1} | wc {2}' ::: 1 2 ::: -l -c
	run bparx --pipe --tee -k --tag 'grep {1} | wc {2}' ::: 1 2 ::: -l -c \
	    < <(seq 10)
	[ "$output" = "$(printf '1 -l\t2\n1 -c\t5\n2 -l\t1\n2 -c\t2')" ]
}

@test "--tee: the arguments are not appended; -a FILE gives them too" {
	# seq 3 | parallel --pipe --tee -k 'cat; echo {}' ::: a b
	run bparx --pipe --tee -k 'cat; echo {}' ::: a b < <(seq 3)
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 1 2 3 a 1 2 3 b)" ]
	# seq 12 | parallel --pipe --tee -k -a args 'grep {}'
	printf '1\n2\n' > args
	run bparx --pipe --tee -k -a args 'grep {}' < <(seq 12)
	[ "$output" = "$(lines 1 10 11 12 2 12)" ]
	# seq 3 | parallel --pipe --tee wc -l
	run bparx --pipe --tee wc -l < <(seq 3)
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
}

@test "--tee: all jobs at once; a -j too small for them is an error, exit 255" {
	# seq 3 | parallel --pipe --tee -k -j2 'wc -l; echo {}' ::: a b
	run bparx --pipe --tee -k -j2 'wc -l; echo {}' ::: a b < <(seq 3)
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 3 a 3 b)" ]
	# seq 3 | parallel --pipe --tee -k -j1 'wc -l' ::: a b
	run bparx --pipe --tee -k -j1 'wc -l' ::: a b < <(seq 3)
	[ "$status" -eq 255 ]
	[ "$output" = "parx: --tee runs every job at once, and -j allows 1 of the 2 jobs: try -j 0" ]
}

@test "--tee: large input, a slow job and one that stops reading early" {
	# seq 1000000 | parallel --pipe --tee -k '{}' ::: 'head -1' 'sleep 1; md5sum' md5sum 'wc -l'
	seq 1000000 > in
	sum=$(md5sum < in)
	run bparx --pipe --tee -k '{}' ::: 'head -1' 'sleep 1; md5sum' md5sum \
	    'wc -l' < in
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 1 "$sum" "$sum" 1000000)" ]
	cat in | parx --pipe --tee -k 'cmp - in && echo same' ::: a b > out
	[ "$(cat out)" = "$(lines same same)" ]
}

@test "--tee: nothing without --pipe; not with --cat, --fifo, --round-robin" {
	# seq 3 | parallel --tee -k echo
	run bparx --tee -k echo < <(seq 3)
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 1 2 3)" ]
	run bparx --pipe --tee --cat echo ::: a < <(seq 3)
	[ "$status" -eq 255 ]
	[ "${lines[0]}" = "parx: --tee cannot be combined with --cat" ]
	run bparx --tee --round-robin echo ::: a < <(seq 3)
	[ "$status" -eq 255 ]
	[ "${lines[0]}" = "parx: --tee cannot be combined with --round-robin" ]
}

# --group-by

@test "--group-by: a record is the lines with one value in a column" {
	# printf 'a 1\na 2\nb 3\nb 4\nc 5\na 6\n' | parallel --group-by 1 --colsep ' ' -N1 -k 'echo J; cat'
	printf 'a 1\na 2\nb 3\nb 4\nc 5\na 6\n' > in
	run bparx --group-by 1 --colsep ' ' -N1 -k 'echo J; cat' < in
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines J 'a 1' 'a 2' J 'b 3' 'b 4' J 'c 5' J 'a 6')" ]
	# ... | parallel --pipe --group-by 1 --colsep ' ' --block 8 -k 'echo J; cat'
	run bparx --pipe --group-by 1 --colsep ' ' --block 8 -k 'echo J; cat' < in
	[ "$output" = "$(lines J 'a 1' 'a 2' J 'b 3' 'b 4' J 'c 5' 'a 6')" ]
	# ... | parallel --pipe --group-by 1 --colsep ' ' -k 'echo J; cat'
	run bparx --pipe --group-by 1 --colsep ' ' -k 'echo J; cat' < in
	[ "$output" = "$(printf 'J\n'; cat in)" ]
	# ... | parallel --group-by 2 --colsep ' ' -N2 -k 'echo J; cat'
	run bparx --group-by 2 --colsep ' ' -N2 -k 'echo J; cat' < in
	[ "$output" = "$(lines J 'a 1' 'a 2' J 'b 3' 'b 4' J 'c 5' 'a 6')" ]
}

@test "--group-by: a tab without --colsep; a column name makes the header" {
	# printf 'k\tv\nx\t1\nx\t2\ny\t3\n' | parallel --group-by k -N1 -k 'echo J; cat'
	run bparx --group-by k -N1 -k 'echo J; cat' \
	    < <(printf 'k\tv\nx\t1\nx\t2\ny\t3\n')
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'J\nk\tv\nx\t1\nx\t2\nJ\nk\tv\ny\t3')" ]
	# printf 'k,v\nx,1\ny,1\nz,2\n' | parallel --group-by v --colsep , -N1 -k 'echo J; cat'
	# GNU parallel 20221122 finds no column v: it keeps the newline in
	# the header's last name.
	run bparx --group-by v --colsep , -N1 -k 'echo J; cat' \
	    < <(printf 'k,v\nx,1\ny,1\nz,2\n')
	[ "$output" = "$(lines J k,v x,1 y,1 J k,v z,2)" ]
	# printf 'x\t1\nx\t1' | parallel --group-by 2 -N1 -k 'echo J; cat'
	# (the newline belongs to the last column: the last line differs)
	run bparx --group-by 2 -N1 -k 'echo J; cat' < <(printf 'x\t1\nx\t1')
	[ "$output" = "$(printf 'J\nx\t1\nJ\nx\t1')" ]
}

@test "--group-by: no value is split, from a pipe, a file, --pipe-part, --cat" {
	# seq 100000 | awk '{print int($1/7) "," $1}' | parallel --group-by 1 --colsep , --block 10k -k 'cat; echo =='
	seq 100000 | awk '{print int($1/7) "," $1}' > in
	cat in | parx --group-by 1 --colsep , --block 10k -k 'cat; echo ==' > out
	parx --group-by 1 --colsep , --block 10k -k 'cat; echo ==' < in > out2
	cmp out out2
	parx --pipe-part -a in --group-by 1 --colsep , --block 10k -k \
	    'cat; echo ==' > out3
	parx --group-by 1 --colsep , --block 10k -k --cat \
	    'cat {}; echo ==' < in > out4
	cmp out out4
	for f in out out3; do
		grep -v '^==$' "$f" | cmp - in
		[ "$(awk -F, '/^==$/ { b = 1; next }
		    { if (b && $1 == last) bad++; b = 0; last = $1 }
		    END { print bad + 0 }' "$f")" -eq 0 ]
		[ "$(grep -c '^==$' "$f")" -gt 100 ]
	done
	[ "$(awk '/^==$/ { if (n > 10240) big++; n = 0; next }
	    { n += length($0) + 1 } END { print big + 0 }' out)" -eq 0 ]
}

@test "--group-by: an unknown column and the options it cannot go with, exit 255" {
	# printf 'k\tv\nx\t1\n' | parallel --group-by nosuch cat
	run bparx --group-by nosuch cat < <(printf 'k\tv\nx\t1\n')
	[ "$status" -eq 255 ]
	[ "$output" = "parx: column 'nosuch' of --group-by is not in the header" ]
	# echo x | parallel --group-by 1 --rrs cat
	run bparx --group-by 1 --rrs cat < <(echo x)
	[ "$status" -eq 255 ]
	[ "${lines[0]}" = "parx: --group-by cannot be combined with --rrs" ]
	# echo x | parallel --groupby 1 --recend x cat
	run bparx --groupby 1 --recend x cat < <(echo x)
	[ "$status" -eq 255 ]
	[ "${lines[0]}" = "parx: --group-by cannot be combined with --recend" ]
	# echo x | parallel --group-by 1 --recstart x cat
	run bparx --group-by 1 --recstart x cat < <(echo x)
	[ "$status" -eq 255 ]
	[ "${lines[0]}" = "parx: --group-by cannot be combined with --recstart" ]
	# echo x | parallel --group-by 1x cat (GNU: no such column)
	run bparx --group-by 1x cat < <(echo x)
	[ "$status" -eq 255 ]
	[ "$output" = "parx: invalid column '1x' for --group-by: expected a number from 1 or a column name" ]
}

@test "--group-by CODE: the value is what perl code makes of the line" {
	# printf 'a1\nb1\nb2\nc3\n' | parallel --pipe --group-by 's/\d//' -kN1 'echo ---; cat'
	printf 'a1\nb1\nb2\nc3\n' > in
	run -0 bparx --pipe --group-by 's/\d//' -kN1 'echo ---; cat' < in
	[ "$output" = "$(lines --- a1 --- b1 b2 --- c3)" ]
	# ... | parallel --pipe --group-by '$_ = substr($_,0,1) eq "a" ? 1 : 2' -kN1 ...
	run -0 bparx --pipe --group-by '$_ = substr($_,0,1) eq "a" ? 1 : 2' \
	    -kN1 'echo ---; cat' < in
	[ "$output" = "$(lines --- a1 --- b1 b2 c3)" ]
	# printf 'a1\n\nb1\n' | parallel --pipe --group-by '$_ = length' -kN1 ...
	printf 'a1\n\nb1\n' > in2
	run -0 bparx --pipe --group-by '$_ = length' -kN1 'echo ---; cat' < in2
	[ "$output" = "$(lines --- a1 --- '' --- b1)" ]
}

@test "--group-by 'COL CODE': the code gets the column's value" {
	# printf 'x,a1\ny,b1\nz,b2\n' | parallel --pipe --colsep , --group-by '2 s/\d//' -kN1 'echo ---; cat'
	printf 'x,a1\ny,b1\nz,b2\n' > in
	run -0 bparx --pipe --colsep , --group-by '2 s/\d//' -kN1 \
	    'echo ---; cat' < in
	[ "$output" = "$(lines --- x,a1 --- y,b1 z,b2)" ]
	# by name, the header going to every record (GNU 20221122 fails on it)
	printf 'k,v\nx,a1\ny,b1\nz,b2\n' > in
	run -0 bparx --pipe --colsep , --header : --group-by 'v s/\d//' -kN1 \
	    'echo ---; cat' < in
	[ "$output" = "$(lines --- k,v x,a1 --- k,v y,b1 z,b2)" ]
}

@test "--group-by CODE: many lines, from a pipe and a file, none split" {
	# seq 100000 | parallel --pipe --group-by '$_ = int($_/1000)' -N1 -k 'wc -l'
	seq 100000 > in
	run -0 bparx --pipe --group-by '$_ = int($_/1000)' -N1 -k 'wc -l' < in
	[ "$output" = "$(lines 999 $(yes 1000 | head -99) 1)" ]
	cat in | parx --pipe --group-by '$_ = int($_/1000)' --block 10k -k \
	    'echo ==; cat' > out
	[ "$(grep -v == out)" = "$(cat in)" ]
	# every record holds whole groups: no value in two records
	[ "$(awk '/==/ { rec++; next } { g = int($1 / 1000)
	    if ((g in at) && at[g] != rec) print g; at[g] = rec }' out)" = "" ]
	[ "$(grep -c == out)" -gt 10 ]
}

@test "--group-by CODE that does not compile or dies: exit 255, no job" {
	printf 'a1\nb1\n' > in
	run -255 --separate-stderr bparx --pipe --group-by 'die("no\n")' -kN1 \
	    'echo ---; cat' < in
	[ "$output" = '' ]
	[ "$stderr" = 'parx: cannot use --group-by: no' ]
	run -255 --separate-stderr bparx --pipe --group-by '{' cat < in
	[ "$output" = '' ]
	[[ "$stderr" = "parx: cannot use --group-by: Missing right curly"* ]]
}

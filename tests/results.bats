#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
#
# results: --results DIR and templates in GNU parallel 20221122's layout,
# --results NAME.csv, NAME.tsv and NAME.json tables as it writes them
# (each test names the GNU command it was compared with), --files, and
# the errors about where output goes; for commands and for --func jobs.

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

# dirs DIR: the directories under DIR, sorted, on one line.
dirs() {
	(cd "$1" && find . -mindepth 1 -type d | LC_ALL=C sort | tr '\n' ' ')
}

@test "--results DIR with --header: the levels are named after the columns" {
	# GNU: parallel --header : --results r echo {a} {b} ::: a I II ::: b III
	run bparx -k --header : --results r echo {a} {b} ::: a I II ::: b III
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	[ "$(tree r)" = "$(lines './a/I/b/III/seq: 1' './a/I/b/III/stderr: ' './a/I/b/III/stdout: I III' \
	    './a/II/b/III/seq: 2' './a/II/b/III/stderr: ' './a/II/b/III/stdout: II III')" ]
	# GNU: printf 'a\tb\n1\t2\n' | parallel --colsep '\t' --header : --results r2 echo
	printf 'a\tb\n1\t2\n' | bparx --colsep '\t' --header : --results r2 echo
	[ "$(dirs r2)" = "./a ./a/1 ./a/1/b ./a/1/b/2 " ]
}

@test "--results DIR with --header: levels sorted by number, then by name" {
	# GNU: parallel --header : --results r echo ::: z 1 ::: a 2 ::: m 3
	bparx --header : --results r echo ::: z 1 ::: a 2 ::: m 3
	[ "$(dirs r)" = "./a ./a/2 ./a/2/m ./a/2/m/3 ./a/2/m/3/z ./a/2/m/3/z/1 " ]
	# GNU: parallel --header : --results r2 echo ::: 10 x ::: 9 y ::: 9a z
	bparx --header : --results r2 echo ::: 10 x ::: 9 y ::: 9a z
	[ "$(dirs r2)" = "./9 ./9/y ./9/y/9a ./9/y/9a/z ./9/y/9a/z/10 ./9/y/9a/z/10/x " ]
	# GNU: parallel --header : --results r3 echo ::: 'a b' x ::: b y
	bparx --header : --results r3 echo ::: 'a b' x ::: b y
	[ "$(dirs r3)" = "./a b ./a b/x ./a b/x/b ./a b/x/b/y " ]
}

@test "--results DIR with --header: a column with no name is named by its number" {
	# GNU: printf 'a\tb\n1\t2\t3\n' | parallel --colsep '\t' --header : --results r echo
	printf 'a\tb\n1\t2\t3\n' | bparx --colsep '\t' --header : --results r echo
	[ "$(dirs r)" = "./a ./a/1 ./a/1/b ./a/1/b/2 ./a/1/b/2/3 ./a/1/b/2/3/3 " ]
}

@test "--results DIR with --header and input files: the k-th file names column k" {
	# GNU: printf 'x\ny\n' > f1; parallel --header : --results r echo :::: f1 ::: b III
	# and parallel --header : --results r2 echo ::: b III :::: f1
	printf 'x\ny\n' > f1
	bparx --header : --results r echo :::: f1 ::: b III
	[ "$(dirs r)" = "./b ./b/III ./b/III/f1 ./b/III/f1/y " ]
	bparx --header : --results r2 echo ::: b III :::: f1
	[ "$(dirs r2)" = "./f1 ./f1/III ./f1/III/x ./f1/III/x/y " ]
}

@test "--results DIR with -N and -X: the level pairs of each tuple in turn" {
	# GNU: parallel -N2 --results r echo ::: 1 2 ::: p (each tuple from
	# source 1 again)
	bparx -N2 --results r echo ::: 1 2 ::: p
	[ "$(dirs r)" = "./1 ./1/1 ./1/1/2 ./1/1/2/p ./1/1/2/p/1 ./1/1/2/p/1/2 ./1/1/2/p/1/2/2 ./1/1/2/p/1/2/2/p " ]
	# GNU: parallel -j1 -X --results r2 echo ::: 1 2
	bparx -j1 -X --results r2 echo ::: 1 2
	[ "$(dirs r2)" = "./1 ./1/1 ./1/1/1 ./1/1/1/2 " ]
	# GNU: printf 'a\n2\n1\n' | parallel --header : -N2 --results r3 echo
	printf 'a\n2\n1\n' | bparx --header : -N2 --results r3 echo
	[ "$(dirs r3)" = "./a ./a/2 ./a/2/a ./a/2/a/1 " ]
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

# norm: a table with its times (Starttime, JobRuntime) as T and R.
norm() {
	sed -E 's/^([0-9]+[,	]:[,	])[0-9]+\.[0-9]{3}([,	])[0-9]+\.[0-9]{3}([,	])/\1T\2R\3/
	    s/"Starttime": [0-9]+\.[0-9]{3}, "JobRuntime": [0-9]+\.[0-9]{3}/"Starttime": T, "JobRuntime": R/'
}

# The values of the table tests: a comma, a quote, a tab and a newline.
values() {
	printf 'x,y"z\tw\nv\0plain\0'
}
TABLE_CMD="printf '%s|' {}; echo 'e\"' >&2; exit 3"

@test "--results NAME.csv: one CSV row per job, quoted as GNU parallel quotes" {
	# values | parallel -0 -j1 --results out.csv "$TABLE_CMD"
	values > in
	run bparx -0 -j1 --results out.csv "$TABLE_CMD" < in
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	cat > want <<'EOF'
Seq,Host,Starttime,JobRuntime,Send,Receive,Exitval,Signal,Command,V1,Stdout,Stderr
1,:,T,R,0,10,3,0,"printf '%s|' 'x,y""z	w
v'; echo 'e""' >&2; exit 3","x,y""z	w
v","x,y""z	w
v|","e""
"
2,:,T,R,0,6,3,0,"printf '%s|' plain; echo 'e""' >&2; exit 3",plain,plain|,"e""
"
EOF
	norm < out.csv > got
	diff want got
	# -.csv: the same table on stdout, and nothing else
	run bparx -0 -j1 --results -.csv "$TABLE_CMD" < in
	[ "$status" -eq 2 ]
	printf '%s\n' "$output" | norm > got
	diff want got
}

@test "--results NAME.tsv: the same fields, separated by tabs" {
	# values | parallel -0 -j1 --results out.tsv "$TABLE_CMD"
	values > in
	run bparx -0 -j1 --results out.tsv "$TABLE_CMD" < in
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	cat > want <<'EOF'
Seq	Host	Starttime	JobRuntime	Send	Receive	Exitval	Signal	Command	V1	Stdout	Stderr
1	:	T	R	0	10	3	0	"printf '%s|' 'x,y""z	w
v'; echo 'e""' >&2; exit 3"	"x,y""z	w
v"	"x,y""z	w
v|"	"e""
"
2	:	T	R	0	6	3	0	"printf '%s|' plain; echo 'e""' >&2; exit 3"	plain	plain|	"e""
"
EOF
	norm < out.tsv > got
	diff want got
	run bparx -0 -j1 --results -.tsv "$TABLE_CMD" < in
	[ "$status" -eq 2 ]
	printf '%s\n' "$output" | norm > got
	diff want got
}

@test "--results NAME.json: one JSON object per line, control bytes as \\u00XX" {
	# values | parallel -0 -j1 --results out.json "$TABLE_CMD"
	values > in
	run bparx -0 -j1 --results out.json "$TABLE_CMD" < in
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	cat > want <<'EOF'
{ "Seq": 1, "Host": ":", "Starttime": T, "JobRuntime": R, "Send": 0, "Receive": 10, "Exitval": 3, "Signal": 0, "Command": "printf '%s|' 'x,y\"z\u0009w\u000av'; echo 'e\"' >&2; exit 3", "V": [ "x,y\"z\u0009w\u000av" ], "Stdout": "x,y\"z\u0009w\u000av|", "Stderr": "e\"\u000a" }
{ "Seq": 2, "Host": ":", "Starttime": T, "JobRuntime": R, "Send": 0, "Receive": 6, "Exitval": 3, "Signal": 0, "Command": "printf '%s|' plain; echo 'e\"' >&2; exit 3", "V": [ "plain" ], "Stdout": "plain|", "Stderr": "e\"\u000a" }
EOF
	norm < out.json > got
	diff want got
	run bparx -0 -j1 --results -.json "$TABLE_CMD" < in
	[ "$status" -eq 2 ]
	printf '%s\n' "$output" | norm > got
	diff want got
}

@test "a NUL byte in a job's output is kept, the field quoted" {
	# parallel -j1 --results out.csv "printf 'a\\0b'" ::: x
	run bparx -j1 --results out.csv "printf 'a\\0b'" ::: x
	[ "$status" -eq 0 ]
	norm < out.csv > got
	printf 'Seq,Host,Starttime,JobRuntime,Send,Receive,Exitval,Signal,Command,V1,Stdout,Stderr\n' > want
	printf '1,:,T,R,0,3,0,0,"printf '\''a\\0b'\'' x",x,"a\0b",\n' >> want
	cmp want got
}

@test "a table's times: Starttime in seconds since the epoch, JobRuntime in seconds" {
	before=$(date +%s)
	run bparx --results out.csv true ::: a
	after=$(date +%s)
	[ "$status" -eq 0 ]
	row=$(tail -n 1 out.csv)
	[[ $row =~ ^1,:,([0-9]+)\.[0-9]{3},[0-9]+\.[0-9]{3},0,0,0,0,\"true\ a\",a,,$ ]]
	[ "${BASH_REMATCH[1]}" -ge "$before" ]
	[ "${BASH_REMATCH[1]}" -le "$after" ]
}

@test "table rows come in the order jobs end, and in input order with -k" {
	# parallel -j2 --results out.json 'sleep {}; echo {}' ::: 0.5 0.1 (rows
	# 2, 1; GNU writes its table at exit, so it cannot be the barrier)
	run bparx -j2 --results out.json 'if [ {} = 1 ]; then
		until grep -q "Seq.: 2" out.json; do sleep 0.01; done; fi; echo {}' ::: 1 2
	[ "$status" -eq 0 ]
	[ "$(cut -d, -f1 out.json | tr '\n' ' ')" = '{ "Seq": 2 { "Seq": 1 ' ]
	# parallel -k -j2 --results out.json 'if [ {} = 1 ]; then until [ -e two ]; do sleep 0.01; done; else touch two; fi; echo {}' ::: 1 2
	run bparx -k -j2 --results out.json 'if [ {} = 1 ]; then
		until [ -e two ]; do sleep 0.01; done; else touch two; fi; echo {}' ::: 1 2
	[ "$status" -eq 0 ]
	[ "$(cut -d, -f1 out.json | tr '\n' ' ')" = '{ "Seq": 1 { "Seq": 2 ' ]
}

@test "a table's value columns: V1..Vn for several sources, --header names" {
	# parallel -j1 --results -.tsv echo ::: 1 2 ::: x ::: 'y z'
	run bparx -j1 --results -.tsv echo ::: 1 2 ::: x ::: 'y z'
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" | norm > got
	cat > want <<'EOF'
Seq	Host	Starttime	JobRuntime	Send	Receive	Exitval	Signal	Command	V1	V2	V3	Stdout	Stderr
1	:	T	R	0	8	0	0	"echo 1 x 'y z'"	1	x	"y z"	"1 x y z
"	
2	:	T	R	0	8	0	0	"echo 2 x 'y z'"	2	x	"y z"	"2 x y z
"	
EOF
	diff want got
	# parallel -j1 --header : --results -.csv 'echo {a}' ::: a 1 2 ::: 'b,c' x
	run bparx -j1 --header : --results -.csv 'echo {a}' ::: a 1 2 ::: 'b,c' x
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" | norm > got
	cat > want <<'EOF'
Seq,Host,Starttime,JobRuntime,Send,Receive,Exitval,Signal,Command,a,"b,c",Stdout,Stderr
1,:,T,R,0,2,0,0,"echo 1",1,x,"1
",
2,:,T,R,0,2,0,0,"echo 2",2,x,"2
",
EOF
	diff want got
	# parallel -j1 --header : --results -.json 'echo {a}' ::: a 1 ::: 'b,c' x
	run bparx -j1 --header : --results -.json 'echo {a}' ::: a 1 ::: 'b,c' x
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | norm)" = '{ "Seq": 1, "Host": ":", "Starttime": T, "JobRuntime": R, "Send": 0, "Receive": 2, "Exitval": 0, "Signal": 0, "Command": "echo 1", "V": [ "1","x" ], "Stdout": "1\u000a", "Stderr": "" }' ]
}

@test "--header with input files: the k-th file given names column k, as in GNU parallel" {
	# parallel -j1 --header : --colsep , --results -.csv 'echo {h2}' :::: tab.csv ::: c x
	printf 'h1,h2\nv1,v2\n' > tab.csv
	run bparx -j1 --header : --colsep , --results -.csv 'echo {h2}' :::: tab.csv ::: c x
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" | norm > got
	cat > want <<'EOF'
Seq,Host,Starttime,JobRuntime,Send,Receive,Exitval,Signal,Command,tab.csv,h2,c,Stdout,Stderr
1,:,T,R,0,3,0,0,"echo v2",v1,v2,x,"v2
",
EOF
	diff want got
	# printf 'h1,h2\nv1,v2\n' | parallel -j1 --header : --colsep , --results -.csv 'echo {h2}'
	run bparx -j1 --header : --colsep , --results -.csv 'echo {h2}' < tab.csv
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = Seq,Host,Starttime,JobRuntime,Send,Receive,Exitval,Signal,Command,h1,h2,Stdout,Stderr ]
}

@test "--tag and --tagstring in a table: before each line and after each CR" {
	# parallel -j1 --tag --results -.csv 'printf "l1\nl2\rr\n"; printf e >&2' ::: a
	run bparx -j1 --tag --results -.csv 'printf "l1\nl2\rr\n"; printf e >&2' ::: a
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" | norm > got
	printf '%s\n' 'Seq,Host,Starttime,JobRuntime,Send,Receive,Exitval,Signal,Command,V1,Stdout,Stderr' > want
	printf '1,:,T,R,0,8,0,0,"printf ""l1\\nl2\\rr\\n""; printf e >&2 a",a,"a\tl1\na\tl2\ra\tr\n","a\te"\n' >> want
	diff want got
	# parallel -j1 --tagstring '<{}>' --results -.json 'printf "l1\nl2\rr\n"; printf e >&2' ::: a
	run bparx -j1 --tagstring '<{}>' --results -.json 'printf "l1\nl2\rr\n"; printf e >&2' ::: a
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | norm)" = '{ "Seq": 1, "Host": ":", "Starttime": T, "JobRuntime": R, "Send": 0, "Receive": 8, "Exitval": 0, "Signal": 0, "Command": "printf \"l1\\nl2\\rr\\n\"; printf e >&2 a", "V": [ "a" ], "Stdout": "<a>\u0009l1\u000a<a>\u0009l2\u000d<a>\u0009r\u000a", "Stderr": "<a>\u0009e" }' ]
}

@test "a table with --files: the file's name in the row and on stdout; with --dry-run: the lines" {
	# parallel -j1 --files --tmpdir "$TMP" --results out.csv 'echo {}; echo e >&2' ::: a
	run bparx -j1 --files --tmpdir "$TMP" --results out.csv 'echo {}; echo e >&2' ::: a
	[ "$status" -eq 0 ]
	[[ $output == "$TMP"/parx*.par ]]
	[ "$(cat "$output")" = a ]
	[ "$(tail -n 1 out.csv | norm)" = "1,:,T,R,0,2,0,0,\"echo a; echo e >&2\",a,$output," ]
	# parallel -j1 --dry-run --results -.csv 'echo {}' ::: a 'b c'
	run bparx -j1 --dry-run --results -.csv 'echo {}' ::: a 'b c'
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" | norm > got
	cat > want <<'EOF'
Seq,Host,Starttime,JobRuntime,Send,Receive,Exitval,Signal,Command,V1,Stdout,Stderr
1,:,T,R,0,7,0,0,"echo a",a,"echo a
",
2,:,T,R,0,11,0,0,"echo 'b c'","b c","echo 'b c'
",
EOF
	diff want got
}

@test "--func: a function's output in a table" {
	run bparx -k --func echo --results -.csv ::: a 'b,c'
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" | norm > got
	cat > want <<'EOF'
Seq,Host,Starttime,JobRuntime,Send,Receive,Exitval,Signal,Command,V1,Stdout,Stderr
1,:,T,R,0,2,0,0,"echo a",a,"a
",
2,:,T,R,0,4,0,0,"echo 'b,c'","b,c","b,c
",
EOF
	diff want got
}

@test "a table that cannot be created: one line, 255, no job" {
	run bparx --results nodir/out.csv 'echo ran > ran' ::: a
	[ "$status" -eq 255 ]
	[ "$output" = "parx: cannot create the --results table 'nodir/out.csv': No such file or directory" ]
	[ ! -e ran ]
}

@test "a table that cannot be written is reported for each job, and the status is 255" {
	# GNU parallel 20221122 says nothing and exits 0 here.
	ln -s /dev/full full.csv
	run bparx -k -j1 --results full.csv echo ::: a b
	[ "$status" -eq 255 ]
	[ "$output" = "$(lines "parx: cannot write job 1 to --results 'full.csv': No space left on device" \
	    "parx: cannot write job 2 to --results 'full.csv': No space left on device")" ]
	run bash -c '"$0" --mode="$1" --results -.json echo ::: a > /dev/full' "$PARX" "$PARX_MODE"
	[ "$status" -eq 255 ]
	[ "$output" = "parx: cannot write output: No space left on device" ]
}

@test "a table that fills up keeps whole rows and names the jobs it lost" {
	# A file size limit of 1024 bytes: rows 1 and 2 fit, 3 does not.
	run bash -c 'ulimit -f 1; trap "" XFSZ
	    exec "$0" --mode="$1" -k -j1 --results out.csv "printf %0{}d 0" ::: 300 300 300 50' "$PARX" "$PARX_MODE"
	[ "$status" -eq 255 ]
	[ "$output" = "parx: cannot write job 3 to --results 'out.csv': File too large" ]
	[ "$(cut -c1-2 out.csv | tr '\n' ' ')" = "Se 1, 2, 4, " ]
	[ "$(tail -n 1 out.csv | norm)" = "4,:,T,R,0,50,0,0,\"printf %050d 0\",50,$(printf '%050d' 0)," ]
}

@test "a job's output cut short by a full temporary directory is reported, 255" {
	mount_tiny small 64k
	run bparx --tmpdir small --results out.csv 'head -c 200000 /dev/zero | tr "\0" x; : {}' ::: a
	[ "$status" -eq 255 ]
	[ "$output" = "parx: the output of job 1 may be incomplete: no space left for 'small'" ]
	[ "$(tail -n 1 out.csv | cut -d, -f1,6,7)" = 1,65536,0 ]
}

@test "--resume with a table and no job log: a warning, and every job runs" {
	# parallel --resume --results out.csv echo ::: a
	run bparx --resume --results out.csv echo ::: a
	[ "$status" -eq 0 ]
	[ "$output" = "parx: warning: --resume does not read a --results table (.csv, .tsv, .json): every job runs again" ]
	[ "$(tail -n 2 out.csv | norm)" = "$(lines '1,:,T,R,0,2,0,0,"echo a",a,"a' '",')" ]
}

#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
#
# colsep: input values split into columns (--colsep), trimmed (--trim),
# and named by a header line (--header).  Expected outputs are GNU
# parallel 20221122's.

load helpers
bats_require_minimum_version 1.5.0

# --colsep

@test "-C: columns are the positional arguments" {
	run bparx -k --colsep , echo {2} {1} ::: a,b 1,2
	[ "$output" = "$(lines 'b a' '2 1')" ]
	run bparx -k -C , echo {-1} {2.} {1/} ::: x/a,b.c
	[ "$output" = "b.c b a" ]
}

@test "-C: {} and the appended arguments are all columns" {
	run bparx -k --colsep , echo '[{}]' ::: a,b 1,2
	[ "$output" = "$(lines '[a b]' '[1 2]')" ]
	run bparx -k --colsep , printf "'<%s>'" ::: 'a,,b,,'
	[ "$output" = "<a><><b><><>" ]
}

@test "-C: empty columns are kept, also at the end" {
	run bparx -k --colsep , echo '[{}]' ::: 'a,b,' ',,' ''
	[ "$output" = "$(lines '[a b ]' '[  ]' '[]')" ]
	run bparx -k --colsep , echo '[{3}]' '[{4}]' ::: 'a,b,'
	[ "$output" = "[] []" ]
}

@test "-C: with several sources the columns follow each other" {
	run bparx -k --colsep , echo {3} {1} / {} ::: a,b 1,2 ::: x,y
	[ "$output" = "$(lines 'x a / a b x y' 'x 1 / 1 2 x y')" ]
	run bparx -k --colsep , echo {2} ::: a a,b ::: x
	[ "$output" = "$(lines x b)" ]
}

@test "-C is a regular expression" {
	run bparx -k --colsep '[,;]+' echo {3} {1} ::: 'a,;b;c'
	[ "$output" = "c a" ]
	run bparx -k --colsep '\s+' echo {2} ::: 'a  	b'
	[ "$output" = b ]
	run bparx -k --colsep '\t' echo {2} ::: $'a\tb'
	[ "$output" = b ]
	run bparx -k --colsep '[\s,]+' echo {3} ::: 'a, b  ,c'
	[ "$output" = c ]
	run bparx -k --colsep '\d' echo {1}-{2} ::: 'a1b'
	[ "$output" = a-b ]
	run bparx -k --colsep '\x2c' echo {2} ::: 'a,b'
	[ "$output" = b ]
	run bparx -k --colsep '\.' echo {2} ::: 'a.b'
	[ "$output" = b ]
}

@test "-C: a separator matching the empty string splits between characters" {
	run bparx -k --colsep 'x*' echo {1}-{2}-{3} ::: abc
	[ "$output" = a-b-c ]
	run bparx -k --colsep '|' echo {2} ::: 'a|b'
	[ "$output" = '|' ]
	run bparx -k --colsep '.' echo "[{2}]" ::: 'a.b'
	[ "$output" = '[]' ]
}

@test "-C: an invalid expression is an error before any job" {
	run bparx --colsep '+' echo ::: a
	[ "$status" -eq 255 ]
	[[ "$output" = "parx: invalid regular expression '+' for --colsep/-C: expected an extended regular expression ("*")" ]]
	run bparx -C '[' echo ::: a
	[ "$status" -eq 255 ]
	[[ "$output" = "parx: invalid regular expression '[' for --colsep/-C: expected an extended regular expression ("*")" ]]
}

@test "-C on stdin and -a input, and with -0" {
	run bparx -k --colsep : echo {2} < <(printf 'a:b\nc:d\n')
	[ "$output" = "$(lines b d)" ]
	printf 'a:b\nc:d\n' > in
	run bparx -k -a in -C : echo {2}{1}
	[ "$output" = "$(lines ba dc)" ]
	run bparx -k -0 -C : echo {2} < <(printf 'a:b\nc\0d:e\0')
	[ "$output" = "$(lines 'b' 'c' 'e')" ]
}

@test "-C: values are quoted column by column" {
	run bparx -k -C , echo {2} ::: 'a,$HOME; echo x' 'b,it'"'"'s'
	[ "$output" = "$(lines '$HOME; echo x' "it's")" ]
}

@test "-C: commands without shell syntax run directly with the columns" {
	run bparx -k -C , /bin/echo {2} {1} ::: 'a,b c'
	[ "$output" = "b c a" ]
	run bparx --dry-run -k -C , echo {2} {1} ::: 'a,b c'
	[ "$output" = "echo 'b c' a" ]
}

@test "-C with --tag: the tag is the columns" {
	run bparx -k --colsep , --tag echo {2} ::: a,b
	[ "$output" = "a b	b" ]
}

@test "-C with -r: the value as it came is checked, not its columns" {
	run bparx -k -r -C , echo x{1} ::: ' , ' 'a,b' ' 	'
	[ "$output" = "$(lines x xa)" ]
}

# --trim

@test "--colsep trims both ends of each column unless --trim n" {
	run bparx -k --colsep , echo '[{}]' ::: ' x , y '
	[ "$output" = "[x y]" ]
	run bparx -k -C , --trim n echo '[{1}]' ::: ' x , y '
	[ "$output" = "[ x ]" ]
	run bparx -k --trim l -C , echo '[{}]' ::: ' x , y '
	[ "$output" = "[x  y ]" ]
}

@test "--trim without --colsep trims the whole value" {
	run bparx -k --trim lr echo '[{}]' ::: ' a ' '	b'
	[ "$output" = "$(lines '[a]' '[b]')" ]
	run bparx -k --trim r echo '[{1}]' ::: ' x , y '
	[ "$output" = "[ x , y]" ]
	run bparx -k --trim rl echo '[{1}]' ::: ' x '
	[ "$output" = "[x]" ]
}

@test "invalid --trim values are errors" {
	for v in x '' lrr nl; do
		run bparx --trim "$v" echo ::: a
		[ "$status" -eq 255 ]
		[ "$output" = "parx: invalid value '$v' for --trim: expected n, l, r, lr or rl" ]
	done
}

# --header

@test "--header : with --colsep: the first line names the columns" {
	run bparx -k --header : --colsep , echo {b} {a} ::: a,b 1,2 3,4
	[ "$output" = "$(lines '2 1' '4 3')" ]
}

@test "--header with a CSV file, given with :::: and with -a" {
	printf 'x,y\n1,2\n3,4\n' > f.csv
	run bparx -k --header : --colsep , echo {y}-{x} :::: f.csv
	[ "$output" = "$(lines 2-1 4-3)" ]
	run bparx -k -a f.csv --header : --colsep , echo {y}-{x}
	[ "$output" = "$(lines 2-1 4-3)" ]
	run bparx -k --header : --colsep , echo {y}-{x} < f.csv
	[ "$output" = "$(lines 2-1 4-3)" ]
}

@test "--header: each source has its own header" {
	run bparx -k --header : echo {a} {b} ::: a 1 2 ::: b 3 4
	[ "$output" = "$(lines '1 3' '1 4' '2 3' '2 4')" ]
	printf 'n\n1\n2\n' > nums
	run bparx -k --header : echo {n}{l} :::: nums ::: l x y
	[ "$output" = "$(lines 1x 1y 2x 2y)" ]
	run bparx -k --header : --link echo {n}{l} :::: nums ::: l x y z
	[ "$output" = "$(lines 1x 2y 1z)" ]
	run bparx -k --header : echo {n}{l} :::: nums :::+ l x y z
	[ "$output" = "$(lines 1x 2y)" ]
}

@test "--header: the derived forms and unknown names" {
	printf 'f,g\ndir/a.txt,x\n' > f.csv
	run bparx -k --header : -C , echo {f.} {f/} {f//} {f/.} {h} {g} :::: f.csv
	[ "$output" = "dir/a a.txt dir a {h} x" ]
}

@test "--header: {=NAME code=} and {=NAME=} are perl on the named column" {
	# GNU: parallel --header : echo '{=v2=}{=v1 $_=Q($_)=}' ::: v1 K :::
	# v2 O (OK); parallel --header : echo '{=v2 $_.=1=}' ::: v2 K (K1)
	run bparx --header : echo '{=v2=}{=v1 $_=Q($_)=}' ::: v1 K ::: v2 O
	[ "$status" -eq 0 ]
	[ "$output" = OK ]
	run bparx --header : echo '{=v2 $_.=1=}' ::: v2 K
	[ "$status" -eq 0 ]
	[ "$output" = K1 ]
	# GNU: {= v2 =} with a blank first is perl code (the v-string v2)
	run bparx --header : echo '{= v2 =}' ::: v2 K
	[ "$output" = K ]
	# GNU: a syntax error is still one, exit 255
	run --separate-stderr bparx --header : echo '{=v2 +* =}' ::: v2 K
	[ "$status" -eq 255 ]
	[ -z "$output" ]
}

@test "--header: names with blanks, and names are not trimmed" {
	printf 'a b, c d \n 1 ,  2\n' > g.csv
	run bparx -k --header : --colsep , echo '[{a b}]' '[{1}]' '[{ c d }]' :::: g.csv
	[ "$output" = "[1] [1] [2]" ]
	run bparx -k --trim n --header : --colsep , echo '[{a b}]' '[{ c d }]' :::: g.csv
	[ "$output" = "[ 1 ] [  2]" ]
}

@test "--header: a header line ending in CR LF names the columns without the CR" {
	# GNU: printf 'foo\r\nbar\r\n' | parallel --colsep , --header : echo {foo}
	printf 'foo\r\nbar\r\n' | bparx --colsep , --header : echo {foo} > out
	printf 'bar\n' | cmp - out
	# GNU: printf 'foo\r\nbar\r\n' | parallel --header : echo {foo} (the
	# value keeps its CR)
	printf 'foo\r\nbar\r\n' | bparx --header : echo {foo} > out
	printf 'bar\r\n' | cmp - out
	# GNU: printf 'a\tb\r\n1\t2\r\n' | parallel --colsep '\t' --header : echo {b}x{a}
	printf 'a\tb\r\n1\t2\r\n' | bparx --colsep '\t' --header : echo {b}x{a} > out
	printf '2x1\n' | cmp - out
	# GNU: printf 'foo\r\0bar\0' | parallel -0 --header : echo {foo}; and
	# parallel --header : echo {foo} ::: $'foo\r' bar
	printf 'foo\r\0bar\0' | bparx -0 --header : echo {foo} > out
	printf 'bar\n' | cmp - out
	run bparx --header : echo {foo} ::: $'foo\r' bar
	[ "$status" -eq 0 ]
	[ "$output" = bar ]
}

@test "--header: only one final CR goes, and only at the end of the line" {
	# GNU: printf 'foo\r\r\nbar\n' | parallel --header : echo {foo}
	# ({foo} bar) and printf 'a\r,b\n1,2\n' | parallel --colsep , --header
	# : echo {a} ({a} 1 2)
	run bparx --header : echo {foo} < <(printf 'foo\r\r\nbar\n')
	[ "$status" -eq 0 ]
	[ "$output" = "{foo} bar" ]
	run bparx --colsep , --header : echo {a} < <(printf 'a\r,b\n1,2\n')
	[ "$status" -eq 0 ]
	[ "$output" = "{a} 1 2" ]
}

@test "--header: a CR LF header names a --results table's columns without the CR" {
	# GNU: printf 'a\tb\r\n1\t2\r\n' | parallel --colsep '\t' --header : --results -.csv echo {b}
	printf 'a\tb\r\n1\t2\r\n' |
	    bparx --colsep '\t' --header : --results -.csv echo {b} > out
	[ "$(head -n 1 out)" = "Seq,Host,Starttime,JobRuntime,Send,Receive,Exitval,Signal,Command,a,b,Stdout,Stderr" ]
}

@test "--header without --colsep splits at tabs, and does not trim" {
	printf 'p\tq\n 1 \t 2 \n' > t.tsv
	run bparx -k --header : echo '[{q}]' '[{p}]' :::: t.tsv
	[ "$output" = "[ 2 ] [ 1 ]" ]
}

@test "--header: positional forms keep their meaning" {
	# a column named 2 does not hide {2}
	printf '2,1\na,b\n' > f.csv
	run bparx -k --header : -C , echo {1} {2} :::: f.csv
	[ "$output" = "a b" ]
}

@test "--header: named columns in --tagstring" {
	printf 'k,v\na,1\nb,2\n' > f.csv
	run bparx -k --header : -C , --tagstring '<{k}>' echo {v} :::: f.csv
	[ "$output" = "$(lines '<a>	1' '<b>	2')" ]
}

@test "--header: any expression other than 0 means the first line" {
	printf 'x,y\n1,2\n' > f.csv
	run bparx -k --header '.*\n' --colsep , echo {y}{x} :::: f.csv
	[ "$output" = 21 ]
	run bparx -k --header 1 --colsep , echo {y}{x} :::: f.csv
	[ "$output" = 21 ]
	run bparx -k --header 0 --colsep , echo {2}{1} :::: f.csv
	[ "$output" = "$(lines yx 21)" ]
	# As in GNU parallel: what the expression matches does not matter.
	printf 'x,y\nc,d\n1,2\n' > f.csv
	run bparx -k --header '.*\n.*\n' --colsep , echo {y}{x} :::: f.csv
	[ "$output" = "$(lines dc 21)" ]
	run bparx -k --header zzz --colsep , echo {y}{x} :::: f.csv
	[ "$output" = "$(lines dc 21)" ]
}

@test "--header: nothing but the header, or no input at all, runs nothing" {
	printf 'x\n' > f
	run bparx --header : echo {x} :::: f
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	run bparx --header : echo {x} < /dev/null
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "--header: the sequence numbers start at the first line after it" {
	printf 'x\na\nb\n' > f
	run bparx -k --header : echo {#} {x} :::: f
	[ "$output" = "$(lines '1 a' '2 b')" ]
}

@test "--header: the named template runs without a shell when it can" {
	printf 'a,b\n1,2 3\n' > f.csv
	run bparx -k --header : -C , /bin/echo {b} {a} :::: f.csv
	[ "$output" = "2 3 1" ]
	run bparx --dry-run --header : -C , echo {b} {a} :::: f.csv
	[ "$output" = "echo '2 3' 1" ]
}

@test "--header with --shuf keeps the header out of the shuffle" {
	{ echo n; seq 50; } > f
	run bparx --shuf --header : echo {n} :::: f
	[ "$(echo "$output" | sort -n)" = "$(seq 50)" ]
}

@test "--header and --colsep on a large streamed input" {
	{ echo 'a,b'; seq 20000 | sed 's/.*/&,x&/'; } > big.csv
	bparx -j4 --header : -C , echo {b} < big.csv > out
	[ "$(wc -l < out)" -eq 20000 ]
	[ "$(sort -u out | wc -l)" -eq 20000 ]
	[ "$(grep -cvx 'x[0-9]*' out)" -eq 0 ]
}

# --func jobs

@test "--func: the columns are the function's arguments" {
	run bparx -k --func echo -C , {2} {1} ::: 'a,b c' x,y
	[ "$output" = "$(lines 'b c a' 'y x')" ]
	run bparx -k --func echo -C , ::: 'a,b c'
	[ "$output" = "a b c" ]
	run bparx --dry-run --func echo -C , {2} {1} ::: 'a,b c'
	[ "$output" = "echo 'b c' a" ]
}

@test "--func: named columns and --trim" {
	printf 'p,q\n 1 ,2\n3,4\n' > f.csv
	run bparx -k --func echo --header : -C , {q}{p} :::: f.csv
	[ "$output" = "$(lines 21 43)" ]
	run bparx -k --func echo --trim lr '[{}]' ::: ' a ' 'b	'
	[ "$output" = "$(lines '[a]' '[b]')" ]
}

@test "--header: the headers are not counted in the total of the progress line" {
	bparx --header : --progress true {a} {b} ::: a 1 2 ::: b 3 4 5 2> err
	[ "$(sed 's/avg .*/avg/' err)" = "6/6 done, avg" ]
}

# --csv (GNU parallel needs Perl's Text::CSV for it: libtext-csv-perl)

@test "--csv: quoted fields keep commas, newlines and \"\"" {
	printf 'a,"b c",d\n"x ""q"" y",2,3\n"multi\nline",z,w\n' > c.csv
	# GNU: parallel -k --csv echo '{1}\|{2}\|{3}' :::: c.csv
	run bparx -k --csv echo '{1}\|{2}\|{3}' :::: c.csv
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines 'a|b c|d' 'x "q" y|2|3' multi 'line|z|w')" ]
	# From standard input too; {} is all the fields.
	# GNU: parallel -k --csv echo {3}-{} < c.csv
	run bparx -k --csv echo {3}-{} < c.csv
	[ "$output" = "$(lines 'd-a b c d' '3-x "q" y 2 3' 'w-multi' 'line z w')" ]
	# Nothing is trimmed unless a separator is given; an empty line is
	# one empty field.
	# GNU: parallel -k --csv echo '[{1}][{2}]' ::: 'a, b ' 'a,' ''
	run bparx -k --csv echo '[{1}][{2}]' ::: 'a, b ' 'a,' ''
	[ "$output" = "$(lines '[a][ b ]' '[a][]' '[][]')" ]
	# GNU: parallel --csv --colsep , echo '[{1}][{2}]' ::: 'a, b '
	run bparx --csv --colsep , echo '[{1}][{2}]' ::: 'a, b '
	[ "$output" = "[a][b]" ]
}

@test "--csv: --colsep is the separator, --header names the fields" {
	# GNU: parallel --csv --colsep ';' echo '{1}\|{2}' ::: 'a;"b;c"'
	run bparx --csv --colsep ';' echo '{1}\|{2}' ::: 'a;"b;c"'
	[ "$status" -eq 0 ]
	[ "$output" = 'a|b;c' ]
	# GNU: printf 'a,b\n1,"x,y"\n2,z\n' | parallel -k --csv --header : echo {b}-{a}
	run bparx -k --csv --header : echo {b}-{a} < <(printf 'a,b\n1,"x,y"\n2,z\n')
	[ "$output" = "$(lines x,y-1 z-2)" ]
}

@test "--csv: a record that is not CSV stops parx, exit 255" {
	# GNU: parallel --csv echo ::: 'a,b"c' (CSV has unexpected format:
	# ^a,b"c^, and perl's die)
	run bparx --csv echo ::: 'a,b"c'
	[ "$status" -eq 255 ]
	[ "$output" = 'parx: CSV has unexpected format: ^a,b"c^' ]
}

@test "--csv --pipe-part: a block never ends inside a quoted field" {
	printf 'a,"b\nc"\n"x ""q"" y",2\nz,w\n' > c.csv
	# GNU: parallel --csv -k --pipepart --block 1 'echo R; cat' :::: c.csv
	# cuts after a,"b (inside the quotes); parx counts the quotes
	run bparx --csv -k --pipe-part --block 1 'echo R; cat' :::: c.csv
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines R a,'"b' 'c"' R '"x ""q"" y",2' R z,w)" ]
	# GNU: parallel --csv -k --pipepart --block 5 'echo R; cat' :::: c.csv
	run bparx --csv -k --pipe-part --block 5 'echo R; cat' :::: c.csv
	[ "$output" = "$(lines R a,'"b' 'c"' R '"x ""q"" y",2' R z,w)" ]
	# a header, and many records with quoted newlines: every block whole
	{ echo 'h,v'; for i in $(seq 3000); do printf '%s,"l\n%s"\n' "$i" "$i"; done; } > big.csv
	cat > check <<'EOF'
	awk 'NR == 1 && $0 != "h,v" { bad = 1 }
	    NR > 1 && NR % 2 == 0 && !/^[0-9]+,"l$/ { bad = 1 }
	    NR > 1 && NR % 2 == 1 && !/^[0-9]+"$/ { bad = 1 }
	    END { print (bad ? "cut" : "whole"), (NR - 1) / 2 }'
EOF
	run bparx --csv -k -j3 --pipe-part --header : --block 1k \
	    'sh ./check' :::: big.csv
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | grep -vc '^whole ')" -eq 0 ]
	[ "$(printf '%s\n' "$output" | awk '{ n += $2 } END { print n }')" -eq 3000 ]
	bparx --csv -k --pipe-part --block 1k cat :::: big.csv > out
	cmp big.csv out
}

@test "--csv --pipe: a block ends at a newline outside quotes; -N is not used" {
	printf 'a,"b\nc"\n"x ""q"" y",2\nz,w\n' > c.csv
	# GNU: parallel --csv -k --pipe --block 5 'echo R; cat' < c.csv (the
	# size warned grown to 8, 12, 17 for the first record)
	run --separate-stderr bparx --csv -k --pipe --block 5 'echo R; cat' < c.csv
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines R a,'"b' 'c"' R '"x ""q"" y",2' R z,w)" ]
	[ "${stderr##*$'\n'}" = 'parx: warning: a record was longer than 12: increasing to --blocksize 17' ]
	# GNU: parallel --csv -k --pipe -N1 'echo R; cat' < c.csv (one block)
	run bparx --csv -k --pipe -N1 'echo R; cat' < c.csv
	[ "$output" = "$(lines R a,'"b' 'c"' '"x ""q"" y",2' z,w)" ]
	# From a pipe, cut the same way.
	run --separate-stderr bparx --csv -k --pipe --block 5 'echo R; cat' < <(cat c.csv)
	[ "$output" = "$(lines R a,'"b' 'c"' R '"x ""q"" y",2' R z,w)" ]
}

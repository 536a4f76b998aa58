#!/usr/bin/env bats
#
# gnu_misc: GNU parallel options beside the main ones: --bar without a
# terminal (the records its man page feeds to zenity), -j FILE (the
# number of jobs read from a file, again when it changes), --limit, --tty
# and --open-tty.  GNU parallel 20221122 is the oracle: the command each
# test compares with is in its comment.

load helpers

# zenity: stderr as the man page's recipe gives it to zenity
# (perl -pe 'BEGIN{$/="\r";$|=1};s/\r/\n/g'), with the spaces that pad
# each line to 80 columns cut and the seconds replaced by T.
zenity() {
	perl -pe 'BEGIN{$/="\r"} s/\r/\n/g' < "$1" | sed -E 's/ +$//;
	    s/ +(\x1b\[0m)/\1/g;
	    s/^#   [0-9]+ sec/#   T sec/; s/=[0-9dhms]+ /=T /'
}

# --bar without a terminal

@test "--bar, no terminal: no job gives one record, byte for byte" {
	# GNU: true | parallel --bar echo 2> err (less its /dev/tty messages)
	bparx --bar echo ::: > out 2> err
	[ ! -s out ]
	printf '\r\r%-80s\r0\r\033[7m\033[0m%-80s\033[0m\n' \
	    '#   0 sec ' '0% 0:0=0s ' > want
	cmp err want
}

@test "--bar, no terminal: a record when each job starts and ends" {
	# GNU: seq 3 | parallel -j1 --bar 'echo {}' (the same records, and
	# more of them while it waits)
	seq 3 | bparx -j1 --bar 'echo {}' > out 2> err
	[ "$(cat out)" = "$(lines 1 2 3)" ]
	zenity err > rec
	[ "$(grep -c . rec)" -eq 21 ]
	[ "$(grep -E '^[0-9.]+$' rec)" = "$(lines 0 33.3333333333333 \
	    33.3333333333333 66.6666666666667 66.6666666666667 100 100)" ]
	[ "$(grep '^#' rec | uniq)" = "$(lines '#   T sec 1' '#   T sec 2' \
	    '#   T sec 3')" ]
	[ "$(tail -n 1 rec)" = $'\033[7m100% 3:0=T 3\033[0m\033[0m' ]
	[ "$(tail -c 1 err | od -An -c | tr -d ' ')" = '\n' ]
}

@test "--bar, no terminal: the bar is reverse video up to the part done" {
	# GNU: parallel -j1 --bar true ::: a b (80 columns, 40 of them
	# reverse once one job of two is done)
	bparx -j1 --bar true ::: a b 2> err
	perl -ne 'BEGIN{$/="\r"} chomp; /^\e\[7m50%/ and print "$_\n"' < err |
	    head -n 1 > half
	perl -lne 'print index($_, "\e[0m") - 4, " ", length' < half > at
	[ "$(cat at)" = '40 92' ]
}

@test "--bar, no terminal: the values of the newest job, all of them" {
	# GNU: parallel -j1 -N2 --bar true ::: a b c d
	bparx -j1 -N2 --bar true ::: a b c d 2> err
	[ "$(zenity err | grep '^#' | uniq)" = "$(lines '#   T sec a b' \
	    '#   T sec c d')" ]
}

@test "--bar, no terminal: the recipe in GNU parallel's man page" {
	# GNU: seq 10 | parallel -j3 --bar '(echo {})' 2> >(perl -pe
	# 'BEGIN{$/="\r";$|=1};s/\r/\n/g' > z) | wc -l
	seq 10 | bparx -j3 --bar '(echo {})' 2> >(perl -pe \
	    'BEGIN{$/="\r";$|=1};s/\r/\n/g' > z) | wc -l > n
	[ "$(cat n)" = 10 ]
	wait_for z
	wait_lines z 85
	[ "$(grep -cE '^[0-9.]+$' z)" -eq 21 ]
	[ "$(grep -E '^[0-9.]+$' z | tail -n 1)" = 100 ]
}

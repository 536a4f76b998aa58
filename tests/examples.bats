#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
#
# examples: every example of README.md and of the man page runs, with this
# build's parx (and sem) first on PATH, in a scratch directory holding the
# files it needs, and gives what it says it gives.
#
# The examples are found where they are written:
#  - README.md: each line of a ```sh block is one example, or the whole
#    block when the line before it is "<!-- examples: one script -->";
#    a comment after a space ends a line, and is not part of the key.
#  - man/parx.1: each .EX block of the EXAMPLES section, and each .EX or
#    .nf block elsewhere after the line '.\" example: ...', is one script; its
#    lines that start with "$ " are the commands (with their "\"
#    continuations), the others the output they print, compared byte for
#    byte.
# check_readme and check_man know each example: they make its files, run
# it and check what it gives, or name why it cannot run here ("cannot
# run here: WHY", printed as a TAP comment).  An example they do not know
# fails the test, so none is ever left out silently.
#
# GNU parallel gives the same for the examples its options allow, with
# parallel in place of parx: the man page's outputs (parallel -k echo
# {1}{2} ::: a b c :::+ 1 2 3; parallel 'test {} -lt 3' ::: 1 2 3 4 5;
# echo $? -> 3; parallel --dry-run -k 'convert {} {/.}.png' ::: ...) and
# the README's first command (seq 8 | parallel -k --tag ...).

load helpers

SRC=$BATS_TEST_DIRNAME/..

setup_more() {
	mkdir "$TMP/bin" || return 1
	ln -s "$PARX" "$TMP/bin/parx" || return 1
	ln -s "$PARX" "$TMP/bin/sem" || return 1
	# Stand-ins for programs the examples call: they copy $1 to $2.
	printf '#!/bin/sh\ncp "$1" "$2"\n' > "$TMP/bin/lame"
	cp "$TMP/bin/lame" "$TMP/bin/convert"
	chmod +x "$TMP/bin/lame" "$TMP/bin/convert"
	PATH="$TMP/bin:$PATH"
	export PARALLEL="--mode=$PARX_MODE"
}

# readme_examples: the README's examples, each ended by a NUL.
readme_examples() {
	awk '
	/^<!-- examples: one script -->$/ { script = 1; next }
	/^```sh$/ { inside = 1; text = ""; next }
	inside && /^```$/ {
		if (script)
			printf "%s%c", text, 0
		inside = script = 0
		next
	}
	inside && script { text = text $0 "\n"; next }
	inside && NF {
		sub(/ +# .*$/, "")
		printf "%s%c", $0, 0
	}
	{ script = 0 }' "$SRC/README.md"
}

# man_examples: the man page's examples, each as its commands, a NUL, the
# output they print (or "-" when none is shown), a NUL.
man_examples() {
	sed 's/\\-/-/g; s/\\(aq/'"'"'/g; s/\\e/\\/g; s/^\\&//' \
	    "$SRC/man/parx.1" |
	awk '
	/^\.SH / { section = $0 == ".SH EXAMPLES" }
	/^\.\\" example: / { marked = 1; next }
	/^\.(EX|nf)$/ && (section || marked) {
		inside = 1; cmd = out = ""; prompt = 0; cont = 0; marked = 0
		next
	}
	{ marked = 0 }
	inside && /^\.(EE|fi)$/ {
		printf "%s%c%s%c", cmd, 0, prompt ? out : "-", 0
		inside = 0
		next
	}
	!inside { next }
	cont || /^\$ / {
		line = $0
		if (!cont && sub(/^\$ /, "", line))
			prompt = 1
		cmd = cmd line "\n"
		cont = line ~ /\\$/
		next
	}
	prompt { out = out $0 "\n"; next }
	{ cmd = cmd $0 "\n"; cont = $0 ~ /\\$/ }'
}

# cannot EXAMPLE WHY: an example that does not run here, and why.
cannot() {
	echo "# cannot run here: ${1//$'\n'/; } ($2)" >&3
}

# ex EXAMPLE: run it in bash; its output in out and err, its status in st.
ex() {
	st=0
	bounded bash -c "$1" > out 2> err || st=$?
}

# ex_ok EXAMPLE: run it; it must succeed and write no error.
ex_ok() {
	ex "$1"
	[ "$st" -eq 0 ] || { cat err; return 1; }
	[ ! -s err ] || { cat err; return 1; }
}

# logs: two log files with ERROR lines (2 and 1) among others.
logs() {
	printf 'ok\nERROR x\nERROR y\n' > a.log
	printf 'ERROR z\nok\n' > b.log
	cp a.log a.log.orig
	cp b.log b.log.orig
}

# gunzipped FILE...: each FILE.gz holds what FILE held.
gunzipped() {
	local f
	for f; do
		[ ! -e "$f" ]
		[ "$(gzip -dc "$f.gz" | od -c)" = "$(od -c < "$f.orig")" ]
	done
}

# parset_ok EXAMPLE: the parset example sets the variables it names.
parset_ok() {
	# make install puts parset.sh there; here it comes from the tree
	ex_ok "$(sed "s|/usr/.*share/parx/parset.sh|$SRC/shell/parset.sh|" <<< "$1")"'
	    printf "%s|" "$a" "$b" "$c" "${arr[@]}" "$kernel" "$host"'
	# arr holds the outputs of seq 1, seq 2 and seq 3
	[ "$(cat out)" = "x|y|z|1|1"$'\n'"2|1"$'\n'"2"$'\n'"3|$(uname -r)|$(hostname)|" ]
}

# env_parx_ok EXAMPLE: the env_parx example runs the function it defines.
env_parx_ok() {
	# make install puts env_parx.sh there; here it comes from the tree
	ex_ok "$(sed "s|/usr/.*share/parx/env_parx.sh|$SRC/shell/env_parx.sh|" <<< "$1")"
	[ "$(cat out)" = "$(lines 'hello world' 'hello you' 'hello me')" ]
}

# check_readme EXAMPLE: run one README example and check it, or say why
# it cannot run here.
check_readme() {
	local e=$1
	case $e in
	'apt-get install -y gcc make zlib1g-dev && make && seq 8 | build/parx -k --tag '*)
		cannot "$e" "installs packages; the part after make runs below"
		mkdir build
		ln -s "$PARX" build/parx
		ex_ok "${e#*make && }"
		# each value tagged, with its square, in input order
		[ "$(cat out)" = "$(for i in $(seq 8); do printf '%s\t%s\n' $i $((i * i)); done)" ] ;;
	'make test'|'make bench'|'make && sudo make install'|\
	'make install PREFIX=/usr DESTDIR=/tmp/stage'|'sudo make uninstall'|\
	'make asan'|'make tsan'|'make fuzz'|'make valgrind'|\
	'make bench-builds PARX_BEFORE=/path/to/old/parx'|'.ci/run')
		cannot "$e" "builds or runs the suite itself (make test and .ci/run do that); install.bats installs and uninstalls" ;;
	'tests/deb-check'|'apt-get install build-essential debhelper zlib1g-dev'|\
	'dpkg-buildpackage -us -uc -b'|\
	'sudo apt install ../parx_0.1.0_amd64.deb ../parx-sem_0.1.0_all.deb')
		cannot "$e" "the Debian packages: tests/deb-check builds, installs and tries them" ;;
	'cc $(pkg-config --cflags parx) -shared -fPIC -o plugin.so examples/plugin.c')
		cannot "$e" "needs parx installed for pkg-config; install.bats builds the plugin so" ;;
	'parx --func ./plugin.so:upper ::: hello')
		cp "$PARX_PLUGIN" plugin.so
		ex_ok "$e"
		[ "$(cat out)" = HELLO ] ;;
	'source completions/parx.bash')
		mkdir completions
		cp "$SRC/completions/parx.bash" completions/
		ex_ok "$e; complete -p parx" ;;
	'fpath=($PWD/completions $fpath); compinit'|'source completions/parx.fish')
		cannot "$e" "zsh and fish: completion.bats loads both" ;;
	*'parset.sh'*'parset a,b,c echo ::: x y z'*)
		parset_ok "$e" ;;
	*'env_parx.sh'*'env_parx -k greet ::: world you'*)
		env_parx_ok "$e" ;;
	'parx gzip ::: *.log'|'parx --func gzip ::: *.log')
		logs
		ex_ok "$e"
		gunzipped a.log b.log ;;
	"find . -name '*.wav' -print0 | parx -0 'lame {} {.}.mp3'")
		mkdir music
		echo a > 'music/a b.wav'
		printf 'c\n' > "music/it's.wav"
		ex_ok "$e"
		[ "$(cat 'music/a b.mp3')" = a ]
		[ "$(cat "music/it's.mp3")" = c ] ;;
	"parx -j4 -k 'curl -s {} | wc -c' < urls.txt")
		# file: URLs stand in for the web
		for i in 1 2 3 4 5; do
			head -c $((i * 1000)) /dev/zero > page$i
			echo "file://$PWD/page$i"
		done > urls.txt
		ex_ok "$e"
		[ "$(cat out)" = "$(lines 1000 2000 3000 4000 5000)" ] ;;
	'parx echo {1} {2} ::: a b ::: 1 2')
		ex_ok "$e"
		[ "$(sort out)" = "$(lines 'a 1' 'a 2' 'b 1' 'b 2')" ] ;;
	'parx echo {1} {2} ::: a b :::+ 1 2')
		ex_ok "$e"
		[ "$(sort out)" = "$(lines 'a 1' 'b 2')" ] ;;
	"parx --tag 'grep -c ERROR' ::: *.log")
		logs
		ex_ok "$e"
		[ "$(sort out)" = "$(printf 'a.log\t2\nb.log\t1')" ] ;;
	'parx --dry-run mv {} {.}.bak ::: *.txt')
		touch a.txt 'b c.txt'
		ex_ok "$e"
		[ "$(sort out)" = "$(lines "mv 'b c.txt' 'b c'.bak" 'mv a.txt a.bak' | sort)" ]
		[ -e a.txt ]
		[ ! -e a.bak ] ;;
	'parx --mode=thread -j8 convert {} {/.}.png ::: img/*.tif')
		mkdir img
		echo 1 > img/a.tif
		echo 2 > img/b.tif
		ex_ok "$e"
		[ "$(cat a.png b.png)" = "$(lines 1 2)" ] ;;
	"find . -name '*.o' | parx -X rm")
		mkdir sub
		touch a.o sub/b.o keep.c
		ex_ok "$e"
		[ "$(find . -name '*.o' | wc -l)" -eq 0 ]
		[ -e keep.c ] ;;
	"parx -k --pipe --block 10M 'gzip -1' < big.log > big.log.gz")
		# three blocks: their archives must come in order
		seq 3000000 > big.log
		cp big.log big.log.orig
		ex_ok "$e"
		rm big.log
		gunzipped big.log ;;
	"parx --pipe-part -a big.csv --header : 'grep -c x'")
		{ echo 'name,value'; for i in $(seq 3000); do echo "x$i,$i"; echo "y$i,$i"; done; } > big.csv
		ex_ok "$e"
		# every block gets the header, which has no x
		[ "$(awk '{ s += $1 } END { print s }' out)" -eq 3000 ] ;;
	*'sem -j4 --id gz gzip "$f"'*)
		logs
		printf '#!/bin/sh\necho migrated\nexit 3\n' > migrate.sh
		chmod +x migrate.sh
		ex "$e"
		# sem --fg gives the job's status, and its output
		[ "$st" -eq 3 ]
		[ "$(cat out)" = migrated ]
		gunzipped a.log b.log ;;
	'parx -S '*|'parx --slf hosts.txt '*|'parx --nonall '*|'parx --onall '*|\
	'myfunc() { echo "$1 on $(hostname)"; }; export -f myfunc')
		cannot "$e" "ssh to hosts that are not here; ssh.bats and onall.bats run these options against a local sshd" ;;
	*'#SBATCH'*)
		cannot "$e" "needs a Slurm allocation; slurm.bats and slurm-nodes.bats run --slf slurm in real ones of one and two nodes" ;;
	'parx --func ./plugin.so:wordcount ::: *.txt')
		cp "$PARX_PLUGIN" plugin.so
		printf 'one two\nthree\n' > a.txt
		ex_ok "$e"
		[ "$(cat out)" = "2 3 14 a.txt" ] ;;
	'parx --stats --func spin ::: 10 10 10 10')
		ex "$e"
		[ "$st" -eq 0 ]
		[ -s err ] ;;
	'seq 100000 | parx --compare --func echo')
		cannot "$e" "a measurement: 32 runs of 100,000 jobs in each mode, minutes on a busy machine; compare.bats runs --compare" ;;
	*)
		echo "README example with no check and no reason: $e"
		return 1 ;;
	esac
}

# check_man COMMANDS: check a man page example whose output is not
# shown, or say why it cannot run here.
check_man() {
	local e=$1
	case $e in
	$'parx -j4 gzip ::: *.log\n')
		logs
		ex_ok "$e"
		gunzipped a.log b.log ;;
	$'parx mv {} {.}.text ::: *.txt\n')
		echo 1 > a.txt
		echo 2 > 'b c.txt'
		ex_ok "$e"
		[ "$(cat a.text 'b c.text')" = "$(lines 1 2)" ]
		[ ! -e a.txt ] ;;
	"find . -name '*.c' -print0 | parx -0 --tag 'wc -l < {}'"$'\n')
		printf '1\n2\n3\n' > "it's here.c"
		printf '1\n' > a.c
		ex_ok "$e"
		[ "$(sort out)" = "$(printf "./a.c\t1\n./it's here.c\t3")" ] ;;
	$'parx -j2 < commands.txt\n')
		printf 'echo a > a\necho b > b\necho c > c\n' > commands.txt
		ex_ok "$e"
		[ "$(cat a b c)" = "$(lines a b c)" ] ;;
	"parx --lb --tagstring '[{#}]' \\"*)
		ex_ok "$e"
		# both start at once, then end in the order of their sleeps
		[ "$(head -n 2 out | sort)" = "$(printf '[1]\tstart 2\n[2]\tstart 1')" ]
		[ "$(tail -n 2 out)" = "$(printf '[2]\tend 1\n[1]\tend 2')" ] ;;
	'seq 1000 | parx --mode=thread -j0 --termseq INT,1000,KILL \'*)
		ex_ok "$e"
		[ "$(sort -n out)" = "$(seq 1000)" ] ;;
	*'parset.sh'*'parset a,b,c echo ::: x y z'*)
		parset_ok "$e" ;;
	*'env_parx.sh'*'env_parx -k greet ::: world you'*)
		env_parx_ok "$e" ;;
	'seq 1000 | parx -j30 --bar '*zenity*)
		cannot "$e" "zenity needs a display; gnu_misc.bats checks the records it reads" ;;
	'#!/usr/bin/parx --shebang -r wget'*)
		# a stand-in for wget, and this build's parx on the #! line
		printf '#!/bin/sh\necho "$1" >> fetched\n' > "$TMP/bin/wget"
		chmod +x "$TMP/bin/wget"
		sed "1s|/usr/bin/parx|$TMP/bin/parx|" <<< "$e" > script
		chmod +x script
		ex_ok ./script
		[ "$(sort fetched)" = "$(lines https://example.com/a.tar.gz https://example.com/b.tar.gz)" ] ;;
	'#!/usr/bin/parx --shebang-wrap -k /usr/bin/perl'*)
		sed "1s|/usr/bin/parx|$TMP/bin/parx|" <<< "$e" > script
		chmod +x script
		ex_ok './script a b'
		[ "$(cat out)" = "$(lines 'Arguments a' 'Arguments b')" ] ;;
	*)
		echo "man page example with no check and no reason: $e"
		return 1 ;;
	esac
}

@test "README: every example runs and gives what it says" {
	local e n=0
	while IFS= read -r -d '' e; do
		n=$((n + 1))
		mkdir "$TMP/r$n"
		cd "$TMP/r$n"
		echo "README example $n: $e"
		check_readme "$e"
	done < <(readme_examples)
	# as many as the README holds today, or more
	[ "$n" -ge 50 ]
}

@test "man page: every example runs and gives what it says" {
	local e want n=0
	while IFS= read -r -d '' e && IFS= read -r -d '' want; do
		n=$((n + 1))
		mkdir "$TMP/m$n"
		cd "$TMP/m$n"
		echo "man page example $n: $e"
		if [ "$want" = - ]; then
			check_man "$e"
			continue
		fi
		ex_ok "$e"
		[ "$(cat out)" = "${want%$'\n'}" ]
	done < <(man_examples)
	[ "$n" -ge 16 ]
}

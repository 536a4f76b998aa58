#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
#
# version: --version names the version, the copyright and license, then
# what this build and machine give parx (Features:) and how it was built
# (Build:).  GNU parallel's --version (parallel --version) has the first
# two but no such lists: these lines are parx's own.

load helpers

# field NAME: the items of the "NAME:" list of $output, its continued
# lines joined, one item a line.
field() {
	printf '%s\n' "$output" |
	    awk -v name="$1:" '
		$1 == name { on = 1; sub(/^[^:]*: /, ""); s = $0; next }
		on && /^  / { sub(/^  /, ""); s = s " " $0; next }
		{ on = 0 }
		END { print s }' |
	    sed 's/, /\n/g'
}

# fake_tool DIR NAME: an executable file DIR/NAME.
fake_tool() {
	mkdir -p "$1"
	printf '#!/bin/sh\nexit 0\n' > "$1/$2"
	chmod +x "$1/$2"
}

@test "--version: the version, the copyright and the license first, exit status 0" {
	run bparx --version
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" =~ ^parx\ [0-9]+\.[0-9]+\.[0-9]+$ ]]
	[ "${lines[1]}" = "Copyright (c) 2026 The parx authors." ]
	[ "${lines[2]}" = "ISC license: free to use, copy, modify and distribute; no warranty." ]
	[[ "${lines[3]}" == "Features: "* ]]
	run bparx -V
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "$(bparx --version | head -n 1)" ]
}

@test "--version: the zlib named is the one parx runs with" {
	lib=$(ldd "$PARX" | awk '$1 ~ /^libz\.so/ { print $3 }')
	[ -n "$lib" ]
	real=$(readlink -f "$lib")
	want=${real##*/libz.so.}
	run bparx --version
	[ "$status" -eq 0 ]
	run field Features
	[ "${lines[0]}" = "zlib $want for --func gzip" ]
}

@test "--version: perl, ssh and rsync are the files PATH gives, or said to be missing" {
	fake_tool bin perl
	fake_tool bin2 ssh
	fake_tool bin2 perl
	mkdir -p bin3/rsync		# a directory is not a program
	printf 'x\n' > bin/rsync	# nor a file that cannot be run
	run env PATH="$TMP/bin3:$TMP/bin:$TMP/bin2" "$PARX" --version
	[ "$status" -eq 0 ]
	run field Features
	[ "$output" = "$(lines "${lines[0]}" \
	    "perl for {= =} ($TMP/bin/perl)" \
	    "ssh for -S ($TMP/bin2/ssh)" \
	    'no rsync for --transfer (not in PATH)' \
	    '--func plugins (API 1)')" ]
}

@test "--version: with PARALLEL_SSH set, the ssh of -S is that command" {
	run env PARALLEL_SSH='ssh -p 2222' "$PARX" --version
	[ "$status" -eq 0 ]
	run field Features
	[ "${lines[2]}" = 'ssh for -S ($PARALLEL_SSH: ssh -p 2222)' ]
	run env PARALLEL_SSH= PATH=/nonexistent "$PARX" --version
	[ "$status" -eq 0 ]
	run field Features
	[ "${lines[2]}" = 'no ssh for -S (not in PATH)' ]
}

@test "--version: an empty entry of PATH is the current directory, as for execvp" {
	fake_tool . ssh
	run env PATH="/nonexistent::" "$PARX" --version
	[ "$status" -eq 0 ]
	run field Features
	[ "${lines[1]}" = 'no perl for {= =} (not in PATH)' ]
	[ "${lines[2]}" = 'ssh for -S (./ssh)' ]
}

@test "--version: Build names the compiler and the sanitizer of a sanitizer build" {
	run bparx --version
	[ "$status" -eq 0 ]
	run field Build
	[[ "${lines[0]}" =~ ^(gcc|clang)\ [0-9] ]]
	case ${PARX_SANITIZER:-} in
	asan) printf '%s\n' "$output" | grep -qx AddressSanitizer ;;
	tsan) printf '%s\n' "$output" | grep -qx ThreadSanitizer ;;
	*) ! printf '%s\n' "$output" | grep -q Sanitizer ;;
	esac
}

@test "--version: no line is longer than 79 columns, even with a long PATH entry" {
	d=$TMP/$(printf 'd%.0s' $(seq 60))
	fake_tool "$d" perl
	run env PATH="$d:$PATH" "$PARX" --version
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" | awk 'length > 79 && !/\/ddddd/ { bad = 1 } END { exit bad }'
	run field Features
	[ "${lines[1]}" = "perl for {= =} ($d/perl)" ]
}

#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
#
# docs: the man page and --help-all name every long option parx accepts,
# --help every one but the aliases, and the documentation is well-formed.

load helpers

# The long options of parx's option table (cmd/parx.c), as the hidden
# --internal-list-options prints them, but for --internal-*, which
# --compare passes to the parx runs it starts and nobody else uses.
long_options() {
	"$PARX" --internal-list-options | grep -v '^internal-'
}

@test "the option table is found" {
	run "$PARX" --internal-list-options
	[ "$status" -eq 0 ]
	[ "$(long_options | wc -l)" -gt 90 ]
}

@test "the man page describes every long option" {
	local man="$BATS_TEST_DIRNAME/../man/parx.1" o missing=
	# groff writes '-' as '\-' in the source.
	for o in $(long_options); do
		grep -q -- "\\\\-\\\\-${o//-/\\\\-}\\b" "$man" ||
		    missing="$missing --$o"
	done
	[ -z "$missing" ] || { echo "not in man/parx.1:$missing"; return 1; }
}

@test "--help-all names every long option" {
	local o missing=
	run "$PARX" --help-all
	[ "$status" -eq 0 ]
	for o in $(long_options); do
		grep -q -- "--$o\b" <<< "$output" || missing="$missing --$o"
	done
	[ -z "$missing" ] || { echo "not in --help-all:$missing"; return 1; }
}

# --help fits a screen: its sections show the options most used and name
# the others, all but their other names (aliases), which --help-all and
# the man page give.
@test "--help: under 60 lines, in sections, naming every option but aliases" {
	local o missing=
	run "$PARX" --help
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -le 60 ]
	[ "$(grep -x '[A-Z][a-z ]*:' <<< "$output" | tr '\n' ' ')" = \
	    "Input: Command: Output: Scheduling: Job control: Remote: Measurement: Other: " ]
	[ "${lines[-1]}" = "Every option: parx --help-all; all about them: man parx." ]
	[ "$(awk 'length > 79' <<< "$output")" = "" ]
	for o in $("$PARX" --internal-list-options=main | grep -v '^internal-'); do
		grep -q -- "--$o\b" <<< "$output" || missing="$missing --$o"
	done
	[ -z "$missing" ] || { echo "not in --help:$missing"; return 1; }
}

@test "the man page renders without a warning and holds no merge markers" {
	local man="$BATS_TEST_DIRNAME/../man/parx.1"
	run grep -n -E '^(<<<<<<<|=======|>>>>>>>)' "$man" \
	    "$BATS_TEST_DIRNAME/../README.md"
	[ "$status" -eq 1 ]
	command -v groff > /dev/null || skip "no groff"
	run groff -man -ww -z "$man"
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
}

@test "every source file names its license, and LICENSE holds it" {
	local top="$BATS_TEST_DIRNAME/.." f missing=
	grep -q '^Permission to use, copy, modify, and distribute' "$top/LICENSE"
	for f in $(cd "$top" && git ls-files 2>/dev/null |
	    grep -E '\.(c|h|sh|bats|bash)$|^Makefile$|^tests/[a-z-]+$|^(\.ci|bench|tests/fuzz)/run(-all)?$'); do
		grep -q 'SPDX-License-Identifier: ISC' "$top/$f" ||
		    missing="$missing $f"
	done
	[ -z "$missing" ] || { echo "no SPDX line:$missing"; return 1; }
	run "$PARX" --version
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "Copyright (c) 2026 The parx authors." ]
}

#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
#
# build: the Makefile of the source tree this file is in, one object at a
# time into the test's own directory (B=): the builder's CPPFLAGS, CFLAGS
# and LDFLAGS are added to parx's flags, not put in their place; the
# hardening flags; -Werror only when asked; one quiet line per file unless
# V=1; a change of flags makes the object again.  (GNU parallel has no C
# build to compare with.)

load helpers

setup_more() {
	unset MAKEFLAGS MFLAGS MAKELEVEL CFLAGS CPPFLAGS LDFLAGS
	SRC="$BATS_TEST_DIRNAME/.."
}

# bmake ARGS: make in the source tree, building into $TMP/b.
bmake() {
	bounded make -C "$SRC" --no-print-directory B="$TMP/b" "$@"
}

@test "make CPPFLAGS=-DNDEBUG CFLAGS=-O0: the builder's flags come after parx's own, which stay" {
	# before, they took the place of the feature-test macros: mkostemp,
	# stack_t and O_CLOEXEC were undeclared
	run bmake V=1 CPPFLAGS=-DNDEBUG CFLAGS=-O0 "$TMP/b/obj/sys.o"
	[ "$status" -eq 0 ]
	[ -f b/obj/sys.o ]
	line=$(printf '%s\n' "$output" | grep -- ' -c -o ')
	[[ "$line" == *" -D_GNU_SOURCE -D_POSIX_C_SOURCE=200809L"*" -DNDEBUG"*" -O2"*" -O0 "* ]]
	[[ "$line" == *" -fstack-protector-strong "* ]]
	[[ "$line" == *" -fPIE "* ]]
	# _FORTIFY_SOURCE needs optimisation, and -O0 came last
	[[ "$line" != *FORTIFY* ]]
	[[ "$line" != *-Werror* ]]
}

@test "the default flags: _FORTIFY_SOURCE=2 with -O2, not twice when the builder sets it; -Werror with WERROR" {
	run bmake V=1 WERROR=-Werror "$TMP/b/obj/sig.o"
	[ "$status" -eq 0 ]
	line=$(printf '%s\n' "$output" | grep -- ' -c -o ')
	[[ "$line" == *" -U_FORTIFY_SOURCE -D_FORTIFY_SOURCE=2"*" -O2 "* ]]
	[[ "$line" == *" -Werror "* ]]
	run bmake V=1 CPPFLAGS=-D_FORTIFY_SOURCE=3 "$TMP/b/obj/sig.o"
	[ "$status" -eq 0 ]
	line=$(printf '%s\n' "$output" | grep -- ' -c -o ')
	[ "$(printf '%s\n' "$line" | grep -o 'FORTIFY_SOURCE=[0-9]')" = FORTIFY_SOURCE=3 ]
	run bmake V=1 HARDEN= "$TMP/b/obj/sig.o"
	[ "$status" -eq 0 ]
	line=$(printf '%s\n' "$output" | grep -- ' -c -o ')
	[[ "$line" != *FORTIFY* ]]
	[[ "$line" != *-fstack-protector* ]]
	[[ "$line" != *-fPIE* ]]
}

@test "make is quiet: one line a file, the command with V=1; the same flags make nothing again, other flags make it again" {
	run bmake "$TMP/b/obj/sig.o"
	[ "$status" -eq 0 ]
	[ "$output" = "  CC       src/control/sig.c" ]
	run bmake "$TMP/b/obj/sig.o"
	[ "$status" -eq 0 ]
	[[ "$output" != *sig.c* ]]
	run bmake CFLAGS=-g3 "$TMP/b/obj/sig.o"
	[ "$status" -eq 0 ]
	[ "$output" = "  CC       src/control/sig.c" ]
	run bmake V=1 CFLAGS=-g3 -B "$TMP/b/obj/sig.o"
	[ "$status" -eq 0 ]
	[[ "$output" == *" -g3 "*" -c -o $TMP/b/obj/sig.o src/control/sig.c"* ]]
}

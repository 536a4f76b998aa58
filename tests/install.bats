#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
#
# install: make install and make uninstall of the source tree this file is
# in, with DESTDIR into the test's own directory: the files and their
# modes, parx.pc, a plugin built against the installed header through
# pkg-config and run by the installed parx, and an uninstall that leaves
# nothing it made.  (GNU parallel has no make install of its own to
# compare with: these are the GNU coding standards' install targets.)
#
# setup_file builds parx once, from the tree, into a directory of its own
# (B=), so the tree's build/ is left alone; make's variables of a make
# that runs this file (make test) are not passed on.

load helpers

setup_file() {
	unset MAKEFLAGS MFLAGS MAKELEVEL CFLAGS CPPFLAGS LDFLAGS
	export SRC="$BATS_TEST_DIRNAME/.."
	export BUILD="$BATS_FILE_TMPDIR/build"
	make -s -C "$SRC" B="$BUILD" "$BUILD/parx" > "$BATS_FILE_TMPDIR/make.log" 2>&1 || {
		cat "$BATS_FILE_TMPDIR/make.log"
		return 1
	}
}

setup_more() {
	[ -z "${PARX_SANITIZER:-}" ] ||
	    skip "make install builds and installs a plain parx, not the sanitizer's"
	unset MAKEFLAGS MFLAGS MAKELEVEL CFLAGS CPPFLAGS LDFLAGS
	umask 022
}

# pmake ARGS: make in the source tree with the file's build directory.
pmake() {
	bounded make -s -C "$SRC" B="$BUILD" "$@"
}

# tree DIR: what is under DIR, one path a line with its type and mode
# (symbolic links with their target).
tree() {
	(cd "$1" && find . -mindepth 1 \( -type l -printf '%p -> %l\n' \) -o \
	    \( -printf '%p %y %m\n' \)) | sort
}

@test "make install puts parx, sem, the man pages, the plugin header, parx.pc and the completions under DESTDIR and PREFIX" {
	run pmake install DESTDIR="$TMP/root" PREFIX=/usr
	[ "$status" -eq 0 ]
	run tree root
	[ "$output" = "$(lines \
	    './usr d 755' \
	    './usr/bin d 755' \
	    './usr/bin/parx f 755' \
	    './usr/bin/sem -> parx' \
	    './usr/include d 755' \
	    './usr/include/parx d 755' \
	    './usr/include/parx/plugin.h f 644' \
	    './usr/share d 755' \
	    './usr/share/bash-completion d 755' \
	    './usr/share/bash-completion/completions d 755' \
	    './usr/share/bash-completion/completions/parx f 644' \
	    './usr/share/bash-completion/completions/sem -> parx' \
	    './usr/share/fish d 755' \
	    './usr/share/fish/vendor_completions.d d 755' \
	    './usr/share/fish/vendor_completions.d/parx.fish f 644' \
	    './usr/share/fish/vendor_completions.d/sem.fish -> parx.fish' \
	    './usr/share/man d 755' \
	    './usr/share/man/man1 d 755' \
	    './usr/share/man/man1/parx.1 f 644' \
	    './usr/share/man/man1/sem.1 f 644' \
	    './usr/share/parx d 755' \
	    './usr/share/parx/env_parx.sh f 644' \
	    './usr/share/parx/installed-dirs f 644' \
	    './usr/share/parx/parset.sh f 644' \
	    './usr/share/pkgconfig d 755' \
	    './usr/share/pkgconfig/parx.pc f 644' \
	    './usr/share/zsh d 755' \
	    './usr/share/zsh/vendor-completions d 755' \
	    './usr/share/zsh/vendor-completions/_parx f 644')" ]
	cmp "$SRC/completions/parx.bash" root/usr/share/bash-completion/completions/parx
	cmp "$SRC/include/parx/plugin.h" root/usr/include/parx/plugin.h
	cmp "$SRC/man/parx.1" root/usr/share/man/man1/parx.1
	cmp "$SRC/shell/parset.sh" root/usr/share/parx/parset.sh
	cmp "$SRC/shell/env_parx.sh" root/usr/share/parx/env_parx.sh
	[ "$(cat root/usr/share/man/man1/sem.1)" = '.so man1/parx.1' ]
	run root/usr/bin/parx --version
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "parx $(sed -n 's/^Version: //p' root/usr/share/pkgconfig/parx.pc)" ]
	run bounded root/usr/bin/parx --mode="$PARX_MODE" -k echo ::: a b
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines a b)" ]
}

@test "the parx make builds passes hardening-check" {
	command -v hardening-check > /dev/null ||
	    skip "no hardening-check (apt-get install devscripts)"
	# Debian 12's C start files carry no CET marks, so that no program
	# linked here is marked for control-flow protection (hardening-check
	# says the same of /usr/bin/ssh): that check is left out.
	run hardening-check --nocfprotection "$BUILD/parx"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 8 ]
	[ "$(printf '%s\n' "$output" | grep -c ': yes')" -eq 6 ]
}

@test "parx.pc names PREFIX and the header's directory" {
	run pmake install DESTDIR="$TMP/root" PREFIX=/opt/parx
	[ "$status" -eq 0 ]
	run grep -v '^Version:' root/opt/parx/share/pkgconfig/parx.pc
	[ "$output" = "$(lines 'prefix=/opt/parx' 'includedir=${prefix}/include' '' \
	    'Name: parx' \
	    'Description: the interface of parx --func plugins (parx/plugin.h)' \
	    'Cflags: -I${includedir}')" ]
	run pmake install DESTDIR="$TMP/root2" PREFIX=/usr INCLUDEDIR=/usr/include/x
	[ "$status" -eq 0 ]
	[ -f root2/usr/include/x/parx/plugin.h ]
	run grep includedir= root2/usr/share/pkgconfig/parx.pc
	[ "$output" = 'includedir=${prefix}/include/x' ]
	run pmake install DESTDIR="$TMP/root3" PREFIX=/usr INCLUDEDIR=/inc
	[ "$status" -eq 0 ]
	run grep includedir= root3/usr/share/pkgconfig/parx.pc
	[ "$output" = 'includedir=/inc' ]
}

@test "the example plugin builds with pkg-config against the installed header, and the installed parx runs it" {
	command -v pkg-config > /dev/null || skip "no pkg-config (apt-get install pkg-config)"
	run pmake install DESTDIR="$TMP/root" PREFIX=/usr
	[ "$status" -eq 0 ]
	export PKG_CONFIG_PATH="$TMP/root/usr/share/pkgconfig"
	export PKG_CONFIG_SYSROOT_DIR="$TMP/root"
	run pkg-config --cflags parx
	[ "$status" -eq 0 ]
	[ "${output% }" = "-I$TMP/root/usr/include" ]	# pkgconf ends it with a space
	# the source tree's include/ is not on the path: only the installed
	# header can be found
	cp "$SRC/examples/plugin.c" .
	cc $(pkg-config --cflags parx) -shared -fPIC -o plugin.so plugin.c
	run bounded root/usr/bin/parx --mode="$PARX_MODE" -k --func ./plugin.so:upper ::: ab 'c d'
	[ "$status" -eq 0 ]
	[ "$output" = "$(lines AB 'C D')" ]
	run bounded root/usr/bin/parx --mode="$PARX_MODE" --func ./plugin.so:fail ::: 3
	[ "$status" -eq 1 ]
}

@test "make uninstall removes every file installed and the directories made for them, and keeps the others" {
	mkdir -p root/usr/bin root/usr/share/man/man1
	echo other > root/usr/bin/other
	before=$(tree root)
	[ "$(echo "$before" | wc -l)" -eq 6 ]
	run pmake install DESTDIR="$TMP/root" PREFIX=/usr
	[ "$status" -eq 0 ]
	[ -x root/usr/bin/parx ]
	# a second install over the first changes nothing of what uninstall does
	run pmake install DESTDIR="$TMP/root" PREFIX=/usr
	[ "$status" -eq 0 ]
	run pmake uninstall DESTDIR="$TMP/root" PREFIX=/usr
	[ "$status" -eq 0 ]
	run tree root
	[ "$output" = "$before" ]
}

@test "make uninstall into an empty DESTDIR leaves it empty" {
	run pmake install DESTDIR="$TMP/root" PREFIX=/usr
	[ "$status" -eq 0 ]
	run pmake uninstall DESTDIR="$TMP/root" PREFIX=/usr
	[ "$status" -eq 0 ]
	run find root
	[ "$output" = root ]
}

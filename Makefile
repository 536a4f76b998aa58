# SPDX-License-Identifier: ISC
# parx — build, test, install.
#
#   make              build build/parx (hardened; V=1 shows the commands)
#   make test         build with -Werror, run the bats suite in both modes
#                     (installs bats if missing)
#   make bench        run the benchmarks under bench/
#   make bench-builds PARX_BEFORE=OLD   this build against another, same rounds
#   make asan         ASan+UBSan build in build-asan/, the suite in both modes
#   make tsan         TSan build in build-tsan/, the suite in thread mode
#                     (asan-build, tsan-build: the build alone)
#   make fuzz         build the libFuzzer targets, run each FUZZ_SECONDS
#   make valgrind     memcheck of a representative workload, both modes
#   make pictures     doc/timeline.svg and doc/compare.svg, the README's
#                     pictures, from real runs
#   make install      install parx, sem, the man pages, the plugin header
#                     (parx/plugin.h), parx.pc, the shell completions and
#                     the parset and env_parx functions
#                     (share/parx/parset.sh, share/parx/env_parx.sh)
#                     under $(DESTDIR)$(PREFIX)
#   make uninstall    remove them, and the directories made for them
#   make completions  write completions/ again from the option table
#
# CPPFLAGS, CFLAGS, LDFLAGS: added after parx's own flags (as
# dpkg-buildflags expects).  OPT: the optimisation (-O2).  WERROR=-Werror:
# warnings fail the build (make test and the sanitizer builds set it).
# HARDEN=: no hardening flags.  B=DIR: build into DIR instead of build/.

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share
MANDIR ?= $(DATADIR)/man
INCLUDEDIR ?= $(PREFIX)/include
PKGCONFIGDIR ?= $(DATADIR)/pkgconfig
# Where make install notes the directories it made, for make uninstall to
# remove when empty; DIRS_LOG= notes none (a package's files list them).
DIRS_LOG ?= $(DATADIR)/parx/installed-dirs

# The version, from the one place that defines it.
VERSION := $(shell sed -n 's/^\#define PARX_VERSION "\(.*\)"/\1/p' cmd/parx.c)

# CPPFLAGS, CFLAGS and LDFLAGS, from the environment or make's command line,
# are the builder's (dpkg-buildflags sets them): they come after what parx
# needs, which lives in the PARX_ variables below, so they add to it and
# can override it (a later -O wins), never take away what parx needs.
CC ?= cc
OPT ?= -O2
CPPFLAGS ?=
CFLAGS ?=
LDFLAGS ?=
# -Werror for the test, CI and sanitizer builds only (make test sets it):
# a user's build must not break on the next compiler's new warning.
WERROR ?=
# HARDEN= leaves out the hardening flags (the sanitizer builds do).
HARDEN ?= 1

# _FORTIFY_SOURCE needs optimisation: the last -O given decides; and it is
# not set twice when the builder's flags set it.
OPT_LAST := $(lastword $(filter -O%,$(OPT) $(CFLAGS)))
FORTIFY_GIVEN := $(findstring _FORTIFY_SOURCE,$(CPPFLAGS) $(CFLAGS))
FORTIFY := $(if $(filter-out -O0,$(OPT_LAST)),$(if $(FORTIFY_GIVEN),, \
	-U_FORTIFY_SOURCE -D_FORTIFY_SOURCE=2))
# -fcf-protection (x86's control-flow enforcement) where the compiler has it.
CF_PROTECTION := $(shell $(CC) -fcf-protection -E -x c /dev/null \
	>/dev/null 2>&1 && echo -fcf-protection)
HARDEN_ALL_CFLAGS := -fstack-protector-strong -fstack-clash-protection \
	$(CF_PROTECTION)
HARDEN_ALL_LDFLAGS := -Wl,-z,relro -Wl,-z,now
HARDEN_CPPFLAGS := $(if $(HARDEN),$(FORTIFY))
HARDEN_CFLAGS := $(if $(HARDEN),$(HARDEN_ALL_CFLAGS))
HARDEN_EXE_CFLAGS := $(if $(HARDEN),-fPIE)
HARDEN_LDFLAGS := $(if $(HARDEN),$(HARDEN_ALL_LDFLAGS))
HARDEN_EXE_LDFLAGS := $(if $(HARDEN),-pie)

# The one place where feature-test macros are set: POSIX 2008 plus the
# GNU extensions that src/core/sys.c wraps.
PARX_CPPFLAGS := -D_GNU_SOURCE -D_POSIX_C_SOURCE=200809L $(HARDEN_CPPFLAGS)
PARX_CFLAGS := $(OPT) -g -std=c11 -Wall -Wextra $(WERROR) -Wshadow \
	-Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter \
	-pthread $(HARDEN_CFLAGS) $(SANFLAGS)
PARX_LDFLAGS := -pthread $(HARDEN_LDFLAGS) $(SANFLAGS)
LDLIBS += -ldl -lz -lm

# What compiles and links parx, its test tool and fuzz targets; what
# compiles a plugin.
ALL_CFLAGS = $(PARX_CPPFLAGS) $(CPPFLAGS) $(PARX_CFLAGS) \
	$(HARDEN_EXE_CFLAGS) $(CFLAGS)
ALL_LDFLAGS = $(PARX_LDFLAGS) $(HARDEN_EXE_LDFLAGS) $(LDFLAGS)
SO_CFLAGS = $(PARX_CPPFLAGS) $(CPPFLAGS) $(PARX_CFLAGS) $(CFLAGS) -fPIC
SO_LDFLAGS = $(PARX_LDFLAGS) $(LDFLAGS) -shared

# Quiet by default: one line per file made; V=1 shows the commands.
ifeq ($(V),1)
Q :=
say :=
else
Q := @
say = @printf '  %-8s %s\n' '$(1)' '$(2)';
MAKEFLAGS += --no-print-directory
endif

B := build
# src/ has one folder per part of parx (src/README.md is the map); every
# module's name is unique, so the objects share one directory.
SRC := $(sort $(wildcard src/*/*.c))
SRC_DIRS := $(sort $(patsubst %/,%,$(dir $(wildcard src/*/*.[ch]))))
INCLUDES := $(addprefix -iquote ,$(SRC_DIRS)) -iquote include
OBJ := $(addprefix $(B)/obj/,$(notdir $(SRC:.c=.o)))
vpath %.c $(SRC_DIRS)
TOOL_SRC := $(sort $(wildcard tests/tool/*.c))

all: $(B)/parx

# Every object and binary depends on $(B)/flags, which changes only when
# the compiler or a flag does, so that a build with other flags rebuilds
# all it made (as git's GIT-CFLAGS).
FLAGS_NOW = $(CC) | $(ALL_CFLAGS) | $(ALL_LDFLAGS) | $(SO_CFLAGS) | \
	$(SO_LDFLAGS) | $(LDLIBS)
$(B)/flags: FORCE | $(B)/obj
	@flags='$(subst ','\'',$(FLAGS_NOW))'; \
	    [ "$$flags" = "$$(cat $@ 2>/dev/null)" ] || \
	    printf '%s\n' "$$flags" > $@

# Plugins bind exit(), _exit() and _Exit() to parx's (src/engine/func.c).
PARX_EXPORTS := -Wl,--export-dynamic-symbol=exit \
	-Wl,--export-dynamic-symbol=_exit -Wl,--export-dynamic-symbol=_Exit

CMD_SRC := $(sort $(wildcard cmd/*.c))
CMD_OBJ := $(CMD_SRC:cmd/%.c=$(B)/obj/cmd_%.o)

$(B)/parx: $(CMD_OBJ) $(OBJ) $(B)/flags
	$(call say,LINK,$@)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) $(PARX_EXPORTS) \
	    -o $@ $(filter %.o,$^) $(LDLIBS)

$(B)/obj/cmd_%.o: cmd/%.c $(B)/flags | $(B)/obj
	$(call say,CC,$<)$(CC) $(ALL_CFLAGS) $(INCLUDES) -MMD -MP -c -o $@ $<

$(B)/obj/%.o: %.c $(B)/flags | $(B)/obj
	$(call say,CC,$<)$(CC) $(ALL_CFLAGS) $(INCLUDES) -MMD -MP -c -o $@ $<

$(B)/test-tool: $(TOOL_SRC) $(filter-out $(B)/obj/run.o $(B)/obj/onall.o,$(OBJ)) \
    $(B)/flags | $(B)/obj
	$(call say,LINK,$@)$(CC) $(ALL_CFLAGS) $(INCLUDES) -iquote tests/tool \
	    $(ALL_LDFLAGS) -o $@ $(filter %.c %.o,$^) $(LDLIBS)

$(B)/obj:
	$(Q)mkdir -p $@

# The example plugin for --func (the tests load it).
examples: $(B)/examples/plugin.so
$(B)/examples/plugin.so: examples/plugin.c include/parx/plugin.h $(B)/flags
	$(Q)mkdir -p $(B)/examples
	$(call say,CC,$@)$(CC) $(SO_CFLAGS) -I include $(SO_LDFLAGS) \
	    -o $@ examples/plugin.c

-include $(wildcard $(B)/obj/*.d)

# make test: the binaries built with -Werror, then the suite.
test:
	$(Q)$(MAKE) WERROR=-Werror $(B)/parx $(B)/test-tool \
	    $(B)/examples/plugin.so
	@tests/install-deps
	PARX=$(CURDIR)/$(B)/parx PARX_TEST_TOOL=$(CURDIR)/$(B)/test-tool \
	    PARX_PLUGIN=$(CURDIR)/$(B)/examples/plugin.so tests/run-all

bench: $(B)/parx
	bench/run-all

bench-builds: $(B)/parx
	PARX=$(CURDIR)/$(B)/parx bench/builds.sh

# Shell completions: completions/ holds the scripts parx writes from its
# option table; make completions writes them again after an option changes
# (tests/completion.bats fails until then).
BASHCOMPDIR ?= $(DATADIR)/bash-completion/completions
ZSHCOMPDIR ?= $(DATADIR)/zsh/vendor-completions
FISHCOMPDIR ?= $(DATADIR)/fish/vendor_completions.d

completions: $(B)/parx
	$(B)/parx --internal-completion bash > completions/parx.bash
	$(B)/parx --internal-completion zsh > completions/_parx
	$(B)/parx --internal-completion fish > completions/parx.fish

# make install: every directory it puts a file in is in INSTALL_DIRS.
# Those it makes (with their parents) are noted in DIRS_LOG, which make
# uninstall reads to remove them again when they are empty.
INSTALL_DIRS = $(BINDIR) $(MANDIR)/man1 $(INCLUDEDIR)/parx $(PKGCONFIGDIR) \
	$(BASHCOMPDIR) $(ZSHCOMPDIR) $(FISHCOMPDIR) $(DATADIR)/parx \
	$(if $(DIRS_LOG),$(patsubst %/,%,$(dir $(DIRS_LOG))))
INSTALL_FILES = $(BINDIR)/parx $(BINDIR)/sem $(MANDIR)/man1/parx.1 \
	$(MANDIR)/man1/sem.1 $(INCLUDEDIR)/parx/plugin.h $(PKGCONFIGDIR)/parx.pc \
	$(BASHCOMPDIR)/parx $(BASHCOMPDIR)/sem $(ZSHCOMPDIR)/_parx \
	$(FISHCOMPDIR)/parx.fish $(FISHCOMPDIR)/sem.fish $(DATADIR)/parx/parset.sh \
	$(DATADIR)/parx/env_parx.sh
PC_INCLUDEDIR = $(patsubst $(PREFIX)/%,$${prefix}/%,$(INCLUDEDIR))

# The README's pictures, from real runs.  doc/timeline.svg: 36 shell jobs
# of 0.1 to 0.5 s at -j4, three of them failing (11, 22, 33), one timed
# out (13); its exit status is the number of failed jobs: 4 is what is
# expected.  doc/compare.svg: --compare's report of 24 --func sleep jobs
# (0.01 to 0.24 s) at -j1, -j2 and -j4, with the speedup chart.
pictures: $(B)/parx
	mkdir -p doc
	$(B)/parx -j4 --timeout 1 --timeline doc/timeline.svg \
	    'sleep 0.$$(( {} * 37 % 5 + 1 )); [ {} -ne 13 ] || sleep 3; \
	    [ $$(( {} % 11 )) -ne 0 ]' ::: $$(seq 36) 2>/dev/null || \
	    [ $$? -eq 4 ]
	$(B)/parx --compare --runs 5 --compare-report doc/compare.svg \
	    -j 1,2,4 --func sleep ::: $$(seq 24 | sed 's/.*/0.0&/; s/0\.0\(..\)/0.\1/') \
	    > /dev/null 2>&1

install: $(B)/parx
	$(Q)made=$$(for d in $(INSTALL_DIRS:%='%'); do \
	    while [ "$$d" != / ] && [ ! -d '$(DESTDIR)'"$$d" ]; do \
	    echo "$$d"; d=$$(dirname "$$d"); done; done | sort -u); \
	install -d $(INSTALL_DIRS:%='$(DESTDIR)%') && \
	if [ -n '$(DIRS_LOG)' ]; then \
	    { [ ! -f '$(DESTDIR)$(DIRS_LOG)' ] || \
	    cat '$(DESTDIR)$(DIRS_LOG)'; \
	    [ -z "$$made" ] || printf '%s\n' "$$made"; } | sort -u \
	    > '$(DESTDIR)$(DIRS_LOG).new' && \
	    mv '$(DESTDIR)$(DIRS_LOG).new' '$(DESTDIR)$(DIRS_LOG)'; fi
	$(call say,INSTALL,$(DESTDIR)$(BINDIR)/parx)install -m 755 $(B)/parx \
	    '$(DESTDIR)$(BINDIR)/parx'
	$(Q)ln -sf parx '$(DESTDIR)$(BINDIR)/sem'
	$(call say,INSTALL,$(DESTDIR)$(MANDIR)/man1/parx.1)install -m 644 \
	    man/parx.1 '$(DESTDIR)$(MANDIR)/man1/parx.1'
	$(Q)echo '.so man1/parx.1' > '$(DESTDIR)$(MANDIR)/man1/sem.1'
	$(call say,INSTALL,$(DESTDIR)$(INCLUDEDIR)/parx/plugin.h)install -m 644 \
	    include/parx/plugin.h '$(DESTDIR)$(INCLUDEDIR)/parx/plugin.h'
	$(call say,INSTALL,$(DESTDIR)$(PKGCONFIGDIR)/parx.pc)sed \
	    -e 's|@prefix@|$(PREFIX)|' -e 's|@includedir@|$(PC_INCLUDEDIR)|' \
	    -e 's|@version@|$(VERSION)|' -e '/^# /d' parx.pc.in \
	    > '$(DESTDIR)$(PKGCONFIGDIR)/parx.pc'
	$(call say,INSTALL,$(DESTDIR)$(BASHCOMPDIR)/parx)install -m 644 \
	    completions/parx.bash '$(DESTDIR)$(BASHCOMPDIR)/parx'
	$(Q)ln -sf parx '$(DESTDIR)$(BASHCOMPDIR)/sem'
	$(call say,INSTALL,$(DESTDIR)$(ZSHCOMPDIR)/_parx)install -m 644 \
	    completions/_parx '$(DESTDIR)$(ZSHCOMPDIR)/_parx'
	$(call say,INSTALL,$(DESTDIR)$(FISHCOMPDIR)/parx.fish)install -m 644 \
	    completions/parx.fish '$(DESTDIR)$(FISHCOMPDIR)/parx.fish'
	$(Q)ln -sf parx.fish '$(DESTDIR)$(FISHCOMPDIR)/sem.fish'
	$(call say,INSTALL,$(DESTDIR)$(DATADIR)/parx/parset.sh)install -m 644 \
	    shell/parset.sh '$(DESTDIR)$(DATADIR)/parx/parset.sh'
	$(call say,INSTALL,$(DESTDIR)$(DATADIR)/parx/env_parx.sh)install -m 644 \
	    shell/env_parx.sh '$(DESTDIR)$(DATADIR)/parx/env_parx.sh'

uninstall:
	$(Q)rm -f $(INSTALL_FILES:%='$(DESTDIR)%')
	$(Q)if [ -n '$(DIRS_LOG)' ] && [ -f '$(DESTDIR)$(DIRS_LOG)' ]; then \
	    made=$$(sort -r '$(DESTDIR)$(DIRS_LOG)'); \
	    rm -f '$(DESTDIR)$(DIRS_LOG)'; \
	    printf '%s\n' "$$made" | while IFS= read -r d; do \
	    rmdir "$(DESTDIR)$$d" 2>/dev/null || :; done; \
	fi

# Sanitizer builds: the same sources with another compiler and flags, each
# in its own directory, with -Werror and without the hardening flags
# (_FORTIFY_SOURCE's checked functions would bypass ASan's); then the whole
# suite against that binary.  Any report fails the run
# (tests/run-sanitized).  asan-build and tsan-build only build.
SAN_CC ?= clang
SAN_OPT ?= -O1
ASAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
TSAN_FLAGS := -fsanitize=thread -fno-omit-frame-pointer
SAN_MAKE = $(MAKE) B=build-$(1) CC=$(SAN_CC) OPT=$(SAN_OPT) HARDEN= \
	WERROR=-Werror SANFLAGS="$(2)" build-$(1)/parx build-$(1)/test-tool \
	build-$(1)/examples/plugin.so

asan-build:
	+$(Q)$(call SAN_MAKE,asan,$(ASAN_FLAGS))

tsan-build:
	+$(Q)$(call SAN_MAKE,tsan,$(TSAN_FLAGS))

asan: asan-build
	@tests/install-deps
	tests/run-sanitized asan $(CURDIR)/build-asan

tsan: tsan-build
	@tests/install-deps
	PARX_MODES=thread tests/run-sanitized tsan $(CURDIR)/build-tsan

# libFuzzer targets (tests/fuzz/fuzz_NAME.c), built with clang into
# build-fuzz/ and linked with every module of src/.
FUZZ_SECONDS ?= 30
FUZZ_FLAGS := -fsanitize=fuzzer-no-link,address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_NAMES := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))

$(B)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.c tests/fuzz/fuzz.h $(OBJ) \
    $(B)/flags
	$(call say,LINK,$@)$(CC) $(ALL_CFLAGS) -fsanitize=fuzzer $(INCLUDES) \
	    -iquote tests/fuzz $(ALL_LDFLAGS) -o $@ $(filter %.c %.o,$^) \
	    $(LDLIBS)

fuzz-build:
	$(Q)$(MAKE) B=build-fuzz CC=$(SAN_CC) OPT=-O1 HARDEN= WERROR=-Werror \
	    SANFLAGS="$(FUZZ_FLAGS)" $(FUZZ_NAMES:%=build-fuzz/fuzz_%)

fuzz: fuzz-build
	tests/fuzz/run $(CURDIR)/build-fuzz $(FUZZ_SECONDS) $(FUZZ_NAMES)

valgrind: $(B)/parx
	tests/valgrind $(CURDIR)/$(B)/parx

clean:
	rm -rf $(B) build-asan build-tsan build-fuzz

FORCE:

.PHONY: all completions test bench bench-builds pictures install uninstall clean examples asan tsan \
	asan-build tsan-build fuzz fuzz-build valgrind FORCE

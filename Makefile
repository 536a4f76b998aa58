# SPDX-License-Identifier: ISC
# parx — build, test, install.
#
#   make              build build/parx
#   make test         run the bats suite in both modes (installs bats if missing)
#   make bench        run the benchmarks under bench/
#   make bench-builds PARX_BEFORE=OLD   this build against another, same rounds
#   make asan         ASan+UBSan build in build-asan/, the suite in both modes
#   make tsan         TSan build in build-tsan/, the suite in thread mode
#   make fuzz         build the libFuzzer targets, run each FUZZ_SECONDS
#   make valgrind     memcheck of a representative workload, both modes
#   make install      install binary and man page under $(DESTDIR)$(PREFIX)

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
INCLUDEDIR ?= $(PREFIX)/include

CC ?= cc
OPT ?= -O2
# The one place where feature-test macros are set: POSIX 2008 plus the
# GNU extensions that src/core/sys.c wraps.
CPPFLAGS += -D_GNU_SOURCE -D_POSIX_C_SOURCE=200809L
CFLAGS ?= $(OPT) -g
CFLAGS += -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wno-unused-parameter -pthread $(SANFLAGS)
LDFLAGS += -pthread $(SANFLAGS)
LDLIBS += -ldl -lz -lm

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

# Plugins bind exit(), _exit() and _Exit() to parx's (src/engine/func.c).
PARX_EXPORTS := -Wl,--export-dynamic-symbol=exit \
	-Wl,--export-dynamic-symbol=_exit -Wl,--export-dynamic-symbol=_Exit

CMD_SRC := $(sort $(wildcard cmd/*.c))
CMD_OBJ := $(CMD_SRC:cmd/%.c=$(B)/obj/cmd_%.o)

$(B)/parx: $(CMD_OBJ) $(OBJ)
	$(CC) $(LDFLAGS) $(PARX_EXPORTS) -o $@ $^ $(LDLIBS)

$(B)/obj/cmd_%.o: cmd/%.c | $(B)/obj
	$(CC) $(CPPFLAGS) $(CFLAGS) $(INCLUDES) -MMD -MP -c -o $@ $<

$(B)/obj/%.o: %.c | $(B)/obj
	$(CC) $(CPPFLAGS) $(CFLAGS) $(INCLUDES) -MMD -MP -c -o $@ $<

$(B)/test-tool: $(TOOL_SRC) $(filter-out $(B)/obj/run.o $(B)/obj/onall.o,$(OBJ)) | $(B)/obj
	$(CC) $(CPPFLAGS) $(CFLAGS) $(INCLUDES) -iquote tests/tool $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/obj:
	mkdir -p $@

# The example plugin for --func (the tests load it).
examples: $(B)/examples/plugin.so
$(B)/examples/plugin.so: examples/plugin.c include/parx.h
	mkdir -p $(B)/examples
	$(CC) $(CPPFLAGS) $(CFLAGS) -iquote include -shared -fPIC -o $@ examples/plugin.c

-include $(wildcard $(B)/obj/*.d)

test: $(B)/parx $(B)/test-tool $(B)/examples/plugin.so
	@tests/install-deps
	PARX=$(CURDIR)/$(B)/parx PARX_TEST_TOOL=$(CURDIR)/$(B)/test-tool \
	    PARX_PLUGIN=$(CURDIR)/$(B)/examples/plugin.so tests/run-all

bench: $(B)/parx
	bench/run-all

bench-builds: $(B)/parx
	PARX=$(CURDIR)/$(B)/parx bench/builds.sh

install: $(B)/parx
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(INCLUDEDIR)
	install -m 755 $(B)/parx $(DESTDIR)$(BINDIR)/parx
	ln -sf parx $(DESTDIR)$(BINDIR)/sem
	install -m 644 man/parx.1 $(DESTDIR)$(MANDIR)/man1/parx.1
	echo '.so man1/parx.1' > $(DESTDIR)$(MANDIR)/man1/sem.1
	install -m 644 include/parx.h $(DESTDIR)$(INCLUDEDIR)/parx.h

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/parx $(DESTDIR)$(BINDIR)/sem \
	    $(DESTDIR)$(MANDIR)/man1/parx.1 $(DESTDIR)$(MANDIR)/man1/sem.1 \
	    $(DESTDIR)$(INCLUDEDIR)/parx.h

# Sanitizer builds: the same sources with another compiler and flags, each
# in its own directory, then the whole suite against that binary.  Any
# report fails the run (tests/run-sanitized).
SAN_CC ?= clang
SAN_OPT ?= -O1
ASAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
TSAN_FLAGS := -fsanitize=thread -fno-omit-frame-pointer

asan:
	$(MAKE) B=build-asan CC=$(SAN_CC) OPT=$(SAN_OPT) \
	    SANFLAGS="$(ASAN_FLAGS)" build-asan/parx build-asan/test-tool \
	    build-asan/examples/plugin.so
	@tests/install-deps
	tests/run-sanitized asan $(CURDIR)/build-asan

tsan:
	$(MAKE) B=build-tsan CC=$(SAN_CC) OPT=$(SAN_OPT) \
	    SANFLAGS="$(TSAN_FLAGS)" build-tsan/parx build-tsan/test-tool \
	    build-tsan/examples/plugin.so
	@tests/install-deps
	PARX_MODES=thread tests/run-sanitized tsan $(CURDIR)/build-tsan

# libFuzzer targets (tests/fuzz/fuzz_NAME.c), built with clang into
# build-fuzz/ and linked with every module of src/.
FUZZ_SECONDS ?= 30
FUZZ_FLAGS := -fsanitize=fuzzer-no-link,address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_NAMES := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))

$(B)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.c tests/fuzz/fuzz.h $(OBJ)
	$(CC) $(CPPFLAGS) $(CFLAGS) -fsanitize=fuzzer $(INCLUDES) \
	    -iquote tests/fuzz $(LDFLAGS) -o $@ $(filter %.c %.o,$^) $(LDLIBS)

fuzz-build:
	$(MAKE) B=build-fuzz CC=$(SAN_CC) OPT=-O1 SANFLAGS="$(FUZZ_FLAGS)" \
	    $(FUZZ_NAMES:%=build-fuzz/fuzz_%)

fuzz: fuzz-build
	tests/fuzz/run $(CURDIR)/build-fuzz $(FUZZ_SECONDS) $(FUZZ_NAMES)

valgrind: $(B)/parx
	tests/valgrind $(CURDIR)/$(B)/parx

clean:
	rm -rf $(B) build-asan build-tsan build-fuzz

.PHONY: all test bench bench-builds install uninstall clean examples asan tsan fuzz \
	fuzz-build valgrind

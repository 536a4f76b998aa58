# parx — build, test, install.
#
#   make              build build/parx
#   make test         run the bats suite in both modes (installs bats if missing)
#   make bench        run the benchmarks under bench/
#   make install      install binary and man page under $(DESTDIR)$(PREFIX)

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
INCLUDEDIR ?= $(PREFIX)/include

CC ?= cc
OPT ?= -O2
# The one place where feature-test macros are set: POSIX 2008 plus the
# GNU extensions that src/sys.c wraps.
CPPFLAGS += -D_GNU_SOURCE -D_POSIX_C_SOURCE=200809L
CFLAGS ?= $(OPT) -g
CFLAGS += -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wno-unused-parameter -pthread
LDFLAGS += -pthread
LDLIBS += -ldl -lz -lm

B := build
SRC := $(sort $(wildcard src/*.c))
OBJ := $(SRC:src/%.c=$(B)/obj/%.o)
TOOL_SRC := $(sort $(wildcard tests/tool/*.c))

all: $(B)/parx

$(B)/parx: $(B)/obj/cmd_parx.o $(OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/obj/cmd_parx.o: cmd/parx.c | $(B)/obj
	$(CC) $(CPPFLAGS) $(CFLAGS) -iquote src -iquote include -MMD -MP -c -o $@ $<

$(B)/obj/%.o: src/%.c | $(B)/obj
	$(CC) $(CPPFLAGS) $(CFLAGS) -iquote src -iquote include -MMD -MP -c -o $@ $<

$(B)/test-tool: $(TOOL_SRC) $(filter-out $(B)/obj/run.o,$(OBJ)) | $(B)/obj
	$(CC) $(CPPFLAGS) $(CFLAGS) -iquote src -iquote include -iquote tests/tool $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/obj:
	mkdir -p $@

# The example plugin for --func (the tests load it).
examples: $(B)/examples/plugin.so
$(B)/examples/plugin.so: examples/plugin.c include/parx.h
	mkdir -p $(B)/examples
	$(CC) $(CPPFLAGS) $(CFLAGS) -iquote include -shared -fPIC -o $@ examples/plugin.c

-include $(wildcard $(B)/obj/*.d)

test: $(B)/parx $(B)/test-tool $(B)/examples/plugin.so
	@command -v bats >/dev/null 2>&1 || tests/install-deps
	PARX=$(CURDIR)/$(B)/parx PARX_TEST_TOOL=$(CURDIR)/$(B)/test-tool \
	    PARX_PLUGIN=$(CURDIR)/$(B)/examples/plugin.so tests/run-all

bench: $(B)/parx
	bench/run-all

install: $(B)/parx
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(INCLUDEDIR)
	install -m 755 $(B)/parx $(DESTDIR)$(BINDIR)/parx
	install -m 644 man/parx.1 $(DESTDIR)$(MANDIR)/man1/parx.1
	install -m 644 include/parx.h $(DESTDIR)$(INCLUDEDIR)/parx.h

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/parx $(DESTDIR)$(MANDIR)/man1/parx.1 \
	    $(DESTDIR)$(INCLUDEDIR)/parx.h

clean:
	rm -rf $(B)

.PHONY: all test bench install uninstall clean examples

# Gazette: a plain Makefile with pkg-config.
#   make          build ./gazette
#   make run      install dependencies, build, create ./demo-site, serve it
#   make test     unit, integration and browser tests
#   make test-cluster  nodes behind haproxy, PostgreSQL primary + replica (tests/cluster)
#   make install  PREFIX=/usr/local DESTDIR=: binary, default theme, demo, man
#                 pages, systemd unit (make uninstall takes them away)
#   make deb      a Debian package in build/deb/ (dpkg-buildpackage, debhelper)
PKGS    := libmicrohttpd sqlite3 libpq md4c md4c-html libsodium libxml-2.0 zlib libbrotlienc libseccomp vips libarchive libcurl
CC      ?= gcc
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c17 -Wall -Wextra -Wformat-security -Wshadow -Wno-unused-parameter -Wno-format-truncation \
           -D_GNU_SOURCE -D_FORTIFY_SOURCE=3 -fstack-protector-strong -fPIE \
           $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
ifeq ($(CI),true)
CFLAGS  += -Werror
endif
LDFLAGS += -pie -Wl,-z,relro,-z,now
LDLIBS  += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm

SRCS    := $(sort $(wildcard src/*/*.c))
OBJS    := $(SRCS:.c=.o)
LIBOBJS := $(filter-out src/cli/main.o,$(OBJS))
UNIT    := $(patsubst %.c,%,$(sort $(wildcard tests/unit/test_*.c)))
HDRS    := $(wildcard src/*/*.h)
BANNED  := -include src/util/banned.h

all: gazette

gazette: $(OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

src/%.o: src/%.c $(HDRS)
	$(CC) $(CFLAGS) $(BANNED) -c -o $@ $<

tests/unit/%: tests/unit/%.c $(LIBOBJS) $(wildcard tests/unit/*.h)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIBOBJS) $(LDLIBS)

unit: $(UNIT)

deps:
	./scripts/install-deps.sh

run: deps
	$(MAKE) gazette
	[ -d demo-site ] || ./gazette init --demo --site demo-site
	./gazette serve --site demo-site --listen 127.0.0.1:8080

# STORE=pg: the integration tests' sites on PostgreSQL (tests/run.sh)
STORE ?= sqlite

test:
	./scripts/install-deps.sh --test
	$(MAKE) gazette unit
	./tests/lint/banned.sh
	./tests/lint/themes.sh
	node tests/lint/locale.js
	node tests/lint/deps.js
	node tests/lint/sql-once.js
	node tests/lint/engine.js
	STORE=$(STORE) ./tests/run.sh

# The cluster suite (issue 16, docs/deploy.md): real haproxy, gazette nodes and
# PostgreSQL 15 on loopback, each test one at a time; about a minute.
test-cluster:
	./scripts/install-deps.sh --test
	$(MAKE) gazette
	./tests/run.sh tests/cluster/*.test.js

clean:
	rm -f gazette $(OBJS) $(UNIT)
	rm -rf $(ASAN_DIR) $(FUZZ_DIR) build

.PHONY: all unit deps run test test-cluster clean

# ---- install and package (issue 17). See docs/install.md.
# DATADIR is compiled in as the last place the binary looks for its theme
# and demo (src/site/site.c); build/datadir remembers the value the objects
# were built with, so a new PREFIX rebuilds site.o alone.
PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share/gazette
MANDIR  ?= $(PREFIX)/share/man
UNITDIR ?= $(PREFIX)/lib/systemd/system
SITEDIR ?= /var/lib/gazette

build/datadir: FORCE
	@mkdir -p build
	@echo '$(DATADIR)' | cmp -s - $@ || echo '$(DATADIR)' > $@

src/site/site.o: build/datadir
src/site/site.o: CFLAGS += -DGAZETTE_DATADIR='"$(DATADIR)"'

# VERSION (gazette --version, /metrics' gazette_build_info): git describe
# in a git checkout, else the top of debian/changelog (a release tarball,
# the package's build tree); build/version rebuilds src/util/version.o
# alone when it changes.
VERSION ?= $(or $(shell git describe --always 2>/dev/null),$(shell sed -n '1s/^[^(]*(\([^)]*\)).*/\1/p' debian/changelog 2>/dev/null),unknown)

build/version: FORCE
	@mkdir -p build
	@echo '$(VERSION)' | cmp -s - $@ || echo '$(VERSION)' > $@

src/util/version.o: build/version
src/util/version.o: CFLAGS += -DGAZETTE_VERSION='"$(VERSION)"'

# The man pages are made from the binary's own help and gazette.conf's
# key table (scripts/man.sh), so they cannot drift from the code.
man: gazette
	./scripts/man.sh ./gazette build/man

install: gazette man
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
		$(DESTDIR)$(UNITDIR)
	install -m 755 gazette $(DESTDIR)$(BINDIR)/gazette
	find themes/default demo -type f | while read -r f; do \
		install -D -m 644 "$$f" "$(DESTDIR)$(DATADIR)/$$f" || exit 1; done
	install -m 644 build/man/gazette.1 $(DESTDIR)$(MANDIR)/man1/gazette.1
	install -m 644 build/man/gazette.conf.5 $(DESTDIR)$(MANDIR)/man5/gazette.conf.5
	sed -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@SITEDIR@|$(SITEDIR)|g' dist/gazette.service.in \
		> $(DESTDIR)$(UNITDIR)/gazette.service
	chmod 644 $(DESTDIR)$(UNITDIR)/gazette.service

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/gazette $(DESTDIR)$(MANDIR)/man1/gazette.1 \
		$(DESTDIR)$(MANDIR)/man5/gazette.conf.5 $(DESTDIR)$(UNITDIR)/gazette.service
	rm -rf $(DESTDIR)$(DATADIR)

# The package is built in a copy of the tree under build/deb (dpkg-buildpackage
# writes the .deb to the parent folder), with this tree's objects so only
# site.o (DATADIR=/usr/share/gazette) is compiled again.
DEB_TREE := build/deb/gazette
deb: gazette
	rm -rf build/deb && mkdir -p $(DEB_TREE)
	tar -cf - Makefile README.md src themes demo scripts dist debian gazette | tar -xpf - -C $(DEB_TREE)
	cd $(DEB_TREE) && dpkg-buildpackage -b -nc -us -uc
	ls build/deb/*.deb

.PHONY: man install uninstall deb FORCE

# ---- hostile input (issue 7): sanitizers, fuzzing, soak. See docs/hardening.md.
#   make asan        ./build-asan/gazette and unit tests with ASan+UBSan (LeakSanitizer on)
#   make asan-test   the whole suite (tests/run.sh) against the ASan build
#   make fuzz        every fuzz/*_fuzz.c for FUZZ_SECONDS each (clang, libFuzzer)
#   make fuzz-ci     replay every seed corpus, then run each target FUZZ_CI_SECONDS
#   make soak        60 s of wrk with 256 connections on the story page, flat RSS
ASAN_DIR   := build-asan
ASAN_FLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
ASAN_CFLAGS = $(filter-out -D_FORTIFY_SOURCE=% -O2,$(CFLAGS)) -U_FORTIFY_SOURCE $(ASAN_FLAGS) -Wno-maybe-uninitialized
ASAN_OBJS  := $(patsubst src/%.c,$(ASAN_DIR)/src/%.o,$(SRCS))
ASAN_LIB   := $(filter-out $(ASAN_DIR)/src/cli/main.o,$(ASAN_OBJS))
ASAN_UNIT  := $(patsubst tests/unit/%,$(ASAN_DIR)/tests/unit/%,$(UNIT))
ASAN_ENV   := ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1:detect_stack_use_after_return=1:strict_string_checks=1:log_path=$(CURDIR)/$(ASAN_DIR)/reports/asan \
              UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:log_path=$(CURDIR)/$(ASAN_DIR)/reports/ubsan \
              LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lint/lsan.supp:print_suppressions=0

$(ASAN_DIR)/src/%.o: src/%.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(ASAN_CFLAGS) $(BANNED) -c -o $@ $<

$(ASAN_DIR)/gazette: $(ASAN_OBJS)
	$(CC) $(LDFLAGS) $(ASAN_FLAGS) -o $@ $^ $(LDLIBS)
	ln -sfn ../themes $(ASAN_DIR)/themes
	ln -sfn ../demo $(ASAN_DIR)/demo

$(ASAN_DIR)/tests/unit/%: tests/unit/%.c $(ASAN_LIB) $(wildcard tests/unit/*.h)
	@mkdir -p $(@D)
	$(CC) $(ASAN_CFLAGS) $(LDFLAGS) -o $@ $< $(ASAN_LIB) $(LDLIBS)

asan: $(ASAN_DIR)/gazette $(ASAN_UNIT)

# Every sanitizer report of every process (servers, CLI runs, unit tests) is
# written to $(ASAN_DIR)/reports; any file there fails the run.
asan-test: asan
	rm -rf $(ASAN_DIR)/reports && mkdir -p $(ASAN_DIR)/reports
	$(ASAN_ENV) GAZETTE_BIN=$(ASAN_DIR)/gazette GAZETTE_UNIT_DIR=$(ASAN_DIR)/tests/unit \
		GAZETTE_DATA=$(CURDIR) ./tests/run.sh; rc=$$?; \
	if [ -n "$$(ls -A $(ASAN_DIR)/reports)" ]; then \
		cat $(ASAN_DIR)/reports/*; echo "!! sanitizer reports above ($(ASAN_DIR)/reports)"; exit 1; fi; \
	echo "asan-test: no sanitizer report"; exit $$rc

FUZZ_CC      ?= clang
FUZZ_DIR     := build-fuzz
FUZZ_SECONDS ?= 30
FUZZ_CI_SECONDS ?= 60
FUZZ_FLAGS   := -std=c17 -D_GNU_SOURCE -g -O1 -fno-omit-frame-pointer \
                -fsanitize=address,undefined -fno-sanitize-recover=undefined \
                $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
FUZZ_OBJS    := $(patsubst src/%.c,$(FUZZ_DIR)/src/%.o,$(filter-out src/cli/main.c,$(SRCS)))
FUZZ_BINS    := $(patsubst fuzz/%.c,$(FUZZ_DIR)/%,$(sort $(wildcard fuzz/*_fuzz.c)))

$(FUZZ_DIR)/src/%.o: src/%.c $(HDRS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link $(BANNED) -c -o $@ $<

$(FUZZ_DIR)/libgazette.a: $(FUZZ_OBJS)
	rm -f $@ && ar rcs $@ $^

$(FUZZ_DIR)/%_fuzz: fuzz/%_fuzz.c $(FUZZ_DIR)/libgazette.a $(HDRS)
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_DIR)/libgazette.a $(LDLIBS)

fuzz-build: $(FUZZ_BINS)

fuzz: fuzz-build
	FUZZ_DIR=$(FUZZ_DIR) ./fuzz/run.sh run $(FUZZ_SECONDS) $(FUZZ_BINS)

fuzz-ci: fuzz-build
	FUZZ_DIR=$(FUZZ_DIR) ./fuzz/run.sh replay 0 $(FUZZ_BINS)
	FUZZ_DIR=$(FUZZ_DIR) ./fuzz/run.sh run $(FUZZ_CI_SECONDS) $(FUZZ_BINS)

soak: gazette
	node --test --test-timeout=300000 tests/soak/wrk.test.js

.PHONY: asan asan-test fuzz-build fuzz fuzz-ci soak bench

# Benchmarks (bench/*.sh): print tables and ratios; see bench/RESULTS.md.
bench: gazette
	./scripts/install-deps.sh --test
	bench/article.sh
	bench/comments.sh
	bench/bigsite.sh
	bench/media.sh
	bench/media-serve.sh
	bench/media-load.sh
	bench/front.sh
	bench/backup.sh

# Gazette: a plain Makefile with pkg-config.
#   make          build ./gazette
#   make run      install dependencies, build, create ./demo-site, serve it
#   make test     unit, integration and browser tests
PKGS    := libmicrohttpd sqlite3 md4c md4c-html libsodium libxml-2.0 zlib libbrotlienc libseccomp
CC      ?= gcc
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c17 -Wall -Wextra -Wformat-security -Wshadow -Wno-unused-parameter -Wno-format-truncation \
           -D_GNU_SOURCE -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE \
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

all: gazette

gazette: $(OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

src/%.o: src/%.c $(HDRS)
	$(CC) $(CFLAGS) -c -o $@ $<

tests/unit/%: tests/unit/%.c $(LIBOBJS) tests/unit/t.h
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIBOBJS) $(LDLIBS)

unit: $(UNIT)

deps:
	./scripts/install-deps.sh

run: deps
	$(MAKE) gazette
	[ -d demo-site ] || ./gazette init --demo --site demo-site
	./gazette serve --site demo-site --listen 127.0.0.1:8080

test:
	./scripts/install-deps.sh --test
	$(MAKE) gazette unit
	./tests/run.sh

clean:
	rm -f gazette $(OBJS) $(UNIT)

.PHONY: all unit deps run test clean

# minirunc - a plain Makefile: no configure step (STYLE.md, "Build").
#   make            ./minirunc with the system cc
#   make static     ./minirunc-static, stripped, fully static, with musl-gcc
#   make static ARCH=aarch64|armhf|x86_64   the same for a board: ./minirunc-static-aarch64,
#                   ./minirunc-static-armhf (the host's own ARCH gives ./minirunc-static); the
#                   cross gcc from Debian + that architecture's musl .deb, fetched and unpacked
#                   by tests/vm/debs.sh under a private apt state into /var/cache/minirunc-vm
#   make test       every test (tests/run.sh: installs what it needs, builds, runs)
#   make unit       the unit tests only (no root needed)
#   make asan       the unit tests and ./minirunc-asan under ASan+UBSan
#   make fuzz       libFuzzer over json.c + spec.c for FUZZ_SECONDS
#   make bench      bench/run.sh: minirunc beside runc and crun
#   make install / uninstall (PREFIX, DESTDIR), make fmt, make clean

CC       ?= cc
MUSLCC   ?= musl-gcc
CLANG    ?= clang
PREFIX   ?= /usr/local
BINDIR   ?= $(PREFIX)/bin
VERSION  := 0.1.0
COMMIT   := $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)
WARN     := -std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2
CFLAGS   ?= -O2 -g
DEFS     := -D_GNU_SOURCE -DMINIRUNC_VERSION='"$(VERSION)"' -DMINIRUNC_COMMIT='"$(COMMIT)"'
ALL_CFLAGS = $(WARN) $(DEFS) $(CFLAGS)
FUZZ_SECONDS ?= 60

SRCS     := $(sort $(wildcard *.c))
LIB_SRCS := $(filter-out minirunc.c,$(SRCS))
HDRS     := $(wildcard *.h)
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=build/unit/%)
SAN      := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

.PHONY: all demo static test build-unit unit asan-build asan fuzz bench install uninstall fmt clean

all: minirunc

minirunc: $(SRCS) $(HDRS)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(SRCS)

# musl gives a small, fully static binary for embedded hosts.  Every warning is fatal.
# No unwind tables (C has no exceptions; -s drops the symbols a backtrace would need anyway):
# 20 KB less; no build-id note.  Code and rodata stay in separate segments (-z separate-code).
STATIC_FLAGS := $(WARN) -Werror $(DEFS) -Os -static -s -ffunction-sections -fdata-sections \
	-fno-asynchronous-unwind-tables -fno-unwind-tables -Wl,--gc-sections -Wl,--build-id=none

# ARCH names a target as Debian's cross packages do: x86_64, aarch64, armhf.
HOST_ARCH := $(subst armv7l,armhf,$(shell uname -m))
ARCH     ?= $(HOST_ARCH)
STATIC_BIN := minirunc-static$(if $(filter $(HOST_ARCH),$(ARCH)),,-$(ARCH))
gnu_x86_64 := x86_64-linux-gnu
gnu_aarch64 := aarch64-linux-gnu
gnu_armhf := arm-linux-gnueabihf
musl_x86_64 := x86_64-linux-musl
musl_aarch64 := aarch64-linux-musl
musl_armhf := arm-linux-musleabihf
ifneq ($(filter static,$(MAKECMDGOALS)),)
ifeq ($(gnu_$(ARCH)),)
$(error make static: ARCH=$(ARCH): not one of x86_64, aarch64, armhf)
endif
endif

# The host's own: musl-gcc (musl-tools) does not search the kernel headers, so point it at
# the system's (linux/, asm/).
KHDRS    ?= /usr/include
KARCH    ?= $(shell gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
build/kinc:
	@mkdir -p build/kinc
	ln -sfn $(KHDRS)/linux build/kinc/linux
	ln -sfn $(KHDRS)/asm-generic build/kinc/asm-generic
	ln -sfn $(KHDRS)/$(KARCH)/asm build/kinc/asm

minirunc-static: $(SRCS) $(HDRS) | build/kinc
	$(MUSLCC) $(STATIC_FLAGS) -idirafter build/kinc -o $@ $(SRCS)

# Another architecture: the cross gcc with musl's own gcc specs, its paths rewritten to the
# unpacked musl-dev; the kernel headers come with the cross gcc (linux-libc-dev-*-cross).
build/static-%/musl-gcc.specs:
	@command -v $(gnu_$*)-gcc >/dev/null || \
		{ echo "make static: no $(gnu_$*)-gcc (apt-get install gcc-$(gnu_$*))" >&2; exit 1; }
	@mkdir -p build/static-$*/kinc
	@root=$$(tests/vm/debs.sh $* musl) && \
		sed "s|/usr/|$$root/usr/|g" $$root/usr/lib/$(musl_$*)/musl-gcc.specs >$@.tmp
	ln -sfn /usr/$(gnu_$*)/include/linux build/static-$*/kinc/linux
	ln -sfn /usr/$(gnu_$*)/include/asm-generic build/static-$*/kinc/asm-generic
	ln -sfn /usr/$(gnu_$*)/include/asm build/static-$*/kinc/asm
	@mv $@.tmp $@

minirunc-static-%: $(SRCS) $(HDRS) build/static-%/musl-gcc.specs
	$(gnu_$*)-gcc -specs=build/static-$*/musl-gcc.specs $(STATIC_FLAGS) \
		-idirafter build/static-$*/kinc -o $@ $(SRCS)

.PRECIOUS: build/static-%/musl-gcc.specs
static: $(STATIC_BIN)

build/unit/%: tests/unit/%.c $(LIB_SRCS) $(HDRS) tests/unit/unit.h
	@mkdir -p build/unit
	$(CC) $(WARN) -Werror $(DEFS) -O1 -g -I. -o $@ $< $(LIB_SRCS)

# Hand-run tools for root shells (tests/nltool.c, tests/rootfs_selftest.c,
# tests/cgdevtool.c) and the seccomp tests' compiler front end
# (tests/seccomp_bpf.c): built with the unit tests so they never rot.
TOOLS    := build/tools/nltool build/tools/rootfs_selftest build/tools/cgdevtool \
	    build/tools/seccomp_bpf
build/tools/%: tests/%.c $(LIB_SRCS) $(HDRS)
	@mkdir -p build/tools
	$(CC) $(WARN) -Werror $(DEFS) -O1 -g -I. -o $@ $< $(LIB_SRCS)

build-unit: $(UNIT_BINS) $(TOOLS)

unit: $(UNIT_BINS)
	@rc=0; for t in $(UNIT_BINS); do $$t || rc=1; done; exit $$rc

build/asan/%: tests/unit/%.c $(LIB_SRCS) $(HDRS) tests/unit/unit.h
	@mkdir -p build/asan
	$(CLANG) $(WARN) -Werror $(DEFS) -O1 -g $(SAN) -I. -o $@ $< $(LIB_SRCS)

minirunc-asan: $(SRCS) $(HDRS)
	$(CLANG) $(WARN) -Werror $(DEFS) -O1 -g $(SAN) -o $@ $(SRCS)

asan-build: $(UNIT_SRCS:tests/unit/%.c=build/asan/%) minirunc-asan

asan: asan-build
	@rc=0; for t in $(UNIT_SRCS:tests/unit/%.c=build/asan/%); do $$t || rc=1; done; exit $$rc

FUZZ_CC  = $(CLANG) -g -O1 -fsanitize=fuzzer,address,undefined $(DEFS) -I.

# The config parser is spec.c and its section files (spec_*.c); spec_seccomp.c
# uses seccomp*.c's names and tables.
SPEC_SRCS := $(sort $(wildcard json*.c)) $(sort $(wildcard spec*.c)) $(sort $(wildcard seccomp*.c)) util.c
build/fuzz_config: tests/fuzz/fuzz_config.c $(SPEC_SRCS) $(HDRS)
	@mkdir -p build
	$(FUZZ_CC) -DFUZZ_SPEC -o $@ tests/fuzz/fuzz_config.c $(SPEC_SRCS)

build/fuzz_netlink: tests/fuzz/fuzz_netlink.c netlink.c util.c $(HDRS)
	@mkdir -p build
	$(FUZZ_CC) -o $@ tests/fuzz/fuzz_netlink.c netlink.c util.c

# json.c + spec.c, then the netlink reply parser, FUZZ_SECONDS each.
fuzz: build/fuzz_config build/fuzz_netlink
	@mkdir -p build/corpus-config build/corpus-netlink
	build/fuzz_config -max_total_time=$(FUZZ_SECONDS) -dict=tests/fuzz/json.dict \
		build/corpus-config tests/fuzz/corpus
	build/fuzz_netlink -max_total_time=$(FUZZ_SECONDS) build/corpus-netlink \
		tests/fuzz/corpus-netlink

test:
	tests/run.sh

demo:
	demo/demo.sh

bench: minirunc minirunc-static
	bench/run.sh

install: minirunc
	install -d $(DESTDIR)$(BINDIR)
	install -m 0755 minirunc $(DESTDIR)$(BINDIR)/minirunc

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/minirunc

fmt:
	clang-format -i $(SRCS) $(HDRS) tests/*.c tests/unit/*.c tests/unit/*.h tests/fuzz/*.c bench/*.c

clean:
	rm -rf build minirunc minirunc-static minirunc-static-* minirunc-asan tests/probe

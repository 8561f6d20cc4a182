# SPDX-License-Identifier: GPL-2.0
#
# fcpmem: wraps kbuild and the test suites. Kbuild lists the objects.
#
#   make [KVER=...]      build fcpmem.ko into build/<KVER>/ with W=1; KVER is a
#                        version or a kernels.conf name (make KVER=7.3)
#   make deps            install every package and kernel the project needs
#   make demo            boot a VM, load fcpmem, mkfs + mount -o dax, run fio
#   make check           everything: host build + tests and VM tests, every kernel
#   make check-host      host half: builds (W=1, every kernel), flushcache tests, lint
#   make check-vm        VM half: selftests in QEMU on every kernel
#   make check-crash     power-cut test, 20 kills per kernel (check runs 3)
#   make bench           fcpmem vs nd_pmem, brd, rapiddisk in one VM per kernel
#   make bench-flush     host benchmark of the flushcache copy variants
#   make dkms-install    register the checkout with DKMS and build/install it
#   make dkms-remove     remove it from DKMS again
#   make clean

TOP	:= $(CURDIR)
SHELL	:= /bin/bash
SOURCES	:= Kbuild $(wildcard $(TOP)/*.c $(TOP)/*.h)

# A kernels.conf name or an empty KVER resolves to an installed version;
# KROOT is / or the tree that holds it (kernels.conf, tools/kernels).
override KVER := $(shell $(TOP)/tools/kernels kver $(KVER) 2>/dev/null || echo $(KVER))
KROOT	:= $(shell $(TOP)/tools/kernels root $(KVER) 2>/dev/null)
KDIR	?= /lib/modules/$(KVER)/build
BUILD	:= $(TOP)/build/$(KVER)

.PHONY: all module deps demo check check-host check-vm bench bench-flush \
	dkms-install dkms-remove check-crash clean help

all: module

# Each kernel gets its own object directory of symlinks to the sources, so
# builds for different kernels never share an object file. A kernel from
# another distribution builds in its tree, with that tree's compiler.
module:
	@if [ -z "$(KVER)" ] || [ -z "$(KROOT)" ] || [ ! -e "$(KROOT)$(KDIR)/Makefile" ]; then \
		echo "fcpmem: no kernel headers for '$(KVER)' ($(KROOT)$(KDIR)); run 'make deps' or pass KVER=" >&2; \
		exit 1; \
	fi
	@echo "fcpmem: KVER=$(KVER) KDIR=$(KROOT:/=)$(KDIR) -> $(BUILD)/fcpmem.ko"
	@mkdir -p $(BUILD)
	@for f in $(notdir $(SOURCES)); do ln -sf $(TOP)/$$f $(BUILD)/$$f; done
	$(TOP)/tools/kernels exec $(KVER) $(MAKE) -C $(KDIR) M=$(BUILD) W=1 modules

deps:
	@$(TOP)/tools/deps

demo: deps
	@$(TOP)/tools/demo

check: deps
	@$(TOP)/tools/check all

check-host: deps
	@$(TOP)/tools/check host

check-vm: deps
	@$(TOP)/tools/check vm

check-crash: deps
	@$(TOP)/tools/check crash

dkms-install: deps
	@$(TOP)/tools/dkms install

dkms-remove:
	@$(TOP)/tools/dkms remove

bench: deps
	@$(TOP)/tools/bench/run $(BENCH_ARGS)

bench-flush: deps
	$(MAKE) -C $(TOP)/tools/bench-flush run

clean:
	rm -rf $(TOP)/build
	-$(MAKE) -C $(TOP)/selftests/host clean
	-$(MAKE) -C $(TOP)/tools/crash clean

help:
	@sed -n '3,17p' $(TOP)/Makefile | sed 's/^# \{0,1\}//'

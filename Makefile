# SPDX-License-Identifier: GPL-2.0
#
# fcpmem: wraps kbuild, packaging and the test suites. Kbuild lists the
# objects. KVER= picks the kernel: a version or a kernels.conf name
# (make KVER=7.3); default the running kernel if it has headers, else the
# newest kernel of kernels.conf. Every target says what it does in a "## "
# comment on its own line, which is what make help prints.

TOP	:= $(CURDIR)
SHELL	:= /bin/bash
SOURCES	:= Kbuild dkms.conf $(wildcard $(TOP)/*.c $(TOP)/*.h)

# make install puts the module into the running kernel unless KVER= names
# another; decided before KVER is resolved below.
INSTALL_KVER := $(if $(filter command line environment,$(origin KVER)),$(shell \
	$(TOP)/tools/kernels kver $(KVER) 2>/dev/null || echo $(KVER)),$(shell uname -r))

# A kernels.conf name or an empty KVER resolves to an installed version;
# KROOT is / or the tree that holds it (kernels.conf, tools/kernels).
override KVER := $(shell $(TOP)/tools/kernels kver $(KVER) 2>/dev/null || echo $(KVER))
KROOT	:= $(shell $(TOP)/tools/kernels root $(KVER) 2>/dev/null)
KDIR	?= /lib/modules/$(KVER)/build
BUILD	:= $(TOP)/build/$(KVER)

.PHONY: all module deps deps-build install demo demo-fabric check check-host check-vm \
	bench bench-flush bench-icount dkms-install dkms-remove check-crash htmldocs clean help

all: module ## the same as make module

# Each kernel gets its own object directory of symlinks to the sources, so
# builds for different kernels never share an object file. A kernel from
# another distribution builds in its tree, with that tree's compiler.
module: ## build build/<KVER>/fcpmem.ko with W=1
	@if [ -z "$(KVER)" ] || [ -z "$(KROOT)" ] || [ ! -e "$(KROOT)$(KDIR)/Makefile" ]; then \
		echo "fcpmem: no kernel headers for '$(KVER)' ($(KROOT)$(KDIR)); run 'make deps-build' or pass KVER=" >&2; \
		exit 1; \
	fi
	@echo "fcpmem: KVER=$(KVER) KDIR=$(KROOT:/=)$(KDIR) -> $(BUILD)/fcpmem.ko"
	@mkdir -p $(BUILD)
	@for f in $(notdir $(SOURCES)); do ln -sf $(TOP)/$$f $(BUILD)/$$f; done
	$(TOP)/tools/kernels exec $(KVER) $(MAKE) -C $(KDIR) M=$(BUILD) W=1 modules

deps-build: ## install what building needs: make, gcc, dkms, debhelper, the running kernel's headers
	@$(TOP)/tools/deps build

deps: ## install what building and testing need, and every kernel of kernels.conf
	@$(TOP)/tools/deps test

demo: deps ## boot a VM, load fcpmem, mkfs + mount -o dax, run fio
	@$(TOP)/tools/demo

demo-fabric: deps ## two VMs on one QEMU network: one serves an fcpmem disk over NVMe/TCP, the other uses it
	@$(TOP)/tools/demo-fabric

check: deps ## everything: host build + tests and VM tests, every kernel
	@$(TOP)/tools/check all

check-host: deps ## host half: builds (W=1, every kernel), flushcache tests, lint, docs
	@$(TOP)/tools/check host

check-vm: deps ## VM half: selftests in QEMU on every kernel
	@$(TOP)/tools/check vm

check-crash: deps ## power-cut test, 20 kills per kernel (check runs 3)
	@$(TOP)/tools/check crash

.PHONY: debug-kernel check-debug
debug-kernel: ## build the debug kernel (KASAN, lockdep, kmemleak, UBSAN, fault injection) into /var/cache/fcpmem; a no-op when built
	@$(TOP)/tools/deps debug
	@$(TOP)/tools/debug-kernel/build

check-debug: deps debug-kernel ## the whole VM suite on the debug kernel: any KASAN, lockdep, UBSAN, kmemleak report fails it
	@$(TOP)/tools/debug-kernel/check

.PHONY: check-xfstests-dax
check-xfstests-dax: deps ## fstests' dax group, ext4 and xfs, -o dax on fcpmem, newest kernel (make check runs its ext4 half)
	@$(TOP)/tools/xfstests/build >/dev/null && \
		$(TOP)/tools/xfstests/run --expected dax $$($(TOP)/tools/kernels newest) -g dax

.PHONY: check-xfstests
check-xfstests: deps ## fstests -o dax, fcpmem against nd_pmem, every kernel; table into Documentation/testing.rst
	@$(TOP)/tools/xfstests/compare --update-doc

# kbuild installs into /lib/modules/<KVER>/updates/, which modprobe prefers
# over the kernel's own tree; INSTALL_MOD_PATH=DIR stages it under DIR.
# Debian's headers ask kbuild to sign with a key they do not ship: signing
# is ours instead, with DKMS's MOK key when there is one (Secure Boot), on
# the built module before kbuild copies (and compresses) it.
MOK_KEY	?= /var/lib/dkms/mok.key
MOK_CERT ?= /var/lib/dkms/mok.pub
install: deps-build ## build for the running kernel (or KVER=), install it into its updates/, depmod; fcpmemctl into /usr/local
	@$(MAKE) --no-print-directory module KVER=$(INSTALL_KVER)
	@ko=$(TOP)/build/$(INSTALL_KVER)/fcpmem.ko; \
	if [ -r "$(MOK_KEY)" ] && [ -r "$(MOK_CERT)" ]; then \
		if tail -c 28 $$ko | grep -q '~Module signature appended~'; then \
			echo "fcpmem: $$ko is signed already"; \
		else \
			echo "fcpmem: signing $$ko with $(MOK_CERT)"; \
			$(TOP)/tools/kernels exec $(INSTALL_KVER) /lib/modules/$(INSTALL_KVER)/build/scripts/sign-file \
				sha256 $(MOK_KEY) $(MOK_CERT) $$ko || exit 1; \
		fi; \
	else \
		echo "fcpmem: no $(MOK_KEY): module not signed (needed only with Secure Boot, see README)"; \
	fi
	$(TOP)/tools/kernels exec $(INSTALL_KVER) $(MAKE) -C /lib/modules/$(INSTALL_KVER)/build \
		M=$(TOP)/build/$(INSTALL_KVER) INSTALL_MOD_DIR=updates CONFIG_MODULE_SIG_ALL= \
		$(if $(INSTALL_MOD_PATH),INSTALL_MOD_PATH=$(INSTALL_MOD_PATH)) modules_install
	depmod $(if $(INSTALL_MOD_PATH),-b $(INSTALL_MOD_PATH)) -a $(INSTALL_KVER)
	$(MAKE) --no-print-directory -C $(TOP)/tools/fcpmemctl install \
		$(if $(INSTALL_MOD_PATH),DESTDIR=$(INSTALL_MOD_PATH))

dkms-install: deps-build ## register the checkout with DKMS and build/install it for every kernel with headers
	@$(TOP)/tools/dkms install

dkms-remove: ## remove this version from DKMS again
	@$(TOP)/tools/dkms remove

.PHONY: deb
deb: deps-build ## build the Debian packages fcpmem-dkms and fcpmem-utils into build/deb/
	@$(TOP)/tools/deb build

bench: deps ## fcpmem vs nd_pmem, brd, rapiddisk in one VM per kernel
	@$(TOP)/tools/bench/run $(BENCH_ARGS)

bench-icount: deps ## instructions per I/O of every driver under QEMU -icount, per kernel
	@$(TOP)/tools/bench/icount $(BENCH_ARGS)

bench-flush: deps ## host benchmark of the flushcache copy variants
	$(MAKE) -C $(TOP)/tools/bench-flush run

# bench/ holds the data and charts the pages link to: copied beside them.
htmldocs: ## build Documentation/ as HTML into build/htmldocs (Sphinx, a warning fails)
	@command -v sphinx-build >/dev/null || \
		{ echo "fcpmem: sphinx-build is missing: apt-get install python3-sphinx, or make deps" >&2; exit 1; }
	sphinx-build -W --keep-going -q -b html $(TOP)/Documentation $(TOP)/build/htmldocs
	@cp -r $(TOP)/Documentation/bench $(TOP)/build/htmldocs/
	@echo "fcpmem: HTML in build/htmldocs/index.html"

clean: ## remove build/ and the test binaries
	rm -rf $(TOP)/build
	$(MAKE) --no-print-directory -s -C $(TOP)/selftests/host clean
	$(MAKE) --no-print-directory -s -C $(TOP)/tools/crash clean

help: ## this list
	@echo "usage: make [TARGET] [KVER=version or kernels.conf name]"
	@awk -F ':[^#]*## ' '/^[a-z][a-z-]*:.*## / { printf "  %-14s %s\n", $$1, $$2 }' $(TOP)/Makefile

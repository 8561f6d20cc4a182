#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Bad module parameters and a region someone else owns: insmod must fail,
# dmesg must say why, nothing may be left behind and the kernel must not
# warn. Expects the legacy regions at 1G (512 MiB) and 2G (256 MiB).
. "$(dirname "$0")/lib.sh"

# expect_load_fails DESC DMESG-REGEX PARAMS...
expect_load_fails() {
	_desc=$1
	_re=$2
	shift 2
	dmesg_mark
	if fcpmem_load "$@" 2>"$FCPMEM_TMP/insmod.err"; then
		ktap_not_ok "$_desc: insmod $* succeeded"
		fcpmem_unload
		return
	fi
	_msg=$(dmesg_since_mark)
	if ! echo "$_msg" | grep -Eq "$_re"; then
		ktap_not_ok "$_desc: dmesg does not match /$_re/"
		echo "$_msg" | sed 's/^/# /'
	elif fcpmem_loaded || grep -q fcpmem /proc/iomem; then
		ktap_not_ok "$_desc: left fcpmem behind"
	elif kernel_warned; then
		ktap_not_ok "$_desc: the kernel warned"
	else
		ktap_ok "$_desc ($(echo "$_msg" | grep -E "$_re" | head -n 1 | sed 's/^\[[^]]*\] //'))"
	fi
}

expect_load_fails "zero-sized region" "zero size" regions=0@1G
expect_load_fails "nonexistent region" "not inside a legacy pmem region" regions=256M@8G
expect_load_fails "region in System RAM" "not inside a legacy pmem region" regions=16M@64M
expect_load_fails "region running past its reservation" "not inside a legacy pmem region" regions=768M@1G
expect_load_fails "overlapping regions" "overlap" regions=256M@1G,128M@1152M
expect_load_fails "duplicate regions" "overlap" regions=256M@2G,256M@2G
expect_load_fails "unaligned size" "not aligned" regions=1000@1G
expect_load_fails "unaligned start" "not aligned" regions=256M@1073741825
expect_load_fails "no @ in region" "not size@start" regions=256M
expect_load_fails "garbage region" "not size@start" regions=banana
expect_load_fails "bad start address" "bad start address" regions=256M@1Gx
expect_load_fails "address space wrap" "wraps" regions=16M@0xfffffffffff00000
expect_load_fails "too many regions" "at most 16" \
	regions=4K@1G,4K@1025M,4K@1026M,4K@1027M,4K@1028M,4K@1029M,4K@1030M,4K@1031M,4K@1032M,4K@1033M,4K@1034M,4K@1035M,4K@1036M,4K@1037M,4K@1038M,4K@1039M,4K@1040M
expect_load_fails "empty name prefix" "name=" name=
expect_load_fails "name prefix with /" "name=" name=a/b
expect_load_fails "name prefix too long" "name=" name=abcdefghijklmnop
expect_load_fails "unknown copy variant" "unknown variant" copy=sse9
expect_load_fails "non-boolean dax" "dax" dax=maybe

# The in-tree driver owns both regions: we must refuse, naming the region.
if modprobe nd_e820 2>/dev/null && modprobe nd_pmem 2>/dev/null && wait_dev /dev/pmem0; then
	expect_load_fails "region owned by nd_pmem" "is busy: .*already claimed" 
	check "nd_pmem still serves its disk after our refusal" \
		dd if=/dev/pmem0 of=/dev/null bs=4096 count=1 iflag=direct
	modprobe -r nd_pmem nd_e820 nd_btt 2>/dev/null
	modprobe -r nd_e820 nd_pmem libnvdimm 2>/dev/null
	if fcpmem_load; then
		ktap_ok "loads once nd_pmem let go"
		fcpmem_unload
	else
		ktap_not_ok "loads once nd_pmem let go"
		dmesg | tail -n 5 | sed 's/^/# /'
	fi
else
	ktap_skip "region owned by nd_pmem: nd_e820/nd_pmem did not load"
fi

ktap_finish

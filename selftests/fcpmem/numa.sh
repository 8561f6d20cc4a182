#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# NUMA: the device, its disk and the struct pages of its DAX mapping sit on
# the node of the region's memory, not on the node of the CPU that loaded
# the module. Needs a guest with two nodes and the region on node 1
# (tools/check's vm-numa suite boots one); skips otherwise. The region
# there is not 2 MiB aligned either, so the dmesg hint for a memmap=
# reservation is checked too.
. "$(dirname "$0")/lib.sh"

want=${FCPMEM_NUMA_NODE:-1}
dev=/dev/pmem0

if [ ! -d /sys/devices/system/node/node$want ]; then
	ktap_skip "needs a guest with node $want"
	ktap_finish
	exit
fi

# Device zone pages spanned on node N. The kernel never shrinks a
# ZONE_DEVICE span (remove_pfn_range_from_zone() leaves it), so compare
# with the value before the load rather than expect 0 after an unload.
spanned() {
	awk -v n="$1" '$1 == "Node" && $2 == n "," { z = $4 }
		z == "Device" && $1 == "spanned" { print $2; exit }' /proc/zoneinfo
}

# Load from a CPU of node 0, so "the node that ran insmod" is not the
# answer by luck.
cpu=$(cut -d, -f1 /sys/devices/system/node/node0/cpulist | cut -d- -f1)
node0_before=$(spanned 0)
dmesg_mark
if ! taskset -c "$cpu" insmod "$FCPMEM_KO" || ! wait_dev $dev; then
	ktap_not_ok "load fcpmem on CPU $cpu"
	ktap_finish
	exit
fi
expect_eq "DAX on" "fcpmem/dax" "$(fcpmem_stat pmem0 dax)" 1
expect_eq "device on node $want" "/sys/block/pmem0/device/numa_node" \
	"$(cat /sys/block/pmem0/device/numa_node 2>&1)" "$want"
pages=$(($(cat /sys/block/pmem0/size) / 8))
expect_eq "struct pages in node $want's ZONE_DEVICE, none in node 0's" \
	"Device pages spanned on node $want; on node 0, before and after" \
	"$([ "$(spanned "$want")" -ge "$pages" ] && echo ">= $pages"); $node0_before $(spanned 0)" \
	">= $pages; $node0_before $node0_before"
check "dmesg reports the disk on node $want" \
	sh -c "dmesg | tail -n 20 | grep -q 'pmem0: .* node $want'"

# memmap=255M!2305M: 2305M is 1 MiB past 2 MiB alignment.
msg=$(dmesg_since_mark | grep 'not 2 MiB aligned')
expect_eq "unaligned memmap=: the hint is the served range" "dmesg" \
	"$(echo "$msg" | grep -o 'memmap=[^ ]*')" "memmap=254M!2306M"
fcpmem_unload

ktap_finish

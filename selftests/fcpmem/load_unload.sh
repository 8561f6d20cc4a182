#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Load/unload cycles: one disk per legacy region, sized exactly as the
# region, everything released on unload. Parameters that pick regions, the
# name prefix and the copy variant.
. "$(dirname "$0")/lib.sh"

regions=$(grep -c 'Persistent Memory (legacy)' /proc/iomem)
# Region sizes in 512-byte sectors, in address order.
want_sizes=$(grep 'Persistent Memory (legacy)' /proc/iomem |
	while IFS='-: ' read -r s e _; do
		echo $(( (0x$e - 0x$s + 1) / 512 ))
	done | tr '\n' ' ')

cycles=20
bad=""
for i in $(seq 1 $cycles); do
	if ! fcpmem_load; then
		bad="insmod failed in cycle $i"
		break
	fi
	# Builtins only in this loop: see fcpmem_loaded() in lib.sh.
	disks="" sizes="" n=0
	for d in $(fcpmem_disks); do
		read -r sz </sys/block/$d/size
		disks="$disks$d " sizes="$sizes$sz " n=$((n + 1))
	done
	if [ "$n" != "$regions" ] || [ "$sizes" != "$want_sizes" ]; then
		bad="cycle $i: disks '$disks' sizes '$sizes', want $regions disks of '$want_sizes'"
		rmmod fcpmem
		break
	fi
	if ! rmmod fcpmem; then
		bad="rmmod failed in cycle $i"
		break
	fi
	if fcpmem_loaded || fcpmem_in_iomem || [ -n "$(fcpmem_disks)" ]; then
		bad="cycle $i: leftovers after rmmod"
		break
	fi
done
if [ -z "$bad" ]; then
	ktap_ok "$cycles load/unload cycles, $regions disks sized '$want_sizes' sectors each time"
else
	ktap_not_ok "$cycles load/unload cycles"
	ktap_diag "$bad"
fi
# On a kernel with kmemleak: the cycles left nothing allocated.
if [ -w "$FCPMEM_KMEMLEAK" ]; then
	if kmemleak_report >"$FCPMEM_TMP/leaks.out"; then
		ktap_ok "kmemleak: nothing leaked by $cycles load/unload cycles"
	else
		ktap_not_ok "kmemleak: $cycles load/unload cycles leaked"
		cat "$FCPMEM_TMP/leaks.out"
	fi
fi

fcpmem_load
expect_eq "disks named pmem0..pmem$((regions - 1))" "disks" \
	"$(fcpmem_disks | tr '\n' ' ')" \
	"$(seq -f 'pmem%g' 0 $((regions - 1)) | tr '\n' ' ')"
check "device nodes exist" wait_dev /dev/pmem0
first=$(grep -m1 'Persistent Memory (legacy)' /proc/iomem | cut -d' ' -f1)
base=${first%-*}
expect_eq "sysfs region matches /proc/iomem" "region" \
	"$(cat /sys/block/pmem0/fcpmem/region)" \
	"$(printf '0x%x-0x%x' $((0x$base)) $((0x${first#*-})))"
check "iomem shows our claim inside the legacy region" \
	sh -c "grep -A1 'Persistent Memory (legacy)' /proc/iomem | grep -q 'fcpmem.0'"
expect_eq "logical block size 512" "lbs" \
	"$(cat /sys/block/pmem0/queue/logical_block_size)" 512
expect_eq "physical block size 4096" "pbs" \
	"$(cat /sys/block/pmem0/queue/physical_block_size)" 4096
expect_eq "non-rotational" "rotational" \
	"$(cat /sys/block/pmem0/queue/rotational)" 0
expect_eq "write cache advertised" "write_cache" \
	"$(cat /sys/block/pmem0/queue/write_cache)" "write back"
expect_eq "FUA advertised" "fua" "$(cat /sys/block/pmem0/queue/fua)" 1
expect_eq "iostats on" "iostats" "$(cat /sys/block/pmem0/queue/iostats)" 1
check "disk stats count I/O" sh -c '
	dd if=/dev/pmem0 of=/dev/null bs=4096 count=8 iflag=direct 2>/dev/null &&
	[ "$(awk "{print \$1}" /sys/block/pmem0/stat)" -gt 0 ]'
check "dmesg names each disk and its region" sh -c \
	"dmesg | grep -q 'fcpmem.0: pmem0: \[mem $(cat /sys/block/pmem0/fcpmem/region)\] $(($(cat /sys/block/pmem0/size) / 2048)) MiB'"
fcpmem_unload

# regions= picks a part of a reservation.
if fcpmem_load regions="128M@0x$base"; then
	expect_eq "regions=128M@0x$base gives one 128 MiB disk" "disks/size" \
		"$(fcpmem_disks | tr '\n' ' ')$(cat /sys/block/pmem0/size)" \
		"pmem0 262144"
	fcpmem_unload
else
	ktap_not_ok "regions=128M@0x$base loads"
fi

if fcpmem_load name=fcp; then
	check "name=fcp gives /dev/fcp0" wait_dev /dev/fcp0
	fcpmem_unload
else
	ktap_not_ok "name=fcp loads"
fi

# Without copy=, every variant the CPU has is timed and the fastest used.
usable=movnti
for v in movnti avx2 avx512; do
	dmesg_mark
	if fcpmem_load copy=$v 2>/dev/null; then
		expect_eq "copy=$v is used" "copy_variant" \
			"$(cut -d' ' -f1 /sys/block/pmem0/fcpmem/copy_variant)" "$v"
		fcpmem_unload
		[ "$v" = movnti ] || usable="$usable $v"
	elif dmesg_since_mark | grep -q "lacks"; then
		ktap_skip "copy=$v: guest CPU lacks it"
	else
		ktap_not_ok "copy=$v loads"
		dmesg_since_mark | sed 's/^/# /'
	fi
done

dmesg_mark
if fcpmem_load; then
	msg=$(dmesg_since_mark)
	used=$(cut -d' ' -f1 /sys/block/pmem0/fcpmem/copy_variant)
	fcpmem_unload
	timed=$(echo "$msg" | sed -n 's/.*ns per 4 KiB copy: //p' |
		sed 's/ [0-9][0-9]*,\{0,1\}//g')
	if [ "$usable" = movnti ]; then
		expect_eq "default variant with only movnti" "variant/dmesg" \
			"$used $(echo "$msg" | grep -c 'copy variant movnti (the only one)')" \
			"movnti 1"
	else
		# dmesg lists the timed variants widest first; movnti last.
		want=
		for v in avx512 avx2 movnti; do
			case " $usable " in *" $v "*) want="$want$v " ;; esac
		done
		expect_eq "default: every usable variant timed" "timed" \
			"$timed " "$want"
		expect_eq "default: the timed choice is used and named" "variant/dmesg" \
			"$used $(echo "$msg" | grep -c "copy variant $used (timed)")" \
			"$used 1"
	fi
	echo "$msg" | grep -E 'ns per|copy variant' | sed 's/^/# /'
else
	ktap_not_ok "default load"
fi

# A partition table is read at load, before anyone opens the disk (on
# 6.9 and later fcpmem holds the scan back until every region is up, and
# scans itself then: compat.h).
if command -v sfdisk >/dev/null && fcpmem_load && wait_dev /dev/pmem0; then
	echo ',64M' | sfdisk -q /dev/pmem0 >"$FCPMEM_TMP/sfdisk.out" 2>&1
	fcpmem_unload
	if fcpmem_load; then
		if [ -e /sys/block/pmem0/pmem0p1 ]; then
			ktap_ok "a partition table written before the unload is read at the load"
		else
			ktap_not_ok "a partition table written before the unload is read at the load: no pmem0p1"
			sed 's/^/# /' "$FCPMEM_TMP/sfdisk.out"
		fi
		dd if=/dev/zero of=/dev/pmem0 bs=512 count=1 oflag=direct 2>/dev/null
	else
		ktap_not_ok "load with a partition table on pmem0"
	fi
	fcpmem_unload
else
	fcpmem_unload
	ktap_skip "partition table read at load: no sfdisk, or fcpmem did not load"
fi

ktap_finish

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Disk byte 0 of a region that is not 2 MiB aligned is the same physical
# byte with dax=1 and dax=0: ext4 made in one mode is read, clean and
# byte for byte, in the other. The region is a regions= sub-range of the
# first reservation, page aligned but not 2 MiB aligned, so no extra boot
# is needed.
. "$(dirname "$0")/lib.sh"

dev=/dev/pmem0
mnt=$FCPMEM_TMP/mnt
mkdir -p "$mnt"
modprobe ext4 2>/dev/null

base=$(grep -m1 'Persistent Memory (legacy)' /proc/iomem | cut -d- -f1)
if [ -z "$base" ]; then
	ktap_skip "no legacy pmem region"
	ktap_finish
	exit
fi
# [base + 4 KiB, base + 128 MiB): 2 MiB - 4 KiB at the front, none at the
# end; both modes must serve [base + 2 MiB, base + 128 MiB), 126 MiB.
start=$((0x$base + 4096))
size_k=$(((128 << 10) - 4))
region=regions=${size_k}K@$(printf '%#x' $start)
served=$(printf '%#x-%#x' $((0x$base + (2 << 20))) $((0x$base + (128 << 20) - 1)))

# load DAX: fcpmem with dax=DAX on the region, checked to serve $served.
load() {
	if ! fcpmem_load $region dax="$1" || ! wait_dev $dev; then
		ktap_not_ok "dax=$1: load"
		return 1
	fi
	expect_eq "dax=$1: serves $served, DAX $1" "fcpmem/region dax" \
		"$(fcpmem_stat pmem0 region) $(fcpmem_stat pmem0 dax)" "$served $1"
}

mount_mode() {
	if [ "$1" = 1 ]; then
		mount -o dax $dev "$mnt"
	else
		mount $dev "$mnt"
	fi
}

# roundtrip FROM TO: mkfs and a file with dax=FROM, read back with dax=TO.
roundtrip() {
	from=$1
	to=$2
	tag="made with dax=$from, read with dax=$to"
	load "$from" || return
	# Zeroes first: a file system left by the other direction must not
	# make a wrong layout look right.
	dd if=/dev/zero of=$dev bs=1M oflag=direct 2>/dev/null
	if ! mkfs.ext4 -F -q -b 4096 $dev >"$FCPMEM_TMP/mkfs.out" 2>&1 ||
	   ! mount_mode "$from"; then
		ktap_not_ok "$tag: mkfs and mount"
		sed 's/^/# /' "$FCPMEM_TMP/mkfs.out"
		fcpmem_unload
		return
	fi
	dd if=/dev/urandom of="$mnt/data" bs=1M count=8 2>/dev/null
	sync
	sum=$(sha256sum <"$mnt/data")
	umount "$mnt"
	fcpmem_unload

	load "$to" || return
	check "$tag: fsck.ext4 -n clean" fsck.ext4 -fn $dev
	if mount_mode "$to" 2>"$FCPMEM_TMP/mount.err"; then
		expect_eq "$tag: file checksum" "sha256" \
			"$(sha256sum <"$mnt/data" 2>&1)" "$sum"
		umount "$mnt"
	else
		ktap_not_ok "$tag: mount"
		sed 's/^/# /' "$FCPMEM_TMP/mount.err"
	fi
	fcpmem_unload
}

roundtrip 1 0
roundtrip 0 1

# What dmesg says: what is served, what is left, and a regions= that
# serves exactly that (this is a regions= entry, so no memmap= hint).
dmesg_mark
if fcpmem_load $region && wait_dev $dev; then
	msg=$(dmesg_since_mark | grep 'not 2 MiB aligned')
	expect_eq "message names the served range and the unused edges" \
		"dmesg" "$(echo "$msg" | grep -o 'serving \[mem [^]]*\] ([0-9]* MiB)[^;]*;[^;]*unused')" \
		"serving [mem $served] (126 MiB) with dax=0 and dax=1 alike; 2044 KiB before it and 0 KiB after it unused"
	expect_eq "message suggests the exact regions=" "dmesg" \
		"$(echo "$msg" | grep -o 'regions=[^ ]*')" \
		"regions=126M@$(((0x$base >> 20) + 2))M"
	fcpmem_unload
else
	ktap_not_ok "load for the message"
fi

ktap_finish

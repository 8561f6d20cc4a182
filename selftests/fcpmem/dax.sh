#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# DAX: ext4 and xfs on /dev/pmem0 mounted with -o dax; file data written
# by write(2), pwritev and MAP_SYNC stores survives umount, module reload
# and remount; fio on a DAX file; MAP_SYNC refused without DAX; unload
# refused while mounted; the misaligned-region path.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fio.sh"

dev=/dev/pmem0
mnt=$FCPMEM_TMP/mnt
mkdir -p "$mnt"

if ! fcpmem_load || ! wait_dev $dev; then
	ktap_not_ok "load fcpmem"
	ktap_finish
	exit
fi
expect_eq "DAX on by default" "fcpmem/dax" "$(fcpmem_stat pmem0 dax)" 1


fsck_for() {
	case $1 in
	ext4) e2fsck -fn $dev ;;
	xfs) xfs_repair -n $dev ;;
	esac
}

for fs in ext4 xfs; do
	modprobe $fs 2>/dev/null
	if ! mkfs_dax $fs "$dev" >"$FCPMEM_TMP/mkfs.out" 2>&1; then
		ktap_not_ok "$fs: mkfs"
		sed 's/^/# /' "$FCPMEM_TMP/mkfs.out"
		continue
	fi
	if ! mount -o dax $dev "$mnt" 2>"$FCPMEM_TMP/mount.err"; then
		ktap_not_ok "$fs: mount -o dax"
		sed 's/^/# /' "$FCPMEM_TMP/mount.err"
		dmesg | tail -n 5 | sed 's/^/# /'
		continue
	fi
	ktap_ok "$fs: mkfs and mount -o dax"
	check "$fs: /proc/mounts shows dax" \
		sh -c "grep '^$dev ' /proc/mounts | grep -q dax"
	check "$fs: file writes, statx DAX" "$FCPMEM_BIN/dax_file" write "$mnt" 7
	check "$fs: rmmod refused while mounted" sh -c '! rmmod fcpmem'

	run_fio "$fs-dax-mmap" --directory="$mnt" --ioengine=mmap \
		--rw=randwrite --bs=4k --size=16M --verify=crc32c \
		--do_verify=1 --verify_fatal=1
	run_fio "$fs-dax-psync" --directory="$mnt" --ioengine=psync \
		--rw=randwrite --bsrange=512-64k --size=32M --verify=crc32c \
		--do_verify=1 --verify_fatal=1
	rm -f "$mnt"/*dax-mmap* "$mnt"/*dax-psync*

	umount "$mnt"
	check "$fs: clean fsck after DAX writes" fsck_for $fs
	fcpmem_unload
	if fcpmem_load && wait_dev $dev && mount -o dax $dev "$mnt"; then
		check "$fs: data intact after umount, reload, mount" \
			"$FCPMEM_BIN/dax_file" verify "$mnt" 7
		check "$fs: MAP_SYNC accepted with DAX" \
			"$FCPMEM_BIN/dax_file" mapsync "$mnt/ms" 1
		umount "$mnt"
	else
		ktap_not_ok "$fs: remount after reload"
	fi

	# Without DAX the page cache is in the way: MAP_SYNC must be refused.
	if mount -o dax=never $dev "$mnt" 2>/dev/null || mount $dev "$mnt"; then
		check "$fs: MAP_SYNC refused without DAX" \
			"$FCPMEM_BIN/dax_file" mapsync "$mnt/ms" 0
		umount "$mnt"
	else
		ktap_not_ok "$fs: mount without dax"
	fi
done
fcpmem_unload
check "unload clean after umount" sh -c '! grep -q fcpmem /proc/iomem'

# Misaligned regions. The first legacy region starts at 1 GiB; carve
# ranges out of it that are page aligned but not 2 MiB aligned.
base=$(grep -m1 'Persistent Memory (legacy)' /proc/iomem | cut -d- -f1)
start=$(printf '%#x' $((0x$base + 4096)))
dmesg_mark
if fcpmem_load regions=$(((128 << 10) - 4))K@$start && wait_dev $dev; then
	msg=$(dmesg_since_mark)
	if echo "$msg" | grep -q "not 2 MiB aligned: serving \[mem"; then
		ktap_ok "misaligned region: $(echo "$msg" | grep -o 'serving \[mem.*' | cut -c1-60)..."
	else
		ktap_not_ok "misaligned region: message"
		echo "$msg" | sed 's/^/# /'
	fi
	expect_eq "misaligned region: DAX on the aligned 126 MiB" "dax size" \
		"$(fcpmem_stat pmem0 dax) $(($(cat /sys/block/pmem0/size) / 2048))" "1 126"
	mkfs_dax ext4 "$dev" >/dev/null 2>&1
	check "misaligned region: mount -o dax works" mount -o dax $dev "$mnt"
	umount "$mnt" 2>/dev/null
	fcpmem_unload
else
	ktap_not_ok "misaligned region: load"
fi
if fcpmem_load regions=$(((128 << 10) - 4))K@$start dax=0 && wait_dev $dev; then
	# The same 126 MiB: byte 0 must not move with dax= (layout.sh).
	expect_eq "misaligned region, dax=0: the same 126 MiB, no DAX" \
		"dax size" \
		"$(fcpmem_stat pmem0 dax) $(($(cat /sys/block/pmem0/size) / 2048))" \
		"0 126"
	fcpmem_unload
else
	ktap_not_ok "misaligned region, dax=0: load"
fi
dmesg_mark
if fcpmem_load regions=1M@$start && wait_dev $dev; then
	expect_eq "region with no aligned 2 MiB: served without DAX" "dax" \
		"$(fcpmem_stat pmem0 dax)" 0
	check "region with no aligned 2 MiB: message says so" \
		sh -c "dmesg | tail -n 20 | grep -q 'serving all of it, never with DAX'"
	fcpmem_unload
else
	ktap_not_ok "region with no aligned 2 MiB: load"
fi

ktap_finish

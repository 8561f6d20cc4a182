#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# device-mapper on top of fcpmem: a dm-linear table across both disks and a
# dm-stripe one. Each must report DAX, take ext4 (and xfs) mounted -o dax,
# pass its flushes down to every member disk, and keep a file across
# umount, table removal, module reload and reassembly; pwrite + fsync on
# the raw dm device must succeed. On each mount fio verifies a file, and
# dax_file writes with write(2), pwritev and MAP_SYNC stores; all of it
# must read back after the reassembly, and MAP_SYNC must be refused once
# the same file system is mounted without DAX. rmmod is refused while a
# disk is a table member. Two regions expected (memmap=512M!1G
# memmap=256M!2G).
#
# dm's flushes are what this is about: on 6.1, dm-linear remaps the empty
# REQ_PREFLUSH bio it sends to each target like a data bio, so the target
# that starts at sector B of the table receives it at sector 0 - B
# (wrapped). fcpmem once failed such a bio as out of range, silently, and
# every fsync on the table returned EIO.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fio.sh"

mnt=$FCPMEM_TMP/mnt
mkdir -p "$mnt"
# No udev in the test VM: libdevmapper makes the /dev/mapper nodes itself.
export DM_DISABLE_UDEV=1
dm_names="fcpmem_lin fcpmem_str"

cleanup() {
	umount "$mnt" 2>/dev/null
	for n in $dm_names; do
		dmsetup remove "$n" 2>/dev/null
	done
	fcpmem_unload 2>/dev/null
}
trap cleanup EXIT

if ! modprobe dm_mod 2>"$FCPMEM_TMP/modprobe.err"; then
	ktap_skip "device-mapper not available: $(cat "$FCPMEM_TMP/modprobe.err")"
	ktap_finish
	exit
fi
if ! fcpmem_load || ! wait_dev /dev/pmem0 || ! wait_dev /dev/pmem1; then
	ktap_not_ok "load fcpmem with two disks"
	ktap_finish
	exit
fi

s0=$(cat /sys/block/pmem0/size)
s1=$(cat /sys/block/pmem1/size)
# 2 MiB chunks, so DAX huge pages never straddle two stripes.
chunk=4096
per=$(( (s0 < s1 ? s0 : s1) / chunk * chunk ))

# table NAME: the table of that name, one target per line
table() {
	case $1 in
	fcpmem_lin)
		printf '0 %s linear /dev/pmem0 0\n%s %s linear /dev/pmem1 0\n' \
			"$s0" "$s0" "$s1" ;;
	fcpmem_str)
		printf '0 %s striped 2 %s /dev/pmem0 0 /dev/pmem1 0\n' \
			$((2 * per)) $chunk ;;
	esac
}

# dm_create NAME: sets $dev (the /dev/mapper node) and $dmblk (dm-N)
dm_create() {
	table "$1" | dmsetup create "$1" || return 1
	dev=/dev/mapper/$1
	dmblk=dm-$(dmsetup info -c --noheadings -o minor "$1" | tr -d ' ')
	wait_dev "$dev"
}


fio_args="--filename=$mnt/fio.v --ioengine=psync --rw=randwrite --bs=4k --overwrite=1
	--size=8M --verify=crc32c --do_verify=1 --verify_fatal=1"

flushes() {
	echo $(($(fcpmem_stat pmem0 flushes) + 0)) \
		$(($(fcpmem_stat pmem1 flushes) + 0))
}

# One file system on one table: mkfs, mount -o dax, a file fsync'ed, then
# its checksum after umount, dmsetup remove, reload and reassembly.
fs_round() {
	name=$1
	fs=$2
	if ! mkfs_dax "$fs" "$dev" >"$FCPMEM_TMP/mkfs.out" 2>&1; then
		ktap_not_ok "$name $fs: mkfs"
		sed 's/^/# /' "$FCPMEM_TMP/mkfs.out" | tail -n 10
		return
	fi
	if ! mount -o dax "$dev" "$mnt" 2>"$FCPMEM_TMP/mount.err" ||
	   ! grep "^$dev " /proc/mounts | grep -q dax; then
		ktap_not_ok "$name $fs: mount -o dax"
		sed 's/^/# /' "$FCPMEM_TMP/mount.err"
		dmesg | tail -n 5 | sed 's/^/# /'
		umount "$mnt" 2>/dev/null
		return
	fi
	ktap_ok "$name $fs: mkfs and mount -o dax"

	set -- $(flushes)
	if dd if=/dev/urandom of="$mnt/f" bs=64k count=64 conv=fsync \
	      status=none 2>"$FCPMEM_TMP/dd.err"; then
		ktap_ok "$name $fs: 4 MiB file written and fsync'ed"
	else
		ktap_not_ok "$name $fs: 4 MiB file written and fsync'ed"
		sed 's/^/# /' "$FCPMEM_TMP/dd.err"
	fi
	f=$(flushes)
	# dm sends a flush to every member of the table.
	if [ "${f% *}" -gt "$1" ] && [ "${f#* }" -gt "$2" ]; then
		ktap_ok "$name $fs: fsync flushed both members (pmem0 +$((${f% *} - $1)), pmem1 +$((${f#* } - $2)))"
	else
		ktap_not_ok "$name $fs: fsync flushed both members"
		ktap_diag "flushes before '$1 $2', after '$f'"
	fi

	# Random 4 KiB writes into a file through the DAX mount, every block
	# checked; after the reassembly its sha256 must match.
	run_fio "$name-$fs-verify" $fio_args
	check "$name $fs: write(2), pwritev, MAP_SYNC stores, statx DAX" \
		"$FCPMEM_BIN/dax_file" write "$mnt" 11
	check "$name $fs: MAP_SYNC accepted" \
		"$FCPMEM_BIN/dax_file" mapsync "$mnt/ms" 1
	sum=$(cat "$mnt/f" "$mnt/fio.v" | sha256sum | cut -d' ' -f1)
	umount "$mnt"

	expect_rmmod_refused "$name $fs: rmmod refused while a table member"
	if ! dmsetup remove "$name"; then
		ktap_not_ok "$name $fs: dmsetup remove"
		return
	fi
	fcpmem_unload
	if ! fcpmem_load || ! wait_dev /dev/pmem1 || ! dm_create "$name" ||
	   ! mount -o dax "$dev" "$mnt"; then
		ktap_not_ok "$name $fs: reload, reassemble, mount"
		return
	fi
	expect_eq "$name $fs: dd's and fio's files intact after umount, remove, reload, reassembly" \
		"sha256" "$(cat "$mnt/f" "$mnt/fio.v" | sha256sum | cut -d' ' -f1)" "$sum"
	check "$name $fs: write(2), pwritev, MAP_SYNC data intact after reassembly" \
		"$FCPMEM_BIN/dax_file" verify "$mnt" 11
	umount "$mnt"
	# The control: on the same table without DAX the page cache is in the
	# way, and MAP_SYNC must be refused, so the check above means DAX.
	if mount -o dax=never "$dev" "$mnt" 2>/dev/null || mount "$dev" "$mnt"; then
		check "$name $fs: MAP_SYNC refused (EOPNOTSUPP) mounted without DAX" \
			"$FCPMEM_BIN/dax_file" mapsync "$mnt/ms" 0
		umount "$mnt"
	else
		ktap_not_ok "$name $fs: mount without dax"
	fi
}

for name in $dm_names; do
	if ! dm_create "$name"; then
		ktap_not_ok "$name: dmsetup create"
		table "$name" | sed 's/^/# /'
		continue
	fi
	ktap_ok "$name: dmsetup create ($dmblk, $(($(cat /sys/block/$dmblk/size) / 2048)) MiB)"
	expect_eq "$name: $dmblk reports DAX" "queue/dax" \
		"$(cat /sys/block/$dmblk/queue/dax)" 1

	# pwrite + fsync on the raw device, at the start of each member's
	# share of the table, then read back through the member disk.
	case $name in
	fcpmem_lin) off1=$s0 ;;
	fcpmem_str) off1=$chunk ;;
	esac
	ok=1
	for off in 0 "$off1"; do
		dd if=/dev/urandom of="$FCPMEM_TMP/blk" bs=4k count=1 status=none
		if ! dd if="$FCPMEM_TMP/blk" of="$dev" bs=512 seek="$off" \
		      conv=fsync,notrunc status=none 2>"$FCPMEM_TMP/dd.err"; then
			ok=0
			ktap_diag "pwrite+fsync at sector $off: $(cat "$FCPMEM_TMP/dd.err")"
		fi
	done
	if [ $ok -eq 1 ]; then
		ktap_ok "$name: pwrite + fsync on $dev"
	else
		ktap_not_ok "$name: pwrite + fsync on $dev"
	fi
	# The last block went to the start of pmem1 in both tables.
	check "$name: that block is at the start of pmem1" sh -c \
		"dd if=/dev/pmem1 bs=4k count=1 iflag=direct status=none | cmp - $FCPMEM_TMP/blk"

	for fs in ext4 xfs; do
		modprobe "$fs" 2>/dev/null
		fs_round "$name" "$fs"
	done
	check "$name: dmsetup remove" dmsetup remove "$name"
done

check "rmmod after the tables are gone" rmmod fcpmem
if kernel_warned; then
	ktap_not_ok "no kernel warning"
else
	ktap_ok "no kernel warning"
fi
ktap_finish

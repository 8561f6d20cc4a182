#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# dm-writecache in pmem mode ("writecache p"): fcpmem's second disk is the
# cache, a brd disk the origin. dm-writecache maps the whole cache with
# dax_direct_access() and stores into it with memcpy_flushcache(); no bio
# ever reaches fcpmem. So what is checked is that the kernel's own DAX user
# finds in pmem what it put there: its superblock seen through the block
# path at byte 0, data read back through the cache after a table reload
# and after a module reload (while the origin still lacks it), and data
# written back to the origin by "dmsetup message ... flush". Then rmmod of
# fcpmem (and of brd and dm_writecache) is refused while in the table, a
# teardown in the wrong order does not oops, and a cache disk without DAX
# (fcpmem dax=0) is refused by dm with its own error. Two regions expected
# (memmap=512M!1G memmap=256M!2G).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fio.sh"

# No udev in the test VM: libdevmapper makes the /dev/mapper nodes itself.
export DM_DISABLE_UDEV=1
name=fcpmem_wc
dev=/dev/mapper/$name
cache=/dev/pmem1
origin=/dev/ram0
origin_mib=128

cleanup() {
	exec 3<&-
	dmsetup remove "$name" 2>/dev/null
	fcpmem_unload 2>/dev/null
	rmmod brd 2>/dev/null
}
trap cleanup EXIT

for m in dm_mod dm_writecache; do
	if ! modprobe "$m" 2>"$FCPMEM_TMP/modprobe.err"; then
		ktap_skip "$m not available: $(cat "$FCPMEM_TMP/modprobe.err")"
		ktap_finish
		exit
	fi
done
# A brd left by another test may have another size.
rmmod brd 2>/dev/null
if ! modprobe brd rd_nr=1 rd_size=$((origin_mib * 1024)) ||
   ! wait_dev $origin; then
	ktap_skip "brd not available for the origin"
	ktap_finish
	exit
fi
if ! fcpmem_load || ! wait_dev $cache; then
	ktap_not_ok "load fcpmem with two disks"
	ktap_finish
	exit
fi

table() {
	echo "0 $((origin_mib * 2048)) writecache p $origin $cache 4096 0"
}

# wc_status FIELD: from dm-writecache's status line (after "writecache"):
# 1 error, 2 blocks, 3 free blocks, 4 under writeback, 5 reads,
# 6 read hits, 7 writes, ...
wc_status() {
	dmsetup status "$name" | awk -v f="$1" '{ print $(3 + f) }'
}

wc_used() {
	echo $(($(wc_status 2) - $(wc_status 3)))
}

# sum DEV MIB-OFFSET MIB-COUNT: sha256 of that range, read around caches
sum() {
	dd if="$1" bs=1M skip="$2" count="$3" iflag=direct status=none |
		sha256sum | cut -d' ' -f1
}

# put MIB-OFFSET MIB-COUNT: random data through the writecache, fsync'ed;
# prints its sha256
put() {
	dd if=/dev/urandom of="$FCPMEM_TMP/put" bs=1M count="$2" status=none
	dd if="$FCPMEM_TMP/put" of="$dev" bs=1M seek="$1" oflag=direct \
		conv=fsync,notrunc status=none || return 1
	sha256sum "$FCPMEM_TMP/put" | cut -d' ' -f1
	rm -f "$FCPMEM_TMP/put"
}

wc_create() {
	table | dmsetup create "$name" 2>"$FCPMEM_TMP/dmsetup.err" &&
		wait_dev "$dev"
}

reload() {
	dmsetup suspend "$name" && table | dmsetup load "$name" &&
		dmsetup resume "$name"
}

# A cache that is all zeroes at byte 0 is one dm-writecache formats; what
# earlier tests left on the disk would be an invalid superblock.
dd if=/dev/zero of=$cache bs=1M count=1 oflag=direct status=none
if ! wc_create; then
	ktap_not_ok "dmsetup create writecache p (cache $cache, origin $origin)"
	sed 's/^/# /' "$FCPMEM_TMP/dmsetup.err"
	dmesg | tail -n 5 | sed 's/^/# /'
	ktap_finish
	exit
fi
ktap_ok "dmsetup create: $(dmsetup table "$name" | cut -d' ' -f3-), $(wc_status 2) cache blocks"

# The superblock dm-writecache wrote through its DAX mapping, read through
# the block path: both must address the same bytes.
expect_eq "writecache superblock magic at byte 0 of $cache" "magic" \
	"$(od -An -tx4 -N4 $cache | tr -d ' ')" 23489321

run_fio wc-verify --filename="$dev" --ioengine=psync --direct=1 \
	--rw=randwrite --bs=4k --size=16M --verify=crc32c --do_verify=1 \
	--verify_fatal=1
used=$(wc_used)
hits=$(wc_status 6)
# 16 MiB is under the 50% high watermark: nothing was written back, so
# every verified block came out of the cache.
if [ "$used" -ge 4096 ] && [ "$hits" -ge 4096 ]; then
	ktap_ok "fio's writes stayed in the cache and its reads hit it ($used blocks, $hits read hits)"
else
	ktap_not_ok "fio's writes stayed in the cache and its reads hit it"
	ktap_diag "blocks in use $used, read hits $hits; status: $(dmsetup status $name)"
fi

# dmsetup message flush: commit, then write every dirty block back.
sumA=$(put 64 8)
check "dmsetup message $name 0 flush" dmsetup message "$name" 0 flush
expect_eq "after the flush no block is dirty" "blocks in use" "$(wc_used)" 0
run_fio wc-origin-reverify --filename="$origin" --ioengine=psync --direct=1 \
	--rw=randwrite --bs=4k --size=16M --verify=crc32c --do_verify=1 \
	--verify_fatal=1 --verify_only=1
expect_eq "the origin has what was written (after the flush)" "sha256" \
	"$(sum $origin 64 8)" "$sumA"
check "table reload (suspend, load, resume)" reload
expect_eq "data intact through the writecache after the reload" "sha256" \
	"$(sum "$dev" 64 8)" "$sumA"

# Data only the cache holds: committed by the fsync, not written back.
sumB=$(put 96 8)
check "table reload with 8 MiB only in the cache" reload
used=$(wc_used)
if [ "$used" -ge 2048 ] && [ "$(sum $origin 96 8)" != "$sumB" ]; then
	ktap_ok "the origin lacks it, the cache holds it ($used blocks)"
else
	ktap_not_ok "the origin lacks it, the cache holds it ($used blocks)"
fi
expect_eq "cache-only data intact after the reload" "sha256" \
	"$(sum "$dev" 96 8)" "$sumB"

if rmmod fcpmem >"$FCPMEM_TMP/rmmod.out" 2>&1 || ! fcpmem_loaded; then
	ktap_not_ok "rmmod fcpmem refused while the cache of a table"
	sed 's/^/# /' "$FCPMEM_TMP/rmmod.out"
else
	ktap_ok "rmmod fcpmem refused while the cache of a table: $(head -n1 "$FCPMEM_TMP/rmmod.out")"
fi
check "rmmod brd and dm_writecache refused too" \
	sh -c '! rmmod brd && ! rmmod dm_writecache'

# Through a module reload: the cache is all there is of that data.
if dmsetup remove "$name" && rmmod fcpmem && fcpmem_load &&
   wait_dev $cache && wc_create; then
	ktap_ok "remove, rmmod, insmod, reassemble"
	expect_eq "cache-only data intact after the module reload" "sha256" \
		"$(sum "$dev" 96 8)" "$sumB"
	check "flush after the reload" dmsetup message "$name" 0 flush
	expect_eq "... wrote it back to the origin" "sha256" \
		"$(sum $origin 96 8)" "$sumB"
else
	ktap_not_ok "remove, rmmod, insmod, reassemble"
	sed 's/^/# /' "$FCPMEM_TMP/dmsetup.err"
fi

# Teardown in the wrong order, with the dm device held open (fd 3).
sumC=$(put 0 4)
exec 3<"$dev"
check "dmsetup remove refused while open" sh -c "! dmsetup remove $name"
check "rmmod fcpmem refused while suspended" sh -c \
	"dmsetup suspend $name && ! rmmod fcpmem && dmsetup resume $name"
# --force swaps in a table that fails all I/O: the writecache target is
# destroyed under an open device, and fcpmem is free to go first.
dmsetup remove --force "$name" >/dev/null 2>&1
check "after remove --force the open device fails I/O" sh -c \
	"! dd if=$dev of=/dev/null bs=4k count=1 iflag=direct status=none"
check "rmmod fcpmem before the dm device is gone" rmmod fcpmem
exec 3<&-
check "dmsetup remove after fcpmem left" dmsetup remove "$name"
if fcpmem_load && wait_dev $cache && wc_create; then
	expect_eq "cache-only data intact after that teardown" "sha256" \
		"$(sum "$dev" 0 4)" "$sumC"
	dmsetup remove "$name"
else
	ktap_not_ok "reassemble after the wrong-order teardown"
	sed 's/^/# /' "$FCPMEM_TMP/dmsetup.err"
fi
fcpmem_unload

# Bad input: a cache disk without DAX. Before the kernel learned to say
# "Cache device is not a DAX device", writecache_ctr() called
# dax_synchronous() on the NULL dax_device dm gets for such a disk: 6.1
# oopses there with any cache disk that lacks DAX (brd too), so the case
# only runs where the module has the check.
wc_ko=$(modinfo -n dm_writecache 2>/dev/null)
case $wc_ko in
*.xz) unpack="xz -dc" ;;
*.zst) unpack="zstd -qdc" ;;
*) unpack="cat" ;;
esac
dmesg_mark
if ! $unpack "$wc_ko" 2>/dev/null | grep -aq "not a DAX device"; then
	ktap_skip "writecache p on a disk without DAX: this kernel's dm-writecache dereferences a NULL dax_device for it (an oops in dax_synchronous(), with a brd cache as well)"
elif fcpmem_load dax=0 && wait_dev $cache; then
	if wc_create; then
		ktap_not_ok "writecache p on a disk without DAX refused"
		dmsetup remove "$name"
	else
		ktap_ok "writecache p on a disk without DAX refused: $(grep -m1 failed "$FCPMEM_TMP/dmsetup.err")"
		why=$(dmesg_since_mark | grep -m1 'writecache: ')
		if [ -n "$why" ]; then
			ktap_ok "dm says why: ${why#*device-mapper: }"
		else
			ktap_not_ok "dm says why in the kernel log"
			dmesg_since_mark | tail -n 5 | sed 's/^/# /'
		fi
	fi
	check "no dm device left behind" sh -c "! dmsetup info $name"
	check "rmmod fcpmem after the refusal" rmmod fcpmem
else
	ktap_not_ok "load fcpmem dax=0"
fi

check "rmmod brd" rmmod brd
if kernel_warned; then
	ktap_not_ok "no kernel warning"
else
	ktap_ok "no kernel warning"
fi
ktap_finish

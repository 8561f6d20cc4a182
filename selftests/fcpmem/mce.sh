#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# A real machine check on a page of the disk. tools/vm/mce boots the guest
# and raises the machine check through QEMU's monitor when we ask for it
# (see there for the error we inject and why); without it this test skips.
#
# The kernel's handler calls memory_failure(), which marks the page
# HWPoison, and then set_mce_nospec(), which takes it out of the direct map
# that fcpmem reads and writes through. hwpoison_inject (badblocks.sh) does
# the first half only, so only this test sees a write store into an
# unmapped page. memory_failure() gives up on a DAX page that belongs to no
# file mapping, so the poisoned pages are pages of a file on an ext4 -o dax
# mount that a process has mapped once.
#
# Expected: reads of the page fail with EIO, a DAX read stops in front of
# it, a write that covers part of the page fails (EIO from the block
# device; the DAX core reports a refused recovery write as EFAULT), a
# write of the whole page repairs it, whether or not the bad-block list
# still holds the page, and the kernel does not oops.
. "$(dirname "$0")/lib.sh"

dev=/dev/pmem0
bb=/sys/block/pmem0/badblocks
mnt=$FCPMEM_TMP/mnt
mkdir -p "$mnt"

if [ -z "${FCPMEM_MCE_DIR:-}" ]; then
	ktap_skip "machine checks: run under tools/vm/mce, which raises them"
	ktap_finish
	exit 0
fi
if ! fcpmem_load || ! wait_dev $dev; then
	ktap_not_ok "load fcpmem"
	ktap_finish
	exit
fi
if [ "$(cat /sys/block/pmem0/fcpmem/dax)" != 1 ]; then
	ktap_skip "machine checks: DAX is off, no struct pages to poison"
	fcpmem_unload
	ktap_finish
	exit 0
fi

# mce PHYS: have the host raise the machine check, wait for it to land.
mce() {
	rm -f "$FCPMEM_MCE_DIR/done"
	printf '%#x\n' "$1" >"$FCPMEM_MCE_DIR/request.tmp"
	mv "$FCPMEM_MCE_DIR/request.tmp" "$FCPMEM_MCE_DIR/request"
	_i=0
	while [ ! -e "$FCPMEM_MCE_DIR/done" ] && [ $_i -lt 300 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	[ -e "$FCPMEM_MCE_DIR/done" ] && sed 's/^/# monitor: /' "$FCPMEM_MCE_DIR/done"
}

# wait_mf PFN: memory_failure() ran on it (it runs from a work item)
wait_mf() {
	_i=0
	while [ $_i -lt 100 ]; do
		dmesg_since_mark | grep -q "Memory failure: $(printf '%#x' "$1"):" && return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	return 1
}

modprobe ext4 2>/dev/null
if ! mkfs.ext4 -F -q -b 4096 $dev || ! mount -o dax $dev "$mnt"; then
	ktap_not_ok "mount ext4 -o dax"
	fcpmem_unload
	ktap_finish
	exit
fi
f=$mnt/victim
pyio write "$f" 0 65536 >/dev/null 2>&1 || : >"$f"
python3 -c "
import mmap, os
fd = os.open('$f', os.O_RDWR)
os.pwrite(fd, bytes((i * 7 + 3) & 0xff for i in range(65536)), 0)
os.fsync(fd)
# Fault every page in once: that ties the DAX pages to the file's mapping,
# without which memory_failure() cannot lock them and gives up.
m = mmap.mmap(fd, 65536)
sum(m[i] for i in range(0, 65536, 4096))
m.close()"
blk=$(filefrag -v "$f" | awk '$1 == "0:" { gsub(/\.\./, "", $4); print $4 }')
start=$(sed 's/-.*//' /sys/block/pmem0/fcpmem/region)
if [ -z "$blk" ]; then
	ktap_not_ok "find the file's blocks"
	filefrag -v "$f" | sed 's/^/# /'
	umount "$mnt"
	fcpmem_unload
	ktap_finish
	exit
fi

# Page 2 of the file: the bad-block list keeps it, the DAX paths are tried.
off=$(((blk + 2) * 4096))
pfn=$(((start + off) / 4096))
dmesg_mark
mce $((start + off))
check "machine check at page 2 reaches memory_failure()" wait_mf $pfn
expect_eq "memory_failure() recovered it (so the page left the direct map)" \
	"dmesg" "$(dmesg_since_mark | grep -c "Memory failure: $(printf '%#x' $pfn): recovery action for dax page: Recovered")" "1"
expect_eq "the page's sectors are listed" "badblocks" "$(cat $bb)" \
	"$((off / 512)) 8"
expect_eq "a block read of the page fails" "read" \
	"$(pyio read $dev $off 4096)" "err EIO"
expect_eq "a DAX read of the page fails" "read page 2" \
	"$(pyio read "$f" 8192 4096)" "err EIO"
expect_eq "a DAX read across it stops in front of it" "read pages 0-3" \
	"$(pyio read "$f" 0 16384)" "ok 8192"
expect_eq "a 512 B block write into the page fails" "write 512 B" \
	"$(pyio write $dev $((off + 1024)) 512)" "err EIO"
expect_eq "a 100 B DAX write into the page is refused" "write 100 B" \
	"$(pyio write "$f" $((8192 + 50)) 100)" "err EFAULT"
expect_eq "... and the sectors stay listed" "badblocks" "$(cat $bb)" \
	"$((off / 512)) 8"
expect_eq "a whole-page DAX write repairs it (recovery write)" "write page 2" \
	"$(pyio write "$f" 8192 4096)" "ok 4096"
expect_eq "... the list is empty again" "badblocks" "$(cat $bb)" ""
expect_eq "... and the page reads back what was written" "verify page 2" \
	"$(pyio verify "$f" 8192 4096)" "ok 4096"

# Page 3: its entry is dropped from the list before the writes, which must
# then go by the state of the page, not by the list.
off=$(((blk + 3) * 4096))
pfn=$(((start + off) / 4096))
dmesg_mark
mce $((start + off))
check "machine check at page 3 reaches memory_failure()" wait_mf $pfn
echo "$((off / 512)) 8" >/sys/block/pmem0/fcpmem/clear_badblocks
expect_eq "clear_badblocks emptied the list" "badblocks" "$(cat $bb)" ""
expect_eq "unlisted: a DAX read of the page fails" "read page 3" \
	"$(pyio read "$f" 12288 4096)" "err EIO"
expect_eq "unlisted: a 512 B block write into the page fails" "write 512 B" \
	"$(pyio write $dev $((off + 512)) 512)" "err EIO"
expect_eq "unlisted: a DAX write of part of the page is refused" "write 100 B" \
	"$(pyio write "$f" $((12288 + 50)) 100)" "err EFAULT"
expect_eq "unlisted: a whole-page block write repairs it" "write 4 KiB" \
	"$(pyio write $dev $off 4096)" "ok 4096"
expect_eq "... and the page reads back what was written" "verify" \
	"$(pyio verify $dev $off 4096)" "ok 4096"
expect_eq "... also through the file" "read page 3" \
	"$(pyio read "$f" 12288 4096)" "ok 4096"
dmesg | grep -E 'Hardware Error|Memory failure|marked bad|refused' | tail -n 20 | sed 's/^/# /'

umount "$mnt"
check "clean fsck afterwards" e2fsck -fn $dev
fcpmem_unload
ktap_finish

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Bad blocks: entries injected through /sys/block/pmem0/badblocks fail the
# reads that touch them, whole-sector writes clear them, fcpmem/
# clear_badblocks drops them; on a DAX mount, reads stop in front of a bad
# page and a write to it goes through recovery_write and repairs it; a
# write over part of a bad sector is taken but leaves the sector bad; and
# dax_recover drives recovery_write with many-segment pwritev, faults in
# the middle included.
# (No kernel we run, 6.1 to 7.3, has RWF_RECOVERY_DATA: the DAX core
# recovers on a plain write to a poisoned page.)
. "$(dirname "$0")/lib.sh"

dev=/dev/pmem0
bb=/sys/block/pmem0/badblocks
mnt=$FCPMEM_TMP/mnt
mkdir -p "$mnt"

if ! fcpmem_load || ! wait_dev $dev; then
	ktap_not_ok "load fcpmem"
	ktap_finish
	exit
fi

expect_eq "badblocks list starts empty" "badblocks" "$(cat $bb)" ""
pyio write $dev $((800 * 512)) 4096 >/dev/null
echo "803 1" >$bb
expect_eq "injected entry is listed" "badblocks" "$(cat $bb)" "803 1"
expect_eq "read of the bad sector fails" "read 803" \
	"$(pyio read $dev $((803 * 512)) 512)" "err EIO"
expect_eq "read of a range touching it fails" "read 800-807" \
	"$(pyio read $dev $((800 * 512)) 4096)" "err EIO"
expect_eq "sectors either side still read" "read 802, 804" \
	"$(pyio read $dev $((802 * 512)) 512) $(pyio read $dev $((804 * 512)) 512)" \
	"ok 512 ok 512"
expect_eq "a write covering the bad sector succeeds" "write 803" \
	"$(pyio write $dev $((803 * 512)) 512)" "ok 512"
expect_eq "... and clears it" "badblocks" "$(cat $bb)" ""
expect_eq "... and the sector reads again" "read 803" \
	"$(pyio read $dev $((803 * 512)) 512)" "ok 512"

echo "1000 16" >$bb
echo "1000 8" >/sys/block/pmem0/fcpmem/clear_badblocks
expect_eq "clear_badblocks drops part of an entry" "badblocks" "$(cat $bb)" "1008 8"
check "clear_badblocks refuses a range past the end" sh -c \
	"! echo '$(($(cat /sys/block/pmem0/size) - 1)) 2' >/sys/block/pmem0/fcpmem/clear_badblocks"
pyio write $dev $((1008 * 512)) 4096 >/dev/null
expect_eq "a 4 KiB write clears the rest" "badblocks" "$(cat $bb)" ""

# poll(): a monitor asleep on the badblocks file wakes on every change
# (bb_poll.c: injection, clear_badblocks, a repairing write, and with
# hwpoison_inject a memory_failure() the pagemap hook records). Each of its
# cases becomes one line here.
modprobe hwpoison_inject 2>/dev/null
"$FCPMEM_BIN/bb_poll" pmem0 >"$FCPMEM_TMP/bb_poll.out" 2>&1
rc=$?
while read -r line; do
	case $line in
	"not ok "*) ktap_not_ok "poll: $(echo "$line" | cut -d' ' -f4-)" ;;
	"ok "*"# SKIP"*) ktap_skip "poll: $(echo "$line" | sed 's/.*# SKIP *//')" ;;
	"ok "*) ktap_ok "poll: $(echo "$line" | cut -d' ' -f3-)" ;;
	esac
done <"$FCPMEM_TMP/bb_poll.out"
if [ $rc -ne 0 ]; then
	grep -q '^not ok' "$FCPMEM_TMP/bb_poll.out" ||
		ktap_not_ok "bb_poll exited with $rc"
	grep -v -E '^(not )?ok' "$FCPMEM_TMP/bb_poll.out" | sed 's/^#* */# /'
fi
expect_eq "poll: the list is empty after" "badblocks" "$(cat $bb)" ""

# A machine check, as the kernel handles one: its handler hands the page to
# memory_failure(), which for our struct pages calls the pagemap's
# memory_failure hook. hwpoison-inject's corrupt-pfn calls memory_failure()
# the same way (QEMU cannot raise a real machine check at a chosen address).
# The hook must record the page's sectors; reads must then fail, and a
# whole-page write must repair it. Nothing is mounted, so the kernel's
# generic handler finds no user to kill ("recovery action for dax page").
if [ "$(cat /sys/block/pmem0/fcpmem/dax)" != 1 ]; then
	ktap_skip "memory_failure on a region page: DAX is off"
elif ! modprobe hwpoison_inject 2>/dev/null ||
     [ ! -e /sys/kernel/debug/hwpoison/corrupt-pfn ]; then
	ktap_skip "memory_failure on a region page: no hwpoison_inject"
else
	start=$(sed 's/-.*//' /sys/block/pmem0/fcpmem/region)
	pfn=$(((start + 1048576) / 4096))
	pyio write $dev 1048576 4096 >/dev/null
	dmesg_mark
	# 6.12 returns EBUSY here: the generic handler found no owner.
	printf '%#x\n' "$pfn" >/sys/kernel/debug/hwpoison/corrupt-pfn 2>/dev/null
	expect_eq "memory_failure: the page's sectors are listed" "badblocks" \
		"$(cat $bb)" "2048 8"
	expect_eq "memory_failure: dmesg names the device and sectors" "dmesg" \
		"$(dmesg_since_mark | grep -c 'fcpmem\.0: sectors 2048-2055 marked bad')" "1"
	expect_eq "memory_failure: a read of the page fails" "read 2048" \
		"$(pyio read $dev 1048576 4096)" "err EIO"
	expect_eq "memory_failure: the next page still reads" "read 2056" \
		"$(pyio read $dev $((1048576 + 4096)) 4096)" "ok 4096"
	expect_eq "memory_failure: a whole-page write repairs it" "write 2048" \
		"$(pyio write $dev 1048576 4096)" "ok 4096"
	expect_eq "memory_failure: ... the list is empty again" "badblocks" \
		"$(cat $bb)" ""
	expect_eq "memory_failure: ... and the page reads" "read 2048" \
		"$(pyio read $dev 1048576 4096)" "ok 4096"
	dmesg_since_mark | grep -E 'ector|emory failure|Injecting' | sed 's/^/# /'
	rmmod hwpoison_inject 2>/dev/null
fi

# DAX: a file's third page goes bad.
modprobe ext4 2>/dev/null
mkfs.ext4 -F -q -b 4096 $dev && mount -o dax $dev "$mnt"
f=$mnt/victim
pyio write "$f" 0 65536 >/dev/null 2>&1 || head -c 65536 /dev/zero >"$f"
python3 -c "
import os
fd = os.open('$f', os.O_RDWR | os.O_CREAT)
os.pwrite(fd, bytes((i * 7 + 3) & 0xff for i in range(65536)), 0)
os.fsync(fd)"
blk=$(filefrag -v "$f" | awk '$1 == "0:" { gsub(/\.\./, "", $4); print $4 }')
if [ -z "$blk" ]; then
	ktap_not_ok "DAX: find the file's blocks"
	filefrag -v "$f" | sed 's/^/# /'
else
	echo "$((blk * 8 + 16 + 3)) 1" >$bb
	expect_eq "DAX: pages before the bad one read" "read page 0" \
		"$(pyio read "$f" 0 4096)" "ok 4096"
	expect_eq "DAX: the bad page fails" "read page 2" \
		"$(pyio read "$f" 8192 4096)" "err EIO"
	expect_eq "DAX: a read across it stops in front of it" "read pages 0-3" \
		"$(pyio read "$f" 0 16384)" "ok 8192"
	# Bytes 1400-1799 of the page: the end of sector 2 (good) and the
	# first 264 bytes of sector 3 (bad, 1536-2047), never all of it.
	expect_eq "DAX: a write over part of the bad sector is taken" \
		"write 1400-1799" "$(pyio write "$f" $((8192 + 1400)) 400)" "ok 400"
	expect_eq "DAX: ... but leaves the sector bad" "badblocks" \
		"$(cat $bb)" "$((blk * 8 + 16 + 3)) 1"
	# pyio writes ((off + i) * 7 + 3) & 0xff at file offset off; sector 2
	# is not bad, so the raw disk reads it: its last 136 bytes must be the
	# write's first.
	expect_eq "DAX: ... and its bytes in the good sector landed" \
		"sector 2 of the page, bytes 376-511" "$(python3 - $dev \
		$(((blk * 8 + 16 + 2) * 512)) $((8192 + 1400)) <<'PY'
import mmap, os, sys
fd = os.open(sys.argv[1], os.O_RDONLY | os.O_DIRECT)
buf = mmap.mmap(-1, 4096)
os.preadv(fd, [memoryview(buf)[:512]], int(sys.argv[2]))
want = bytes(((int(sys.argv[3]) + i) * 7 + 3) & 0xff for i in range(136))
print("same" if buf[376:512] == want else "differ: " + buf[376:512].hex())
PY
)" same
	expect_eq "DAX: a whole-page write recovers it" "write page 2" \
		"$(pyio write "$f" 8192 4096)" "ok 4096"
	expect_eq "DAX: ... clears the entry" "badblocks" "$(cat $bb)" ""
	expect_eq "DAX: ... and the page reads again" "read page 2" \
		"$(pyio read "$f" 8192 4096)" "ok 4096"
fi

# Recovery writes from many iovec segments: the only test of the driver's
# own iovec copy (dax_recover.c says why). Its TAP lines join ours.
if [ "$(cat $bb)" != "" ]; then
	ktap_not_ok "DAX recovery: bad-block list empty before it"
else
	"$FCPMEM_BIN/dax_recover" "$mnt" pmem0 >"$FCPMEM_TMP/recover.out" 2>&1
	rc=$?
	results=0
	while IFS= read -r line; do
		case $line in
		"ok "*)
			ktap_ok "DAX recovery: ${line#ok [0-9]* }"
			results=$((results + 1)) ;;
		"not ok "*)
			ktap_not_ok "DAX recovery: ${line#not ok [0-9]* }"
			results=$((results + 1)) ;;
		"# Totals"*|"TAP version"*|1..*) ;;
		"# "*) echo "$line" ;;
		*) echo "# $line" ;;
		esac
	done <"$FCPMEM_TMP/recover.out"
	if [ "$rc" -ne 0 ] && [ "$results" -eq 0 ]; then
		ktap_not_ok "DAX recovery: dax_recover exited $rc"
	fi
fi
umount "$mnt"
check "clean fsck after the recovery" e2fsck -fn $dev

fcpmem_unload
ktap_finish

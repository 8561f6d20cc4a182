#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The flush and FUA paths: fsync after every write must reach the driver as
# REQ_PREFLUSH, O_SYNC direct writes as REQ_FUA. The driver's own counters
# (sysfs fcpmem/flushes, fcpmem/fua_writes) prove each path was taken.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fio.sh"

dev=/dev/pmem0
if ! fcpmem_load || ! wait_dev $dev; then
	ktap_not_ok "load fcpmem"
	ktap_finish
	exit
fi

writes=1024
f0=$(fcpmem_stat pmem0 flushes)
u0=$(fcpmem_stat pmem0 fua_writes)
run_fio fsync --filename=$dev --rw=randwrite --bs=4k --size=64M \
	--io_size=$((writes * 4))k --fsync=1 --ioengine=psync \
	--verify=crc32c --do_verify=1 --verify_fatal=1
f1=$(fcpmem_stat pmem0 flushes)
# Every fsync of a block device sends a REQ_PREFLUSH bio; fio says how many
# it issued (it skips the one after its last write).
if [ "${fio_syncs:-0}" -ge $((writes - 1)) ] && [ $((f1 - f0)) -ge "$fio_syncs" ]; then
	ktap_ok "fsync=1: $((f1 - f0)) flushes for $fio_syncs fsyncs of $writes writes"
else
	ktap_not_ok "fsync=1: $((f1 - f0)) flushes for ${fio_syncs:-?} fsyncs of $writes writes"
fi

u1=$(fcpmem_stat pmem0 fua_writes)
run_fio osync --filename=$dev --rw=randwrite --bs=4k --size=64M \
	--io_size=$((writes * 4))k --sync=1 --direct=1 --ioengine=psync \
	--verify=crc32c --do_verify=1 --verify_fatal=1
u2=$(fcpmem_stat pmem0 fua_writes)
if [ $((u2 - u1)) -ge $writes ]; then
	ktap_ok "sync=1 direct: $((u2 - u1)) FUA writes for $writes writes"
else
	ktap_not_ok "sync=1 direct: only $((u2 - u1)) FUA writes for $writes writes"
fi
expect_eq "plain writes before the runs took no FUA" "fua before" "$u0" 0

b=$(fcpmem_stat pmem0 bytes_written)
n=$(fcpmem_stat pmem0 nt_bytes)
w=$(fcpmem_stat pmem0 wb_lines)
dd if=/dev/zero of=$dev bs=1M count=4 oflag=direct status=none
expect_eq "bytes_written counts a 4 MiB write" "delta" \
	"$(($(fcpmem_stat pmem0 bytes_written) - b))" $((4 << 20))
# Bios are sector aligned: no unaligned edge, nothing through the cache.
expect_eq "all of it went out with non-temporal stores" "nt_bytes delta" \
	"$(($(fcpmem_stat pmem0 nt_bytes) - n))" $((4 << 20))
expect_eq "no cache line needed a write-back" "wb_lines delta" \
	"$(($(fcpmem_stat pmem0 wb_lines) - w))" 0

fcpmem_unload
ktap_finish

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The flush and FUA paths: fsync after every write must reach the driver as
# REQ_PREFLUSH, O_SYNC direct writes as REQ_FUA, and plain writes as
# neither. The driver's own counters (sysfs fcpmem/flushes,
# fcpmem/fua_writes) prove each path was taken, or not.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fio.sh"

dev=/dev/pmem0
if ! fcpmem_load || ! wait_dev $dev; then
	ktap_not_ok "load fcpmem"
	ktap_finish
	exit
fi

writes=1024

# Plain writes first, O_DIRECT and buffered, with no fsync and no O_SYNC:
# none may reach the driver as FUA, nor with a flush. (The counters right
# after insmod are 0 whatever the driver does: only a delta over real
# writes shows anything.) The buffered ones are written back when dd
# closes the disk, without a flush.
f0=$(fcpmem_stat pmem0 flushes)
u0=$(fcpmem_stat pmem0 fua_writes)
b0=$(fcpmem_stat pmem0 bytes_written)
run_fio plain --filename=$dev --rw=randwrite --bs=4k --size=64M \
	--io_size=$((writes * 4))k --direct=1 --ioengine=psync
dd if=/dev/zero of=$dev bs=64k count=64 seek=1024 status=none
b1=$(fcpmem_stat pmem0 bytes_written)
if [ $((b1 - b0)) -ge $(((writes * 4 + 4096) * 1024)) ]; then
	ktap_ok "plain writes: $((b1 - b0)) bytes reached the driver"
else
	ktap_not_ok "plain writes: only $((b1 - b0)) bytes reached the driver, expected $(((writes * 4 + 4096) * 1024))"
fi
expect_eq "plain writes took no FUA" "fua_writes delta" \
	"$(($(fcpmem_stat pmem0 fua_writes) - u0))" 0
expect_eq "plain writes without fsync took no flush" "flushes delta" \
	"$(($(fcpmem_stat pmem0 flushes) - f0))" 0

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
# fsync of a block device is an empty REQ_PREFLUSH bio, never FUA.
expect_eq "fsync=1: no FUA" "fua_writes delta" "$((u1 - u0))" 0
run_fio osync --filename=$dev --rw=randwrite --bs=4k --size=64M \
	--io_size=$((writes * 4))k --sync=1 --direct=1 --ioengine=psync \
	--verify=crc32c --do_verify=1 --verify_fatal=1
u2=$(fcpmem_stat pmem0 fua_writes)
if [ $((u2 - u1)) -ge $writes ]; then
	ktap_ok "sync=1 direct: $((u2 - u1)) FUA writes for $writes writes"
else
	ktap_not_ok "sync=1 direct: only $((u2 - u1)) FUA writes for $writes writes"
fi

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

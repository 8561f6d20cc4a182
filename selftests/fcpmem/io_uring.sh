#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# io_uring on the raw disk, as most new users first try a fast block
# device: fio ioengine=io_uring, O_DIRECT, registered (fixed) buffers,
# interrupt-driven completions (hipri=0: fcpmem has no poll queues), with
# crc32c verify. Random 4 KiB writes at queue depth 16 over 16 MiB of
# pmem0, and sequential mixed 512 B-128 KiB writes at depth 8 over 32 MiB
# of pmem1; then the first job verifies its data again after a module
# reload. The driver's bytes_written counter must show the writes arrived. Skips (with the
# reason) where the kernel has io_uring switched off or fio lacks the
# engine.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fio.sh"

trap fcpmem_unload EXIT

# 6.6 and later have a sysctl that turns io_uring off (2) or limits it to
# a group (1); Debian ships 0, but a site may not.
if [ -r /proc/sys/kernel/io_uring_disabled ] &&
   [ "$(cat /proc/sys/kernel/io_uring_disabled)" != 0 ]; then
	ktap_skip "io_uring is disabled on this kernel (kernel.io_uring_disabled=$(cat /proc/sys/kernel/io_uring_disabled))"
	ktap_finish
	exit
fi
[ -r /proc/sys/kernel/io_uring_disabled ] &&
	ktap_diag "kernel.io_uring_disabled=$(cat /proc/sys/kernel/io_uring_disabled)"
if ! fio --enghelp=io_uring >/dev/null 2>&1; then
	ktap_skip "this fio has no io_uring engine"
	ktap_finish
	exit
fi
if ! fcpmem_load || ! wait_dev /dev/pmem0 || ! wait_dev /dev/pmem1; then
	ktap_not_ok "load fcpmem with two disks"
	ktap_finish
	exit
fi

uring="--ioengine=io_uring --direct=1 --fixedbufs=1 --hipri=0"
rand="$uring --filename=/dev/pmem0 --rw=randwrite --bs=4k --size=16M
	--iodepth=16 --verify=crc32c --do_verify=1 --verify_fatal=1"

w0=$(fcpmem_stat pmem0 bytes_written)
w1=$(fcpmem_stat pmem1 bytes_written)
run_fio uring-rand4k $rand
run_fio uring-seqmixed $uring --filename=/dev/pmem1 --rw=write \
	--bsrange=512-128k --size=32M --iodepth=8 --verify=crc32c \
	--do_verify=1 --verify_fatal=1
d0=$(($(fcpmem_stat pmem0 bytes_written) - w0))
d1=$(($(fcpmem_stat pmem1 bytes_written) - w1))
if [ "$d0" -ge $((16 << 20)) ] && [ "$d1" -ge $((32 << 20)) ]; then
	ktap_ok "the driver counted the writes (pmem0 $((d0 >> 20)) MiB, pmem1 $((d1 >> 20)) MiB)"
else
	ktap_not_ok "the driver counted the writes"
	ktap_diag "bytes_written grew by $d0 on pmem0, $d1 on pmem1; expected 16 and 32 MiB"
fi

fcpmem_unload
if fcpmem_load && wait_dev /dev/pmem0; then
	run_fio uring-rand4k-reverify $rand --verify_only=1
else
	ktap_not_ok "reload fcpmem"
fi
fcpmem_unload
ktap_finish

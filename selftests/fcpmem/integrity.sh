#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Data integrity on the raw disk: fio verify=crc32c over block sizes from
# 512 B to 1 MiB, sequential and random, 4 jobs on disjoint quarters, once
# per copy variant the CPU supports; then
# writes at odd sector offsets and a whole-disk digest must survive a
# module reload.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fio.sh"

dev=/dev/pmem0

verify_job() {
	_name=$1
	_bs=$2
	_size=$3
	shift 3
	run_fio "$_name" --filename=$dev --direct=1 --ioengine=psync \
		--numjobs=4 --offset_increment=$quarter --size="$_size" \
		--bs="$_bs" --verify=crc32c --verify_fatal=1 --do_verify=1 \
		--group_reporting "$@"
}

# The fio matrix, once per copy variant this CPU has (TCG has no AVX-512).
for variant in movnti avx2 avx512; do
	dmesg_mark
	if ! fcpmem_load copy=$variant 2>/dev/null; then
		if dmesg_since_mark | grep -q lacks; then
			ktap_skip "copy=$variant: CPU lacks it"
		else
			ktap_not_ok "load fcpmem copy=$variant"
			dmesg_since_mark | sed 's/^/# /'
		fi
		continue
	fi
	wait_dev $dev
	quarter=$(($(blockdev --getsize64 $dev) / 4))
	# Small blocks cost TCG dearly per I/O: give them less data. 32 MiB
	# per job and size still crosses every alignment of every block size
	# thousands of times; 64 MiB made this file 8 of make check's minutes.
	big=$((quarter < (32 << 20) ? quarter : (32 << 20)))
	verify_job $variant-seq-512 512 4M --rw=write
	verify_job $variant-seq-4k 4k 16M --rw=write
	verify_job $variant-seq-64k 64k $big --rw=write
	verify_job $variant-seq-1m 1m $big --rw=write
	verify_job $variant-rand-512 512 4M --rw=randwrite
	verify_job $variant-rand-4k 4k 16M --rw=randwrite
	verify_job $variant-rand-64k 64k $big --rw=randwrite
	verify_job $variant-rand-1m 1m $big --rw=randwrite
	# Without bs_unaligned, fio picks multiples of the smallest size.
	verify_job $variant-rand-mixed-512-1m 512 $big --rw=randwrite \
		--bsrange=512-1m
	fcpmem_unload
done

if ! fcpmem_load || ! wait_dev $dev; then
	ktap_not_ok "load fcpmem"
	ktap_finish
	exit
fi

# Odd sector offsets, then a reload: the region is never cleared on load.
head -c $((3 << 20)) /dev/urandom >"$FCPMEM_TMP/pattern"
ok=1
for spec in 1:1 7:3 63:17 4095:9 65537:2048 131071:1; do
	sec=${spec%:*}
	cnt=${spec#*:}
	dd if="$FCPMEM_TMP/pattern" of=$dev bs=512 seek="$sec" count="$cnt" \
		oflag=direct conv=notrunc status=none || ok=0
done
before=$(md5sum <$dev)
fcpmem_unload
fcpmem_load && wait_dev $dev || ok=0
after=$(md5sum <$dev)
for spec in 1:1 7:3 63:17 4095:9 65537:2048 131071:1; do
	sec=${spec%:*}
	cnt=${spec#*:}
	dd if=$dev of="$FCPMEM_TMP/back" bs=512 skip="$sec" count="$cnt" \
		iflag=direct status=none
	if ! cmp -s -n $((cnt * 512)) "$FCPMEM_TMP/pattern" "$FCPMEM_TMP/back"; then
		ktap_diag "sector $sec count $cnt differs after reload"
		ok=0
	fi
done
if [ $ok = 1 ]; then
	ktap_ok "writes at odd sector offsets read back identically after a reload"
else
	ktap_not_ok "writes at odd sector offsets read back identically after a reload"
fi
expect_eq "whole-disk sha256 unchanged by a reload" "sha256" "$after" "$before"

fcpmem_unload
ktap_finish

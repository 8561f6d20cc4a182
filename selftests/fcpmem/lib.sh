#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Shared helpers for fcpmem's in-guest tests: TAP output, loading the
# module, reading its sysfs counters. Sourced, never run.

FCPMEM_TOP=${FCPMEM_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
FCPMEM_KO=${FCPMEM_KO:-$FCPMEM_TOP/build/$(uname -r)/fcpmem.ko}
FCPMEM_BIN=${FCPMEM_BIN:-$FCPMEM_TOP/selftests/fcpmem/build}
FCPMEM_TMP=${FCPMEM_TMP:-/tmp/fcpmem-test}
mkdir -p "$FCPMEM_TMP"

ktap_n=0
ktap_failed=0
ktap_skipped=0

ktap_ok() {
	ktap_n=$((ktap_n + 1))
	echo "ok $ktap_n - $*"
}

ktap_not_ok() {
	ktap_n=$((ktap_n + 1))
	ktap_failed=$((ktap_failed + 1))
	echo "not ok $ktap_n - $*"
}

ktap_skip() {
	ktap_n=$((ktap_n + 1))
	ktap_skipped=$((ktap_skipped + 1))
	echo "ok $ktap_n - $* # SKIP"
}

ktap_diag() {
	echo "$*" | sed 's/^/# /'
}

# check DESC CMD...: one TAP line; CMD's output becomes diagnostics on failure.
check() {
	_desc=$1
	shift
	if "$@" >"$FCPMEM_TMP/check.out" 2>&1; then
		ktap_ok "$_desc"
	else
		ktap_not_ok "$_desc"
		sed 's/^/# /' "$FCPMEM_TMP/check.out" | tail -n 30
	fi
}

# expect DESC "what" ACTUAL EXPECTED
expect_eq() {
	if [ "$3" = "$4" ]; then
		ktap_ok "$1"
	else
		ktap_not_ok "$1"
		ktap_diag "$2: got '$3', expected '$4'"
	fi
}

ktap_finish() {
	echo "# $(basename "$0"): $ktap_n tests, $ktap_failed failed, $ktap_skipped skipped"
	[ "$ktap_failed" -eq 0 ]
}

# Shell builtins only, here and in the helpers below that run once per
# step: under TCG every program started costs 0.1-0.4 s (dynamic linking
# and page faults), and bad_input.sh alone runs 50 steps.
fcpmem_loaded() {
	while read -r _m _; do
		[ "$_m" = fcpmem ] && return 0
	done </proc/modules
	return 1
}

# In /proc/iomem: fcpmem still claims memory.
fcpmem_in_iomem() {
	while IFS= read -r _l; do
		case $_l in *fcpmem*) return 0 ;; esac
	done </proc/iomem
	return 1
}

fcpmem_load() {
	insmod "$FCPMEM_KO" "$@"
}

fcpmem_unload() {
	if fcpmem_loaded; then
		rmmod fcpmem
	fi
}

# Kernel messages since the last mark, for checking what a step printed.
# A line of our own in the kernel log, not a line count: once the log
# buffer is full, old lines drop out and a count points past the end
# (late in the suite, writecache.sh saw no dm message that was there).
dmesg_mark() {
	read -r _up _ </proc/uptime
	_mark_n=$((${_mark_n:-0} + 1))
	_mark="selftest-mark $$.$_up.$_mark_n"
	echo "$_mark" >/dev/kmsg
	echo "$_mark" >"$FCPMEM_TMP/dmesg.mark"
}

dmesg_since_mark() {
	read -r _mark <"$FCPMEM_TMP/dmesg.mark"
	dmesg | awk -v m="$_mark" 'f; index($0, m) { f = 1 }'
}

# fcpmem_stat DISK NAME: one of the driver's counters
fcpmem_stat() {
	cat "/sys/block/$1/fcpmem/$2"
}

# The disks fcpmem created, by name, in order.
fcpmem_disks() {
	for d in /sys/block/*; do
		[ -d "$d/fcpmem" ] && echo "${d##*/}"
	done
}

# Device nodes: the test initramfs has devtmpfs, so they appear by themselves;
# wait for them all the same, udev-less systems can lag.
wait_dev() {
	_i=0
	while [ ! -b "$1" ] && [ "$_i" -lt 50 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	[ -b "$1" ]
}

# Taint bit 9 (W): a kernel warning happened since boot.
kernel_warned() {
	read -r _t </proc/sys/kernel/tainted
	[ $((_t & 512)) -ne 0 ]
}

# pyio OP PATH OFF LEN: one syscall (O_DIRECT on a device), prints "ok N" (bytes) or
# "err ERRNO-NAME"; "verify" reads and compares with what "write" wrote
# (a pattern that depends on the file offset).
pyio() {
	python3 - "$@" <<'PY'
import errno, mmap, os, sys
op, path, off, ln = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
flags = os.O_RDWR | (os.O_DIRECT if path.startswith("/dev/") else 0)
fd = os.open(path, flags)
buf = mmap.mmap(-1, max(ln, 4096))
pat = bytes(((off + i) * 7 + 3) & 0xff for i in range(ln))
try:
    if op == "write":
        buf[:ln] = pat
        n = os.pwritev(fd, [memoryview(buf)[:ln]], off)
        print("ok", n)
    else:
        n = os.preadv(fd, [memoryview(buf)[:ln]], off)
        if op == "verify":
            print("ok" if buf[:n] == pat[:n] else "mismatch", n)
        else:
            print("ok", n)
except OSError as e:
    print("err", errno.errorcode.get(e.errno, str(e.errno)))
PY
}

# mkfs_dax FS DEV: a file system that mounts -o dax on this kernel: ext4
# with 4 KiB blocks (mkfs picks 1 KiB on small disks, and ext4 cannot do
# DAX with them), xfs without reflink before 6.2, which refuses DAX with it.
mkfs_dax() {
	case $1 in
	ext4)
		mkfs.ext4 -F -q -b 4096 "$2" ;;
	xfs)
		_kv=$(uname -r)
		_kmaj=${_kv%%.*}
		_kmin=${_kv#*.}
		_kmin=${_kmin%%.*}
		if [ "$_kmaj" -lt 6 ] || { [ "$_kmaj" -eq 6 ] && [ "$_kmin" -lt 2 ]; }; then
			mkfs.xfs -f -q -m reflink=0 "$2"
		else
			mkfs.xfs -f -q "$2"
		fi ;;
	*)
		echo "mkfs_dax: no file system $1" >&2
		return 1 ;;
	esac
}

# expect_rmmod_refused DESC: rmmod fcpmem must fail with "in use" (or
# "busy") and leave the module loaded, as it must while a dm table, an
# nvmet namespace or a mount holds a disk.
expect_rmmod_refused() {
	if rmmod fcpmem >"$FCPMEM_TMP/rmmod.out" 2>&1 ||
	   ! fcpmem_loaded || ! grep -qi "in use\|busy" "$FCPMEM_TMP/rmmod.out"; then
		ktap_not_ok "$1"
		sed 's/^/# /' "$FCPMEM_TMP/rmmod.out"
	else
		ktap_ok "$1"
	fi
}

# kmemleak, on a kernel built with it (the debug kernel of
# tools/debug-kernel; Debian's kernels have no such file, and then both
# helpers do nothing). kmemleak_clear forgets what a scan reports now,
# the kernel's own boot-time objects included ("clear" only acts on
# objects a scan has reported already); kmemleak_report prints the
# first lines of each object reported since, as TAP diagnostics, and
# fails when there is one. An object is reported only once it is older
# than 5 s and two scans in a row found it unreferenced (the first scan
# only records its checksum), hence the wait and the two scans.
FCPMEM_KMEMLEAK=/sys/kernel/debug/kmemleak

kmemleak_clear() {
	[ -w "$FCPMEM_KMEMLEAK" ] || return 0
	echo scan >"$FCPMEM_KMEMLEAK"
	echo scan >"$FCPMEM_KMEMLEAK"
	echo clear >"$FCPMEM_KMEMLEAK"
}

kmemleak_report() {
	[ -w "$FCPMEM_KMEMLEAK" ] || return 0
	sleep 6
	echo scan >"$FCPMEM_KMEMLEAK"
	echo scan >"$FCPMEM_KMEMLEAK"
	cat "$FCPMEM_KMEMLEAK" >"$FCPMEM_TMP/kmemleak.out"
	echo clear >"$FCPMEM_KMEMLEAK"
	[ -s "$FCPMEM_TMP/kmemleak.out" ] || return 0
	echo "# kmemleak: $(grep -c '^unreferenced object' "$FCPMEM_TMP/kmemleak.out") unreferenced objects"
	head -n 40 "$FCPMEM_TMP/kmemleak.out" | sed 's/^/# /'
	return 1
}

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# PMDK on a DAX file over fcpmem (Debian's libpmem, libpmemobj, pmempool):
# on ext4 and xfs mounted -o dax, libpmem's pmem_map_file() must report
# is_pmem=1 (it does when MAP_SYNC is accepted, i.e. when the DAX device
# is synchronous), and is_pmem=0 on the same file system mounted without
# DAX. A pool made by "pmempool create obj" takes a run of libpmemobj
# transactions (pmdk_tx), passes "pmempool check", and every record is
# there, in order and intact, after umount, rmmod, insmod and mount.
. "$(dirname "$0")/lib.sh"

dev=/dev/pmem0
mnt=$FCPMEM_TMP/mnt
pool=$mnt/tx.pool
ntx=600
mkdir -p "$mnt"
# The answer must come from the mapping, never from the environment.
unset PMEM_IS_PMEM_FORCE PMEMOBJ_CONF

for t in pmempool "$FCPMEM_BIN/pmdk_tx"; do
	if ! command -v "$t" >/dev/null; then
		ktap_not_ok "PMDK tools: $t missing (tools/deps installs pmdk-tools, libpmemobj-dev)"
		ktap_finish
		exit
	fi
done


# is_pmem FILE EXPECTED DESC: pmem_map_file()'s verdict on FILE.
is_pmem() {
	got=$("$FCPMEM_BIN/pmdk_tx" is-pmem "$1" 2>&1)
	if [ "$got" = "is_pmem=$2" ]; then
		ktap_ok "$3"
	else
		ktap_not_ok "$3"
		ktap_diag "pmdk_tx is-pmem: got '$got', expected 'is_pmem=$2'"
		ktap_diag "$(grep -m1 " $mnt " /proc/mounts)"
	fi
	rm -f "$1"
}

# verify DESC N: every one of N records there, and not one more.
verify() {
	if "$FCPMEM_BIN/pmdk_tx" verify "$pool" "$2" >"$FCPMEM_TMP/verify.out" 2>&1 &&
	   grep -q "^records=$2 " "$FCPMEM_TMP/verify.out"; then
		ktap_ok "$1"
	else
		ktap_not_ok "$1"
		sed 's/^/# /' "$FCPMEM_TMP/verify.out"
	fi
}

if ! fcpmem_load || ! wait_dev $dev; then
	ktap_not_ok "load fcpmem"
	ktap_finish
	exit
fi

for fs in ext4 xfs; do
	modprobe $fs 2>/dev/null
	if ! mkfs_dax $fs "$dev" >"$FCPMEM_TMP/mkfs.out" 2>&1 ||
	   ! mount -o dax $dev "$mnt" 2>"$FCPMEM_TMP/mount.err"; then
		ktap_not_ok "$fs: mkfs and mount -o dax"
		sed 's/^/# /' "$FCPMEM_TMP/mkfs.out" "$FCPMEM_TMP/mount.err"
		continue
	fi
	is_pmem "$mnt/map" 1 "$fs -o dax: pmem_map_file() says is_pmem=1"
	check "$fs -o dax: pmempool create obj" \
		pmempool create obj --layout fcpmem_tx --size 32M "$pool"
	check "$fs -o dax: $ntx libpmemobj transactions" \
		"$FCPMEM_BIN/pmdk_tx" append "$pool" $ntx
	umount "$mnt"
	fcpmem_unload
	if fcpmem_load && wait_dev $dev && mount -o dax $dev "$mnt"; then
		check "$fs -o dax: pmempool check after umount, reload, mount" \
			pmempool check -v "$pool"
		verify "$fs -o dax: $ntx records intact after umount, reload, mount" $ntx
		umount "$mnt"
	else
		ktap_not_ok "$fs: remount after reload"
		continue
	fi

	# The page cache is in the way without DAX: libpmem must know.
	if mount -o dax=never $dev "$mnt" 2>/dev/null || mount $dev "$mnt"; then
		is_pmem "$mnt/map" 0 "$fs without dax: pmem_map_file() says is_pmem=0"
		umount "$mnt"
	else
		ktap_not_ok "$fs: mount without dax"
	fi
done
fcpmem_unload
ktap_finish

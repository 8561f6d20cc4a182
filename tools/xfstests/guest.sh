#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/xfstests/guest.sh: run fstests inside the test VM (tools/vm/run) on
# three legacy pmem regions, and print one TAP line per fstests test.
#
#   guest.sh [--expected-dir DIR] [--exclude-dir DIR] [--out DIR]
#            DRIVER FS[,FS...] CHECK-ARGS...
#
# DRIVER is fcpmem (build/<kver>/fcpmem.ko) or nd_pmem (the kernel's own
# nd_e820 + nd_pmem modules, on the same regions). The three disks become
# TEST_DEV (pmem0), SCRATCH_DEV (pmem1) and LOGWRITES_DEV (pmem2, for the
# dm-log-writes tests). Every file system is mounted -o dax.
# CHECK-ARGS go to fstests' ./check (e.g. -g dax, or test names).
#
# With --expected-dir, DIR/expected-<name>-<fs>.txt lists the tests that
# ran before (name: NAME=... in the environment, default dax): such a test
# that is now "not run" is a failure, not a skip.
# With --exclude-dir, DIR/exclude-<fs>.txt is passed to ./check -E.
# With --out, DIR/<driver>-<fs>.txt gets "test status seconds reason" lines.
#
# The guest's root is the host's, read-only over 9p: nothing here writes
# to the host. The fstests tree (a cached build, $FCPMEM_FSTESTS) becomes a
# tree of symlinks on the guest's tmpfs so fstests can write next to it,
# and the fstests users live in copies of /etc/passwd and /etc/group on
# tmpfs, bind-mounted over the read-only originals.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
expected_dir='' exclude_dir='' out=''
while [ $# -gt 0 ]; do
	case $1 in
	--expected-dir) expected_dir=$2; shift 2 ;;
	--exclude-dir) exclude_dir=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	*) break ;;
	esac
done
driver=${1:?usage: guest.sh [options] DRIVER FS[,FS...] CHECK-ARGS...}
fss=${2:?no file system given}
shift 2
name=${NAME:-dax}
src=${FCPMEM_FSTESTS:?FCPMEM_FSTESTS: the fstests build directory (tools/xfstests/build prints it)}

n=0
failed=0
tap_ok() { n=$((n + 1)); echo "ok $n - $*"; }
tap_not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
bail() { tap_not_ok "$*"; echo "# $n tests, $failed failed"; exit 1; }

work=/tmp/fstests-run
rm -rf "$work"
mkdir -p "$work/etc" "$work/home" "$work/test" "$work/scratch" "$work/results"

# --- the fstests users, in the guest only ---------------------------------
t_setup=$(date +%s)
cp /etc/passwd /etc/group /etc/shadow "$work/etc/" || bail "copy /etc/passwd, group, shadow"
uid=64001
for u in fsgqa fsgqa2 123456-fsgqa; do
	mkdir -p "$work/home/$u"
	echo "$u:x:$uid:$uid::$work/home/$u:/bin/bash" >>"$work/etc/passwd"
	echo "$u:x:$uid:" >>"$work/etc/group"
	# su's PAM account check wants a shadow entry (unix_chkpwd:
	# "could not obtain user info"); a locked password is enough.
	echo "$u:!:20000:0:99999:7:::" >>"$work/etc/shadow"
	chown "$uid:$uid" "$work/home/$u" 2>/dev/null
	uid=$((uid + 1))
done
for f in passwd group shadow; do
	mount --bind "$work/etc/$f" "/etc/$f" || bail "bind-mount $work/etc/$f over /etc/$f"
done
id fsgqa >/dev/null || bail "user fsgqa not visible after the bind mounts"

# --- fstests, writable -----------------------------------------------------
# fstests writes only below RESULT_BASE (on the guest's tmpfs) and /tmp:
# it runs from the host's read-only tree as it is.
[ -x "$src/check" ] || bail "no fstests build at $src (run tools/xfstests/build)"
fstests=$src

# --- no udev in the VM ------------------------------------------------------
# fstests waits for dm nodes with "udevadm wait" when udevadm has it, and
# that waits for udev's database forever when no udev runs (generic/470
# hung in _dmsetup_create). A guest-only udevadm first in PATH: settle
# has nothing to wait for, wait polls for the node (libdevmapper makes
# it, DM_DISABLE_UDEV), anything else goes to the real one.
export DM_DISABLE_UDEV=1
mkdir -p "$work/bin"
cat >"$work/bin/udevadm" <<'UDEVADM'
#!/bin/bash
case $1 in
settle) exit 0 ;;
wait)
	shift
	gone=0
	[ "$1" = --removed ] && { gone=1; shift; }
	for _ in $(seq 100); do
		if [ "$gone" = 1 ]; then [ -e "$1" ] || exit 0; else [ -e "$1" ] && exit 0; fi
		sleep 0.1
	done
	echo "udevadm (fcpmem guest): timed out waiting for $1" >&2
	exit 1 ;;
esac
exec /usr/bin/udevadm "$@"
UDEVADM
chmod +x "$work/bin/udevadm"
export PATH=$work/bin:$PATH

# --- modules and disks -----------------------------------------------------
for m in ext4 xfs dm_mod dm_log_writes dm_flakey; do
	modprobe "$m" 2>/dev/null || echo "# modprobe $m failed"
done
case $driver in
fcpmem)
	insmod "$TOP/build/$(uname -r)/fcpmem.ko" || bail "insmod fcpmem.ko" ;;
nd_pmem)
	# No udev in the VM: load the driver of the e820 regions and the
	# namespace driver by hand.
	modprobe nd_pmem && modprobe nd_e820 || bail "modprobe nd_pmem nd_e820" ;;
*) bail "unknown driver $driver (fcpmem or nd_pmem)" ;;
esac
for d in pmem0 pmem1 pmem2; do
	i=0
	while [ ! -b /dev/$d ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	[ -b /dev/$d ] || bail "$driver: no /dev/$d (three memmap regions expected)"
	echo "# $driver /dev/$d: $(($(cat /sys/block/$d/size) / 2048)) MiB, dax $(cat /sys/block/$d/queue/dax 2>/dev/null)"
done
echo "# setup: $(($(date +%s) - t_setup)) s"

# --- one ./check per file system -------------------------------------------
run_fs() {
	local fs=$1 mkfs_opts force t0 rc xml expected exclude=()
	shift
	case $fs in
	ext4)
		# ext4 picks 1 KiB blocks on small disks, and then refuses DAX.
		mkfs_opts="-b 4096" ;;
	xfs)
		# reflink with DAX: allowed by newer kernels (xfs/550-552 need
		# it and the reverse-mapping btree: they exercise the driver's
		# memory-failure notification); 6.1 refuses the mount. Ask the
		# kernel rather than guess.
		mkfs_opts="-m reflink=1,rmapbt=1"
		if ! mkfs.xfs -f -q $mkfs_opts /dev/pmem1 >/dev/null 2>&1 ||
		   ! mount -o dax /dev/pmem1 "$work/scratch" 2>/dev/null; then
			mkfs_opts="-m reflink=0"
		fi
		umount "$work/scratch" 2>/dev/null ;;
	*) tap_not_ok "$fs: unsupported file system"; return ;;
	esac
	echo "# $fs: MKFS_OPTIONS=$mkfs_opts, kernel $(uname -r), driver $driver"
	force=-F
	[ "$fs" = xfs ] && force=-f
	# shellcheck disable=SC2086 # word splitting of the options is meant
	if ! mkfs."$fs" "$force" -q $mkfs_opts /dev/pmem0 >"$work/mkfs.log" 2>&1; then
		sed 's/^/# /' "$work/mkfs.log"
		tap_not_ok "$fs: mkfs on TEST_DEV /dev/pmem0"
		return
	fi
	[ -n "$exclude_dir" ] && [ -s "$exclude_dir/exclude-$fs.txt" ] &&
		exclude=(-E "$exclude_dir/exclude-$fs.txt")
	expected=
	[ -n "$expected_dir" ] && expected=$expected_dir/expected-$name-$fs.txt
	rm -rf "$work/results/$fs"
	t0=$(date +%s)
	(
		cd "$fstests" || exit 1
		export FSTYP=$fs TEST_DEV=/dev/pmem0 TEST_DIR=$work/test \
			SCRATCH_DEV=/dev/pmem1 SCRATCH_MNT=$work/scratch \
			LOGWRITES_DEV=/dev/pmem2 MKFS_OPTIONS="$mkfs_opts" \
			MOUNT_OPTIONS="-o dax" TEST_FS_MOUNT_OPTS="-o dax" \
			RESULT_BASE=$work/results/$fs
		./check -R xunit "${exclude[@]}" "$@"
	) >"$work/check-$fs.log" 2>&1
	rc=$?
	sed 's/^/# /' "$work/check-$fs.log" | grep -v '^# $'
	xml=$work/results/$fs/result.xml
	if [ ! -s "$xml" ]; then
		tap_not_ok "$fs: ./check $* exited $rc without a result.xml"
		return
	fi
	# One line per test: name, status (pass/fail/notrun), seconds, reason.
	python3 - "$xml" >"$work/$fs.results" <<'PY'
import sys, xml.etree.ElementTree as ET
for tc in ET.parse(sys.argv[1]).getroot().iter('testcase'):
    status, why = 'pass', ''
    for child in tc:
        tag = child.tag.split('}')[-1]
        if tag == 'skipped':
            status, why = 'notrun', child.get('message', '')
        elif tag in ('failure', 'error'):
            status, why = 'fail', child.get('message', '')
    why = ' '.join(why.split())
    print(tc.get('name'), status, tc.get('time', '0'), why)
PY
	local tst st secs why
	while read -r tst st secs why; do
		case $st in
		pass) tap_ok "$fs $tst ($secs s)" ;;
		fail) tap_not_ok "$fs $tst: $why" ;;
		notrun)
			if [ -n "$expected" ] && grep -qx "$tst" "$expected" 2>/dev/null; then
				tap_not_ok "$fs $tst ran before ($(basename "$expected")), now not run: $why"
			else
				n=$((n + 1)); echo "ok $n - $fs $tst # SKIP $why"
			fi ;;
		esac
	done <"$work/$fs.results"
	if [ -n "$expected" ]; then
		if [ ! -e "$expected" ]; then
			tap_not_ok "$fs: no list of tests expected to run: $expected"
		else
			# A test that was expected and never even listed (renamed,
			# excluded, dropped from the group) is lost coverage too.
			while read -r tst; do
				case $tst in '' | '#'*) continue ;; esac
				grep -q "^$tst " "$work/$fs.results" ||
					tap_not_ok "$fs $tst ran before ($(basename "$expected")), now missing from the run"
			done <"$expected"
			awk '$2 != "notrun" { print $1 }' "$work/$fs.results" | while read -r tst; do
				grep -qx "$tst" "$expected" ||
					echo "# $fs $tst ran but is not in $(basename "$expected"): add it there"
			done
		fi
	fi
	[ -n "$out" ] && cp "$work/$fs.results" "$out/$driver-$fs.txt"
	echo "# ---- $fs $driver: $(($(date +%s) - t0)) s, $(grep -c ' pass ' "$work/$fs.results") passed, $(grep -c ' fail ' "$work/$fs.results") failed, $(grep -c ' notrun ' "$work/$fs.results") not run"
}

for fs in ${fss//,/ }; do
	run_fs "$fs" "$@"
	umount "$work/test" "$work/scratch" 2>/dev/null
done
echo "1..$n"
echo "# $n tests, $failed failed"
[ "$failed" -eq 0 ]

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host tests of fcpmemctl, no VM: fake /sys and /proc/iomem trees
# (FCPMEMCTL_SYSFS, FCPMEMCTL_PROC, FCPMEMCTL_DEV) and checks of the table
# and JSON output (parsed with python3's json module), escaping of odd
# names, the exit codes 0/1/2, watch mode, the bad-block commands and
# their old "badblocks" spelling, --version and make install. TAP on
# stdout. FCPMEMCTL=path tests that binary; else it is built first.
set -u

TOP=$(cd "$(dirname "$0")/../../.." && pwd)
T=$(mktemp -d /tmp/fcpmemctl-test.XXXXXX)
trap 'rm -rf "$T"' EXIT
out=$T/out
errf=$T/err
n=0
failed=0

ok() {
	n=$((n + 1))
	echo "ok $n - $*"
}

not_ok() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $*"
}

diag_run() {
	echo "# exit $rc; stdout:"
	sed 's/^/#   /' "$out" | head -n 20
	echo "# stderr:"
	sed 's/^/#   /' "$errf" | head -n 10
}

if [ -z "${FCPMEMCTL:-}" ]; then
	if make -s -C "$TOP/tools/fcpmemctl" >"$T/build.log" 2>&1; then
		ok "build tools/fcpmemctl (-Wall -Wextra -Werror)"
	else
		sed 's/^/# /' "$T/build.log" | tail -n 30
		not_ok "build tools/fcpmemctl"
		exit 1
	fi
	FCPMEMCTL=$TOP/build/fcpmemctl/fcpmemctl
fi
ctl=$FCPMEMCTL
version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$TOP/dkms.conf")

# run ARGS...: against the fake trees in $SYS, $PROC, $DEV.
run() {
	FCPMEMCTL_SYSFS=$SYS FCPMEMCTL_PROC=$PROC FCPMEMCTL_DEV=$DEV \
		"$ctl" "$@" >"$out" 2>"$errf"
	rc=$?
}

# expect_rc DESC WANT
expect_rc() {
	if [ "$rc" = "$2" ]; then
		ok "$1"
	else
		not_ok "$1 (want exit $2)"
		diag_run
	fi
}

# expect_out DESC WANT_RC WANT_STDOUT: exit status and exact stdout.
expect_out() {
	if [ "$rc" = "$2" ] && [ "$(cat "$out")" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1"
		echo "# want exit $2, stdout:"
		printf '%s\n' "$3" | sed 's/^/#   /'
		diag_run
	fi
}

# expect_err DESC WANT_RC FIXED_STRING: exit status and a stderr line.
expect_err() {
	if [ "$rc" = "$2" ] && grep -qF -- "$3" "$errf"; then
		ok "$1"
	else
		not_ok "$1"
		echo "# want exit $2 and stderr with: $3"
		diag_run
	fi
}

# json DESC PYTHON: the last run's stdout must parse (json.tool) and
# PYTHON must hold with d = the parsed document.
json() {
	if ! python3 -m json.tool "$out" >/dev/null 2>"$T/json.err"; then
		not_ok "$1: stdout is not JSON"
		sed 's/^/# /' "$T/json.err"
		diag_run
		return
	fi
	if python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
$2
" "$out" >"$T/py.out" 2>&1; then
		ok "$1"
	else
		not_ok "$1"
		sed 's/^/# /' "$T/py.out" | tail -n 10
		diag_run
	fi
}

# disk DIR SIZE_SECTORS REGION DAX: a fake fcpmem disk.
mkdisk() {
	local d=$SYS/block/$1
	mkdir -p "$d/fcpmem"
	echo "$2" >"$d/size"
	: >"$d/badblocks"
	echo "$3" >"$d/fcpmem/region"
	echo "$4" >"$d/fcpmem/dax"
	echo "movnti clwb" >"$d/fcpmem/copy_variant"
	: >"$d/fcpmem/clear_badblocks"
	chmod 200 "$d/fcpmem/clear_badblocks"
	for c in bytes_read bytes_written flushes fua_writes nt_bytes \
		read_errors wb_lines; do
		echo 0 >"$d/fcpmem/$c"
	done
}

# ---------------------------------------------------------------- no module
SYS=$T/sys0
PROC=$T/proc
DEV=$T/dev
mkdir -p "$SYS/block/sda" "$PROC" "$DEV"
cat >"$PROC/iomem" <<'EOF'
00000000-00000fff : Reserved
00001000-0009fbff : System RAM
00100000-3fffffff : System RAM
  01000000-01ffffff : Kernel code
40000000-5fffffff : Persistent Memory (legacy)
80000000-8fffffff : Persistent Memory (legacy)
a0100000-a04fffff : Persistent Memory (legacy)
fec00000-fec003ff : IOAPIC 0
EOF

run --version
expect_out "--version prints dkms.conf's version, module not loaded" 0 \
	"fcpmemctl $version
fcpmem module not loaded"
run --help
if [ "$rc" = 0 ] && grep -q '^Usage: fcpmemctl list' "$out" &&
	grep -q 'inject-error DISK -b SECTOR' "$out"; then
	ok "--help exits 0 with the usage"
else
	not_ok "--help exits 0 with the usage"
	diag_run
fi
run
expect_err "no command exits 2" 2 "no command"
run frobnicate
expect_err "an unknown command exits 2" 2 "unknown command 'frobnicate'"

run list
expect_out "list before the module is loaded: every legacy range, unowned" 0 \
"DISK  REGION                 SIZE  DAX  COPY  WRITEBACK  ALIGN  OWNER
-     0x40000000-0x5fffffff  512M  -    -     -          2M     none
-     0x80000000-0x8fffffff  256M  -    -     -          2M     none
-     0xa0100000-0xa04fffff  4M    -    -     -          1M     none"
run list -v
expect_out "list -v before loading: namespace, DAX, regions= and memmap=" 0 \
"DISK  REGION                 SIZE  DAX  COPY  WRITEBACK  ALIGN  OWNER  NAMESPACE  DAX_CAPABLE  PARAM                   MEMMAP
-     0x40000000-0x5fffffff  512M  -    -     -          2M     none   -          yes          regions=512M@1G         memmap=512M!1G
-     0x80000000-0x8fffffff  256M  -    -     -          2M     none   -          yes          regions=256M@2G         memmap=256M!2G
-     0xa0100000-0xa04fffff  4M    -    -     -          1M     none   -          no           regions=4M@2561M dax=0  memmap=2M!2562M"
run --json list
json "list --json before loading: 3 ranges, numbers as numbers, nulls" '
assert [o["region"] for o in d] == ["0x40000000-0x5fffffff", "0x80000000-0x8fffffff", "0xa0100000-0xa04fffff"], d
for o in d:
    assert o["disk"] is None and o["dax"] is None and o["owner"] == "none", o
    assert o["end"] - o["start"] + 1 == o["size"], o
assert d[0]["param"] == "regions=512M@1G" and d[0]["dax_capable"] is True, d[0]
assert d[2]["align"] == 1 << 20 and d[2]["dax_capable"] is False, d[2]
assert d[2]["memmap"] == "memmap=2M!2562M", d[2]'

# /proc/iomem shows zeros to users other than root
sed 's/^\( *\)[0-9a-f]*-[0-9a-f]*/\100000000-00000000/' "$PROC/iomem" >"$T/iomem0"
PROC=$T/proc0
mkdir -p "$PROC"
mv "$T/iomem0" "$PROC/iomem"
run list
expect_err "list with a zeroed iomem (not root) says so and exits 0" 0 "run as root"
PROC=$T/proc-none
run --json list
expect_out "list without iomem and without fcpmem: [] and exit 0" 0 "[]"
PROC=$T/proc

run stats
expect_err "stats exits 1 when fcpmem is not loaded" 1 "fcpmem is not loaded"
run list pmem0
expect_err "list DISK exits 1 when fcpmem is not loaded" 1 "fcpmem is not loaded"
run list-errors pmem0
expect_rc "list-errors exits 1 when fcpmem is not loaded" 1

# ------------------------------------------------------------ module loaded
SYS=$T/sys
mkdir -p "$SYS/module/fcpmem" "$SYS/block/ram0"
echo 0123456789ABCDEF0123456 >"$SYS/module/fcpmem/srcversion"
echo 2048 >"$SYS/block/ram0/size"
mkdisk pmem0 1048576 0x40000000-0x5fffffff 1
mkdisk pmem1 524288 0x80000000-0x8fffffff 0
cat >"$PROC/iomem" <<'EOF'
00100000-3fffffff : System RAM
40000000-5fffffff : Persistent Memory (legacy)
  40000000-5fffffff : fcpmem.0
80000000-8fffffff : Persistent Memory (legacy)
  80000000-8fffffff : fcpmem.1
90000000-9fffffff : Persistent Memory (legacy)
  90000000-9fffffff : namespace0.0
a0100000-a04fffff : Persistent Memory (legacy)
EOF
# nd_pmem holds the third range: its namespace, driver and disk
ns=$SYS/bus/nd/devices/namespace0.0
mkdir -p "$ns/block/pmem2" "$SYS/bus/nd/drivers/nd_pmem"
echo 0x90000000 >"$ns/resource"
echo 268435456 >"$ns/size"
ln -s ../../../bus/nd/drivers/nd_pmem "$ns/driver"

run --version
expect_out "--version with the module loaded: its srcversion" 0 \
	"fcpmemctl $version
fcpmem module loaded, srcversion 0123456789ABCDEF0123456"

run list
expect_out "list: fcpmem disks, the nd_pmem range, the unowned range" 0 \
"DISK   REGION                 SIZE  DAX  COPY    WRITEBACK  ALIGN  OWNER
pmem0  0x40000000-0x5fffffff  512M  on   movnti  clwb       2M     fcpmem
pmem1  0x80000000-0x8fffffff  256M  off  movnti  clwb       2M     fcpmem
pmem2  0x90000000-0x9fffffff  256M  -    -       -          2M     nd_pmem
-      0xa0100000-0xa04fffff  4M    -    -       -          1M     none"
run list --json
json "list --json: fcpmem, nd_pmem and unowned rows" '
assert len(d) == 4, d
assert d[0]["disk"] == "pmem0" and d[0]["owner"] == "fcpmem" and d[0]["dax"] is True, d[0]
assert d[0]["size"] == 512 << 20 and d[0]["start"] == 0x40000000 and d[0]["end"] == 0x5fffffff, d[0]
assert d[0]["copy"] == "movnti" and d[0]["writeback"] == "clwb", d[0]
assert d[1]["dax"] is False, d[1]
assert d[2]["owner"] == "nd_pmem" and d[2]["namespace"] == "namespace0.0" and d[2]["disk"] == "pmem2", d[2]
assert d[3]["owner"] == "none" and d[3]["disk"] is None, d[3]'
run list pmem1
expect_out "list DISK: only that disk" 0 \
"DISK   REGION                 SIZE  DAX  COPY    WRITEBACK  ALIGN  OWNER
pmem1  0x80000000-0x8fffffff  256M  off  movnti  clwb       2M     fcpmem"
run list "$DEV/pmem1" --json
json "list /dev/DISK --json: that disk" 'assert [o["disk"] for o in d] == ["pmem1"], d'
run list nosuchdisk
expect_err "list nosuchdisk exits 1, naming it and the fcpmem disks" 1 \
	"no such disk: nosuchdisk (fcpmem disks: pmem0 pmem1)"
run list ram0
expect_err "list ram0 (not fcpmem's) exits 1" 1 "ram0 is not an fcpmem disk"
run list ../pmem0
expect_err "list ../pmem0 exits 1" 1 "'../pmem0' is not a disk name"
run list -x
expect_rc "list -x exits 2" 2

# ------------------------------------------------------------------- stats
echo 4206592 >"$SYS/block/pmem0/fcpmem/bytes_read"
echo 18446744073709551615 >"$SYS/block/pmem0/fcpmem/bytes_written"
run stats
expect_out "stats: every counter, alphabetical, numbers right-aligned" 0 \
"DISK   bytes_read         bytes_written  flushes  fua_writes  nt_bytes  read_errors  wb_lines
pmem0     4206592  18446744073709551615        0           0         0            0         0
pmem1           0                     0        0           0         0            0         0"
run --json stats pmem0
json "stats --json: 2^64-1 stays exact, every value a number" '
o = d[0]
assert o["bytes_written"] == 2**64 - 1 and o["bytes_read"] == 4206592, o
assert sorted(k for k in o if k != "disk") == ["bytes_read", "bytes_written", "flushes", "fua_writes", "nt_bytes", "read_errors", "wb_lines"], o
assert all(isinstance(v, int) for k, v in o.items() if k != "disk"), o'
echo 0 >"$SYS/block/pmem0/fcpmem/bytes_written"

# natural order: pmem2 before pmem10 (fake disks, no region)
mkdisk pmem10 8 0x1-0x0 1
mkdisk pmem3 8 "" 1
run stats
if [ "$(awk 'NR > 1 { printf "%s ", $1 }' "$out")" = "pmem0 pmem1 pmem3 pmem10 " ]; then
	ok "stats: disks in natural order (pmem3 before pmem10)"
else
	not_ok "stats: disks in natural order (pmem3 before pmem10)"
	diag_run
fi
run list --json pmem10 pmem3
json "list: a disk with a missing or bad region gives nulls" '
assert [o["disk"] for o in d] == ["pmem10", "pmem3"], d
assert all(o["region"] is None and o["align"] is None for o in d), d'
rm -rf "$SYS/block/pmem10" "$SYS/block/pmem3"

run stats pmem0 nosuchdisk
expect_err "stats with one unknown disk exits 1" 1 "no such disk: nosuchdisk"
for a in "-x" "-w" "-w abc" "-w 1.2.3" "-w 0.001" "-c 3" "-w 1 -c 0" "-w 1 -c x"; do
	# shellcheck disable=SC2086 # split the options
	run stats $a
	expect_rc "stats $a exits 2" 2
done

# watch mode: a counter that moves between two reports comes out as MiB/s
# over the measured interval, however late the reports are.
bw=$SYS/block/pmem1/fcpmem/bytes_written
echo 1000 >"$bw"
# a fresh file: the wait below must not see an earlier run's output
rm -f "$out"
# (timeout: a build that ignored its signals must not hang the suite)
FCPMEMCTL_SYSFS=$SYS FCPMEMCTL_PROC=$PROC timeout 120 "$ctl" --json stats \
	-w 1 -c 3 pmem1 >"$out" 2>"$errf" &
pid=$!
i=0
while [ ! -s "$out" ] && [ $i -lt 600 ]; do
	sleep 0.05
	i=$((i + 1))
done
echo $((1000 + (10 << 20))) >"$bw"
wait $pid
rc=$?
expect_rc "stats --json -w 1 -c 3 exits 0" 0
if python3 -c '
import json, sys
r = [json.loads(l) for l in open(sys.argv[1])]
assert len(r) == 3, r
assert r[0][0]["bytes_written"] == 1000 and "interval_s" not in r[0][0], r
assert all(x[0]["interval_s"] > 0 for x in r[1:]), r
total = sum(x[0]["MiB_written/s"] * x[0]["interval_s"] for x in r[1:])
assert abs(total - 10) < 0.2, (total, r)
' "$out" 2>"$T/py.out"; then
	ok "stats -w: one JSON report a line; MiB/s x interval_s give the 10 MiB written"
else
	not_ok "stats -w: one JSON report a line; MiB/s x interval_s give the 10 MiB written"
	sed 's/^/# /' "$T/py.out" | tail -n 5
	diag_run
fi

# a counter that went down (module reloaded) counts from zero
echo 0 >"$bw"
echo 100 >"$SYS/block/pmem1/fcpmem/flushes"
rm -f "$out"
FCPMEMCTL_SYSFS=$SYS timeout 120 "$ctl" stats -w 1 pmem1 >"$out" 2>"$errf" &
pid=$!
i=0
while [ ! -s "$out" ] && [ $i -lt 600 ]; do
	sleep 0.05
	i=$((i + 1))
done
echo 7 >"$SYS/block/pmem1/fcpmem/flushes"
i=0
while [ "$(grep -c '^DISK' "$out")" -lt 2 ] && [ $i -lt 600 ]; do
	sleep 0.05
	i=$((i + 1))
done
kill -INT $pid
wait $pid
rc=$?
if [ "$rc" = 0 ] && grep -q '^DISK .*MiB_written/s' "$out" &&
	[ "$(awk '/^DISK/ { for (i = 1; i <= NF; i++) if ($i == "flushes") c = i; h++ }
		h == 2 && $1 == "pmem1" { print $c }' "$out")" = 7 ]; then
	ok "stats -w: table reports in MiB/s, a counter that went down counts from 0, SIGINT exits 0"
else
	not_ok "stats -w: table reports in MiB/s, a counter that went down counts from 0, SIGINT exits 0"
	diag_run
fi
echo 0 >"$SYS/block/pmem1/fcpmem/flushes"

# --------------------------------------------------------------- odd names
odd=$(printf 'o"d\\d\tx')
mkdisk "$odd" 8 0xc0000000-0xc0000fff 1
echo 5 >"$SYS/block/$odd/fcpmem/$(printf 'we"ird\\cnt\001')"
run --json stats
json "stats --json: a disk and a counter with quotes, backslash, control characters" '
o = [x for x in d if x["disk"] != "pmem0" and x["disk"] != "pmem1"][0]
assert o["disk"] == "o\"d\\d\tx", o
assert o["we\"ird\\cnt\x01"] == 5, o'
run stats
if [ "$(wc -l <"$out")" = 4 ] && grep -qF 'o"d\d\x09x' "$out" &&
	grep -qF 'we"ird\cnt\x01' "$out"; then
	ok "stats table: control characters shown as \\xNN, one line per disk"
else
	not_ok "stats table: control characters shown as \\xNN, one line per disk"
	diag_run
fi
run --json list
json "list --json with an odd disk name" '
assert any(o["disk"] == "o\"d\\d\tx" for o in d), d'
rm -rf "${SYS:?}/block/$odd"

# ------------------------------------------------------------- bad blocks
bb=$SYS/block/pmem0/badblocks
cbb=$SYS/block/pmem0/fcpmem/clear_badblocks
run list-errors pmem0
expect_out "list-errors: an empty list is the header alone" 0 "SECTOR  COUNT"
run list-errors pmem0 --json
expect_out "list-errors --json: an empty list is []" 0 "[]"
printf '2048 8\n4096 1\n' >"$bb"
run list-errors "$DEV/pmem0"
expect_out "list-errors: the entries" 0 "SECTOR  COUNT
  2048      8
  4096      1"
run --json list-errors pmem0
json "list-errors --json: sector and count as numbers" '
assert d == [{"sector": 2048, "count": 8}, {"sector": 4096, "count": 1}], d'
run badblocks pmem0
expect_out "badblocks DISK (the old spelling) shows the list" 0 "SECTOR  COUNT
  2048      8
  4096      1"

run inject-error pmem0 -b 100 -n 2
if [ "$rc" = 0 ] && [ "$(cat "$bb")" = "100 2" ] &&
	grep -qx 'pmem0: marked 2 sector(s) from 100 bad' "$out"; then
	ok "inject-error pmem0 -b 100 -n 2 writes '100 2' to badblocks"
else
	not_ok "inject-error pmem0 -b 100 -n 2 writes '100 2' to badblocks"
	diag_run
fi
run inject-error --json -b 7 pmem0
expect_out "inject-error --json, options before the disk, COUNT defaults to 1" 0 \
"[
  {
    \"sector\": 7,
    \"count\": 1
  }
]"
run badblocks inject 300 4 pmem0
if [ "$rc" = 0 ] && [ "$(cat "$bb")" = "300 4" ]; then
	ok "badblocks inject 300 4 pmem0 (the old spelling) works"
else
	not_ok "badblocks inject 300 4 pmem0 (the old spelling) works"
	diag_run
fi
run inject-error pmem0 -b 1048575 -n 2
expect_err "inject-error past the end exits 1" 1 "past its end (1048576 sectors)"
for a in "pmem0" "pmem0 -b x" "pmem0 -b 1 -n 0" "pmem0 -b 1 -n 2147483648" \
	"-b 1" "pmem0 pmem1 -b 1" "pmem0 -n 2" "pmem0 -z"; do
	# shellcheck disable=SC2086 # split the arguments
	run inject-error $a
	expect_rc "inject-error $a exits 2" 2
done
for a in "inject 2048 pmem0 extra" "inject x pmem0" "show pmem0 pmem1" "clear"; do
	# shellcheck disable=SC2086
	run badblocks $a
	expect_rc "badblocks $a exits 2" 2
done

# clear: the driver drops entries; the fake list does not, so a listed
# range must fail the check after the write, an unlisted one pass.
printf '2048 8\n4096 1\n' >"$bb"
chmod 600 "$cbb"
run clear-errors pmem0 -b 2048 -n 8
if [ "$rc" = 1 ] && [ "$(cat "$cbb")" = "2048 8" ] &&
	grep -qF 'still listed after clearing: 2048+8' "$errf"; then
	ok "clear-errors writes 'S N' to fcpmem/clear_badblocks and fails if still listed"
else
	not_ok "clear-errors writes 'S N' to fcpmem/clear_badblocks and fails if still listed"
	diag_run
fi
run clear-errors pmem0 -b 3000 -n 10
expect_out "clear-errors of a range not listed exits 0" 0 "pmem0: cleared the list in 3000+10"
run clear-errors pmem0 -b 4090 -n 4 --json
expect_out "clear-errors --json: [] when nothing in the range was listed" 0 "[]"
: >"$bb"
run clear-errors pmem0
if [ "$rc" = 0 ] && [ "$(cat "$cbb")" = "0 1048576" ]; then
	ok "clear-errors without -b covers the whole disk"
else
	not_ok "clear-errors without -b covers the whole disk"
	diag_run
fi
run badblocks clear 5 pmem0
if [ "$rc" = 0 ] && [ "$(cat "$cbb")" = "5 1" ]; then
	ok "badblocks clear 5 pmem0 (the old spelling) clears one sector"
else
	not_ok "badblocks clear 5 pmem0 (the old spelling) clears one sector"
	diag_run
fi

# repair needs a block device: a clean range needs nothing, a listed one
# must refuse a regular file
run repair-errors pmem0 -b 0 -n 16
expect_out "repair-errors of a clean range exits 0" 0 "pmem0: no bad sectors in 0+16"
run repair-errors pmem0 --json
expect_out "repair-errors --json of a clean disk: []" 0 "[]"
printf '8 2\n' >"$bb"
: >"$DEV/pmem0"
run repair-errors pmem0 -b 0 -n 16
expect_err "repair-errors refuses a device node that is not a block device" 1 \
	"$DEV/pmem0 is not a block device"

# a disk without a list (a driver built without badblocks)
rm -f "$SYS/block/pmem1/badblocks"
for a in "list-errors pmem1" "inject-error pmem1 -b 1" "clear-errors pmem1" \
	"repair-errors pmem1" "badblocks pmem1" "badblocks repair 2048 8 pmem1"; do
	# shellcheck disable=SC2086
	run $a
	expect_err "no list: $a exits 1 and says so" 1 \
		"fcpmemctl: pmem1 has no bad-block list (driver without badblocks support)"
done
run list-errors ram0
expect_err "list-errors ram0 exits 1" 1 "ram0 is not an fcpmem disk"

# ------------------------------------------------- install, the man page
rm -rf "$T/inst"
if make -s -C "$TOP/tools/fcpmemctl" install DESTDIR="$T/inst" PREFIX=/usr \
	OUT="$(dirname "$ctl")" >"$T/inst.log" 2>&1 &&
	[ -x "$T/inst/usr/sbin/fcpmemctl" ] &&
	[ -f "$T/inst/usr/share/man/man8/fcpmemctl.8" ] &&
	[ "$(FCPMEMCTL_SYSFS=$T/none "$T/inst/usr/sbin/fcpmemctl" --version | head -n 1)" = "fcpmemctl $version" ]; then
	ok "make install DESTDIR PREFIX=/usr: sbin/fcpmemctl (--version $version) and man8/fcpmemctl.8"
else
	not_ok "make install DESTDIR PREFIX=/usr: sbin/fcpmemctl and man8/fcpmemctl.8"
	sed 's/^/# /' "$T/inst.log"
	find "$T/inst" | sed 's/^/# /'
fi
th=$(grep '^\.TH' "$TOP/Documentation/fcpmemctl.8")
case $th in
*"\"fcpmem $version\" \"System Administration\""*)
	ok "fcpmemctl.8: .TH names fcpmem $version and System Administration" ;;
*)
	not_ok "fcpmemctl.8: .TH names fcpmem $version and System Administration"
	echo "# $th" ;;
esac

echo "1..$n"
echo "# fcpmemctl host tests: $n tests, $failed failed"
[ "$failed" -eq 0 ]

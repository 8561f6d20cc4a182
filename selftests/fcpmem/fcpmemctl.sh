#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# fcpmemctl (tools/fcpmemctl, C, built on the host into build/fcpmemctl/)
# against the real driver: list before loading (each legacy region
# unowned, with its regions= line), with nd_pmem holding the regions, and
# after insmod (owned by fcpmem; sizes, regions and DAX state against
# /proc/iomem), --json, stats and its watch mode, a name= prefix other than
# pmem, exit codes 0/1/2, and the bad-block commands (inject-error,
# list-errors, clear-errors, repair-errors and the old "badblocks"
# spelling on the real list; "no list" against a fake sysfs tree).
# shellcheck source-path=SCRIPTDIR source=lib.sh disable=SC1091
. "$(dirname "$0")/lib.sh"

ctl=${FCPMEMCTL:-$FCPMEM_TOP/build/fcpmemctl/fcpmemctl}
out=$FCPMEM_TMP/ctl.out
errf=$FCPMEM_TMP/ctl.err

# run ARGS...: fcpmemctl's stdout in $out, stderr in $errf, status in $rc.
run() {
	"$ctl" "$@" >"$out" 2>"$errf"
	rc=$?
}

# runfake ARGS...: the same, against the fake sysfs tree in $fake.
runfake() {
	FCPMEMCTL_SYSFS=$fake "$ctl" "$@" >"$out" 2>"$errf"
	rc=$?
}

# expect_rc DESC WANT: one TAP line on the last run's exit status.
expect_rc() {
	if [ "$rc" = "$2" ]; then
		ktap_ok "$1"
	else
		ktap_not_ok "$1"
		ktap_diag "exit $rc, want $2; stdout:"
		sed 's/^/#   /' "$out" | tail -n 10
		ktap_diag "stderr:"
		sed 's/^/#   /' "$errf" | tail -n 10
	fi
}

# The legacy regions, in address order: "0xSTART-0xEND SIZE" per line,
# SIZE as fcpmemctl prints it (256M, 1G).
want_regions() {
	grep 'Persistent Memory (legacy)' /proc/iomem |
		while IFS='-: ' read -r s e _; do
			mib=$(( (0x$e - 0x$s + 1) >> 20 ))
			if [ $((mib % 1024)) -eq 0 ]; then
				size=$((mib / 1024))G
			else
				size=${mib}M
			fi
			printf '0x%x-0x%x %s\n' $((0x$s)) $((0x$e)) "$size"
		done
}

# want_list PREFIX DAX OWNER: the columns DISK REGION SIZE DAX OWNER that
# fcpmemctl list should print (PREFIX -: no disk).
want_list() {
	echo "DISK REGION SIZE DAX OWNER"
	want_regions | awk -v p="$1" -v dax="$2" -v owner="$3" \
		'{ print (p == "-" ? "-" : p (NR - 1)), $1, $2, dax, owner }'
}

# The columns of fcpmemctl list that want_list gives.
list_cols() {
	awk 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i }
		{ print $c["DISK"], $c["REGION"], $c["SIZE"], $c["DAX"], $c["OWNER"] }' "$out"
}

# wait_lines FILE PATTERN N: until FILE has N lines matching PATTERN, at
# most two minutes: the guest is slow and shares the CPU.
wait_lines() {
	_i=0
	while [ "$(grep -c "$2" "$1" 2>/dev/null)" -lt "$3" ] && [ $_i -lt 1200 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	[ "$(grep -c "$2" "$1" 2>/dev/null)" -ge "$3" ]
}

# The regions= and memmap= values fcpmemctl list -v must suggest for
# each legacy region (all of ours are 2 MiB aligned).
want_params() {
	grep 'Persistent Memory (legacy)' /proc/iomem |
		while IFS='-: ' read -r s e _; do
			python3 -c '
import sys
def p(v):
    for u, sh in (("T", 40), ("G", 30), ("M", 20), ("K", 10)):
        if v and v % (1 << sh) == 0:
            return "%d%s" % (v >> sh, u)
    return hex(v)
s, e = int(sys.argv[1], 16), int(sys.argv[2], 16)
print("regions=%s@%s memmap=%s!%s" % (p(e - s + 1), p(s), p(e - s + 1), p(s)))' "$s" "$e"
		done
}

# bytes_written of DISK, from fcpmemctl --json stats
json_counter() {
	"$ctl" --json stats "$1" | python3 -c '
import json, sys
print(json.load(sys.stdin)[0][sys.argv[1]])' "$2"
}

fcpmem_unload

# --- before loading
if [ ! -x "$ctl" ]; then
	ktap_not_ok "$ctl is built (make -C tools/fcpmemctl on the host)"
	ktap_finish
	exit
fi
nregions=$(grep -c 'Persistent Memory (legacy)' /proc/iomem)
run list
expect_rc "list exits 0 before fcpmem is loaded" 0
expect_eq "list before loading: each legacy region, no disk, owner none" "list" \
	"$(list_cols)" "$(want_list - - none)"
run list -v
sed 's/^/# /' "$out"
expect_eq "list -v before loading: the regions= and memmap= lines that serve each region" \
	"PARAM MEMMAP" \
	"$(awk 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i }
		NR > 1 { print $c["PARAM"], $c["MEMMAP"] }' "$out")" "$(want_params)"
run --json list
check "list --json before loading: $nregions unowned regions, 2 MiB aligned, DAX capable" \
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert len(d) == int(sys.argv[2]), d
for o in d:
    assert o["owner"] == "none" and o["disk"] is None and o["dax"] is None, o
    assert o["align"] == 2 << 20 and o["dax_capable"] is True, o
    assert o["param"].startswith("regions=") and o["memmap"].startswith("memmap="), o
' "$out" "$nregions"
run stats
expect_rc "stats exits 1 when fcpmem is not loaded" 1
check "... and says fcpmem is not loaded" grep -q 'fcpmem is not loaded' "$errf"
run --version
expect_rc "--version exits 0" 0
check "--version prints the dkms.conf version" \
	grep -qx "fcpmemctl $(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$FCPMEM_TOP/dkms.conf")" "$out"
run --help
expect_rc "--help exits 0" 0
check "--help prints the usage" grep -q '^Usage: fcpmemctl' "$out"
run frobnicate
expect_rc "an unknown command exits 2" 2

# --- the in-tree driver holds the regions: list says nd_pmem owns them
if modprobe nd_e820 2>/dev/null && modprobe nd_pmem 2>/dev/null && wait_dev /dev/pmem0; then
	run --json list
	check "list --json with nd_pmem loaded: every region owned by nd_pmem, its namespace and disk" \
		python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert len(d) == int(sys.argv[2]), d
for o in d:
    assert o["owner"] == "nd_pmem", o
    assert o["namespace"].startswith("namespace"), o
    assert o["disk"].startswith("pmem"), o
' "$out" "$nregions"
	modprobe -r nd_pmem nd_e820 nd_btt 2>/dev/null
	modprobe -r nd_e820 nd_pmem libnvdimm 2>/dev/null
else
	ktap_skip "list with nd_pmem owning the regions: nd_e820/nd_pmem did not load"
fi

if ! fcpmem_load || ! wait_dev /dev/pmem0; then
	ktap_not_ok "load fcpmem"
	ktap_finish
	exit
fi
# --- list
run list
expect_rc "list exits 0" 0
sed 's/^/# /' "$out"
expect_eq "list after insmod: one line per disk, regions, sizes, DAX on, owned by fcpmem" "list" \
	"$(list_cols)" "$(want_list pmem on fcpmem)"
expect_eq "list: copy variant and write-back from sysfs" "copy/wb of pmem0" \
	"$(awk '$1 == "pmem0" { print $5, $6 }' "$out")" \
	"$(cat /sys/block/pmem0/fcpmem/copy_variant)"
run list pmem1
expect_eq "list DISK: only that disk" "disks" \
	"$(awk 'NR > 1 { print $1 }' "$out")" pmem1

run --json list
expect_rc "list --json exits 0" 0
check "list --json: a list of $nregions objects, numbers as numbers" \
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert isinstance(d, list) and len(d) == int(sys.argv[2]), d
for o in d:
    size = int(open("/sys/block/%s/size" % o["disk"]).read()) * 512
    assert o["size"] == size, (o, size)
    assert o["end"] - o["start"] + 1 == size, o
    assert o["region"] == "%#x-%#x" % (o["start"], o["end"]), o
    assert o["dax"] is True and o["owner"] == "fcpmem", o
    assert isinstance(o["copy"], str) and isinstance(o["writeback"], str), o
' "$out" "$nregions"

# --- stats
run stats
expect_rc "stats exits 0" 0
expect_eq "stats: one line per disk" "disks" \
	"$(awk 'NR > 1 { print $1 }' "$out" | tr '\n' ' ')" \
	"$(fcpmem_disks | tr '\n' ' ')"
# Every number in fcpmem/ but dax is a counter: the tool must find them
# all by itself, including ones added after it was written.
want_counters=$(for f in /sys/block/pmem0/fcpmem/*; do
	n=${f##*/}
	[ "$n" = dax ] && continue
	# write-only files (clear_badblocks) do not read
	grep -qx '[0-9][0-9]*' "$f" 2>/dev/null && echo "$n"
done | sort | tr '\n' ' ')
run --json stats pmem0
check "stats --json parses" python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$out"
expect_eq "stats --json: every counter in sysfs, as numbers" "counters" \
	"$(python3 -c '
import json, sys
o = json.load(open(sys.argv[1]))[0]
assert all(isinstance(v, int) for k, v in o.items() if k != "disk"), o
print(" ".join(sorted(k for k in o if k != "disk")))' "$out") " \
	"$want_counters"

w0=$(json_counter pmem0 bytes_written)
r0=$(json_counter pmem0 bytes_read)
dd if=/dev/urandom of="$FCPMEM_TMP/4m" bs=1M count=4 status=none
dd if="$FCPMEM_TMP/4m" of=/dev/pmem0 bs=1M count=4 oflag=direct status=none
dd if=/dev/pmem0 of=/dev/null bs=1M count=4 iflag=direct status=none
expect_eq "stats: bytes_written moves by a 4 MiB direct write" "delta" \
	$(($(json_counter pmem0 bytes_written) - w0)) $((4 << 20))
expect_eq "stats: bytes_read moves by a 4 MiB direct read" "delta" \
	$(($(json_counter pmem0 bytes_read) - r0)) $((4 << 20))
run stats pmem0
expect_eq "stats table agrees with sysfs" "bytes_written column" \
	"$(awk 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "bytes_written") c = i }
		NR == 2 { print $c }' "$out")" \
	"$(cat /sys/block/pmem0/fcpmem/bytes_written)"

# Watch mode, stopped as a user would (Ctrl-C): the totals at once, then
# one report a second. No clock in the checks: the guest is slow and
# shared, so only the order of events is relied on, with generous limits.
out=$FCPMEM_TMP/ctl-watch.out
rm -f "$out"
# (timeout only so that a tool deaf to SIGINT cannot hang the run)
timeout 600 "$ctl" stats -w 1 >"$out" 2>"$errf" &
pid=$!
wait_lines "$out" '^DISK' 2
kill -INT $pid
wait $pid
rc=$?
reports=$(grep -c '^DISK' "$out")
if [ "$reports" -ge 2 ] && [ "$rc" = 0 ]; then
	ktap_ok "stats -w 1: $reports reports, SIGINT exits 0"
else
	ktap_not_ok "stats -w 1: $reports reports, exit $rc (want >= 2, 0)"
	sed 's/^/# /' "$out" "$errf"
fi
check "stats -w 1: the interval reports are MiB/s" \
	grep -q '^DISK .*MiB_written/s' "$out"

# The rates add up: 8 MiB written while reports run; the interval reports
# times their intervals must give those bytes back. The write starts after
# the first report and two more reports come after it ends, so every byte
# falls inside some interval however slow the guest is.
rm -f "$out"
timeout 600 "$ctl" --json stats -w 1 pmem1 >"$out" 2>"$errf" &
pid=$!
wait_lines "$out" '^\[' 1
dd if=/dev/zero of=/dev/pmem1 bs=1M count=8 oflag=direct status=none
done_at=$(grep -c '^\[' "$out")
wait_lines "$out" '^\[' $((done_at + 2))
kill -INT $pid
wait $pid
rc=$?
expect_rc "stats --json -w 1 exits 0 on SIGINT" 0
check "stats --json -w: JSON reports whose MiB/s x interval_s give 8 MiB" \
	python3 -c '
import json, sys
reports = [json.loads(l) for l in open(sys.argv[1])]
assert len(reports) >= 3, reports
total = sum(r[0]["MiB_written/s"] * r[0]["interval_s"] for r in reports[1:])
assert abs(total - 8) < 0.25, (total, reports)
print(len(reports), total)' "$out"
out=$FCPMEM_TMP/ctl.out

# --- exit codes for disks that are not ours
run list nosuchdisk
expect_rc "list nosuchdisk exits 1" 1
check "... naming the disk" grep -q 'no such disk: nosuchdisk' "$errf"
run stats pmem0 nosuchdisk
expect_rc "stats with one unknown disk exits 1" 1
if modprobe brd rd_nr=1 rd_size=1024 2>/dev/null && [ -d /sys/block/ram0 ]; then
	run stats ram0
	expect_rc "stats ram0 (a brd disk) exits 1" 1
	check "... saying it is not an fcpmem disk" grep -q 'ram0 is not an fcpmem disk' "$errf"
	rmmod brd
else
	ktap_skip "stats on a non-fcpmem disk (brd not available)"
fi

# --- bad blocks on the real disk
# bb_json DISK: the list as "S+N ..." from list-errors --json
bb_json() {
	"$ctl" list-errors "$1" --json | python3 -c '
import json, sys
print(" ".join("%d+%d" % (o["sector"], o["count"]) for o in json.load(sys.stdin)))'
}
if [ -e /sys/block/pmem0/badblocks ]; then
	run list-errors pmem0
	expect_rc "list-errors pmem0 exits 0" 0
	expect_eq "list-errors: a fresh disk has an empty list" "output" \
		"$(cat "$out")" "SECTOR  COUNT"
	run list-errors pmem0 --json
	expect_eq "list-errors --json: an empty list is []" "output" "$(cat "$out")" "[]"
	run inject-error pmem0 -b 2048 -n 8
	expect_rc "inject-error pmem0 -b 2048 -n 8 exits 0" 0
	run inject-error /dev/pmem0 -b 4096
	expect_rc "inject-error /dev/pmem0 -b 4096 (COUNT defaults to 1) exits 0" 0
	expect_eq "list-errors --json lists both" "list" "$(bb_json pmem0)" "2048+8 4096+1"
	run badblocks show pmem0
	expect_eq "badblocks show pmem0 (the old spelling) lists both" "output" \
		"$(awk '{ print $1, $2 }' "$out")" "$(printf 'SECTOR COUNT\n2048 8\n4096 1')"
	check "a read over an injected sector fails" sh -c \
		'! dd if=/dev/pmem0 of=/dev/null bs=512 skip=2050 count=1 iflag=direct status=none'
	run clear-errors pmem0 -b 2048 -n 8
	expect_rc "clear-errors pmem0 -b 2048 -n 8 exits 0" 0
	expect_eq "clear-errors dropped 2048+8 only" "list" "$(bb_json pmem0)" "4096+1"
	check "the cleared sectors read again" \
		dd if=/dev/pmem0 of=/dev/null bs=512 skip=2048 count=8 iflag=direct status=none
	run badblocks inject 100 2 pmem0
	expect_rc "badblocks inject 100 2 pmem0 (the old spelling) exits 0" 0
	run badblocks clear 100 2 pmem0
	expect_eq "badblocks clear 100 2 pmem0 (the old spelling) drops it" "list" \
		"$(bb_json pmem0)" "4096+1"

	# repair rewrites only the listed sectors of its range with zeros.
	dd if=/dev/urandom of="$FCPMEM_TMP/pat" bs=512 count=16 status=none
	dd if="$FCPMEM_TMP/pat" of=/dev/pmem0 bs=512 seek=4088 count=16 oflag=direct status=none
	run inject-error pmem0 -b 4092 -n 8
	run repair-errors pmem0 -b 4088 -n 16 --json
	expect_rc "repair-errors pmem0 -b 4088 -n 16 exits 0" 0
	check "repair-errors --json: the ranges it rewrote" python3 -c '
import json, sys
assert json.load(open(sys.argv[1])) == [{"sector": 4092, "count": 8}]' "$out"
	expect_eq "repair-errors emptied the list" "list" "$(bb_json pmem0)" ""
	dd if=/dev/pmem0 of="$FCPMEM_TMP/got" bs=512 skip=4088 count=16 iflag=direct status=none
	{
		head -c 2048 "$FCPMEM_TMP/pat"
		head -c 4096 /dev/zero
		tail -c 2048 "$FCPMEM_TMP/pat"
	} >"$FCPMEM_TMP/want"
	check "repair zeroed sectors 4092-4099 and left 4088-4091, 4100-4103 alone" \
		cmp "$FCPMEM_TMP/got" "$FCPMEM_TMP/want"
	run repair-errors pmem0 -b 0 -n 16
	expect_rc "repair-errors of a clean range exits 0" 0
	run inject-error pmem0 -b 10 -n 2
	run inject-error pmem0 -b 500 -n 1
	run clear-errors pmem0
	expect_rc "clear-errors pmem0 (the whole disk) exits 0" 0
	expect_eq "clear-errors without -b empties the list" "list" "$(bb_json pmem0)" ""
	run inject-error pmem0 -b $(($(cat /sys/block/pmem0/size) - 1)) -n 2
	expect_rc "inject-error past the end exits 1" 1
else
	ktap_not_ok "/sys/block/pmem0/badblocks exists (the driver keeps a list)"
fi
run badblocks inject 2048 pmem0 extra
expect_rc "badblocks with too many arguments exits 2" 2
run inject-error pmem0 -b x
expect_rc "inject-error -b x exits 2" 2
run inject-error pmem0
expect_rc "inject-error without -b exits 2" 2
run list-errors nosuchdisk
expect_rc "list-errors nosuchdisk exits 1" 1

# --- a disk without a list (a driver built without badblocks), faked:
# every command must say so and exit 1.
fake=$FCPMEM_TMP/fakesys
rm -rf "$fake"
mkdir -p "$fake/module/fcpmem" "$fake/block/pmem0/fcpmem"
cp /sys/block/pmem0/size "$fake/block/pmem0/size"
for a in "list-errors" "inject-error -b 2048 -n 8" "clear-errors -b 2048" \
	"repair-errors -b 2048 -n 8"; do
	# shellcheck disable=SC2086 # split the command's words
	runfake $a pmem0
	expect_rc "no list: $a pmem0 exits 1" 1
done
check "no list: the message says so" \
	grep -qx 'fcpmemctl: pmem0 has no bad-block list (driver without badblocks support)' "$errf"
fcpmem_unload

# --- a name= prefix other than pmem, and dax=0
if fcpmem_load name=fcp dax=0 && wait_dev /dev/fcp0; then
	run list
	expect_eq "name=fcp dax=0: list finds fcp0.. with DAX off" "list" \
		"$(list_cols)" "$(want_list fcp off fcpmem)"
	run --json stats fcp1
	check "name=fcp: stats --json fcp1 parses" \
		python3 -c 'import json, sys; assert json.load(open(sys.argv[1]))[0]["disk"] == "fcp1"' "$out"
	run stats pmem0
	expect_rc "name=fcp: stats pmem0 exits 1" 1
	fcpmem_unload
else
	ktap_not_ok "load fcpmem name=fcp dax=0"
fi

# --- after unloading
run stats
expect_rc "stats exits 1 after unload" 1
run list-errors pmem0
expect_rc "list-errors exits 1 after unload" 1
run list
expect_eq "list after unload: the regions are unowned again" "list" \
	"$(list_cols)" "$(want_list - - none)"

ktap_finish

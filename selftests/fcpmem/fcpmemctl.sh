#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tools/fcpmemctl against the loaded driver: list (sizes, regions and DAX
# state against /proc/iomem), --json, stats and its watch mode, a name=
# prefix other than pmem, exit codes, and badblocks (inject, show, clear and
# repair on the real list; "no list" against a fake sysfs tree).
# shellcheck source-path=SCRIPTDIR source=lib.sh disable=SC1091
. "$(dirname "$0")/lib.sh"

ctl=$FCPMEM_TOP/tools/fcpmemctl
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

# want_list PREFIX DAX: the first four columns fcpmemctl list should print.
want_list() {
	echo "DISK REGION SIZE DAX"
	want_regions | awk -v p="$1" -v dax="$2" \
		'{ print p (NR - 1), $1, $2, dax }'
}

# bytes_written of DISK, from fcpmemctl --json stats
json_counter() {
	"$ctl" --json stats "$1" | python3 -c '
import json, sys
print(json.load(sys.stdin)[0][sys.argv[1]])' "$2"
}

fcpmem_unload

# --- before loading
run list
expect_rc "list exits 1 when fcpmem is not loaded" 1
check "... and says fcpmem is not loaded" grep -q 'fcpmem is not loaded' "$errf"
run --version
expect_rc "--version exits 0" 0
check "--version prints the dkms.conf version" \
	grep -qx "fcpmemctl $(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$FCPMEM_TOP/dkms.conf")" "$out"
run --help
expect_rc "--help exits 0" 0
check "--help prints the usage" grep -q '^Usage: fcpmemctl' "$out"
run frobnicate
expect_rc "an unknown command exits 64" 64

if ! fcpmem_load || ! wait_dev /dev/pmem0; then
	ktap_not_ok "load fcpmem"
	ktap_finish
	exit
fi
nregions=$(grep -c 'Persistent Memory (legacy)' /proc/iomem)

# --- list
run list
expect_rc "list exits 0" 0
expect_eq "list: one line per disk, regions, sizes and DAX on" "list" \
	"$(awk '{ print $1, $2, $3, $4 }' "$out")" "$(want_list pmem on)"
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
    assert o["dax"] is True, o
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

# Watch mode under timeout, as a user would stop it: the totals at once,
# then one report a second.
t0=$(date +%s%N)
timeout 6 "$ctl" stats -w 1 >"$out" 2>"$errf"
rc=$?
t1=$(date +%s%N)
reports=$(grep -c '^DISK' "$out")
if [ "$reports" -ge 2 ] && [ "$rc" = 124 ]; then
	ktap_ok "stats -w 1: $reports reports in $(( (t1 - t0) / 1000000 )) ms under timeout 6"
else
	ktap_not_ok "stats -w 1: $reports reports, exit $rc (want >= 2, 124)"
	sed 's/^/# /' "$out" "$errf"
fi
check "stats -w 1: the interval reports are MiB/s" \
	grep -q '^DISK .*MiB_written/s' "$out"

# The rates add up: 8 MiB written while three reports run; the interval
# reports times their intervals must give those bytes back.
# A fresh file: the wait below must not see an earlier run's output.
out=$FCPMEM_TMP/ctl-watch.out
rm -f "$out"
"$ctl" --json stats -w 1 -c 3 pmem1 >"$out" 2>"$errf" &
pid=$!
i=0
while [ ! -s "$out" ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
dd if=/dev/zero of=/dev/pmem1 bs=1M count=8 oflag=direct status=none
wait $pid
rc=$?
expect_rc "stats --json -w 1 -c 3 exits 0" 0
check "stats --json -w: 3 JSON reports whose MiB/s x interval give 8 MiB" \
	python3 -c '
import json, sys
reports = [json.loads(l) for l in open(sys.argv[1])]
assert len(reports) == 3, reports
total = sum(r[0]["MiB_written/s"] * r[0]["interval_s"] for r in reports[1:])
assert abs(total - 8) < 0.1, (total, reports)
print(reports)' "$out"
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

# --- badblocks on the real disk
if [ -e /sys/block/pmem0/badblocks ]; then
	run badblocks pmem0
	expect_rc "badblocks pmem0 (show) exits 0" 0
	expect_eq "badblocks: a fresh disk has an empty list" "output" \
		"$(cat "$out")" "SECTOR COUNT"
	run badblocks inject 2048 8 pmem0
	expect_rc "badblocks inject 2048 8 exits 0" 0
	run badblocks inject 4096 pmem0
	expect_rc "badblocks inject 4096 (COUNT defaults to 1) exits 0" 0
	run badblocks show pmem0
	expect_eq "badblocks show lists both" "output" \
		"$(cat "$out")" "$(printf 'SECTOR COUNT\n2048 8\n4096 1')"
	check "a read over an injected sector fails" sh -c \
		'! dd if=/dev/pmem0 of=/dev/null bs=512 skip=2050 count=1 iflag=direct status=none'
	run badblocks clear 2048 8 pmem0
	expect_rc "badblocks clear 2048 8 exits 0" 0
	run badblocks show pmem0
	expect_eq "badblocks clear dropped 2048+8 only" "output" \
		"$(cat "$out")" "$(printf 'SECTOR COUNT\n4096 1')"
	check "the cleared sectors read again" \
		dd if=/dev/pmem0 of=/dev/null bs=512 skip=2048 count=8 iflag=direct status=none

	# repair rewrites only the listed sectors of its range with zeros.
	dd if=/dev/urandom of="$FCPMEM_TMP/pat" bs=512 count=16 status=none
	dd if="$FCPMEM_TMP/pat" of=/dev/pmem0 bs=512 seek=4088 count=16 oflag=direct status=none
	run badblocks inject 4092 8 pmem0
	run badblocks repair 4088 16 pmem0
	expect_rc "badblocks repair 4088 16 exits 0" 0
	run badblocks show pmem0
	expect_eq "badblocks repair emptied the list" "output" \
		"$(cat "$out")" "SECTOR COUNT"
	dd if=/dev/pmem0 of="$FCPMEM_TMP/got" bs=512 skip=4088 count=16 iflag=direct status=none
	{
		head -c 2048 "$FCPMEM_TMP/pat"
		head -c 4096 /dev/zero
		tail -c 2048 "$FCPMEM_TMP/pat"
	} >"$FCPMEM_TMP/want"
	check "repair zeroed sectors 4092-4099 and left 4088-4091, 4100-4103 alone" \
		cmp "$FCPMEM_TMP/got" "$FCPMEM_TMP/want"
	run badblocks repair 0 16 pmem0
	expect_rc "badblocks repair of a clean range exits 0" 0
	run badblocks inject $(($(cat /sys/block/pmem0/size) - 1)) 2 pmem0
	expect_rc "badblocks inject past the end exits 1" 1
else
	ktap_not_ok "/sys/block/pmem0/badblocks exists (the driver keeps a list)"
fi
run badblocks inject 2048 pmem0 extra
expect_rc "badblocks with too many arguments exits 64" 64
run badblocks inject x pmem0
expect_rc "badblocks inject x exits 64" 64
run badblocks show nosuchdisk
expect_rc "badblocks nosuchdisk exits 1" 1

# --- a disk without a list (a driver built without badblocks), faked:
# every action must say so and exit 2.
fake=$FCPMEM_TMP/fakesys
rm -rf "$fake"
mkdir -p "$fake/module/fcpmem" "$fake/block/pmem0/fcpmem"
cp /sys/block/pmem0/size "$fake/block/pmem0/size"
for a in "" show "inject 2048 8" "clear 2048" "repair 2048 8"; do
	# shellcheck disable=SC2086 # split the action's words
	runfake badblocks $a pmem0
	expect_rc "no list: badblocks ${a:+$a }pmem0 exits 2" 2
done
check "no list: the message says so" \
	grep -qx 'fcpmemctl: pmem0 has no bad-block list (driver without badblocks support)' "$errf"
fcpmem_unload

# --- a name= prefix other than pmem, and dax=0
if fcpmem_load name=fcp dax=0 && wait_dev /dev/fcp0; then
	run list
	expect_eq "name=fcp dax=0: list finds fcp0.. with DAX off" "list" \
		"$(awk '{ print $1, $2, $3, $4 }' "$out")" "$(want_list fcp off)"
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
run badblocks pmem0
expect_rc "badblocks exits 1 after unload" 1

ktap_finish

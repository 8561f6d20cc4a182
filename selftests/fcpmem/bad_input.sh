#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Bad module parameters, from a table, and a region someone else owns:
# insmod must fail, dmesg must say why (each row names the message it
# expects), nothing may be left behind, no data may change and the kernel
# must not warn. Expects the legacy regions at 1G (512 MiB) and 2G (256 MiB).
# bad_io.sh does the same for I/O requests.
. "$(dirname "$0")/lib.sh"

tried=0

# expect_load_fails DESC DMESG-REGEX PARAMS...
expect_load_fails() {
	_desc=$1
	_re=$2
	shift 2
	tried=$((tried + 1))
	dmesg_mark
	if fcpmem_load "$@" 2>"$FCPMEM_TMP/insmod.err"; then
		ktap_not_ok "$_desc: insmod $* succeeded"
		fcpmem_unload
		return
	fi
	_msg=$(dmesg_since_mark)
	# The first matching line without its timestamp, in one program.
	_line=$(printf '%s\n' "$_msg" |
		awk -v re="$_re" '$0 ~ re { sub(/^\[[^]]*\] /, ""); print; exit }')
	if [ -z "$_line" ]; then
		ktap_not_ok "$_desc: dmesg does not match /$_re/"
		echo "$_msg" | sed 's/^/# /'
	elif fcpmem_loaded || fcpmem_in_iomem; then
		ktap_not_ok "$_desc: left fcpmem behind"
	elif kernel_warned; then
		ktap_not_ok "$_desc: the kernel warned"
	else
		ktap_ok "$_desc ($_line)"
	fi
}

# Whole-disk checksums, to show that no failed load wrote to a region.
disk_sums() {
	for _d in $(fcpmem_disks); do
		echo "$_d $(md5sum <"/dev/$_d")"
	done
}

if fcpmem_load && wait_dev /dev/pmem0 && wait_dev /dev/pmem1; then
	for _d in $(fcpmem_disks); do
		head -c 1048576 /dev/urandom >"$FCPMEM_TMP/rand"
		dd if="$FCPMEM_TMP/rand" of="/dev/$_d" bs=1M count=1 \
			conv=fsync 2>/dev/null
		dd if="$FCPMEM_TMP/rand" of="/dev/$_d" bs=1M count=1 \
			seek=$(($(cat "/sys/block/$_d/size") / 2048 - 1)) \
			conv=fsync 2>/dev/null
	done
	disk_sums >"$FCPMEM_TMP/sums.before"
	fcpmem_unload
else
	ktap_not_ok "load fcpmem to checksum the disks"
	fcpmem_unload
fi

# More than regions= holds (255 characters).
long=4K@1G
while [ ${#long} -lt 260 ]; do
	long="$long,4K@1G"
done
latin1=$(printf 'pm\351m')

# One row per bad value: description | dmesg regex | insmod arguments.
# 2^64 + 4096 and 2^64 + 1G are the values memparse() used to wrap to
# 4K and 1G and load without a word.
set -f
while IFS='|' read -r desc re params; do
	[ -z "$desc" ] && continue
	# shellcheck disable=SC2086 # params is a list of words
	expect_load_fails "$desc" "$re" $params
done <<EOF
zero-sized region|zero size|regions=0@1G
zero size with a suffix|zero size|regions=0K@1G
nonexistent region|not inside a legacy pmem region|regions=256M@8G
region beyond any physical address|not inside a legacy pmem region|regions=4K@0x10000000000000
region in System RAM|not inside a legacy pmem region|regions=16M@64M
region starting before its reservation|not inside a legacy pmem region|regions=256M@896M
region running past its reservation|not inside a legacy pmem region|regions=768M@1G
region straddling both reservations and the RAM between|not inside a legacy pmem region|regions=1280M@1G
overlapping regions|entries 1 and 2 overlap|regions=256M@1G,128M@1152M
overlapping regions, later one first|entries 1 and 2 overlap|regions=128M@1152M,256M@1G
region inside another|entries 1 and 2 overlap|regions=512M@1G,4K@1200M
duplicate regions|entries 1 and 2 overlap|regions=256M@2G,256M@2G
overlap of entries 1 and 3|entries 1 and 3 overlap|regions=4K@1G,4K@2G,4K@1G
unaligned size|not aligned|regions=1000@1G
unaligned start|not aligned|regions=256M@1073741825
unaligned hex start|not aligned|regions=4K@0x40000200
no @ in region|not size@start|regions=256M
garbage region|not size@start|regions=banana
good entry then garbage|not size@start|regions=256M@1G,banana
empty size|not size@start|regions=@1G
negative size|not size@start|regions=-256M@1G
size in MB, not M|not size@start|regions=256MB@1G
bad start address|bad start address|regions=256M@1Gx
empty start|bad start address|regions=256M@
negative start|bad start address|regions=256M@-1G
two @ in one region|bad start address|regions=256M@1G@2G
size of 2^64 + 4096 bytes|size in .* is 16 EiB or more|regions=18446744073709555712@1G
size suffix past 2^64|size in .* is 16 EiB or more|regions=16E@1G
start of 2^64 + 1G|start in .* is 16 EiB or more|regions=4K@18446744074783293440
start suffix past 2^64|start in .* is 16 EiB or more|regions=4K@17179869184G
address space wrap|wraps|regions=16M@0xfffffffffff00000
too many regions|at most 16|regions=4K@1G,4K@1025M,4K@1026M,4K@1027M,4K@1028M,4K@1029M,4K@1030M,4K@1031M,4K@1032M,4K@1033M,4K@1034M,4K@1035M,4K@1036M,4K@1037M,4K@1038M,4K@1039M,4K@1040M
regions= longer than 255 characters|longer than 255 characters|regions=$long
regions without a value|invalid for parameter .regions|regions
empty name prefix|name=: must be 1 to 12|name=
name prefix too long|name=: must be 1 to 12|name=abcdefghijklmnop
name prefix one too long|name=: must be 1 to 12|name=abcdefghijklm
name prefix with /|name=: .* may only hold|name=a/b
name prefix with -|name=: .* may only hold|name=pm-em
name prefix in upper case|name=: .* may only hold|name=PMEM
name prefix with a Latin-1 letter|name=: .* may only hold|name=$latin1
unknown copy variant|unknown copy variant|copy=sse9
copy variant in upper case|unknown copy variant|copy=MOVNTI
copy variant longer than its buffer|copy.*fit in 15 chars|copy=movntimovntimovnti
non-boolean dax|invalid for parameter .dax|dax=maybe
dax=2|invalid for parameter .dax|dax=2
empty dax|invalid for parameter .dax|dax=
EOF
set +f

# A variant this CPU lacks: QEMU's TCG has no AVX-512.
if grep -qw avx512f /proc/cpuinfo; then
	ktap_skip "copy variant the CPU lacks: this CPU has avx512"
else
	expect_load_fails "copy variant the CPU lacks" "not supported by this CPU" copy=avx512
fi

# Not a bad value but a typo the kernel lets through: it must at least say so.
dmesg_mark
if fcpmem_load region=256M@1G && dmesg_since_mark | grep -q "unknown parameter 'region' ignored"; then
	ktap_ok "unknown parameter region= loads with a warning naming it"
else
	ktap_not_ok "unknown parameter region= loads with a warning naming it"
	dmesg_since_mark | sed 's/^/# /'
fi
fcpmem_unload

if [ -s "$FCPMEM_TMP/sums.before" ] && fcpmem_load && wait_dev /dev/pmem1; then
	disk_sums >"$FCPMEM_TMP/sums.after"
	check "no failed load changed a byte of either disk" \
		cmp "$FCPMEM_TMP/sums.before" "$FCPMEM_TMP/sums.after"
	fcpmem_unload
else
	ktap_not_ok "no failed load changed a byte of either disk: cannot reload"
	fcpmem_unload
fi

# The in-tree driver owns both regions: we must refuse, naming the region.
if modprobe nd_e820 2>/dev/null && modprobe nd_pmem 2>/dev/null && wait_dev /dev/pmem0; then
	expect_load_fails "region owned by nd_pmem" "is busy: .*already claimed"
	check "nd_pmem still serves its disk after our refusal" \
		dd if=/dev/pmem0 of=/dev/null bs=4096 count=1 iflag=direct
	modprobe -r nd_pmem nd_e820 nd_btt 2>/dev/null
	modprobe -r nd_e820 nd_pmem libnvdimm 2>/dev/null
	if fcpmem_load; then
		ktap_ok "loads once nd_pmem let go"
		fcpmem_unload
	else
		ktap_not_ok "loads once nd_pmem let go"
		dmesg | tail -n 5 | sed 's/^/# /'
	fi
else
	ktap_skip "region owned by nd_pmem: nd_e820/nd_pmem did not load"
fi

# bad_io.sh adds its count to this one.
echo "$tried" >"$FCPMEM_TMP/bad_input.params"
echo "# bad input: $tried parameter values tried, $ktap_failed tests failed"
ktap_finish

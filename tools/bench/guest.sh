#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The guest half of tools/bench/run: runs inside the QEMU guest (one boot
# per kernel), cwd = the checkout. For each round, for each driver in turn
# (fcpmem, the in-tree nd_e820 + nd_pmem on the same memmap region, brd,
# rapiddisk where it built), loads the driver, runs the same fio jobs on its
# disk, unloads it. fio's JSON goes to OUT/raw/<round>-<driver>-<job>.json;
# the host turns it into tables (tools/bench/report).
#
#   guest.sh OUT
# Environment (set by tools/bench/run through --env):
#   BENCH_ROUNDS   rounds (3)           BENCH_RUNTIME  seconds per job (4)
#   BENCH_RAMP     ramp seconds (1)     BENCH_SIZE_MB  disk size (512)
#   BENCH_DRIVERS  drivers in order ("fcpmem nd_pmem brd rapiddisk")
#   BENCH_JOBS     only these jobs (default all)
#   BENCH_PROFILE  a job name: after the rounds, run it once more per
#                  driver under 'perf record' and save the report
#   BENCH_NUMBER_IOS  N: each job stops after N I/Os (per fio job) instead
#                  of a runtime, and the jobs of make bench-icount are
#                  added (tools/bench/icount: under QEMU -icount the guest
#                  clock counts instructions, so IOPS = 1e9 / instructions
#                  per I/O)
#   BENCH_FCPMEM_KO  the fcpmem.ko to load (default build/KVER/fcpmem.ko)
#   BENCH_PREFILL  0: do not write the disk before the jobs (default 1)
#   BENCH_IOSTATS  0 or 1: set every disk's queue/iostats (block layer I/O
#                  accounting) to this before the jobs (default: leave the
#                  driver's default: fcpmem 1, nd_pmem 0 on 6.1)
#
# Exit status: 0 when every job of every driver ran; 1 otherwise (the
# failing fio's output is in OUT/log and on stdout).
set -uo pipefail

OUT=${1:?usage: guest.sh OUTDIR}
ROUNDS=${BENCH_ROUNDS:-3}
RUNTIME=${BENCH_RUNTIME:-4}
RAMP=${BENCH_RAMP:-1}
SIZE_MB=${BENCH_SIZE_MB:-512}
DRIVERS=${BENCH_DRIVERS:-fcpmem nd_pmem brd rapiddisk}
ONLY=${BENCH_JOBS:-}
PROFILE=${BENCH_PROFILE:-}
NUMBER_IOS=${BENCH_NUMBER_IOS:-}
PREFILL=${BENCH_PREFILL:-1}
IOSTATS=${BENCH_IOSTATS:-}
KVER=$(uname -r)
TOP=$PWD
FCPMEM_KO=${BENCH_FCPMEM_KO:-$TOP/build/$KVER/fcpmem.ko}
RAPIDDISK_KO=$TOP/build/rapiddisk/$KVER/rapiddisk.ko
SCRATCH=/tmp/bench
MNT=/tmp/bench-mnt
FILE_MB=$((SIZE_MB / 2))

mkdir -p "$OUT/raw" "$SCRATCH" "$MNT"
failed=0

log() { echo "bench: $*"; }

# ---- drivers: load_X prints the disk's path; unload_X undoes load_X ----

wait_dev() {
	local i=0
	while [ ! -b "$1" ] && [ "$i" -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ -b "$1" ]
}

# fcpmem_VARIANT (e.g. fcpmem_movnti): fcpmem with copy=VARIANT, to see
# what the copy variant costs (not in the default driver list).
load_fcpmem() {
	local args=()
	case "$1" in fcpmem_*) args=("copy=${1#fcpmem_}") ;; esac
	insmod "$FCPMEM_KO" "${args[@]}" >&2 || return 1
	local d
	for d in /sys/block/*; do
		[ -d "$d/fcpmem" ] && { echo "/dev/${d##*/}"; return 0; }
	done
	return 1
}
unload_fcpmem() { rmmod fcpmem; }
dax_fcpmem() { echo 1; }

load_nd_pmem() {
	modprobe nd_e820 >&2 && modprobe nd_pmem >&2 || return 1
	local i=0 d
	while [ "$i" -lt 100 ]; do
		for d in /sys/block/pmem*; do
			[ -e "$d" ] && { echo "/dev/${d##*/}"; return 0; }
		done
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
# 'modprobe -r nd_pmem nd_btt nd_e820 libnvdimm' alone fails with "nd_e820
# is in use": the nvdimm bus pins its provider module while the region
# device is bound (nvdimm_bus_probe() takes a reference on nd_desc->module).
# Unbinding the e820_pmem platform device tears the bus down first.
unload_nd_pmem() {
	local m
	modprobe -r nd_pmem nd_btt || return 1
	if [ -e /sys/bus/platform/drivers/e820_pmem/e820_pmem ]; then
		echo e820_pmem >/sys/bus/platform/drivers/e820_pmem/unbind || return 1
	fi
	for m in nd_e820 libnvdimm; do
		if grep -q "^$m " /proc/modules; then
			modprobe -r "$m" || return 1
		fi
	done
}
dax_nd_pmem() { echo 1; }

load_brd() {
	modprobe brd rd_nr=1 rd_size=$((SIZE_MB * 1024)) max_part=0 >&2 || return 1
	echo /dev/ram0
}
unload_brd() { rmmod brd; }
dax_brd() { echo 0; }

# rapiddisk's rd_size module parameter passes sectors where attach_device()
# wants bytes (a 512x too small disk), so attach through its sysfs
# interface, in bytes, as its userspace tool does.
load_rapiddisk() {
	insmod "$RAPIDDISK_KO" >&2 || return 1
	echo "rapiddisk attach 0 $((SIZE_MB << 20))" >/sys/kernel/rapiddisk/mgmt || return 1
	echo /dev/rd0
}
unload_rapiddisk() {
	echo "rapiddisk detach 0" >/sys/kernel/rapiddisk/mgmt && rmmod rapiddisk
}
dax_rapiddisk() { echo 0; }

kind_of() {
	case "$1" in
	fcpmem_*) echo fcpmem ;;
	*) echo "$1" ;;
	esac
}

# ---- fio ----

# run_fio TAG FIO-ARGS...: one fio run, JSON to OUT/raw/TAG.json. On
# failure fio's output goes to stdout (and so to the run's log).
run_fio() {
	local tag=$1 rc perf=()
	shift
	# BENCH_PROFILE: the timed job (not the prefill or layout) under perf
	case "$tag" in
	*-prefill|*-layout|*-layout-*) ;;
	*) [ -n "${PERF_DATA:-}" ] && perf=(perf record -q -e cpu-clock -F 999 -a -g -o "$PERF_DATA" --) ;;
	esac
	(cd "$SCRATCH" && "${perf[@]}" fio --name="$tag" --output-format=json \
		--output="$SCRATCH/$tag.json" "$@") >"$SCRATCH/$tag.err" 2>&1
	rc=$?
	# the module's symbols, while it is still loaded, for perf report
	[ "${#perf[@]}" -gt 0 ] && cp /proc/kallsyms "$PERF_DATA.kallsyms"
	# (the JSON is parsed on the host: python3 takes seconds to start
	# under TCG)
	if [ "$rc" -eq 0 ] && [ -s "$SCRATCH/$tag.json" ]; then
		cp "$SCRATCH/$tag.json" "$OUT/raw/$tag.json"
		return 0
	fi
	echo "bench: fio $tag failed (exit $rc): fio $*"
	tail -n 40 "$SCRATCH/$tag.err" "$SCRATCH/$tag.json" 2>/dev/null | sed 's/^/#   /'
	failed=1
	return 1
}

COMMON=(--direct=1 --ioengine=psync --time_based --runtime="$RUNTIME"
	--ramp_time="$RAMP" --randrepeat=0 --norandommap)
# icount: a fixed amount of work, no ramp (the guest clock is an
# instruction count, nothing warms up), the same offsets on every driver.
if [ -n "$NUMBER_IOS" ]; then
	COMMON=(--direct=1 --ioengine=psync --number_ios="$NUMBER_IOS"
		--randrepeat=1 --randseed=1 --norandommap)
fi

# The jobs: NAME|KIND|fio args. KIND raw = the whole disk, file = a file on
# ext4 (mounted -o dax where the driver has DAX). psync everywhere: all four
# drivers complete a bio inside submit_bio, so libaio's queue depth would
# only add overhead. Keep the names in step with JOBS in tools/bench/report.
JOBS=(
	"seqwrite-64k|raw|--rw=write --bs=64k"
	"seqwrite-1m|raw|--rw=write --bs=1m"
	"seqread-64k|raw|--rw=read --bs=64k"
	"seqread-1m|raw|--rw=read --bs=1m"
	"randread-4k-1j|raw|--rw=randread --bs=4k"
	"randread-4k-4j|raw|--rw=randread --bs=4k --numjobs=4 --group_reporting"
	"randwrite-4k-1j|raw|--rw=randwrite --bs=4k"
	"randwrite-4k-4j|raw|--rw=randwrite --bs=4k --numjobs=4 --group_reporting"
	"randwrite-4k-fsync|raw|--rw=randwrite --bs=4k --fsync=1"
	"randwrite-4k-sync|raw|--rw=randwrite --bs=4k --sync=1"
	"ext4-write-64k|file|--rw=write --bs=64k"
	"ext4-read-64k|file|--rw=read --bs=64k"
)
# make bench-icount adds sub-page writes, more flushes, and xfs (kind xfs:
# a file on xfs, -o dax where the driver has it). The raw jobs stay ahead
# of the file system ones: they would overwrite a mounted file system.
# Keep the names in step with JOBS in tools/bench/icount-report.
if [ -n "$NUMBER_IOS" ]; then
	JOBS=(
		"${JOBS[@]:0:10}"
		"randwrite-512|raw|--rw=randwrite --bs=512"
		"randwrite-512-sync|raw|--rw=randwrite --bs=512 --sync=1"
		"${JOBS[@]:10}"
		"ext4-randwrite-4k-fsync|file|--rw=randwrite --bs=4k --fsync=1"
		"xfs-write-64k|xfs|--rw=write --bs=64k"
		"xfs-read-64k|xfs|--rw=read --bs=64k"
		"xfs-randwrite-4k-fsync|xfs|--rw=randwrite --bs=4k --fsync=1"
	)
fi

wanted() {
	[ -z "$ONLY" ] && return 0
	case " $ONLY " in *" $1 "*) return 0 ;; esac
	return 1
}

# mount_fs DRIVER DEV DAX KIND: a fresh file system of KIND (file: ext4,
# xfs) on DEV at MNT, -o dax when DAX is 1 (and then checked).
mount_fs() {
	local drv=$1 dev=$2 dax=$3 kind=$4 fs=ext4 opts=()
	[ "$kind" = xfs ] && fs=xfs
	# ext4: inode tables and journal zeroed by mkfs, not by ext4lazyinit in
	# the background of the timed jobs: that would skew them, and its
	# zeroout running beside fio's writes hits rapiddisk's
	# concurrent-writer BUG (above). xfs: DAX excludes reflink on 6.1.
	if [ "$fs" = ext4 ]; then
		mkfs.ext4 -F -q -b 4096 -E lazy_itable_init=0,lazy_journal_init=0 \
			"$dev" >"$SCRATCH/mkfs.log" 2>&1
	else
		modprobe xfs 2>/dev/null
		mkfs.xfs -f -q -m reflink=0 "$dev" >"$SCRATCH/mkfs.log" 2>&1
	fi || { echo "bench: $drv: mkfs.$fs failed"; cat "$SCRATCH/mkfs.log"; return 1; }
	[ "$dax" = 1 ] && opts=(-o dax)
	mount -t "$fs" "${opts[@]}" "$dev" "$MNT" ||
		{ echo "bench: $drv: mount $fs failed"; return 1; }
	if [ "$dax" = 1 ] && ! grep -q "^$dev $MNT $fs .*dax" /proc/mounts; then
		echo "bench: $drv: $fs is not mounted with dax:"; grep "$MNT" /proc/mounts
		return 1
	fi
}

# run_driver ROUND DRIVER [JOB]: load, all jobs (or JOB), unload.
run_driver() {
	local round=$1 drv=$2 one=${3:-} dev dax entry name kind args mounted=0
	dmesg -C
	if ! dev=$("load_$(kind_of "$drv")" "$drv"); then
		# copy=avx512 under TCG, which has no AVX-512: a fact, not a failure
		if dmesg | grep -q 'not supported by this CPU'; then
			dmesg | grep 'not supported by this CPU' | tail -n 1 >"$OUT/skip-$drv"
			log "$drv: $(cat "$OUT/skip-$drv")"
			return 0
		fi
		echo "bench: loading $drv failed"
		dmesg | tail -n 20 | sed 's/^/#   /'
		failed=1
		return 1
	fi
	if ! wait_dev "$dev"; then
		echo "bench: $drv: $dev did not appear"
		failed=1
		"unload_$(kind_of "$drv")"
		return 1
	fi
	dax=$("dax_$(kind_of "$drv")")
	if [ -n "$IOSTATS" ]; then
		echo "$IOSTATS" >"/sys/block/${dev#/dev/}/queue/iostats" || failed=1
	fi
	if [ "$round" = 1 ] && [ -z "$one" ]; then
		{
			echo "driver=$drv"
			echo "dev=$dev"
			echo "dax=$dax"
			echo "size=$(($(cat "/sys/block/${dev#/dev/}/size") / 2048)) MiB"
			for q in logical_block_size physical_block_size max_sectors_kb write_cache fua dax iostats; do
				[ -e "/sys/block/${dev#/dev/}/queue/$q" ] &&
					echo "queue/$q=$(cat "/sys/block/${dev#/dev/}/queue/$q")"
			done
			[ -e "/sys/block/${dev#/dev/}/fcpmem/copy_variant" ] &&
				echo "fcpmem/copy_variant=$(cat "/sys/block/${dev#/dev/}/fcpmem/copy_variant")"
			echo "dmesg:"
			dmesg | sed 's/^/  /'
		} >"$OUT/driver-$drv.txt"
	fi
	log "round $round: $drv on $dev (dax=$dax)"

	# Every byte written once, so reads copy real data on every driver
	# (brd and rapiddisk would hand out zeroes for pages never written).
	[ "$PREFILL" = 1 ] && run_fio "$round-$drv-prefill" --filename="$dev" --rw=write --bs=1m \
		--direct=1 --ioengine=psync --size="${SIZE_MB}M" >/dev/null

	for entry in "${JOBS[@]}"; do
		IFS='|' read -r name kind args <<<"$entry"
		if [ -n "$one" ]; then
			[ "$name" = "$one" ] || continue
		else
			wanted "$name" || continue
		fi
		# rapiddisk 9.0 takes a global mutex inside kmap_atomic() in
		# copy_to_rdsk(): two concurrent writers give "BUG: scheduling
		# while atomic" and kill fio (seen on 6.1). Its multi-writer job
		# is skipped unless asked for.
		if [ "$drv" = rapiddisk ] && [ "$name" = randwrite-4k-4j ] &&
			[ "${BENCH_RAPIDDISK_MW:-0}" != 1 ]; then
			echo "skipped: BUG scheduling while atomic with concurrent writers (copy_to_rdsk takes resize_mutex under kmap_atomic)" \
				>"$OUT/raw/$round-$drv-$name.skip"
			continue
		fi
		if [ "$kind" = raw ]; then
			# shellcheck disable=SC2086
			run_fio "$round-$drv-$name" --filename="$dev" --size="${SIZE_MB}M" \
				"${COMMON[@]}" $args
			continue
		fi
		if [ "$mounted" != "$kind" ]; then
			if [ "$mounted" != 0 ]; then
				umount "$MNT" || { failed=1; break; }
				mounted=0
			fi
			mount_fs "$drv" "$dev" "$dax" "$kind" || { failed=1; break; }
			mounted=$kind
			# Lay the file out once, written, so the timed jobs overwrite
			# and read allocated blocks.
			run_fio "$round-$drv-layout-$kind" --filename="$MNT/f" --rw=write --bs=1m \
				--direct=1 --ioengine=psync --size="${FILE_MB}M" >/dev/null
			sync
		fi
		# shellcheck disable=SC2086
		run_fio "$round-$drv-$name" --filename="$MNT/f" --size="${FILE_MB}M" \
			"${COMMON[@]}" $args
	done
	if [ "$mounted" != 0 ]; then
		umount "$MNT" || failed=1
	fi
	if ! "unload_$(kind_of "$drv")"; then
		echo "bench: unloading $drv failed"
		failed=1
		return 1
	fi
	rm -f "$SCRATCH"/*.json "$SCRATCH"/*.err
}

# ---- main ----

drivers=()
for d in $DRIVERS; do
	if [ "$d" = rapiddisk ] && [ ! -e "$RAPIDDISK_KO" ]; then
		log "rapiddisk: no $RAPIDDISK_KO for $KVER, skipped"
		continue
	fi
	drivers+=("$d")
done

{
	echo "kernel=$KVER"
	echo "cpus=$(nproc)"
	echo "guest_cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
	echo "guest_cpu_flags=$(grep -m 1 '^flags' /proc/cpuinfo | tr ' ' '\n' |
		grep -xE 'erms|fsrm|rep_good|clwb|clflushopt|avx2|avx512f|movdir64b' | tr '\n' ' ')"
	echo "mem_total_kb=$(sed -n 's/^MemTotal: *\([0-9]*\).*/\1/p' /proc/meminfo)"
	echo "region=$(grep -i 'persistent memory' /proc/iomem | head -n 1 | sed 's/^ *//')"
	echo "rounds=$ROUNDS"
	echo "runtime=$RUNTIME"
	echo "ramp=$RAMP"
	echo "size_mb=$SIZE_MB"
	echo "file_mb=$FILE_MB"
	echo "drivers=${drivers[*]}"
	echo "fio=$(fio --version)"
} >"$OUT/guest.txt"
cat "$OUT/guest.txt"

modprobe ext4 2>/dev/null || true
t0=$(date +%s)
for round in $(seq 1 "$ROUNDS"); do
	for d in "${drivers[@]}"; do
		run_driver "$round" "$d"
	done
	log "round $round done, $(($(date +%s) - t0)) s"
done

# Profiles: where the time goes for one job on each driver. TCG has no
# PMU, so sample on the cpu-clock software event.
if [ -n "$PROFILE" ] && ! perf version >/dev/null 2>&1; then
	log "profile: no perf (Debian package linux-perf), skipped"
	failed=1
elif [ -n "$PROFILE" ]; then
	echo -1 >/proc/sys/kernel/perf_event_paranoid
	echo 0 >/proc/sys/kernel/kptr_restrict
	for d in "${drivers[@]}"; do
		log "profile: $PROFILE on $d"
		PERF_DATA=$SCRATCH/perf-$d.data run_driver p "$d" "$PROFILE"
		# --kallsyms: module symbols (fcpmem, rapiddisk are not under
		# /lib/modules) from the table saved while the module was loaded
		perf report -q -i "$SCRATCH/perf-$d.data" --kallsyms="$SCRATCH/perf-$d.data.kallsyms" \
			--stdio --no-children --sort symbol -g none --percent-limit 0.5 >"$OUT/profile-$PROFILE-$d.txt" 2>&1
		perf report -q -i "$SCRATCH/perf-$d.data" --kallsyms="$SCRATCH/perf-$d.data.kallsyms" \
			--stdio --no-children --sort symbol -g caller,0.5,callee --percent-limit 2 \
			>"$OUT/profile-$PROFILE-$d-callgraph.txt" 2>&1
	done
fi

log "done in $(($(date +%s) - t0)) s, failed=$failed"
exit "$failed"

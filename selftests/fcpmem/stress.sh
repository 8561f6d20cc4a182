#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Stress: eight fio jobs of mixed random reads and writes, 512 B to 1 MiB,
# each on its own eighth of /dev/pmem0 (so the whole disk) with
# verify=crc32c, while another process keeps fsync'ing the disk (flush
# bios racing the data); then the same on ext4 mounted -o dax, with a ninth
# job doing 4 KiB writes and fsync after each. Every written block is read
# back and checked; no verify error, no kernel warning.
#
# Then load/unload racing opens: one loop insmods and rmmods fcpmem while
# two others keep opening and reading /dev/pmem0 and /dev/pmem1 for
# STRESS_RACE_SECONDS. rmmod failing with the disk open is expected;
# an oops is not (tools/vm/run checks the console), nor anything left in
# /proc/iomem or /proc/modules after the last unload.
#
# Sizes (STRESS_LOOPS, STRESS_EXT4_LOOPS, STRESS_RACE_SECONDS) are set for
# about 3 minutes under TCG on the CI machine.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fio.sh"

loops=${STRESS_LOOPS:-2}
ext4_loops=${STRESS_EXT4_LOOPS:-2}
race_seconds=${STRESS_RACE_SECONDS:-30}
parts=${STRESS_PARTS:-raw ext4 race}
dev=/dev/pmem0
mnt=$FCPMEM_TMP/stress-mnt
mkdir -p "$mnt"

# 512 B to 1 MiB; most I/Os small, most bytes in the large ones.
bssplit=512/10:4k/30:8k/10:16k/15:64k/15:256k/12:1m/8

# verified NAME: MiB that fio wrote and read back with verify in NAME.json
# (the verify phase reads every block written).
verified() {
	python3 - "$FCPMEM_TMP/$1.json" <<'PY' 2>/dev/null
import json, sys
text = open(sys.argv[1]).read()
doc = json.loads(text[text.index("{"):])
print(sum(j["write"]["io_bytes"] for j in doc["jobs"]) >> 20)
PY
}

# A flusher: fsync(2) on the disk every few milliseconds until killed;
# counts them in $FCPMEM_TMP/fsyncs.
start_fsyncer() {
	python3 - "$1" "$FCPMEM_TMP/fsyncs" <<'PY' &
import os, signal, sys, time
n = 0
def stop(*_):
    open(sys.argv[2], "w").write("%d\n" % n)
    sys.exit(0)
signal.signal(signal.SIGTERM, stop)
fd = os.open(sys.argv[1], os.O_RDONLY)
while True:
    os.fsync(fd)
    n += 1
    time.sleep(0.005)
PY
	fsyncer=$!
}

stop_fsyncer() {
	kill "$fsyncer" 2>/dev/null
	wait "$fsyncer" 2>/dev/null
	cat "$FCPMEM_TMP/fsyncs" 2>/dev/null || echo 0
}

want() {
	case " $parts " in *" $1 "*) return 0 ;; esac
	return 1
}

# 1. The raw disk: eight jobs, one eighth each, the whole disk in all.
stress_raw() {
	size=$(blockdev --getsize64 $dev)
	part=$((size / 8 / 1048576 * 1048576))
	flushes0=$(fcpmem_stat pmem0 flushes)
	t0=$(date +%s)
	start_fsyncer $dev
	run_fio stress-raw --filename=$dev --direct=1 --ioengine=psync \
		--rw=randrw --rwmixread=30 --bssplit=$bssplit --numjobs=8 \
		--size=$part --offset_increment=$part --loops="$loops" \
		--verify=crc32c --do_verify=1 --verify_fatal=1
	fsyncs=$(stop_fsyncer)
	t1=$(date +%s)
	flushes=$(($(fcpmem_stat pmem0 flushes) - flushes0))
	mib=$(verified stress-raw)
	if [ -n "$mib" ] && [ "$mib" -gt 0 ]; then
		ktap_ok "raw: $((mib << 20)) bytes written and verified (crc32c) by 8 jobs over all of $dev, $fsyncs fsyncs alongside, $flushes flushes seen by the driver, $((t1 - t0)) s"
	else
		ktap_not_ok "raw: nothing verified"
	fi
	expect_eq "raw: the driver saw at least one flush per fsync" \
		"flushes >= fsyncs" "$([ "$flushes" -ge "$fsyncs" ] && echo yes)" yes
}

# 2. ext4 -o dax: eight jobs of files, a ninth writing with fsync after each.
stress_ext4() {
	modprobe ext4 2>/dev/null
	if ! mkfs.ext4 -F -q -b 4096 $dev >"$FCPMEM_TMP/mkfs.out" 2>&1 ||
	   ! mount -o dax $dev "$mnt" 2>"$FCPMEM_TMP/mount.err"; then
		ktap_not_ok "ext4: mkfs and mount -o dax"
		sed 's/^/# /' "$FCPMEM_TMP/mkfs.out" "$FCPMEM_TMP/mount.err"
		return
	fi
	t0=$(date +%s)
	run_fio stress-ext4 --directory="$mnt" --ioengine=psync \
		--rw=randrw --rwmixread=30 --bssplit=$bssplit --numjobs=8 \
		--size=40M --loops="$ext4_loops" \
		--verify=crc32c --do_verify=1 --verify_fatal=1 \
		--name=fsyncer --directory="$mnt" --ioengine=psync \
		--rw=randwrite --bs=4k --size=8M --fsync=1 \
		--verify=crc32c --do_verify=1 --verify_fatal=1
	mib=$(verified stress-ext4)
	if [ -n "$mib" ] && [ "$mib" -gt 0 ]; then
		ktap_ok "ext4 dax: $((mib << 20)) bytes written and verified (crc32c) by 9 jobs, ${fio_syncs:-0} fsyncs, $(($(date +%s) - t0)) s"
	else
		ktap_not_ok "ext4 dax: nothing verified"
	fi
	umount "$mnt"
	check "ext4 dax: fsck clean after stress" e2fsck -fn $dev
}

# 3. Load and unload while other processes keep opening the disks: a
# Python loop opening and reading both disks (with a short pause after
# each, so that rmmod mostly finds them closed and races the next open),
# and a loop of dd. The loop here uses shell builtins where it can: under
# TCG every exec costs tens of milliseconds.
stress_race() {
	cat >"$FCPMEM_TMP/opener.py" <<'PY'
import errno, os, sys, time
end = time.time() + float(sys.argv[1])
ok = fail = 0
while time.time() < end:
    for d in ("/dev/pmem0", "/dev/pmem1"):
        time.sleep(0.002)
        try:
            fd = os.open(d, os.O_RDONLY)
        except OSError:
            fail += 1
            continue
        try:
            os.read(fd, 4096)
            ok += 1
        except OSError as e:
            if e.errno not in (errno.ENXIO, errno.EIO, errno.ENODEV):
                raise
            fail += 1
        finally:
            os.close(fd)
print(ok, fail)
PY
	read -r up _ </proc/uptime
	end=$((${up%.*} + race_seconds))
	python3 "$FCPMEM_TMP/opener.py" "$race_seconds" >"$FCPMEM_TMP/opener.out" 2>&1 &
	opener=$!
	(
		read -r up _ </proc/uptime
		while [ "${up%.*}" -lt "$end" ]; do
			dd if=/dev/pmem0 of=/dev/null bs=4k count=1 2>/dev/null
			sleep 0.05
			read -r up _ </proc/uptime
		done
	) &
	ddloop=$!
	# Every other load without DAX: another setup and teardown path.
	loads=0 unloads=0 busy=0 load_failed=0
	dmesg_mark
	read -r up _ </proc/uptime
	while [ "${up%.*}" -lt "$end" ]; do
		if [ ! -d /sys/module/fcpmem ]; then
			if fcpmem_load dax=$((loads % 2)) 2>"$FCPMEM_TMP/insmod.err"; then
				loads=$((loads + 1))
			else
				load_failed=$((load_failed + 1))
			fi
		fi
		if rmmod fcpmem 2>/dev/null; then
			unloads=$((unloads + 1))
		elif [ -d /sys/module/fcpmem ]; then
			busy=$((busy + 1))
		fi
		read -r up _ </proc/uptime
	done
	wait $ddloop
	wait $opener
	opener_rc=$?
	opens=$(cat "$FCPMEM_TMP/opener.out")
	# The openers are gone: the last unload must succeed.
	i=0
	while fcpmem_loaded && [ $i -lt 50 ]; do
		rmmod fcpmem 2>/dev/null && unloads=$((unloads + 1))
		sleep 0.1
		i=$((i + 1))
	done
	expect_eq "race: opener exited cleanly (opens with a read, failed opens: $opens)" \
		"exit" "$opener_rc" 0
	if [ "$loads" -gt 0 ] && [ "$loads" = "$unloads" ] && [ "$load_failed" = 0 ]; then
		ktap_ok "race: $loads loads, $unloads unloads, $busy rmmods refused while open, in ${race_seconds} s"
	else
		ktap_not_ok "race: $loads loads, $unloads unloads, $busy refused, $load_failed loads failed"
		sed 's/^/# /' "$FCPMEM_TMP/insmod.err"
		dmesg_since_mark | tail -n 20 | sed 's/^/# /'
	fi
	check "race: nothing left in /proc/modules, /proc/iomem, /sys/block" \
		sh -c '! grep -q "^fcpmem " /proc/modules && ! grep -q fcpmem /proc/iomem && ! ls -d /sys/block/pmem* 2>/dev/null'
}

if ! fcpmem_load || ! wait_dev $dev || ! wait_dev /dev/pmem1; then
	ktap_not_ok "load fcpmem"
	ktap_finish
	exit
fi
warned_before=0
kernel_warned && warned_before=1
want raw && stress_raw
want ext4 && stress_ext4
fcpmem_unload
want race && stress_race
# Taint W only says some warning happened since boot: once set, a new one
# cannot be told from it, so the check cannot be made.
if [ $warned_before = 1 ]; then
	ktap_skip "no kernel warning during stress: the kernel was already tainted W (/proc/sys/kernel/tainted $(cat /proc/sys/kernel/tainted)) before it started"
elif kernel_warned; then
	ktap_not_ok "no kernel warning during stress"
	dmesg | grep -A 20 'WARNING:' | head -n 40 | sed 's/^/# /'
else
	ktap_ok "no kernel warning during stress"
fi
ktap_finish

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# memory_failure() racing load and unload. The pagemap's memory_failure
# hook is live from memremap_pages() to memunmap_pages(): from before the
# disk exists until after it is freed, and across the dax_device's life.
# One process hands a page of the first region to memory_failure() through
# hwpoison_inject (what a machine check does) in a tight loop while this
# one loads and unloads fcpmem for FCPMEM_MF_RACE_SECS seconds (default
# 20). The kernel must neither oops nor warn, every load and unload must
# succeed, and the loop must end with fcpmem unloaded and /proc/iomem free.
# Every "marked bad" line must name the platform device: the hook used to
# print the disk's name, "(efault)" before the disk existed. That window
# (the copy timing on the first region) was hit in every run so far,
# single-threaded TCG included.
. "$(dirname "$0")/lib.sh"

secs=${FCPMEM_MF_RACE_SECS:-20}
inj=/sys/kernel/debug/hwpoison/corrupt-pfn
stop=$FCPMEM_TMP/mf_race.stop

if ! modprobe hwpoison_inject 2>/dev/null || [ ! -e $inj ]; then
	ktap_skip "memory_failure racing load/unload: no hwpoison_inject"
	ktap_finish
	exit
fi
if ! fcpmem_load || ! wait_dev /dev/pmem0; then
	ktap_not_ok "load fcpmem"
	fcpmem_unload
	ktap_finish
	exit
fi
dax=$(cat /sys/block/pmem0/fcpmem/dax)
start=$(sed 's/-.*//' /sys/block/pmem0/fcpmem/region)
fcpmem_unload
if [ "$dax" != 1 ]; then
	ktap_skip "memory_failure racing load/unload: DAX is off, no pagemap"
	rmmod hwpoison_inject
	ktap_finish
	exit
fi
# 1 MiB into the first region: inside the pagemap on every kernel.
pfn=$(((start + 1048576) / 4096))
taint0=$(cat /proc/sys/kernel/tainted)

# The injector: one write per memory_failure() call, counted by outcome.
# ENXIO means the pfn had no struct page (fcpmem unloaded); anything else
# reached memory_failure(), and with it our hook when the pagemap was live.
rm -f "$stop"
python3 - "$inj" "$pfn" "$stop" >"$FCPMEM_TMP/mf_race.inj" 2>&1 <<'PY' &
import errno, os, sys
path, pfn, stop = sys.argv[1], ("%#x\n" % int(sys.argv[2])).encode(), sys.argv[3]
counts = {}
while not os.path.exists(stop):
    for _ in range(20):
        fd = os.open(path, os.O_WRONLY)
        try:
            os.write(fd, pfn)
            k = "ok"
        except OSError as e:
            k = errno.errorcode.get(e.errno, str(e.errno))
        os.close(fd)
        counts[k] = counts.get(k, 0) + 1
print(" ".join("%s=%d" % kv for kv in sorted(counts.items())))
PY
injector=$!

# Every kernel message of the race, read as it comes: the injections alone
# can wrap the ring buffer before the end.
dmesg -W >"$FCPMEM_TMP/mf_race.dmesg" 2>&1 &
follower=$!
cycles=0
bad=""
end=$(($(date +%s) + secs))
while [ "$(date +%s)" -lt "$end" ]; do
	if ! fcpmem_load 2>"$FCPMEM_TMP/mf_race.err"; then
		bad="insmod failed in cycle $((cycles + 1)): $(cat "$FCPMEM_TMP/mf_race.err")"
		break
	fi
	if ! rmmod fcpmem 2>"$FCPMEM_TMP/mf_race.err"; then
		bad="rmmod failed in cycle $((cycles + 1)): $(cat "$FCPMEM_TMP/mf_race.err")"
		break
	fi
	cycles=$((cycles + 1))
done
touch "$stop"
wait $injector
rmmod hwpoison_inject 2>/dev/null
sleep 1
kill $follower
wait $follower 2>/dev/null

ktap_diag "$cycles load/unload cycles in $secs s; memory_failure() calls by result: $(cat "$FCPMEM_TMP/mf_race.inj")"
if [ -z "$bad" ]; then
	ktap_ok "$cycles load/unload cycles racing memory_failure() on pfn $(printf '%#x' $pfn)"
else
	ktap_not_ok "load/unload racing memory_failure()"
	ktap_diag "$bad"
fi
# Without the race ever reaching the hook the test proves nothing.
check "memory_failure() reached a live pagemap" grep -q 'ok=\|EBUSY=' "$FCPMEM_TMP/mf_race.inj"
check "the injector got ENXIO while fcpmem was unloaded" grep -q 'ENXIO=' "$FCPMEM_TMP/mf_race.inj"
check "fcpmem ends unloaded" sh -c '! grep -q "^fcpmem " /proc/modules'
check "/proc/iomem is free of fcpmem" sh -c '! grep fcpmem /proc/iomem'
# Taint D (oops) and W (warning): the dmesg ring may have wrapped.
expect_eq "the kernel did not oops or warn" "new taint bits (D=128, W=512)" \
	"$(( ($(cat /proc/sys/kernel/tainted) & ~taint0) & (128 | 512) ))" 0
check "no BUG, WARNING or Oops in dmesg" sh -c \
	"! grep -E 'BUG:|WARNING:|Oops|Call Trace|general protection' '$FCPMEM_TMP/mf_race.dmesg'"
# The hook logs each recorded page; a hook that reached for the disk before
# it existed or after it was freed printed "(efault)" or garbage for a name.
sectors="$((1048576 / 512))-$((1048576 / 512 + 7))"
grep 'marked bad' "$FCPMEM_TMP/mf_race.dmesg" |
	grep -v -E "fcpmem\.0: sectors $sectors marked bad\$" >"$FCPMEM_TMP/mf_race.names"
if [ -s "$FCPMEM_TMP/mf_race.names" ]; then
	ktap_not_ok "every memory_failure log line names the device"
	sed 's/^\[[ 0-9.]*\] //' "$FCPMEM_TMP/mf_race.names" | sort | uniq -c | sed 's/^/# /'
else
	ktap_ok "every memory_failure log line names the device ($(grep -c 'marked bad' "$FCPMEM_TMP/mf_race.dmesg") lines)"
fi
ktap_finish

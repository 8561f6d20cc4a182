#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Entry point inside the test VM: run every fcpmem selftest (or those named
# on the command line) and exit non-zero if any failed. Each test prints its
# own TAP lines. Expects a guest booted with two legacy pmem regions,
# memmap=512M!1G memmap=256M!2G (tools/check does this); xfs needs more than 300 MB.
# numa.sh is not in the default list: it needs a two-node guest of its own
# (tools/check's vm-numa suite). Nor is fabric.sh: it runs in the two
# guests of tools/vm/fabric.
cd "$(dirname "$0")" || exit 1
here=$(pwd)

tests=${*:-"load_unload.sh bad_input.sh bad_io.sh io_edges.sh integrity.sh flush_fua.sh dax.sh pmdk.sh layout.sh dm.sh badblocks.sh mf_race.sh mce.sh swap.sh fcpmemctl.sh stress.sh writecache.sh io_uring.sh nvmet.sh fault_inject.sh"}

echo "# kernel $(uname -r), $(nproc) cpus, $(grep -c 'Persistent Memory (legacy)' /proc/iomem) legacy pmem regions"
rc=0
. "$here/lib.sh"
# kmemleak (debug kernel only): what boot left is not ours.
kmemleak_clear
for t in $tests; do
	echo "# ---- $t"
	start=$(date +%s)
	dmesg_mark run_tests
	if ! sh "$here/$t"; then
		rc=1
	fi
	# A test must leave the module unloaded for the next one.
	if grep -q '^fcpmem ' /proc/modules; then
		echo "not ok - $t left fcpmem loaded"
		rmmod fcpmem || true
		rc=1
	fi
	# A kernel report (tools/vm/run's list, debug kernel checkers
	# included) fails the run anyway; here it gets its test's name and
	# its first lines.
	if kernel_report_since run_tests >"$FCPMEM_TMP/report"; then
		echo "not ok - kernel report during $t"
		cat "$FCPMEM_TMP/report"
		rc=1
	fi
	if ! kmemleak_report; then
		echo "not ok - kmemleak: $t leaked memory (above)"
		rc=1
	fi
	echo "# ---- $t: $(($(date +%s) - start)) s"
done
exit $rc

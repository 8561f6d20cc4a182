#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs bad_io (a table of bad I/O requests) against the second fcpmem disk,
# with the first as a bystander that must not change, then prints how many
# bad inputs were tried here and in bad_input.sh.
. "$(dirname "$0")/lib.sh"

if ! fcpmem_load || ! wait_dev /dev/pmem0 || ! wait_dev /dev/pmem1; then
	ktap_not_ok "load fcpmem for bad_io"
	fcpmem_unload
	ktap_finish
	exit
fi
"$FCPMEM_BIN/bad_io" /dev/pmem1 /dev/pmem0 >"$FCPMEM_TMP/bad_io.out" 2>&1
rc=$?
cat "$FCPMEM_TMP/bad_io.out"
fcpmem_unload
if kernel_warned; then
	echo "not ok - bad_io: the kernel warned"
	rc=1
fi

io=$(sed -n 's/^# bad I\/O: \([0-9]*\) requests tried.*/\1/p' "$FCPMEM_TMP/bad_io.out")
params=$(cat "$FCPMEM_TMP/bad_input.params" 2>/dev/null)
result="all refused or answered cleanly"
[ "$rc" -eq 0 ] || result="some NOT answered as expected"
echo "# bad input: ${params:-?} parameter values (bad_input.sh), ${io:-?} I/O requests tried, $result"
exit $rc

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs io_edges (kselftest harness) against /dev/pmem0.
. "$(dirname "$0")/lib.sh"

if ! fcpmem_load || ! wait_dev /dev/pmem0; then
	ktap_not_ok "load fcpmem for io_edges"
	ktap_finish
	exit
fi
FCPMEM_DEV=/dev/pmem0 "$FCPMEM_BIN/io_edges"
rc=$?
fcpmem_unload
exit $rc

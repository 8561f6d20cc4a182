#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# NVMe-over-Fabrics export of an fcpmem disk, target and initiator in one
# guest: nvmet with /dev/pmem0 as namespace 1 (configfs), reached over
# nvme-loop (where the kernel has it: Debian's 6.1 does not) and over
# nvmet-tcp on 127.0.0.1, with nvme-cli. Over each: fio verify, then the
# durability requests the initiator makes (fsync, O_DSYNC writes, nvme
# flush, nvme write --force-unit-access) must each reach fcpmem as a flush
# or a FUA write: the target's fcpmem/flushes and fcpmem/fua_writes grow
# by at least the number issued. rmmod fcpmem is refused while it is an
# enabled namespace; tearing down in the wrong order (namespace and module
# gone under a connected host, module removals while in use, configfs
# entries removed out of order) fails cleanly, never oopses.
# selftests/fcpmem/fabric.sh does the same across two guests.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fio.sh"
. "$(dirname "$0")/nvmet_lib.sh"

cleanup() {
	nvme_disconnect >/dev/null 2>&1
	nvmet_teardown
	fcpmem_unload 2>/dev/null
}
trap cleanup EXIT

if ! command -v nvme >/dev/null; then
	ktap_skip "nvme-cli is not installed (tools/deps installs it)"
	ktap_finish
	exit
fi
if ! modprobe nvmet 2>"$FCPMEM_TMP/modprobe.err" || ! nvmet_configfs; then
	ktap_skip "no nvmet: $(cat "$FCPMEM_TMP/modprobe.err")"
	ktap_finish
	exit
fi
# nvmet-tcp listens on the guest's own loopback, which nothing has set up.
ip link set lo up

if ! fcpmem_load || ! wait_dev /dev/pmem0; then
	ktap_not_ok "load fcpmem"
	ktap_finish
	exit
fi
check "nvmet subsystem with /dev/pmem0 as namespace 1" \
	nvmet_subsys_create /dev/pmem0

expect_rmmod_refused "rmmod fcpmem refused while pmem0 is an enabled nvmet namespace"

COUNTERS="nvmet_counters pmem0"
size=$(($(cat /sys/block/pmem0/size) * 512))

# over TRANSPORT PORT-ARGS... -- CONNECT-ARGS...: export, connect, I/O,
# disconnect, unexport.
over() {
	tr=$1
	shift
	pargs=
	while [ "$1" != -- ]; do
		pargs="$pargs $1"
		shift
	done
	shift
	if ! nvmet_port_create $pargs 2>"$FCPMEM_TMP/port.err"; then
		ktap_not_ok "$tr: nvmet port"
		sed 's/^/# /' "$FCPMEM_TMP/port.err"
		return 1
	fi
	if ! nvme_connect "$@" >"$FCPMEM_TMP/connect.out" 2>&1; then
		ktap_not_ok "$tr: nvme connect $*"
		sed 's/^/# /' "$FCPMEM_TMP/connect.out"
		dmesg | tail -n 10 | sed 's/^/# /'
		return 1
	fi
	if ! dev=$(nvme_dev_find); then
		ktap_not_ok "$tr: namespace shows up on the initiator"
		return 1
	fi
	expect_eq "$tr: connected, $dev is /dev/pmem0's $((size >> 20)) MiB" "size" \
		$(($(cat "/sys/block/${dev#/dev/}/size") * 512)) "$size"
	fabric_io "$tr" "$dev"
	ktap_diag "$tr: $fabric_fig"
	expect_rmmod_refused "rmmod fcpmem refused while $dev is connected over $tr"
}

# nvme-loop: Debian's 6.1 is built without CONFIG_NVME_TARGET_LOOP.
if ! modprobe nvme-loop 2>"$FCPMEM_TMP/modprobe.err"; then
	ktap_skip "nvme-loop: not in this kernel ($(tr '\n' ' ' <"$FCPMEM_TMP/modprobe.err"))"
elif over loop 1 loop -- -t loop; then
	check "loop: nvme disconnect" nvme_disconnect
	check "loop: port removed" nvmet_port_remove 1
fi

# nvmet-tcp on the guest's 127.0.0.1, and the wrong order after it.
if ! modprobe nvmet-tcp 2>"$FCPMEM_TMP/modprobe.err" ||
   ! modprobe nvme-tcp 2>>"$FCPMEM_TMP/modprobe.err"; then
	ktap_not_ok "tcp: modprobe nvmet-tcp nvme-tcp"
	sed 's/^/# /' "$FCPMEM_TMP/modprobe.err"
elif over tcp 2 tcp ipv4 127.0.0.1 4420 -- -t tcp -a 127.0.0.1 -s 4420 \
	$nvme_tcp_opts; then
	# Wrong order from here on, each step while the host is connected.
	# The target's modules are in use and stay.
	for m in nvmet_tcp nvmet; do
		if rmmod "$m" 2>/dev/null; then
			ktap_not_ok "rmmod $m refused while in use"
		else
			ktap_ok "rmmod $m refused while in use"
		fi
	done
	# configfs refuses to drop a subsystem a port links to, or a port
	# with a subsystem linked.
	if rmdir "$nvmet_cfg/subsystems/$nvmet_nqn" 2>/dev/null ||
	   rmdir "$nvmet_cfg/ports/2" 2>/dev/null; then
		ktap_not_ok "configfs refuses rmdir of a linked subsystem or port"
	else
		ktap_ok "configfs refuses rmdir of a linked subsystem or port"
	fi
	# The namespace goes away under the host, in the middle of its I/O:
	# that releases pmem0, fcpmem can go, and the host's I/O fails
	# instead of hanging.
	# (allow_file_create=0: with the disk gone, fio would otherwise make
	# a file of that name in devtmpfs, and pass.) Progress is read from
	# the target's own counters: the initiator's multipath disk keeps no
	# I/O statistics on 6.1. Limits are in seconds, not rounds of the
	# loop: under TCG each round costs more than its sleep.
	moved() {
		echo $(($(fcpmem_stat pmem0 bytes_read) + $(fcpmem_stat pmem0 bytes_written)))
	}
	b0=$(moved)
	fio --name=inflight --filename="$dev" --rw=randrw --bs=4k --direct=1 \
		--ioengine=psync --size=64M --time_based --runtime=120 \
		--allow_file_create=0 >"$FCPMEM_TMP/inflight.out" 2>&1 &
	fpid=$!
	# Until fio is well into its I/O: it starts slowly under TCG.
	t0=$(date +%s)
	while [ "$(moved)" -lt $((b0 + (1 << 20))) ] && [ $(($(date +%s) - t0)) -lt 60 ]; do
		sleep 0.2
	done
	check "tcp: namespace disabled under the connected host, I/O in flight ($(($(moved) - b0)) bytes moved)" \
		nvmet_ns_enable 0
	check "rmmod fcpmem once the namespace is disabled" rmmod fcpmem
	t0=$(date +%s)
	while kill -0 $fpid 2>/dev/null && [ $(($(date +%s) - t0)) -lt 90 ]; do
		sleep 0.2
	done
	if kill -0 $fpid 2>/dev/null; then
		kill $fpid
		wait $fpid
		ktap_not_ok "tcp: the host's I/O fails within 90 s of the namespace's end"
	elif wait $fpid; then
		ktap_not_ok "tcp: the host's I/O fails within 90 s of the namespace's end (fio passed)"
		tail -n 5 "$FCPMEM_TMP/inflight.out" | sed 's/^/# /'
	else
		ktap_ok "tcp: the host's I/O failed $(($(date +%s) - t0)) s after the namespace's end (fio: $(sed -n 's/.*error=\([^)]*\)).*/\1/p' "$FCPMEM_TMP/inflight.out" | head -n 1))"
	fi
	# Enabling a namespace whose disk is gone is refused.
	if nvmet_ns_enable 1 2>/dev/null; then
		ktap_not_ok "enabling the namespace without its disk is refused"
	else
		ktap_ok "enabling the namespace without its disk is refused"
	fi
	# The port goes while the host is connected: the host loses its
	# controller and tries to reconnect.
	check "tcp: port removed under the connected host" nvmet_port_remove 2
	# nvme-tcp holds no reference for its controllers: rmmod deletes
	# them, whatever state they are in.
	check "tcp: rmmod nvme_tcp with its controller still there" rmmod nvme_tcp
	if ls /sys/class/nvme 2>/dev/null | grep -q .; then
		ktap_not_ok "tcp: no controller left on the initiator"
		ls /sys/class/nvme | sed 's/^/# /'
	else
		ktap_ok "tcp: no controller left on the initiator"
	fi
fi

nvmet_teardown
check "configfs entries removed" test ! -e "$nvmet_cfg/subsystems/$nvmet_nqn"
for m in nvme_tcp nvme_loop nvmet_tcp nvme_fabrics nvmet; do
	grep -q "^$m " /proc/modules && rmmod "$m"
done
check "nvme modules unloaded" sh -c '! grep -q "^nvmet \|^nvme_fabrics " /proc/modules'
fcpmem_unload
if kernel_warned; then
	ktap_not_ok "no kernel warning"
else
	ktap_ok "no kernel warning"
fi
ktap_finish

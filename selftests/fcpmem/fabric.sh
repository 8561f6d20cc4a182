#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# NVMe/TCP export of an fcpmem disk across two guests: one half of the test
# that tools/vm/fabric runs, which boots both guests on one QEMU socket
# network and sets FCPMEM_FABRIC_ROLE to target or initiator.
#
# The target loads fcpmem, exports /dev/pmem0 through nvmet-tcp on its
# IPv6 link-local address (fe80::1; the link exists only between the two
# QEMUs) and answers a small control service on port 4430: "counters"
# gives its disk's fcpmem flushes and fua_writes, "size" the disk's bytes,
# "done F U" ends the test with the number of flushes and FUA writes the
# initiator issued. The initiator (fe80::2) waits for that service, which
# is what orders the two guests, connects with nvme-cli, runs fio verify
# over the fabric, issues fsyncs, O_DSYNC writes, nvme flush and nvme write
# --force-unit-access, and checks after each batch that the target's
# counters grew by at least as many. The target checks the same totals on
# its side once the initiator is done.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fio.sh"
. "$(dirname "$0")/nvmet_lib.sh"

target_ip=fe80::1
initiator_ip=fe80::2
ctl_port=4430
nvme_port=4420
# How long either side waits for the other: the two guests boot side by
# side, but a loaded host can make one of them minutes late.
wait_s=${FCPMEM_FABRIC_WAIT:-420}
role=${FCPMEM_FABRIC_ROLE:-}

case $role in
target | initiator) ;;
*)
	ktap_skip "fabric.sh needs a second guest: run it through tools/vm/fabric"
	ktap_finish
	exit ;;
esac

# net_up ADDR: the virtio NIC up with ADDR, link-local, no DAD (the other
# guest is the only one on the link, and DAD would delay us by a second).
net_up() {
	modprobe virtio_net || return 1
	ifc=
	_i=0
	while [ -z "$ifc" ] && [ $_i -lt 100 ]; do
		for _n in /sys/class/net/*; do
			[ "$(basename "$(readlink "$_n/device/driver" 2>/dev/null)")" = virtio_net ] &&
				ifc=${_n##*/}
		done
		[ -n "$ifc" ] || sleep 0.1
		_i=$((_i + 1))
	done
	[ -n "$ifc" ] || { echo "no virtio_net interface"; return 1; }
	ip link set lo up &&
		ip link set "$ifc" up &&
		ip -6 addr add "$1/64" dev "$ifc" nodad
}

if net_up "$([ "$role" = target ] && echo $target_ip || echo $initiator_ip)" \
	>"$FCPMEM_TMP/net.err" 2>&1; then
	ktap_ok "$role: $ifc up as $(ip -6 -o addr show dev "$ifc" scope link | awk '{ print $4 }' | tr '\n' ' ')"
else
	ktap_not_ok "$role: network up"
	sed 's/^/# /' "$FCPMEM_TMP/net.err"
	ktap_finish
	exit
fi

# ---- initiator --------------------------------------------------------

# ctl MESSAGE: send one line to the target's control service, print its
# one-line answer. bash's /dev/tcp takes a scoped IPv6 address.
ctl() {
	timeout 30 bash -c 'exec 3<>"/dev/tcp/$1/$2" && echo "$3" >&3 && head -n 1 <&3' \
		_ "$target_ip%$ifc" $ctl_port "$*" 2>/dev/null
}

remote_counters() {
	ctl counters
}

initiator() {
	fabric_flushes_issued=0
	fabric_fua_issued=0
	# Whatever happens, tell the target we are done, so that it stops
	# waiting and tears down.
	trap 'nvme_disconnect >/dev/null 2>&1; ctl "done $fabric_flushes_issued $fabric_fua_issued" >/dev/null' EXIT

	t0=$(date +%s)
	size=
	while [ $(($(date +%s) - t0)) -lt "$wait_s" ]; do
		size=$(ctl size) && [ -n "$size" ] && break
		sleep 1
	done
	if [ -z "$size" ]; then
		ktap_not_ok "initiator: target's control service at [$target_ip%$ifc]:$ctl_port within $wait_s s"
		return
	fi
	ktap_ok "initiator: target ready after $(($(date +%s) - t0)) s, its disk has $((size >> 20)) MiB"

	if ! modprobe nvme-tcp 2>"$FCPMEM_TMP/modprobe.err"; then
		ktap_not_ok "initiator: modprobe nvme-tcp"
		sed 's/^/# /' "$FCPMEM_TMP/modprobe.err"
		return
	fi
	if ! nvme_connect -t tcp -a "$target_ip%$ifc" -s $nvme_port $nvme_tcp_opts \
	     >"$FCPMEM_TMP/connect.out" 2>&1; then
		ktap_not_ok "initiator: nvme connect -t tcp -a $target_ip%$ifc -s $nvme_port"
		sed 's/^/# /' "$FCPMEM_TMP/connect.out"
		dmesg | tail -n 10 | sed 's/^/# /'
		return
	fi
	if ! dev=$(nvme_dev_find); then
		ktap_not_ok "initiator: namespace shows up"
		return
	fi
	expect_eq "initiator: connected over NVMe/TCP, $dev has the target disk's size" \
		"bytes" $(($(cat "/sys/block/${dev#/dev/}/size") * 512)) "$size"
	COUNTERS=remote_counters
	# Fewer than nvmet.sh's 100: two guests share the host, and every
	# request is a round trip over QEMU's socket.
	FABRIC_WRITES=50 FABRIC_CMDS=3
	fabric_io fabric "$dev"
	ktap_diag "target's pmem0: $fabric_fig"
	check "initiator: nvme disconnect" nvme_disconnect
	check "initiator: no controller left" sh -c '! ls /sys/class/nvme | grep -q .'
	ans=$(ctl "done $fabric_flushes_issued $fabric_fua_issued")
	trap - EXIT
	expect_eq "initiator: target acknowledged the end" "answer" "$ans" bye
}

# ---- target -----------------------------------------------------------

# serve: the control service, until "done" or wait_s without one. Prints
# the "done" line's numbers.
serve() {
	python3 - "$target_ip%$ifc" $ctl_port pmem0 "$wait_s" <<'PY'
import socket, sys, time

addr, port, disk, limit = sys.argv[1], int(sys.argv[2]), sys.argv[3], float(sys.argv[4])


def stat(name):
    with open("/sys/block/%s/%s" % (disk, name)) as f:
        return f.read().strip()


ai = socket.getaddrinfo(addr, port, socket.AF_INET6, socket.SOCK_STREAM)[0]
srv = socket.socket(ai[0], ai[1])
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(ai[4])
srv.listen(4)
deadline = time.monotonic() + limit
while True:
    left = deadline - time.monotonic()
    if left <= 0:
        sys.exit(1)
    srv.settimeout(left)
    try:
        conn, _ = srv.accept()
    except socket.timeout:
        sys.exit(1)
    with conn:
        conn.settimeout(30)
        try:
            words = conn.makefile().readline().split()
        except OSError:
            continue
        if not words:
            continue
        if words[0] == "counters":
            answer = "%s %s" % (stat("fcpmem/flushes"), stat("fcpmem/fua_writes"))
        elif words[0] == "size":
            answer = str(int(stat("size")) * 512)
        elif words[0] == "done":
            answer = "bye"
        else:
            answer = "?"
        try:
            conn.sendall((answer + "\n").encode())
        except OSError:
            pass
        if words[0] == "done":
            print(" ".join(words[1:]))
            sys.exit(0)
PY
}

target() {
	trap 'nvmet_teardown; fcpmem_unload 2>/dev/null' EXIT
	if ! modprobe nvmet-tcp 2>"$FCPMEM_TMP/modprobe.err" || ! nvmet_configfs; then
		ktap_not_ok "target: modprobe nvmet-tcp"
		sed 's/^/# /' "$FCPMEM_TMP/modprobe.err"
		return
	fi
	if ! fcpmem_load || ! wait_dev /dev/pmem0; then
		ktap_not_ok "target: load fcpmem"
		return
	fi
	if ! nvmet_subsys_create /dev/pmem0 2>"$FCPMEM_TMP/nvmet.err" ||
	   ! nvmet_port_create 1 tcp ipv6 "$target_ip%$ifc" $nvme_port 2>>"$FCPMEM_TMP/nvmet.err"; then
		ktap_not_ok "target: nvmet-tcp port on [$target_ip%$ifc]:$nvme_port with /dev/pmem0 as namespace 1"
		sed 's/^/# /' "$FCPMEM_TMP/nvmet.err"
		return
	fi
	ktap_ok "target: nvmet-tcp port on [$target_ip%$ifc]:$nvme_port with /dev/pmem0 as namespace 1"
	set -- $(nvmet_counters pmem0)
	f0=$1 u0=$2
	if ! done=$(serve); then
		ktap_not_ok "target: the initiator said done within $wait_s s"
		return
	fi
	set -- $(nvmet_counters pmem0)
	f1=$1 u1=$2
	set -- $done
	if [ "${1:-0}" -gt 0 ] && [ $((f1 - f0)) -ge "$1" ]; then
		ktap_ok "target: initiator issued $1 flushes, pmem0 counted $((f1 - f0)) ($f0 -> $f1)"
	else
		ktap_not_ok "target: initiator issued ${1:-none} flushes, pmem0 counted $((f1 - f0)) ($f0 -> $f1)"
	fi
	if [ "${2:-0}" -gt 0 ] && [ $((u1 - u0)) -ge "$2" ]; then
		ktap_ok "target: initiator issued $2 FUA writes, pmem0 counted $((u1 - u0)) ($u0 -> $u1)"
	else
		ktap_not_ok "target: initiator issued ${2:-none} FUA writes, pmem0 counted $((u1 - u0)) ($u0 -> $u1)"
	fi
	nvmet_teardown
	check "target: configfs entries removed" test ! -e "$nvmet_cfg/subsystems/$nvmet_nqn"
	check "target: rmmod nvmet-tcp nvmet" rmmod nvmet_tcp nvmet
	check "target: rmmod fcpmem" rmmod fcpmem
	trap - EXIT
}

$role
if kernel_warned; then
	ktap_not_ok "$role: no kernel warning"
else
	ktap_ok "$role: no kernel warning"
fi
ktap_finish

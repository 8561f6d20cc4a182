#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# NVMe-over-Fabrics helpers shared by nvmet.sh (target and initiator in one
# guest) and fabric.sh (one guest each): the target is set up through
# nvmet's configfs, the initiator with nvme-cli. Sourced after lib.sh and
# fio.sh, never run.

nvmet_cfg=/sys/kernel/config/nvmet
# An NQN of our own; the host NQN and ID are passed to every nvme connect,
# since /etc/nvme (the host's, read-only in the guest) may hold none.
nvmet_nqn=nqn.2026-12.io.fcpmem:nvmet-test
nvmet_hostid=$(cat /proc/sys/kernel/random/uuid)
nvmet_hostnqn=nqn.2014-08.org.nvmexpress:uuid:$nvmet_hostid

# nvmet_configfs: mount configfs if nobody has (the test VM has no systemd)
nvmet_configfs() {
	[ -d /sys/kernel/config ] || return 1
	grep -q ' /sys/kernel/config configfs ' /proc/mounts ||
		mount -t configfs configfs /sys/kernel/config
}

# nvmet_subsys_create DEV: a subsystem that any host may use, with DEV as
# namespace 1, enabled.
nvmet_subsys_create() {
	_s=$nvmet_cfg/subsystems/$nvmet_nqn
	mkdir "$_s" &&
		echo 1 >"$_s/attr_allow_any_host" &&
		mkdir "$_s/namespaces/1" &&
		printf '%s' "$1" >"$_s/namespaces/1/device_path" &&
		echo 1 >"$_s/namespaces/1/enable"
}

# nvmet_ns_enable 0|1
nvmet_ns_enable() {
	echo "$1" >"$nvmet_cfg/subsystems/$nvmet_nqn/namespaces/1/enable"
}

# nvmet_port_create ID loop | ID tcp ADRFAM TRADDR TRSVCID: a port, with the
# subsystem linked to it (which is what makes the port listen).
nvmet_port_create() {
	_p=$nvmet_cfg/ports/$1
	mkdir "$_p" || return 1
	echo "$2" >"$_p/addr_trtype" || return 1
	if [ "$2" = tcp ]; then
		echo "$3" >"$_p/addr_adrfam" &&
			echo "$4" >"$_p/addr_traddr" &&
			echo "$5" >"$_p/addr_trsvcid" || return 1
	fi
	ln -s "$nvmet_cfg/subsystems/$nvmet_nqn" "$_p/subsystems/$nvmet_nqn"
}

nvmet_port_remove() {
	rm -f "$nvmet_cfg/ports/$1/subsystems/$nvmet_nqn"
	rmdir "$nvmet_cfg/ports/$1"
}

# nvmet_teardown: everything of ours in configfs, in the right order; quiet
# about what is already gone.
nvmet_teardown() {
	for _p in "$nvmet_cfg"/ports/*; do
		[ -d "$_p" ] || continue
		rm -f "$_p/subsystems/$nvmet_nqn" 2>/dev/null
		rmdir "$_p" 2>/dev/null
	done
	_s=$nvmet_cfg/subsystems/$nvmet_nqn
	if [ -d "$_s" ]; then
		echo 0 >"$_s/namespaces/1/enable" 2>/dev/null
		rmdir "$_s/namespaces/1" 2>/dev/null
		rmdir "$_s" 2>/dev/null
	fi
}

# nvme_connect ARGS...: nvme connect to our subsystem as our host.
nvme_connect() {
	timeout 120 nvme connect -n "$nvmet_nqn" --hostnqn="$nvmet_hostnqn" \
		--hostid="$nvmet_hostid" "$@"
}

# For TCP: short loss timeouts, so that a controller whose target went away
# is given up in seconds, not the default 10 minutes (nvme-loop takes
# neither option).
nvme_tcp_opts="--ctrl-loss-tmo=2 --reconnect-delay=1"

nvme_disconnect() {
	timeout 120 nvme disconnect -n "$nvmet_nqn"
}

# nvme_dev_find: the block device of our subsystem's namespace on the
# initiator (/dev/nvmeXnY), waiting up to 20 s for the namespace scan.
# With native multipath the disk hangs off the subsystem, without it off
# the controller: both have subsysnqn. Per-path disks (nvmeXcYnZ) are
# skipped.
nvme_dev_find() {
	_i=0
	while [ $_i -lt 200 ]; do
		for _b in /sys/block/nvme*n*; do
			_n=${_b##*/}
			case $_n in *c*) continue ;; esac
			[ "$(cat "$_b/device/subsysnqn" 2>/dev/null)" = "$nvmet_nqn" ] || continue
			if [ -b "/dev/$_n" ]; then
				echo "/dev/$_n"
				return 0
			fi
		done
		sleep 0.1
		_i=$((_i + 1))
	done
	return 1
}

# The counters of the exported disk, on the target.
nvmet_counters() {
	echo "$(fcpmem_stat "$1" flushes) $(fcpmem_stat "$1" fua_writes)"
}

# fabric_io TAG DEV: fio verify over the fabric, then the durability
# requests: a known number of fsyncs (each an NVMe Flush), O_DSYNC direct
# writes (each an NVMe Write with FUA), nvme-cli's own Flush and FUA Write
# commands: FABRIC_WRITES (default 100) writes with fsync=1 and as many
# O_DSYNC ones, FABRIC_CMDS (5) of each nvme command. COUNTERS is a
# command that prints the target disk's "flushes fua_writes" (a function
# here, a question over the network in the two-guest test). Sets
# fabric_fig to the figures, and
# fabric_flushes_issued and fabric_fua_issued to the number of requests.
fabric_io() {
	_tag=$1
	_dev=$2
	_writes=${FABRIC_WRITES:-100}
	_cmds=${FABRIC_CMDS:-5}
	run_fio "$_tag-verify" --filename="$_dev" --rw=randwrite --bs=64k \
		--size=8M --direct=1 --ioengine=libaio --iodepth=4 \
		--verify=crc32c --do_verify=1 --verify_fatal=1

	# fio's fsync=1 syncs before each write but the first: 100 writes,
	# 99 fsyncs (fio's JSON says how many it made).
	set -- $($COUNTERS)
	_f0=$1 _u0=$2
	run_fio "$_tag-fsync" --filename="$_dev" --rw=randwrite --bs=4k \
		--size=32M --io_size=$((_writes * 4))k --fsync=1 --ioengine=psync
	_syncs=${fio_syncs:-0}
	set -- $($COUNTERS)
	_f1=$1 _u1=$2
	if [ "${fio_syncs:-0}" -ge $((_writes - 1)) ] &&
	   [ $((_f1 - _f0)) -ge "$fio_syncs" ]; then
		ktap_ok "$_tag: $fio_syncs fsyncs on the initiator, $((_f1 - _f0)) flushes on the target's fcpmem ($_f0 -> $_f1)"
	else
		ktap_not_ok "$_tag: ${fio_syncs:-?} fsyncs on the initiator, $((_f1 - _f0)) flushes on the target's fcpmem ($_f0 -> $_f1)"
	fi

	run_fio "$_tag-dsync" --filename="$_dev" --rw=randwrite --bs=4k \
		--size=32M --io_size=$((_writes * 4))k --sync=dsync --direct=1 \
		--ioengine=psync
	set -- $($COUNTERS)
	_f2=$1 _u2=$2
	if [ $((_u2 - _u1)) -ge $_writes ]; then
		ktap_ok "$_tag: $_writes O_DSYNC writes on the initiator, $((_u2 - _u1)) FUA writes on the target's fcpmem ($_u1 -> $_u2)"
	else
		ktap_not_ok "$_tag: $_writes O_DSYNC writes on the initiator, $((_u2 - _u1)) FUA writes on the target's fcpmem ($_u1 -> $_u2)"
	fi

	# The NVMe commands themselves, with no block layer on the initiator
	# to turn them into something else.
	_lbs=$(cat "/sys/block/${_dev#/dev/}/queue/logical_block_size")
	dd if=/dev/urandom of="$FCPMEM_TMP/lba" bs="$_lbs" count=1 status=none
	_ok=1
	_i=0
	while [ $_i -lt $_cmds ]; do
		timeout 60 nvme flush "$_dev" >/dev/null 2>"$FCPMEM_TMP/nvme.err" || _ok=0
		timeout 60 nvme write "$_dev" --start-block=$_i --block-count=0 \
			--data-size="$_lbs" --data="$FCPMEM_TMP/lba" \
			--force-unit-access >/dev/null 2>>"$FCPMEM_TMP/nvme.err" || _ok=0
		_i=$((_i + 1))
	done
	set -- $($COUNTERS)
	_f3=$1 _u3=$2
	if [ $_ok -eq 1 ] && [ $((_f3 - _f2)) -ge $_cmds ] && [ $((_u3 - _u2)) -ge $_cmds ]; then
		ktap_ok "$_tag: $_cmds nvme flush and $_cmds nvme write --force-unit-access, +$((_f3 - _f2)) flushes and +$((_u3 - _u2)) FUA writes on the target"
	else
		ktap_not_ok "$_tag: $_cmds nvme flush and $_cmds nvme write --force-unit-access, +$((_f3 - _f2)) flushes and +$((_u3 - _u2)) FUA writes on the target"
		sed 's/^/# /' "$FCPMEM_TMP/nvme.err" | tail -n 10
	fi
	fabric_fig="flushes $_f0 -> $_f3, fua_writes $_u0 -> $_u3"
	# What the initiator asked for, for a check on the target's side.
	fabric_flushes_issued=$((_syncs + _cmds))
	fabric_fua_issued=$((_writes + _cmds))
}

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Fault injection of the load path: every fallible call fcpmem makes while
# loading (fault.c's sites, fcpmem_step() in the code) is failed once, one
# load at a time, with fail_load=N,100,0,1 for N = 1, 2, ... until a load
# reports "none failed". After each failed load: insmod returned an error,
# dmesg names the call and the region, nothing of fcpmem is left (module,
# disks, platform devices, /proc/iomem claim), and a plain load finds the
# data written before the sweep intact. Three calls are not fatal (struct
# pages for DAX, the timing buffer, the badblocks file): the load must go
# on without them and say so. One more sweep with dax=0 reaches memremap.
#
# Every load serves 4 MiB at the start of each reservation (regions=, its
# copy of the value the first call): creating struct pages for the whole
# regions takes the debug kernel (KASAN) under TCG half a minute a load,
# and the calls made are the same.
# At the end, on a kernel with kmemleak, nothing the loads allocated may
# be left unreferenced.
#
# Needs a kernel with CONFIG_FAULT_INJECTION (the debug kernel of
# tools/debug-kernel): Debian's have none, and fcpmem then has no
# fail_load= parameter; the test skips.
. "$(dirname "$0")/lib.sh"

# Distinct calls failed by the sweeps below, as of this test's writing;
# fewer means an error path nothing reaches any more, or a call site gone
# without this number following it.
sites_min=16

if ! modinfo -F parm "$FCPMEM_KO" 2>/dev/null | grep -q '^fail_load:'; then
	ktap_skip "fault injection: $(uname -r) has no CONFIG_FAULT_INJECTION, fcpmem has no fail_load= (run it on the debug kernel, tools/debug-kernel)"
	ktap_finish
	exit
fi

KMEMLEAK=/sys/kernel/debug/kmemleak
regions=$(grep 'Persistent Memory (legacy)' /proc/iomem | cut -d- -f1 |
	sed 's/^ *\(.*\)/4M@0x\1/' | tr '\n' ',')
regions=${regions%,}
t0=$(date +%s)
taint0=$(cat /proc/sys/kernel/tainted)
# What is already unreferenced now (boot, earlier tests) is not ours.
if [ -w $KMEMLEAK ]; then
	echo scan >$KMEMLEAK
	echo scan >$KMEMLEAK
	echo clear >$KMEMLEAK
fi

# The data: 1 MiB of random bytes at the start and at the end of each disk,
# written once; every later plain load must read them back unchanged.
sums() {
	for d in $(fcpmem_disks); do
		sz=$(($(cat /sys/block/$d/size) / 2048))
		dd if=/dev/$d bs=1M count=1 iflag=direct 2>/dev/null | md5sum
		dd if=/dev/$d bs=1M skip=$((sz - 1)) count=1 iflag=direct 2>/dev/null | md5sum
	done | tr -d ' -' | tr '\n' ' '
}

if ! fcpmem_load regions="$regions" || ! wait_dev /dev/pmem0; then
	ktap_not_ok "plain load before the sweep (regions=$regions)"
	ktap_finish
	exit
fi
for d in $(fcpmem_disks); do
	sz=$(($(cat /sys/block/$d/size) / 2048))
	dd if=/dev/urandom of=/dev/$d bs=1M count=1 oflag=direct 2>/dev/null
	dd if=/dev/urandom of=/dev/$d bs=1M seek=$((sz - 1)) count=1 oflag=direct 2>/dev/null
done
want_sums=$(sums)
ndisks=$(fcpmem_disks | wc -l)
fcpmem_unload
ktap_diag "regions=$regions: pattern written to $ndisks disks"

# Nothing of fcpmem left: prints what is, returns 1 if anything.
leftovers() {
	_l=
	fcpmem_loaded && _l="$_l module;"
	grep -q fcpmem /proc/iomem && _l="$_l /proc/iomem: $(grep fcpmem /proc/iomem | tr -s ' ' | tr '\n' ' ');"
	[ -n "$(fcpmem_disks)" ] && _l="$_l disks $(fcpmem_disks | tr '\n' ' ');"
	ls -d /sys/bus/platform/devices/fcpmem.* >/dev/null 2>&1 &&
		_l="$_l platform devices $(ls -d /sys/bus/platform/devices/fcpmem.* | tr '\n' ' ');"
	_i=0
	while ls /dev/pmem* >/dev/null 2>&1 && [ $_i -lt 20 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	ls /dev/pmem* >/dev/null 2>&1 && _l="$_l $(ls /dev/pmem* | tr '\n' ' ');"
	[ -z "$_l" ] || { echo "$_l"; return 1; }
}

# A plain load after the failure: works, same disks, same data.
plain_reload() {
	if ! fcpmem_load regions="$regions" || ! wait_dev /dev/pmem0; then
		echo "plain load after it failed"
		return 1
	fi
	_s=$(sums)
	fcpmem_unload
	[ "$_s" = "$want_sums" ] || { echo "data changed: '$_s', want '$want_sums'"; return 1; }
}

# The line a load that went on without a failed call must print.
degraded_msg() {
	case $1 in
	memremap_pages) echo "serving the same range without DAX" ;;
	__get_free_pages) echo "untimed: no memory" ;;
	sysfs_get_dirent) echo "badblocks file not found" ;;
	esac
}

sites=" "
loads=0
# sweep LABEL N [PARAMS...]: fail call N, N + 1, ... until a load fails
# none. With $stop set, also stop once that call has been failed.
# fail_load= goes first, so it counts regions='s copy as call 1.
sweep() {
	_label=$1
	_n=$2
	shift 2
	while [ $_n -le 100 ]; do
		dmesg_mark
		insmod "$FCPMEM_KO" fail_load=$_n,100,0,1 regions="$regions" "$@" >"$FCPMEM_TMP/insmod.out" 2>&1
		_rc=$?
		loads=$((loads + 1))
		dmesg_since_mark >"$FCPMEM_TMP/dmesg.out"
		_line=$(grep -m1 'fault injection: failing' "$FCPMEM_TMP/dmesg.out")
		_site=$(echo "$_line" | sed -n 's/.*failing \([^ ]*\) (call.*/\1/p')
		_region=$(echo "$_line" | sed -n 's/.*on region \(\[mem [^]]*\]\).*/\1/p')
		_desc="$_label fail_load=$_n: ${_site:-nothing} ${_region:+on $_region}"
		_why=

		if grep -q 'fault injection: [0-9]* calls, none failed' "$FCPMEM_TMP/dmesg.out"; then
			if [ $_rc -ne 0 ] || [ -n "$_site" ]; then
				_why="says none failed, but insmod returned $_rc, failed '$_site'"
			else
				_calls=$(sed -n 's/.*fault injection: \([0-9]*\) calls, none failed.*/\1/p' "$FCPMEM_TMP/dmesg.out")
				_desc="$_label: a load with fail_load=$_n made $_calls fallible calls and failed none"
			fi
			fcpmem_unload
			_why="$_why$(leftovers)"
			[ -z "$_why" ] && ktap_ok "$_desc" || { ktap_not_ok "$_desc"; ktap_diag "$_why"; }
			return
		fi

		if [ -z "$_site" ]; then
			_why="insmod returned $_rc and no call was failed: dmesg says neither 'failing' nor 'none failed'"
		elif [ $_rc -eq 0 ]; then
			# Not fatal by design, for three calls only.
			_msg=$(degraded_msg "$_site")
			if [ -z "$_msg" ]; then
				_why="insmod succeeded though $_site failed: an error ignored;"
			elif ! grep -q "$_msg" "$FCPMEM_TMP/dmesg.out"; then
				_why="loaded without $_site but dmesg does not say '$_msg';"
			elif [ "$_site" = memremap_pages ] &&
			     [ "$(cat /sys/block/pmem*/queue/dax | tr -d '\n')" = "$(printf '1%.0s' $(seq $ndisks))" ]; then
				_why="memremap_pages failed yet every disk serves DAX;"
			fi
			_desc="$_desc: load went on without it"
			_s=$(sums)
			[ "$_s" = "$want_sums" ] || _why="$_why data changed;"
			fcpmem_unload
			_why="$_why$(leftovers)"
		else
			_desc="$_desc: insmod failed ($(sed 's/.*: //' "$FCPMEM_TMP/insmod.out" | head -n1)), unwound"
			if [ "$_site" = kstrdup ]; then
				# regions= is parsed before fcpmem_init(): the
				# kernel names the parameter ("invalid", for any
				# error)
				grep -q "invalid for parameter .regions'" "$FCPMEM_TMP/dmesg.out" ||
					_why="dmesg does not name regions=;"
			elif ! grep -q "\]: $_site failed: -[A-Z0-9]*; load aborted, nothing left" "$FCPMEM_TMP/dmesg.out"; then
				_why="dmesg does not say that $_site failed and on which region;"
			fi
			_why="$_why$(leftovers)"
			[ -z "$_why" ] && _why=$(plain_reload)
		fi
		case "$sites" in *" $_site "*) ;; *) [ -n "$_site" ] && sites="$sites$_site " ;; esac
		if [ -z "$_why" ]; then
			ktap_ok "$_desc"
		else
			ktap_not_ok "$_desc"
			ktap_diag "$_why"
			grep -v selftest-mark "$FCPMEM_TMP/dmesg.out" | tail -n 15 | sed 's/^/# /'
			fcpmem_unload
			leftovers >/dev/null || return
		fi
		[ "$_site" = memremap_pages ] && memremap_n=$_n
		[ -n "$stop" ] && [ "$_site" = "$stop" ] && return
		_n=$((_n + 1))
	done
	ktap_not_ok "$_label: still failing a call at fail_load=100"
}

stop=
memremap_n=1
sweep "dax=1" 1
# With dax=0 the range is mapped by memremap, not memremap_pages: the
# calls before it are the same, so start there and stop once it failed.
stop=memremap
sweep "dax=0" $memremap_n dax=0

n_sites=$(echo $sites | wc -w)
ktap_diag "$n_sites distinct calls failed in $loads loads:$sites"
if [ "$n_sites" -ge $sites_min ]; then
	ktap_ok "$n_sites distinct fallible calls failed, at least $sites_min"
	[ "$n_sites" -gt $sites_min ] &&
		ktap_diag "more than the $sites_min recorded: raise sites_min in $(basename "$0")"
else
	ktap_not_ok "$n_sites distinct fallible calls failed, fewer than the $sites_min recorded"
fi

taint1=$(cat /proc/sys/kernel/tainted)
expect_eq "no kernel warning during the sweep" "taint W" \
	$(( (taint1 & 512) - (taint0 & 512) )) 0

# kmemleak: an object left from a failed load. Its backtrace names fcpmem
# while the module that allocated it is loaded; once that load has failed
# its frames print as bare addresses, so those count too, and so does
# module init (the frame kmemleak keeps when the stack was deeper than it
# records).
if [ -w $KMEMLEAK ]; then
	sleep 6		# kmemleak reports nothing younger than 5 s
	echo scan >$KMEMLEAK
	echo scan >$KMEMLEAK
	cat $KMEMLEAK >"$FCPMEM_TMP/kmemleak.out"
	echo clear >$KMEMLEAK
	# One object per paragraph, "ours" or "other" in front.
	awk 'function out() { if (o != "") print (o ~ /fcpmem|do_init_module|comm "insmod"|\] 0xffffffff/ ? "ours" : "other") o "\n" }
	     /^unreferenced object/ { out(); o = "" }
	     { o = o "\n" $0 }
	     END { out() }' "$FCPMEM_TMP/kmemleak.out" >"$FCPMEM_TMP/kmemleak.sorted"
	ours=$(grep -c '^ours$' "$FCPMEM_TMP/kmemleak.sorted")
	other=$(grep -c '^other$' "$FCPMEM_TMP/kmemleak.sorted")
	if [ "$ours" -eq 0 ]; then
		ktap_ok "kmemleak: nothing left by $loads loads"
	else
		ktap_not_ok "kmemleak: $ours objects left by the loads"
		awk -v RS= '/^ours/' "$FCPMEM_TMP/kmemleak.sorted" | grep -v '^ours$' |
			head -n 60 | sed 's/^/# /'
	fi
	[ "$other" -eq 0 ] ||
		ktap_diag "kmemleak: $other unreferenced objects not allocated by fcpmem's load, e.g.
$(awk -v RS= '/^other/' "$FCPMEM_TMP/kmemleak.sorted" | grep -v '^other$' | head -n 12)"
else
	ktap_skip "kmemleak: the kernel has no $KMEMLEAK"
fi

ktap_diag "fault_inject: $(($(date +%s) - t0)) s"
ktap_finish

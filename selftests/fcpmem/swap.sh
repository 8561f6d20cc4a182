#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Swap on an fcpmem disk: mkswap + swapon /dev/pmem1, then a memory hog
# (swap_hog.c) in a memory cgroup of 32 MiB fills 96 MiB with a pattern,
# so most of it must go out to the disk, and checks every word as it comes
# back. Then the same with swapoff between the fill and the check, which
# pulls every page back in through the disk first. 6.12 and later skip the
# swap cache for fcpmem's pages (BLK_FEAT_SYNCHRONOUS), 6.1 goes through
# it: the data must survive both (see Documentation/design.rst, Swap).
. "$(dirname "$0")/lib.sh"

dev=/dev/pmem1
disk=pmem1
cg=/sys/fs/cgroup
grp=$cg/fcpmem-swap
limit_mib=32
hog_mib=96
go=$FCPMEM_TMP/swap.go

vmstat() {
	awk -v k="$1" '$1 == k { print $2 }' /proc/vmstat
}

if ! fcpmem_load || ! wait_dev $dev; then
	ktap_not_ok "load fcpmem"
	fcpmem_unload
	ktap_finish
	exit
fi

# zswap would keep the pages in RAM, compressed: the disk must see them.
zswap=/sys/module/zswap/parameters/enabled
zswap_was=$(cat $zswap 2>/dev/null)
[ -w $zswap ] && echo N >$zswap

mounted_cg=
if ! grep -q "^cgroup2 $cg " /proc/mounts; then
	mount -t cgroup2 none $cg && mounted_cg=1
fi
echo +memory >$cg/cgroup.subtree_control 2>/dev/null
mkdir -p $grp

if ! [ -w $grp/memory.max ]; then
	ktap_skip "swap on $dev: no cgroup v2 memory controller"
elif ! mkswap $dev >"$FCPMEM_TMP/swap.out" 2>&1 ||
     ! swapon $dev 2>>"$FCPMEM_TMP/swap.out"; then
	ktap_not_ok "mkswap and swapon $dev"
	sed 's/^/# /' "$FCPMEM_TMP/swap.out"
else
	ktap_ok "mkswap and swapon $dev"
	echo $((limit_mib << 20)) >$grp/memory.max

	out0=$(vmstat pswpout) in0=$(vmstat pswpin) ra0=$(vmstat swap_ra)
	wr0=$(fcpmem_stat $disk bytes_written) rd0=$(fcpmem_stat $disk bytes_read)
	# timeout: pages read back wrong can be the hog's own stack.
	timeout 600 sh -c "echo \$\$ >$grp/cgroup.procs && exec '$FCPMEM_BIN/swap_hog' $hog_mib" \
		>"$FCPMEM_TMP/swap.out" 2>&1
	rc=$?
	out=$(($(vmstat pswpout) - out0)) in=$(($(vmstat pswpin) - in0))
	wr=$(($(fcpmem_stat $disk bytes_written) - wr0))
	rd=$(($(fcpmem_stat $disk bytes_read) - rd0))
	ktap_diag "$(cat "$FCPMEM_TMP/swap.out")"
	ktap_diag "pages swapped out $out, in $in; $disk wrote $((wr >> 20)) MiB, read $((rd >> 20)) MiB; swap readahead pages $(($(vmstat swap_ra) - ra0))"
	expect_eq "$hog_mib MiB hog in $limit_mib MiB: every word reads back" \
		"swap_hog exit" "$rc" 0
	# At least the part that cannot fit must have gone out, and come back.
	need=$(((hog_mib - limit_mib) << 20))
	check "the hog's pages went out to $disk" test "$wr" -ge "$need"
	check "... and came back from it" test "$rd" -ge "$need"
	check "... as the kernel counted" test $((out * 4096)) -ge "$need"

	# swapoff with the hog's pages out: each comes back through the disk.
	rm -f "$go"
	timeout 600 sh -c "echo \$\$ >$grp/cgroup.procs && exec '$FCPMEM_BIN/swap_hog' $hog_mib '$go'" \
		>"$FCPMEM_TMP/swap.out" 2>&1 &
	hog=$!
	i=0
	while ! grep -q filled "$FCPMEM_TMP/swap.out" && kill -0 $hog 2>/dev/null &&
	      [ $i -lt 3000 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	used=$(awk -v d=$dev '$1 == d { print $4 }' /proc/swaps)
	used=${used:-0}
	# Room to bring the pages back, then swapoff must empty the disk.
	echo max >$grp/memory.max
	check "swapoff with $((used / 1024)) MiB in use" swapoff $dev
	touch "$go"
	wait $hog
	rc=$?
	ktap_diag "$(cat "$FCPMEM_TMP/swap.out")"
	expect_eq "... and the hog's data survived it" "swap_hog exit" "$rc" 0
fi

swapoff $dev 2>/dev/null
rmdir $grp 2>/dev/null
[ -n "$mounted_cg" ] && umount $cg
[ -w $zswap ] && [ -n "$zswap_was" ] && echo "$zswap_was" >$zswap
fcpmem_unload
check "fcpmem unloads after swapoff" sh -c '! grep -q "^fcpmem " /proc/modules'
ktap_finish

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/vm/selftest.sh [KVER...] - check tools/vm/run itself on each kernel
# (default: every /boot/vmlinuz-*).  Prints TAP; exits 1 if a check failed.
# About 10 boots per kernel.

# shellcheck disable=SC2016 # the guest-side scripts are single-quoted on purpose
set -euo pipefail

here=$(cd "${BASH_SOURCE[0]%/*}" && pwd)
run=$here/run
repo=$(cd "$here/../.." && pwd)
cd "$repo"

if [[ $# -eq 0 ]]; then
	for k in /boot/vmlinuz-*; do
		set -- "$@" "${k#/boot/vmlinuz-}"
	done
fi

work=$(mktemp -d "$repo/build/vm-selftest.XXXXXX")
trap 'rm -rf "$work"' EXIT

n=0
failed=0
# check NAME EXPECTED_STATUS [GREP_PATTERN_IN_STDOUT...] -- RUN_ARGS...
check() {
	local name=$1 want=$2 rc=0 pat
	local -a pats=()
	shift 2
	while [[ $1 != -- ]]; do
		pats+=("$1")
		shift
	done
	shift
	n=$((n + 1))
	"$run" "$@" > "$work/out" 2> "$work/err" || rc=$?
	local ok=1
	[[ $rc == "$want" ]] || ok=0
	for pat in ${pats[@]+"${pats[@]}"}; do
		grep -q -E -e "$pat" "$work/out" || { ok=0; echo "# missing in output: $pat"; }
	done
	if [[ $ok == 1 ]]; then
		echo "ok $n - $name"
	else
		failed=$((failed + 1))
		echo "not ok $n - $name (exit $rc, expected $want)"
		sed 's/^/# out: /' "$work/out" | tail -n 20
		sed 's/^/# err: /' "$work/err" | tail -n 20
	fi
}

wait_pmem='modprobe nd_e820 && modprobe nd_pmem || exit 9
i=0; while [ ! -b /dev/pmem0 ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
[ -b /dev/pmem0 ] || exit 8'

echo "TAP version 13"
for k in "$@"; do
	echo "# kernel $k"
	k_re=$(printf '%s' "$k" | sed 's/[][\\.*^$+?(){}|]/\\&/g')
	check "$k: tools, modules, pmem region" 0 "^$k_re\$" \
		'^40000000-7fffffff : Persistent Memory \(legacy\)$' '^ext4-ok$' \
		'^xfs-ok$' '^fio-' '^mke2fs ' -- \
		--kver "$k" --memmap '1G!1G' -- sh -c 'uname -r; grep -i persistent /proc/iomem;
			modprobe ext4 && echo ext4-ok; modprobe xfs && echo xfs-ok;
			fio --version; mkfs.ext4 -V 2>&1'
	check "$k: exit status passes through" 3 -- --kver "$k" -- sh -c 'exit 3'
	check "$k: arguments survive" 0 '^<a b><><\$HOME><it'\''s>$' -- \
		--kver "$k" -- sh -c 'printf "<%s>" "$@"; echo' _ 'a b' '' '$HOME' "it's"
	check "$k: timeout" 124 -- --kver "$k" --timeout 20 -- sleep 60
	check "$k: kernel crash" 121 -- --kver "$k" -- sh -c 'echo c > /proc/sysrq-trigger'
	check "$k: WARNING in the log" 121 '^still-ran$' -- \
		--kver "$k" -- sh -c 'echo "WARNING: test" > /dev/kmsg; echo still-ran'
	check "$k: two memmap regions" 0 '^40000000-4fffffff : Persistent Memory \(legacy\)$' \
		'^80000000-8fffffff : Persistent Memory \(legacy\)$' -- \
		--kver "$k" --memmap '256M!1G' --memmap '256M!2G' -- grep -i persistent /proc/iomem
	mkdir -p "$work/out-$k"
	check "$k: --outdir" 0 -- --kver "$k" --outdir "$work/out-$k" -- \
		sh -c 'echo hello > "$1/result"' _ "$work/out-$k"
	n=$((n + 1))
	if [[ $(cat "$work/out-$k/result" 2>/dev/null) == hello ]]; then
		echo "ok $n - $k: --outdir file reached the host"
	else
		failed=$((failed + 1))
		echo "not ok $n - $k: --outdir file reached the host"
	fi
	check "$k: --cut-after" 120 -- --kver "$k" --cut-after 5 -- sleep 600
	# The real power cut: kill QEMU once the guest says the data is written.
	pat="fcpmem-selftest-$RANDOM$RANDOM"
	rm -f "$work/out-$k/written" "$work/pid"
	(
		for _ in $(seq 1200); do
			[[ -e $work/out-$k/written ]] && break
			sleep 0.25
		done
		kill -9 "$(cat "$work/pid")"
	) &
	check "$k: QEMU killed through --pidfile" 123 -- --kver "$k" --memmap '1G!1G' \
		--ramfile "$work/ram" --pidfile "$work/pid" --outdir "$work/out-$k" -- \
		sh -c "$wait_pmem"'
			echo "$1" | dd of=/dev/pmem0 bs=4096 conv=sync oflag=direct status=none
			touch "$2/written"; sleep 600' _ "$pat" "$work/out-$k"
	wait
	check "$k: data survives the power cut" 0 "^$pat\$" -- --kver "$k" --memmap '1G!1G' \
		--ramfile "$work/ram" -- sh -c "$wait_pmem"'
			dd if=/dev/pmem0 bs=4096 count=1 status=none | tr -d "\0"'
	rm -f "$work/ram"
done
echo "1..$n"
[[ $failed == 0 ]]

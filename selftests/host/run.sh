#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run the host tests as one TAP stream, kselftest style: each test binary is
# one top-level result with its own TAP output indented as "# " comments.
# Each mutant (a model test built with an FCPMEM_INJECT_* switch) is one more
# result: "ok" when the model test caught it, naming where. Exits non-zero if
# any result is "not ok".
#
# usage: run.sh BUILD_DIR "TESTS" "MUTANTS"

build=$1
tests=$2
mutants=$3
out=$(mktemp) || exit 1
trap 'rm -f "$out"' EXIT

set -- $tests $mutants
echo "TAP version 13"
echo "1..$#"

i=0
fail=0
for t in $tests; do
	i=$((i + 1))
	"$build/$t" >"$out" 2>&1
	rc=$?
	sed 's/^/# /' "$out"
	if [ $rc -eq 0 ]; then
		echo "ok $i host: $t"
	elif [ $rc -eq 4 ]; then
		echo "ok $i host: $t # SKIP"
	else
		echo "not ok $i host: $t # exit=$rc"
		fail=1
	fi
done

for m in $mutants; do
	i=$((i + 1))
	"$build/fc_model_test-$m" >"$out" 2>&1
	rc=$?
	# prefer a memcpy failure (it names the variant) over a user copy one
	why=$(grep -m1 -o 'FAIL variant=.*align=.*size=.*' "$out")
	[ -n "$why" ] || why=$(grep -m1 -o 'FAIL .*align=.*size=.*' "$out")
	caught=$(grep -c '^not ok' "$out")
	total=$(grep -c '^\(not \)\{0,1\}ok' "$out")
	if [ $rc -eq 0 ]; then
		echo "not ok $i mutant $m survived the model test"
		fail=1
	elif [ -n "$why" ]; then
		grep 'FAIL .*align=.*size=' "$out" | sed 's/^/# /'
		echo "ok $i mutant $m caught by $caught/$total tests: $why"
	else
		sed 's/^/# /' "$out"
		echo "not ok $i mutant $m failed without naming an alignment and size (exit=$rc)"
		fail=1
	fi
done

exit $fail

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# run_fio NAME FIO-ARGS...: one fio run as one TAP line. Output is JSON;
# on success the line carries what fio measured, on failure fio's own
# output follows as diagnostics. Sourced after lib.sh.

run_fio() {
	_name=$1
	shift
	(cd "$FCPMEM_TMP" && fio --name="$_name" --output-format=json \
		--output="$FCPMEM_TMP/$_name.json" "$@") >"$FCPMEM_TMP/$_name.err" 2>&1
	_rc=$?
	_sum=$(python3 - "$FCPMEM_TMP/$_name.json" <<'PY' 2>/dev/null
import json, sys
try:
    text = open(sys.argv[1]).read()
    doc = json.loads(text[text.index("{"):])
except Exception:
    sys.exit(1)
r = w = rb = wb = syncs = 0
err = 0
for j in doc["jobs"]:
    r += j["read"]["bw_bytes"]; w += j["write"]["bw_bytes"]
    rb += j["read"]["io_bytes"]; wb += j["write"]["io_bytes"]
    err += j.get("error", 0)
    syncs += j.get("sync", {}).get("total_ios", 0)
print("write %.0f MiB/s, read %.0f MiB/s, %d MiB written, %d MiB read%s%s"
      % (w / 2**20, r / 2**20, wb >> 20, rb >> 20,
         ", %d fsyncs" % syncs if syncs else "", ", errors" if err else ""))
PY
)
	fio_syncs=$(echo "$_sum" | sed -n 's/.*, \([0-9]*\) fsyncs.*/\1/p')
	if [ "$_rc" -eq 0 ] && [ -n "$_sum" ]; then
		ktap_ok "fio $_name: $_sum"
	else
		ktap_not_ok "fio $_name (exit $_rc)"
		tail -n 40 "$FCPMEM_TMP/$_name.err" "$FCPMEM_TMP/$_name.json" 2>/dev/null | sed 's/^/# /'
	fi
}

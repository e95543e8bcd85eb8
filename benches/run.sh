#!/usr/bin/env bash
# Runs the benchmarks and prints each R-tree time as a ratio to the brute-force scan measured
# in the same run. Usage: benches/run.sh [criterion filter]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo bench --bench nearest -- ${1:-} 2>&1 | tee /tmp/bussola-bench.txt
python3 - <<'PY'
import json, glob, os
rows = {}
for f in glob.glob("target/criterion/nearest_k10/*/*/new/estimates.json"):
    parts = f.split(os.sep)
    kind, n = parts[-4], int(parts[-3])
    rows.setdefault(n, {})[kind] = json.load(open(f))["median"]["point_estimate"]
print(f"{'services':>10} {'rtree':>12} {'filtered':>12} {'brute force':>14} {'speed-up':>9}")
for n in sorted(rows):
    r = rows[n]
    bf, rt, ft = r.get("brute_force"), r.get("rtree"), r.get("rtree_filtered")
    fmt = lambda ns: f"{ns/1000:.1f} µs" if ns is not None else "-"
    ratio = f"{bf/rt:.0f}x" if bf and rt else "-"
    print(f"{n:>10} {fmt(rt):>12} {fmt(ft):>12} {fmt(bf):>14} {ratio:>9}")
PY

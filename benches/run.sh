#!/usr/bin/env bash
# Runs the criterion benchmarks and prints each result as a ratio to a baseline measured in the
# same run: nearest search against a brute-force scan; tiles against the same zoom with 1k
# services; scenarios against the plain gap report; an import of 100k rows against one of 10k.
# Usage: benches/run.sh [nearest|tiles|scenarios|import]
set -euo pipefail
cd "$(dirname "$0")/.."
for b in ${1:-nearest tiles scenarios import}; do
  cargo bench --bench "$b" 2>&1 | tee "/tmp/bussola-bench-$b.txt" | grep -E "^[a-z_]+/|time:" || true
done
python3 - <<'PY'
import json, glob, os
def load(group):
    rows = {}
    for f in glob.glob(f"target/criterion/{group}/*/*/new/estimates.json"):
        parts = f.split(os.sep)
        rows.setdefault(int(parts[-3]), {})[parts[-4]] = json.load(open(f))["median"]["point_estimate"]
    return rows
fmt = lambda ns: "-" if ns is None else (f"{ns/1e6:.1f} ms" if ns >= 1e6 else f"{ns/1e3:.1f} µs")
near = load("nearest_k10")
if near:
    print("\nnearest k=10 (median per query; ratio = brute force / R-tree)")
    print(f"| services | R-tree | R-tree, one type in three | brute force | ratio |")
    for n in sorted(near):
        r = near[n]; bf, rt = r.get("brute_force"), r.get("rtree")
        print(f"| {n:,} | {fmt(rt)} | {fmt(r.get('rtree_filtered'))} | {fmt(bf)} | {bf/rt:,.0f}x |" if bf and rt else f"| {n} | - |")
tiles = load("tile")
if tiles:
    print("\ntile over Évora (median per tile; ratio = time / time with 1k services at the same zoom)")
    print("| services | z8 | z11 | z14 |")
    base = tiles.get(1000, {})
    for n in sorted(tiles):
        cells = []
        for z in ("z8", "z11", "z14"):
            t, b0 = tiles[n].get(z), base.get(z)
            cells.append(f"{fmt(t)} ({t/b0:.1f}x)" if t and b0 else fmt(t))
        print(f"| {n:,} | " + " | ".join(cells) + " |")
scen = {}
for f in glob.glob("target/criterion/scenario/*/new/estimates.json"):
    name = f.split(os.sep)[-3]
    for key in ("gaps_erpi_baseline", "scenario_erpi", "scenario_every_type"):
        if name.endswith("_" + key):
            scen.setdefault(name[: -len(key) - 1], {})[key] = json.load(open(f))["median"]["point_estimate"]
if scen:
    print("\nscenarios (median; ratio = time / the plain ERPI gap report of the same region)")
    print("| region | gap report (baseline) | one opening, ERPI | one opening, every type |")
    for region, r in sorted(scen.items()):
        b = r.get("gaps_erpi_baseline")
        cell = lambda k: f"{fmt(r.get(k))} ({r[k]/b:.1f}x)" if b and r.get(k) else fmt(r.get(k))
        print(f"| {region} | {fmt(b)} | {cell('scenario_erpi')} | {cell('scenario_every_type')} |")
imp = {}
for f in glob.glob("target/criterion/import/carta_social/*/new/estimates.json"):
    imp[int(f.split(os.sep)[-3])] = json.load(open(f))["median"]["point_estimate"]
if imp.get(10000) and imp.get(100000):
    a, b = imp[10000], imp[100000]
    print("\nimport of a Carta Social listing (median; ratio = 100k rows / 10k rows; linear is 10x)")
    print(f"| 10,000 rows | 100,000 rows | ratio |\n| {a/1e9:.2f} s | {b/1e9:.2f} s | {b/a:.1f}x |")
PY

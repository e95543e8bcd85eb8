#!/usr/bin/env bash
# Load test: a release server on loopback, wrk over a fixed list of tiles, and /tiles.json (a
# small document from memory) as the baseline measured in the same run; then the same tiles
# while one account sends 20 PATCH/s (each a capacity change, so every write changes the data
# and the indicators). Prints tiles/s and p50/p99 latency, and the ratios.
# Usage: benches/load.sh [seconds=20] [connections=16]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-20}
conns=${2:-16}
port=18080
if ! command -v wrk >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi
cargo build --release -q
work=$(mktemp -d)
server=
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
# Start-up: the first start reads and seeds the service files; a restart reads the boundaries
# and population only (the services come from the database).
start() {
  local t0; t0=$(date +%s.%N)
  ./target/release/bussola serve --addr "127.0.0.1:$port" --data-dir "$work/data" --trusted-proxy 127.0.0.1 >"$work/server.log" 2>&1 &
  server=$!
  for _ in $(seq 600); do curl -fs "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.05; done
  python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.2f}')" "$t0" "$(date +%s.%N)"
}
start >"$work/first.t"
kill $server; wait $server 2>/dev/null || true
start >"$work/again.t"
first=$(cat "$work/first.t"); again=$(cat "$work/again.t")
python3 -c "import sys; f, a = map(float, sys.argv[1:]); print(f'start to /health: first {f:.2f} s (seeding), restart {a:.2f} s = {a / f:.2f} x')" "$first" "$again"

# The fixed tile list: every tile over Alentejo Central at zoom 8-11, and 8x8 blocks over Évora
# at zoom 12-14.
python3 - "$work/tiles.txt" <<'PY'
import math, sys
def tile(lon, lat, z):
    n = 2 ** z
    x = (lon + 180) / 360 * n
    y = (1 - math.log(math.tan(math.radians(lat)) + 1 / math.cos(math.radians(lat))) / math.pi) / 2 * n
    return int(x), int(y)
out = []
for z in range(8, 12):
    x0, y1 = tile(-8.7, 38.1, z); x1, y0 = tile(-7.0, 39.1, z)
    out += [f"/tiles/{z}/{x}/{y}.mvt" for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)]
for z in range(12, 15):
    cx, cy = tile(-7.91, 38.57, z)
    out += [f"/tiles/{z}/{x}/{y}.mvt" for x in range(cx - 4, cx + 4) for y in range(cy - 4, cy + 4)]
open(sys.argv[1], "w").write("\n".join(out) + "\n")
print(f"{len(out)} tiles in the list", file=sys.stderr)
PY
run() { wrk -t2 -c"$conns" -d"${secs}s" --latency "$@"; }
PATH_LIST="$work/tiles.txt" run -s benches/paths.lua "http://127.0.0.1:$port" >"$work/tiles.out"
run "http://127.0.0.1:$port/tiles.json" >"$work/health.out"

# Nearest k=10 from 200 places spread over Alentejo Central (fixed seed).
python3 - "$work/near.txt" <<'PY'
import random, sys
r = random.Random(7)
pts = [(r.uniform(-8.7, -7.0), r.uniform(38.1, 39.1)) for _ in range(200)]
open(sys.argv[1], "w").write("\n".join(f"/api/nearest?lon={x:.5f}&lat={y:.5f}&k=10" for x, y in pts) + "\n")
PY
PATH_LIST="$work/near.txt" run -s benches/paths.lua "http://127.0.0.1:$port" >"$work/near.out"

# The write stream: an admin account (login link from the CLI, on the server's database) and
# 20 PATCH/s alternating one service's capacity for as long as wrk runs (benches/patches.py).
link=$(./target/release/bussola user add --email load@example.org --role admin \
  --data-dir "$work/data" --host "127.0.0.1:$port" | grep -o 'token=[^ ]*' | cut -d= -f2)
python3 benches/patches.py "$port" "$link" "$secs" >"$work/writes.out" &
writer=$!
PATH_LIST="$work/tiles.txt" run -s benches/paths.lua "http://127.0.0.1:$port" >"$work/tiles-writes.out"
wait $writer
cat "$work/writes.out"

python3 - "$work/tiles.out" "$work/health.out" "$work/tiles-writes.out" "$work/near.out" <<'PY'
import re, sys
def parse(path):
    t = open(path).read()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
    def pct(p):
        v, unit = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)", t).groups()
        return float(v) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", t)
    return rps, pct(50), pct(99), int(errors.group(1)) if errors else 0
tiles, health, writes, near = (parse(a) for a in sys.argv[1:5])
print("| requests | per second | p50 | p99 | non-2xx |")
print("|---|---:|---:|---:|---:|")
rows = (("tiles (fixed list)", tiles), ("/tiles.json (baseline)", health),
        ("tiles under 20 PATCH/s", writes), ("nearest k=10 (200 places)", near))
for name, (rps, p50, p99, err) in rows:
    print(f"| {name} | {rps:,.0f} | {p50:.2f} ms | {p99:.2f} ms | {err} |")
print(f"\ntiles/s = {tiles[0] / health[0]:.2f} x the baseline; p99 = {tiles[2] / health[2]:.1f} x the baseline's")
print(f"tiles/s under writes = {writes[0] / tiles[0]:.2f} x without; p50 = {writes[1] / tiles[1]:.1f} x")
print(f"nearest/s = {near[0] / health[0]:.2f} x the baseline")
PY

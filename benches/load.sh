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
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
./target/release/bussola serve --addr "127.0.0.1:$port" --data-dir "$work/data" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.2; done

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
cat >"$work/tiles.lua" <<'LUA'
local paths = {}
for line in io.lines(os.getenv("TILE_LIST")) do paths[#paths + 1] = line end
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i], { ["Accept-Encoding"] = "gzip" })
end
LUA
run() { wrk -t2 -c"$conns" -d"${secs}s" --latency "$@"; }
TILE_LIST="$work/tiles.txt" run -s "$work/tiles.lua" "http://127.0.0.1:$port" >"$work/tiles.out"
run "http://127.0.0.1:$port/tiles.json" >"$work/health.out"

# The write stream: an admin account (login link from the CLI, on the server's database), a
# session, and 20 PATCH/s alternating one service's capacity for as long as wrk runs.
link=$(./target/release/bussola user add --email load@example.org --role admin \
  --data-dir "$work/data" --host "127.0.0.1:$port" | grep -o 'token=[^ ]*' | cut -d= -f2)
session=$(curl -fs -X POST "http://127.0.0.1:$port/api/login" -H 'content-type: application/json' \
  -d "{\"token\": \"$link\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
python3 - "$port" "$session" "$secs" >"$work/writes.out" <<'PY' &
import json, sys, time, urllib.request
port, token, secs = sys.argv[1], sys.argv[2], float(sys.argv[3])
svc = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/api/services?limit=1"))["features"][0]["properties"]["id"]
start, n, failed = time.monotonic(), 0, 0
while time.monotonic() - start < secs:
    body = json.dumps({"capacity": 30 + n % 2}).encode()
    req = urllib.request.Request(f"http://127.0.0.1:{port}/api/services/{svc}", data=body, method="PATCH",
                                 headers={"authorization": f"Bearer {token}", "content-type": "application/json"})
    try:
        urllib.request.urlopen(req).read()
    except Exception:
        failed += 1
    n += 1
    time.sleep(max(0.0, start + n / 20 - time.monotonic()))
print(f"{n} writes ({n / (time.monotonic() - start):.1f}/s), {failed} failed")
PY
writer=$!
TILE_LIST="$work/tiles.txt" run -s "$work/tiles.lua" "http://127.0.0.1:$port" >"$work/tiles-writes.out"
wait $writer
cat "$work/writes.out"

python3 - "$work/tiles.out" "$work/health.out" "$work/tiles-writes.out" <<'PY'
import re, sys
def parse(path):
    t = open(path).read()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
    def pct(p):
        v, unit = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)", t).groups()
        return float(v) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", t)
    return rps, pct(50), pct(99), int(errors.group(1)) if errors else 0
tiles, health, writes = parse(sys.argv[1]), parse(sys.argv[2]), parse(sys.argv[3])
print("| requests | per second | p50 | p99 | non-2xx |")
print("|---|---:|---:|---:|---:|")
rows = (("tiles (fixed list)", tiles), ("/tiles.json (baseline)", health),
        ("tiles under 20 PATCH/s", writes))
for name, (rps, p50, p99, err) in rows:
    print(f"| {name} | {rps:,.0f} | {p50:.2f} ms | {p99:.2f} ms | {err} |")
print(f"\ntiles/s = {tiles[0] / health[0]:.2f} x the baseline; p99 = {tiles[2] / health[2]:.1f} x the baseline's")
print(f"tiles/s under writes = {writes[0] / tiles[0]:.2f} x without; p50 = {writes[1] / tiles[1]:.1f} x")
PY

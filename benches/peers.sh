#!/usr/bin/env bash
# Nearest search against a peer: Bússola's /api/nearest over HTTP (k=10, GeoJSON, gzip) and
# PostGIS's KNN operator on the same services (k=10, ids only, no HTTP: pgbench), on
# loopback, same machine, same run; prints both rates and their ratio.
#
# The services: N synthetic ones spread evenly over mainland Portugal (seed 42; `cargo bench
# --bench scale` makes them), in a Bússola database that PostgreSQL/PostGIS then loads from
# Bússola's own CSV export. PostgreSQL (apt, with PostGIS) runs from a throwaway cluster
# tuned as the issue measured it: jit off, no parallel workers.
#
# Not (yet) here: the tile comparison with Martin.
# Usage: benches/peers.sh [services=100000] [seconds=10] [connections=8]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
secs=${2:-10}
conns=${3:-8}
port=18090
pgport=15432
need=()
command -v wrk >/dev/null || need+=(wrk)
[ -x /usr/lib/postgresql/15/bin/postgres ] || need+=(postgresql-15)
[ -e /usr/share/postgresql/15/extension/postgis.control ] || need+=(postgresql-15-postgis-3)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
pgbin=/usr/lib/postgresql/15/bin
cargo build --release -q
work=$(mktemp -d)
chmod 755 "$work"
server=
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  [ -d "$work/pg" ] && runuser -u postgres -- "$pgbin/pg_ctl" -D "$work/pg" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# The same services for both.
cargo bench -q --bench scale -- seed "$work/b.sqlite" "$n" >/dev/null
demo=tests/data/demo-alentejo-central/region.toml
./target/release/bussola export --region "$demo" --database "$work/b.sqlite" --format csv --out "$work/s.csv"
python3 - "$work/s.csv" "$work/pg.csv" <<'PY'
import csv, sys
rows = csv.DictReader(open(sys.argv[1], newline=""))
with open(sys.argv[2], "w", newline="") as out:
    w = csv.writer(out)
    for r in rows:
        w.writerow([r["id"], r["lon"], r["lat"]])
PY
echo "$(($(wc -l <"$work/pg.csv"))) services in both"

# Bússola, serving that database.
./target/release/bussola serve --addr "127.0.0.1:$port" --region "$demo" \
  --database "$work/b.sqlite" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 600); do curl -fs "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.1; done

# PostgreSQL/PostGIS in a throwaway cluster.
mkdir -p "$work/pg" && chown postgres "$work/pg"
runuser -u postgres -- "$pgbin/initdb" -D "$work/pg" -A trust >/dev/null
runuser -u postgres -- "$pgbin/pg_ctl" -D "$work/pg" -l "$work/pg/log" -w \
  -o "-p $pgport -k $work/pg -c jit=off -c max_parallel_workers_per_gather=0 -c shared_buffers=256MB" start >/dev/null
psql_() { runuser -u postgres -- psql -h "$work/pg" -p "$pgport" -q -v ON_ERROR_STOP=1 "$@"; }
chmod 644 "$work/pg.csv"
psql_ -c "CREATE EXTENSION postgis" \
  -c "CREATE TABLE s (id text PRIMARY KEY, lon float8, lat float8)" \
  -c "\\copy s FROM '$work/pg.csv' CSV" \
  -c "ALTER TABLE s ADD COLUMN geom geography(Point, 4326)" \
  -c "UPDATE s SET geom = ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography" \
  -c "CREATE INDEX s_geom ON s USING gist (geom)" \
  -c "VACUUM ANALYZE s"

# The same kind of places for both: uniform over the services' box.
cat >"$work/knn.sql" <<'SQL'
\set x random(0, 3300000)
\set y random(0, 5100000)
SELECT id FROM s ORDER BY geom <-> ST_SetSRID(ST_MakePoint(-9.5 + :x / 1000000.0, 37.0 + :y / 1000000.0), 4326)::geography LIMIT 10;
SQL
runuser -u postgres -- "$pgbin/pgbench" -h "$work/pg" -p "$pgport" -n -c "$conns" -j 2 -T "$secs" \
  -f "$work/knn.sql" postgres >"$work/pgbench.out"
python3 - "$work/near.txt" <<'PY'
import random, sys
r = random.Random(7)
open(sys.argv[1], "w").write("".join(
    f"/api/nearest?lon={-9.5 + 3.3 * r.random():.5f}&lat={37.0 + 5.1 * r.random():.5f}&k=10\n"
    for _ in range(1000)))
PY
PATH_LIST="$work/near.txt" wrk -t2 -c"$conns" -d"${secs}s" -s benches/paths.lua \
  "http://127.0.0.1:$port" >"$work/wrk.out"
python3 - "$work/wrk.out" "$work/pgbench.out" "$n" <<'PY'
import re, sys
ours = float(re.search(r"Requests/sec:\s+([\d.]+)", open(sys.argv[1]).read()).group(1))
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", open(sys.argv[1]).read())
theirs = float(re.search(r"tps = ([\d.]+)", open(sys.argv[2]).read()).group(1))
print(f"| nearest k=10, {int(sys.argv[3]):,} services | per second |")
print("|---|---:|")
print(f"| Bússola /api/nearest (HTTP, GeoJSON, gzip) | {ours:,.0f} |")
print(f"| PostGIS KNN (pgbench, ids only, no HTTP) | {theirs:,.0f} |")
print(f"\nBússola / PostGIS = {ours / theirs:.2f}x" + (f" ({errors.group(1)} non-2xx)" if errors else ""))
PY

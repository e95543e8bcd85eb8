"""GDAL's OAPIF driver against a running server: every collection read in full with ogr2ogr,
a bounding box forwarded to the server (ogr2ogr -spat), and TM06 coordinates (crs=EPSG:3763)
compared with PROJ's cs2cs. Usage: gdal_client.py BASE_URL WORKDIR"""
import json
import os
import subprocess
import sys
import urllib.parse

from common import base, get_json, report

BBOX = (-8.0, 38.5, -7.8, 38.65)  # around Évora
TM06 = "http://www.opengis.net/def/crs/EPSG/0/3763"


def ogr2ogr(out, layer, *extra):
    """Copies a layer to GeoJSON; its features, and the URLs GDAL fetched (from --debug)."""
    cmd = ["ogr2ogr", "--debug", "on", "-f", "GeoJSON", out, f"OAPIF:{base()}/ogc", layer, *extra]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed: {done.stderr}")
    fetched = [l.split("Fetch(", 1)[1].rstrip(")") for l in done.stderr.splitlines()
               if "HTTP: Fetch(" in l]
    with open(out, encoding="utf-8") as f:
        return json.load(f)["features"], fetched


def ogrinfo_layers():
    done = subprocess.run(["ogrinfo", "-ro", "-q", f"OAPIF:{base()}/ogc"],
                          capture_output=True, text=True, timeout=120, check=True)
    # "1: services (Point)" -> "services"
    return [line.split(":", 1)[1].split("(")[0].strip()
            for line in done.stdout.splitlines() if ":" in line]


def listing_ids(bbox):
    """Every service /api/services returns for a box, following its next links."""
    url = f"{base()}/api/services?bbox={','.join(map(str, bbox))}&limit=100"
    ids = []
    while url:
        page = get_json(url)
        ids += [f["id"] for f in page["features"]]
        url = next((l["href"] for l in page.get("links", []) if l["rel"] == "next"), None)
    return ids


def main():
    work = sys.argv[2]
    result = {"layers": ogrinfo_layers(), "counts": {}}
    for layer in result["layers"]:
        feats, _ = ogr2ogr(os.path.join(work, f"{layer}.geojson"), layer)
        result["counts"][layer] = len(feats)
        result.setdefault("ids", {})[layer] = len({f["properties"].get("id") or f["properties"].get("code") for f in feats})
    spat, fetched = ogr2ogr(os.path.join(work, "bbox.geojson"), "services", "-spat", *map(str, BBOX))
    result["bbox_forwarded"] = any("/items?" in u and "bbox=" in u for u in fetched)
    result["bbox_gdal"] = sorted(f["properties"]["id"] for f in spat)
    result["bbox_listing"] = sorted(listing_ids(BBOX))
    # TM06: the server's coordinates against PROJ's for the same services.
    q = urllib.parse.urlencode({"limit": 50, "crs": TM06})
    tm = get_json(f"{base()}/ogc/collections/services/items?{q}")
    wgs = get_json(f"{base()}/ogc/collections/services/items?limit=50")
    lines = "".join(f"{f['geometry']['coordinates'][1]} {f['geometry']['coordinates'][0]}\n"
                    for f in wgs["features"])
    done = subprocess.run(["cs2cs", "-f", "%.4f", "EPSG:4326", "EPSG:3763"], input=lines,
                          capture_output=True, text=True, check=True)
    proj = [tuple(map(float, l.split()[:2])) for l in done.stdout.splitlines()]
    served = [tuple(f["geometry"]["coordinates"]) for f in tm["features"]]
    assert [f["id"] for f in tm["features"]] == [f["id"] for f in wgs["features"]]
    result["tm06_points"] = len(served)
    result["tm06_max_diff_m"] = max(max(abs(a[0] - b[0]), abs(a[1] - b[1]))
                                    for a, b in zip(served, proj))
    report(result)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""A write stream for benches/load.sh and benches/peers.sh: logs in with a login link's token
(an admin's, from `bussola user add`), then sends 20 PATCH/s for SECS seconds, each
alternating one care home's capacity (so every write changes the data and the indicators).
Prints how many were sent and refused.

    patches.py PORT LINK_TOKEN SECS
"""
import json
import sys
import time
import urllib.error
import urllib.request

port, link, secs = sys.argv[1], sys.argv[2], float(sys.argv[3])
login = urllib.request.Request(f"http://127.0.0.1:{port}/api/login", method="POST",
                               data=json.dumps({"token": link}).encode(),
                               headers={"content-type": "application/json"})
token = json.load(urllib.request.urlopen(login))["token"]
one = json.load(urllib.request.urlopen(
    f"http://127.0.0.1:{port}/api/services?type=ERPI&limit=1"))["features"][0]["properties"]
svc, cap = one["id"], max(one["capacity"] or 0, one["users"] or 0, 10)
start, n, failed, why, took = time.monotonic(), 0, 0, {}, []
while time.monotonic() - start < secs:
    body = json.dumps({"capacity": cap + n % 2}).encode()
    # One address may write 1/s after a burst of 30; the writes come as from 250 addresses
    # behind a local proxy (the server runs with --trusted-proxy 127.0.0.1).
    req = urllib.request.Request(f"http://127.0.0.1:{port}/api/services/{svc}", data=body, method="PATCH",
                                 headers={"authorization": f"Bearer {token}", "content-type": "application/json",
                                          "x-forwarded-for": f"10.0.0.{n % 250}"})
    t0 = time.monotonic()
    try:
        urllib.request.urlopen(req).read()
    except urllib.error.HTTPError as e:
        failed += 1
        why.setdefault(e.code, e.read().decode()[:120])
    took.append(time.monotonic() - t0)
    n += 1
    time.sleep(max(0.0, start + n / 20 - time.monotonic()))
took.sort()
print(f"{n} writes ({n / (time.monotonic() - start):.1f}/s; one at a time, median {took[len(took) // 2] * 1000:.0f} ms), "
      f"{failed} refused: {why}")

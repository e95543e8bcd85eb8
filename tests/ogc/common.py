"""Shared by the OGC client scripts: the server's address and plain JSON reads (urllib only)."""
import json
import sys
import urllib.request


def base():
    """The server's root URL, from the first argument (http://127.0.0.1:PORT)."""
    return sys.argv[1].rstrip("/")


def get_json(url):
    """GETs a URL asking for JSON and parses the answer."""
    req = urllib.request.Request(url, headers={"Accept": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as res:
        return json.load(res)


def report(result):
    """Prints the script's findings as one JSON line (the Rust test reads it)."""
    print("RESULT " + json.dumps(result, sort_keys=True))

"""The OGC paths' OpenAPI fragment (src/api/openapi/ogc.yaml) is valid OpenAPI 3.0 once made a
document, and names every /ogc route the router serves. Usage: fragment_check.py FRAGMENT
ROUTES... (the router's /ogc paths, `{id}`-style parameters)."""
import re
import sys

import yaml
from openapi_spec_validator import validate

from common import report


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        fragment = yaml.safe_load(f)
    assert set(fragment) <= {"paths", "components", "tags"}, f"top-level keys: {sorted(fragment)}"
    doc = {"openapi": "3.0.3", "info": {"title": "Bússola OGC API – Features", "version": "1"}, **fragment}
    validate(doc)

    def shape(path):
        return re.sub(r"\{[^}]*\}", "{}", path)

    documented = {shape(p) for p in fragment["paths"]}
    served = {shape(p) for p in sys.argv[2:]}
    report({"valid": True, "missing": sorted(served - documented), "extra": sorted(documented - served),
            "paths": len(documented)})


if __name__ == "__main__":
    main()

"""QGIS's OAPIF provider (the "WFS / OGC API – Features" data source), headless, against a
running server: every collection opened as a layer, its features counted and iterated.
Usage (Debian's python3 with python3-qgis): qgis_client.py BASE_URL [FRAGMENT.yaml]

QGIS will not open a layer without the API definition the landing page's `service-desc` names
(`/openapi.json`). Given FRAGMENT (the OGC paths' OpenAPI fragment), for a server that does not
serve the whole document yet, QGIS reads the fragment, as a document, in its place."""
import json
import os
import sys
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("XDG_RUNTIME_DIR", tempfile.mkdtemp())  # private (0700), as Qt wants

from qgis.core import QgsApplication, QgsVectorLayer  # noqa: E402

from common import base, get_json, report  # noqa: E402


def stand_in(fragment):
    """Answers requests for BASE/openapi.json with FRAGMENT made a whole OpenAPI document."""
    import yaml
    from qgis.core import QgsNetworkAccessManager
    from qgis.PyQt.QtCore import QUrl

    with open(fragment, encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    doc = {"openapi": "3.0.3", "info": {"title": "Bússola OGC API – Features", "version": "1"}, **doc}
    out = os.path.join(tempfile.mkdtemp(), "openapi.json")
    with open(out, "w", encoding="utf-8") as f:
        json.dump(doc, f)
    wanted = f"{base()}/openapi.json"

    def redirect(request):
        if request.url().toString() == wanted:
            request.setUrl(QUrl.fromLocalFile(out))

    QgsNetworkAccessManager.setRequestPreprocessor(redirect)


def main():
    app = QgsApplication([], False)
    app.initQgis()
    if len(sys.argv) > 2:
        stand_in(sys.argv[2])
    result = {"valid": {}, "count": {}, "iterated": {}}
    for c in get_json(f"{base()}/ogc/collections")["collections"]:
        cid = c["id"]
        uri = f"url='{base()}/ogc' typename='{cid}' pagingEnabled='true' preferCoordinatesForWfsT11='false'"
        layer = QgsVectorLayer(uri, cid, "OAPIF")
        result["valid"][cid] = layer.isValid()
        if not layer.isValid():
            result.setdefault("errors", {})[cid] = layer.error().summary()
            continue
        result["count"][cid] = layer.featureCount()
        result["iterated"][cid] = sum(1 for _ in layer.getFeatures())
        if cid == "services":
            result["crs"] = layer.crs().authid()
            ext = layer.extent()
            result["extent"] = [ext.xMinimum(), ext.yMinimum(), ext.xMaximum(), ext.yMaximum()]
        del layer
    report(result)
    sys.stdout.flush()
    # QGIS 3.22's teardown (exitQgis) can crash headless after network layers: the findings are
    # out, so leave without it.
    os._exit(0)


if __name__ == "__main__":
    main()

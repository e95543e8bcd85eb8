"""QGIS's OAPIF provider (the "WFS / OGC API – Features" data source), headless, against a
running server: every collection opened as a layer, its features counted and iterated.
Usage (Debian's python3 with python3-qgis): qgis_client.py BASE_URL"""
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import QgsApplication, QgsVectorLayer  # noqa: E402

from common import base, get_json, report  # noqa: E402


def main():
    app = QgsApplication([], False)
    app.initQgis()
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
    app.exitQgis()
    report(result)


if __name__ == "__main__":
    main()

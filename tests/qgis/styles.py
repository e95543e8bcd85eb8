"""QGIS reads the served styles (issue #15): every colour of the coverage and gap maps survives
QGIS's MapLibre style converter, and the no-places hatch comes from the server's sprite.

Usage: QT_QPA_PLATFORM=offscreen /usr/bin/python3 tests/qgis/styles.py http://HOST:PORT
Prints one JSON object: per style, the converter's warnings and the colours of its fill rules.
"""
import json
import sys
import urllib.request

from qgis.core import (QgsApplication, QgsMapBoxGlStyleConversionContext,
                       QgsMapBoxGlStyleConverter)
from qgis.PyQt.QtGui import QImage

base = sys.argv[1].rstrip("/")


def get(path):
    with urllib.request.urlopen(base + path) as r:
        return r.read()


app = QgsApplication([], False)
app.initQgis()
out = {}
for name in ["coverage", "gaps", "services"]:
    for variant in ["maplibre", "qgis"]:
        style = json.loads(get(f"/styles/{name}.json?variant={variant}"))
        ctx = QgsMapBoxGlStyleConversionContext()
        sprite = style.get("sprite")
        if sprite:
            image = QImage()
            image.loadFromData(urllib.request.urlopen(sprite + ".png").read())
            ctx.setSprites(image, json.loads(urllib.request.urlopen(sprite + ".json").read()))
        conv = QgsMapBoxGlStyleConverter()
        conv.convert(style, ctx)
        fills = {}
        patterns = []
        renderer = conv.renderer()
        for st in renderer.styles() if renderer else []:
            sym = st.symbol()
            if sym is None or st.geometryType() != 2:
                continue
            kinds = [sym.symbolLayer(i).layerType() for i in range(sym.symbolLayerCount())]
            if "RasterFill" in kinds:
                patterns.append(st.styleName())
            else:
                fills[st.styleName()] = sym.color().name()
        out[f"{name}/{variant}"] = {"warnings": list(conv.warnings()), "fills": fills,
                                    "patterns": patterns}
print(json.dumps(out))
app.exitQgis()

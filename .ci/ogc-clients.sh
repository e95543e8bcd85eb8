#!/usr/bin/env bash
# The independent OGC API – Features clients the tests in tests/it/ogc_clients.rs drive against a
# running server (see docs/api/ogc.md):
#   gdal-bin       ogrinfo / ogr2ogr with GDAL's OAPIF driver
#   python3-qgis   QGIS's Python bindings (the OAPIF provider), run headless
#   proj-bin       cs2cs, the PROJ reference for EPSG:3763
#   python3-venv   for the OWSLib venv
#   python3-yaml   reads the OpenAPI fragment (tests/ogc/qgis_client.py)
# and from PyPI, in a venv (target/ogc-venv, beside the build; --system-site-packages so the
# same interpreter also sees the apt-installed packages): OWSLib, and openapi-spec-validator
# for the OGC paths' OpenAPI fragment.
# Idempotent: installs only what is missing. About 170 packages, 760 MB installed, the first
# time (QGIS's libraries); nothing on later runs.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(gdal-bin python3-qgis proj-bin python3-venv python3-yaml)
missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  echo "ogc-clients: installed ${missing[*]}"
fi

# Debian's own interpreter: python3-qgis is built for it (not for a pyenv or other python3).
venv="${OGC_VENV:-target/ogc-venv}"
if [ ! -x "$venv/bin/python" ] \
  || ! "$venv/bin/python" -c 'import owslib.ogcapi.features, openapi_spec_validator' 2>/dev/null; then
  /usr/bin/python3 -m venv --system-site-packages "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check 'OWSLib>=0.29,<1' \
    'openapi-spec-validator>=0.7,<1'
  echo "ogc-clients: OWSLib and openapi-spec-validator in $venv"
fi
ogrinfo --version
"$venv/bin/python" -c 'import owslib; print("OWSLib", owslib.__version__)'

#!/usr/bin/env bash
# Installs the Frictionless Data validator (`frictionless`, from PyPI) in target/frictionless-venv,
# for the test `datapackage::the_package_validates_with_frictionless`, which downloads the data
# package (GET /api/datapackage.zip) and runs `frictionless validate` on it. Idempotent: a
# second run installs nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=("frictionless==5.21.0")
VENV="target/frictionless-venv"
STAMP="$VENV/.installed"
if [ -x "$VENV/bin/frictionless" ] && [ "$(cat "$STAMP" 2>/dev/null)" = "${PACKAGES[*]}" ]; then
  echo "frictionless: installed (${PACKAGES[*]})"
  exit 0
fi
python3 -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "${PACKAGES[@]}"
echo "${PACKAGES[*]}" > "$STAMP"
echo "frictionless: installed in $VENV (${PACKAGES[*]})"

#!/usr/bin/env bash
# Installs openapi-spec-validator (PyPI) in target/openapi-venv, for the test
# `cargo test --test it openapi::openapi_spec_validator_passes`, which validates the served
# document (/openapi.json) with it. Idempotent: a second run installs nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION="0.9.0"
VENV="target/openapi-venv"
if [ -x "$VENV/bin/openapi-spec-validator" ] \
  && "$VENV/bin/python" -m pip show openapi-spec-validator 2>/dev/null | grep -qx "Version: $VERSION"; then
  echo "openapi-spec-validator $VERSION: installed"
  exit 0
fi
python3 -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "openapi-spec-validator==$VERSION"
echo "openapi-spec-validator $VERSION: installed in $VENV"

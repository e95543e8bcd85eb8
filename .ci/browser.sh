#!/usr/bin/env bash
# Browser checks of the map page: installs Chromium (Debian) when missing, poppler-utils and
# zbar-tools (pdftotext, zbarimg: the printed sheet's checks), the page's and the tests' npm
# packages, validates both MapLibre styles, then runs the browser tests against a
# server that is ALREADY RUNNING at $BUSSOLA_URL (default http://127.0.0.1:8090). Idempotent.
# With --setup it stops after the styles: `cargo test` then runs the browser tests itself
# (tests/browser.rs starts a server), which is what CI does.
#
# By hand:
#   cargo run --release -- serve --addr 127.0.0.1:8090 &        # or any running server
#   bash .ci/browser.sh                                          # everything below
#   # or step by step:
#   npm ci --prefix web && npm ci --prefix tests/browser
#   tests/browser/node_modules/.bin/gl-style-validate styles/services.json
#   BUSSOLA_URL=http://127.0.0.1:8090 node --test --test-concurrency=1 tests/browser/
#   # screenshots: target/browser-artifacts/*.png
set -euo pipefail
cd "$(dirname "$0")/.."

BUSSOLA_URL="${BUSSOLA_URL:-http://127.0.0.1:8090}"
export BUSSOLA_URL
export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"

echo "== chromium"
if [ ! -x "$CHROMIUM" ]; then
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium
fi
"$CHROMIUM" --version 2>/dev/null | grep -v '^\[' || true

echo "== poppler-utils and zbar-tools (the sheet to hand over: its PDF's text and its QR code)"
if ! command -v pdftotext >/dev/null || ! command -v zbarimg >/dev/null; then
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq poppler-utils zbar-tools
fi

echo "== gdb (a browser test file that hangs is reported with the servers' stacks)"
if ! command -v gdb >/dev/null; then
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq gdb
fi

echo "== npm packages (web/, tests/browser/)"
npm ci --prefix web --no-audit --no-fund
npm ci --prefix tests/browser --no-audit --no-fund

echo "== styles: MapLibre's validator"
validate="tests/browser/node_modules/.bin/gl-style-validate"
for style in styles/*.json; do
  "$validate" "$style"
  echo "valid: $style"
done

if [ "${1:-}" = "--setup" ]; then
  exit 0
fi

echo "== browser tests against $BUSSOLA_URL"
if ! node -e 'fetch(process.argv[1] + "/health", { signal: AbortSignal.timeout(10000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$BUSSOLA_URL"; then
  echo "no Bússola server answers at $BUSSOLA_URL/health; start one first, e.g." >&2
  echo "  cargo run --release -- serve --addr 127.0.0.1:8090" >&2
  exit 1
fi
mkdir -p target/browser-artifacts
node --test --test-concurrency=1 --test-reporter=spec tests/browser/
echo "screenshots: $(pwd)/target/browser-artifacts/"

#!/usr/bin/env bash
# Installs feedparser (PyPI) in target/feed-venv, for the test
# `cargo test --test it news::the_feed_reads_in_feedparser`, which parses the served Atom feed
# (/feeds/news.atom) with it. Idempotent: a second run installs nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION="6.0.12"
VENV="target/feed-venv"
if [ -x "$VENV/bin/python" ] \
  && "$VENV/bin/python" -m pip show feedparser 2>/dev/null | grep -qx "Version: $VERSION"; then
  echo "feedparser $VERSION: installed"
  exit 0
fi
python3 -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "feedparser==$VERSION"
echo "feedparser $VERSION: installed in $VENV"

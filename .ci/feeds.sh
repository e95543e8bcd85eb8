#!/usr/bin/env bash
# Installs the independent readers of what the service writes in target/feed-venv: feedparser
# (the Atom feeds /feeds/news.atom and /feeds/training.atom), icalendar (an offer's .ics) and
# rdflib (an offer page's schema.org JSON-LD), for the tests `news::the_feed_reads_in_feedparser`
# and `training::independent_readers_*`. Idempotent: a second run installs nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=("feedparser==6.0.12" "icalendar==7.3.0" "rdflib==7.6.0")
VENV="target/feed-venv"
STAMP="$VENV/.installed"
if [ -x "$VENV/bin/python" ] && [ "$(cat "$STAMP" 2>/dev/null)" = "${PACKAGES[*]}" ]; then
  echo "feed readers: installed (${PACKAGES[*]})"
  exit 0
fi
python3 -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "${PACKAGES[@]}"
echo "${PACKAGES[*]}" > "$STAMP"
echo "feed readers: installed in $VENV (${PACKAGES[*]})"

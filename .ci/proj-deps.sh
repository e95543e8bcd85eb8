#!/usr/bin/env bash
# System packages needed to build bussola with `--features proj` on Debian 12.
#
# proj-sys (feature `bundled_proj`) builds PROJ 9.6 from source with CMake:
#   cmake            drives PROJ's build (the only one missing from the base image)
#   build-essential  C/C++ compilers and make
#   sqlite3          the sqlite3 CLI, which PROJ's build runs to generate proj.db
# SQLite itself comes from rusqlite's bundled libsqlite3-sys (one copy, linked once), TIFF and
# curl are disabled, and proj.db is embedded in the static library: nothing else is needed.
# Idempotent: installs only what is missing, and touches nothing when all is there.
set -euo pipefail

packages=(cmake build-essential sqlite3)

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
  echo "proj-deps: installed ${missing[*]}"
fi

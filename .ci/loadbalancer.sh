#!/usr/bin/env bash
# Installs HAProxy, the load balancer in front of the replicas in the replica tests
# (tests/it/replicas.rs) and the replica benchmark (benches/replicas.sh). Idempotent: a second
# run installs nothing.
#
# Each test writes its own HAProxy configuration to a temporary folder and runs its own haproxy
# in the foreground on a free loopback port, so nothing here is started or configured; the
# service Debian's package starts (with its default configuration, which listens nowhere) is
# stopped, so that no stray haproxy outlives the run.
set -euo pipefail

if command -v haproxy >/dev/null; then
  echo "haproxy: installed ($(haproxy -v | head -n 1))"
  exit 0
fi
echo "haproxy: installing from apt" >&2
sudo=()
[ "$(id -u)" = 0 ] || sudo=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq >&2
"${sudo[@]}" apt-get install -y -qq --no-install-recommends haproxy >&2
# Debian starts the packaged service on installation; the tests run their own.
if command -v systemctl >/dev/null && systemctl is-active --quiet haproxy 2>/dev/null; then
  "${sudo[@]}" systemctl stop haproxy >&2 || true
elif [ -x /etc/init.d/haproxy ]; then
  "${sudo[@]}" /etc/init.d/haproxy stop >&2 || true
fi
echo "haproxy: installed ($(haproxy -v | head -n 1))"

#!/usr/bin/env bash
# Read throughput through a load balancer, in one run on the shipped default region: one replica
# asked directly, the same replica behind HAProxy, and two replicas behind HAProxy, both on one
# PostgreSQL database, each measured with wrk over the lists of benches/load.sh (nearest k = 10
# from 200 places, and a fixed list of 339 tiles, repeated: from the tile caches); the ratios to
# the first, and the cores each process used meanwhile (replicas, HAProxy, PostgreSQL, wrk).
#
# The replicas and HAProxy are started by the test harness of tests/it/replicas.rs
# (tests/it/common/replicas.rs: the same HAProxy configuration as the replica tests); this
# script builds the release binary and runs the ignored test
# replicas::read_throughput_of_one_replica_and_of_two_behind_haproxy on it.
#
# Installs what is missing: wrk (apt), HAProxy (.ci/loadbalancer.sh), and starts the throwaway
# PostgreSQL cluster of .ci/postgres.sh unless BUSSOLA_TEST_POSTGRES names one.
#
# Usage: benches/replicas.sh [seconds=10] [connections=16]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
conns=${2:-16}
if ! command -v wrk >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi
bash .ci/loadbalancer.sh >&2
if [ -z "${BUSSOLA_TEST_POSTGRES:-}" ]; then
  BUSSOLA_TEST_POSTGRES="$(bash .ci/postgres.sh)"
  export BUSSOLA_TEST_POSTGRES
fi
cargo build --release -q
BUSSOLA_BIN="$PWD/target/release/bussola" BENCH_SECS="$secs" BENCH_CONNS="$conns" \
  cargo test -q --test it replicas::read_throughput_of_one_replica_and_of_two_behind_haproxy \
  -- --ignored --nocapture

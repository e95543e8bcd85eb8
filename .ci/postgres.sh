#!/usr/bin/env bash
# A throwaway PostgreSQL/PostGIS cluster for the tests of the PostgreSQL store
# (tests/it/store_conformance, tests/it/postgres_served.rs).
#
#   bash .ci/postgres.sh          installs PostgreSQL and PostGIS from apt if missing, starts
#                                 the cluster (or finds it running) and prints its admin URL as
#                                 the last line of standard output; everything else goes to
#                                 standard error
#   bash .ci/postgres.sh --stop   stops it
#
# Use:  export BUSSOLA_TEST_POSTGRES="$(bash .ci/postgres.sh)"
#
# The cluster listens on 127.0.0.1 only, on a free port from 54320 on, with a superuser role
# `bussola` (password `bussola`) that the tests use to create and drop one database per check.
# It is made for tests: fsync is off, so a crash of the machine may lose it. Its files are in
# target/pg (or, when the server's user cannot reach target/, in /tmp/bussola-pg-<hash>).
# It also takes TLS (`sslmode=verify-full`), with a server certificate for 127.0.0.1 and
# localhost signed by a test authority made here, whose certificate is target/pg/ca.pem
# (the TLS tests read it: tests/it/postgres_tls.rs).
# Run as root (CI) the server runs as the `postgres` user, since PostgreSQL refuses root.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
say() { echo "postgres.sh: $*" >&2; }

bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

# Where the cluster lives, and as whom it runs.
state="$root/target/pg"
mkdir -p "$state"
if [ "$(id -u)" = 0 ]; then
    as=(runuser -u postgres --)
else
    as=()
fi

if [ "${1:-}" = "--stop" ]; then
    bin=$(bindir)
    for data in "$state/data" "/tmp/bussola-pg-$(printf %s "$root" | cksum | cut -d' ' -f1)/data"; do
        if [ -n "$bin" ] && [ -f "$data/PG_VERSION" ]; then
            "${as[@]}" "$bin/pg_ctl" -D "$data" -m fast stop >&2 || true
        fi
    done
    rm -f "$state/url"
    exit 0
fi

# 1. The packages: the server, PostGIS and the client programs (psql, pg_dump, pg_restore).
need=()
[ -n "$(bindir)" ] && [ -x "$(bindir)/initdb" ] || need+=(postgresql)
ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1 || need+=(postgresql-postgis)
command -v pg_dump >/dev/null && command -v pg_restore >/dev/null && command -v psql >/dev/null \
    || need+=(postgresql-client)
if [ ${#need[@]} -gt 0 ]; then
    say "installing ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    # postgresql-postgis: PostGIS for Debian's default PostgreSQL (postgresql-15-postgis-3 on 12).
    apt-get install -y -qq --no-install-recommends postgresql postgresql-client \
        postgresql-postgis >&2
fi
bin=$(bindir)
[ -x "$bin/initdb" ] || { say "no initdb under /usr/lib/postgresql"; exit 1; }

# 2. The data folder, reachable by the server's user.
data="$state/data"
if [ ${#as[@]} -gt 0 ] && ! "${as[@]}" test -x "$state" 2>/dev/null; then
    data="/tmp/bussola-pg-$(printf %s "$root" | cksum | cut -d' ' -f1)/data"
fi
mkdir -p "$(dirname "$data")"
[ ${#as[@]} -eq 0 ] || chown postgres: "$(dirname "$data")"

url_of() { echo "postgres://bussola:bussola@127.0.0.1:$1/postgres"; }

# 3. Already running (a second call): print its URL.
if [ -f "$data/postmaster.pid" ] && "${as[@]}" "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    port=$(sed -n 4p "$data/postmaster.pid")
    say "running on port $port ($data)"
    url_of "$port" | tee "$state/url"
    exit 0
fi

# 4. A new cluster (once), then start it on a free port.
if [ ! -f "$data/PG_VERSION" ]; then
    say "initdb in $data"
    pw=$(mktemp)
    echo bussola >"$pw"
    chmod 644 "$pw"
    "${as[@]}" "$bin/initdb" -D "$data" -U bussola --pwfile="$pw" --auth-local=trust \
        --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >&2
    rm -f "$pw"
fi
# The test authority and the server's certificate (once), for TLS.
tls="$(dirname "$data")/tls"
if [ ! -f "$tls/server.key" ]; then
    say "making a test certificate authority and a server certificate in $tls"
    mkdir -p "$tls"
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=Bussola test CA" \
        -keyout "$tls/ca.key" -out "$tls/ca.pem" \
        -addext "basicConstraints=critical,CA:TRUE" \
        -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" \
        -keyout "$tls/server.key" -out "$tls/server.csr" 2>/dev/null
    printf '%s\n' "subjectAltName=IP:127.0.0.1,DNS:localhost" "basicConstraints=CA:FALSE" \
        "keyUsage=critical,digitalSignature,keyEncipherment" "extendedKeyUsage=serverAuth" \
        >"$tls/server.ext"
    openssl x509 -req -in "$tls/server.csr" -CA "$tls/ca.pem" -CAkey "$tls/ca.key" \
        -CAcreateserial -days 3650 -extfile "$tls/server.ext" -out "$tls/server.pem" 2>/dev/null
    chmod 600 "$tls/server.key" "$tls/ca.key"
    [ ${#as[@]} -eq 0 ] || chown -R postgres: "$tls"
fi
cp "$tls/ca.pem" "$state/ca.pem"

port=54320
while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    port=$((port + 1))
    [ "$port" -lt 54400 ] || { say "no free port in 54320-54399"; exit 1; }
done
say "starting on 127.0.0.1:$port"
# Options on one line: pg_ctl hands them to a shell.
opts="-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories='$(dirname "$data")'"
opts+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
opts+=" -c ssl=on -c ssl_cert_file='$tls/server.pem' -c ssl_key_file='$tls/server.key'"
"${as[@]}" "$bin/pg_ctl" -D "$data" -l "$(dirname "$data")/server.log" -w -t 60 start -o "$opts" >&2
url_of "$port" | tee "$state/url"

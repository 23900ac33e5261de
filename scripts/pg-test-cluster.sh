#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the test suite, on a free loopback port.
#   scripts/pg-test-cluster.sh start DIR   initdb into DIR, start, print the superuser's URL
#   scripts/pg-test-cluster.sh stop DIR    stop it and remove DIR
# Run as root, the server runs as the `postgres` user (created by Debian's package; created here
# if missing), since PostgreSQL refuses to run as root. Password authentication (scram) on TCP,
# TLS on with a self-signed certificate so sslmode=require can be tested. Exits non-zero, with
# the server's log on stderr, if the cluster cannot start: the suite then fails, never skips.
set -euo pipefail
cmd=${1:?usage: pg-test-cluster.sh start|stop DIR}
dir=${2:?usage: pg-test-cluster.sh start|stop DIR}
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [[ -z "$bindir" || ! -x "$bindir/initdb" ]]; then
  echo "pg-test-cluster: PostgreSQL server binaries not found under /usr/lib/postgresql (run scripts/install-deps.sh --test)" >&2
  exit 1
fi
as=()
if [[ $(id -u) -eq 0 ]]; then
  id -u postgres >/dev/null 2>&1 || useradd --system --user-group --home-dir /nonexistent --shell /usr/sbin/nologin postgres
  as=(runuser -u postgres --)
fi
case "$cmd" in
start)
  mkdir -p "$dir"
  chmod 700 "$dir"
  pw=academy-test-$RANDOM$RANDOM
  printf '%s\n' "$pw" >"$dir/pwfile"
  if command -v openssl >/dev/null; then
    openssl req -new -x509 -days 2 -nodes -subj "/CN=localhost" -keyout "$dir/server.key" -out "$dir/server.crt" >/dev/null 2>&1
    chmod 600 "$dir/server.key"
  fi
  [[ ${#as[@]} -gt 0 ]] && chown -R postgres: "$dir"
  "${as[@]}" "$bindir/initdb" -D "$dir/data" -U academy --pwfile="$dir/pwfile" --auth-local=scram-sha-256 \
    --auth-host=scram-sha-256 --encoding=UTF8 --locale=C >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  opts="-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir -c max_connections=800 -c shared_buffers=128MB"
  if [[ -f "$dir/server.crt" ]]; then
    opts+=" -c ssl=on -c ssl_cert_file=$dir/server.crt -c ssl_key_file=$dir/server.key"
  fi
  if ! "${as[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o "$opts" start >/dev/null; then
    cat "$dir/server.log" >&2
    exit 1
  fi
  echo "$port" >"$dir/port"
  echo "postgres://academy:$pw@127.0.0.1:$port/postgres"
  ;;
stop)
  if [[ -d "$dir/data" ]]; then
    "${as[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  ;;
*)
  echo "usage: pg-test-cluster.sh start|stop DIR" >&2
  exit 2
  ;;
esac

#!/usr/bin/env bash
# PostgreSQL backend benchmarks (issue 11 §5), side by side with PostgreSQL's own tools in one run,
# on a throw-away cluster on loopback (scripts/pg-test-cluster.sh):
#  1. answer saves at CLIENTS concurrent sessions in 10 processes, TPS and p50/p99 latency, vs
#     `pgbench -b simple-update` TPS at the same client count (target >= 50%); SAVE_MODES picks how
#     the sessions reach the server: "shared" = one connection per process, the sessions' saves
#     group-committed (as the exam hall runs), "separate" = one connection per session;
#  2. staff import of ROWS people (one event each) vs `psql \copy` of the same staff rows plus the
#     same events (target <= 1.5x);
#  3. `db copy` of an EVENTS-event SQLite store into PostgreSQL: time and peak RSS.
# Usage: Benchmarks/postgres.sh     (CLIENTS=500 ROWS=100000 EVENTS=1000000 SAVES=10 CONFIG=release
#                                   SAVE_MODES="shared separate"; ACADEMY_BIN=path uses a built binary)
set -euo pipefail
cd "$(dirname "$0")/.."
CLIENTS="${CLIENTS:-500}"; ROWS="${ROWS:-100000}"; EVENTS="${EVENTS:-1000000}"; SAVES="${SAVES:-10}"
CONFIG="${CONFIG:-release}"; SAVE_MODES="${SAVE_MODES:-shared separate}"
scripts/install-deps.sh --test >&2
if [[ -n "${ACADEMY_BIN:-}" ]]; then
  bin="$(cd "$(dirname "$ACADEMY_BIN")" && pwd)/$(basename "$ACADEMY_BIN")"
else
  swift build -c "$CONFIG" --product academy >&2
  bin="$(swift build -c "$CONFIG" --show-bin-path)/academy"
fi
work=Benchmarks/work/postgres
rm -rf "$work"; mkdir -p "$work"
pgdir=/tmp/academy-pg-bench-$$
trap 'scripts/pg-test-cluster.sh stop "$pgdir"' EXIT
admin=$(scripts/pg-test-cluster.sh start "$pgdir")
db() { echo "${admin%/postgres}/$1"; }
psqlq() { psql -X -q -v ON_ERROR_STOP=1 -At "$@"; }
now() { python3 -c 'import time; print(time.monotonic())'; }

echo "== 1. answer saves, $CLIENTS concurrent sessions x $SAVES saves" >&2
psqlq "$admin" -c "CREATE DATABASE saves"
python3 - "$CLIENTS" >"$work/staff.csv" <<'PY'
import sys
n = int(sys.argv[1])
print("badge,name,department,role")
for i in range(n): print(f"S{i:05d},人员{i},示例省/示例市/区{i % 10},officer")
PY
"$bin" --db "$(db saves)" staff import "$work/staff.csv" >&2
"$bin" --db "$(db saves)" cycle create bench --title bench --course bench --blueprint bench --opens 2020-01-01 \
  --due 2099-12-31 --unchecked >&2
per=$((CLIENTS / 10))
psqlq "$admin" -c "CREATE DATABASE pgb"
pgbench -q -i -s 10 "$(db pgb)" >/dev/null 2>&1
pgbench_out=$(pgbench -b simple-update -c "$CLIENTS" -j 2 -T 20 -n "$(db pgb)" 2>&1)
pgbench_tps=$(echo "$pgbench_out" | awk '/^tps/ {print $3; exit}')
pgbench_lat=$(echo "$pgbench_out" | awk '/latency average/ {print $4; exit}')
for mode in $SAVE_MODES; do
  flag=(); [[ $mode == shared ]] && flag=(--shared)
  start=$(now)
  pids=()
  for p in $(seq 0 9); do
    badges=$(python3 -c "print(','.join(f'S{i:05d}' for i in range($p*$per, ($p+1)*$per)))")
    "$bin" --db "$(db saves)" dev hammer --badge "$badges" --cycle bench --count "$SAVES" --answers-only "${flag[@]}" \
      >"$work/lat.$p" 2>"$work/hammer.$p" &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid"; done
  end=$(now)
  cat "$work"/lat.* >"$work/latencies"
  academy_tps=$(python3 -c "
n=sum(1 for l in open('$work/latencies') if l.strip()); print(round(n/($end-$start),1))")
  read -r p50 p99 < <(python3 -c "
v=sorted(float(l) for l in open('$work/latencies') if l.strip())
print(round(v[len(v)//2],1), round(v[int(len(v)*0.99)-1],1))")
  grouped=$(cat "$work"/hammer.* | awk '/group commit:/ {w += $3; t += $6} END {if (t) printf "%d writes in %d transactions", w, t}')
  echo "answer saves ($mode): academy ${academy_tps} saves/s (p50 ${p50} ms, p99 ${p99} ms${grouped:+; $grouped}) | pgbench simple-update ${pgbench_tps} tps (avg ${pgbench_lat} ms) | ratio $(python3 -c "print(round($academy_tps/$pgbench_tps*100,1))")%"
done

echo "== 2. staff import, $ROWS people" >&2
python3 - "$ROWS" >"$work/big.csv" <<'PY'
import sys
n = int(sys.argv[1])
print("badge,name,department,role")
for i in range(n): print(f"B{i:07d},人员{i},示例省/示例市{i % 13}/示例区{i % 7}/大队/中队{i % 5},{'officer' if i % 4 else 'assistant'}")
PY
psqlq "$admin" -c "CREATE DATABASE import1"
start=$(now); "$bin" --db "$(db import1)" staff import "$work/big.csv" >&2; end=$(now)
academy_import=$(python3 -c "print(round($end-$start,2))")
psqlq "$(db import1)" -c "\copy (SELECT id, badge, name, department, role, status, joined_ms, left_ms, event_seq FROM staff) TO '$work/staff.rows' WITH (FORMAT csv)"
psqlq "$(db import1)" -c "\copy (SELECT seq, at_ms, type, badge, cycle_id, payload, prev_hash, hash FROM events) TO '$work/events.rows' WITH (FORMAT csv)"
psqlq "$admin" -c "CREATE DATABASE import2"
psqlq "$(db import2)" -c "CREATE TABLE staff (id bigint UNIQUE, badge text COLLATE \"C\" PRIMARY KEY, name text, department text COLLATE \"C\", role text, status text, joined_ms bigint, left_ms bigint, event_seq bigint); CREATE INDEX ON staff(department, badge); CREATE TABLE events (seq bigint PRIMARY KEY, at_ms bigint, type text, badge text, cycle_id text, payload text, prev_hash text, hash text); CREATE INDEX ON events(badge); CREATE INDEX ON events(hash)"
start=$(now)
psqlq "$(db import2)" -c "BEGIN" -c "\copy staff FROM '$work/staff.rows' WITH (FORMAT csv)" -c "\copy events FROM '$work/events.rows' WITH (FORMAT csv)" -c "COMMIT"
end=$(now)
copy_import=$(python3 -c "print(round($end-$start,2))")
echo "staff import $ROWS: academy ${academy_import} s | psql \\copy rows+events ${copy_import} s | ratio $(python3 -c "print(round($academy_import/$copy_import,2))")x"

echo "== 3. db copy of a $EVENTS-event store" >&2
"$bin" --db "$work/big.sqlite" dev append-events "$EVENTS" >&2
psqlq "$admin" -c "CREATE DATABASE copied"
/usr/bin/time -f "%e %M" -o "$work/copy.time" "$bin" db copy --from "$work/big.sqlite" --to "$(db copied)" >"$work/copy.out" 2>"$work/copy.err"
read -r secs kb <"$work/copy.time"
echo "db copy $EVENTS events SQLite -> PostgreSQL (both verified with replay): ${secs} s, peak RSS $((kb / 1024)) MiB"

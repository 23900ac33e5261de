#!/usr/bin/env bash
# PostgreSQL backend benchmarks (issue 11 §4–§5), side by side with each reference tool in one run,
# on a throw-away cluster on loopback (scripts/pg-test-cluster.sh). Every figure is one whole
# process, wall seconds and peak RSS from `/usr/bin/time -f "%e %M"`; several runs → the median.
#  1. answer saves at CLIENTS concurrent sessions in 10 processes, TPS and p50/p99 latency, vs
#     `pgbench -b simple-update` TPS at the same client count (target >= 50%); SAVE_MODES picks how
#     the sessions reach the server: "shared" = one connection per process, the sessions' saves
#     group-committed (as the exam hall runs), "separate" = one connection per session;
#  2. staff import of ROWS people (one event each):
#     PostgreSQL vs `psql \copy` of the same staff rows plus the same events (target <= 1.5x);
#     SQLite vs `sqlite3` writing the same staff rows plus one event row each (target <= 1.3x);
#  3. `db copy` of an EVENTS-event SQLite store into PostgreSQL: time and peak RSS;
#  4. roster export (CSV) of PEOPLE people (dev seed: 8 lessons, 0–6 attempts each, copied to
#     PostgreSQL with `db copy`) vs `psql -c "\copy (SELECT …) TO …"` of the equivalent query (<= 1.5x);
#  5. peak RSS of roster export (CSV, XLSX), summary and report for PEOPLE and BIG people on both
#     backends (the roster streams through a cursor, so it should not grow with headcount).
# Usage: Benchmarks/postgres.sh
#   (CLIENTS=500 ROWS=100000 EVENTS=1000000 SAVES=10 PEOPLE=100000 BIG=1000000 RUNS=3; BIG=0 skips it;
#    SKIP_SAVES=1 skips 1, SKIP_IMPORT=1 skips 2 and 3, SKIP_ROSTER=1 skips 4 and 5; ACADEMY_BIN=path uses that binary instead of a release build in .build-release)
set -euo pipefail
cd "$(dirname "$0")/.."
CLIENTS="${CLIENTS:-500}"; ROWS="${ROWS:-100000}"; EVENTS="${EVENTS:-1000000}"; SAVES="${SAVES:-10}"
PEOPLE="${PEOPLE:-100000}"; BIG="${BIG:-1000000}"; RUNS="${RUNS:-3}"; SAVE_MODES="${SAVE_MODES:-shared separate}"
scripts/install-deps.sh --test >&2
if [[ -z "${ACADEMY_BIN:-}" ]]; then
  swift build -c release --scratch-path .build-release --product academy >&2
  bin="$(swift build -c release --scratch-path .build-release --show-bin-path)/academy"
else
  bin="$(cd "$(dirname "$ACADEMY_BIN")" && pwd)/$(basename "$ACADEMY_BIN")"
fi
work=Benchmarks/work/postgres
rm -rf "$work"; mkdir -p "$work"
pgdir=/tmp/academy-pg-bench-$$
trap 'scripts/pg-test-cluster.sh stop "$pgdir"' EXIT
admin=$(scripts/pg-test-cluster.sh start "$pgdir")
db() { echo "${admin%/postgres}/$1"; }
psqlq() { psql -X -q -v ON_ERROR_STOP=1 -At "$@"; }
now() { python3 -c 'import time; print(time.monotonic())'; }
export ACADEMY_LANG=en
echo "load: $(uptime)"
# timed LABEL CMD…: runs once, appends "secs kib" to $work/LABEL.t
timed() {
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/.t" "$@" >/dev/null 2>"$work/$label.err" || { cat "$work/$label.err" >&2; exit 1; }
  cat "$work/.t" >>"$work/$label.t"
}
# med LABEL: "median-seconds s, peak RSS MiB (max over runs)"
med() {
  python3 - "$work/$1.t" <<'PY'
import statistics, sys
v = [l.split() for l in open(sys.argv[1]) if l.strip()]
print(f"{statistics.median(float(a) for a, _ in v):.2f} s, peak RSS {max(int(b) for _, b in v) / 1024:.0f} MiB")
PY
}
secs() { python3 -c "import statistics,sys; print(f'{statistics.median(float(l.split()[0]) for l in open(sys.argv[1]) if l.strip()):.3f}')" "$work/$1.t"; }
ratio() { python3 -c "print(f'{$1/$2:.2f}x')"; }
# settle [DB…]: vacuum and analyze what a timed run wrote, checkpoint, and flush the page cache's
# dirty pages, so that the server's background work (autovacuum, the checkpointer) and the
# kernel's writeback of one run do not land in the next (pgbench likewise vacuums before it runs).
# On 2 cores that work slowed whichever run came next by up to a third.
settle() {
  local d
  for d in "$@"; do psqlq "$(db "$d")" -c "VACUUM ANALYZE"; done
  psqlq "$admin" -c "CHECKPOINT"
  sync
}

if [[ -z "${SKIP_SAVES:-}" ]]; then
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
fi

if [[ -z "${SKIP_IMPORT:-}" ]]; then
echo "== 2. staff import, $ROWS people, $RUNS runs each" >&2
python3 - "$ROWS" >"$work/big.csv" <<'PY'
import sys
n = int(sys.argv[1])
print("badge,name,department,role")
for i in range(n): print(f"B{i:07d},人员{i},示例省/示例市{i % 13}/示例区{i % 7}/大队/中队{i % 5},{'officer' if i % 4 else 'assistant'}")
PY
staff_ddl="CREATE TABLE staff (id bigint UNIQUE, badge text COLLATE \"C\" PRIMARY KEY, name text COLLATE \"C\", department text COLLATE \"C\", role text, status text, joined_ms bigint, left_ms bigint, event_seq bigint); CREATE INDEX ON staff(department, badge); CREATE TABLE events (seq bigint PRIMARY KEY, at_ms bigint, type text, badge text COLLATE \"C\", cycle_id text COLLATE \"C\", payload text, prev_hash text COLLATE \"C\", hash text COLLATE \"C\"); CREATE INDEX ON events(badge); CREATE INDEX ON events(hash)"
for r in $(seq 1 "$RUNS"); do
  psqlq "$admin" -c "CREATE DATABASE import_$r"
  settle
  timed pg_import "$bin" --db "$(db import_$r)" staff import "$work/big.csv"
  settle "import_$r"
  if [[ $r == 1 ]]; then
    psqlq "$(db import_1)" -c "\copy (SELECT id, badge, name, department, role, status, joined_ms, left_ms, event_seq FROM staff) TO '$work/staff.rows' WITH (FORMAT csv)"
    psqlq "$(db import_1)" -c "\copy (SELECT seq, at_ms, type, badge, cycle_id, payload, prev_hash, hash FROM events) TO '$work/events.rows' WITH (FORMAT csv)"
  fi
  psqlq "$admin" -c "CREATE DATABASE copyref_$r"
  psqlq "$(db copyref_$r)" -c "$staff_ddl"
  timed pg_copyref psql -X -q -v ON_ERROR_STOP=1 "$(db copyref_$r)" -c "BEGIN" -c "\copy staff FROM '$work/staff.rows' WITH (FORMAT csv)" \
    -c "\copy events FROM '$work/events.rows' WITH (FORMAT csv)" -c "COMMIT"
  settle "copyref_$r"
  rm -f "$work/import.sqlite"* "$work/same.sqlite"*
  timed sq_import "$bin" --db "$work/import.sqlite" staff import "$work/big.csv"
  "$bin" audit head --db "$work/same.sqlite" >/dev/null
  sync
  timed sq_ref sqlite3 "$work/same.sqlite" "PRAGMA synchronous=FULL;" ".import --csv $work/big.csv incoming" "BEGIN;" \
    "INSERT INTO events (seq, at_ms, type, badge, cycle_id, payload, prev_hash, hash) SELECT rowid, 0, 'staff.added', badge, NULL, json_object('department', department, 'line', rowid + 1, 'name', name, 'role', role, 'source', 'big.csv', 'status', 'active'), lower(hex(randomblob(32))), lower(hex(randomblob(32))) FROM incoming;" \
    "INSERT INTO staff (badge, name, department, role, status, joined_ms, left_ms, event_seq) SELECT badge, name, department, role, 'active', 0, NULL, rowid FROM incoming;" \
    "DROP TABLE incoming;" "COMMIT;"
done
echo "staff import $ROWS, PostgreSQL: academy $(med pg_import) | psql \\copy rows+events $(med pg_copyref) | ratio $(ratio "$(secs pg_import)" "$(secs pg_copyref)") (target <= 1.5x)"
echo "staff import $ROWS, SQLite:     academy $(med sq_import) | sqlite3 same rows+events $(med sq_ref) | ratio $(ratio "$(secs sq_import)" "$(secs sq_ref)") (target <= 1.3x)"

echo "== 3. db copy of a $EVENTS-event store" >&2
"$bin" --db "$work/events.sqlite" dev append-events "$EVENTS" >&2
psqlq "$admin" -c "CREATE DATABASE copied"
timed dbcopy "$bin" db copy --from "$work/events.sqlite" --to "$(db copied)"
echo "db copy $EVENTS events SQLite -> PostgreSQL (both verified with replay): $(med dbcopy)"
fi

if [[ -z "${SKIP_ROSTER:-}" ]]; then
# A seeded population on both backends: SQLite file, copied to PostgreSQL.
# SEEDS=DIR keeps the seeded SQLite files there (NAME-PEOPLE-ATTEMPTS-LESSONS.sqlite) and reuses them.
seed() { # seed NAME PEOPLE ATTEMPTS LESSONS
  local f="$work/$1.sqlite" kept="${SEEDS:-}/$1-$2-$3-$4.sqlite"
  if [[ -n "${SEEDS:-}" && -s "$kept" ]]; then
    cp "$kept" "$f"
  else
    "$bin" dev seed --db "$f" --people "$2" --attempts "$3" --lessons "$4" --cycle synthetic >&2
    "$bin" spotcheck draw --db "$f" --cycle synthetic --percent 5 --seed 2018 >/dev/null
    if [[ -n "${SEEDS:-}" ]]; then mkdir -p "$SEEDS"; cp "$f" "$kept"; fi
  fi
  psqlq "$admin" -c "CREATE DATABASE $1"
  timed "copy_$1" "$bin" db copy --from "$f" --to "$(db "$1")"
  echo "  seeded $1: $2 people, $("$bin" audit head --db "$f" | head -1); db copy to PostgreSQL $(med "copy_$1")" >&2
}
common=(--cycle synthetic --assume-lessons 8 --assume-max-attempts 6)

echo "== 4. roster export, $PEOPLE people, $RUNS runs" >&2
seed roster "$PEOPLE" 6 8
roster_sql="SELECT s.badge, s.name, s.department, s.role, CASE WHEN e.reason IS NOT NULL THEN 'exempt' WHEN a.best_passed = 1 AND coalesce(p.done, 0) >= 8 THEN 'completed' WHEN a.n >= 6 AND coalesce(a.best_passed, 0) = 0 THEN 'failed' WHEN a.best_passed = 1 THEN 'passed' WHEN p.done IS NULL AND a.n IS NULL THEN 'not_started' ELSE 'studying' END AS status, coalesce(p.done, 0) AS lessons_done, 8 AS lessons_total, coalesce(a.n, 0) AS attempts_used, a.best AS score, a.maxs AS max_score, CASE a.best_passed WHEN 1 THEN 'passed' WHEN 0 THEN 'not passed' END AS passed, CASE WHEN a.best_passed = 1 AND coalesce(p.done, 0) >= 8 THEN to_char(to_timestamp(greatest(p.last, a.pass_ms) / 1000), 'YYYY-MM-DD') END AS completed_on, e.reason AS exemption_reason, CASE WHEN EXISTS (SELECT 1 FROM spot_check_selections x WHERE x.badge = s.badge AND x.cycle_id = 'synthetic') THEN 'yes' END AS spot_check FROM staff s LEFT JOIN (SELECT badge, count(*) AS done, max(finished_ms) AS last FROM progress WHERE cycle_id = 'synthetic' GROUP BY badge) p ON p.badge = s.badge LEFT JOIN (SELECT badge, count(*) AS n, max(score) AS best, max(max_score) AS maxs, max(passed) AS best_passed, min(CASE WHEN passed = 1 THEN submitted_ms END) AS pass_ms FROM attempts WHERE cycle_id = 'synthetic' GROUP BY badge) a ON a.badge = s.badge LEFT JOIN exemptions e ON e.badge = s.badge AND e.cycle_id = 'synthetic' WHERE s.status = 'active' ORDER BY s.department, s.badge"
for r in $(seq 1 "$RUNS"); do
  timed pg_export "$bin" roster export --db "$(db roster)" "${common[@]}" --format csv -o "$work/roster-pg.csv"
  timed pg_export_ref psql -X -q -v ON_ERROR_STOP=1 "$(db roster)" -c "\copy ($roster_sql) TO '$work/roster-psql.csv' WITH (FORMAT csv, HEADER)"
done
echo "roster export $PEOPLE (CSV), PostgreSQL: academy $(med pg_export) ($(($(wc -l <"$work/roster-pg.csv") - 2)) rows) | psql \\copy (SELECT …) $(med pg_export_ref) ($(($(wc -l <"$work/roster-psql.csv") - 1)) rows) | ratio $(ratio "$(secs pg_export)" "$(secs pg_export_ref)") (target <= 1.5x)"

echo "== 5. peak RSS of roster outputs, $PEOPLE and $BIG people, both backends" >&2
sizes=("roster:$PEOPLE")
if [[ "$BIG" != 0 ]]; then
  # The big population is lighter per person (BIG_ATTEMPTS=0 attempts, BIG_LESSONS=1 lesson by default) to keep
  # seeding and copying within minutes; the 100,000 set has the full profile.
  seed big "$BIG" "${BIG_ATTEMPTS:-0}" "${BIG_LESSONS:-1}"
  sizes+=("big:$BIG")
fi
for entry in "${sizes[@]}"; do
  name=${entry%%:*}; n=${entry#*:}
  for backend in sqlite postgres; do
    if [[ $backend == sqlite ]]; then target="$work/$name.sqlite"; else target="$(db "$name")"; fi
    t="$backend-$name"
    timed "$t-csv" "$bin" roster export --db "$target" "${common[@]}" --format csv -o "$work/$t.csv"
    timed "$t-xlsx" "$bin" roster export --db "$target" "${common[@]}" --format xlsx -o "$work/$t.xlsx"
    timed "$t-summary" "$bin" roster summary --db "$target" "${common[@]}"
    timed "$t-report" "$bin" roster report --db "$target" "${common[@]}" -o "$work/$t.html"
    echo "$n people, $backend: export CSV $(med "$t-csv") | XLSX $(med "$t-xlsx") | summary $(med "$t-summary") | report $(med "$t-report")"
    rm -f "$work/$t.csv" "$work/$t.xlsx" "$work/$t.html"
  done
done
fi
echo "load: $(uptime)"

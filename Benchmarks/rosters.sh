#!/usr/bin/env bash
# Rosters benchmark (issue 5 §6). Release build; figures go into docs/performance.md "## Rosters".
#   Database: `academy dev seed` (the records helper's generator, same schema and events as real
#   use): PEOPLE staff, 8 required lessons, 0–6 graded attempts each (≈3 per person → ≈300,000
#   attempts for 100,000 people).
#   1. CSV: `academy roster export --format csv -o FILE` against `sqlite3 -csv` running the
#      equivalent SELECT (population, lesson counts, attempt aggregates, exemptions, spot checks,
#      status by CASE) on the same file into a file; whole process, median of RUNS, ratio.
#   2. XLSX: `academy roster export --format xlsx -o FILE`: median time and peak RSS.
#   3. JSON, `roster report` (HTML with its annexes) and `roster certificates` (one per completed
#      person, with the completion event's hash): median time and peak RSS, for reference.
# Usage: Benchmarks/rosters.sh [RUNS] [PEOPLE]     (defaults 5 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
PEOPLE=${2:-100000}
command -v sqlite3 >/dev/null || { echo "sqlite3 CLI is required (apt-get install sqlite3)" >&2; exit 2; }

# ACADEMY_BIN=path uses an already built release binary instead of building one.
if [ -z "${ACADEMY_BIN:-}" ]; then
  swift build -c release --product academy >&2
  BIN="$(swift build -c release --show-bin-path)/academy"
else
  BIN=$ACADEMY_BIN
fi
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
# ROSTERS_DB=path keeps the seeded database between runs (seeded on first use).
DB=${ROSTERS_DB:-$WORK/academy.sqlite}
if [ ! -s "$DB" ]; then
  echo "seeding $PEOPLE people …" >&2
  "$BIN" dev seed --db "$DB" --people "$PEOPLE" --attempts 6 --lessons 8 --cycle synthetic >&2
  "$BIN" spotcheck draw --db "$DB" --cycle synthetic --percent 5 --seed 2018 >/dev/null
fi

cat > "$WORK/roster.sql" <<'SQL'
.headers on
.mode csv
.output OUTFILE
SELECT s.badge, s.name, s.department, s.role,
  CASE WHEN e.reason IS NOT NULL THEN 'exempt'
       WHEN a.best_passed = 1 AND coalesce(p.done, 0) >= 8 THEN 'completed'
       WHEN a.n >= 6 AND coalesce(a.best_passed, 0) = 0 THEN 'failed'
       WHEN a.best_passed = 1 THEN 'passed'
       WHEN p.done IS NULL AND a.n IS NULL THEN 'not_started'
       ELSE 'studying' END AS status,
  coalesce(p.done, 0) AS lessons_done, 8 AS lessons_total, coalesce(a.n, 0) AS attempts_used,
  a.best AS score, a.maxs AS max_score,
  CASE a.best_passed WHEN 1 THEN 'passed' WHEN 0 THEN 'not passed' END AS passed,
  CASE WHEN a.best_passed = 1 AND coalesce(p.done, 0) >= 8
       THEN date(max(p.last, a.pass_ms) / 1000, 'unixepoch') END AS completed_on,
  e.reason AS exemption_reason,
  CASE WHEN EXISTS (SELECT 1 FROM spot_check_selections x WHERE x.badge = s.badge AND +x.cycle_id = 'synthetic')
       THEN 'yes' END AS spot_check
FROM staff s
LEFT JOIN (SELECT badge, count(*) AS done, max(finished_ms) AS last FROM progress
           WHERE cycle_id = 'synthetic' GROUP BY badge) p ON p.badge = s.badge
LEFT JOIN (SELECT badge, count(*) AS n, max(score) AS best, max(max_score) AS maxs, max(passed) AS best_passed,
                  min(CASE WHEN passed THEN submitted_ms END) AS pass_ms
           FROM attempts WHERE cycle_id = 'synthetic' GROUP BY badge) a ON a.badge = s.badge
LEFT JOIN exemptions e ON e.badge = s.badge AND e.cycle_id = 'synthetic'
WHERE s.status = 'active'
ORDER BY s.department, s.badge;
SQL
sed -i "s|OUTFILE|$WORK/sqlite.csv|" "$WORK/roster.sql"

python3 - "$BIN" "$DB" "$WORK" "$RUNS" <<'PY'
import os, statistics, subprocess, sys, time
bin_, db, work, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
env = dict(os.environ, ACADEMY_LANG="en")

def run(cmd, stdin=None):
    """Whole process: wall seconds and peak RSS (MiB) from wait4."""
    t = time.perf_counter()
    p = subprocess.Popen(cmd, env=env, stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, ru = os.wait4(p.pid, 0)
    dt = time.perf_counter() - t
    err = p.stderr.read().decode()
    if status != 0: sys.exit(f"failed ({status}): {' '.join(cmd)}\n{err}")
    return dt, ru.ru_maxrss / 1024

common = ["--db", db, "--cycle", "synthetic", "--assume-lessons", "8", "--assume-max-attempts", "6"]
def academy(fmt, out):
    return [bin_, "roster", "export", *common, "--format", fmt, "-o", out]

def sqlite_csv():
    with open(os.path.join(work, "roster.sql")) as f:
        return run(["sqlite3", "-bail", db], stdin=f)

def med(xs): return statistics.median(xs)
results = {}
cmds = [
    ("academy csv", lambda: run(academy("csv", os.path.join(work, "a.csv")))),
    ("sqlite3 -csv", sqlite_csv),
    ("academy xlsx", lambda: run(academy("xlsx", os.path.join(work, "a.xlsx")))),
    ("academy json", lambda: run(academy("json", os.path.join(work, "a.json")))),
    ("academy report", lambda: run([bin_, "roster", "report", *common, "-o", os.path.join(work, "r.html")])),
    ("academy certs", lambda: run([bin_, "roster", "certificates", *common, "-o", os.path.join(work, "c.html")])),
]
samples = {name: [] for name, _ in cmds}
for name, fn in cmds: fn()  # warm-up (page cache)
for _ in range(runs):  # interleaved, so that load from other processes hits every command alike
    for name, fn in cmds: samples[name].append(fn())
for name, xs in samples.items():
    results[name] = (med([x[0] for x in xs]), max(x[1] for x in xs), min(x[0] for x in xs))

rows = sum(1 for _ in open(os.path.join(work, "a.csv"), encoding="utf-8-sig")) - 1
ref = sum(1 for _ in open(os.path.join(work, "sqlite.csv"), encoding="utf-8")) - 1
attempts = subprocess.run(["sqlite3", db, "SELECT count(*) FROM attempts"], capture_output=True, text=True).stdout.strip()
print(f"people={rows} (sqlite3 rows={ref}) attempts={attempts} runs={runs}")
for k, (m, rss, lo) in results.items():
    size = {"academy csv": "a.csv", "sqlite3 -csv": "sqlite.csv", "academy xlsx": "a.xlsx", "academy json": "a.json",
            "academy report": "r.html", "academy certs": "c.html"}[k]
    mb = os.path.getsize(os.path.join(work, size)) / 1e6
    print(f"{k:15s} median {m:6.3f} s  min {lo:6.3f} s  peak RSS {rss:7.1f} MiB  output {mb:6.1f} MB")
ratio = results["academy csv"][0] / results["sqlite3 -csv"][0]
print(f"CSV ratio academy/sqlite3 (median) = {ratio:.2f}x  (target <= 1.5x)")
PY

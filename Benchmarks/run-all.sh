#!/usr/bin/env bash
# Runs every benchmark in one go and prints each one's ratios against its reference run
# (xmllint for parsing, the sqlite3 CLI for imports and exports) side by side, then the
# collected summary lines. Each script can also be run alone; figures are recorded by hand in
# docs/performance.md with the command that produced them.
# Usage: Benchmarks/run-all.sh      (RUNS=N is passed through to each script)
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
command -v hyperfine >/dev/null && [[ -x /usr/bin/time ]] || {
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hyperfine time >/dev/null
}
log="$(mktemp)"
status=0
for b in lint parse-scaling exam records rosters spreadsheets terminal hall; do
  echo "=================== Benchmarks/$b.sh ===================" | tee -a "$log"
  if ! "Benchmarks/$b.sh" 2>&1 | tee -a "$log"; then
    echo "Benchmarks/$b.sh failed" | tee -a "$log"; status=1
  fi
done
echo
echo "=================== summary (ratios against the reference tools) ==================="
grep -iE 'ratio|spread|×|papers/s|events/s|p50|p99' "$log" | sed 's/^[[:space:]]*//' | sort -u
rm -f "$log"
exit $status

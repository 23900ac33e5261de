#!/usr/bin/env bash
# Spreadsheets scale run: XLSX write/read and CSV write/read of N rows x 12 columns
# (default 100,000), with wall time and peak-RSS growth per step. Each group runs in its own
# process so that the peak-RSS figures do not mask each other.
# Usage: Benchmarks/spreadsheets.sh [ROWS] [debug|release]
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-100000}"
config="${2:-release}"
for t in csvWriteAndRead xlsxWriteAndReadBack; do
  SHEETS_BENCH_ROWS="$rows" swift test -c "$config" -Xswiftc -enable-testing \
    --filter "SpreadsheetsBenchmark/$t" 2>&1 | grep -E '^BENCH|✘|error:' || true
done

#!/usr/bin/env bash
# Terminal front-end benchmarks (release build), through a real pseudo-terminal (Python pty):
#  1. time from launching `academy tui-demo` to the first question on screen (no database);
#  2. time to absorb a paste flood (200 KB bracketed paste + 20,000 raw answer keys) and redraw;
#  3. with the exam benchmark's 10,000-question bank (Benchmarks/exam.sh must have run, leaving
#     Benchmarks/work/exam/{content,template.sqlite}): time from launching the FULL-SCREEN
#     `academy exam take` to the first question on screen, next to the same for `--plain`.
# Usage: Benchmarks/terminal.sh   (RUNS=10 by default)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${RUNS:-10}"
swift build -c release --product academy >&2
bin="$(swift build -c release --show-bin-path)/academy"

echo "== 1. launch to first question, tui-demo (80x24)"
python3 Benchmarks/pty_time.py first "$RUNS" "第 1/5 题" -- "$bin" tui-demo
echo "== 2. paste flood absorbed and redrawn"
python3 Benchmarks/pty_time.py flood "$RUNS" -- "$bin" tui-demo

work=Benchmarks/work/exam
if [[ -f "$work/template.sqlite" && -d "$work/content" ]]; then
  echo "== 3. launch to first question, full-screen exam take, 10,000-question bank"
  for i in $(seq "$RUNS"); do
    cp "$work/template.sqlite" "$work/tui-$i.sqlite"
  done
  # Each run needs a fresh database (a started attempt would be resumed), so time one run per copy.
  for i in $(seq "$RUNS"); do
    python3 Benchmarks/pty_time.py first 1 "第 1/" -- "$bin" exam take --officer BENCH1 --db "$work/tui-$i.sqlite" --content "$work/content" | head -1
  done | awk '{print; v[NR]=$1} END {n=asort(v); m=(n%2)?v[(n+1)/2]:(v[n/2]+v[n/2+1])/2; printf "median %.1f ms over %d runs\n", m, n}'
  rm -f "$work"/tui-*.sqlite
else
  echo "== 3. skipped: run Benchmarks/exam.sh first for the 10,000-question bank"
fi

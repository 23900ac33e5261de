#!/usr/bin/env bash
# Lint benchmark (issue 2 §5): `academy lint` vs `xmllint --noout --schema` on the same generated
# 10,000-question bank (~11 MB of Chinese text), whole process, several runs; prints the median
# time and peak-RSS ratios. Targets: time ≤ 1.25× xmllint, peak memory ≤ 2× xmllint.
#
# Usage: Benchmarks/lint.sh            (RUNS=10 by default; RUNS=20 Benchmarks/lint.sh for more)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${RUNS:-10}"

missing=()
command -v hyperfine >/dev/null || missing+=(hyperfine)
command -v xmllint >/dev/null || missing+=(libxml2-utils)
[[ -x /usr/bin/time ]] || missing+=(time)
command -v python3 >/dev/null || missing+=(python3)
if ((${#missing[@]})); then
  echo "installing ${missing[*]}" >&2
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

swift build -c release --product academy >&2
bin="$(swift build -c release --show-bin-path)/academy"
work=Benchmarks/work/lint
rm -rf "$work"
python3 Benchmarks/gen_lint_bank.py "$work" 10000
bank="$work/bank.xml"

echo "bank: $(du -h "$bank" | cut -f1), $(grep -cE 'id="bench-q[0-9]+"' "$bank") questions (+ $(grep -cE 'id="bench-q[0-9]+\.[0-9]+"' "$bank") case-analysis sub-questions)" >&2
"$bin" lint "$work" >&2            # must say 0 errors, 0 warnings
xmllint --noout --schema schemas/questionbank.xsd "$bank"

academy_cmd=("$bin" lint "$work")
xmllint_cmd=(xmllint --noout --schema schemas/questionbank.xsd "$bank")

hyperfine -N --warmup 2 --runs "$RUNS" --export-json "$work/times.json" \
  -n "academy lint" "${academy_cmd[*]}" \
  -n "xmllint --schema" "${xmllint_cmd[*]}" >&2

rss() {  # peak RSS in KB of each run
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1
  done
}
rss "${academy_cmd[@]}" > "$work/rss-academy.txt"
rss "${xmllint_cmd[@]}" > "$work/rss-xmllint.txt"

python3 - "$work" <<'PY'
import json, statistics, sys
work = sys.argv[1]
t = {r["command"]: statistics.median(r["times"]) for r in json.load(open(f"{work}/times.json"))["results"]}
ta, tx = t["academy lint"], t["xmllint --schema"]
ra = statistics.median(int(x) for x in open(f"{work}/rss-academy.txt").read().split())
rx = statistics.median(int(x) for x in open(f"{work}/rss-xmllint.txt").read().split())
print(f"median time:     academy lint {ta*1000:.0f} ms, xmllint {tx*1000:.0f} ms, ratio {ta/tx:.2f}x (target <= 1.25x) {'OK' if ta/tx <= 1.25 else 'OVER'}")
print(f"median peak RSS: academy lint {ra/1024:.1f} MB, xmllint {rx/1024:.1f} MB, ratio {ra/rx:.2f}x (target <= 2x) {'OK' if ra/rx <= 2 else 'OVER'}")
PY

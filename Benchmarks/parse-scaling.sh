#!/usr/bin/env bash
# Parsing cost must grow with the input, not its square (issue 9 §5).
#  1. `academy lint` of a bank whose one question has a single long text node, 1 to 32 MB, CJK and
#     ASCII, side by side with `xmllint --noout --schema` and `xmllint --noout` of the same bank;
#     prints time per MB and its spread (max ÷ min over the sizes; target ≤ 2×), both raw and
#     net of the fixed cost (the same bank with a 1 KB text: start-up, schema compilation), which
#     otherwise dominates the 1 MB figure.
#  2. one question with 1,250 to 20,000 options (the schema allows 8; lint still reads it):
#     time per 1,000 options and its spread, raw and net of an 8-option baseline.
# Whole process, hyperfine -N, median of RUNS runs (default 3), release build.
#
# xmllint gets --huge (without it libxml2 stops at a 10 MB text node: "huge text node").
# BEFORE=/path/to/an/older/academy adds that binary to the runs up to BEFORE_MAX_MB (default 8)
# and BEFORE_MAX_OPTIONS (default 10000), for before/after figures in the same run.
#
# Usage: Benchmarks/parse-scaling.sh      (RUNS=5, SIZES="1 2 4 8 16 32", OPTIONS="1250 … 20000")
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${RUNS:-3}"
SIZES="${SIZES:-1 2 4 8 16 32}"
OPTIONS="${OPTIONS:-1250 2500 5000 10000 20000}"
BEFORE="${BEFORE:-}"
BEFORE_MAX_MB="${BEFORE_MAX_MB:-8}"
BEFORE_MAX_OPTIONS="${BEFORE_MAX_OPTIONS:-10000}"

missing=()
command -v hyperfine >/dev/null || missing+=(hyperfine)
command -v xmllint >/dev/null || missing+=(libxml2-utils)
command -v python3 >/dev/null || missing+=(python3)
if ((${#missing[@]})); then
  echo "installing ${missing[*]}" >&2
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

swift build -c release --product academy >&2
bin="$(swift build -c release --show-bin-path)/academy"
work=Benchmarks/work/parse-scaling
rm -rf "$work"
mkdir -p "$work"

for kind in cjk ascii; do
  for mb in 0.001 $SIZES; do
    d="$work/$kind-$mb"
    python3 Benchmarks/gen_long_text.py "$d" "$kind" "$mb"
    extra=()
    if [[ -n "$BEFORE" ]] && python3 -c "import sys; sys.exit(0 if float('$mb') <= $BEFORE_MAX_MB else 1)"; then
      extra=(-n before "$BEFORE lint $d")
    fi
    hyperfine -N -i --warmup 1 --runs "$RUNS" --export-json "$d/times.json" \
      -n academy "$bin lint $d" \
      -n "xmllint --schema" "xmllint --huge --noout --schema schemas/questionbank.xsd $d/bank.xml" \
      -n "xmllint" "xmllint --huge --noout $d/bank.xml" "${extra[@]}" >/dev/null 2>&1
    echo "$kind $mb MB done" >&2
  done
done
for n in 8 $OPTIONS; do
  d="$work/options-$n"
  python3 Benchmarks/gen_long_text.py "$d" options "$n"
  extra=()
  if [[ -n "$BEFORE" ]] && ((n <= BEFORE_MAX_OPTIONS)); then extra=(-n before "$BEFORE lint $d"); fi
  hyperfine -N -i --warmup 1 --runs "$RUNS" --export-json "$d/times.json" \
    -n academy "$bin lint $d" \
    -n "xmllint --schema" "xmllint --huge --noout --schema schemas/questionbank.xsd $d/bank.xml" "${extra[@]}" >/dev/null 2>&1
  echo "$n options done" >&2
done

python3 - "$work" "$SIZES" "$OPTIONS" <<'PY'
import json, os, statistics, sys
work, sizes, options = sys.argv[1], sys.argv[2].split(), sys.argv[3].split()
def med(d):
    return {r["command"]: statistics.median(r["times"]) for r in json.load(open(os.path.join(work, d, "times.json")))["results"]}
def spread(v): return max(v) / min(v)
def verdict(x): return "OK" if x <= 2 else "OVER"
for kind in ("cjk", "ascii"):
    base = med(f"{kind}-0.001")
    print(f"\n{kind.upper()}: one text node (fixed cost, 1 KB text: academy {base['academy']:.3f} s, xmllint --schema {base['xmllint --schema']:.3f} s)")
    print(f"{'MB':>4} {'academy s':>10} {'s/MB':>6} {'net s/MB':>9} {'xmllint --schema s':>19} {'s/MB':>6} {'net s/MB':>9} {'xmllint s':>10} {'ratio':>6} {'before s':>9}")
    raw = {"academy": [], "xmllint --schema": []}
    net = {"academy": [], "xmllint --schema": []}
    for mb in sizes:
        t = med(f"{kind}-{mb}")
        m = float(mb)
        for k in raw:
            raw[k].append(t[k] / m)
            net[k].append(max(t[k] - base[k], 1e-9) / m)
        b = f"{t['before']:>9.3f}" if "before" in t else f"{'-':>9}"
        print(f"{mb:>4} {t['academy']:>10.3f} {raw['academy'][-1]:>6.3f} {net['academy'][-1]:>9.3f} {t['xmllint --schema']:>19.3f} "
              f"{raw['xmllint --schema'][-1]:>6.3f} {net['xmllint --schema'][-1]:>9.3f} {t['xmllint']:>10.3f} "
              f"{t['academy']/t['xmllint --schema']:>5.2f}x {b}")
    for k in raw:
        print(f"{kind} {k}: time per MB spread {sizes[0]}-{sizes[-1]} MB = {spread(raw[k]):.2f}x raw, "
              f"{spread(net[k]):.2f}x net of the fixed cost (target <= 2x) {verdict(spread(net[k]))}")
base = med("options-8")
print(f"\nOne question, many options (baseline, 8 options: academy {base['academy']:.3f} s)")
print(f"{'options':>8} {'academy s':>10} {'s/1k':>7} {'net s/1k':>9} {'xmllint --schema s':>19} {'before s':>9}")
raw, net = [], []
for n in options:
    t = med(f"options-{n}")
    k = int(n) / 1000
    raw.append(t["academy"] / k); net.append(max(t["academy"] - base["academy"], 1e-9) / k)
    b = f"{t['before']:>9.3f}" if "before" in t else f"{'-':>9}"
    print(f"{n:>8} {t['academy']:>10.3f} {raw[-1]:>7.3f} {net[-1]:>9.3f} {t['xmllint --schema']:>19.3f} {b}")
print(f"options: time per 1,000 options spread = {spread(raw):.2f}x raw, {spread(net):.2f}x net (target <= 2x) {verdict(spread(net))}")
PY

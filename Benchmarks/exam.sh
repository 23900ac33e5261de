#!/usr/bin/env bash
# Exam benchmarks (issue 4 §5), release build:
#  1. papers per second from the shipped blueprint, one thread (target >= 50,000/s);
#  2. time from launching `academy exam take --plain` to the first question, with a 10,000-question
#     bank, as a ratio to `xmllint --noout` of the same bank (target <= 1.5x), whole process, median;
#  3. answer-save latency p50/p99 through the SQLite store with durable commits (synchronous=FULL).
#
# Usage: Benchmarks/exam.sh        (RUNS=10 by default; BLUEPRINT=id to pick the shipped blueprint;
#        BEFORE=/path/to/older/academy runs an older release binary side by side in the same run;
#        ACADEMY_BIN=/path/to/academy skips the release build and measures that binary)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${RUNS:-10}"

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

if [[ -n "${ACADEMY_BIN:-}" ]]; then
  bin="$ACADEMY_BIN"
else
  swift build -c release --product academy >&2
  bin="$(swift build -c release --show-bin-path)/academy"
fi
before="${BEFORE:-}"
work=Benchmarks/work/exam
rm -rf "$work"
mkdir -p "$work"

# 1. Papers per second from the shipped blueprint.
bp="${BLUEPRINT:-$(python3 -c '
import glob, re
for f in sorted(glob.glob("QuestionBank/**/*.xml", recursive=True)):
    m = re.search(r"<exam-blueprint\b[^>]*?\bid=\"([^\"]+)\"", open(f, encoding="utf-8").read(), re.S)
    if m: print(m.group(1)); break
')}"
echo "== papers/s, blueprint $bp" >&2
for run in 1 2 3; do
  taskset -c 0 "$bin" exam bench papers "$bp" --papers 200000
  if [[ -n "$before" ]]; then printf 'before: '; taskset -c 0 "$before" exam bench papers "$bp" --papers 200000; fi
done | tee "$work/papers.txt"

# 2. Time to first question with a 10,000-question bank vs xmllint --noout.
python3 Benchmarks/gen_lint_bank.py "$work/content" 10000 >/dev/null
cat > "$work/content/blueprint.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<exam-blueprint xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="../schemas/blueprint.xsd"
    id="bench-exam" version="1" title="基准考试" course="bench-course" target-difficulty="2">
  <pool><bank ref="bench-bank"/></pool>
  <scoring total="100" pass="60" multiple-choice="partial"/>
  <timing minutes="60"/>
  <attempts max="3"/>
  <review show="immediately"/>
  <section id="single" title="一、单项选择题"><draw count="30" type="single-choice" points="1"/></section>
  <section id="multiple" title="二、多项选择题"><draw count="10" type="multiple-choice" points="2"/></section>
  <section id="tf" title="三、判断题"><draw count="10" type="true-false" points="1"/></section>
  <section id="fill" title="四、填空题"><draw count="8" type="fill-in" points="2"/></section>
  <section id="case" title="五、案例分析题"><draw count="2" type="case-analysis" points="12"/></section>
</exam-blueprint>
XML
"$bin" exam bench setup --db "$work/template.sqlite" --blueprint bench-exam --course bench-course
bank="$work/content/bank.xml"
echo "bank: $(du -h "$bank" | cut -f1)" >&2
# Sanity: the first question appears (this run also fills the exam content cache).
export ACADEMY_CACHE_DIR="$work/cache"
cp "$work/template.sqlite" "$work/run.sqlite"
printf 'q\n' | "$bin" exam take --officer BENCH1 --plain --db "$work/run.sqlite" --content "$work/content" > "$work/first.txt"
head -3 "$work/first.txt" >&2
take="$bin exam take --officer BENCH1 --plain --db $work/run.sqlite --content $work/content"
extra=()
if [[ -n "$before" ]]; then
  take_before="$before exam take --officer BENCH1 --plain --db $work/run.sqlite --content $work/content"
  extra=(-n "before: take, cached content" "printf 'q\n' | $take_before >/dev/null"
         -n "before: take, no cache" "printf 'q\n' | ACADEMY_CACHE_DIR=off $take_before >/dev/null")
fi
hyperfine --warmup 2 --runs "$RUNS" --export-json "$work/ttfq.json" \
  --prepare "rm -f $work/run.sqlite*; cp $work/template.sqlite $work/run.sqlite" \
  -n "take, cached content" "printf 'q\n' | $take >/dev/null" \
  -n "take, no cache" "printf 'q\n' | ACADEMY_CACHE_DIR=off $take >/dev/null" \
  "${extra[@]}" \
  -n "xmllint --noout" "xmllint --noout $bank" >&2
python3 - "$work" <<'PY'
import json, statistics, sys
r = {x["command"]: x for x in json.load(open(f"{sys.argv[1]}/ttfq.json"))["results"]}
x = statistics.median(r["xmllint --noout"]["times"])
for name in ("take, cached content", "take, no cache", "before: take, cached content", "before: take, no cache"):
    if name not in r: continue
    a = statistics.median(r[name]["times"])
    print(f"time to first question ({name}): {a*1000:.0f} ms vs xmllint --noout {x*1000:.0f} ms, ratio {a/x:.2f}x (target <= 1.5x) {'OK' if a/x <= 1.5 else 'OVER'}")
PY

# 3. Answer-save latency, durable commits.
echo "== answer-save latency" >&2
rm -f "$work/saves.sqlite"*
"$bin" exam bench saves --db "$work/saves.sqlite" --saves 2000
if [[ -n "$before" ]]; then
  rm -f "$work/saves.sqlite"*
  printf 'before: '; "$before" exam bench saves --db "$work/saves.sqlite" --saves 2000
fi

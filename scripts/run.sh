#!/usr/bin/env bash
# README command 1: install what is missing, build, and run the main job on the embedded SQLite
# default (./academy.sqlite, created on first use): check the shipped content, load the sample
# department, open this year's training cycle, and start the exam for the sample officer.
# Idempotent: a second run reuses the database and resumes (or shows) the same officer's exam.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build -c release --product academy >&2
academy="$(swift build -c release --show-bin-path)/academy"

"$academy" lint
"$academy" staff import samples/staff-sample.csv

year="$(date +%Y)"
"$academy" cycle show 2018-spring-festival >/dev/null 2>&1 ||
  "$academy" cycle create 2018-spring-festival --title "2018年春节前全员教育" \
    --course strict-enforcement-2018 --blueprint all-staff-2018 --role officer \
    --opens 2018-01-15 --due 2018-02-14 --allow-past
"$academy" cycle show "annual-$year" >/dev/null 2>&1 ||
  "$academy" cycle create "annual-$year" --title "${year}年度常态化教育培训" \
    --course strict-enforcement-2018 --blueprint all-staff-2018 --role officer \
    --opens "$year-01-01" --due "$year-12-31"

# The sample officer SL0001 (fictional). Full-screen on a terminal, line mode otherwise.
if ! "$academy" exam take --officer SL0001 --cycle "annual-$year"; then
  echo "（该人员本周期已无可用考试，以下为其教育培训档案 / no exam left for this officer; their record follows）" >&2
  "$academy" record show SL0001
fi

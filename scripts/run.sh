#!/usr/bin/env bash
# README command 1: install what is missing, build, and run the main job on the embedded
# SQLite default. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build -c release --product academy >&2
bin="$(swift build -c release --show-bin-path)/academy"
"$bin" lint
"$bin" course show strict-enforcement-2018

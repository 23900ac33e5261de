#!/usr/bin/env bash
# Prints the course handout with headless Chromium at A4 to PDF (and the first page to PNG), so
# that a trainer or reviewer can look at it before printing for a classroom. The test suite runs
# the same check (Tests/HandoutsTests); this script is for looking at the result.
#
#   scripts/check-handout-print.sh [HANDOUT.html] [OUTDIR]
#
# Without HANDOUT.html it writes the shipped course's handout with the practice paper
# (academy course handout strict-enforcement-2018 --with-answers) into OUTDIR first. Installs
# `chromium` and `fonts-noto-cjk` through apt when missing (Chinese prints as boxes without a
# CJK font). Outputs OUTDIR/handout.pdf and OUTDIR/handout.png.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${2:-/tmp/academy-handout-check}
mkdir -p "$OUT"

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || need+=(fonts-noto-cjk)
if ((${#need[@]})); then
  echo "installing: ${need[*]}" >&2
  SUDO=; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

HANDOUT=${1:-}
if [ -z "$HANDOUT" ]; then
  swift build --product academy >/dev/null
  "$(swift build --show-bin-path)/academy" course handout strict-enforcement-2018 --with-answers -o "$OUT/handout.html"
  HANDOUT="$OUT/handout.html"
fi
ABS=$(readlink -f "$HANDOUT")

# --no-pdf-header-footer keeps the browser's URL/date lines off the page; @page in the handout sets A4.
chromium --headless --disable-gpu --no-sandbox --no-pdf-header-footer \
  --print-to-pdf="$OUT/handout.pdf" "file://$ABS" 2>/dev/null
chromium --headless --disable-gpu --no-sandbox --hide-scrollbars --window-size=794,1123 \
  --screenshot="$OUT/handout.png" "file://$ABS" 2>/dev/null

python3 - "$OUT/handout.pdf" <<'PY'
import re, sys
data = open(sys.argv[1], 'rb').read()
pages = len(re.findall(rb'/Type\s*/Page[^s]', data))
m = re.search(rb'/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)', data)
size = f"{float(m.group(1)):.0f}x{float(m.group(2)):.0f}pt" if m else "unknown"
print(f"PDF: {sys.argv[1]} ({pages} pages, page size {size}; A4 is 595x842pt)")
PY
echo "PNG: $OUT/handout.png"

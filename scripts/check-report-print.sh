#!/usr/bin/env bash
# Renders the printable roster report with headless Chromium at A4, to PDF and PNG, so that a
# person can look at it before sending it up the hierarchy. Not part of CI (needs Chromium).
#
#   scripts/check-report-print.sh [REPORT.html] [OUTDIR]
#
# Without REPORT.html it builds a small demo database (academy dev seed, 300 people) in OUTDIR
# and writes the report there first. Installs `chromium` and `fonts-noto-cjk` through apt when
# missing (Chinese renders as boxes without a CJK font). Outputs OUTDIR/report.pdf and
# OUTDIR/report.png (A4 portrait at 96 dpi: 794×1123 CSS px, first page), and with poppler-utils
# every printed page as OUTDIR/page-NN.png (pdftoppm, 60 dpi) to look at page breaks and footers.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${2:-/tmp/academy-report-check}
mkdir -p "$OUT"

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || need+=(fonts-noto-cjk)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
if ((${#need[@]})); then
  echo "installing: ${need[*]}" >&2
  SUDO=; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

REPORT=${1:-}
if [ -z "$REPORT" ]; then
  swift build --product academy >/dev/null
  BIN=$(swift build --show-bin-path)/academy
  DB="$OUT/demo.sqlite"
  rm -f "$DB" "$DB"-wal "$DB"-shm
  "$BIN" dev seed --db "$DB" --people 300 --lessons 4 --attempts 3 --cycle demo >/dev/null
  ACADEMY_LANG=zh-Hans "$BIN" roster report --db "$DB" --cycle demo --assume-lessons 4 -o "$OUT/report.html"
  REPORT="$OUT/report.html"
fi
ABS=$(readlink -f "$REPORT")

# --no-pdf-header-footer keeps the browser's URL/date lines off the page; @page in the report sets A4.
chromium --headless --disable-gpu --no-sandbox --no-pdf-header-footer \
  --print-to-pdf="$OUT/report.pdf" "file://$ABS" 2>/dev/null
chromium --headless --disable-gpu --no-sandbox --hide-scrollbars --window-size=794,1123 \
  --screenshot="$OUT/report.png" "file://$ABS" 2>/dev/null

pages=$(python3 - "$OUT/report.pdf" <<'PY'
import re, sys
data = open(sys.argv[1], 'rb').read()
print(len(re.findall(rb'/Type\s*/Page[^s]', data)))
PY
)
size=$(python3 - "$OUT/report.pdf" <<'PY'
import re, sys
m = re.search(rb'/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)', open(sys.argv[1], 'rb').read())
print(f"{float(m.group(1)):.0f}x{float(m.group(2)):.0f}pt" if m else "unknown")
PY
)
echo "PDF: $OUT/report.pdf ($pages pages, page size $size; A4 is 595x842pt)"
echo "PNG: $OUT/report.png"
rm -f "$OUT"/page-*.png
pdftoppm -r 60 -png "$OUT/report.pdf" "$OUT/page"
echo "pages: $OUT/page-*.png"


#!/usr/bin/env bash
# Installs, only when missing, the Debian packages Academy builds and tests with. Idempotent.
# Usage: scripts/install-deps.sh [--test]   (--test adds what the test suite drives: tmux, chromium
# (handout and report print checks), libreoffice-calc, poppler-utils and a CJK font (roster print
# checks), PostgreSQL with psql/pgbench (the shared-server backend's suite and benchmarks), the
# OpenSSH client and sshpass (exam hall), and from PyPI openpyxl, moodle-xml-parser (Moodle export
# check), numpy (item-analysis statistics check), asyncssh and pyte (exam hall load test))
set -euo pipefail
want=(pkg-config libxml2-dev libsqlite3-dev zlib1g-dev sqlite3 libxml2-utils)
if [[ "${1:-}" == "--test" ]]; then
  want+=(tmux python3 python3-pip chromium libreoffice-calc poppler-utils fonts-noto-cjk postgresql postgresql-client
    openssl openssh-client sshpass)
fi
missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "academy: installing ${missing[*]}" >&2
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if [[ "${1:-}" == "--test" ]]; then
  for mod in openpyxl asyncssh pyte; do
    python3 -c "import $mod" 2>/dev/null || python3 -m pip install -q "$mod" >&2 || python3 -m pip install -q --break-system-packages "$mod" >&2
  done
fi
if [[ "${1:-}" == "--test" ]]; then
  for pair in moodle_xml_parser:moodle-xml-parser numpy:numpy; do
    mod=${pair%%:*}; pkg=${pair#*:}
    python3 -c "import $mod" 2>/dev/null || python3 -m pip install -q "$pkg" >&2 || python3 -m pip install -q --break-system-packages "$pkg" >&2
  done
fi

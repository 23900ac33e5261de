#!/usr/bin/env bash
# README command 2: the whole test suite. Idempotent; CI runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test
swift build --product academy
# The shipped content must stay clean: 0 errors and 0 warnings.
"$(swift build --show-bin-path)/academy" lint --strict
# A throw-away PostgreSQL cluster for the whole run (stopped on every exit path): the
# PostgreSQL-only tests use it, then the store suites run again on it from the same test code.
pgdir=/tmp/academy-pg-$$
trap 'scripts/pg-test-cluster.sh stop "$pgdir"' EXIT
ACADEMY_TEST_PG=$(scripts/pg-test-cluster.sh start "$pgdir")
export ACADEMY_TEST_PG
swift test --parallel
ACADEMY_TEST_BACKEND=postgres swift test --parallel --filter 'RecordsTests|RostersTests|ExamsTests|HallTests'
# The Debian package on a clean Debian 12 root (a release build, debootstrap and the Debian mirror;
# about 20 minutes more on 2 cores): only when asked, ACADEMY_TEST_INSTALL=1.
if [[ "${ACADEMY_TEST_INSTALL:-}" == 1 ]]; then
  scripts/test-install.sh "$(scripts/package.sh)"
fi

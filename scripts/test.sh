#!/usr/bin/env bash
# README command 2: the whole test suite. Idempotent; CI runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test
swift build --product academy
# The shipped content must stay clean: 0 errors and 0 warnings.
"$(swift build --show-bin-path)/academy" lint --strict
swift test --parallel
# The Debian package on a clean Debian 12 root (a release build, debootstrap and the Debian mirror;
# about 20 minutes more on 2 cores): only when asked, ACADEMY_TEST_INSTALL=1.
if [[ "${ACADEMY_TEST_INSTALL:-}" == 1 ]]; then
  scripts/test-install.sh "$(scripts/package.sh)"
fi

#!/usr/bin/env bash
# Packages only the test suite needs, installed beside the project's own (not saved to
# package.json): chdb (an embedded current ClickHouse, ~540 MB) for the sync compatibility test.
# Tests that need it skip loudly without it, and fail under CI=true.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if ! node -e "require.resolve('chdb')" 2>/dev/null; then
  npm install --no-save --no-audit --no-fund chdb@3.4.0
fi

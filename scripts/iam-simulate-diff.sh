#!/usr/bin/env bash
# Differential test of `check` against @cloud-copilot/iam-simulate (npm), an
# independent IAM policy simulator used only as an out-of-process test oracle
# (AGPL-3.0-or-later: never vendored or linked). Installs the exact version
# pinned in tests/iam-simulate/package-lock.json with `npm ci`, then runs the
# seeded generator of tests/iam_simulate.rs and prints the agreement figures
# (requests and cases) and the disagreement classes, each with the AWS
# passage that documents it. Exits non-zero on any undocumented disagreement.
#
# IAM_SIMULATE_SEED (default 14) and IAM_SIMULATE_CASES (default 400) choose
# the cases. Needs Node.js 18+ and npm (the npm registry, for installing).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== installing the oracle (npm ci, tests/iam-simulate)"
(cd tests/iam-simulate && npm ci --no-audit --no-fund --loglevel=error)
echo "== comparing (seed ${IAM_SIMULATE_SEED:-14}, ${IAM_SIMULATE_CASES:-400} cases)"
cargo test -p rotation-policy --features analysis --test iam_simulate -- --nocapture

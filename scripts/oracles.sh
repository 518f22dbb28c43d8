#!/usr/bin/env bash
# Oracle harness (scripts/oracles.py; rules in tests/oracles/README.md):
# every `generate` option combination and the lint fixture corpus through
# moto, parliament and cfn-lint (pinned in requirements-test.txt) and through
# `rotation-policy lint`. Writes target/oracles/agreement.md; exits non-zero
# on any unexpected verdict or when a tool cannot run.
#
#   bash scripts/oracles.sh          # builds the CLI, sets up ./.venv
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

venv_bin="$(bash scripts/python-env.sh)"
cargo build --quiet -p rotation-policy-cli
exec "$venv_bin/python" scripts/oracles.py --cli "$root/target/debug/rotation-policy" "$@"

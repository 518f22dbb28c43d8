#!/usr/bin/env bash
# Oracle harness (scripts/oracles.py; rules in tests/oracles/README.md):
# every `generate` option combination (tests/option-space) and the lint
# fixture corpus through moto, parliament and cfn-lint (pinned in
# requirements-test.txt) and through `rotation-policy lint`. Writes target/oracles/agreement.md; exits non-zero
# on any unexpected verdict or when a tool cannot run.
#
#   bash scripts/oracles.sh          # builds the CLI and option-space, sets up ./.venv
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

venv_bin="$(bash scripts/python-env.sh)"
cargo build --quiet -p rotation-policy-cli -p rotation-policy-option-space
exec "$venv_bin/python" scripts/oracles.py --cli "$root/target/debug/rotation-policy" \
    --option-space "$root/target/debug/option-space" "$@"

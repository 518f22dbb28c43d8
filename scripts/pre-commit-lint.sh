#!/usr/bin/env bash
# The `rotation-policy-lint` pre-commit hook (.pre-commit-hooks.yaml): builds
# the `rotation-policy` command from this checkout (release profile, the
# locked dependencies; cargo rebuilds nothing on later runs) and lints the
# files pre-commit passes. Exit 1 on a finding at or above `--fail-on`
# (default: error), which fails the commit; `args:` in the user's
# .pre-commit-config.yaml are passed on (e.g. `--fail-on=warning`).
# Needs cargo (the toolchain of rust-toolchain.toml, installed by rustup).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
if ! cargo build --quiet --release --locked --manifest-path "$root/Cargo.toml" -p rotation-policy-cli >&2; then
    echo "rotation-policy-lint: cannot build the rotation-policy command (needs cargo)" >&2
    exit 2
fi
exec "$target/release/rotation-policy" lint "$@"

#!/usr/bin/env bash
# Runs every cargo-fuzz target for a bounded time (default 10 s each) from
# the committed seed corpora: a smoke test that the targets build and hold
# their invariants. Needs a nightly toolchain and cargo-fuzz; without them it
# says so and exits 0 (stable-only machines cannot run libFuzzer targets).
#
#   FUZZ_SECONDS=600 bash scripts/fuzz-smoke.sh     # a longer run
#   cd fuzz && cargo +nightly fuzz run lint          # one target, until stopped
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
seconds="${FUZZ_SECONDS:-10}"
if ! rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
    echo "fuzz: skipped, no nightly toolchain (cargo-fuzz needs one)"
    exit 0
fi
if ! cargo +nightly fuzz --version > /dev/null 2>&1; then
    echo "fuzz: skipped, cargo-fuzz is not installed (cargo install cargo-fuzz)"
    exit 0
fi
cargo +nightly fuzz build
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for target in $(cargo +nightly fuzz list); do
    mkdir -p "$work/$target"
    cp seeds/"$target"/* "$work/$target/"
    echo "fuzz: $target for ${seconds}s"
    if ! cargo +nightly fuzz run "$target" "$work/$target" -- -max_total_time="$seconds" > "$work/$target.log" 2>&1; then
        tail -n 30 "$work/$target.log" >&2
        echo "fuzz: $target failed (the crashing input is under fuzz/artifacts/$target/)" >&2
        exit 1
    fi
    grep -E '^Done' "$work/$target.log" || true
done

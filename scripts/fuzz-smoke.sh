#!/usr/bin/env bash
# Fuzzes every cargo-fuzz target for a bounded time (FUZZ_SECONDS, default
# 60 s each) from the committed seed corpora (fuzz/seeds/TARGET, copied, so
# the run does not change them), and reports each target's executions. A
# crash fails the run and leaves the input under fuzz/artifacts/TARGET/.
#
# Nothing is skipped: cargo-fuzz is installed from crates.io when absent
# (pinned below). cargo-fuzz passes rustc `-Z` flags (the sanitizer and
# coverage instrumentation), which only a nightly compiler accepts: a nightly
# toolchain is used when rustup has one or can install one; otherwise the
# pinned stable toolchain (rust-toolchain.toml) with RUSTC_BOOTSTRAP=1, which
# lets a stable compiler accept `-Z` flags (the x86_64 Linux standard library
# ships the sanitizer runtimes). FUZZ_TOOLCHAIN=stable forces the latter.
#
#   FUZZ_SECONDS=600 bash scripts/fuzz-smoke.sh     # a longer run
#   cd fuzz && cargo +nightly fuzz run lint          # one target, until stopped
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
seconds="${FUZZ_SECONDS:-60}"
cargo_fuzz_version=0.13.2

if ! cargo fuzz --version > /dev/null 2>&1; then
    echo "fuzz: installing cargo-fuzz $cargo_fuzz_version from crates.io"
    cargo install --locked cargo-fuzz --version "$cargo_fuzz_version"
fi

toolchain=()
if [[ "${FUZZ_TOOLCHAIN:-}" != stable ]]; then
    if rustup run nightly rustc --version > /dev/null 2>&1; then
        toolchain=(+nightly)
    elif echo "fuzz: installing a nightly toolchain (rustup)" &&
        rustup toolchain install nightly --profile minimal; then
        toolchain=(+nightly)
    else
        echo "fuzz: no nightly toolchain could be installed; using the pinned stable one with RUSTC_BOOTSTRAP=1"
    fi
fi
if [[ ${#toolchain[@]} -eq 0 ]]; then
    export RUSTC_BOOTSTRAP=1
fi
echo "fuzz: $(cargo fuzz --version), $(rustc "${toolchain[@]}" --version)${RUSTC_BOOTSTRAP:+ with RUSTC_BOOTSTRAP=1}"

cargo "${toolchain[@]}" fuzz build
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
targets=$(cargo "${toolchain[@]}" fuzz list)
[[ -n "$targets" ]] || { echo "fuzz: no targets" >&2; exit 1; }
summary=()
for target in $targets; do
    mkdir -p "$work/$target"
    cp seeds/"$target"/* "$work/$target/"
    seeds=$(find "$work/$target" -type f | wc -l)
    echo "fuzz: $target for ${seconds}s from $seeds seeds"
    if ! cargo "${toolchain[@]}" fuzz run "$target" "$work/$target" -- \
        -max_total_time="$seconds" -print_final_stats=1 > "$work/$target.log" 2>&1; then
        tail -n 30 "$work/$target.log" >&2
        echo "fuzz: $target failed (the crashing input is under fuzz/artifacts/$target/)" >&2
        exit 1
    fi
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$target.log" | tail -n 1)
    done_line=$(grep -E '^Done [0-9]+ runs' "$work/$target.log" | tail -n 1 || true)
    if [[ -z "$runs" || "$runs" -eq 0 || -z "$done_line" ]]; then
        tail -n 30 "$work/$target.log" >&2
        echo "fuzz: $target ran no input" >&2
        exit 1
    fi
    corpus=$(find "$work/$target" -type f | wc -l)
    summary+=("$target: $runs executions ($done_line), corpus $seeds -> $corpus inputs")
done
printf 'fuzz: %s\n' "${summary[@]}"

#!/usr/bin/env bash
# Packages the five publishable crates (`cargo package`, as `cargo publish`
# would, without uploading) and prints each package's size and file count.
# --no-verify: verifying builds each package against its dependencies from
# crates.io, where this version of the workspace's own crates is not yet.
# Fails if a package ships a test, fixture or corpus file.
#
#   bash scripts/package-crates.sh
set -euo pipefail
cd "$(dirname "$0")/.."
crates=(rotation-policy-catalog rotation-policy-core rotation-policy-macros rotation-policy rotation-policy-cli)
args=()
for crate in "${crates[@]}"; do args+=(-p "$crate"); done
# The warnings name the tests and benches the include lists leave out.
cargo package --locked --allow-dirty --no-verify "${args[@]}" 2>&1 | grep -v '^warning: ignoring \(test\|benchmark\) '
version="$(cargo metadata --no-deps --format-version 1 |
    python3 -c 'import json, sys; print(next(p["version"] for p in json.load(sys.stdin)["packages"] if p["name"] == "rotation-policy"))')"
for crate in "${crates[@]}"; do
    file="target/package/$crate-$version.crate"
    listing="$(tar -tzf "$file")"
    if grep -E '/(tests|benches|fuzz|seeds|corpus|golden|fixtures)/' <<< "$listing"; then
        echo "package-crates: $file ships the files above" >&2
        exit 1
    fi
    for required in Cargo.toml README.md LICENSE-MIT LICENSE-APACHE src/lib.rs src/main.rs; do
        case "$required" in
            src/lib.rs) [[ $crate == rotation-policy-cli ]] && continue ;;
            src/main.rs) [[ $crate != rotation-policy-cli ]] && continue ;;
        esac
        grep -qx "$crate-$version/$required" <<< "$listing" || {
            echo "package-crates: $file lacks $required" >&2
            exit 1
        }
    done
    printf 'package-crates: %-40s %8d bytes compressed, %3d files\n' \
        "$(basename "$file")" "$(stat -c %s "$file")" "$(wc -l <<< "$listing")"
done

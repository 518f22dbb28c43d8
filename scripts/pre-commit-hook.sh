#!/usr/bin/env bash
# Runs this repository's `rotation-policy-lint` pre-commit hook the way a user
# does: pre-commit (pinned in requirements-ecosystem.txt) installs the hook
# from this repository at its HEAD commit into a temporary git repository,
# then two commits are tried there:
#   - a clean execution role policy (generated): the commit is made;
#   - the same policy under the `aws-doc-2021` profile, with
#     `aws:SourceAccount` in the execution role (the AccessDenied mistake):
#     the commit fails and the output names SERVICE_REQUEST_KEY_IN_IDENTITY_POLICY.
# Uncommitted changes are not seen: the hook is cloned at HEAD.
#
#   bash scripts/pre-commit-hook.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

venv_bin="$(bash scripts/tool-env.sh ecosystem)"
cargo build --quiet -p rotation-policy-cli
cli="$root/target/debug/rotation-policy"
rev="$(git rev-parse HEAD)"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export PRE_COMMIT_HOME="$work/cache"
# The hook's release build of the CLI goes to this repository's target/,
# where an earlier run leaves it.
export CARGO_TARGET_DIR="$root/target"

repo="$work/repo"
git init --quiet "$repo"
git -C "$repo" config user.email "hook-test@example.invalid"
git -C "$repo" config user.name "hook test"
cat > "$repo/.pre-commit-config.yaml" <<YAML
repos:
  - repo: $root
    rev: $rev
    hooks:
      - id: rotation-policy-lint
YAML
"$venv_bin/pre-commit" --version
(cd "$repo" && "$venv_bin/pre-commit" install)
git -C "$repo" add .pre-commit-config.yaml
(cd "$repo" && PATH="$venv_bin:$PATH" git commit --quiet -m "pre-commit config")

values=(--account 111122223333
    --secret arn:aws:secretsmanager:us-east-1:111122223333:secret:app-db-AbCdEf
    --function arn:aws:lambda:us-east-1:111122223333:function:rotate-app-db)
mkdir "$repo/iam"
"$cli" generate --strategy single-user "${values[@]}" --only execution-role-policy \
    > "$repo/iam/rotation-role-policy.json"
"$cli" generate --strategy single-user "${values[@]}" --profile aws-doc-2021 \
    --only execution-role-policy > "$repo/iam/rotation-role-policy-2021.json"

echo "pre-commit-hook: committing the clean policy (the first run builds the hook)"
git -C "$repo" add iam/rotation-role-policy.json
if ! (cd "$repo" && PATH="$venv_bin:$PATH" git commit -m "clean policy") > "$work/good.log" 2>&1; then
    cat "$work/good.log" >&2
    echo "pre-commit-hook: the clean policy's commit failed" >&2
    exit 1
fi
grep -E 'rotation-policy lint' "$work/good.log"
grep -q 'Passed' "$work/good.log" || { cat "$work/good.log" >&2; echo "pre-commit-hook: the hook did not pass" >&2; exit 1; }
before="$(git -C "$repo" rev-parse HEAD)"

echo "pre-commit-hook: committing the policy with aws:SourceAccount in the execution role"
git -C "$repo" add iam/rotation-role-policy-2021.json
status=0
(cd "$repo" && PATH="$venv_bin:$PATH" git commit -m "bad policy") > "$work/bad.log" 2>&1 || status=$?
cat "$work/bad.log"
if [[ $status -eq 0 ]]; then
    echo "pre-commit-hook: the bad policy was committed" >&2
    exit 1
fi
if [[ "$(git -C "$repo" rev-parse HEAD)" != "$before" ]]; then
    echo "pre-commit-hook: HEAD moved although the commit failed" >&2
    exit 1
fi
for expected in 'Failed' 'SERVICE_REQUEST_KEY_IN_IDENTITY_POLICY' 'iam/rotation-role-policy-2021.json'; do
    if ! grep -q -- "$expected" "$work/bad.log"; then
        echo "pre-commit-hook: the failed commit's output lacks \`$expected\`" >&2
        exit 1
    fi
done
echo "pre-commit-hook: clean policy committed, bad policy rejected (git commit exit $status) with its finding printed"

#!/usr/bin/env bash
# Real templates from the AWS CDK, offline: installs tests/cdk-app (aws-cdk-lib
# and constructs at the versions its package-lock.json pins) with `npm ci`,
# synthesises it with plain node (no cdk CLI, no AWS account: the stacks are
# environment-agnostic), then
#
# 1. compares CustomRotationStack with tests/templates/cdk-custom-rotation.template.json,
#    the copy the Rust tests read (so that fixture stays what the CDK writes);
# 2. runs `rotation-policy lint` on cdk.out and expects exactly one finding:
#    the CDK's `AWS::Lambda::Permission` for the custom rotation function,
#    which has no `SourceAccount`/`SourceArn` (RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL
#    at its `Principal`), and a note for the hosted rotation's transform;
# 3. runs `rotation-policy check --template` on CustomRotationStack and
#    expects rotation allowed (exit 0), provable, with the function policy
#    open to Secrets Manager acting for another account; and on
#    HostedRotationStack a usage error (exit 2) that says the transform
#    deploys the function.
#
#   bash scripts/cdk-templates.sh       # needs node and npm (the npm registry, once)
#
# Exits non-zero when an expectation fails.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
app="$root/tests/cdk-app"
fixture="$root/tests/templates/cdk-custom-rotation.template.json"

for tool in node npm; do
    command -v "$tool" > /dev/null || { echo "cdk-templates: \`$tool\` is not installed" >&2; exit 1; }
done
cargo build --quiet -p rotation-policy-cli
cli="$root/target/debug/rotation-policy"

echo "== npm ci (tests/cdk-app)"
(cd "$app" && npm ci --no-audit --no-fund --loglevel=error)
echo "== synthesise with node"
out="$app/cdk.out"
rm -rf "$out"
node "$app/app.js" "$out"
custom="$out/CustomRotationStack.template.json"
hosted="$out/HostedRotationStack.template.json"
for t in "$custom" "$hosted"; do
    [[ -s "$t" ]] || { echo "cdk-templates: the app wrote no $t" >&2; exit 1; }
done

# The script's own outputs, outside cdk.out (which lint walks).
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail=0
expect() { echo "cdk-templates: $*" >&2; fail=1; }

echo "== the fixture is what the CDK writes"
if ! diff -u "$fixture" "$custom" > "$work/fixture.diff"; then
    expect "tests/templates/cdk-custom-rotation.template.json differs from the synthesised template (aws-cdk-lib changed?):"
    head -40 "$work/fixture.diff" >&2
fi

echo "== rotation-policy lint cdk.out"
lint_status=0
"$cli" lint --format json --fail-on security-warning "$out" > "$work/lint.json" 2> "$work/lint.stderr" || lint_status=$?
cat "$work/lint.stderr"
[[ $lint_status -eq 1 ]] || expect "lint exited $lint_status, expected 1 (a security warning)"
node - "$work/lint.json" "$custom" <<'JS' || fail=1
// Exactly one finding: the custom rotation function's permission without a source.
const fs = require('fs');
const [lintFile, custom] = process.argv.slice(2);
const findings = JSON.parse(fs.readFileSync(lintFile, 'utf8'));
const template = JSON.parse(fs.readFileSync(custom, 'utf8'));
const permissions = Object.entries(template.Resources)
  .filter(([, r]) => r.Type === 'AWS::Lambda::Permission');
const problems = [];
if (permissions.length !== 1) problems.push(`expected one AWS::Lambda::Permission, found ${permissions.length}`);
const [id, permission] = permissions[0] || ['', { Properties: {} }];
// What the CDK really writes: the service principal, no SourceAccount or SourceArn.
if (permission.Properties.Principal !== 'secretsmanager.amazonaws.com') problems.push(`Principal is ${JSON.stringify(permission.Properties.Principal)}`);
for (const key of ['SourceAccount', 'SourceArn']) {
  if (key in permission.Properties) problems.push(`the CDK now writes ${key}: update the expectations`);
}
const expected = `/Resources/${id}/Properties/Principal`;
const ok = findings.length === 1
  && findings[0].code === 'RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL'
  && findings[0].severity === 'security_warning'
  && findings[0].pointer === expected
  && findings[0].file.endsWith('CustomRotationStack.template.json');
if (!ok) problems.push(`expected one RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL at ${expected}, found ${JSON.stringify(findings)}`);
for (const p of problems) console.error(`cdk-templates: lint: ${p}`);
if (problems.length) process.exit(1);
console.log(`lint: RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL at ${expected} (line ${findings[0].line}), as expected`);
JS
grep -q "transform \`AWS::SecretsManager-2024-09-16\` adds the hosted rotation function" "$work/lint.stderr" \
    || expect "lint did not note the hosted rotation's transform"

echo "== rotation-policy check --template CustomRotationStack"
check_status=0
"$cli" check --strategy single-user --template "$custom" > "$work/check.txt" || check_status=$?
cat "$work/check.txt"
[[ $check_status -eq 0 ]] || expect "check exited $check_status, expected 0 (rotation allowed)"
"$cli" check --strategy single-user --format json --template "$custom" > "$work/check.json" || true
node - "$work/check.json" <<'JS' || fail=1
const report = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8'));
const problems = [];
if (report.allowed !== true) problems.push('not allowed');
if (report.template.provable !== true) problems.push(`not provable: ${report.template.unprovable}`);
const denied = report.requirements.filter((r) => r.decision !== 'allowed');
if (denied.length) problems.push(`denied: ${JSON.stringify(denied)}`);
if (!report.requirements.some((r) => r.action === 'kms:Decrypt')) problems.push('no KMS requests: the secret key was not found');
if (!report.template.key_policy || !report.template.secret_policy) problems.push('the key or secret policy was not read');
if (report.resource_policy.restricted !== false) problems.push('the function policy is said to be restricted');
for (const p of problems) console.error(`cdk-templates: check: ${p}`);
if (problems.length) process.exit(1);
JS

echo "== rotation-policy check --template HostedRotationStack (its function comes from the transform)"
hosted_status=0
"$cli" check --strategy single-user --template "$hosted" > /dev/null 2> "$work/hosted.stderr" || hosted_status=$?
cat "$work/hosted.stderr"
[[ $hosted_status -eq 2 ]] || expect "check on the hosted rotation stack exited $hosted_status, expected 2"
grep -q "is hosted" "$work/hosted.stderr" || expect "the hosted rotation error does not say the rotation is hosted"

if [[ $fail -ne 0 ]]; then
    echo "cdk-templates: expectations failed" >&2
    exit 1
fi
echo "cdk-templates: all expectations hold"

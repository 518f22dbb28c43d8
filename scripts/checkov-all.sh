#!/usr/bin/env bash
# checkov oracle for `rotation-policy generate --format terraform`.
#
# Writes the Terraform configuration (JSON syntax) of every option
# combination into a directory of its own (a Terraform module each: the
# resource names repeat) and runs checkov (pinned in requirements-checkov.txt)
# once over all of them. Fails on any failed check, any parsing error, or a
# configuration checkov did not check. Checks listed in
# scripts/checkov-skips.txt (ID, then the reason) are skipped.
#
# A control first: one configuration with `source_account` removed from the
# Lambda permission must fail CKV_AWS_364 ("Lambda function permissions
# delegated to AWS services are limited by SourceArn or SourceAccount"), so a
# checkov that reads nothing cannot pass this script.
#
#   bash scripts/checkov-all.sh           # builds the CLI, sets up ./.venv-checkov
#
# The combinations and their flags come from the option space
# (tests/option-space), as in scripts/cfn-lint-all.sh.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

venv_bin="$(bash scripts/tool-env.sh checkov)"
cargo build --quiet -p rotation-policy-cli -p rotation-policy-option-space
cli="$root/target/debug/rotation-policy"

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

skips="$(grep -Ev '^\s*(#|$)' scripts/checkov-skips.txt | awk '{ print $1 }' | paste -sd, || true)"
# --skip-download: checkov's default run asks Prisma Cloud for guidelines,
# a network call that fails here and that the checks do not need.
checkov() {
    "$venv_bin/checkov" --framework terraform_json --skip-download --output json \
        ${skips:+--skip-check "$skips"} "$@"
}

"$root/target/debug/option-space" > "$out/combinations.jsonl"
"$venv_bin/python" - "$out/combinations.jsonl" > "$out/combinations.tsv" <<'PY'
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    combination = json.loads(line)
    fields = [combination["label"], *combination["args"]]
    if any(not f or "\t" in f or "\n" in f for f in fields):
        sys.exit(f"checkov-all: a field the tab-separated list cannot hold: {fields}")
    print("\t".join(fields))
PY

mkdir "$out/configs" "$out/control"
count=0
while IFS=$'\t' read -r -a fields; do
    label="${fields[0]}"
    args=(generate --format terraform "${fields[@]:1}")
    mkdir "$out/configs/$label"
    if ! "$cli" "${args[@]}" > "$out/configs/$label/main.tf.json"; then
        echo "checkov-all: $label: rotation-policy ${args[*]} failed" >&2
        exit 1
    fi
    count=$((count + 1))
done < "$out/combinations.tsv"
expected="$(wc -l < "$out/combinations.jsonl")"
if [[ $count -ne $expected || $count -eq 0 ]]; then
    echo "checkov-all: wrote $count configurations for $expected combinations" >&2
    exit 1
fi

echo "checkov-all: control: a permission without source_account must fail CKV_AWS_364"
first="$(head -n 1 "$out/combinations.tsv" | cut -f1)"
"$venv_bin/python" - "$out/configs/$first/main.tf.json" > "$out/control/main.tf.json" <<'PY'
import json, sys
config = json.load(open(sys.argv[1], encoding="utf-8"))
for permission in config["resource"]["aws_lambda_permission"].values():
    permission.pop("source_account")
    permission.pop("source_arn", None)
json.dump(config, sys.stdout, indent=2)
PY
checkov -d "$out/control" > "$out/control.json" || true
"$venv_bin/python" - "$out/control.json" <<'PY'
import json, sys
report = json.load(open(sys.argv[1], encoding="utf-8"))
failed = {c["check_id"] for c in report.get("results", {}).get("failed_checks", [])}
if "CKV_AWS_364" not in failed:
    sys.exit(f"checkov-all: the control did not fail CKV_AWS_364 (failed: {sorted(failed)})")
print("checkov-all: control failed CKV_AWS_364, as it must")
PY

echo "checkov-all: checking $count configurations with checkov $("$venv_bin/checkov" --version)"
status=0
checkov -d "$out/configs" > "$out/report.json" || status=$?
"$venv_bin/python" - "$out/report.json" "$count" "$status" <<'PY'
import collections, json, sys
path, count, status = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
report = json.load(open(path, encoding="utf-8"))
if isinstance(report, list):
    sys.exit(f"checkov-all: expected one report (terraform_json), got {len(report)}")
results, summary = report["results"], report["summary"]
per_file = collections.Counter(c["file_path"] for c in results["passed_checks"])
checks = collections.Counter(c["check_id"] for c in results["passed_checks"])
for c in results["failed_checks"]:
    print(f'{c["file_path"]}: {c["check_id"]} {c["check_name"]} ({c["resource"]})', file=sys.stderr)
problems = []
if summary["failed"] or results["failed_checks"]:
    problems.append(f'{summary["failed"]} failed check(s)')
if summary["parsing_errors"]:
    problems.append(f'{summary["parsing_errors"]} parsing error(s): {results.get("parsing_errors")}')
if len(per_file) != count:
    problems.append(f"checks ran on {len(per_file)} of {count} configurations")
if status != 0 and not problems:
    problems.append(f"checkov exited {status}")
if problems:
    sys.exit("checkov-all: " + "; ".join(problems))
print(f'checkov-all: {count} configurations, {summary["passed"]} passed checks, 0 failed, '
      f'{summary["skipped"]} skipped; per check: '
      + ", ".join(f"{k} {v}" for k, v in sorted(checks.items())))
PY

#!/usr/bin/env bash
# cfn-lint oracle for `rotation-policy generate --format cloudformation`.
#
# Writes the template fragment of every option combination into a temporary
# directory and runs cfn-lint (pinned in requirements-test.txt) once over all
# of them. Any finding, error, warning or informational, fails the run.
#
#   bash scripts/cfn-lint-all.sh          # builds the CLI, sets up ./.venv
#
# The combinations and their flags come from the option space
# (tests/option-space), whose `option-space` binary prints one JSON line per
# combination: {"label": ..., "args": [...], ...}.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

venv_bin="$(bash scripts/python-env.sh)"
cargo build --quiet -p rotation-policy-cli -p rotation-policy-option-space
cli="$root/target/debug/rotation-policy"

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

"$root/target/debug/option-space" > "$out/combinations.jsonl"
# One line per combination: the label, then the flags, tab-separated.
"$venv_bin/python" - "$out/combinations.jsonl" > "$out/combinations.tsv" <<'PY'
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    combination = json.loads(line)
    fields = [combination["label"], *combination["args"]]
    if any(not f or "\t" in f or "\n" in f for f in fields):
        sys.exit(f"cfn-lint-all: a field the tab-separated list cannot hold: {fields}")
    print("\t".join(fields))
PY

count=0
while IFS=$'\t' read -r -a fields; do
    label="${fields[0]}"
    args=(generate --format cloudformation "${fields[@]:1}")
    if ! "$cli" "${args[@]}" > "$out/$label.json"; then
        echo "cfn-lint-all: $label: rotation-policy ${args[*]} failed" >&2
        exit 1
    fi
    count=$((count + 1))
done < "$out/combinations.tsv"
expected="$(wc -l < "$out/combinations.jsonl")"
if [[ $count -ne $expected || $count -eq 0 ]]; then
    echo "cfn-lint-all: wrote $count templates for $expected combinations" >&2
    exit 1
fi

echo "cfn-lint-all: linting $count templates with $("$venv_bin/cfn-lint" --version)"
status=0
"$venv_bin/cfn-lint" --format parseable -- "$out"/*.json > "$out/findings.txt" || status=$?
if [[ -s "$out/findings.txt" || $status -ne 0 ]]; then
    sed "s|$out/||" "$out/findings.txt" >&2
    echo "cfn-lint-all: cfn-lint exited $status with $(wc -l < "$out/findings.txt") finding(s)" >&2
    exit 1
fi
echo "cfn-lint-all: $count templates, no findings"

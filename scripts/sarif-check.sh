#!/usr/bin/env bash
# Checks `rotation-policy lint --format sarif` against SARIF 2.1.0 and reads
# it with SARIF consumers:
#
# 1. the SARIF 2.1.0 JSON schema, as shipped by the npm package
#    @microsoft/sarif-multitool-linux (pinned below), with the Python
#    `jsonschema` validator (pinned in requirements-ecosystem.txt);
# 2. that package's SARIF Multitool `validate` (the SARIF SDK's own
#    validator: the schema plus the specification's rules, SARIF1xxx/2xxx):
#    no result at all;
# 3. sarif-tools (pinned in requirements-ecosystem.txt): its records must be
#    the findings of `lint --format json` on the same files, one for one
#    (file, line, code, level).
#
# Inputs: the lint corpus (tests/lint/bad, tests/lint/good), a file whose
# name has a space, a run with no finding, and stdin plus an absolute path.
#
#   bash scripts/sarif-check.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
multitool_version=5.7.0

venv_bin="$(bash scripts/tool-env.sh ecosystem)"
tools="$root/.tools/sarif-multitool-$multitool_version"
package="$tools/node_modules/@microsoft/sarif-multitool-linux"
if [[ ! -f "$package/sarif-2.1.0.json" ]]; then
    echo "sarif-check: installing @microsoft/sarif-multitool-linux@$multitool_version (npm)" >&2
    npm install --silent --no-save --no-audit --no-fund --prefix "$tools" \
        "@microsoft/sarif-multitool-linux@$multitool_version" >&2
fi
schema="$package/sarif-2.1.0.json"
multitool="$package/Sarif.Multitool"
cargo build --quiet -p rotation-policy-cli
cli="$root/target/debug/rotation-policy"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/in/with space"
cp -r tests/lint/bad tests/lint/good "$work/in/"
cp tests/lint/bad/invalid_action.json "$work/in/with space/role policy.json"

# Relative file names, as a code scanning upload has them.
cd "$work/in"
lint() { # output file, lint arguments...; exit 0 or 1 (findings) is fine
    local out=$1 status=0
    shift
    "$cli" lint "$@" > "$out" || status=$?
    if [[ $status -gt 1 ]]; then
        echo "sarif-check: rotation-policy lint $* exited $status" >&2
        exit 1
    fi
}
lint "$work/corpus.sarif" --format sarif --fail-on suggestion -- bad/*.json good/*.json "with space/role policy.json"
lint "$work/corpus.json" --format json --fail-on suggestion -- bad/*.json good/*.json "with space/role policy.json"
lint "$work/clean.sarif" --format sarif -- good/*.json
lint "$work/stdin.sarif" --format sarif -- - "$work/in/bad/invalid_action.json" < "$root/tests/lint/bad/invalid_effect.json"
logs=(corpus clean stdin)

echo "sarif-check: 1. JSON schema ($(basename "$schema") from the npm package, jsonschema $("$venv_bin/python" -c 'import importlib.metadata as m; print(m.version("jsonschema"))'))"
"$venv_bin/python" - "$schema" "${logs[@]/#/$work/}" <<'PY'
import json, sys
from jsonschema import Draft202012Validator
schema = json.load(open(sys.argv[1], encoding="utf-8"))
Draft202012Validator.check_schema(schema)
validator = Draft202012Validator(schema)
bad = 0
for path in sys.argv[2:]:
    log = json.load(open(path + ".sarif", encoding="utf-8"))
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
    for e in errors:
        print(f"{path}: {'/'.join(map(str, e.absolute_path))}: {e.message}", file=sys.stderr)
    bad += len(errors)
    results = sum(len(run.get("results", [])) for run in log["runs"])
    rules = sum(len(run["tool"]["driver"].get("rules", [])) for run in log["runs"])
    print(f"  {path.rsplit('/', 1)[-1]}.sarif: valid, {results} results, {rules} rules")
if bad:
    sys.exit(f"sarif-check: {bad} schema violation(s)")
# A control: the validator must reject a level SARIF does not have.
log = json.load(open(sys.argv[2] + ".sarif", encoding="utf-8"))
log["runs"][0]["results"][0]["level"] = "fatal"
if validator.is_valid(log):
    sys.exit("sarif-check: the schema accepted a result with level `fatal`")
print("  control: a result with level `fatal` is rejected")
PY

echo "sarif-check: 2. SARIF Multitool $multitool_version validate"
files=()
for log in "${logs[@]}"; do files+=("$work/$log.sarif"); done
"$multitool" validate "${files[@]}" --output "$work/validation.sarif" --log ForceOverwrite \
    > "$work/validation.txt" 2>&1 || { cat "$work/validation.txt" >&2; exit 1; }
"$venv_bin/python" - "$work/validation.sarif" "$work/validation.txt" "${logs[@]}" <<'PY'
import json, sys
report = json.load(open(sys.argv[1], encoding="utf-8"))
results = [r for run in report["runs"] for r in run.get("results", [])]
if results:
    sys.stderr.write(open(sys.argv[2], encoding="utf-8").read())
    sys.exit(f"sarif-check: the Multitool reports {len(results)} problem(s)")
text = open(sys.argv[2], encoding="utf-8").read()
if f"Done. {len(sys.argv) - 3} files scanned." not in text:
    sys.stderr.write(text)
    sys.exit(f"sarif-check: the Multitool did not scan the {len(sys.argv) - 3} logs")
print(f"  {', '.join(name + '.sarif' for name in sys.argv[3:])}: no problem reported")
PY

echo "sarif-check: 3. sarif-tools $("$venv_bin/python" -c 'import importlib.metadata as m; print(m.version("sarif-tools"))') reads the findings of \`lint --format json\`"
# To a file first: piped into `head`, the summary's writer would get a
# broken pipe (and fail the script under pipefail) as soon as it is longer.
"$venv_bin/sarif" summary "$work/corpus.sarif" > "$work/summary.txt"
head -n 4 "$work/summary.txt"
"$venv_bin/python" - "$work/corpus.sarif" "$work/corpus.json" <<'PY'
import collections, json, sys
from sarif import loader
sarif = loader.load_sarif_file(sys.argv[1])
findings = json.load(open(sys.argv[2], encoding="utf-8"))
level = {"error": "error", "security_warning": "warning", "warning": "warning", "suggestion": "note"}
# sarif-tools reports locations as written (percent-encoded URI references).
expected = collections.Counter(
    (f["file"].replace(" ", "%20"), f["line"], f["code"], level[f["severity"]]) for f in findings)
got = collections.Counter(
    (r["Location"], r["Line"], r["Code"], r["Severity"]) for r in sarif.get_records())
if got != expected or not expected:
    for key in sorted((expected - got) + (got - expected)):
        print(f"  {'missing' if expected[key] > got[key] else 'extra'}: {key}", file=sys.stderr)
    sys.exit(f"sarif-check: sarif-tools read {sum(got.values())} results, lint --format json has {len(findings)}")
levels = collections.Counter(key[3] for key in got.elements())
print(f"  corpus.sarif: {sarif.get_result_count()} results read, the same as lint --format json "
      f"({', '.join(f'{n} {l}' for l, n in sorted(levels.items()))}), "
      f"{len({key[0] for key in got})} files, {len({key[2] for key in got})} rules")
PY
echo "sarif-check: SARIF output valid for the schema and the Multitool, and read by sarif-tools"

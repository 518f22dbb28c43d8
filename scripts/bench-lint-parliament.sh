#!/usr/bin/env bash
# `rotation-policy lint` against parliament 1.6.4 on the same files, ratios in one run.
#
#   scripts/bench-lint-parliament.sh [RUNS]
#
# Two sets:
#   small   2,000 rotation policies written by `rotation-policy generate` (execution role
#           and Lambda resource policies of several option combinations, each file with
#           its own account id);
#   managed the 1,643 AWS managed policies of shared/corpora/aws-managed-policies-2026-08
#           (beside the repository: ../shared from its root, or $MANAGED_CORPUS).
# For each set: one `rotation-policy lint --format json` call over all files (the whole
# process, start-up included), against parliament's `analyze_policy_string` over the same
# files in a loop inside one Python process that has already imported parliament and
# analysed one policy (only the loop is timed). Each side runs RUNS times (default 5),
# alternating; the medians and their ratio are printed. Targets: 100x on the small set,
# 50x on the managed set.
#
# Then how lint time grows with a statement's size: one statement of the 2,355 first
# actions of AWS's ReadOnlyAccess (both its statements' actions, in order) against one of
# its first 500, each file 50 times in one call, RUNS calls each, alternating; the ratio
# of the medians (target: at most 6, linear would be 4.7).
#
# Needs python3 for the venv (scripts/python-env.sh installs parliament from
# requirements-test.txt) and builds the release binary.
set -euo pipefail

runs="${1:-5}"
root="$(cd "$(dirname "$0")/.." && pwd)"
corpus="${MANAGED_CORPUS:-$root/../shared/corpora/aws-managed-policies-2026-08}"
if [[ ! -d "$corpus" ]]; then
  echo "bench-lint-parliament: the managed-policy corpus is missing: $corpus (set MANAGED_CORPUS)" >&2
  exit 2
fi
venv_bin="$(bash "$root/scripts/python-env.sh")"
cargo build --release --quiet -p rotation-policy-cli --manifest-path "$root/Cargo.toml"
bin="$root/target/release/rotation-policy"

dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
mkdir "$dir/small"

# 2,000 small policies: the documents of a few option combinations, each with
# its own 12-digit account.
variants=(
  "--strategy single-user --only execution-role-policy"
  "--strategy alternating-users --only execution-role-policy"
  "--strategy single-user --only resource-policy"
  "--strategy alternating-users --kms-key KMS --only execution-role-policy"
  "--strategy single-user --kms-key KMS --only execution-role-policy"
)
for ((i = 0; i < 2000; i++)); do
  account=$(printf '1111%08d' "$i")
  variant="${variants[$((i % ${#variants[@]}))]}"
  variant="${variant/KMS/arn:aws:kms:us-east-1:$account:key/1234abcd-12ab-34cd-56ef-1234567890ab}"
  # shellcheck disable=SC2086 # the variant is a list of arguments
  "$bin" generate $variant --account "$account" \
    --secret "arn:aws:secretsmanager:us-east-1:$account:secret:app-db-AbCdEf" \
    --function "arn:aws:lambda:us-east-1:$account:function:rotate-app-db" \
    --superuser-secret "arn:aws:secretsmanager:us-east-1:$account:secret:admin-XyZ123" \
    >"$dir/small/p$i.json"
done
echo "small: 2000 files, $(du -sh "$dir/small" | cut -f1); managed: $(find "$corpus" -name '*.json' | wc -l) files, $(du -sh "$corpus" | cut -f1)"

"$venv_bin/python" - "$bin" "$runs" "$dir/small" "$corpus" <<'PY'
import json, os, pathlib, statistics, sys, tempfile, time, warnings

warnings.filterwarnings("ignore")
import parliament  # noqa: E402

binary, runs, sets = sys.argv[1], int(sys.argv[2]), {"small": sys.argv[3], "managed": sys.argv[4]}
output = os.path.join(tempfile.mkdtemp(), "findings.json")

def ours(files, output):
    # posix_spawn, not fork: forking this process (parliament loaded) would
    # cost more than the linting being measured.
    argv = [binary, "lint", "--format", "json", "--", *files]
    actions = [(os.POSIX_SPAWN_OPEN, 1, output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)]
    start = time.perf_counter()
    pid = os.posix_spawn(binary, argv, os.environ, file_actions=actions)
    _, status = os.waitpid(pid, 0)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        sys.exit(f"rotation-policy lint failed with exit code {code}")
    with open(output) as f:
        return elapsed, len(json.load(f))

def theirs(texts):
    findings = 0
    start = time.perf_counter()
    for text in texts:
        try:
            findings += len(parliament.analyze_policy_string(text).findings)
        except Exception:  # parliament raises on some documents; count it and go on
            findings += 1
    return time.perf_counter() - start, findings

for name, directory in sets.items():
    files = sorted(str(p) for p in pathlib.Path(directory).glob("*.json"))
    texts = [pathlib.Path(f).read_text() for f in files]
    theirs(texts[:1])  # warm: parliament loads its data on first use
    a, b = [], []
    for _ in range(runs):
        t, n_ours = ours(files, output)
        a.append(t)
        t, n_theirs = theirs(texts)
        b.append(t)
    ma, mb = statistics.median(a), statistics.median(b)
    print(f"{name:8} {len(files):5} files  rotation-policy lint {ma*1000:9.1f} ms ({n_ours} findings)  "
          f"parliament {mb*1000:9.1f} ms ({n_theirs} findings)  ratio {mb/ma:6.1f}x  "
          f"(min/max ours {min(a)*1000:.1f}/{max(a)*1000:.1f} ms, parliament {min(b)*1000:.1f}/{max(b)*1000:.1f} ms)")
# Statement size: the 2,355 and 500 first actions of ReadOnlyAccess, one statement each.
read_only = pathlib.Path(sets["managed"]) / "ReadOnlyAccess.json"
actions = [a for st in json.loads(read_only.read_text())["Statement"]
           for a in (st["Action"] if isinstance(st.get("Action"), list) else [])]
if len(actions) < 2355:
    sys.exit(f"ReadOnlyAccess has {len(actions)} actions, fewer than 2,355")
scaling = pathlib.Path(tempfile.mkdtemp())
sizes = {}
for n in (2355, 500):
    policy = {"Version": "2012-10-17",
              "Statement": [{"Effect": "Allow", "Action": actions[:n], "Resource": "*"}]}
    files = []
    for copy in range(50):
        path = scaling / f"s{n}-{copy}.json"
        path.write_text(json.dumps(policy, indent=2))
        files.append(str(path))
    sizes[n] = files
times = {2355: [], 500: []}
for _ in range(runs):
    for n, files in sizes.items():
        times[n].append(ours(files, output)[0])
big, small = statistics.median(times[2355]), statistics.median(times[500])
print(f"scaling  one statement of 2,355 actions {big*1000/50:7.2f} ms, of 500 actions {small*1000/50:7.2f} ms "
      f"(per file, 50 files a call)  ratio {big/small:5.2f}")
PY

#!/usr/bin/env bash
# Compile-time cost of `rotation_policy!` (issue 3).
#
#   scripts/bench-macro-build.sh            # RUNS=5 incremental rebuilds, COLD_RUNS=3 cold builds
#   RUNS=9 COLD_RUNS=1 scripts/bench-macro-build.sh
#
# 1. Incremental: a generated consumer crate with N = 100 and N = 1000
#    `rotation_policy!` constants against the same crate with N hand-written
#    `RotationPolicies { .. }` literals (the same bytes, from the CLI). Only the
#    consumer is touched and rebuilt (`cargo build`, debug), RUNS times, the
#    macro crate and the literal crate in turn; medians, and the per
#    invocation cost as the median of the paired differences.
#    Targets: ratio <= 1.15 at N = 100; <= 60 us per invocation at N = 1000.
#    Measured three times: with the default profile (the macro and its
#    dependencies at opt-level 0), with `opt-level = 3` for the crates the
#    macro runs (the override its docs show), and with
#    `[profile.dev.build-override] opt-level = 3`.
# 2. Cold: a fresh target directory, `cargo build` of a crate using the facade
#    (facade + macro + core + their dependencies) against a bare proc-macro
#    crate using syn, serde (derive) and serde_json, in turn. Target ratio
#    <= 1.3.
# 3. `cargo tree -d` of the workspace: one major version of syn.
#
# With valgrind installed, the N = 1000 rebuilds of step 1 also run under
# callgrind: the instructions per invocation are exact where the CPU medians
# carry the shared machine's noise (~10 us per invocation between runs).
#
# Everything runs offline in a temporary directory (removed at exit) with its
# own target directory, so it does not wait on the workspace's build lock.
# Each figure is a median of wall time and of CPU time (user + system of cargo
# and the rustc processes it waits for). On a busy machine wall time inflates
# with the load; CPU time stays close to the quiet-machine cost, so the targets
# are judged on it. Rerun if in doubt.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS="${RUNS:-5}"
COLD_RUNS="${COLD_RUNS:-3}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/bench-macro-build.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
export CARGO_TERM_COLOR=never

log() { printf '%s\n' "$*" >&2; }
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
# Runs a command and prints "WALL_MS CPU_MS": CPU is user + system time of
# the command and every process it waited for (cargo -> rustc), which a busy
# machine distorts far less than wall time.
# getrusage(RUSAGE_CHILDREN) rather than /usr/bin/time, whose 10 ms steps
# are 10 us per invocation at N = 1000. The difference of two readings: the
# totals survive exec, so a launcher such as a pyenv shim would add its own.
timed() {
    python3 -c '
import resource, subprocess, sys, time
def cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime
cpu_start, start = cpu(), time.perf_counter()
code = subprocess.call(sys.argv[1:])
wall, used = time.perf_counter() - start, cpu() - cpu_start
print("%.1f %.1f" % (wall * 1000, used * 1000))
sys.exit(code)
' "$@"
}

# A snapshot of the committed sources: other work in the tree (or a later
# commit) must not trigger rebuilds of the macro in the middle of a timing.
SNAP="$WORK/snapshot"
mkdir -p "$SNAP"
git -C "$ROOT" archive --format=tar HEAD | tar -x -C "$SNAP"
log "measuring $(git -C "$ROOT" rev-parse --short HEAD)"
export CARGO_TARGET_DIR="$WORK/target"

log "building the CLI (for the literal crates' JSON)"
cargo build --offline --quiet --manifest-path "$SNAP/Cargo.toml" -p rotation-policy-cli
CLI="$CARGO_TARGET_DIR/debug/rotation-policy"

# --- generated consumer crates -------------------------------------------------
BENCH="$WORK/bench" # a workspace of its own, beside (not around) the snapshot
mkdir -p "$BENCH"
python3 - "$BENCH" "$SNAP" "$CLI" <<'PY'
import json, pathlib, subprocess, sys

work, root, cli = pathlib.Path(sys.argv[1]), sys.argv[2], sys.argv[3]
NAME = "app-db"
ACCOUNT = "111122223333"
SECRET = f"arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:{NAME}-AbCdEf"
FUNCTION = f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:rotate-{NAME}"
SUPERUSER = f"arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:admin-XyZ123"
KEY = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"

def generate(only):
    args = [cli, "generate", "--strategy", "alternating-users", "--account", ACCOUNT, "--secret", SECRET,
            "--function", FUNCTION, "--superuser-secret", SUPERUSER, "--kms-key", KEY, "--only", only]
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout.removesuffix("\n")

resource, role = generate("resource-policy"), generate("execution-role-policy")
members = []
for n in (100, 1000):
    for kind in ("macro", "literal"):
        crate = f"{kind}_{n}"
        members.append(crate)
        src = work / crate / "src"
        src.mkdir(parents=True)
        (work / crate / "Cargo.toml").write_text(
            f'[package]\nname = "{crate}"\nversion = "0.0.0"\nedition = "2021"\npublish = false\n\n'
            f'[dependencies]\nrotation-policy = {{ path = "{root}" }}\n')
        lines = ["use rotation_policy::RotationPolicies;"]
        if kind == "macro":
            lines.append("use rotation_policy::rotation_policy;")
        for i in range(n):
            name = f"app-{i:04}"  # same length as `app-db`: distinct constants, same JSON size
            if kind == "macro":
                lines.append(
                    f"pub const P{i}: RotationPolicies = rotation_policy! {{\n"
                    f"    strategy: alternating_users,\n    account: \"{ACCOUNT}\",\n"
                    f"    secret: \"{SECRET.replace(NAME, name)}\",\n    function: \"{FUNCTION.replace(NAME, name)}\",\n"
                    f"    superuser_secret: \"{SUPERUSER}\",\n    kms: \"{KEY}\",\n}};")
            else:
                lines.append(
                    f"pub const P{i}: RotationPolicies = RotationPolicies {{\n"
                    f"    resource_policy: {json.dumps(resource.replace(NAME, name))},\n"
                    f"    execution_role_policy: {json.dumps(role.replace(NAME, name))},\n}};")
        (src / "lib.rs").write_text("\n".join(lines) + "\n")

# The same crates must expand to the same bytes: a check crate compares them.
check = work / "check"
(check / "src").mkdir(parents=True)
(check / "Cargo.toml").write_text(
    '[package]\nname = "check"\nversion = "0.0.0"\nedition = "2021"\npublish = false\n\n'
    '[dependencies]\nmacro_100 = { path = "../macro_100" }\nliteral_100 = { path = "../literal_100" }\n')
(check / "src" / "main.rs").write_text(
    "fn main() {\n" + "".join(f"    assert_eq!(macro_100::P{i}, literal_100::P{i});\n" for i in range(100))
    + '    println!("macro and literal crates agree");\n}\n')
members.append("check")

(work / "Cargo.toml").write_text(
    "[workspace]\nresolver = \"2\"\nmembers = [" + ", ".join(f'"{m}"' for m in members) + "]\n"
    "# BUILD_OVERRIDE\n")
PY
cp "$SNAP/Cargo.lock" "$BENCH/Cargo.lock"
cp "$SNAP/rust-toolchain.toml" "$BENCH/rust-toolchain.toml"

build() { cargo build --offline --quiet --manifest-path "$BENCH/Cargo.toml" "$@"; }

# Runs two timed commands in turn, RUNS times (A B A B ...), so that a change
# in the machine's load during the runs falls on both alike. Prints the
# medians "A_WALL A_CPU B_WALL B_CPU" and the medians of the per-pair
# differences "DIFF_WALL DIFF_CPU" (A - B), in ms.
paired() { # runs, command-for-A, command-for-B (each a shell function name + args)
    local runs=$1 a=$2 b=$3
    for _ in $(seq "$runs"); do
        printf '%s %s\n' "$($a)" "$($b)"
    done >"$WORK/pairs"
    local column
    for column in 1 2 3 4; do
        cut -d' ' -f"$column" "$WORK/pairs" | median
    done | paste -sd' ' | tr '\n' ' '
    awk '{ print $1 - $3 }' "$WORK/pairs" | median | tr '\n' ' '
    awk '{ print $2 - $4 }' "$WORK/pairs" | median
}

rebuild() { # crate -> "WALL CPU" (ms) of touch + rebuild
    touch "$BENCH/$1/src/lib.rs"
    timed cargo build --offline --quiet --manifest-path "$BENCH/Cargo.toml" -p "$1"
}

report_incremental() { # label
    log "incremental rebuilds ($1), $RUNS runs each, macro and literal crates in turn"
    build -p macro_100 -p literal_100 -p macro_1000 -p literal_1000
    local n100 n1000
    n100=$(paired "$RUNS" "rebuild macro_100" "rebuild literal_100")
    n1000=$(paired "$RUNS" "rebuild macro_1000" "rebuild literal_1000")
    echo "$n100 $n1000" | awk -v label="$1" '{
        printf "[%s] medians in ms, wall / cpu\n", label
        printf "  N=100:  macro %5.0f / %5.0f   literal %5.0f / %5.0f   ratio wall %.3fx cpu %.3fx (target <= 1.15x)\n",
            $1, $2, $3, $4, $1 / $3, $2 / $4
        printf "  N=1000: macro %5.0f / %5.0f   literal %5.0f / %5.0f   ratio wall %.3fx cpu %.3fx\n",
            $7, $8, $9, $10, $7 / $9, $8 / $10
        printf "          per invocation (median of the paired differences): wall %.0f us, cpu %.0f us (target <= 60 us)\n",
            $11, $12
    }'
}

log "building the generated crates"
cargo run --offline --quiet --manifest-path "$BENCH/Cargo.toml" -p check >&2
report_incremental "build-override default: macro at opt-level 0"

# Instructions, not time: the same rebuilds' rustc runs under callgrind, if
# valgrind is installed. Exact and independent of the machine's load, so
# they show what a change did where CPU medians move by their own noise.
instructions() { # crate -> instructions rustc executes to rebuild it
    local crate=$1 cmd
    touch "$BENCH/$crate/src/lib.rs"
    cmd=$(cd "$BENCH" && cargo build --offline --verbose -p "$crate" 2>&1 |
        sed -n "s/^ *Running \`\(.*--crate-name $crate .*\)\`\$/\1/p")
    touch "$BENCH/$crate/src/lib.rs"
    (cd "$BENCH" && eval "valgrind --tool=callgrind --callgrind-out-file=/dev/null $cmd" 2>&1 >/dev/null) |
        awk '/Collected/ { print $NF }'
}
if command -v valgrind >/dev/null; then
    log "instruction counts (callgrind), N = 1000"
    macro_ir=$(instructions macro_1000)
    literal_ir=$(instructions literal_1000)
    echo "$macro_ir $literal_ir" | awk '{
        printf "[instructions, macro at opt-level 0] N=1000: macro %d M, literal %d M, per invocation %.0f k\n",
            $1 / 1e6, $2 / 1e6, ($1 - $2) / 1000 / 1000
    }'
else
    log "valgrind not installed: no instruction counts"
fi
# The targeted override the macro's docs recommend: only the crates the macro
# runs, optimised (they are small: a few seconds more on a cold build).
TARGETED='[profile.dev.package.rotation-policy-macros]\nopt-level = 3\n[profile.dev.package.rotation-policy-core]\nopt-level = 3\n[profile.dev.package.syn]\nopt-level = 3\n[profile.dev.package.proc-macro2]\nopt-level = 3'
sed -i "s|^# BUILD_OVERRIDE\$|$TARGETED\n# BUILD_OVERRIDE|" "$BENCH/Cargo.toml"
report_incremental "opt-level = 3 for rotation-policy-macros, rotation-policy-core, syn, proc-macro2"
sed -i 's|^# BUILD_OVERRIDE$|[profile.dev.build-override]\nopt-level = 3|' "$BENCH/Cargo.toml"
report_incremental "build-override opt-level = 3 (every build script and proc macro)"

# --- cold builds -----------------------------------------------------------------
mkdir -p "$WORK/cold/facade/src" "$WORK/cold/bare/src"
cat >"$WORK/cold/facade/Cargo.toml" <<EOF
[package]
name = "facade-consumer"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
rotation-policy = { path = "$SNAP" }

[workspace]
EOF
cat >"$WORK/cold/facade/src/lib.rs" <<'EOF'
pub const P: rotation_policy::RotationPolicies = rotation_policy::rotation_policy! { strategy: single_user };
EOF
cat >"$WORK/cold/bare/Cargo.toml" <<'EOF'
[package]
name = "bare-proc-macro"
version = "0.0.0"
edition = "2021"
publish = false

[lib]
proc-macro = true

[dependencies]
syn = "3"
quote = "1"
proc-macro2 = "1"
serde = { version = "1", features = ["derive"] }
serde_json = "1"

[workspace]
EOF
cat >"$WORK/cold/bare/src/lib.rs" <<'EOF'
use proc_macro::TokenStream;

#[derive(serde::Serialize)]
struct Doc {
    version: String,
}

#[proc_macro]
pub fn doc(input: TokenStream) -> TokenStream {
    let lit: syn::LitStr = syn::parse_macro_input!(input);
    let json = serde_json::to_string(&Doc { version: lit.value() }).unwrap_or_default();
    quote::quote!(#json).into()
}
EOF
cp "$SNAP/Cargo.lock" "$WORK/cold/facade/Cargo.lock"
cp "$SNAP/Cargo.lock" "$WORK/cold/bare/Cargo.lock"
cp "$SNAP/rust-toolchain.toml" "$WORK/cold/facade/"
cp "$SNAP/rust-toolchain.toml" "$WORK/cold/bare/"

cold() { # dir -> "WALL CPU" (ms) of a build from an empty target directory
    rm -rf "$1/target"
    CARGO_TARGET_DIR="$1/target" timed cargo build --offline --quiet --manifest-path "$1/Cargo.toml"
}

log "cold builds, $COLD_RUNS runs each, facade and bare crate in turn"
default=$(paired "$COLD_RUNS" "cold $WORK/cold/facade" "cold $WORK/cold/bare")
printf '%b\n' "$TARGETED" >>"$WORK/cold/facade/Cargo.toml"
targeted=$(paired "$COLD_RUNS" "cold $WORK/cold/facade" "cold $WORK/cold/bare")
echo "$default $targeted" | awk '{
    printf "[cold debug build] medians in ms, wall / cpu\n"
    printf "  facade + macro %6.0f / %6.0f   bare syn+serde+serde_json proc-macro %6.0f / %6.0f   ratio wall %.3fx cpu %.3fx (target <= 1.3x)\n",
        $1, $2, $3, $4, $1 / $3, $2 / $4
    printf "  facade + macro with the targeted opt-level = 3 override %6.0f / %6.0f   bare %6.0f / %6.0f   ratio wall %.3fx cpu %.3fx\n",
        $7, $8, $9, $10, $7 / $9, $8 / $10
}'

echo "[cargo tree -d (workspace)]"
(cd "$ROOT" && cargo tree --offline -d --workspace -e normal,build,dev) || true
echo "[syn versions in the workspace]"
(cd "$ROOT" && cargo tree --offline --workspace -e normal,build,dev -i syn --depth 0 2>&1) || true

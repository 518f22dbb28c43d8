#!/usr/bin/env bash
# Compile-time cost of `rotation_policy!`.
#
#   scripts/bench-macro-build.sh            # RUNS=5 incremental rebuilds, COLD_RUNS=3 cold builds
#   RUNS=9 COLD_RUNS=1 N=1000 scripts/bench-macro-build.sh
#
# 1. Incremental: a generated consumer crate with N (default 500)
#    `rotation_policy!` constants against the same crate with N hand-written
#    `RotationPolicies { .. }` literals (the same bytes, from the CLI; a check
#    crate asserts that the two crates' constants are equal). Only the consumer
#    is touched and rebuilt (`cargo build`, the default dev profile: the macro
#    and its dependencies at opt-level 0), RUNS times, the macro crate and the
#    literal crate in turn; the medians, their ratio, and the cost per
#    invocation as the median of the paired differences divided by N.
#    Budget: 100 us per invocation.
# 2. With valgrind installed, the same two rebuilds' rustc runs under
#    callgrind: the instructions per invocation are exact where the CPU
#    medians carry the shared machine's noise.
# 3. Cold: a fresh target directory, `cargo build` (debug) of a crate using
#    the facade with its default features (facade + macro + core + their
#    dependencies) against a bare proc-macro crate using syn + quote, in
#    turn: once with syn's default features (what `syn = "3"` gives), once
#    with the features the macro itself uses. The ratios.
# 4. `cargo tree -d` of the workspace: one major version of syn.
#
# Everything runs offline in a temporary directory (removed at exit) with its
# own target directory, so it does not wait on the workspace's build lock.
# Each figure is a median of wall time and of CPU time (user + system of cargo
# and the rustc processes it waits for). On a busy machine wall time inflates
# with the load; CPU time stays close to the quiet-machine cost, so the budget
# is judged on it. Rerun if in doubt.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS="${RUNS:-5}"
COLD_RUNS="${COLD_RUNS:-3}"
N="${N:-500}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/bench-macro-build.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
export CARGO_TERM_COLOR=never

log() { printf '%s\n' "$*" >&2; }
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
# Runs a command and prints "WALL_MS CPU_MS": CPU is user + system time of
# the command and every process it waited for (cargo -> rustc), which a busy
# machine distorts far less than wall time.
# getrusage(RUSAGE_CHILDREN) rather than /usr/bin/time, whose 10 ms steps
# are 20 us per invocation at N = 500. The difference of two readings: the
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
python3 - "$BENCH" "$SNAP" "$CLI" "$N" <<'PY'
import json, pathlib, subprocess, sys

work, root, cli, n = pathlib.Path(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
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
for kind in ("with_macro", "with_literals"):
    src = work / kind / "src"
    src.mkdir(parents=True)
    (work / kind / "Cargo.toml").write_text(
        f'[package]\nname = "{kind}"\nversion = "0.0.0"\nedition = "2021"\npublish = false\n\n'
        f'[dependencies]\nrotation-policy = {{ path = "{root}" }}\n')
    lines = ["use rotation_policy::RotationPolicies;"]
    if kind == "with_macro":
        lines.append("use rotation_policy::rotation_policy;")
    for i in range(n):
        name = f"app-{i:04}"  # distinct constants; both crates use the same names
        if kind == "with_macro":
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

# The two crates must hold the same bytes: a check crate compares them.
check = work / "check"
(check / "src").mkdir(parents=True)
(check / "Cargo.toml").write_text(
    '[package]\nname = "check"\nversion = "0.0.0"\nedition = "2021"\npublish = false\n\n'
    '[dependencies]\nwith_macro = { path = "../with_macro" }\nwith_literals = { path = "../with_literals" }\n')
(check / "src" / "main.rs").write_text(
    "fn main() {\n" + "".join(f"    assert_eq!(with_macro::P{i}, with_literals::P{i});\n" for i in range(n))
    + f'    println!("the {n} macro constants equal the literals");\n}}\n')

(work / "Cargo.toml").write_text(
    '[workspace]\nresolver = "2"\nmembers = ["with_macro", "with_literals", "check"]\n')
PY
cp "$SNAP/Cargo.lock" "$BENCH/Cargo.lock"
cp "$SNAP/rust-toolchain.toml" "$BENCH/rust-toolchain.toml"

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

log "building the generated crates and checking that they agree"
cargo run --offline --quiet --manifest-path "$BENCH/Cargo.toml" -p check >&2

log "incremental rebuilds, N = $N, $RUNS runs each, macro and literal crates in turn"
paired "$RUNS" "rebuild with_macro" "rebuild with_literals" | awk -v n="$N" '{
    printf "[incremental rebuild, default dev profile, N=%d] medians in ms, wall / cpu\n", n
    printf "  macro %6.0f / %6.0f   literals %6.0f / %6.0f   ratio wall %.3fx cpu %.3fx\n",
        $1, $2, $3, $4, $1 / $3, $2 / $4
    printf "  per invocation (median of the paired differences / N): wall %.0f us, cpu %.0f us (budget 100 us)\n",
        $5 * 1000 / n, $6 * 1000 / n
}'

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
    log "instruction counts (callgrind), N = $N"
    macro_ir=$(instructions with_macro)
    literal_ir=$(instructions with_literals)
    echo "$macro_ir $literal_ir" | awk -v n="$N" '{
        printf "[instructions, rustc of the consumer, N=%d] macro %d M, literals %d M, per invocation %.0f k\n",
            n, $1 / 1e6, $2 / 1e6, ($1 - $2) / n / 1000
    }'
else
    log "valgrind not installed: no instruction counts"
fi

# --- cold builds -----------------------------------------------------------------
mkdir -p "$WORK/cold/facade/src" "$WORK/cold/bare/src" "$WORK/cold/bare-minimal/src"
cat >"$WORK/cold/facade/Cargo.toml" <<TOML
[package]
name = "facade-consumer"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
rotation-policy = { path = "$SNAP" }

[workspace]
TOML
cat >"$WORK/cold/facade/src/lib.rs" <<'RS'
pub const P: rotation_policy::RotationPolicies = rotation_policy::rotation_policy! { strategy: single_user };
RS
# The bare crate: a function-like proc macro that parses a string literal
# with syn and emits it with quote, and a crate that uses it (as the facade
# consumer uses the macro).
bare() { # dir, syn dependency line
    mkdir -p "$1/user/src"
    cat >"$1/Cargo.toml" <<TOML
[package]
name = "bare-proc-macro"
version = "0.0.0"
edition = "2021"
publish = false

[lib]
proc-macro = true

[dependencies]
$2
quote = "1"
proc-macro2 = "1"

[workspace]
members = ["user"]
TOML
    cat >"$1/src/lib.rs" <<'RS'
use proc_macro::TokenStream;

#[proc_macro]
pub fn doc(input: TokenStream) -> TokenStream {
    let lit: syn::LitStr = syn::parse_macro_input!(input);
    let value = lit.value();
    quote::quote!(#value).into()
}
RS
    cat >"$1/user/Cargo.toml" <<'TOML'
[package]
name = "bare-consumer"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
bare-proc-macro = { path = ".." }
TOML
    cat >"$1/user/src/lib.rs" <<'RS'
pub const P: &str = bare_proc_macro::doc!("{}");
RS
    cp "$SNAP/Cargo.lock" "$SNAP/rust-toolchain.toml" "$1/"
}
bare "$WORK/cold/bare" 'syn = "3"'
bare "$WORK/cold/bare-minimal" 'syn = { version = "3", default-features = false, features = ["parsing", "printing", "proc-macro"] }'
cp "$SNAP/Cargo.lock" "$SNAP/rust-toolchain.toml" "$WORK/cold/facade/"

cold() { # dir -> "WALL CPU" (ms) of a build from an empty target directory
    rm -rf "$1/target"
    CARGO_TARGET_DIR="$1/target" timed cargo build --offline --quiet --manifest-path "$1/Cargo.toml" --workspace
}

log "cold builds, $COLD_RUNS runs each, facade and bare crate in turn"
default=$(paired "$COLD_RUNS" "cold $WORK/cold/facade" "cold $WORK/cold/bare")
minimal=$(paired "$COLD_RUNS" "cold $WORK/cold/facade" "cold $WORK/cold/bare-minimal")
echo "$default $minimal" | awk '{
    printf "[cold debug build of a crate using the macro] medians in ms, wall / cpu\n"
    printf "  facade (default features) %6.0f / %6.0f   bare proc macro, syn (default features) + quote %6.0f / %6.0f   ratio wall %.3fx cpu %.3fx\n",
        $1, $2, $3, $4, $1 / $3, $2 / $4
    printf "  facade (default features) %6.0f / %6.0f   bare proc macro, syn (parsing, printing, proc-macro) + quote %6.0f / %6.0f   ratio wall %.3fx cpu %.3fx\n",
        $7, $8, $9, $10, $7 / $9, $8 / $10
}'

echo "[cargo tree -d (workspace)]"
(cd "$ROOT" && cargo tree --offline -d --workspace -e normal,build,dev) || true
echo "[syn versions in the workspace]"
(cd "$ROOT" && cargo tree --offline --workspace -e normal,build,dev -i syn --depth 0 2>&1) || true

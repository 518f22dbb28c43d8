#!/usr/bin/env bash
# Runs the deploy example (examples/deploy-moto) against a moto server on
# 127.0.0.1, then proves that it fails fast, not hangs, when its endpoint is
# unreachable.
#
#   bash scripts/deploy-moto.sh
#
# 1. sets up ./.venv (scripts/python-env.sh) and builds the example (its own
#    workspace and target dir: examples/deploy-moto/target);
# 2. starts `moto_server` on a free port, waits until it answers, runs the
#    example against it (exit 0 = IAM and Lambda returned the generated
#    documents) and stops the server on any exit;
# 3. runs the example against a closed port and against a port that accepts
#    connections but never answers, and asserts a non-zero exit within its
#    timeouts each time.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

manifest=examples/deploy-moto/Cargo.toml
venv_bin="$(bash scripts/python-env.sh)"
echo "deploy-moto: building the example"
build_start=$SECONDS
cargo build --quiet --manifest-path "$manifest"
echo "deploy-moto: built in $((SECONDS - build_start)) s"
app="$root/examples/deploy-moto/target/debug/rotation-policy-example-deploy-moto"

pids=()
logs="$(mktemp -d)"
cleanup() {
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$logs"
}
trap cleanup EXIT

# A port that nothing listens on now (the kernel's choice for a bound socket).
free_port() {
    "$venv_bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

port="$(free_port)"
echo "deploy-moto: starting moto_server on 127.0.0.1:$port"
MOTO_IAM_LOAD_MANAGED_POLICIES=true "$venv_bin/moto_server" -H 127.0.0.1 -p "$port" > "$logs/moto.log" 2>&1 &
pids+=($!)
ready=
for _ in $(seq 1 60); do
    if "$venv_bin/python" -c "import sys, urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/moto-api/', timeout=1)" 2>/dev/null; then
        ready=1
        break
    fi
    if ! kill -0 "${pids[0]}" 2>/dev/null; then
        break
    fi
    sleep 0.5
done
if [[ -z $ready ]]; then
    cat "$logs/moto.log" >&2
    echo "deploy-moto: moto_server did not answer on 127.0.0.1:$port within 30 s" >&2
    exit 1
fi

echo "deploy-moto: running the example against moto"
if ! "$app" --endpoint-url "http://127.0.0.1:$port"; then
    echo "deploy-moto: the example failed against moto; moto's log:" >&2
    tail -n 40 "$logs/moto.log" >&2
    exit 1
fi

# Runs the example against an endpoint that cannot answer; it must exit 1
# with one error line within `limit` seconds (the example's operation timeout
# is 20 s).
expect_fast_failure() {
    local what=$1 url=$2 limit=$3 start status=0
    start=$(date +%s%N)
    timeout 60 "$app" --endpoint-url "$url" > "$logs/out.txt" 2> "$logs/err.txt" || status=$?
    local elapsed_ms=$((($(date +%s%N) - start) / 1000000))
    if [[ $status -ne 1 || $elapsed_ms -gt $((limit * 1000)) ]]; then
        cat "$logs/err.txt" >&2
        echo "deploy-moto: against $what the example exited $status after $elapsed_ms ms; expected 1 within $limit s" >&2
        exit 1
    fi
    echo "deploy-moto: against $what: exit $status after $elapsed_ms ms: $(cat "$logs/err.txt")"
}

expect_fast_failure "a closed port" "http://127.0.0.1:$(free_port)" 10

# A listening socket that never accepts: the kernel completes the TCP
# handshake, then nothing answers, so only the read and operation timeouts
# can end the call.
silent_port="$(free_port)"
"$venv_bin/python" -c "
import socket, time
s = socket.socket()
s.bind(('127.0.0.1', $silent_port))
s.listen(16)
time.sleep(120)
" &
pids+=($!)
for _ in $(seq 1 20); do
    (exec 3<> "/dev/tcp/127.0.0.1/$silent_port") 2>/dev/null && break
    sleep 0.25
done
expect_fast_failure "a port that never answers" "http://127.0.0.1:$silent_port" 30
echo "deploy-moto: passed"

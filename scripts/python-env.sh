#!/usr/bin/env bash
# Creates the one virtual environment of the Python test oracles, ./.venv, when
# it is missing, and installs requirements-test.txt into it (only when the
# file changed since the last install). Prints the venv's bin directory.
#
#   PATH="$(bash scripts/python-env.sh):$PATH"
#
# Needs python3 (3.9 or later) with the venv module, and PyPI.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="$root/.venv"
requirements="$root/requirements-test.txt"
stamp="$venv/.requirements-test.txt"

python="${PYTHON:-python3}"
if [[ ! -x "$venv/bin/python" ]]; then
    echo "python-env: creating $venv" >&2
    "$python" -m venv "$venv" >&2
fi
if ! cmp -s "$requirements" "$stamp"; then
    echo "python-env: installing $requirements" >&2
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements" >&2
    "$venv/bin/python" -m pip check >&2
    cp "$requirements" "$stamp"
fi
echo "$venv/bin"

#!/usr/bin/env bash
# Creates a virtual environment for one group of pinned Python tools and
# prints its bin directory:
#
#   bin="$(bash scripts/tool-env.sh checkov)"   # ./.venv-checkov from requirements-checkov.txt
#
# Like scripts/python-env.sh (the oracles' ./.venv), but one environment per
# requirements file: checkov pins its own versions of boto3 and friends,
# which would fight the oracles' pins in one environment. Reinstalls only
# when the requirements file changed. Needs python3 with venv, and PyPI.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
name="${1:?usage: tool-env.sh NAME (reads requirements-NAME.txt)}"
requirements="$root/requirements-$name.txt"
venv="$root/.venv-$name"
stamp="$venv/.requirements-$name.txt"
[[ -f "$requirements" ]] || { echo "tool-env: no $requirements" >&2; exit 1; }

python="${PYTHON:-python3}"
if [[ ! -x "$venv/bin/python" ]]; then
    echo "tool-env: creating $venv" >&2
    "$python" -m venv "$venv" >&2
fi
if ! cmp -s "$requirements" "$stamp"; then
    echo "tool-env: installing $requirements" >&2
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements" >&2
    "$venv/bin/python" -m pip check >&2
    cp "$requirements" "$stamp"
fi
echo "$venv/bin"

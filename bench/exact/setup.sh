#!/usr/bin/env bash
# Installs OR-Tools for bench/exact/meetings.py into a venv in the cache (idempotent, quiet).
# The last line on stdout is the venv's python:  PY=$(bash bench/exact/setup.sh | tail -1)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="${PLENUM_EXACT_VENV:-${HOME}/.cache/plenum/exact-venv}"
req="${here}/requirements.txt"
stamp="${venv}/.requirements.txt"

if [ ! -x "${venv}/bin/python" ]; then
    mkdir -p "$(dirname "${venv}")"
    python3 -m venv "${venv}" >&2
fi
# Reinstall only when requirements.txt differs from what was installed last.
if ! cmp -s "${req}" "${stamp}" 2>/dev/null \
    || ! "${venv}/bin/python" -c 'import ortools.sat.python.cp_model' 2>/dev/null; then
    "${venv}/bin/python" -m pip install --quiet --disable-pip-version-check \
        --requirement "${req}" >&2
    cp "${req}" "${stamp}"
fi
echo "${venv}/bin/python"

#!/usr/bin/env bash
# Sourced by ./run and ./test: makes .venv with everything the project needs, once.
# Re-installs only when pyproject.toml changes, so later runs start at once.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv"
py="${PYTHON:-python3}"
if [ ! -x "$venv/bin/python" ]; then
    "$py" -m venv "$venv"
fi
stamp="$venv/.installed-$(sha1sum "$root/pyproject.toml" | cut -c1-12)"
if [ ! -f "$stamp" ]; then
    echo "Setting up the reader in .venv (first run only)..." >&2
    "$venv/bin/python" -m pip install --quiet --upgrade pip >&2
    "$venv/bin/python" -m pip install --quiet -e "$root[test]" >&2
    rm -f "$venv"/.installed-*
    touch "$stamp"
fi

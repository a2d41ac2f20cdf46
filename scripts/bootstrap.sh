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
    echo "Setting up the reader in .venv (first run only, about a minute)..." >&2
    log="$venv/install.log"
    # pip and setuptools chatter at length; keep it in a log and show it only if something fails.
    if ! { "$venv/bin/python" -m pip install --upgrade pip \
        && "$venv/bin/python" -m pip install -e "$root[test]"; } >"$log" 2>&1; then
        cat "$log" >&2
        echo "Setting up failed; the full log is in $log" >&2
        exit 1
    fi
    rm -f "$venv"/.installed-*
    touch "$stamp"
fi

"""The README is the user's manual: it must list every key the app has and the two commands."""

from __future__ import annotations

import re
from pathlib import Path

from reader.ui.screens import KEYS

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def key_names(keys: str) -> list[str]:
    """'n / p, h / H' -> ['n', 'p', 'h', 'H']; '? or f1' -> ['?', 'f1']."""
    return [k for k in re.split(r"\s*(?:,|\bor\b|\s/\s)\s*", keys) if k]


def test_every_key_in_the_app_is_in_the_readme_table() -> None:
    table = README[README.index("<!-- KEYTABLE -->") : README.index("<!-- /KEYTABLE -->")]
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    for keys, _spoken, what in KEYS:
        row = next((r for r in rows if what in r), None)
        assert row is not None, f"README lacks the row for {keys!r}: {what}"
        for name in key_names(keys):
            assert f"`{name}`" in row, f"README row for {what!r} lacks `{name}`"


def test_readme_gives_the_two_commands_that_ci_runs() -> None:
    assert "./run sample" in README and "./test" in README
    ci = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert "./test" in ci

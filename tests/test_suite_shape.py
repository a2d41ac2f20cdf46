"""Test files never import each other (README): shared test code lives in tests/helpers/, so a
test file can change or go without breaking another (three did, until this test)."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).parent


def imported_test_modules(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = [a.name for node in ast.walk(tree) if isinstance(node, ast.Import) for a in node.names]
    names += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    return [name for name in names if name.split(".")[0].startswith(("test_", "conftest"))]


def test_no_test_file_imports_another() -> None:
    found = {p.name: imported_test_modules(p) for p in sorted(TESTS.glob("test_*.py"))}
    assert {name: mods for name, mods in found.items() if mods} == {}
    assert len(found) > 50  # the glob found the suite

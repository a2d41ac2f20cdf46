"""Layers point down, and stay so: every import in reader/ and voices/ (at the top of a module
or inside a function) is read with `ast` and checked against the allowed directions."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imports() -> dict[str, set[str]]:
    """Module name -> the names of the modules it imports (absolute or relative)."""
    found: dict[str, set[str]] = {}
    for package in ("reader", "voices"):
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            names: set[str] = set()
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    names.update(alias.name for alias in node.names)
                elif isinstance(node, ast.ImportFrom):
                    base = node.module or ""
                    if node.level:  # relative: resolved against this module's package
                        anchor = module.split(".")[: len(parts) - node.level]
                        base = ".".join(anchor + ([base] if base else []))
                    names.add(base)
                    names.update(f"{base}.{alias.name}" for alias in node.names)
            found[module] = names
    return found


def importers(prefix: str) -> set[str]:
    """The modules that import `prefix` or anything inside it."""
    return {
        module
        for module, names in imports().items()
        if any(name == prefix or name.startswith(prefix + ".") for name in names)
    }


def test_the_scan_sees_the_imports_it_checks() -> None:
    """The check below could pass by reading nothing: make sure it reads real imports."""
    found = imports()
    assert "reader.ui.app" in found and "reader.reading.controller" in found["reader.ui.app"]
    assert "reader.__main__" in importers("reader.cli")
    assert "voices.base" in found["reader.reading.session"]


def test_voices_import_nothing_from_reader() -> None:
    assert {m for m in importers("reader") if m.startswith("voices")} == set()


def test_nothing_imports_the_command_line_but_its_entry_point() -> None:
    assert importers("reader.cli") == {"reader.__main__"}


def test_screens_and_widgets_never_import_the_app() -> None:
    assert importers("reader.ui.app") == {"reader.cli"}


def test_only_the_command_line_and_the_ui_import_the_ui() -> None:
    outside = {m for m in importers("reader.ui") if not m.startswith("reader.ui")}
    assert outside == {"reader.cli"}


def test_the_reading_layer_runs_without_textual() -> None:
    """The controller and the session can be driven, and tested, with no UI at all."""
    reading = {m for m in imports() if m.startswith("reader.reading")}
    assert reading and not (reading & (importers("textual") | importers("rich")))

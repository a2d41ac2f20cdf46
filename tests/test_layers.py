"""Layers point down, and stay so: every import in reader/ and voices/ (at the top of a module
or inside a function) is read with `ast` and checked against the allowed directions."""

from __future__ import annotations

import ast
import functools
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@functools.cache  # the tree does not change during a run; one test asks a dozen times
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


def in_package(module: str, package: str) -> bool:
    """True if `module` (or an imported name) is `package` or inside it."""
    return module == package or module.startswith(package + ".")


def reader_imports_outside(package: str, allowed: tuple[str, ...]) -> set[str]:
    """What the modules of `package` import from reader/ and voices/ that is neither inside
    `package` nor inside one of the `allowed` modules."""
    return {
        name
        for module, names in imports().items()
        if in_package(module, package)
        for name in names
        if (in_package(name, "reader") or in_package(name, "voices"))
        and not any(in_package(name, inside) for inside in (package, *allowed))
    }


def test_the_scan_sees_the_imports_it_checks() -> None:
    """The check below could pass by reading nothing: make sure it reads real imports."""
    found = imports()
    assert "reader.ui.app" in found and "reader.reading.controller" in found["reader.ui.app"]
    assert "reader.__main__" in importers("reader.cli")
    assert "voices.base" in found["reader.reading.session"]
    assert "reader.extract.items" in found["reader.extract.walk"]
    assert "reader.speech.rules" in found["reader.speech.normalise"]
    assert "reader.source.http" in found["reader.source.fetch"]
    assert "reader.store.schema" in found["reader.store.state"]


def test_voices_import_nothing_from_reader() -> None:
    assert {m for m in importers("reader") if m.startswith("voices")} == set()


def test_nothing_imports_the_command_line_but_its_entry_point() -> None:
    outside = {m for m in importers("reader.cli") if not in_package(m, "reader.cli")}
    assert outside == {"reader.__main__"}


def test_screens_and_widgets_never_import_the_app() -> None:
    assert importers("reader.ui.app") == {"reader.cli.launch"}


def test_only_the_command_line_and_the_ui_import_the_ui() -> None:
    outside = {m for m in importers("reader.ui") if not m.startswith("reader.ui")}
    assert outside == {"reader.cli.launch"}


def test_the_reading_layer_runs_without_textual() -> None:
    """The controller and the session can be driven, and tested, with no UI at all."""
    reading = {m for m in imports() if m.startswith("reader.reading")}
    assert reading and not (reading & (importers("textual") | importers("rich")))


PIPELINE = ("reader.extract", "reader.speech")


def test_the_source_layer_is_the_first_step_of_the_pipeline() -> None:
    """Fetching knows the shared model, errors and text rules, and nothing of the steps after
    it (extraction, speech, reading, the store, a UI) nor the command line."""
    shared = ("reader.errors", "reader.model", "reader.text")
    outside = reader_imports_outside("reader.source", shared)
    assert outside <= {"reader", "reader.__version__"}


def test_extraction_and_speech_know_nothing_of_each_other_or_the_ui() -> None:
    """Extraction makes Articles, speech reads them: each is usable (and testable) alone."""
    above = ("reader.ui", "reader.reading", "reader.cli", "textual", "rich")
    for package, other in (PIPELINE, PIPELINE[::-1]):
        for banned in (other, *above):
            assert not {m for m in importers(banned) if in_package(m, package)}, (package, banned)


def test_extraction_stages_never_reach_back_to_the_pipeline_top() -> None:
    """`article` drives the stages; a stage importing it (or the package) would run in circles."""
    assert importers("reader.extract.article") == {"reader.extract"}
    stages = {m for m in imports() if m.startswith("reader.extract.")}
    top = {module for module, names in imports().items() if "reader.extract" in names}
    assert stages and not (stages & top)


def test_the_store_knows_only_paths_and_settings() -> None:
    """Saved state is a plain layer under everything that remembers: no pipeline, no UI."""
    assert reader_imports_outside("reader.store", ("reader.paths", "reader.settings")) == set()


def test_the_served_app_side_loads_no_web_server() -> None:
    """Every app process may import reader.serve (tab title, font-size reload); only the
    server process needs aiohttp and textual-serve, and the server needs no UI."""
    app_side = imports()["reader.serve"]
    heavy = ("aiohttp", "textual_serve", "reader.serve")
    assert app_side and not {n for n in app_side if any(in_package(n, h) for h in heavy)}
    assert reader_imports_outside("reader.serve", ("reader.errors", "reader.settings")) == set()


def private(name: str) -> bool:
    return name.startswith("_") and not name.endswith("__")  # not __future__, __version__


def test_no_module_of_reader_imports_a_private_name_of_another() -> None:
    """A name another module needs is public: `from x import _y` is a rule with two homes."""
    found = {
        (module, name)
        for module, names in imports().items()
        if module.startswith("reader")
        for name in names
        if private(name.rsplit(".", 1)[-1])
    }
    assert found == set()


SPLIT = (*PIPELINE, "reader.source", "reader.store", "reader.serve", "reader.cli")


def test_split_modules_and_functions_stay_short() -> None:
    """No module of the split packages over 500 lines, no function over 50 (issue 15)."""
    long = []
    for package in SPLIT:
        for path in (ROOT / package.replace(".", "/")).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            if len(text.splitlines()) > 500:
                long.append(f"{path.name}: {len(text.splitlines())} lines")
            for node in ast.walk(ast.parse(text)):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    if node.end_lineno - node.lineno >= 50:
                        long.append(f"{path.name}: {node.name}")
    assert long == []

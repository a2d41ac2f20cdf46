"""Structure through the command line, as a user runs it: `reader text` says the cues (or not,
as settings.toml says) and `reader outline --json` adds where each block sits."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from helpers.forkserver import as_text, run_reader

from reader.speech import normalise

ROOT = Path(__file__).resolve().parent.parent
PAGES = Path(__file__).parent / "fixtures" / "structure"


def reader(*args: str, config: Path) -> subprocess.CompletedProcess[str]:
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "PYTHONPATH": path, "READER_CONFIG_DIR": str(config)}
    return as_text(run_reader(list(args), env=env, timeout=120))


def test_reader_text_says_the_structure(tmp_path: Path) -> None:
    done = reader("text", str(PAGES / "dosing.html"), config=tmp_path)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    row = f"Drug: {normalise('Natalizumab')}; Dose: 300 milligrams; How often: every four weeks"
    at = lines.index("Table, 4 rows, 3 columns.")
    assert lines[at + 1 : at + 3] == ["Usual infusion doses", row]
    assert "Out of table." in lines and done.stderr == ""


def test_reader_text_in_french(tmp_path: Path) -> None:
    done = reader("text", str(PAGES / "french.html"), config=tmp_path)
    lines = done.stdout.splitlines()
    for cue in ("Tableau, 2 lignes, 3 colonnes.", "Liste, 2 éléments.", "Citation.", "Notes"):
        assert cue in lines
    assert "List, 2 items." not in lines


def test_structure_cues_false_in_settings_turns_the_cues_off(tmp_path: Path) -> None:
    (tmp_path / "settings.toml").write_text("rate = 200\nstructure_cues = false\n")
    quiet = reader("text", str(PAGES / "lists.html"), config=tmp_path).stdout.splitlines()
    assert "List, 3 items." not in quiet and "Quote." not in quiet and "Out of list." not in quiet
    assert "1. Drink plenty of water." in quiet and "It changed my life." in quiet
    (tmp_path / "settings.toml").write_text("rate = 200\n")
    loud = reader("text", str(PAGES / "lists.html"), config=tmp_path).stdout.splitlines()
    cues = {
        "List, 3 items.", "Nested list, 2 items.", "List level 3, 1 item.", "Out of nested list.",
        "Out of list.", "List, 2 items.", "List, 1 item.", "Quote.", "End of quote.",
        "Code, 2 lines.",
    }  # fmt: skip
    assert set(loud) - set(quiet) == cues
    assert [line for line in loud if line not in cues] == quiet  # only the cues went


def test_outline_json_adds_places_and_keeps_the_old_keys(tmp_path: Path) -> None:
    done = reader("outline", str(PAGES / "lists.html"), "--json", config=tmp_path)
    data = json.loads(done.stdout)
    blocks = [b for s in data["sections"] for b in s["blocks"]]
    assert all(b["kind"] and b["text"] for b in blocks)
    items = [b for b in blocks if b["kind"] == "list_item"]
    assert items[0] == {
        "kind": "list_item",
        "text": "Drink plenty of water.",
        "within": [{"kind": "list", "id": 1, "depth": 0, "ordered": True, "items": 3}],
        "number": 1,
    }
    nested = next(b for b in items if b["text"] == "Phones too.")
    assert [g["depth"] for g in nested["within"]] == [0, 1, 2]
    quote = next(b for b in blocks if b["kind"] == "quote")
    assert quote["within"][0]["kind"] == "quote"
    paragraph = next(b for b in blocks if b["kind"] == "paragraph")
    assert list(paragraph) == ["kind", "text"]

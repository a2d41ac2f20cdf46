"""Structure heard in the real app (Pilot), through the real speech queue and eSpeak NG on the null
audio backend: the speech log says what was spoken, word by word, and the screen shows it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers.app import Run, running
from helpers.paths import UserDirs

from reader.speech import normalise
from reader.ui.widgets import ReadingPane

PAGES = Path(__file__).parent / "fixtures" / "structure"

pytestmark = pytest.mark.anyio


def copy(tmp_path: Path, name: str) -> str:
    target = tmp_path / name
    shutil.copy(PAGES / name, target)
    return str(target)


def words_of(run: Run, text: str) -> list[str]:
    """The words spoken (word events) of the utterance `text`, once it has ended."""
    out: list[str] = []
    inside = False
    for record in run.records():
        if record["event"] == "start":
            inside = record["text"] == text
        elif inside and record["event"] == "word":
            out.append(record["text"])
        elif inside and record["event"] == "end":
            return out
    return []


async def test_a_dosing_table_is_heard_with_its_size_and_its_headers(tmp_path: Path) -> None:
    async with running(tmp_path, copy(tmp_path, "dosing.html"), rate=700) as run:
        mark = await run.press("n")  # "Doses at a glance", and reading goes on from it
        cue = await run.said("Table, 4 rows, 3 columns.", mark, exact=True)
        row = f"Drug: {normalise('Natalizumab')}; Dose: 300 milligrams; How often: every four weeks"
        record = await run.said(row, mark, exact=True)
        assert (cue["section"], record["section"]) == (1, 1)
        assert record["sentence"] == cue["sentence"] + 2  # the caption between them
        await run.until(lambda: words_of(run, row))
        words = words_of(run, row)  # eSpeak said the headers, word by word
        assert words[:4] == ["Drug", *normalise("Natalizumab").split(), "Dose"]
        assert "often" in words
        pane = run.app.screen.query_one(ReadingPane)
        await run.until(lambda: "Table, 4 rows, 3 columns." in pane.texts)
        assert "Drug: Natalizumab; Dose: 300 mg; How often: every four weeks" in pane.texts
        await run.said("Out of table.", mark, exact=True)


async def test_lists_quotes_and_code_are_announced_in_order(tmp_path: Path) -> None:
    async with running(tmp_path, copy(tmp_path, "lists.html"), rate=900) as run:
        mark = await run.press("n")  # "The day before"
        await run.said("Out of list.", mark, exact=True)
        heard = [r["text"] for r in run.starts(mark)]
        expected = ["List, 3 items.", "1. Drink plenty of water.", "2. Sleep well."]
        expected += ["Nested list, 2 items.", "Go to bed early.", "Leave screens alone."]
        expected += ["List level 3, 1 item.", "Phones too.", "Out of nested list."]
        expected += ["3. Pack a bag.", "Put a snack in it.", "Out of list."]
        start = heard.index("List, 3 items.")
        assert heard[start : start + len(expected)] == expected
        mark = await run.press("n", "n")  # "What patients say"
        await run.said("End of quote.", mark, exact=True)
        heard = [r["text"] for r in run.starts(mark)]
        start = heard.index("Quote.")
        assert heard[start + 1 : start + 4] == [
            "It changed my life.",
            "I feel better every month.",
            "End of quote.",
        ]


async def test_a_french_page_hears_french_cues(tmp_path: Path) -> None:
    async with running(tmp_path, copy(tmp_path, "french.html"), rate=900) as run:
        mark = await run.press("n", "n")  # "La veille"
        await run.said("Fin de liste.", mark, exact=True)
        heard = [r["text"] for r in run.starts(mark)]
        start = heard.index("Liste, 2 éléments.")
        assert heard[start : start + 3] == [
            "Liste, 2 éléments.",
            "1. Buvez de l'eau.",
            "Sous-liste, 2 éléments.",
        ]
        assert not any(text.startswith(("List,", "Nested list", "Out of")) for text in heard)
        await run.until(lambda: words_of(run, "Liste, 2 éléments."))
        assert words_of(run, "Liste, 2 éléments.")[0].startswith("Liste")


async def test_cues_off_in_settings_reads_the_list_without_them(
    tmp_path: Path, user_dirs: UserDirs
) -> None:
    (user_dirs.config / "settings.toml").write_text("structure_cues = false\n")
    async with running(tmp_path, copy(tmp_path, "lists.html"), rate=900) as run:
        mark = await run.press("n")
        await run.said("Then set an alarm, so you are not late.", mark, exact=True)
        heard = [r["text"] for r in run.starts(mark)]
        start = heard.index("1. Drink plenty of water.")
        assert heard[start - 1] == "Start the evening before your appointment."
        assert heard[start + 1 : start + 3] == ["2. Sleep well.", "Go to bed early."]
        assert not any(t.startswith(("List", "Nested", "Out of")) for t in heard)

"""The reading pane's layout: level 1 as a book column (at most 70 characters, centred, a blank
line between paragraphs), big print in whole lines, and a status line that fits 80 columns."""

from __future__ import annotations

import pytest
from helpers.paths import SEED
from helpers.speech import reader_driver
from helpers.waiting import until
from textual.pilot import Pilot

from reader.ui.app import ReaderApp
from reader.ui.bigtext import line_height
from reader.ui.status import fit_status, shorten
from reader.ui.widgets import BigBox, BigPrint, ReadingPane, SentenceLine, paragraph_starts

pytestmark = pytest.mark.anyio


async def opened(pilot: Pilot) -> ReaderApp:
    app: ReaderApp = pilot.app  # type: ignore[assignment]
    await until(
        pilot,
        lambda: app.session is not None and len(app.screen.query(SentenceLine)) > 2,
        what="the article opening",
    )
    await pilot.pause()
    return app


async def test_level_one_is_a_centred_column_with_paragraph_breaks() -> None:
    app = ReaderApp(str(SEED), audio="null", autoplay=False, rate=1000, driver=reader_driver())
    async with app.run_test(size=(160, 40)) as pilot:
        await opened(pilot)
        pane = app.screen.query_one(ReadingPane)
        lines = list(pane.query(SentenceLine))
        for line in lines:
            text_width = line.region.width - (0 if line.has_class("current") else 0)
            assert text_width <= 72 and line.outer_size.width <= 72
            if not line.has_class("current") and not line.has_class("title"):
                assert line.region.width <= 70  # RNIB: 60-70 characters a line
        inner = pane.content_region
        left = lines[1].region.x - 2 - inner.x  # the 2 cells for "▶ " count with the column
        right = inner.right - lines[1].region.right
        assert abs(left - right) <= 1 and left > 10  # centred in a wide terminal
        starts = paragraph_starts(app.article, 0)
        assert len(starts) >= 3
        rows = {line.region.y: line for line in lines}
        for line in lines[2:]:
            number = pane.sentences[lines.index(line)]
            gap = line.region.y - max(
                y + r.region.height for y, r in rows.items() if y < line.region.y
            )
            assert gap == (1 if number in starts else 0), number


async def test_big_print_box_holds_whole_lines_at_every_size() -> None:
    app = ReaderApp(str(SEED), audio="null", autoplay=False, rate=1000, driver=reader_driver())
    async with app.run_test(size=(80, 27)) as pilot:
        await opened(pilot)
        for level in (2, 3, 4, 5):
            await pilot.press("plus")
            await pilot.pause()
            box = app.screen.query_one(BigBox)
            shown = box.size.height  # the rows inside the padding
            assert app.screen.query_one(BigPrint).level == level
            pitch = line_height(level)
            assert shown % pitch == 0 and shown >= pitch, (level, shown, pitch)
            assert box.room - shown < pitch  # no room left for one more whole line


def test_status_words_shrink_before_the_name_is_cut() -> None:
    parts = ["Section 12/34", "Sent 123/456", "Rate 1000", "Vol 100%", "Font 3/5", "Stopped"]
    name = "English (Great Britain)"
    wide = fit_status(parts, name, 200)
    assert wide == " | ".join(parts) + " | " + name
    at_80 = fit_status(parts, name, 78)  # 80 columns less the line's padding
    assert len(at_80) <= 78 and at_80.endswith(name)  # the name whole, the words short
    assert at_80.startswith("Sec 12/34  S 123/456  R 1000  V 100%  F 3/5  Stopped")
    usual = fit_status(
        ["Section 1/7", "Title", "Rate 175", "Vol 100%", "Font 3/5", "Playing"], name, 78
    )
    assert usual == "Sec 1/7 | Title | R 175 | V 100% | F 3/5 | Playing | " + name
    narrow = fit_status(parts, name, 66)
    assert len(narrow) <= 66 and narrow.endswith("…") and "Sec 12/34" in narrow
    assert fit_status(parts, name, 40).startswith("Sec 12/34")  # no room: the name left out
    assert shorten("Title") == "Title" and shorten("Playing") == "Playing"


async def test_status_line_fits_80_columns_at_every_level() -> None:
    app = ReaderApp(str(SEED), audio="null", autoplay=False, rate=1000, driver=reader_driver())
    async with app.run_test(size=(80, 30)) as pilot:
        await opened(pilot)
        for level in range(1, 6):
            status = app.status_text(app.screen.query_one("#status").size.width)
            assert len(status) <= 78 and not status.endswith("…"), status
            assert f"F {level}/5" in status or f"Font {level}/5" in status
            await pilot.press("plus")
            await pilot.pause()

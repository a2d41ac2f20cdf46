"""What a user trial of the reading screen found (a legally blind user, reading the speech
log): keys that stopped reading when there was nothing to do, the table key that did not say
the row, counts said "1 items", lists that went round their ends without a word, and a pause
the speech log did not record. Through the real app (Pilot), the real speech queue and eSpeak
on the null audio backend; the speech log is the oracle."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.app import STEADY, Run, running
from helpers.paths import seed_copy
from textual.widgets import OptionList

from reader.speech import normalise
from reader.ui.app import help_line
from reader.ui.screens import HelpScreen, LinksScreen, StartScreen
from reader.ui.screens.help import KEYS

pytestmark = pytest.mark.anyio

# A page with a table of sizes, like the one in the trial: its rows are read as header: value
# pairs, "86-96 cm" as "86 to 96 centimetres".
SIZES = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Jacket sizes</title></head><body><article>
<h1>Jacket sizes</h1>
<p>Choose the size that fits your chest. Weigh the jacket before you pack it.</p>
<h2>Sizes</h2>
<table>
<tr><th>Size</th><th>Chest</th><th>Weight</th></tr>
<tr><td>Small</td><td>86-96 cm</td><td>1.2 kg</td></tr>
<tr><td>Medium</td><td>97-104 cm</td><td>1.3 kg</td></tr>
<tr><td>Large</td><td>105-112 cm</td><td>1.4 kg</td></tr>
</table>
<p>All sizes are unisex. Returns are free within a month.</p>
</article></body></html>
"""

# A page of one section (no headings below its title).
ONE_SECTION = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>A short note</title></head><body><article>
<h1>A short note</h1>
<p>This note has one part only. It is short on purpose. Nothing follows it at all.</p>
<p>Read it again if you like. It will not take long.</p>
</article></body></html>
"""


def page(tmp_path: Path, name: str, html: str) -> str:
    path = tmp_path / name
    path.write_text(html, encoding="utf-8")
    return str(path)


async def run_on(run: Run, after: int) -> None:
    """Wait until the article (not an announcement) is heard after `after`."""
    await run.until(lambda: any(r["section"] is not None for r in run.starts(after)))


def index_of(run: Run, words: str) -> tuple[int, int]:
    """(section, sentence) of the first utterance with `words` in it."""
    session = run.app.session
    found = next(i for i in range(session.total) if words in session.utterance(i).text)
    u = session.utterance(found)
    return u.section, u.sentence


# ------------------------------------------------------------------ 1: nothing there, reading on


async def test_k_with_no_links_and_backspace_with_no_history_let_reading_go_on(
    tmp_path: Path, site
) -> None:
    """Every other "nothing there" (no next heading, not in a table) is said and reading goes
    on; "no links" and "nothing to go back to" stopped it, and left it stopped."""
    async with running(tmp_path, site("third.html"), rate=STEADY) as run:
        mark = await run.press("space")
        await run.then_reads(0, 1, mark)
        nothing = {"k": "This article has no links.", "backspace": "No article to go back to."}
        for key, said in nothing.items():
            mark = await run.press(key)
            await run.said(said, mark, exact=True)
            assert run.app.session.state == "playing"
            await run_on(run, mark)  # ... and the article is heard again after it
            assert run.app.session.state == "playing"
        # Stopped, it stays stopped: said, and nothing more.
        await run.press("escape")
        mark = await run.press("k")
        await run.said("This article has no links.", mark, exact=True)
        assert run.app.session.state == "stopped"


# ------------------------------------------------------------------ 2: T says the row in full


async def test_the_table_key_says_the_row_with_every_header_and_reading_goes_on(
    tmp_path: Path,
) -> None:
    async with running(tmp_path, page(tmp_path, "sizes.html", SIZES), rate=STEADY) as run:
        first_row = index_of(run, "Small")
        second_row = index_of(run, "Medium")
        mark = await run.press("n")
        await run.heard("Size: Small", mark)
        mark = await run.press("T")
        row = "Row 1 of 3: Size: Small; Chest: 86-96 cm; Weight: 1.2 kg."
        said = await run.said("Row ", mark)
        assert said["text"] == normalise(row)
        assert "Chest: 86 to 96 centimetres" in said["text"]  # as the row itself is read
        assert row in str(run.app.screen.query_one("#message").render())  # shown as on the page
        # The row was just heard whole: reading goes on from the next one, not mid-row.
        await run.then_reads(*second_row, mark)
        assert first_row not in [(r["section"], r["sentence"]) for r in run.starts(mark)]
        # Paused on a row, T says it and reading stays paused.
        await run.pause_reading()
        mark = await run.press("T")
        said = await run.said("Row 2 of 3: Size: Medium; Chest: 97 to 104", mark)
        assert run.app.session.state == "paused"


# ------------------------------------------------------------------ 3: counts said properly


async def test_one_section_and_one_link_are_counted_in_the_singular(tmp_path: Path, site) -> None:
    async with running(tmp_path, page(tmp_path, "note.html", ONE_SECTION)) as run:
        mark = await run.press("t")
        said = await run.said("Sections, ", mark)
        assert said["text"].startswith("Sections, 1 item. A short note, 1 of 1.")
    async with running(tmp_path, site("other.html")) as run:
        mark = await run.press("k")
        await run.said("Links, 1 item. guide, 1 of 1.", mark)
        assert isinstance(run.app.screen, LinksScreen)


# ------------------------------------------------------------------ 4: going round a list is said


async def test_the_section_list_says_when_up_and_down_go_round_its_ends(tmp_path: Path) -> None:
    async with running(tmp_path, seed_copy(tmp_path)) as run:
        mark = await run.press("t")
        await run.said("Sections, 7 items.", mark)
        mark = await run.press("up")  # on the first section: round to the last
        await run.said("Bottom of list.", mark, exact=True)
        title = run.app.session.spoken_title
        last = await run.said(f"{title(6)}, 7 of 7", mark)
        assert run.texts(mark).index("Bottom of list.") < run.texts(mark).index(last["text"])
        mark = await run.press("down")
        await run.said("Top of list.", mark, exact=True)
        await run.said(f"{title(0)}, 1 of 7", mark)
        mark = await run.press("down")  # an ordinary move says no such word
        await run.said(f"{title(1)}, 2 of 7", mark)
        assert "Top of list." not in run.texts(mark)


async def test_every_list_says_when_it_goes_round(tmp_path: Path, site) -> None:
    """Links, help and the start screen go round the same way and say it the same way."""
    async with running(tmp_path, site("guide.html")) as run:
        mark = await run.press("k")  # at the start: on the first link
        await run.said("Links, 3 items. guide to infusion side effects, 1 of 3.", mark)
        mark = await run.press("up")
        await run.said("Bottom of list.", mark, exact=True)
        await run.said("phone numbers, 3 of 3", mark)
        mark = await run.press("down")
        await run.said("Top of list.", mark, exact=True)
        await run.said("guide to infusion side effects, 1 of 3", mark)
        await run.press("escape")
        mark = await run.press("question_mark")
        assert isinstance(run.app.screen, HelpScreen)
        await run.said(help_line(0), mark)
        mark = await run.press("end")
        await run.said(help_line(len(KEYS) - 1), mark, exact=True)
        mark = await run.press("down")
        await run.said("Top of list.", mark, exact=True)
        await run.said(help_line(0), mark, exact=True)
        mark = await run.press("up")
        await run.said("Bottom of list.", mark, exact=True)
        await run.said(help_line(len(KEYS) - 1), mark, exact=True)
    async with running(tmp_path, None) as run:
        assert isinstance(run.app.screen, StartScreen)
        await run.until(lambda: run.app.reading.ready_to_speak_choices)
        count = run.app.screen.query_one(OptionList).option_count  # (recent ones too)
        mark = await run.press("up")
        await run.said("Bottom of list.", mark, exact=True)
        last = await run.until(lambda: run.texts(mark)[1:2])
        assert last[0].endswith(f", {count} of {count}")


# ------------------------------------------------------------------ 5: a pause in the speech log


async def test_a_pause_and_its_resume_are_in_the_speech_log(tmp_path: Path, site) -> None:
    """Space holds the sound at the sample it reached and says nothing (the sound stopping is
    the answer); the log records it, so the sentence heard is not left open with no end."""
    async with running(tmp_path, site("third.html"), rate=STEADY) as run:
        mark = await run.press("space")
        await run.then_reads(0, 1, mark)
        await run.until(lambda: any(r["event"] == "word" for r in run.records()[mark:]))
        held = run.app.session.speaking
        assert held is not None
        mark = await run.press("space")
        assert run.app.session.state == "paused" and run.app.queue.paused
        pause = await run.until(
            lambda: next((r for r in run.records()[mark:] if r["event"] == "pause"), None)
        )
        assert pause["text"] == held.text
        assert (pause["section"], pause["sentence"]) == tuple(held.tag)
        mark = await run.press("space")
        assert run.app.session.state == "playing"
        resume = await run.until(
            lambda: next((r for r in run.records()[mark:] if r["event"] == "resume"), None)
        )
        assert resume["text"] == held.text
        # The same utterance goes on and ends: no new start for it, no stop.
        await run.until(
            lambda: any(
                r["event"] == "end" and r["text"] == held.text for r in run.records()[mark:]
            )
        )
        assert not any(r["event"] == "stop" for r in run.records()[mark:])
        assert held.text not in run.texts(mark)

"""Every key of the fixed key map, through the real app (Pilot), the real speech queue and driver on
the null audio backend. Each test checks the state and what was said (the --speech-log lines)."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

import pytest
from helpers.app import SIZE, STEADY, Run, message_line, running, spoken_title
from helpers.paths import SEED, UserDirs, seed_copy
from helpers.speech import reader_driver
from textual.widgets import Input

from reader.store import Store
from reader.ui.app import ReaderApp
from reader.ui.screens import (
    KEYS,
    FindDialog,
    HelpScreen,
    OpenDialog,
    ReaderScreen,
    StartScreen,
)
from reader.ui.widgets import ReadingPane, SectionList, SentenceLine, StatusLine

pytestmark = pytest.mark.anyio


@pytest.fixture
def page(tmp_path: Path) -> str:
    return seed_copy(tmp_path)


# ------------------------------------------------------------------ the keys of the table


async def test_space_plays_pauses_and_resumes(tmp_path: Path, page: str) -> None:
    async with running(tmp_path, page) as run:
        session = run.app.session
        assert session.state == "stopped"
        mark = await run.press("space")
        assert session.state == "playing"
        await run.then_reads(0, 0, mark)
        await run.press("space")
        assert session.state == "paused" and run.app.queue.paused
        assert "Paused" in run.app.status_text()
        await run.press("space")
        assert session.state == "playing" and not run.app.queue.paused
        assert "Playing" in run.app.status_text()


async def test_escape_stops_and_closes_a_dialog(tmp_path: Path, page: str) -> None:
    async with running(tmp_path, page, autoplay=True) as run:
        await run.then_reads(0, 0, 0)
        mark = await run.press("escape")
        assert run.app.session.state == "stopped"
        assert "Stopped" in run.app.status_text()
        await run.until(lambda: any(r["event"] == "stop" for r in run.records()[mark:]))
        await run.press("o")
        assert isinstance(run.app.screen, OpenDialog)
        await run.press("escape")
        assert isinstance(run.app.screen, ReaderScreen)


async def test_right_and_left_move_by_sentence(tmp_path: Path, page: str) -> None:
    async with running(tmp_path, page, rate=STEADY) as run:
        session = run.app.session
        mark = await run.press("right")
        assert session.position == (0, 1)
        await run.then_reads(0, 1, mark)
        await run.press("right", "right")
        assert session.position == (0, 3)
        mark = await run.press("left")
        assert session.position == (0, 2)
        await run.then_reads(0, 2, mark)
        assert "Sent 2/" in run.app.status_text()


@pytest.mark.parametrize(("forward", "back"), [("n", "p"), ("h", "H")])
async def test_section_keys_announce_the_title_then_read_on(
    tmp_path: Path, page: str, forward: str, back: str
) -> None:
    async with running(tmp_path, page) as run:
        session = run.app.session
        mark = await run.press(forward)
        assert session.section == 1
        announce = await run.said("Section 2 of 7: ", mark)
        assert announce["section"] is None
        await run.then_reads(1, 1, mark)
        mark = await run.press(forward, forward)
        assert session.section == 3
        await run.said(f"Section 4 of 7: {spoken_title('Alemtuzumab (Lemtrada)')}", mark)
        mark = await run.press(back)
        assert session.section == 2
        await run.said("Section 3 of 7: Infusion treatment drugs", mark)
        await run.then_reads(2, 1, mark)


async def test_t_opens_the_section_list_speaks_titles_and_enter_reads(
    tmp_path: Path, page: str
) -> None:
    async with running(tmp_path, page) as run:
        screen = run.app.screen
        mark = await run.press("t")
        sections = screen.query_one(SectionList)
        assert sections.has_focus
        await run.said("Sections, 7 items.", mark)
        mark = await run.press("down", "down", "down")
        await run.said(f"{spoken_title('Alemtuzumab (Lemtrada)')}, 4 of 7", mark)
        mark = await run.press("down", "down")
        await run.said(f"{spoken_title('Ocrelizumab (Ocrevus)')}, 6 of 7", mark)
        # up speaks the earlier title, down the later one again
        mark = await run.press("up")
        await run.said(f"{spoken_title('Natalizumab (Tysabri)')}, 5 of 7", mark)
        mark = await run.press("down")
        await run.said(f"{spoken_title('Ocrelizumab (Ocrevus)')}, 6 of 7", mark)
        mark = await run.press("enter")
        assert not sections.has_focus
        assert run.app.session.section == 5
        await run.said(f"Section 6 of 7: {spoken_title('Ocrelizumab (Ocrevus)')}", mark)
        await run.then_reads(5, 1, mark)
        # escape closes the list without moving; opened again while reading, its opening
        # sentence is heard whole, not cut off by the list's own highlight of this section
        mark = await run.press("t")
        assert sections.has_focus
        opening = await run.said("Sections, 7 items.", mark)
        begun = run.records().index(opening)
        await run.until(lambda: any(r["event"] == "end" for r in run.records()[begun:]))
        first_end = next(r for r in run.records()[begun:] if r["event"] in ("end", "stop"))
        assert (first_end["event"], first_end["text"]) == ("end", opening["text"])
        await run.press("escape")
        assert not sections.has_focus
        assert run.app.session.section == 5


async def test_brackets_change_the_rate_in_steps_and_announce_it(
    tmp_path: Path, page: str, user_dirs: UserDirs
) -> None:
    async with running(tmp_path, page, rate=975) as run:
        mark = await run.press("right_square_bracket")
        assert run.app.queue.rate == 1000
        await run.said("Rate 1000", mark)
        await run.press("right_square_bracket")
        assert run.app.queue.rate == 1000  # the ceiling
        mark = await run.press("left_square_bracket", "left_square_bracket")
        assert run.app.queue.rate == 950
        await run.said("Rate 950", mark, exact=True)
        assert "Rate 950" in run.app.status_text()
        settings = (user_dirs.config / "settings.toml").read_text()
        assert "rate = 950" in settings
        # after the floor, steps go back onto the 25 wpm grid: 80 -> 100, not 105
        run.app.queue.set_rate(100)
        mark = await run.press("left_square_bracket", "left_square_bracket")
        assert run.app.queue.rate == 80
        await run.said("Rate 80, slowest", mark)
        mark = await run.press("right_square_bracket", "right_square_bracket")
        assert run.app.queue.rate == 125
        await run.said("Rate 125", mark, exact=True)


async def test_a_rate_change_while_reading_goes_on_from_the_current_word(
    tmp_path: Path, page: str
) -> None:
    async with running(tmp_path, page) as run:
        session = run.app.session
        # (0, 1) is the page's byline, "By Stuart."; its first sentence follows it.
        full = session.utterances_of(0)[2].text
        mark = await run.press("right", "right")
        await run.until(
            lambda: (
                session.word is not None
                and session.word.item.tag == (0, 2)
                and session.word.offset > len("Multiple Sclerosis")
            )
        )
        mark = await run.press("right_square_bracket")
        await run.said("Rate 525", mark, exact=True)
        await run.then_reads(0, 2, mark)
        (again,) = [r for r in run.starts(mark) if r["section"] is not None][:1]
        assert full.endswith(again["text"])
        assert len(again["text"]) < len(full) - len("Multiple Sclerosis")
        assert session.state == "playing"


async def test_plus_equals_minus_change_the_font_size(tmp_path: Path, page: str) -> None:
    async with running(tmp_path, page) as run:
        screen = run.app.screen
        assert screen.query_one(SectionList).display
        mark = await run.press("plus")
        await run.said("Font size 2 of 5", mark)
        assert screen.has_class("large")
        assert not screen.query_one(SectionList).display  # folded away for big print
        mark = await run.press("equals_sign")
        await run.said("Font size 3 of 5", mark)
        await run.press("equals_sign", "equals_sign")
        mark = await run.press("plus")
        await run.said("Font size 5 of 5, largest", mark)
        for _ in range(4):
            await run.press("minus")
        assert run.app.settings.font_size == 1
        assert not screen.has_class("large")
        mark = await run.press("minus")
        await run.said("Font size 1 of 5, smallest", mark)


async def test_r_repeats_the_current_sentence(tmp_path: Path, page: str) -> None:
    async with running(tmp_path, page, rate=STEADY, size=(80, 24)) as run:
        await run.press("right", "right")
        mark = await run.press("r")
        assert run.app.session.position == (0, 2)
        await run.then_reads(0, 2, mark)
        # at 80 columns the status line fits one line, and names the voice (not "default"):
        # its words are shortened so that the name is not cut
        status = run.app.screen.query_one(StatusLine)
        shown = str(status.render())
        assert status.size.height == 1, shown
        assert re.search(r"Sec(tion)? 1/7 \| S(ent)? 2/", shown) and "| English" in shown
        assert not shown.rstrip().endswith("…"), shown


async def test_w_says_where_we_are(tmp_path: Path, page: str) -> None:
    async with running(tmp_path, page, rate=STEADY) as run:
        await run.press("n", "right")
        mark = await run.press("w")
        said = await run.until(  # after "NN percent, … left." (issue 12)
            lambda: next((r for r in run.starts(mark) if "Section 2 of 7: " in r["text"]), None)
        )
        assert "Sentence 1 of 6." in said["text"]
        assert f"Rate {STEADY}." in said["text"]
        assert "Font size 1 of 5." in said["text"]


async def test_o_opens_a_file_and_speaks_errors(tmp_path: Path, page: str) -> None:
    other = tmp_path / "other.html"
    other.write_text(
        "<html><head><title>Other</title></head><body><h1>Other page</h1>"
        "<p>This is a different article with enough words to count as one. "
        "It has a second sentence too.</p></body></html>"
    )
    async with running(tmp_path, page) as run:
        mark = await run.press("o")
        dialog = run.app.screen
        assert isinstance(dialog, OpenDialog)
        await run.said("Open.", mark)
        dialog.query_one(Input).value = str(tmp_path / "missing.html")
        mark = await run.press("enter")
        said = await run.said("The file ", mark)  # the error, spoken
        assert "missing.html" in said["text"] and said["text"].endswith("does not exist.")
        await run.said(OpenDialog.again, mark)
        assert isinstance(run.app.screen, OpenDialog)  # the dialog stays, showing the error
        error = str(dialog.query_one("#open-error").render())
        assert "missing.html" in error and "does not exist" in error
        dialog.query_one(Input).value = str(other)
        mark = await run.press("enter")
        await run.until(lambda: isinstance(run.app.screen, ReaderScreen))
        await run.until(lambda: run.app.article and run.app.article.title.startswith("Other"))
        await run.until(lambda: run.app.session.section_count >= 1)


async def test_question_mark_and_f1_show_and_speak_every_key(tmp_path: Path, page: str) -> None:
    async with running(tmp_path, page) as run:
        for key in ("question_mark", "f1"):
            mark = await run.press(key)
            assert isinstance(run.app.screen, HelpScreen)
            await run.said("Help. Keys.", mark)
            shown = help_text(run.app.screen)
            for keys, _, what in KEYS:
                assert keys in shown and what in shown
            # The table, fixed here: dropping a row from KEYS must fail this test.
            listed = shown_keys(run.app.screen)
            missing = [name for name in REQUIRED_KEYS if name not in listed]
            assert missing == [], f"keys missing from the help screen: {missing}"
            # the whole list is queued to be spoken, each key in words
            texts = [item.text for item in run.app.session._keep]
            for _, spoken, what in KEYS:
                assert f"{spoken}: {what.replace(' / ', ' or ')}." in texts
            assert "right arrow, left arrow: Next or previous sentence." in texts
            assert not any(" / " in text for text in texts)  # never "slash" read aloud
            # up and down move through the keys, each said again (to re-hear one key). The
            # first key cuts the list off wherever it had got to (on a busy machine it may be
            # some rows on), so later steps are counted from the row that key said.
            mark = await run.press("down")
            row = await help_row_said(run, mark, last=True)
            assert 0 <= row and row + 2 < len(KEYS)
            mark = await run.press("down")
            assert await help_row_said(run, mark) == row + 1
            mark = await run.press("down")
            assert await help_row_said(run, mark) == row + 2
            await run.press("up")
            assert "▶ " + KEYS[row + 1][0] in help_text(run.app.screen)
            mark = await run.press("up")
            assert await help_row_said(run, mark) == row
            mark = await run.press("escape")
            assert isinstance(run.app.screen, ReaderScreen)
            if key == "question_mark":  # opened while stopped: how to go on is said
                await run.said("Help closed. Press space to go on reading.", mark)
                await run.press("space")  # help opened while reading ...
            else:  # ... reading goes on after it closes
                await run.said("Help closed.", mark, exact=True)
                await run.then_reads(0, 0, mark)
                assert run.app.session.state == "playing"


async def test_help_read_aloud_moves_its_place_so_down_goes_on_from_the_last_key_heard(
    tmp_path: Path, page: str
) -> None:
    """A listener who hears help read out for a while, then presses down, gets the key after
    the last one heard, not the second key of the list; the highlight shows the same row."""
    from reader.ui.app import help_line

    lines = [help_line(index) for index in range(len(KEYS))]
    async with running(tmp_path, page) as run:
        mark = await run.press("question_mark")
        await run.said(lines[3], mark)
        mark_down = await run.press("down")
        heard = [r["text"] for r in run.records()[mark:mark_down] if r["event"] == "start"]
        last = max(lines.index(text) for text in heard if text in lines)
        assert last >= 3
        await run.said(lines[last + 1], mark_down, exact=True)
        keys = KEYS[last + 1][0]
        assert f"▶ {keys}" in help_text(run.app.screen)
        mark = await run.press("up")
        await run.said(lines[last], mark, exact=True)


async def test_reading_keys_in_help_and_on_the_start_screen_say_why_they_do_nothing(
    tmp_path: Path, page: str
) -> None:
    """Silence after a key press sounds like a hung program: with help open, or with no
    article, the reading keys say why they do nothing."""
    async with running(tmp_path, page) as run:
        await run.press("question_mark")
        for key in ("n", "space", "right_square_bracket", "plus", "w"):
            mark = await run.press(key)
            await run.said("Help is open. Up and down go through the keys", mark)
            assert isinstance(run.app.screen, HelpScreen)
        assert run.app.session.position == (0, 0) and run.app.settings.font_size == 1
        await run.press("escape")
    async with running(tmp_path, None) as run:
        for key in ("space", "n", "t", "right", "w", "b"):
            mark = await run.press(key)
            await run.said("No article is open. Choose one with up and down arrows", mark)
            assert isinstance(run.app.screen, StartScreen)


async def help_row_said(run: Run, after: int, last: bool = False) -> int:
    """The row of the key list whose line was said first after `after`; with `last`, the
    last one said before speech fell silent (the list read aloud may have said one more row
    of its own before the key cut it off)."""
    lines = {
        f"{spoken}: {what.replace(' / ', ' or ')}.": n for n, (_, spoken, what) in enumerate(KEYS)
    }
    if last:
        await run.until(lambda: any(r["text"] in lines for r in run.starts(after)))
        assert await asyncio.to_thread(run.app.queue.wait_idle, 30)
        said = [r for r in run.starts(after) if r["text"] in lines]
        return lines[said[-1]["text"]]
    record = await run.until(
        lambda: next((r for r in run.starts(after) if r["text"] in lines), None)
    )
    return lines[record["text"]]


def help_text(screen: Any) -> str:
    return "\n".join(str(row.render()) for row in screen.query("HelpRow"))


# The keys the issue requires, by the names shown on the help screen.
REQUIRED_KEYS = [
    *("space", "escape", "right", "left", "n", "p", "h", "H", "t", "]", "[", "+", "=", "-"),
    *("r", "w", "o", "?", "f1", "q"),
]


def shown_keys(screen: Any) -> set[str]:
    """Every key name in the key column of the help rows (the column ends at a run of spaces;
    names inside it are split by spaces, commas, slashes and 'or')."""
    names: set[str] = set()
    for row in screen.query("HelpRow"):
        column = re.split(r"\s{2,}", str(row.render()).lstrip("▶ "), maxsplit=1)[0]
        for name in re.split(r"[\s,]+", column):
            if name and name not in ("or", "/"):
                names.add(name)
    return names


async def test_q_quits_saving_the_position_and_relaunch_resumes(
    tmp_path: Path, page: str, user_dirs: UserDirs
) -> None:
    async with running(tmp_path, page, rate=STEADY) as run:
        await run.press("n", "n", "n", "n", "right")
        assert run.app.session.position == (4, 1)
        mark = await run.press("q")
        await run.until(lambda: run.app.return_code is not None)
    # goodbye is said (and logged), and the log ends with a stop
    records = run.records()
    assert any(
        r["event"] == "start" and r["text"] == "Goodbye, position saved." for r in records[mark:]
    )
    assert records[-1]["event"] == "stop"
    saved = Store(user_dirs.data).position(page)
    assert saved is not None and (saved.section, saved.sentence) == (4, 1)
    async with running(tmp_path, page, autoplay=True) as run:
        title = spoken_title("Natalizumab (Tysabri)")
        await run.said(f"Resuming at section 5 of 7, {title}", 0)
        await run.then_reads(4, 1, 0)
        assert run.app.session.position[0] == 4
        # shown in the page's words, the sentence not repeated; gone once reading moves on
        assert message_line(run.app) == "Resuming at section 5 of 7, Natalizumab (Tysabri)."
        await run.then_reads(4, 2, 0)
        await run.until(lambda: message_line(run.app) == "")


async def test_an_article_finished_last_time_is_read_from_the_start(
    tmp_path: Path, page: str
) -> None:
    from reader.store import load_store

    store, _ = load_store()
    store.save_position(page, 6, 5, "Infusion Treatments")  # left during its last sentence
    async with running(tmp_path, page, autoplay=True) as run:
        # not finished: that sentence is where reading goes on
        await run.said("Resuming at section 7 of 7", 0)
        await run.then_reads(6, 5, 0)
        await run.said("End of article.", 0, exact=True)  # heard to the end this time
        await run.until(
            lambda: any(
                r["event"] == "end" and r["text"] == "End of article." for r in run.records()
            )
        )
        await run.until(lambda: run.app.session.finished)
    async with running(tmp_path, page, autoplay=True) as run:
        await run.said("You finished this article last time. Reading from the start.", 0)
        await run.then_reads(0, 0, 0)
        assert not any(r["text"].startswith("Resuming") for r in run.starts())


# ------------------------------------------------------------------ the extra keys


async def test_home_and_end(tmp_path: Path, page: str) -> None:
    async with running(tmp_path, page) as run:
        mark = await run.press("end")
        assert run.app.session.position == (6, 5)
        await run.said("End of article, last sentence.", mark)
        assert message_line(run.app) == "End of article, last sentence."
        # once reading has stopped at the end, the message no longer says where it was going
        await run.until(lambda: run.app.session.state == "stopped")
        await run.until(lambda: message_line(run.app) == "")
        assert "Stopped" in run.app.status_text()
        mark = await run.press("space")
        assert message_line(run.app) == "Playing"
        mark = await run.press("home")
        assert run.app.session.section == 0  # (0, 0) itself is read: below
        await run.said("Start of article.", mark)
        await run.then_reads(0, 0, mark)  # never the next sentence in reading order
        # In large print too: the big text's scroller must not take the keys for itself.
        await run.press("plus", "plus")
        mark = await run.press("end")
        await run.said("End of article, last sentence.", mark)
        mark = await run.press("home")
        await run.said("Start of article.", mark)


async def test_v_and_shift_v_change_the_volume_never_to_silence(
    tmp_path: Path, page: str, user_dirs: UserDirs
) -> None:
    """A saved 0 % would make every later launch silent, with no way for a blind user to hear
    how to undo it: it is raised on load (and said), and V stops at 10 %, saying so."""
    config = user_dirs.config
    config.mkdir(exist_ok=True)
    (config / "settings.toml").write_text("volume = 0.0\n")
    async with running(tmp_path, page) as run:
        assert run.app.queue.volume == pytest.approx(0.1)
        await run.said("The saved volume was 0 percent, too soft to hear", 0)
        assert "volume = 0.1" in (config / "settings.toml").read_text()
        mark = await run.press("v")
        await run.said("Volume 20 percent", mark)
        mark = await run.press("V", "V")
        assert run.app.queue.volume == pytest.approx(0.1)
        await run.said("Volume 10 percent, softest", mark)
        for _ in range(8):
            await run.press("v")
        mark = await run.press("v")
        assert run.app.queue.volume == pytest.approx(1.0)
        await run.said("Volume 100 percent, loudest", mark)
        mark = await run.press("V")
        assert run.app.queue.volume == pytest.approx(0.9)
        await run.said("Volume 90 percent", mark, exact=True)
        for _ in range(12):
            await run.press("V")
        assert run.app.settings.volume == pytest.approx(0.1)
        assert "volume = 0.1" in (config / "settings.toml").read_text()


async def test_ctrl_t_cycles_the_theme(tmp_path: Path, page: str, user_dirs: UserDirs) -> None:
    async with running(tmp_path, page) as run:
        assert run.app.theme == "reader-high-contrast"
        mark = await run.press("ctrl+t")
        assert run.app.theme == "reader-light"
        await run.said("Theme Light", mark)
        await run.press("ctrl+t", "ctrl+t")
        assert run.app.theme == "reader-high-contrast"
        assert 'theme = "reader-high-contrast"' in (user_dirs.config / "settings.toml").read_text()


async def test_y_and_shift_y_cycle_the_voices_of_the_article_language(
    tmp_path: Path, page: str, user_dirs: UserDirs
) -> None:
    async with running(tmp_path, page) as run:
        english = [v for v in run.app.queue.voices() if v.languages[0].startswith("en")]
        assert len(english) > 2
        ids = [v.id for v in english]
        start = ids.index(run.app.current_voice_id(run.app.queue.voices()))
        mark = await run.press("y")
        first = english[(start + 1) % len(english)]
        assert run.app.queue.voice == first.id
        said = await run.said(
            f"Voice {first.name}, {ids.index(first.id) + 1} of {len(english)}", mark
        )
        assert said["section"] is None
        await run.press("y")
        second = english[(start + 2) % len(english)]
        assert run.app.queue.voice == second.id
        assert second.name in run.app.status_text()
        mark = await run.press("Y", "Y", "Y")
        back = english[(start - 1) % len(english)]
        assert run.app.queue.voice == back.id  # back past where it started
        await run.said(f"Voice {back.name}", mark)
        assert f'voice = "{back.id}"' in (user_dirs.config / "settings.toml").read_text()


async def test_slash_finds_and_reads_from_the_next_sentence_with_the_words(
    tmp_path: Path, page: str
) -> None:
    # 100 wpm: the place is read right after enter; at 500 the found sentence (eight words)
    # had been read and the place moved on when a busy machine (load 7) got there.
    async with running(tmp_path, page, rate=STEADY) as run:
        session = run.app.session
        mark = await run.press("slash")
        dialog = run.app.screen
        assert isinstance(dialog, FindDialog)
        await run.said("Find. Type the words", mark)
        mark = await run.press(*"zebra")
        await run.said("a", mark, exact=True)  # each typed letter is said
        assert not dialog.query_one("#find-echo-box").display  # font size 1: no big echo
        mark = await run.press("enter")
        await run.said("Not found: zebra", mark)
        await run.said("Change the words and press enter, or escape to go back.", mark)
        assert "Not found: zebra" in str(dialog.query_one("#find-error").render())
        assert isinstance(run.app.screen, FindDialog) and session.position == (0, 0)
        dialog.query_one(Input).value = "ocrelizumab  IS"  # any case, any spacing
        mark = await run.press("enter")
        assert isinstance(run.app.screen, ReaderScreen)
        section, sentence = session.position
        assert section == 5 and sentence > 0
        await run.said(f"Section 6 of 7: {spoken_title('Ocrelizumab (Ocrevus)')}.", mark)
        found = await run.until(
            lambda: next((r for r in run.starts(mark) if r["section"] == 5), None)
        )
        assert "is" in found["text"].lower() and found["sentence"] == sentence
        # ctrl+f opens it again with the last words; enter goes on to the next match
        mark = await run.press("ctrl+f")
        assert run.app.screen.query_one(Input).value == "ocrelizumab IS"
        await run.press("enter")
        assert session.position[0] == 5 and session.position[1] > sentence
        await run.press("ctrl+f", "escape")
        assert isinstance(run.app.screen, ReaderScreen)


# ------------------------------------------------------------------ start screen and errors


async def test_start_screen_keys_speak_each_choice_open_the_dialog_and_read_the_sample(
    tmp_path: Path, page: str
) -> None:
    from reader.store import load_store

    store, _ = load_store()
    store.add_recent(page, "Infusion Treatments")
    async with running(tmp_path, None, autoplay=True) as run:
        assert isinstance(run.app.screen, StartScreen)
        await run.said("Reader. Choose with up and down arrows", 0)
        await run.said("Open a web address or file, 1 of 3", 0)
        mark = await run.press("down")
        await run.said("Read the built-in sample article, 2 of 3", mark)
        mark = await run.press("down")
        # the title, then where it is from: not the whole path
        await run.said("Recent: Infusion Treatments, from seed_like.html, 3 of 3", mark)
        mark = await run.press("up")
        await run.said("Read the built-in sample article, 2 of 3", mark)
        mark = await run.press("o")
        assert isinstance(run.app.screen, OpenDialog)
        await run.said("Open. Type a web address", mark)
        mark = await run.press("escape")
        assert isinstance(run.app.screen, StartScreen)
        await run.said("Open cancelled.", mark)
        mark = await run.press("enter")  # the sample is still the highlighted choice
        await run.until(lambda: run.app.session is not None)
        assert isinstance(run.app.screen, ReaderScreen)
        assert run.app.article_source == "sample"
        await run.then_reads(0, 0, mark)  # and reading starts by itself
        await run.then_reads(0, 1, mark)


async def test_b_opens_the_start_screen_over_the_article_escape_comes_back(
    tmp_path: Path, page: str
) -> None:
    """Recent articles without quitting: b shows the start screen, reading paused beneath it;
    escape (or b) goes back to the same place, a recent article or the sample replaces it."""
    async with running(tmp_path, page, autoplay=True) as run:
        app = run.app
        await run.then_reads(0, 0, 0)
        await run.press("n", "n")
        await run.then_reads(2, 1, 0)
        mark = await run.press("b")
        place = app.session.position
        start = app.screen
        assert isinstance(start, StartScreen) and start.over_article
        assert app.session.state == "paused"
        welcome = await run.said("Start screen. Choose with up and down arrows", mark)
        await run.said("Open a web address or file, 1 of 3", mark)
        assert {**welcome, "event": "end"} in [
            {**r, "t": welcome["t"]} for r in run.records()[mark:] if r["event"] == "end"
        ]  # heard whole: the list's first highlight does not cut it off
        # the article just read is the first recent one
        mark = await run.press("down", "down")
        await run.said(
            "Recent: Infusion Treatments: Benefits and Side Effects, from seed_like", mark
        )
        mark = await run.press("space")  # a reading key here says where the article is
        await run.said("The article waits behind this screen: escape goes back to it.", mark)
        await run.press("question_mark")
        mark = await run.press("escape")  # help closed: space would not read from here
        await run.said("Help closed.", mark, exact=True)
        assert isinstance(app.screen, StartScreen)
        mark = await run.press("escape")
        assert app.screen is app.reader_screen and app.session.position == place
        await run.said("Back to Infusion Treatments", mark)
        mark = await run.press("space")
        await run.then_reads(*place, mark)  # reading goes on where it was
        mark = await run.press("b")
        await run.said("Start screen.", mark)
        mark = await run.press("b")  # b again also goes back
        assert app.screen is app.reader_screen
        await run.said("Back to", mark)
        await run.press("b", "down", "enter")  # the sample, in place of the article
        await run.until(lambda: app.article_source == "sample")
        assert app.screen is app.reader_screen and len(app.screen_stack) == 2
        assert app.store.position(page) is not None  # the old article's place was kept
        mark = await run.press("b", "escape")
        await run.said("Back to", mark)
        assert isinstance(app.screen, ReaderScreen)


async def test_large_print_reaches_the_start_screen_help_and_dialogs_and_typing_is_said(
    tmp_path: Path,
    user_dirs: UserDirs,
) -> None:
    """At font size 3 the start screen's choices, help and what is typed in a dialog are big
    glyphs, not small text; each typed character is said (a deleted one too)."""
    config = user_dirs.config
    config.mkdir(exist_ok=True)
    (config / "settings.toml").write_text("font_size = 3\n")
    async with running(tmp_path, None) as run:
        screen = run.app.screen
        assert isinstance(screen, StartScreen)
        choices = screen.query_one("#choices")
        for option in choices.options:
            drawn = str(option.prompt)
            assert drawn.count("\n") >= 5 and "█" in drawn  # glyphs 5 cells tall
        await run.press("question_mark")
        rows = list(run.app.screen.query("HelpRow"))
        assert all("█" in str(row.render()) for row in rows)
        await run.press("escape", "o")
        dialog = run.app.screen
        assert isinstance(dialog, OpenDialog)
        echo_box = dialog.query_one("#open-echo-box")
        assert not echo_box.display  # nothing typed yet
        mark = await run.press("a", "b", "full_stop", "backspace", "space")
        assert echo_box.display
        assert "█" in str(dialog.query_one("#open-echo").render())
        await run.until(lambda: len(run.starts(mark)) >= 5)
        assert [r["text"] for r in run.starts(mark)][:5] == ["a", "b", "dot", "dot", "ab"]
        await run.press("escape")
        assert isinstance(run.app.screen, StartScreen)
        await run.press("minus", "minus")  # back to normal text: the choices redrawn small
        assert str(choices.options[1].prompt) == "Read the built-in sample article"


async def test_speech_that_cannot_start_reads_on_screen_and_says_why(
    tmp_path: Path, page: str
) -> None:
    """A real synthesiser whose process cannot be started: the article is still shown and read
    through, silently but in time, and the user is told."""
    from voices.drivers import make_driver

    driver = make_driver()
    driver.close()
    driver.worker_command = [str(tmp_path / "no-such-speech-program")]
    log = tmp_path / "log.jsonl"
    app = ReaderApp(page, audio="null", speech_log=log, rate=1000, driver=driver)
    async with app.run_test(size=SIZE) as pilot:
        run = Run(app, pilot, log)
        await run.until(lambda: "Speech is unavailable" in message_line(app))
        shown = message_line(app)
        assert "could not be started" in shown and "without sound" in shown
        await run.said("Speech is unavailable: ")
        await run.then_reads(0, 2, 0)  # reading goes on, in time, with the highlight
        pane = app.screen.query_one(ReadingPane)
        assert pane.texts[0] == "Infusion Treatments: Benefits and Side Effects"
        assert pane.current is not None
        assert app.is_running


async def test_a_missing_file_is_spoken_and_shown_and_the_app_lives(tmp_path: Path) -> None:
    missing = str(tmp_path / "nowhere.html")
    log = tmp_path / "log.jsonl"
    app = ReaderApp(
        missing, audio="null", speech_log=log, rate=500, autoplay=False, driver=reader_driver()
    )
    async with app.run_test(size=SIZE) as pilot:
        run = Run(app, pilot, log)

        def is_error(text: str) -> bool:  # ("Loading …/nowhere.html" is said first when
            return "nowhere.html" in text and not text.startswith("Loading ")  # speech is ready)

        await run.until(lambda: isinstance(app.screen, StartScreen))
        await run.until(lambda: any(is_error(r["text"]) for r in run.starts()))
        message = str(app.screen.query_one("#message").render())
        assert "nowhere.html" in message
        assert app.is_running
        # The error is heard whole, then the first choice: the list's own highlight of that
        # choice must not cut the error off.
        await run.said("Open a web address or file, 1 of", 0)
        heard = [(r["event"], r["text"]) for r in run.records() if r["event"] != "word"]
        error = next(text for event, text in heard if is_error(text))
        assert ("end", error) in heard and ("stop", error) not in heard, heard


async def test_a_speech_log_that_cannot_be_written_is_said_and_shown(
    tmp_path: Path, page: str
) -> None:
    log = tmp_path / "no such folder" / "log.jsonl"
    app = ReaderApp(page, audio="null", speech_log=log, rate=500, driver=reader_driver())
    async with app.run_test(size=SIZE) as pilot:
        run = Run(app, pilot, log)
        await run.until(lambda: app.session is not None and app.queue is not None)
        await run.until(lambda: "Could not write the speech log" in message_line(app))
        assert "no such folder" in message_line(app)
        spoken = [item.text for item in app.session._keep]
        assert any(text.startswith("Could not write the speech log") for text in spoken)
        assert app.is_running


async def test_an_empty_piped_page_is_called_standard_input(tmp_path: Path) -> None:
    """`printf '' | reader -`: the app gets a temporary copy of the pipe; its random name must
    not be what the listener hears."""
    copy = tmp_path / "reader-stdin-abc123"
    copy.write_bytes(b"")
    log = tmp_path / "log.jsonl"
    app = ReaderApp(
        str(copy), audio="null", speech_log=log, rate=500, piped=True, driver=reader_driver()
    )
    async with app.run_test(size=SIZE) as pilot:
        run = Run(app, pilot, log)
        await run.until(lambda: isinstance(app.screen, StartScreen))
        await run.said("Standard input is empty", 0)
        assert "Standard input is empty" in str(app.screen.query_one("#message").render())
        assert not any("reader-stdin-" in r["text"] for r in run.records())


async def test_the_pane_shows_the_page_words_while_the_ear_gets_respellings(
    tmp_path: Path, page: str
) -> None:
    async with running(tmp_path, page, rate=STEADY) as run:
        mark = await run.press("n", "n", "n", "n")
        said = await run.said("Section 5 of 7: ", mark)
        assert said["text"] != "Section 5 of 7: Natalizumab (Tysabri)"  # respelt for the ear
        pane = run.app.screen.query_one(ReadingPane)
        assert pane.texts[0] == "Natalizumab (Tysabri)"
        assert pane.texts[1].startswith("Natalizumab (Tysabri) works")
        message = str(run.app.screen.query_one("#message").render())
        assert "Section 5 of 7: Natalizumab (Tysabri)" in message
        # the spoken word, mapped onto the shown words, is highlighted in the current line
        await run.until(lambda: run.app.session.word is not None and run.app.session.section == 4)
        await run.until(lambda: pane.current is not None)
        line = list(pane.query("SentenceLine"))[pane.current]
        assert line.has_class("current")
        # r and w show the page's words too, never the respelling said to eSpeak
        await run.press("p")
        assert message_line(run.app) == "Section 4 of 7: Alemtuzumab (Lemtrada)"
        await run.until(lambda: run.app.session.position == (3, 1))
        # left, then r at once: r repeats the title left went back to (a test step between
        # them can outlast the title on a busy machine)
        mark = await run.press("left", "r")
        await run.then_reads(3, 0, mark)  # back: reading on from (3, 1) never comes here
        await run.said(spoken_title("Alemtuzumab (Lemtrada)"), mark, exact=True)
        assert message_line(run.app) == ""  # a sentence move announces nothing
        mark = await run.press("w")
        said = await run.until(  # after "NN percent, … left." (issue 12)
            lambda: next((r for r in run.starts(mark) if "Section 4 of 7: " in r["text"]), None)
        )
        assert spoken_title("Alemtuzumab (Lemtrada)") in said["text"]
        assert "Section 4 of 7: Alemtuzumab (Lemtrada). At the" in message_line(run.app)


async def test_o_opens_a_web_address_and_a_404_is_spoken(
    tmp_path: Path, page: str, httpserver
) -> None:
    httpserver.expect_request("/article").respond_with_data(
        SEED.read_text(encoding="utf-8"), content_type="text/html; charset=utf-8"
    )
    httpserver.expect_request("/gone").respond_with_data("no", status=404)
    async with running(tmp_path, None) as run:
        mark = await run.press("o")
        dialog = run.app.screen
        assert isinstance(dialog, OpenDialog)
        dialog.query_one(Input).value = httpserver.url_for("/gone")
        mark = await run.press("enter")
        await run.until(lambda: any("was not found" in r["text"] for r in run.starts(mark)))
        assert "404" in str(dialog.query_one("#open-error").render())  # said without it
        dialog.query_one(Input).value = httpserver.url_for("/article")
        mark = await run.press("enter")
        await run.until(lambda: run.app.session is not None)
        assert isinstance(run.app.screen, ReaderScreen)
        assert run.app.session.section_count == 7
        # (leaving while the reading screen still mounts fails in its on_mount; seen on a busy
        # machine: what is checked here is the open, so the screen is let finish first)
        await run.until(lambda: run.app.screen.is_mounted)


async def test_a_web_address_that_fails_at_start_up_is_heard_whole(
    tmp_path: Path, httpserver
) -> None:
    """`reader URL` with a 404: the failure comes after speech is ready, and the start screen
    that replaces the reader must not cut the error off with its first choice."""
    httpserver.expect_request("/gone").respond_with_data("no", status=404)
    log = tmp_path / "log.jsonl"
    app = ReaderApp(
        httpserver.url_for("/gone"), audio="null", speech_log=log, rate=500, driver=reader_driver()
    )
    async with app.run_test(size=SIZE) as pilot:
        run = Run(app, pilot, log)
        await run.until(lambda: isinstance(app.screen, StartScreen))
        await run.said("Open a web address or file, 1 of", 0)
        heard = [(r["event"], r["text"]) for r in run.records() if r["event"] != "word"]
        started = [text for event, text in heard if event == "start" and "not found" in text]
        assert started, "the error was never spoken"
        assert ("end", started[0]) in heard


# ------------------------------------------------------------------ saving on every way out


async def test_any_exit_saves_the_position_and_settings(
    tmp_path: Path, page: str, user_dirs: UserDirs
) -> None:
    """Not only q: the browser page closing, a signal or app.exit() from anywhere unmount the
    app, and that must save too."""
    async with running(tmp_path, page, rate=STEADY) as run:
        await run.press("n", "n", "right")
        assert run.app.session.position == (2, 1)
        run.app.settings.theme = "reader-dark"  # in memory only, as if a save had failed
        run.app.exit()
        await run.until(lambda: run.app.return_code is not None)
    saved = Store(user_dirs.data).position(page)
    assert saved is not None and (saved.section, saved.sentence) == (2, 1)
    assert 'theme = "reader-dark"' in (user_dirs.config / "settings.toml").read_text()


async def test_served_font_change_saves_before_the_page_reloads(
    tmp_path: Path, page: str, monkeypatch: pytest.MonkeyPatch, user_dirs: UserDirs
) -> None:
    """In `reader serve` a font level reloads the browser page, which ends this app process:
    the place and the level must be on disk before the reload is asked for."""
    monkeypatch.setenv("TEXTUAL_DRIVER", "textual.drivers.web_driver:WebDriver")
    monkeypatch.setenv("READER_SERVE_URL", "http://127.0.0.1:8123/")
    async with running(tmp_path, page, rate=STEADY) as run:
        await run.press("n", "right")
        on_disk: list[tuple[str, str]] = []

        def open_url(url: str, *, new_tab: bool = True) -> None:
            # The browser's side of the reload: record what was saved when it was asked for.
            place = Store(user_dirs.data).position(page)
            settings = (user_dirs.config / "settings.toml").read_text()
            on_disk.append((url, f"{place and (place.section, place.sentence)} {settings}"))

        run.app.open_url = open_url  # type: ignore[method-assign]
        await run.press("plus")
        ((url, saved),) = on_disk
        assert url == "http://127.0.0.1:8123/?fontsize=24"
        assert saved.startswith("(1, 1) ")
        assert "font_size = 2" in saved


# ------------------------------------------------------------------ start-up notices


@pytest.fixture
def no_sound_device(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Make sure the system has no sound device to offer (most servers and CI have none): an
    empty ALSA configuration and no reachable PulseAudio or JACK server."""
    empty = tmp_path / "asound.conf"
    empty.write_text("")
    monkeypatch.setenv("ALSA_CONFIG_PATH", str(empty))
    monkeypatch.setenv("PULSE_SERVER", f"unix:{tmp_path / 'no-pulse'}")
    monkeypatch.setenv("JACK_NO_START_SERVER", "1")
    from voices.player import make_player

    player = make_player("auto")
    message = player.message
    player.close()
    assert message, "this machine still offers a sound device; the test needs none"
    return message


async def test_no_sound_device_is_shown_and_said_before_reading(
    tmp_path: Path, page: str, no_sound_device: str
) -> None:
    log = tmp_path / "log.jsonl"
    app = ReaderApp(page, audio="auto", speech_log=log, rate=500, driver=reader_driver())
    async with app.run_test(size=SIZE) as pilot:
        run = Run(app, pilot, log)
        notice = await run.said(no_sound_device)
        await run.then_reads(0, 0, 0)
        first_reading = next(r for r in run.starts() if r["section"] is not None)
        assert notice["t"] <= first_reading["t"]  # told first, then the article
        assert no_sound_device in message_line(app)


async def test_ignored_speech_rules_and_a_bad_settings_file_are_shown_and_said(
    tmp_path: Path, page: str, user_dirs: UserDirs
) -> None:
    config = user_dirs.config
    config.mkdir(exist_ok=True)
    (config / "speech.toml").write_text("[words\nbroken = ")
    (config / "settings.toml").write_text("rate = 'fast'\n")
    async with running(tmp_path, page) as run:
        said = await run.until(
            lambda: next((r for r in run.starts() if "speech rules file" in r["text"]), None)
        )
        assert "is ignored" in said["text"]
        texts = " ".join(r["text"] for r in run.starts())
        assert "The rate setting 'fast' is not a number" in texts
        shown = message_line(run.app)
        assert "speech rules file" in shown and "rate setting" in shown


async def test_start_screen_shows_and_says_a_bad_settings_file(
    tmp_path: Path, user_dirs: UserDirs
) -> None:
    config = user_dirs.config
    config.mkdir(exist_ok=True)
    (config / "settings.toml").write_text("font_size = 9\n")
    async with running(tmp_path, None) as run:
        said = await run.said("The font size setting 9 is out of range")
        assert isinstance(run.app.screen, StartScreen)
        await run.said("Reader.", 0)
        assert "font size setting 9" in message_line(run.app)
        assert said["section"] is None  # a notice, not article text


# ------------------------------------------------------------------ untrusted page text

MARKUP_PAGE = """<html lang="en"><head><title>Markup page</title></head><body><article>
<h1>Markup page</h1>
<p>This page is about square brackets in ordinary text, which a reader must show as they are.
The screen must never treat page words as its own styling codes.</p>
<h2>Titles with [bold]not bold[/bold] inside</h2>
<p>Here is [bold]not bold[/bold] in a sentence. And here is [link=x]y[/link] as well.
Both must be shown with their brackets, exactly as the page wrote them.</p>
</article></body></html>
"""


def rendered_lines(widget: Any) -> str:
    """What the widget actually draws (after any markup was applied), its wrapped lines
    joined and runs of spaces made one."""
    drawn = " ".join(widget.render_line(y).text for y in range(widget.size.height))
    return " ".join(drawn.split())


async def test_page_text_that_looks_like_markup_is_shown_literally(tmp_path: Path) -> None:
    source = tmp_path / "markup.html"
    source.write_text(MARKUP_PAGE, encoding="utf-8")
    async with running(tmp_path, str(source)) as run:
        titles = [s.title for s in run.app.article.sections]
        assert "Titles with [bold]not bold[/bold] inside" in titles
        await run.press("t")
        sections = run.app.screen.query_one(SectionList)
        await run.pilot.pause()
        assert "Titles with [bold]not bold[/bold] inside" in rendered_lines(sections)
        await run.press("escape")
        index = titles.index("Titles with [bold]not bold[/bold] inside")
        for _ in range(index):
            await run.press("n")
        await run.until(lambda: run.app.session.section == index)
        pane = run.app.screen.query_one(ReadingPane)
        await run.until(lambda: any("[link=x]" in t for t in pane.texts))
        await run.pilot.pause()
        shown = " ".join(rendered_lines(line) for line in pane.query(SentenceLine))
        assert "Titles with [bold]not bold[/bold] inside" in shown
        assert "Here is [bold]not bold[/bold] in a sentence." in shown
        assert "And here is [link=x]y[/link] as well." in shown

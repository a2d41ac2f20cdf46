"""Defects a user trial found in what the reader says (a legally blind reader with MS, reading
health pages): dose ranges shaped like phone numbers ("500-1000 mg/day") were not said as
ranges, and a title ending in "?" got a second full stop in announcements ("Section 1 of 1:
Fatigue after infusion?. Sentence 1 of 13")."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers.app import running
from helpers.articles import article_of
from helpers.cli import run
from helpers.speech import RecordingView, opened_controller

from reader.model import Block
from reader.reading.controller import ReadingController
from reader.reading.navigation import row_headers
from reader.speech import block_sentences
from reader.text import with_full_stop


def spoken(text: str) -> list[str]:
    """The lines `reader text` prints for one paragraph: split, then said."""
    return block_sentences(Block("paragraph", text))


# --- ranges with a phone number's shape ----------------------------------------------------------


def test_the_trial_page_says_every_dose_as_a_range() -> None:
    page = (
        "<p>Take 500-1000 mg/day. Take 500-900 mg/day. Walk 1000-2000 steps. "
        "Vitamin D 400-4000 IU.</p>"
    )
    result = run("text", "-", stdin=page.encode("utf-8"))
    assert result.returncode == 0
    lines = result.stdout.decode("utf-8").splitlines()
    assert lines[1:] == [
        "Take 500 to 1000 milligrams per day.",
        "Take 500 to 900 milligrams per day.",
        "Walk 1000 to 2000 steps.",
        "Vitamin D 400 to 4000 international units.",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A unit after it: a phone number is never followed by one.
        ("Take 500-1000 mg a day.", "Take 500 to 1000 milligrams a day."),
        ("Take 500-1000mg a day.", "Take 500 to 1000 milligrams a day."),
        ("Give 250-1500 mcg.", "Give 250 to 1500 micrograms."),
        ("Up 100-1000% in a year.", "Up 100 to 1000 percent in a year."),
        ("Call us if you take 500-1000 mg.", "Call us if you take 500 to 1000 milligrams."),
        # A word that counts things, with no phone word just before.
        ("Walk 500-1000 steps a day.", "Walk 500 to 1000 steps a day."),
        ("It affects 100-2000 people.", "It affects 100 to 2000 people."),
        ("Write 500-1000 words.", "Write 500 to 1000 words."),
    ],
)
def test_a_range_shaped_like_a_phone_number_is_a_range_before_a_unit(
    text: str, expected: str
) -> None:
    assert spoken(text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "Call 555-1234 today.",
        "Call 800-555-1234.",
        "Call (212) 555-0100.",
        "Ring (212) 555-1234 today.",  # an area code before it
        "Dial 212 555-1234 now.",
        "Call +1 800 344 4867.",
        "Our helpline is on 555-1234.",  # no unit or count word: as it always was
        "Phone 555-1234 days or evenings.",  # a phone word before the count word
        "Text 500-1000 words.",  # (either; said as before)
    ],
)
def test_a_phone_number_is_still_read_as_a_phone_number(text: str) -> None:
    assert spoken(text) == [text]


# --- a title's own mark is not followed by another full stop -------------------------------------


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Fatigue", "Fatigue."),
        ("Fatigue after infusion?", "Fatigue after infusion?"),
        ("Act now!", "Act now!"),
        ("Living with MS.", "Living with MS."),
        ("Wait…", "Wait…"),
        ('Is it "MS?"', 'Is it "MS?"'),
        ("Who gets it (and why?)", "Who gets it (and why?)"),
        ("Symptoms:", "Symptoms."),
        ("Guide (2026)", "Guide (2026)."),
        ("Fatigue  ", "Fatigue."),
    ],
)
def test_with_full_stop_adds_one_only_where_none_ends_the_title(title: str, expected: str) -> None:
    assert with_full_stop(title) == expected


QUESTION = "Fatigue after infusion?"


@pytest.fixture
def opened() -> Iterator[tuple[ReadingController, RecordingView]]:
    """A controller, speech up, an article whose one section title is a question, not reading."""
    article = article_of(QUESTION, (QUESTION, 1, ["Rest helps. So does cool air."]))
    with opened_controller(article) as pair:
        yield pair


def test_where_am_i_keeps_the_titles_question_mark(opened) -> None:
    controller, view = opened
    assert view.messages[-1] == (f"{QUESTION} Press space to read.", False)
    controller.session.go_to(0, 1)
    controller.where()
    shown = view.messages[-1][0]
    assert f"Section 1 of 1: {QUESTION} Sentence 1 of 2. Rate 1000." in shown, shown
    assert "?." not in shown


@pytest.mark.anyio
async def test_back_to_the_article_keeps_the_titles_question_mark(tmp_path: Path) -> None:
    page = tmp_path / "fatigue.html"
    page.write_text(
        f"<html><head><title>{QUESTION}</title></head><body><article><h1>{QUESTION}</h1>"
        + "<p>Many people with MS feel tired after an infusion. Rest helps.</p>" * 3
        + "</article></body></html>",
        encoding="utf-8",
    )
    async with running(tmp_path, str(page)) as run_:
        await run_.said(f"{QUESTION} Press space to read.", exact=True)
        mark = await run_.press("w")
        where = await run_.heard("Section 1 of 1", mark)
        assert f"Section 1 of 1: {QUESTION} At the section title." in where["text"]
        await run_.press("b")
        mark = await run_.press("b")  # b again goes back to the article
        await run_.said(f"Back to {QUESTION} Press space to go on reading.", mark, exact=True)


@dataclass(frozen=True)
class HeadedRow(Block):
    """A table row as the element index hands it to `row_headers`."""

    headers: tuple[str, ...] = ()
    row_header: str = ""


def test_table_headers_that_end_in_a_mark_get_no_second_one() -> None:
    row = HeadedRow(
        "table_row", "1; 300 mg", headers=("Drug", "How often?"), row_header="Which one?"
    )
    assert row_headers((row,), 0) == (
        "Row 1 of 1. Row header: Which one? Columns: Drug, How often?"
    )
    plain = Block("table_row", "Drug; Is it safe?")
    assert row_headers((plain, plain), 1) == (
        "Row 2 of 2. No headers are marked; the first row says: Drug, Is it safe?"
    )

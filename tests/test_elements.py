"""The element index (headings, lists, paragraphs, tables, links, words) and the time texts and
sleep timer, in plain Python on the real utterances of hand-made articles."""

from __future__ import annotations

from dataclasses import dataclass

from helpers.articles import article_of

from reader.model import Article, Block, Link, Section
from reader.reading.elements import ElementIndex
from reader.reading.navigation import list_cue, row_headers
from reader.reading.timekeeping import SleepTimer, duration_text, minutes_text, time_left
from reader.speech import article_utterances


@dataclass(frozen=True)
class NestedItem(Block):
    """A list item as structured extraction will give it (see elements.py's block interface)."""

    depth: int = 0


@dataclass(frozen=True)
class HeadedRow(Block):
    headers: tuple[str, ...] = ()
    row_header: str = ""


def article() -> Article:
    return article_of(
        "Guide",
        ("Guide", 1, ["One. Two."]),
        (
            "Treatment",
            2,
            [
                Block("paragraph", "Start here.", (Link("side effects", "http://x/a"),)),
                Block("list_item", "First drug."),
                Block("list_item", "Second drug."),
                "Between lists.",
                Block("list_item", "Only item."),
            ],
        ),
        (
            "Infusions",
            3,
            [
                Block("table_row", "Drug; Dose"),
                Block("table_row", "Fingolimod; 0.5 mg"),
                Block("table_row", "Fumarate; 240 mg"),
                Block("paragraph", "After the table. Two sentences.", (Link("", "http://y/"),)),
            ],
        ),
        ("Daily life", 2, ["Rest."]),
    )


def index_of(art: Article) -> tuple[ElementIndex, list]:
    flat = [u for section in article_utterances(art) for u in section]
    return ElementIndex(art, flat), flat


def where(flat: list, section: int, sentence: int) -> int:
    return next(i for i, u in enumerate(flat) if (u.section, u.sentence) == (section, sentence))


def test_headings_by_level_next_and_previous() -> None:
    index, flat = index_of(article())
    assert [(h.start, h.level) for h in index.headings] == [
        (where(flat, s, 0), level) for s, level in ((0, 1), (1, 2), (2, 3), (3, 2))
    ]
    start = where(flat, 0, 1)
    assert index.next_heading(start, 1, 2).start == where(flat, 1, 0)
    after_treatment = where(flat, 1, 1)
    assert index.next_heading(after_treatment, 1, 2).start == where(flat, 3, 0)
    # Inside "Treatment", the previous level 2 heading is its own (NVDA's quick navigation).
    assert index.next_heading(after_treatment, -1, 2).start == where(flat, 1, 0)
    assert index.next_heading(where(flat, 1, 0), -1, 2) is None
    assert index.next_heading(start, 1, 4) is None
    assert index.next_heading(where(flat, 3, 0), 1, 2) is None


def test_lists_are_runs_of_items_and_each_is_counted() -> None:
    index, flat = index_of(article())
    assert [(e.start, e.count, e.level) for e in index.lists] == [
        (where(flat, 1, 2), 2, 0),
        (where(flat, 1, 5), 1, 0),
    ]
    assert index.next_list(0, 1).start == where(flat, 1, 2)
    assert index.next_list(where(flat, 1, 2), 1).start == where(flat, 1, 5)
    assert index.next_list(where(flat, 1, 5), 1) is None
    assert index.next_list(where(flat, 1, 2), -1) is None
    assert list_cue(index.lists[0]) == "List, 2 items."
    assert list_cue(index.lists[1]) == "List, 1 item."


def test_a_deeper_item_starts_a_nested_list_of_its_own() -> None:
    items = [("Outer one", 0), ("Outer two", 0), ("Inner a", 1), ("Inner b", 1), ("Outer three", 0)]
    art = Article(
        "Lists",
        "en",
        "test",
        [Section("Lists", 1, "intro", [NestedItem("list_item", t, depth=d) for t, d in items])],
    )
    index, flat = index_of(art)
    assert [(e.start, e.count, e.level) for e in index.lists] == [
        (where(flat, 0, 1), 3, 0),  # the outer list's own items: not its sublist's
        (where(flat, 0, 3), 2, 1),
    ]
    assert list_cue(index.lists[1]) == "Nested list, 2 items."


def test_paragraphs_are_titles_and_blocks() -> None:
    index, flat = index_of(article())
    assert index.paragraphs[:3] == [where(flat, 0, 0), where(flat, 0, 1), where(flat, 1, 0)]
    # "One. Two." is one paragraph of two sentences: next goes past both.
    assert index.next_paragraph(where(flat, 0, 1), 1) == where(flat, 1, 0)
    # Previous from its second sentence: the paragraph's start; from there, the one before.
    assert index.next_paragraph(where(flat, 0, 2), -1) == where(flat, 0, 1)
    assert index.next_paragraph(where(flat, 0, 1), -1) == where(flat, 0, 0)
    assert index.next_paragraph(0, -1) is None
    assert index.next_paragraph(len(flat) - 1, 1) is None


def test_table_rows_and_headers() -> None:
    index, flat = index_of(article())
    assert index.table_at(where(flat, 1, 1)) is None
    table, row = index.table_at(where(flat, 2, 2))
    assert row == 1 and len(table.rows) == 3
    assert index.table_at(where(flat, 2, 4)) is None  # the paragraph after it
    said = row_headers(table.rows, 2)
    assert said == "Row 3 of 3. No headers are marked; the first row says: Drug, Dose."
    assert row_headers(table.rows, 0) == "Row 1 of 3. This is the table's first row."
    row = HeadedRow("table_row", "Natalizumab; 300 mg", headers=("Drug", "Dose"), row_header="N")
    headed = (row,)
    assert row_headers(headed, 0) == "Row 1 of 1. Row header: N. Columns: Drug, Dose."


def test_links_in_reading_order_and_the_first_from_here() -> None:
    index, flat = index_of(article())
    assert [at.link.href for at in index.links] == ["http://x/a", "http://y/"]
    assert index.first_link_from(0) == 0
    assert index.first_link_from(where(flat, 2, 1)) == 1
    assert index.first_link_from(where(flat, 2, 5)) == 1  # inside the linking paragraph
    assert index.first_link_from(where(flat, 3, 1)) == 0  # none after: the first


def test_percent_and_words_left_count_spoken_words() -> None:
    index, flat = index_of(article())
    total = sum(len(u.text.split()) for u in flat)
    assert index.words_left(0) == total and index.percent(0) == 0
    last = len(flat) - 1
    assert index.words_left(last) == len(flat[last].text.split())
    middle = where(flat, 2, 0)
    before = sum(len(u.text.split()) for u in flat[:middle])
    assert index.percent(middle) == 100 * before // total


def test_time_left_is_short_to_hear() -> None:
    assert time_left(100, 175) == "under a minute"
    assert time_left(175, 175) == "1 minute"
    assert time_left(1050, 175) == "6 minutes"
    assert minutes_text(9.4) == "9 minutes"
    assert minutes_text(24) == "20 minutes" and minutes_text(26) == "30 minutes"
    assert minutes_text(54) == "50 minutes"
    assert minutes_text(56) == "1 hour" and minutes_text(89) == "1 hour"
    assert minutes_text(91) == "2 hours" and minutes_text(10 * 60) == "10 hours"
    assert minutes_text(17 * 60) == "over 10 hours"
    assert duration_text(15 * 60) == "15 minutes" and duration_text(1) == "1 second"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_sleep_timer_cycles_warns_once_and_ends() -> None:
    clock = Clock()
    timer = SleepTimer(clock)
    said = [timer.cycle() for _ in range(4)]
    assert said == [
        "Sleep timer 15 minutes.",
        "Sleep timer 30 minutes.",
        "Sleep timer 60 minutes.",
        "Sleep timer off.",
    ]
    assert timer.left() is None and timer.due() is None
    timer.cycle()  # 15 minutes from now
    clock.now += 13 * 60
    assert timer.due() is None and timer.left() == 2 * 60
    clock.now += 61
    assert timer.due() == "warn"
    assert timer.due() is None  # once
    clock.now += 60
    assert timer.due() == "end"
    assert not timer.running and timer.due() is None

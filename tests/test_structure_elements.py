"""What element navigation gets from structure spoken: the lists, nested lists and tables of real
extracted pages, found by the element index from the blocks' places and the cue utterances."""

from __future__ import annotations

from pathlib import Path

from reader.extract import load_article
from reader.model import Article
from reader.reading.elements import ElementIndex
from reader.reading.navigation import list_cue, row_headers
from reader.speech import article_utterances

PAGES = Path(__file__).parent / "fixtures" / "structure"


def index(name: str, cues: bool = True) -> tuple[Article, list, ElementIndex]:
    article = load_article(str(PAGES / name))
    flat = [u for section in article_utterances(article, cues) for u in section]
    return article, flat, ElementIndex(article, flat)


def test_each_list_starts_at_its_cue_with_its_depth_and_items() -> None:
    _, flat, elements = index("lists.html")
    said = [(flat[e.start].text, e.level, e.count) for e in elements.lists]
    assert said == [
        ("List, 3 items.", 0, 3),  # "Put a snack in it." goes on with item 3: not a 4th item
        ("Nested list, 2 items.", 1, 2),
        ("List level 3, 1 item.", 2, 1),
        ("List, 2 items.", 0, 2),
        ("List, 1 item.", 0, 1),
        ("List, 1 item.", 0, 1),  # the footnotes
    ]
    assert all(e.start in elements.cues for e in elements.lists)


def test_previous_list_from_a_list_start_is_the_list_before_it() -> None:
    _, flat, elements = index("lists.html")
    second = elements.lists[1]
    for here in (second.start, second.start + 1):  # its cue, or its first item: its start
        found = elements.next_list(here, -1)
        assert found is not None and flat[found.start].text == "List, 3 items."
    found = elements.next_list(second.start + 2, -1)  # further in: the start of this list
    assert found is second


def test_with_cues_off_the_list_key_counts_items_the_same() -> None:
    _, flat, elements = index("lists.html", cues=False)
    assert not elements.cues
    first = elements.lists[0]
    assert flat[first.start].text == "1. Drink plenty of water."
    assert list_cue(first) == "List, 3 items."


def test_the_table_key_says_row_and_column_headers() -> None:
    _, flat, elements = index("dosing.html")
    table = elements.tables[0]
    assert len(table.rows) == 4  # the header row is not read, so not a row to be in
    assert row_headers(table.rows, 0) == (
        "Row 1 of 4. Row header: Natalizumab. Columns: Drug, Dose, How often."
    )
    found = elements.table_at(table.starts[2])
    assert found is not None and found[1] == 2

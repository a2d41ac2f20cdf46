"""Structure kept by extraction (issue 12 item 1): each block of a list, table or quote knows
where it sits (reader.model.Place), on hand-written pages and on small trees."""

from __future__ import annotations

import json
from pathlib import Path

import lxml.html
import pytest

from reader.extract import load_article
from reader.extract.sections import build_sections
from reader.extract.tables import Cell, read_table
from reader.model import Article, Block, Section

PAGES = Path(__file__).parent / "fixtures" / "structure"


def build(html: str) -> list[Block]:
    root = lxml.html.fragment_fromstring(f"<div>{html}</div>")
    return [b for s in build_sections(root, "Title") for b in s.blocks]


def page(name: str) -> Article:
    return load_article(str(PAGES / name))


def blocks_of(article: Article, title: str) -> list[Block]:
    (section,) = [s for s in article.sections if s.title == title]
    return section.blocks


# ------------------------------------------------------------------ tables


def test_dosing_table_rows_know_their_column_and_row_headers() -> None:
    rows = [b for b in blocks_of(page("dosing.html"), "Doses at a glance") if b.place]
    caption, header, *data = rows
    assert caption.kind == "paragraph" and caption.text == "Usual infusion doses"
    assert header.header_row and header.text == "Drug; Dose; How often"
    assert [b.text for b in data][0] == "Natalizumab; 300 mg; every four weeks"
    first = data[0]
    assert first.headers == ("Drug", "Dose", "How often")
    assert first.row_header == "Natalizumab"
    assert [b.place.row for b in data] == [1, 2, 3, 4]
    table = first.place.group("table")
    assert (table.size, table.columns) == (4, 3)  # the header row is not counted
    assert all(b.place.group("table") is table for b in rows)  # one object for the table


def test_a_header_row_in_the_middle_heads_the_rows_after_it() -> None:
    rows = [b for b in blocks_of(page("dosing.html"), "A year of infusions") if b.place]
    july = next(b for b in rows if b.text.startswith("July"))
    june = next(b for b in rows if b.text.startswith("June"))
    assert june.headers == ("Month", "Drug", "Dose") and not june.place.new_headers
    assert july.headers == ("Month", "Drug", "Reduced dose") and july.place.new_headers
    assert sum(b.header_row for b in rows) == 2 and rows[0].place.group("table").size == 9


def test_an_empty_cell_keeps_its_column() -> None:
    rows = blocks_of(page("dosing.html"), "A year of infusions")
    september = next(b for b in rows if b.text.startswith("September"))
    assert september.place.cells == ("September", "", "no infusion")
    assert september.text == "September; no infusion"  # the text contract is unchanged


def test_a_bold_first_row_is_a_header_row() -> None:
    rows = blocks_of(page("dosing.html"), "Older drugs")
    assert [b.header_row for b in rows if b.kind == "table_row"] == [True, False, False]
    assert rows[-1].headers == ("Drug", "Dose")


def test_layout_tables_are_read_as_plain_text() -> None:
    day = blocks_of(page("dosing.html"), "On the day")
    assert all(b.kind == "paragraph" and b.place is None for b in day)
    texts = [b.text for b in day]
    assert "Bring a book or some music." in texts  # role="presentation"
    assert "Drink a glass of water too." in texts  # one column


@pytest.mark.parametrize(
    "table",
    [
        "<table><tr><td><img src='a.jpg' alt='A nurse'></td><td>She stays.</td></tr></table>",
        "<table><tr><td>Only one</td><td></td></tr><tr><td>cell a row</td><td> </td></tr></table>",
    ],
)
def test_one_row_and_one_filled_column_tables_are_layout(table: str) -> None:
    assert all(b.kind != "table_row" and b.place is None for b in build(table))


def test_th_in_the_first_row_without_thead_and_scope_col() -> None:
    html = (
        "<table><tr><td></td><th scope='col'>Adults</th><th scope='col'>Children</th></tr>"
        "<tr><th scope='row'>Dose</th><td>300 mg</td><td>150 mg</td></tr></table>"
    )
    _, row = build(html)
    assert row.headers == ("", "Adults", "Children") and row.row_header == "Dose"


def test_a_table_of_facts_has_row_headers_only() -> None:
    rows = build("<table><tr><th>Weight</th><td>1.1 kg</td></tr><tr><th>Height</th><td>84 cm</td>")
    assert [b.row_header for b in rows] == ["Weight", "Height"]
    assert not any(b.header_row for b in rows) and rows[0].headers == ("", "")


def test_spans_give_cells_every_header_they_sit_under() -> None:
    html = (
        "<table><thead><tr><th rowspan='2'>Drug</th><th colspan='2'>Dose</th></tr>"
        "<tr><th>Adults</th><th>Children</th></tr></thead>"
        "<tr><td>Natalizumab</td><td>300 mg</td><td>150 mg</td></tr>"
        "<tr><td>Both</td><td colspan='2'>600 mg</td></tr></table>"
    )
    rows = [b for b in build(html) if not b.header_row]
    assert rows[0].headers == ("Drug", "Dose Adults", "Dose Children")
    assert rows[1].headers == ("Drug", "Dose Adults Children")


def test_read_table_survives_absurd_spans() -> None:
    cells = [Cell("x", header=True, span=10**9, down=10**9)] + [Cell("y")]
    rows, columns = read_table([(cells, False), ([Cell("a"), Cell("b")], False)])
    assert columns <= 60 and len(rows) == 2


def test_a_table_without_any_header_has_no_headers() -> None:
    rows = build("<table><tr><td>a</td><td>b</td></tr><tr><td>c</td><td>d</td></tr></table>")
    assert [b.text for b in rows] == ["a; b", "c; d"]
    assert all(b.headers == () and not b.header_row for b in rows)


def test_readability_no_longer_drops_a_small_table_or_a_nested_list(tmp_path: Path) -> None:
    prose = (
        "<p>Infusion treatments are given in a clinic, and the dose depends on the drug you "
        "take. Ask your nurse about the schedule that suits you, and about side effects.</p>"
    )
    target = tmp_path / "small.html"
    target.write_text(
        f"<html><body><nav><a href='/'>Home</a></nav><article><h1>Doses</h1>{prose}{prose}"
        "<table><tr><td><b>Drug</b></td><td><b>Dose</b></td></tr><tr><td>A</td><td>1 mg</td>"
        "</tr></table><ol><li>First<ul><li>sub a</li><li>sub b</li></ul></li></ol>"
        f"{prose}</article></body></html>"
    )
    texts = [b.text for s in load_article(str(target)).sections for b in s.blocks]
    assert "A; 1 mg" in texts and "sub a" in texts and "sub b" in texts


# ------------------------------------------------------------------ lists and quotes


def test_nested_lists_know_their_depth_count_and_numbers() -> None:
    items = [b for b in blocks_of(page("lists.html"), "The day before") if b.kind == "list_item"]
    said = [(b.text, b.depth, b.place.number) for b in items]
    assert said == [
        ("Drink plenty of water.", 0, 1),
        ("Sleep well.", 0, 2),
        ("Go to bed early.", 1, 1),
        ("Leave screens alone.", 1, 2),
        ("Phones too.", 2, 1),
        ("Pack a bag.", 0, 3),
        ("Put a snack in it.", 0, None),  # the same item goes on: no number of its own
    ]
    outer = items[0].place.group("list")
    assert (outer.ordered, outer.size, outer.depth) == (True, 3, 0)
    nested = items[2].place.group("list")
    assert (nested.ordered, nested.size) == (False, 2)
    assert items[2].place.within == (outer, nested)


def test_ordered_list_numbers_follow_start_value_and_reversed() -> None:
    numbers = [b.place.number for b in build("<ol start='4'><li>a</li><li>b</li></ol>")]
    assert numbers == [4, 5]
    numbers = [b.place.number for b in build("<ol><li>a</li><li value='7'>b</li><li>c</li></ol>")]
    assert numbers == [1, 7, 8]
    numbers = [b.place.number for b in build("<ol reversed><li>a</li><li>b</li><li>c</li></ol>")]
    assert numbers == [3, 2, 1]
    numbers = [b.place.number for b in build("<ol start='0'><li>a</li><li>b</li></ol>")]
    assert numbers == [0, 1]


def test_empty_items_are_not_counted() -> None:
    items = build("<ul><li>One</li><li> </li><li>Two</li></ul>")
    assert items[0].place.group("list").size == 2


def test_two_lists_in_a_row_stay_two_lists() -> None:
    first, second = build("<ul><li>One</li></ul><ul><li>Two</li></ul>")
    assert first.place.group("list") is not second.place.group("list")


def test_quote_blocks_share_their_quote() -> None:
    quote = blocks_of(page("lists.html"), "What patients say")[1:3]
    assert [b.kind for b in quote] == ["quote", "quote"]
    assert quote[0].place.group("quote") is quote[1].place.group("quote")


def test_footnotes_are_their_own_numbered_section_named_in_the_page_language() -> None:
    assert page("lists.html").sections[-1].title == "Footnotes"
    french = page("french.html").sections[-1]
    assert french.title == "Notes"
    (note,) = french.blocks
    assert note.text == "Enquête menée auprès de nos lecteurs en 2025."
    assert note.place.number == 1 and note.place.group("list").ordered


# ------------------------------------------------------------------ the JSON contract


def test_json_adds_keys_only_to_structure_blocks_and_round_trips() -> None:
    article = page("dosing.html")
    data = json.loads(json.dumps(article.to_dict()))
    assert list(data) == ["title", "source", "language", "sections"]
    blocks = [b for s in data["sections"] for b in s["blocks"]]
    plain = [b for b in blocks if b["kind"] == "paragraph" and "within" not in b]
    assert plain and all(list(b) == ["kind", "text"] for b in plain)  # unchanged for them
    row = next(b for b in blocks if b["text"].startswith("Natalizumab"))
    assert row["within"] == [{"kind": "table", "id": 1, "depth": 0, "rows": 4, "columns": 3}]
    assert row["headers"] == ["Drug", "Dose", "How often"] and row["row"] == 1
    assert row["row_header"] == "Natalizumab"
    again = Article.from_dict(data)
    assert again.to_dict() == data
    rows = [b for s in again.sections for b in s.blocks if b.kind == "table_row"][:5]
    assert len({id(b.place.group("table")) for b in rows}) == 1  # one group object again


def test_old_json_without_places_still_loads() -> None:
    old = {
        "title": "T",
        "source": "s",
        "language": "en",
        "sections": [{"title": "T", "level": 1, "kind": "intro", "blocks": [
            {"kind": "list_item", "text": "One"}]}],
    }  # fmt: skip
    article = Article.from_dict(old)
    assert article.sections == [Section("T", 1, "intro", [Block("list_item", "One")])]
    assert article.to_dict() == old

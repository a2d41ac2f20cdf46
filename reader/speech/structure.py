"""Structure spoken as a screen reader speaks it (issue 12): the cues around lists, tables,
quotes and code, a table row as "header: value" pairs, a numbered item with its number, code
with its symbols named.

Cues are their own utterances (kind "cue"), in the article's language (`reader/cues.py`):

    List, 3 items.            before a list's first item ("Nested list, 2 items." inside one)
    1. Take it with food.     an item of a numbered list starts with its number
    Out of list.              after the list, when the section goes on after it
    Table, 3 rows, 3 columns. before a table (header rows are not counted: they are not read)
    Quote. / End of quote.    around a quote
    Code, 12 lines.           before a code block, read line by line with symbols named

A cue ending a group is said only when more of the section follows: the next heading says as
much. Several groups ending at once say one cue per kind ("Out of list.", not twice).

Table rows: a row is read as "header: value" pairs, its row header first ("Drug: Natalizumab;
Dose: 300 mg; How often: every four weeks"). In a long table (more than LONG_TABLE rows) only
the first FULL_ROWS rows say their headers; the rows after say their values alone, in column
order ("Ocrelizumab; 600 mg; every six months"), except a row that comes after a header row in
the middle of the table (its headers changed) and a row with an empty cell (its values no
longer line up with the columns heard before), which say their headers again. A listener who
jumps into the middle of a long table presses the table key (T): it says the row's number, its row
header and the column headers (reader/reading/navigation.py); `row_in_full` gives a row with
every header, whatever its place.

`structure_cues = false` in settings.toml turns the cues off; numbers, pairs and symbol names
stay, since they are the text itself.
"""

from __future__ import annotations

from collections.abc import Sequence

from reader.cues import CueWords
from reader.model import Block, Group

FULL_ROWS = 3  # rows of a long table that say their headers
LONG_TABLE = 6  # a table with more rows than this says headers only when they change


def cues_wanted() -> bool:
    """The user's `structure_cues` setting (true unless set false in settings.toml)."""
    from reader.settings import load_settings  # lazy: settings pull in file handling

    return load_settings()[0].structure_cues


def row_text(block: Block, full: bool | None = None) -> str:
    """A table row in the page's words, as it is read (see the module's rule); `full` forces
    (True) or forbids (False) the header of every cell."""
    place = block.place
    if place is None or not place.cells:
        return block.text
    cells, headers = place.cells, place.headers
    if full is None:
        full = _says_headers(block)
    if not any(headers):
        return _row_with_own_header(block)
    parts = []
    for cell, header in zip(cells, headers, strict=False):
        if cell:
            parts.append(f"{header}: {cell}" if full and header and header != cell else cell)
    return "; ".join(parts)


def _says_headers(block: Block) -> bool:
    place = block.place
    assert place is not None
    table = place.group("table")
    long = table is not None and table.size > LONG_TABLE
    return not long or place.row <= FULL_ROWS or place.new_headers or not all(place.cells)


def _row_with_own_header(block: Block) -> str:
    """A row whose only header is its own (a table of facts): "Weight: 1.1 kg"."""
    place = block.place
    assert place is not None
    values = [c for c in place.cells if c]
    header = place.row_header
    if header and len(values) > 1 and values[0] == header:
        return f"{header}: {'; '.join(values[1:])}"
    return "; ".join(values)


def row_in_full(block: Block) -> str:
    """A table row with all its headers, whatever its place (for a listener who jumped in)."""
    return row_text(block, full=True)


def item_number(block: Block) -> str:
    """'3. ' before the first sentence of a numbered list's third item, else ''."""
    place = block.place
    if place is None or place.number is None or block.kind != "list_item":
        return ""
    group = place.group("list")
    return f"{place.number}. " if group is not None and group.ordered else ""


def says_nothing(block: Block) -> bool:
    """A block that is not read: a table's header row (its words head each row)."""
    return block.header_row


def section_cues(
    blocks: Sequence[Block], words: CueWords
) -> dict[int, tuple[list[str], list[str]]]:
    """For each block (by index) that has cues: those said before it and those after it."""
    cues: dict[int, tuple[list[str], list[str]]] = {}
    open_: tuple[Group, ...] = ()
    last = -1
    for index, block in enumerate(blocks):
        if block.place is None and not open_ and block.kind != "code":
            last = index  # all the steps below make of it (most blocks of a page)
            continue
        if says_nothing(block):
            continue
        within = block.place.within if block.place is not None else ()
        same = 0
        while same < min(len(open_), len(within)) and open_[same] is within[same]:
            same += 1
        if last >= 0 and len(open_) > same:
            in_list = any(g.kind == "list" for g in open_[:same])
            cues.setdefault(last, ([], []))[1].extend(_closing(open_[same:], in_list, words))
        before = [_opening(group, words) for group in within[same:]]
        if block.kind == "code":
            before.append(words.say("code", lines=_code_lines(block.text)))
        if before:
            cues.setdefault(index, ([], []))[0].extend(before)
        open_, last = within, index
    return cues


def _opening(group: Group, words: CueWords) -> str:
    if group.kind == "table":
        return words.say("table", rows=group.size, columns=group.columns)
    if group.kind == "quote":
        return words.say("quote")
    if group.depth == 0:
        return words.say("list", items=group.size)
    if group.depth == 1:
        return words.say("nested_list", items=group.size)
    return words.say("deep_list", items=group.size, level=group.depth + 1)


def _closing(groups: Sequence[Group], in_list: bool, words: CueWords) -> list[str]:
    """One cue per kind of group left, innermost first; lists left for a list around them
    are nested lists ("Out of nested list."), the last list left is "Out of list."."""
    cues = {
        "table": words.say("out_of_table"),
        "quote": words.say("end_of_quote"),
        "list": words.say("out_of_nested_list" if in_list else "out_of_list"),
    }
    said: list[str] = []
    for group in reversed(groups):
        if cues[group.kind] not in said:
            said.append(cues[group.kind])
    return said


def code_lines(text: str) -> list[str]:
    """A code block's lines that say something, as written (indentation dropped)."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def _code_lines(text: str) -> int:
    return len(code_lines(text))

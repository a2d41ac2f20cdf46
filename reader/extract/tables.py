"""A data table as a listener hears it: which rows are headers, each cell's column header, and
each row's own header, as a screen reader works them out.

Header rows: the rows of <thead>; a row whose cells are all <th> (or scope="col"), wherever it
is (one in the middle of a table heads the rows after it); a first row whose cells are all bold
(`<td><b>Drug</b></td>`, the usual markup of pages that never heard of <th>). Row headers: the
<th> (or scope="row") cells of a row that also has data cells. Spans are laid out on a grid, so
a cell under a two-column header gets it, and a header spanning two rows heads its column once.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_SPAN = 50  # colspan/rowspan past this is broken markup (or an attack on the grid)
MAX_GRID = 200_000  # grid slots for one table; past this spans are ignored


@dataclass(frozen=True, slots=True)
class Cell:
    """One <td> or <th> as the walker saw it."""

    text: str
    header: bool = False  # <th>
    scope: str = ""  # "col", "row" or ""
    span: int = 1  # colspan
    down: int = 1  # rowspan
    bold: bool = False  # all of its text is bold


@dataclass(frozen=True, slots=True)
class Row:
    """One row as it will be read."""

    cells: tuple[str, ...]
    headers: tuple[str, ...] = ()  # each cell's column header ("" for none)
    row_header: str = ""
    header_row: bool = False
    new_headers: bool = False  # a header row came since the data row before


def read_table(rows: list[tuple[list[Cell], bool]]) -> tuple[list[Row], int]:
    """The rows (each given as its cells and whether it is in <thead>) as they are read, and
    the table's width in columns."""
    starts, covers, columns = _grid(rows)
    heads = [_is_header_row(i, cells, in_head, rows) for i, (cells, in_head) in enumerate(rows)]
    data = [
        any(c.text for c in cells) for (cells, _), head in zip(rows, heads, strict=True) if not head
    ]
    if not any(data) or not any(heads) and not _has_row_headers(rows):
        plain = [Row(tuple(c.text for c in cells)) for cells, _ in rows]
        return plain, columns
    out: list[Row] = []
    column_headers: dict[int, list[str]] = {}
    heading = False  # the row before was a header row
    seen_data = False
    carried: dict[int, str] = {}  # row headers spanning rows down: row index -> text
    for index, (cells, _) in enumerate(rows):
        texts = tuple(c.text for c in cells)
        if heads[index]:
            if not heading:
                column_headers = {}
            _add_headers(column_headers, index, covers, rows)
            heading = True
            out.append(Row(texts, header_row=True))
            continue
        headers = tuple(
            _header_of(column_headers, starts[index][i], cell.span) for i, cell in enumerate(cells)
        )
        row_header = " ".join(c.text for c in cells if _heads_row(c) and c.text)
        for cell in cells:
            if _heads_row(cell) and cell.text and cell.down > 1:
                for below in range(index + 1, index + min(cell.down, MAX_SPAN)):
                    carried[below] = cell.text
        row_header = row_header or carried.get(index, "")
        out.append(Row(texts, headers, row_header, new_headers=heading and seen_data))
        heading, seen_data = False, True
    return out, columns


def _heads_row(cell: Cell) -> bool:
    return cell.scope == "row" or (cell.header and cell.scope != "col")


def _is_header_row(
    index: int, cells: list[Cell], in_head: bool, rows: list[tuple[list[Cell], bool]]
) -> bool:
    filled = [c for c in cells if c.text]
    if not filled:
        return False
    if in_head:
        return True
    if any(c.scope == "row" for c in filled):
        return False
    if all(c.header or c.scope == "col" for c in filled):
        return True
    if index == 0 and len(filled) >= 2 and all(c.bold for c in filled):
        # A first row in bold heads the table, unless every row is bold (then bold means nothing).
        return any(not all(c.bold for c in r if c.text) for r, _ in rows[1:])
    return False


def _has_row_headers(rows: list[tuple[list[Cell], bool]]) -> bool:
    return any(
        any(_heads_row(c) and c.text for c in cells) and any(not c.header for c in cells)
        for cells, _ in rows
    )


def _grid(
    rows: list[tuple[list[Cell], bool]],
) -> tuple[list[list[int]], dict[tuple[int, int], tuple[int, int]], int]:
    """Where each cell starts (its column), which cell covers each grid slot (row, column)
    -> (row, cell), and the width."""
    covers: dict[tuple[int, int], tuple[int, int]] = {}
    starts: list[list[int]] = []
    columns = 0
    budget = sum(len(cells) for cells, _ in rows) <= MAX_GRID
    for r, (cells, _) in enumerate(rows):
        column = 0
        row_starts = []
        for i, cell in enumerate(cells):
            while (r, column) in covers:
                column += 1
            row_starts.append(column)
            span = min(max(cell.span, 1), MAX_SPAN)
            down = min(max(cell.down, 1), MAX_SPAN, len(rows) - r)
            if not budget or len(covers) + span * down > MAX_GRID:
                span = down = 1
            for dr in range(down):
                for dc in range(span):
                    covers[(r + dr, column + dc)] = (r, i)
            column += span
        columns = max(columns, column)
        starts.append(row_starts)
    return starts, covers, columns


def _add_headers(
    headers: dict[int, list[str]],
    row: int,
    covers: dict[tuple[int, int], tuple[int, int]],
    rows: list[tuple[list[Cell], bool]],
) -> None:
    """The header row `row` adds its cells' words to the headers of the columns they cover."""
    column = 0
    while (row, column) in covers:
        r, i = covers[(row, column)]
        text = rows[r][0][i].text
        words = headers.setdefault(column, [])
        if text and text not in words:
            words.append(text)
        column += 1


def _header_of(headers: dict[int, list[str]], start: int, span: int) -> str:
    words: list[str] = []
    for column in range(start, start + min(max(span, 1), MAX_SPAN)):
        for word in headers.get(column, ()):
            if word not in words:
                words.append(word)
    return " ".join(words)

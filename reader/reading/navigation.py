"""Moving by element and following links (issue 12 item 2), as a screen reader's browse mode
does: 1-6 the next heading of that level (shift: previous), l / L lists, ctrl+down / ctrl+up
paragraphs, T the current table row's headers, k the links list, backspace back to the
article a link (or any opening) left, at the very sentence it was at.

Jumps go on reading from the element (NVDA's skim reading); when there is no such element that
is said ("No next level 2 heading"), never silence. The elements come from the session's
ElementIndex (reader/reading/elements.py, which documents the block interface it reads).

History works like a browser's: opening any article while one is open keeps the one left
(its Loaded, so going back needs no network, and its place); backspace reopens the last one
kept and reads on from the sentence it was left at.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from reader.model import Link
from reader.reading.elements import Element
from reader.reading.session import ReadingSession
from reader.reading.setup import Loaded
from reader.text import counted, with_full_stop

if TYPE_CHECKING:
    from reader.reading.controller import ReadingController

HISTORY = 50  # articles kept to go back to
KEEP_UTTERANCES = 200_000  # utterances kept in memory across history; older ones are reloaded


@dataclass
class Visit:
    """An article left for another: where it was, and (while memory allows) its text."""

    source: str
    title: str
    position: tuple[int, int]
    loaded: Loaded | None


class Navigator:
    """The element keys' work, the links list and the history, for a ReadingController."""

    def __init__(self, reading: ReadingController) -> None:
        self.reading = reading
        self.history: list[Visit] = []
        self.returning: Visit | None = None  # backspace was pressed: being opened again

    def _open(self) -> ReadingSession | None:
        """The open session; without one, says why nothing moves."""
        if self.reading.session is None:
            self.reading.navigate("play")  # says "No article is open" or "Still loading"
        return self.reading.session

    def _none(self, text: str) -> None:
        """There is no such element: said (reading goes on if it was playing)."""
        self.reading.announce(text, "navigation")

    def _jumped(self, session: ReadingSession) -> None:
        self.reading.view.show_message(session.announced)
        self.reading.view.refresh_reading()

    # ------------------------------------------------------------ element keys

    def heading(self, level: int, step: int) -> None:
        """1-6: the next heading of `level` (step -1: the previous), read on from it."""
        session = self._open()
        if session is None:
            return
        found = session.elements.next_heading(session.index, step, level)
        if found is None:
            return self._none(f"No {_way(step)} level {level} heading.")
        said = f"heading level {level}"
        shown = f"{_heading_text(session, found.start)}, {said}"
        session.jump(found.start, after_first=said, shown=shown)
        self._jumped(session)

    def list_jump(self, step: int) -> None:
        """l / L: the next (previous) list, its size said first, read on from its first item."""
        session = self._open()
        if session is None:
            return
        elements = session.elements
        found = elements.next_list(session.index, step)
        if found is None:
            return self._none(f"No {_way(step)} list.")
        cue = "" if found.start in elements.cues else list_cue(found)
        session.jump(found.start, prefix=cue)
        self._jumped(session)

    def paragraph(self, step: int) -> None:
        """ctrl+down / ctrl+up: the next paragraph, or the previous one, read on from there."""
        session = self._open()
        if session is None:
            return
        start = session.elements.next_paragraph(session.index, step)
        if start is None:
            return self._none(f"No {_way(step)} paragraph.")
        session.jump(start)
        self._jumped(session)

    def table_header(self) -> None:
        """T: the row being read said again in full, each value with its header ("Row 1 of 3:
        Size: Small; Chest: 86 to 96 centimetres"); reading, if it was playing, goes on from
        the next row (this one was just heard whole)."""
        session = self._open()
        if session is None:
            return
        found = session.elements.table_at(session.index)
        if found is None:
            return self._none("Not in a table.")
        from reader.speech import normalise  # lazy: as setup.py, speech loads when needed

        table, row = found
        shown = row_again(table.rows, row)
        said = normalise(shown)  # for the ear, as the row is read ("86 to 96 centimetres")
        if session.state != "playing":
            self.reading.say([said], "table")
            self.reading.view.show_message(shown)
            return
        after = table.starts[row + 1] if row + 1 < len(table.starts) else table.end
        session.jump(after, prefix=said, shown=shown)
        self._jumped(session)

    # ------------------------------------------------------------ links

    def links(self) -> tuple[list[Link], int] | None:
        """k: the article's links and the one to start on (the first from the paragraph being
        read); None, said, when there are none."""
        session = self._open()
        if session is None:
            return None
        elements = session.elements
        if not elements.links:
            self._none("This article has no links.")  # reading goes on, as for any element
            return None
        links = [at.link for at in elements.links]
        return links, elements.first_link_from(session.index)

    # ------------------------------------------------------------ history

    def leaving(self, source: str) -> None:
        """An article is being opened (`source`) while one is open: keep the one left, unless
        this is backspace going back to `source`."""
        reading, session, left = self.reading, self.reading.session, self.reading.article_source
        if session is None or left is None:
            return
        if self.returning is not None and self.returning.source == source:
            return
        title = session.article.title
        self.history.append(Visit(left, title, session.position, reading.loaded))
        del self.history[:-HISTORY]
        kept = 0
        for visit in reversed(self.history):  # the newest keep their text; older ones reload
            if visit.loaded is not None:
                kept += sum(len(section) for section in visit.loaded.utterances)
                if kept > KEEP_UTTERANCES:
                    visit.loaded = None

    def back(self) -> Visit | None:
        """backspace: the article to go back to (the app opens it), or None, said."""
        if not self.history:
            self._none("No article to go back to.")  # reading goes on, as for any element
            return None
        self.returning = self.history.pop()
        return self.returning

    def arrived(self, source: str) -> Visit | None:
        """The visit being gone back to, when `source` is it (read on from its sentence)."""
        visit, self.returning = self.returning, None
        return visit if visit is not None and visit.source == source else None


def _way(step: int) -> str:
    return "next" if step > 0 else "previous"


def list_cue(found: Element) -> str:
    """'List, 5 items' ('Nested list, 2 items' inside another)."""
    kind = "Nested list" if found.level > 0 else "List"
    return f"{kind}, {counted(found.count, 'item')}."


def row_again(rows: tuple, row: int) -> str:
    """What T says of row `row`: its number, then every value with its header, row header
    first; a table whose headers are not marked gets `row_headers`, which says what it can."""
    from reader.speech.structure import row_in_full  # lazy: as setup.py, speech loads when needed

    block = rows[row]
    if not any(getattr(block, "headers", ())):
        return row_headers(rows, row)
    return f"Row {row + 1} of {len(rows)}: {with_full_stop(row_in_full(block))}"


def row_headers(rows: tuple, row: int) -> str:
    """What T says of row `row`: its number, its row header, the column headers; a table whose
    headers extraction does not mark yet gets its first row, said as such."""
    block = rows[row]
    said = [f"Row {row + 1} of {len(rows)}."]
    row_header = getattr(block, "row_header", "")
    headers = [h for h in getattr(block, "headers", ()) if h]
    if row_header:
        said.append(f"Row header: {with_full_stop(row_header)}")
    if headers:
        said.append(f"Columns: {with_full_stop(', '.join(headers))}")
    elif row == 0:
        said.append("This is the table's first row.")
    else:
        said.append(
            f"No headers are marked; the first row says: {with_full_stop(_cells(rows[0].text))}"
        )
    return " ".join(said)


def _cells(text: str) -> str:
    return ", ".join(cell.strip() for cell in text.split(";") if cell.strip())


def _heading_text(session: ReadingSession, start: int) -> str:
    """What a heading says: its section's title, or a FAQ question's own words (see
    ElementIndex._questions)."""
    utterance = session.utterance(start)
    block = getattr(utterance, "block", -1)
    if block >= 0:
        return session.article.sections[utterance.section].blocks[block].text
    return session.section_title(utterance.section)

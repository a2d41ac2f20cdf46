"""The elements of an article a listener moves by, as in a screen reader's browse mode (NVDA's
quick navigation keys): headings by level, lists, paragraphs, tables, links.

An ElementIndex is built once per article (at the first element key, so opening a huge page
pays nothing for it) from the article and the session's flat list of utterances. Each utterance
says which block of its section it was read from (`block`, -1 for the section's title), so an
element starts at the flat index of its first utterance, and jumping there is one `_read_from`.

The block interface — what extraction may tell about a block; only `kind` and `text` are
required, so the index works on today's blocks and grows with richer ones (issue 12 item 1):

- `kind`: "list_item" blocks in a row are one list, "table_row" blocks in a row one table;
- `group_id(kind)` (int): which list ("list") or table ("table") a block is in, so two lists
  (tables) in a row are two;
- `continues` (bool): a list item's later block (its second paragraph), not an item of its own;
- `depth` (int, 0 at the top): a list item's nesting. An item deeper than the one before it
  starts a nested list, which `l` / `L` stop at as a list of its own. Without it a nested list
  is part of the list around it;
- `headers` (tuple of str): a table row's column headers, one per cell; `row_header` (str):
  the header of the row. Without them the table key can only say the table's first row;
- `links` (tuple of reader.model.Link): the links in the block, in reading order;
- an utterance of kind "cue" at the start of a list (extraction's own "list, 5 items") means
  the jump says no cue of its own.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reader.model import Article, Block, Link
from reader.reading.types import UtteranceLike


@dataclass(frozen=True)
class Element:
    """Something to jump to: where it starts (a flat utterance index) and what it is."""

    start: int
    level: int = 0  # a heading's level (1-6); a list's nesting depth (0 at the top)
    count: int = 0  # a list's items, a table's rows


@dataclass(frozen=True)
class Table:
    """A table: its rows' blocks and where each row starts (flat utterance indices)."""

    rows: tuple[Block, ...]
    starts: tuple[int, ...]
    end: int  # the flat index after its last row


@dataclass(frozen=True)
class LinkAt:
    """A link and where its block starts, so the links list can open on the nearest one."""

    link: Link
    start: int


class ElementIndex:
    """Every heading, list, paragraph, table and link of one article, in reading order."""

    def __init__(self, article: Article, flat: Sequence[UtteranceLike]) -> None:
        self.headings: list[Element] = []
        self.lists: list[Element] = []
        self.paragraphs: list[int] = []  # where each paragraph (title or block) starts
        self.tables: list[Table] = []
        self.links: list[LinkAt] = []
        self.words: list[int] = [0]  # words before each utterance: words[i]; total: words[-1]
        self.cues: set[int] = set()  # utterances that are extraction's own cues
        firsts = self._scan(article, flat)
        for number, section in enumerate(article.sections):
            self._blocks(number, section.blocks, firsts)
            self._questions(number, section, firsts)
        self.headings.sort(key=lambda element: element.start)
        self.lists.sort(key=lambda element: element.start)
        self._list_starts = [element.start for element in self.lists]
        # Where each list's own words start, past its cue ("List, 3 items."): reading there is
        # still at the list's start, so L goes to the list before it.
        self._list_words = [self._past_cues(start) for start in self._list_starts]
        self._by_level: dict[int, list[Element]] = {}
        for heading in self.headings:
            self._by_level.setdefault(heading.level, []).append(heading)

    def _scan(self, article: Article, flat: Sequence[UtteranceLike]) -> dict[tuple[int, int], int]:
        """One pass over the utterances: paragraphs, headings, word counts; returns where each
        (section, block) starts."""
        firsts: dict[tuple[int, int], int] = {}
        words = 0
        sections = article.sections
        for index, u in enumerate(flat):
            key = (u.section, getattr(u, "block", -1))
            if key not in firsts:
                firsts[key] = index
                self.paragraphs.append(index)
                if key[1] == -1 and u.sentence == 0:
                    level = sections[u.section].level if u.section < len(sections) else 1
                    self.headings.append(Element(index, min(max(level, 1), 6)))
            if u.kind == "cue":
                self.cues.add(index)
            words += len(u.text.split())
            self.words.append(words)
        return firsts

    def _blocks(self, section: int, blocks: Sequence[Block], firsts: dict[Any, int]) -> None:
        """Lists, tables and links of one section's blocks."""
        items: list[tuple[int, int]] = []  # (start, depth) of the list items in a row
        rows: list[tuple[Block, int]] = []
        lists = tables = 0  # which list and table the run of items or rows is in
        for number, block in enumerate(blocks):
            start = firsts.get((section, number))
            if start is None:  # said nothing (an empty block): not a stop
                continue
            self.links.extend(LinkAt(link, start) for link in getattr(block, "links", ()))
            group = getattr(block, "group_id", None)
            if block.kind != "list_item" or (group and group("list") != lists):
                self._add_lists(items)  # (two lists in a row are two lists)
                items = []
            if block.kind == "list_item" and not getattr(block, "continues", False):
                items.append((start, int(getattr(block, "depth", 0) or 0)))
            if block.kind != "table_row" or (group and group("table") != tables):
                self._add_table(rows)
                rows = []
            if block.kind == "table_row":
                rows.append((block, start))
            lists, tables = (group("list"), group("table")) if group else (0, 0)
        self._add_lists(items)
        self._add_table(rows)

    def _questions(self, number: int, section: Any, firsts: dict[Any, int]) -> None:
        """A Q&A section's questions are headings one level below it: a FAQ's questions were
        headings on the page (h2 "FAQ", h3 each question), and skimming by heading level, as
        screen-reader users do, must find them."""
        level = min(max(section.level, 1) + 1, 6)
        for block_number, block in enumerate(section.blocks):
            start = firsts.get((number, block_number))
            if block.kind == "question" and start is not None:
                self.headings.append(Element(start, level))

    def _add_lists(self, items: list[tuple[int, int]]) -> None:
        """The lists in a run of items: the run itself, and each nested list inside it (an item
        deeper than the one before). A list's count is its own items, not its sublists'."""
        for position, (start, depth) in enumerate(items):
            if position > 0 and depth <= items[position - 1][1]:
                continue  # goes on a list already counted
            count = 0
            for _, other in items[position:]:
                if other < depth:
                    break
                count += other == depth
            self.lists.append(Element(start, depth, count))

    def _add_table(self, rows: list[tuple[Block, int]]) -> None:
        if rows:
            blocks, starts = zip(*rows, strict=True)
            after = bisect_right(self.paragraphs, starts[-1])
            end = self.paragraphs[after] if after < len(self.paragraphs) else len(self.words) - 1
            self.tables.append(Table(tuple(blocks), tuple(starts), end))

    # ------------------------------------------------------------ finding

    def next_heading(self, position: int, step: int, level: int) -> Element | None:
        """The next (step 1) or previous (step -1) heading of `level` from flat `position`."""
        headings = self._by_level.get(level, [])
        found = _nearest([h.start for h in headings], position, step)
        return headings[found] if found is not None else None

    def next_list(self, position: int, step: int) -> Element | None:
        found = _nearest(self._list_starts if step > 0 else self._list_words, position, step)
        return self.lists[found] if found is not None else None

    def _past_cues(self, index: int) -> int:
        while index in self.cues:
            index += 1
        return index

    def next_paragraph(self, position: int, step: int) -> int | None:
        """Where the next paragraph starts, or the previous one (the start of the paragraph
        being read, when reading is past its first sentence)."""
        found = _nearest(self.paragraphs, position, step)
        return self.paragraphs[found] if found is not None else None

    def table_at(self, position: int) -> tuple[Table, int] | None:
        """The table being read at flat `position` and the row's number in it (from 0)."""
        for table in self.tables:
            if table.starts[0] <= position < table.end:
                return table, bisect_right(table.starts, position) - 1
        return None

    def first_link_from(self, position: int) -> int:
        """The number of the first link in or after the paragraph at flat `position` (0 when
        none is: the list then opens on its first link)."""
        here = bisect_right(self.paragraphs, position) - 1
        start = self.paragraphs[here] if here >= 0 else 0
        index = bisect_left([at.start for at in self.links], start)  # (once per k: fine)
        return index if index < len(self.links) else 0

    def percent(self, position: int) -> int:
        """How much of the article's words come before the utterance at `position`."""
        total = self.words[-1]
        return 100 * self.words[min(position, len(self.words) - 1)] // total if total else 0

    def words_left(self, position: int) -> int:
        """Words from the utterance at `position` to the end."""
        return self.words[-1] - self.words[min(position, len(self.words) - 1)]


def _nearest(starts: list[int], position: int, step: int) -> int | None:
    """The index in `starts` (ascending) of the first start after `position` (step 1), or of the
    last start before it (step -1); None if there is none."""
    if step > 0:
        after = bisect_right(starts, position)
        return after if after < len(starts) else None
    before = bisect_left(starts, position) - 1
    return before if before >= 0 else None

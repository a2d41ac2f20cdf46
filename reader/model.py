"""The data that flows from extraction to speech: Page -> Article(sections[blocks]).

A block of a list, table or quote also knows where it sits (`Block.place`, issue 12: structure
spoken as a screen reader speaks it). Speech reads it to say "List, 5 items", "Drug: Natalizumab;
Dose: 300 mg", "Quote" / "End of quote"; element navigation reads it to jump by list and say a
row's headers again. The JSON contract (`Article.to_dict`) only gains keys, on those blocks,
"kind" on a page that is not an article (issue 10: `Article.kind`), and "byline" and
"published" on an article that says who wrote it when.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, get_args

SectionKind = Literal["intro", "section", "qa"]
BlockKind = Literal[
    "paragraph", "list_item", "question", "answer", "quote", "table_row", "image", "code"
]
GroupKind = Literal["list", "table", "quote"]
# What kind of page the article was read from (issue 10: a page that is not an article is
# read, and said to be what it is). Decided from what extraction already knows; see
# reader/extract/kinds.py. An unknown kind in a saved article reads as "article".
PageKind = Literal["article", "forum thread", "product page", "listing", "documentation"]
PAGE_KINDS: tuple[PageKind, ...] = get_args(PageKind)


@dataclass(frozen=True)
class Page:
    """A fetched document. `text` is decoded; `is_html` is False for plain text sources."""

    text: str
    url: str
    is_html: bool = True
    language: str | None = None  # from the Content-Language header, if any


@dataclass(frozen=True)
class Link:
    """A link of the page inside a block: its text as read, and the absolute address it goes to
    (the links list, `k`, offers it; enter opens it)."""

    text: str
    href: str


@dataclass(slots=True, eq=False)
class Group:
    """A list, table or quote that blocks sit in. Its blocks share this one object (so a page
    of 100 000 list items holds one); extraction fills in `size` when it leaves the group."""

    kind: GroupKind
    id: int  # numbered through the article from 1: two lists in a row stay two lists
    depth: int = 0  # a list in a list (a quote in a quote) is 1, deeper 2 ...; 0 at the top
    ordered: bool = False  # a numbered list (<ol>)
    size: int = 0  # a list's items, a table's rows that are read (header rows not counted)
    columns: int = 0  # a table's columns

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind, "id": self.id, "depth": self.depth}
        if self.kind == "list":
            data.update(ordered=self.ordered, items=self.size)
        elif self.kind == "table":
            data.update(rows=self.size, columns=self.columns)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Group:
        return cls(
            kind=data["kind"],
            id=int(data["id"]),
            depth=int(data.get("depth", 0)),
            ordered=bool(data.get("ordered", False)),
            size=int(data.get("items", data.get("rows", 0))),
            columns=int(data.get("columns", 0)),
        )


@dataclass(frozen=True, slots=True)
class Place:
    """Where a block sits: the groups around it, outermost first, and what a list item or a
    table row says of itself."""

    within: tuple[Group, ...]
    # list_item: on the first block of an item, its number (as the page numbers it, which may
    # be 0; its position in an unnumbered list); None on the blocks that go on with the item.
    number: int | None = None
    # table_row: its number among the rows read (from 1); 0 for a header row, which is not
    # read (its words are said with each row) and whose cells are the columns' headers.
    row: int = 0
    cells: tuple[str, ...] = ()  # every cell, empty ones too ("; " joins the others in text)
    headers: tuple[str, ...] = ()  # each cell's column header, "" where it has none
    row_header: str = ""  # the row's own header cell (<th> in a body row)
    new_headers: bool = False  # a header row came between this row and the one before

    def group(self, kind: GroupKind) -> Group | None:
        """The innermost group of `kind` around the block."""
        return next((g for g in reversed(self.within) if g.kind == kind), None)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"within": [g.to_dict() for g in self.within]}
        if self.number is not None:
            data["number"] = self.number
        if self.cells:
            data.update(row=self.row, cells=list(self.cells), headers=list(self.headers))
            data["row_header"] = self.row_header
            if self.new_headers:
                data["new_headers"] = True
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any], groups: dict[int, Group]) -> Place:
        within = []
        for raw in data.get("within", []):
            group = Group.from_dict(raw)
            within.append(groups.setdefault(group.id, group))  # one object per group again
        return cls(
            within=tuple(within),
            number=None if data.get("number") is None else int(data["number"]),
            row=int(data.get("row", 0)),
            cells=tuple(data.get("cells", ())),
            headers=tuple(data.get("headers", ())),
            row_header=str(data.get("row_header", "")),
            new_headers=bool(data.get("new_headers", False)),
        )


@dataclass(frozen=True, slots=True)  # slots: a huge page has 500 000 blocks
class Block:
    kind: BlockKind
    text: str
    links: tuple[Link, ...] = ()  # in the order they appear in the text
    place: Place | None = None  # set on blocks of lists, tables and quotes

    # What element navigation asks of a block (reader/reading/elements.py).
    @property
    def depth(self) -> int:
        """A list item's nesting: 0 in a top-level list, 1 in a list inside it ..."""
        group = self.place.group("list") if self.place else None
        return group.depth if group else 0

    def group_id(self, kind: GroupKind) -> int:
        """The id of the outermost group of `kind` the block is in (0: none)."""
        if self.place is None:
            return 0
        return next((g.id for g in self.place.within if g.kind == kind), 0)

    @property
    def continues(self) -> bool:
        """A list item's later block (its second paragraph): part of the item before it."""
        return self.kind == "list_item" and self.place is not None and self.place.number is None

    @property
    def headers(self) -> tuple[str, ...]:
        """A table row's column headers, one per cell ("" where a cell has none)."""
        return self.place.headers if self.place else ()

    @property
    def row_header(self) -> str:
        return self.place.row_header if self.place else ""

    @property
    def header_row(self) -> bool:
        """A table's header row: not read itself, its cells head the rows' cells."""
        return self.kind == "table_row" and self.place is not None and self.place.row == 0

    @classmethod
    def bare(cls, kind: BlockKind, text: str, place: Place | None = None) -> Block:
        """`Block(kind, text, (), place)`, made in half the time: a frozen dataclass's
        `__init__` sets each field through `object.__setattr__`, which the slot descriptors
        do directly. A huge page makes 500 000 blocks (0.4 s of `reader outline`)."""
        block = _new(cls)
        _set_kind(block, kind)
        _set_text(block, text)
        _set_links(block, ())
        _set_place(block, place)
        return block

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind, "text": self.text}
        if self.place is not None:
            data.update(self.place.to_dict())
        return data


# `Block.bare`'s setters: the slot descriptors, which a frozen class's `__setattr__` refuses.
_new = object.__new__
_set_kind = Block.kind.__set__  # type: ignore[attr-defined]
_set_text = Block.text.__set__  # type: ignore[attr-defined]
_set_links = Block.links.__set__  # type: ignore[attr-defined]
_set_place = Block.place.__set__  # type: ignore[attr-defined]


@dataclass
class Section:
    title: str
    level: int  # 1 = top; intro is level 1; h2 -> 2, h3 -> 3 ...
    kind: SectionKind
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Article:
    title: str
    language: str  # BCP 47-ish, e.g. "en" or "en-GB"; "en" when unknown
    source: str
    sections: list[Section] = field(default_factory=list)
    kind: PageKind = "article"
    # Who wrote it and when, as the page says (said once after the title): the authors'
    # names, ", " between them, and the date as ISO 8601 ("2026-11-03"); "" when not said.
    byline: str = ""
    published: str = ""

    def to_dict(self) -> dict:
        """The CLI's JSON contract, keys in the documented order. "kind" (after "language") is
        there only for a page that is not an article, "byline" and "published" (after it) only
        when the page says them. A block is {"kind", "text"}; blocks of
        lists, tables and quotes add where they sit (see Place.to_dict). The links are for the
        app's links list, not part of the contract."""
        data: dict[str, Any] = {
            "title": self.title,
            "source": self.source,
            "language": self.language,
        }
        if self.kind != "article":  # a page that is not an article says so; an article as ever
            data["kind"] = self.kind
        if self.byline:
            data["byline"] = self.byline
        if self.published:
            data["published"] = self.published
        data["sections"] = [
            {
                "title": s.title,
                "level": s.level,
                "kind": s.kind,
                "blocks": [b.to_dict() for b in s.blocks],
            }
            for s in self.sections
        ]
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Article:
        groups: dict[int, Group] = {}
        sections = [
            Section(
                title=s["title"],
                level=s["level"],
                kind=s["kind"],
                blocks=[_block_from_dict(b, groups) for b in s["blocks"]],
            )
            for s in data["sections"]
        ]
        return cls(
            title=data["title"],
            language=data["language"],
            source=data["source"],
            sections=sections,
            kind=_page_kind(data.get("kind")),  # absent: an article (or saved before kinds)
            byline=str(data.get("byline") or ""),  # absent: not said (or saved before bylines)
            published=str(data.get("published") or ""),
        )


def _page_kind(value: object) -> PageKind:
    return next((kind for kind in PAGE_KINDS if kind == value), "article")


def _block_from_dict(data: dict[str, Any], groups: dict[int, Group]) -> Block:
    place = Place.from_dict(data, groups) if "within" in data else None
    return Block(kind=data["kind"], text=data["text"], place=place)

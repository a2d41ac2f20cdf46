"""The data that flows from extraction to speech: Page -> Article(sections[blocks])."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

SectionKind = Literal["intro", "section", "qa"]
BlockKind = Literal[
    "paragraph", "list_item", "question", "answer", "quote", "table_row", "image", "code"
]


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


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    text: str
    links: tuple[Link, ...] = ()  # in the order they appear in the text


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

    def to_dict(self) -> dict:
        """The CLI's JSON contract, keys in the documented order (blocks: kind and text; the
        links are for the app's links list, not part of the contract)."""
        data = asdict(self)
        for section in data["sections"]:
            section["blocks"] = [{"kind": b["kind"], "text": b["text"]} for b in section["blocks"]]
        return {key: data[key] for key in ("title", "source", "language", "sections")}

    @classmethod
    def from_dict(cls, data: dict) -> Article:
        sections = [
            Section(
                title=s["title"],
                level=s["level"],
                kind=s["kind"],
                blocks=[Block(kind=b["kind"], text=b["text"]) for b in s["blocks"]],
            )
            for s in data["sections"]
        ]
        return cls(
            title=data["title"],
            language=data["language"],
            source=data["source"],
            sections=sections,
        )

"""Turn a cleaned article tree into navigable sections of spoken blocks.

Two passes. `walk.Walker` reads the lxml tree in document order and emits a flat
stream of `Item`s (headings, blocks, questions, group marks). `assemble.Assembler`
turns that stream into `Section`s: it decides which bold paragraphs are
pseudo-headings, which paragraphs are "Q:"/"A:" pairs, where a Q&A run ends,
and which empty sections to drop. Keeping the decisions in the second pass lets
plain-text pages reuse them (see `plain`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from lxml import etree

from reader.extract.assemble import Assembler
from reader.extract.items import Item
from reader.extract.walk import Context, Walker
from reader.model import Section
from reader.text import one_line


def build_sections(
    root: etree._Element, title: str, *, questions: Iterable[str] = ()
) -> list[Section]:
    """Split a cleaned article tree into sections.

    `questions` are question texts known from elsewhere on the page (JSON-LD
    FAQPage); a heading or paragraph with exactly that text is read as a question.
    """
    walker = Walker()
    walker.walk(root, Context())
    known = frozenset(one_line(q) for q in questions)
    return Assembler(one_line(title), known).feed(_drain(walker.items))


def _drain(items: list[Item]) -> Iterator[Item]:
    """`items` in order, each let go once handed over: a huge page's 500 000 items are
    not all held beside the blocks made of them."""
    items.reverse()
    while items:
        yield items.pop()


def sections_from_items(items: Iterable[Item], title: str) -> list[Section]:
    """Assemble sections from a ready-made item stream (used for plain-text pages)."""
    return Assembler(one_line(title)).feed(items)

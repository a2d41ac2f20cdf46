"""Articles built in a test, as extraction would hand them over, written short."""

from __future__ import annotations

from reader.model import Article, Block, Section

# (title, level, blocks), or (title, level, blocks, kind) for a kind other than the default
SectionSpec = tuple[str, int, list[Block | str]] | tuple[str, int, list[Block | str], str]


def article_of(
    title: str, *sections: SectionSpec, language: str = "en", source: str = "test"
) -> Article:
    """An article of (title, level, blocks[, kind]) sections: unless given, the first is the
    intro and the others plain sections; a string among the blocks is a paragraph of it."""
    made = []
    for index, (name, level, blocks, *kind) in enumerate(sections):
        paragraphs = [Block("paragraph", b) if isinstance(b, str) else b for b in blocks]
        default = "intro" if index == 0 else "section"
        made.append(Section(name, level, kind[0] if kind else default, paragraphs))
    return Article(title, language, source, made)

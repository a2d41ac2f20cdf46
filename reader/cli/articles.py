"""`reader outline SOURCE [--json]` and `reader text SOURCE`: an article's sections, and the text
exactly as it will be spoken. Other tools depend on both outputs."""

from __future__ import annotations

import argparse
import sys
from collections import Counter

from reader.cli.output import emit, emit_lines, json_text, load_quietly, one_line, tell
from reader.model import Article, Section
from reader.speech import article_texts, speech_warnings
from reader.text import counted

_BLOCK_NAMES = {
    "paragraph": ("paragraph", "paragraphs"),
    "list_item": ("list item", "list items"),
    "question": ("question", "questions"),
    "answer": ("answer", "answers"),
    "quote": ("quote", "quotes"),
    "table_row": ("table row", "table rows"),
    "image": ("image", "images"),
    "code": ("code block", "code blocks"),
}
_KIND_MARKERS = {"intro": "[Intro] ", "qa": "[Q&A] ", "section": ""}


def _counts(section: Section) -> str:
    counts = Counter(block.kind for block in section.blocks)
    if not counts:
        return "no text"
    parts = []
    for kind, number in counts.items():
        singular, plural = _BLOCK_NAMES.get(kind, (kind, kind + "s"))
        parts.append(counted(number, singular, plural))
    return ", ".join(parts)


def _preview(section: Section, words: int = 12) -> str:
    if not section.blocks:
        return ""
    split = one_line(section.blocks[0].text).split()
    return " ".join(split[:words]) + ("…" if len(split) > words else "")


def outline_lines(article: Article) -> list[str]:
    """A readable outline: sections numbered and indented by level, with kind and contents."""
    count = len(article.sections)
    kind = "" if article.kind == "article" else f"{article.kind} · "  # "forum thread · "
    lines = [
        one_line(article.title) or "(untitled)",
        f"{one_line(article.source)} · language {article.language} · {kind}"
        f"{counted(count, 'section')}",
        "",
    ]
    for number, section in enumerate(article.sections, start=1):
        indent = "  " * max(0, section.level - 1)
        marker = _KIND_MARKERS.get(section.kind, f"[{section.kind}] ")
        title = one_line(section.title) or "(untitled)"
        lines.append(f"{indent}{number}. {marker}{title} ({_counts(section)})")
        preview = _preview(section)
        if preview:
            lines.append(f"{indent}   {preview}")
    return lines


def text_lines(article: Article) -> list[str]:
    """The speech text: each section's title, then one sentence per line; blank line between."""
    lines: list[str] = []
    for number, texts in enumerate(article_texts(article)):
        if number:
            lines.append("")
        lines.extend(texts)
    return lines


# --------------------------------------------------------------------------- commands


def cmd_outline(args: argparse.Namespace) -> int:
    article = load_quietly(args.source)
    if args.json:
        sys.stdout.write(json_text(article.to_dict()) + "\n")
    else:
        for line in outline_lines(article):
            emit(line)
    return 0


def cmd_text(args: argparse.Namespace) -> int:
    article = load_quietly(args.source)
    lines = text_lines(article)
    for warning in speech_warnings():
        tell(warning)
    emit_lines(lines)
    return 0

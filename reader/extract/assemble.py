"""The second pass of the sections builder: `Item`s into `Section`s.

It decides which bold paragraphs are pseudo-headings, which paragraphs are "Q:"/"A:" pairs,
where a Q&A run ends, and which empty sections to drop. Keeping the decisions here lets
plain-text pages reuse them (see `plain`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import repeat

from reader.extract.items import MARKER, Item, is_pseudo_heading_text, is_question_text
from reader.model import Block, Section
from reader.text import squash

QA_KINDS = {"question", "answer"}
QA_TITLE = "Questions and answers"  # for a Q&A run that has no heading of its own
CONTINUED = " (continued)"
_FAQ_TITLE = re.compile(
    r"\bfaqs?\b|frequently asked|\bq\s*&\s*a\b|\bq\s+and\s+a\b|\bquestions\b", re.IGNORECASE
)


# A line that starts as `Assembler.ordinary` refuses, once its texts are joined a line each.
_UNORDINARY_LINE = re.compile(r"\n(?=[QqAa]|\s)")


def _same_title(a: str, b: str) -> bool:
    return bool(a) and squash(a) == squash(b)


def _join_answer(first: str, more: str) -> str:
    """Join answer pieces so a list item or short line still ends as its own sentence."""
    if not first:
        return more
    if not re.search(r"[.!?:;,…]['\"”’)\]]*$", first):
        first += "."
    return f"{first} {more}"


class Assembler:
    def __init__(self, title: str, questions: frozenset[str] = frozenset()) -> None:
        self.title = title
        self.questions = questions
        self.sections: list[Section] = []
        self.current: Section | None = None
        self.real_levels: list[tuple[int, str]] = []  # open real headings (level, title)
        self.pending: str | None = None  # "question"/"answer" after a bare "Q:" line
        # The current question was not wrapped in markup ("Q:" paragraphs, a bold or
        # heading question), so the plain paragraphs after it are its answer.
        self.loose = False
        self.qa_parent: Section | None = None  # where text goes back to after a Q&A run
        self.made_for: dict[int, Section | None] = {}  # Q&A sections we titled -> their parent
        self.groups: list[tuple[Section | None, int]] = []
        self.resume: Section | None = None  # set when a group that opened sections has closed
        self.after_group = False
        # A section opened by a pseudo-heading that so far holds only the pseudo-heading
        # lines that came straight after it (see `run_on`).
        self.heading_run: Section | None = None
        self.run_length = 0

    # -- entry points -------------------------------------------------------

    def feed(self, items: Iterable[Item]) -> list[Section]:
        for item in items:
            if item.type == "heading":
                self.heading(item)
            elif item.type == "question":
                self.qa("question", item.text, loose=False)
            elif item.type == "block":
                self.block(item)
            elif item.type == "paragraphs":
                self.paragraphs(item)
            elif item.type == "group_start":
                self.groups.append((self.current, len(self.sections)))
            elif item.type == "group_end" and self.groups:
                self.group_end()
        return _drop_empty(self.sections)

    def group_end(self) -> None:
        start, count = self.groups.pop()
        if len(self.sections) > count and self.current is not start:
            self.resume = start
        self.after_group = True

    # -- headings -----------------------------------------------------------

    def heading(self, item: Item) -> None:
        text = item.text.rstrip(":： ").strip() or item.text
        if not re.search(r"[^\W_]", text):
            return  # a rule of underscores or stars is decoration, not a heading
        if item.level == 1 and _same_title(text, self.title):
            return
        if is_question_text(text) and self.asks(item, item.level):
            self.qa("question", item.text, loose=True)
            return
        if item.level:
            level = item.level
            self.real_levels = [(lv, t) for lv, t in self.real_levels if lv < level]
            self.real_levels.append((level, text))
        else:
            level = (self.real_levels[-1][0] if self.real_levels else 1) + 1
        if item.pseudo and self.run_on(level):
            assert self.current is not None
            self.current.blocks.append(Block("paragraph", item.text))
            self.run_length += 1
            return
        self.open(Section(title=text, level=level, kind="section"))
        if item.pseudo:
            self.heading_run, self.run_length = self.current, 0

    def run_on(self, level: int) -> bool:
        """A bold line straight after a pseudo-heading (and only other bold lines) is its
        first paragraph, not a sibling section that would leave the first one empty.

        A scoreboard's "Palm Bay d. Rockledge 70-44" / "Rockledge 14 11 6 15 — 44" / "Palm
        Bay 18 22 13 17 — 70": the listener who jumps to the game hears all three lines in
        page order, then the box score. Real headings still nest (an h2 then bold lines).
        """
        sec = self.current
        if sec is None or sec is not self.heading_run or sec.kind != "section":
            return False
        return sec.level == level and len(sec.blocks) == self.run_length

    def asks(self, item: Item, level: int) -> bool:
        """A question-shaped heading or bold line is a question in FAQ context."""
        return item.faq or item.text in self.questions or self.in_faq_heading(level)

    def in_faq_heading(self, level: int) -> bool:
        """A question-shaped heading under a heading like "FAQ" or "Q&A" is a question."""
        parents = [t for lv, t in self.real_levels if not level or lv < level]
        return any(_FAQ_TITLE.search(t) for t in parents)

    def open(self, section: Section) -> None:
        self.sections.append(section)
        self.current = section
        self.pending = None
        self.loose = False
        self.qa_parent = None
        self.resume = None
        self.after_group = False
        self.heading_run = None

    # -- blocks -------------------------------------------------------------

    def paragraphs(self, item: Item) -> None:
        """Each text of a "paragraphs" item as `block` takes a "block" item of the same facts;
        while `only_appends` would hold, without making the item or asking again what only
        the texts change: runs of ordinary texts are added at once (a huge page's 500 000
        paragraphs)."""
        kind, place, faq, headable = item.kind, item.place, item.faq, item.headable
        texts = item.texts or []
        at = 0
        for odd in [*self.unordinary(texts), len(texts)]:
            while at <= odd and at < len(texts):  # texts[at:odd] are ordinary, texts[odd] not
                blocks = self.appends_to(kind)
                if blocks is not None and at < odd:  # each would only be appended
                    blocks.extend(map(Block.bare, repeat(kind), texts[at:odd], repeat(place)))
                    at = odd
                    continue
                text = texts[at]
                self.block(Item("block", text, kind, 0, False, headable, faq, False, place))
                at += 1

    def unordinary(self, texts: list[str]) -> list[int]:
        """The places of the texts that are not `ordinary`, in order."""
        if self.questions:
            return [i for i, text in enumerate(texts) if not self.ordinary(text)]
        # Found by one pass over the texts joined a line each (a paragraph's text is one
        # line), as `ordinary` would: a "Q:"/"A:" letter, a space or nothing first.
        joined = "\n" + "\n".join(texts) + "\n"
        places, lines, position = [], 0, 0
        for found in _UNORDINARY_LINE.finditer(joined):
            lines += joined.count("\n", position, found.start() + 1)
            position = found.start() + 1
            places.append(lines - 1)
        return places

    def block(self, item: Item) -> None:
        text = item.text
        if self.only_appends(item):  # most paragraphs of a page: what `plain` would do
            block = Block.bare(item.kind, text, item.place)  # type: ignore[arg-type]
            self.current.blocks.append(block)  # type: ignore[union-attr]
            return
        if item.headable and item.kind in ("paragraph", "list_item") and self.marker(item):
            return
        if item.headable and item.kind == "paragraph" and item.bold:
            if is_question_text(text) and self.asks(item, 0):
                self.qa("question", text, loose=True)
                return
            if is_pseudo_heading_text(text) and not item.faq:
                self.heading(Item("heading", text, level=0, pseudo=True))
                return
        if item.kind == "paragraph" and text in self.questions:
            self.qa("question", text, loose=True)
            return
        if item.kind == "answer":
            self.qa("answer", text, loose=False)
            return
        self.plain(item)

    def only_appends(self, item: Item) -> bool:
        """True when `block` would only add `item` to the current section: a plain, not bold
        paragraph that is no "Q:"/"A:" line and no known question, in an open section that
        is no Q&A run and not waiting for a question, an answer or its parent."""
        return not item.bold and self.appends_to(item.kind) is not None and self.ordinary(item.text)

    def appends_to(self, kind: str) -> list[Block] | None:
        """The blocks of the current section when a plain paragraph of `kind` with an
        `ordinary` text would only be added to them (see `only_appends`), else None."""
        sec = self.current
        if kind != "paragraph" or self.pending is not None or self.resume is not None:
            return None
        return sec.blocks if sec is not None and sec.kind != "qa" else None

    def ordinary(self, text: str) -> bool:
        """No "Q:"/"A:" line (nor empty, nor opening with a space) and no known question."""
        first = text[:1]
        # (`in` finds "" in any string)
        return first not in "QqAa" and not first.isspace() and text not in self.questions

    def marker(self, item: Item) -> bool:
        """Handle "Q:" / "A:" paragraphs; returns True when the item was consumed."""
        match = MARKER.match(item.text)
        if self.pending and not match:
            role, self.pending = self.pending, None
            self.qa(role, item.text, loose=True)
            return True
        if not match:
            return False
        letter = (match.group(1) or match.group(2))[0].lower()
        role = "question" if letter == "q" else "answer"
        if role == "answer" and not self.has_question():
            return False
        rest = item.text[match.end() :].strip()
        if not rest:
            self.pending = role
            return True
        self.qa(role, rest, loose=True)
        return True

    def has_question(self) -> bool:
        sec = self.current
        return sec is not None and any(b.kind == "question" for b in sec.blocks)

    def plain(self, item: Item) -> None:
        sec = self.current
        if sec is not None and sec.kind == "qa" and sec.blocks:
            last = sec.blocks[-1].kind
            joins = (self.loose or item.faq) and not self.after_group
            if last in QA_KINDS and joins:
                self.qa("answer", item.text, loose=self.loose)
                return
            self.continue_parent()
        elif self.resume is not None:
            self.continue_parent()
        if self.current is None:
            self.open(Section(title=self.title, level=1, kind="intro"))
        assert self.current is not None
        block = Block(item.kind, item.text, place=item.place)  # type: ignore[arg-type]
        self.current.blocks.append(block)

    def continue_parent(self) -> None:
        """Text after a Q&A run or a closed group belongs to the section that held it."""
        parent = self.resume or self.qa_parent or self.current
        while parent is not None and id(parent) in self.made_for:
            parent = self.made_for[id(parent)]  # skip our own "Questions and answers"
        title = parent.title if parent is not None else self.title
        level = parent.level if parent is not None else 1
        title = title.removesuffix(CONTINUED) + CONTINUED
        self.open(Section(title=title, level=level, kind="section"))

    # -- questions and answers ----------------------------------------------

    def qa(self, role: str, text: str, loose: bool) -> None:
        sec = self.qa_section()
        self.loose = loose
        if sec.blocks and role == "answer" and sec.blocks[-1].kind == "answer":
            sec.blocks[-1] = Block("answer", _join_answer(sec.blocks[-1].text, text))
        else:
            sec.blocks.append(Block(role, text))  # type: ignore[arg-type]

    def qa_section(self) -> Section:
        sec = self.current
        if sec is not None and sec.kind == "qa" and not (self.after_group and self.resume):
            return sec
        if sec is not None and not sec.blocks and sec.kind == "section":
            sec.kind = "qa"
            self.qa_parent = sec
            return sec
        parent = self.resume or sec
        if parent is None:
            made = Section(title=self.title, level=1, kind="qa")
        else:
            made = Section(title=QA_TITLE, level=parent.level + 1, kind="qa")
        self.open(made)
        self.made_for[id(made)] = parent
        self.qa_parent = parent
        return made


def _drop_empty(sections: list[Section]) -> list[Section]:
    """Drop sections without blocks unless a deeper section follows (it keeps the nesting)."""
    kept: list[Section] = []
    for sec in reversed(sections):
        if sec.blocks or (kept and kept[-1].level > sec.level):
            kept.append(sec)
    kept.reverse()
    return kept

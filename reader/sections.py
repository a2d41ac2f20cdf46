"""Turn a cleaned article tree into navigable sections of spoken blocks.

Two passes. `_Walker` reads the lxml tree in document order and emits a flat
stream of `_Item`s (headings, blocks, questions, group marks). `_Assembler`
turns that stream into `Section`s: it decides which bold paragraphs are
pseudo-headings, which paragraphs are "Q:"/"A:" pairs, where a Q&A run ends,
and which empty sections to drop. Keeping the decisions in the second pass lets
plain-text pages reuse them (see `reader.extract`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

from lxml import etree

from reader.model import Block, Section
from reader.text import one_line as clean_text

HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
# Elements that start a new line of text when seen inside a paragraph-like run.
BLOCK_TAGS = HEADING_TAGS | {
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd",
    "details", "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure",
    "footer", "form", "header", "hgroup", "hr", "html", "img", "li", "main", "nav",
    "ol", "p", "picture", "pre", "section", "summary", "table", "tbody", "td",
    "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
SKIP_TAGS = {
    "script", "style", "noscript", "template", "head", "title", "meta", "link",
    "select", "option", "textarea", "input", "svg", "math", "iframe", "object",
    "embed", "canvas", "video", "audio", "source", "track", "map", "area", "form",
}  # fmt: skip
# Controls are furniture in running text ("Yes"/"No", "Share"), but a question
# written as an accordion <button> inside a heading or FAQ part is still read.
CONTROL_TAGS = {"button"}
BOLD_TAGS = {"b", "strong"}
# Text runs directly inside these may be pseudo-headings or "Q:"/"A:" paragraphs
# (not list items, table cells of data tables, quotes or definitions).
HEADABLE_PARENTS = {
    "p", "div", "section", "article", "main", "body", "center", "span", "font", "td", "th",
}  # fmt: skip
QA_KINDS = {"question", "answer"}
QA_TITLE = "Questions and answers"  # for a Q&A run that has no heading of its own
CONTINUED = " (continued)"

# Deeper than this we stop walking and read the rest as one paragraph; libxml2
# caps HTML depth near 256 and Python recursion must stay well under its limit.
MAX_DEPTH = 180
PSEUDO_MAX_WORDS = 12
PSEUDO_MAX_CHARS = 100
MAX_HEADING_CHARS = 300  # a longer "heading" holding paragraphs is broken markup

# "Q:", "Answer:" (any case) or "Q." / "A." (capital, then a space).
_MARKER = re.compile(r"^\s*(?:((?i:question|answer|q|a))\s*:|([QA])\.(?=\s))\s*")
_BOLD_STYLE = re.compile(r"font-weight\s*:\s*(bold|bolder|[6-9]00)", re.IGNORECASE)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?…。！？]['\"”’)\]]*$")
_FAQ_TITLE = re.compile(
    r"\bfaqs?\b|frequently asked|\bq\s*&\s*a\b|\bq\s+and\s+a\b|\bquestions\b", re.IGNORECASE
)
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_FILENAME_ALT = re.compile(r"\.(jpe?g|png|gif|webp|svg|bmp|avif)$|^(img|dsc|image)[-_ ]?\d+", re.I)
_DECORATIVE_ALTS = {
    "image", "img", "photo", "picture", "logo", "icon", "spacer", "graphic", "banner",
    "thumbnail", "placeholder", "avatar", "blank", "pixel", "separator", "divider",
}  # fmt: skip


def _same_title(a: str, b: str) -> bool:
    def key(s: str) -> str:
        return re.sub(r"[\W_]+", "", s.casefold())

    return bool(a) and key(a) == key(b)


def is_pseudo_heading_text(text: str) -> bool:
    """Short and without sentence-ending punctuation (a trailing colon is fine)."""
    if not text or not re.search(r"[^\W\d_]", text) or _MARKER.match(text):
        return False
    if len(text) > PSEUDO_MAX_CHARS or len(text.split()) > PSEUDO_MAX_WORDS:
        return False
    return not _SENTENCE_END.search(text)


def _is_question_text(text: str) -> bool:
    return text.rstrip().endswith(("?", "？"))


def _join_answer(first: str, more: str) -> str:
    """Join answer pieces so a list item or short line still ends as its own sentence."""
    if not first:
        return more
    if not re.search(r"[.!?:;,…]['\"”’)\]]*$", first):
        first += "."
    return f"{first} {more}"


# ---------------------------------------------------------------- walker ---


@dataclass(slots=True)  # a huge page has 500 000 of them at once
class _Item:
    """One thing seen in document order. `type` is heading|block|question|group_start|group_end."""

    type: str
    text: str = ""
    kind: str = "paragraph"  # block kind for type "block"
    level: int = 0  # heading level; 0 = pseudo-heading (level decided later)
    bold: bool = False  # the whole text was bold and not a link
    headable: bool = False  # came from a p/div run, so it may be a pseudo-heading or Q/A marker
    faq: bool = False  # inside FAQ markup
    pseudo: bool = False  # a heading guessed from a bold (or short plain-text) line


@dataclass(frozen=True)
class _Ctx:
    kind: str = "paragraph"  # kind for plain runs: paragraph|list_item|quote|answer
    faq: bool = False
    qa_item: bool = False  # inside a schema.org Question item
    depth: int = 0


@dataclass
class _Run:
    """Inline text between block elements: (text, bold, link) pieces; None marks a <br>."""

    pieces: list[tuple[str, bool, bool] | None] = field(default_factory=list)

    def add(self, text: str | None, bold: bool, link: bool) -> None:
        if text:
            self.pieces.append((text, bold, link))

    def lines(self) -> list[list[tuple[str, bool, bool]]]:
        out: list[list[tuple[str, bool, bool]]] = [[]]
        for piece in self.pieces:
            if piece is None:
                out.append([])
            else:
                out[-1].append(piece)
        return [line for line in out if clean_text("".join(p[0] for p in line))]


def _words(el: etree._Element) -> set[str]:
    raw = " ".join(filter(None, (el.get("class"), el.get("id"))))
    # "faq__question", "accordionAnswer", "qa-callout" -> {"faq", "question"}, ...
    return {w for w in _NON_WORD.split(_CAMEL.sub(" ", raw).lower()) if w}


def _faq_role(el: etree._Element) -> str | None:
    """'container', 'question', 'answer' or None, from schema.org microdata or class/id words."""
    itemtype = (el.get("itemtype") or "").rstrip("/").rsplit("/", 1)[-1].lower()
    itemprop = (el.get("itemprop") or "").lower().split()
    if itemtype == "question":
        return "item"
    if itemtype == "answer" or "acceptedanswer" in itemprop or "suggestedanswer" in itemprop:
        return "answer"
    words = _words(el)
    if words & {"question", "faqquestion", "faqq"}:
        return "question"
    if words & {"answer", "faqanswer", "faqa"}:
        return "answer"
    if words & {"faq", "faqs", "qa", "qna", "questions", "answers"} or any(
        w.startswith("faq") for w in words
    ):
        return "container"
    return None


def _hidden(el: etree._Element) -> bool:
    if el.get("hidden") is not None or el.get("aria-hidden") == "true":
        return True
    return bool(_HIDDEN_STYLE.search(el.get("style") or ""))


def _is_bold(el: etree._Element) -> bool:
    return el.tag in BOLD_TAGS or bool(_BOLD_STYLE.search(el.get("style") or ""))


def _image_alt(el: etree._Element) -> str | None:
    if el.get("role") in ("presentation", "none") or _hidden(el):
        return None
    alt = clean_text(el.get("alt") or "")
    if not re.search(r"\w", alt) or alt.casefold() in _DECORATIVE_ALTS or _FILENAME_ALT.search(alt):
        return None
    return alt


def _is_layout_table(table: etree._Element) -> bool:
    if table.get("role") in ("presentation", "none"):
        return True
    if any(True for _ in table.iterdescendants("table")):
        return True
    rows = _table_rows(table)
    if not rows or all(len(_cells(row)) <= 1 for row in rows):
        return True
    # Cells holding headings or several paragraphs are page layout, not data.
    return any(_holds_layout(cell) for row in rows for cell in _cells(row))


def _holds_layout(cell: etree._Element) -> bool:
    if any(True for _ in cell.iterdescendants(*HEADING_TAGS)):
        return True
    blocks = [c for c in cell if isinstance(c.tag, str) and c.tag in BLOCK_TAGS]
    return len(blocks) >= 2


def _table_rows(table: etree._Element) -> list[etree._Element]:
    rows = []
    for row in table.iterdescendants("tr"):
        owner = next(row.iterancestors("table"), None)
        if owner is table:
            rows.append(row)
    return rows


def _cells(row: etree._Element) -> list[etree._Element]:
    return [c for c in row if isinstance(c.tag, str) and c.tag in ("td", "th")]


class _Walker:
    def __init__(self) -> None:
        self.items: list[_Item] = []

    # -- helpers ------------------------------------------------------------

    def emit(self, type_: str, text: str = "", **kw: object) -> None:
        text = clean_text(text)
        if type_ in ("group_start", "group_end") or text:
            self.items.append(_Item(type_, text, **kw))  # type: ignore[arg-type]

    def plain_text(self, el: etree._Element) -> str:
        """All visible text under `el`, with block boundaries and <br> as spaces."""
        parts: list[str] = []
        self._collect(el, parts)
        return clean_text(" ".join(parts))

    def _collect(self, el: etree._Element, parts: list[str]) -> None:
        if not isinstance(el.tag, str) or el.tag in SKIP_TAGS or _hidden(el):
            return
        if el.tag == "img":
            alt = _image_alt(el)
            if alt:
                parts.append(alt)
            return
        spaced = el.tag in BLOCK_TAGS or el.tag == "br"
        if spaced:
            parts.append(" ")
        parts.append(el.text or "")
        for child in el:
            self._collect(child, parts)
            parts.append(child.tail or "")
        if spaced:
            parts.append(" ")

    # -- the walk -----------------------------------------------------------

    def walk(self, el: etree._Element, ctx: _Ctx) -> None:
        tag = el.tag
        if _bare_paragraph(el) and ctx.depth <= MAX_DEPTH:
            self.bare_paragraph(el, ctx)
            return
        if not isinstance(tag, str) or tag in SKIP_TAGS or _hidden(el):
            return
        if ctx.depth > MAX_DEPTH:
            self.emit("block", _flat_text(el), kind=ctx.kind, faq=ctx.faq)
            return
        ctx = replace(ctx, depth=ctx.depth + 1)
        role = _faq_role(el)
        if tag in CONTROL_TAGS and role is None:
            return
        if role == "question" or (ctx.qa_item and (el.get("itemprop") or "").lower() == "name"):
            self.emit("question", self.plain_text(el), faq=True)
        elif role == "answer":
            self.container(el, replace(ctx, kind="answer", faq=True))
        elif role in ("container", "item") and ctx.kind != "answer":
            self.emit("group_start")
            self.dispatch(el, replace(ctx, faq=True, qa_item=ctx.qa_item or role == "item"))
            self.emit("group_end")
        else:
            self.dispatch(el, ctx)

    def bare_paragraph(self, el: etree._Element, ctx: _Ctx) -> None:
        """Most of a page: a bare <p> of text. What the general path of `walk` makes of it,
        without its per-element costs (a page can hold 500 000 of them)."""
        text = el.text or ""
        if not _settled(text):
            text = clean_text(text)
        if text:
            self.items.append(
                _Item("block", text, kind=ctx.kind, headable=ctx.kind == "paragraph", faq=ctx.faq)
            )

    def dispatch(self, el: etree._Element, ctx: _Ctx) -> None:
        tag = el.tag
        if tag in HEADING_TAGS:
            self.heading(el, ctx)
        elif tag == "pre" and ctx.kind != "answer":
            self.code(el)
        elif tag == "img":
            alt = _image_alt(el)
            if alt:
                self.emit("block", alt, kind="answer" if ctx.kind == "answer" else "image")
        elif tag == "table" and not _is_layout_table(el):
            self.table(el, ctx)
        elif tag in ("ul", "ol") and ctx.kind != "answer":
            for child in el:
                if isinstance(child.tag, str) and child.tag == "li":
                    self.container(child, replace(ctx, kind="list_item"))
                else:
                    self.walk(child, ctx)
        elif tag == "blockquote" and ctx.kind not in ("answer", "list_item"):
            self.container(el, replace(ctx, kind="quote"))
        elif tag == "dl":
            self.definition_list(el, ctx)
        elif tag == "details":
            self.details(el, ctx)
        elif tag == "hr":
            return
        else:
            self.container(el, ctx)

    def heading(self, el: etree._Element, ctx: _Ctx) -> None:
        text = self.plain_text(el)
        if len(text) > MAX_HEADING_CHARS and self.holds_blocks(el):
            self.container(el, ctx)  # broken markup: an unclosed heading swallowed the page
            return
        if ctx.kind == "answer":
            self.emit("block", text, kind="answer", faq=True)
        elif ctx.faq and _is_question_text(text):
            self.emit("question", text, faq=True)
        else:
            self.emit("heading", text, level=int(el.tag[1]), faq=ctx.faq)

    def code(self, el: etree._Element) -> None:
        """A code block stays whole, one line per line, so speech never splits it at dots."""
        lines = []
        for line in _code_text(el).expandtabs(4).splitlines():
            indent = len(line) - len(line.lstrip(" "))
            if clean_text(line):  # keep the indentation: in code it carries meaning
                lines.append(" " * indent + clean_text(line))
        text = "\n".join(lines)
        if text:
            self.items.append(_Item("block", text, kind="code"))

    def table(self, el: etree._Element, ctx: _Ctx) -> None:
        for caption in el.iterchildren("caption"):
            self.emit("block", self.plain_text(caption), kind=ctx.kind, faq=ctx.faq)
        kind = "answer" if ctx.kind == "answer" else "table_row"
        for row in _table_rows(el):
            cells = [self.plain_text(c) for c in _cells(row)]
            self.emit("block", "; ".join(c for c in cells if c), kind=kind, faq=ctx.faq)

    def definition_list(self, el: etree._Element, ctx: _Ctx) -> None:
        """<dt> that asks (or sits in FAQ markup) is a question; any other <dt> is a heading."""
        self.emit("group_start")
        answering = False
        for child in el:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag == "div":  # HTML allows <div> wrapping dt/dd groups
                self.definition_list_items(child, ctx)
                continue
            answering = self.definition_item(child, tag, ctx, answering)
        self.emit("group_end")

    def definition_list_items(self, wrapper: etree._Element, ctx: _Ctx) -> None:
        answering = False
        for child in wrapper:
            tag = child.tag if isinstance(child.tag, str) else ""
            answering = self.definition_item(child, tag, ctx, answering)

    def definition_item(self, child: etree._Element, tag: str, ctx: _Ctx, answering: bool) -> bool:
        if tag == "dt":
            text = self.plain_text(child)
            if ctx.faq or _is_question_text(text):
                self.emit("question", text, faq=True)
                return True
            self.emit("heading", text, level=0)
            return False
        if tag == "dd":
            kind = "answer" if answering else ctx.kind
            self.container(child, replace(ctx, kind=kind, faq=ctx.faq or answering))
            return answering
        self.walk(child, ctx)
        return answering

    def details(self, el: etree._Element, ctx: _Ctx) -> None:
        summary = next(el.iterchildren("summary"), None)
        if summary is None:
            self.container(el, ctx)
            return
        text = self.plain_text(summary)
        asks = ctx.faq or _is_question_text(text) or ctx.qa_item
        self.emit("group_start")
        if asks:
            self.emit("question", text, faq=True)
        else:
            self.emit("heading", text, level=0)
        body_ctx = replace(ctx, kind="answer" if asks else ctx.kind, faq=ctx.faq or asks)
        self.container(el, body_ctx, skip=summary)
        self.emit("group_end")

    def container(self, el: etree._Element, ctx: _Ctx, skip: etree._Element | None = None) -> None:
        """Walk children; inline text between block children is flushed as blocks."""
        run = _Run()
        bold = _is_bold(el)
        run.add(el.text, bold, False)
        bare = ctx.depth <= MAX_DEPTH
        for child in el:
            if child is skip:
                run.add(child.tail, bold, False)
                continue
            if bare and _bare_paragraph(child):  # the usual child: what `walk` does, cheaper
                if run.pieces:
                    self.flush(run, el, ctx)
                    run = _Run()
                self.bare_paragraph(child, ctx)
            elif self.is_block(child):
                self.flush(run, el, ctx)
                run = _Run()
                self.walk(child, ctx)
            else:
                self.inline_element(child, run, bold, False)
            run.add(child.tail, bold, False)
        self.flush(run, el, ctx)

    def holds_blocks(self, el: etree._Element) -> bool:
        return any(isinstance(d.tag, str) and d.tag in BLOCK_TAGS for d in el.iterdescendants())

    def is_block(self, el: etree._Element) -> bool:
        if not isinstance(el.tag, str):
            return False
        if el.tag == "img":  # decorative images stay inline, where they say nothing
            return _image_alt(el) is not None
        if el.tag in BLOCK_TAGS or _faq_role(el):
            return True
        # An inline element wrapping blocks (<a><div>…</div></a>) is walked as a block.
        return self.holds_blocks(el)

    def inline_element(self, el: etree._Element, run: _Run, bold: bool, link: bool) -> None:
        tag = el.tag
        if not isinstance(tag, str) or tag in SKIP_TAGS or tag in CONTROL_TAGS or _hidden(el):
            return
        if el.tag == "br":
            run.pieces.append(None)
            return
        bold = bold or _is_bold(el)
        link = link or el.tag == "a"
        run.add(el.text, bold, link)
        for child in el:
            self.inline_element(child, run, bold, link)
            run.add(child.tail, bold, link)

    def flush(self, run: _Run, parent: etree._Element, ctx: _Ctx) -> None:
        if not run.pieces:
            return  # nothing between two blocks (the usual case): skip the line splitting
        lines = run.lines()
        if not lines:
            return
        headable = ctx.kind == "paragraph" and parent.tag in HEADABLE_PARENTS
        if headable and self.split_lines(lines):
            for line in lines:
                self.emit_line(line, ctx, headable)
            return
        merged = [p for line in lines for p in ([*line, (" ", True, False)])]
        self.emit_line(merged[:-1], ctx, headable or ctx.kind == "list_item")

    def split_lines(self, lines: list[list[tuple[str, bool, bool]]]) -> bool:
        """Split a <br>-broken paragraph when it hides a bold heading line or Q:/A: lines."""
        if len(lines) < 2:
            return False
        first = lines[0]
        first_text = clean_text("".join(p[0] for p in first))
        if _line_bold(first) and is_pseudo_heading_text(first_text):
            return True
        return any(_MARKER.match(clean_text("".join(p[0] for p in line))) for line in lines[1:])

    def emit_line(self, line: list[tuple[str, bool, bool]], ctx: _Ctx, headable: bool) -> None:
        text = "".join(p[0] for p in line)
        self.emit(
            "block", text, kind=ctx.kind, bold=_line_bold(line), headable=headable, faq=ctx.faq
        )


def _settled(text: str) -> bool:
    """True when `clean_text` would hand `text` back as it is: printable (so no control
    character or escape), and the only whitespace printable text can hold, the space,
    never doubled nor at an end. Most paragraphs are; the check is far cheaper than the
    three regex passes. (A candidate for reader/text.py, beside `one_line`.)"""
    return text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " "


def _bare_paragraph(el: etree._Element) -> bool:
    return el.tag == "p" and not len(el) and not el.attrib


def _flat_text(el: etree._Element) -> str:
    """Text of an absurdly deep subtree, gathered without recursion."""
    parts = []
    for node in el.iter():
        if isinstance(node.tag, str) and node.tag not in SKIP_TAGS:
            parts.append(node.text or "")
        if node is not el:
            parts.append(node.tail or "")
    return " ".join(parts)


def _code_text(el: etree._Element) -> str:
    """The text of a <pre> with its line breaks (<br> counts as one), without recursion."""
    parts = []
    for node in el.iter():
        if node.tag == "br":
            parts.append("\n")
        elif isinstance(node.tag, str) and node.tag not in SKIP_TAGS and not _hidden(node):
            parts.append(node.text or "")
        if node is not el:
            parts.append(node.tail or "")
    return "".join(parts)


def _line_bold(line: list[tuple[str, bool, bool]]) -> bool:
    """Every visible character is bold and not all of it is a link."""
    seen = False
    all_link = True
    for text, bold, link in line:
        if not text.strip():
            continue
        if not bold:
            return False
        seen = True
        all_link = all_link and link
    return seen and not all_link


# ------------------------------------------------------------- assembler ---


class _Assembler:
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

    def feed(self, items: Iterable[_Item]) -> list[Section]:
        for item in items:
            if item.type == "heading":
                self.heading(item)
            elif item.type == "question":
                self.qa("question", item.text, loose=False)
            elif item.type == "block":
                self.block(item)
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

    def heading(self, item: _Item) -> None:
        text = item.text.rstrip(":： ").strip() or item.text
        if not re.search(r"[^\W_]", text):
            return  # a rule of underscores or stars is decoration, not a heading
        if item.level == 1 and _same_title(text, self.title):
            return
        if _is_question_text(text) and self.asks(item, item.level):
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

    def asks(self, item: _Item, level: int) -> bool:
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

    def block(self, item: _Item) -> None:
        text = item.text
        if item.headable and item.kind in ("paragraph", "list_item") and self.marker(item):
            return
        if item.headable and item.kind == "paragraph" and item.bold:
            if _is_question_text(text) and self.asks(item, 0):
                self.qa("question", text, loose=True)
                return
            if is_pseudo_heading_text(text) and not item.faq:
                self.heading(_Item("heading", text, level=0, pseudo=True))
                return
        if item.kind == "paragraph" and text in self.questions:
            self.qa("question", text, loose=True)
            return
        if item.kind == "answer":
            self.qa("answer", text, loose=False)
            return
        self.plain(item)

    def marker(self, item: _Item) -> bool:
        """Handle "Q:" / "A:" paragraphs; returns True when the item was consumed."""
        match = _MARKER.match(item.text)
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

    def plain(self, item: _Item) -> None:
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
        self.current.blocks.append(Block(kind=item.kind, text=item.text))  # type: ignore[arg-type]

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


def build_sections(
    root: etree._Element, title: str, *, questions: Iterable[str] = ()
) -> list[Section]:
    """Split a cleaned article tree into sections.

    `questions` are question texts known from elsewhere on the page (JSON-LD
    FAQPage); a heading or paragraph with exactly that text is read as a question.
    """
    walker = _Walker()
    walker.walk(root, _Ctx())
    known = frozenset(clean_text(q) for q in questions)
    return _Assembler(clean_text(title), known).feed(_drain(walker.items))


def _drain(items: list[_Item]) -> Iterator[_Item]:
    """`items` in order, each let go once handed over: a huge page's 500 000 items are
    not all held beside the blocks made of them."""
    items.reverse()
    while items:
        yield items.pop()


def sections_from_items(items: Iterable[_Item], title: str) -> list[Section]:
    """Assemble sections from a ready-made item stream (used for plain-text pages)."""
    return _Assembler(clean_text(title)).feed(items)

"""The first pass of the sections builder: the tree in document order as a flat stream of
`Item`s (headings, blocks, questions, group marks)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from lxml import etree

from reader.extract.items import MARKER, Item, is_pseudo_heading_text, is_question_text
from reader.extract.markup import (
    BLOCK_TAGS,
    CONTROL_TAGS,
    HEADABLE_PARENTS,
    HEADING_TAGS,
    SKIP_TAGS,
    faq_role,
    hidden,
    image_alt,
    is_bold,
    is_layout_table,
    row_cells,
    table_rows,
)
from reader.text import one_line, settled

# Deeper than this we stop walking and read the rest as one paragraph; libxml2
# caps HTML depth near 256 and Python recursion must stay well under its limit.
MAX_DEPTH = 180
MAX_HEADING_CHARS = 300  # a longer "heading" holding paragraphs is broken markup


@dataclass(frozen=True)
class Context:
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
        return [line for line in out if one_line("".join(p[0] for p in line))]


class Walker:
    def __init__(self) -> None:
        self.items: list[Item] = []

    # -- helpers ------------------------------------------------------------

    def emit(self, type_: str, text: str = "", **kw: object) -> None:
        text = one_line(text)
        if type_ in ("group_start", "group_end") or text:
            self.items.append(Item(type_, text, **kw))  # type: ignore[arg-type]

    def plain_text(self, el: etree._Element) -> str:
        """All visible text under `el`, with block boundaries and <br> as spaces."""
        parts: list[str] = []
        self._collect(el, parts)
        return one_line(" ".join(parts))

    def _collect(self, el: etree._Element, parts: list[str]) -> None:
        if not isinstance(el.tag, str) or el.tag in SKIP_TAGS or hidden(el):
            return
        if el.tag == "img":
            alt = image_alt(el)
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

    def walk(self, el: etree._Element, ctx: Context) -> None:
        tag = el.tag
        if _bare_paragraph(el) and ctx.depth <= MAX_DEPTH:
            self.bare_paragraph(el, ctx)
            return
        if not isinstance(tag, str) or tag in SKIP_TAGS or hidden(el):
            return
        if ctx.depth > MAX_DEPTH:
            self.emit("block", _flat_text(el), kind=ctx.kind, faq=ctx.faq)
            return
        ctx = replace(ctx, depth=ctx.depth + 1)
        role = faq_role(el)
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

    def bare_paragraph(self, el: etree._Element, ctx: Context) -> None:
        """Most of a page: a bare <p> of text. What the general path of `walk` makes of it,
        without its per-element costs (a page can hold 500 000 of them)."""
        text = el.text or ""
        if not settled(text):
            text = one_line(text)
        if text:
            self.items.append(
                Item("block", text, kind=ctx.kind, headable=ctx.kind == "paragraph", faq=ctx.faq)
            )

    def dispatch(self, el: etree._Element, ctx: Context) -> None:
        tag = el.tag
        if tag in HEADING_TAGS:
            self.heading(el, ctx)
        elif tag == "pre" and ctx.kind != "answer":
            self.code(el)
        elif tag == "img":
            alt = image_alt(el)
            if alt:
                self.emit("block", alt, kind="answer" if ctx.kind == "answer" else "image")
        elif tag == "table" and not is_layout_table(el):
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

    def heading(self, el: etree._Element, ctx: Context) -> None:
        text = self.plain_text(el)
        if len(text) > MAX_HEADING_CHARS and self.holds_blocks(el):
            self.container(el, ctx)  # broken markup: an unclosed heading swallowed the page
            return
        if ctx.kind == "answer":
            self.emit("block", text, kind="answer", faq=True)
        elif ctx.faq and is_question_text(text):
            self.emit("question", text, faq=True)
        else:
            self.emit("heading", text, level=int(el.tag[1]), faq=ctx.faq)

    def code(self, el: etree._Element) -> None:
        """A code block stays whole, one line per line, so speech never splits it at dots."""
        lines = []
        for line in _code_text(el).expandtabs(4).splitlines():
            indent = len(line) - len(line.lstrip(" "))
            if one_line(line):  # keep the indentation: in code it carries meaning
                lines.append(" " * indent + one_line(line))
        text = "\n".join(lines)
        if text:
            self.items.append(Item("block", text, kind="code"))

    def table(self, el: etree._Element, ctx: Context) -> None:
        for caption in el.iterchildren("caption"):
            self.emit("block", self.plain_text(caption), kind=ctx.kind, faq=ctx.faq)
        kind = "answer" if ctx.kind == "answer" else "table_row"
        for row in table_rows(el):
            cells = [self.plain_text(c) for c in row_cells(row)]
            self.emit("block", "; ".join(c for c in cells if c), kind=kind, faq=ctx.faq)

    def definition_list(self, el: etree._Element, ctx: Context) -> None:
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

    def definition_list_items(self, wrapper: etree._Element, ctx: Context) -> None:
        answering = False
        for child in wrapper:
            tag = child.tag if isinstance(child.tag, str) else ""
            answering = self.definition_item(child, tag, ctx, answering)

    def definition_item(
        self, child: etree._Element, tag: str, ctx: Context, answering: bool
    ) -> bool:
        if tag == "dt":
            text = self.plain_text(child)
            if ctx.faq or is_question_text(text):
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

    def details(self, el: etree._Element, ctx: Context) -> None:
        summary = next(el.iterchildren("summary"), None)
        if summary is None:
            self.container(el, ctx)
            return
        text = self.plain_text(summary)
        asks = ctx.faq or is_question_text(text) or ctx.qa_item
        self.emit("group_start")
        if asks:
            self.emit("question", text, faq=True)
        else:
            self.emit("heading", text, level=0)
        body_ctx = replace(ctx, kind="answer" if asks else ctx.kind, faq=ctx.faq or asks)
        self.container(el, body_ctx, skip=summary)
        self.emit("group_end")

    def container(
        self, el: etree._Element, ctx: Context, skip: etree._Element | None = None
    ) -> None:
        """Walk children; inline text between block children is flushed as blocks."""
        run = _Run()
        bold = is_bold(el)
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
            return image_alt(el) is not None
        if el.tag in BLOCK_TAGS or faq_role(el):
            return True
        # An inline element wrapping blocks (<a><div>…</div></a>) is walked as a block.
        return self.holds_blocks(el)

    def inline_element(self, el: etree._Element, run: _Run, bold: bool, link: bool) -> None:
        tag = el.tag
        if not isinstance(tag, str) or tag in SKIP_TAGS or tag in CONTROL_TAGS or hidden(el):
            return
        if el.tag == "br":
            run.pieces.append(None)
            return
        bold = bold or is_bold(el)
        link = link or el.tag == "a"
        run.add(el.text, bold, link)
        for child in el:
            self.inline_element(child, run, bold, link)
            run.add(child.tail, bold, link)

    def flush(self, run: _Run, parent: etree._Element, ctx: Context) -> None:
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
        first_text = one_line("".join(p[0] for p in first))
        if _line_bold(first) and is_pseudo_heading_text(first_text):
            return True
        return any(MARKER.match(one_line("".join(p[0] for p in line))) for line in lines[1:])

    def emit_line(self, line: list[tuple[str, bool, bool]], ctx: Context, headable: bool) -> None:
        text = "".join(p[0] for p in line)
        self.emit(
            "block", text, kind=ctx.kind, bold=_line_bold(line), headable=headable, faq=ctx.faq
        )


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
        elif isinstance(node.tag, str) and node.tag not in SKIP_TAGS and not hidden(node):
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

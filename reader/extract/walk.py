"""The first pass of the sections builder: the tree in document order as a flat stream of
`Item`s (headings, blocks, questions, group marks)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from lxml import etree

from reader.extract.codelines import code_text
from reader.extract.html_rules import image_alt, is_bold, is_hidden
from reader.extract.items import MARKER, Item, is_pseudo_heading_text, is_question_text
from reader.extract.markup import (
    BLOCK_TAGS,
    CONTROL_TAGS,
    HEADABLE_PARENTS,
    HEADING_TAGS,
    SKIP_TAGS,
    faq_role,
    is_layout_table,
    row_cells,
    table_rows,
)
from reader.extract.tables import Cell, read_table
from reader.model import Group, GroupKind, Place
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
    within: tuple[Group, ...] = ()  # the lists, tables and quotes around, outermost first
    place: Place | None = None  # Place(within), shared by the plain blocks in them


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
        self.groups = 0  # lists, tables and quotes met so far (their ids)
        # The list item being walked and its number, until its first block takes it.
        self.numbering: tuple[Group, int] | None = None

    # -- helpers ------------------------------------------------------------

    def emit(self, type_: str, text: str = "", **kw: object) -> None:
        text = one_line(text)
        if type_ in ("group_start", "group_end") or text:
            self.items.append(Item(type_, text, **kw))  # type: ignore[arg-type]

    def emit_block(self, text: str, ctx: Context, **kw: object) -> None:
        """A block in `ctx`: it sits where ctx is (and may take a list item's number)."""
        text = one_line(text)
        if text:
            self.items.append(Item("block", text, place=self.place(ctx), **kw))  # type: ignore[arg-type]

    def place(self, ctx: Context) -> Place | None:
        """The place of the next block: a list item's first block also carries its number."""
        numbering = self.numbering
        if numbering is not None and ctx.within and ctx.within[-1] is numbering[0]:
            self.numbering = None
            return Place(ctx.within, number=numbering[1])
        return ctx.place

    def enter(self, ctx: Context, kind: GroupKind, **facts: object) -> tuple[Context, Group]:
        """`ctx` inside a new list, table or quote."""
        self.groups += 1
        depth = sum(1 for g in ctx.within if g.kind == kind)
        group = Group(kind, self.groups, depth, **facts)  # type: ignore[arg-type]
        within = (*ctx.within, group)
        return replace(ctx, within=within, place=Place(within)), group

    def plain_text(self, el: etree._Element) -> str:
        """All visible text under `el`, with block boundaries and <br> as spaces."""
        parts: list[str] = []
        self._collect(el, parts)
        return one_line(" ".join(parts))

    def _collect(self, el: etree._Element, parts: list[str]) -> None:
        if not isinstance(el.tag, str) or el.tag in SKIP_TAGS or is_hidden(el):
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
        if not isinstance(tag, str) or tag in SKIP_TAGS or is_hidden(el):
            return
        if ctx.depth > MAX_DEPTH:
            self.emit_block(_flat_text(el), ctx, kind=ctx.kind, faq=ctx.faq)
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

    def bare_paragraph(self, el: etree._Element, ctx: Context) -> list[str] | None:
        """Most of a page: a bare <p> of text. What `walk` makes of it, without its costs per
        element (500 000 on a huge page): a "block" item, gathered with the bare paragraphs
        just before it into a "paragraphs" item, whose texts it returns (if it made one)."""
        text = one_line(el.text or "")  # (hands settled text straight back)
        if not text:
            return None
        kind, faq, items = ctx.kind, ctx.faq, self.items
        headable = kind == "paragraph"
        if self.numbering is not None:  # a list item's first block may take its number
            place = self.place(ctx)
            items.append(Item("block", text, kind, headable=headable, faq=faq, place=place))
            return None
        last = items[-1] if items else None
        if (
            last is not None
            and last.type == "paragraphs"
            and last.place is ctx.place
            and last.kind == kind
            and last.faq == faq
        ):
            last.texts.append(text)  # type: ignore[union-attr]
            return last.texts
        texts = [text]
        items.append(
            Item("paragraphs", "", kind, headable=headable, faq=faq, place=ctx.place, texts=texts)
        )
        return texts

    def dispatch(self, el: etree._Element, ctx: Context) -> None:
        tag = el.tag
        if tag in HEADING_TAGS:
            self.heading(el, ctx)
        elif tag == "pre" and ctx.kind != "answer":
            self.code(el, ctx)
        elif tag == "img":
            alt = image_alt(el)
            if alt:
                kind = "answer" if ctx.kind == "answer" else "image"
                self.emit_block(alt, ctx, kind=kind)
        elif tag == "table" and not is_layout_table(el):
            self.table(el, ctx)
        elif tag in ("ul", "ol") and ctx.kind != "answer":
            self.listing(el, ctx)
        elif tag == "blockquote" and ctx.kind not in ("answer", "list_item"):
            inner, _ = self.enter(replace(ctx, kind="quote"), "quote")
            self.container(el, inner)
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

    def listing(self, el: etree._Element, ctx: Context) -> None:
        """A <ul> or <ol>: each <li> an item; the list knows how many said something."""
        ordered = el.tag == "ol"
        inner, group = self.enter(replace(ctx, kind="list_item"), "list", ordered=ordered)
        items = [c for c in el if isinstance(c.tag, str) and c.tag == "li"]
        step = -1 if ordered and el.get("reversed") is not None else 1
        number = _integer(el.get("start")) if ordered else None
        if number is None:
            number = len(items) if step < 0 else 1
        said = 0
        for child in el:
            if not (isinstance(child.tag, str) and child.tag == "li"):
                self.walk(child, ctx)  # broken markup (<ul><p>): not an item
                continue
            if ordered:
                value = _integer(child.get("value"))
                number = number if value is None else value
            self.numbering = (group, number if ordered else said + 1)
            self.container(child, inner)
            said += self.numbering is None  # its first block took the number
            self.numbering = None
            number += step
        group.size = said

    def code(self, el: etree._Element, ctx: Context) -> None:
        """A code block stays whole, one line per line, so speech never splits it at dots."""
        lines = []
        for line in code_text(el).expandtabs(4).splitlines():
            indent = len(line) - len(line.lstrip(" "))
            if one_line(line):  # keep the indentation: in code it carries meaning
                lines.append(" " * indent + one_line(line))
        text = "\n".join(lines)
        if text:
            self.items.append(Item("block", text, kind="code", place=self.place(ctx)))

    def table(self, el: etree._Element, ctx: Context) -> None:
        if ctx.kind == "answer":  # an answer is one run of text: its table's rows join it
            self.captions(el, ctx)
            for row in table_rows(el):
                cells = [self.plain_text(c) for c in row_cells(row)]
                self.emit("block", "; ".join(c for c in cells if c), kind="answer", faq=ctx.faq)
            return
        rows, columns = read_table([self.table_cells(row) for row in table_rows(el)])
        rows = [row for row in rows if any(row.cells)]
        if not rows:
            self.captions(el, ctx)
            return
        inner, group = self.enter(ctx, "table", columns=columns)
        self.captions(el, inner)  # inside: "Table, 3 rows, 2 columns." then its caption
        for row in rows:
            group.size += not row.header_row
            place = Place(
                inner.within,
                row=0 if row.header_row else group.size,
                cells=row.cells,
                headers=row.headers,
                row_header=row.row_header,
                new_headers=row.new_headers,
            )
            text = "; ".join(c for c in row.cells if c)
            self.emit("block", text, kind="table_row", faq=ctx.faq, place=place)

    def captions(self, el: etree._Element, ctx: Context) -> None:
        for caption in el.iterchildren("caption"):
            self.emit_block(self.plain_text(caption), ctx, kind=ctx.kind, faq=ctx.faq)

    def table_cells(self, row: etree._Element) -> tuple[list[Cell], bool]:
        """A <tr>'s cells as `tables` reads them, and whether it is in <thead>."""
        cells = [
            Cell(
                self.plain_text(c),
                header=c.tag == "th",
                scope=(c.get("scope") or "").strip().lower(),
                span=_integer(c.get("colspan")) or 1,
                down=_integer(c.get("rowspan")) or 1,
                bold=_all_bold(c),
            )
            for c in row_cells(row)
        ]
        parent = row.getparent()
        return cells, parent is not None and parent.tag == "thead"

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
        items = self.items
        texts: list[str] | None = None  # the run of bare paragraphs `items` ends with
        for child in el:
            if child is skip:
                run.add(child.tail, bold, False)
                continue
            if bare and child.tag == "p" and not len(child) and not child.attrib:
                # A bare <p>, as `walk` would: settled text joins this loop's run (no tail between)
                text = child.text
                if texts and text and not run.pieces and items[-1].texts is texts and settled(text):
                    texts.append(text)
                else:
                    if run.pieces:
                        self.flush(run, el, ctx)
                        run = _Run()
                    texts = self.bare_paragraph(child, ctx)
            elif self.is_block(child):
                self.flush(run, el, ctx)
                run = _Run()
                self.walk(child, ctx)
            else:
                self.inline_element(child, run, bold, False)
            if child.tail:  # (`run.add`, without a call for the usual child: no tail)
                run.pieces.append((child.tail, bold, False))
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
        if not isinstance(tag, str) or tag in SKIP_TAGS or tag in CONTROL_TAGS or is_hidden(el):
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
        self.emit_block(
            text, ctx, kind=ctx.kind, bold=_line_bold(line), headable=headable, faq=ctx.faq
        )


def _integer(value: str | None) -> int | None:
    """An attribute as a whole number (start, value, colspan), None when it is not one."""
    try:
        return int((value or "").strip())
    except ValueError:
        return None


def _all_bold(el: etree._Element) -> bool:
    """All of a cell's text is bold (<td><b>Drug</b></td>): a header row's usual disguise."""
    if is_bold(el):
        return True
    children = [c for c in el if isinstance(c.tag, str)]
    if not children or (el.text or "").strip():
        return False
    return all(_all_bold(c) and not (c.tail or "").strip() for c in children)


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

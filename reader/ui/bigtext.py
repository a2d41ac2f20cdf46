"""Large print: a passage drawn in big, solid block glyphs, wrapped to a width, one word marked.

API for the app::

    text = render_big(passage, level, width, highlight=(start, end))   # rich.text.Text
    layout = layout_big(passage, level, width, highlight)               # .text .rows .highlight_row
    line_height(level)   # cells per wrapped line (glyph rows + the marker row)

* ``level`` 1 returns the plain passage (Textual wraps it); levels 2-5 draw glyphs
  ``GLYPH_HEIGHTS`` = 3, 5, 7, 9 cells tall, each line followed by one marker row, so a line takes
  ``line_height(level)`` = 4, 6, 8, 10 rows. Levels outside 1..5 are clamped.
* ``width`` is in terminal cells; no line is ever wider. Lines break between words; a word wider
  than a whole line is broken between letters. If even one glyph cannot fit, the level steps down
  until it does (level 1 at worst).
* ``highlight`` is a half-open character span ``(start, end)`` into ``passage`` -- the word being
  spoken (for a speech mark: ``(offset, offset + length)``). It is drawn in reverse video *and*
  with a solid bar in the marker row beneath it, so it does not rely on colour; at level 1 it is
  reverse + underline + bold.
* The Text carries no colours: the widget's own ``color``/``background`` (``$reader-text`` on
  ``$reader-background``) are used, and reverse swaps them, so theme contrast holds.

Glyphs: levels 3-5 scale the bitmap font behind pyfiglet's ``mono12`` (about 2,990 characters:
Latin with accents, Greek, Cyrillic, Armenian, kana, symbols) to 10, 14 and 18 pixel rows and draw
two pixel rows per cell with the half blocks ``▀ ▄ █``. Level 2 (6 pixel rows) uses the hand-made
``3x5`` font, doubled in width so strokes are solid. A character a font lacks (e.g. Chinese, Arabic,
emoji, or non-ASCII at level 2) is drawn as the ordinary character, bold, centred in the line --
nothing is dropped. Glyph renders are cached; page text is untrusted, so control characters are
removed (Rich markup is never parsed: the result is built from plain strings).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

import pyfiglet
from rich.cells import cell_len
from rich.style import Style
from rich.text import Span, Text

MIN_LEVEL = 1
MAX_LEVEL = 5
GLYPH_HEIGHTS = {2: 3, 3: 5, 4: 7, 5: 9}  # cells
LETTER_GAP = {2: 1, 3: 1, 4: 2, 5: 2}  # blank columns between letters
WORD_GAP = {2: 3, 3: 4, 4: 5, 5: 6}  # columns for a space

HIGHLIGHT = Style(reverse=True)
MARKER = "▀"  # the bar beneath the spoken word
FALLBACK_STYLE = Style(bold=True)
PLAIN_HIGHLIGHT = Style(reverse=True, underline=True, bold=True)

BIG_FONT = "mono12"  # 20 pixel rows per glyph; rows 0-17 hold accents to descenders
BIG_ROWS = slice(0, 18)
SMALL_FONT = "3x5"  # 6 rows (top row blank), for level 2
INK_THRESHOLD = 0.3  # share of a scaled pixel that must be ink: keeps thin strokes when shrinking

Bitmap = tuple[tuple[int, ...], ...]


@dataclass(frozen=True)
class Glyph:
    rows: tuple[str, ...]  # GLYPH_HEIGHTS[level] strings, all `width` cells wide
    width: int
    fallback: bool = False  # drawn as the ordinary character


@dataclass(frozen=True)
class BigLayout:
    text: Text
    rows: int  # total rows in `text`
    highlight_row: int | None  # first row of the line holding the highlight, for scrolling
    level: int  # the level actually drawn (lower than asked when the width is tiny)


def line_height(level: int) -> int:
    """Rows one wrapped line takes at `level` (glyphs + marker row); 1 for level 1."""
    level = _clamp(level)
    return 1 if level == 1 else GLYPH_HEIGHTS[level] + 1


def render_big(text: str, level: int, width: int, highlight: tuple[int, int] | None = None) -> Text:
    """`text` in big glyphs for `level` (2-5), wrapped to `width` cells; level 1: plain text.

    `highlight` is a half-open (start, end) character span of `text` to mark. See the module
    docstring for the details.
    """
    return layout_big(text, level, width, highlight).text


def layout_big(
    text: str, level: int, width: int, highlight: tuple[int, int] | None = None
) -> BigLayout:
    """Like `render_big`, also telling how many rows were drawn and where the highlight is."""
    level = _clamp(level)
    units = _units(text)
    if level > 1:
        level = _fitting_level(units, level, max(1, width))
    if level == 1:
        return _plain(units, highlight)
    return _big(units, level, max(1, width), highlight)


def preload() -> None:
    """Load the fonts now (about 0.1 s) rather than on the first large-print render."""
    _font(BIG_FONT)
    _font(SMALL_FONT)


# ---------------------------------------------------------------- text -> units


@dataclass(frozen=True)
class _Unit:
    text: str  # one user-perceived character (NFC), or " " for any whitespace
    start: int  # span in the original text
    end: int


def _units(text: str) -> list[_Unit]:
    """Split into characters (a base + its combining marks), NFC-normalised, whitespace
    collapsed to single spaces, control and format characters removed."""
    units: list[_Unit] = []
    for index, ch in enumerate(text):
        category = unicodedata.category(ch)
        if ch.isspace():
            if units and units[-1].text != " ":
                units.append(_Unit(" ", index, index + 1))
        elif category in ("Cc", "Cf", "Cs", "Co", "Cn"):
            continue
        elif unicodedata.combining(ch) and units and units[-1].text != " ":
            last = units[-1]
            units[-1] = _Unit(unicodedata.normalize("NFC", last.text + ch), last.start, index + 1)
        else:
            units.append(_Unit(ch, index, index + 1))
    while units and units[-1].text == " ":
        units.pop()
    return units


def _clamp(level: int) -> int:
    return min(max(int(level), MIN_LEVEL), MAX_LEVEL)


# ---------------------------------------------------------------- level 1


def _plain(units: list[_Unit], highlight: tuple[int, int] | None) -> BigLayout:
    out = Text(no_wrap=False)
    any_marked = False
    for unit in units:
        marked = highlight is not None and _overlaps(unit, highlight) and unit.text != " "
        any_marked = any_marked or marked
        out.append(unit.text, PLAIN_HIGHLIGHT if marked else None)
    return BigLayout(out, 1 if units else 0, 0 if any_marked else None, 1)


def _overlaps(unit: _Unit, span: tuple[int, int]) -> bool:
    start, end = span
    return unit.start < end and unit.end > start


# ---------------------------------------------------------------- levels 2-5


def _words(units: list[_Unit]) -> list[list[_Unit]]:
    words: list[list[_Unit]] = [[]]
    for unit in units:
        if unit.text == " ":
            words.append([])
        else:
            words[-1].append(unit)
    return [w for w in words if w]


def _fitting_level(units: list[_Unit], level: int, width: int) -> int:
    """The highest level <= `level` at which every single glyph fits in `width`."""
    chars = {u.text for u in units if u.text != " "}
    while level > 1 and any(glyph(ch, level).width > width for ch in chars):
        level -= 1
    return level


def _word_width(word: list[_Unit], level: int) -> int:
    gap = LETTER_GAP[level]
    return sum(glyph(u.text, level).width for u in word) + gap * (len(word) - 1)


def _wrap(words: list[list[_Unit]], level: int, width: int) -> list[list[list[_Unit]]]:
    """Greedy word wrap; words wider than `width` are split between letters."""
    lines: list[list[list[_Unit]]] = []
    current: list[list[_Unit]] = []
    used = 0
    for word in words:
        for piece in _split_word(word, level, width):
            piece_width = _word_width(piece, level)
            extra = piece_width if not current else WORD_GAP[level] + piece_width
            if current and used + extra > width:
                lines.append(current)
                current, used = [], 0
                extra = piece_width
            current.append(piece)
            used += extra
    if current:
        lines.append(current)
    return lines


def _split_word(word: list[_Unit], level: int, width: int) -> list[list[_Unit]]:
    if _word_width(word, level) <= width:
        return [word]
    pieces: list[list[_Unit]] = [[]]
    used = 0
    for unit in word:
        w = glyph(unit.text, level).width
        extra = w if not pieces[-1] else LETTER_GAP[level] + w
        if pieces[-1] and used + extra > width:
            pieces.append([])
            used, extra = 0, w
        pieces[-1].append(unit)
        used += extra
    return pieces


def _big(
    units: list[_Unit], level: int, width: int, highlight: tuple[int, int] | None
) -> BigLayout:
    height = GLYPH_HEIGHTS[level]
    parts: list[str] = []
    spans: list[Span] = []
    offset = 0
    highlight_row: int | None = None
    lines = _wrap(_words(units), level, width)
    for number, line in enumerate(lines):
        drawn = _draw_line(line, level, highlight)
        if drawn.marks and highlight_row is None:
            highlight_row = number * (height + 1)
        for row, row_spans in zip(drawn.rows, drawn.spans, strict=True):
            spans.extend(Span(offset + a, offset + b, style) for a, b, style in row_spans)
            parts.append(row + "\n")
            offset += len(row) + 1
        marker = _marker_row(drawn.marks)
        last = number == len(lines) - 1
        parts.append(marker if last else marker + "\n")
        offset += len(marker) + 1
    text = Text("".join(parts), no_wrap=True, overflow="crop", end="", spans=spans)
    return BigLayout(text, len(lines) * (height + 1), highlight_row, level)


@dataclass
class _Line:
    rows: list[str]
    spans: list[list[tuple[int, int, Style]]]  # per row, in string indexes of that row
    marks: list[tuple[int, int]]  # highlighted cell columns, for the marker row


def _draw_line(line: list[list[_Unit]], level: int, highlight: tuple[int, int] | None) -> _Line:
    """Draw one wrapped line. Rows may differ in string length (a wide fallback character is one
    string index but two cells), so positions are tracked per row and, for the marker, in cells.
    """
    height = GLYPH_HEIGHTS[level]
    parts: list[list[str]] = [[] for _ in range(height)]
    lengths = [0] * height
    spans: list[list[tuple[int, int, Style]]] = [[] for _ in range(height)]
    marks: list[tuple[int, int]] = []
    column = 0
    for word_index, word in enumerate(line):
        previous_marked = False
        for unit_index, unit in enumerate(word):
            gap = (WORD_GAP if unit_index == 0 else LETTER_GAP)[level]
            gap = gap if (word_index or unit_index) else 0
            g = glyph(unit.text, level)
            marked = highlight is not None and _overlaps(unit, highlight)
            for i in range(height):
                start = lengths[i]
                parts[i].append(" " * gap + g.rows[i])
                glyph_start = start + gap
                lengths[i] = glyph_start + len(g.rows[i])
                if marked:
                    span_start = start if previous_marked else glyph_start
                    spans[i].append((span_start, lengths[i], HIGHLIGHT))
                if g.fallback and i == height // 2:
                    spans[i].append((glyph_start, lengths[i], FALLBACK_STYLE))
            if marked:
                _extend(marks, column if previous_marked else column + gap, column + gap + g.width)
            column += gap + g.width
            previous_marked = marked
    return _Line(["".join(p) for p in parts], spans, marks)


def _extend(marks: list[tuple[int, int]], start: int, end: int) -> None:
    if marks and marks[-1][1] >= start:
        marks[-1] = (marks[-1][0], end)
    else:
        marks.append((start, end))


def _marker_row(marks: list[tuple[int, int]]) -> str:
    """The row beneath a line: a solid bar under the highlighted span(s), else blank."""
    if not marks:
        return ""
    row = ""
    for start, end in marks:
        row += " " * (start - len(row)) + MARKER * (end - start)
    return row


# ---------------------------------------------------------------- glyphs


@cache
def _font(name: str) -> pyfiglet.FigletFont:
    return pyfiglet.FigletFont(name)


@lru_cache(maxsize=8192)
def glyph(ch: str, level: int) -> Glyph:
    """The cached drawing of one character at `level` (2-5)."""
    height = GLYPH_HEIGHTS[level]
    bitmap = _source_bitmap(ch, level)
    if bitmap is None:
        return _fallback(ch, height)
    rows = 2 * height
    scale = rows / len(bitmap)
    columns = max(1, round(len(bitmap[0]) * scale))
    scaled = bitmap if scale == 1 else _scale(bitmap, rows, columns)
    trimmed = _trim_columns(scaled)
    if not trimmed:
        return _fallback(ch, height)
    return Glyph(_half_blocks(trimmed), len(trimmed[0]))


def _source_bitmap(ch: str, level: int) -> Bitmap | None:
    if len(ch) != 1:
        return None  # a character with marks NFC could not combine: draw it as text
    if level == 2:
        lines = _font(SMALL_FONT).chars.get(ord(ch))
        if lines is None:
            return None
        # Doubling every column makes 1-pixel strokes two cells wide: solid, square pixels.
        bitmap = _decode(lines, _font(SMALL_FONT).hardBlank, double=True)
    else:
        lines = _font(BIG_FONT).chars.get(ord(ch))
        if lines is None:
            return None
        bitmap = _decode(lines, _font(BIG_FONT).hardBlank)[BIG_ROWS]
    if not any(any(row) for row in bitmap):
        return None  # a blank drawing for a visible character: the font lacks it really
    return bitmap


_HALF_PIXELS = {"▀": (1, 0), "▄": (0, 1), " ": (0, 0)}


def _decode(lines: list[str], hard_blank: str, double: bool = False) -> Bitmap:
    """Figlet lines -> pixel rows. Half-block fonts hold two pixel rows per line; others
    (e.g. '#' fonts) one pixel per character."""
    half_block = any(c in "▀▄█" for line in lines for c in line)
    pixels: list[tuple[int, ...]] = []
    for line in lines:
        line = line.replace(hard_blank, " ")
        if half_block:
            pairs = [_HALF_PIXELS.get(c, (1, 1)) for c in line]
            pixels.append(tuple(p[0] for p in pairs))
            pixels.append(tuple(p[1] for p in pairs))
        else:
            row = [0 if c == " " else 1 for c in line]
            pixels.append(tuple(v for v in row for _ in range(2 if double else 1)))
    width = max((len(r) for r in pixels), default=0)
    return tuple(r + (0,) * (width - len(r)) for r in pixels)


def _scale(bitmap: Bitmap, rows: int, columns: int) -> Bitmap:
    """Area-weighted resample: a target pixel is ink when at least INK_THRESHOLD of its area is."""
    src_rows, src_cols = len(bitmap), len(bitmap[0])
    row_spans = [_spans(y, rows, src_rows) for y in range(rows)]
    col_spans = [_spans(x, columns, src_cols) for x in range(columns)]
    out = []
    for ys in row_spans:
        line = []
        for xs in col_spans:
            ink = total = 0.0
            for sy, wy in ys:
                src = bitmap[sy]
                for sx, wx in xs:
                    total += wx * wy
                    ink += wx * wy * src[sx]
            line.append(1 if ink >= INK_THRESHOLD * total else 0)
        out.append(tuple(line))
    return tuple(out)


def _spans(index: int, count: int, source: int) -> list[tuple[int, float]]:
    """Source pixels covered by target pixel `index` of `count`, with their overlap weights."""
    lo, hi = index * source / count, (index + 1) * source / count
    first, last = int(lo), min(source - 1, int(hi - 1e-9))
    return [(s, min(hi, s + 1) - max(lo, s)) for s in range(first, last + 1)]


def _trim_columns(bitmap: Bitmap) -> Bitmap:
    """Drop blank columns on both sides (proportional spacing reads better, fits more)."""
    inked = [x for x in range(len(bitmap[0])) if any(row[x] for row in bitmap)]
    if not inked:
        return ()
    lo, hi = inked[0], inked[-1] + 1
    return tuple(row[lo:hi] for row in bitmap)


def _half_blocks(bitmap: Bitmap) -> tuple[str, ...]:
    chars = " ▀▄█"
    rows = []
    for y in range(0, len(bitmap), 2):
        top, bottom = bitmap[y], bitmap[y + 1]
        rows.append("".join(chars[t + 2 * b] for t, b in zip(top, bottom, strict=True)))
    return tuple(rows)


def _fallback(ch: str, height: int) -> Glyph:
    """The ordinary character, centred vertically; padded so every row has the same cells."""
    cells = max(1, cell_len(ch))
    rows = [" " * cells] * height
    middle = height // 2
    rows[middle] = ch + " " * (cells - cell_len(ch))
    return Glyph(tuple(rows), cells, fallback=True)

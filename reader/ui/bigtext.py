"""Large print that reads like a large-print book: a passage in big letters drawn from a
hyperlegible font, wrapped to a width in whole lines with room between them, one word marked.

API for the app::

    text = render_big(passage, level, width, highlight=(start, end))   # rich.text.Text
    layout = layout_big(passage, level, width, highlight, language="de", height=20)
    line_height(level)   # rows one wrapped line takes, spacing included
    use_cells(settings.glyph_cells)   # sextants, quadrants or half blocks ("auto": see glyphs)

* ``level`` 1 returns the plain passage (Textual wraps it); levels 2-5 draw letters
  ``GLYPH_HEIGHTS`` = 4, 5, 7, 9 cells tall from Atkinson Hyperlegible (see ``glyphs``). Levels
  outside 1..5 are clamped.
* A line is a blank margin row, the glyph rows, a margin row, the marker row and blank rows, so
  that at least half a line's height separates the letters of two lines (WCAG 1.4.8's 1.5 line
  spacing): ``line_height(level)`` = 7, 8, 11, 14 rows. Every line starts at a multiple of it, so a
  scroller ``k * line_height`` rows tall shows whole lines only.
* ``width`` is in terminal cells; no line is ever wider (one cell of margin each side). Lines
  break between words; a word too long for a line of its own is broken at a syllable boundary
  (pyphen's patterns for ``language``) with a hyphen drawn, or after a hyphen it already has;
  only a syllable wider than a line is broken between letters (still with a hyphen). If even one
  glyph cannot fit, or ``height`` rows cannot hold one whole line, the level steps down until it
  does (level 1 at worst).
* ``highlight`` is a half-open character span ``(start, end)`` into ``passage`` -- the word being
  spoken (for a speech mark: ``(offset, offset + length)``). It is drawn in reverse video over
  the glyphs plus one cell of margin all round (so "hours" does not read as "nours"), *and* with a
  solid bar in the marker row beneath, so it does not rely on colour; at level 1 it is reverse +
  underline + bold.
* The Text carries no colours: the widget's own ``color``/``background`` (``$reader-text`` on
  ``$reader-background``) are used, and reverse swaps them, so theme contrast holds.

Characters Atkinson Hyperlegible lacks (Greek, Cyrillic, Armenian, kana, many symbols) are drawn
at levels 3-5 from the bitmap font behind pyfiglet's ``mono12``, scaled to the same height; what
neither has (Chinese, Arabic, emoji) is drawn as the ordinary character, bold, centred in the
line -- nothing is dropped. Glyph drawings are cached; page text is untrusted, so control
characters are removed (Rich markup is never parsed: the result is built from plain strings).
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

import pyphen
from rich.cells import cell_len
from rich.style import Style
from rich.text import Span, Text

from reader.ui import glyphs, pixelfont

MIN_LEVEL = 1
MAX_LEVEL = 5
GLYPH_HEIGHTS = {2: 4, 3: 5, 4: 7, 5: 9}  # cells
LETTER_GAP = {2: 1, 3: 1, 4: 1, 5: 2}  # blank columns between letters: "rn" never reads "m"
WORD_GAP = {2: 3, 3: 3, 4: 4, 5: 5}  # columns for a space
MARGIN = 1  # blank cells round every line: the highlight's margin
HYPHEN = "-"

HIGHLIGHT = Style(reverse=True)
MARKER = "▀"  # the bar beneath the spoken word
FALLBACK_STYLE = Style(bold=True)
PLAIN_HIGHLIGHT = Style(reverse=True, underline=True, bold=True)


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
    """Rows one wrapped line takes at `level`, spacing included; 1 for level 1."""
    level = _clamp(level)
    if level == 1:
        return 1
    height = GLYPH_HEIGHTS[level]
    # Margin, glyphs, margin, marker; then blank rows until half a line separates the glyphs.
    return height + 3 + _extra_rows(height)


def _extra_rows(height: int) -> int:
    return max(0, math.ceil(height / 2) - 3)


def render_big(text: str, level: int, width: int, highlight: tuple[int, int] | None = None) -> Text:
    """`text` in big glyphs for `level` (2-5), wrapped to `width` cells; level 1: plain text.

    `highlight` is a half-open (start, end) character span of `text` to mark. See the module
    docstring for the details.
    """
    return layout_big(text, level, width, highlight).text


def layout_big(
    text: str,
    level: int,
    width: int,
    highlight: tuple[int, int] | None = None,
    language: str | None = None,
    height: int | None = None,
) -> BigLayout:
    """Like `render_big`, also telling how many rows were drawn and where the highlight is.
    `language` chooses the hyphenation patterns; `height` (rows) must hold one whole line."""
    level = _clamp(level)
    units = _units(text)
    if level > 1:
        level = _fitting_level(units, level, max(1, width), height)
    if level == 1:
        return _plain(units, highlight)
    return _big(units, level, max(1, width), highlight, language or "en")


def preload() -> None:
    """Load the fonts and draw the alphabet at every level now rather than on the first
    large-print render."""
    pixelfont.load()
    for level in GLYPH_HEIGHTS:
        for ch in "abcdefghijklmnopqrstuvwxyz":
            glyph(ch, level)
    _hyphenator("en")


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


# ---------------------------------------------------------------- wrapping and hyphenation

Piece = list[_Unit]  # letters drawn together; may end in a drawn hyphen


def _words(units: list[_Unit]) -> list[Piece]:
    words: list[Piece] = [[]]
    for unit in units:
        if unit.text == " ":
            words.append([])
        else:
            words[-1].append(unit)
    return [w for w in words if w]


def _fitting_level(units: list[_Unit], level: int, width: int, height: int | None) -> int:
    """The highest level <= `level` at which every single glyph (with a hyphen) fits in
    `width`, and one whole line in `height` rows."""
    chars = {u.text for u in units if u.text != " "}
    while level > 1:
        room = width - 2 * MARGIN
        widest = max((glyph(ch, level).width for ch in chars), default=0)
        fits = widest <= room
        if height is not None and line_height(level) > height:
            fits = False
        if fits:
            break
        level -= 1
    return level


def _piece_width(piece: Piece, level: int) -> int:
    gap = LETTER_GAP[level]
    return sum(glyph(u.text, level).width for u in piece) + gap * (len(piece) - 1)


def _wrap(words: list[Piece], level: int, width: int, language: str) -> list[list[Piece]]:
    """Greedy word wrap. A word that cannot fit a line on its own is broken at syllables,
    filling what is left of the current line first."""
    room = width - 2 * MARGIN
    lines: list[list[Piece]] = [[]]
    used = 0
    for word in words:
        rest = word
        while rest:
            fresh = not lines[-1]
            gap = 0 if fresh else WORD_GAP[level]
            whole = _piece_width(rest, level)
            if used + gap + whole <= room:
                lines[-1].append(rest)
                used += gap + whole
                break
            if whole > room:  # too long for any line: as much as fits here, then on
                head, rest = _break(rest, level, room - used - gap, language, fresh)
                if head:
                    lines[-1].append(head)
            lines.append([])
            used = 0
    return [line for line in lines if line]


def _break(word: Piece, level: int, room: int, language: str, fresh: bool) -> tuple[Piece, Piece]:
    """The longest head of `word` that fits `room` cells, broken at a syllable (with a drawn
    hyphen) or after a hyphen it has, and the rest. On a `fresh` (empty) line a syllable wider
    than the line is broken between letters, still with a hyphen."""
    for cut in reversed(_break_points(word, language)):
        head = _head(word, cut)
        if _piece_width(head, level) <= room:
            return head, word[cut:]
    if not fresh:
        return [], word  # start a new line and try again there
    for cut in range(len(word) - 1, 0, -1):
        head = _head(word, cut)
        if _piece_width(head, level) <= room:
            return head, word[cut:]
    return word[:1], word[1:]  # one glyph alone (the level was chosen so that it fits)


def _head(word: Piece, cut: int) -> Piece:
    head = word[:cut]
    if head[-1].text in ("-", "‐", "–"):
        return head
    last = head[-1]
    return [*head, _Unit(HYPHEN, last.start, last.end)]


def _break_points(word: Piece, language: str) -> list[int]:
    """Unit indexes a word may be broken before: after a hyphen it has, and at syllables."""
    points = {i + 1 for i, u in enumerate(word[:-1]) if u.text in ("-", "‐", "–")}
    text = "".join(u.text for u in word)
    if language and all(len(u.text) == 1 for u in word):
        dictionary = _hyphenator(language)
        if dictionary is not None:
            points.update(p for p in dictionary.positions(text) if 0 < p < len(word))
    return sorted(points)


@cache
def _hyphenator(language: str) -> pyphen.Pyphen | None:
    """pyphen's patterns for a language tag ("en-GB", "de"), or None when it has none."""
    name = pyphen.language_fallback(language.replace("-", "_"))
    return pyphen.Pyphen(lang=name) if name else None


# ---------------------------------------------------------------- drawing


def _big(
    units: list[_Unit],
    level: int,
    width: int,
    highlight: tuple[int, int] | None,
    language: str,
) -> BigLayout:
    pitch = line_height(level)
    rows: list[str] = []
    spans: list[Span] = []
    offset = 0
    highlight_row: int | None = None
    lines = _wrap(_words(units), level, width, language)
    for number, line in enumerate(lines):
        drawn = _draw_line(line, level, highlight)
        if drawn.marks and highlight_row is None:
            highlight_row = number * pitch
        for row, row_spans in zip(drawn.rows, drawn.spans, strict=True):
            spans.extend(Span(offset + a, offset + b, style) for a, b, style in row_spans)
            rows.append(row)
            offset += len(row) + 1
    text = Text("\n".join(rows), no_wrap=True, overflow="crop", end="", spans=spans)
    return BigLayout(text, len(rows), highlight_row, level)


@dataclass
class _Line:
    rows: list[str]  # every row of the line: margin, glyphs, margin, marker, blank
    spans: list[list[tuple[int, int, Style]]]  # per row, in string indexes of that row
    marks: list[tuple[int, int]]  # highlighted cell columns, margins included


def _draw_line(line: list[Piece], level: int, highlight: tuple[int, int] | None) -> _Line:
    """Draw one wrapped line. Glyph rows may differ in string length (a wide fallback character
    is one string index but two cells), so positions are tracked per row and, for the margin
    and marker rows, in cells."""
    height = GLYPH_HEIGHTS[level]
    parts: list[list[str]] = [[" " * MARGIN] for _ in range(height)]
    lengths = [MARGIN] * height
    spans: list[list[tuple[int, int, Style]]] = [[] for _ in range(height)]
    marks: list[tuple[int, int]] = []
    column = MARGIN
    for piece_index, piece in enumerate(line):
        previous_marked = False
        for unit_index, unit in enumerate(piece):
            gap = (WORD_GAP if unit_index == 0 else LETTER_GAP)[level]
            gap = gap if (piece_index or unit_index) else 0
            g = glyph(unit.text, level)
            marked = highlight is not None and _overlaps(unit, highlight)
            for i in range(height):
                start = lengths[i]
                parts[i].append(" " * gap + g.rows[i])
                glyph_start = start + gap
                lengths[i] = glyph_start + len(g.rows[i])
                if marked:
                    span_start = start if previous_marked else glyph_start - MARGIN
                    spans[i].append((span_start, lengths[i] + MARGIN, HIGHLIGHT))
                if g.fallback and i == height // 2:
                    spans[i].append((glyph_start, lengths[i], FALLBACK_STYLE))
            if marked:
                first = column if previous_marked else column + gap - MARGIN
                _extend(marks, first, column + gap + g.width + MARGIN)
            column += gap + g.width
            previous_marked = marked
    glyph_rows = ["".join(p) for p in parts]
    if marks and marks[-1][1] > column:  # the highlight's right margin at the line's end
        glyph_rows = [row + " " * MARGIN for row in glyph_rows]
    margin_row, margin_spans = _margin_row(marks)
    rows = [margin_row, *glyph_rows, margin_row, _marker_row(marks)]
    rows += [""] * _extra_rows(height)
    all_spans = [margin_spans, *spans, margin_spans, []] + [[] for _ in range(_extra_rows(height))]
    return _Line(rows, all_spans, marks)


def _extend(marks: list[tuple[int, int]], start: int, end: int) -> None:
    if marks and marks[-1][1] >= start:
        marks[-1] = (marks[-1][0], end)
    else:
        marks.append((start, end))


def _margin_row(marks: list[tuple[int, int]]) -> tuple[str, list[tuple[int, int, Style]]]:
    """The blank row above or below the glyphs: reverse video over the highlight's columns."""
    if not marks:
        return "", []
    return " " * marks[-1][1], [(start, end, HIGHLIGHT) for start, end in marks]


def _marker_row(marks: list[tuple[int, int]]) -> str:
    """The row beneath a line: a solid bar under the highlighted span(s), else blank."""
    row = ""
    for start, end in marks:
        row += " " * (start - len(row)) + MARKER * (end - start)
    return row


# ---------------------------------------------------------------- glyphs


_choice = ["auto"]  # the glyph_cells setting, see use_cells


def use_cells(choice: str) -> None:
    """Draw with the `glyph_cells` setting ("auto", "sextants", "quadrants", "halves"; see
    glyphs.terminal_cells) from now on: the app calls this at start and when it changes."""
    if choice != _choice[0]:
        _choice[0] = choice
        _cells.cache_clear()
        glyph.cache_clear()


@cache
def _cells() -> glyphs.Cells:
    return glyphs.terminal_cells(_choice[0])


@lru_cache(maxsize=8192)
def glyph(ch: str, level: int) -> Glyph:
    """The cached drawing of one character at `level` (2-5): Atkinson Hyperlegible, else
    mono12 (levels 3-5), else the character itself."""
    height = GLYPH_HEIGHTS[level]
    cells = _cells()
    drawn = glyphs.draw(ch, height, cells) if len(ch) == 1 else None
    if drawn is not None:
        return Glyph(drawn, cell_len(drawn[0]))
    # (marks NFC could not combine, and level 2, are drawn as text)
    bitmap = pixelfont.bitmap(ch) if len(ch) == 1 and level > 2 else None
    if bitmap is None:
        return _fallback(ch, height)
    rows = cells.down * height
    # Square source pixels; ours are 2 / down cell widths tall and 1 / across wide.
    columns = max(1, round(len(bitmap[0]) * rows / len(bitmap) * cells.across * 2 / cells.down))
    trimmed = pixelfont.trim_columns(pixelfont.scale(bitmap, rows, columns))
    if not trimmed:
        return _fallback(ch, height)
    drawn = glyphs.to_cells([list(r) for r in trimmed], cells)
    return Glyph(drawn, cell_len(drawn[0]))


def _fallback(ch: str, height: int) -> Glyph:
    """The ordinary character, centred vertically; padded so every row has the same cells."""
    cells = max(1, cell_len(ch))
    rows = [" " * cells] * height
    middle = height // 2
    rows[middle] = ch + " " * (cells - cell_len(ch))
    return Glyph(tuple(rows), cells, fallback=True)

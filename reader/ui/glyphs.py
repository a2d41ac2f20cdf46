"""One character drawn in terminal cells, rasterised from Atkinson Hyperlegible.

The Braille Institute designed Atkinson Hyperlegible so that the letters low-vision readers
confuse (a/e/o/c, I/l/1, O/0, S/5, B/8, rn/m) stay distinct; it is OFL-1.1 licensed and comes from
PyPI as ``fontpkg-atkinson-hyperlegible``. Pillow draws a glyph eight times oversampled, the image
is averaged down to the cell grid and thresholded:

* sextants (U+1FB00-1FB3B, with ``▌ ▐ █``): two pixels across, three down -- the finest cut,
  where the terminal draws them (see ``terminal_cells``);
* quadrant blocks (``▘ ▝ ▖ ▗ ▚ ▞ ▙ ▛ ▜ ▟``, plus ``▌ ▐``): two pixels across, two down, for rounder
  bowls and diagonals than
* half blocks (``▀ ▄ █``): one pixel across, two down (the Linux console, whose fonts lack the
  others).

The cut is the ``glyph_cells`` setting, "auto" by default; ``READER_BLOCKS=sextants|quadrants|
half`` chooses it for one run.

Strokes are never thinner than one cell's width: a vertical stroke one pixel wide (half a cell)
is widened to two, and a horizontal stroke is at least one pixel of half blocks or quadrants (half
a cell tall, the same length on screen as a cell's width) or two of sextants (one is a third of
a cell tall: two thirds of a width).

Vertical frame, for ``rows`` pixel rows (two per cell): the x-height takes 57 % of them (rounded
up: 5, 6, 8, 11 rows of 8, 10, 14, 18) and sets the scale; capitals stand at that scale; the
descenders get the bottom cell (or what the capitals leave: one row at 8). Lowercase ascenders
rise to the top of the frame, above the capitals where there is room (levels 4 and 5), as in
screen fonts made for legibility (Verdana, Tahoma): Atkinson's ascenders reach only cap height,
a third of the x-height, so at these sizes "h" was "n" with a one-cell stub. Stretching the band
between x-height and cap height of every lowercase letter (never the x-height band itself) makes
b d f h k l stand out from a c e n o u, l from I and 1, and lifts the dots of i and j clear of
their stems. What sticks out of the frame (accents on capitals, long descenders) is squeezed
into it rather than cut off. Characters the font lacks return None: the caller falls back (see
bigtext).

Sextant frames (``SEXTANT_FRAMES``) go further, for n and h: h is n plus a stem a third of its
width, so the two renders differ in a fifth of their cells (issue 13's measure) only when about
half of h's cell rows lie above n -- ascenders as tall as the x-height, the three equal zones of
handwriting primers. Three rows a cell place the x-height a third of a cell below a cell's top,
which makes that row differ too, so this costs less x-height than in quadrants; it still costs
some: x-heights of 2.33, 2.67, 3.33 and 4 cells at levels 2-5, against 2.5, 3, 4 and 5.5 in
quadrants (benchmarks/largeprint.py prints both). Level 2 keeps its x-height by giving the
descenders a third of a cell.
"""

from __future__ import annotations

import math
import os
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache

import fontpkg_atkinson_hyperlegible as atkinson
from PIL import Image, ImageDraw, ImageFont

FONT_FILE = atkinson.ROOT / "files" / "AtkinsonHyperlegible-Bold.ttf"  # bold: solid strokes
FONT_LICENSE = atkinson.ROOT / "LICENSE"  # OFL-1.1, shipped beside the font
OVERSAMPLE = 8
X_HEIGHT, CAP_HEIGHT = 500, 668  # font units (1000 to the em)
X_SHARE = 0.57  # of the rows: about x-height / (cap height + descender) in this font
INK = 0.5  # share of a pixel that must be covered to be drawn

HALF = " ▀▄█"  # index: top + 2 * bottom
QUADRANTS = " ▘▝▀▖▌▞▛▗▚▐▜▄▙▟█"  # index: top-left 1, top-right 2, bottom-left 4, bottom-right 8
# Index: top-left 1, top-right 2, middle-left 4, middle-right 8, bottom-left 16, bottom-right 32.
# U+1FB00-1FB3B hold every pattern but the four Block Elements already has: blank, the left and
# right halves, full.
SEXTANTS = "".join(
    {0: " ", 21: "▌", 42: "▐", 63: "█"}.get(i, chr(0x1FB00 + i - 1 - (i > 21) - (i > 42)))
    for i in range(64)
)


@dataclass(frozen=True)
class Cells:
    """How a cell is cut into pixels, and the characters drawing each pattern (index: the
    pixels' bits, row by row, left to right)."""

    name: str
    across: int
    down: int
    chars: str


HALVES_CELLS = Cells("halves", 1, 2, HALF)
QUADRANT_CELLS = Cells("quadrants", 2, 2, QUADRANTS)
SEXTANT_CELLS = Cells("sextants", 2, 3, SEXTANTS)
CELLS = {c.name: c for c in (SEXTANT_CELLS, QUADRANT_CELLS, HALVES_CELLS)}

Bitmap = list[list[int]]


CHOICES = ("auto", *CELLS)  # the glyph_cells setting
VTE_SEXTANTS = 6800  # VTE_VERSION of 0.68: draws sextants itself (GNOME Terminal, Tilix...)


def terminal_cells(choice: str = "auto", env: Mapping[str, str] = os.environ) -> Cells:
    """The cut to draw with: READER_BLOCKS (for one run) or the setting `choice`; "auto" takes
    sextants where the terminal is known to draw them itself (fonts seldom have them), half
    blocks on the Linux console, quadrants everywhere else -- the browser included: the
    xterm.js that textual-serve ships draws block elements itself but not sextants."""
    forced = env.get("READER_BLOCKS", "").lower()
    for name in (forced, choice):
        name = {"half": "halves", "quadrant": "quadrants", "sextant": "sextants"}.get(name, name)
        if name in CELLS:
            return CELLS[name]
    term, program = env.get("TERM", ""), env.get("TERM_PROGRAM", "").lower()
    if term == "linux":
        return HALVES_CELLS
    vte = env.get("VTE_VERSION", "")
    if (
        term in ("xterm-kitty", "xterm-ghostty")
        or term.startswith("foot")
        or program in ("wezterm", "ghostty")
        or (vte.isdigit() and int(vte) >= VTE_SEXTANTS)
    ):
        return SEXTANT_CELLS
    return QUADRANT_CELLS


@dataclass(frozen=True)
class Frame:
    scale: float  # pixels per font unit
    x_rows: int  # the x-height, in pixel rows
    top: int  # pixel rows above the baseline: where ascenders reach, accents are squeezed into


# Sextant frames, pixel rows -> (x-height, rows above the baseline), the largest x-heights that
# keep n/h and every other confusable pair 20 % apart (measured over every split of the rows,
# benchmarks/largeprint.py); see the module docstring.
SEXTANT_FRAMES = {12: (7, 11), 15: (8, 12), 21: (10, 18), 27: (12, 24)}


def frame(rows: int, down: int = 2) -> Frame:
    """The vertical frame of a glyph `rows` pixels tall, `down` pixels to a cell (see the
    module docstring)."""
    if down == 3 and rows in SEXTANT_FRAMES:
        x_rows, top = SEXTANT_FRAMES[rows]
        return Frame(x_rows / X_HEIGHT, x_rows, top)
    x_rows = math.ceil(X_SHARE * rows - 1e-9)
    scale = x_rows / X_HEIGHT
    caps = min(rows - 1, math.ceil(CAP_HEIGHT * scale - 0.05))
    return Frame(scale, x_rows, max(caps, rows - down))


@cache
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_FILE), size)


@cache
def _notdef(size: int) -> bytes:
    """The font's drawing for a character it lacks (an empty box), to recognise missing ones."""
    return bytes(_font(size).getmask("\U000f0000"))


@lru_cache(maxsize=4096)
def has_glyph(ch: str, size: int = 24) -> bool:
    """Whether the font draws `ch` (checked small: the answer is the same at every size)."""
    font = _font(size)
    return len(ch) == 1 and ch.isprintable() and bytes(font.getmask(ch)) != _notdef(size)


@lru_cache(maxsize=8192)
def draw(ch: str, cell_rows: int, cells: Cells = QUADRANT_CELLS) -> tuple[str, ...] | None:
    """`ch` as `cell_rows` strings of block characters, blank side columns trimmed; None when
    the font lacks it or it has no ink."""
    rows = cells.down * cell_rows
    fit = frame(rows, cells.down)
    size = max(4, round(1000 * fit.scale * OVERSAMPLE))
    if not has_glyph(ch):
        return None
    drawn = _baseline_image(ch, size)
    if drawn is None:
        return None
    # A pixel is 2 / down cell widths tall (a cell is two widths tall) and 1 / across wide.
    columns = max(1, round(drawn[0].width / OVERSAMPLE * cells.across * 2 / cells.down))
    lowercase = unicodedata.category(ch) == "Ll"
    bitmap = _threshold(_fit_rows(*drawn, rows, fit, lowercase), columns)
    for _ in range(8):  # each can leave a stroke the other must mend: a few passes settle it
        thickened = cells.down > 2 and _thicken_thin_bars(bitmap, fit.top - fit.x_rows // 2)
        widened = cells.across > 1 and _widen_thin_strokes(bitmap)
        if not (thickened or widened):
            break
    bitmap = _trim(bitmap)
    if not bitmap:
        return None
    return to_cells(bitmap, cells)


def _baseline_image(ch: str, size: int) -> tuple[Image.Image, int] | None:
    """The oversampled drawing, and its baseline (its pixel rows above the baseline)."""
    font = _font(size)
    left, top, right, bottom = font.getbbox(ch, anchor="ls")
    if right <= left or bottom <= top:
        return None
    above, below = max(-top, 0), max(bottom, 0)
    image = Image.new("L", (right - left + 2, above + below), 0)
    ImageDraw.Draw(image).text((1 - left, above), ch, font=font, fill=255, anchor="ls")
    return image, above


def _fit_rows(
    image: Image.Image, baseline: int, rows: int, fit: Frame, lowercase: bool
) -> Image.Image:
    """Place the drawing in the frame, baseline after `fit.top` rows. A lowercase letter's ink
    above the x-height is stretched so that the ascender height meets the top; then ink above
    the frame is squeezed down into it (keeping the x-height band as drawn), ink below into the
    rows left."""
    o = OVERSAMPLE
    width = image.width
    canvas = Image.new("L", (width, rows * o), 0)
    up = image.crop((0, 0, width, baseline))
    keep = round(X_HEIGHT * fit.scale * o)  # the x-height band, never resized
    if lowercase and up.height > keep:
        stretch = (fit.top - fit.x_rows) / ((CAP_HEIGHT - X_HEIGHT) * fit.scale)
        up = _resize_above(up, keep, round((up.height - keep) * stretch))
    room = fit.top * o
    if up.height > room:
        up = _resize_above(up, min(keep, room - o), room - min(keep, room - o))
    canvas.paste(up, (0, room - up.height))
    down = image.crop((0, baseline, width, image.height))
    room_below = (rows - fit.top) * o
    if down.height > room_below:
        down = down.resize((width, room_below), Image.BOX)
    if down.height:
        canvas.paste(down, (0, room))
    return canvas


def _resize_above(up: Image.Image, keep: int, height: int) -> Image.Image:
    """`up` with its bottom `keep` rows as they are and the rows above resized to `height`."""
    width = up.width
    near = up.crop((0, up.height - keep, width, up.height))
    far = up.crop((0, 0, width, up.height - keep)).resize((width, max(1, height)), Image.BOX)
    out = Image.new("L", (width, far.height + keep), 0)
    out.paste(far, (0, 0))
    out.paste(near, (0, far.height))
    return out


def _threshold(image: Image.Image, columns: int) -> Bitmap:
    rows = image.height // OVERSAMPLE
    small = image.resize((columns, rows), Image.BOX)
    data = small.tobytes()
    cut = INK * 255
    return [[1 if data[y * columns + x] >= cut else 0 for x in range(columns)] for y in range(rows)]


def _widen_thin_strokes(bitmap: Bitmap) -> bool:
    """A run of one quadrant pixel is half a cell wide: widen it to a whole cell, into the blank
    neighbour that keeps it inside the glyph. True if it changed anything."""
    changed = False
    for row in bitmap:
        width = len(row)
        for x in range(width):
            if not row[x]:
                continue
            left = x > 0 and row[x - 1]
            right = x + 1 < width and row[x + 1]
            if left or right:
                continue
            if x + 1 < width:
                row[x + 1] = 2  # 2: added here, so it does not count as a neighbour's run
            elif x > 0:
                row[x - 1] = 2
            changed = True
    for row in bitmap:
        for x, value in enumerate(row):
            row[x] = 1 if value else 0
    return changed


def _thicken_thin_bars(bitmap: Bitmap, middle: int) -> bool:
    """A run of one sextant row is a third of a cell tall, thinner than a cell is wide:
    thicken it to two rows, towards `middle` (the x-height's centre) so that it stays inside
    the frame. True if it changed anything."""
    changed = False
    height = len(bitmap)
    for x in range(len(bitmap[0])):
        column = [row[x] for row in bitmap]
        for y in range(height):
            above = y > 0 and column[y - 1]
            below = y + 1 < height and column[y + 1]
            if not column[y] or above or below:
                continue
            toward = y + 1 if y < middle else y - 1
            other = y - 1 if y < middle else y + 1
            for target in (toward, other):
                if 0 <= target < height:
                    bitmap[target][x] = 1
                    changed = True
                    break
    return changed


def _trim(bitmap: Bitmap) -> Bitmap:
    inked = [x for x in range(len(bitmap[0])) if any(row[x] for row in bitmap)]
    if not inked:
        return []
    lo, hi = inked[0], inked[-1] + 1
    return [row[lo:hi] for row in bitmap]


def to_cells(bitmap: Bitmap, cells: Cells) -> tuple[str, ...]:
    """Pixels to block characters, `cells.down` rows and `cells.across` columns to a cell."""
    down, across = cells.down, cells.across
    width = -(-len(bitmap[0]) // across) * across
    padded = [row + [0] * (width - len(row)) for row in bitmap]
    padded += [[0] * width] * (-len(padded) % down)
    out = []
    for y in range(0, len(padded), down):
        band = padded[y : y + down]
        out.append(
            "".join(
                cells.chars[
                    sum(
                        band[r][x + c] << (r * across + c)
                        for r in range(down)
                        for c in range(across)
                    )
                ]
                for x in range(0, width, across)
            )
        )
    return tuple(out)

"""The fallback pixel font of large print: pyfiglet's ``mono12`` bitmaps, for the characters
Atkinson Hyperlegible lacks (Greek, Cyrillic, Armenian, kana, many symbols), decoded to pixels
and scaled to a glyph's height. `bigtext` turns them into cells as it does the main font."""

from __future__ import annotations

from functools import cache

import pyfiglet

BIG_FONT = "mono12"  # 20 pixel rows per glyph; rows 0-17 hold accents to descenders
BIG_ROWS = slice(0, 18)
INK_THRESHOLD = 0.3  # share of a scaled pixel that must be ink: keeps thin strokes when shrinking

Bitmap = tuple[tuple[int, ...], ...]


@cache
def load() -> pyfiglet.FigletFont:
    return pyfiglet.FigletFont(BIG_FONT)


def bitmap(ch: str) -> Bitmap | None:
    """The font's pixels for `ch`, or None when it has no drawing of it."""
    lines = load().chars.get(ord(ch))
    if lines is None:
        return None
    pixels = _decode(lines, load().hardBlank)[BIG_ROWS]
    if not any(any(row) for row in pixels):
        return None  # a blank drawing for a visible character: the font lacks it really
    return pixels


_HALF_PIXELS = {"▀": (1, 0), "▄": (0, 1), " ": (0, 0)}


def _decode(lines: list[str], hard_blank: str) -> Bitmap:
    """Figlet half-block lines -> pixel rows (two per line)."""
    pixels: list[tuple[int, ...]] = []
    for line in lines:
        pairs = [_HALF_PIXELS.get(c, (1, 1)) for c in line.replace(hard_blank, " ")]
        pixels.append(tuple(p[0] for p in pairs))
        pixels.append(tuple(p[1] for p in pairs))
    width = max((len(r) for r in pixels), default=0)
    return tuple(r + (0,) * (width - len(r)) for r in pixels)


def scale(bitmap: Bitmap, rows: int, columns: int) -> Bitmap:
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


def trim_columns(bitmap: Bitmap) -> Bitmap:
    """Drop blank columns on both sides (proportional spacing reads better, fits more)."""
    inked = [x for x in range(len(bitmap[0])) if any(row[x] for row in bitmap)]
    if not inked:
        return ()
    lo, hi = inked[0], inked[-1] + 1
    return tuple(row[lo:hi] for row in bitmap)

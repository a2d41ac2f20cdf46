"""Large print: what drawing glyphs from Atkinson Hyperlegible costs at start-up and per render,
beside baselines measured in the same run, and the legibility figures of issue 13.

Usage: python benchmarks/largeprint.py [--repeat N]

Each cold figure is a fresh interpreter (`python -c ...`), best of N, so the import and font
caches are really empty: importing rich (what any reader start pays anyway) is the baseline for
the import of reader.ui.bigtext (Pillow, pyphen, the font); one sentence drawn at level 3 with
empty glyph caches is set beside the same sentence at level 1 (plain text), and preload() (the
alphabet at every level) is timed too. Warm: one sentence redrawn with the caches full, as for
every spoken word. Then the confusable-pair differences at each level, in sextants (where the
terminal draws them), quadrant blocks (the fallback, and the only cut before sextants) and half
blocks (the Linux console), two ways: over every cell of the box holding both
renders' ink (the test's measure) and over the cells inked in either render only; beside them,
the same two shares for the font's own outlines (drawn 400 px tall, pixel by pixel, aligned as
the renders are: same baseline, same left edge of ink), which no rasterisation can add to except
through the coarseness of cells. Last, the fullest glyph (share of its box in solid cells), and
the heights of x and h in cells: the price of the n/h figure in sextants is a smaller x-height
(see reader/ui/glyphs.py).
"""

from __future__ import annotations

import argparse
import os
import statistics
import string
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from PIL import Image, ImageDraw  # noqa: E402

from reader.ui import bigtext, glyphs  # noqa: E402
from reader.ui.bigtext import render_big  # noqa: E402

SENTENCE = "With MS, your immune system mistakenly attacks your nerves and destroys myelin."
PAIRS = ["a e", "a o", "c e", "c o", "e o", "m n", "n h", "u v", "I l", "l 1", "O 0", "S 5"]
PAIRS += ["B 8", "g q", "rn m"]
ALNUM = string.ascii_letters + string.digits
COLD = {
    "import rich (baseline)": "import rich.text",
    "import reader.ui.bigtext": "import reader.ui.bigtext",
    "sentence at level 1 (baseline)": "from reader.ui.bigtext import render_big as r; "
    f"r({SENTENCE!r}, 1, 80)",
    "sentence at level 3, cold": "from reader.ui.bigtext import render_big as r; "
    f"r({SENTENCE!r}, 3, 80)",
    "preload(): a-z at levels 2-5": "from reader.ui.bigtext import preload; preload()",
}


def cold(code: str, repeat: int) -> float:
    """Best wall time of `code` in a fresh interpreter, less the interpreter's own start."""

    def run(source: str) -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", source], check=True, cwd=REPO)
        return time.perf_counter() - start

    empty = min(run("pass") for _ in range(repeat))
    return min(run(code) for _ in range(repeat)) - empty


def warm(level: int, repeat: int) -> float:
    render_big(SENTENCE, level, 80)
    times = []
    for index in range(repeat * 10):
        start = time.perf_counter()
        render_big(SENTENCE, level, 80, highlight=(index % 40, index % 40 + 4))
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def difference(first: str, second: str, level: int) -> tuple[float, float]:
    """Shares of differing cells: over the box holding both renders' ink (as the test), and
    over the cells inked in either render."""
    a = render_big(first, level, 1000).plain.split("\n")
    b = render_big(second, level, 1000).plain.split("\n")
    return _shares(a, b, " ")


Grid = Sequence[Sequence[object]]  # rows of cells (characters) or of pixels (0/1)


def _shares(a: Grid, b: Grid, blank: object) -> tuple[float, float]:
    def at(grid: Grid, r: int, c: int) -> object:
        return grid[r][c] if r < len(grid) and c < len(grid[r]) else blank

    inked = {
        (r, c) for g in (a, b) for r, row in enumerate(g) for c, ch in enumerate(row) if ch != blank
    }
    rows = range(min(r for r, _ in inked), max(r for r, _ in inked) + 1)
    cols = range(min(c for _, c in inked), max(c for _, c in inked) + 1)
    in_box = sum(at(a, r, c) != at(b, r, c) for r in rows for c in cols)
    return in_box / (len(rows) * len(cols)), in_box / len(inked)


def outline_difference(first: str, second: str) -> tuple[float, float]:
    """The same two shares for the font's outlines, 400 px tall: what the letters themselves
    differ by, before any cell is drawn."""
    return _shares(_outline(first), _outline(second), 0)


def _outline(text: str) -> list[list[int]]:
    font = glyphs._font(400)
    image = Image.new("1", (400 * len(text) + 200, 700), 0)
    ImageDraw.Draw(image).text((100, 500), text, font=font, fill=1, anchor="ls")
    left = image.getbbox()[0]  # the renders' left edge is their ink's
    pixels = image.load()
    return [[pixels[x, y] for x in range(left, image.width)] for y in range(image.height)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    repeat = parser.parse_args().repeat
    print("cold (fresh interpreter, best of", repeat, "runs):")
    for name, code in COLD.items():
        print(f"  {name:34} {cold(code, repeat) * 1000:7.0f} ms")
    print("warm (caches full), one sentence redrawn with a new word marked, median:")
    for level in (1, 3, 5):
        print(f"  level {level}{'':28} {warm(level, repeat) * 1000:7.2f} ms")
    outlines = {pair: outline_difference(*pair.split()) for pair in PAIRS}
    for blocks in ("sextants", "quadrants", "halves"):
        legibility(blocks, outlines)


def filled(ch: str, level: int) -> float:
    """Share of the glyph's ink box that is solid full-block cells (as the test)."""
    grid = render_big(ch, level, 1000).plain.split("\n")
    inked = [(r, c) for r, row in enumerate(grid) for c, x in enumerate(row) if x != " "]
    rows = range(min(r for r, _ in inked), max(r for r, _ in inked) + 1)
    cols = range(min(c for _, c in inked), max(c for _, c in inked) + 1)
    solid = sum(c < len(grid[r]) and grid[r][c] == "█" for r in rows for c in cols)
    return solid / (len(rows) * len(cols))


def legibility(blocks: str, outlines: dict[str, tuple[float, float]]) -> None:
    os.environ["READER_BLOCKS"] = blocks
    bigtext._cells.cache_clear()
    bigtext.glyph.cache_clear()
    print(f"{blocks} blocks: confusable pairs, share of differing cells (>= 20 % wanted),")
    print("  over the ink box of both / over the cells inked in either; the font's outlines last")
    print("  pair  " + "".join(f"    level {level}" for level in (2, 3, 4, 5)) + "     outline")
    for pair in PAIRS:
        shares = [difference(*pair.split(), level) for level in (2, 3, 4, 5)]
        shares.append(outlines[pair])
        low = "  < 20 %" if min(box for box, _ in shares[:4]) < 0.2 else ""
        cells = "".join(f"  {box:4.0%} {inked:4.0%}" for box, inked in shares)
        print(f"  {pair.replace(' ', '/'):5} {cells}{low}")
    fullest = [max((filled(ch, level), ch) for ch in ALNUM) for level in (2, 3, 4, 5)]
    print("  fullest" + "".join(f"  {ch} {share:4.0%}" for share, ch in fullest) + "  (<= 75 %)")
    print("  x-height and h's height in cells (what n/h costs: the x-height is the print size)")
    print(
        "        "
        + "".join(
            f"  {inked_cells('x', level)} {inked_cells('h', level)}" for level in (2, 3, 4, 5)
        )
    )


def inked_cells(ch: str, level: int) -> str:
    """Height of `ch`'s ink in cells, to a third (sextant) or a half (quadrant) of a cell."""
    cells = bigtext._cells()
    drawn = glyphs.draw(ch, bigtext.GLYPH_HEIGHTS[level], cells)
    assert drawn is not None
    rows = [
        any(cells.chars.index(c) >> (y * cells.across) & ((1 << cells.across) - 1) for c in row)
        for row in drawn
        for y in range(cells.down)
    ]
    inked = [y for y, ink in enumerate(rows) if ink]
    return f"{(inked[-1] - inked[0] + 1) / cells.down:4.2f}"


if __name__ == "__main__":
    main()

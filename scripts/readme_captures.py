"""The README's two screen captures, made again from the running app: the built-in sample at
font size 1 (100 x 30, stopped) and at font size 3 (80 x 24, paused on "Treatments").

Usage: .venv/bin/python scripts/readme_captures.py [--svg DIR]

Prints each capture as the plain text the README shows (trailing spaces dropped). The app runs
headless under Textual's test driver with the real eSpeak NG voice and the null audio player,
settings and state in a temporary folder, so nothing of the user's is read or changed, and large
print in quadrant blocks (READER_BLOCKS), as browsers show them. With --svg, Textual's own SVG
screenshots are written to DIR too, to look at the colours.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

WORD = "Treatments"  # the size-3 capture is paused with this word marked (its colon is not)
DEADLINE = 60.0  # seconds to wait for anything the app does


def plain(app) -> str:
    """The screen as text, the way App.export_screenshot renders it before making an SVG."""
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        record=True,
        legacy_windows=False,
        safe_box=False,
    )
    console.print(app.screen._compositor.render_update(full=True))
    return "\n".join(line.rstrip() for line in console.export_text(styles=False).splitlines())


async def until(pilot, ready, what: str) -> None:
    deadline = time.monotonic() + DEADLINE
    while not ready():
        if time.monotonic() > deadline:
            raise SystemExit(f"readme_captures: gave up waiting for {what}")
        await pilot.pause(0.02)
    await pilot.pause()


def quiet(app) -> bool:
    return app.session is not None and app.queue is not None and not app.queue.speaking


async def size_one(svg: Path | None) -> str:
    from reader.ui.app import ReaderApp

    app = ReaderApp("sample", audio="null", autoplay=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: quiet(app), "the article to open")
        return snapshot(app, svg, "font_size_1")


async def size_three(svg: Path | None) -> str:
    from reader.ui.app import ReaderApp
    from reader.ui.widgets import BigPrint

    app = ReaderApp("sample", audio="null", autoplay=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: quiet(app), "the article to open")
        await pilot.press("plus", "plus")
        await until(pilot, lambda: quiet(app), "the size to be said")
        big = app.screen.query_one(BigPrint)

        def marked() -> str:
            return big.text[slice(*big.word)] if big.word else ""

        await pilot.press("space")
        await until(pilot, lambda: marked() == WORD, f"{WORD!r} to be spoken")
        await pilot.press("space")
        await until(pilot, lambda: app.queue.paused and "| Paused |" in plain(app), "the pause")
        if marked() != WORD:
            raise SystemExit(f"readme_captures: paused on {marked()!r}, not {WORD!r}; run again")
        return snapshot(app, svg, "font_size_3")


def snapshot(app, svg: Path | None, name: str) -> str:
    if svg is not None:
        (svg / f"{name}.svg").write_text(app.export_screenshot(), encoding="utf-8")
    return plain(app)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--svg", type=Path, help="also write Textual's SVG screenshots here")
    svg = parser.parse_args().svg
    if svg is not None:
        svg.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as home:
        os.environ["READER_CONFIG_DIR"] = str(Path(home) / "config")
        os.environ["READER_DATA_DIR"] = str(Path(home) / "data")
        os.environ["READER_AUDIO"] = "null"
        # Quadrant blocks whatever terminal runs this: the README is read in browsers, whose
        # fonts seldom have sextants, and the captures must not change with who made them.
        os.environ["READER_BLOCKS"] = "quadrants"
        (Path(home) / "config").mkdir()
        (Path(home) / "config" / "settings.toml").touch()  # a returning user: no welcome
        for title, capture in (("size 1", size_one), ("size 3", size_three)):
            print(f"--- {title}")
            print(asyncio.run(capture(svg)))


if __name__ == "__main__":
    main()

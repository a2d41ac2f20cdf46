"""Large print: glyph heights, width limits, word wrapping, the highlighted word, any Unicode."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.text import Text

from reader.ui.bigtext import (
    GLYPH_HEIGHTS,
    MARKER,
    WORD_GAP,
    glyph,
    layout_big,
    line_height,
    render_big,
)

BLOCKS = set("▀▄█ ")


def rows(text: Text) -> list[str]:
    return text.plain.split("\n") if text.plain else []


def reversed_columns(text: Text) -> dict[int, set[int]]:
    """Row -> string columns drawn in reverse video (single-width rows only)."""
    plain = text.plain
    starts = [0]
    for row in plain.split("\n"):
        starts.append(starts[-1] + len(row) + 1)
    marked: dict[int, set[int]] = {}
    for span in text.spans:
        style = span.style
        if getattr(style, "reverse", False):
            for index in range(span.start, span.end):
                row = max(r for r, s in enumerate(starts) if s <= index)
                marked.setdefault(row, set()).add(index - starts[row])
    return marked


@pytest.mark.parametrize("level", [2, 3, 4, 5])
def test_glyph_heights_per_level(level: int) -> None:
    out = render_big("Hello", level, 200)
    lines = rows(out)
    assert len(lines) == GLYPH_HEIGHTS[level] + 1 == line_height(level)
    assert GLYPH_HEIGHTS[level] == {2: 3, 3: 5, 4: 7, 5: 9}[level]
    glyph_rows = lines[: GLYPH_HEIGHTS[level]]
    assert all(set(r) <= BLOCKS for r in glyph_rows)
    assert sum(r.count("█") for r in glyph_rows) > 10  # solid strokes, not outlines
    assert lines[-1] == ""  # marker row empty: nothing highlighted


def test_bigger_levels_are_bigger() -> None:
    widths = [glyph("H", level).width for level in (2, 3, 4, 5)]
    assert widths == sorted(widths) and widths[0] < widths[-1]


def test_level_one_is_plain_text_with_marked_word() -> None:
    out = render_big("Read this\x07 [bold]now[/]", 1, 20, highlight=(5, 9))
    assert out.plain == "Read this [bold]now[/]"  # control char gone, markup not parsed
    marked = [out.plain[s.start : s.end] for s in out.spans]
    assert "".join(marked) == "this"
    assert all(s.style.reverse and s.style.underline for s in out.spans)


def test_levels_are_clamped() -> None:
    assert render_big("word", 0, 40).plain == "word"
    assert rows(render_big("word", 9, 400)) == rows(render_big("word", 5, 400))


@given(
    text=st.text(
        alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs", "Mn", "Cc")),
        max_size=60,
    ),
    level=st.integers(1, 5),
    width=st.integers(1, 120),
)
@settings(max_examples=150, deadline=None)
def test_width_is_never_exceeded(text: str, level: int, width: int) -> None:
    layout = layout_big(text, level, width)
    if layout.level == 1:
        assert "\n" not in layout.text.plain
        return
    lines = rows(layout.text)
    assert len(lines) == layout.rows
    assert all(cell_len(line) <= width for line in lines)
    assert layout.level <= level


def test_wraps_at_word_boundaries() -> None:
    one = render_big("alpha", 4, 400)
    one_width = max(cell_len(r) for r in rows(one))
    two = render_big("alpha alpha", 4, one_width + 3)  # room for one word per line only
    expected = rows(one) + rows(one)
    assert rows(two) == expected
    both = render_big("alpha alpha", 4, 2 * one_width + WORD_GAP[4])  # exactly room for two
    assert len(rows(both)) == line_height(4)


def test_long_word_is_broken_between_letters() -> None:
    word = "Ocrelizumab"
    whole = max(cell_len(r) for r in rows(render_big(word, 5, 1000)))
    layout = layout_big(word, 5, whole // 2)
    assert layout.level == 5
    assert layout.rows >= 2 * line_height(5)
    assert all(cell_len(r) <= whole // 2 for r in rows(layout.text))


def test_tiny_width_steps_the_level_down() -> None:
    layout = layout_big("W", 5, glyph("W", 3).width)
    assert layout.level == 3
    assert layout_big("W", 5, 1).level == 1


@pytest.mark.parametrize("level", [2, 3, 4, 5])
def test_highlight_covers_exactly_the_spoken_word(level: int) -> None:
    text = "one two three"
    layout = layout_big(text, level, 1000, highlight=(4, 7))  # "two"
    lines = rows(layout.text)
    height = GLYPH_HEIGHTS[level]
    first = max(cell_len(r) for r in rows(render_big("one", level, 1000))[:height])
    second = max(cell_len(r) for r in rows(render_big("two", level, 1000))[:height])
    start = first + WORD_GAP[level]
    columns = set(range(start, start + second))
    marked = reversed_columns(layout.text)
    assert sorted(marked) == list(range(height))  # every glyph row, no marker row
    assert all(cols == columns for cols in marked.values())
    marker = lines[height]
    assert marker.strip() == MARKER * second and marker.index(MARKER) == start
    assert layout.highlight_row == 0
    # Reverse video and a bar, no colour: the theme's pair is only swapped.
    assert all(
        span.style.color is None and span.style.bgcolor is None for span in layout.text.spans
    )


def test_highlight_on_a_later_line_is_located() -> None:
    width = max(cell_len(r) for r in rows(render_big("alpha", 3, 1000))) + 2
    layout = layout_big("alpha beta gamma", 3, width, highlight=(11, 16))
    assert layout.highlight_row == 2 * line_height(3)
    assert layout.rows == 3 * line_height(3)
    assert rows(layout.text)[3 * line_height(3) - 1].strip(MARKER) == ""
    assert MARKER in rows(layout.text)[3 * line_height(3) - 1]
    assert layout_big("alpha beta", 3, width).highlight_row is None


def test_highlight_of_a_partial_word_and_out_of_range() -> None:
    partial = layout_big("reading", 4, 1000, highlight=(0, 4))
    assert 0 < len(reversed_columns(partial.text)[0]) < len(rows(partial.text)[0])
    beyond = layout_big("reading", 4, 1000, highlight=(50, 60))
    assert reversed_columns(beyond.text) == {} and beyond.highlight_row is None


@pytest.mark.parametrize("level", [2, 3, 4, 5])
def test_unknown_characters_are_drawn_not_dropped(level: int) -> None:
    text = "Ж中文 🙂 שלום ok"
    layout = layout_big(text, level, 200, highlight=(0, 3))
    plain = layout.text.plain
    for ch in "中文🙂שלום":
        assert ch in plain  # drawn as the ordinary character
    if level > 2:
        assert "Ж" not in plain  # mono12 has Cyrillic: drawn big
    lines = rows(layout.text)
    assert all(cell_len(r) <= 200 for r in lines)
    fallback_rows = {r for r, line in enumerate(lines) if "中" in line}
    assert fallback_rows == {GLYPH_HEIGHTS[level] // 2}
    # The wide characters line up: every glyph row of the line has the same cell width.
    glyph_rows = lines[: GLYPH_HEIGHTS[level]]
    assert len({cell_len(r) for r in glyph_rows}) == 1
    assert layout.highlight_row == 0


def test_accents_and_combining_marks() -> None:
    composed = render_big("café", 4, 200)
    decomposed = render_big("cafe\u0301", 4, 200)
    assert composed.plain == decomposed.plain
    assert "é" not in composed.plain  # mono12 draws é in blocks
    small = render_big("café", 2, 200)
    assert "é" in small.plain  # the 3x5 font lacks it: shown as itself


@pytest.mark.parametrize("level", [1, 2, 3, 4, 5])
@pytest.mark.parametrize("text", ["", "   ", "\n\t", "\x00\x1b"])
def test_empty_text(level: int, text: str) -> None:
    layout = layout_big(text, level, 40, highlight=(0, 1))
    assert layout.text.plain == ""
    assert layout.highlight_row is None
    assert layout.rows == 0


def test_punctuation_is_drawn() -> None:
    out = render_big('"Yes," she said; (no!) 3-4?', 4, 1000)
    assert set(out.plain) <= BLOCKS | {"\n"}
    assert len(rows(out)) == line_height(4)

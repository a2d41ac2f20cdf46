"""Theme contrast: every text/background pair >= 7:1, checked on the palettes, on Textual's
resolved variables, and on the cells real widgets actually draw."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.color import Color
from textual.containers import Vertical
from textual.widgets import Footer, Input, ListItem, ListView, Markdown, OptionList, Static

from reader import settings
from reader.ui import themes
from reader.ui.themes import (
    PAIRS,
    PALETTES,
    ROLES,
    THEME_CSS,
    THEMES,
    audit_contrast,
    disable_animations,
    next_theme,
    register_themes,
    role_style,
    theme_variable_defaults,
)

AAA = 7.0
UI_DIR = Path(themes.__file__).parent


def wcag_ratio(a: str, b: str) -> float:
    """Independent of reader.ui.themes: WCAG 2.1 contrast from two CSS colours."""

    def luminance(colour: str) -> float:
        parsed = Color.parse(colour)
        assert parsed.a == 1.0, f"{colour} is translucent: its contrast depends on what is below"
        channels = []
        for value in (parsed.r, parsed.g, parsed.b):
            c = value / 255
            channels.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
        return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_ratio_function_is_right() -> None:
    assert wcag_ratio("#ffffff", "#000000") == pytest.approx(21.0)
    assert wcag_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert wcag_ratio("#000", "#000") == pytest.approx(1.0)


@pytest.mark.parametrize("name", list(THEMES))
def test_every_palette_pair_reaches_aaa(name: str) -> None:
    palette = PALETTES[name]
    assert set(palette) == {v for pair in PAIRS for v in pair}
    for fg, bg in PAIRS:
        ratio = wcag_ratio(palette[fg], palette[bg])
        assert ratio >= AAA, f"{name}: ${fg} on ${bg} is {ratio:.2f}:1"


# Textual's own variables that built-in widgets draw text with, and what they draw it on.
TEXTUAL_PAIRS = [
    ("text", "background"),
    ("foreground", "background"),
    ("foreground", "surface"),
    ("foreground", "panel"),
    ("text-muted", "background"),
    ("text-disabled", "surface"),
    ("text-primary", "background"),
    ("text-accent", "background"),
    ("text-error", "panel"),
    ("block-cursor-foreground", "block-cursor-background"),
    ("block-cursor-blurred-foreground", "block-cursor-blurred-background"),
    ("footer-key-foreground", "footer-background"),
    ("footer-description-foreground", "footer-background"),
    ("footer-foreground", "footer-background"),
    ("input-cursor-foreground", "input-cursor-background"),
    ("input-selection-foreground", "input-selection-background"),
    ("screen-selection-foreground", "screen-selection-background"),
    ("link-color", "background"),
    ("link-color-hover", "link-background-hover"),
    ("button-foreground", "surface"),
    *[(f"markdown-h{n}-color", "background") for n in range(1, 7)],
]


@pytest.mark.parametrize("name", list(THEMES))
def test_textual_variables_resolve_to_aaa_pairs(name: str) -> None:
    theme = THEMES[name]
    resolved = {**theme.to_color_system().generate(), **theme.variables}
    for fg, bg in TEXTUAL_PAIRS:
        ratio = wcag_ratio(resolved[fg], resolved[bg])
        assert ratio >= AAA, f"{name}: ${fg} on ${bg} is {ratio:.2f}:1"
    for fg, bg in PAIRS:  # and the $reader-* pairs survive Textual's merge unchanged
        assert resolved[fg] == PALETTES[name][fg] and resolved[bg] == PALETTES[name][bg]


class Showcase(App[None]):
    """Every kind of widget the reader shows, in its focused/highlighted states."""

    CSS = (
        THEME_CSS
        + """
    #sentence { color: $reader-sentence; background: $reader-sentence-bg; }
    ListView { height: 4; }
    OptionList { height: 4; }
    Markdown { height: auto; }
    """
    )
    BINDINGS = [Binding("space", "noop", "Play/pause"), Binding("question_mark", "noop", "Help")]

    def __init__(self, theme: str) -> None:
        super().__init__()
        register_themes(self, theme)
        disable_animations(self)

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return theme_variable_defaults()

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Plain body text of the article.")
            yield Static("Natalizumab (Tysabri)", classes="reader-heading")
            yield Static("Section 2 of 8", classes="reader-muted")
            yield Static("The sentence being read.", id="sentence")
            yield Static("word", classes="reader-word")
            yield Static("Section 1 of 3 | Rate 175 | Playing", classes="reader-status")
            yield Static("Could not fetch the page.", classes="reader-error")
            yield ListView(
                *(ListItem(Static(t)) for t in ("Intro", "Ocrelizumab (Ocrevus)", "Rituximab")),
                classes="reader-focusable",
            )
            yield OptionList("Recent one", "Recent two", "Sample article")
            yield Input(value="https://example.org/article", placeholder="URL or file")
            yield Input(placeholder="Type a URL or a file path")
            yield Markdown("# Help\n\n## Keys\n\n`space` play or pause, see [docs](https://x.org)")
        yield Footer()

    def action_noop(self) -> None:
        return None


async def _audit(app: Showcase, pilot: Any) -> list[Any]:
    await pilot.pause()
    return audit_contrast(app, minimum=AAA)


@pytest.mark.parametrize("name", list(THEMES))
def test_rendered_cells_reach_aaa(name: str) -> None:
    asyncio.run(_rendered_cells_reach_aaa(name))


async def _rendered_cells_reach_aaa(name: str) -> None:
    app = Showcase(name)
    async with app.run_test(size=(80, 40)) as pilot:
        assert app.theme == name
        assert await _audit(app, pilot) == []
        app.query_one(ListView).focus()
        await pilot.press("down")
        assert await _audit(app, pilot) == []
        app.query_one(OptionList).focus()
        await pilot.press("down")
        assert await _audit(app, pilot) == []
        app.query(Input).first().focus()
        await pilot.press("shift+left", "shift+left")  # a selection in the input
        assert await _audit(app, pilot) == []


def test_audit_catches_low_contrast() -> None:
    asyncio.run(_audit_catches_low_contrast())


async def _audit_catches_low_contrast() -> None:
    app = Showcase("reader-high-contrast")
    async with app.run_test(size=(60, 30)) as pilot:
        app.query_one(Static).styles.color = "#333333"  # dark grey on black: ~1.7:1
        await pilot.pause()
        problems = audit_contrast(app)
        assert problems and problems[0].text.strip().startswith("Plain body text")
        assert problems[0].ratio < 2


def test_switching_themes_live_rerenders_with_new_variables() -> None:
    asyncio.run(_switching_themes_live_rerenders_with_new_variables())


async def _switching_themes_live_rerenders_with_new_variables() -> None:
    app = Showcase("reader-high-contrast")
    async with app.run_test(size=(80, 40)) as pilot:
        name = app.theme
        for _ in THEMES:
            name = next_theme(name)
            app.theme = name
            await pilot.pause()
            assert app.get_css_variables()["reader-text"] == PALETTES[name]["reader-text"]
            word = app.query_one(".reader-word", Static)
            assert word.styles.color == Color.parse(PALETTES[name]["reader-word"])
            assert word.styles.background == Color.parse(PALETTES[name]["reader-word-bg"])
            assert audit_contrast(app) == []
        assert name == "reader-high-contrast"  # the cycle came back round


def test_css_still_parses_under_a_builtin_theme() -> None:
    asyncio.run(_css_still_parses_under_a_builtin_theme())


async def _css_still_parses_under_a_builtin_theme() -> None:
    app = Showcase("reader-light")
    async with app.run_test(size=(60, 30)) as pilot:
        app.theme = "textual-dark"  # e.g. chosen from the command palette
        await pilot.pause()
        assert (
            app.get_css_variables()["reader-text"]
            == PALETTES["reader-high-contrast"]["reader-text"]
        )


def test_next_theme_cycles_and_recovers() -> None:
    following = {
        "reader-high-contrast": "reader-light",
        "reader-light": "reader-dark",
        "reader-dark": "reader-high-contrast",
        "textual-dark": "reader-high-contrast",  # not ours: back to the default
    }
    for theme, after in following.items():
        assert next_theme(theme) == after, theme


def test_register_themes_falls_back_to_the_default() -> None:
    app: App[None] = App()
    register_themes(app, "no-such-theme")
    assert app.theme == "reader-high-contrast"
    assert set(THEMES) <= set(app.available_themes)
    disable_animations(app)
    assert app.animation_level == "none"


def test_role_styles_carry_meaning_beyond_colour() -> None:
    for name in THEMES:
        word = role_style(name, "word")
        assert word.bold and word.underline
        assert role_style(name, "sentence").bold
        assert role_style(name, "text").color.get_truecolor().hex == PALETTES[name]["reader-text"]
    assert set(ROLES) >= {"text", "sentence", "word", "status", "selection", "focus"}


def test_theme_names_match_settings() -> None:
    assert settings.THEME_NAMES == tuple(THEMES)
    assert settings.DEFAULT_THEME == themes.DEFAULT_THEME


# The pairs above are only the pairs on screen if the app's stylesheets use the variables.
COLOUR_PROPERTY = re.compile(
    r"^\s*(color|background|background-tint|tint|border[a-z-]*|outline[a-z-]*|"
    r"scrollbar-[a-z-]*|link-[a-z-]*)\s*:\s*([^;{}]+)",
    re.MULTILINE,
)
LITERAL_COLOUR = re.compile(
    r"#[0-9a-fA-F]{3,8}\b|\b(rgb|rgba|hsl|hsla)\(|\bansi_\w+|"
    r"\b(white|black|red|green|blue|yellow|cyan|magenta|gr[ae]y|orange|purple|pink)\b",
    re.IGNORECASE,
)


def literal_colours(css: str) -> list[str]:
    found = []
    for match in COLOUR_PROPERTY.finditer(css):
        if LITERAL_COLOUR.search(match.group(2)):
            found.append(match.group(0).strip())
    return found


def test_literal_colour_detector() -> None:
    assert literal_colours("Static {\n  color: #ff0000;\n  background: $reader-background;\n}")
    assert literal_colours("  border: heavy white;")
    assert literal_colours("  background: $reader-background;") == []
    assert literal_colours(THEME_CSS) == []


def test_app_stylesheets_use_theme_variables_only() -> None:
    sources = [p for p in UI_DIR.rglob("*.tcss")]
    sources += [p for p in UI_DIR.rglob("*.py") if p.name != "themes.py"]
    offenders = {}
    for path in sources:
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".py":
            # Only CSS blocks: the triple-quoted strings assigned to CSS / DEFAULT_CSS.
            blocks = re.findall(r"(?:DEFAULT_)?CSS\s*=\s*[rf]?\"\"\"(.*?)\"\"\"", text, re.DOTALL)
            text = "\n".join(blocks)
        found = literal_colours(text)
        if found:
            offenders[str(path.relative_to(UI_DIR))] = found
    assert offenders == {}, "use $reader-* variables (see reader/ui/themes.py), not colours"

"""The three reader themes, their colour pairs, and a contrast audit of what is really on screen.

Themes (``THEMES``): ``reader-high-contrast`` (the default: white and yellow on black),
``reader-light`` (black and navy on white) and ``reader-dark`` (light grey on near-black).
Every text/background pair of every theme is at least 7:1 (WCAG AAA), checked by
tests/test_themes.py, which also renders real widgets and audits every cell drawn.

How the app uses them::

    class ReaderApp(App):
        CSS = THEME_CSS + '''...the app's own rules, colours only through $reader-* ...'''

        def __init__(self, ...):
            super().__init__()
            register_themes(self)            # registers all three, selects the default
            disable_animations(self)
            self.theme = settings.theme      # or next_theme(self.theme) on a key press

        def get_theme_variable_defaults(self) -> dict[str, str]:
            return theme_variable_defaults()  # so $reader-* resolve under any theme

CSS variables (one per role; use them, never literal colours, so the tested pairs are the
pairs on screen). Each text colour is tested against the background listed beside it:

==========================  ============================  =====================================
foreground variable         background variable           used for
==========================  ============================  =====================================
``$reader-text``            ``$reader-background``        body text, big print (level 2-5)
``$reader-heading``         ``$reader-background``        section titles (also bold)
``$reader-muted``           ``$reader-background``        secondary text: hints, level numbers
``$reader-sentence``        ``$reader-sentence-bg``       the sentence being spoken (also bold)
``$reader-word``            ``$reader-word-bg``           the word being spoken (bold underline)
``$reader-status``          ``$reader-status-bg``         the status line and the footer
``$reader-selection``       ``$reader-selection-bg``      the highlighted item in lists
``$reader-text``            ``$reader-inactive-bg``       that item while the list lacks focus
``$reader-focus``           ``$reader-background``        focus borders/markers
``$reader-error``           ``$reader-error-bg``          error messages (also bold)
==========================  ============================  =====================================

``PAIRS`` lists these pairs; ``ROLES`` maps a role name ("word", "sentence" ...) to its pair and
text style; ``role_style(theme, role)`` gives the matching ``rich.style.Style`` for Rich ``Text``.
In Textual markup the same works as ``"[$reader-word on $reader-word-bg bold underline]...[/]"``.

Textual's own variables (``$text``, ``$foreground``, list cursor, footer, input, scrollbar,
markdown headings, links...) are set from the same palette, so built-in widgets (ListView,
OptionList, Footer, Input, Markdown, Header, Toast) stay high contrast too.

Nothing may be conveyed by colour alone: the text styles in ``ROLES`` (bold, underline) carry
the same information, and big print marks the spoken word with reverse video plus a marker row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.style import Style
from textual.app import App
from textual.theme import Theme

DEFAULT_THEME = "reader-high-contrast"


@dataclass(frozen=True)
class Role:
    foreground: str  # variable name without "$"
    background: str
    text_style: str  # Rich / Textual text style that repeats the meaning without colour


ROLES: dict[str, Role] = {
    "text": Role("reader-text", "reader-background", ""),
    "heading": Role("reader-heading", "reader-background", "bold"),
    "muted": Role("reader-muted", "reader-background", ""),
    "sentence": Role("reader-sentence", "reader-sentence-bg", "bold"),
    "word": Role("reader-word", "reader-word-bg", "bold underline"),
    "status": Role("reader-status", "reader-status-bg", ""),
    "selection": Role("reader-selection", "reader-selection-bg", "bold"),
    "inactive-selection": Role("reader-text", "reader-inactive-bg", "underline"),
    "focus": Role("reader-focus", "reader-background", ""),
    "error": Role("reader-error", "reader-error-bg", "bold"),
}

PAIRS: tuple[tuple[str, str], ...] = tuple((r.foreground, r.background) for r in ROLES.values())

# Palettes: every $reader-* variable in each theme, the themes side by side so a role's colours
# are compared at a glance. The comments give the WCAG ratio of a text colour on its background
# (the one below it, or named), theme by theme; every pair is at least 7:1.
_PALETTE_COLUMNS = ("reader-high-contrast", "reader-light", "reader-dark")
_PALETTE_ROWS: dict[str, tuple[str, str, str]] = {
    # variable: (high contrast, light, dark)
    "reader-text": ("#ffffff", "#000000", "#e8e8e8"),  # 21.0 on black | 21.0 on white | 14.0
    "reader-background": ("#000000", "#ffffff", "#1b1b1f"),
    "reader-heading": ("#ffff00", "#00307a", "#9fd3ff"),  # 19.6 | 12.3 | 10.8
    "reader-muted": ("#d0d0d0", "#3d3d3d", "#b8b8b8"),  # 13.6 | 10.9 | 8.7
    "reader-sentence": ("#ffff00", "#000000", "#ffffff"),  # 19.6 | 18.6 | 12.5
    "reader-sentence-bg": ("#000000", "#fff3a0", "#2e3440"),  # black | pale yellow | slate
    "reader-word": ("#000000", "#ffffff", "#000000"),  # 19.6 | 12.3 | 15.1
    "reader-word-bg": ("#ffff00", "#00307a", "#ffd75f"),  # yellow | navy | amber
    "reader-status": ("#000000", "#ffffff", "#000000"),  # 21.0 | 17.4 | 12.6
    "reader-status-bg": ("#ffffff", "#1a1a1a", "#c8c8c8"),  # white | near-black | light grey
    "reader-selection": ("#000000", "#ffffff", "#000000"),  # 16.7 | 12.3 | 13.2
    "reader-selection-bg": ("#00ffff", "#00307a", "#9fd3ff"),  # cyan | navy | light blue
    # The text colour on it: white 9.7 (dark teal) | black 16.4 (pale blue) | #e8e8e8 8.5 (slate)
    "reader-inactive-bg": ("#004d4d", "#d6e4ff", "#33414f"),
    "reader-focus": ("#00ffff", "#00307a", "#ffd75f"),  # on the background: 16.7 | 12.3 | 11.6
    "reader-error": ("#ffffff", "#ffffff", "#ffffff"),  # 10.0 on dark red in all three
    "reader-error-bg": ("#8b0000", "#8b0000", "#8b0000"),
}
PALETTES: dict[str, dict[str, str]] = {
    theme: {variable: colours[column] for variable, colours in _PALETTE_ROWS.items()}
    for column, theme in enumerate(_PALETTE_COLUMNS)
}

THEME_LABELS: dict[str, str] = {
    "reader-high-contrast": "High contrast",
    "reader-light": "Light",
    "reader-dark": "Dark",
}

# A base stylesheet the app may prepend to its own CSS.
THEME_CSS = """
Screen {
    background: $reader-background;
    color: $reader-text;
}
.reader-heading { color: $reader-heading; text-style: bold; }
.reader-muted { color: $reader-muted; }
.reader-sentence { color: $reader-sentence; background: $reader-sentence-bg; text-style: bold; }
.reader-word {
    color: $reader-word;
    background: $reader-word-bg;
    text-style: bold underline;
}
.reader-status { color: $reader-status; background: $reader-status-bg; }
.reader-error { color: $reader-error; background: $reader-error-bg; text-style: bold; }
.reader-focusable:focus { border: heavy $reader-focus; }
.reader-focusable { border: blank; }  /* same size, nothing drawn, when unfocused */
/* Textual draws this separator in "$foreground 20%": invisible on the status colours. */
FooterKey.-command-palette { border-left: vkey $reader-status; }
"""


def textual_variables(palette: dict[str, str]) -> dict[str, str]:
    """Textual's own design variables, taken from the palette so built-in widgets match.
    (Over 50 lines because it is a table, one variable a line: splitting it would hide which
    variables are set.)"""
    fg, bg = palette["reader-text"], palette["reader-background"]
    sel, sel_bg = palette["reader-selection"], palette["reader-selection-bg"]
    status, status_bg = palette["reader-status"], palette["reader-status-bg"]
    heading, muted, focus = (
        palette["reader-heading"],
        palette["reader-muted"],
        palette["reader-focus"],
    )
    values = {
        "text": fg,
        "text-muted": muted,
        "text-disabled": muted,
        "foreground-muted": muted,
        "foreground-disabled": muted,
        "text-primary": heading,
        "text-secondary": heading,
        "text-accent": heading,
        "text-warning": fg,
        "text-error": fg,
        "text-success": fg,
        "block-cursor-foreground": sel,
        "block-cursor-background": sel_bg,
        "block-cursor-text-style": "bold",
        # An unfocused list still shows its current item (OptionList draws it in $foreground).
        "block-cursor-blurred-foreground": fg,
        "block-cursor-blurred-background": palette["reader-inactive-bg"],
        "block-cursor-blurred-text-style": "underline",
        "block-hover-background": bg,
        "border": focus,
        "border-blurred": muted,
        "scrollbar": muted,
        "scrollbar-hover": fg,
        "scrollbar-active": focus,
        "scrollbar-background": bg,
        "scrollbar-background-hover": bg,
        "scrollbar-background-active": bg,
        "scrollbar-corner-color": bg,
        "link-color": heading,
        "link-style": "underline",
        "link-background-hover": sel_bg,
        "link-color-hover": sel,
        "link-style-hover": "bold underline",
        "footer-foreground": status,
        "footer-background": status_bg,
        "footer-key-foreground": status,
        "footer-key-background": status_bg,
        "footer-description-foreground": status,
        "footer-description-background": status_bg,
        "footer-item-background": status_bg,
        "input-cursor-foreground": bg,
        "input-cursor-background": fg,
        "input-cursor-text-style": "none",
        "input-selection-foreground": sel,
        "input-selection-background": sel_bg,
        "button-foreground": fg,
        "button-color-foreground": fg,
        "button-focus-text-style": "bold reverse",
        "screen-selection-foreground": sel,
        "screen-selection-background": sel_bg,
    }
    for level in range(1, 7):
        values[f"markdown-h{level}-color"] = heading
        values[f"markdown-h{level}-background"] = bg
    return values


def _make_theme(name: str, dark: bool) -> Theme:
    palette = PALETTES[name]
    bg = palette["reader-background"]
    return Theme(
        name=name,
        primary=palette["reader-focus"],
        secondary=palette["reader-heading"],
        accent=palette["reader-heading"],
        warning=palette["reader-heading"],
        error=palette["reader-error-bg"],
        success=palette["reader-heading"],
        foreground=palette["reader-text"],
        background=bg,
        surface=bg,  # lists, inputs and logs sit on the same background as the text
        panel=bg,
        dark=dark,
        variables={**textual_variables(palette), **palette},
    )


THEMES: dict[str, Theme] = {
    "reader-high-contrast": _make_theme("reader-high-contrast", dark=True),
    "reader-light": _make_theme("reader-light", dark=False),
    "reader-dark": _make_theme("reader-dark", dark=True),
}
THEME_NAMES: tuple[str, ...] = tuple(THEMES)


def register_themes(app: App[Any], select: str | None = DEFAULT_THEME) -> None:
    """Register the three themes with `app` and (unless `select` is None) switch to `select`.

    An unknown `select` falls back to the default theme.
    """
    for theme in THEMES.values():
        app.register_theme(theme)
    if select is not None:
        app.theme = select if select in THEMES else DEFAULT_THEME


def theme_variable_defaults() -> dict[str, str]:
    """Fallback values of the $reader-* variables (the default theme's), for
    `App.get_theme_variable_defaults`, so the app's CSS parses under any theme."""
    return dict(PALETTES[DEFAULT_THEME])


def next_theme(name: str) -> str:
    """The theme after `name` in the cycle high contrast -> light -> dark -> high contrast.
    An unknown name (e.g. a Textual built-in theme) gives the default theme."""
    if name not in THEMES:
        return DEFAULT_THEME
    index = THEME_NAMES.index(name)
    return THEME_NAMES[(index + 1) % len(THEME_NAMES)]


def theme_label(name: str) -> str:
    """A short spoken/shown name: "High contrast", "Light", "Dark"."""
    return THEME_LABELS.get(name, name)


def role_style(theme: str, role: str) -> Style:
    """The Rich style for `role` ("text", "heading", "sentence", "word"...) in `theme`."""
    palette = PALETTES.get(theme, PALETTES[DEFAULT_THEME])
    spec = ROLES[role]
    return Style.parse(
        f"{spec.text_style} {palette[spec.foreground]} on {palette[spec.background]}"
    )


def disable_animations(app: App[Any]) -> None:
    """No animations anywhere (smooth scrolling, fades): they distract and lag behind speech."""
    app.animation_level = "none"


# ---------------------------------------------------------------- contrast maths and audit


def relative_luminance(rgb: tuple[int, int, int]) -> float:
    """WCAG 2.x relative luminance of an sRGB colour (0-255 channels)."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    """WCAG contrast ratio between two colours, 1.0 .. 21.0."""
    high, low = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@dataclass(frozen=True)
class ContrastProblem:
    y: int
    text: str
    foreground: tuple[int, int, int]
    background: tuple[int, int, int]
    ratio: float


def audit_contrast(
    app: App[Any], minimum: float = 7.0, graphics_minimum: float = 3.0
) -> list[ContrastProblem]:
    """Check every visible character the current screen draws (call inside `run_test`).

    Text (including big-print block glyphs) must reach `minimum`; box-drawing characters
    (borders) are non-text graphics and need `graphics_minimum` (WCAG 1.4.11). Dim text is
    blended halfway to its background, as Textual draws it. Returns the offending runs.
    """
    problems: list[ContrastProblem] = []
    for y, strip in enumerate(app.screen._compositor.render_strips()):
        for segment in strip:
            if segment.control or not segment.text.strip() or segment.style is None:
                continue
            fg, bg = _segment_colours(segment.style)
            if fg is None or bg is None:
                continue
            ratio = contrast_ratio(fg, bg)
            need = graphics_minimum if _is_graphics(segment.text) else minimum
            if ratio < need:
                problems.append(ContrastProblem(y, segment.text, fg, bg, round(ratio, 2)))
    return problems


def _segment_colours(
    style: Style,
) -> tuple[tuple[int, int, int] | None, tuple[int, int, int] | None]:
    fg = tuple(style.color.get_truecolor()) if style.color else None
    bg = tuple(style.bgcolor.get_truecolor()) if style.bgcolor else None
    if style.dim and fg is not None and bg is not None:
        fg = tuple(round((f + b) / 2) for f, b in zip(fg, bg, strict=True))
    if style.reverse:
        fg, bg = bg, fg
    return fg, bg  # type: ignore[return-value]


# Thin eighth blocks Textual uses for borders and scrollbars; the half and full blocks
# (U+2580, U+2584, U+2588, U+258C, U+2590) draw big-print letters and count as text.
_THIN_BLOCKS = frozenset(
    "\u2581\u2582\u2583\u2585\u2586\u2587\u2589\u258a\u258b\u258d\u258e\u258f\u2594\u2595"
)


def _is_graphics(text: str) -> bool:
    return all("\u2500" <= ch <= "\u257f" or ch in _THIN_BLOCKS or ch == " " for ch in text)

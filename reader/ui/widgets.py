"""The reader's widgets: they only *show* the session; they never navigate or speak."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence

from rich.style import Style
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from reader.model import Article
from reader.speech import section_utterances, short_title
from reader.speech.structure import cues_wanted
from reader.text import clean
from reader.ui.bigtext import layout_big, line_height, render_big
from reader.ui.themes import role_style

MAX_FONT = 5
# Level 1 is normal text; the big glyphs of levels 2-5 are about 3, 5, 7 and 9 cells tall.


class ChoiceList(OptionList):
    """An OptionList whose up and down go round from the last option to the first and back (as
    Textual's do) and keep which end a move went round to, so the screen can say so: a listener
    who hears "1 of 7" after "7 of 7" with no word between thinks the list has gone wrong."""

    went_round: str = ""  # "top" or "bottom" after a move that went round; "" otherwise

    def action_cursor_down(self) -> None:
        self._move(super().action_cursor_down, 1)

    def action_cursor_up(self) -> None:
        self._move(super().action_cursor_up, -1)

    def _move(self, move: Callable[[], None], step: int) -> None:
        before = self.highlighted
        move()
        after = self.highlighted
        went = before is not None and after is not None and (after - before) * step < 0
        self.went_round = ("top" if step > 0 else "bottom") if went else ""

    def take_went_round(self) -> str:
        """Which end the last move went round to ("" if none), said once."""
        went, self.went_round = self.went_round, ""
        return went


class SectionList(ChoiceList):
    """The outline: one option per section, indented by level. `t` focuses it; up/down speak.
    Not focusable otherwise, so home/end/up/down reach the reading keys."""

    can_focus = False

    def set_sections(self, article: Article) -> None:
        self.clear_options()
        options = []
        for index, section in enumerate(article.sections):
            indent = "  " * max(section.level - 1, 0)
            title = clean(section.title) or (clean(article.title) if index == 0 else "Untitled")
            title = short_title(title)  # a paragraph marked up as a heading: its first words
            qa = section.kind == "qa" and not title.lower().startswith(("q&a", "q & a"))
            marker = "Q&A: " if qa else ""
            options.append(Option(Text(f"{indent}{marker}{title}"), id=f"section-{index}"))
        self.add_options(options)


class SentenceLine(Static):
    """One utterance of the section on screen (the title or a sentence)."""


class ReadingPane(VerticalScroll):
    """The current section, one line per sentence; the spoken sentence and word highlighted.
    Not focusable: the arrow keys belong to sentence navigation, not to scrolling."""

    can_focus = False

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.section: object = None  # what is shown: the app's key, e.g. (section, window)
        self.texts: list[str] = []
        self.sentences: list[int] = []  # utterance sentence numbers, parallel to texts
        self.current: int | None = None  # index into texts of the highlighted line

    def show_section(
        self,
        key: object,
        texts: Sequence[str],
        sentences: Sequence[int],
        paragraphs: Collection[int] = (),
    ) -> None:
        """Replace the lines with these utterances' texts (sentence 0 is the title); a sentence
        in `paragraphs` starts a paragraph, so a blank line goes before it."""
        self.section = key
        self.texts = [clean(t) for t in texts]
        self.sentences = list(sentences)
        self.current = None
        self.remove_children()
        lines = [
            SentenceLine(Text(text), classes=_line_classes(number, index, paragraphs))
            for index, (text, number) in enumerate(zip(self.texts, self.sentences, strict=True))
        ]
        self.mount_all(lines)
        self.scroll_home(animate=False)

    def highlight(self, sentence: int | None, word: tuple[int, int] | None, theme: str) -> None:
        """Mark the line of `sentence` (reverse of nothing: bold plus a marker, and the word in
        the word style — bold underline — so colour is never the only cue)."""
        lines = list(self.query(SentenceLine))
        index = self.sentences.index(sentence) if sentence in self.sentences else None
        if self.current is not None and self.current != index and self.current < len(lines):
            old = lines[self.current]
            old.remove_class("current")
            old.update(Text(self.texts[self.current]))
        self.current = index
        if index is None or index >= len(lines):
            return
        line = lines[index]
        line.add_class("current")
        line.update(marked_text(self.texts[index], word, theme))
        line.scroll_visible(animate=False)


def _line_classes(number: int, index: int, paragraphs: Collection[int]) -> str:
    if number == 0:
        return "title"
    starts = number in paragraphs and index > 0 and number != 1
    return "sentence paragraph" if starts else "sentence"


def paragraph_starts(article: Article, section: int) -> frozenset[int]:
    """The sentence numbers (1-based, as in utterances) that begin a block of `section` (with
    the cue before it, if it has one: "List, 5 items." goes with the list)."""
    return _paragraph_starts(id(article), article, section)


_STARTS: dict[tuple[int, int], frozenset[int]] = {}


def _paragraph_starts(key: int, article: Article, section: int) -> frozenset[int]:
    cached = _STARTS.get((key, section))
    if cached is not None:
        return cached
    starts, previous = set(), -1
    for utterance in section_utterances(article, section, cues_wanted()):
        if utterance.sentence and utterance.block >= 0 and utterance.block != previous:
            starts.add(utterance.sentence)
        previous = utterance.block
    if len(_STARTS) > 256:
        _STARTS.clear()
    _STARTS[(key, section)] = result = frozenset(starts)
    return result


def marked_text(text: str, word: tuple[int, int] | None, theme: str) -> Text:
    """`text` in the sentence style with the word span in the word style."""
    styled = Text("▶ ", style=Style(bold=True))
    body = Text(text, style=role_style(theme, "sentence"))
    if word is not None:
        start, end = word
        start, end = max(0, start), min(len(text), end)
        if end > start:
            body.stylize(role_style(theme, "word"), start, end)
    styled.append_text(body)
    return styled


def sized_text(text: str, level: int, width: int, marked: bool = False) -> Text:
    """`text` at font `level`: plain at level 1, big glyphs at 2-5 (they step down a level by
    themselves when a glyph would not fit `width`). `marked`: drawn as the big print marks the
    spoken word (reverse video and a bar beneath), so the mark is not colour alone."""
    text = clean(text)
    if level <= 1:
        return Text(text)
    return render_big(text, level, max(width, 10), (0, len(text)) if marked else None)


class BigBox(VerticalScroll):
    """The large-print scroller. It shows whole lines only: the rows below the last whole line
    that fits are padding, and it scrolls a line at a time. Never focused, or it would take
    home, end, up and down for its own scrolling and the reading keys would fall silent."""

    can_focus = False
    pitch = 1  # rows per big-print line, set by the BigPrint inside

    def fit(self, pitch: int) -> None:
        """Pad the bottom so the rows shown are a whole number of `pitch`-row lines."""
        self.pitch = max(1, pitch)
        rows = self.room
        spare = rows % self.pitch if rows >= self.pitch else 0
        if self.styles.padding.bottom != spare:
            self.styles.padding = (0, 1, spare, 1)

    @property
    def room(self) -> int:
        """Rows available before padding."""
        return self.size.height + self.styles.padding.bottom

    def scroll_lines(self, lines: int) -> None:
        top = (round(self.scroll_y) // self.pitch + lines) * self.pitch
        self.scroll_to(y=max(0, top), animate=False)

    def on_resize(self) -> None:
        self.fit(self.pitch)


class BigPrint(Static):
    """Levels 2-5: the passage being read in big glyphs, the spoken word highlighted."""

    def __init__(self, **kwargs) -> None:
        super().__init__("", **kwargs)
        self.text = ""
        self.level = 2
        self.language: str | None = None
        self.word: tuple[int, int] | None = None
        self.highlight_row: int | None = None  # where the spoken word's line starts

    def show(
        self, text: str, level: int, word: tuple[int, int] | None, language: str | None = None
    ) -> None:
        self.text, self.level, self.word = clean(text), level, word
        self.language = language or self.language
        self.refresh_print()

    def refresh_print(self) -> None:
        width = max(self.size.width or self.app.size.width - 2, 20)
        box = self.parent if isinstance(self.parent, BigBox) else None
        height = box.room if box is not None and box.room > 0 else None
        layout = layout_big(self.text, self.level, width, self.word, self.language, height)
        self.highlight_row = layout.highlight_row
        self.update(layout.text)
        if box is not None:
            box.fit(line_height(layout.level))

    def on_resize(self) -> None:
        self.refresh_print()


class StatusLine(Static):
    """Section n of m, sentence, rate, volume, font size, voice and Playing/Paused/Stopped — in
    words."""


class MessageLine(Static):
    """The last announcement or error, shown as well as spoken."""

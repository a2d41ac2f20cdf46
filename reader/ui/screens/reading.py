"""The reading screen: section list, reading pane (or big print), message and status lines."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static

from reader.model import Article, Link
from reader.reading.controller import ReadingController
from reader.reading.display import map_span
from reader.reading.session import ReadingSession
from reader.reading.types import SECTIONS, ReadingTag
from reader.speech import short_title
from reader.text import clean, counted
from reader.ui.messages import ArticleLoaded, OpenSource
from reader.ui.screens.base import (
    RATE_AND_FONT_KEYS,
    SOUND_AND_LOOK_KEYS,
    MessageScreen,
    built,
    key_table,
    leaving,
    push_spoken,
    went_round,
)
from reader.ui.screens.dialogs import FindDialog
from reader.ui.screens.links import LinksScreen
from reader.ui.widgets import (
    BigBox,
    BigPrint,
    ReadingPane,
    SectionList,
    StatusLine,
    paragraph_starts,
)

WINDOW = 150  # sentences shown at a time in the reading pane

# shift+1 .. shift+6 as terminals send them: the US characters, the kitty protocol's own names,
# and the UK and German layouts' characters where they differ (" £ § &).
SHIFTED_DIGITS = {
    1: "exclamation_mark,shift+1",
    2: "at,quotation_mark,shift+2",
    3: "number_sign,pound_sign,section_sign,shift+3",
    4: "dollar_sign,shift+4",
    5: "percent_sign,shift+5",
    6: "circumflex_accent,ampersand,shift+6",
}
# Moving by element, NVDA's quick navigation keys where the fixed keys leave them free.
ELEMENT_KEYS = [
    *(Binding(str(n), f"heading({n}, 1)", f"Next heading {n}", show=False) for n in range(1, 7)),
    *(Binding(keys, f"heading({n}, -1)", show=False) for n, keys in SHIFTED_DIGITS.items()),
    *key_table(
        """
        l          list(1)        Next list
        L          list(-1)       Previous list
        ctrl+down  paragraph(1)   Next paragraph
        ctrl+up    paragraph(-1)  Previous paragraph
        T          table_header   Table headers
        k          links          Links
        backspace  back           Back
        z          sleep_timer    Sleep timer
        """,
        show=False,
    ),
]


class ReaderScreen(MessageScreen):
    """Section list, reading pane, message and status lines. Nothing here takes focus except
    the section list while `t` has opened it, so every key below reaches this screen."""

    AUTO_FOCUS = None
    BINDINGS = [
        *key_table("""
            space   app.play_pause                 Play/Pause
            escape  escape                         Stop
            right   app.navigate('next_sentence')  Next sentence
            left    app.navigate('prev_sentence')  Previous sentence
            n,h     app.navigate('next_section')   Next section
            p,H     app.navigate('prev_section')   Previous section
            t       sections                       Sections
        """),
        *RATE_AND_FONT_KEYS,
        *key_table("""
            r                 app.navigate('repeat')  Repeat
            w                 app.where               Where am I
            o                 app.open_dialog         Open
            b                 app.start_screen        Start screen
            question_mark,f1  app.help                Help
            q                 app.quit_reader         Quit
            home              app.navigate('start')   Start
            end               app.navigate('end')     End
        """),
        *SOUND_AND_LOOK_KEYS,
        Binding("slash,ctrl+f", "find", "Find"),
        *key_table(
            """
            s         app.follow_feed        Follow feed
            c         app.toggle_continuous  Continuous
            up        scroll(-1)             Scroll up
            down      scroll(1)              Scroll down
            pageup    scroll(-10)            Page up
            pagedown  scroll(10)             Page down
            """,
            show=False,
        ),
        *ELEMENT_KEYS,
    ]

    quiet_highlight: int | None = None  # a highlight set by the screen, not by the listener

    def __init__(self, reading: ReadingController, level: int = 1) -> None:
        super().__init__()
        self.reading = reading
        self.level = level  # the font size level (1 in a browser: the page's font is the print)
        self.sections_were_playing = False
        self.drawn: Article | None = None  # the article whose title and outline are shown
        # The screen holds its widgets, never looks them up: speech events and keys reach it
        # while it is still being built or already being taken down, when a lookup can fail.
        self.title_bar = Static("", id="title")
        self.section_list = SectionList(id="sections")
        self.pane = ReadingPane(id="pane")
        self.big_box = BigBox(id="big")
        self.big_print = BigPrint(id="bigprint")
        self.status_line = StatusLine("", id="status")

    def compose(self) -> ComposeResult:
        yield self.title_bar
        with Vertical(id="body"):
            yield self.section_list
            yield self.pane
            with self.big_box:
                yield self.big_print
        yield self.message_line
        yield self.status_line
        yield Static(
            Text("space play/pause · t sections · ? help · q quit"), id="hint", classes="hint"
        )

    def on_mount(self) -> None:
        self.apply_font(self.level)
        if leaving(self):  # the app quit while this screen was being built
            return
        article = self.reading.article
        if self.reading.session is not None and article is not None:
            self.draw_article(article)
        # Once mounted (after this handler) the controller's place is shown.
        self.call_after_refresh(self.reading.view.refresh_reading)

    # -- actions that belong to the screen

    async def action_escape(self) -> None:
        if self.sections_open:
            self.close_sections()
        else:
            await self.run_action("app.stop")

    def action_sections(self) -> None:
        """t: open the section list on the section being read (up and down say each title,
        enter reads from one), or close it."""
        session = self.reading.session
        if self.sections_open:
            self.close_sections()
            return
        if session is None:
            return
        sections = self.section_list
        sections.can_focus = True
        self.set_class(True, "sections-open")
        current, count = session.section, session.section_count
        if sections.highlighted != current:
            # Said below; the list's own event for it would cut that off.
            self.quiet_highlight = current
            sections.highlighted = current
        sections.focus()
        self.sections_were_playing = self.reading.modal_opened(SECTIONS)
        said = f"Sections, {counted(count, 'item')}. "
        said += f"{session.spoken_title(current)}, {current + 1} of {count}. "
        said += "Up and down to move, enter to read, escape to go back."
        self.reading.say([said], "sections")

    def action_find(self) -> None:
        """/: the find dialog; enter reads from the next sentence with the words typed."""
        reading = self.reading
        if reading.session is None:
            reading.tell("No article is open. Press o to open one.")
            return
        dialog = FindDialog(reading.find, reading.last_find, self.level)
        push_spoken(self.app, reading, dialog, self.find_closed)

    def find_closed(self, found: str | None, was_playing: bool) -> None:
        if found is None:  # escape; else reading goes on from where the words were found
            self.reading.modal_closed(FindDialog.modal, was_playing)

    # -- moving by element, links and history (the controller's navigator does the work)

    def action_heading(self, level: int, step: int) -> None:
        self.reading.navigation.heading(level, step)

    def action_list(self, step: int) -> None:
        self.reading.navigation.list_jump(step)

    def action_paragraph(self, step: int) -> None:
        self.reading.navigation.paragraph(step)

    def action_table_header(self) -> None:
        self.reading.navigation.table_header()

    def action_sleep_timer(self) -> None:
        self.reading.time.cycle_sleep()

    def action_links(self) -> None:
        """k: the links list; enter opens the link chosen (this article keeps its place)."""
        found = self.reading.navigation.links()
        if found is not None:
            links, first = found
            screen = LinksScreen(links, first, self.level)
            push_spoken(self.app, self.reading, screen, self.links_closed)

    def links_closed(self, link: Link | None, was_playing: bool) -> None:
        if link is None:
            self.reading.modal_closed(LinksScreen.modal, was_playing)
        else:
            self.post_message(OpenSource(link.href, name=link.text or "the link"))

    def action_back(self) -> None:
        """backspace: back to the article left, at the sentence it was left at."""
        visit = self.reading.navigation.back()
        if visit is None:
            return
        if visit.loaded is not None:  # kept in memory: no network, no wait
            self.post_message(ArticleLoaded(visit.source, visit.loaded, "", None))
        else:
            self.post_message(OpenSource(visit.source, name=visit.title))

    def close_sections(self, spoken: bool = True) -> None:
        sections = self.section_list
        self.set_focus(None)
        sections.can_focus = False
        self.set_class(False, "sections-open")
        if spoken:
            self.reading.modal_closed(SECTIONS, self.sections_were_playing)

    @property
    def sections_open(self) -> bool:
        return self.has_class("sections-open")

    def action_scroll(self, lines: int) -> None:
        if self.has_class("large"):
            self.big_box.scroll_lines(1 if lines > 0 else -1)  # whole lines only
        else:
            self.pane.scroll_relative(y=lines, animate=False)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        quiet, self.quiet_highlight = self.quiet_highlight, None
        went = went_round(event.option_list)  # taken whatever happens: it is this move's
        if event.option_index == quiet:
            return
        if self.sections_open and event.option_list.has_focus:
            self.reading.section_highlighted(event.option_index, went)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if self.sections_open:
            self.close_sections(spoken=False)
            self.reading.go_to_section(event.option_index)

    # -- showing state

    def apply_font(self, level: int) -> None:
        """Level 1: outline and normal text. 2-5: big print only, the outline folded away."""
        self.level = level
        self.set_class(level > 1, "large")
        for n in range(1, 6):
            self.set_class(level == n, f"font-{n}")

    def show_article(self, article: Article) -> None:
        """A newly opened article: its title and outline (drawn as soon as the screen is
        built, if it is not yet)."""
        if built(self) and article is not self.drawn:
            self.draw_article(article)
            self.reading.view.refresh_reading()

    def draw_article(self, article: Article) -> None:
        self.drawn = article
        title = short_title(clean(article.title))  # a 100 KB <h1> is no title bar
        self.title_bar.update(Text(title))
        self.section_list.set_sections(article)
        self.pane.section = None

    def show_reading(self, session: ReadingSession, font_size: int, theme: str) -> bool:
        """Show the session's section, sentence and word in the pane (or the big print).
        False while the screen is not built (being built, its mount will show it; being taken
        down, there is nothing to show it on)."""
        if not built(self):
            return False
        section, sentence = session.position
        pane = self.pane
        window = max(sentence - 1, 0) // WINDOW
        if pane.section != (section, window):
            # A very long section (a page with no headings) is shown WINDOW lines at a time.
            utts = session.utterances_of(section)[window * WINDOW : (window + 1) * WINDOW + 1]
            shown = session.shown_of(section)[window * WINDOW : (window + 1) * WINDOW + 1]
            starts = paragraph_starts(session.article, section)
            pane.show_section((section, window), shown, [u.sentence for u in utts], starts)
            self.section_list.highlighted = section
        word = None
        current = session.current
        shown_text = session.current_shown
        if session.word is not None and current is not None:
            tag = session.word.item.tag
            if isinstance(tag, ReadingTag) and tag == (section, sentence):
                start = session.word.offset
                word = map_span(current.text, shown_text, start, start + session.word.length)
        pane.highlight(sentence, word, theme)
        if self.has_class("large") and current is not None:
            big = self.big_print
            big.show(shown_text, font_size, word, session.article.language)
            if big.highlight_row is not None:
                self.big_box.scroll_to(y=big.highlight_row, animate=False)
        return True

    def show_status(self, text_for_width: Callable[[int], str]) -> None:
        """The status line, as long as its width allows (shown once mounted, if it is not)."""
        line = self.status_line
        width = line.size.width or self.app.size.width - 2  # its content: padding left out
        line.update(Text(text_for_width(width)))

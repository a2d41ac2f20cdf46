"""Element keys, history, where am I and the sleep timer through the ReadingController, without
Textual: the real speech stack (eSpeak NG through pyttsx3, the null audio backend), a real
saved-state folder, and a clock the test moves by hand (no test waits real minutes)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from helpers.articles import article_of
from helpers.speech import RecordingView, reader_driver
from helpers.waiting import wait_for

from reader.model import Article, Block, Link
from reader.reading.controller import ReadingController
from reader.reading.setup import Options, build_speech, prepare
from reader.reading.types import Announcement, ReadingTag


class Clock:
    def __init__(self) -> None:
        self.now = 5000.0

    def __call__(self) -> float:
        return self.now


def guide() -> Article:
    return article_of(
        "Guide",
        ("Guide", 1, ["Read this first. It is short."]),
        (
            "Treatment",
            2,
            [
                Block("paragraph", "Start a therapy early.", (Link("Side effects", "other"),)),
                Block("list_item", "Natalizumab."),
                Block("list_item", "Ocrelizumab."),
            ],
        ),
        ("Infusions", 3, ["A nurse stays with you."]),
        ("Daily life", 2, ["Rest every day."]),
        source="guide",
    )


def other() -> Article:
    return article_of("Side effects", ("Side effects", 1, ["Most are mild."]), source="other")


Opened = tuple[ReadingController, RecordingView, Clock]


@pytest.fixture
def opened() -> Iterator[Opened]:
    """A controller with speech up and the guide open, not yet reading."""
    view, clock = RecordingView(), Clock()
    options = Options(source="guide", rate=1000, autoplay=False, driver=reader_driver())
    controller = ReadingController(options, view, clock=clock)
    speech, notices = build_speech(controller.options, lambda error: None)
    assert controller.attach_speech(speech, notices)
    controller.begin_article("guide", prepare(guide()))
    controller.start_reading("guide")
    try:
        yield controller, view, clock
    finally:
        controller.close_speech()


def said(view: RecordingView, text: str, after: int = 0) -> None:
    wait_for(lambda: any(t == text for _, t in view.started(after)))


def test_a_heading_key_reads_the_title_says_its_level_and_reads_on(opened: Opened) -> None:
    controller, view, _ = opened
    mark = view.mark()
    controller.navigation.heading(2, 1)
    assert view.messages[-1] == ("Treatment, heading level 2", False)
    wait_for(lambda: (ReadingTag(1, 1), "Start a therapy early.") in view.started(mark))
    started = view.started(mark)
    assert started[:2] == [
        (ReadingTag(1, 0), "Treatment"),
        (Announcement("navigation"), "heading level 2"),
    ]
    controller.navigation.heading(2, 1)
    wait_for(lambda: (ReadingTag(3, 0), "Daily life") in view.started(mark))
    mark = view.mark()
    controller.navigation.heading(2, 1)  # none after the last: said, never silence
    said(view, "No next level 2 heading.", mark)
    assert view.messages[-1] == ("No next level 2 heading.", False)
    controller.navigation.heading(3, -1)
    wait_for(lambda: (ReadingTag(2, 0), "Infusions") in view.started(mark))


def test_list_and_paragraph_keys_go_on_reading_from_the_element(opened: Opened) -> None:
    controller, view, _ = opened
    mark = view.mark()
    controller.navigation.list_jump(1)
    wait_for(lambda: any(tag == ReadingTag(1, 2) for tag, _ in view.started(mark)))
    assert view.started(mark)[0] == (Announcement("navigation"), "List, 2 items.")
    assert controller.session.state == "playing"
    mark = view.mark()
    controller.navigation.list_jump(1)
    said(view, "No next list.", mark)
    controller.session.go_to(0, 1)
    mark = view.mark()
    controller.navigation.paragraph(1)  # "Read this first. It is short." is one paragraph
    wait_for(lambda: (ReadingTag(1, 0), "Treatment") in view.started(mark))
    assert view.started(mark)[0] == (ReadingTag(1, 0), "Treatment")
    controller.navigation.table_header()
    said(view, "Not in a table.", mark)


def test_following_and_going_back_restores_the_sentence(opened: Opened) -> None:
    controller, view, _ = opened
    controller.session.go_to(1, 1)
    links, first = controller.navigation.links()
    assert [link.text for link in links] == ["Side effects"] and first == 0
    controller.begin_article("other", prepare(other()))  # what enter in the links list does
    controller.start_reading("other")
    assert controller.article_source == "other"
    visit = controller.navigation.back()
    assert visit is not None and visit.source == "guide" and visit.loaded is not None
    mark = view.mark()
    controller.begin_article(visit.source, visit.loaded)  # what the app does with it
    controller.start_reading(visit.source)
    assert controller.session.position == (1, 1)
    said(view, "Back to Guide. Resuming at section 2 of 4, Treatment.", mark)
    wait_for(lambda: (ReadingTag(1, 1), "Start a therapy early.") in view.started(mark))
    assert controller.navigation.history == []  # going back keeps no new entry
    mark = view.mark()
    assert controller.navigation.back() is None
    said(view, "No article to go back to.", mark)


def test_where_am_i_says_percent_and_time_left_first(opened: Opened) -> None:
    controller, view, _ = opened
    controller.session.go_to(2, 1)
    mark = view.mark()
    controller.where()
    shown = view.messages[-1][0]
    first, rest = shown.split(". ", 1)
    assert first.endswith("percent, under a minute left")
    assert rest.startswith("Section 3 of 4: Infusions. Sentence 1 of 1. Rate 1000.")
    wait_for(lambda: any(tag == Announcement("where") for tag, _ in view.started(mark)))


def test_the_sleep_timer_warns_then_stops_and_saves_the_place(opened: Opened) -> None:
    controller, view, clock = opened
    mark = view.mark()
    controller.time.cycle_sleep()
    said(view, "Sleep timer 15 minutes.", mark)
    controller.session.go_to(2, 1)  # reading, as a listener falling asleep would be
    clock.now += 14 * 60 - 1
    controller.tick()
    assert controller.session.state == "playing"
    mark = view.mark()
    clock.now += 2
    controller.tick()
    said(view, "Sleep timer: 1 minute left.", mark)
    assert controller.session.state == "playing"  # the warning does not stop reading
    controller.where()
    assert "Sleep timer: 59 seconds left." in view.messages[-1][0]
    clock.now += 60
    mark = view.mark()
    controller.tick()
    said(view, "Sleep timer ended. Reading stopped. Your place is saved.", mark)
    assert controller.session.state == "stopped"
    saved = controller.store.position("guide")
    assert saved is not None and (saved.section, saved.sentence) == controller.session.position
    assert controller.session.position[0] == 2
    assert not controller.time.sleep.running

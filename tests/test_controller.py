"""The ReadingController without Textual: the real speech stack (eSpeak NG through pyttsx3, the
null audio backend), a real saved-state folder, and a view that records what it was asked to
show. What the app's keys do is checked here in plain Python; test_ui_keys drives the same
through the real app."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from helpers.articles import article_of
from helpers.speech import RecordingView, opened_controller
from helpers.waiting import wait_for

from reader.model import Article
from reader.reading.controller import ReadingController
from reader.reading.types import FIND, HELP, Announcement, ReadingTag


def article() -> Article:
    return article_of(
        "Infusion Treatments",
        ("Infusion Treatments", 1, ["MS affects nerves."]),
        ("Natalizumab", 2, ["It stops immune cells."]),
        ("Ocrelizumab", 2, ["It is the newest one."]),
    )


@pytest.fixture
def opened() -> Iterator[tuple[ReadingController, RecordingView]]:
    """A controller with speech up and the article open, not yet reading."""
    with opened_controller(article()) as pair:
        yield pair


def test_opening_without_autoplay_says_the_title_and_how_to_start(opened) -> None:
    controller, view = opened
    assert view.messages[-1] == ("Infusion Treatments. Press space to read.", False)
    assert controller.session is not None and controller.session.state != "playing"
    assert controller.session.position == (0, 0) and controller.queue.rate == 1000


def test_navigation_speaks_typed_tags_and_shows_the_section(opened) -> None:
    controller, view = opened
    controller.navigate("next_section")
    assert view.messages[-1] == ("Section 2 of 3: Natalizumab", False)
    wait_for(lambda: any(tag == ReadingTag(1, 1) for tag, _ in view.started()))
    tags = [tag for tag, _ in view.started()]
    # Announcements and sentences are told apart by type, and equal their plain tuple forms.
    assert Announcement("navigation") in tags and ("announce", "navigation") in tags
    assert all(isinstance(tag, (ReadingTag, Announcement)) for tag in tags)


def test_find_reads_from_the_words_and_shows_where(opened) -> None:
    controller, view = opened
    assert controller.find("  ") == (False, "")
    assert controller.find("no such words") == (False, "Not found: no such words")
    found, where = controller.find("newest")
    assert found and where == "Found in Section 3 of 3: Ocrelizumab, sentence 1"
    assert controller.last_find == "newest" and view.messages[-1] == (where, False)
    wait_for(lambda: (ReadingTag(2, 1), "It is the newest one.") in view.started())


def test_a_talking_dialog_pauses_reading_and_reading_goes_on_after_it(opened) -> None:
    controller, view = opened
    session = controller.session
    assert session is not None
    session.play()
    assert controller.modal_opened(FIND) is True and session.state == "paused"
    controller.modal_closed(FIND, was_playing=True)
    assert session.state == "playing" and view.messages[-1] == ("Find closed.", False)
    wait_for(lambda: (Announcement("message"), "Find closed.") in view.started())


def test_a_dialog_opened_while_stopped_says_what_to_do_instead(opened) -> None:
    controller, view = opened
    assert controller.modal_opened(HELP) is False
    controller.modal_closed(HELP, was_playing=False, otherwise="Help closed. Press space.")
    assert view.messages[-1] == ("Help closed. Press space.", False)
    wait_for(lambda: (Announcement("help"), "Help closed. Press space.") in view.started())


def test_rate_changes_are_said_kept_and_saved(opened) -> None:
    controller, view = opened
    controller.change_rate(-1)
    assert controller.queue.rate == 975 and controller.settings.rate == 975
    assert view.messages[-1] == ("Rate 975", False)
    _, said, at_limit = controller.set_font(99)
    assert said == "Font size 5 of 5" and not at_limit
    assert controller.set_font(99)[1:] == ("Font size 5 of 5, largest", True)

"""Coming back to an article, its title is said once: "Back to Infusion Treatments. Resuming at
section 1 of 3." -- not the title again as the section's (a second user trial heard it twice,
after backspace and when continuous listening went on to an article with a saved place)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from helpers.articles import article_of
from helpers.speech import reader_driver

from reader.reading.session import ReadingSession
from reader.speech import article_utterances
from voices.player import make_player
from voices.queue import SpeechQueue


@pytest.fixture
def session() -> Iterator[ReadingSession]:
    queue = SpeechQueue(reader_driver(), make_player("null"))
    queue.set_rate(400)
    article = article_of(
        "Infusion Treatments",
        ("Infusion Treatments", 1, ["MS affects the nerves. There is no cure."]),
        ("Fatigue", 2, ["Rest helps. So does cooling."]),
        ("Infusion side effects", 2, ["Some feel tired. It passes."]),
    )
    yield ReadingSession(article, article_utterances(article), queue)
    queue.close()


def test_a_title_just_said_is_not_said_again_as_the_sections(session: ReadingSession) -> None:
    said = session.resume_at(0, 1, prefix="Back to Infusion Treatments.")
    assert said.startswith("Back to Infusion Treatments. Resuming at section 1 of 3. MS affects")
    session.stop()


def test_another_sections_title_is_still_said(session: ReadingSession) -> None:
    said = session.resume_at(1, 1, prefix="Back to Infusion Treatments.")
    assert said.startswith("Back to Infusion Treatments. Resuming at section 2 of 3, Fatigue. Rest")
    session.stop()


def test_a_title_that_only_contains_the_sections_is_no_reason_to_drop_it(
    session: ReadingSession,
) -> None:
    said = session.resume_at(1, 1, prefix="Next: Fatigue after infusions.")
    assert said.startswith("Next: Fatigue after infusions. Resuming at section 2 of 3, Fatigue.")
    session.stop()

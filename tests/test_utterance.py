"""How the speech queue cuts an item into entries (voices/utterance.py): voice runs, and the
natural voice's pieces, short only where the listener is waiting for the first sound."""

from __future__ import annotations

import re
from typing import Any

from helpers.waiting import wait_for

from voices.base import SpeechEvent, SpeechItem
from voices.piper_driver import FIRST_WORDS, MAX_WORDS, PiperDriver
from voices.player import make_player
from voices.queue import SpeechQueue
from voices.utterance import entries_for

WORD = re.compile(r"\w+(?:['’-]\w+)*")
LONG = (
    "Patients may feel cold as the medicine enters the vein, so the nurse brings a warm "
    "blanket and checks the line before every treatment begins."
)


def words(text: str) -> int:
    return len(WORD.findall(text))


def test_runs_become_entries_covering_the_text_once_with_one_start_and_one_end() -> None:
    item = SpeechItem("Section 2 of 3: Les traitements. Fin.", tag="x")
    at = item.text.index("Les")
    runs = [(at, None), (0, "gmw/en"), (at, None), (item.text.index("Fin"), "gmw/en")]
    entries = entries_for(item, runs, None, "roa/fr")
    assert [(e.base, e.text, e.voice) for e in entries] == [
        (0, "Section 2 of 3: ", "gmw/en"),
        (at, "Les traitements. ", None),
        (item.text.index("Fin"), "Fin.", "gmw/en"),
    ]
    assert [(e.first, e.last) for e in entries] == [(True, False), (False, False), (False, True)]
    # Runs out of range or empty are dropped; a run of blanks says nothing.
    assert [e.text for e in entries_for(item, [(0, "a"), (0, "b"), (999, "c")], None, None)] == [
        item.text
    ]
    assert entries_for(SpeechItem("   "), [(0, None)], None, None) == []


def test_only_the_piece_the_listener_waits_for_is_cut_short() -> None:
    item = SpeechItem(LONG)
    waited = entries_for(item, [(0, None)], PiperDriver.split, None, True)
    assert words(waited[0].text) <= FIRST_WORDS and len(waited) > 1
    ahead = entries_for(item, [(0, None)], PiperDriver.split, None, False)
    assert len(ahead) == 1 and words(ahead[0].text) <= MAX_WORDS
    assert "".join(e.text for e in waited) == "".join(e.text for e in ahead) == LONG


def test_the_queue_asks_for_a_quick_first_piece_only_when_nothing_plays() -> None:
    """The real natural voice and queue: of three sentences spoken at once, only the first is
    cut for a fast first sound; the others are made while it plays, with fewer cuts to hear."""
    driver = PiperDriver()
    asked: list[tuple[str, bool]] = []
    real_split = driver.split

    def split(text: str, voice: str | None = None, quick: bool = True) -> list[tuple[int, str]]:
        asked.append((text, quick))
        return real_split(text, voice, quick)

    driver.split = split  # type: ignore[method-assign] - watched, not replaced
    queue = SpeechQueue(driver, make_player("null"))
    try:
        queue.set_rate(600)
        queue.speak([SpeechItem(LONG, 1), SpeechItem(LONG, 2), SpeechItem(LONG, 3)])
        assert [quick for _, quick in asked] == [True, False, False]
        assert queue.wait_idle(120)
        queue.speak([SpeechItem(LONG, 4)], interrupt=False)  # idle again: waited for
        assert asked[-1] == (LONG, True)
    finally:
        queue.close()
        driver.close()


def test_choosing_the_natural_voice_starts_it_loading_at_once() -> None:
    """Its worker takes a second or two to load: it starts when the voice is chosen, not when
    the first sentence in it is waited for (benchmarks/speech.py shows its warm-up)."""
    from voices.drivers import make_driver
    from voices.piper_switch import NATURAL_VOICE

    driver = make_driver()
    queue = SpeechQueue(driver, make_player("null"))
    try:
        assert driver.natural is None  # type: ignore[attr-defined]
        queue.set_voice("natural")
        natural = driver.natural  # type: ignore[attr-defined]
        assert isinstance(natural, PiperDriver) and natural.worker_pid is not None
        assert queue.voice == NATURAL_VOICE.id and natural.startup_seconds > 0
        assert natural.synthesize("Patients may feel cold.").duration > 0.5
    finally:
        queue.close()
        driver.close()


def test_the_waited_for_piece_ends_at_the_first_clause_when_there_is_one() -> None:
    """A neural voice's time grows with the audio it makes: "Section 2: " sounds sooner than
    "Section 2: Side effects." (2.5 s of audio), and the cut falls on the colon's pause."""
    assert [p for _, p in PiperDriver.split("Section 2: Side effects.")] == [
        "Section 2: ",
        "Side effects.",
    ]
    assert [p for _, p in PiperDriver.split("Section 2 of 10: Les traitements")][0] == (
        "Section 2 of 10: "
    )
    assert [p for _, p in PiperDriver.split("Yes, it is.")] == ["Yes, it is."]  # too short to cut
    assert len(PiperDriver.split("Section 2: Side effects.", quick=False)) == 1


def test_skipping_to_a_sentence_made_ahead_plays_it_without_making_it_again() -> None:
    """Right arrow while reading: the next sentence was made while this one played; it is
    played at once, not synthesised again (and "repeat" replays what was being heard)."""
    driver = PiperDriver()
    made: list[str] = []
    real_synthesize = driver.synthesize

    def synthesize(text: str) -> Any:
        audio = real_synthesize(text)
        made.append(text)
        return audio

    driver.synthesize = synthesize  # type: ignore[method-assign] - watched, not replaced
    queue = SpeechQueue(driver, make_player("null"))
    events: list[SpeechEvent] = []
    queue.subscribe(events.append)
    sentences = [
        "Patients may feel cold as the medicine enters the vein.",
        "Most sessions last between one and three hours.",
        "Bring a book and a blanket.",
    ]
    try:
        queue.set_rate(300)
        queue.speak([SpeechItem(text, n) for n, text in enumerate(sentences)])
        # Paused in the first sentence's second piece (made ahead only once its quick first
        # piece has played), so it is still the one heard however long a busy machine takes to
        # make the next two: unpaused, it sometimes ended before they were made.
        second_piece = sentences[0].index("as the")
        wait_for(lambda: any(e.kind == "word" and e.offset >= second_piece for e in events[:]))
        queue.pause()
        wait_for(lambda: sentences[2] in made, 60, "the sentences ahead made")
        assert sentences[1] in made and sentences[2] in made  # made while the first plays
        assert queue.current is not None and queue.current.text == sentences[0]
        made.clear()
        skipped = [SpeechItem(text, 10 + n) for n, text in enumerate(sentences[1:])]
        queue.speak(skipped)  # the right arrow
        assert queue.wait_idle(60)
        assert [m for m in made if m in sentences[1]] == []  # played as made before
        said = [
            e.item.text[e.offset : e.offset + e.length]
            for e in events
            if e.kind == "word" and e.item is skipped[0]
        ]
        assert said == WORD.findall(sentences[1])
    finally:
        queue.close()
        driver.close()

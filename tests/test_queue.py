"""The speech queue with the real default driver and the real player on the null backend.

The null device consumes audio in real time, so sentences are short and fast."""

from __future__ import annotations

import queue as stdlib_queue
import re
import time
from collections.abc import Iterator

import pytest
from helpers.speech import Recorder, reader_driver
from helpers.waiting import wait_for

from reader.errors import SpeechError
from reader.model import Article, Block, Section
from reader.speech import MAX_SENTENCE, article_utterances
from voices.base import MAX_RATE, MIN_RATE, Audio, SpeechEvent, SpeechItem, SynthDriver
from voices.player import make_player
from voices.queue import SpeechQueue

FAST = 350  # words per minute: keeps real-time playback short


class FailingOn:
    """The real driver, except that one marked sentence fails the way a dead worker does.
    (A genuine failure of the worker cannot be provoked on demand.)"""

    def __init__(self, driver: SynthDriver, marker: str) -> None:
        self._driver = driver
        self._marker = marker

    def __getattr__(self, name: str) -> object:
        return getattr(self._driver, name)

    def __setattr__(self, name: str, value: object) -> None:
        if name.startswith("_"):
            object.__setattr__(self, name, value)
        else:
            setattr(self._driver, name, value)

    def synthesize(self, text: str) -> Audio:
        if self._marker in text:
            raise SpeechError("The speech synthesiser stopped working for this sentence.")
        return self._driver.synthesize(text)


@pytest.fixture
def driver() -> SynthDriver:
    """The reader's driver over the test process's eSpeak worker, on default settings."""
    return reader_driver()


@pytest.fixture
def speech(driver: SynthDriver) -> Iterator[tuple[SpeechQueue, Recorder]]:
    q = SpeechQueue(driver, make_player("null"))
    q.set_rate(FAST)
    recorder = Recorder()
    q.subscribe(recorder)
    try:
        yield q, recorder
    finally:
        q.close()


def words_of(text: str) -> list[int]:
    return [m.start() for m in re.finditer(r"\w+", text)]


def test_events_come_in_order_with_their_tags(speech: tuple[SpeechQueue, Recorder]) -> None:
    q, rec = speech
    items = [
        SpeechItem("Section one.", (0, 0)),
        SpeechItem("The first sentence has six words.", (0, 1)),
        SpeechItem("Done.", "announce"),
    ]
    q.speak(items)
    assert q.wait_idle(timeout=20)
    assert [e.item for e in rec.events if e.kind == "start"] == items
    for item in items:
        kinds = rec.kinds(item.tag)
        assert kinds[0] == "start" and kinds[-1] == "end"
        assert set(kinds[1:-1]) == {"word"}
        offsets = [e.offset for e in rec.of("word", item.tag)]
        assert offsets == sorted(offsets) and len(set(offsets)) == len(offsets)
        for e in rec.of("word", item.tag):  # each word event points at a word of the text
            assert item.text[e.offset : e.offset + e.length].strip()
            assert e.offset in words_of(item.text)
        assert len(offsets) >= len(words_of(item.text)) - 1
    # Each utterance starts as (or after) the previous one ends: no overlap, in order.
    starts = rec.of("start")
    ends = rec.of("end")
    for before, after in zip(ends, starts[1:], strict=False):
        assert after.time >= before.time - 0.001
    times = [e.time for e in rec.events]
    assert times == sorted(times)
    assert rec.threads == {"speech-events"}
    assert not q.speaking and q.current is None


def test_empty_and_whitespace_items_are_skipped(speech: tuple[SpeechQueue, Recorder]) -> None:
    q, rec = speech
    q.speak([SpeechItem("", 1), SpeechItem("  \n\t ", 2), SpeechItem("Hello.", 3)])
    assert q.wait_idle(timeout=20)
    assert {e.item.tag for e in rec.events if e.item is not None} == {3}
    assert rec.kinds(3)[0] == "start" and rec.kinds(3)[-1] == "end"


def test_pause_holds_the_sample_and_resume_continues_from_it(
    speech: tuple[SpeechQueue, Recorder],
) -> None:
    q, rec = speech
    player = q.player
    text = "Pausing in the middle of a sentence must not lose a single word of it."
    q.speak([SpeechItem(text, "p")])
    rec.wait("word", "p", count=3)
    q.pause()
    assert q.paused and q.speaking
    time.sleep(0.1)  # let the event thread catch up with the last period delivered
    held = player.frames_delivered
    words_held = len(rec.of("word", "p"))
    time.sleep(0.3)
    assert player.frames_delivered == held  # not one sample while paused
    assert len(rec.of("word", "p")) == words_held
    assert rec.of("end", "p") == []
    q.resume()
    assert not q.paused
    assert q.wait_idle(timeout=20)
    assert rec.kinds("p")[-1] == "end"
    # Every synthesised sample was played exactly once: resumed at the same sample.
    assert player.frames_delivered == player.frames_queued
    offsets = [e.offset for e in rec.of("word", "p")]
    assert len(offsets) == len(set(offsets))  # no word spoken twice


def test_stop_during_a_long_sentence_ends_playback(speech: tuple[SpeechQueue, Recorder]) -> None:
    q, rec = speech
    long = SpeechItem(" ".join(["This long sentence goes on and on"] * 6) + ".", "long")
    q.speak([long, SpeechItem("Never said.", "next")])
    rec.wait("word", "long", count=2)
    q.stop()
    stopped = time.monotonic()
    rec.wait("stop")
    assert [e.item for e in rec.of("stop")] == [long]
    assert not q.speaking and q.current is None
    assert q.wait_idle(timeout=5) and q.player.wait_idle(timeout=5)
    # Everything dropped unplayed is taken off frames_queued: once idle, what was delivered
    # equals what stayed queued, so not one frame was played after the stop.
    assert q.player.frames_delivered == q.player.frames_queued
    # The device keeps calling back once a period; wait for a few periods after the stop (not
    # a fixed sleep) and check that each of them played nothing.
    assert wait_for(lambda: len(list(q.player.periods_since(stopped))) >= 3, timeout=5)
    after_stop = list(q.player.periods_since(stopped))
    assert not any(p.audible or p.tokens for p in after_stop)
    # stop while idle says nothing more. A later utterance marks the point by which any
    # event from that stop would have arrived (events come in order on one thread).
    q.stop()
    q.speak([SpeechItem("After.", "after")], interrupt=False)
    rec.wait("start", "after")
    assert len(rec.of("stop")) == 1
    assert rec.of("end", "long") == [] and rec.kinds("next") == []


def test_interrupt_replaces_the_queue(speech: tuple[SpeechQueue, Recorder]) -> None:
    q, rec = speech
    first = [SpeechItem(f"Old sentence number {n} here.", ("old", n)) for n in range(3)]
    q.speak(first)
    rec.wait("word", ("old", 0))
    new = SpeechItem("New section title.", ("new", 0))
    q.speak([new], interrupt=True)
    assert q.wait_idle(timeout=20)
    kinds = [(e.kind, e.item.tag if e.item else None) for e in rec.events]
    stop_at = kinds.index(("stop", ("old", 0)))
    assert kinds[stop_at + 1] == ("start", ("new", 0))
    assert all(tag == ("new", 0) for _, tag in kinds[stop_at + 1 :])
    assert rec.kinds(("old", 1)) == [] and rec.kinds(("old", 2)) == []
    assert rec.kinds(("new", 0))[-1] == "end"


def test_append_without_interrupt_keeps_the_queue(speech: tuple[SpeechQueue, Recorder]) -> None:
    q, rec = speech
    q.speak([SpeechItem("One.", 1)])
    q.speak([SpeechItem("Two.", 2)], interrupt=False)
    assert q.wait_idle(timeout=20)
    assert [e.item.tag for e in rec.of("start")] == [1, 2]
    assert rec.of("stop") == []


def test_rate_change_takes_effect_from_the_next_utterance(
    speech: tuple[SpeechQueue, Recorder],
) -> None:
    q, rec = speech
    text = "Rate changes apply from the next sentence on."
    q.set_rate(200)
    q.speak([SpeechItem(text, n) for n in range(3)])
    rec.wait("start", 0)
    assert q.set_rate(400) == 400  # sentences 1 and 2 were synthesised ahead at 200
    assert q.wait_idle(timeout=30)
    slow, ahead, later = (rec.duration(n) for n in range(3))
    assert ahead < slow * 0.75 and later < slow * 0.75  # old look-ahead audio was not used
    assert ahead == pytest.approx(later, rel=0.2)
    assert q.rate == 400


def test_rate_is_clamped_with_a_message(speech: tuple[SpeechQueue, Recorder]) -> None:
    q, _ = speech
    assert q.set_rate(5000) == MAX_RATE and q.rate == MAX_RATE
    assert str(MAX_RATE) in q.message
    assert q.set_rate(3) == MIN_RATE and q.rate == MIN_RATE
    assert str(MIN_RATE) in q.message
    assert q.set_rate(250) == 250 and q.message == ""
    assert q.set_volume(7) == 1.0 and q.set_volume(-1) == 0.0


def test_unknown_voice_is_refused_clearly(speech: tuple[SpeechQueue, Recorder]) -> None:
    q, _ = speech
    with pytest.raises(ValueError, match="no voice called"):
        q.set_voice("no-such-voice-xyz")
    known = q.voices()[0].id
    q.set_voice(known)
    assert q.voice == known


def test_respeak_from_the_current_word(speech: tuple[SpeechQueue, Recorder]) -> None:
    q, rec = speech
    text = "When the listener speeds up, this sentence goes on from the word it was at."
    item = SpeechItem(text, "r")
    q.speak([item, SpeechItem("After.", "after")])
    rec.wait("word", "r", count=4)
    q.set_rate(500)
    assert q.respeak_from_word()
    assert q.wait_idle(timeout=20)
    kinds = rec.kinds("r")
    assert kinds.count("start") == 2 and kinds.count("end") == 1 and "stop" not in kinds
    again = kinds.index("start", 1)
    before = [e.offset for e in rec.of("word", "r")[: again - 1]]
    after = [e.offset for e in rec.of("word", "r")[again - 1 :]]
    # It goes on from the word it was at (offsets still index the original text)...
    assert after[0] in before[-2:] and after[0] > 0
    assert after == sorted(after) and after[-1] == words_of(text)[-1]
    assert rec.kinds("after") == ["start", "word", "end"]
    assert all(e.item is item for e in rec.events if e.item and e.item.tag == "r")


def test_synth_error_is_reported_and_the_queue_carries_on(driver: SynthDriver) -> None:
    failing = FailingOn(driver, "BROKEN")
    rec = Recorder()
    with SpeechQueue(failing, make_player("null")) as q:  # type: ignore[arg-type]
        q.set_rate(FAST)
        q.subscribe(rec)
        q.speak([SpeechItem("Before.", 1), SpeechItem("BROKEN", 2), SpeechItem("After.", 3)])
        assert q.wait_idle(timeout=20)
    assert [(e.kind, e.item.tag) for e in rec.events if e.kind != "word"] == [
        ("start", 1),
        ("end", 1),
        ("error", 2),
        ("start", 3),
        ("end", 3),
    ]
    assert rec.of("error")[0].message == "The speech synthesiser stopped working for this sentence."


def test_subscriber_errors_do_not_stop_speech(speech: tuple[SpeechQueue, Recorder]) -> None:
    q, rec = speech

    def broken(event: SpeechEvent) -> None:
        raise RuntimeError("subscriber bug")

    q.subscribe(broken)
    q.speak([SpeechItem("Still speaking.", 1)])
    assert q.wait_idle(timeout=20)
    assert rec.kinds(1)[-1] == "end"


def test_close_stops_everything(driver: SynthDriver) -> None:
    q = SpeechQueue(driver, make_player("null"))
    events: stdlib_queue.Queue[SpeechEvent] = stdlib_queue.Queue()
    q.subscribe(events.put)
    q.speak([SpeechItem("Closing now while talking.", 1)])
    assert events.get(timeout=15).kind == "start"
    q.close()
    q.close()  # twice is harmless
    assert not q._synth_thread.is_alive() and not q._event_thread.is_alive()
    assert not q.speaking


def test_speaking_again_while_paused_unpauses(speech: tuple[SpeechQueue, Recorder]) -> None:
    q, rec = speech
    q.speak([SpeechItem("Paused here for a moment, then something else.", 1)])
    rec.wait("word", 1)
    q.pause()
    assert q.current is not None and q.current.tag == 1
    q.speak([SpeechItem("Something else.", 2)])  # e.g. the user jumped to another section
    assert not q.paused
    assert q.wait_idle(timeout=20)
    assert rec.kinds(1)[-1] == "stop" and rec.kinds(2)[-1] == "end"


def test_a_100_kb_paragraph_is_split_and_starts_and_stops_promptly(
    speech: tuple[SpeechQueue, Recorder],
) -> None:
    # One paragraph with no full stop at all: the worst case for the sentence splitter.
    words = "the infusion nurse checks the line, the pump and the dose again"
    text = " ".join([words] * 1700)
    assert len(text) >= 100_000
    article = Article(
        title="Long",
        language="en",
        source="test",
        sections=[Section("Long", 1, "section", [Block("paragraph", text)])],
    )
    (utterances,) = article_utterances(article)
    body = [u for u in utterances if u.kind == "sentence"]
    assert len(body) > 100_000 // MAX_SENTENCE  # many pieces, none of them huge
    assert all(0 < len(u.text) <= MAX_SENTENCE for u in body)
    assert sum(len(u.text.split()) for u in body) == len(text.split())  # no word lost
    q, rec = speech
    items = [SpeechItem(u.text, (u.section, u.sentence)) for u in body]
    q.speak(items)
    rec.wait("start", (0, 1))  # the first piece starts, not held back by the 99 KB after it
    q.stop()
    rec.wait("stop")
    assert [e.item.tag for e in rec.of("stop") if e.item] == [(0, 1)]
    assert not q.speaking and q.current is None

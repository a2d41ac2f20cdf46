"""ReadingSession without any UI: the real SpeechQueue, the real driver, the null audio backend."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from helpers.articles import article_of
from helpers.speech import Recorder, reader_driver
from helpers.waiting import wait_for

from reader.model import Article, Block
from reader.reading.display import display_texts, map_span
from reader.reading.levels import step_rate
from reader.reading.session import ReadingSession
from reader.speech import article_utterances, normalise
from reader.speechlog import SpeechLog, read_log
from voices.player import make_player
from voices.queue import SpeechQueue


def seed_article() -> Article:
    return article_of(
        "Infusion Treatments",
        ("Infusion Treatments", 1, ["MS affects the nerves. There is no cure."]),
        (
            "How are infusion treatments given?",
            2,
            [Block("answer", "They are injected into a vein. A nurse gives them.")],
            "qa",
        ),
        (
            "Alemtuzumab (Lemtrada)",
            3,
            ["Doctors give it after two other drugs. It lowers T cells."],
        ),
        ("Natalizumab (Tysabri)", 3, ["It stops immune cells. You get it every four weeks."]),
        ("Ocrelizumab (Ocrevus)", 3, ["It is the newest one. It was approved in 2017."]),
    )


@pytest.fixture
def queue() -> Iterator[SpeechQueue]:
    """The reader's driver over the test process's eSpeak worker (not the point here)."""
    q = SpeechQueue(reader_driver(), make_player("null"))
    q.set_rate(400)
    yield q
    q.close()


def make_session(queue: SpeechQueue, article: Article | None = None, **kw) -> tuple:
    article = article or seed_article()
    session = ReadingSession(article, article_utterances(article), queue, **kw)
    recorder = Recorder()
    session.subscribe(recorder)
    return session, recorder


def test_play_reads_from_the_start_and_position_follows_start_events(queue: SpeechQueue) -> None:
    session, rec = make_session(queue)
    assert session.state == "stopped"
    session.play()
    assert session.state == "playing"
    wait_for(lambda: len(rec.starts()) >= 2)
    assert rec.starts()[0] == ((0, 0), "Infusion Treatments")
    assert rec.starts()[1][0] == (0, 1)
    wait_for(lambda: session.position == (0, 1))


def test_next_section_announces_title_then_reads_its_first_sentence(queue: SpeechQueue) -> None:
    session, rec = make_session(queue)
    said = session.next_section()
    assert said.startswith("Section 2 of 5: How are infusion treatments given?")
    assert session.position == (1, 0)
    wait_for(lambda: len(rec.starts()) >= 2)
    first, second = rec.starts()[:2]
    assert first == (
        ("announce", "navigation"),
        "Section 2 of 5: How are infusion treatments given?",
    )
    assert second[0] == (1, 1)
    assert second[1].startswith("Answer: ")
    wait_for(lambda: session.position == (1, 1))


def test_n_twice_reaches_the_second_drug(queue: SpeechQueue) -> None:
    session, rec = make_session(queue)
    session.go_to_section(2)
    session.next_section()
    wait_for(lambda: len(rec.starts()) >= 2 and rec.starts()[-1][0] == (3, 1))
    texts = [text for _, text in rec.starts()]
    assert "Section 4 of 5: " + normalise("Natalizumab (Tysabri)") in texts
    assert texts[-1] == "It stops immune cells."


def test_prev_section_and_limits(queue: SpeechQueue) -> None:
    session, rec = make_session(queue)
    session.go_to_section(4)
    assert session.next_section() == "No more sections."
    assert session.section == 4
    session.prev_section()
    assert session.section == 3
    said = session.go_to_section(0)
    assert said.startswith("Section 1 of 5")
    assert session.prev_section().startswith("First section. Section 1 of 5")


def test_sentence_navigation_crosses_sections(queue: SpeechQueue) -> None:
    session, rec = make_session(queue)
    session.go_to(0, 2)
    assert session.position == (0, 2)
    session.next_sentence()
    assert session.position == (1, 0)
    wait_for(lambda: rec.starts() and rec.starts()[0][0] == (1, 0))
    session.prev_sentence()
    session.prev_sentence()
    assert session.position == (0, 1)
    session.start()
    assert session.position == (0, 0)
    assert session.prev_sentence().startswith("Start of article.")
    session.end()
    assert session.position == (4, 2)
    assert session.next_sentence() == "End of article."


def test_right_at_the_end_says_so_and_does_not_read_the_last_sentence_again(
    queue: SpeechQueue,
) -> None:
    session, rec = make_session(queue)
    session.end()
    wait_for(lambda: any(tag == (4, 2) for tag, _ in rec.starts()))
    rec.clear()
    assert session.next_sentence() == "End of article."
    wait_for(lambda: rec.starts())
    wait_for(lambda: not queue.speaking)
    assert rec.starts() == [(("announce", "navigation"), "End of article.")]
    assert session.state == "stopped" and session.position == (4, 2)


def test_pause_resume_and_stop(queue: SpeechQueue) -> None:
    session, rec = make_session(queue)
    session.play()
    wait_for(lambda: rec.starts())
    assert session.toggle_pause() == "Paused"
    assert session.state == "paused" and queue.paused
    assert session.toggle_pause() == "Playing"
    assert session.state == "playing" and not queue.paused
    assert session.stop() == "Stopped"
    assert session.state == "stopped"
    wait_for(lambda: not queue.speaking)
    rec.clear()
    # After a stop, space reads again from where we were.
    here = session.position
    session.toggle_pause()
    wait_for(lambda: rec.starts())
    assert rec.starts()[0][0] == here


def test_rate_change_is_announced_clamped_and_reading_goes_on(queue: SpeechQueue) -> None:
    session, rec = make_session(queue)
    session.play()
    wait_for(lambda: rec.starts())
    assert session.faster() == "Rate 425"
    assert queue.rate == 425
    wait_for(lambda: len(rec.starts()) >= 3)
    tags = [tag for tag, _ in rec.starts()]
    assert ("announce", "message") in tags
    after = tags[tags.index(("announce", "message")) + 1]
    assert isinstance(after, tuple) and isinstance(after[0], int)  # reading went on
    assert session.set_rate(5000) == "Rate 1000, fastest"
    assert session.set_rate(1) == "Rate 80, slowest"
    assert session.slower() == "Rate 80, slowest"


def test_rate_steps_stay_on_the_25_wpm_grid_after_a_limit() -> None:
    assert step_rate(80, +1) == 100
    assert step_rate(100, +1) == 125
    assert step_rate(105, +1) == 125  # an off-grid rate (a saved or --rate one) snaps
    assert step_rate(105, -1) == 100
    assert step_rate(100, -1) == 80
    assert step_rate(80, -1) == 80
    assert step_rate(975, +1) == 1000
    assert step_rate(1000, +1) == 1000
    assert step_rate(1000, -1) == 975
    assert step_rate(175, +1) == 200 and step_rate(175, -1) == 150


def test_announcement_while_stopped_does_not_start_reading(queue: SpeechQueue) -> None:
    session, rec = make_session(queue)
    assert session.softer() == "Volume 90 percent"
    wait_for(lambda: rec.starts())
    wait_for(lambda: not queue.speaking)
    assert [tag for tag, _ in rec.starts()] == [("announce", "message")]
    assert session.state == "stopped"
    # never down to silence, and the limits are said
    assert session.set_volume(0.0) == "Volume 10 percent, softest"
    assert queue.volume == pytest.approx(0.1)
    assert session.softer() == "Volume 10 percent, softest"
    assert session.set_volume(3.0) == "Volume 100 percent, loudest"


def test_repeat_and_where(queue: SpeechQueue) -> None:
    session, rec = make_session(queue)
    session.go_to(3, 2)
    assert session.repeat() == "You get it every four weeks."
    title = normalise("Natalizumab (Tysabri)")  # after "NN percent, under a minute left.":
    assert session.where().endswith(f" 4 of 5: {title}. Sentence 2 of 2. Rate 400. Playing.")


def test_resume_at_says_so(queue: SpeechQueue) -> None:
    session, rec = make_session(queue)
    said = session.resume_at(3, 1)
    assert said.startswith("Resuming at section 4 of 5, " + normalise("Natalizumab (Tysabri)"))
    wait_for(lambda: len(rec.starts()) >= 2)
    assert rec.starts()[1] == ((3, 1), "It stops immune cells.")


def test_reading_to_the_end_feeds_lazily_and_stops(queue: SpeechQueue) -> None:
    queue.set_rate(1000)
    session, rec = make_session(queue, chunk=2)
    session.go_to(3, 0)
    wait_for(lambda: session.state == "stopped", timeout=30)
    texts = [text for _, text in rec.starts()]
    tags = [tag for tag, _ in rec.starts()]
    assert tags == [(3, 0), (3, 1), (3, 2), (4, 0), (4, 1), (4, 2), ("announce", "end")]
    assert texts[-1] == "End of article."


def test_stale_events_after_interrupt_do_not_move_the_position(queue: SpeechQueue) -> None:
    session, rec = make_session(queue)
    session.play()
    wait_for(lambda: rec.starts())
    session.go_to_section(4)
    wait_for(lambda: session.position == (4, 1))
    assert all(tag[0] == 4 or tag[0] == "announce" for tag, _ in rec.starts()[1:])


def test_speech_log_writes_one_line_per_event(queue: SpeechQueue, tmp_path) -> None:
    log = SpeechLog(tmp_path / "log.jsonl")
    queue.subscribe(log.write)
    session, rec = make_session(queue)
    session.go_to_section(3)
    wait_for(lambda: any(r["event"] == "word" and r["section"] == 3 for r in read_log(log.path)))
    session.stop()
    wait_for(lambda: any(r["event"] == "stop" for r in read_log(log.path)))
    log.close()
    records = read_log(log.path)
    assert set(records[0]) >= {"t", "event", "text", "section", "sentence"}
    first = records[0]
    assert first["event"] == "start" and first["section"] is None and first["sentence"] is None
    assert first["text"] == "Section 4 of 5: " + normalise("Natalizumab (Tysabri)")
    starts = [r for r in records if r["event"] == "start" and r["section"] is not None]
    assert (starts[0]["section"], starts[0]["sentence"]) == (3, 1)
    words = [r["text"] for r in records if r["event"] == "word" and r["section"] == 3]
    assert words[0] == "It"
    assert all(b["t"] >= a["t"] for a, b in zip(records, records[1:], strict=False))
    # a second run appends (a relaunch must not erase what was said before)
    again = SpeechLog(log.path)
    queue.subscribe(again.write)
    session.say(["Second run."])
    wait_for(lambda: any(r["text"] == "Second run." for r in read_log(log.path)))
    again.close()
    both = read_log(log.path)
    assert both[: len(records)] == records
    assert both[len(records)]["t"] < records[-1]["t"]  # t starts again: a new run


def test_shown_text_keeps_the_page_words_and_maps_the_spoken_word() -> None:
    article = seed_article()
    utterances = article_utterances(article)
    shown = display_texts(article, utterances)
    assert [len(s) for s in shown] == [len(u) for u in utterances]
    said = utterances[3][1].text
    assert shown[3][0] == "Natalizumab (Tysabri)"
    assert shown[3][1] == "It stops immune cells."
    assert shown[1][1].startswith("Answer: They are injected")
    spoken = "Section " + normalise("Natalizumab (Tysabri)")
    page = "Section Natalizumab (Tysabri)"
    last = spoken.rindex("(")
    assert page[slice(*map_span(spoken, page, last, len(spoken)))] == "(Tysabri)"
    first_respelt = len("Section ")
    assert page[slice(*map_span(spoken, page, first_respelt, first_respelt + 2))] == "Natalizumab"
    assert map_span(said, said, 3, 8) == (3, 8)


def long_sentence_article() -> Article:
    words = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen"
    return article_of(
        "Counting", ("Counting", 1, [f"We count {words} fifteen sixteen. Then we stop."])
    )


def test_rate_change_goes_on_from_the_word_being_heard(queue: SpeechQueue) -> None:
    """Faster mid-sentence: the rate is announced, then the sentence goes on from the word that
    was being said -- the listener does not hear its beginning again."""
    session, rec = make_session(queue, long_sentence_article())
    full = session.utterances_of(0)[1].text
    session.go_to(0, 1)
    wait_for(lambda: session.word is not None and session.word.offset >= len("We count one two"))
    heard = session.word.offset
    rec.clear()
    assert session.faster() == "Rate 425"
    wait_for(lambda: len(rec.starts()) >= 2)
    (announce, _), (tag, tail) = rec.starts()[:2]
    assert announce == ("announce", "message")
    assert tag == (0, 1) and session.position == (0, 1)
    start = len(full) - len(tail)
    assert full.endswith(tail) and heard <= start < len(full) - len("sixteen.")
    assert full[start - 1] == " "  # from a word's beginning
    # The highlight still knows where it is in the whole sentence.
    wait_for(lambda: session.word is not None and session.word.item.text == tail)
    word = session.word
    assert start <= word.offset < len(full)
    spoken = tail[word.offset - start : word.offset - start + word.length]
    assert full[word.offset : word.offset + word.length] == spoken and spoken.strip()


def test_find_next_goes_round_and_says_where(queue: SpeechQueue) -> None:
    session, rec = make_session(queue)
    session.go_to(3, 1)
    said = session.find_next("  the NEWEST ")
    assert session.position == (4, 1)
    assert said == f"Section 5 of 5: {normalise('Ocrelizumab (Ocrevus)')}. It is the newest one."
    said = session.find_next("nerves")
    assert session.position == (0, 1)
    assert said == (
        "Search went round to the start. Section 1 of 5: Infusion Treatments. "
        "MS affects the nerves."
    )
    assert session.find_next("nerves") == "Search went round to the start. MS affects the nerves."
    assert session.find_next("zebra") is None and session.position == (0, 1)

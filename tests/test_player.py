"""The miniaudio player on the null backend (real device thread, real-time consumption),
fed real speech from the default driver."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from helpers.waiting import wait_for

from voices.base import Audio
from voices.drivers import make_driver
from voices.player import NO_DEVICE_MESSAGE, PERIOD_MSEC, AudioPlayer, make_player

PERIOD = PERIOD_MSEC / 1000


@pytest.fixture(scope="module")
def speech() -> Iterator[Audio]:
    driver = make_driver()
    try:
        driver.rate = 350
        yield driver.synthesize("Stop means stop, and pause means pause.")
    finally:
        driver.close()


@pytest.fixture
def player() -> Iterator[AudioPlayer]:
    p = make_player("null")
    try:
        yield p
    finally:
        p.close()


def frames_of(audio: Audio) -> int:
    return len(audio.pcm) // 2


def test_null_backend_by_name_and_by_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("READER_AUDIO", "null")
    with make_player() as p:
        assert p.backend == "null"
        assert p.message == ""  # asked for silence: nothing to apologise for


def test_auto_falls_back_to_null_with_a_message_and_no_alsa_chatter(
    capfd: pytest.CaptureFixture[str],
) -> None:
    with make_player("auto") as p:
        if p.backend == "null":
            assert p.message == NO_DEVICE_MESSAGE
        else:
            assert p.message == ""
    out, err = capfd.readouterr()
    assert "ALSA" not in err and "ALSA" not in out


def test_unknown_backend_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown audio backend"):
        make_player("loudspeaker")


def test_plays_every_sample_once_with_sound_in_it(player: AudioPlayer, speech: Audio) -> None:
    since = time.monotonic()
    token = player.play(speech)
    assert player.wait_idle(timeout=10)
    progress = player.progress(token)
    assert progress.done and progress.delivered == frames_of(speech)
    assert player.frames_delivered == player.frames_queued == frames_of(speech)
    assert progress.started_at is not None and progress.finished_at is not None
    assert progress.finished_at - progress.started_at == pytest.approx(
        speech.duration, rel=0.05
    )  # wall clock: the null device runs at about real time
    assert any(p.audible for p in player.periods_since(since))
    assert player.last_audible > since


def test_enqueued_buffers_follow_without_a_gap(player: AudioPlayer, speech: Audio) -> None:
    first = player.enqueue(speech)
    second = player.enqueue(speech)
    assert player.wait_idle(timeout=10)
    a, b = player.progress(first), player.progress(second)
    assert a.finished_at == pytest.approx(b.started_at, abs=0.005)  # < a period


def test_pause_holds_the_position_and_resume_continues_at_the_same_sample(
    player: AudioPlayer, speech: Audio
) -> None:
    token = player.play(speech)
    wait_for(lambda: player.progress(token).delivered > frames_of(speech) // 4, step=0.005)
    player.pause()
    time.sleep(PERIOD * 2)  # let a period in flight finish
    held = player.progress(token).delivered
    held_position = player.position
    time.sleep(PERIOD * 8)
    assert player.progress(token).delivered == held
    assert player.position == held_position > 0
    assert 0 < held < frames_of(speech)
    player.resume()
    assert player.wait_idle(timeout=10)
    # Nothing skipped, nothing repeated: every frame went out exactly once.
    assert player.progress(token).delivered == frames_of(speech)
    assert player.frames_delivered == player.frames_queued == frames_of(speech)


def test_stop_silences_the_next_period(player: AudioPlayer, speech: Audio) -> None:
    token = player.play(speech)
    wait_for(lambda: player.progress(token).delivered > 0, step=0.005)
    player.stop()
    stopped = time.monotonic()
    time.sleep(PERIOD * 5)
    after = list(player.periods_since(stopped))
    assert len(after) >= 2  # the device kept running...
    assert not any(p.audible or p.tokens for p in after)  # ...with nothing but silence
    assert not player.busy
    assert player.progress(token).known is False


def test_drop_unstarted_keeps_the_playing_buffer(player: AudioPlayer, speech: Audio) -> None:
    playing = player.play(speech)
    queued = player.enqueue(speech)
    wait_for(lambda: player.progress(playing).delivered > 0, step=0.005)
    assert player.drop_unstarted() == [queued]
    assert player.wait_idle(timeout=10)
    assert player.progress(playing).done
    assert player.frames_delivered == player.frames_queued == frames_of(speech)


def test_other_sample_rates_are_converted(player: AudioPlayer, speech: Audio) -> None:
    half = Audio(speech.pcm[: len(speech.pcm) // 4 * 2], speech.sample_rate // 2)
    token = player.play(half)
    assert player.wait_idle(timeout=10)
    expected = frames_of(half) * player.sample_rate / half.sample_rate
    assert player.progress(token).frames == pytest.approx(expected, rel=0.01)


def test_thread_safe_under_concurrent_control(player: AudioPlayer, speech: Audio) -> None:
    errors: list[BaseException] = []

    def hammer() -> None:
        try:
            for i in range(200):
                (player.enqueue, player.play)[i % 2](Audio(speech.pcm[:2000], speech.sample_rate))
                player.pause() if i % 3 else player.resume()
                if i % 7 == 0:
                    player.stop()
        except BaseException as err:  # noqa: BLE001 - reported below
            errors.append(err)

    threads = [threading.Thread(target=hammer) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    player.resume()
    assert not errors
    assert player.wait_idle(timeout=10)
    assert player.frames_delivered == player.frames_queued

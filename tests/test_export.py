"""Exporting an article to one audio file with chapters: real eSpeak audio, real files."""

from __future__ import annotations

import array
import json
import math
import sys
import wave
from collections.abc import Callable, Iterator
from pathlib import Path

import miniaudio
import pytest

from reader.errors import SpeechError, UsageError
from reader.export import chapters_path, export_article
from reader.extract import extract
from reader.model import Article, Block, Page, Section
from voices.drivers import make_driver, pick_voice
from voices.pyttsx3_driver import Pyttsx3Driver


def small_article() -> Article:
    return Article(
        title="Tea",
        language="en",
        source="test",
        sections=[
            Section("Tea", 1, "intro", [Block("paragraph", "Tea is a drink. People like it.")]),
            Section(
                "Brewing\x1b[31m",
                2,
                "section",
                [
                    Block("paragraph", "Boil the water. Wait three minutes."),
                    Block("list_item", "Add milk if you like."),
                ],
            ),
            Section(
                "Questions",
                2,
                "qa",
                [Block("question", "Is tea healthy?"), Block("answer", "In moderation, yes.")],
            ),
        ],
    )


def read_wav(path: Path) -> tuple[array.array, int]:
    with wave.open(str(path), "rb") as wav:
        assert wav.getnchannels() == 1 and wav.getsampwidth() == 2
        samples = array.array("h", wav.readframes(wav.getnframes()))
        if sys.byteorder == "big":
            samples.byteswap()
        return samples, wav.getframerate()


def rms(samples: array.array, rate: int, start: float, end: float) -> float:
    part = samples[int(start * rate) : int(end * rate)]
    return math.sqrt(sum(s * s for s in part) / len(part)) if part else 0.0


@pytest.fixture(scope="module")
def driver() -> Iterator[Pyttsx3Driver]:
    shared = make_driver()
    assert isinstance(shared, Pyttsx3Driver)
    yield shared
    shared.close()


def test_wav_and_chapters_match_the_sections(tmp_path: Path, driver: Pyttsx3Driver) -> None:
    article = small_article()
    out = tmp_path / "tea.wav"
    calls: list[tuple[int, int]] = []
    chapters = export_article(
        article, out, driver=driver, progress=lambda d, t: calls.append((d, t))
    )

    samples, rate = read_wav(out)
    duration = len(samples) / rate
    assert duration > 5.0
    assert json.loads(chapters_path(out).read_text(encoding="utf-8")) == chapters
    assert [c["title"] for c in chapters] == ["Tea", "Brewing", "Questions"]  # escape removed
    assert [c["section"] for c in chapters] == [0, 1, 2]
    starts = [c["start"] for c in chapters]
    assert starts[0] == 0.0 and starts == sorted(set(starts)) and starts[-1] < duration
    for start in starts:
        # Each chapter starts where its title is spoken...
        assert rms(samples, rate, start, start + 0.5) > 800
        # ...right after a pause that separates it from the section before.
        if start:
            assert rms(samples, rate, start - 0.25, start) < 50
    assert calls[-1][0] == calls[-1][1] and [d for d, _ in calls] == list(range(1, len(calls) + 1))
    assert not list(tmp_path.glob("*.part"))


def test_rate_shortens_the_recording(tmp_path: Path, driver: Pyttsx3Driver) -> None:
    article = small_article()
    driver.rate = 175
    slow = export_article(article, tmp_path / "slow.wav", rate=150, driver=driver)
    fast = export_article(article, tmp_path / "fast.wav", rate=400, driver=driver)
    slow_len = len(read_wav(tmp_path / "slow.wav")[0])
    fast_len = len(read_wav(tmp_path / "fast.wav")[0])
    assert fast_len < slow_len * 0.55
    assert fast[-1]["start"] < slow[-1]["start"]
    assert driver.rate == 175  # a caller's driver gets its settings back


def test_mp3_export_decodes_to_the_same_length(tmp_path: Path, driver: Pyttsx3Driver) -> None:
    article = small_article()
    export_article(article, tmp_path / "tea.wav", driver=driver)
    chapters = export_article(article, tmp_path / "tea.mp3", driver=driver)
    wav_seconds = len(read_wav(tmp_path / "tea.wav")[0]) / 22050
    decoded = miniaudio.decode_file(str(tmp_path / "tea.mp3"))
    mp3_seconds = decoded.num_frames / decoded.sample_rate
    assert mp3_seconds == pytest.approx(wav_seconds, abs=0.3)
    assert max(decoded.samples) > 3000  # speech, not silence
    assert (tmp_path / "tea.chapters.json").exists() and len(chapters) == 3


def test_seed_like_page_chapters_follow_the_article(
    tmp_path: Path, driver: Pyttsx3Driver, fixtures_dir: Path
) -> None:
    path = fixtures_dir / "seed_like.html"
    article = extract(Page(path.read_text(encoding="utf-8"), path.as_uri()))
    out = tmp_path / "seed.wav"
    chapters = export_article(article, out, driver=driver)
    samples, rate = read_wav(out)
    assert len(chapters) == len(article.sections) >= 3
    assert [c["title"] for c in chapters] == [" ".join(s.title.split()) for s in article.sections]
    starts = [c["start"] for c in chapters]
    assert starts == sorted(set(starts)) and starts[-1] < len(samples) / rate


def test_unknown_voice_fails_before_writing(tmp_path: Path, driver: Pyttsx3Driver) -> None:
    out = tmp_path / "tea.wav"
    with pytest.raises(SpeechError):
        export_article(small_article(), out, voice="no-such-voice", driver=driver)
    assert not out.exists() and not chapters_path(out).exists()
    assert list(tmp_path.iterdir()) == []


def test_other_extensions_are_refused(tmp_path: Path, driver: Pyttsx3Driver) -> None:
    with pytest.raises(UsageError) as caught:
        export_article(small_article(), tmp_path / "tea.ogg", driver=driver)
    assert ".wav" in str(caught.value)


def test_voice_follows_the_article_language(tmp_path: Path, driver: Pyttsx3Driver) -> None:
    article = small_article()
    article.language = "fr"
    french_voice = pick_voice(driver.voices(), "fr")
    english_voice = pick_voice(driver.voices(), "en")
    assert french_voice and english_voice and french_voice != english_voice
    used: dict[str, set[str | None]] = {"en": set(), "fr": set()}

    def watch(language: str) -> Callable[[int, int], None]:
        # Only observes: the voice the driver is set to while each utterance is rendered.
        return lambda done, total: used[language].add(driver.voice)

    english = export_article(
        small_article(), tmp_path / "en.wav", driver=driver, progress=watch("en")
    )
    french = export_article(article, tmp_path / "fr.wav", driver=driver, progress=watch("fr"))
    assert used == {"en": {english_voice}, "fr": {french_voice}}
    # The same words read by a French voice come out with different timing.
    assert [c["start"] for c in french] != [c["start"] for c in english]
    assert driver.voice is None  # restored

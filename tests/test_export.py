"""Exporting an article to one audio file with chapters: real eSpeak audio, real files."""

from __future__ import annotations

import array
import json
import math
import os
import re
import subprocess
import sys
import wave
from collections.abc import Callable, Iterator
from pathlib import Path

import miniaudio
import pytest
from test_cli import assert_one_line_error, run

from reader.errors import ReaderError, SpeechError, UsageError
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


# --- `reader export` on paths it cannot write: exit code, one sentence, nothing left behind ------

ROOT = Path(__file__).resolve().parent.parent

SHORT_PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Tea</title></head>
<body><article><h1>Tea</h1><p>Tea is a drink. People like it.</p>
<h2>Brewing</h2><p>Boil the water. Wait three minutes.</p></article></body></html>
"""


def run_export(*args: str) -> subprocess.CompletedProcess[bytes]:
    """`python -m reader export …` as the user runs it: real eSpeak, real files."""
    return run("export", *args)


def one_sentence(stderr: bytes) -> str:
    line = assert_one_line_error(stderr)
    assert line.endswith("."), "a plain sentence"
    return line


@pytest.fixture()
def short_page(tmp_path: Path) -> Path:
    path = tmp_path / "tea.html"
    path.write_text(SHORT_PAGE, encoding="utf-8")
    return path


@pytest.fixture()
def unwritable_dir(tmp_path: Path) -> Iterator[Path]:
    """A folder no new file can be created in. root ignores permissions, so root gets /proc."""
    if os.geteuid() == 0:
        yield Path("/proc")
        return
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        yield folder
    finally:
        folder.chmod(0o700)


@pytest.mark.parametrize("name", ["talk.wav", "talk.mp3"])
def test_export_to_an_unwritable_folder_says_so_and_leaves_nothing(
    short_page: Path, unwritable_dir: Path, name: str
) -> None:
    out = unwritable_dir / name
    result = run_export(str(short_page), "-o", str(out))
    assert result.returncode == 3  # the README's "could not fetch or read/write"
    sentence = one_sentence(result.stderr)
    assert sentence.startswith(f"Could not write {out}")
    assert result.stdout == b""
    # No audio, no .part, no chapters file (not a before/after listing: /proc's changes by itself).
    assert [n for n in os.listdir(unwritable_dir) if n.startswith("talk")] == []


def test_export_to_a_folder_says_so(short_page: Path, tmp_path: Path) -> None:
    folder = tmp_path / "talk.wav"
    folder.mkdir()
    for target in (folder, tmp_path):
        result = run_export(str(short_page), "-o", str(target))
        assert result.returncode == 2
        assert "is a folder" in one_sentence(result.stderr)
    assert list(folder.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["talk.wav", "tea.html"]


@pytest.mark.parametrize("name", ["talk.wav", "talk.mp3"])
def test_export_into_a_missing_folder_says_so(short_page: Path, tmp_path: Path, name: str) -> None:
    result = run_export(str(short_page), "-o", str(tmp_path / "nowhere" / name))
    assert result.returncode == 2
    assert one_sentence(result.stderr) == f"The folder {tmp_path / 'nowhere'} does not exist."
    assert not (tmp_path / "nowhere").exists()


def test_wav_and_mp3_summaries_both_give_the_length(short_page: Path, tmp_path: Path) -> None:
    lines = []
    for name in ("tea.wav", "tea.mp3"):
        result = run_export(str(short_page), "-o", str(tmp_path / name))
        assert result.returncode == 0, result.stderr
        lines.append(result.stdout.decode("utf-8").strip())
    wav_line, mp3_line = lines
    assert re.fullmatch(
        rf"Saved {re.escape(str(tmp_path))}/tea\.wav: 2 chapters, \d+ seconds?\.", wav_line
    )
    assert mp3_line == wav_line.replace("tea.wav", "tea.mp3")


def test_a_failed_chapters_file_takes_the_audio_with_it(
    tmp_path: Path, driver: Pyttsx3Driver
) -> None:
    out = tmp_path / "tea.wav"
    chapters_path(out).mkdir()  # the chapters file cannot replace a folder
    with pytest.raises(ReaderError) as caught:
        export_article(small_article(), out, driver=driver)
    assert caught.value.exit_code == 3
    assert str(caught.value).startswith(f"Could not write {chapters_path(out)}")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tea.chapters.json"]  # the folder only

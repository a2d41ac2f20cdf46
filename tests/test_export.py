"""Exporting an article to one audio file with chapters: real eSpeak audio, real files."""

from __future__ import annotations

import array
import json
import math
import os
import re
import stat
import subprocess
import sys
import wave
from collections.abc import Callable, Iterator
from pathlib import Path

import miniaudio
import mutagen.id3
import mutagen.mp3
import pytest
from helpers.articles import article_of
from helpers.cli import assert_one_line_error, run
from helpers.paths import ROOT
from helpers.speech import shared_espeak

from reader.errors import ReaderError, SpeechError, UsageError
from reader.export import article_tags, chapters_path, export_article
from reader.extract import extract
from reader.model import Article, Block, Page
from voices.drivers import pick_voice
from voices.pyttsx3_driver import Pyttsx3Driver


def small_article() -> Article:
    return article_of(
        "Tea",
        ("Tea", 1, ["Tea is a drink. People like it."]),
        (
            "Brewing\x1b[31m",
            2,
            ["Boil the water. Wait three minutes.", Block("list_item", "Add milk if you like.")],
        ),
        (
            "Questions",
            2,
            [Block("question", "Is tea healthy?"), Block("answer", "In moderation, yes.")],
            "qa",
        ),
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


@pytest.fixture
def driver() -> Pyttsx3Driver:
    """The test process's eSpeak driver, on default settings."""
    return shared_espeak()


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
    assert [c["end"] for c in chapters] == [*starts[1:], round(duration, 3)]
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
    assert len(chapters) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "tea.mp3",
        "tea.mp3.chapters.json",
        "tea.wav",
        "tea.wav.chapters.json",
    ]


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
    # Each output has its own chapters file: the MP3 did not overwrite the WAV's.
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [
        "tea.html",
        "tea.mp3",
        "tea.mp3.chapters.json",
        "tea.wav",
        "tea.wav.chapters.json",
    ]
    for name in ("tea.wav", "tea.mp3"):
        chapters = json.loads((tmp_path / f"{name}.chapters.json").read_text(encoding="utf-8"))
        assert [c["title"] for c in chapters] == ["Tea", "Brewing"]


def test_a_failed_chapters_file_takes_the_audio_with_it(
    tmp_path: Path, driver: Pyttsx3Driver
) -> None:
    out = tmp_path / "tea.wav"
    chapters_path(out).mkdir()  # the chapters file cannot replace a folder
    with pytest.raises(ReaderError) as caught:
        export_article(small_article(), out, driver=driver)
    assert caught.value.exit_code == 3
    assert str(caught.value).startswith(f"Could not write {chapters_path(out)}")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tea.wav.chapters.json"]  # the folder


# --- exports never write through a planted path --------------------------------------------------


@pytest.mark.parametrize("name", ["out.wav", "out.mp3"])
def test_planted_symlinks_beside_the_output_are_not_followed(
    short_page: Path, tmp_path: Path, name: str
) -> None:
    """The attack from issue 9: symlinks where the export used to write its temporary files
    (old and new chapter names), and one dangling, which a plain open() would create."""
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    missing = tmp_path / "not-there-yet"
    out = tmp_path / name
    planted = {
        tmp_path / f"{name}.part": victim,
        tmp_path / "out.chapters.json.part": victim,
        tmp_path / f"{name}.chapters.json.part": missing,
    }
    for link, points_to in planted.items():
        link.symlink_to(points_to)

    result = run_export(str(short_page), "-o", str(out))

    assert result.returncode == 0, result.stderr
    assert victim.read_text(encoding="utf-8") == "precious\n"
    assert not missing.exists() and not missing.is_symlink()
    for link, points_to in planted.items():
        assert link.is_symlink() and link.readlink() == points_to  # left exactly as planted
    assert out.stat().st_size > 10_000 and not out.is_symlink()
    assert json.loads(chapters_path(out).read_text(encoding="utf-8"))[0]["title"] == "Tea"
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(
        ["tea.html", "victim.txt", name, f"{name}.chapters.json", *(p.name for p in planted)]
    )  # and no temporary file left behind


def test_a_symlink_at_the_output_is_replaced_not_written_through(
    tmp_path: Path, driver: Pyttsx3Driver
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    out = tmp_path / "tea.wav"
    out.symlink_to(victim)
    chapters_path(out).symlink_to(victim)
    export_article(small_article(), out, driver=driver)
    assert victim.read_text(encoding="utf-8") == "precious\n"
    assert not out.is_symlink() and read_wav(out)[0]
    assert not chapters_path(out).is_symlink()


def test_the_finished_files_get_the_usual_permissions(
    tmp_path: Path, driver: Pyttsx3Driver
) -> None:
    """Temporary files made exclusively must still end up readable like any file the user
    saves (mkstemp's 0600 would hide a podcast from the web server serving it)."""
    umask = os.umask(0o022)
    try:
        out = tmp_path / "tea.wav"
        export_article(small_article(), out, driver=driver)
    finally:
        os.umask(umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o644
    assert stat.S_IMODE(chapters_path(out).stat().st_mode) == 0o644


@pytest.mark.parametrize("name", ["tea.wav", "tea.mp3"])
def test_an_interrupted_export_leaves_nothing(
    tmp_path: Path, driver: Pyttsx3Driver, name: str
) -> None:
    def interrupt(done: int, total: int) -> None:
        if done == 3:
            raise KeyboardInterrupt  # Ctrl+C in the middle of the recording

    with pytest.raises(KeyboardInterrupt):
        export_article(small_article(), tmp_path / name, driver=driver, progress=interrupt)
    assert list(tmp_path.iterdir()) == []


# --- MP3 tags and ID3 chapters -------------------------------------------------------------------


def test_mp3_carries_tags_and_chapter_frames(tmp_path: Path, driver: Pyttsx3Driver) -> None:
    article = small_article()
    article.title = "Thé\x07 — a guide"  # non-ASCII survives ID3v2.3; the bell does not
    article.source = "https://www.tea.example/guide"
    export_article(article, tmp_path / "tea.wav", driver=driver)
    out = tmp_path / "tea.mp3"
    chapters = export_article(article, out, driver=driver)
    assert json.loads(chapters_path(out).read_text(encoding="utf-8")) == chapters

    tags = mutagen.id3.ID3(out)
    assert tags.version[:2] == (2, 3)
    assert tags["TIT2"].text == ["Thé — a guide"]
    assert tags["TPE1"].text == ["tea.example"]  # no site or author known: the host
    assert tags["TALB"].text == ["reader"]
    (toc,) = tags.getall("CTOC")
    assert toc.flags & mutagen.id3.CTOCFlags.TOP_LEVEL and toc.flags & mutagen.id3.CTOCFlags.ORDERED
    frames = {frame.element_id: frame for frame in tags.getall("CHAP")}
    assert list(toc.child_element_ids) == sorted(frames, key=lambda i: frames[i].start_time)
    assert len(frames) == len(chapters) == 3
    for element_id, chapter in zip(toc.child_element_ids, chapters, strict=True):
        frame = frames[element_id]
        assert frame.sub_frames["TIT2"].text == [chapter["title"]]
        assert frame.start_time == round(chapter["start"] * 1000)
        assert frame.end_time == round(chapter["end"] * 1000)

    wav_seconds = len(read_wav(tmp_path / "tea.wav")[0]) / 22050
    mp3_seconds = mutagen.mp3.MP3(out).info.length
    assert mp3_seconds == pytest.approx(wav_seconds, rel=0.03)
    assert chapters[-1]["end"] == pytest.approx(mp3_seconds, rel=0.03)
    assert miniaudio.decode_file(str(out)).num_frames > 0  # the tag does not hide the audio


def test_given_tags_name_the_feed(tmp_path: Path, driver: Pyttsx3Driver) -> None:
    """What a feed export passes: the site's name and the item's author."""
    article = small_article()
    out = tmp_path / "item.mp3"
    tags = article_tags(article, site="Tea Times", author="Ann Leaf")
    export_article(article, out, driver=driver, tags=tags)
    read = mutagen.id3.ID3(out)
    assert [read[k].text[0] for k in ("TIT2", "TPE1", "TALB")] == ["Tea", "Ann Leaf", "Tea Times"]


def test_article_tags_fall_back_in_order() -> None:
    article = small_article()
    article.source = "https://www.example.org/a/b?c=1"
    assert article_tags(article).artist == "example.org"
    assert article_tags(article, site="Example\x1b[1m News").artist == "Example News"
    assert article_tags(article, site="Example News").album == "Example News"
    assert article_tags(article, site="Example", author="Bo").artist == "Bo"
    for source in ("/home/me/tea.html", "file:///home/me/tea.html", "sample", "-", "http://[x"):
        article.source = source
        assert (article_tags(article).artist, article_tags(article).album) == ("reader", "reader")
    article.title = "\x1b[2J "
    assert article_tags(article).title == "Tea"  # the first section's title, never empty


# --- a full disk: files may grow only so far (RLIMIT_FSIZE, set in the child only) ---------------


def run_export_with_file_limit(limit: int, *args: str) -> subprocess.CompletedProcess[bytes]:
    """`reader export` whose files cannot grow past `limit` bytes: the kernel answers the
    write that would cross it with EFBIG, as a full disk answers with ENOSPC."""
    import resource
    import signal

    def limit_files() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the error, not the signal that kills
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        [sys.executable, "-m", "reader", "export", *args],
        capture_output=True,
        env=env,
        timeout=60,
        preexec_fn=limit_files,
    )


def audio_bytes(path: Path) -> int:
    """The size of an exported file without its ID3 tag (a WAV has none)."""
    tag = mutagen.id3.ID3(path).size if path.suffix == ".mp3" else 0
    return path.stat().st_size - tag


def many_sentences_page(tmp_path: Path) -> Path:
    """Thirty short sentences: the whole recording is many times larger than the eSpeak WAV of
    any one sentence, which the limit also applies to (the speech worker writes those)."""
    sections = "".join(
        f"<h2>Part {n}</h2>"
        + "".join(f"<p>Sentence {i} of part {n} is short.</p>" for i in range(10))
        for n in ("one", "two", "three")
    )
    path = tmp_path / "tea.html"
    path.write_text(
        f'<html lang="en"><head><title>Tea</title></head><body><article><h1>Tea</h1>'
        f"{sections}</article></body></html>",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    ("name", "room"),
    [("talk.wav", "half the audio"), ("talk.mp3", "half the audio"), ("talk.mp3", "no tag")],
)
def test_a_full_disk_is_said_and_leaves_nothing(tmp_path: Path, name: str, room: str) -> None:
    page = many_sentences_page(tmp_path)
    out = tmp_path / name
    whole = run_export(str(page), "-o", str(out))
    assert whole.returncode == 0, whole.stderr
    audio = audio_bytes(out)
    limit = audio + 100 if room == "no tag" else audio // 2
    out.unlink()
    chapters_path(out).unlink()

    result = run_export_with_file_limit(limit, str(page), "-o", str(out))

    assert result.returncode == 3, result.stderr
    assert one_sentence(result.stderr) == f"Could not write {out}: File too large."
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tea.html"]

"""Two voices (issue 12 item 3): the reader's own words in the interface voice and language, the
article in the voice kept for its language; the speech log's "lang" says which spoke. Real eSpeak
NG through the real queue on the null audio backend, the real controller and the real app."""

from __future__ import annotations

import threading
import time
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers.app import running
from helpers.pages import ENGLISH, FRENCH
from helpers.speech import opened_controller

from reader.model import Article, Block, Section
from reader.reading.controller import ReadingController
from reader.reading.types import Announcement, ReadingTag
from reader.reading.voicing import INTERFACE_CUES, Voicing
from reader.settings import Settings, load_settings
from reader.speech import article_utterances
from reader.speechlog import SpeechLog, read_log
from voices.base import SpeechEvent, SpeechItem, VoiceInfo
from voices.drivers import make_driver
from voices.player import make_player
from voices.queue import SpeechQueue


def until(check: Callable[[], Any], timeout: float = 30.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError("condition not met in time")


def words_of(records: list[dict[str, Any]], text: str) -> list[tuple[str, str | None]]:
    """(word, lang) of the word events of the utterance `text`, in order."""
    out, inside = [], False
    for r in records:
        if r["event"] == "start":
            inside = r["text"] == text
        elif r["event"] == "word" and inside:
            out.append((r["text"], r["lang"]))
        elif r["event"] in ("end", "stop") and inside:
            break
    return out


# ------------------------------------------------------------------ the queue: one item, two voices


def test_the_queue_speaks_each_run_in_its_voice_and_says_which() -> None:
    """A picker gives runs; each is synthesised in its own voice (the audio differs), word
    offsets stay in the item's whole text, and every event names the voice that spoke it."""
    driver = make_driver("pyttsx3")
    queue = SpeechQueue(driver, make_player("null"))
    events: list[SpeechEvent] = []
    lock = threading.Lock()

    def record(event: SpeechEvent) -> None:
        with lock:
            events.append(event)

    queue.subscribe(record)
    text = "Section 2 of 10: Les traitements de fond"
    cut = text.index("Les")
    try:
        queue.set_voice("roa/fr")
        queue.set_voice_picker(lambda item: [(0, "gmw/en"), (cut, None)])
        item = SpeechItem(text, tag="label")
        queue.speak([item])
        assert queue.wait_idle(30)
        with lock:
            mine = [e for e in events if e.item is item]
        kinds = [e.kind for e in mine]
        assert kinds[0] == "start" and kinds[-1] == "end" and kinds.count("start") == 1
        words = [(text[e.offset : e.offset + e.length], e.voice) for e in mine if e.kind == "word"]
        assert words == [
            ("Section", "gmw/en"),
            ("2", "gmw/en"),
            ("of", "gmw/en"),
            ("10", "gmw/en"),
            ("Les", "roa/fr"),
            ("traitements", "roa/fr"),
            ("de", "roa/fr"),
            ("fond", "roa/fr"),
        ]
        assert mine[0].voice == "gmw/en" and mine[-1].voice == "roa/fr"
        # The same words in French alone sound different: the runs really are two voices.
        driver.voice = "gmw/en"
        english = driver.synthesize(text[cut:])
        driver.voice = "roa/fr"
        assert driver.synthesize(text[cut:]).pcm != english.pcm
    finally:
        queue.close()
        driver.close()


def test_runs_the_voicing_gives() -> None:
    """The one place that decides: sentences in the article's voice (None: the queue's) with the
    reader's cues in the interface voice; the reader's words in the interface voice with the
    article's titles quoted in them in the article's voice."""
    voices = [
        VoiceInfo("gmw/en", "English (Great Britain)", ["en-gb"]),
        VoiceInfo("roa/fr", "French (France)", ["fr-fr"]),
    ]
    voicing = Voicing(Settings())
    voicing.attach(voices, None)
    assert voicing.interface == "gmw/en"
    voicing.article = "roa/fr"
    voicing.begin_article(["La sclérose en plaques", "Les traitements", "Les"])
    said = SpeechItem("Section 2 of 3: Les traitements.", tag=Announcement("navigation"))
    at = said.text.index("Les")
    assert voicing.runs(said) == [(0, "gmw/en"), (at, None), (at + 15, "gmw/en")]
    sentence = SpeechItem("Les traitements ralentissent la maladie.", tag=ReadingTag(1, 1))
    assert voicing.runs(sentence) == [(0, None)]
    image = SpeechItem("Image: Une infirmière.", tag=ReadingTag(1, 2))
    assert voicing.runs(image) == [(0, "gmw/en"), (len("Image: "), None)]
    assert voicing.language_of("roa/fr") == "fr" and voicing.language_of(None) == "en"
    voicing.article = "gmw/en"  # an English article: one voice says everything, uncut
    assert voicing.runs(said) == voicing.runs(image) == [(0, None)]


def test_the_cues_are_the_ones_the_speech_rules_put_before_blocks() -> None:
    article = Article(
        "Q", "fr", "test",
        [Section("Q", 1, "section", [
            Block("question", "Comment se passe la perfusion ?"),
            Block("answer", "Elle dure deux heures."),
            Block("image", "Une infirmière prépare la perfusion."),
        ])],
    )  # fmt: skip
    said = [u.text for u in article_utterances(article)[0][1:]]
    assert [next(c for c in INTERFACE_CUES if s.startswith(c)) for s in said] == list(
        INTERFACE_CUES
    )


# ------------------------------------------------------------------ the controller, real speech


class View:
    """The controller's view, recording nothing: the speech log is the oracle here."""

    def show_message(self, text: str, error: bool = False) -> None:
        pass

    def show_later(self, text: str) -> None:
        pass

    def refresh_reading(self, word_only: bool = False) -> None:
        pass

    def update_status(self) -> None:
        pass

    def speech_event(self, event: SpeechEvent) -> None:
        pass


@pytest.fixture
def french(tmp_path: Path) -> Iterator[tuple[ReadingController, Path]]:
    article = Article(
        "La sclérose en plaques", "fr", "test",
        [
            Section("La sclérose en plaques", 1, "intro", [
                Block("paragraph", "Elle touche surtout les jeunes adultes."),
            ]),
            Section("Les traitements", 2, "section", [
                Block("question", "Comment se passe la perfusion ?"),
                Block("image", "Une infirmière prépare la perfusion."),
            ]),
        ],
    )  # fmt: skip
    log = tmp_path / "speech.jsonl"
    with opened_controller(article, View(), rate=600, speech_log=log, driver=None) as (reading, _):
        yield reading, log


def test_on_a_french_article_the_reader_speaks_english_and_the_article_french(
    french: tuple[ReadingController, Path],
) -> None:
    controller, log = french
    assert controller.queue.voice == "roa/fr"
    controller.navigate("next_section")  # "Section 2 of 2: Les traitements", read on
    until(lambda: any(r["event"] == "end" and r["sentence"] == 2 for r in read_log(log)))
    records = read_log(log)
    label = next(r for r in records if r["event"] == "start" and r["text"].startswith("Section"))
    assert label["text"] == "Section 2 of 2: Les traitements" and label["lang"] == "en"
    assert words_of(records, label["text"]) == [
        ("Section", "en"),
        ("2", "en"),
        ("of", "en"),
        ("2", "en"),
        ("Les", "fr"),
        ("traitements", "fr"),
    ]
    question = "Question: Comment se passe la perfusion?"
    assert [lang for _, lang in words_of(records, question)] == ["en"] + ["fr"] * 5
    image = "Image: Une infirmière prépare la perfusion."
    assert [lang for _, lang in words_of(records, image)] == ["en"] + ["fr"] * 5
    # Reading is French throughout, but for the cues; "Rate 625" is English.
    words = [r for r in records if r["section"] is not None and r["event"] == "word"]
    assert {r["lang"] for r in words if r["text"] not in ("Question", "Image")} == {"fr"}
    controller.change_rate(1)
    until(lambda: any(r["text"] == "Rate 625" and r["event"] == "end" for r in read_log(log)))
    rate = next(r for r in read_log(log) if r["text"] == "Rate 625")
    said = words_of(read_log(log), "Rate 625")
    assert rate["lang"] == "en" and said[0] == ("Rate", "en") and {x for _, x in said} == {"en"}


def test_every_speech_log_line_has_lang(tmp_path: Path) -> None:
    log = SpeechLog(tmp_path / "log.jsonl", {"roa/fr": "fr"}.get)
    item = SpeechItem("Bonjour.", tag=ReadingTag(0, 1))
    log.write(SpeechEvent("start", item, voice="roa/fr"))
    log.write(SpeechEvent("word", item, offset=0, length=7, voice="roa/fr"))
    log.close(final_stop=True)
    records = read_log(log.path)
    assert [(r["event"], r["lang"]) for r in records] == [
        ("start", "fr"),
        ("word", "fr"),
        ("stop", None),  # the reader's last stop: no voice spoke it
    ]


# ------------------------------------------------------------------ the app, run after run


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def pages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    """A French and an English page; settings in one folder kept across the runs of a test."""
    monkeypatch.setenv("READER_CONFIG_DIR", str(tmp_path / "config"))
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "settings.toml").touch()
    monkeypatch.setenv("READER_DATA_DIR", str(tmp_path / "data"))
    fr, en = tmp_path / "sep.html", tmp_path / "fatigue.html"
    fr.write_text(FRENCH, encoding="utf-8")
    en.write_text(ENGLISH, encoding="utf-8")
    return str(fr), str(en)


def announced_voice(run: Any) -> list[str]:
    return [r["text"] for r in run.starts() if r["text"].startswith("Voice ")]


@pytest.mark.anyio
async def test_an_english_page_after_a_french_one_starts_without_naming_the_voice(
    tmp_path: Path, pages: tuple[str, str]
) -> None:
    fr, en = pages
    async with running(tmp_path, fr, autoplay=True) as run:
        await run.said("Voice French (France), for this article's language.")
        first = await run.until(lambda: [r for r in run.starts() if r["section"] is not None])
        assert first[0]["lang"] == "fr"
    async with running(tmp_path, en, autoplay=True) as run:
        first = await run.until(lambda: [r for r in run.starts() if r["section"] is not None])
        assert first[0]["lang"] == "en" and first[0]["text"] == "Fatigue in MS"
        assert announced_voice(run) == []
    async with running(tmp_path, fr, autoplay=True) as run:  # the French voice was kept
        first = await run.until(lambda: [r for r in run.starts() if r["section"] is not None])
        assert first[0]["lang"] == "fr" and announced_voice(run) == []
    settings, _ = load_settings()
    assert settings.voices == {"fr": "roa/fr"}


@pytest.mark.anyio
async def test_settings_keep_a_voice_per_language_and_the_interface_voice(
    tmp_path: Path, pages: tuple[str, str]
) -> None:
    fr, en = pages
    async with running(tmp_path, fr) as run:
        await run.press("y")  # the next French voice, for French pages
        french = run.app.queue.voice
    async with running(tmp_path, en) as run:
        assert run.app.queue.voice != french
        await run.press("y")  # the next English voice, for English pages
        english = run.app.queue.voice
        mark = await run.press("ctrl+y")
        await run.said("Voice for English articles", mark)
        mark = await run.press("tab")
        await run.said("Voice for the reader's own words", mark)
        interface = run.app.reading.voicing.interface
        mark = await run.press("down")
        said = await run.until(lambda: [r for r in run.starts(mark) if " of " in r["text"]])
        mark = await run.press("enter")
        chosen = run.app.reading.voicing.interface
        name = run.app.reading.voicing.name_of(chosen)
        assert chosen != interface and said[0]["text"].startswith(name)
        await run.said(f"{name} now says the reader's own words.", mark)
    data = tomllib.loads((tmp_path / "config" / "settings.toml").read_text(encoding="utf-8"))
    assert data["voices"] == {"fr": french, "en": english}
    assert data["interface_voice"] == chosen
    async with running(tmp_path, fr) as run:  # all three kept for the next run
        assert run.app.queue.voice == french
        assert run.app.reading.voicing.interface == chosen
        heard: list[SpeechEvent] = []
        run.app.queue.subscribe(heard.append)
        mark = await run.press("w")
        await run.until(lambda: [r for r in run.starts(mark) if "Section 1 of 2" in r["text"]])
        assert any(e.kind == "start" and e.voice == chosen for e in heard)

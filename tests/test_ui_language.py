"""The article's language chooses the voice: a French page is not read by an English voice, and
a French voice chosen with `y` does not carry over to English pages. Real app, real eSpeak."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.app import running
from helpers.pages import FRENCH
from helpers.paths import UserDirs, seed_copy

from voices.drivers import pick_voice

pytestmark = pytest.mark.anyio


@pytest.fixture
def page(tmp_path: Path) -> str:
    return seed_copy(tmp_path)


@pytest.fixture
def french_page(tmp_path: Path) -> str:
    path = tmp_path / "sep.html"
    path.write_text(FRENCH, encoding="utf-8")
    return str(path)


def language_of(run, voice_id: str) -> str:  # noqa: ANN001 - the test helper's Run
    voice = next(v for v in run.app.queue.voices() if v.id == voice_id)
    return voice.languages[0]


async def test_a_french_article_is_read_by_a_french_voice_and_says_so(
    tmp_path: Path, french_page: str
) -> None:
    async with running(tmp_path, french_page) as run:
        voices = run.app.queue.voices()
        assert run.app.queue.voice == pick_voice(voices, "fr")
        assert language_of(run, run.app.queue.voice).startswith("fr")
        said = await run.said("Voice French")
        assert said["section"] is None
        assert "French" in run.app.status_text()


async def test_a_french_voice_chosen_with_y_does_not_read_english_pages(
    tmp_path: Path, french_page: str, page: str, user_dirs: UserDirs
) -> None:
    async with running(tmp_path, french_page) as run:
        await run.press("y")
        chosen = run.app.queue.voice
        assert language_of(run, chosen).startswith("fr")
    settings = (user_dirs.config / "settings.toml").read_text()
    assert f'voice = "{chosen}"' in settings
    async with running(tmp_path, page) as run:  # the English sample, same saved settings
        assert language_of(run, run.app.queue.voice).startswith("en")
    async with running(tmp_path, french_page) as run:  # the French choice is kept for French
        assert run.app.queue.voice == chosen


async def test_the_first_y_moves_on_from_the_voice_speaking(tmp_path: Path, page: str) -> None:
    """eSpeak's default voice is 'gmw/en' (English, Great Britain): the first `y` goes to the
    voice after it, not back to the start of the list."""
    async with running(tmp_path, page) as run:
        english = [v for v in run.app.queue.voices() if v.languages[0].startswith("en")]
        ids = [v.id for v in english]
        speaking = run.app.current_voice_id(run.app.queue.voices())
        assert speaking in ids
        mark = await run.press("y")
        after = english[(ids.index(speaking) + 1) % len(english)]
        assert run.app.queue.voice == after.id
        await run.said(f"Voice {after.name}, {ids.index(after.id) + 1} of {len(english)}", mark)

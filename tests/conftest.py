"""Shared test helpers: where the hand-written fixture pages live and how to load one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from reader.model import Page

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    """Directory of the real-shaped test pages (seed_like.html, magazine.html, faq.html)."""
    return FIXTURES


@pytest.fixture
def fixture_page() -> Callable[[str], Page]:
    """Load a fixture file as a Page, the way fetch() would hand it over."""

    def load(name: str) -> Page:
        path = FIXTURES / name
        return Page(text=path.read_text(encoding="utf-8"), url=path.as_uri(), is_html=True)

    return load


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """No test reads or writes the developer's own settings, speech rules or positions, and none
    needs a sound card. Tests that want their own folders set these again."""
    home = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("READER_CONFIG_DIR", str(home / "config"))
    returning_user(home / "config")
    monkeypatch.setenv("READER_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("READER_AUDIO", "null")


def returning_user(config: Path) -> None:
    """A settings file already there, as after any earlier run: the app's first-run welcome is
    then not said, so tests hear exactly what they drive (the welcome has its own test)."""
    config.mkdir(parents=True, exist_ok=True)
    (config / "settings.toml").touch()

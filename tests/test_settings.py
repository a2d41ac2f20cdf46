"""Settings, resume positions and the recent list: round trips, damage, clamping, atomic writes."""

from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path

import pytest

from reader import settings as st
from reader.settings import (
    MAX_RECENT,
    Settings,
    SettingsError,
    load_settings,
    load_store,
    normalise_source,
    save_settings,
)


@pytest.fixture(autouse=True)
def dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    config, data = tmp_path / "config", tmp_path / "data"
    monkeypatch.setenv("READER_CONFIG_DIR", str(config))
    monkeypatch.setenv("READER_DATA_DIR", str(data))
    return config, data


def corrupt_files(directory: Path, name: str) -> list[Path]:
    return sorted(directory.glob(f"{name}.corrupt-*"))


# ---------------------------------------------------------------- settings


def test_missing_file_gives_defaults_and_no_message() -> None:
    settings, messages = load_settings()
    assert settings == Settings()
    assert settings.theme == "reader-high-contrast"
    assert (settings.rate, settings.volume, settings.voice, settings.font_size) == (
        175,
        1.0,
        None,
        1,
    )
    assert messages == []


def test_round_trip(dirs: tuple[Path, Path]) -> None:
    path = save_settings(
        Settings(rate=250, volume=0.5, voice="en-gb", font_size=3, theme="reader-dark")
    )
    assert path == dirs[0] / "settings.toml"
    settings, messages = load_settings()
    assert messages == []
    assert settings == Settings(250, 0.5, "en-gb", 3, "reader-dark")


def test_default_voice_is_left_out_of_toml(dirs: tuple[Path, Path]) -> None:
    save_settings(Settings(voice=None))
    data = tomllib.loads((dirs[0] / "settings.toml").read_text())
    assert "voice" not in data
    assert load_settings()[0].voice is None


def test_damaged_file_is_kept_aside_and_reported(dirs: tuple[Path, Path]) -> None:
    config = dirs[0]
    config.mkdir()
    bad = b"rate = = 300\n\xff"
    (config / "settings.toml").write_bytes(bad)
    settings, messages = load_settings()
    assert settings == Settings()
    kept = corrupt_files(config, "settings.toml")
    assert len(kept) == 1 and kept[0].read_bytes() == bad
    assert not (config / "settings.toml").exists()
    assert len(messages) == 1
    assert "damaged" in messages[0] and str(kept[0]) in messages[0]
    # Saving afterwards writes a fresh file and leaves the kept copy alone.
    save_settings(settings)
    assert load_settings() == (Settings(), [])
    assert kept[0].read_bytes() == bad


def test_second_damage_does_not_overwrite_first_kept_copy(dirs: tuple[Path, Path]) -> None:
    config = dirs[0]
    config.mkdir()
    for content in ("first [", "second ["):
        (config / "settings.toml").write_text(content)
        load_settings()
    kept = corrupt_files(config, "settings.toml")
    assert sorted(p.read_text() for p in kept) == ["first [", "second ["]


def test_bad_values_are_fixed_one_by_one_and_others_kept(dirs: tuple[Path, Path]) -> None:
    config = dirs[0]
    config.mkdir()
    (config / "settings.toml").write_text(
        'rate = 5000\nvolume = "loud"\nfont_size = 0\ntheme = "neon"\nvoice = "en-us"\n'
    )
    settings, messages = load_settings()
    assert settings.rate == 1000
    assert settings.volume == 1.0
    assert settings.font_size == 1
    assert settings.theme == "reader-high-contrast"
    assert settings.voice == "en-us"
    assert len(messages) == 4
    joined = " ".join(messages)
    for word in ("rate", "volume", "font size", "neon"):
        assert word in joined


@pytest.mark.parametrize(
    ("line", "field", "expected"),
    [
        ("rate = 10", "rate", 80),
        ("rate = true", "rate", 175),
        ("rate = 212.6", "rate", 213),
        ("volume = -1", "volume", 0.0),
        ("volume = 0.25", "volume", 0.25),
        ("volume = nan", "volume", 1.0),
        ("font_size = 9", "font_size", 5),
        ("font_size = 4", "font_size", 4),
        ("voice = 42", "voice", None),
        ('voice = "bad\\u0007voice"', "voice", None),
        ('theme = "reader-light"', "theme", "reader-light"),
    ],
)
def test_each_value_is_validated(
    dirs: tuple[Path, Path], line: str, field: str, expected: object
) -> None:
    dirs[0].mkdir()
    (dirs[0] / "settings.toml").write_text(line + "\n")
    settings, messages = load_settings()
    assert getattr(settings, field) == expected
    fine = line in ("rate = 212.6", "volume = 0.25", "font_size = 4", 'theme = "reader-light"')
    assert (messages == []) == fine


def test_unknown_keys_survive_a_save(dirs: tuple[Path, Path]) -> None:
    dirs[0].mkdir()
    (dirs[0] / "settings.toml").write_text('future_option = "keep me"\nrate = 300\n')
    settings, messages = load_settings()
    assert messages == []
    settings.font_size = 2
    save_settings(settings)
    data = tomllib.loads((dirs[0] / "settings.toml").read_text())
    assert data["future_option"] == "keep me"
    assert data["rate"] == 300 and data["font_size"] == 2


def test_unwritable_config_dir_raises_a_plain_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the config dir should be")
    monkeypatch.setenv("READER_CONFIG_DIR", str(blocker))
    with pytest.raises(SettingsError) as caught:
        save_settings(Settings())
    assert "Could not save your settings" in str(caught.value)
    assert caught.value.exit_code == 1


def test_failed_write_leaves_old_file_and_no_temp_files(
    dirs: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    save_settings(Settings(rate=300))
    before = (dirs[0] / "settings.toml").read_bytes()

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(st.os, "replace", broken_replace)
    with pytest.raises(SettingsError, match="No space left"):
        save_settings(Settings(rate=400))
    monkeypatch.undo()
    assert (dirs[0] / "settings.toml").read_bytes() == before
    assert os.listdir(dirs[0]) == ["settings.toml"]


def test_unreadable_file_is_reported_not_moved(dirs: tuple[Path, Path]) -> None:
    # A directory where the file should be: reading fails with an OSError, not a parse error.
    (dirs[0] / "settings.toml").mkdir(parents=True)
    settings, messages = load_settings()
    assert settings == Settings()
    assert len(messages) == 1 and "Could not read" in messages[0]
    assert (dirs[0] / "settings.toml").is_dir()


# ---------------------------------------------------------------- normalising sources


def test_normalise_source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    page = tmp_path / "page.html"
    assert normalise_source("HTTPS://Example.COM:443/a?b=1#frag") == "https://example.com/a?b=1"
    assert normalise_source("http://example.com") == "http://example.com/"
    assert normalise_source("http://example.com:8080/x") == "http://example.com:8080/x"
    assert normalise_source("page.html") == str(page)
    assert normalise_source(f"file://{page}") == str(page)
    assert normalise_source(str(page)) == str(page)
    assert normalise_source("sample") == "sample"
    assert normalise_source("-") is None
    assert normalise_source("  ") is None


# ---------------------------------------------------------------- positions and recent list


def test_positions_round_trip_across_stores(dirs: tuple[Path, Path]) -> None:
    store, messages = load_store()
    assert messages == [] and store.position("https://x.org/a") is None
    store.save_position("https://x.org/a#top", section=3, sentence=2, title="Drug\x07 guide")
    store.save_position("-", section=1, sentence=1)  # stdin cannot be resumed: ignored
    again, messages = load_store()
    assert messages == []
    pos = again.position("HTTPS://x.org/a")
    assert pos is not None
    assert (pos.section, pos.sentence, pos.title) == (3, 2, "Drug guide")
    assert pos.updated.endswith("+00:00")
    assert json.loads((dirs[1] / "positions.json").read_text()).keys() == {"https://x.org/a"}
    again.forget_position("https://x.org/a")
    assert load_store()[0].position("https://x.org/a") is None


def test_positions_are_capped_dropping_the_oldest(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(st, "MAX_POSITIONS", 3)
    store, _ = load_store()
    for n in range(5):
        store.save_position(f"http://h/{n}", 0, n)
    store.save_position("http://h/2", 1, 1)  # touching an entry makes it newest
    store.save_position("http://h/5", 0, 0)
    kept = json.loads((st.data_dir() / "positions.json").read_text())
    assert list(kept) == ["http://h/4", "http://h/2", "http://h/5"]


def test_recent_list_order_dedup_and_limit(tmp_path: Path) -> None:
    store, _ = load_store()
    for n in range(MAX_RECENT + 5):
        store.add_recent(f"http://h/{n}", f"Article {n}")
    store.add_recent("http://h/3#again", "Article 3 again")
    recent = load_store()[0].recent()
    assert len(recent) == MAX_RECENT
    assert recent[0].source == "http://h/3" and recent[0].title == "Article 3 again"
    assert recent[1].source == f"http://h/{MAX_RECENT + 4}"
    assert [r.source for r in recent].count("http://h/3") == 1
    store.remove_recent("http://h/3")
    assert load_store()[0].recent()[0].source == f"http://h/{MAX_RECENT + 4}"


def test_recent_local_file_is_stored_absolute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    store, _ = load_store()
    store.add_recent("page.html", "")
    item = load_store()[0].recent()[0]
    assert item.source == str(tmp_path / "page.html")
    assert item.title == item.source  # untitled pages show their source


@pytest.mark.parametrize("name", ["positions.json", "recent.json"])
@pytest.mark.parametrize("content", ['{"truncated": ', "[1, 2", '"a string"', "\xff\xfe"])
def test_damaged_data_files_are_kept_aside(
    dirs: tuple[Path, Path], name: str, content: str
) -> None:
    data = dirs[1]
    data.mkdir()
    (data / name).write_bytes(content.encode("latin-1"))
    store, messages = load_store()
    assert store.recent() == [] and store.position("http://x/") is None
    kept = corrupt_files(data, name)
    assert len(kept) == 1 and kept[0].read_bytes() == content.encode("latin-1")
    assert len(messages) == 1 and str(kept[0]) in messages[0]


def test_bad_entries_are_dropped_with_a_message(dirs: tuple[Path, Path]) -> None:
    data = dirs[1]
    data.mkdir()
    good = {"section": 1, "sentence": 0, "title": "ok", "updated": "2024-01-01T00:00:00+00:00"}
    (data / "positions.json").write_text(
        json.dumps({"http://a/": good, "http://b/": {"section": -1, "sentence": "x"}})
    )
    (data / "recent.json").write_text(
        json.dumps([{"title": "A", "source": "http://a/", "opened": ""}, {"title": 3}, "junk"])
    )
    store, messages = load_store()
    assert store.position("http://a/") == st.Position(1, 0, "ok", good["updated"])
    assert [r.source for r in store.recent()] == ["http://a/"]
    assert messages == [
        "1 damaged reading position ignored.",
        "2 damaged recent article entries ignored.",
    ]


def test_store_write_failure_raises_plain_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    store = st.Store(blocker)
    with pytest.raises(SettingsError, match="Could not save"):
        store.add_recent("http://a/", "A")
    assert store.recent()[0].source == "http://a/"  # the session keeps going in memory

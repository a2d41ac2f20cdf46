"""Settings: round trips, damage, clamping, atomic writes, failed saves said in words, stale
temporary files. (Positions and the recent list: tests/test_store.py.)"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
import tomllib
from pathlib import Path

import pytest
from helpers.disk import can_mount, fill, remount_read_only, take_write_permission, tmpfs
from helpers.paths import UserDirs, python_path

from reader import settings as st
from reader.settings import (
    Settings,
    SettingsError,
    load_settings,
    normalise_source,
    save_settings,
)


@pytest.fixture(autouse=True)
def dirs(user_dirs: UserDirs) -> tuple[Path, Path]:
    """A user with nothing saved yet: not even the settings folder is there."""
    shutil.rmtree(user_dirs.config)
    return user_dirs.config, user_dirs.data


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
    assert str(caught.value) == f"Could not save your settings: {blocker} is not a folder."
    assert caught.value.exit_code == 3  # "could not write", as in the README


def test_failed_write_leaves_old_file_and_no_temp_files(
    dirs: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    save_settings(Settings(rate=300))
    before = (dirs[0] / "settings.toml").read_bytes()

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(st.os, "replace", broken_replace)
    with pytest.raises(SettingsError, match="the disk is full"):
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


# ---------------------------------------------------------------- real failed saves, in words


@pytest.mark.parametrize("how", ["full", "read-only"])
def test_a_real_full_or_read_only_disk_is_said_in_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    folder = tmp_path / "config"
    monkeypatch.setenv("READER_CONFIG_DIR", str(folder))
    if not can_mount(tmp_path / "probe"):
        # Without root: the one real failure a user can cause, a folder they may not write in.
        folder.mkdir()
        save_settings(Settings(rate=300))
        take_write_permission(folder)
        try:
            with pytest.raises(SettingsError) as caught:
                save_settings(Settings(rate=400))
        finally:
            folder.chmod(0o755)
        assert str(caught.value) == f"Could not save your settings: you may not write in {folder}."
        assert load_settings()[0].rate == 300
        return
    with tmpfs(folder):
        save_settings(Settings(rate=300))
        if how == "full":
            fill(folder)
        else:
            remount_read_only(folder)
        with pytest.raises(SettingsError) as caught:
            save_settings(Settings(rate=400))
        reason = "the disk is full" if how == "full" else "the disk is read-only"
        assert str(caught.value) == f"Could not save your settings: {reason}."
        assert caught.value.exit_code == 3
        assert load_settings()[0].rate == 300  # the old file, whole
        assert not list(folder.glob(".*.tmp"))


# ---------------------------------------------------------------- temporary files a kill left

KILLED_WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from reader.settings import atomic_write

    path, data = Path(sys.argv[1]), b"# a big, valid file\\n" * 100_000 + b"rate = 200\\n"
    print("writing", flush=True)
    while True:
        atomic_write(path, data)
    """
)


def killed_during_a_save(path: Path) -> list[Path]:
    """SIGKILL a real process in the middle of its atomic writes; returns the debris left."""
    env = dict(os.environ, PYTHONPATH=python_path())
    for _ in range(20):  # a kill landing between two writes leaves nothing: try again
        proc = subprocess.Popen(
            [sys.executable, "-c", KILLED_WRITER, str(path)], env=env, stdout=subprocess.PIPE
        )
        assert proc.stdout is not None and proc.stdout.readline() == b"writing\n"
        deadline = time.monotonic() + 30
        while not list(path.parent.glob(f".{path.name}.*.tmp")) and time.monotonic() < deadline:
            time.sleep(0.001)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        left = list(path.parent.glob(f".{path.name}.{proc.pid}.*.tmp"))
        if left:
            return left
    raise AssertionError("no kill landed during a write in 20 tries")


def test_temp_files_of_a_killed_save_are_removed_at_the_next_start(dirs: tuple[Path, Path]) -> None:
    config = dirs[0]
    config.mkdir()
    left = killed_during_a_save(config / "settings.toml")
    # A reader still writing (this process is alive) keeps its fresh temporary file...
    live = config / f".settings.toml.{os.getpid()}.abcd_123.tmp"
    live.write_text("being written")
    other = config / ".notes.tmp"  # not a name reader writes: never touched
    other.write_text("mine")
    settings, messages = load_settings()
    assert messages == []
    assert [p for p in left if p.exists()] == []
    assert live.exists() and other.exists()
    # ...but not one older than a minute, whoever wrote it (a pid may be reused).
    os.utime(live, (time.time() - 120, time.time() - 120))
    load_settings()
    assert not live.exists() and other.exists()


def test_the_state_store_cleans_its_folder_too(dirs: tuple[Path, Path]) -> None:
    from reader.store import load_store

    data = dirs[1]
    data.mkdir()
    legacy = data / ".positions.json.k2j4h5g6.tmp"  # written before names carried a pid
    legacy.write_text("{")
    os.utime(legacy, (time.time() - 3600, time.time() - 3600))
    fresh = data / ".recent.json.q1w2e3r4.tmp"  # no pid, under a minute: may be a live write
    fresh.write_text("[")
    load_store()
    assert not legacy.exists() and fresh.exists()

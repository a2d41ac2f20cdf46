"""The SQLite state store: round trips, limits, the one-time JSON import, a damaged file, several
real processes writing at once, and saves that fail on a real full, read-only or locked disk."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from helpers.app import message_line, running
from helpers.disk import (
    can_mount,
    fill,
    locked,
    remount_read_only,
    take_write_permission,
    tmpfs,
)
from helpers.paths import SEED, UserDirs, python_path, returning_user
from helpers.terminal import reader_in_pty, terminal_env

from reader.settings import SettingsError
from reader.store import MAX_RECENT, STATE_FILE, Position, Store, load_store
from reader.store import state as st


@pytest.fixture
def data(user_dirs: UserDirs) -> Path:
    return user_dirs.data


def rows(data: Path, sql: str) -> list[tuple[object, ...]]:
    """Straight from the file, with SQLite's own module: what another reader would see."""
    db = sqlite3.connect(data / STATE_FILE)
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


# ---------------------------------------------------------------- round trips and limits


def test_positions_round_trip_across_stores(data: Path) -> None:
    store, messages = load_store()
    assert messages == [] and store.position("https://x.org/a") is None
    store.save_position("https://x.org/a#top", section=3, sentence=2, title="Drug\x07 guide")
    store.save_position("-", section=1, sentence=1)  # stdin cannot be resumed: ignored
    again, messages = load_store()
    assert messages == []
    pos = again.position("HTTPS://x.org/a")
    assert pos is not None
    assert (pos.section, pos.sentence, pos.title, pos.finished) == (3, 2, "Drug guide", False)
    assert pos.updated.endswith("+00:00")
    assert rows(data, "SELECT source, section, sentence FROM positions") == [
        ("https://x.org/a", 3, 2)
    ]
    assert rows(data, "PRAGMA journal_mode") == [("wal",)]
    again.forget_position("https://x.org/a")
    assert load_store()[0].position("https://x.org/a") is None


def test_a_change_is_seen_by_a_store_opened_earlier() -> None:
    """Reads go to the file: a reader sees what another saved after it started."""
    first, _ = load_store()
    second, _ = load_store()
    second.save_position("http://h/a", 2, 4, "A", finished=True)
    second.add_recent("http://h/a", "A")
    assert first.position("http://h/a") == second.position("http://h/a")
    assert first.position("http://h/a").finished is True  # type: ignore[union-attr]
    assert [r.source for r in first.recent()] == ["http://h/a"]


def test_positions_are_capped_dropping_the_oldest(
    data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(st, "MAX_POSITIONS", 3)
    store, _ = load_store()
    for n in range(5):
        store.save_position(f"http://h/{n}", 0, n)
    store.save_position("http://h/2", 1, 1)  # touching an entry makes it newest
    store.save_position("http://h/5", 0, 0)
    kept = rows(data, "SELECT source FROM positions ORDER BY seq")
    assert [source for (source,) in kept] == ["http://h/4", "http://h/2", "http://h/5"]


def test_recent_list_order_dedup_and_limit() -> None:
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


# ---------------------------------------------------------------- schema and the old JSON files


def test_schema_version_is_recorded_and_a_newer_file_still_opens(data: Path) -> None:
    load_store()
    assert rows(data, "SELECT version FROM schema_version") == [(len(st.MIGRATIONS),)]
    # A later reader added a table (bookmarks, say) and raised the version: this one still works.
    db = sqlite3.connect(data / STATE_FILE)
    db.executescript("CREATE TABLE later (url TEXT); UPDATE schema_version SET version = 99;")
    db.close()
    store, messages = load_store()
    assert messages == []
    store.save_position("http://h/x", 1, 2)
    assert store.position("http://h/x") is not None
    assert rows(data, "SELECT version FROM schema_version") == [(99,)]


def test_json_state_is_imported_once_and_kept_aside(data: Path) -> None:
    data.mkdir()
    old = {"section": 2, "sentence": 5, "title": "Old", "updated": "2024-01-01T00:00:00+00:00"}
    positions = {"http://a/": old, "http://b/": dict(old, section=1, finished=True)}
    recent = [
        {"title": "B", "source": "http://b/", "opened": "2024-01-02T00:00:00+00:00"},
        {"title": "A", "source": "http://a/", "opened": "2024-01-01T00:00:00+00:00"},
    ]
    (data / "positions.json").write_text(json.dumps(positions))
    (data / "recent.json").write_text(json.dumps(recent))
    store, messages = load_store()
    assert messages == []
    assert store.position("http://a/") == Position(2, 5, "Old", old["updated"])
    assert store.position("http://b/") == Position(1, 5, "Old", old["updated"], True)
    assert [r.source for r in store.recent()] == ["http://b/", "http://a/"]
    assert not (data / "positions.json").exists() and not (data / "recent.json").exists()
    assert json.loads((data / "positions.json.migrated").read_text()) == positions
    assert json.loads((data / "recent.json.migrated").read_text()) == recent
    # An older reader writing the JSON again later does not make it import twice.
    (data / "positions.json").write_text(json.dumps({"http://c/": old}))
    again, messages = load_store()
    assert messages == [] and again.position("http://c/") is None
    assert (data / "positions.json").exists()


@pytest.mark.parametrize("name", ["positions.json", "recent.json"])
@pytest.mark.parametrize("content", ['{"truncated": ', "[1, 2", '"a string"', "\xff\xfe"])
def test_damaged_json_files_are_kept_aside_when_imported(
    data: Path, name: str, content: str
) -> None:
    data.mkdir()
    (data / name).write_bytes(content.encode("latin-1"))
    store, messages = load_store()
    assert store.recent() == [] and store.position("http://x/") is None
    kept = sorted(data.glob(f"{name}.corrupt-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == content.encode("latin-1")
    assert len(messages) == 1 and str(kept[0]) in messages[0]


def test_bad_json_entries_are_dropped_with_a_message(data: Path) -> None:
    data.mkdir()
    good = {"section": 1, "sentence": 0, "title": "ok", "updated": "2024-01-01T00:00:00+00:00"}
    (data / "positions.json").write_text(
        json.dumps({"http://a/": good, "http://b/": {"section": -1, "sentence": "x"}})
    )
    (data / "recent.json").write_text(
        json.dumps([{"title": "A", "source": "http://a/", "opened": ""}, {"title": 3}, "junk"])
    )
    store, messages = load_store()
    assert store.position("http://a/") == Position(1, 0, "ok", good["updated"])
    assert [r.source for r in store.recent()] == ["http://a/"]
    assert messages == [
        "1 damaged reading position ignored.",
        "2 damaged recent article entries ignored.",
    ]


# ---------------------------------------------------------------- a damaged database


def damage_pages(path: Path) -> None:
    """A real file whose header is fine but whose table pages are overwritten."""
    store, _ = load_store(path.parent)
    for n in range(200):
        store.save_position(f"http://h/{n}", n, n, "x" * 200)
    store.close()
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.seek(4096)  # past page 1, which holds the header and the schema
        handle.write(b"\xa5" * (size - 4096))


@pytest.mark.parametrize("how", ["not a database", "damaged pages"])
def test_a_damaged_database_is_kept_aside_and_a_fresh_one_started(data: Path, how: str) -> None:
    path = data / STATE_FILE
    if how == "not a database":
        data.mkdir()
        path.write_bytes(b"this is not SQLite " * 300)
    else:
        damage_pages(path)
    before = path.read_bytes()
    store, messages = load_store()
    kept = sorted(data.glob(f"{STATE_FILE}.corrupt-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == before
    assert messages == [
        f"Your saved places file was damaged; starting afresh. The old file was kept as {kept[0]}."
    ]
    store.save_position("http://h/new", 1, 1)
    assert load_store()[0].position("http://h/new") is not None
    assert rows(data, "PRAGMA integrity_check") == [("ok",)]


# ---------------------------------------------------------------- several readers at once

WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from reader.store import load_store

    name, data, start = sys.argv[1], Path(sys.argv[2]), float(sys.argv[3])
    store, messages = load_store(data)
    assert messages == [], messages
    while time.time() < start:  # all begin together, so their writes overlap
        time.sleep(0.001)
    for n in range(5):
        store.save_position(f"http://site/{name}/{n}", n + 1, n + 2, f"{name} {n}")
        if n < 2:
            store.add_recent(f"http://site/{name}/{n}", f"{name} {n}")
    print("done", flush=True)
    """
)


def test_ten_processes_at_once_lose_no_position_or_recent_entry(data: Path) -> None:
    """Each process holds its own store open (as ten readers would) and writes its own articles;
    the old JSON files, rewritten whole from each one's memory, kept only one process's."""
    env = dict(os.environ, PYTHONPATH=python_path())
    start = time.time() + 3.0  # past the interpreters' start-up, even on a busy machine
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, f"p{i}", str(data), str(start)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(10)
    ]
    results = [proc.communicate(timeout=90) for proc in procs]
    assert [proc.returncode for proc in procs] == [0] * 10, [err for _, err in results]
    store, _ = load_store()
    for i in range(10):
        for n in range(5):
            pos = store.position(f"http://site/p{i}/{n}")
            assert pos is not None and (pos.section, pos.sentence) == (n + 1, n + 2)
    recent = {item.source for item in store.recent()}
    assert recent == {f"http://site/p{i}/{n}" for i in range(10) for n in range(2)}
    assert rows(data, "SELECT count(*) FROM positions") == [(50,)]


# ---------------------------------------------------------------- saves that fail, in words


def test_a_full_disk_during_a_session_is_said_in_words(tmp_path: Path) -> None:
    """The disk fills while reading: the save fails with the reason, the place stays known in
    memory, and once there is room again the next save writes everything waiting."""
    if not can_mount(tmp_path / "probe"):
        # Without root no test can fill a disk; a lock held by another process is the real
        # failure a user without root meets mid-session.
        with pytest.raises(SettingsError) as caught:
            store, _ = load_store(tmp_path / "data")
            with locked(store.path):
                store.save_position("http://h/a", 3, 4, "A")
        assert (
            str(caught.value) == "Could not save your place: another program kept the file locked."
        )
        return
    with tmpfs(tmp_path / "small") as folder:
        store, messages = load_store(folder)
        assert messages == []
        store.save_position("http://h/a", 1, 1, "A")
        filler = fill(folder)
        with pytest.raises(SettingsError) as caught:
            store.save_position("http://h/a", 3, 4, "A")
        assert str(caught.value) == "Could not save your place: the disk is full."
        assert caught.value.exit_code == 3
        with pytest.raises(SettingsError, match="recent articles list: the disk is full"):
            store.add_recent("http://h/b", "B")
        # The session goes on with what it could not write...
        assert (store.position("http://h/a").section, store.recent()[0].source) == (  # type: ignore[union-attr]
            3,
            "http://h/b",
        )
        assert load_store(folder)[0].position("http://h/a").section == 1  # type: ignore[union-attr]
        # ...and writes it with the next change that succeeds.
        filler.unlink()
        store.save_position("http://h/c", 0, 1)
        other, _ = load_store(folder)
        assert other.position("http://h/a").section == 3  # type: ignore[union-attr]
        assert [r.source for r in other.recent()] == ["http://h/b"]
        store.close()
        other.close()


def test_a_read_only_data_folder_is_said_at_start_and_at_each_save(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    if can_mount(tmp_path / "probe"):
        expected = "the disk is read-only"
        with tmpfs(folder):
            remount_read_only(folder)
            check_read_only(folder, expected)
    else:
        expected = f"you may not write in {folder}"
        folder.mkdir()
        take_write_permission(folder)
        try:
            check_read_only(folder, expected)
        finally:
            folder.chmod(0o755)


def check_read_only(folder: Path, reason: str) -> None:
    store, messages = load_store(folder)
    assert messages == [
        f"Could not open your saved places and recent articles: {reason}. "
        "Places are kept only until you quit."
    ]
    with pytest.raises(SettingsError) as caught:
        store.save_position("http://h/a", 2, 3)
    assert str(caught.value) == f"Could not save your place: {reason}."
    assert store.position("http://h/a").section == 2  # type: ignore[union-attr]


def test_a_database_locked_by_another_program_fails_in_words_then_works(data: Path) -> None:
    store, _ = load_store()
    store.save_position("http://h/a", 1, 1)
    with locked(store.path):
        began = time.monotonic()
        with pytest.raises(SettingsError) as caught:
            store.save_position("http://h/a", 2, 2)
        waited = time.monotonic() - began
    assert str(caught.value) == "Could not save your place: another program kept the file locked."
    assert waited >= st.BUSY_TIMEOUT * 0.9  # it waited its turn before giving up
    store.save_position("http://h/b", 0, 0)  # the lock gone: this and the waiting one are written
    assert load_store()[0].position("http://h/a").section == 2  # type: ignore[union-attr]


def test_a_file_where_the_data_folder_should_be(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    store = Store(blocker)
    assert store.open() == [
        f"Could not open your saved places and recent articles: {blocker} is not a folder. "
        "Places are kept only until you quit."
    ]
    with pytest.raises(SettingsError, match="Could not save the recent articles list"):
        store.add_recent("http://a/", "A")
    assert store.recent()[0].source == "http://a/"  # the session keeps going in memory


# ---------------------------------------------------------------- honest saves, through the app


@pytest.fixture
def page(tmp_path: Path) -> str:
    target = tmp_path / "seed_like.html"
    shutil.copy(SEED, target)
    return str(target)


@pytest.mark.anyio
async def test_q_on_a_full_disk_says_the_place_was_not_saved_and_exits_3(
    tmp_path: Path, page: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The finding: with the data folder on a full disk, q said "Goodbye, position saved."
    and exited 0 while nothing was saved."""
    mounted = can_mount(tmp_path / "probe")
    folder = tmp_path / "data"
    monkeypatch.setenv("READER_DATA_DIR", str(folder))
    with tmpfs(folder) if mounted else contextlib.nullcontext(folder):
        async with running(tmp_path, page) as run:
            await run.press("n", "n")
            if mounted:
                fill(folder)
                reason = "the disk is full"
                mark = await run.press("q")
                await run.until(lambda: run.app.return_code is not None)
            else:  # without root: another program holding the file locked
                reason = "another program kept the file locked"
                with locked(folder / STATE_FILE):
                    mark = await run.press("q")
                    await run.until(lambda: run.app.return_code is not None)
        said = [r["text"] for r in run.starts(mark)]
        # (Reading goes on while a locked file is waited for: the goodbye is then said last.)
        assert said[-1] == f"Could not save your place: {reason}. Goodbye."
        assert not any("saved" in text for text in said)
        assert run.app.return_code == 3
        if mounted:  # (a lock, once gone, lets the save on unmount through)
            assert Store(folder).position(page) is None  # and indeed nothing was saved


@pytest.mark.anyio
async def test_a_read_only_settings_folder_is_said_not_only_shown(
    tmp_path: Path, page: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("READER_DATA_DIR", str(tmp_path / "data"))
    config = tmp_path / "config"
    monkeypatch.setenv("READER_CONFIG_DIR", str(config))
    mounted = can_mount(tmp_path / "probe")
    with tmpfs(config) if mounted else contextlib.nullcontext(config):
        returning_user(config)
        async with running(tmp_path, page) as run:
            if mounted:
                remount_read_only(config)
                reason = "the disk is read-only"
            else:
                take_write_permission(config)
                reason = f"you may not write in {config}"
            try:
                mark = await run.press("right_square_bracket")  # faster: saves the rate
                said = f"Could not save your settings: {reason}."
                await run.said(said, mark, exact=True)
                assert message_line(run.app) == said
                # Said once per reason: the next change is only shown, not said again.
                mark = await run.press("right_square_bracket")
                await run.said("Rate", mark)
                assert said not in [r["text"] for r in run.starts(mark)]
                assert message_line(run.app) == said
                mark = await run.press("q")
                await run.until(lambda: run.app.return_code is not None)
            finally:
                if not mounted:
                    config.chmod(0o755)
        assert [r["text"] for r in run.starts(mark)] == [f"{said} Goodbye."]
        assert run.app.return_code == 3


def test_the_real_reader_exits_3_and_says_why_on_a_full_disk(tmp_path: Path) -> None:
    """`python -m reader PAGE` in a pty, the data folder full from the start: told at start,
    told again at q, the sentence left on the terminal, exit status 3."""
    page = tmp_path / "seed_like.html"
    shutil.copy(SEED, page)
    data = tmp_path / "data"
    env = terminal_env(READER_DATA_DIR=str(data))
    mounted = can_mount(tmp_path / "probe")
    if not mounted:  # without root: a file where the folder should be, which stops anyone
        data.write_text("in the way")
    with tmpfs(data) if mounted else contextlib.nullcontext(data):
        if mounted:
            fill(data)
        reason = "the disk is full" if mounted else f"{data} is not a folder"
        with reader_in_pty(page, tmp_path / "speech.jsonl", env) as term:
            term.said(f"Could not open your saved places and recent articles: {reason}.")
            mark = term.send(b"q")
            term.said(f"Could not save your place: {reason}. Goodbye.", mark)
            assert term.wait(lambda: term.proc.poll() is not None)
            assert term.proc.returncode == 3
            term.wait(lambda: b"Could not save your place" in term.output[-4000:])

"""End to end: `python -m reader PAGE --audio null --speech-log LOG` in a real pseudo-terminal,
driven by key presses, checked through the speech log — the way a blind user meets it."""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from helpers.paths import SEED, UserDirs
from helpers.terminal import (
    DOWN,
    ENTER,
    Terminal,
    end,
    reader_command,
    reader_in_pty,
    spawn_in_pty,
    terminal_env,
)

from reader.speech import normalise
from reader.speechlog import read_log
from reader.store import Store


@pytest.fixture
def env() -> dict[str, str]:
    return terminal_env()


def test_keys_in_a_real_terminal_and_resume_after_relaunch(
    tmp_path: Path, env: dict[str, str], user_dirs: UserDirs
) -> None:
    page = tmp_path / "seed_like.html"
    shutil.copy(SEED, page)
    log = tmp_path / "speech.jsonl"
    with reader_in_pty(page, log, env) as term:
        first = term.reads(0, 0)  # reading starts by itself, at the article's title
        assert first["text"] == normalise("Infusion Treatments: Benefits and Side Effects")
        term.wait(lambda: any(r["event"] == "word" for r in term.records()))
        # n four times: intro -> Q&A -> drug list -> first drug -> the second drug
        mark = term.send(b"nnnn")
        said = term.said("Section 5 of 7: ", mark)
        assert said["text"] == "Section 5 of 7: " + normalise("Natalizumab (Tysabri)")
        assert said["section"] is None
        sentence = term.reads(4, 1, mark)
        assert sentence["text"].startswith(normalise("Natalizumab (Tysabri) works"))
        # t, down to Ocrelizumab, enter: its title, then it is read
        mark = term.send(b"t")
        term.said("Sections, 7 items.", mark)
        mark = term.send(DOWN)
        term.said(normalise("Ocrelizumab (Ocrevus)") + ", 6 of 7", mark)
        mark = term.send(ENTER)
        term.said("Section 6 of 7: " + normalise("Ocrelizumab (Ocrevus)"), mark)
        term.reads(5, 1, mark)
        mark = term.send(b"]")
        term.said("Rate 200", mark)
        mark = term.send(b"++")
        term.said("Font size 3 of 5", mark)
        mark = term.send(b"q")
        assert term.wait(lambda: term.proc.poll() is not None)
        assert term.proc.returncode == 0
    log2 = tmp_path / "speech2.jsonl"
    with reader_in_pty(page, log2, env) as term:
        said = term.said("Resuming at section 6 of 7, ")
        assert normalise("Ocrelizumab (Ocrevus)") in said["text"]
        term.send(b"q")
        term.wait(lambda: term.proc.poll() is not None)
        assert term.proc.returncode == 0
    settings = (user_dirs.config / "settings.toml").read_text()
    assert "rate = 200" in settings and "font_size = 3" in settings


@pytest.mark.parametrize("signal_number", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_saves_the_place_before_the_reader_ends(
    tmp_path: Path, env: dict[str, str], signal_number: int, user_dirs: UserDirs
) -> None:
    """`kill`, a shutdown or the terminal window closing must not lose the reading position."""
    page = tmp_path / "seed_like.html"
    shutil.copy(SEED, page)
    log = tmp_path / "speech.jsonl"
    with reader_in_pty(page, log, env) as term:
        term.reads(0, 0)
        mark = term.send(b"nn")
        term.said("Section 3 of 7: ", mark)  # the place moves with the key, not the audio
        term.proc.send_signal(signal_number)
        assert term.wait(lambda: term.proc.poll() is not None, timeout=15)
        assert term.proc.returncode == 0
    saved = Store(user_dirs.data).position(str(page))
    assert saved is not None and saved.section == 2


def test_a_page_piped_on_standard_input_is_read_and_keys_still_work(
    env: dict[str, str], tmp_path: Path, user_dirs: UserDirs
) -> None:
    """`cat page.html | reader -`: the page comes on the pipe, the keys from the terminal."""
    log = tmp_path / "piped.jsonl"
    command = reader_command("-", log)
    proc, master = spawn_in_pty(command, env, stdin=subprocess.PIPE, own_terminal=True)
    assert proc.stdin is not None
    proc.stdin.write(SEED.read_bytes())
    proc.stdin.close()
    term = Terminal(proc, master, log)
    try:
        first = term.reads(0, 0)  # after "Loading …", the article from the pipe
        assert first["text"] == normalise("Infusion Treatments: Benefits and Side Effects")
        mark = term.send(b"n")
        said = term.said("Section 2 of 7", mark)
        assert said["section"] is None
        term.send(b"q")
        assert term.wait(lambda: proc.poll() is not None)
        assert proc.returncode == 0
        goodbye = [r["event"] for r in term.records() if r["text"] == "Goodbye, position saved."]
        assert goodbye[0] == "start" and "end" in goodbye  # heard to its end, not cut off
        # That copy is deleted on exit: a recent entry or position for it would lead nowhere.
        kept = b" ".join(path.read_bytes() for path in user_dirs.data.glob("*"))
        assert b"reader-stdin-" not in kept  # the state store keeps text as UTF-8
        assert not any("reader-stdin-" in r["text"] for r in term.records())
    finally:
        end(proc, master)


def test_the_very_first_run_says_how_to_hear_the_keys(
    tmp_path: Path, env: dict[str, str], user_dirs: UserDirs
) -> None:
    """A blind newcomer hears the welcome with the help key before the article; a later run
    (settings saved on quit) goes straight to the article."""
    (user_dirs.config / "settings.toml").unlink()  # nothing saved yet: a first run
    page = tmp_path / "seed_like.html"
    shutil.copy(SEED, page)
    log = tmp_path / "speech.jsonl"
    fast = ("--rate", "500")  # what is said is checked, not how fast: the welcome is long
    with reader_in_pty(page, log, env, *fast) as term:
        first = term.reads(0, 0)
        # Heard before the article begins; "Loading …" may come first when the page takes
        # longer to open than speech takes to start (a busy machine).
        before = [r["text"] for r in term.starts() if r["t"] < first["t"]]
        assert any("Press question mark at any time to hear the keys" in t for t in before)
        term.send(b"q")
        assert term.wait(lambda: term.proc.poll() is not None)
    assert (user_dirs.config / "settings.toml").exists()
    mark = len(read_log(log))
    with reader_in_pty(page, log, env, *fast) as term:
        term.reads(0, 0, mark)
        assert not any("question mark" in r["text"] for r in term.starts(mark))
        term.send(b"q")
        assert term.wait(lambda: term.proc.poll() is not None)


def descendants(pid: int) -> set[int]:
    """Every living process below `pid` (the speech worker, its helpers), from /proc."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    parents[int(entry)] = int(stat.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
    found, todo = set(), [pid]
    while todo:
        current = todo.pop()
        children = {p for p, parent in parents.items() if parent == current}
        todo.extend(children - found)
        found |= children
    return found


def alive(pid: int) -> bool:
    """Running, not merely a zombie waiting for its parent to notice."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def busy_page(tmp_path: Path) -> Path:
    """A page whose heading is 100 KB: drawing and speaking it kept the app's event loop busy
    for a minute, so a signal handler on that loop never ran."""
    words = " ".join(f"word{n}" for n in range(15_000))
    page = tmp_path / "busy.html"
    page.write_text(
        f"<!DOCTYPE html><html lang='en'><head><title>Busy</title></head><body><article>"
        f"<h1>{words}</h1><p>A short paragraph follows the very long heading.</p>"
        f"<p>And a second one, so that there is an article.</p></article></body></html>"
    )
    return page


def test_closing_the_terminal_ends_the_reader_and_its_speech_worker(
    tmp_path: Path, env: dict[str, str]
) -> None:
    """An orphan used to go on at 98 % CPU for minutes after its window closed."""
    log = tmp_path / "speech.jsonl"
    proc, master = spawn_in_pty(reader_command(busy_page(tmp_path), log), env, own_terminal=True)
    term = Terminal(proc, master, log)
    try:
        term.wait(lambda: descendants(proc.pid), timeout=30)  # the speech worker has started
        family = descendants(proc.pid)
        os.close(master)  # the window closes: the kernel hangs up the terminal
        master = -1
        term.wait(lambda: proc.poll() is not None, timeout=15)
        deadline = time.monotonic() + 15
        while any(alive(pid) for pid in family) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [pid for pid in family if alive(pid)]
    finally:
        end(proc, master)


def test_the_reader_leaves_when_its_parent_dies(tmp_path: Path, env: dict[str, str]) -> None:
    """`bash -c 'reader …'` whose shell was killed: nothing hangs up the terminal (the shell
    did not own it), and the reader must not stay behind as an orphan (six once did)."""
    log = tmp_path / "speech.jsonl"
    inner = " ".join(shlex.quote(a) for a in reader_command(SEED, log)) + "; true"
    # The outer shell owns the terminal and outlives the inner one, which is the reader's parent.
    outer = ["bash", "-c", f"bash -c {shlex.quote(inner)}; sleep 600"]
    proc, master = spawn_in_pty(outer, env, own_terminal=True)
    term = Terminal(proc, master, log)
    family: set[int] = set()
    try:
        term.reads(0, 0)
        family = descendants(proc.pid)
        (parent,) = [pid for pid in family if b"bash" in Path(f"/proc/{pid}/cmdline").read_bytes()]
        os.kill(parent, signal.SIGKILL)  # the reader's parent dies without passing anything on
        family.discard(parent)
        family -= {p for p in family if b"sleep" in Path(f"/proc/{p}/cmdline").read_bytes()}
        deadline = time.monotonic() + 15
        while any(alive(pid) for pid in family) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [pid for pid in family if alive(pid)]
    finally:
        for pid in family:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        proc.kill()
        proc.wait(timeout=10)
        os.close(master)

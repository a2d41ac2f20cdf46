"""The CLI contract: `python -m reader outline/text` on real files, exit codes, clean output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers.cli import assert_one_line_error, run
from helpers.paths import ROOT, UserDirs

from reader.cli import main
from reader.cli.args import parse_args
from reader.cli.articles import outline_lines, text_lines
from reader.errors import UsageError
from reader.model import Article, Block, Section
from reader.source import resolve_source

PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Infusion Treatments: Benefits and Side Effects - MS Views</title>
</head>
<body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li></ul></nav>
<div id="content"><article>
<h1>Infusion Treatments: Benefits and Side Effects</h1>
<p>Multiple Sclerosis (MS) is an autoimmune disease that affects the central nervous system.
With MS, your immune system mistakenly attacks your nerves and destroys myelin, their
protective coating. There is no cure for MS, but there are several types of treatments.</p>
<p>Some disease-modifying therapies come as infused medications. These infusion treatments may
be especially helpful to people with aggressive or advanced MS.</p>
<h2>Q&amp;A: Administering infusion treatments</h2>
<p>Q: How are infusion treatments given?</p>
<p>A: These drugs are injected intravenously. You can only receive these drugs from a
healthcare provider in a healthcare facility.</p>
<h2>Infusion treatment drugs</h2>
<p>Today there are several infusible drugs available to treat MS, e.g. the three below.</p>
<h3>Natalizumab (Tysabri)</h3>
<p>Natalizumab works by stopping damaging immune cells from entering your brain and spinal
cord. You receive a 300 mg dose once every four weeks.</p>
<h3>Ocrelizumab (Ocrevus)</h3>
<p>Ocrelizumab is the newest infusion treatment for MS. It was approved by the Food and Drug
Administration in 2017. It is given in two 300-milligram infusions, two weeks apart.</p>
</article></div>
<footer><p>Copyright 2020 MS Views and News. All rights reserved.</p></footer>
</body></html>
"""

LOGIN = """<!DOCTYPE html><html><head><title>Log in</title></head><body>
<form action="/login" method="post"><label>User <input name="u"></label>
<label>Password <input type="password" name="p"></label><button>Log in</button></form>
</body></html>
"""

SECTION_KINDS = {"intro", "section", "qa"}
BLOCK_KINDS = {"paragraph", "list_item", "question", "answer", "quote", "table_row", "image"}


@pytest.fixture()
def page(tmp_path: Path) -> Path:
    path = tmp_path / "infusion.html"
    path.write_text(PAGE, encoding="utf-8")
    return path


@pytest.fixture
def private_config(user_dirs: UserDirs) -> Path:
    return user_dirs.config


# --- outline --json: the exact contract ----------------------------------------------------------


def test_outline_json_has_exactly_the_contract_shape(page: Path) -> None:
    result = run("outline", str(page), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout.decode("utf-8"))
    assert list(data) == ["title", "source", "language", "sections"]  # the documented order
    assert data["title"] == "Infusion Treatments: Benefits and Side Effects"
    assert data["language"] == "en"
    assert isinstance(data["source"], str) and data["source"]
    assert data["sections"]
    for section in data["sections"]:
        assert list(section) == ["title", "level", "kind", "blocks"]
        assert isinstance(section["title"], str)
        assert isinstance(section["level"], int) and section["level"] >= 1
        assert section["kind"] in SECTION_KINDS
        for block in section["blocks"]:
            assert list(block) == ["kind", "text"]
            assert block["kind"] in BLOCK_KINDS
            assert isinstance(block["text"], str) and block["text"]
    # It round-trips into the model the rest of the program uses.
    assert Article.from_dict(data).to_dict() == data


def test_outline_json_carries_the_qa_and_drug_sections(page: Path) -> None:
    data = json.loads(run("outline", str(page), "--json").stdout)
    titles = [s["title"] for s in data["sections"]]
    assert data["sections"][0]["kind"] == "intro"
    assert "Natalizumab (Tysabri)" in titles and "Ocrelizumab (Ocrevus)" in titles
    qa = [s for s in data["sections"] if s["kind"] == "qa"]
    assert len(qa) == 1
    assert [b["kind"] for b in qa[0]["blocks"]] == ["question", "answer"]
    assert qa[0]["blocks"][0]["text"] == "How are infusion treatments given?"
    assert not any("Copyright" in b["text"] for s in data["sections"] for b in s["blocks"])


def test_outline_json_is_utf8_not_ascii_escaped(tmp_path: Path) -> None:
    path = tmp_path / "cafe.html"
    path.write_text(PAGE.replace("Multiple Sclerosis", "Multiple Sclérose café"), encoding="utf-8")
    result = run("outline", str(path), "--json")
    assert "Sclérose café".encode() in result.stdout
    assert b"\\u00e9" not in result.stdout


# --- outline (readable) and text ----------------------------------------------------------------


def test_outline_readable_is_indented_with_kind_markers(page: Path) -> None:
    result = run("outline", str(page))
    assert result.returncode == 0
    lines = result.stdout.decode("utf-8").splitlines()
    assert lines[0] == "Infusion Treatments: Benefits and Side Effects"
    qa_line = next(line for line in lines if "[Q&A]" in line)
    assert "1 question, 1 answer" in qa_line
    drug_line = next(line for line in lines if "Natalizumab (Tysabri)" in line)
    parent_line = next(line for line in lines if "Infusion treatment drugs" in line)
    indent = len(drug_line) - len(drug_line.lstrip())
    assert indent > len(parent_line) - len(parent_line.lstrip())


def test_text_prints_titles_then_one_sentence_per_line(page: Path) -> None:
    result = run("text", str(page))
    assert result.returncode == 0, result.stderr
    assert result.stderr == b""
    text = result.stdout.decode("utf-8")
    blocks = text.strip("\n").split("\n\n")
    first = blocks[0].splitlines()
    assert first[0] == "Infusion Treatments: Benefits and Side Effects"
    assert first[1] == (
        "Multiple Sclerosis (MS) is an autoimmune disease that affects the central nervous system."
    )
    lines = text.splitlines()
    assert "Question: How are infusion treatments given?" in lines
    assert "Answer: These drugs are injected intravenously." in lines
    assert "You receive a 300 milligram dose once every four weeks." in lines
    assert (
        "Today there are several infusible drugs available to treat MS, "
        "for example the three below." in lines
    )
    natalizumab = next(b for b in blocks if b.startswith("Natta lizzoomab (Ty-sabree)"))
    assert len(natalizumab.splitlines()) == 3  # title and two sentences


def test_text_reads_stdin_and_warns_about_a_bad_speech_file(private_config: Path) -> None:
    (private_config / "speech.toml").write_text("[broken", encoding="utf-8")
    result = run("text", "-", stdin=PAGE.encode("utf-8"))
    assert result.returncode == 0
    assert b"Question: How are infusion treatments given?" in result.stdout
    warning = assert_one_line_error(result.stderr)
    assert "speech.toml" in warning and "ignored" in warning


def test_terminal_escapes_in_the_page_never_reach_stdout(tmp_path: Path) -> None:
    path = tmp_path / "evil.html"
    evil = "Injected \x1b[2J\x1b]0;owned\x07 text and \x9b31m more."
    path.write_text(PAGE.replace("Some disease-modifying", evil + " Some"), encoding="utf-8")
    for args in (("text", str(path)), ("outline", str(path)), ("outline", str(path), "--json")):
        result = run(*args)
        assert result.returncode == 0
        assert b"\x1b" not in result.stdout and b"\x07" not in result.stdout
        assert "\x9b" not in result.stdout.decode("utf-8")


# --- exit codes and error messages --------------------------------------------------------------


def test_usage_errors_exit_2_with_one_sentence(page: Path) -> None:
    for args in (("outline",), ("outline", str(page), "--jsn"), ("export", str(page))):
        result = run(*args)
        assert result.returncode == 2, args
        assert result.stdout == b""
        assert_one_line_error(result.stderr)


def test_missing_file_and_directory_exit_3(tmp_path: Path) -> None:
    for source in (str(tmp_path / "nope.html"), str(tmp_path)):
        result = run("outline", source, "--json")
        assert result.returncode == 3, source
        assert result.stdout == b""
        assert_one_line_error(result.stderr)


def test_page_without_article_exits_4(tmp_path: Path) -> None:
    path = tmp_path / "login.html"
    path.write_text(LOGIN, encoding="utf-8")
    result = run("text", str(path))
    assert result.returncode == 4
    assert result.stdout == b""
    assert_one_line_error(result.stderr)


def test_help_exits_0() -> None:
    result = run("--help")
    assert result.returncode == 0
    assert b"outline" in result.stdout and b"speech.toml" in result.stdout


# --- in-process: parsing and sources ------------------------------------------------------------


def test_subcommand_wins_and_paths_stay_sources() -> None:
    assert parse_args(["text", "page.html"]).command == "text"
    args = parse_args(["./text"])
    assert (args.command, args.source) == (None, "./text")
    args = parse_args(["--", "text"])
    assert (args.command, args.source) == (None, "text")
    args = parse_args(
        ["page.html", "--audio", "null", "--speech-log", "log.jsonl", "--rate", "250"]
    )
    assert (args.source, args.audio, args.speech_log, args.rate) == (
        "page.html",
        "null",
        "log.jsonl",
        250,
    )
    assert parse_args([]).source is None


def test_misspelt_command_gets_a_suggestion(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["outlin", "page.html"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == "There is no command 'outlin'; did you mean 'reader outline'?"


def test_rate_is_clamped_with_a_message(capsys: pytest.CaptureFixture[str]) -> None:
    assert parse_args(["x.html", "--rate", "5000"]).rate == 1000
    assert "using 1000" in capsys.readouterr().err
    with pytest.raises(UsageError):
        parse_args(["x.html", "--rate", "fast"])


def test_bad_audio_choice_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["x.html", "--audio", "loud"]) == 2
    assert "loud" in capsys.readouterr().err


def test_sample_resolves_to_the_packaged_article() -> None:
    path = Path(resolve_source("sample"))
    assert path.name == "sample.html" and path.is_file()
    assert resolve_source("./sample") == "./sample"
    assert resolve_source("https://example.com/sample") == "https://example.com/sample"


def test_outline_and_text_lines_from_a_model() -> None:
    article = Article(
        "T\x1b[31m",
        "en",
        "src",
        [
            Section("Intro", 1, "intro", [Block("paragraph", "One. Two.")]),
            Section("Deep", 3, "section", []),
        ],
    )
    outline = outline_lines(article)
    assert outline[0] == "T"
    assert "1. [Intro] Intro (1 paragraph)" in outline
    assert "    2. Deep (no text)" in outline
    assert text_lines(article) == ["Intro", "One.", "Two.", "", "Deep"]


# --- the reading app, started the way a user starts it ------------------------------------------


def test_default_command_opens_the_app_reads_and_quits(tmp_path: Path) -> None:
    """`reader sample --audio null --speech-log LOG` in a real terminal: it reads, `q` quits."""
    import pty
    import select
    import time

    log = tmp_path / "speech.jsonl"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    argv = [sys.executable, "-m", "reader", "sample", "--audio", "null", "--speech-log", str(log)]
    pid, fd = pty.fork()
    if pid == 0:  # the child: become the reader
        os.execve(sys.executable, argv, env)

    def pump_until(done, limit: float = 30.0) -> bool:
        # Keep draining the terminal so the app never blocks on a full pty buffer.
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            if select.select([fd], [], [], 0.05)[0]:
                try:
                    os.read(fd, 65536)
                except OSError:
                    pass
            if done():
                return True
        return False

    def spoken() -> list[dict]:
        if not log.exists():
            return []
        lines = log.read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines if line.endswith("}")]

    exit_status: list[int] = []

    def exited() -> bool:
        finished, status = os.waitpid(pid, os.WNOHANG)
        if finished:
            exit_status.append(os.waitstatus_to_exitcode(status))
        return bool(exit_status)

    try:
        title = "Infusion Treatments: Benefits and Side Effects"
        assert pump_until(lambda: any(e.get("text") == title for e in spoken())), spoken()
        os.write(fd, b"q")
        assert pump_until(exited), "the app did not quit on q"
    finally:
        if not exit_status:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
        os.close(fd)
    assert exit_status == [0]
    first = next(e for e in spoken() if e.get("text") == title)
    assert (first["event"], first["section"], first["sentence"]) == ("start", 0, 0)


# --- voices and export (real eSpeak NG through pyttsx3) -----------------------------------------


def test_voices_lists_voices_with_language_codes() -> None:
    result = run("voices")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.decode("utf-8").splitlines()
    assert len(lines) > 5
    assert any("(en" in line or ", en" in line for line in lines)
    german = run("voices", "--language", "de")
    assert german.returncode == 0
    german_lines = german.stdout.decode("utf-8").splitlines()
    assert german_lines and len(german_lines) < len(lines)
    assert all("de" in line.rsplit("(", 1)[1] for line in german_lines)


def test_export_writes_wav_and_chapters_matching_the_sections(page: Path, tmp_path: Path) -> None:
    out = tmp_path / "article.wav"
    result = run("export", str(page), "-o", str(out), "--rate", "300")
    assert result.returncode == 0, result.stderr
    stdout = result.stdout.decode("utf-8").strip().splitlines()
    assert len(stdout) == 1 and str(out) in stdout[0]  # nothing from pyttsx3 on stdout
    assert out.read_bytes()[:4] == b"RIFF" and out.stat().st_size > 100_000
    chapters = json.loads((tmp_path / "article.wav.chapters.json").read_text(encoding="utf-8"))
    outline = json.loads(run("outline", str(page), "--json").stdout)
    assert isinstance(chapters, list)  # the same list of chapters export_article returns
    assert [c["title"] for c in chapters] == [s["title"] for s in outline["sections"]]
    assert [c["section"] for c in chapters] == list(range(len(chapters)))


def test_export_uses_the_saved_rate_and_voice_unless_told_otherwise(
    page: Path, tmp_path: Path, private_config: Path
) -> None:
    import wave

    def frames(path: Path) -> bytes:
        with wave.open(str(path)) as wav:
            return wav.readframes(wav.getnframes())

    (private_config / "settings.toml").write_text('rate = 900\nvoice = "gmw/en-us"\n')
    saved, told = tmp_path / "saved.wav", tmp_path / "told.wav"
    assert run("export", str(page), "-o", str(saved)).returncode == 0
    result = run("export", str(page), "-o", str(told), "--rate", "900", "--voice", "gmw/en-us")
    assert result.returncode == 0, result.stderr
    assert frames(saved) == frames(told)  # the saved settings, as if given
    slower = tmp_path / "slower.wav"
    assert run("export", str(page), "-o", str(slower), "--rate", "300").returncode == 0
    assert len(frames(slower)) > 2 * len(frames(saved))  # an option still wins


def test_export_to_a_missing_folder_is_a_usage_error(page: Path, tmp_path: Path) -> None:
    result = run("export", str(page), "-o", str(tmp_path / "nowhere" / "x.wav"))
    assert result.returncode == 2
    assert "does not exist" in assert_one_line_error(result.stderr)


def test_serve_answers_in_the_browser_and_stops_on_sigterm(tmp_path: Path) -> None:
    import signal
    import socket

    import httpx

    with socket.socket() as probe:  # a free port on this machine
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "READER_CONFIG_DIR": str(tmp_path)}
    args = ["serve", "sample", "--port", str(port), "--font-size", "3", "--audio", "null"]
    server = subprocess.Popen(
        [sys.executable, "-m", "reader", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        line = b"started"  # the address with its token is printed once the port listens
        while line and b"?token=" not in line:
            line = server.stdout.readline()
        assert line, "no address printed"
        page = httpx.get(line.decode().split()[-1], timeout=10, follow_redirects=True)
        assert page.status_code == 200
        assert "fontsize=3" in str(page.url)  # --font-size reached the server
        assert "<title>reader</title>" in page.text  # as tests/test_serve.py checks
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=15) == 0
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    assert b"Traceback" not in server.stderr.read()


def test_app_with_a_piped_page_and_no_terminal_says_so(tmp_path: Path) -> None:
    """`reader -` with the page on a pipe needs a terminal for keys; without one (a new session
    has no controlling terminal) it says what to do instead of hanging."""
    page = b"<html><body><article><h1>Piped</h1><p>From a pipe.</p></article></body></html>"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "READER_AUDIO": "null"}
    done = subprocess.run(
        [sys.executable, "-m", "reader", "-"],
        input=page,
        capture_output=True,
        env=env,
        timeout=60,
        start_new_session=True,
    )
    assert done.returncode == 2
    message = done.stderr.decode("utf-8").strip()
    assert message.startswith("The reader needs a keyboard") and "reader text -" in message
    assert "\n" not in message and "Traceback" not in message

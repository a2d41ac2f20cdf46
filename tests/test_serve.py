"""`reader serve`: a real textual-serve server in a subprocess, fetched over HTTP."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import httpx
import pytest
from conftest import returning_user

from reader.serve import (
    FONT_SIZES,
    _adjust_template,
    app_command,
    fontsize_for_level,
    level_for_fontsize,
    reload_at_level,
    serve_url,
)

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(tmp_path: Path, port: int, call: str) -> subprocess.Popen[bytes]:
    returning_user(tmp_path / "config")
    env = {
        **os.environ,
        "READER_CONFIG_DIR": str(tmp_path / "config"),
        "READER_DATA_DIR": str(tmp_path / "data"),
        "PYTHONPATH": str(ROOT),
    }
    code = f"from reader.serve import main; main({call})"
    return subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def wait_until_up(client: httpx.Client, url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read().decode() if process.stdout else ""
            pytest.fail(f"server exited with {process.returncode}: {output}")
        try:
            client.get(url)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    pytest.fail("server did not start within 20 s")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)  # textual-serve exits gracefully on SIGTERM
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    port = free_port()
    process = start_server(tmp_path, port, f"port={port}, host='127.0.0.1'")
    base = f"http://127.0.0.1:{port}/"
    try:
        with httpx.Client(timeout=5) as client:
            wait_until_up(client, base, process)
        yield base, tmp_path
    finally:
        stop(process)
    assert process.returncode == 0


def test_page_carries_the_requested_font_size(server: tuple[str, Path]) -> None:
    base, _ = server
    with httpx.Client(timeout=5) as client:
        page = client.get(base, params={"fontsize": 32})
    assert page.status_code == 200
    assert 'data-font-size="32"' in page.text
    assert f'data-session-websocket-url="ws://127.0.0.1:{base.split(":")[2]}ws"' in page.text
    assert '<html lang="en">' in page.text and "<title>reader</title>" in page.text
    assert "fonts.googleapis.com" not in page.text  # nothing fetched from elsewhere
    assert "transition: opacity" not in page.text  # no fades


def test_bare_url_opens_at_the_saved_level(server: tuple[str, Path]) -> None:
    base, tmp_path = server
    with httpx.Client(timeout=5) as client:
        first = client.get(base)
        assert first.status_code == 302 and first.headers["location"] == "/?fontsize=16"
        config = tmp_path / "config"
        config.mkdir(exist_ok=True)
        (config / "settings.toml").write_text("font_size = 4\n")
        again = client.get(base, follow_redirects=True)
        assert 'data-font-size="40"' in again.text
        silly = client.get(base, params={"fontsize": "9999"})
        assert silly.headers["location"] == "/?fontsize=96"


def test_font_size_argument_sets_the_default(tmp_path: Path) -> None:
    port = free_port()
    process = start_server(tmp_path, port, f"port={port}, font_size=5")
    try:
        with httpx.Client(timeout=5) as client:
            wait_until_up(client, f"http://127.0.0.1:{port}/", process)
            page = client.get(f"http://127.0.0.1:{port}/", follow_redirects=True)
        assert 'data-font-size="48"' in page.text
    finally:
        stop(process)


def test_busy_port_is_a_plain_error(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        process = start_server(tmp_path, port, f"port={port}")
        try:
            process.wait(timeout=20)
        finally:
            stop(process)
    output = process.stdout.read().decode() if process.stdout else ""
    assert process.returncode != 0
    assert f"Could not serve on 127.0.0.1 port {port}" in output


def test_level_mapping() -> None:
    assert [fontsize_for_level(n) for n in range(1, 6)] == [16, 24, 32, 40, 48]
    assert fontsize_for_level(0) == 16 and fontsize_for_level(9) == 48
    assert all(level_for_fontsize(px) == level for level, px in FONT_SIZES.items())
    assert level_for_fontsize(30) == 3 and level_for_fontsize(200) == 5


def test_serve_url(monkeypatch: pytest.MonkeyPatch) -> None:
    assert serve_url(3, "http://127.0.0.1:9000") == "http://127.0.0.1:9000/?fontsize=32"
    monkeypatch.setenv("READER_SERVE_URL", "http://example.test:8123/")
    assert serve_url(5) == "http://example.test:8123/?fontsize=48"


def test_reload_asks_the_browser_only_when_served(monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[tuple[str, bool]] = []

    class FakeApp:
        def open_url(self, url: str, *, new_tab: bool = True) -> None:
            opened.append((url, new_tab))

    monkeypatch.delenv("TEXTUAL_DRIVER", raising=False)
    assert reload_at_level(FakeApp(), 2) is False and opened == []
    monkeypatch.setenv("TEXTUAL_DRIVER", "textual.drivers.web_driver:WebDriver")
    monkeypatch.setenv("READER_SERVE_URL", "http://127.0.0.1:8000/")
    assert reload_at_level(FakeApp(), 2) is True
    assert opened == [("http://127.0.0.1:8000/?fontsize=24", False)]


def test_app_command_quotes_the_source() -> None:
    command = app_command("/tmp/my page.html", ["--audio", "null"])
    assert command.endswith("-m reader --audio null '/tmp/my page.html'")


def test_template_adjustments_survive_an_unknown_template() -> None:
    assert _adjust_template("<p>other</p>") == "<p>other</p>"


def descendants(pid: int) -> list[int]:
    """Process ids below `pid` (Linux /proc), e.g. the app processes textual-serve started."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


async def read_page_session(url: str, words: list[str], limit: float) -> str:
    """Open the page's websocket like the browser does; return the screen text seen."""
    seen = ""
    async with aiohttp.ClientSession() as session:
        async with session.ws_connect(url) as ws:
            await ws.send_json(["resize", {"width": 120, "height": 40}])
            deadline = time.monotonic() + limit
            raw = b""
            while time.monotonic() < deadline and not all(w in seen for w in words):
                try:
                    message = await ws.receive(timeout=1)
                except TimeoutError:
                    continue
                if message.type == aiohttp.WSMsgType.BINARY:
                    raw += message.data
                    seen = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", raw.decode("utf-8", "replace"))
                elif message.type != aiohttp.WSMsgType.TEXT:
                    break
    return seen


def test_the_reader_runs_in_the_page_and_ends_with_it(tmp_path: Path) -> None:
    port = free_port()
    call = f"port={port}, source='sample', app_args=['--audio', 'null']"
    process = start_server(tmp_path, port, call)
    try:
        with httpx.Client(timeout=5) as client:
            wait_until_up(client, f"http://127.0.0.1:{port}/", process)
        ws_url = f"http://127.0.0.1:{port}/ws?width=120&height=40"
        seen = asyncio.run(read_page_session(ws_url, ["Natalizumab", "Section"], limit=30))
        assert "Natalizumab" in seen and "Section" in seen  # the seed-like sample, read
        # Closing the page must end its app process (else every reload leaves one behind).
        deadline = time.monotonic() + 15
        while descendants(process.pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert descendants(process.pid) == [], "the app process outlived its page"
    finally:
        stop(process)

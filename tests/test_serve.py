"""`reader serve`: a real server (`python -m reader serve`) in a subprocess, probed over HTTP
and with a real websocket client the way the browser page talks to it."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

import aiohttp
import httpx
import pytest
import textual_serve
from helpers.cli import assert_one_line_error, run
from helpers.paths import python_path
from helpers.waiting import wait_for

from reader.serve import (
    FONT_SIZES,
    fontsize_for_level,
    level_for_fontsize,
    reload_at_level,
    serve_url,
)
from reader.serve.gate import Gate, is_loopback
from reader.serve.page import _adjust_template
from reader.serve.server import app_command

START = 30  # s: a busy machine may take long to start Python and textual-serve
DRAW = 45  # s: the app process starts, extracts the sample and draws its screen
SAMPLE_TITLE = "Infusion Treatments: Benefits and Side Effects"
WORDS = ["Natalizumab", "Section"]  # the sample article on screen, and the status line
URL_LINE = re.compile(r"reader is served at (http://\S+/\?token=(\S+))")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def user_env() -> dict[str, str]:
    """The test's user folders (the conftest's, in os.environ), this checkout on the path."""
    return {**os.environ, "PYTHONPATH": python_path()}


@dataclass
class Served:
    """A running `reader serve` and what it printed (read by a thread, so never blocking)."""

    process: subprocess.Popen[bytes]
    port: int
    config: Path  # the user's config folder
    lines: list[str] = field(default_factory=list)
    started: threading.Event = field(default_factory=threading.Event)
    url: str = ""
    token: str = ""

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def ws(self) -> str:
        return f"http://127.0.0.1:{self.port}/ws?width=120&height=40"

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def read(self) -> None:
        assert self.process.stdout is not None
        for raw in self.process.stdout:
            line = raw.decode("utf-8", "replace").rstrip("\n")
            self.lines.append(line)
            if found := URL_LINE.search(line):
                self.url, self.token = found.group(1), found.group(2)
                self.started.set()
        self.started.set()  # ended: stop waiting

    def wait_started(self) -> None:
        if not self.started.wait(START) or not self.token:
            pytest.fail(f"no address with a token within {START} s; output:\n{self.output}")


def launch(tmp_path: Path, *args: str, port: int | None = None) -> Served:
    port = port or free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "reader", "serve", "--port", str(port), *args],
        cwd=tmp_path,
        env=user_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    served = Served(process, port, Path(os.environ["READER_CONFIG_DIR"]))
    threading.Thread(target=served.read, daemon=True).start()
    return served


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)  # textual-serve exits gracefully on SIGTERM
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


@pytest.fixture
def serving(tmp_path: Path) -> Iterator[Served]:
    """`reader serve sample` on 127.0.0.1 (null audio: nothing to hear in a test)."""
    served = launch(tmp_path, "sample", "--audio", "null")
    try:
        served.wait_started()
        yield served
    finally:
        stop(served.process)
    assert served.process.returncode == 0, served.output


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


@dataclass
class PageSession:
    """What a page saw on its websocket: the screen text and the text messages."""

    screen: str = ""
    messages: list[str] = field(default_factory=list)


async def read_page(
    session: aiohttp.ClientSession,
    url: str,
    words: list[str],
    limit: float = DRAW,
    headers: dict[str, str] | None = None,
    hold: asyncio.Event | None = None,
    drawn: asyncio.Event | None = None,
) -> PageSession:
    """Open the page's websocket like the browser does, until `words` are on the screen and a
    title came; then set `drawn` and, if `hold` is given, keep the page open until it is set."""
    seen = PageSession()
    async with session.ws_connect(url, headers=headers) as ws:
        await ws.send_json(["resize", {"width": 120, "height": 40}])
        deadline = time.monotonic() + limit
        raw = b""

        def done() -> bool:
            drawn = all(w in seen.screen for w in words)
            return drawn and any('"title"' in m for m in seen.messages)

        while time.monotonic() < deadline and not done():
            try:
                message = await ws.receive(timeout=1)
            except TimeoutError:
                continue
            if message.type == aiohttp.WSMsgType.BINARY:
                raw += message.data
                seen.screen = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", raw.decode("utf-8", "replace"))
            elif message.type == aiohttp.WSMsgType.TEXT:
                seen.messages.append(message.data)
            else:
                break
        if drawn is not None:
            drawn.set()
        if hold is not None:
            await hold.wait()
    return seen


async def handshake_status(url: str, headers: dict[str, str] | None = None) -> int:
    """The HTTP status a websocket handshake got (101 when the websocket opened)."""
    async with aiohttp.ClientSession() as session:
        try:
            async with session.ws_connect(url, headers=headers) as ws:
                await ws.close()
                return 101
        except aiohttp.WSServerHandshakeError as refused:
            return refused.status


def assert_one_sentence_page(response: httpx.Response, status: int) -> str:
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert '<html lang="en">' in page and re.search(r"<title>[^<]+</title>", page)
    sentences = re.findall(r"<p>([^<]*)</p>", page)
    assert len(sentences) == 1 and sentences[0].endswith("."), page
    return sentences[0]


# --------------------------------------------------------------------------- the lock


def test_without_the_token_every_request_is_refused(serving: Served) -> None:
    with httpx.Client(timeout=10) as client:
        for path in ("", "?fontsize=16", "static/js/textual.js", "?token=wrong"):
            sentence = assert_one_sentence_page(client.get(serving.base + path), 403)
            assert "token" in sentence
    assert asyncio.run(handshake_status(serving.ws)) == 403
    assert asyncio.run(handshake_status(serving.ws + "&token=" + serving.token[:-1])) == 403
    assert descendants(serving.process.pid) == []  # no app process started for anyone
    assert serving.output.count(serving.token) == 1  # printed once, never in the log


def test_a_page_from_another_site_is_refused(serving: Served) -> None:
    ws = f"{serving.ws}&token={serving.token}"
    for origin in ("http://evil.example", f"http://evil.example:{serving.port}", "null"):
        assert asyncio.run(handshake_status(ws, {"Origin": origin})) == 403, origin
    with httpx.Client(timeout=10) as client:
        page = client.get(serving.url, headers={"Origin": "http://evil.example"})
    assert_one_sentence_page(page, 403)
    assert descendants(serving.process.pid) == []
    # The served address itself, and its loopback twin, are the page's own origin: allowed.
    for origin in (f"http://127.0.0.1:{serving.port}", f"http://localhost:{serving.port}"):
        assert asyncio.run(handshake_status(ws, {"Origin": origin})) == 101, origin


def test_a_request_for_another_host_is_refused(serving: Served) -> None:
    """DNS rebinding: evil.example made to resolve to 127.0.0.1 still says Host: evil.example."""
    with httpx.Client(timeout=10) as client:
        for host in (
            f"evil.example:{serving.port}",
            "evil.example",
            f"127.0.0.1:{serving.port + 1}",
        ):
            page = client.get(serving.url, headers={"Host": host})
            assert "address" in assert_one_sentence_page(page, 403), host
        same = client.get(serving.url, headers={"Host": f"localhost:{serving.port}"})
        assert same.status_code == 302  # localhost is the same loopback server
    ws = f"{serving.ws}&token={serving.token}"
    assert asyncio.run(handshake_status(ws, {"Host": f"evil.example:{serving.port}"})) == 403


def test_with_the_token_the_app_draws_and_names_the_tab(serving: Served) -> None:
    async def page() -> PageSession:
        async with aiohttp.ClientSession() as session:
            return await read_page(session, f"{serving.ws}&token={serving.token}", WORDS)

    seen = asyncio.run(page())
    assert "Natalizumab" in seen.screen and "Section" in seen.screen  # the sample, drawn
    assert f'["title", "{SAMPLE_TITLE}"]' in seen.messages  # the page sets document.title
    # Closing the page must end its app process (else every reload leaves one behind).
    wait_for(lambda: not descendants(serving.process.pid), 20, "the app process ending", 0.1)


def test_the_token_becomes_a_cookie_after_the_first_load(serving: Served) -> None:
    with httpx.Client(timeout=10) as client:
        first = client.get(serving.url)
    cookie = SimpleCookie(first.headers["set-cookie"])[f"reader-token-{serving.port}"]
    assert cookie.value == serving.token
    assert cookie["httponly"] and cookie["samesite"] == "Strict" and cookie["path"] == "/"
    # What the browser sends next: the cookie alone, for the page, its script and websocket.
    with httpx.Client(timeout=10, cookies={cookie.key: cookie.value}) as client:
        page = client.get(serving.base, follow_redirects=True)
        assert page.status_code == 200 and "textual-terminal" in page.text
        assert client.get(serving.base + "static/js/textual.js").status_code == 200
    with httpx.Client(timeout=10, cookies={cookie.key: cookie.value[::-1]}) as client:
        assert client.get(serving.base).status_code == 403
    header = {"Cookie": f"{cookie.key}={cookie.value}"}

    async def page_by_cookie() -> PageSession:
        async with aiohttp.ClientSession() as session:
            return await read_page(session, serving.ws, ["Natalizumab"], headers=header)

    assert "Natalizumab" in asyncio.run(page_by_cookie()).screen


def test_a_remote_host_needs_allow_remote(tmp_path: Path) -> None:
    port = free_port()
    result = run("serve", "--host", "0.0.0.0", "--port", str(port), env=user_env())
    assert result.returncode == 2
    sentence = assert_one_line_error(result.stderr)
    assert "--allow-remote" in sentence and "0.0.0.0" in sentence


def test_allow_remote_warns_and_still_locks(tmp_path: Path) -> None:
    served = launch(tmp_path, "--host", "0.0.0.0", "--allow-remote")
    try:
        served.wait_started()
        assert "Warning: reader is open to the network on 0.0.0.0" in served.output
        with httpx.Client(timeout=10) as client:
            assert client.get(f"{served.base}?token={served.token}").status_code == 302
        with httpx.Client(timeout=10) as client:  # a new client: no cookie
            assert client.get(served.base).status_code == 403  # still needs the token
            foreign = {"Origin": f"http://192.0.2.1:{served.port}"}  # another machine's page
            here = f"{served.base}?token={served.token}"  # served.url names this machine
            assert client.get(here, headers=foreign).status_code == 403
            own = {"Origin": f"http://127.0.0.1:{served.port}"}
            assert client.get(here, headers=own).status_code == 302
            rebound = {"Host": f"evil.example:{served.port}"}
            assert (
                client.get(f"{served.base}?token={served.token}", headers=rebound).status_code
                == 403
            )
    finally:
        stop(served.process)


def test_a_full_server_says_so_and_starts_nothing(tmp_path: Path) -> None:
    served = launch(tmp_path, "sample", "--audio", "null", "--max-sessions", "1")
    try:
        served.wait_started()
        token = f"&token={served.token}"

        async def scenario() -> tuple[PageSession, int, int, httpx.Response, int]:
            hold, drawn = asyncio.Event(), asyncio.Event()
            async with aiohttp.ClientSession() as session:
                url = served.ws + token
                first = asyncio.create_task(read_page(session, url, WORDS, hold=hold, drawn=drawn))
                await drawn.wait()  # read_page's own deadline bounds this
                before = len(descendants(served.process.pid))
                status = await handshake_status(served.ws + token)
                after = len(descendants(served.process.pid))
                async with httpx.AsyncClient(timeout=10) as client:
                    page = await client.get(served.url)
                hold.set()
                seen = await first
            async with httpx.AsyncClient(timeout=10) as client:  # the page closed: room again
                again = await retry_until_served(client, served.url)
            return seen, status, before - after, page, again

        seen, status, started, page, again = asyncio.run(scenario())
        assert "Natalizumab" in seen.screen
        assert status == 503 and started == 0  # the second page got no app process
        sentence = assert_one_sentence_page(page, 503)
        assert sentence.startswith("Reader already has 1 page open, the most it allows;")
        assert again == 302
    finally:
        stop(served.process)


def test_a_page_reloading_at_a_new_font_size_is_not_counted(tmp_path: Path) -> None:
    """With one page allowed, `+` in the page reloads it at the next size: the new load must
    get the app, not "full", though the old page's websocket has not closed yet."""
    served = launch(tmp_path, "sample", "--audio", "null", "--max-sessions", "1")
    try:
        served.wait_started()
        token = f"&token={served.token}"

        async def scenario() -> tuple[list[str], int, int]:
            async with aiohttp.ClientSession() as session:
                async with session.ws_connect(served.ws + token) as ws:
                    await ws.send_json(["resize", {"width": 120, "height": 40}])
                    asked = await wait_for_text(ws, '"open_url"', key="+")
                    async with httpx.AsyncClient(timeout=10) as client:
                        page = (await client.get(served.url)).status_code
                    status = await handshake_status(served.ws + token)
            return asked, page, status

        asked, page, status = asyncio.run(scenario())
        assert asked[-1] == '["open_url", {"url": "/?fontsize=24", "new_tab": false}]'
        assert page == 302 and status == 101
    finally:
        stop(served.process)


async def wait_for_text(ws: aiohttp.ClientWebSocketResponse, wanted: str, key: str) -> list[str]:
    """Text messages on `ws` until one holds `wanted`; `key` is typed once the app draws."""
    texts: list[str] = []
    raw, typed = b"", False
    deadline = time.monotonic() + DRAW
    while time.monotonic() < deadline:
        try:
            message = await ws.receive(timeout=1)
        except TimeoutError:
            continue
        if message.type == aiohttp.WSMsgType.BINARY:
            raw += message.data
            if not typed and b"Natalizumab" in raw:
                await ws.send_json(["stdin", key])
                typed = True
        elif message.type == aiohttp.WSMsgType.TEXT:
            texts.append(message.data)
            if wanted in message.data:
                return texts
        else:
            break
    pytest.fail(f"no {wanted} message within {DRAW} s: {texts}")


async def retry_until_served(client: httpx.AsyncClient, url: str) -> int:
    deadline = time.monotonic() + 20
    while True:
        status = (await client.get(url)).status_code
        if status != 503 or time.monotonic() > deadline:
            return status
        await asyncio.sleep(0.2)


# --------------------------------------------------------------------------- the page


def test_page_carries_the_requested_font_size(serving: Served) -> None:
    with httpx.Client(timeout=10) as client:
        page = client.get(f"{serving.url}&fontsize=32")
    assert page.status_code == 200
    assert 'data-font-size="32"' in page.text
    assert f'data-session-websocket-url="ws://127.0.0.1:{serving.port}/ws"' in page.text
    assert '<html lang="en">' in page.text and "<title>reader</title>" in page.text
    assert "fonts.googleapis.com" not in page.text  # nothing fetched from elsewhere
    assert "transition: opacity" not in page.text  # no fades
    with httpx.Client(timeout=10) as client:  # opened as localhost: addresses stay on localhost
        page = client.get(f"{serving.url.replace('127.0.0.1', 'localhost')}&fontsize=32")
    assert f'data-session-websocket-url="ws://localhost:{serving.port}/ws"' in page.text


def test_the_page_focuses_the_terminal_and_takes_the_title() -> None:
    """Checked in the template (no browser in CI): the script focuses xterm.js's key input, by
    the class the installed textual-serve's terminal gives it, and applies title messages."""
    page = _adjust_template(
        (Path(textual_serve.__file__).parent / "templates" / "app_index.html").read_text()
    )
    script = page[page.index("// reader: keys work at once") : page.index("</head>")]
    assert 'querySelector("#terminal .xterm-helper-textarea")' in script and ".focus()" in script
    assert script.index("</script>") > script.index("document.title = message[1]")
    shipped = Path(textual_serve.__file__).parent / "static" / "js" / "textual.js"
    assert "xterm-helper-textarea" in shipped.read_text(encoding="utf-8")
    assert page.index('src="{{ config.static.url }}js/textual.js"') < page.index("// reader:")


def test_bare_url_opens_at_the_saved_level_and_keeps_the_token(serving: Served) -> None:
    with httpx.Client(timeout=10) as client:
        first = client.get(serving.url)
        assert first.status_code == 302
        assert first.headers["location"] == f"/?token={serving.token}&fontsize=16"
        (serving.config / "settings.toml").write_text("font_size = 4\n")
        again = client.get(serving.url, follow_redirects=True)
        assert 'data-font-size="40"' in again.text
        silly = client.get(f"{serving.url}&fontsize=9999")
        assert silly.headers["location"] == f"/?token={serving.token}&fontsize=96"


def test_font_size_argument_sets_the_default(tmp_path: Path) -> None:
    served = launch(tmp_path, "--font-size", "5")
    try:
        served.wait_started()
        with httpx.Client(timeout=10) as client:
            page = client.get(served.url, follow_redirects=True)
        assert 'data-font-size="48"' in page.text
    finally:
        stop(served.process)


def test_busy_port_is_a_plain_error(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        result = run("serve", "--port", str(port), env=user_env())
    assert result.returncode == 1
    assert f"Could not serve on 127.0.0.1 port {port}" in assert_one_line_error(result.stderr)


# --------------------------------------------------------------------------- pieces


def test_gate_names() -> None:
    gate = Gate("127.0.0.1", 8123)
    for name in ("127.0.0.1:8123", "localhost:8123", "LOCALHOST:8123", "[::1]:8123"):
        assert gate.names_us(name), name
    for name in ("127.0.0.1:8124", "evil.example:8123", "127.0.0.1", "10.0.0.1:8123", "::bad"):
        assert not gate.names_us(name), name
    assert Gate("127.0.0.1", 80).names_us("localhost")  # port 80 may go unsaid
    anywhere = Gate("0.0.0.0", 8123)  # --allow-remote: any address of ours, no foreign name
    assert anywhere.names_us("192.168.1.20:8123") and anywhere.names_us("[fe80::1]:8123")
    assert anywhere.names_us(f"{socket.gethostname()}:8123")
    assert not anywhere.names_us("evil.example:8123")
    assert Gate("10.0.0.5", 8123).names == frozenset({"10.0.0.5"})


def test_tokens_differ_per_launch_and_are_long() -> None:
    tokens = {Gate("127.0.0.1", 8000).token for _ in range(5)}
    assert len(tokens) == 5 and all(len(t) >= 40 for t in tokens)


def test_loopback() -> None:
    assert all(map(is_loopback, ["127.0.0.1", "127.5.0.1", "localhost", "::1", "[::1]"]))
    assert not any(map(is_loopback, ["0.0.0.0", "::", "192.168.1.2", "example.org"]))


def test_level_mapping() -> None:
    assert [fontsize_for_level(n) for n in range(1, 6)] == [16, 24, 32, 40, 48]
    assert fontsize_for_level(0) == 16 and fontsize_for_level(9) == 48
    assert all(level_for_fontsize(px) == level for level, px in FONT_SIZES.items())
    assert level_for_fontsize(30) == 3 and level_for_fontsize(200) == 5


def test_serve_url(monkeypatch: pytest.MonkeyPatch) -> None:
    assert serve_url(3, "http://127.0.0.1:9000") == "http://127.0.0.1:9000/?fontsize=32"
    monkeypatch.setenv("READER_SERVE_URL", "/")  # as main() sets it: the page's own host
    assert serve_url(5) == "/?fontsize=48"


def test_reload_asks_the_browser_only_when_served(monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[tuple[str, bool]] = []

    class FakeApp:
        def open_url(self, url: str, *, new_tab: bool = True) -> None:
            opened.append((url, new_tab))

    monkeypatch.delenv("TEXTUAL_DRIVER", raising=False)
    assert reload_at_level(FakeApp(), 2) is False and opened == []
    monkeypatch.setenv("TEXTUAL_DRIVER", "textual.drivers.web_driver:WebDriver")
    monkeypatch.setenv("READER_SERVE_URL", "/")
    assert reload_at_level(FakeApp(), 2) is True
    assert opened == [("/?fontsize=24", False)]


def test_app_command_quotes_the_source() -> None:
    command = app_command("/tmp/my page.html", ["--audio", "null"])
    assert command.endswith("-m reader --audio null '/tmp/my page.html'")


def test_template_adjustments_survive_an_unknown_template() -> None:
    assert _adjust_template("<p>other</p>") == "<p>other</p>"

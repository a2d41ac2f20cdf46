"""reader.fetch against a real HTTP server on 127.0.0.1, real files and real stdin."""

from __future__ import annotations

import gzip
import io
import json
import os
import socket
import subprocess
import sys
import threading
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

import brotli
import pytest
from helpers.paths import ROOT
from helpers.waiting import wait_for
from helpers.web import serve
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from reader.errors import FetchCancelled, FetchError
from reader.source.fetch import fetch


def html(body: str, head: str = "") -> str:
    return f"<!DOCTYPE html><html><head>{head}<title>T</title></head><body>{body}</body></html>"


# --------------------------------------------------------------------------- charsets


def test_http_charset_header_is_used(httpserver: HTTPServer) -> None:
    page_html = html("<p>Grüße aus München — “quoted”</p>")
    url = serve(httpserver, "/utf8", page_html.encode("utf-8"), "text/html; charset=utf-8")
    page = fetch(url)
    assert "Grüße aus München — “quoted”" in page.text
    assert page.is_html
    assert page.url == url


def test_latin1_header_decodes_as_windows_1252(httpserver: HTTPServer) -> None:
    # WHATWG: a "latin-1" label means windows-1252, so 0x93/0x94 are curly quotes.
    body = html("<p>Caf\xe9 \u201cnoir\u201d</p>").encode("cp1252")
    url = serve(httpserver, "/latin1", body, "text/html; charset=ISO-8859-1")
    assert "Café “noir”" in fetch(url).text


def test_meta_charset_is_used_without_header_charset(httpserver: HTTPServer) -> None:
    body = html("<p>Привет, как дела?</p>", head='<meta charset="windows-1251">')
    url = serve(httpserver, "/meta", body.encode("cp1251"), "text/html")
    assert "Привет, как дела?" in fetch(url).text


def test_http_equiv_meta_is_used(httpserver: HTTPServer) -> None:
    head = '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-15">'
    body = html("<p>Prix : 5 € seulement</p>", head=head)
    url = serve(httpserver, "/equiv", body.encode("iso-8859-15"), "text/html")
    assert "Prix : 5 € seulement" in fetch(url).text


def test_utf8_bom_beats_a_wrong_header(httpserver: HTTPServer) -> None:
    body = b"\xef\xbb\xbf" + html("<p>Ελληνικά κείμενα</p>").encode("utf-8")
    url = serve(httpserver, "/bom8", body, "text/html; charset=iso-8859-1")
    page = fetch(url)
    assert "Ελληνικά κείμενα" in page.text
    assert not page.text.startswith("\ufeff")


def test_utf16_bom_file(tmp_path: Path) -> None:
    path = tmp_path / "utf16.html"
    path.write_bytes(html("<p>Zürich und Genève</p>").encode("utf-16"))  # writes a BOM
    page = fetch(str(path))
    assert "Zürich und Genève" in page.text
    assert page.is_html


def test_declared_utf8_but_cp1252_bytes_is_detected(httpserver: HTTPServer) -> None:
    body = html("<p>Le caf\xe9 est tr\xe8s \u201cbon\u201d, na\xefve r\xe9sum\xe9.</p>")
    url = serve(httpserver, "/liar", body.encode("cp1252"), "text/html; charset=utf-8")
    text = fetch(url).text
    assert "Le café est très “bon”, naïve résumé." in text
    assert "\ufffd" not in text


def test_declared_latin1_but_utf8_bytes_keeps_utf8(httpserver: HTTPServer) -> None:
    body = html("<p>Crème brûlée – déjà vu</p>").encode("utf-8")
    url = serve(httpserver, "/liar2", body, "text/html; charset=iso-8859-1")
    assert "Crème brûlée – déjà vu" in fetch(url).text


def test_utf8_page_with_a_stray_cp1252_byte(httpserver: HTTPServer) -> None:
    body = html("<p>Ünïcödé text with ümlauts</p><p>and one stray: caf@</p>").encode("utf-8")
    body = body.replace(b"caf@", b"caf\xe9")
    url = serve(httpserver, "/mixed", body, "text/html; charset=utf-8")
    text = fetch(url).text
    assert "Ünïcödé text with ümlauts" in text
    assert "café" in text


def test_undeclared_cp1252_is_detected(tmp_path: Path) -> None:
    path = tmp_path / "old.html"
    path.write_bytes(html("<p>Cr\xe8me br\xfbl\xe9e \u2013 d\xe9j\xe0 vu</p>").encode("cp1252"))
    assert "Crème brûlée – déjà vu" in fetch(str(path)).text


def test_undeclared_cyrillic_is_detected(tmp_path: Path) -> None:
    path = tmp_path / "ru.txt"
    text = "Это обычный русский текст о лечении и лекарствах, написанный давно. " * 3
    path.write_bytes(text.encode("cp1251"))
    assert fetch(str(path)).text == text


# --------------------------------------------------------------------------- compression


ARTICLE = html("<h1>Compressed</h1>" + "<p>Words that compress very well indeed.</p>" * 200)


def deflate(wbits: int) -> Callable[[bytes], bytes]:
    """Deflate with a zlib header (positive wbits) or raw (negative), as servers send both."""

    def compress(data: bytes) -> bytes:
        engine = zlib.compressobj(wbits=wbits)
        return engine.compress(data) + engine.flush()

    return compress


@pytest.mark.parametrize(
    ("encoding", "compress", "path", "content_type"),
    [
        ("gzip", gzip.compress, "/gz", "text/html; charset=utf-8"),
        ("br", brotli.compress, "/br", "text/html; charset=utf-8"),
        ("deflate", deflate(zlib.MAX_WBITS), "/deflate", "text/html"),
        ("deflate", deflate(-zlib.MAX_WBITS), "/deflate", "text/html"),
    ],
    ids=["gzip", "brotli", "deflate-zlib", "deflate-raw"],
)
def test_compressed_body_is_unpacked(
    httpserver: HTTPServer,
    encoding: str,
    compress: Callable[[bytes], bytes],
    path: str,
    content_type: str,
) -> None:
    body = compress(ARTICLE.encode())
    url = serve(httpserver, path, body, content_type, **{"Content-Encoding": encoding})
    assert fetch(url).text == ARTICLE


def test_compression_bomb_is_capped(httpserver: HTTPServer) -> None:
    bomb = gzip.compress(b"<p>" + b"a" * 20_000_000)  # ~20 KB on the wire
    url = serve(httpserver, "/bomb", bomb, "text/html", **{"Content-Encoding": "gzip"})
    with pytest.raises(FetchError, match=r"is larger than 1 MB, too large to read\.$"):
        fetch(url, max_bytes=1_000_000)


def test_broken_compression_is_a_fetch_error(httpserver: HTTPServer) -> None:
    url = serve(
        httpserver, "/badgz", b"not gzip at all", "text/html", **{"Content-Encoding": "gzip"}
    )
    with pytest.raises(FetchError, match="compressed page that could not be unpacked"):
        fetch(url)


def test_request_headers(httpserver: HTTPServer) -> None:
    url = serve(httpserver, "/headers", html("<p>x</p>").encode(), "text/html")
    fetch(url)
    request, _ = httpserver.log[-1]
    assert request.headers["User-Agent"].startswith("Mozilla/5.0 (compatible; reader/")
    assert {"gzip", "br"} <= {e.strip() for e in request.headers["Accept-Encoding"].split(",")}
    assert "text/html" in request.headers["Accept"]


# --------------------------------------------------------------------------- HTTP behaviour


def test_redirects_are_followed_and_final_url_kept(httpserver: HTTPServer) -> None:
    final = serve(httpserver, "/final", html("<p>Arrived.</p>").encode(), "text/html")
    httpserver.expect_request("/r1").respond_with_data("", 301, {"Location": "/r2"})
    httpserver.expect_request("/r2").respond_with_data("", 302, {"Location": final})
    page = fetch(httpserver.url_for("/r1"))
    assert page.url == final
    assert "Arrived." in page.text


def test_content_language_header(httpserver: HTTPServer) -> None:
    headers = {"Content-Language": "en-GB, fr"}
    url = serve(httpserver, "/lang", html("<p>Colour</p>").encode(), "text/html", **headers)
    assert fetch(url).language == "en-GB"
    plain = serve(httpserver, "/nolang", html("<p>x</p>").encode(), "text/html")
    assert fetch(plain).language is None


def test_plain_text_is_accepted(httpserver: HTTPServer) -> None:
    text = "Infusion treatments\n\nNatalizumab is given every four weeks.\n"
    url = serve(httpserver, "/plain", text.encode(), "text/plain; charset=utf-8")
    page = fetch(url)
    assert page.text == text
    assert page.is_html is False


def test_html_served_as_text_plain_is_html(httpserver: HTTPServer) -> None:
    url = serve(httpserver, "/mislabel", html("<p>x</p>").encode(), "text/plain")
    assert fetch(url).is_html


def test_xhtml_is_accepted_and_xml_declaration_dropped(httpserver: HTTPServer) -> None:
    body = (
        '<?xml version="1.0" encoding="ISO-8859-1"?>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>X</title></head>'
        "<body><p>Caf\xe9 au lait</p></body></html>"
    ).encode("latin-1")
    url = serve(httpserver, "/xhtml", body, "application/xhtml+xml")
    page = fetch(url)
    assert page.is_html
    assert "Café au lait" in page.text
    assert "<?xml" not in page.text  # lxml refuses str input with an encoding declaration


def test_octet_stream_html_is_sniffed(httpserver: HTTPServer) -> None:
    url = serve(httpserver, "/octet", html("<p>Sniffed.</p>").encode(), "application/octet-stream")
    assert fetch(url).is_html


def test_missing_content_type_is_sniffed(httpserver: HTTPServer) -> None:
    url = serve(httpserver, "/notype", html("<p>No type.</p>").encode(), None)
    page = fetch(url)
    assert page.is_html
    assert "No type." in page.text


def test_lying_image_type_with_an_html_body_is_read(httpserver: HTTPServer) -> None:
    url = serve(httpserver, "/lie", html("<p>Really HTML.</p>").encode(), "image/png")
    assert "Really HTML." in fetch(url).text


def test_rss_feed_is_refused(httpserver: HTTPServer) -> None:
    body = b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>'
    url = serve(httpserver, "/feed", body, "application/rss+xml")
    with pytest.raises(FetchError, match=r"is an XML document, not a web page"):
        fetch(url)


def test_json_is_refused(httpserver: HTTPServer) -> None:
    url = serve(httpserver, "/api", b'{"a": 1}', "application/json")
    with pytest.raises(FetchError, match=r"is JSON data, not a web page"):
        fetch(url)


def test_trickling_server_hits_the_total_timeout(
    httpserver: HTTPServer, release: threading.Event
) -> None:
    def trickle(request: Request) -> Response:
        def body() -> Iterator[bytes]:
            yield b"<!DOCTYPE html><p>"
            while not release.wait(0.1):  # one byte every 0.1 s: no per-read timeout fires
                yield b"x"

        return Response(body(), content_type="text/html")

    httpserver.expect_request("/trickle").respond_with_handler(trickle)
    url = httpserver.url_for("/trickle")
    # 3 s, not 1: the first bytes go out at once, but a busy machine can hold them up longer
    # than a second (the message is then "did not answer")
    with pytest.raises(FetchError) as caught:
        fetch(url, total_timeout=3.0)
    assert str(caught.value) == (
        f"The server at {url} did not finish sending the page within 3 seconds."
    )


class SilentServer:
    """A real listening socket that accepts and never answers, and notices when the client
    closes its side: what a dead server behind a live address looks like."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/page"
        self.accepted = threading.Event()
        self.closed = threading.Event()  # the client's end of the connection was closed
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        conn, _ = self.sock.accept()
        self.accepted.set()
        with conn:
            conn.settimeout(60)
            try:
                while conn.recv(4096):  # the request, then EOF when the client shuts down
                    pass
            except OSError:
                return
            self.closed.set()

    def close(self) -> None:
        self.sock.close()


def fetch_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "reader-fetch"]


def test_cancelled_download_closes_its_socket_and_ends_its_thread() -> None:
    server = SilentServer()
    before = len(fetch_threads())
    cancel = threading.Event()
    errors: list[BaseException] = []

    def load() -> None:
        try:
            fetch(server.url, total_timeout=60.0, cancel=cancel)
        except FetchError as err:
            errors.append(err)

    caller = threading.Thread(target=load)
    caller.start()
    try:
        assert server.accepted.wait(30), "the fetch never connected"
        cancel.set()
        caller.join(30)
        assert not caller.is_alive()
        assert server.closed.wait(10), "the socket stayed open after the load was abandoned"
        wait_for(lambda: len(fetch_threads()) <= before, what="the fetch thread ending")
    finally:
        server.close()
    assert len(errors) == 1 and type(errors[0]) is FetchCancelled
    assert str(errors[0]) == f"Loading {server.url} was cancelled."


def test_timeout_env_caps_the_total_timeout(
    httpserver: HTTPServer, release: threading.Event, monkeypatch: pytest.MonkeyPatch
) -> None:
    def stall(request: Request) -> Response:
        release.wait(10)
        return Response("late", content_type="text/plain")

    httpserver.expect_request("/stall").respond_with_handler(stall)
    monkeypatch.setenv("READER_FETCH_TIMEOUT", "0.5")
    url = httpserver.url_for("/stall")
    with pytest.raises(FetchError) as caught:
        fetch(url)  # default 20 s, capped to 0.5 s by the environment
    assert str(caught.value) == f"The server at {url} did not answer within 0.5 seconds."


def test_long_sources_are_shortened_in_messages(httpserver: HTTPServer) -> None:
    path = "/" + "a" * 500
    httpserver.expect_request(path).respond_with_data("gone", 404)
    url = httpserver.url_for(path)
    with pytest.raises(FetchError) as caught:
        fetch(url)
    message = str(caught.value)
    assert message.startswith("The page http://127.0.0.1:")
    assert message.endswith("aaaa was not found (HTTP 404).")
    assert "…" in message
    assert len(message) < 140


# --------------------------------------------------------------------------- files and stdin


def test_file_url(tmp_path: Path) -> None:
    path = tmp_path / "my page.html"
    path.write_text(html("<p>From a file URL.</p>"), encoding="utf-8")
    page = fetch("file://" + str(path).replace(" ", "%20"))
    assert "From a file URL." in page.text
    assert page.url == str(path)
    assert page.is_html


def test_home_is_expanded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "notes.txt").write_text("Plain notes.\n", encoding="utf-8")
    page = fetch("~/notes.txt")
    assert page.text == "Plain notes.\n"
    assert page.url == str(tmp_path / "notes.txt")
    assert page.is_html is False


def test_relative_path_gives_absolute_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("page.htm").write_text(html("<p>Relative.</p>"), encoding="utf-8")
    assert fetch("page.htm").url == str(tmp_path / "page.htm")


def test_existing_file_with_a_colon_is_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("notes:2024.txt").write_text("Colon in the name.\n", encoding="utf-8")
    assert fetch("notes:2024.txt").text == "Colon in the name.\n"


def test_file_without_suffix_is_sniffed(tmp_path: Path) -> None:
    (tmp_path / "page").write_text(html("<p>x</p>"), encoding="utf-8")
    (tmp_path / "notes").write_text("Just some words.\n", encoding="utf-8")
    assert fetch(str(tmp_path / "page")).is_html
    assert not fetch(str(tmp_path / "notes")).is_html


def test_stdin_in_a_real_process() -> None:
    data = html("<p>Piped in: caf\xe9</p>").encode("cp1252")
    code = (
        "import json; from reader.source.fetch import fetch; p = fetch('-'); "
        "print(json.dumps([p.text, p.url, p.is_html]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], input=data, capture_output=True, cwd=ROOT, timeout=60
    )
    assert done.returncode == 0, done.stderr.decode()
    text, url, is_html = json.loads(done.stdout)
    assert "Piped in: café" in text
    assert url == "-"
    assert is_html is True


def test_stdin_wrapper(monkeypatch: pytest.MonkeyPatch) -> None:
    stream = io.TextIOWrapper(io.BytesIO("Plain text from stdin.\n".encode("utf-16")))
    monkeypatch.setattr(sys, "stdin", stream)
    page = fetch("-")
    assert page.text == "Plain text from stdin.\n"
    assert page.is_html is False


def test_text_only_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(html("<p>Ünïcode</p>")))
    assert "Ünïcode" in fetch("-").text


def test_empty_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"")))
    with pytest.raises(FetchError, match=r"^Standard input is empty; there is nothing to read\.$"):
        fetch("-")


def test_large_local_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.html"
    path.write_bytes(b"<p>" + b"a" * 2000)
    with pytest.raises(FetchError, match=r"big\.html is larger than 1 KB, too large to read\.$"):
        fetch(str(path), max_bytes=1000)


def test_endless_device_is_capped() -> None:
    with pytest.raises(FetchError, match=r"^/dev/zero is larger than 1 KB"):
        fetch("/dev/zero", max_bytes=1000)


# --------------------------------------------------------------------------- cleaning


def test_nul_and_control_characters_are_removed(tmp_path: Path) -> None:
    path = tmp_path / "nul.html"
    path.write_bytes(html("<p>Hel\x00lo\x07 wor\x1b[1mld\x1b[0m\x0b!</p>").encode())
    text = fetch(str(path)).text
    assert "<p>Hello world!</p>" in text


def test_unterminated_escape_does_not_swallow_the_text(tmp_path: Path) -> None:
    path = tmp_path / "osc.txt"
    path.write_bytes(b"Before \x1b]0;no terminator here\nAfter the line.\n")
    text = fetch(str(path)).text
    assert "After the line." in text
    assert "\x1b" not in text


def test_character_references_to_controls_are_neutralised(tmp_path: Path) -> None:
    path = tmp_path / "refs.html"
    body = (
        "<p>A&#27;[31mred&#x1b;[0m B&#x1b;]0;title&#7; C&#0;&#xD800;&#x110000;D "
        "E&#x93;quoted&#148; F&#65;&#x2014;&amp;&#10;</p>"
    )
    path.write_text(html(body), encoding="utf-8")
    text = fetch(str(path)).text
    assert "<p>Ared B CD E“quoted” F&#65;&#x2014;&amp;&#10;</p>" in text


def test_character_references_in_plain_text_stay_literal(tmp_path: Path) -> None:
    path = tmp_path / "refs.txt"
    path.write_text("Write &#27; to get an escape.\n", encoding="utf-8")
    assert fetch(str(path)).text == "Write &#27; to get an escape.\n"


def test_redirect_to_another_scheme_is_refused(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/to-ftp").respond_with_data(
        "", 302, {"Location": "ftp://example.com/x"}
    )
    url = httpserver.url_for("/to-ftp")
    with pytest.raises(FetchError) as caught:
        fetch(url)
    assert str(caught.value) == f"{url} redirected to an address reader cannot open."


def test_binary_garbage_declared_as_html_is_refused(httpserver: HTTPServer) -> None:
    url = serve(httpserver, "/garbage", bytes(range(32)) * 64, "text/html; charset=utf-8")
    with pytest.raises(FetchError) as caught:
        fetch(url)
    message = str(caught.value)
    assert message == f"{url} is a binary file, not a web page; reader reads HTML and plain text."


@pytest.mark.parametrize(
    ("source", "hint"),
    [("www.example.com", True), ("example.com/story", True), ("report.pdf", False)],
)
def test_missing_file_that_looks_like_a_web_address(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: str, hint: bool
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(FetchError) as caught:
        fetch(source)
    suffix = "; for a web page, start the address with https://." if hint else "."
    assert str(caught.value) == f"The file {source} does not exist{suffix}"


def test_terminal_on_stdin_is_refused_not_waited_for() -> None:
    import pty

    main_fd, terminal_fd = pty.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "reader", "outline", "-"],
            stdin=terminal_fd,
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=60,
        )
    finally:
        os.close(terminal_fd)
        os.close(main_fd)
    assert done.returncode == 3
    assert done.stderr.strip() == (
        "Standard input is a terminal; pipe a page into reader "
        "(for example: cat page.html | reader outline -)."
    )

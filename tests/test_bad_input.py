"""Every row of the bad-input list (issue 2, item 7): a clear one-sentence error or a clean
article, checked at the library level and through the real CLI in a subprocess."""

from __future__ import annotations

import io
import json
import os
import random
import re
import resource
import socket
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers.forkserver import run_reader
from helpers.paths import ROOT, UserDirs
from helpers.terminal import (
    Terminal,
    end,
    plain_screen,
    reader_in_pty,
    spawn_in_pty,
    terminal_env,
)
from helpers.web import serve
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from reader.errors import FetchError, NoArticleError, ReaderError
from reader.model import Article, Page
from reader.source.fetch import fetch

CLI_TIMEOUT = "10"  # READER_FETCH_TIMEOUT for the CLI runs: generous, a busy machine is slow
STALL = 3.0  # seconds a stalled page is given: headers sent at once arrive in time even so
READS = "not a web page; reader reads HTML and plain text."

ARTICLE_BODY = (
    "<h1>Infusion treatments for multiple sclerosis</h1>"
    "<p>Several disease-modifying treatments for multiple sclerosis are given as an infusion "
    "into a vein. They are usually given in a hospital day unit by a specialist nurse, and "
    "the visit can take most of a morning or an afternoon.</p>"
    "<p>Natalizumab is given every four weeks. Before each infusion the nurse checks how you "
    "are feeling and asks about infections, because the drug lowers the body's defences in "
    "the brain. Most people feel well afterwards and go home the same day.</p>"
    "<p>Ocrelizumab is given twice a year after two starting doses two weeks apart. Some "
    "people have a reaction during the infusion, such as an itchy rash or a headache, so "
    "they are given medicines beforehand and watched closely for an hour.</p>"
)


def page_html(body: str = ARTICLE_BODY, head: str = "") -> str:
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"{head}<title>Infusion treatments</title></head>"
        f"<body><main><article>{body}</article></main></body></html>"
    )


# --------------------------------------------------------------------------- helpers


def cli(
    *args: str,
    stdin: bytes | None = None,
    config: Path | None = None,
    fetch_timeout: str = CLI_TIMEOUT,
    fresh: bool = False,
) -> subprocess.CompletedProcess[str]:
    """Run the real `python -m reader` with this fetch time-out (and `config` as the user's
    config folder, else an empty one): forked from helpers.forkserver's zygote, or a `fresh`
    Python where the test measures the process's own CPU."""
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ)
        env.update(
            READER_FETCH_TIMEOUT=fetch_timeout,
            READER_CONFIG_DIR=str(config) if config else os.path.join(home, "config"),
            READER_DATA_DIR=os.path.join(home, "data"),
            READER_AUDIO="null",
            PYTHONIOENCODING="utf-8",
        )
        env.pop("READER_DEBUG", None)
        if fresh:
            done = subprocess.run(
                [sys.executable, "-m", "reader", *args],
                input=stdin if stdin is not None else b"",
                capture_output=True,
                cwd=ROOT,
                env=env,
                timeout=90,
            )
        else:
            done = run_reader(list(args), stdin=stdin, env=env, cwd=ROOT, timeout=90)
    return subprocess.CompletedProcess(
        done.args, done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8")
    )


def assert_one_sentence(stderr: str) -> str:
    message = stderr.strip()
    assert "Traceback" not in stderr
    assert message, "nothing on stderr"
    assert "\n" not in message, f"more than one line: {stderr!r}"
    assert message.endswith("."), message
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", message), repr(message)
    return message


def assert_cli_fails_like_fetch(
    source: str, expected: str, code: int = 3, fetch_timeout: str = CLI_TIMEOUT
) -> None:
    """The CLI exits with `code` and prints exactly the library's sentence."""
    done = cli("outline", source, fetch_timeout=fetch_timeout)
    assert done.returncode == code, (done.returncode, done.stderr)
    assert done.stdout == ""
    assert assert_one_sentence(done.stderr) == expected


def fetch_error(source: str, **options) -> str:
    with pytest.raises(FetchError) as caught:
        fetch(source, **options)
    message = str(caught.value)
    assert_one_sentence(message)
    return message


def outline_json(source: str, stdin: bytes | None = None) -> dict:
    done = cli("outline", source, "--json", stdin=stdin)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return json.loads(done.stdout)


def all_text(data: dict) -> str:
    parts = [data["title"]]
    for section in data["sections"]:
        parts.append(section["title"])
        parts.extend(block["text"] for block in section["blocks"])
    return "\n".join(parts)


def load(source: str) -> Article:
    from reader.extract import load_article

    return load_article(source)


def extract_page(page: Page) -> Article:
    from reader.extract import extract

    return extract(page)


def refused_port() -> int:
    """A port on 127.0.0.1 that nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --------------------------------------------------------------------------- local sources


def test_missing_file(tmp_path: Path) -> None:
    source = str(tmp_path / "no-such-page.html")
    message = fetch_error(source)
    assert message == f"The file {source} does not exist."
    assert_cli_fails_like_fetch(source, message)


def test_directory(tmp_path: Path) -> None:
    message = fetch_error(str(tmp_path))
    assert message == f"{tmp_path} is a folder, not a file."
    assert_cli_fails_like_fetch(str(tmp_path), message)


@pytest.mark.parametrize(
    ("source", "scheme"),
    [
        ("ftp://example.com/article.html", "ftp:"),
        ("javascript:alert(document.cookie)", "javascript:"),
    ],
)
def test_unsupported_scheme(source: str, scheme: str) -> None:
    message = fetch_error(source)
    assert message == f"Unsupported address scheme '{scheme}'; use http, https, a file path or -."
    assert_cli_fails_like_fetch(source, message)


# --------------------------------------------------------------------------- network failures


def test_connection_refused() -> None:
    port = refused_port()
    url = f"http://127.0.0.1:{port}/article"
    message = fetch_error(url)
    assert message == f"Could not connect to 127.0.0.1:{port}: connection refused."
    assert_cli_fails_like_fetch(url, message)


def test_server_that_stalls_before_answering(
    httpserver: HTTPServer, release: threading.Event
) -> None:
    def stall(request: Request) -> Response:
        release.wait(10)
        return Response(page_html(), content_type="text/html")

    httpserver.expect_request("/stall").respond_with_handler(stall)
    url = httpserver.url_for("/stall")
    message = fetch_error(url, total_timeout=0.5)
    assert message == f"The server at {url} did not answer within 0.5 seconds."
    expected = f"The server at {url} did not answer within 1 second."
    assert_cli_fails_like_fetch(url, expected, fetch_timeout="1")


def test_server_that_stalls_mid_page(httpserver: HTTPServer, release: threading.Event) -> None:
    def stall_midway(request: Request) -> Response:
        def body() -> Iterator[bytes]:
            yield page_html()[:300].encode()
            release.wait(10)
            yield b"</html>"

        return Response(body(), content_type="text/html")

    httpserver.expect_request("/half").respond_with_handler(stall_midway)
    url = httpserver.url_for("/half")
    # The first part is sent at once, but a busy machine may take longer than half a second
    # to pass it on ("did not answer" instead): the page is given STALL seconds.
    message = fetch_error(url, total_timeout=STALL)
    expected = f"The server at {url} did not finish sending the page within {STALL:g} seconds."
    assert message == expected
    assert_cli_fails_like_fetch(url, expected, fetch_timeout=f"{STALL:g}")


@pytest.mark.parametrize(
    ("status", "sentence"),
    [
        (404, "The page {url} was not found (HTTP 404)."),
        (500, "The server at {url} failed with an error (HTTP 500)."),
    ],
)
def test_http_error_status(httpserver: HTTPServer, status: int, sentence: str) -> None:
    httpserver.expect_request("/broken").respond_with_data(
        "<h1>Oops</h1>", status, content_type="text/html"
    )
    url = httpserver.url_for("/broken")
    message = fetch_error(url)
    assert message == sentence.format(url=url)
    assert_cli_fails_like_fetch(url, message)


def test_redirect_loop(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/loop").respond_with_data("", 302, {"Location": "/loop"})
    url = httpserver.url_for("/loop")
    message = fetch_error(url)
    assert message == f"The page {url} redirects more than 10 times, probably in a loop."
    assert_cli_fails_like_fetch(url, message)


# --------------------------------------------------------------------------- a 50 MB body

FIFTY_MB = 50_000_000


def serve_fifty_mb(httpserver: HTTPServer, declare_length: bool) -> str:
    chunk = b"<p>" + b"word " * 13_000 + b"</p>"  # ~65 KB of real-looking HTML

    def huge(request: Request) -> Response:
        def body() -> Iterator[bytes]:
            yield b"<!DOCTYPE html><html><body>"
            for _ in range(FIFTY_MB // len(chunk) + 1):
                yield chunk

        headers = {"Content-Length": str(FIFTY_MB)} if declare_length else {}
        return Response(body(), content_type="text/html", headers=headers, direct_passthrough=True)

    path = "/huge-declared" if declare_length else "/huge-streamed"
    httpserver.expect_request(path).respond_with_handler(huge)
    return httpserver.url_for(path)


def test_fifty_mb_declared_length_is_refused_before_reading(httpserver: HTTPServer) -> None:
    url = serve_fifty_mb(httpserver, declare_length=True)
    message = fetch_error(url)
    assert message == f"{url} is larger than 10 MB, too large to read."
    assert_cli_fails_like_fetch(url, message)


# Runs in its own process so the test server's own buffers are not counted.
MEMORY_PROBE = """
import resource, sys, tracemalloc
from reader.cli import main
from reader.errors import FetchError
from reader.source.fetch import fetch
small, huge = sys.argv[1:]
main(["outline", small])  # warm up: every import, the HTTP stack, the extractor
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
code = main(["outline", huge])
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
tracemalloc.start()
try:
    fetch(huge)
except FetchError:
    pass
peak = tracemalloc.get_traced_memory()[1]
print(code, (after - before) * 1024, peak, file=sys.__stdout__)
"""


def test_fifty_mb_streamed_body_is_capped_and_memory_stays_flat(httpserver: HTTPServer) -> None:
    small = serve(httpserver, "/small", page_html().encode(), "text/html; charset=utf-8")
    huge = serve_fifty_mb(httpserver, declare_length=False)
    done = subprocess.run(
        [sys.executable, "-c", MEMORY_PROBE, small, huge],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=90,
    )
    assert "Traceback" not in done.stderr, done.stderr
    code, rss_growth, traced_peak = (int(n) for n in done.stdout.splitlines()[-1].split())
    assert code == 3
    assert done.stderr.strip() == f"{huge} is larger than 10 MB, too large to read."
    # At most the 10 MB cap is held, plus a few 64 KB chunks; never the 50 MB on offer.
    assert traced_peak < 15_000_000, f"peak traced memory {traced_peak / 1e6:.1f} MB"
    assert rss_growth < 25_000_000, f"peak RSS grew by {rss_growth / 1e6:.1f} MB"


# --------------------------------------------------------------------------- not a web page


def _zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("article.html", page_html())
    return buffer.getvalue()


BINARIES = {
    "pdf": (
        b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n",
        "application/pdf",
        "a PDF document",
    ),
    "png": (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00",
        "image/png",
        "a PNG image",
    ),
    "zip": (_zip_bytes(), "application/zip", "a ZIP archive"),
}


@pytest.mark.parametrize("kind", sorted(BINARIES))
def test_binary_content_by_declared_type(httpserver: HTTPServer, kind: str) -> None:
    data, content_type, name = BINARIES[kind]
    url = serve(httpserver, f"/file.{kind}", data, content_type)
    message = fetch_error(url)
    assert message == f"{url} is {name}, {READS}"
    assert_cli_fails_like_fetch(url, message)


@pytest.mark.parametrize("kind", sorted(BINARIES))
def test_binary_content_from_a_lying_server(httpserver: HTTPServer, kind: str) -> None:
    data, _, name = BINARIES[kind]
    url = serve(httpserver, f"/lie-{kind}.html", data, "text/html; charset=utf-8")
    assert fetch_error(url) == f"{url} is {name}, {READS}"


@pytest.mark.parametrize("kind", sorted(BINARIES))
def test_binary_local_file_without_extension(
    tmp_path_factory: pytest.TempPathFactory, kind: str
) -> None:
    data, _, name = BINARIES[kind]
    # A short folder: messages shorten a path over 80 characters, and a parallel run's
    # temporary folders (…/popen-gw1/test_binary_local_file_without0/) grew past that.
    path = tmp_path_factory.mktemp("bin") / "download"
    path.write_bytes(data)
    message = fetch_error(str(path))
    assert message == f"{path} is {name}, {READS}"
    assert_cli_fails_like_fetch(str(path), message)


def test_octet_stream_that_is_binary(httpserver: HTTPServer) -> None:
    url = serve(httpserver, "/blob", bytes(range(256)) * 16, "application/octet-stream")
    message = fetch_error(url)
    assert message == f"{url} is a binary file, {READS}"
    assert_cli_fails_like_fetch(url, message)


def test_empty_body(httpserver: HTTPServer) -> None:
    url = serve(httpserver, "/empty", b"", "text/html; charset=utf-8")
    message = fetch_error(url)
    assert message == f"{url} is empty; there is nothing to read."
    assert_cli_fails_like_fetch(url, message)


def test_empty_stdin_through_the_cli() -> None:
    done = cli("outline", "-", stdin=b"")
    assert done.returncode == 3
    assert assert_one_sentence(done.stderr) == "Standard input is empty; there is nothing to read."


# --------------------------------------------------------------------------- extraction rows

LOGIN_ONLY = (
    "<!DOCTYPE html><html><head><title>Sign in</title></head><body>"
    "<form action='/login' method='post'><h2>Log in to your account</h2>"
    "<label>Username <input name='user'></label>"
    "<label>Password <input type='password' name='pass'></label>"
    "<label><input type='checkbox' name='remember'> Remember me</label>"
    "<button type='submit'>Log in</button>"
    "<a href='/reset'>Forgot your password?</a> <a href='/register'>Create an account</a>"
    "</form></body></html>"
)


def test_page_with_only_a_login_form(httpserver: HTTPServer) -> None:
    url = serve(httpserver, "/login", LOGIN_ONLY.encode(), "text/html; charset=utf-8")
    with pytest.raises(NoArticleError) as caught:
        load(url)
    message = assert_one_sentence(str(caught.value))
    done = cli("outline", url)
    assert done.returncode == 4, done.stderr
    assert done.stdout == ""
    assert assert_one_sentence(done.stderr) == message


# Pages of site furniture only: the cleaning keeps the furniture (it is most of the page),
# so the sentence test has to refuse it. Shapes from the tester's report.
NAV_LABELS = ["Home", "News", "Sport", "Business", "Culture", "Opinion", "Weather", "Contact us"]


def nav_links(item: str = "{}") -> str:
    return "".join(item.format(f"<a href='/{n.split()[0].lower()}'>{n}</a>") for n in NAV_LABELS)


def furniture_page(menu: str, footer: str, title: str = "<title>Northfield Gazette</title>") -> str:
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>{title}</head><body>"
        "<header class='site-header'><a href='/' class='logo'>"
        "<img src='/logo.png' alt='Northfield Gazette logo'></a></header>"
        f"{menu}{footer}</body></html>"
    )


FOOTER = (
    "<footer><a href='/cookies'>Cookie policy</a> <a href='/privacy'>Privacy</a>"
    " <span>© 2026 Site</span></footer>"
)
FOOTER_DIV = (
    "<div id='bottom'><p><a href='/cookies'>Cookie policy</a></p>"
    "<p><a href='/privacy'>Privacy</a></p><p>© 2026 Site</p></div>"
)
LISTED_LINKS = nav_links("<li>{}</li>")
FURNITURE_ONLY = {
    "nav": furniture_page(f"<nav class='main-nav'>{nav_links()}</nav>", FOOTER),
    "div-menu": furniture_page(f"<div class='menu'><ul>{LISTED_LINKS}</ul></div>", FOOTER_DIV),
    "untitled-nav": furniture_page(f"<nav><ul>{LISTED_LINKS}</ul></nav>", FOOTER_DIV, title=""),
}


def assert_cli_finds_no_article(path: Path) -> None:
    from reader.extract import NO_ARTICLE

    for command in ("text", "outline"):
        done = cli(command, str(path))
        assert done.returncode == 4, (command, done.returncode, done.stdout, done.stderr)
        assert done.stdout == ""
        assert assert_one_sentence(done.stderr) == NO_ARTICLE


@pytest.mark.parametrize("name", sorted(FURNITURE_ONLY))
def test_page_with_only_menus_and_a_footer(tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.html"
    path.write_text(FURNITURE_ONLY[name], encoding="utf-8")
    with pytest.raises(NoArticleError):
        load(str(path))
    assert_cli_finds_no_article(path)


def junk_bytes(seed: int, size: int = 3000) -> bytes:
    """Random bytes without C0 controls: `head -c 3000 /dev/urandom` output that the
    binary sniffing lets through (it decodes as a soup of accented letters and symbols)."""
    rng = random.Random(seed)
    return bytes(rng.randrange(0x20, 0x100) for _ in range(size))


@pytest.mark.parametrize("suffix", [".html", ".txt"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_bytes_that_pass_as_text(tmp_path: Path, seed: int, suffix: str) -> None:
    path = tmp_path / f"junk{suffix}"
    path.write_bytes(junk_bytes(seed))
    with pytest.raises(NoArticleError):
        load(str(path))
    if seed == 1:  # one CLI run per file kind is enough
        assert_cli_finds_no_article(path)


def test_page_of_replacement_characters(tmp_path: Path) -> None:
    rng = random.Random(7)  # what a lossy conversion of a binary file leaves behind
    words = (
        "".join(rng.choice("\ufffd\ufffd\ufffd\ufffdxQ#") for _ in range(rng.randrange(2, 30)))
        for _ in range(150)
    )
    path = tmp_path / "lossy.html"
    path.write_text(f"<html><body><p>{' '.join(words)}</p></body></html>", encoding="utf-8")
    with pytest.raises(NoArticleError):
        load(str(path))
    assert_cli_finds_no_article(path)


# Short real articles, some among the same furniture: each must still be read.
NEWS_BRIEF = furniture_page(
    f"<nav>{nav_links()}</nav><main><article><h1>Bridge closed for repairs</h1>"
    "<p>The Mill Street bridge will close to traffic from Monday for three weeks.</p>"
    "<p>Buses will divert via Station Road, and a footpath stays open.</p></article></main>",
    FOOTER,
)
ONE_PARAGRAPH = (
    "<html><head><title>Library closed on Monday</title></head><body>"
    "<h1>Library closed on Monday</h1><p>The central library will be closed on Monday for a "
    "staff training day, and books due that day can be returned on Tuesday without any fine."
    "</p></body></html>"
)
SHORT_FAQ = furniture_page(
    f"<div class='menu'><ul>{LISTED_LINKS}</ul></div>"
    "<h1>Parking at the clinic</h1><dl><dt>Is parking free?</dt><dd>Yes, for patients.</dd>"
    "<dt>Where do I park?</dt><dd>Behind the main building.</dd>"
    "<dt>Can I stay overnight?</dt><dd>No.</dd></dl>",
    FOOTER_DIV,
)
NO_FULL_STOP = (
    "<html><body><h1>Back soon</h1><p>We are moving the shop to the new unit on the high "
    "street and will open again on the first of May</p></body></html>"
)
PLAIN_NOTE = (
    "Water outage\n\nThe water supply on Mill Lane will be off on Tuesday from nine until noon "
    "while a pipe is repaired.\n"
)
SHORT_ARTICLES = {
    "news-brief.html": (NEWS_BRIEF, "Buses will divert via Station Road"),
    "one-paragraph.html": (ONE_PARAGRAPH, "books due that day can be returned on Tuesday"),
    "faq.html": (SHORT_FAQ, "Behind the main building."),
    "no-full-stop.html": (NO_FULL_STOP, "will open again on the first of May"),
    "note.txt": (PLAIN_NOTE, "off on Tuesday from nine until noon"),
}


@pytest.mark.parametrize("name", sorted(SHORT_ARTICLES))
def test_short_real_articles_are_still_read(tmp_path: Path, name: str) -> None:
    text, expected = SHORT_ARTICLES[name]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert expected in "\n".join(b.text for s in load(str(path)).sections for b in s.blocks)
    done = cli("text", str(path))
    assert done.returncode == 0, done.stderr
    assert expected in done.stdout
    assert "Home News" not in done.stdout and "Cookie policy" not in done.stdout


@pytest.mark.parametrize("name", ["faq.html", "magazine.html", "seed_like.html"])
def test_fixture_pages_are_still_articles(name: str) -> None:
    assert any(s.blocks for s in load(str(ROOT / "tests" / "fixtures" / name)).sections)


def test_truncated_html(tmp_path: Path) -> None:
    cut = page_html()[: page_html().index("Ocrelizumab") + 40]  # ends mid-sentence, open tags
    path = tmp_path / "truncated.html"
    path.write_text(cut, encoding="utf-8")
    text = "\n".join(b.text for s in load(str(path)).sections for b in s.blocks)
    assert "Natalizumab is given every four weeks." in text
    assert "Ocrelizumab is given twice a year" in text
    assert "Natalizumab is given every four weeks." in all_text(outline_json(str(path)))


def test_wrong_declared_charset(httpserver: HTTPServer) -> None:
    body = ARTICLE_BODY.replace("Natalizumab", "Natalizumab (caf\xe9 cr\xe8me \u201cbreak\u201d)")
    data = page_html(body).encode("cp1252")  # the page says utf-8 in its <meta> and header
    url = serve(httpserver, "/cp1252", data, "text/html; charset=utf-8")
    expected = "Natalizumab (café crème “break”) is given every four weeks."
    text = "\n".join(b.text for s in load(url).sections for b in s.blocks)
    assert expected in text
    assert "\ufffd" not in text
    assert expected in all_text(outline_json(url))


def test_nul_bytes(tmp_path: Path) -> None:
    data = page_html().encode().replace(b"Natalizumab", b"Natali\x00zumab\x00")
    data = data.replace(b"<p>", b"<p>\x00", 1)
    path = tmp_path / "nul.html"
    path.write_bytes(data)
    article = load(str(path))
    text = "\n".join(b.text for s in article.sections for b in s.blocks)
    assert "\x00" not in text
    assert "Natalizumab is given every four weeks." in text
    assert "Natalizumab is given every four weeks." in all_text(outline_json(str(path)))


def test_ten_thousand_nested_divs(tmp_path: Path) -> None:
    deep = "<div>" * 10_000 + "<p>Deep inside the nesting.</p>" + "</div>" * 10_000
    path = tmp_path / "nested.html"
    path.write_text(page_html(ARTICLE_BODY + deep), encoding="utf-8")
    text = "\n".join(b.text for s in load(str(path)).sections for b in s.blocks)
    assert "Natalizumab is given every four weeks." in text
    assert "Deep inside the nesting." in text
    assert "Natalizumab is given every four weeks." in all_text(outline_json(str(path)))


def test_ten_thousand_nested_divs_without_other_text(tmp_path: Path) -> None:
    deep = "<div>" * 10_000 + "<p>Only text, deep inside the nesting.</p>" + "</div>" * 10_000
    path = tmp_path / "only-nested.html"
    path.write_text(f"<html><body>{deep}</body></html>", encoding="utf-8")
    text = "\n".join(b.text for s in load(str(path)).sections for b in s.blocks)
    assert text == "Only text, deep inside the nesting."
    assert "Only text, deep inside the nesting." in all_text(outline_json(str(path)))


ESCAPES_BODY = (
    "<h1>Warnings</h1>"
    "<p>Watch for \x1b[31mred\x1b[0m patches\x1b]0;owned title\x07 on the skin and call "
    "the nurse [bold]at once[/bold] if they spread; [link=https://x.example]this[/link] "
    "is not a link.</p>"
    "<p>Entity escapes: &#27;[1mbold&#27;[0m and &#x1b;]2;title&#x07; end here, and a "
    "C1 control &#x9b;31m too.</p>" + ARTICLE_BODY
)


def test_terminal_escapes_and_markup_come_out_as_plain_text(tmp_path: Path) -> None:
    path = tmp_path / "escapes.html"
    path.write_text(page_html(ESCAPES_BODY), encoding="utf-8")
    article = load(str(path))
    text = "\n".join([article.title] + [b.text for s in article.sections for b in s.blocks])
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", text), repr(text)
    assert "Watch for red patches on the skin" in text
    assert "owned title" not in text
    assert "Entity escapes: bold and end here" in text
    assert "[1m" not in text and "[0m" not in text
    assert "[bold]at once[/bold]" in text
    assert "[link=https://x.example]this[/link]" in text
    for command in ("outline", "--json"), ("text",), ("outline",):
        done = cli(command[0], str(path), *command[1:])
        assert done.returncode == 0, done.stderr
        assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", done.stdout), command
        assert "Watch for red patches" in done.stdout
        if command[0] != "outline" or "--json" in command:  # the plain outline shortens text
            assert "[bold]at once[/bold]" in done.stdout, command


# --------------------------------------------------------------------------- any bytes at all

HTML_PIECES = [
    b"<p>",
    b"</p>",
    b"<div>",
    b"</div>",
    b"<h2>",
    b"</h2>",
    b"<b>",
    b"</b>",
    b"<dl><dt>",
    b"<dd>",
    b"<details><summary>",
    b"<table><tr><td>",
    b"<script>",
    b"<!--",
    b"-->",
    b"<![CDATA[",
    b"<?xml version='1.0' encoding='utf-16'?>",
    b"<meta charset='bogus'>",
    b"<meta charset='utf-7'>",
    b"Q: ",
    b"A: ",
    b"Question: ",
    b"&#0;",
    b"&#x1b;",
    b"&#xD800;",
    b"&amp",
    b"\x00",
    b"\x1b[31m",
    b"\xe9",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"%PDF-",
    b"[bold]",
    b"Natalizumab is given every four weeks. ",
    b"Dr. Smith said e.g. 2.5 mg twice a day. ",
    b" ",
    b"\n",
]

ANY_BYTES = st.one_of(
    st.binary(max_size=3000),
    st.lists(st.sampled_from(HTML_PIECES), max_size=80).map(b"".join),
)


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=ANY_BYTES, suffix=st.sampled_from([".html", ".txt", ""]))
def test_any_bytes_give_an_article_or_a_clean_error(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "page" + suffix)
        with open(path, "wb") as handle:
            handle.write(data)
        try:
            article = load(path)
        except ReaderError as err:
            assert_one_sentence(str(err))
            return
    assert isinstance(article, Article)
    assert article.sections


ANY_TEXT = st.one_of(
    st.text(max_size=2000),
    st.lists(st.sampled_from([p.decode("latin-1") for p in HTML_PIECES]), max_size=80).map("".join),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=ANY_TEXT, is_html=st.booleans())
def test_any_page_text_gives_an_article_or_a_clean_error(text: str, is_html: bool) -> None:
    try:
        article = extract_page(Page(text=text, url="https://example.com/p", is_html=is_html))
    except ReaderError as err:
        assert_one_sentence(str(err))
        return
    assert isinstance(article, Article)


# --------------------------------------------------------------------------- issue 9, parts 5-6:
# big pages, very long headings, bad speech.toml, crashes


def many_paragraphs_page(count: int) -> str:
    body = "".join(f"<p>Go {i}.</p>" for i in range(count))
    return page_html("<h1>Many paragraphs</h1>" + body)


def long_heading_page(size: int = 100_000) -> str:
    heading = ("Infusion treatments for multiple sclerosis are given in a day unit. " * 2000)[:size]
    return page_html(f"<h1>{heading}</h1>" + ARTICLE_BODY.split("</h1>", 1)[1])


def cpu_seconds_of(run: Callable[[], subprocess.CompletedProcess[str]]) -> tuple[float, Any]:
    """CPU time (user + system) the child processes started by `run` used: unlike wall time,
    it does not grow when the machine is busy with other work."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = run()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    used = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return used, done


def test_hundred_thousand_paragraphs_are_read_whole_and_in_a_few_cpu_seconds(
    tmp_path: Path,
) -> None:
    # Today's main: `text` spent 24 s of CPU in pysbd (one call per paragraph).
    path = tmp_path / "many.html"
    path.write_text(many_paragraphs_page(100_000), encoding="utf-8")
    used, done = cpu_seconds_of(lambda: cli("text", str(path), fresh=True))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "Many paragraphs"
    assert lines[1:] == [f"Go {i}." for i in range(100_000)]
    assert used < 12, f"reader text took {used:.1f} s of CPU"
    used, done = cpu_seconds_of(lambda: cli("outline", str(path), "--json", fresh=True))
    assert done.returncode == 0, done.stderr
    blocks = json.loads(done.stdout)["sections"][0]["blocks"]
    assert [b["text"] for b in blocks] == [f"Go {i}." for i in range(100_000)]
    assert used < 10, f"reader outline took {used:.1f} s of CPU"


def test_a_100_kb_heading_is_announced_by_its_start_and_read_in_pieces(tmp_path: Path) -> None:
    path = tmp_path / "long-heading.html"
    path.write_text(long_heading_page(), encoding="utf-8")
    done = cli("text", str(path))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("Infusion treatments for multiple sclerosis")
    assert lines[0].endswith(" …") and len(lines[0]) <= 202
    assert max(len(line) for line in lines) <= 300  # every piece can be spoken at once
    # Nothing is lost: the heading's words are all read after its short announcement.
    heading = long_heading_page().split("<h1>")[1].split("</h1>")[0]
    assert sum(line.count("Infusion") for line in lines[1:]) == heading.count("Infusion")
    assert lines[-1].endswith("watched closely for an hour.")  # the article after it


def test_json_ld_nested_fifty_thousand_deep_is_ignored(tmp_path: Path) -> None:
    deep = "[" * 50_000 + "]" * 50_000
    script = f'<script type="application/ld+json">{{"@type": "FAQPage", "x": {deep}}}</script>'
    path = tmp_path / "deep-ld.html"
    path.write_text(page_html(head=script), encoding="utf-8")
    data = outline_json(str(path))
    assert "Natalizumab is given every four weeks." in all_text(data)


def speech_rules(config: Path, text: str) -> Path:
    config.mkdir(exist_ok=True)
    (config / "speech.toml").write_text(text, encoding="utf-8")
    return config


BAD_SPEECH_RULES = {
    "nested 5000 deep": ("[units]\nx = " + "[" * 5000 + "]" * 5000 + "\n", "nested too deeply"),
    "400 000 entries": (
        "[pronunciations]\n" + "".join(f'w{i} = "v"\n' for i in range(400_000)),
        "larger than 1 MB",
    ),
    "12 000 entries": (
        "[pronunciations]\n" + "".join(f'w{i} = "v"\n' for i in range(12_000)),
        "more than 10000",
    ),
    "wrong types": ("units = 5\n[pronunciations]\nx = 3\n", "unknown section [units]"),
}


@pytest.mark.parametrize("case", BAD_SPEECH_RULES, ids=list(BAD_SPEECH_RULES))
def test_a_bad_speech_toml_is_ignored_with_one_sentence(tmp_path: Path, case: str) -> None:
    text, reason = BAD_SPEECH_RULES[case]
    config = speech_rules(tmp_path / "config", text)
    done = cli("text", "sample", config=config)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    for line in done.stderr.splitlines():
        assert_one_sentence(line)
    assert reason in done.stderr and "speech.toml" in done.stderr
    assert "Infusion Treatments" in done.stdout  # the article is read with the built-in rules


# ----------------------------------------------------------------- the app, in a real terminal


@pytest.fixture
def pty_env() -> dict[str, str]:
    return terminal_env()


def test_the_app_says_and_shows_a_deeply_nested_speech_toml_and_reads_on(
    tmp_path: Path, pty_env: dict[str, str], user_dirs: UserDirs
) -> None:
    # Today's main: the app dies at start with a 1 665-line traceback, and exit status 0.
    speech_rules(user_dirs.config, BAD_SPEECH_RULES["nested 5000 deep"][0])
    page = tmp_path / "page.html"
    page.write_text(page_html(), encoding="utf-8")
    # 500 wpm: the warning and the article are checked, not how fast they are said
    with reader_in_pty(page, tmp_path / "log.jsonl", pty_env, "--rate", "500") as term:
        said = term.said("Your speech rules file")
        assert "nested too deeply" in said["text"]
        term.reads(0, 1)  # and then the article
        term.send(b"q")
        assert term.proc.wait(timeout=60) == 0
    screen = bytes(term.output).decode("utf-8", "replace")
    assert "nestedtoodeeply" in plain_screen(screen)  # shown as well as said
    assert "Traceback" not in screen


def test_q_is_answered_at_once_on_a_page_with_a_100_kb_heading(
    tmp_path: Path, pty_env: dict[str, str]
) -> None:
    # Today's main: the heading went to the synthesiser as one utterance; q waited 58 s for it.
    page = tmp_path / "long-heading.html"
    page.write_text(long_heading_page(), encoding="utf-8")
    with reader_in_pty(page, tmp_path / "log.jsonl", pty_env, "--rate", "500") as term:
        title = term.reads(0, 0)
        assert len(title["text"]) <= 202
        term.reads(0, 1)  # reading the heading in full now, piece by piece
        mark = term.send(b"q")
        pressed = time.monotonic()
        term.said("Goodbye", mark)
        answered = time.monotonic() - pressed
        assert term.proc.wait(timeout=30) == 0
    # 200 ms is the aim (measured: 40-70 ms, benchmarks/ui.py); the slack is for a busy
    # machine, not for a blocked event loop or synthesiser, which took 58 s.
    assert answered < 10.0, f"Goodbye started {answered:.2f} s after q"
    assert all(len(r["text"]) <= 300 for r in term.starts())


CRASHING_APP = """
import sys
from reader.ui import app

def broken(self) -> None:
    raise RuntimeError("a planted fault")

app.ReaderApp.show_reader = broken  # an unexpected bug while opening the article
from reader.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_an_unexpected_crash_in_the_app_exits_non_zero_with_one_sentence(
    tmp_path: Path, pty_env: dict[str, str]
) -> None:
    # Today's main: Textual prints its traceback (with locals) and the process exits 0.
    page = tmp_path / "page.html"
    page.write_text(page_html(), encoding="utf-8")
    command = [sys.executable, "-c", CRASHING_APP, str(page), "--audio", "null"]
    proc, master = spawn_in_pty(command, pty_env)
    term = Terminal(proc, master, tmp_path / "unused.jsonl")
    try:
        code = proc.wait(timeout=60)
    finally:
        end(proc, master)
    screen = bytes(term.output).decode("utf-8", "replace")
    assert code == 1
    assert "Traceback" not in screen
    said = "readerstoppedonanunexpectedproblem(RuntimeError:aplantedfault)"
    assert said in plain_screen(screen)


FAILING_COMMAND = """
import sys
import threading
from reader import cli

def broken(args):
    worker = threading.Thread(target=lambda: 1 / 0)  # a bug in a background thread
    worker.start()
    worker.join()
    sys.exit("The library gave up.")  # and a library that ends the program with a message

cli._COMMANDS["outline"] = broken
sys.exit(cli.main(["outline", "sample"]))
"""


def test_a_thread_that_dies_and_a_library_exit_are_one_sentence_each_and_exit_non_zero() -> None:
    # Today's main: Python's "Exception in thread" traceback, then exit status 0.
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("READER_DEBUG", None)
    done = subprocess.run(
        [sys.executable, "-c", FAILING_COMMAND],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert [assert_one_sentence(line) for line in lines] == [
        "A background task of reader stopped on an unexpected problem (ZeroDivisionError).",
        "The library gave up.",
    ]

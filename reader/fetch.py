"""Fetch a page from the web, a local file or stdin and decode it into a Page.

Everything that can go wrong becomes a FetchError whose message is one plain sentence
naming the problem and the source; no other exception leaves `fetch`.
"""

from __future__ import annotations

import codecs
import os
import re
import socket
import sys
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

import brotli
import charset_normalizer
import httpcore
import httpx

from reader import __version__
from reader.errors import FetchCancelled, FetchError
from reader.model import Page
from reader.text import (
    CHAR_REFERENCE,
    header_language,
    message_text,
    reference_for_cleaning,
    strip_raw_controls,
)

USER_AGENT = f"Mozilla/5.0 (compatible; reader/{__version__}; accessible text-to-speech reader)"
ACCEPT = "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.1"
MAX_REDIRECTS = 10
CHUNK = 64 * 1024
TIMEOUT_ENV = "READER_FETCH_TIMEOUT"
READS_ELSEWHERE = "reader reads HTML and plain text"

# --------------------------------------------------------------------------- public API


def fetch(
    source: str,
    *,
    connect_timeout: float = 5.0,
    total_timeout: float = 20.0,
    max_bytes: int = 10_000_000,
    cancel: threading.Event | None = None,
) -> Page:
    """Read `source` (http(s) URL, local path, file:// URL or "-" for stdin) into a Page.

    The environment variable READER_FETCH_TIMEOUT (seconds) caps the total time-out, so
    scripts and tests can make a stalled server fail fast without changing the CLI.
    Setting `cancel` (from another thread) abandons a download at once: its socket is shut
    and its thread ends, and FetchCancelled is raised.
    """
    total_timeout = _capped_timeout(total_timeout)
    connect_timeout = min(connect_timeout, total_timeout)
    try:
        return _fetch(source, connect_timeout, total_timeout, max_bytes, cancel)
    except FetchError:
        raise
    except Exception as exc:  # the promise: only FetchError leaves this module
        raise FetchError(f"Could not read {_show(source)}: {_reason(exc)}.") from exc


@dataclass(frozen=True)
class Resource:
    """The raw bytes at an address, before they are judged to be a page: feeds need this."""

    url: str  # after redirects (an absolute path for a file)
    data: bytes  # decompressed; empty for 304
    content_type: str | None = None
    status: int = 200  # 304: not modified since the validators given
    etag: str | None = None
    last_modified: str | None = None
    language: str | None = None


def fetch_resource(
    source: str,
    *,
    validators: dict[str, str] | None = None,
    connect_timeout: float = 5.0,
    total_timeout: float = 20.0,
    max_bytes: int = 10_000_000,
    cancel: threading.Event | None = None,
) -> Resource:
    """The bytes at `source` (http(s), file:// or a path), whatever they are. `validators`
    ("etag", "last_modified" from an earlier Resource) make an HTTP request conditional: a
    server with nothing new answers 304 and no body. Only FetchError leaves this function."""
    total_timeout = _capped_timeout(total_timeout)
    connect_timeout = min(connect_timeout, total_timeout)
    source = (source or "").strip()
    try:
        if _scheme(source) in ("http", "https"):
            headers = _conditional_headers(validators or {})
            return _fetch_http(source, connect_timeout, total_timeout, max_bytes, cancel, headers)
        path = _file_url_path(source) if _scheme(source) == "file" else Path(source).expanduser()
        data = _read_file_bytes(path, source, _show(source), max_bytes)
        return Resource(url=os.path.abspath(path), data=data)
    except FetchError:
        raise
    except Exception as exc:  # the promise: only FetchError leaves this module
        raise FetchError(f"Could not read {_show(source)}: {_reason(exc)}.") from exc


def page_from_resource(got: Resource) -> Page:
    """The page in bytes fetched by `fetch_resource`, judged and decoded as `fetch` does."""
    if "://" in got.url:
        name = urlsplit(got.url).path.rsplit("/", 1)[-1]
    else:
        name = Path(got.url).name
    return _to_page(got.data, got.url, _show(got.url), got.content_type, name, got.language)


def html_page(text: str, url: str, language: str | None = None) -> Page:
    """HTML that came from elsewhere (a feed item's content) made safe the way a fetched
    page is: references to control characters neutralised, escapes and controls removed."""
    text = strip_raw_controls(CHAR_REFERENCE.sub(reference_for_cleaning, text))
    return Page(text=text, url=url, is_html=True, language=language)


def _conditional_headers(validators: dict[str, str]) -> dict[str, str]:
    headers = {}
    if validators.get("etag"):
        headers["If-None-Match"] = validators["etag"]
    if validators.get("last_modified"):
        headers["If-Modified-Since"] = validators["last_modified"]
    return headers


def _fetch(
    source: str,
    connect_timeout: float,
    total_timeout: float,
    max_bytes: int,
    cancel: threading.Event | None,
) -> Page:
    if not isinstance(source, str) or not source.strip():
        raise FetchError("No source was given; use a web address, a file path or -.")
    source = source.strip()
    if source == "-":
        return _read_stdin(max_bytes)
    scheme = _scheme(source)
    if scheme in ("http", "https"):
        return page_from_resource(
            _fetch_http(source, connect_timeout, total_timeout, max_bytes, cancel)
        )
    if scheme == "file":
        return _read_file(_file_url_path(source), source, max_bytes)
    if scheme is not None and not _exists(source):
        raise FetchError(
            f"Unsupported address scheme '{message_text(scheme)[:20]}:'; "
            "use http, https, a file path or -."
        )
    return _read_file(Path(source).expanduser(), source, max_bytes)


# --------------------------------------------------------------------------- messages


def _show(source: str, limit: int = 80) -> str:
    """The source as it may appear in a message: no control characters, not too long."""
    text = message_text(str(source))
    if len(text) <= limit:
        return text
    return text[: limit - 21] + "…" + text[-20:]


def _reason(exc: BaseException) -> str:
    """A short lower-case reason from an exception, without "[Errno 2]" noise."""
    text = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    text = re.sub(r"^\[Errno -?\d+\]\s*", "", message_text(str(text))).strip().rstrip(".")
    text = text.splitlines()[0] if text else type(exc).__name__
    return (text[:1].lower() + text[1:])[:200]


def _seconds(value: float) -> str:
    return "1 second" if value == 1 else f"{value:g} seconds"


def _size(value: int) -> str:
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("KB", 10**3)):
        if value >= scale:
            return f"{value / scale:.3g} {unit}"
    return f"{value} bytes"


def _too_large(shown: str, max_bytes: int) -> FetchError:
    return FetchError(f"{shown} is larger than {_size(max_bytes)}, too large to read.")


def _capped_timeout(total_timeout: float) -> float:
    raw = os.environ.get(TIMEOUT_ENV, "").strip()
    try:
        cap = float(raw) if raw else None
    except ValueError:
        cap = None
    if cap is not None and cap > 0:
        return min(total_timeout, cap)
    return total_timeout


def _scheme(source: str) -> str | None:
    match = re.match(r"([A-Za-z][A-Za-z0-9+.\-]*):", source)
    # One letter is a Windows drive ("C:\\..."), not a scheme.
    if match and len(match.group(1)) > 1:
        return match.group(1).lower()
    return None


# --------------------------------------------------------------------------- local files


def _exists(source: str) -> bool:
    try:
        return Path(source).expanduser().exists()
    except (OSError, ValueError, RuntimeError):  # too long, NUL inside, no home dir...
        return False


def _file_url_path(url: str) -> Path:
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost"):
        raise FetchError(
            f"{_show(url)} points at another computer ({message_text(parts.netloc)}); "
            "reader only opens file:// addresses on this computer."
        )
    return Path(url2pathname(unquote(parts.path)))


def _read_file(path: Path, given: str, max_bytes: int) -> Page:
    shown = _show(given)
    data = _read_file_bytes(path, given, shown, max_bytes)
    absolute = os.path.abspath(path)
    return _to_page(data, url=absolute, shown=shown, content_type=None, name=path.name)


def _read_file_bytes(path: Path, given: str, shown: str, max_bytes: int) -> bytes:
    try:
        if path.is_dir():
            raise FetchError(f"{shown} is a folder, not a file.")
        with open(path, "rb") as handle:
            if _regular_size(handle) > max_bytes:
                raise _too_large(shown, max_bytes)
            data = handle.read(max_bytes + 1)
    except FileNotFoundError as exc:
        raise FetchError(_missing_file_message(given, shown)) from exc
    except IsADirectoryError as exc:
        raise FetchError(f"{shown} is a folder, not a file.") from exc
    except PermissionError as exc:
        raise FetchError(f"Permission to read {shown} was denied.") from exc
    except (OSError, ValueError) as exc:
        raise FetchError(f"Could not read {shown}: {_reason(exc)}.") from exc
    if len(data) > max_bytes:
        raise _too_large(shown, max_bytes)
    return data


def _regular_size(handle) -> int:
    stat = os.fstat(handle.fileno())
    # Only regular files have a meaningful size; devices and pipes report 0.
    return stat.st_size if (stat.st_mode & 0o170000) == 0o100000 else 0


def _missing_file_message(given: str, shown: str) -> str:
    first = given.split("/", 1)[0].lower()
    domain = re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}", first) is not None
    # "www.example.com" or "example.com/story" was meant as a web address.
    if domain and (first.startswith("www.") or "/" in given):
        return f"The file {shown} does not exist; for a web page, start the address with https://."
    return f"The file {shown} does not exist."


# --------------------------------------------------------------------------- stdin


def _read_stdin(max_bytes: int) -> Page:
    stream = sys.stdin
    if stream is None:
        raise FetchError("There is no standard input to read from.")
    try:
        if stream.isatty():
            raise FetchError(
                "Standard input is a terminal; pipe a page into reader "
                "(for example: cat page.html | reader outline -)."
            )
        data = _read_stream(stream, max_bytes)
    except FetchError:
        raise
    except (OSError, ValueError, UnicodeError) as exc:
        raise FetchError(f"Could not read standard input: {_reason(exc)}.") from exc
    if len(data) > max_bytes:
        raise _too_large("Standard input", max_bytes)
    return _to_page(data, url="-", shown="Standard input", content_type=None, name="")


def _read_stream(stream, max_bytes: int) -> bytes:
    binary = getattr(stream, "buffer", None)
    if binary is not None:
        return binary.read(max_bytes + 1)
    # A text-only stream (replaced sys.stdin): it is already decoded.
    return stream.read(max_bytes + 1).encode("utf-8", "surrogatepass")


# --------------------------------------------------------------------------- HTTP


class _Sockets(httpcore.NetworkBackend):
    """httpcore's own network backend, keeping a duplicate of each socket it opens, so that
    another thread can shut the connection: shutdown() wakes a recv() blocked in the download
    thread (closing it would not), and a duplicate survives the TLS wrap detaching the original.
    """

    def __init__(self) -> None:
        self._inner = httpcore.SyncBackend()
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._shut = False

    def connect_tcp(self, *args: object, **kwargs: object) -> httpcore.NetworkStream:
        stream = self._inner.connect_tcp(*args, **kwargs)  # type: ignore[arg-type]
        with self._lock:
            self._sockets.append(stream.get_extra_info("socket").dup())
            shut = self._shut
        if shut:  # cancelled while connecting
            self.shut()
        return stream

    def connect_unix_socket(self, *args: object, **kwargs: object) -> httpcore.NetworkStream:
        return self._inner.connect_unix_socket(*args, **kwargs)  # type: ignore[arg-type]

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)

    def shut(self) -> None:
        with self._lock:
            self._shut = True
            for sock in self._sockets:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:  # already closed by the other side
                    pass

    def close(self) -> None:
        """Drop the duplicates (the connection itself is closed only when all are)."""
        with self._lock:
            for sock in self._sockets:
                sock.close()
            self._sockets.clear()


@dataclass
class _Progress:
    """Shared between the download thread and the waiting caller."""

    phase: str = "connect"  # "body" once the response headers have arrived
    cancel: threading.Event = field(default_factory=threading.Event)
    done: threading.Event = field(default_factory=threading.Event)
    sockets: _Sockets = field(default_factory=_Sockets)
    result: Resource | None = None
    error: BaseException | None = None

    def abandon(self) -> None:
        """The caller gives up: stop reading and close the connection now."""
        self.cancel.set()
        self.sockets.shut()


CANCEL_POLL = 0.05  # seconds between looks at the caller's cancel event


def _fetch_http(
    url: str,
    connect_timeout: float,
    total_timeout: float,
    max_bytes: int,
    cancel: threading.Event | None = None,
    headers: dict[str, str] | None = None,
) -> Resource:
    """Download in a daemon thread so the caller's wait is bounded by total_timeout.

    httpx time-outs are per network operation; a server that trickles a byte at a time
    would never trip them, so the wall-clock limit is enforced here instead. Whether the
    time runs out or the caller cancels, the download's socket is shut at once, so its
    thread ends too instead of waiting on the server.
    """
    if not _host_of(url):
        raise FetchError(f"{_show(url)} is not a valid web address.")
    progress = _Progress()

    def work() -> None:
        try:
            progress.result = _download(
                url, connect_timeout, total_timeout, max_bytes, progress, headers or {}
            )
        except BaseException as exc:  # handed over to the caller below
            progress.error = exc
        finally:
            progress.sockets.close()
            progress.done.set()

    threading.Thread(target=work, name="reader-fetch", daemon=True).start()
    _wait(progress, url, total_timeout, cancel)
    if progress.error is not None:
        raise _http_error(url, progress.error, connect_timeout, total_timeout)
    assert progress.result is not None
    return progress.result


def _wait(
    progress: _Progress, url: str, total_timeout: float, cancel: threading.Event | None
) -> None:
    deadline = time.monotonic() + total_timeout
    while not progress.done.wait(CANCEL_POLL if cancel else total_timeout):
        if cancel is not None and cancel.is_set():
            progress.abandon()
            raise FetchCancelled(f"Loading {_show(url)} was cancelled.")
        if time.monotonic() >= deadline:
            progress.abandon()
            raise _timeout_error(url, progress.phase, total_timeout)


def _timeout_error(url: str, phase: str, total_timeout: float) -> FetchError:
    shown = _show(url)
    if phase == "body":
        return FetchError(
            f"The server at {shown} did not finish sending the page "
            f"within {_seconds(total_timeout)}."
        )
    return FetchError(f"The server at {shown} did not answer within {_seconds(total_timeout)}.")


class _Cancelled(Exception):
    """The caller gave up waiting; the thread just stops."""


def _download(
    url: str,
    connect_timeout: float,
    total_timeout: float,
    max_bytes: int,
    progress: _Progress,
    extra_headers: dict[str, str],
) -> Resource:
    timeout = httpx.Timeout(total_timeout, connect=connect_timeout)
    headers = {"User-Agent": USER_AGENT, "Accept": ACCEPT, "Accept-Encoding": "gzip, deflate, br"}
    transport = httpx.HTTPTransport()
    # httpx offers no public hook for the network backend; its pool takes one, and without it
    # a cancelled download would hold its socket and thread until the server answered.
    pool = getattr(transport, "_pool", None)
    if hasattr(pool, "_network_backend"):
        pool._network_backend = progress.sockets  # type: ignore[union-attr]
    with httpx.Client(
        timeout=timeout,
        follow_redirects=True,
        max_redirects=MAX_REDIRECTS,
        headers=headers,
        transport=transport,
    ) as client:
        with client.stream("GET", url, headers=extra_headers) as response:
            progress.phase = "body"
            final = str(response.url)
            if response.status_code == 304 and extra_headers:
                return Resource(url=final, data=b"", status=304, **_validators(response))
            _check_status(response, final)
            data = _read_body(response, _show(final), max_bytes, progress)
    return Resource(
        url=final,
        data=data,
        content_type=response.headers.get("content-type"),
        language=header_language(response.headers.get("content-language")),
        **_validators(response),
    )


def _validators(response: httpx.Response) -> dict[str, str | None]:
    return {
        "etag": response.headers.get("etag"),
        "last_modified": response.headers.get("last-modified"),
    }


def _check_status(response: httpx.Response, url: str) -> None:
    code = response.status_code
    if code < 300:
        return
    shown = _show(url)
    if code in (404, 410):
        raise FetchError(f"The page {shown} was not found (HTTP {code}).")
    if code in (401, 403, 407):
        raise FetchError(f"The server refused access to {shown} (HTTP {code}).")
    if code == 429:
        raise FetchError(f"The server at {shown} is too busy; try again later (HTTP 429).")
    if code >= 500:
        raise FetchError(f"The server at {shown} failed with an error (HTTP {code}).")
    if code >= 400:
        raise FetchError(f"The server refused the request for {shown} (HTTP {code}).")
    raise FetchError(f"The server at {shown} answered with a redirect reader cannot follow.")


def _read_body(response: httpx.Response, shown: str, max_bytes: int, progress: _Progress) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.strip().isdigit() and int(declared) > max_bytes:
        raise _too_large(shown, max_bytes)
    decode = _decoder(response.headers.get("content-encoding", ""), shown)
    # A list of chunks, joined once at the end: no growing buffer that reallocates.
    pieces: list[bytes] = []
    size = 0
    for raw in _raw_chunks(response, progress):
        for piece in decode(raw):
            pieces.append(piece)
            size += len(piece)
            if size > max_bytes:
                raise _too_large(shown, max_bytes)
    return b"".join(pieces)


def _raw_chunks(response: httpx.Response, progress: _Progress) -> Iterator[bytes]:
    for raw in response.iter_raw(CHUNK):
        if progress.cancel.is_set():
            raise _Cancelled()
        yield raw
    yield b""  # end of stream: decoders flush


def _http_error(
    url: str, exc: BaseException, connect_timeout: float, total_timeout: float
) -> BaseException:
    """Turn whatever the download raised into a one-sentence FetchError."""
    if isinstance(exc, FetchError):
        return exc
    shown = _show(url)
    host = _host(url)
    if isinstance(exc, httpx.ConnectTimeout):
        return FetchError(f"Could not connect to {host} within {_seconds(connect_timeout)}.")
    if isinstance(exc, httpx.TimeoutException):
        return FetchError(f"The server at {shown} did not answer within {_seconds(total_timeout)}.")
    if isinstance(exc, httpx.TooManyRedirects):
        return FetchError(
            f"The page {shown} redirects more than {MAX_REDIRECTS} times, probably in a loop."
        )
    if isinstance(exc, httpx.ConnectError):
        return FetchError(_connect_message(host, exc))
    if isinstance(exc, httpx.UnsupportedProtocol):
        return FetchError(f"{shown} redirected to an address reader cannot open.")
    if isinstance(exc, httpx.InvalidURL | httpx.LocalProtocolError) and "://" in url:
        return FetchError(f"{shown} is not a valid web address.")
    if isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError):
        return FetchError(f"The server at {shown} broke off the connection ({_reason(exc)}).")
    if isinstance(exc, httpx.HTTPError | OSError):
        return FetchError(f"Could not fetch {shown}: {_reason(exc)}.")
    if isinstance(exc, Exception):
        return FetchError(f"Could not read {shown}: {_reason(exc)}.")
    return exc  # KeyboardInterrupt and friends pass through untouched


def _host_of(url: str) -> str | None:
    try:
        return urlsplit(url).hostname
    except ValueError:
        return None


def _host(url: str) -> str:
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return _show(url)
    if not host:
        return _show(url)
    host = f"[{host}]" if ":" in host else host
    return message_text(f"{host}:{port}" if port else host)


def _connect_message(host: str, exc: httpx.ConnectError) -> str:
    text = str(exc).lower()
    if "refused" in text:
        return f"Could not connect to {host}: connection refused."
    if any(
        hint in text
        for hint in ("name or service", "nodename nor servname", "name resolution", "getaddrinfo")
    ):
        return f"Could not find the server {host}; check the address and the internet connection."
    if "certificate" in text or "ssl" in text:
        return f"Could not make a secure connection to {host}: {_reason(exc)}."
    if "unreachable" in text:
        return f"Could not reach {host}: the network is unreachable."
    return f"Could not connect to {host}: {_reason(exc)}."


# --------------------------------------------------------------------------- content decoding
# Decompression is done here, not by httpx, so the size cap also bounds what a small
# compressed "bomb" expands to: no decoder ever yields more than CHUNK bytes at a time.

Decoder = Callable[[bytes], Iterator[bytes]]


def _decoder(header: str, shown: str) -> Decoder:
    names = [n.strip().lower() for n in header.split(",") if n.strip()]
    stages: list[Decoder] = []
    for name in reversed(names):  # the last encoding applied is undone first
        if name in ("gzip", "x-gzip", "deflate"):
            stages.append(_zlib_decoder(name == "deflate", shown))
        elif name == "br":
            stages.append(_brotli_decoder(shown))
        elif name != "identity":
            raise FetchError(
                f"The server at {shown} used a compression reader does not know "
                f"({message_text(name)[:20]})."
            )
    return _chain(stages)


def _chain(stages: list[Decoder]) -> Decoder:
    def run(data: bytes, index: int = 0) -> Iterator[bytes]:
        if index == len(stages):
            if data:
                yield data
            return
        for piece in stages[index](data):
            if piece:
                yield from run(piece, index + 1)
        if not data:  # end of stream: let the later stages flush too
            yield from run(b"", index + 1)

    return run


def _zlib_decoder(raw_deflate_allowed: bool, shown: str) -> Decoder:
    state = {"engine": zlib.decompressobj(32 + zlib.MAX_WBITS), "started": False}

    def decode(data: bytes) -> Iterator[bytes]:
        engine = state["engine"]
        if engine.eof:
            return  # trailing bytes after the stream end are ignored
        try:
            yield from _inflate(engine, data)
            state["started"] = True
        except zlib.error as exc:
            if raw_deflate_allowed and not state["started"]:
                # Some servers send raw deflate without the zlib header.
                state["engine"] = zlib.decompressobj(-zlib.MAX_WBITS)
                state["started"] = True
                yield from _inflate(state["engine"], data)
                return
            raise _bad_compression(shown) from exc

    return decode


def _inflate(engine, data: bytes) -> Iterator[bytes]:
    while True:
        out = engine.decompress(data, CHUNK)
        data = engine.unconsumed_tail
        if out:
            yield out
        if (not out and not data) or engine.eof:
            return


def _brotli_decoder(shown: str) -> Decoder:
    engine = brotli.Decompressor()

    def decode(data: bytes) -> Iterator[bytes]:
        if not data:
            return
        try:
            yield engine.process(data, output_buffer_limit=CHUNK)
            while not engine.can_accept_more_data():
                yield engine.process(b"", output_buffer_limit=CHUNK)
        except brotli.error as exc:
            raise _bad_compression(shown) from exc

    return decode


def _bad_compression(shown: str) -> FetchError:
    return FetchError(f"The server at {shown} sent a compressed page that could not be unpacked.")


# --------------------------------------------------------------------------- bytes -> Page

_MAGIC: list[tuple[bytes, int, str]] = [
    (b"%PDF-", 0, "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", 0, "a PNG image"),
    (b"GIF87a", 0, "a GIF image"),
    (b"GIF89a", 0, "a GIF image"),
    (b"\xff\xd8\xff", 0, "a JPEG image"),
    (b"II*\x00", 0, "a TIFF image"),
    (b"MM\x00*", 0, "a TIFF image"),
    (b"PK\x03\x04", 0, "a ZIP archive"),
    (b"PK\x05\x06", 0, "a ZIP archive"),
    (b"PK\x07\x08", 0, "a ZIP archive"),
    (b"\x1f\x8b", 0, "a gzip archive"),
    (b"\xfd7zXZ\x00", 0, "an XZ archive"),
    (b"7z\xbc\xaf\x27\x1c", 0, "a 7-Zip archive"),
    (b"Rar!\x1a\x07", 0, "a RAR archive"),
    (b"ustar", 257, "a tar archive"),
    (b"OggS", 0, "an audio or video file"),
    (b"fLaC", 0, "an audio file"),
    (b"\x1aE\xdf\xa3", 0, "a video"),
    (b"ftyp", 4, "an audio or video file"),
    (b"wOFF", 0, "a font"),
    (b"wOF2", 0, "a font"),
    (b"\x7fELF", 0, "a program"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 0, "an office document"),
    (b"{\\rtf", 0, "an RTF document"),
    (b"SQLite format 3\x00", 0, "a database file"),
]

_REFUSED_TYPES: dict[str, str] = {
    "application/pdf": "a PDF document",
    "application/zip": "a ZIP archive",
    "application/x-zip-compressed": "a ZIP archive",
    "application/gzip": "a gzip archive",
    "application/x-gzip": "a gzip archive",
    "application/x-tar": "a tar archive",
    "application/x-7z-compressed": "a 7-Zip archive",
    "application/vnd.rar": "a RAR archive",
    "application/x-rar-compressed": "a RAR archive",
    "application/x-bzip2": "a bzip2 archive",
    "application/x-xz": "an XZ archive",
    "application/java-archive": "a Java archive",
    "application/json": "JSON data",
    "application/javascript": "a script",
    "text/javascript": "a script",
    "text/css": "a stylesheet",
    "application/msword": "an office document",
    "application/rtf": "an RTF document",
    "application/epub+zip": "an e-book",
}

_HTML_TYPES = {"text/html", "application/xhtml+xml", "application/vnd.wap.xhtml+xml"}
_HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".xht", ".shtml", ".php", ".asp", ".aspx")
_TEXT_SUFFIXES = (".txt", ".text", ".md", ".markdown", ".rst")
_HTML_START = re.compile(
    r"\A(?:\s|<!--.*?-->|<\?xml[^>]*>)*<(?:!doctype\s+html|html[\s>])", re.I | re.S
)
_HTML_TAG = re.compile(
    r"<(?:html|head|body|title|meta|p|div|article|main|section|h[1-6]|br|ul|ol|table|a\s)[\s/>]",
    re.I,
)
_XML_DECLARATION = re.compile(r"\A\s*<\?xml[^>]*\?>", re.I)


def _to_page(
    data: bytes,
    url: str,
    shown: str,
    content_type: str | None,
    name: str,
    language: str | None = None,
) -> Page:
    if not data.strip(b" \t\r\n\f\x00"):
        raise FetchError(f"{shown} is empty; there is nothing to read.")
    media_type, charset = _parse_content_type(content_type)
    kind = _magic_kind(data)
    if kind:
        raise FetchError(f"{shown} is {kind}, not a web page; {READS_ELSEWHERE}.")
    if _looks_binary(data):  # whatever the server claims
        raise FetchError(f"{shown} is a binary file, not a web page; {READS_ELSEWHERE}.")
    text = _decode(data, charset)
    is_html = _is_html(text, media_type, name, shown)
    if is_html:
        # The bytes are decoded now; an encoding declaration would only confuse parsers.
        text = _XML_DECLARATION.sub("", text, count=1)
        text = CHAR_REFERENCE.sub(reference_for_cleaning, text)
    text = strip_raw_controls(text)
    if not text.strip():
        raise FetchError(f"{shown} is empty; there is nothing to read.")
    return Page(text=text, url=url, is_html=is_html, language=language)


def _parse_content_type(header: str | None) -> tuple[str | None, str | None]:
    if not header:
        return None, None
    parts = header.split(";")
    media_type = parts[0].strip().lower() or None
    charset = None
    for param in parts[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip("\"'") or None
    return media_type, charset


def _magic_kind(data: bytes) -> str | None:
    for magic, offset, kind in _MAGIC:
        if data[offset : offset + len(magic)] == magic:
            return kind
    if data.lstrip()[:5] == b"%PDF-":
        return "a PDF document"
    return None


def _is_html(text: str, media_type: str | None, name: str, shown: str) -> bool:
    clearly_html = bool(_HTML_START.match(text[:4096]))
    if media_type in _HTML_TYPES:
        return True
    if media_type is not None:
        refusal = _refused_type(media_type)
        if refusal and not clearly_html:
            raise FetchError(f"{shown} is {refusal}, not a web page; {READS_ELSEWHERE}.")
        if media_type in ("application/xml", "text/xml") or media_type.endswith("+xml"):
            if clearly_html or re.search(r"<html[\s>]", text[:4096], re.I):
                return True
            raise FetchError(f"{shown} is an XML document, not a web page; {READS_ELSEWHERE}.")
        if media_type.startswith("text/"):
            return clearly_html
    # No type, octet-stream or an unknown type: decide from the text and the name.
    if clearly_html:
        return True
    lower = name.lower()
    if lower.endswith(_HTML_SUFFIXES):
        return True
    if lower.endswith(_TEXT_SUFFIXES):
        return False
    return bool(_HTML_TAG.search(text[:8192]))


def _refused_type(media_type: str) -> str | None:
    if media_type in _REFUSED_TYPES:
        return _REFUSED_TYPES[media_type]
    for prefix, kind in (
        ("image/", "an image"),
        ("audio/", "an audio file"),
        ("video/", "a video"),
        ("font/", "a font"),
    ):
        if media_type.startswith(prefix):
            return kind
    if media_type.endswith("+json"):
        return "JSON data"
    if "officedocument" in media_type or "opendocument" in media_type:
        return "an office document"
    return None


_BINARY_BYTES = bytes(b for b in range(32) if b not in b"\t\n\r\f\x1b") + b"\x7f"


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if _bom_codec(sample) or _utf16_without_bom(sample):
        return False
    controls = len(sample) - len(sample.translate(None, _BINARY_BYTES))
    return controls > max(8, len(sample) // 10)


# --------------------------------------------------------------------------- charsets

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]
# WHATWG: pages labelled Latin-1 or ASCII are decoded as windows-1252, a superset.
_ALIASES = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "utf8mb4": "utf-8",
    "x-sjis": "shift_jis",
    "unicode-1-1-utf-8": "utf-8",
}
_NEVER = {"utf-7", "utf_7", "u7"}  # unsafe and never a real page's encoding
_META_CHARSET = re.compile(rb"<meta\b[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_:.\-]+)", re.I)
_XML_ENCODING = re.compile(rb"\A\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9_.\-]+)", re.I)


def _decode(data: bytes, header_charset: str | None) -> str:
    """BOM, then the HTTP charset, then <meta>/XML declaration, then detection."""
    bom = _bom_codec(data)
    if bom:
        codec, size = bom
        return data[size:].decode(codec, "replace")
    utf16 = _utf16_without_bom(data[:8192])
    if utf16:
        return data.decode(utf16, "replace")
    for declared in (header_charset, _declared_in_document(data)):
        codec = _codec(declared)
        if codec is None:
            continue
        text = _decode_declared(data, codec)
        if text is not None:
            return text
    return _decode_undeclared(data)


def _bom_codec(data: bytes) -> tuple[str, int] | None:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec, len(bom)
    return None


def _utf16_without_bom(sample: bytes) -> str | None:
    """UTF-16 text of mostly ASCII has a zero in every other byte."""
    half = len(sample) // 2
    if half < 8:
        return None
    even = sample[0::2].count(0) / half
    odd = sample[1::2].count(0) / half
    if odd > 0.4 and even < 0.05:
        return "utf-16-le"
    if even > 0.4 and odd < 0.05:
        return "utf-16-be"
    return None


def _declared_in_document(data: bytes) -> str | None:
    head = data[:16384]
    match = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    if not match:
        return None
    name = match.group(1).decode("ascii", "replace")
    # A UTF-16 label inside an 8-bit readable document is always wrong (WHATWG).
    return "utf-8" if name.lower().startswith("utf-16") else name


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    key = name.strip().strip("\"'").lower()
    key = _ALIASES.get(key, key)
    if key in _NEVER:
        return None
    try:
        info = codecs.lookup(key)
    except LookupError:
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in _NEVER:
        return None  # base64, rot13, zlib... are not character sets
    return info.name


def _decode_declared(data: bytes, codec: str) -> str | None:
    """Decode with the declared charset, or None when the declaration is clearly wrong."""
    if codec == "utf-8":
        return _decode_utf8(data)
    if _is_single_byte(codec) and _has_utf8_multibyte(data):
        strict_utf8 = _strict(data, "utf-8")
        if strict_utf8 is not None:
            # Valid multi-byte UTF-8 is almost never legacy text: the label is wrong.
            return strict_utf8
    return _strict(data, codec)


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _decode_utf8(data: bytes) -> str | None:
    """UTF-8, also when a few stray cp1252 bytes crept in; None when it is not UTF-8."""
    text = _strict(data, "utf-8")
    if text is not None:
        return text
    multibyte = len(_UTF8_MULTIBYTE.findall(data))
    if multibyte == 0:
        return None
    invalid = data.decode("utf-8", "replace").count("\ufffd") - data.count(b"\xef\xbf\xbd")
    if multibyte >= 2 * invalid:
        return data.decode("utf-8", "reader-cp1252")
    return None


def _is_single_byte(codec: str) -> bool:
    try:
        return len(bytes(range(128, 256)).decode(codec, "replace")) == 128
    except (LookupError, ValueError, TypeError):
        return False


_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


def _has_utf8_multibyte(data: bytes) -> bool:
    return _UTF8_MULTIBYTE.search(data) is not None


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    chunk = error.object[error.start : error.end]
    return chunk.decode("cp1252", "replace"), error.end


codecs.register_error("reader-cp1252", _cp1252_fallback)


def _decode_undeclared(data: bytes) -> str:
    text = _decode_utf8(data)
    if text is not None:
        return text
    codec = _detect(data[:200_000])  # a sample is enough and keeps big pages fast
    return data.decode(codec or "cp1252", "replace")


def _detect(data: bytes) -> str | None:
    """charset-normalizer's guess, preferring windows-1252 when it ties with the best.

    The detector cannot tell western single-byte code pages apart on short text and may
    pick an exotic one; windows-1252 is by far the most common on the web.
    """
    try:
        matches = list(charset_normalizer.from_bytes(data))
    except Exception:  # the detector is best effort; never fail a page because of it
        return None
    if not matches:
        return None
    best = matches[0]
    for match in matches:
        # On a short western text a Baltic or Central European code page can score a
        # hair better ("brūlée" for "brûlée"); a close windows-1252 result wins then.
        close = match.chaos <= best.chaos + 0.1 and match.coherence >= best.coherence - 0.05
        if close and {"cp1252", "latin_1"} & set(match.could_be_from_charset):
            return "cp1252"
    return best.encoding

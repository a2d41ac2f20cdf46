"""HTTP(S): the download runs in its own thread so the caller's wait is bounded by a wall-clock
limit and can be cancelled at once; every failure becomes one sentence (FetchError)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpcore
import httpx

from reader import __version__
from reader.errors import FetchCancelled, FetchError
from reader.source.compression import CHUNK, decoder
from reader.source.messages import reason_of, seconds_text, show, too_large
from reader.source.page import Resource
from reader.text import header_language, message_text, said_host, said_page

USER_AGENT = f"Mozilla/5.0 (compatible; reader/{__version__}; accessible text-to-speech reader)"
ACCEPT = "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.1"
MAX_REDIRECTS = 10


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


def fetch_http(
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
        raise FetchError(f"{show(url)} is not a valid web address.")
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
            raise FetchCancelled(f"Loading {show(url)} was cancelled.")
        if time.monotonic() >= deadline:
            progress.abandon()
            raise _timeout_error(url, progress.phase, total_timeout)


def _timeout_error(url: str, phase: str, total_timeout: float) -> FetchError:
    shown, host, within = show(url), said_host(url), seconds_text(total_timeout)
    if phase == "body":
        return FetchError(
            f"The server at {shown} did not finish sending the page within {within}.",
            said=f"The server at {host} did not finish sending the page within {within}.",
        )
    return FetchError(
        f"The server at {shown} did not answer within {within}.",
        said=f"The server at {host} did not answer within {within}.",
    )


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
            data = _read_body(response, show(final), max_bytes, progress)
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
    # Shown with the address and the status, said with the page and site in words (a whole
    # address read out buried the sentence in a user trial).
    shown, page, host = show(url), said_page(url), said_host(url)
    if code in (404, 410):
        raise FetchError(
            f"The page {shown} was not found (HTTP {code}).",
            said=f"The page {page} was not found.",
        )
    if code in (401, 403, 407):
        raise FetchError(
            f"The server refused access to {shown} (HTTP {code}).",
            said=f"The server refused access to the page {page}.",
        )
    if code == 429:
        raise FetchError(
            f"The server at {shown} is too busy; try again later (HTTP 429).",
            said=f"The server at {host} is too busy; try again later.",
        )
    if code >= 500:
        raise FetchError(
            f"The server at {shown} failed with an error (HTTP {code}).",
            said=f"The server at {host} failed with an error.",
        )
    if code >= 400:
        raise FetchError(
            f"The server refused the request for {shown} (HTTP {code}).",
            said=f"The server refused the request for the page {page}.",
        )
    raise FetchError(
        f"The server at {shown} answered with a redirect reader cannot follow.",
        said=f"The server at {host} answered with a redirect reader cannot follow.",
    )


def _read_body(response: httpx.Response, shown: str, max_bytes: int, progress: _Progress) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.strip().isdigit() and int(declared) > max_bytes:
        raise too_large(shown, max_bytes)
    decode = decoder(response.headers.get("content-encoding", ""), shown)
    # A list of chunks, joined once at the end: no growing buffer that reallocates.
    pieces: list[bytes] = []
    size = 0
    for raw in _raw_chunks(response, progress):
        for piece in decode(raw):
            pieces.append(piece)
            size += len(piece)
            if size > max_bytes:
                raise too_large(shown, max_bytes)
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
    shown, page, site = show(url), said_page(url), said_host(url)
    host = _host(url)
    if isinstance(exc, httpx.ConnectTimeout):
        return FetchError(f"Could not connect to {host} within {seconds_text(connect_timeout)}.")
    if isinstance(exc, httpx.TimeoutException):
        within = seconds_text(total_timeout)
        return FetchError(
            f"The server at {shown} did not answer within {within}.",
            said=f"The server at {site} did not answer within {within}.",
        )
    if isinstance(exc, httpx.TooManyRedirects):
        loop = f"redirects more than {MAX_REDIRECTS} times, probably in a loop."
        return FetchError(f"The page {shown} {loop}", said=f"The page {page} {loop}")
    if isinstance(exc, httpx.ConnectError):
        return FetchError(_connect_message(host, exc))
    if isinstance(exc, httpx.UnsupportedProtocol):
        return FetchError(f"{shown} redirected to an address reader cannot open.")
    if isinstance(exc, httpx.InvalidURL | httpx.LocalProtocolError) and "://" in url:
        return FetchError(f"{shown} is not a valid web address.")
    if isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError):
        return FetchError(
            f"The server at {shown} broke off the connection ({reason_of(exc)}).",
            said=f"The server at {site} broke off the connection.",
        )
    if isinstance(exc, httpx.HTTPError | OSError):
        reason = reason_of(exc)
        return FetchError(
            f"Could not fetch {shown}: {reason}.", said=f"Could not fetch {page}: {reason}."
        )
    if isinstance(exc, Exception):
        reason = reason_of(exc)
        return FetchError(
            f"Could not read {shown}: {reason}.", said=f"Could not read {page}: {reason}."
        )
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
        return show(url)
    if not host:
        return show(url)
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
        return f"Could not make a secure connection to {host}: {reason_of(exc)}."
    if "unreachable" in text:
        return f"Could not reach {host}: the network is unreachable."
    return f"Could not connect to {host}: {reason_of(exc)}."

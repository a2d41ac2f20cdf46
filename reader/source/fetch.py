"""The one way to fetch: a page from the web, a local file or stdin, decoded into a Page
(`fetch`), or the raw bytes at an address for a feed (`fetch_resource`).

Everything that can go wrong becomes a FetchError whose message is one plain sentence
naming the problem and the source; no other exception leaves this module.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from reader.errors import FetchError
from reader.model import Page
from reader.source.files import file_url_path, local_exists, read_file, read_file_bytes, read_stdin
from reader.source.http import fetch_http
from reader.source.messages import reason_of, show
from reader.source.page import Resource, html_page, page_from_resource
from reader.text import message_text

__all__ = ["Resource", "fetch", "fetch_resource", "html_page", "page_from_resource"]

TIMEOUT_ENV = "READER_FETCH_TIMEOUT"


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
    connect_timeout, total_timeout = _timeouts(connect_timeout, total_timeout)
    with _only_fetch_errors(source):
        return _fetch(source, connect_timeout, total_timeout, max_bytes, cancel)


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
    connect_timeout, total_timeout = _timeouts(connect_timeout, total_timeout)
    source = (source or "").strip()
    with _only_fetch_errors(source):
        if _scheme(source) in ("http", "https"):
            headers = _conditional_headers(validators or {})
            return fetch_http(source, connect_timeout, total_timeout, max_bytes, cancel, headers)
        path = file_url_path(source) if _scheme(source) == "file" else Path(source).expanduser()
        data = read_file_bytes(path, source, show(source), max_bytes)
        return Resource(url=os.path.abspath(path), data=data)


@contextmanager
def _only_fetch_errors(source: str) -> Iterator[None]:
    """The promise: only FetchError leaves this module, whatever went wrong below."""
    try:
        yield
    except FetchError:
        raise
    except Exception as exc:
        raise FetchError(f"Could not read {show(source)}: {reason_of(exc)}.") from exc


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
        return read_stdin(max_bytes)
    scheme = _scheme(source)
    if scheme in ("http", "https"):
        return page_from_resource(
            fetch_http(source, connect_timeout, total_timeout, max_bytes, cancel)
        )
    if scheme == "file":
        return read_file(file_url_path(source), source, max_bytes)
    if scheme is not None and not local_exists(source):
        raise FetchError(
            f"Unsupported address scheme '{message_text(scheme)[:20]}:'; "
            "use http, https, a file path or -."
        )
    return read_file(Path(source).expanduser(), source, max_bytes)


def _timeouts(connect_timeout: float, total_timeout: float) -> tuple[float, float]:
    """(connect, total) seconds: the total capped by READER_FETCH_TIMEOUT, and the connect
    time never longer than the total."""
    raw = os.environ.get(TIMEOUT_ENV, "").strip()
    try:
        cap = float(raw) if raw else None
    except ValueError:
        cap = None
    if cap is not None and cap > 0:
        total_timeout = min(total_timeout, cap)
    return min(connect_timeout, total_timeout), total_timeout


def _scheme(source: str) -> str | None:
    match = re.match(r"([A-Za-z][A-Za-z0-9+.\-]*):", source)
    # One letter is a Windows drive ("C:\\..."), not a scheme.
    if match and len(match.group(1)) > 1:
        return match.group(1).lower()
    return None

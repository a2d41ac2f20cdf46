"""`reader serve`: the same reader app in a web browser, through textual-serve.

The server runs ``python -m reader [SOURCE]`` once per browser page (each page is its own app
process, talking to the page over a websocket). Speech is produced by that process, so it plays
on the machine running the server -- the right thing for the usual ``127.0.0.1`` case.

Font size. textual-serve reads the page's font size only when the page loads (``?fontsize=N``
in the URL; xterm.js cannot change it later without reloading). So:

* levels 1-5 map to real CSS pixel sizes, ``fontsize_for_level``: 16, 24, 32, 40, 48 px;
* a bare ``http://host:port/`` redirects to ``?fontsize=<size of the saved font_size level>``
  (settings are read on every such request, so the page opens at the user's level);
* when the user changes level inside a served app, the app should save its settings and
  position, then call ``reload_at_level(app, level)``: that asks the browser (Textual's
  ``App.open_url(url, new_tab=False)`` -> ``window.open(url, "_self")`` in textual-serve's page
  script) to load ``serve_url(level)``. The page reloads at the new size and a fresh app process
  starts -- it must resume the article from the saved position (and should skip re-announcing
  the welcome).
* Not possible: changing the size without a reload, or telling the app process the page's size
  (the websocket URL carries only width/height). In the browser, large print is best done by
  the page font size with level-1 text in the app; the app may still draw big glyphs on top.

The page template is textual-serve's own, adjusted for this product: ``lang`` and a ``<title>``,
a black page, no fade-in transitions, and no request to Google Fonts (works offline, leaks
nothing). If a future textual-serve changes its template the adjustments are skipped, not fatal.

API: ``main(port=8000, font_size=None, host="127.0.0.1", source=None, app_args=())``,
``fontsize_for_level``, ``level_for_fontsize``, ``serve_url``, ``is_served``, ``reload_at_level``.
"""

from __future__ import annotations

import atexit
import os
import shlex
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import textual_serve
from aiohttp import web
from textual_serve.server import Server

from reader.errors import ReaderError

FONT_SIZES = {1: 16, 2: 24, 3: 32, 4: 40, 5: 48}  # level -> CSS px
MIN_FONTSIZE, MAX_FONTSIZE = 8, 96  # px accepted in ?fontsize= (others are clamped)
SERVE_URL_ENV = "READER_SERVE_URL"  # set for the app processes: the page's base URL
DEFAULT_BASE_URL = "http://127.0.0.1:8000/"
TITLE = "reader"


def fontsize_for_level(level: int) -> int:
    """CSS pixel font size for a font-size level (clamped to 1-5)."""
    return FONT_SIZES[min(max(int(level), 1), 5)]


def level_for_fontsize(pixels: int) -> int:
    """The level whose page font size is nearest to `pixels`."""
    return min(FONT_SIZES, key=lambda level: (abs(FONT_SIZES[level] - pixels), level))


def serve_url(level: int, base: str | None = None) -> str:
    """The page URL that opens the served reader at `level`'s font size.

    `base` defaults to $READER_SERVE_URL (set by `main` for the app processes it starts).
    """
    base = base or os.environ.get(SERVE_URL_ENV) or DEFAULT_BASE_URL
    if not base.endswith("/"):
        base += "/"
    return f"{base}?{urlencode({'fontsize': fontsize_for_level(level)})}"


def is_served() -> bool:
    """True inside an app process started by textual-serve (it sets TEXTUAL_DRIVER)."""
    return "web_driver" in os.environ.get("TEXTUAL_DRIVER", "")


def reload_at_level(app: Any, level: int) -> bool:
    """In a served app, reload the browser page at `level`'s font size and return True;
    otherwise do nothing and return False. Save settings and position *before* calling: the
    page reload ends this app process."""
    if not is_served():
        return False
    app.open_url(serve_url(level), new_tab=False)
    return True


def app_command(source: str | None = None, app_args: Sequence[str] = ()) -> str:
    """The shell command textual-serve runs for each page: this Python, `-m reader`."""
    argv = [sys.executable, "-m", "reader", *app_args]
    if source:
        argv.append(source)
    return shlex.join(argv)


class ReaderServer(Server):
    """textual-serve's Server, opening bare URLs at the user's font size."""

    def __init__(self, command: str, *, default_level: int | None = None, **kwargs: Any) -> None:
        super().__init__(command, **kwargs)
        self.default_level = default_level

    async def handle_index(self, request: web.Request) -> Any:
        wanted = request.query.get("fontsize")
        size = _parse_size(wanted)
        if size is None:
            size = fontsize_for_level(self._level())
        if wanted != str(size):
            query = dict(request.query)
            query["fontsize"] = str(size)
            raise web.HTTPFound(location=f"{request.path}?{urlencode(query)}")
        return await super().handle_index(request)

    def _level(self) -> int:
        if self.default_level is not None:
            return self.default_level
        from reader.settings import load_settings  # read per request: the level may change

        return load_settings()[0].font_size


def _parse_size(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        number = int(value)
    except ValueError:
        return None
    return min(max(number, MIN_FONTSIZE), MAX_FONTSIZE)


def template_dir() -> Path:
    """A directory holding textual-serve's page template with reader's adjustments."""
    original = Path(textual_serve.__file__).parent / "templates" / "app_index.html"
    html = original.read_text(encoding="utf-8")
    adjusted = _adjust_template(html)
    directory = Path(tempfile.mkdtemp(prefix="reader-serve-"))
    atexit.register(shutil.rmtree, directory, ignore_errors=True)
    (directory / "app_index.html").write_text(adjusted, encoding="utf-8")
    return directory


def _adjust_template(html: str) -> str:
    replacements = [
        ("<html>", '<html lang="en">'),
        ("<head>", "<head>\n    <title>{{ application.name }}</title>", 1),
        ("background: #0c181f;", "background: #000000;"),
        ("transition: opacity 0.3s ease-out;", "transition: none;"),
    ]
    for old, new, *count in replacements:
        html = html.replace(old, new, *count)
    # Drop the Google Fonts stylesheet: the page script falls back to local monospace fonts.
    start = html.find('<link\n      rel="stylesheet"\n      href="https://fonts.googleapis.com')
    if start != -1:
        end = html.find("/>", start)
        if end != -1:
            html = html[:start] + html[end + 2 :]
    return html


def main(
    port: int = 8000,
    font_size: int | None = None,
    host: str = "127.0.0.1",
    source: str | None = None,
    app_args: Sequence[str] = (),
) -> int:
    """Serve the reader on http://host:port/ until Ctrl+C or SIGTERM. Returns 0.

    `font_size` is a level 1-5 for pages opened without ?fontsize= (default: the saved
    setting). `source` is opened by every page; `app_args` go to `python -m reader`.
    Raises ReaderError (one sentence) when the port cannot be used.
    """
    level = None if font_size is None else min(max(int(font_size), 1), 5)
    base = f"http://{host}:{port}/"
    os.environ[SERVE_URL_ENV] = base  # inherited by the app processes
    server = ReaderServer(
        app_command(source, app_args),
        default_level=level,
        host=host,
        port=port,
        title=TITLE,
        templates_path=template_dir(),
    )
    try:
        server.serve()
    except OSError as err:
        reason = err.strerror or str(err)
        raise ReaderError(f"Could not serve on {host} port {port}: {reason}.") from err
    return 0

"""`reader serve`: the same reader app in a web browser, through textual-serve.

The server runs ``python -m reader [SOURCE]`` once per browser page (each page is its own app
process, talking to the page over a websocket). Speech is produced by that process, so it plays
on the machine running the server -- the right thing for the usual ``127.0.0.1`` case.

Locked like Jupyter or code-server. A page's app can open any file or URL the user can, so the
server must answer only its owner's browser:

* a random secret token per launch, in the printed address (``/?token=...``); the first page
  load sets it as a cookie (HttpOnly, SameSite=Strict, named after the port so two servers do
  not overwrite each other's), which the page's own requests (script, websocket) then carry.
  Any request without the token is refused (403);
* ``Host`` and, when sent, ``Origin`` must name the served address (for a loopback bind also
  ``localhost``/``127.0.0.1``/``[::1]``), else 403: a page on another site cannot open the
  websocket, and a DNS-rebound name (``evil.example`` resolving to 127.0.0.1) is not served;
* a non-loopback ``--host`` is refused unless ``allow_remote``, and then a warning is printed;
* at most ``max_sessions`` pages at once (each costs a few processes and ~65 MB): when full, a
  page and websocket get a one-sentence 503 page and no app process is started.

Font size. textual-serve reads the page's font size only when the page loads (``?fontsize=N``
in the URL; xterm.js cannot change it later without reloading). So:

* levels 1-5 map to real CSS pixel sizes, ``fontsize_for_level``: 16, 24, 32, 40, 48 px;
* a bare ``http://host:port/`` redirects to ``?fontsize=<size of the saved font_size level>``
  (settings are read on every such request, so the page opens at the user's level), keeping
  the token;
* when the user changes level inside a served app, the app should save its settings and
  position, then call ``reload_at_level(app, level)``: that asks the browser (Textual's
  ``App.open_url(url, new_tab=False)`` -> ``window.open(url, "_self")`` in textual-serve's page
  script) to load ``serve_url(level)``, a relative address (the page keeps its host; the token
  cookie goes with it). The page reloads at the new size and a fresh app process starts -- it
  must resume the article from the saved position (and should skip re-announcing the welcome).
  A session that asked for that reload no longer counts against the cap (it is going away).
* Not possible: changing the size without a reload, or telling the app process the page's size
  (the websocket URL carries only width/height). In the browser, large print is best done by
  the page font size with level-1 text in the app; the app may still draw big glyphs on top.

Tab title. The app calls ``show_title(app, title)`` when an article opens; that sends a
``reader_title`` meta packet up the web driver's pipe; the server forwards it to the page as
``["title", text]`` and a small script in the page sets ``document.title`` (textual-serve's own
script ignores message types it does not know).

The page template is textual-serve's own, adjusted for this product: ``lang`` and a ``<title>``,
a black page, no fade-in transitions, no request to Google Fonts (works offline, leaks
nothing), keys go to the terminal as soon as the page loads (textual-serve leaves focus on the
page body, so nothing happened until Tab), and the tab title script. If a future textual-serve
changes its template the adjustments are skipped, not fatal.

The modules: this one is the app side (``fontsize_for_level``, ``level_for_fontsize``,
``serve_url``, ``is_served``, ``reload_at_level``, ``show_title``), light enough for every app
process to import (no aiohttp); ``gate`` decides who may connect (``Gate``, ``is_loopback``);
``page`` holds the adjusted page template and the one-sentence message pages; ``server`` runs
it all: ``main(port=8000, font_size=None, host="127.0.0.1", source=None, app_args=(),
allow_remote=False, max_sessions=4)``.
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlencode

FONT_SIZES = {1: 16, 2: 24, 3: 32, 4: 40, 5: 48}  # level -> CSS px
SERVE_URL_ENV = "READER_SERVE_URL"  # set for the app processes: the page's base URL
DEFAULT_BASE_URL = "http://127.0.0.1:8000/"
TITLE_META = "reader_title"  # meta packet type: app -> server, the tab title
MAX_TITLE = 300  # characters of a tab title


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


def show_title(app: Any, title: str) -> bool:
    """In a served app, make `title` the browser tab's title and return True; otherwise do
    nothing and return False. Textual has no public channel for this, so it goes the way its
    own open_url does: a meta packet on the web driver's pipe, which ReaderServer forwards."""
    driver = getattr(app, "_driver", None)
    write_meta = getattr(driver, "write_meta", None)
    if not is_served() or write_meta is None:
        return False
    write_meta({"type": TITLE_META, "title": title[:MAX_TITLE]})
    return True

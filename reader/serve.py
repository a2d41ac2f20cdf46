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

API: ``main(port=8000, font_size=None, host="127.0.0.1", source=None, app_args=(),
allow_remote=False, max_sessions=4)``, ``fontsize_for_level``, ``level_for_fontsize``,
``serve_url``, ``is_served``, ``reload_at_level``, ``show_title``, ``is_loopback``.
"""

from __future__ import annotations

import asyncio
import atexit
import hmac
import ipaddress
import json
import logging
import os
import secrets
import shlex
import shutil
import signal
import socket
import sys
import tempfile
from collections.abc import Awaitable, Callable, Sequence
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp_jinja2
import textual_serve
from aiohttp import web
from rich.console import Console
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int
from yarl import URL

from reader.errors import ReaderError, UsageError

FONT_SIZES = {1: 16, 2: 24, 3: 32, 4: 40, 5: 48}  # level -> CSS px
MIN_FONTSIZE, MAX_FONTSIZE = 8, 96  # px accepted in ?fontsize= (others are clamped)
SERVE_URL_ENV = "READER_SERVE_URL"  # set for the app processes: the page's base URL
DEFAULT_BASE_URL = "http://127.0.0.1:8000/"
TITLE = "reader"
DEFAULT_MAX_SESSIONS = 4
TITLE_META = "reader_title"  # meta packet type: app -> server, the tab title
MAX_TITLE = 300  # characters of a tab title
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})

log = logging.getLogger("textual-serve")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


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


def app_command(source: str | None = None, app_args: Sequence[str] = ()) -> str:
    """The shell command textual-serve runs for each page: this Python, `-m reader`."""
    argv = [sys.executable, "-m", "reader", *app_args]
    if source:
        argv.append(source)
    return shlex.join(argv)


# --------------------------------------------------------------------------- who may connect


def is_loopback(host: str) -> bool:
    """True for an address only this machine can reach: localhost, 127.x.x.x, ::1."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _is_wildcard(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")).is_unspecified
    except ValueError:
        return False


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _address(netloc: str) -> tuple[str, int] | None:
    """(host, port) of 'host[:port]' as a Host header gives it (port 80 when unsaid)."""
    try:
        url = URL(f"http://{netloc}")
        return (url.host or "").lower(), url.port or 80
    except ValueError:
        return None


def _netloc(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


class Gate:
    """The launch's secret token and the names a request may use for this server."""

    def __init__(self, host: str, port: int, token: str | None = None) -> None:
        self.host, self.port = host.strip("[]"), port
        self.token = token or secrets.token_urlsafe(32)
        self.cookie = f"reader-token-{port}"  # per port: cookies do not tell ports apart
        self.wildcard = _is_wildcard(self.host)
        names = {self.host.lower()}
        if is_loopback(self.host):
            names |= LOOPBACK_NAMES
        if self.wildcard:  # any address of this machine; by name only its own names
            names |= LOOPBACK_NAMES | {socket.gethostname().lower()}
        self.names = frozenset(names)

    def url(self) -> str:
        """The address to open in a browser, token included."""
        shown = socket.gethostname() if self.wildcard else self.host
        return f"http://{_netloc(shown, self.port)}/?{urlencode({'token': self.token})}"

    def names_us(self, netloc: str) -> bool:
        """True if `netloc` (host[:port] as in Host or Origin) is this server's address.
        A DNS-rebound name (evil.example resolving here) is not: only our own names."""
        address = _address(netloc)
        if address is None or address[1] != self.port:
            return False
        return address[0] in self.names or (self.wildcard and _is_ip(address[0]))

    def refusal(self, request: web.Request) -> str | None:
        """Why `request` must be refused (one sentence), or None to serve it."""
        if not self.names_us(request.host):
            return "This server answers only at the address that reader serve printed."
        origin = request.headers.get("Origin")
        if origin is not None and not self._same_site(origin, request.host):
            return "A page from another web site may not use this reader."
        if not self.has_token(request):
            return (
                "This reader needs the address with its secret token that reader serve "
                "printed; open that address."
            )
        return None

    def _same_site(self, origin: str, host: str) -> bool:
        try:
            url = URL(origin)
        except ValueError:
            return False
        if url.scheme != "http" or url.host is None or not self.names_us(url.raw_authority):
            return False
        # Listening on every address, any address of ours is a name: then the page must come
        # from the very address it talks to (another machine's page is never ours).
        return not self.wildcard or _address(url.raw_authority) == _address(host)

    def has_token(self, request: web.Request) -> bool:
        return self._is_token(request.query.get("token")) or self._is_token(
            request.cookies.get(self.cookie)
        )

    def _is_token(self, given: str | None) -> bool:
        # Constant time: a wrong guess says nothing about how much of it was right.
        return given is not None and hmac.compare_digest(given.encode(), self.token.encode())

    def remember(self, request: web.Request, response: web.StreamResponse) -> None:
        """After a load with ?token=, let the page's own requests carry it as a cookie."""
        if response.prepared or not self._is_token(request.query.get("token")):
            return
        if self._is_token(request.cookies.get(self.cookie)):
            return
        response.set_cookie(self.cookie, self.token, path="/", httponly=True, samesite="Strict")

    def middleware(self) -> Any:
        @web.middleware
        async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
            reason = self.refusal(request)
            if reason is not None:
                # The path only: the query may hold a (wrong) token.
                log.warning("Refused %s %s: %s", request.method, request.path, reason)
                return message_page("Not allowed", reason, status=403)
            try:
                response = await handler(request)
            except web.HTTPException as redirect:  # the font-size redirect is raised
                self.remember(request, redirect)
                raise
            self.remember(request, response)
            return response

        return guard


def message_page(title: str, sentence: str, status: int) -> web.Response:
    """A page that says one thing, for a browser and a screen reader: language, title, text."""
    html = (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n"
        "<style>body { background: #000; color: #fff; font: 1.5rem/1.5 sans-serif;"
        " margin: 2rem; }</style>\n</head>\n"
        f"<body>\n<main>\n<h1>{escape(title)}</h1>\n<p>{escape(sentence)}</p>\n</main>\n"
        "</body>\n</html>\n"
    )
    return web.Response(text=html, content_type="text/html", status=status)


# --------------------------------------------------------------------------- the server


class ReaderAppService(AppService):
    """One page's app process: forwards the tab title, notes when its page goes away."""

    leaving = False  # the app asked its page to load another address (font-size reload)

    async def on_meta(self, data: bytes) -> None:
        meta = json.loads(data)
        if meta.get("type") == TITLE_META:
            title = str(meta.get("title", ""))[:MAX_TITLE]
            await self.remote_write_str(json.dumps(["title", title]))
            return
        if meta.get("type") == "open_url" and not meta.get("new_tab"):
            self.leaving = True
        await super().on_meta(data)


class ReaderServer(Server):
    """textual-serve's Server, locked (see the module docstring), opening bare URLs at the
    user's font size."""

    def __init__(
        self,
        command: str,
        *,
        gate: Gate,
        default_level: int | None = None,
        max_sessions: int = DEFAULT_MAX_SESSIONS,
        **kwargs: Any,
    ) -> None:
        super().__init__(command, **kwargs)
        self.gate = gate
        self.default_level = default_level
        self.max_sessions = max_sessions
        self.sessions: set[ReaderAppService] = set()

    def initialize_logging(self) -> None:
        super().initialize_logging()
        # One line per request is noise on a screen reader, and it would show the token.
        logging.getLogger("aiohttp.access").setLevel(logging.WARNING)

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(self.gate.middleware())
        return app

    def serve(self, debug: bool = False) -> None:
        """textual-serve's serve(), but the address is printed once the port listens (a
        browser or test given it at once must find the server there)."""
        self.debug = debug
        self.initialize_logging()
        loop = asyncio.new_event_loop()
        try:
            for signum in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(signum, self.request_exit)
        except NotImplementedError:  # Windows: Ctrl+C still ends run_app
            pass
        web.run_app(
            self._make_app(),
            host=self.host,
            port=self.port,
            handle_signals=False,
            loop=loop,
            print=lambda _running_on: self.announce(),
        )

    async def on_startup(self, app: web.Application) -> None:
        """Nothing: textual-serve prints its logo here, before the port listens."""

    def announce(self) -> None:
        # Plain lines, no logo: read well by a screen reader, and the address is never wrapped.
        say = {"markup": False, "highlight": False, "soft_wrap": True}
        self.console.print(f"reader is served at {self.gate.url()}", **say)
        self.console.print("Open that address in a web browser; press Ctrl+C to stop.", **say)

    def full(self) -> bool:
        return sum(not s.leaving for s in self.sessions) >= self.max_sessions

    def full_page(self) -> web.Response:
        pages = "page" if self.max_sessions == 1 else "pages"
        sentence = (
            f"Reader already has {self.max_sessions} {pages} open, the most it allows; "
            "close one of them, then reload this page."
        )
        return message_page("Reader is full", sentence, status=503)

    async def handle_index(self, request: web.Request) -> Any:
        if self.full():
            return self.full_page()
        wanted = request.query.get("fontsize")
        size = _parse_size(wanted)
        if size is None:
            size = fontsize_for_level(self._level())
        if wanted != str(size):
            query = dict(request.query)  # keeps ?token=
            query["fontsize"] = str(size)
            raise web.HTTPFound(location=f"{request.path}?{urlencode(query)}")
        # textual-serve's own context, but addresses on the host the browser used (checked by
        # the gate): a page opened as localhost must send its cookie to localhost.
        context = {
            "font_size": size,
            "app_websocket_url": f"ws://{request.host}/ws",
            "config": {"static": {"url": "/static/"}},
            "application": {"name": self.title},
        }
        return aiohttp_jinja2.render_template("app_index.html", request, context)

    def _level(self) -> int:
        if self.default_level is not None:
            return self.default_level
        from reader.settings import load_settings  # read per request: the level may change

        return load_settings()[0].font_size

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
        if self.full():  # before any process starts
            return self.full_page()
        websocket = web.WebSocketResponse(heartbeat=15)
        service = ReaderAppService(
            self.command,
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=websocket.close,
            download_manager=self.download_manager,
            debug=self.debug,
        )
        self.sessions.add(service)  # no await since full(): the count cannot be overtaken
        try:
            await self._run_session(request, websocket, service)
        finally:
            self.sessions.discard(service)
        return websocket

    async def _run_session(
        self, request: web.Request, websocket: web.WebSocketResponse, service: AppService
    ) -> None:
        """textual-serve's own websocket session, with our app service."""
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        try:
            await websocket.prepare(request)
            await service.start(width, height)
            try:
                await self._process_messages(websocket, service)
            finally:
                await service.stop()
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:  # one page's failure must not stop the server
            log.exception(error)


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


# Runs after textual-serve's script (which builds the terminal in window.onload).
PAGE_SCRIPT = """
    <script>
      // reader: keys work at once -- textual-serve leaves focus on the page until Tab.
      window.addEventListener("load", () => {
        const keys = document.querySelector("#terminal .xterm-helper-textarea");
        if (keys) keys.focus();
      });
      // reader: the tab title follows the article. The server sends ["title", text] on the
      // page's websocket; textual-serve's script ignores that message type.
      (() => {
        const NativeWebSocket = window.WebSocket;
        window.WebSocket = class extends NativeWebSocket {
          constructor(...args) {
            super(...args);
            this.addEventListener("message", (event) => {
              if (typeof event.data !== "string") return;
              const message = JSON.parse(event.data);
              if (message[0] === "title" && typeof message[1] === "string") {
                document.title = message[1];
              }
            });
          }
        };
      })();
    </script>
  </head>"""


def _adjust_template(html: str) -> str:
    replacements = [
        ("<html>", '<html lang="en">'),
        ("<head>", "<head>\n    <title>{{ application.name }}</title>", 1),
        ("background: #0c181f;", "background: #000000;"),
        ("transition: opacity 0.3s ease-out;", "transition: none;"),
        ("\n  </head>", PAGE_SCRIPT, 1),
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
    allow_remote: bool = False,
    max_sessions: int = DEFAULT_MAX_SESSIONS,
) -> int:
    """Serve the reader on http://host:port/?token=... until Ctrl+C or SIGTERM. Returns 0.

    `font_size` is a level 1-5 for pages opened without ?fontsize= (default: the saved
    setting). `source` is opened by every page; `app_args` go to `python -m reader`.
    A `host` other than this machine's loopback needs `allow_remote` (then a warning is
    printed). At most `max_sessions` pages run at once.
    Raises UsageError for a remote host without `allow_remote` or a cap below 1, and
    ReaderError (one sentence) when the port cannot be used.
    """
    if not is_loopback(host) and not allow_remote:
        raise UsageError(
            f"Serving on {host} would let other machines use this reader and read your files; "
            "add --allow-remote if that is what you want."
        )
    if max_sessions < 1:
        raise UsageError("--max-sessions must be 1 or more.")
    if not is_loopback(host):
        _warn_remote(host, port)
    level = None if font_size is None else min(max(int(font_size), 1), 5)
    os.environ[SERVE_URL_ENV] = "/"  # inherited by the app processes: reload on the page's host
    server = ReaderServer(
        app_command(source, app_args),
        gate=Gate(host, port),
        default_level=level,
        max_sessions=max_sessions,
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


def _warn_remote(host: str, port: int) -> None:
    Console(stderr=True).print(
        f"Warning: reader is open to the network on {host} port {port}, without encryption: "
        "anyone who can reach this machine and sees the address with its token can use the "
        "reader and read your files.",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )

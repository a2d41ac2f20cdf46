"""The server: textual-serve's Server, locked by the gate, capped at a number of pages, opening
bare addresses at the user's font size and forwarding each page's tab title; `main` runs it."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import shlex
import signal
import sys
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

import aiohttp_jinja2
from aiohttp import web
from rich.console import Console
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from reader.errors import ReaderError, UsageError
from reader.serve import MAX_TITLE, SERVE_URL_ENV, TITLE_META, fontsize_for_level
from reader.serve.gate import Gate, is_loopback
from reader.serve.page import message_page, template_dir

MIN_FONTSIZE, MAX_FONTSIZE = 8, 96  # px accepted in ?fontsize= (others are clamped)
TITLE = "reader"
DEFAULT_MAX_SESSIONS = 4

log = logging.getLogger("textual-serve")


def app_command(source: str | None = None, app_args: Sequence[str] = ()) -> str:
    """The shell command textual-serve runs for each page: this Python, `-m reader`."""
    argv = [sys.executable, "-m", "reader", *app_args]
    if source:
        argv.append(source)
    return shlex.join(argv)


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

"""Who may connect: the launch's secret token, and the names (Host, Origin) a request may use
for this server, so that only its owner's browser is answered (see the package docstring)."""

from __future__ import annotations

import hmac
import ipaddress
import logging
import secrets
import socket
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlencode

from aiohttp import web
from yarl import URL

from reader.serve.page import message_page

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})

log = logging.getLogger("textual-serve")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


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

"""Pages served by the test's real HTTP server on 127.0.0.1, with exactly the headers given."""

from __future__ import annotations

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response


def serve(
    httpserver: HTTPServer, path: str, body: bytes, content_type: str | None, **headers: str
) -> str:
    """Serve `body` at `path` with exactly this Content-Type (None: no Content-Type); its URL."""

    def handler(request: Request) -> Response:
        response = Response(body, headers=headers)
        del response.headers["Content-Type"]
        if content_type is not None:
            response.headers["Content-Type"] = content_type
        return response

    httpserver.expect_request(path).respond_with_handler(handler)
    return httpserver.url_for(path)

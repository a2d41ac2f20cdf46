"""The pages reader serves itself: textual-serve's page template with reader's adjustments,
and a page that says one thing (refused, full)."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from html import escape
from pathlib import Path

import textual_serve
from aiohttp import web


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

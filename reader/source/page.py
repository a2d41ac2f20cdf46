"""Bytes judged and decoded into a Page: refused when they are a PDF, an image, an archive or any
other binary (whatever the server claims), then told apart as HTML or plain text.

A Resource is the raw bytes at an address before that judgement: feeds are read from it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from reader.errors import FetchError
from reader.model import Page
from reader.source.charset import bom_codec, decode, utf16_without_bom
from reader.source.messages import show
from reader.text import CHAR_REFERENCE, reference_for_cleaning, strip_raw_controls

READS_ELSEWHERE = "reader reads HTML and plain text"
XML_NOT_A_PAGE = "is an XML document, not a web page"  # the CLI adds how to list a feed


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


def page_from_resource(got: Resource) -> Page:
    """The page in bytes fetched by `fetch_resource`, judged and decoded as `fetch` does."""
    if "://" in got.url:
        name = urlsplit(got.url).path.rsplit("/", 1)[-1]
    else:
        name = Path(got.url).name
    return to_page(got.data, got.url, show(got.url), got.content_type, name, got.language)


def html_page(text: str, url: str, language: str | None = None) -> Page:
    """HTML that came from elsewhere (a feed item's content) made safe the way a fetched
    page is: references to control characters neutralised, escapes and controls removed."""
    text = strip_raw_controls(CHAR_REFERENCE.sub(reference_for_cleaning, text))
    return Page(text=text, url=url, is_html=True, language=language)


# --------------------------------------------------------------------------- the judgement

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


def to_page(
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
    text = decode(data, charset)
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
            raise FetchError(f"{shown} {XML_NOT_A_PAGE}; {READS_ELSEWHERE}.")
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
    if bom_codec(sample) or utf16_without_bom(sample):
        return False
    controls = len(sample) - len(sample.translate(None, _BINARY_BYTES))
    return controls > max(8, len(sample) // 10)

"""Bytes to text: the byte-order mark, then the HTTP charset, then the document's own
<meta>/XML declaration, then detection. Labels are read the WHATWG way (Latin-1 is
windows-1252), and a declaration that is clearly wrong gives way to what the bytes are."""

from __future__ import annotations

import codecs
import re

import charset_normalizer

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]
# WHATWG: pages labelled Latin-1 or ASCII are decoded as windows-1252, a superset.
_ALIASES = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "utf8mb4": "utf-8",
    "x-sjis": "shift_jis",
    "unicode-1-1-utf-8": "utf-8",
}
_NEVER = {"utf-7", "utf_7", "u7"}  # unsafe and never a real page's encoding
_META_CHARSET = re.compile(rb"<meta\b[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_:.\-]+)", re.I)
_XML_ENCODING = re.compile(rb"\A\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9_.\-]+)", re.I)


def decode(data: bytes, header_charset: str | None) -> str:
    """BOM, then the HTTP charset, then <meta>/XML declaration, then detection."""
    bom = bom_codec(data)
    if bom:
        codec, size = bom
        return data[size:].decode(codec, "replace")
    utf16 = utf16_without_bom(data[:8192])
    if utf16:
        return data.decode(utf16, "replace")
    for declared in (header_charset, _declared_in_document(data)):
        codec = _codec(declared)
        if codec is None:
            continue
        text = _decode_declared(data, codec)
        if text is not None:
            return text
    return _decode_undeclared(data)


def bom_codec(data: bytes) -> tuple[str, int] | None:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec, len(bom)
    return None


def utf16_without_bom(sample: bytes) -> str | None:
    """UTF-16 text of mostly ASCII has a zero in every other byte."""
    half = len(sample) // 2
    if half < 8:
        return None
    even = sample[0::2].count(0) / half
    odd = sample[1::2].count(0) / half
    if odd > 0.4 and even < 0.05:
        return "utf-16-le"
    if even > 0.4 and odd < 0.05:
        return "utf-16-be"
    return None


def _declared_in_document(data: bytes) -> str | None:
    head = data[:16384]
    match = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    if not match:
        return None
    name = match.group(1).decode("ascii", "replace")
    # A UTF-16 label inside an 8-bit readable document is always wrong (WHATWG).
    return "utf-8" if name.lower().startswith("utf-16") else name


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    key = name.strip().strip("\"'").lower()
    key = _ALIASES.get(key, key)
    if key in _NEVER:
        return None
    try:
        info = codecs.lookup(key)
    except LookupError:
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in _NEVER:
        return None  # base64, rot13, zlib... are not character sets
    return info.name


def _decode_declared(data: bytes, codec: str) -> str | None:
    """Decode with the declared charset, or None when the declaration is clearly wrong."""
    if codec == "utf-8":
        return _decode_utf8(data)
    if _is_single_byte(codec) and _has_utf8_multibyte(data):
        strict_utf8 = _strict(data, "utf-8")
        if strict_utf8 is not None:
            # Valid multi-byte UTF-8 is almost never legacy text: the label is wrong.
            return strict_utf8
    return _strict(data, codec)


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _decode_utf8(data: bytes) -> str | None:
    """UTF-8, also when a few stray cp1252 bytes crept in; None when it is not UTF-8."""
    text = _strict(data, "utf-8")
    if text is not None:
        return text
    multibyte = len(_UTF8_MULTIBYTE.findall(data))
    if multibyte == 0:
        return None
    invalid = data.decode("utf-8", "replace").count("\ufffd") - data.count(b"\xef\xbf\xbd")
    if multibyte >= 2 * invalid:
        return data.decode("utf-8", "reader-cp1252")
    return None


def _is_single_byte(codec: str) -> bool:
    try:
        return len(bytes(range(128, 256)).decode(codec, "replace")) == 128
    except (LookupError, ValueError, TypeError):
        return False


_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


def _has_utf8_multibyte(data: bytes) -> bool:
    return _UTF8_MULTIBYTE.search(data) is not None


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    chunk = error.object[error.start : error.end]
    return chunk.decode("cp1252", "replace"), error.end


codecs.register_error("reader-cp1252", _cp1252_fallback)


def _decode_undeclared(data: bytes) -> str:
    text = _decode_utf8(data)
    if text is not None:
        return text
    codec = _detect(data[:200_000])  # a sample is enough and keeps big pages fast
    return data.decode(codec or "cp1252", "replace")


def _detect(data: bytes) -> str | None:
    """charset-normalizer's guess, preferring windows-1252 when it ties with the best.

    The detector cannot tell western single-byte code pages apart on short text and may
    pick an exotic one; windows-1252 is by far the most common on the web.
    """
    try:
        matches = list(charset_normalizer.from_bytes(data))
    except Exception:  # the detector is best effort; never fail a page because of it
        return None
    if not matches:
        return None
    best = matches[0]
    for match in matches:
        # On a short western text a Baltic or Central European code page can score a
        # hair better ("brūlée" for "brûlée"); a close windows-1252 result wins then.
        close = match.chaos <= best.chaos + 0.1 and match.coherence >= best.coherence - 0.05
        if close and {"cp1252", "latin_1"} & set(match.could_be_from_charset):
            return "cp1252"
    return best.encoding

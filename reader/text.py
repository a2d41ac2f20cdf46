"""Text rules every layer shares, in one place: page and feed text is untrusted.

Control characters and terminal escapes are removed at each stage the text passes, and each
stage has its own reason to treat them a little differently, so the variants live here side by
side (after trafilatura's utils.py, the one home of its `sanitize` and `trim`):

    strip_raw_controls  fetch: the page as downloaded. Only *terminated* escape strings go, so a
                        stray ESC never swallows the article; form feeds stay (HTML whitespace).
    strip_page_controls content: the text handed to the HTML parser. Controls, lone surrogates
                        and non-characters go, none of which lxml accepts in text.
    one_line            sections: one block's text. Controls and invisible format characters
                        become spaces (a zero-width space still parts two words), then runs of
                        whitespace become one space.
    strip_controls      speech: what is spoken or printed. Invisible format characters vanish
                        (a soft hyphen inside a word), other controls become spaces, line
                        breaks are kept (they end sentences).
    clean               the app: what is shown or said on screen. Control and format characters
                        go, and line breaks become spaces. Callers put the result in `Text`
                        objects, never in markup, so `[` is harmless.
    message_text        a source named in an error message: one clean line.
    said_addresses      an error message for the ear: a web address as its page and site.
    drop_controls       settings: a title as it is stored. Only control characters go.

Character references that would become control characters, and language tags, are read here
too.
"""

from __future__ import annotations

import re
import unicodedata

# ---------------------------------------------------------------- control characters

# Terminal escape sequences, complete: CSI, OSC, DCS/SOS/PM/APC strings, two-character escapes
# (and a lone ESC), the 8-bit CSI.
ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC: window titles, hyperlinks
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC strings
    r"|\x1b[ -/]*[0-~]?"  # two-character escapes (and a lone ESC)
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
)
# The same, but strings only when terminated (and at most 512 characters long).
TERMINATED_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b[\]P^_X][^\x07\x1b]{0,512}?(?:\x07|\x1b\\)"
    r"|\x1b[ -/]*[0-~]"
    r"|\x9b[0-?]*[ -/]*[@-~]"
)
# As the content stage has always read them: no 8-bit CSI (its byte is a C1 control).
PAGE_ESCAPES = re.compile(r"\x1b(?:\[[0-9;?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")
BLOCK_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]?")

RAW_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")  # C0/C1 but tab, LF, FF, CR
PAGE_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
BLOCK_CONTROLS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"  # C0/C1 controls except tab and newlines
    "\u00ad\u200b\u2060\ufeff\ufffe\uffff"  # soft hyphen, zero-width and non-characters
    "\u2028\u2029\u202a-\u202e\u2066-\u2069]"  # line separators, bidi overrides
)
# Invisible format characters and lone surrogates vanish; other controls become spaces.
INVISIBLE = re.compile(
    "[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ud800-\udfff]"
)
CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufff9-\ufffb]")
SPACES = re.compile(r"\s+")
_DROPPED = ("Cc", "Cf", "Cs")  # controls, format characters (bidi overrides), lone surrogates


# The ASCII characters of RAW_CONTROLS and PAGE_CONTROLS (ESC, which starts every escape
# sequence above but the 8-bit CSI, among them).
_RAW_ASCII_CONTROLS = bytes((*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20), 0x7F))
_PAGE_ASCII_CONTROLS = bytes((*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F))


def _ascii_without(text: str, controls: bytes) -> bool:
    """`text` is ASCII and holds none of `controls`: nothing for the patterns above to remove.

    Checked at memory speed: each pattern tries every character of a page from Python's
    regex engine, 0.1-0.3 s a pass over a 9 MB page, and most pages are clean."""
    return text.isascii() and len(text.encode("ascii").translate(None, controls)) == len(text)


def strip_raw_controls(text: str) -> str:
    """Remove NULs, terminated terminal escape sequences and other control characters."""
    if _ascii_without(text, _RAW_ASCII_CONTROLS):
        return text
    return RAW_CONTROLS.sub("", TERMINATED_ESCAPES.sub("", text))


def message_text(text: str) -> str:
    """A source can carry escape codes or line breaks; a message stays one clean line."""
    return " ".join(strip_raw_controls(text).split())


def strip_page_controls(text: str) -> str:
    """Drop NUL/control characters and terminal escapes; keep tabs and newlines."""
    if _ascii_without(text, _PAGE_ASCII_CONTROLS):
        return text
    return PAGE_CONTROLS.sub("", PAGE_ESCAPES.sub("", text))


def one_line(text: str) -> str:
    """Strip escapes and control characters, then collapse all whitespace to single spaces."""
    if settled(text):
        return text  # most text of a page: nothing to strip, nothing to collapse
    text = BLOCK_CONTROLS.sub(" ", BLOCK_ESCAPES.sub("", text))
    return SPACES.sub(" ", text).strip()


def normalise_space(text: str) -> str:
    """Runs of whitespace as one space, none at the ends. (str.split() and the regex `\\s`
    know the same whitespace characters; the split is three times faster.)"""
    return " ".join(text.split())


def strip_controls(text: str) -> str:
    """Remove terminal escape sequences and control characters; keep newlines and tabs.

    For anything shown on a terminal or spoken: page text is untrusted."""
    if text.isprintable():
        return text  # printable text holds no escape, control or format character
    text = ESCAPES.sub("", text)
    text = INVISIBLE.sub("", text)
    return CONTROLS.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n"))


def drop_controls(text: str) -> str:
    """(settings) Only the C0/C1 control characters dropped: what is stored stays as written."""
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cc")


def clean(text: str) -> str:
    """`text` without control or format characters, each tab or line break a space."""
    return "".join(
        " " if ch in "\t\n\r" else ch
        for ch in text
        if ch in "\t\n\r" or unicodedata.category(ch) not in _DROPPED
    )


# ---------------------------------------------------------------- punctuation

_SENTENCE_MARKS = ".!?…。！？‼⁇⁈⁉"
_CLOSING_MARKS = "\"'”’»)]"


def with_full_stop(text: str) -> str:
    """'Fatigue' -> 'Fatigue.': a title (or any words) before more words in an announcement.
    One that already ends a sentence keeps its own mark ('Fatigue after infusion?', 'Is it
    "MS"?', 'Wait…'): a second mark after it is shown as a typo and, said, sounds like one.
    A trailing ',', ';' or ':' ('Symptoms:') becomes the full stop."""
    text = text.rstrip()
    inner = text.rstrip(_CLOSING_MARKS)
    if not inner or inner[-1] in _SENTENCE_MARKS:
        return text
    if inner == text and text[-1] in ",;:":
        return text[:-1].rstrip() + "."
    return text + "."


# ---------------------------------------------------------------- character references

# Numeric character references, as the parser reads them (the ";" is optional).
CHAR_REFERENCE = re.compile(r"&#(?:[xX]0*([0-9a-fA-F]{1,8})|0*([0-9]{1,10}))(;?)")
PAGE_CHAR_REFERENCE = re.compile(r"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));?")  # any length


def reference_for_cleaning(match: re.Match[str]) -> str:
    """(fetch) A reference to a C0 control becomes the control itself, so the cleaning after
    it removes it with any escape sequence it starts ("&#27;[31m" would otherwise become a live
    escape once parsed); 128-159 mean Windows-1252 as in browsers; impossible code points go."""
    hex_digits, decimal, _ = match.groups()
    code = int(hex_digits, 16) if hex_digits else int(decimal)
    if 0x80 <= code <= 0x9F:
        # HTML maps these to windows-1252 characters; the five holes are controls.
        return bytes([code]).decode("cp1252", "ignore")
    if code in (0x09, 0x0A, 0x0C, 0x0D) or (0x20 <= code < 0x7F):
        return match.group(0)
    if code < 0x20 or code == 0x7F:
        return chr(code)
    if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
        return ""
    return match.group(0)


def reference_for_parsing(match: re.Match[str]) -> str:
    """(content) References the parser would turn into control characters (which lxml then
    refuses in text) are dropped; 128-159 mean Windows-1252 as in browsers."""
    hex_digits, digits = match.group(1), match.group(2)
    code = int(hex_digits, 16) if hex_digits else int(digits)
    if 128 <= code <= 159:
        return bytes([code]).decode("cp1252", errors="ignore")
    if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF or PAGE_CONTROLS.match(chr(code)):
        return ""
    return match.group(0)


# ---------------------------------------------------------------- comparing

_NOT_ALPHANUMERIC = re.compile(r"[\W_]+")


def squash(text: str) -> str:
    """A key for "the same words": letters and digits only, case folded ("Site | News" and
    "site news" share one)."""
    return _NOT_ALPHANUMERIC.sub("", text.casefold())


# ---------------------------------------------------------------- language tags

LANGUAGE_TAG = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*")
PAGE_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")  # a real language's code


def header_language(header: str | None) -> str | None:
    """The first tag of a Content-Language header, if it is one."""
    first = (header or "").split(",")[0].strip()
    return first if LANGUAGE_TAG.fullmatch(first) else None


def page_language_tag(value: str | None) -> str | None:
    """The first real language code in a `lang` attribute, a header or a meta tag's list
    ("en_GB;q=0.9, fr" -> "en-GB"), in BCP 47 casing; None when it holds none."""
    for part in (value or "").split(","):
        tag = part.split(";")[0].strip().replace("_", "-")
        if PAGE_LANGUAGE.match(tag):
            return canonical_language(tag)
    return None


def canonical_language(tag: str) -> str:
    """BCP 47 casing: "EN-gb" -> "en-GB", "zh-hant-tw" -> "zh-Hant-TW"."""
    first, *rest = tag.split("-")
    parts = [first.lower()]
    for part in rest:
        if len(part) == 2 and part.isalpha():
            parts.append(part.upper())
        elif len(part) == 4 and part.isalpha():
            parts.append(part.title())
        else:
            parts.append(part.lower())
    return "-".join(parts)


def base_language(tag: str | None, default: str = "en") -> str:
    """The language without its region or script: "pt_BR" -> "pt"."""
    return (tag or default).replace("_", "-").split("-")[0].lower()


def settled(text: str) -> bool:
    """True when `normalise_space` and `one_line` would hand `text` back as it is: printable
    (so no control character or escape), and the only whitespace printable text can hold, the
    space, never doubled nor at an end. Most paragraphs are; the check is far cheaper than the
    regex passes on the 500 000 paragraphs of a huge page."""
    # (strip hands the same string back when there is nothing to strip: no copy is made)
    return text.isprintable() and "  " not in text and len(text.strip(" ")) == len(text)


def counted(number: int, noun: str, plural: str = "") -> str:
    """'1 item', '3 items' ('0 items'): a count said as a listener expects it, never
    "1 items" (`plural` for a noun that does not just take an s)."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


# ---------------------------------------------------------------- web addresses, for the ear

# A web address in a sentence; one shortened for the eye ("https://example.com/a…slug") too.
_WEB_ADDRESS = re.compile(r"https?://[^\s]+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}'\""
_PAGE_SUFFIX = re.compile(r"\.(?:s?html?|php\d?|aspx?|jsp|cgi|xml|rss|atom)$", re.IGNORECASE)
_SAYS_NOTHING = {"", "index", "default", "home", "main", "article", "story", "post", "amp"}
_PART_SEPARATORS = re.compile(r"[-_+.~]+")
MAX_SAID_PATH_WORDS = 8


def said_host(url: str) -> str:
    """A web address's site as it is said: "example.com" (no "www.", no port)."""
    from urllib.parse import urlsplit

    try:
        host = urlsplit(url.strip()).hostname or ""
    except ValueError:
        host = ""
    return message_text(host.removeprefix("www.")) or "the site"


def said_page(url: str) -> str:
    """A page's web address as a listener wants it said: the last part of its path in words,
    then its site ("some long slug on example.com"); the site alone when the path says
    nothing (a home page, "index.php", a number). Never the whole address spelt out."""
    from urllib.parse import unquote, urlsplit

    host = said_host(url)
    try:
        path = urlsplit(url.strip()).path
    except ValueError:
        return host
    for part in reversed([p for p in unquote(path).split("/") if p]):
        words = _PART_SEPARATORS.sub(" ", _PAGE_SUFFIX.sub("", part)).split()
        says_something = len(words) > 1 or (words and words[0].lower() not in _SAYS_NOTHING)
        if says_something and sum(ch.isalpha() for ch in part) >= 2:  # not "12345", not "p"
            return f"{message_text(' '.join(words[:MAX_SAID_PATH_WORDS]))} on {host}"
    return host


def said_addresses(sentence: str) -> str:
    """`sentence` with each web address in it said as `said_page` says it ("The page some long
    slug on example.com was not found."). An address shortened for the eye ("…" inside) has
    lost its path: its site alone is said."""
    if "://" not in sentence:
        return sentence

    def said(match: re.Match[str]) -> str:
        address = match.group(0)
        kept = address.rstrip(_TRAILING)
        tail = address[len(kept) :]
        if said_host(kept) == "the site":
            return address  # no site to name: "start the address with https://" as written
        return (said_host(kept) if "…" in kept else said_page(kept)) + tail

    return _WEB_ADDRESS.sub(said, sentence)

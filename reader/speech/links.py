"""Links and e-mail addresses as a listener hears them: by their host, never spelled out."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

URL = re.compile(r"(?:\b(?:https?|ftp|file)://|\bwww\.|\bmailto:)[^\s<>\"'\[\]]+", re.IGNORECASE)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL_TRAILING = ".,;:!?)]}'\""


def split_url(url: str) -> tuple[str, str]:
    """The link itself and the prose marks after it: a sentence often ends right after a link."""
    body = url.rstrip(_URL_TRAILING)
    # A ")" that closes a "(" inside the link belongs to it (wiki/MS_(disease)); others end prose.
    while url[len(body) : len(body) + 1] == ")" and body.count("(") > body.count(")"):
        body += ")"
    return body, url[len(body) :]


def _host(url: str) -> str:
    """'https://www.Example.org:8080/a' -> 'example.org'; '' when it has none (file:///x)."""
    if "://" not in url:
        url = "//" + url  # "www.example.org/a" has no scheme
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:  # a malformed port or IPv6 literal
        return ""
    return host.removeprefix("www.").strip(".")


_PLAIN_NAME = re.compile(r"[A-Za-z]{1,20}(?:[._-][A-Za-z]{1,20})?")


def say_email(address: str, words: dict[str, str]) -> str:
    """'nurse@example.org' -> 'nurse at example.org': the name only when it is a plain word."""
    name, _, host = address.rpartition("@")
    host = _host(host)
    if _PLAIN_NAME.fullmatch(name):
        return f"{re.sub(r'[._-]', ' ', name)} {words['email_at']} {host}"
    return f"{words['email']} {host}"


def say_url(url: str, words: dict[str, str]) -> str:
    """A link is said by its host, never spelled out: 'link to example.org'."""
    body, tail = split_url(url)
    if body.lower().startswith("mailto:"):
        spoken = say_email(body[len("mailto:") :].split("?")[0], words)
    else:
        host = _host(body)
        spoken = f"{words['link']} {host}" if host else words["link_without_host"]
    return spoken + tail

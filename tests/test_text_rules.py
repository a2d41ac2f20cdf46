"""reader/text.py: the comparison key and page-language scan extraction uses, and the
shortcuts its cleaning functions take for text that is already clean (most of a page)."""

from __future__ import annotations

import pytest
from helpers.examples import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.text import (
    BLOCK_CONTROLS,
    BLOCK_ESCAPES,
    CONTROLS,
    ESCAPES,
    INVISIBLE,
    SPACES,
    normalise_space,
    one_line,
    page_language_tag,
    squash,
    strip_controls,
)

# Clean words, and every kind of character the cleaning functions remove or fold.
PIECES = [
    "Go", "123.", "a", " ", "  ", "\t", "\n", "\r\n", "\r", "\u00a0", "\u2028", "\u200b",
    "\u00ad", "\ufeff", "\u202e", "\x00", "\x07", "\x1b", "\x1b[31m", "\x1b]0;title\x07", "\x9b",
    "\x85", "\ufffe", "\ud800", "\ufff9", "é", "日本", "🙂",
]  # fmt: skip
texts = st.one_of(st.text(max_size=30), st.lists(st.sampled_from(PIECES), max_size=10).map("".join))


@settings(max_examples=examples(300), deadline=None)
@given(texts)
def test_the_shortcuts_clean_as_the_regexes_do(text: str) -> None:
    assert (
        one_line(text)
        == SPACES.sub(" ", BLOCK_CONTROLS.sub(" ", BLOCK_ESCAPES.sub("", text))).strip()
    )
    spoken = ESCAPES.sub("", text)
    spoken = INVISIBLE.sub("", spoken)
    spoken = CONTROLS.sub(" ", spoken.replace("\r\n", "\n").replace("\r", "\n"))
    assert strip_controls(text) == spoken
    assert normalise_space(text) == SPACES.sub(" ", text).strip()


@pytest.mark.parametrize(
    ("value", "tag"),
    [
        ("en", "en"),
        ("EN_gb", "en-GB"),
        ("zh-hant-tw", "zh-Hant-TW"),
        ("x-klingon, fr;q=0.8", "fr"),  # the first real language's code in a list
        ("de-DE;q=0.9", "de-DE"),
        ("", None),
        (None, None),
        ("english", None),
        ("*", None),
    ],
)
def test_page_language_tag(value: str | None, tag: str | None) -> None:
    assert page_language_tag(value) == tag


def test_squash_keys_the_same_words_alike() -> None:
    assert squash("Living with MS | MS Society") == squash("living with ms ms-society")
    assert squash("STRASSE") == squash("Straße")  # case folded, not only lowered
    assert squash("— ? —") == ""
    assert squash("Go 1") != squash("Go 2")

"""The comparison key and the page-language scan that reader/text.py holds for extraction."""

from __future__ import annotations

import pytest

from reader.text import page_language_tag, squash


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

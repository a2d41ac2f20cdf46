"""reader/text.py: the one home of the text rules; each variant keeps what its stage needs."""

from __future__ import annotations

import pytest

from reader.text import (
    CHAR_REFERENCE,
    PAGE_CHAR_REFERENCE,
    base_language,
    canonical_language,
    clean,
    header_language,
    message_text,
    one_line,
    reference_for_cleaning,
    reference_for_parsing,
    strip_controls,
    strip_page_controls,
    strip_raw_controls,
)

EVIL = "Hel\x00lo\x07 \x1b[31mred\x1b[0m \x1b]0;title\x07done"


@pytest.mark.parametrize(
    "strip", [strip_raw_controls, strip_page_controls, one_line, strip_controls, clean]
)
def test_every_variant_leaves_no_control_character(strip) -> None:
    out = strip(EVIL)
    assert not any(ord(ch) < 32 and ch not in "\n\t" for ch in out), repr(out)
    assert "red" in out and "done" in out
    # Escape sequences go whole, but on screen (text already cleaned upstream) only the
    # characters a terminal would act on are dropped.
    assert ("title" in out) == (strip is clean)


def test_a_stray_escape_never_swallows_the_downloaded_page() -> None:
    assert strip_raw_controls("Before \x1b]0;no end\nAfter.").endswith("After.")


def test_a_zero_width_space_parts_words_in_a_block_but_a_soft_hyphen_vanishes_in_speech() -> None:
    assert one_line("  new\u200blines\n\n here ") == "new lines here"
    assert strip_controls("Natali\u00adzumab\r\nnext") == "Natalizumab\nnext"
    assert clean("one\ntwo\u202eflip") == "one twoflip"
    assert message_text("a\x1b[2J\n  b") == "a b"


def test_character_references_to_controls_are_neutralised_for_each_stage() -> None:
    page = "A&#27;[31m B&#x1b; C&#0; D&#xD800; E&#x93; F&#65;"
    assert CHAR_REFERENCE.sub(reference_for_cleaning, page) == "A\x1b[31m B\x1b C\x00 D E“ F&#65;"
    assert PAGE_CHAR_REFERENCE.sub(reference_for_parsing, page) == "A[31m B C D E“ F&#65;"


def test_language_tags() -> None:
    assert header_language("en-GB, fr") == "en-GB" and header_language("<script>") is None
    assert canonical_language("zh-hant-tw") == "zh-Hant-TW"
    assert base_language("pt_BR") == "pt" and base_language(None) == "en"

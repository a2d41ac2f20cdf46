"""`normalise` skips every rule when one combined search finds nothing any rule could change
(most sentences of a page): what it returns must be exactly what the rules, one by one, make
of the same sentence, for the built-in rules and for a user's own."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.examples import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.extract import extract
from reader.model import Block, Page
from reader.speech import block_sentences, load_rules, sentences
from reader.speech.normalise import normalise, normalise_every_rule

FIXTURES = Path(__file__).parent / "fixtures"
BUILT_IN = load_rules(Path("/nonexistent/speech.toml"))

# Pieces of text that wake each rule, and pieces that must leave the shortcut on.
PIECES = [
    "Go", "the", "nurse", "MS", "IV", "Stage", "Henry", "Natalizumab", "ocrevus", "Dr.", "Mr.",
    "e.g.", "E.g.", "etc.", "approx.", "vs.", "No.", "mg", "kg", "mg/day", "/kg", "times/week",
    "°C", "%", "5", "300", "2", "4", "1,000", "2.5", "555-1234", "2-4", "2–4", "2 – 4", "-",
    "–", "—", "&", "@", "nurse@example.org", "https://example.org/a?b=1", "www.example.org",
    "mailto:a@b.org", "[12]", "[citation needed]", "[", "]", "(", ")", "()", "cells¹", "¹",
    "cells.1", "Q:", "A:", "Q", "A", ":", ".", ",", "!", "?", ";", "'", "’", "🙂", "\ufe0f",
    " ", "  ", "\t", "\n", "\u00a0", "\u200b", "\u00ad", "\x1b[31m", "\x00", "\r\n",
]  # fmt: skip


def check(text: str, rules: object = BUILT_IN) -> None:
    assert normalise(text, rules) == normalise_every_rule(text, rules), repr(text)


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=12).map("".join))
def test_the_shortcut_says_what_every_rule_says_on_made_up_text(text: str) -> None:
    check(text)


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=12).map("".join))
def test_a_paragraph_is_said_as_its_sentences_are_by_every_rule(text: str) -> None:
    """`block_sentences` takes a shortcut of its own for a paragraph of one plain sentence."""
    expected = [s for s in (normalise_every_rule(t, BUILT_IN) for t in sentences(text)) if s]
    assert block_sentences(Block("paragraph", text), "en", BUILT_IN) == expected


@settings(max_examples=examples(200), deadline=None)
@given(st.text(max_size=40))
def test_the_shortcut_says_what_every_rule_says_on_any_text(text: str) -> None:
    check(text)


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.html")))
def test_the_shortcut_says_what_every_rule_says_on_real_pages(name: str) -> None:
    html = (FIXTURES / name).read_text(encoding="utf-8")
    article = extract(Page(text=html, url=f"https://example.org/{name}"))
    texts = [article.title] + [s.title for s in article.sections]
    texts += [b.text for s in article.sections for b in s.blocks]
    checked = 0
    for text in texts:
        for sentence in sentences(text, article.language, BUILT_IN):
            check(sentence)
            checked += 1
    assert checked >= 5


def test_the_shortcut_follows_a_users_own_rules(tmp_path: Path) -> None:
    own = tmp_path / "speech.toml"
    own.write_text(
        '[pronunciations]\n"Ocrevus" = "ock-reh-vus"\n"go" = "goh"\n'
        '[units]\n"tabs" = ["tablet", "tablets"]\n[abbreviations]\n"pt." = "patient"\n',
        encoding="utf-8",
    )
    rules = load_rules(own)
    for text in ("Go 123.", "Take 2 tabs.", "The pt. is well.", "Ocrevus works.", "Go home."):
        check(text, rules)
    assert normalise("Go 123.", rules) == "Goh 123."  # the user's word wakes the rules
    assert normalise("Go 123.", BUILT_IN) == "Go 123."


def test_a_key_of_marks_alone_turns_the_shortcut_off(tmp_path: Path) -> None:
    own = tmp_path / "speech.toml"
    own.write_text('[abbreviations]\n"..." = "and so on"\n', encoding="utf-8")
    rules = load_rules(own)
    for text in ("Go on...", "Go 123."):
        check(text, rules)
        paragraph = [s for s in (normalise_every_rule(t, rules) for t in sentences(text)) if s]
        assert block_sentences(Block("paragraph", text), "en", rules) == paragraph

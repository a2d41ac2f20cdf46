"""A huge page's speech is made in bulk (`plain_each` asks all paragraphs at once, runs of
plain paragraphs are added whole, `reader text` prints without making utterances): what
it says must be exactly what asking block by block says, for the built-in rules and for a
user's own, on made-up sections and on real pages."""

from __future__ import annotations

import io
from contextlib import redirect_stdout
from pathlib import Path

import pytest
from helpers.examples import examples
from helpers.rules import BUILT_IN, rules_from
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.cli.output import emit, emit_lines
from reader.cues import cue_words
from reader.extract import extract
from reader.model import Article, Block, Group, Page, Place, Section
from reader.speech import article_texts, article_utterances, block_sentences
from reader.speech.normalise import plain_each, plain_speaker
from reader.speech.rules import SpeechRules
from reader.speech.structure import section_cues

FIXTURES = Path(__file__).parent / "fixtures"

# Plain sentences, ones a rule changes (keys, Q/A, marks, length), and line breaks.
PIECES = [
    "Go 123.", "Go home", "Take it easy.", "Q", "A", "a", "Dr", "mg", "5 mg", "24", "7",
    "24/7", "no", "No.", "e.g.", "www", "Ocrevus", ",", ", ", " ", "  ", ".", "'", "'s", "!",
    "?", "\n", "é", "K", "İ", "\u200b", "x" * 299, "y" * 301, "",
]  # fmt: skip
TEXTS = st.lists(st.lists(st.sampled_from(PIECES), max_size=6).map("".join), max_size=30)


def own_rules(tmp_path: Path) -> SpeechRules:
    return rules_from(
        tmp_path,
        '[pronunciations]\n"Ocrevus" = "ock-reh-vus"\n"go" = "goh"\n'
        '[abbreviations]\n"24/7" = "all the time"\n',
    )


@settings(max_examples=examples(300), deadline=None)
@given(TEXTS)
def test_plain_each_says_what_plainly_says_of_each_text(texts: list[str]) -> None:
    plainly = plain_speaker(BUILT_IN)
    assert plain_each(texts, BUILT_IN) == [plainly(text) for text in texts]


def test_plain_each_follows_a_users_letter_and_digit_keys(tmp_path: Path) -> None:
    rules = own_rules(tmp_path)
    plainly = plain_speaker(rules)
    texts = ["Go 123.", "Come 24 times.", "Open 7 days.", "Stay home.", "Q and A"]
    assert plain_each(texts, rules) == [plainly(text) for text in texts]
    assert plain_each(texts, rules)[3] == "Stay home."
    assert plain_each(texts, rules)[0] is None  # "go" is the user's word


def block_by_block(article: Article, index: int) -> list[tuple[str, str, int]]:
    """What a section says, asked one block at a time (the oracle)."""
    section = article.sections[index]
    words = cue_words(article.language)
    around = section_cues(section.blocks, words)
    titles = [u for u in article_utterances(article, True)[index] if u.block == -1]
    said = [(u.text, u.kind, u.block) for u in titles]
    for number, block in enumerate(section.blocks):
        before, after = around.get(number, ([], []))
        said += [(text, "cue", number) for text in before]
        texts = block_sentences(block, article.language, BUILT_IN, words)
        said += [(text, "sentence", number) for text in texts]
        said += [(text, "cue", number) for text in after]
    return said


def bulk(article: Article, index: int) -> list[tuple[str, str, int]]:
    utterances = article_utterances(article, True)[index]
    assert [u.sentence for u in utterances] == list(range(len(utterances)))
    return [(u.text, u.kind, u.block) for u in utterances]


@settings(max_examples=examples(100), deadline=None)
@given(st.lists(st.tuples(st.sampled_from(PIECES[:20]), st.integers(0, 3)), max_size=25))
def test_runs_of_plain_paragraphs_are_said_as_block_by_block(
    blocks: list[tuple[str, int]],
) -> None:
    listing = Group("list", 1, 0, size=2)
    made = []
    for text, shape in blocks:
        if shape == 0:
            made.append(Block("paragraph", text))
        elif shape == 1:
            made.append(Block("list_item", text, place=Place((listing,), number=1)))
        elif shape == 2:
            made.append(Block("code", text or "x = 1"))
        else:
            made.append(Block("paragraph", f"{text} Then more. And more."))
    article = Article("Title", "en", "test", [Section("Title", 1, "intro", made)])
    assert bulk(article, 0) == block_by_block(article, 0)


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.html")))
def test_real_pages_are_said_as_block_by_block(name: str) -> None:
    html = (FIXTURES / name).read_text(encoding="utf-8")
    article = extract(Page(text=html, url=f"https://example.org/{name}"))
    for index in range(len(article.sections)):
        assert bulk(article, index) == block_by_block(article, index)
    flat = [[u.text for u in section] for section in article_utterances(article, True)]
    assert article_texts(article, True) == flat


@pytest.mark.parametrize(
    "lines", [["One.", "", "Two."], [], ["Bad \x1b[31mred", "ok"], ["tab\there", "\u202e"]]
)
def test_emit_lines_prints_what_emit_prints_line_by_line(lines: list[str]) -> None:
    one, each = io.StringIO(), io.StringIO()
    with redirect_stdout(one):
        emit_lines(lines)
    with redirect_stdout(each):
        for line in lines:
            emit(line)
    assert one.getvalue() == each.getvalue()

"""A "paragraphs" item (a run of bare <p>, as a huge page is read) makes exactly the sections
that the same texts make as one "block" item each: the bulk path decides nothing on its own."""

from __future__ import annotations

import dataclasses
import itertools
import random

import pytest

from reader.extract.assemble import Assembler
from reader.extract.items import Item

TEXTS = [
    "Plain text.",
    "Q: What is natalizumab?",
    "A: An infusion given every four weeks.",
    "Question: who gives it?",
    "Answer: a day unit.",
    "Q:",
    "A:",
    "a lot of people feel well afterwards.",
    "Known question?",
    "\u00a0starts with a no-break space",
    "",
]


def as_run(texts: list[str]) -> Item:
    return Item("paragraphs", kind="paragraph", headable=True, texts=list(texts))


def one_by_one(texts: list[str]) -> list[Item]:
    return [Item("block", text, "paragraph", headable=True) for text in texts]


def sections(items: list[Item], questions: frozenset[str]) -> list[dict]:
    return [dataclasses.asdict(s) for s in Assembler("Title", questions).feed(items)]


def streams() -> list[list[str]]:
    rng = random.Random(7)
    picked = [[rng.choice(TEXTS) for _ in range(rng.randint(1, 14))] for _ in range(300)]
    return [*([t] for t in TEXTS), *itertools.permutations(TEXTS[:4]), *picked]


@pytest.mark.parametrize("questions", [frozenset(), frozenset({"Known question?"})])
def test_a_run_reads_as_its_paragraphs_one_by_one(questions: frozenset[str]) -> None:
    for texts in streams():
        heading = Item("heading", "Dosing", level=2)
        run = sections([heading, as_run(texts)], questions)
        assert run == sections([heading, *one_by_one(texts)], questions), texts
        # and with no section open yet (the run opens the introduction itself)
        assert sections([as_run(texts)], questions) == sections(one_by_one(texts), questions)


def test_a_question_inside_a_long_run_is_still_a_question() -> None:
    texts = [f"Paragraph {n}." for n in range(1000)]
    texts[500:502] = ["Q: Is it safe?", "A: Mostly."]
    found = sections([as_run(texts)], frozenset())
    questions = [b for s in found for b in s["blocks"] if b["kind"] == "question"]
    assert [b["text"] for b in questions] == ["Is it safe?"]
    heard = " ".join(b["text"] for s in found for b in s["blocks"])
    assert all(f"Paragraph {n}." in heard for n in (0, 499, 502, 999))

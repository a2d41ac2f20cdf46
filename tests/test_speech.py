"""Speech text: sentence splitting, normalisation for the ear, user rules, utterances."""

from __future__ import annotations

import pytest
from helpers.articles import article_of
from helpers.paths import UserDirs

from reader.model import Article, Block
from reader.speech import (
    MAX_SENTENCE,
    Utterance,
    article_utterances,
    normalise,
    sentences,
    speech_warnings,
)
from reader.speech import segment as speech
from reader.text import strip_controls

# --- sentences ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Dr. Smith saw her. She was fine.",
            ["Dr. Smith saw her.", "She was fine."],
        ),
        (
            "Some drugs, e.g. Tysabri, are infused. Others are not.",
            ["Some drugs, e.g. Tysabri, are infused.", "Others are not."],
        ),
        (
            "It was approved in the U.S. in 2017. Then in Europe.",
            ["It was approved in the U.S. in 2017.", "Then in Europe."],
        ),
        (
            "Take 2.5 mg daily. Do not exceed 10 mg.",
            ["Take 2.5 mg daily.", "Do not exceed 10 mg."],
        ),
        ("Really? Yes! Good.", ["Really?", "Yes!", "Good."]),
        ("No full stop at the end", ["No full stop at the end"]),
    ],
)
def test_sentences_handles_abbreviations_and_decimals(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_sentences_of_blank_text_is_empty() -> None:
    assert sentences("") == []
    assert sentences("  \n\t ") == []


def test_sentences_collapse_whitespace_inside() -> None:
    assert sentences("One\n  two   three.\n\nFour five.") == ["One two three.", "Four five."]


def test_sentences_end_after_an_acronym() -> None:
    # pysbd alone keeps "the pace of MS. Treatment can..." as one sentence.
    text = (
        "Treatment can slow the pace of MS. Treatment can also help. The U.S. Army agreed. "
        "It is common in MS. A few habits help. It is known as PPMS. I agree."
    )
    assert sentences(text) == [
        "Treatment can slow the pace of MS.",
        "Treatment can also help.",
        "The U.S. Army agreed.",
        "It is common in MS.",
        "A few habits help.",
        "It is known as PPMS.",
        "I agree.",
    ]


def test_sentences_other_and_unknown_languages() -> None:
    assert sentences("Hallo Welt. Wie geht es dir?", "de-DE") == ["Hallo Welt.", "Wie geht es dir?"]
    # Klingon has no pysbd rules: English rules are used rather than failing.
    assert sentences("One thing. Another thing.", "tlh") == ["One thing.", "Another thing."]
    assert sentences("One thing. Another thing.", "") == ["One thing.", "Another thing."]


def test_segmenter_is_built_once_per_language() -> None:
    assert speech._segmenter("en") is speech._segmenter("en")


def test_long_sentence_is_cut_at_commas() -> None:
    clause = "the nurse checks the line and the pump"
    text = ", ".join([clause] * 20) + "."
    pieces = sentences(text)
    assert len(pieces) > 1
    assert all(len(p) <= MAX_SENTENCE for p in pieces)
    assert all(p.endswith((",", ".")) for p in pieces)  # cut after a comma, not mid-clause
    assert " ".join(pieces) == text


def test_100kb_paragraph_is_split_into_bounded_pieces() -> None:
    words = ["infusion", "nurse", "myelin,", "dose", "Tysabri", "every", "four", "weeks;"]
    text = " ".join(words[i % len(words)] for i in range(15_000))
    assert len(text) > 100_000
    pieces = sentences(text)
    assert all(0 < len(p) <= MAX_SENTENCE for p in pieces)
    # Nothing lost and nothing reordered.
    assert " ".join(pieces).split() == text.split()


def test_100kb_of_real_sentences_keeps_every_sentence() -> None:
    text = " ".join(f"Sentence number {i} is here." for i in range(4000))
    assert len(text) > 100_000
    pieces = sentences(text)
    assert len(pieces) == 4000
    assert pieces[1234] == "Sentence number 1234 is here."


def test_a_100kb_word_without_spaces_is_hard_cut() -> None:
    pieces = sentences("x" * 100_000)
    assert all(len(p) <= MAX_SENTENCE for p in pieces)
    assert "".join(pieces) == "x" * 100_000


# --- normalise: each rule ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Q: How are they given?", "Question: How are they given?"),
        ("A: Through a vein.", "Answer: Through a vein."),
        ("Q : spaced marker", "Question: spaced marker"),
        ("Is the answer A: yes?", "Is the answer A: yes?"),  # only at the start
    ],
)
def test_question_and_answer_markers(text: str, expected: str) -> None:
    assert normalise(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Take 2.5 mg daily.", "Take 2.5 milligrams daily."),
        ("Take 1 mg daily.", "Take 1 milligram daily."),
        ("Take 5mg daily.", "Take 5 milligrams daily."),
        ("A 300-mg infusion.", "A 300-milligram infusion."),
        ("Give 100 mcg or 100 µg.", "Give 100 micrograms or 100 micrograms."),
        ("Inject 10 ml or 10 mL.", "Inject 10 millilitres or 10 millilitres."),
        ("Dose 5 mg/kg.", "Dose 5 milligrams per kilogram."),
        ("He weighs 80 kg.", "He weighs 80 kilograms."),
        ("It is 3 km away.", "It is 3 kilometres away."),
        (
            "Fever above 38 °C or 100.4 °F.",
            "Fever above 38 degrees Celsius or 100.4 degrees Fahrenheit.",
        ),
        ("About 50% of people.", "About 50 percent of people."),
        ("Blood pressure 120 mmHg.", "Blood pressure 120 millimetres of mercury."),
        ("1,000 IU of vitamin D.", "1,000 international units of vitamin D."),
        ("It took 20 ms.", "It took 20 milliseconds."),
    ],
)
def test_units_after_numbers(text: str, expected: str) -> None:
    assert normalise(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "About 200 MS patients joined.",  # MS is the disease, not milliseconds
        "The mg on its own stays.",  # no number before it
        "Room 5 in the east wing.",  # "in" is never inches
        "Plan B is fine.",
    ],
)
def test_units_are_left_alone_without_a_number_or_when_ambiguous(text: str) -> None:
    assert normalise(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Some drugs, e.g. Kesimpta, help.", "Some drugs, for example Kesimpta, help."),
        ("E.g. this one.", "For example this one."),
        ("Myelin, i.e. the coating, is lost.", "Myelin, that is the coating, is lost."),
        ("Drug A vs. drug B.", "Drug A versus drug B."),
        ("Apples, pears etc.", "Apples, pears et cetera."),
        ("Dr. Smith will see you.", "Doctor Smith will see you."),
        ("Ask Dr Jones.", "Ask Doctor Jones."),
        ("We met at St. Paul.", "We met at Saint Paul."),
        ("See No. 5 below.", "See number 5 below."),
        ("Read p. 12 first.", "Read page 12 first."),
    ],
)
def test_abbreviations(text: str, expected: str) -> None:
    assert normalise(text) == expected


def test_title_abbreviation_needs_a_name_after_it() -> None:
    # "Dr." not followed by a capitalised name is left for eSpeak.
    assert normalise("the dr. said so") == "the dr. said so"


def test_pronunciations_respell_and_respect_acronym_case() -> None:
    assert normalise("Tysabri is given by IV drip.") == "Ty-sabree is given by I V drip."
    assert normalise("natalizumab and Natalizumab") == "natta lizzoomab and Natta lizzoomab"
    assert normalise("The ivy grew.") == "The ivy grew."  # "IV" matches whole words, exact case
    assert normalise("An IV drip for Stage IV cancer.") == "An I V drip for Stage IV cancer."
    assert normalise("Henry IV was king. By IV only.") == "Henry IV was king. By I V only."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Read https://example.com/a?b=1 today.", "Read link to example.com today."),
        ("Details at www.example.org.", "Details at link to example.org."),
        ("Write to nurse@example.com for help.", "Write to nurse at example.com for help."),
        ("https://example.com/only-a-link", "link to example.com"),
        ("(https://example.com)", "(link to example.com)"),
        ("Details (see https://example.com) here.", "Details (see link to example.com) here."),
    ],
)
def test_urls_and_emails_are_said_by_their_host(text: str, expected: str) -> None:
    assert normalise(text) == expected


def test_emoji_and_pictographs_are_dropped() -> None:
    assert normalise("Great news 😀👍🏽 for you ✅ ❤️ 🇬🇧!") == "Great news for you!"
    assert normalise("🎉🎉") == ""
    assert normalise("Icon font \ue001 glyph") == "Icon font glyph"


def test_control_characters_and_terminal_escapes_are_stripped() -> None:
    text = "\x1b[31mRed\x1b[0m text\x07 with \x1b]0;title\x07bell\x00 and\x9b2J more"
    assert normalise(text) == "Red text with bell and more"
    assert normalise("soft\u00adhyphen zero\u200bwidth") == "softhyphen zerowidth"


def test_strip_controls_keeps_newlines_and_text() -> None:
    assert strip_controls("a\x1b[1mb\r\nc\x00d") == "ab\nc d"


def test_whitespace_collapses_and_ampersand_is_and() -> None:
    assert normalise("  Q&A:\n\tdoctors  &  nurses  ") == "Q and A: doctors and nurses"


def test_markup_lookalikes_are_kept_as_plain_text() -> None:
    assert normalise("Use [bold]this[/bold] wisely.") == "Use [bold]this[/bold] wisely."


# --- user rules ---------------------------------------------------------------------------------


def test_user_toml_extends_and_overrides(user_dirs: UserDirs) -> None:
    (user_dirs.config / "speech.toml").write_text(
        '[abbreviations]\n"e.g." = "for instance"\n"approx." = "roughly"\n'
        '[pronunciations]\n"Ocrevus" = "ock-reh-vus"\n"IV" = "IV"\n'
        '[units]\n"tabs" = ["tablet", "tablets"]\n',
        encoding="utf-8",
    )
    assert normalise("Drugs, e.g. Ocrevus, approx. 2 tabs by IV.") == (
        "Drugs, for instance Ock-reh-vus, roughly 2 tablets by IV."
    )
    assert normalise("Take 1 tabs.") == "Take 1 tablet."
    assert normalise("i.e. built-ins still apply") == "that is built-ins still apply"
    assert speech_warnings() == []


def test_user_toml_is_reread_when_it_changes(user_dirs: UserDirs) -> None:
    rules = user_dirs.config / "speech.toml"
    rules.write_text('[abbreviations]\n"vs." = "against"\n', encoding="utf-8")
    assert normalise("A vs. B") == "A against B"
    rules.write_text('[abbreviations]\n"vs." = "or rather"\n\n', encoding="utf-8")
    assert normalise("A vs. B") == "A or rather B"


def test_bad_user_toml_is_ignored_with_a_warning(user_dirs: UserDirs) -> None:
    (user_dirs.config / "speech.toml").write_text("[abbreviations\n= broken", encoding="utf-8")
    assert normalise("Drugs, e.g. these.") == "Drugs, for example these."
    warnings = speech_warnings()
    assert len(warnings) == 1
    assert "speech.toml" in warnings[0] and "ignored" in warnings[0]


def test_bad_entries_and_sections_are_skipped_with_warnings(user_dirs: UserDirs) -> None:
    (user_dirs.config / "speech.toml").write_text(
        '[abbreviations]\n"e.g." = 5\n"w/" = "with"\n[nonsense]\nx = "y"\n'
        '[units]\n"pt" = ["one", "two", "three"]\n',
        encoding="utf-8",
    )
    assert normalise("Tea w/ milk, e.g. now, 2 pt.") == "Tea with milk, for example now, 2 pt."
    warnings = speech_warnings()
    assert any("[nonsense]" in w for w in warnings)
    assert any("[abbreviations]" in w for w in warnings)
    assert any("[units]" in w for w in warnings)


def test_undecodable_user_toml_is_ignored(user_dirs: UserDirs) -> None:
    (user_dirs.config / "speech.toml").write_bytes(b"\xff\xfe\x00bad")
    assert normalise("A vs. B") == "A versus B"
    assert len(speech_warnings()) == 1


# --- utterances ---------------------------------------------------------------------------------


def _article() -> Article:
    return article_of(
        "Infusion Treatments",
        ("Infusion Treatments", 1, ["MS affects the CNS. Dr. Smith explains 2.5 mg doses."]),
        (
            "Q&A: Administering infusion treatments",
            2,
            [
                Block("question", "How are infusion treatments given?"),
                Block("answer", "Through a vein. Only in a clinic."),
            ],
            "qa",
        ),
        (
            "Extras",
            2,
            [
                Block("list_item", "First item"),
                Block("list_item", "Second item"),
                Block("quote", "To be or not to be."),
                Block("table_row", "Drug | Dose"),
                Block("image", "A nurse with an IV drip"),
                "https://example.com/only-a-link",
            ],
        ),
        ("", 2, ["Untitled text."]),
    )


def test_article_utterances_titles_first_and_indexes_in_order() -> None:
    result = article_utterances(_article())
    assert [u.text for u in result[0]] == [
        "Infusion Treatments",
        "MS affects the CNS.",
        "Doctor Smith explains 2.5 milligrams doses.",
    ]
    for index, section in enumerate(result):
        assert section[0].kind == "title"
        assert all(u.kind == "sentence" for u in section[1:])
        assert [u.section for u in section] == [index] * len(section)
        assert [u.sentence for u in section] == list(range(len(section)))


def test_article_utterances_question_and_answer_prefixes() -> None:
    qa = article_utterances(_article())[1]
    assert qa == [
        Utterance("Q and A: Administering infusion treatments", 1, 0, "title"),
        Utterance("Question: How are infusion treatments given?", 1, 1, "sentence"),
        Utterance("Answer: Through a vein.", 1, 2, "sentence"),
        Utterance("Only in a clinic.", 1, 3, "sentence"),
    ]


def test_article_utterances_each_block_is_its_own_sentence() -> None:
    extras = [u.text for u in article_utterances(_article())[2]]
    assert extras == [
        "Extras",
        "First item",
        "Second item",
        "To be or not to be.",
        "Drug, Dose",
        "Image: A nurse with an I V drip",
        "link to example.com",  # a link on its own is said by its host, never spelled
    ]


def test_marker_already_in_block_text_is_not_doubled() -> None:
    article = article_of("T", ("T", 1, [Block("question", "Q: Why?")], "qa"), source="s")
    assert article_utterances(article)[0][1].text == "Question: Why?"


def test_untitled_section_gets_a_spoken_title() -> None:
    assert article_utterances(_article())[3][0].text == "Section 4"


def test_utterance_is_frozen() -> None:
    utterance = Utterance("x", 0, 0, "title")
    with pytest.raises(AttributeError):
        utterance.text = "y"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("raw", "spoken"),
    [
        # Brackets end a link: the word after it must not vanish with it.
        (
            "Markup [link=https://evil.example]click[/link] test",
            "Markup [link=link to evil.example]click[/link] test",
        ),
        # A ")" that closes a "(" inside the link is the link's, not the sentence's.
        (
            "See https://en.wikipedia.org/wiki/MS_(disease) now.",
            "See link to en.wikipedia.org now.",
        ),
        ("(see https://x.org/a).", "(see link to x.org)."),
    ],
)
def test_links_are_said_without_taking_neighbours(raw: str, spoken: str) -> None:
    assert normalise(raw) == spoken

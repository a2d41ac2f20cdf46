"""Speech text rules (issue 12 item 4): each rule on its own, as `reader text` would print a
sentence, then all of them at once through the real `reader text` on a page served over HTTP."""

from __future__ import annotations

import pytest
from helpers.cli import run
from helpers.paths import UserDirs
from pytest_httpserver import HTTPServer

from reader.model import Block
from reader.speech import block_sentences, sentences, speech_warnings


def spoken(text: str) -> list[str]:
    """The lines `reader text` prints for one paragraph: split, then said."""
    return block_sentences(Block("paragraph", text))


# --- numeric ranges ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Each infusion lasts 2-4 hours.", "Each infusion lasts 2 to 4 hours."),
        ("Each infusion lasts 2–4 hours.", "Each infusion lasts 2 to 4 hours."),
        ("Each infusion lasts 2 – 4 hours.", "Each infusion lasts 2 to 4 hours."),
        ("Take 10-20 mg daily.", "Take 10 to 20 milligrams daily."),
        ("It is for ages 18-65.", "It is for ages 18 to 65."),
        ("About 10-20% of people.", "About 10 to 20 percent of people."),
        ("Give 0.5-1.5 mL.", "Give 0.5 to 1.5 millilitres."),
        ("Between 1,000-2,000 IU a day.", "Between 1,000 to 2,000 international units a day."),
        ("Read pp. 12-15 first.", "Read pages 12 to 15 first."),
    ],
)
def test_numeric_ranges_are_said_with_to(text: str, expected: str) -> None:
    assert spoken(text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "The visit is on 2026-11-02 at noon.",  # a date
        "Call 555-123-4567 or 555-1234 today.",  # phone numbers
        "Vaccines against COVID-19 are safe.",  # a name with a number
        "The score was 3-1 at half time.",  # descending: not a range
        "Open 9:00-17:00 on weekdays.",  # times of day are left to eSpeak
        "Use the ISBN 978-3-16-148410-0 to order.",
    ],
)
def test_dates_phone_numbers_and_names_are_not_ranges(text: str) -> None:
    assert spoken(text) == [text]


# --- units per time ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The dose in mg/day is low.", "The dose in milligrams per day is low."),
        ("Take 2 mg/day.", "Take 2 milligrams per day."),
        ("Take 1 mg/day.", "Take 1 milligram per day."),
        ("Filtration in mL/min fell.", "Filtration in millilitres per minute fell."),
        ("Dosed by mg/kg weight.", "Dosed by milligrams per kilogram weight."),
        ("Give 5 mg/kg/day.", "Give 5 milligrams per kilogram per day."),
        ("Walk 3 times/week.", "Walk 3 times per week."),
        ("Glucose was 90 mg/dL.", "Glucose was 90 milligrams per decilitre."),
        ("Count cells/mL twice.", "Count cells per millilitre twice."),
        ("Sleep 8 hours/night.", "Sleep 8 hours per night."),
    ],
)
def test_units_per_time_or_unit_say_per(text: str, expected: str) -> None:
    assert spoken(text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "Ask him and/or her.",
        "Each parent/carer signs.",
        "Use TCP/IP and yes/no answers.",
        "It is open 24/7.",
    ],
)
def test_slashes_that_are_not_units_stay(text: str) -> None:
    assert spoken(text) == [text]


def test_user_can_add_a_per_word(user_dirs: UserDirs) -> None:
    (user_dirs.config / "speech.toml").write_text('[per]\n"cycle" = "cycle"\n', encoding="utf-8")
    assert spoken("Give 2 doses/cycle.") == ["Give 2 doses per cycle."]
    assert speech_warnings() == []


# --- abbreviations that do not end sentences -----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "It takes approx. 2-4 hrs. Then you rest.",
            ["It takes approximately 2 to 4 hours.", "Then you rest."],
        ),
        (
            "Compare drug A vs. placebo. Then decide.",
            ["Compare drug A versus placebo.", "Then decide."],
        ),
        (
            "Some drugs, e.g. Tysabri, are infused. Others are not.",
            ["Some drugs, for example Ty-sabree, are infused.", "Others are not."],
        ),
        (
            "Myelin, i.e. the coating, is lost. It regrows slowly.",
            ["Myelin, that is the coating, is lost.", "It regrows slowly."],
        ),
        (
            "Apples, pears etc. are fruit. Then vegetables.",
            ["Apples, pears et cetera are fruit.", "Then vegetables."],
        ),
        (
            "Bring apples, pears etc. Then go home.",
            ["Bring apples, pears et cetera.", "Then go home."],
        ),
        (
            "Ask Dr. Smith at St. Mary's. She knows.",
            ["Ask Doctor Smith at Saint Mary's.", "She knows."],
        ),
        ("See fig. 3 and No. 5 below. Done.", ["See figure 3 and number 5 below.", "Done."]),
    ],
)
def test_abbreviations_do_not_end_sentences(text: str, expected: list[str]) -> None:
    assert spoken(text) == expected


def test_an_abbreviation_before_a_number_alone_still_ends_a_sentence() -> None:
    # "no." before a word is the word "no", not "number".
    assert sentences("I said no. Then I left.") == ["I said no.", "Then I left."]


def test_user_can_say_an_abbreviation_may_end_a_sentence(user_dirs: UserDirs) -> None:
    (user_dirs.config / "speech.toml").write_text(
        '[abbreviations]\n"approx." = "about"\n"Inc." = "Incorporated"\n'
        '[sentence_ends]\n"Inc." = "may end"\n"approx." = "maybe"\n',
        encoding="utf-8",
    )
    assert spoken("We joined Acme Inc. Then we left.") == [
        "We joined Acme Incorporated.",
        "Then we left.",
    ]
    assert spoken("It takes approx. 2 hrs.") == ["It takes about 2 hours."]
    assert any('"may end" or "never ends"' in w for w in speech_warnings())


# --- citation markers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("B cells make antibodies.[12] They matter.", ["B cells make antibodies.", "They matter."]),
        ("Relapses fell [3, 4] in trials.", ["Relapses fell in trials."]),
        ("Relapses fell [3–5] in trials.", ["Relapses fell in trials."]),
        ("It cures everything [citation needed].", ["It cures everything."]),
        ("It cures everything.[Citation needed]", ["It cures everything."]),
        ("Seen in 1990.[note 2] Later too.[a]", ["Seen in 1990.", "Later too."]),
        ("B cells.1 They are important.", ["B cells.", "They are important."]),
        ("B cells.1,2", ["B cells."]),
        ("B cells¹ are important.", ["B cells are important."]),
        ("Seen in trials,²³ and later.", ["Seen in trials, and later."]),
    ],
)
def test_citation_markers_are_not_spoken(text: str, expected: list[str]) -> None:
    assert spoken(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The room is 20 m² in size.", "The room is 20 m² in size."),  # a power, not a note
        ("Use [bold]this[/bold] wisely.", "Use [bold]this[/bold] wisely."),  # not a note
        ("See Fig.1 for details.", "See Fig.1 for details."),  # a figure after an abbreviation
        ("Vitamin B12 helps.", "Vitamin B12 helps."),
        ("Version 3.1 is out.", "Version 3.1 is out."),
    ],
)
def test_numbers_that_are_not_citations_stay(text: str, expected: str) -> None:
    assert spoken(text) == [expected]


def test_user_can_add_or_say_a_bracketed_note(user_dirs: UserDirs) -> None:
    (user_dirs.config / "speech.toml").write_text(
        '[citations]\n"sic" = ""\n"dubious" = "doubtful"\n', encoding="utf-8"
    )
    assert spoken("They was [sic] there [dubious].") == ["They was there doubtful."]


# --- links and e-mail addresses ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Read https://www.Example.org/a/b?c=1 today.", "Read link to example.org today."),
        ("Details at www.example.org/path.", "Details at link to example.org."),
        ("Open http://127.0.0.1:8080/x now.", "Open link to 127.0.0.1 now."),
        ("Open file:///home/me/a.html now.", "Open link now."),
        ("Write to nurse@example.org for help.", "Write to nurse at example.org for help."),
        ("Write to jane.doe@example.org now.", "Write to jane doe at example.org now."),
        (
            "Write to noreply-83x7@mail.example.org now.",
            "Write to an e-mail address at mail.example.org now.",
        ),
        ("Mail mailto:nurse@example.org?subject=x now.", "Mail nurse at example.org now."),
    ],
)
def test_links_and_emails_are_said_by_host_never_spelled(text: str, expected: str) -> None:
    assert spoken(text) == [expected]


def test_user_can_reword_links(user_dirs: UserDirs) -> None:
    (user_dirs.config / "speech.toml").write_text(
        '[words]\nlink = "lien vers"\nrange = "à"\n', encoding="utf-8"
    )
    assert spoken("Voir https://example.fr/x pour 2-4 heures.") == [
        "Voir lien vers example.fr pour 2 à 4 heures."
    ]


# --- end to end: `reader text` on a page served over HTTP ----------------------------------------

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Infusion days</title></head>
<body><article>
<h1>Infusion days</h1>
<p>An infusion takes approx. 2-4 hrs. Most people, e.g. those on Ocrevus, come back every
6 months.<sup>1</sup> Take 10-20 mg/day of the tablet vs. placebo, i.e. a dummy pill.[12]</p>
<p>B cells make antibodies.[3, 4] They were counted in cells/mL twice a week [citation needed].
Read more at https://www.example.org/infusions/guide?ref=feed or write to nurse@example.org.</p>
<p>The clinic opened on 2026-11-02 and answers on 555-123-4567 about COVID-19 vaccines.</p>
</article></body></html>
"""


def test_reader_text_applies_the_rules_one_sentence_per_line(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/infusions").respond_with_data(
        PAGE, content_type="text/html; charset=utf-8"
    )
    result = run("text", httpserver.url_for("/infusions"))
    assert result.returncode == 0, result.stderr
    assert result.stderr == b""
    lines = [line for line in result.stdout.decode("utf-8").splitlines() if line]
    assert lines == [
        "Infusion days",
        "An infusion takes approximately 2 to 4 hours.",
        "Most people, for example those on Ocrevus, come back every 6 months.",
        "Take 10 to 20 milligrams per day of the tablet versus placebo, that is a dummy pill.",
        "B cells make antibodies.",
        "They were counted in cells per millilitre twice a week.",
        "Read more at link to example.org or write to nurse at example.org.",
        "The clinic opened on 2026-11-02 and answers on 555-123-4567 about COVID-19 vaccines.",
    ]

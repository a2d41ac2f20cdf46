"""An amount naming one thing is said in the singular: "a 20 mg tablet" is "a 20 milligram
tablet" (a second user trial heard "20 milligrams tablet"); an amount given alone stays plural."""

from __future__ import annotations

import pytest

from reader.speech import normalise


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("Take a 20 mg tablet daily.", "Take a 20 milligram tablet daily."),
        ("A 20 mg tablet is enough.", "A 20 milligram tablet is enough."),
        ("Take one 20 mg tablet.", "Take one 20 milligram tablet."),
        ("Each 20 mg tablet is white.", "Each 20 milligram tablet is white."),
        ("Give an 80 mg dose.", "Give an 80 milligram dose."),
    ],
)
def test_one_thing_of_an_amount_is_singular(text: str, said: str) -> None:
    assert normalise(text) == said


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("The dose is 20 mg a day.", "The dose is 20 milligrams a day."),
        ("He said that 40 mg was too much.", "He said that 40 milligrams was too much."),
        ("Take vitamin A 1000 IU daily.", "Take vitamin A 1000 international units daily."),
    ],
)
def test_an_amount_alone_stays_plural(text: str, said: str) -> None:
    assert normalise(text) == said

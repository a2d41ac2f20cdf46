"""A hidden block named as a collapsed panel ("faq__answer", "accordion-content",
"chakra-collapse") is opened when it holds article text, though its toggle is a plain
<div> with a click handler that nothing marks as a control.

WCXB dev's FAQ answers and a shop's collapsed description went with the hidden (a
listing's FAQ page scored 0.35, with the answers 0.83)."""

from __future__ import annotations

from helpers.pages import page_text

INTRO = (
    "<p>Answers to the questions we hear most about renting a holiday flat in the old town, "
    "from the deposit to the day you hand back the keys.</p>"
)


def _faq(answer_class: str) -> str:
    return "".join(
        f'<div class="faq__item"><div class="faq__toggle">Question {n}: how long is the '
        f'deposit kept?</div><div class="{answer_class}" style="display: none">'
        f"<p>Answer {n}: the deposit is paid back within fourteen days of the day you leave, "
        "once the flat has been checked for damage.</p></div></div>"
        for n in range(4)
    )


def _text(body: str) -> str:
    html = f"<html><body><main><h1>Holiday flat FAQ</h1>{INTRO}{body}</main></body></html>"
    return page_text(html, "https://www.example.com/faq")


def test_hidden_panels_named_as_answers_are_opened() -> None:
    text = _text(_faq("faq__answer"))
    for n in range(4):
        assert f"Answer {n}: the deposit is paid back" in text


def test_a_hidden_block_with_another_name_stays_hidden() -> None:
    text = _text(_faq("promo"))
    assert "the deposit is paid back" not in text

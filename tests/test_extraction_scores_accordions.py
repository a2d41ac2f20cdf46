"""Accordions whose toggles are links acting as buttons, and whose panels share one id.

A guide's steps were accordion items: `<a role="button" aria-controls="item_0_content">`
(no <button>, no aria-expanded) over a hidden `<div id="item_0_content">`, the id the
same in every item (a component's template numbered them per accordion). The panels went
with the hidden: WCXB dev's solar installation guide lost two thirds of its text (0.48)."""

from __future__ import annotations

from helpers.pages import page_text


def _item(n: int) -> str:
    return (
        '<div class="steps"><div class="wrapper">'
        f'<a id="item_0_header" role="button" aria-controls="item_0_content" tabindex="0">'
        f"<span>Step {n}: the part of the work done in week {n}</span></a></div>"
        '<div id="item_0_content" role="region" style="display:none;">'
        f"<p>In week {n} the installer checks the roof, orders the panels and files the "
        f"permits; step {n} ends when the inspector signs the form for the utility.</p>"
        "</div></div>"
    )


def test_link_toggles_open_their_panels_though_every_panel_has_the_same_id() -> None:
    intro = (
        "<p>Installing solar panels takes two to three months from the first quote to the "
        "day the utility switches the system on, in six steps.</p>"
    )
    items = "".join(_item(n) for n in range(1, 7))
    html = (
        f"<html><body><article><h1>Solar, step by step</h1>{intro}{items}</article></body></html>"
    )
    text = page_text(html, "https://www.example.com/solar/installation-guide")
    for n in range(1, 7):
        assert f"step {n} ends when the inspector signs" in text

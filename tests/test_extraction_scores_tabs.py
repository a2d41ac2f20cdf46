"""A tabbed block's hidden panels are read with the one shown.

Documentation shows one code sample per language in tabs (role="tabpanel"), a shop its
description and specifications; all but one panel are hidden until a sighted reader picks
its tab, and they are as much the page's text. WCXB dev's documentation pages counted them
(twilio's quickstart had seven of eight panels hidden)."""

from __future__ import annotations

from helpers.pages import page_text

PROSE = (
    "<p>Install the client library for your language, then create a client with the key "
    "from your account settings and send the first message from your own computer.</p>"
)


def _panel(language: str, hidden: bool) -> str:
    attrs = ' hidden="" style="display:none"' if hidden else ""
    return (
        f'<div role="tabpanel"{attrs}><p>Install {language} from its download page, then '
        f"add the client package with the package manager {language} ships with.</p></div>"
    )


def test_hidden_tab_panels_are_opened() -> None:
    tabs = (
        '<div role="tablist"><span role="tab">Python</span><span role="tab">Ruby</span></div>'
        + _panel("Python", hidden=False)
        + _panel("Ruby", hidden=True)
    )
    html = f"<html><body><main><h1>Quickstart</h1>{PROSE}{tabs}{PROSE}</main></body></html>"
    text = page_text(html, "https://docs.example.org/quickstart")
    assert "Install Python from its download page" in text
    assert "Install Ruby from its download page" in text


def test_a_hidden_tab_panel_of_links_stays_hidden() -> None:
    links = "".join(f'<a href="/p/{n}">Product {n}</a> ' for n in range(12))
    tabs = _panel("Python", hidden=False) + f'<div role="tabpanel" hidden="">{links}</div>'
    html = f"<html><body><main><h1>Quickstart</h1>{PROSE}{tabs}{PROSE}</main></body></html>"
    text = page_text(html, "https://docs.example.org/quickstart")
    assert "Product 3" not in text

"""A card that pops up over a name in running text is not read inside the sentence.

News sites wrap a person's name in a card shown on hover: a portrait and links to other
stories about them. The card is inside the paragraph, so the listener heard "threatened
to kill Rep. Ilhan Omar Ilhan Omar Hillicon Valley: Progressives oppose … MORE (D-Minn.)"
(thehill.com, in Scrapinghub's news pages)."""

from __future__ import annotations

from helpers.pages import page_text

CARD = (
    '<span class="rollover-people"><a href="/people/jane-doe">Jane Doe</a>'
    '<span class="rollover-block"><span><img src="/jane.jpg" alt="">'
    '<a class="name" href="/people/jane-doe">Jane Doe</a>'
    '<a href="/news/1">Budget talks stall as the deadline nears for a deal on spending</a> '
    '<a href="/news/2">Doe asks the court for compassion in sentencing the man</a> '
    '<a class="more" href="/people/jane-doe">MORE</a></span></span></span>'
)
REST = (
    "<p>He could face up to ten years in prison after pleading guilty to threatening to "
    "assault and murder a member of Congress, prosecutors said in a statement.</p>"
    "<p>Sentencing is set for February, and his lawyer said he regrets the call and has "
    "apologised to the congresswoman and to her staff.</p>"
    "<p>The congresswoman wrote to the judge last week asking for a sentence that would "
    "help the man rather than only punish him, a letter she later shared with the public.</p>"
    "<p>Threats against members of Congress have risen sharply in the last two years, "
    "according to the Capitol Police, who opened thousands of cases last year alone.</p>"
)


def test_a_hover_card_inside_a_sentence_is_not_read() -> None:
    html = (
        "<html><body><article><h1>Man pleads guilty</h1>"
        f"<p>A man pleaded guilty to charges he threatened to kill Rep. {CARD} (D-Minn.), "
        f"the attorney's office announced Monday.</p>{REST}</article></body></html>"
    )
    text = page_text(html, "https://news.example.com/man-pleads-guilty")
    assert "threatened to kill Rep. Jane Doe (D-Minn.), the attorney's office" in text
    assert "Budget talks stall" not in text


def test_links_in_a_sentence_are_read() -> None:
    """Links one by one in running text are the sentence's own words."""
    html = (
        "<html><body><article><h1>Man pleads guilty</h1>"
        '<p>The case follows <span><a href="/a">a threat in March</a>, <a href="/b">another '
        'in May</a> and <a href="/c">a third in June</a></span>, all made by telephone to the '
        f"office of the congresswoman.</p>{REST}</article></body></html>"
    )
    text = page_text(html, "https://news.example.com/man-pleads-guilty")
    assert "The case follows a threat in March, another in May and a third in June" in text

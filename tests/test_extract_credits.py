"""Picture credits, twice-given captions and a publication's appeals are not read.

A caption describes the picture for a listener and is read; who took the picture is not
("(AP Photo/Alan Diaz, File)", "Sakib Ali/Hindustan Times/Getty Images"). Galleries give
a caption twice, whole and cut short ("… more"). Short blocks where the publication speaks
of itself ("Get the magazine delivered through your letterbox") are not the story. These
made most of the words Scrapinghub's news pages counted as read but not in the article."""

from __future__ import annotations

from helpers.pages import block_texts, page_text

STORY = (
    "<p>Home Depot reported higher sales for the third quarter on Tuesday, helped by "
    "strong demand from builders and a busy season for garden supplies across the country.</p>"
    "<p>The retailer said it expects the rest of the year to be steady, though it lowered "
    "its forecast for sales growth because of weaker lumber prices and slower spending.</p>"
    "<p>Shares fell in early trading after the report, as investors had hoped for a larger "
    "rise in the number of shoppers visiting its stores in the last three months.</p>"
    "<p>The chief executive told analysts that the company would keep investing in its "
    "delivery network, which now reaches most of its customers within two days of an order, "
    "and in the tools its staff use to help builders plan large jobs.</p>"
    "<p>Rival Lowe's reports its own results on Wednesday, and analysts expect a similar "
    "picture: steady demand from professionals, and a quieter season for shoppers who do "
    "the work on their homes themselves.</p>"
)
URL = "https://news.example.com/2019/11/home-depot-sales"


def _page(extra: str) -> str:
    return (
        "<html><body><article><h1>Home Depot sales rise</h1>"
        f"{STORY[: STORY.index('</p>') + 4]}{extra}{STORY[STORY.index('</p>') + 4 :]}"
        "</article></body></html>"
    )


def test_a_captions_credit_is_cut_and_the_caption_read() -> None:
    figure = (
        '<figure><img src="/a.jpg" alt=""><figcaption>A worker loads garage door trims into '
        "his truck outside a store in Hialeah, Fla. (AP Photo/Alan Diaz, File)"
        "</figcaption></figure>"
    )
    text = page_text(_page(figure), URL)
    assert "A worker loads garage door trims into his truck outside a store in Hialeah" in text
    assert "Alan Diaz" not in text


def test_an_agency_credit_after_the_caption_is_cut() -> None:
    figure = (
        '<figure><img src="/a.jpg" alt=""><figcaption>Traders work on the floor of the New '
        "York Stock Exchange, November 18, 2019. REUTERS/Brendan McDermid</figcaption></figure>"
    )
    text = page_text(_page(figure), URL)
    assert "Traders work on the floor of the New York Stock Exchange" in text
    assert "McDermid" not in text


def test_a_credit_alone_is_not_read() -> None:
    figure = (
        '<figure><img src="/a.jpg" alt="Smoke over the city at dawn">'
        "<figcaption><span>Smoke rises over fields near the city at dawn.</span>"
        "<span>Sakib Ali/Hindustan Times/Getty Images</span></figcaption></figure>"
    )
    text = page_text(_page(figure), URL)
    assert "Smoke rises over fields near the city" in text
    assert "Hindustan Times" not in text


def test_a_caption_given_whole_and_cut_short_is_read_once() -> None:
    whole = (
        "Brock Nelson puts the winning overtime goal behind the goaltender during a hockey "
        "game in Pittsburgh, Tuesday, Nov. 19, 2019. The Islanders won 5-4."
    )
    cut = whole[: whole.index("won")]
    figure = (
        '<div class="photo"><img src="/a.jpg" alt="">'
        f'<div class="caption-full">{whole}<a class="more-caption"> less</a></div>'
        f'<div class="caption-truncated">{cut}... <a class="more-caption">more</a></div></div>'
    )
    blocks = block_texts(_page(figure), URL)
    assert sum("Brock Nelson puts the winning" in block for block in blocks) == 1
    assert any("The Islanders won 5-4." in block for block in blocks)


def test_a_publications_appeal_is_not_read() -> None:
    appeals = (
        "<p>Get Motor Cycle Monthly delivered through your letterbox every month. 12 issues "
        "for £11.99. Click here for more information.</p>"
        "<p>Need more space? Subscribe to our sister title All About Space for the latest "
        "news from the final frontier!</p>"
    )
    text = page_text(_page(appeals), URL)
    assert "Home Depot reported higher sales" in text
    assert "letterbox" not in text
    assert "sister title" not in text


def test_a_story_about_subscriptions_is_read() -> None:
    """The words alone do not make an appeal: a long paragraph is the story's."""
    story = (
        "<p>The company said the number of people who subscribe to its magazine rose by a "
        "fifth this year, and that members who join through the new scheme stay longer than "
        "those who signed up before, a change it credits to lower prices and a better app "
        "that readers can use on the train, in the kitchen or wherever they are reading.</p>"
    )
    text = page_text(_page(story), URL)
    assert "members who join through the new scheme stay longer" in text


def test_a_picture_whose_alt_is_its_caption_is_described_once() -> None:
    box = (
        '<div class="wp-caption"><img src="/a.jpg" alt="Chairman Marcelo Claure speaking in '
        'New York (Credit: Getty Images)"><p class="wp-caption-text">Chairman Marcelo Claure '
        "speaking in New York (Credit: Getty Images)</p></div>"
    )
    blocks = block_texts(_page(box), URL)
    assert sum("Marcelo Claure speaking in New York" in block for block in blocks) == 1
    assert not any("Getty" in block for block in blocks)


def test_the_staff_lines_after_a_story_are_not_read() -> None:
    staff = (
        "<p>Reporting by Rodrigo Campos; additional reporting by Stephanie Kelly; Editing by "
        "Nick Zieminski</p>"
        "<p>Associated Press writers Alan Fram and Zeke Miller contributed to this report.</p>"
        "<p>Write to Al Root at allen.root@example.com</p>"
        "<p>Phil Helsel is a reporter for NBC News.</p>"
    )
    text = page_text(_page(staff), URL)
    assert "Home Depot reported higher sales" in text
    for gone in ("Zieminski", "Zeke Miller", "allen.root", "Phil Helsel"):
        assert gone not in text


def test_a_sign_up_boxs_fine_print_is_not_read() -> None:
    box = (
        "<p>Get editor selected deals texted right to your phone!</p>"
        "<p>By signing up, you agree to receive recurring automated marketing messages at the "
        "number provided. Message and data rates may apply.</p>"
    )
    text = page_text(_page(box), URL)
    assert "texted right to your phone" not in text
    assert "recurring automated marketing messages" not in text


def test_a_captions_more_link_is_not_read() -> None:
    figure = (
        '<div class="photo"><img src="/a.jpg" alt=""><div class="caption-full">Defense '
        "ministers shake hands in Hanoi on Wednesday before their talks on the South China "
        'Sea.<a class="more-caption"> less</a></div></div>'
    )
    blocks = block_texts(_page(figure), URL)
    caption = next(block for block in blocks if "Defense ministers shake hands" in block)
    assert caption.endswith("South China Sea.")


def test_a_posts_tags_are_not_read() -> None:
    tags = (
        '<p><strong>Tags<br><a href="/tag/home-depot" rel="tag">home depot</a>, '
        '<a href="/tag/retail" rel="tag">retail earnings</a>, '
        '<a href="/tag/lumber" rel="tag">lumber prices</a></strong></p>'
    )
    text = page_text(_page(tags), URL)
    assert "Home Depot reported higher sales" in text
    assert "retail earnings" not in text


def test_a_paywalls_appeal_is_not_read() -> None:
    appeal = "<p>Become a paid subscriber to Every to unlock this piece and our archive.</p>"
    text = page_text(_page(appeal), URL)
    assert "paid subscriber" not in text


def test_a_follow_us_line_of_many_links_is_not_read() -> None:
    follow = (
        '<p><i>Follow Newsbeat on </i><a href="https://instagram.example/nb">Instagram</a>'
        '<i>, </i><a href="https://facebook.example/nb">Facebook</a><i>, </i>'
        '<a href="https://twitter.example/nb">Twitter</a><i> and </i>'
        '<a href="https://youtube.example/nb">YouTube</a><i>.</i></p>'
    )
    text = page_text(_page(follow), URL)
    assert "Follow Newsbeat" not in text


def test_a_credit_in_a_span_of_its_own_is_not_read() -> None:
    caption = (
        '<div class="caption"><p><span>A worker loads garage door trims into his truck '
        "outside a store in Hialeah, Fla.</span><span> (AP Photo/Alan Diaz, File)</span>"
        "</p></div>"
    )
    text = page_text(_page(caption), URL)
    assert "A worker loads garage door trims" in text
    assert "Alan Diaz" not in text


def test_a_credit_of_institutions_after_a_caption_is_cut() -> None:
    figure = (
        '<figure><img src="/t.jpg" alt=""><figcaption>The first global geologic map of '
        "Titan. (NASA/JPL-Caltech/ASU)</figcaption></figure>"
    )
    text = page_text(_page(figure), URL)
    assert "The first global geologic map of Titan." in text
    assert "Caltech" not in text


def test_a_widget_the_page_never_drew_is_not_read() -> None:
    widget = (
        '<p>[button link="https://example.com/submit/" type="big"] Send us your kit review'
        "[/button]</p>"
    )
    text = page_text(_page(widget), URL)
    assert "kit review" not in text


def test_a_writers_follow_me_line_is_not_read() -> None:
    promo = (
        "<p>Mike Wall's book about the search for alien life, Out There, is out now. Follow "
        "him on Twitter @michaeldwall.</p>"
    )
    text = page_text(_page(promo), URL)
    assert "alien life" not in text


def test_a_wire_dateline_is_read() -> None:
    """ "(AP)" in a dateline says where the story comes from; only a picture's credit goes."""
    dateline = "<p><strong>ST. JOSEPH, Mich. (AP)</strong> — Health officials report a case.</p>"
    text = page_text(_page(dateline), URL)
    assert "ST. JOSEPH, Mich. (AP)" in text


def test_an_authors_note_about_herself_is_read() -> None:
    """A line of who the writer is ("a garden writer who lives in …") is hers to say;
    only the bare staff line ("X is a reporter for NBC News.") goes."""
    note = (
        "<p><em>Nina Koziol is a garden writer and horticulturist who lives and gardens in "
        "Palos Park, Illinois.</em></p>"
    )
    text = page_text(_page(note), URL)
    assert "Nina Koziol is a garden writer" in text


def test_a_photographer_named_after_the_caption_is_cut() -> None:
    figure = (
        '<figure><img src="/a.jpg" alt=""><figcaption>Jasper at the Turtle Pond in Central '
        "Park. Photograph by Richard Hayden.</figcaption></figure>"
    )
    text = page_text(_page(figure), URL)
    assert "Jasper at the Turtle Pond in Central Park." in text
    assert "Richard Hayden" not in text

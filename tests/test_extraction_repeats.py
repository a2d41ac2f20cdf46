"""A page that serves its article more than once (one copy per layout: desktop, tablet,
phone) is read once: a candidate holding every copy holds no more of the article.

WCXB dev had a marked article served three times, and trafilatura's candidate (all three
copies) replaced readability's (one) for looking three times fuller."""

from __future__ import annotations

from reader.extract.parse import parse_html
from reader.extract.prose import text_words

SECTIONS = "".join(
    f"<h2>Cost factor {n}</h2>"
    + "".join(
        f"<p>Factor {n}, point {k}: remodeling budgets in the region vary with labour, permits "
        f"and materials, and homeowners should plan for a margin of ten to twenty percent.</p>"
        for k in range(4)
    )
    for n in range(8)
)


def test_a_candidate_holding_the_article_three_times_weighs_as_one_copy() -> None:
    once = parse_html(f"<div>{SECTIONS}</div>").find(".//div")
    thrice = parse_html(f"<div>{SECTIONS}{SECTIONS}{SECTIONS}</div>").find(".//div")
    assert text_words(once) > 500
    assert text_words(thrice) == text_words(once)
    # A different line still counts: weighing by distinct lines drops only repeats.
    more = parse_html(f"<div>{SECTIONS}<p>One more distinct line of the article.</p></div>")
    assert text_words(more.find(".//div")) == text_words(once) + 7

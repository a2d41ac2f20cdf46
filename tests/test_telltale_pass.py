"""The joined pass over a page's short blocks (one regex over all of them, its alternatives
gathered by first letter for speed) says exactly what the rules say of each block alone."""

from __future__ import annotations

from reader.extract.telltales import _ANY_LEAD, _short_verdicts, is_telltale_text

FURNITURE_AND_LEADS = [
    "Leave a comment",
    "post a reply now",
    "Sign in here.",
    "signin",
    "Register to comment",
    "Subscribe to our newsletter today",
    "We use cookies to improve this site",
    "This website uses cookies",
    "Accept all cookies",
    "You might also like these",
    "Written by Jane",
    "Posted by admin",
    "Video playback is not supported on your device",
    "Please enable JavaScript to view",
    "Enable JavaScript",
    "Photo: Getty",
    "Updated on Jan 5, 2024",
    "Mon, 12/03/2024 at 10:30 am",
    "tweet",
    "Print",
    "email",
    "WhatsApp",
    "Related: foo",
    "Read more: x",
    "Don't miss",
    "Don’t miss these",
    "Also on example.com: x",
    "More from Jane Doe: x",
    "Most popular",
    "Recommended for you",
    "Related articles",
    "related stories",
    "By John Smith",
    "(Image credit: Getty)",
    "Image 3 of 12",
    "© 2024 Foo",
    "12 comments",
    "Comments (3)",
    "Hits: 12",
    "3 views",
    "Ad",
    "Ads",
    "Advertisement",
    "Share this article:",
    "Follow us on Twitter",
    "Like this story? Share it",
    "This video requires JavaScript",
    "12/03/2024",
    "March 3, 2024",
    "3rd March 2024",
    "Was this page helpful?",
    "No comments yet",
    "Be the first to comment",
    "Already registered?",
    "Captcha image",
    "Credits: foo",
    "Sources: bar",
    "Fotos: x",
    "Watch: the interview",
]
PROSE = [
    "Natalizumab is given every four weeks in a hospital day unit.",
    "Most people feel well afterwards and go home.",
    "Adverse events are rare.",
    "Share prices fell.",
    "Printing the leaflet helps.",
    "By then it was too late to change.",
    "Read the leaflet before your first infusion.",
    "More than half of patients respond.",
    "Go 12.",
    "The 12.",
    "Zürich study",
    "Q: why?",
]


def test_the_joined_pass_agrees_with_each_rule_alone() -> None:
    lines = FURNITURE_AND_LEADS + PROSE
    lines += [line.upper() for line in lines] + [f"{line} é" for line in lines]
    verdicts = _short_verdicts(lines)
    for index, line in enumerate(lines):
        expected = "furniture" if is_telltale_text(line) else None
        if expected is None and _ANY_LEAD.match(line):
            expected = "lead"
        assert verdicts.get(index) == expected, line
    # and the lists hold what their names say
    assert all(verdicts.get(i) for i in range(len(FURNITURE_AND_LEADS)))
    assert not any(verdicts.get(len(FURNITURE_AND_LEADS) + i) for i in range(len(PROSE)))

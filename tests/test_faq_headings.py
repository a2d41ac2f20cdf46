"""A FAQ's questions are headings one level below their Q&A section, so the heading keys
(1-6), as screen-reader users skim, find them (a user trial: "No next level 3 heading." on a
page whose FAQ had three <h3> questions). Real app, eSpeak on the null backend, the page on
127.0.0.1; the speech log is the oracle."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.app import running
from pytest_httpserver import HTTPServer

from reader.ui.screens import ReaderScreen

pytestmark = pytest.mark.anyio

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def faq(httpserver: HTTPServer) -> str:
    page = (FIXTURES / "faq.html").read_text(encoding="utf-8")
    httpserver.expect_request("/faq.html").respond_with_data(
        page, content_type="text/html; charset=utf-8"
    )
    return httpserver.url_for("/faq.html")


def shown(run) -> str:  # type: ignore[no-untyped-def]
    return str(run.app.screen.query_one("#message").render())


async def test_level_3_goes_through_the_questions_then_the_subsections(
    tmp_path: Path, faq: str
) -> None:
    async with running(tmp_path, faq, rate=400) as run:
        assert isinstance(run.app.screen, ReaderScreen)
        expected = [
            "How long does an infusion appointment take?",
            "Can I eat before my infusion?",
            "Can I drive home afterwards?",
        ]
        for question in expected:
            mark = await run.press("3")
            said = await run.heard(question, mark)
            assert said["text"].startswith("Question")  # still read as a question
            await run.said("heading level 3", mark)
            assert question in shown(run) and "heading level 3" in shown(run)
        mark = await run.press("3")
        await run.heard("What should I do if I get a rash at home?", mark)
        mark = await run.press("3")
        await run.said("Infusion reaction", mark)  # a real h3 comes next, in reading order
        mark = await run.press("number_sign")  # shift+3 in a terminal: back to the question
        await run.heard("What should I do if I get a rash at home?", mark)
        mark = await run.press("2")
        await run.said("Words you may hear", mark)  # level 2 is unchanged: the sections

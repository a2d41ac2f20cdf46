"""A number is one word on screen however many eSpeak says ("45": "forty five"): its word marks
start only where words start, so the highlight never lands on "5 " or "026," (a second user
trial saw it jump inside numbers). Real eSpeak through the reader's own driver."""

from __future__ import annotations

import re

from helpers.speech import reader_driver


def test_word_marks_start_only_where_words_start() -> None:
    text = "Relapses fell by 45 percent in 2026, at rate 175."
    marks = reader_driver().synthesize(text).marks
    starts = [m.offset for m in marks]
    assert starts == [w.start() for w in re.finditer(r"\w+", text)]
    assert [text[m.offset : m.offset + m.length] for m in marks][3] == "45"
    times = [m.time for m in marks]
    assert times == sorted(times) and times[4] > times[3]  # "percent" after all of "45"

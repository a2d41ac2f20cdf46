"""How many examples the property tests (Hypothesis) try. These properties compare a shortcut
with the slow rule it stands for, on text made from pieces that wake every rule: a few hundred
examples reach each piece and most pairs of them, while the thousands they once tried cost ~35 s
of CPU on every run of the suite. A deep run, at least as many as before, when changing a
shortcut (normalise, telltales, one_line):
    READER_TEST_DEPTH=10 ./test tests/test_speech_fast_path.py tests/test_html_rules.py
Hypothesis also keeps each failing example in .hypothesis/ and tries it first next time."""

from __future__ import annotations

import os

DEPTH = max(1, int(os.environ.get("READER_TEST_DEPTH", "1")))


def examples(count: int) -> int:
    """`count` examples for the suite, `count` times READER_TEST_DEPTH in a deep run."""
    return count * DEPTH

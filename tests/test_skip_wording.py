"""A skipped feed item's reason is said without its address or its HTTP status: the status is
shown on screen, and "(HTTP 404)" said aloud means nothing to most listeners (second user trial)."""

from __future__ import annotations

from reader.ui.feedflow import without_addresses


def test_the_status_and_the_address_are_left_out_of_the_said_reason() -> None:
    error = "The page http://127.0.0.1:8765/gone was not found (HTTP 404)."
    assert without_addresses(error) == "The page was not found."


def test_a_reason_without_a_status_is_unchanged_but_for_its_address() -> None:
    error = "http://127.0.0.1:8765/r.pdf is a PDF document, not a web page."
    assert without_addresses(error) == "It is a PDF document, not a web page."

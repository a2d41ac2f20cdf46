"""Speech rules as the reader loads them: the built-in ones alone, or overlaid with a user's own
speech.toml written for the test."""

from __future__ import annotations

from pathlib import Path

from reader.speech.rules import SpeechRules, load_rules

# A user file that does not exist: the built-in rules, as for a user who never wrote one.
BUILT_IN = load_rules(Path("/nonexistent/speech.toml"))


def rules_from(folder: Path, toml: str) -> SpeechRules:
    """The rules of a user whose speech.toml in `folder` holds `toml`."""
    own = folder / "speech.toml"
    own.write_text(toml, encoding="utf-8")
    return load_rules(own)

"""A speech log (`--speech-log`) followed as it grows: the tests look at it every 20 ms while the
reader speaks, and a log holds a record for every word, so parsing the whole file again at each
look cost the suite more CPU the longer a test ran. This reads only what was appended since the
last look, with the same result as reader.speechlog.read_log."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


class FollowedLog:
    """The records of the log at `path`, read on from where the last call stopped."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._records: list[dict[str, Any]] = []
        self._offset = 0  # bytes of whole lines parsed so far

    def records(self) -> list[dict[str, Any]]:
        """All records so far (a copy; a partly written last line waits for the next call)."""
        try:
            with self.path.open("rb") as file:
                if file.seek(0, 2) < self._offset:  # replaced by a shorter file: start again
                    self._records, self._offset = [], 0
                file.seek(self._offset)
                added = file.read()
        except FileNotFoundError:
            return []
        complete = added.rfind(b"\n") + 1
        for line in added[:complete].decode("utf-8").splitlines():
            try:
                self._records.append(json.loads(line))
            except ValueError:
                continue
        self._offset += complete
        return list(self._records)

"""Element keys, the links list and backspace in a real pseudo-terminal, as a listener meets
them: `python -m reader URL --audio null --speech-log LOG` on pages served on 127.0.0.1, keys
written as a terminal sends them (shift+1 is "!", ctrl+down is ESC [1;5B, backspace is DEL),
checked through the speech log."""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path

from helpers.terminal import ENTER, UP, Terminal, reader_in_pty, terminal_env

CTRL_DOWN, BACKSPACE = b"\x1b[1;5B", b"\x7f"


def reader_at(source: str, tmp_path: Path) -> AbstractContextManager[Terminal]:
    """The reader on `source` in a pty, at 250 wpm."""
    log = tmp_path / "speech.jsonl"
    return reader_in_pty(source, log, terminal_env(), "--rate", "250")


def test_element_keys_links_and_back_in_a_real_terminal(tmp_path: Path, site) -> None:
    with reader_at(site("guide.html"), tmp_path) as term:
        term.reading()  # it reads by itself
        mark = term.send(b"2")
        term.said("Treatment", mark)
        term.said("heading level 2", mark)
        mark = term.send(b"!")  # shift+1, as the terminal sends it
        term.said("Living with MS: a guide", mark)
        term.said("heading level 1", mark)
        mark = term.send(CTRL_DOWN)
        paragraph = term.reading(mark)
        assert paragraph["text"].startswith(("Multiple sclerosis", "Read it from the start"))
        mark = term.send(b"3")
        term.said("Infusions", mark)
        assert term.reading(mark)["section"] == 2  # its title, then on
        mark = term.send(b"k")
        term.said("Links, 3 items. MS Society, 2 of 3.", mark)
        # Where reading stood when the list opened: backspace must come back there.
        heard = [r for r in term.starts() if r["section"] is not None and r["section"] == 2]
        place = (heard[-1]["section"], heard[-1]["sentence"])
        mark = term.send(UP)
        term.said("guide to infusion side effects, 1 of 3", mark)
        mark = term.send(ENTER)
        term.said("Loading guide to infusion side effects", mark)
        other = term.reading(mark)
        assert other["text"].startswith("Infusion side effects")
        mark = term.send(BACKSPACE)
        said = term.said("Back to Living with MS: a guide.", mark)
        assert "Resuming at section 3 of 7, Infusions" in said["text"]
        back = term.reading(mark)
        assert (back["section"], back["sentence"]) == place
        mark = term.send(b"q")
        term.said("Goodbye", mark)
        assert term.wait(lambda: term.proc.poll() is not None)
        assert term.proc.returncode == 0

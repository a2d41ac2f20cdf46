"""`reader export` without --voice reads each language in the voice the user keeps for it, as the
reader itself does (settings.toml's [voices] table, issue 12/14): real eSpeak NG, real WAVs."""

from __future__ import annotations

import wave
from pathlib import Path

import pytest
from helpers.cli import run
from helpers.paths import UserDirs

FRENCH = """<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">
<title>Les traitements</title></head><body><article><h1>Les traitements</h1>
<p>La sclérose en plaques touche le cerveau et la moelle épinière. Les traitements réduisent
le nombre de poussées de 70 pour cent et ralentissent la maladie chez beaucoup de personnes.</p>
<p>Parlez avec votre neurologue avant de changer de traitement.</p></article></body></html>"""


def frames(path: Path) -> bytes:
    with wave.open(str(path)) as wav:
        return wav.readframes(wav.getnframes())


@pytest.fixture
def french(tmp_path: Path) -> Path:
    path = tmp_path / "fr.html"
    path.write_text(FRENCH, encoding="utf-8")
    return path


def export(page: Path, out: Path, *options: str) -> bytes:
    result = run("export", str(page), "-o", str(out), "--rate", "400", *options)
    assert result.returncode == 0, result.stderr.decode()
    return frames(out)


def assert_reads_in(page: Path, out: Path, voice: str, not_in: str) -> None:
    """The export without --voice is the very audio of the export with `voice`, and not that
    of the export with `not_in`."""
    chosen = export(page, out / "chosen.wav")
    assert chosen == export(page, out / "voice.wav", "--voice", voice)
    assert chosen != export(page, out / "not.wav", "--voice", not_in)


def test_the_voice_kept_for_the_language_reads_the_export(
    french: Path, tmp_path: Path, user_dirs: UserDirs
) -> None:
    settings = user_dirs.config / "settings.toml"
    settings.write_text('voice = "gmw/en-us"\n[voices]\nfr = "roa/fr-be"\n', encoding="utf-8")
    # Belgian French says 70 "septante": the check can fail
    assert_reads_in(french, tmp_path, "roa/fr-be", not_in="roa/fr")


def test_a_voice_kept_for_another_language_never_reads_this_one(
    french: Path, tmp_path: Path, user_dirs: UserDirs
) -> None:
    """An older version's single English voice reads English pages, not French ones: with no
    French voice kept, the best French voice reads, as in the app."""
    settings = user_dirs.config / "settings.toml"
    settings.write_text('voice = "gmw/en-us"\n', encoding="utf-8")
    assert_reads_in(french, tmp_path, "roa/fr", not_in="gmw/en-us")

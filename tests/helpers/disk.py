"""Real OS-level write failures for tests, never a mocked store: a tiny tmpfs filled to the last
byte or remounted read-only (needs root, which a chmod cannot stop), or, without root, a folder
whose write permission is taken away, or a lock held by another process."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def can_mount(scratch: Path) -> bool:
    """Root, and allowed to mount (a container may be root without CAP_SYS_ADMIN)."""
    if not is_root():
        return False
    scratch.mkdir(parents=True, exist_ok=True)
    try:
        with tmpfs(scratch):
            return True
    except subprocess.CalledProcessError:
        return False


@contextmanager
def tmpfs(path: Path, size: str = "256k") -> Iterator[Path]:
    """A tmpfs of `size` mounted on `path` for the block (as root)."""
    path.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(path)],
        check=True,
        capture_output=True,
    )
    try:
        yield path
    finally:
        # Lazy: a process of the test still holding a file there must not leave it mounted.
        subprocess.run(["umount", "-l", str(path)], check=False, capture_output=True)


def fill(folder: Path) -> Path:
    """Write a file in `folder` until its filesystem has no byte left (ENOSPC)."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    try:
        for size in (65536, 4096, 512, 1):
            try:
                while True:
                    os.write(fd, b"\0" * size)
            except OSError as err:
                if err.errno != errno.ENOSPC:
                    raise
    finally:
        os.close(fd)
    return filler


def remount_read_only(path: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(path)], check=True, capture_output=True)


def take_write_permission(folder: Path) -> None:
    """Not for root (root writes anyway): use a read-only mount there."""
    assert not is_root()
    folder.chmod(0o555)


@contextmanager
def locked(database: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holding SQLite's exclusive lock on `database` for the block."""
    code = textwrap.dedent(
        f"""
        import sqlite3, sys
        db = sqlite3.connect({str(database)!r}, isolation_level=None)
        db.execute("BEGIN EXCLUSIVE")
        print("locked", flush=True)
        sys.stdin.read()
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
        yield proc
    finally:
        if proc.stdin is not None:
            proc.stdin.close()
        proc.wait(timeout=30)

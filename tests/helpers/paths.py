"""Where things are, for the tests and for the reader processes they start."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent  # the checkout
FIXTURES = ROOT / "tests" / "fixtures"
SEED = FIXTURES / "seed_like.html"  # the article most tests read


def seed_copy(folder: Path) -> str:
    """A copy of the seed-like article in `folder` (a test's reader may remember it there)."""
    target = folder / "seed_like.html"
    shutil.copy(SEED, target)
    return str(target)


def python_path() -> str:
    """This checkout first, for the `python -m reader` children the tests start."""
    return os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))


def returning_user(config: Path) -> None:
    """A settings file already there, as after any earlier run: the app's first-run welcome is
    then not said, so tests hear exactly what they drive (the welcome has its own test)."""
    config.mkdir(parents=True, exist_ok=True)
    (config / "settings.toml").touch()


@dataclass(frozen=True)
class UserDirs:
    """The folders a test's reader keeps its settings and state in (the `user_dirs` fixture)."""

    config: Path
    data: Path

"""Where reader keeps the user's files, decided in one place.

config_dir()   settings.toml, speech.toml     $READER_CONFIG_DIR, else the platform's
data_dir()     saved places, recent articles   $READER_DATA_DIR, else the platform's
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "reader"


def config_dir() -> Path:
    """The settings directory: $READER_CONFIG_DIR, else the platform's user config dir."""
    override = os.environ.get("READER_CONFIG_DIR")
    if override:
        return Path(override)
    import platformdirs  # lazy: `reader --help` stays fast

    return Path(platformdirs.user_config_dir(APP_NAME))


def data_dir() -> Path:
    """The data directory (positions, recent list): $READER_DATA_DIR, else the platform's."""
    override = os.environ.get("READER_DATA_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME))

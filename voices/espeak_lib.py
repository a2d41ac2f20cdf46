"""Make libespeak-ng loadable for pyttsx3 with a pip-only install (no apt, no system eSpeak NG).

pyttsx3's eSpeak driver (pyttsx3/drivers/_espeak.py) loads the library by bare soname,
`cdll.LoadLibrary("libespeak-ng.so.1")`, at import time. When no system copy exists we preload
the copy shipped by the `espeakng-loader` wheel with RTLD_GLOBAL: the dynamic linker then answers
that later bare-soname request with the already-loaded object (it matches DT_SONAME), so pyttsx3
needs no patching. eSpeak NG finds its voice data through ESPEAK_DATA_PATH, which must be set
before the library is initialised.

Call `ensure_espeak()` before importing pyttsx3's espeak driver. It is idempotent.
"""

from __future__ import annotations

import ctypes
import os
from dataclasses import dataclass

from voices.errors import SpeechError

SONAME = "libespeak-ng.so.1"


@dataclass(frozen=True)
class EspeakLocation:
    library: str  # what was loaded: a soname for the system copy, a file path for the wheel's
    data_path: str | None  # ESPEAK_DATA_PATH we set, None when the system default is used
    source: str  # "system" | "espeakng-loader"


_loaded: EspeakLocation | None = None


def ensure_espeak() -> EspeakLocation:
    """Load libespeak-ng once per process, preferring the system copy; raise SpeechError if none."""
    global _loaded
    if _loaded is None:
        _loaded = _find_system() or _load_from_wheel()
    return _loaded


def _find_system() -> EspeakLocation | None:
    # dlopen by soname is the very lookup pyttsx3 will make, and it takes well under a
    # millisecond; ctypes.util.find_library runs ldconfig (or even gcc), 10 ms or more, on the
    # worker's start-up path.
    try:
        ctypes.CDLL(SONAME, mode=ctypes.RTLD_GLOBAL)
    except OSError:
        return None
    return EspeakLocation(
        library=SONAME, data_path=os.environ.get("ESPEAK_DATA_PATH"), source="system"
    )


def _load_from_wheel() -> EspeakLocation:
    try:
        import espeakng_loader
    except ImportError as err:
        raise SpeechError(
            "eSpeak NG is not installed: install the espeak-ng package or the "
            "espeakng-loader Python package."
        ) from err
    try:
        library = _wheel_library(espeakng_loader.get_library_path())
        data_path = espeakng_loader.get_data_path()
        # Before loading: eSpeak reads this when it is initialised, and the worker inherits it.
        os.environ["ESPEAK_DATA_PATH"] = data_path
        ctypes.CDLL(library, mode=ctypes.RTLD_GLOBAL)
    except (OSError, RuntimeError) as err:
        raise SpeechError(f"The bundled eSpeak NG library could not be loaded ({err}).") from err
    return EspeakLocation(library=library, data_path=data_path, source="espeakng-loader")


def _wheel_library(path: str) -> str:
    """The wheel's `libespeak-ng.so` may be a copy rather than a link; prefer the file whose name is
    the soname pyttsx3 asks for, so the loaded object is unmistakably that library."""
    versioned = os.path.join(os.path.dirname(path), SONAME)
    return versioned if os.path.exists(versioned) else path

"""Measuring synthesised audio: shared by the speech benchmark and the tests, so both judge
rate by the same rule."""

from __future__ import annotations

from array import array

from voices.base import Audio

SILENCE_LEVEL = 300  # |sample| at or below this is silence for pause detection
PAUSE_MIN = 0.100  # silent runs longer than this are pauses, not speech
WINDOW = 0.005  # seconds per analysis window


def samples(audio: Audio) -> array:
    a = array("h")
    a.frombytes(audio.pcm[: len(audio.pcm) // 2 * 2])
    return a


def loud_windows(audio: Audio) -> list[bool]:
    pcm = samples(audio)
    step = max(1, int(audio.sample_rate * WINDOW))
    out = []
    for i in range(0, len(pcm), step):
        chunk = pcm[i : i + step]
        out.append(max(chunk) > SILENCE_LEVEL or min(chunk) < -SILENCE_LEVEL)
    return out


def speech_seconds(audio: Audio) -> float:
    """Audio length with leading/trailing silence and every pause longer than PAUSE_MIN removed."""
    loud = loud_windows(audio)
    first = next((i for i, v in enumerate(loud) if v), len(loud))
    last = max((i for i, v in enumerate(loud) if v), default=-1)
    kept = 0
    run = 0
    for v in loud[first : last + 1]:
        if v:
            kept += 1 + (run if run * WINDOW <= PAUSE_MIN else 0)
            run = 0
        else:
            run += 1
    return kept * WINDOW

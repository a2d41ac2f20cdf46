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


def word_onsets(audio: Audio, pause: float = PAUSE_MIN, hold: float = 0.06) -> list[float]:
    """Seconds where speech resumes after a pause of at least `pause` seconds (silence as in
    `loud_windows`). Sound between two pauses counts only when it lasts `hold` seconds or more
    and somewhere reaches a tenth of the audio's loud level (its 90th-percentile window RMS):
    a neural voice breathes in, softly, before it speaks again, and a stop consonant's release
    at the end of a word is a short burst; neither is a word starting."""
    pcm = samples(audio)
    step = max(1, int(audio.sample_rate * WINDOW))
    levels = [
        (sum(x * x for x in pcm[i : i + step]) / len(pcm[i : i + step])) ** 0.5
        for i in range(0, len(pcm), step)
    ]
    if not levels:
        return []
    strong = 0.1 * sorted(levels)[int(0.9 * (len(levels) - 1))]
    loud = loud_windows(audio)
    gap = max(1, int(pause / WINDOW))
    onsets: list[float] = []
    i, quiet = 0, gap  # the very start counts as after a pause
    while i < len(loud):
        if not loud[i]:
            quiet += 1
            i += 1
            continue
        end, silent = i, 0  # the island of sound runs until the next pause
        while end < len(loud) and silent < gap:
            silent = 0 if loud[end] else silent + 1
            end += 1
        island = levels[i : end - silent]
        if quiet >= gap and len(island) * WINDOW >= hold and max(island) >= strong:
            onsets.append(i * WINDOW)
        i, quiet = end, silent
    return onsets

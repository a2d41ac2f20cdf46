"""Rate and volume: their steps, their limits, and how a change is said."""

from __future__ import annotations

from voices.base import MAX_RATE, MIN_RATE

RATE_STEP = 25
VOLUME_STEP = 0.1
# Never silent: at 0 % a blind user cannot hear how to turn it back up (and it is saved).
MIN_VOLUME = 0.1
MAX_VOLUME = 1.0


def step_rate(rate: int, direction: int) -> int:
    """The next rate on the 25 wpm grid in `direction` (+1 faster, -1 slower), within the limits:
    80 -> 100 -> 125 ... 975 -> 1000 and back, so a limit never leaves the steps off the grid."""
    if direction > 0:
        wanted = (rate // RATE_STEP + 1) * RATE_STEP
    else:
        wanted = (-(-rate // RATE_STEP) - 1) * RATE_STEP  # -(-a // b): a / b rounded up
    return min(max(wanted, MIN_RATE), MAX_RATE)


def rate_text(rate: int) -> str:
    """'Rate 250'; the limits are said: 'Rate 80, slowest', 'Rate 1000, fastest'."""
    limit = ", fastest" if rate >= MAX_RATE else ", slowest" if rate <= MIN_RATE else ""
    return f"Rate {rate}{limit}"


def clamp_volume(volume: float) -> float:
    """Volume kept audible: MIN_VOLUME..MAX_VOLUME, on the 10 % grid."""
    return min(max(round(volume, 2), MIN_VOLUME), MAX_VOLUME)


def volume_text(volume: float) -> str:
    """'Volume 60 percent'; the limits are said: 'Volume 10 percent, softest'."""
    percent = round(volume * 100)
    if percent <= round(MIN_VOLUME * 100):
        return f"Volume {percent} percent, softest"
    if percent >= round(MAX_VOLUME * 100):
        return f"Volume {percent} percent, loudest"
    return f"Volume {percent} percent"

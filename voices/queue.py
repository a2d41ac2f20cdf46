"""The speech queue: synthesise ahead, play gaplessly, and report what is actually heard.

Two threads:
- the synth thread turns queued SpeechItems into Audio one or two utterances ahead of the
  one playing and hands each to the player straight away, so sentences follow with no gap;
- the event thread wakes after every audio period the player delivers and turns the
  player's sample counts into events: "start" when an utterance's first sample reaches
  the device, "word" when the sample at a word mark's time does, "end" when its last does.
  Stop, error and every other event are emitted from this same thread, in order.

Subscribers are called on the event thread; a UI must marshal to its own loop.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import replace

from voices.base import DEFAULT_RATE, Audio, SpeechEvent, SpeechItem, SynthDriver, VoiceInfo
from voices.player import AudioPlayer
from voices.utterance import (
    Entry,
    Kept,
    Settings,
    VoicePicker,
    clamp_rate,
    entries_for,
    rate_notice,
    reuse,
)

log = logging.getLogger(__name__)

Subscriber = Callable[[SpeechEvent], None]


class SpeechQueue:
    def __init__(self, driver: SynthDriver, player: AudioPlayer, lookahead: int = 2) -> None:
        self.driver = driver
        self.player = player
        self.lookahead = max(1, lookahead)
        self.message = ""  # the last clamping notice, for the UI to show or speak
        self._cv = threading.Condition()
        self._driver_lock = threading.Lock()  # the driver is used by one thread at a time
        self._wake = threading.Event()
        self._pending: deque[Entry] = deque()  # not synthesised yet
        self._ready: deque[Entry] = deque()  # synthesised (or failed), in play order
        self._outbox: deque[SpeechEvent] = deque()
        self._subscribers: list[Subscriber] = []
        self._gen = 0  # bumped by stop/interrupt: synth results from older gens are dropped
        self._settings = Settings(
            clamp_rate(getattr(driver, "rate", DEFAULT_RATE)),
            float(getattr(driver, "volume", 1.0)),
            int(getattr(driver, "pitch", 50)),
            getattr(driver, "voice", None),
        )
        self._applied: Settings | None = None  # what the driver was last set to
        self._voices: list[VoiceInfo] | None = None
        self._picker: VoicePicker | None = None
        self._kept: Kept = {}  # audio the last stop dropped unheard, to play if asked again
        self._closed = False
        self._current: Entry | None = None
        self._last_time = 0.0  # time of the last event emitted
        self._emitting = False  # events taken from the outbox but not yet delivered
        player.add_listener(self._wake.set)
        self._synth_thread = threading.Thread(target=self._synth_loop, name="speech-synth")
        self._event_thread = threading.Thread(target=self._event_loop, name="speech-events")
        self._synth_thread.daemon = self._event_thread.daemon = True
        self._synth_thread.start()
        self._event_thread.start()

    # ---- public API -------------------------------------------------------------------------

    def subscribe(self, callback: Subscriber) -> None:
        with self._cv:
            self._subscribers.append(callback)

    def unsubscribe(self, callback: Subscriber) -> None:
        with self._cv:
            if callback in self._subscribers:
                self._subscribers.remove(callback)

    def speak(self, items: Sequence[SpeechItem], interrupt: bool = True) -> None:
        """Queue items; with interrupt (the default) first cancel everything, including
        synthesis in progress, and un-pause. Empty and whitespace-only items are skipped."""
        with self._cv:
            if interrupt:
                self._cancel(emit_stop=True)
                self._set_paused(False)
            for item in items:
                if item.text and item.text.strip():
                    # Nothing queued: the listener waits for this one's first sound.
                    quick = not self._pending and not self._ready
                    self._pending.extend(self._entries(item, quick))
            self._changed()

    def stop(self) -> None:
        """Silence at the next audio period and forget everything queued."""
        with self._cv:
            self._cancel(emit_stop=True)
            self._set_paused(False)
            self._changed()

    def pause(self) -> None:
        """Pause mid-sentence; resume() continues at the same sample."""
        with self._cv:
            self._set_paused(True)

    def resume(self) -> None:
        with self._cv:
            self._set_paused(False)
            self._changed()

    def respeak_from_word(self) -> bool:
        """Re-speak the current utterance from its current word with the settings now in
        force (after a rate change, say). Events keep offsets into the original text.
        Returns False when nothing is being spoken."""
        with self._cv:
            entry = self._current or (self._ready[0] if self._ready else None)
            if entry is None or entry.token is None:
                return False
            tail = entry.tail(entry.word_offset if entry.started else entry.base)
            rest = [e.fresh() for e in self._ready if e is not entry]
            self._gen += 1
            self._cancel_synthesis()
            self.player.stop()
            self._ready.clear()
            self._current = None
            self._pending.extendleft(reversed([tail, *rest]))
            self._changed()
            return True

    def set_rate(self, wpm: float) -> int:
        """Words per minute, clamped to MIN_RATE..MAX_RATE; from the next utterance."""
        rate = clamp_rate(wpm)
        self.message = rate_notice(wpm, rate)
        self._update(rate=rate)
        return rate

    def set_volume(self, volume: float) -> float:
        value = min(1.0, max(0.0, float(volume)))
        self._update(volume=value)
        return value

    def set_pitch(self, pitch: int) -> int:
        value = min(100, max(0, int(pitch)))
        self._update(pitch=value)
        return value

    def set_voice(self, voice: str | None) -> None:
        """A VoiceInfo.id from driver.voices() (or a name the driver's `resolve_voice` knows,
        such as "natural"), or None for the default; from the next utterance. An unknown voice
        raises ValueError with a plain sentence."""
        if voice is not None and voice not in {v.id for v in self.voices()}:
            resolve = getattr(self.driver, "resolve_voice", None)  # "natural", "en-gb"...
            if resolve is None:
                raise ValueError(f"There is no voice called {voice!r}.")
            try:
                voice = resolve(voice)
            except Exception as err:  # the driver's sentence, under the queue's one error type
                raise ValueError(str(err)) from err
        self.prepare_voice(voice)
        self._update(voice=voice)

    def prepare_voice(self, voice: str | None) -> None:
        """`voice` will speak soon: a driver that must load it first (the natural voice) starts
        now rather than when its first sentence is waited for."""
        prepare = getattr(self.driver, "prepare", None)
        if prepare is not None:
            try:
                prepare(voice)
            except Exception:  # noqa: BLE001 - it then loads when first used, and says why
                log.warning("preparing voice %r failed", voice, exc_info=True)

    def set_voice_picker(self, picker: VoicePicker | None) -> None:
        """`picker(item)` says which voice speaks which part of each item queued from now on:
        (offset, voice id) runs, None for the queue's own voice (see voices/utterance.py). The
        reader speaks its own words in one voice and the article in another this way."""
        with self._cv:
            self._picker = picker

    def refresh_voices(self) -> None:
        """Look for voices again (one was just installed)."""
        refresh = getattr(self.driver, "refresh", None)
        with self._driver_lock:
            if refresh is not None:
                refresh()
            self._voices = None

    def voices(self) -> list[VoiceInfo]:
        if self._voices is None:
            with self._driver_lock:
                self._voices = list(self.driver.voices())
        return self._voices

    @property
    def rate(self) -> int:
        return self._settings.rate

    @property
    def volume(self) -> float:
        return self._settings.volume

    @property
    def pitch(self) -> int:
        return self._settings.pitch

    @property
    def voice(self) -> str | None:
        return self._settings.voice

    @property
    def paused(self) -> bool:
        """Paused mid-sentence: the player's flag (only the queue pauses its player), so the two
        never disagree."""
        return self.player.paused

    @property
    def speaking(self) -> bool:
        """True while anything is queued, being synthesised or playing (even if paused)."""
        with self._cv:
            return bool(self._pending or self._ready)

    @property
    def current(self) -> SpeechItem | None:
        """The item whose audio is playing now (None between and after utterances)."""
        entry = self._current
        return entry.item if entry is not None else None

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Block until everything queued has been played and its events emitted."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cv:
            while self._pending or self._ready or self._outbox or self._emitting:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    return False
                self._cv.wait(left)
        return True

    def close(self) -> None:
        """Stop both threads and the audio device. The driver is the caller's to close."""
        with self._cv:
            if self._closed:
                return
            self._cancel(emit_stop=False)
            self._closed = True
            self._changed()
        self.player.remove_listener(self._wake.set)
        self._synth_thread.join(timeout=5)
        self._event_thread.join(timeout=5)
        self.player.close()

    def __enter__(self) -> SpeechQueue:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- state changes (call with self._cv held) ----------------------------------------------

    def _changed(self) -> None:
        self._cv.notify_all()
        self._wake.set()

    def _set_paused(self, paused: bool) -> None:
        if paused:
            self.player.pause()
        else:
            self.player.resume()

    def _entries(self, item: SpeechItem, quick: bool) -> list[Entry]:
        """The queue entries for `item`: a run per voice the picker gives, each in the pieces
        the driver asks for (voices/utterance.py)."""
        runs = [(0, None)]
        if self._picker is not None:
            try:
                runs = list(self._picker(item))
            except Exception:  # noqa: BLE001 - a broken picker must not silence speech
                log.exception("voice picker failed")
        split = getattr(self.driver, "split", None)
        entries = entries_for(item, runs, split, self._settings.voice, quick)
        return reuse(item, entries, self._kept, self._settings_for)

    def _cancel_synthesis(self) -> None:
        """A driver that can end a running synthesis (Piper) does so: its result would be
        dropped anyway, and the next utterance must not wait for it."""
        cancel = getattr(self.driver, "cancel", None)
        if cancel is not None:
            try:
                cancel()
            except Exception:  # noqa: BLE001 - the synthesis then just runs to its end
                log.warning("cancelling synthesis failed", exc_info=True)

    def _cancel(self, emit_stop: bool) -> None:
        # The item the listener was hearing, or about to hear.
        waiting = self._ready or self._pending
        active = self._current or (waiting[0] if waiting else None)
        was_busy = bool(self._pending or self._ready)
        self._kept = {
            (e.text, e.made_with): e.audio
            for e in self._ready
            if e.audio is not None and e.made_with is not None
        }
        self._gen += 1
        if self._pending:
            self._cancel_synthesis()
        self.player.stop()
        self._pending.clear()
        self._ready.clear()
        self._current = None
        if emit_stop and was_busy:
            item = active.item if active is not None else None
            voice = self._voice_of(active) if active is not None else None
            self._outbox.append(SpeechEvent("stop", item, time=time.monotonic(), voice=voice))

    def _update(self, **changes: object) -> None:
        with self._cv:
            old = self._settings
            new = Settings(**{**old.__dict__, **changes})  # type: ignore[arg-type]
            if new == old:
                return
            self._settings = new
            self._requeue_unstarted()
            self._changed()

    def _requeue_unstarted(self) -> None:
        """Audio synthesised ahead with the old settings must not be heard: take back
        whatever has not started playing and synthesise it again."""
        dropped = set(self.player.drop_unstarted())
        keep = [e for e in self._ready if e.token is not None and e.token not in dropped]
        redo = [e.fresh() for e in self._ready if e not in keep]
        self._ready = deque(keep)
        self._pending.extendleft(reversed(redo))

    # ---- synth thread ---------------------------------------------------------------------------

    def _synth_loop(self) -> None:
        while True:
            with self._cv:
                while not self._closed and not self._wants_synth():
                    self._cv.wait()
                if self._closed:
                    return
                entry, gen = self._pending[0], self._gen
                settings = self._settings_for(entry)
            if entry.kept is not None:  # made before: heard at once
                audio, error = entry.kept, ""
            else:
                audio, error = self._synthesize(entry.text, settings, gen)
            with self._cv:
                self._store(entry, gen, settings, audio, error)

    def _settings_for(self, entry: Entry) -> Settings:
        if entry.voice is None:
            return self._settings
        return replace(self._settings, voice=entry.voice)

    def _voice_of(self, entry: Entry) -> str | None:
        """The voice that speaks (or would speak) `entry`."""
        done = entry.audio is not None or entry.error
        return entry.spoken_by if done else self._settings_for(entry).voice

    def _wants_synth(self) -> bool:
        return bool(self._pending) and len(self._ready) <= self.lookahead

    def _synthesize(self, text: str, settings: Settings, gen: int) -> tuple[Audio | None, str]:
        try:
            with self._driver_lock:
                self._apply(settings)
                return self.driver.synthesize(text), ""
        except Exception as err:  # any driver failure is reported, then we carry on
            if gen == self._gen:  # else it was cancelled on purpose: nothing to report
                log.warning("synthesis failed: %r", err)
            return None, str(err) or "The speech synthesiser failed on this sentence."

    def _apply(self, settings: Settings) -> None:
        old = self._applied
        if old is None or old.voice != settings.voice:
            self.driver.voice = settings.voice
        if old is None or old.rate != settings.rate:
            self.driver.rate = settings.rate
        if old is None or old.volume != settings.volume:
            self.driver.volume = settings.volume
        if old is None or old.pitch != settings.pitch:
            self.driver.pitch = settings.pitch
        self._applied = settings

    def _store(
        self, entry: Entry, gen: int, settings: Settings, audio: Audio | None, error: str
    ) -> None:
        if gen != self._gen or not self._pending or self._pending[0] is not entry:
            return  # cancelled while synthesising
        if settings != self._settings_for(entry):
            return  # settings changed meanwhile: the entry is still first; do it again
        self._pending.popleft()
        entry.made_with = settings
        if audio is None:
            entry.error = error
        elif not audio.pcm:
            return  # nothing to hear (e.g. only punctuation): skip silently
        else:
            rate = self.player.sample_rate
            entry.audio = audio
            entry.marks_frames = [round(m.time * rate) for m in audio.marks]
            entry.token = self.player.enqueue(audio)
        self._ready.append(entry)
        self._changed()

    # ---- event thread ---------------------------------------------------------------------------

    def _event_loop(self) -> None:
        while True:
            self._wake.wait()
            self._wake.clear()
            with self._cv:
                closed = self._closed
                if not closed:
                    self._advance()
                events = [self._in_order(e) for e in self._outbox]
                self._outbox.clear()
                subscribers = list(self._subscribers)
                self._emitting = bool(events)
            for event in events:
                for callback in subscribers:
                    _deliver(callback, event)
            with self._cv:
                self._emitting = False
                self._cv.notify_all()
            if closed:
                return

    def _in_order(self, event: SpeechEvent) -> SpeechEvent:
        """Event times come from audio-period estimates and can jitter by a millisecond
        or two; subscribers may rely on them never going backwards."""
        if event.time < self._last_time:
            event = replace(event, time=self._last_time)
        self._last_time = event.time
        return event

    def _advance(self) -> None:
        """Turn the player's delivered-sample counts into events, in play order."""
        while self._ready:
            entry = self._ready[0]
            if entry.token is None:
                self._ready.popleft()
                self._outbox.append(entry.event("error", time.monotonic(), entry.error))
                self._cv.notify_all()
                continue
            progress = self.player.progress(entry.token)
            if not progress.known:  # the player dropped it (should not happen): move on
                self._ready.popleft()
                continue
            if progress.started_at is None:
                return
            if not entry.started:
                entry.started = True
                self._current = entry
                if entry.first:
                    self._outbox.append(entry.event("start", progress.started_at))
            self._outbox.extend(entry.words_heard(progress.delivered, progress.time_of_frame))
            if not progress.done:
                return
            self._ready.popleft()
            self._current = None
            if entry.last:
                self._outbox.append(entry.event("end", progress.finished_at or time.monotonic()))
            self._cv.notify_all()


def _deliver(callback: Subscriber, event: SpeechEvent) -> None:
    try:
        callback(event)
    except Exception:  # a broken subscriber must not silence speech for everyone
        log.exception("speech event subscriber failed")

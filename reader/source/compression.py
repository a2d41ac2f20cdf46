"""Content-Encoding undone here, not by httpx, so the size cap also bounds what a small
compressed "bomb" expands to: no decoder ever yields more than CHUNK bytes at a time."""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterator

import brotli

from reader.errors import FetchError
from reader.text import message_text

CHUNK = 64 * 1024

Decoder = Callable[[bytes], Iterator[bytes]]


def decoder(header: str, shown: str) -> Decoder:
    names = [n.strip().lower() for n in header.split(",") if n.strip()]
    stages: list[Decoder] = []
    for name in reversed(names):  # the last encoding applied is undone first
        if name in ("gzip", "x-gzip", "deflate"):
            stages.append(_zlib_decoder(name == "deflate", shown))
        elif name == "br":
            stages.append(_brotli_decoder(shown))
        elif name != "identity":
            raise FetchError(
                f"The server at {shown} used a compression reader does not know "
                f"({message_text(name)[:20]})."
            )
    return _chain(stages)


def _chain(stages: list[Decoder]) -> Decoder:
    def run(data: bytes, index: int = 0) -> Iterator[bytes]:
        if index == len(stages):
            if data:
                yield data
            return
        for piece in stages[index](data):
            if piece:
                yield from run(piece, index + 1)
        if not data:  # end of stream: let the later stages flush too
            yield from run(b"", index + 1)

    return run


def _zlib_decoder(raw_deflate_allowed: bool, shown: str) -> Decoder:
    state = {"engine": zlib.decompressobj(32 + zlib.MAX_WBITS), "started": False}

    def decode(data: bytes) -> Iterator[bytes]:
        engine = state["engine"]
        if engine.eof:
            return  # trailing bytes after the stream end are ignored
        try:
            yield from _inflate(engine, data)
            state["started"] = True
        except zlib.error as exc:
            if raw_deflate_allowed and not state["started"]:
                # Some servers send raw deflate without the zlib header.
                state["engine"] = zlib.decompressobj(-zlib.MAX_WBITS)
                state["started"] = True
                yield from _inflate(state["engine"], data)
                return
            raise _bad_compression(shown) from exc

    return decode


def _inflate(engine, data: bytes) -> Iterator[bytes]:
    while True:
        out = engine.decompress(data, CHUNK)
        data = engine.unconsumed_tail
        if out:
            yield out
        if (not out and not data) or engine.eof:
            return


def _brotli_decoder(shown: str) -> Decoder:
    engine = brotli.Decompressor()

    def decode(data: bytes) -> Iterator[bytes]:
        if not data:
            return
        try:
            yield engine.process(data, output_buffer_limit=CHUNK)
            while not engine.can_accept_more_data():
                yield engine.process(b"", output_buffer_limit=CHUNK)
        except brotli.error as exc:
            raise _bad_compression(shown) from exc

    return decode


def _bad_compression(shown: str) -> FetchError:
    return FetchError(f"The server at {shown} sent a compressed page that could not be unpacked.")

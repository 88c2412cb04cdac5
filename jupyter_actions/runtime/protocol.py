"""Length-prefixed JSON frames over a pipe, in both directions.

A frame is a 4-byte big-endian length followed by that many bytes of UTF-8 JSON. JSON, never
pickle: the worker runs untrusted code, so what it sends back must be plain data. Both sides
use this module; it imports the standard library and orjson (which the worker's overlay has).
Frames are written with orjson (like JavaScript's ``JSON.stringify``, it writes NaN and the
infinities as null; orjson refuses integers beyond 64 bits, and the standard library writes
that frame instead) and read by ``decode``: as the standard library reads them (integers
beyond 64 bits exact), through orjson where that gives the same result.
"""

from __future__ import annotations

import json
import os
import select
import time
from typing import Any

import orjson

from .._json_numbers import has_wide_number

HEADER = 4
MAX_FRAME = 64 * 1024 * 1024  # a larger length prefix means a corrupt or hostile stream
READ_BYTES = 64 * 1024  # below malloc's mmap threshold: a 1 MiB read buffer costs 3 syscalls

_encoder = json.JSONEncoder(separators=(",", ":"))
encode_json = _encoder.encode


def decode(text: bytes | str) -> Any:
    """JSON as the standard library reads it (integers beyond 64 bits exact, NaN accepted),
    through orjson (about 4x faster) when no number in the text has 19 digits or more (orjson
    would read it as a float) and orjson takes the text."""
    raw = text.encode() if isinstance(text, str) else text
    if not has_wide_number(raw):
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError:
            pass  # the standard library's verdict (and message) decides
    return json.loads(text)


class ProtocolError(Exception):
    """The peer sent something that is not a frame, or reported a failure of its own."""


class Timeout(Exception):
    """No complete frame arrived before the deadline."""


class Closed(Exception):
    """The peer closed its end of the pipe (for a worker: it died or exited)."""


def pack(obj: dict, blobs: list[bytes] | None = None) -> bytes:
    """A frame; ``blobs`` (raw bytes: event JSON exactly as read, result texts) follow the
    JSON after a NUL byte, which JSON text never contains, and the JSON's ``blobs`` key lists
    their sizes."""
    if not blobs:
        body = _encode(obj)
    else:
        body = _encode({**obj, "blobs": [len(blob) for blob in blobs]}) + b"\x00" + b"".join(blobs)
    return len(body).to_bytes(HEADER, "big") + body


def _encode(obj: object) -> bytes:
    try:
        return orjson.dumps(obj)
    except TypeError:  # an integer beyond 64 bits, a key that is not a string ...
        return encode_json(obj).encode()  # raises TypeError itself for what is not JSON at all


def unpack(frame: bytes) -> dict:
    """A frame's JSON, with its blobs (if any) as ``data["blob_data"]``."""
    head, mark, rest = frame.partition(b"\x00")
    data = decode(head)
    if mark:
        blobs, start = [], 0
        for size in data["blobs"]:
            blobs.append(rest[start : start + size])
            start += size
        data["blob_data"] = blobs
    return data


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


class FrameReader:
    """Reads frames from one file descriptor, keeping what is left over for the next call."""

    def __init__(self, fd: int, max_frame: int = MAX_FRAME) -> None:
        self.fd = fd
        self.max_frame = max_frame
        self._buf = bytearray()
        self._poll = select.poll()
        self._poll.register(fd, select.POLLIN)

    def take(self) -> bytes | None:
        """The next complete frame already buffered, else None."""
        buf = self._buf
        if len(buf) < HEADER:
            return None
        size = self._announced()
        end = HEADER + size
        if len(buf) < end:
            return None
        frame = bytes(buf[HEADER:end])
        del buf[:end]
        return frame

    def _announced(self) -> int:
        size = int.from_bytes(self._buf[:HEADER], "big")
        if size > self.max_frame:
            raise ProtocolError(f"a frame of {size} bytes was announced (at most {self.max_frame})")
        return size

    def fill(self) -> None:
        """One read(2) of what is there (nothing on a non-blocking descriptor with no data)."""
        buf = self._buf
        want = READ_BYTES
        if len(buf) >= HEADER:  # the rest of a large frame in one go
            want = max(want, HEADER + self._announced() - len(buf))
        try:
            data = os.read(self.fd, want)
        except BlockingIOError:
            return
        if not data:
            raise Closed()
        buf += data

    def read(self) -> bytes:
        """Block until a frame arrives (the worker side: it has nothing else to do)."""
        while True:
            frame = self.take()
            if frame is not None:
                return frame
            self.fill()

    def read_until(self, deadline: float, spin_s: float = 0.0) -> bytes:
        """A frame, or :class:`Timeout` once ``time.monotonic()`` passes ``deadline``.

        ``spin_s``: first keep reading without sleeping for that long (the descriptor must be
        non-blocking). An answer expected within a millisecond then costs no wake-up of this
        process, which on a virtual machine can cost as much as the answer itself."""
        spin_until = time.monotonic() + spin_s if spin_s else 0.0
        while True:
            frame = self.take()
            if frame is not None:
                return frame
            now = time.monotonic()
            if now < spin_until:
                self.fill()
                continue
            if not self._poll.poll(max(deadline - now, 0.0) * 1000.0):
                raise Timeout()
            self.fill()


class FrameWriter:
    """Writes frames to a non-blocking descriptor, giving up at a deadline (a stuck reader)."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        os.set_blocking(fd, False)
        self._poll = select.poll()
        self._poll.register(fd, select.POLLOUT)

    def write_until(self, data: bytes, deadline: float) -> None:
        """Raises :class:`Timeout`, or ``BrokenPipeError`` when the reader is gone."""
        view = memoryview(data)
        while True:
            try:
                view = view[os.write(self.fd, view) :]
            except BlockingIOError:
                pass
            if not view:
                return
            remaining = deadline - time.monotonic()
            if not self._poll.poll(max(remaining, 0.0) * 1000.0):
                raise Timeout()

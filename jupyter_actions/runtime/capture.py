"""Per-step capture of stdout, stderr and ``logging``, bounded, with secrets redacted.

One :class:`Capture` serves as ``sys.stdout`` and ``sys.stderr`` of the worker, so the two
streams interleave in the order they were written (as Auth0 keeps one log buffer). It keeps
``limit`` characters plus the length of the longest secret, so that a secret that straddles the
cut is seen whole and cut off whole; redaction runs over the whole kept text, which
also catches a secret written in several pieces.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence

from .redaction import Redactor


def truncation_marker(dropped: int) -> str:
    return f"\n[... output truncated: {dropped} characters dropped]"


class Capture(io.TextIOBase):
    """A text stream that keeps a bounded prefix of what is written and counts the rest."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit
        self._chunks: list[str] = []
        self._kept = 0
        self._total = 0
        self._room = limit
        self._redactor = Redactor(())

    def begin(self, redactor: Redactor) -> None:
        self._chunks = []
        self._kept = self._total = 0
        self._redactor = redactor
        self._room = self.limit + redactor.longest

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        size = len(text)
        self._total += size
        room = self._room - self._kept
        if room > 0:
            chunk = text if size <= room else text[:room]
            self._chunks.append(chunk)
            self._kept += len(chunk)
        return size

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "utf-8"

    def finish(self) -> str:
        """The step's log: redacted, then cut to ``limit`` with a marker saying how much went."""
        if not self._chunks:
            return ""
        text = "".join(self._chunks)
        self._chunks = []
        limit, redactor = self.limit, self._redactor
        cut = len(text)
        if cut > limit:
            cut = _cut_outside_secrets(text, limit, redactor.patterns)
        dropped = self._total - cut
        text = redactor.text(text[:cut]) if redactor else text[:cut]
        if len(text) > limit:  # short secrets grew under redaction
            dropped += len(text) - limit
            text = text[:limit]
        return text + truncation_marker(dropped) if dropped else text


def _cut_outside_secrets(text: str, cut: int, secrets: Sequence[str]) -> int:
    """Move ``cut`` back before any secret occurrence that spans it.

    Backwards, because every occurrence that starts before ``cut <= limit`` lies wholly in the
    kept text, so it can be seen; one that runs past the kept text cannot.
    """
    moved = True
    while moved:
        moved = False
        for value in secrets:
            start = text.find(value, max(0, cut - len(value) + 1), cut + len(value) - 1)
            if start != -1:
                cut = start
                moved = True
    return cut


class CaptureHandler(logging.Handler):
    """The root ``logging`` handler of the worker: records go to the current step's capture."""

    def __init__(self, capture: Capture) -> None:
        super().__init__(logging.NOTSET)
        self.capture = capture
        self.setFormatter(logging.Formatter("%(levelname)s:%(name)s:%(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.capture.write(self.format(record) + "\n")
        except Exception:  # noqa: BLE001 - logging.Handler's contract: handleError reports it
            self.handleError(record)

"""The events file of a batch: one JSON event per line."""

from __future__ import annotations

from pathlib import Path

from ..errors import InvalidInputError


def check_readable(path: str | Path) -> Path:
    events = Path(path)
    if not events.is_file():
        raise InvalidInputError(f"the events file {events} does not exist: give a JSONL file with one event per line")
    return events

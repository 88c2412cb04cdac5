"""Reading a JSONL events file lazily, with line numbers in every error."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import InvalidInputError


def check_readable(path: str | Path) -> Path:
    events = Path(path)
    if not events.is_file():
        raise InvalidInputError(f"the events file {events} does not exist: give a JSONL file with one event per line")
    return events


def read_events(path: str | Path) -> Iterator[dict[str, Any]]:
    """Yield one event per non-empty line; a line that is not a JSON object stops the batch."""
    events = check_readable(path)
    with events.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                event = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InvalidInputError(f"{events} line {number}: not valid JSON: {exc.msg} at column {exc.colno}") from None
            if not isinstance(event, dict):
                raise InvalidInputError(f"{events} line {number}: an event must be a JSON object, not {type(event).__name__}")
            yield event

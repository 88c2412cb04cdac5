"""Timestamps as Auth0 writes them: ISO-8601 UTC with microseconds and a trailing Z."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime

from .errors import InvalidInputError

_DURATION = re.compile(r"^(\d+(?:\.\d+)?)([smhdw])$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def duration_seconds(text: object) -> float:
    """``30m``, ``12h``, ``7d``, ``2w`` -> seconds (the one parser of durations)."""
    match = _DURATION.match(text.strip()) if isinstance(text, str) else None
    if not match:
        raise InvalidInputError(f"invalid duration {text!r}: write a number and a unit, such as 30m, 12h or 7d")
    return float(match.group(1)) * _UNIT_SECONDS[match.group(2)]


def now_iso() -> str:
    return iso_from_epoch(time.time())


def iso_from_epoch(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def epoch_from_iso(text: str) -> float:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC).timestamp()

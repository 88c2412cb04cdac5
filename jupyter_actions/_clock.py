"""Timestamps as Auth0 writes them: ISO-8601 UTC with microseconds and a trailing Z."""

from __future__ import annotations

import time
from datetime import UTC, datetime


def now_iso() -> str:
    return iso_from_epoch(time.time())


def iso_from_epoch(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def epoch_from_iso(text: str) -> float:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC).timestamp()

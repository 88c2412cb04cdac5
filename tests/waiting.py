"""Waiting in tests on a condition, never on a guessed duration."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
POLL_S = 0.01


def wait_until(condition: Callable[[], T], timeout: float, what: str = "the condition") -> T:
    """Poll ``condition`` until it returns something true and return that, as soon as it does;
    fail the test (AssertionError) when ``timeout`` seconds pass first."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"{what} did not hold within {timeout} s")
        time.sleep(POLL_S)

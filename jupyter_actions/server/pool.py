"""The bounded pool of threads that runs tenant calls, so that the event loop never blocks."""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from .core import Response
from .dispatch import error_response
from .errors import ApiError


class Overloaded(Exception):
    pass


class Pool:
    """A thread pool that admits at most ``threads + backlog`` calls at once (defaults: four
    threads per core, as tenant calls mostly wait on worker processes, and a backlog of four
    times that)."""

    def __init__(self, threads: int | None = None, backlog: int | None = None) -> None:
        threads = threads or 4 * (os.cpu_count() or 1)
        backlog = 4 * threads if backlog is None else backlog
        self._executor = ThreadPoolExecutor(threads, thread_name_prefix="jupyter-actions-api")
        self.capacity = threads + backlog
        self.in_flight = 0
        self._lock = threading.Lock()

    async def run(self, fn: Callable[..., Response], *args: Any) -> Response:
        with self._lock:
            if self.in_flight >= self.capacity:
                raise Overloaded()
            self.in_flight += 1
        try:
            return await asyncio.get_running_loop().run_in_executor(self._executor, fn, *args)
        finally:
            with self._lock:
                self.in_flight -= 1

    def shutdown(self) -> None:
        self._executor.shutdown(wait=True)


def overloaded() -> Response:
    """503 with Retry-After: what a request gets when the pool is full."""
    return error_response(
        ApiError(
            503,
            "Service unavailable: the server is at capacity; retry after the time in Retry-After",
            "overloaded",
            {"Retry-After": "1"},
        )
    )

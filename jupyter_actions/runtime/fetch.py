"""httpx as the runtime's built-in ``fetch``: patched when the action first imports it.

An import hook, so that a worker that never sees ``import httpx`` never pays for it. The patch
gives every request a 5 s default timeout (Auth0 asks for less than 10 s) and adds the time
spent in ``Client.send`` / ``AsyncClient.send`` to :data:`clock`, which the worker reads as the
step's ``network_duration_ms``. Overlapping async requests each count their own time.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
from time import perf_counter
from types import ModuleType
from typing import Any

DEFAULT_TIMEOUT_S = 5.0


class NetworkClock:
    seconds: float = 0.0


clock = NetworkClock()


def install() -> None:
    sys.meta_path.insert(0, _HttpxFinder())


class _HttpxFinder:
    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        if name != "httpx":
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is not None and spec.loader is not None:
            spec.loader = _PatchingLoader(spec.loader)
        return spec


class _PatchingLoader(importlib.abc.Loader):
    def __init__(self, loader: Any) -> None:
        self.loader = loader

    def create_module(self, spec: Any) -> Any:
        return self.loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        self.loader.exec_module(module)
        _patch(module)


def _patch(httpx: Any) -> None:
    timeout = httpx.Timeout(DEFAULT_TIMEOUT_S)
    functions = [httpx.Client.__init__, httpx.AsyncClient.__init__]
    functions += [
        getattr(httpx, name)
        for name in ("request", "stream", "get", "options", "head", "post", "put", "patch", "delete")
        if hasattr(httpx, name)
    ]
    for function in functions:
        defaults = getattr(function, "__kwdefaults__", None)
        if defaults and "timeout" in defaults:
            defaults["timeout"] = timeout

    send = httpx.Client.send

    def timed_send(self: Any, *args: Any, **kwargs: Any) -> Any:
        started = perf_counter()
        try:
            return send(self, *args, **kwargs)
        finally:
            clock.seconds += perf_counter() - started

    async_send = httpx.AsyncClient.send

    async def timed_async_send(self: Any, *args: Any, **kwargs: Any) -> Any:
        started = perf_counter()
        try:
            return await async_send(self, *args, **kwargs)
        finally:
            clock.seconds += perf_counter() - started

    httpx.Client.send = timed_send
    httpx.AsyncClient.send = timed_async_send

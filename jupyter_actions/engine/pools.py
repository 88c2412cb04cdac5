"""The worker pools of this process: each belongs to one engine (one tenant object), and all
are stopped at exit (tests stop them between tests)."""

from __future__ import annotations

import atexit
import threading
import weakref

from ..runtime import WorkerPool

_pools: "weakref.WeakSet[WorkerPool]" = weakref.WeakSet()
_lock = threading.Lock()


def new_pool() -> WorkerPool:
    pool = WorkerPool()
    with _lock:
        _pools.add(pool)
    return pool


@atexit.register
def close_all() -> None:
    with _lock:
        pools = list(_pools)
    for pool in pools:
        pool.close()

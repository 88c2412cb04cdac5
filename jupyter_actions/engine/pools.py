"""Worker pools shared by every tenant in this process: one pool per environment and limits."""

from __future__ import annotations

import atexit
import threading
from ..runtime import WorkerPool

_pools: dict[tuple, WorkerPool] = {}
_lock = threading.Lock()


def pool_for(sys_path: tuple[str, ...], *, memory_mb: int, log_limit: int) -> WorkerPool:
    key = (sys_path, memory_mb, log_limit)
    with _lock:
        pool = _pools.get(key)
        if pool is None:
            pool = _pools[key] = WorkerPool(sys_path=sys_path, memory_mb=memory_mb, log_limit=log_limit)
        return pool


@atexit.register
def close_all() -> None:
    with _lock:
        pools = list(_pools.values())
        _pools.clear()
    for pool in pools:
        pool.close()

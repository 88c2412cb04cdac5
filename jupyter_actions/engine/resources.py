"""The processes an engine starts, owned in one place: its worker pool and its record writer.

Each `Engine` (one per `Tenant` object) has one `Resources`; ``close()`` stops the pool's
workers and ends the record sink after its last commit, so ``Tenant.close()`` and ``with
Tenant(...)`` leave no process behind. Both start again on first use after a close.

Workers are never shared between engines. The record writer of a database is: each engine
holds a lease on it (``engine/writer.py``), and the last lease given back closes it. The one
module-level set below is a safety net, not a registry of owners: it only lets ``close_all``
(run at interpreter exit) commit the records of tenants that were never closed.
"""

from __future__ import annotations

import atexit
import sys
import threading
import weakref

from ..errors import ActionsError
from ..runtime import WorkerPool
from . import writer as writers
from .writer import RecordWriter


class Resources:
    """An engine's worker pool and record writer, started on first use, stopped by ``close``."""

    def __init__(self, store_url: str) -> None:
        self._store_url = store_url
        self._lock = threading.Lock()
        self._pool: WorkerPool | None = None
        self._writer: RecordWriter | None = None
        _unclosed.add(self)

    @property
    def pool(self) -> WorkerPool:
        """The engine's workers (a tenant's actions never share a worker with another's)."""
        pool = self._pool
        if pool is None or pool.closed:
            with self._lock:
                if self._pool is None or self._pool.closed:
                    self._pool = WorkerPool()
                    _unclosed.add(self)
                pool = self._pool
        return pool

    @property
    def writer(self) -> RecordWriter:
        """The record writer this engine leases (its sink process starts with the first record)."""
        writer = self._writer
        if writer is None or writer.dead:
            with self._lock:
                if self._writer is None or self._writer.dead:
                    if self._writer is not None:
                        writers.give_back(self._writer)
                    self._writer = writers.lease(self._store_url)
                    _unclosed.add(self)
                writer = self._writer
        return writer

    def flush(self) -> None:
        """Wait until every record submitted so far is committed (nothing to do if none was)."""
        if self._writer is not None:
            self._writer.flush()

    def close(self) -> None:
        """Stop the workers, commit the pending records and end the sink process."""
        with self._lock:
            pool, self._pool = self._pool, None
            writer, self._writer = self._writer, None
            _unclosed.discard(self)
        if pool is not None:
            pool.close()
        if writer is not None:
            writers.give_back(writer)


_unclosed: weakref.WeakSet[Resources] = weakref.WeakSet()


@atexit.register
def close_all() -> None:
    """The safety net: close what no tenant closed (at exit; tests call it between tests)."""
    for resources in list(_unclosed):
        try:
            resources.close()
        except (ActionsError, OSError) as exc:
            print(f"jupyter-actions: {exc}", file=sys.stderr)

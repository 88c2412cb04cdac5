"""Write-behind of execution records: batched into few transactions off the caller's path.

A login should not wait for its log line to be committed. ``submit`` queues a write and
returns; a background thread commits everything queued in one transaction. ``flush`` waits
until all of it is committed (reads of executions in this process flush first, so they always
see their own writes) and raises if a write failed. Each writer is flushed at exit.
"""

from __future__ import annotations

import atexit
import sys
import threading
from collections import Counter, deque
from dataclasses import dataclass
from typing import Any

from ..errors import ActionsError, ExecutionError
from ..model import Execution
from ..store import Store
from . import records

_BATCH = 1000


@dataclass(frozen=True)
class Pending:
    """An execution to store; serialised (and redacted) by the writer thread, which runs
    while the caller waits on its next worker, so logins do not pay for it."""

    execution: Execution
    state: dict | None
    secret_values: list[str]
    first_position: int = 0


@dataclass(frozen=True)
class CacheChange:
    trigger_id: str
    before: dict[str, Any]
    after: dict[str, Any]


_writers: dict[str, "RecordWriter"] = {}
_registry_lock = threading.Lock()


def writer_for(store: Store) -> "RecordWriter":
    """The process-wide writer of a database, so every `Tenant` object sees the same queue."""
    with _registry_lock:
        writer = _writers.get(store.url)
        if writer is None:
            writer = _writers[store.url] = RecordWriter(store)
        return writer


class RecordWriter:
    def __init__(self, store: Store):
        self._store = store
        self._queue: deque[tuple[Pending | records.Rows, CacheChange | None]] = deque()
        self._cond = threading.Condition()
        self._busy = 0
        self._error: str | None = None
        self._thread: threading.Thread | None = None
        self.pending_cache = Counter()  # trigger id -> queued writes that touch its cache

    def submit(self, record: Pending | records.Rows, cache: CacheChange | None = None) -> None:
        """Queue an execution (serialised by the writer) or rows already serialised."""
        with self._cond:
            self._raise_error()
            self._queue.append((record, cache))
            if cache:
                self.pending_cache[cache.trigger_id] += 1
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="jupyter-actions-records", daemon=True)
                self._thread.start()
            self._cond.notify_all()

    def flush(self) -> None:
        with self._cond:
            while self._queue or self._busy:
                self._cond.wait()
            self._raise_error()

    def _raise_error(self) -> None:
        if self._error:
            error, self._error = self._error, None
            raise ExecutionError(f"recording executions failed: {error}")

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._queue:
                    self._cond.wait()
                batch = [self._queue.popleft() for _ in range(min(len(self._queue), _BATCH))]
                self._busy = len(batch)
            try:
                rows = [p if isinstance(p, records.Rows) else
                        records.rows_of(p.execution, p.state, p.secret_values, p.first_position) for p, _ in batch]
                with self._store.write(lifecycle=False) as conn:
                    for _, cache in batch:
                        if cache:
                            records.save_cache(conn, cache.trigger_id, cache.before, cache.after)
                    records.write_batch(conn, rows)
            except (ActionsError, Exception) as exc:  # noqa: BLE001 - reported at the next call
                with self._cond:
                    self._error = str(exc)
            with self._cond:
                for _, cache in batch:
                    if cache:
                        self.pending_cache[cache.trigger_id] -= 1
                self._busy = 0
                self._cond.notify_all()


@atexit.register
def _flush_all() -> None:
    for writer in list(_writers.values()):
        try:
            writer.flush()
        except ActionsError as exc:
            print(f"jupyter-actions: {exc}", file=sys.stderr)

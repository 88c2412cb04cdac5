"""The record sink: a process that commits execution records sent by ``writer.RecordWriter``.

Runs as ``python -m jupyter_actions.engine.sink FD_IN FD_OUT``; the database URL arrives as the
first frame (never in argv: it may hold a password). Everything that has arrived is committed
in one transaction; a flush request is answered once everything before it is committed.
"""

from __future__ import annotations

import os
import time
import pickle
import sys

from ..runtime.protocol import Closed, FrameReader, Timeout, pack, write_all
from ..store import Store
from . import records

MAX_BATCH = 2000


def read_frame(reader: FrameReader) -> bytes:
    """The next frame, however long it takes (poll(2) needs a finite timeout)."""
    while True:
        try:
            return reader.read_until(time.monotonic() + 3600)
        except Timeout:
            continue


def main(fd_in: int, fd_out: int) -> None:
    try:
        os.nice(10)  # logins and actions first: records may wait a few milliseconds
    except OSError:
        pass
    os.set_blocking(fd_in, False)
    reader = FrameReader(fd_in)
    store = Store(pickle.loads(read_frame(reader))["url"])
    error: str | None = None
    while True:
        try:
            batch = [pickle.loads(read_frame(reader))]
            try:
                reader.fill()
            except Closed:
                pass
            while len(batch) < MAX_BATCH and (more := reader.take()) is not None:
                batch.append(pickle.loads(more))
        except Closed:
            return
        try:
            commit(store, batch)
        except Exception as exc:  # reported at the next flush, then forgotten
            error = error or f"{type(exc).__name__}: {exc}"
        for item in batch:
            if item[0] == "flush":
                write_all(fd_out, pack({"flushed": item[1], "error": error}))
                error = None


def commit(store: Store, items: list[tuple]) -> None:
    """Write what the items of one read carry in one transaction: ``("record", Pending,
    CacheChange | None)``, ``("rows", [Rows...])``; flush requests are answered by the caller."""
    rows: list[records.Rows] = []
    caches = []
    for item in items:
        if item[0] == "record":
            _, pending, cache = item
            rows.append(records.rows_of(pending.execution, pending.state, pending.secret_values,
                                        pending.first_position))
            if cache:
                caches.append(cache)
        elif item[0] == "rows":
            rows += item[1]
    if not rows and not caches:
        return
    with store.write(lifecycle=False) as conn:
        for cache in caches:
            records.save_cache(conn, cache.trigger_id, cache.before, cache.after)
        records.write_batch(conn, rows)


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))

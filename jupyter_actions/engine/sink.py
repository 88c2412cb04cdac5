"""The record sink: a process that commits execution records sent by ``writer.RecordWriter``.

Runs as ``python -m jupyter_actions.engine.sink FD_IN FD_OUT``; the database URL arrives as the
first frame (never in argv: it may hold a password). Everything that has arrived is committed
in one transaction; a flush request is answered once everything before it is committed.

Records are idempotent by execution id: one whose id is stored already is kept as it was (a
distributed batch's partition run again writes the same ids). One bad record (a forged
execution id, a value the database refuses) loses no other: when a batch fails, its records
are written again one per transaction and only those that fail are dropped, each reported by
execution id and database error class, never by content (a database's own message can quote
the row: an event, an outcome).
"""

from __future__ import annotations

import os
import pickle
import sys
import time
from dataclasses import dataclass

from sqlalchemy.exc import DBAPIError

from ..runtime.protocol import Closed, FrameReader, Timeout, pack, write_all
from ..store import Store
from . import records
from .records import CacheChange

MAX_BATCH = 2000
LINGER_S = 0.005
"""How long a record waits for others to share its commit: a commit costs a record's rows
several times over, and under load records arrive a fraction of a millisecond apart."""


@dataclass(frozen=True)
class Write:
    """One execution's rows and the cache change it made: kept or dropped as one."""

    execution_id: str
    rows: records.Rows
    cache: CacheChange | None = None


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
    store = Store(pickle.loads(read_frame(reader))["url"])  # noqa: S301 (frames from the parent that started this sink)
    errors: list[str] = []
    while True:
        try:
            batch = [pickle.loads(read_frame(reader))]  # noqa: S301 (frames from the parent)
        except Closed:
            return
        _gather(reader, batch)
        errors += commit(store, batch)  # reported at the next flush, then forgotten
        for item in batch:
            if item[0] == "flush":
                write_all(fd_out, pack({"flushed": item[1], "error": summary(errors)}))
                errors = []


def _gather(reader: FrameReader, batch: list[tuple]) -> None:
    """Add to ``batch`` what arrives within LINGER_S of its first frame, up to MAX_BATCH, so
    that records sent one by one share a commit; a flush request ends the wait."""
    until = time.monotonic() + LINGER_S
    while len(batch) < MAX_BATCH and batch[-1][0] != "flush":
        try:
            batch.append(pickle.loads(reader.read_until(until)))  # noqa: S301 (frames from the parent)
        except (Timeout, Closed):  # Closed again at the next read, once this batch is committed
            return


def commit(store: Store, items: list[tuple]) -> list[str]:
    """Write what the items of one read carry: ``("record", Pending, CacheChange | None)``,
    ``("rows", [Rows...])`` (flush requests are answered by the caller). All in one
    transaction; if that fails, one transaction per execution. Returns one line per execution
    that could not be stored."""
    writes, errors = _writes(items)
    if not writes:
        return errors
    try:
        _write(store, writes)
    except Exception:  # noqa: BLE001 - which record failed is found below, one at a time
        for write in writes:
            try:
                _write(store, [write])
            except Exception as exc:  # noqa: BLE001
                errors.append(dropped(write.execution_id, exc))
    return errors


def _writes(items: list[tuple]) -> tuple[list[Write], list[str]]:
    writes: list[Write] = []
    errors: list[str] = []
    for item in items:
        if item[0] == "record":
            _, pending, cache = item
            try:
                rows = records.rows_of(pending.execution, pending.state, pending.secret_values, pending.first_position)
            except Exception as exc:  # noqa: BLE001 - a record that cannot be serialised
                errors.append(dropped(pending.execution.id, exc))
                continue
            writes.append(Write(pending.execution.id, rows, cache))
        elif item[0] == "rows":
            writes += [Write(_execution_id(rows), rows) for rows in item[1]]
    return writes, errors


def _write(store: Store, writes: list[Write]) -> None:
    with store.write(lifecycle=False) as conn:
        for write in writes:
            if write.cache:
                records.save_cache(conn, write.cache)
        records.write_batch(conn, [write.rows for write in writes])


def _execution_id(rows: records.Rows) -> str:
    if rows.execution:
        return str(rows.execution[0])
    return str(rows.update[-1]) if rows.update else "(unknown)"


def dropped(execution_id: str, exc: Exception) -> str:
    """The one line that reports a record not stored: its id and the error's class, nothing of
    the message (a database quotes the values it refused)."""
    cause = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    return f"execution {str(execution_id)[:36]} was not recorded ({type(cause).__name__})"


def summary(errors: list[str]) -> str | None:
    if not errors:
        return None
    more = f" and {len(errors) - 1} more" if len(errors) > 1 else ""
    return errors[0] + more


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))

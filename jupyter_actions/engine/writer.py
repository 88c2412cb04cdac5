"""Write-behind of execution records, in a separate process.

A login should not wait for its log line: a synchronous SQLite commit costs more than running
a no-op action. ``submit`` hands a record to a sink process (``engine/sink.py``) through a pipe
and returns; the sink commits what it has received in one transaction at a time. A thread in
the caller's process would do the same work but hold the caller's GIL while doing it, which
showed as latency on every login; a process does not. ``flush`` waits until everything
submitted is committed (a tenant's reads of executions flush its writer first, so they always
see its own writes) and raises if a write failed.

The engines of one process on one database share its writer through leases (``lease`` and
``give_back``, taken by each engine's ``engine/resources.py``): one sink batches every tenant
object's records into the same commits instead of several sinks waiting on one write lock
(two threads with a `Tenant` object each ran at half the rate with a sink each). The last
lease given back closes the writer; ``close`` waits for the sink's last commit and for the
process to end. A writer dropped without ``close`` closes its end of the pipe when collected,
so its sink commits what it received and exits.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import threading
import weakref
from collections import Counter
from dataclasses import dataclass

from ..errors import ExecutionError
from ..model import Execution
from ..runtime.protocol import Closed, FrameReader, decode, write_all
from .records import CacheChange, Rows

PIPE_BYTES = 1 << 20
SINK_EXIT_S = 30.0  # a sink's last commit can wait on a busy database


@dataclass(frozen=True)
class Pending:
    """An execution to store; serialised and redacted by the sink, off the caller's path."""

    execution: Execution
    state: dict | None
    secret_values: list[str]
    first_position: int = 0


_leases: dict[str, tuple[RecordWriter, int]] = {}  # database URL -> its writer, leases held
_leases_lock = threading.Lock()


def lease(url: str) -> RecordWriter:
    """The writer of this process for the database at ``url`` (a new one if it has none or
    its sink died), held until ``give_back``."""
    with _leases_lock:
        writer, held = _leases.get(url, (None, 0))
        if writer is None or writer.dead:
            writer, held = RecordWriter(url), 0
        _leases[url] = (writer, held + 1)
        return writer


def give_back(writer: RecordWriter) -> None:
    """End a lease; the last one closes the writer (after its sink's last commit)."""
    with _leases_lock:
        current, held = _leases.get(writer.url, (None, 0))
        if current is writer and held > 1:
            _leases[writer.url] = (writer, held - 1)
            return
        if current is writer:
            del _leases[writer.url]
    writer.close()


def frame(obj: object) -> bytes:
    body = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    return len(body).to_bytes(4, "big") + body


class RecordWriter:
    def __init__(self, url: str) -> None:
        self.url = url
        self._lock = threading.Lock()
        self._proc: subprocess.Popen | None = None
        self._out = -1
        self._reader: FrameReader | None = None
        self._token = 0
        self._pid = os.getpid()
        self._release_pipes: weakref.finalize | None = None
        self.dead = False
        self.pending_cache: Counter = Counter()  # trigger id -> submitted writes that touch its cache

    def submit(self, record: Pending, cache: CacheChange | None = None) -> None:
        """Queue an execution; the sink serialises and redacts it."""
        with self._lock:
            self._send(("record", record, cache))
            if cache:
                self.pending_cache[cache.trigger_id] += 1

    def submit_rows(self, batch: list[Rows]) -> None:
        """Queue executions already serialised and redacted (the batch executor's), in one frame."""
        if batch:
            with self._lock:
                self._send(("rows", batch))

    def flush(self) -> None:
        with self._lock:
            if self._proc is None or self._reader is None or os.getpid() != self._pid:
                return
            self._token += 1
            self._send(("flush", self._token))
            try:
                answer = decode(self._reader.read())
            except Closed:
                self._died()
            self.pending_cache.clear()
            if answer.get("error"):
                raise ExecutionError(f"recording executions failed: {answer['error']}")

    def close(self) -> None:
        """Flush (unless the sink died), then let the sink go: it exits by itself once its
        pipe is closed (it runs in its own session, so a kernel's shutdown signals do not
        interrupt its last commit), and is waited for, so that no process of it is left behind."""
        try:
            if not self.dead:
                self.flush()  # raises when a write failed: the sink still ends below
        finally:
            with self._lock:
                if self._proc is not None and self._release_pipes is not None and os.getpid() == self._pid:
                    self._release_pipes()
                    proc, self._proc = self._proc, None
                    try:
                        proc.wait(timeout=SINK_EXIT_S)
                    except subprocess.TimeoutExpired:
                        proc.kill()
                        proc.wait()

    def _send(self, obj: object) -> None:
        if self._proc is None:
            self._start()
        try:
            write_all(self._out, frame(obj))
        except OSError:
            self._died()

    def _start(self) -> None:
        child_in, self._out = os.pipe()
        parent_in, child_out = os.pipe()
        try:
            import fcntl

            fcntl.fcntl(self._out, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
        except OSError:
            pass
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "jupyter_actions.engine.sink", str(child_in), str(child_out)],
            pass_fds=(child_in, child_out),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        os.close(child_in)
        os.close(child_out)
        self._reader = FrameReader(parent_in)
        self._release_pipes = weakref.finalize(self, _close_pipes, self._out, parent_in)
        self._release_pipes.atexit = False  # at exit the process's own end closes them
        write_all(self._out, frame({"url": self.url}))  # through the pipe: a URL may hold a password

    def _died(self) -> None:
        self.dead = True
        status = self._proc.poll() if self._proc else None
        raise ExecutionError(
            f"the execution record writer stopped unexpectedly (exit status {status}); "
            "records submitted since the last flush may be lost"
        )


def _close_pipes(*fds: int) -> None:
    """Close the writer's ends of the sink's pipes (once: ``weakref.finalize`` runs one time)."""
    for fd in fds:
        os.close(fd)

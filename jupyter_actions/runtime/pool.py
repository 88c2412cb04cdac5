"""WorkerPool: warm worker processes that run Jobs, each job on one worker at a time.

The parent side of the runtime. ``run`` sends one job to an idle worker and waits for it with
the job's wall-clock deadline; ``map`` (batches.py) keeps every worker busy with batches.
Whatever happens to a worker (timeout, crash, memory, a broken protocol), the job ends as a
result with a per-step error, the worker is reaped and a fresh one is started in its place.
"""

from __future__ import annotations

import os
import subprocess
import threading
import weakref
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..errors import ExecutionError
from ..triggers import get_trigger
from . import isolation, limits
from .batches import run_batches
from .jobs import Job
from .process import WorkerProcess
from .protocol import Closed, Timeout, pack, unpack
from .results import Flight

MAX_KEYS = 128  # actions kept loaded per worker (the parent tells the worker what to drop)


def default_overlay_dir() -> Path:
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(cache) / "jupyter-actions" / "runtime"


class WorkerPool:
    """Warm worker processes for one dependency environment (``sys_path``).

    ``run(job)`` may be called from several threads: each job gets one idle worker to itself,
    and a caller waits while all ``max_workers`` are busy. ``map(jobs)`` takes every worker
    it can until its jobs are done.
    """

    def __init__(self, sys_path: Iterable[str | os.PathLike[str]] = (),
                 max_workers: int | None = None, memory_mb: int = 512,
                 log_limit: int = 256 * 1024,
                 overlay_dir: str | os.PathLike[str] | None = None) -> None:
        self.sys_path = tuple(os.fspath(p) for p in sys_path)
        self.max_workers = max_workers or os.cpu_count() or 2
        self.memory_mb = memory_mb
        self.log_limit = log_limit
        self.overlay = isolation.overlay(overlay_dir or default_overlay_dir())
        self._env = isolation.worker_environment()
        self._cond = threading.Condition()
        self._idle: list[WorkerProcess] = []
        self._live: set[WorkerProcess] = set()
        self._count = 0  # live workers plus those being started
        self._closed = False
        weakref.finalize(self, _kill_all, self._live)

    def run(self, job: Job) -> dict:
        """Run one job; its result (docs/internals.md section 2).

        Faults of the action or its worker are results with a per-step error, not exceptions.
        Raises TriggerNotFound for an unknown trigger id, and ExecutionError when the pool
        itself cannot work (closed, a worker cannot start).
        """
        get_trigger(job.trigger_id)
        worker = self._checkout(job)
        try:
            if not worker.ready:
                worker.wait_ready()
            flight = Flight(0, job)
            message = self._message(worker, (job,))
            flight.start()
            try:
                worker.writer.write_until(message, flight.deadline)
                while True:
                    data = unpack(worker.reader.read_until(flight.deadline))
                    result = flight.receive(data)
                    if result is not None:
                        worker.retired = "retire" in data
                        return result
            except Exception as exc:  # the worker is untrusted: any bad frame ends it
                return self._fault(worker, flight, exc)
        finally:
            self._checkin(worker)

    def map(self, jobs: Iterable[Job], batch_size: int = 32) -> Iterator[tuple[int, dict]]:
        """Yield ``(index, result)`` for every job, in the order the jobs finish.

        ``index`` is the job's position in ``jobs`` (read lazily). Jobs go to the workers in
        batches of up to ``batch_size`` (smaller at the end, so that all workers finish
        together); results come back one by one. Each job has its own deadline from the moment
        its worker starts it; a job that times out kills only its worker, and the rest of that
        worker's batch is queued again.
        """
        return run_batches(self, jobs, batch_size)

    def close(self) -> None:
        """Stop the idle workers now and the busy ones when their job ends."""
        with self._cond:
            self._closed = True
            idle, self._idle = self._idle, []
            self._cond.notify_all()
        for worker in idle:
            worker.stop()
        for worker in idle:
            try:
                worker.proc.wait(1.0)
            except subprocess.TimeoutExpired:
                pass
            self._discard(worker)

    def __enter__(self) -> "WorkerPool":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- workers (also used by batches.py) ---------------------------------------------------

    def _checkout(self, job: Job | None = None, wait: bool = True) -> WorkerProcess | None:
        """An idle worker, or a new one while there are fewer than ``max_workers``."""
        while True:
            worker = None
            with self._cond:
                while True:
                    if self._closed:
                        raise ExecutionError("the worker pool is closed")
                    if self._idle:
                        worker = self._pick(job)
                        break
                    if self._count < self.max_workers:
                        self._count += 1
                        break
                    if not wait:
                        return None
                    self._cond.wait()
            if worker is None:
                return self._start()  # outside the lock: starting a process takes a while
            if worker.proc.poll() is None:
                return worker
            self._discard(worker)  # died while idle: not the next job's fault

    def _pick(self, job: Job | None) -> WorkerProcess:
        """The idle worker that has the job's first action loaded, else the last one in."""
        idle = self._idle
        if job is not None and job.steps and len(idle) > 1:
            key = job.steps[0].key
            for position in range(len(idle) - 1, -1, -1):
                if key in idle[position].keys:
                    return idle.pop(position)
        return idle.pop()

    def _start(self) -> WorkerProcess:
        """A new worker process; the caller has counted it in ``_count`` already."""
        try:
            worker = WorkerProcess(self.overlay, self.sys_path, self.memory_mb, self.log_limit,
                                   self._env)
        except BaseException as exc:
            with self._cond:
                self._count -= 1
                self._cond.notify()
            if isinstance(exc, OSError):
                raise ExecutionError(f"cannot start an action worker: {exc}") from exc
            raise
        with self._cond:
            self._live.add(worker)
        return worker

    def _checkin(self, worker: WorkerProcess) -> None:
        if worker.alive:
            with self._cond:
                if not self._closed:
                    self._idle.append(worker)
                    self._cond.notify()
                    return
        self._discard(worker)
        with self._cond:
            if self._closed or self._count >= self.max_workers:
                return
            self._count += 1
        try:  # start the replacement now: it boots while the caller goes on
            spare = self._start()
        except ExecutionError:
            return  # the next checkout tries again and reports
        self._checkin(spare)

    def _discard(self, worker: WorkerProcess) -> None:
        worker.kill()
        with self._cond:
            if worker in self._live:
                self._live.discard(worker)
                self._count -= 1
            self._cond.notify()

    def _fault(self, worker: WorkerProcess, flight: Flight, exc: BaseException) -> dict:
        """The result of a job whose worker has to go; the worker is ended here."""
        step = worker.running_step()
        if isinstance(exc, Timeout):
            worker.kill()
            failure = ("TimeoutError", limits.timeout_message(flight.job.timeout_s), limits.ACTION_TIMEOUT)
        elif isinstance(exc, (Closed, OSError)):
            failure = ("PlatformError", limits.death_message(worker.reap(), self.memory_mb), limits.PLATFORM_ERROR)
        else:
            worker.kill()
            failure = ("PlatformError", f"the worker failed: {exc}", limits.PLATFORM_ERROR)
        return flight.fail(*failure, running_step=step)

    # -- messages ----------------------------------------------------------------------------

    def _message(self, worker: WorkerProcess, jobs: Iterable[Job]) -> bytes:
        """The frame for ``jobs`` on ``worker``: code and secrets only where it lacks them."""
        keys = worker.keys
        out: list[dict[str, Any]] = []
        blobs: list[bytes] = []
        shared: Job | None = None  # the last lean job sent in full
        for job in jobs:
            if job.event_json is not None:
                blobs.append(job.event_json.encode())
                if shared is not None and _same_but_event(job, shared):
                    out.append({"x": len(blobs) - 1})
                    continue
                shared = job
            else:
                shared = None
            steps = []
            for step in job.steps:
                spec: dict[str, Any] = {"k": step.key, "n": step.action_name, "h": step.handler}
                known = keys.get(step.key)
                if known is None:
                    spec["code"] = step.code
                    spec["secrets"] = keys[step.key] = dict(step.secrets)
                else:
                    if known != step.secrets:
                        spec["secrets"] = keys[step.key] = dict(step.secrets)
                    keys.move_to_end(step.key)
                steps.append(spec)
            if job.event_json is None:
                out.append({"t": job.trigger_id, "e": job.event, "c": job.cache,
                            "d": job.directory, "p": job.phase, "s": steps})
                continue
            for spec, step in zip(steps, job.steps):
                spec["i"] = [step.action_id, step.version_id, step.version_number, step.binding_id]
            out.append({"t": job.trigger_id, "x": len(blobs) - 1, "c": job.cache,
                        "d": job.directory, "p": job.phase, "s": steps})
        message: dict[str, Any] = {"jobs": out}
        if len(keys) > MAX_KEYS:
            message["drop"] = _evict(keys, out)
        try:
            return pack(message, blobs)
        except (TypeError, ValueError) as exc:
            worker.retired = True  # it was told of keys it will never get: replace it
            raise ExecutionError(f"the job cannot be sent to a worker: {exc}") from None


def _same_but_event(job: Job, other: Job) -> bool:
    """True when two lean jobs differ only in their events (a batch's jobs share their objects)."""
    return (job.steps is other.steps and job.cache is other.cache and job.directory is other.directory
            and job.trigger_id == other.trigger_id and job.phase == other.phase and job.timeout_s == other.timeout_s)


def _evict(keys: OrderedDict[str, Any], jobs: list[dict]) -> list[str]:
    """Forget the least recently used keys, but none that this message uses."""
    used = {spec["k"] for job in jobs for spec in job.get("s", ())}
    dropped = []
    while len(keys) > MAX_KEYS:
        oldest = next(iter(keys))
        if oldest in used:
            break
        del keys[oldest]
        dropped.append(oldest)
    return dropped


def _kill_all(live: set[WorkerProcess]) -> None:
    for worker in list(live):
        worker.kill()

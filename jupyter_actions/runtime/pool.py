"""WorkerPool: warm worker processes, each bound to ONE action for its whole life.

The parent side of the runtime. A worker runs the code of exactly one action (one version, or
the draft) with that action's secrets; workers are grouped by that identity and never shared
between actions, secret sets, environments or pools (an engine, hence a tenant, owns its pool).
``run`` moves a job through its steps, each on a worker of the step's own action; ``map``
(batches.py) keeps the workers of every step busy with batches. Whatever happens to a worker
(timeout, crash, memory, a broken or forged frame), the step ends as a result with an error,
the worker is reaped and a fresh one is started in its place.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import secrets
import subprocess
import threading
import time
import weakref
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Literal, overload

from ..errors import ExecutionError
from ..outcome import ErrorClass, JobOutput
from ..triggers import get_trigger
from . import limits, sandbox, steps
from .batches import run_batches
from .jobs import Job, Step, WorkerSpec
from .process import WorkerProcess
from .protocol import Closed, Timeout, pack, unpack

SPIN_S = 0.002  # how long a lone ``run`` waits for a step's answer without sleeping
MAX_IDLE = 32  # idle workers kept per pool, least recently used ones stopped first
IDLE_SECONDS = 600.0  # an idle worker unused this long is stopped
_log = logging.getLogger("jupyter_actions")
_warned: set[str] = set()


def default_overlay_dir() -> Path:
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(cache) / "jupyter-actions" / "runtime"


class _Group:
    """The workers of one action identity: idle ones, and how many live or are starting."""

    __slots__ = ("step", "sys_path", "spec", "idle", "count", "used")

    def __init__(self, step: Step, sys_path: tuple[str, ...], spec: WorkerSpec) -> None:
        self.step, self.sys_path, self.spec = step, sys_path, spec
        self.idle: list[WorkerProcess] = []
        self.count = 0
        self.used = time.monotonic()


class WorkerPool:
    """Warm workers for the actions of one owner (a tenant's engine, a test).

    ``run(job)`` may be called from several threads. ``max_workers`` bounds the workers of one
    action (a batch runs that many of its events at once); ``max_idle`` the idle ones in all.
    """

    def __init__(
        self,
        sys_path: Iterable[str | os.PathLike[str]] = (),
        max_workers: int | None = None,
        memory_mb: int = 512,
        log_limit: int = 256 * 1024,
        overlay_dir: str | os.PathLike[str] | None = None,
        spec: WorkerSpec | None = None,
        max_idle: int = MAX_IDLE,
    ) -> None:
        from . import isolation

        sandbox.protect_host()
        self.sys_path = tuple(os.fspath(p) for p in sys_path)
        self.max_workers = max_workers or os.cpu_count() or 2
        self.max_idle = max_idle
        self.spec = spec or WorkerSpec(memory_mb=memory_mb, log_limit=log_limit)
        self.overlay = isolation.overlay(overlay_dir or default_overlay_dir())
        self._digest_key = secrets.token_bytes(16)
        self._keys: dict[int, tuple[Step, tuple]] = {}
        self._cond = threading.Condition()
        self._groups: dict[tuple, _Group] = {}
        self._live: set[WorkerProcess] = set()
        self._running = 0  # calls of ``run`` under way
        self._closed = False
        weakref.finalize(self, _kill_all, self._live)

    @property
    def closed(self) -> bool:
        return self._closed

    def run(self, job: Job) -> JobOutput:
        """Run one job, step after step; its result (docs/internals.md section 2).

        Faults of an action or its worker are results with a per-step error, not exceptions.
        Raises TriggerNotFound for an unknown trigger id, and ExecutionError when the pool
        itself cannot work (closed, a worker cannot start, the sandbox is missing a layer).
        """
        spec = job.spec or self.spec
        flow = steps.begin(0, job, get_trigger(job.trigger_id), spec.log_limit)
        with self._cond:
            self._running += 1
        try:
            self._steps(flow, spec)
        finally:
            with self._cond:
                self._running -= 1
        return flow.output()

    def _steps(self, flow: steps.FlowRun, spec: WorkerSpec) -> None:
        """Each step on its action's worker. A lone call spins on the answer before it sleeps
        (a sleeping process takes ~0.3 ms to wake on these hosts); concurrent calls never
        spin: their threads would burn the cores and the GIL the other calls need."""
        while not flow.ended:
            worker = self.checkout(flow.step, spec)
            try:
                if not worker.ready:
                    worker.wait_ready()
                    self.report_layers(worker)
                message = self.message(worker, flow.step, [flow])
                flow.start()
                try:
                    worker.writer.write_until(message, flow.deadline)
                    spin = SPIN_S if self._running == 1 else 0.0
                    data = unpack(worker.reader.read_until(flow.deadline, spin))
                    result = flow.receive(data)
                    worker.retired = "retire" in data
                    flow.finish_step(result)
                except Exception as exc:  # noqa: BLE001 (the worker is untrusted: any bad frame ends it)
                    self.fault(worker, flow, exc)
            finally:
                self.checkin(worker)

    def map(self, jobs: Iterable[Job], batch_size: int = 32) -> Iterator[tuple[int, JobOutput]]:
        """Yield ``(index, result)`` for every job, in the order the jobs finish.

        ``index`` is the job's position in ``jobs`` (read lazily). Each step's workers take
        the jobs at that step in batches of up to ``batch_size``; results come back one by one.
        Each job has its own deadline for the time its steps run; a job that times out kills
        only its worker, and the rest of that worker's batch is queued again.
        """
        return run_batches(self, jobs, batch_size)

    def prewarm(self, planned: Iterable[Step], spec: WorkerSpec | None = None) -> None:
        """Start a worker for every step that has none, without waiting for it to boot
        (a bound action's first login then pays no start)."""
        spec = spec or self.spec
        for step in planned:
            if step.refused is not None:
                continue
            key, sys_path = self.identity(step, spec)
            with self._cond:
                group = self._group(key, step, sys_path, spec)
                if self._closed or group.count:
                    continue
                group.count += 1
            try:
                worker = self._start(key, group)
            except ExecutionError:
                return
            self.checkin(worker)

    def close(self) -> None:
        """Stop the idle workers now and the busy ones when their job ends."""
        with self._cond:
            self._closed = True
            idle = [worker for group in self._groups.values() for worker in group.idle]
            for group in self._groups.values():
                group.idle = []
            self._cond.notify_all()
        self._stop(idle)

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- workers (also used by batches.py) ---------------------------------------------------

    def identity(self, step: Step, spec: WorkerSpec) -> tuple[tuple, tuple[str, ...]]:
        """A worker's identity: the action's code key, its id, its secrets, its environment
        and limits. Remembered per Step object (plans reuse theirs)."""
        known = self._keys.get(id(step))
        if known is not None and known[0] is step:
            key = known[1]
        else:
            held = [sorted(step.secrets.items()), *([m.name, sorted(m.secrets.items())] for m in step.modules)]
            digest = hashlib.blake2b(json.dumps(held).encode(), key=self._digest_key, digest_size=16).digest()
            key = (step.key, step.action_id, step.action_name, digest)
            if len(self._keys) > 4096:
                self._keys.clear()
            self._keys[id(step)] = (step, key)
        sys_path = step.sys_path if step.sys_path is not None else self.sys_path
        return (*key, sys_path, spec), sys_path

    def _group(self, key: tuple, step: Step, sys_path: tuple[str, ...], spec: WorkerSpec) -> _Group:
        group = self._groups.get(key)
        if group is None:
            group = self._groups[key] = _Group(step, sys_path, spec)
        return group

    @overload
    def checkout(self, step: Step, spec: WorkerSpec, wait: Literal[True] = True) -> WorkerProcess: ...
    @overload
    def checkout(self, step: Step, spec: WorkerSpec, wait: bool) -> WorkerProcess | None: ...

    def checkout(self, step: Step, spec: WorkerSpec, wait: bool = True) -> WorkerProcess | None:
        """An idle worker of the step's action, or a new one while it has fewer than
        ``max_workers``; None when ``wait`` is false and there is none."""
        key, sys_path = self.identity(step, spec)
        while True:
            worker = None
            with self._cond:
                while True:
                    if self._closed:
                        raise ExecutionError("the worker pool is closed")
                    group = self._group(key, step, sys_path, spec)
                    group.used = time.monotonic()
                    if group.idle:
                        worker = group.idle.pop()
                        break
                    if group.count < self.max_workers:
                        group.count += 1
                        break
                    if not wait:
                        return None
                    self._cond.wait()
            if worker is None:
                return self._start(key, group)  # outside the lock: starting a process takes a while
            if worker.proc.poll() is None:
                return worker
            self.discard(worker)  # died while idle: not the next job's fault

    def _start(self, key: tuple, group: _Group) -> WorkerProcess:
        """A new worker process; the caller has counted it in its group already."""
        try:
            worker = WorkerProcess(self.overlay, group.sys_path, group.spec)
        except BaseException as exc:
            with self._cond:
                group.count -= 1
                self._cond.notify_all()
            if isinstance(exc, OSError):
                raise ExecutionError(f"cannot start an action worker: {exc}") from exc
            raise
        worker.key = key
        with self._cond:
            self._live.add(worker)
        return worker

    def checkin(self, worker: WorkerProcess) -> None:
        if worker.alive:
            with self._cond:
                group = self._groups.get(worker.key)
                if not self._closed and group is not None:
                    group.idle.append(worker)
                    idle = self._trim()
                    self._cond.notify_all()
                    self._stop(idle)
                    return
        self.discard(worker)
        with self._cond:
            group = self._groups.get(worker.key)
            if self._closed or group is None or group.count >= self.max_workers:
                return
            group.count += 1
        try:  # start the replacement now: it boots while the caller goes on
            spare = self._start(worker.key, group)
        except ExecutionError:
            return  # the next checkout tries again and reports
        self.checkin(spare)

    def _trim(self) -> list[WorkerProcess]:
        """Idle workers to stop: those unused for long, then the least recently used ones
        beyond ``max_idle`` (called with the lock held)."""
        now = time.monotonic()
        victims = []
        groups = sorted(self._groups.values(), key=lambda g: g.used)
        idle = sum(len(g.idle) for g in groups)
        for group in groups:
            while group.idle and (idle > self.max_idle or now - group.used > IDLE_SECONDS):
                victims.append(group.idle.pop(0))
                idle -= 1
        return victims

    def _stop(self, workers: list[WorkerProcess]) -> None:
        for worker in workers:
            worker.stop()
        for worker in workers:
            try:
                worker.proc.wait(1.0)
            except subprocess.TimeoutExpired:
                pass
            self.discard(worker)

    def discard(self, worker: WorkerProcess) -> None:
        worker.kill()
        with self._cond:
            if worker in self._live:
                self._live.discard(worker)
                group = self._groups.get(worker.key)
                if group is not None:
                    group.count -= 1
                    if not group.count:
                        del self._groups[worker.key]
            self._cond.notify_all()

    def fault(self, worker: WorkerProcess, flow: steps.FlowRun, exc: BaseException) -> None:
        """End the flow's current step with the fault; the worker is ended here."""
        if isinstance(exc, Timeout):
            worker.kill()
            flow.fail_step("TimeoutError", limits.timeout_message(flow.job.timeout_s), ErrorClass.ACTION_TIMEOUT)
        elif isinstance(exc, (Closed, OSError)):
            flow.fail_step("PlatformError", worker.death_message(worker.reap()), ErrorClass.PLATFORM_ERROR)
        else:
            worker.kill()
            flow.fail_step("PlatformError", f"{exc}; it was replaced", ErrorClass.PLATFORM_ERROR)

    def report_layers(self, worker: WorkerProcess) -> None:
        """Best-effort mode: say once per process which sandbox layers are missing."""
        missing = sorted(name for name, state in worker.layers.items() if state != "active")
        text = ", ".join(f"{name} ({worker.layers[name]})" for name in missing)
        if missing and text not in _warned:
            _warned.add(text)
            _log.warning("action workers run without these sandbox layers: %s", text)

    # -- messages ----------------------------------------------------------------------------

    def message(self, worker: WorkerProcess, step: Step, flows: list[steps.FlowRun]) -> bytes:
        """The frame for ``flows`` (all at ``step``) on ``worker``: the action itself only in
        the first message a worker gets."""
        out: list[dict[str, Any]] = []
        blobs: list[bytes] = []
        shared: steps.FlowRun | None = None
        for flow in flows:
            job = flow.message()
            if flow.job.event_json is not None:
                blobs.append(flow.job.event_json)
                job["x"] = len(blobs) - 1
            else:
                job["e"] = flow.job.event
            if shared is not None and _same_but_event(flow, shared):
                out.append({k: job[k] for k in ("id", "n", "v", "x", "e") if k in job})
                continue
            shared = flow
            out.append(job)
        message: dict[str, Any] = {"jobs": out}
        if not worker.loaded:
            message["load"] = {"name": step.action_name, "code": step.code, "secrets": dict(step.secrets)}
            if step.modules:
                message["load"]["modules"] = [
                    {"name": m.name, "code": m.code, "secrets": dict(m.secrets)} for m in step.modules
                ]
        try:
            frame = pack(message, blobs)
        except (TypeError, ValueError) as exc:
            raise ExecutionError(f"the job cannot be sent to a worker: {exc}") from None
        worker.loaded = True
        return frame


def _same_but_event(flow: steps.FlowRun, other: steps.FlowRun) -> bool:
    """True when two jobs at the same step differ only in their events and earlier commands."""
    job, first = flow.job, other.job
    return (
        flow.cache is other.cache
        and job.directory is first.directory
        and job.trigger_id == first.trigger_id
        and flow.phase == other.phase
        and (job.event_json is None) == (first.event_json is None)
    )


def _kill_all(live: set[WorkerProcess]) -> None:
    for worker in list(live):
        worker.kill()

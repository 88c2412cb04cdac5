"""A flow's way through its steps, on the parent: the one place where the flow rules live.

Every strategy (a single run, an ordered batch, a parallel batch) moves a :class:`FlowRun`
from step to step: it says what the next worker gets, takes that worker's answer after
checking it (the worker runs untrusted code, so any frame may be forged), applies what the
step made visible to later steps (metadata, transaction mirror, cache), and decides whether
the flow goes on: stop after a deny, fail closed after an error of a blocking trigger, suspend
after a redirect, challenge or prompt.
"""

from __future__ import annotations

import math
import secrets
import time
from typing import Any

from .._clock import iso_from_epoch
from . import limits
from .jobs import Job, Step
from .protocol import ProtocolError

_STAT_KEYS = ("action_duration_ms", "boot_duration_ms", "network_duration_ms",
              "runtime_processing_duration_ms", "total_runtime_execution_duration_ms")
_ERROR_CLASSES = frozenset({limits.ACTION_ERROR, limits.ACTION_TIMEOUT, limits.PLATFORM_ERROR})
_job_ids = iter(range(1, 1 << 62))


class FlowRun:
    """One job on its way through its steps (``position`` is the step it is at)."""

    __slots__ = ("index", "job", "trigger", "position", "results", "event", "cache", "prior", "spent",
                 "started", "started_wall", "deadline", "wire_id", "nonce", "ended")

    def __init__(self, index: int, job: Job, trigger: Any) -> None:
        self.index = index
        self.job = job
        self.trigger = trigger
        self.position = 0
        self.results: list[dict] = []
        self.event: dict | None = None  # the parent's copy, made when a step changes it
        self.cache = job.cache
        self.prior: list[dict] = []     # commands of the finished steps, in order
        self.spent = 0.0                # seconds the finished steps ran
        self.started = self.started_wall = 0.0
        self.deadline = math.inf
        self.wire_id = 0
        self.nonce = ""
        self.ended = not job.steps

    @property
    def step(self) -> Step:
        return self.job.steps[self.position]

    @property
    def phase(self) -> str:
        """The job's phase for its first step ("continue" resumes there); "execute" after it."""
        return self.job.phase if self.position == 0 else "execute"

    def message(self) -> dict:
        """This step's job for its worker, with a fresh id and nonce the answer must carry."""
        self.wire_id = next(_job_ids)
        self.nonce = secrets.token_hex(8)
        job = self.job
        return {"id": self.wire_id, "n": self.nonce, "t": job.trigger_id, "h": self.step.handler,
                "p": self.phase, "v": self.prior, "c": self.cache,
                "d": job.directory}

    def start(self) -> None:
        """Its worker begins this step now: the rest of the job's time starts running."""
        self.started = time.monotonic()
        self.started_wall = time.time()
        self.deadline = self.started + max(self.job.timeout_s - self.spent, 0.0)

    def receive(self, data: Any) -> dict:
        """The step result in a frame, checked: ProtocolError for anything the parent did not
        ask for (another job's id, a second answer, a forged shape)."""
        if isinstance(data, dict) and isinstance(data.get("fatal"), str):
            raise ProtocolError(f"the worker failed: {data['fatal']}")
        if not isinstance(data, dict) or data.get("id") != self.wire_id or data.get("n") != self.nonce:
            raise ProtocolError("the worker answered a job it was not running")
        self.nonce = ""  # one answer per job
        return _checked_result(data.get("r"))

    def finish_step(self, result: dict) -> None:
        """Take a step's checked result: apply what it made visible, then go on or end."""
        now = time.monotonic()
        elapsed = now - self.started
        self.spent += elapsed
        step, trigger = self.step, self.trigger
        commands = result["commands"]
        response = result["response"]
        stats = response["stats"]
        response["stats"] = {
            "action_duration_ms": stats["action_duration_ms"], "boot_duration_ms": stats["boot_duration_ms"],
            "network_duration_ms": stats["network_duration_ms"],
            "runtime_processing_duration_ms": stats["runtime_processing_duration_ms"],
            "runtime_external_call_duration_ms": round(
                max(elapsed * 1000.0 - stats["total_runtime_execution_duration_ms"], 0.0), 3),
            "total_runtime_execution_duration_ms": stats["total_runtime_execution_duration_ms"],
            "total_request_duration_ms": round(elapsed * 1000.0, 3)}
        error = response["error"]
        if error is not None:
            control = "stop" if trigger.blocking else "continue"
        else:
            try:
                control = self._apply(commands)
            except Exception:  # commands no real api call makes: the worker forged them
                raise ProtocolError("the worker sent commands of the wrong shape") from None
        self.results.append({**_identity(step), **result, "control": control})
        self._advance(control)

    def _apply(self, commands: list[dict]) -> str:
        if commands:
            if self.trigger.changes_event(commands):
                if self.event is None:  # copied once, when a step first changes it
                    self.event = self.trigger.visible_copy(self.job.event)
                self.trigger.after_action(self.event, commands)
            self.cache = apply_cache(self.cache, commands)
            self.prior = self.prior + commands
        return self.trigger.control(commands)

    def fail_step(self, name: str, message: str, error_class: str) -> None:
        """The current step ended without a result (its worker died, timed out, broke the
        protocol, or the step was refused): the flow fails closed here."""
        elapsed_ms = round(max(time.monotonic() - self.started, 0.0) * 1000.0, 3) if self.started else 0.0
        self.spent += elapsed_ms / 1000.0
        now = iso_from_epoch(time.time())
        self.results.append({
            **_identity(self.step),
            "started_at": iso_from_epoch(self.started_wall) if self.started_wall else now,
            "ended_at": now,
            "response": {"logs": "", "stats": _failed_stats(elapsed_ms),
                         "error": limits.error(name, message, error_class)},
            "commands": [],
            "control": "stop",
        })
        self.ended = True

    def _advance(self, control: str) -> None:
        self.position += 1
        self.started = self.started_wall = 0.0
        self.deadline = math.inf
        if control != "continue" or self.position >= len(self.job.steps):
            self.ended = True
        else:
            self._refuse_if_tampered()

    def _refuse_if_tampered(self) -> None:
        """A step whose version failed its integrity check fails without running."""
        if self.step.refused is not None:
            self.fail_step("IntegrityError", self.step.refused, limits.PLATFORM_ERROR)

    def output(self) -> dict:
        """The job's result: every step's result, the event after them (without secrets), the cache."""
        event = self.event if self.event is not None else self.job.event
        if "secrets" in event:
            event = {k: v for k, v in event.items() if k != "secrets"}
        return {"results": self.results, "event": event, "cache": self.cache}


def begin(index: int, job: Job, trigger: Any) -> FlowRun:
    """A FlowRun at its first step (which may be refused already)."""
    run = FlowRun(index, job, trigger)
    if not run.ended:
        run._refuse_if_tampered()
    return run


def apply_cache(cache: dict, commands: list[dict]) -> dict:
    """The trigger's cache after a step's ``cache.set`` / ``cache.delete`` commands (a copy
    when anything changed; values checked, since they come from an untrusted worker)."""
    changed = None
    for command in commands:
        kind = command.get("type")
        if kind not in ("cache.set", "cache.delete"):
            continue
        if changed is None:
            changed = dict(cache)
        key = command["key"]
        if not isinstance(key, str):
            raise TypeError("cache key")
        if kind == "cache.delete":
            changed.pop(key, None)
            continue
        value, expires_at = command["value"], command["expires_at"]
        if not isinstance(value, str) or type(expires_at) is not int:
            raise TypeError("cache value")
        changed[key] = {"value": value, "expires_at": expires_at}
    return cache if changed is None else changed


def _checked_result(result: Any) -> dict:
    """A step result with exactly the shape the parent relies on; ProtocolError otherwise."""
    try:
        response = result["response"]
        stats = response["stats"]
        error = response["error"]
        commands = result["commands"]
        fits = (isinstance(result["started_at"], str) and isinstance(result["ended_at"], str)
                and isinstance(response["logs"], str) and isinstance(commands, list)
                and all(type(c) is dict and isinstance(c.get("type"), str) for c in commands)
                and (error is None or _is_error(error)))
        numbers = {key: stats[key] for key in _STAT_KEYS}
    except (KeyError, TypeError):
        fits = False
    if not fits or not all(type(v) in (int, float) and math.isfinite(v) for v in numbers.values()):
        raise ProtocolError("the worker sent a step result of the wrong shape")
    return {"started_at": result["started_at"], "ended_at": result["ended_at"],
            "response": {"logs": response["logs"], "stats": numbers, "error": error}, "commands": commands}


def _is_error(error: Any) -> bool:
    return (type(error) is dict and all(isinstance(error.get(k), str) for k in ("name", "message", "stack"))
            and error.get("error_class") in _ERROR_CLASSES)


def _identity(step: Step) -> dict:
    return {"action_name": step.action_name, "action_id": step.action_id,
            "version_id": step.version_id, "version_number": step.version_number,
            "binding_id": step.binding_id}


def _failed_stats(elapsed_ms: float) -> dict[str, float]:
    return {"action_duration_ms": elapsed_ms, "boot_duration_ms": 0.0,
            "network_duration_ms": 0.0, "runtime_processing_duration_ms": 0.0,
            "runtime_external_call_duration_ms": 0.0,
            "total_runtime_execution_duration_ms": elapsed_ms,
            "total_request_duration_ms": elapsed_ms}

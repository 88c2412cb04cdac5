"""A flow's way through its steps, on the parent: the one place where the flow rules live.

Every strategy (a single run, an ordered batch, a parallel batch) moves a :class:`FlowRun`
from step to step: it says what the next worker gets, takes that worker's answer after
checking it (the worker runs untrusted code, so any frame may be forged), applies what the
step made visible to later steps (metadata, transaction mirror, cache), and decides whether
the flow goes on: stop after a deny, fail closed after an error of a blocking trigger, suspend
after a redirect, challenge or prompt. What a step may add to the record is capped: its logs
(the worker's ``log_limit``), its error texts (``limits.ERROR_CHARS``) and the flow's commands
(``triggers/_sizes.py``); a step past a commands cap fails with a ``LimitError`` naming the cap
and its commands are dropped. A step that breaks one of the trigger's per-flow rules (post-login's
four MFA commands per flow, counted over resumed runs too) fails with a ``LimitError`` as well.
"""

from __future__ import annotations

import itertools
import math
import secrets
import time
from typing import Any, cast

from .._clock import iso_from_epoch
from ..outcome import Control, ErrorClass, JobOutput, Phase, StepResult, StepStats, WorkerResult
from ..triggers import _cache
from ..triggers._sizes import CommandSizes, human
from . import limits
from .jobs import Job, Step
from .protocol import ProtocolError

_STAT_KEYS = (
    "action_duration_ms",
    "boot_duration_ms",
    "network_duration_ms",
    "runtime_processing_duration_ms",
    "total_runtime_execution_duration_ms",
)
_ERROR_CLASSES = frozenset(ErrorClass)
LOG_SLACK = 1024  # past log_limit: the truncation marker and the sandbox's notes
_TIME_CHARS = 64
_job_ids = iter(range(1, 1 << 62))


class FlowRun:
    """One job on its way through its steps (``position`` is the step it is at)."""

    __slots__ = (
        "index",
        "job",
        "trigger",
        "log_limit",
        "position",
        "results",
        "event",
        "cache",
        "prior",
        "sizes",
        "spent",
        "started",
        "started_wall",
        "deadline",
        "wire_id",
        "nonce",
        "ended",
    )

    def __init__(self, index: int, job: Job, trigger: Any, log_limit: int) -> None:
        self.index = index
        self.job = job
        self.trigger = trigger
        self.log_limit = log_limit
        self.position = 0
        self.results: list[StepResult] = []
        self.event: dict | None = None  # the parent's copy, made when a step changes it
        self.cache = job.cache
        self.prior: list[dict] = []  # commands of the finished steps, in order
        self.sizes = CommandSizes()  # of every step's commands, applied or not (all are recorded)
        self.spent = 0.0  # seconds the finished steps ran
        self.started = self.started_wall = 0.0
        self.deadline = math.inf
        self.wire_id = 0
        self.nonce = ""
        self.ended = not job.steps
        if not self.ended:
            self._refuse_if_tampered()  # the first step may be refused already

    @property
    def step(self) -> Step:
        return self.job.steps[self.position]

    @property
    def phase(self) -> Phase:
        """The job's phase for its first step (``continue`` resumes there); ``execute`` after it."""
        return self.job.phase if self.position == 0 else Phase.EXECUTE

    def message(self) -> dict:
        """This step's job for its worker, with a fresh id and nonce the answer must carry."""
        self.wire_id = next(_job_ids)
        self.nonce = secrets.token_hex(8)
        job = self.job
        return {
            "id": self.wire_id,
            "n": self.nonce,
            "t": job.trigger_id,
            "h": self.step.handler,
            "p": self.phase,
            "v": self.prior,
            "c": self.cache,
            "d": job.directory,
        }

    def start(self) -> None:
        """Its worker begins this step now: the rest of the job's time starts running."""
        self.started = time.monotonic()
        self.started_wall = time.time()
        self.deadline = self.started + max(self.job.timeout_s - self.spent, 0.0)

    def receive(self, data: Any) -> WorkerResult:
        """The step result in a frame, checked: ProtocolError for anything the parent did not
        ask for (another job's id, a second answer, a forged shape)."""
        if isinstance(data, dict) and isinstance(data.get("fatal"), str):
            fatal = data["fatal"]
            if len(fatal) > limits.ERROR_CHARS["message"] + limits.MARK_CHARS:
                raise ProtocolError(f"the worker failed (its report of {human(len(fatal))} was over the limit)")
            raise ProtocolError(f"the worker failed: {fatal}")
        if not isinstance(data, dict) or data.get("id") != self.wire_id or data.get("n") != self.nonce:
            raise ProtocolError("the worker answered a job it was not running")
        self.nonce = ""  # one answer per job
        return _checked_result(data.get("r"), self.log_limit)

    def finish_step(self, result: WorkerResult) -> None:
        """Take a step's checked result: apply what it made visible, then go on or end."""
        now = time.monotonic()
        elapsed = now - self.started
        self.spent += elapsed
        step, trigger = self.step, self.trigger
        commands = result["commands"]
        response = result["response"]
        stats = response["stats"]
        response["stats"] = {
            "action_duration_ms": stats["action_duration_ms"],
            "boot_duration_ms": stats["boot_duration_ms"],
            "network_duration_ms": stats["network_duration_ms"],
            "runtime_processing_duration_ms": stats["runtime_processing_duration_ms"],
            "runtime_external_call_duration_ms": round(
                max(elapsed * 1000.0 - stats["total_runtime_execution_duration_ms"], 0.0), 3
            ),
            "total_runtime_execution_duration_ms": stats["total_runtime_execution_duration_ms"],
            "total_request_duration_ms": round(elapsed * 1000.0, 3),
        }
        over = self._count(commands)
        if over is not None:
            result["commands"] = commands = []
            response["error"] = limits.error("LimitError", over, ErrorClass.ACTION_ERROR)
        elif response["error"] is None and trigger.flow_limits:
            over = trigger.flow_limit_error(itertools.chain(self.job.resumed_commands, self.prior), commands)
            if over is not None:  # the step's commands stay recorded: they are what broke the limit
                response["error"] = limits.error("LimitError", over, ErrorClass.ACTION_ERROR)
        error = response["error"]
        if error is not None:
            control = Control.STOP if trigger.blocking else Control.CONTINUE
        else:
            try:
                control = self._apply(commands)
            except Exception:  # noqa: BLE001 - commands no real api call makes: the worker forged them
                raise ProtocolError("the worker sent commands of the wrong shape") from None
        self.results.append(_step_result(step, result, control))
        self._advance(control)

    def _count(self, commands: list[dict]) -> str | None:
        """The cap the step's commands pass, if any (see triggers/_sizes.py)."""
        for command in commands:
            over = self.sizes.add(command)
            if over is not None:
                return over
        return None

    def _apply(self, commands: list[dict]) -> Control:
        if commands:
            if self.trigger.changes_event(commands):
                if self.event is None:  # copied once, when a step first changes it
                    self.event = self.trigger.visible_copy(self.job.event)
                self.trigger.after_action(self.event, commands)
            self.cache = apply_cache(self.cache, commands)
            self.prior = self.prior + commands
        return self.trigger.control(commands)

    def fail_step(self, name: str, message: str, error_class: ErrorClass) -> None:
        """The current step ended without a result (its worker died, timed out, broke the
        protocol, or the step was refused): the flow fails closed here."""
        elapsed_ms = round(max(time.monotonic() - self.started, 0.0) * 1000.0, 3) if self.started else 0.0
        self.spent += elapsed_ms / 1000.0
        now = iso_from_epoch(time.time())
        self.results.append(
            _step_result(
                self.step,
                {
                    "started_at": iso_from_epoch(self.started_wall) if self.started_wall else now,
                    "ended_at": now,
                    "response": {
                        "logs": "",
                        "stats": _failed_stats(elapsed_ms),
                        "error": limits.error(name, message, error_class),
                    },
                    "commands": [],
                },
                Control.STOP,
            )
        )
        self.ended = True

    def _advance(self, control: Control) -> None:
        self.position += 1
        self.started = self.started_wall = 0.0
        self.deadline = math.inf
        if control != Control.CONTINUE or self.position >= len(self.job.steps):
            self.ended = True
        else:
            self._refuse_if_tampered()

    def _refuse_if_tampered(self) -> None:
        """A step whose version failed its integrity check fails without running."""
        if self.step.refused is not None:
            self.fail_step("IntegrityError", self.step.refused, ErrorClass.PLATFORM_ERROR)

    def output(self) -> JobOutput:
        """The job's result: every step's result, the event after them (without secrets), the cache."""
        event = self.event if self.event is not None else self.job.event
        if "secrets" in event:
            event = {k: v for k, v in event.items() if k != "secrets"}
        return {"results": self.results, "event": event, "cache": self.cache}


def begin(index: int, job: Job, trigger: Any, log_limit: int) -> FlowRun:
    """A FlowRun at its first step (which may be refused already); ``log_limit`` is that of the
    job's workers."""
    return FlowRun(index, job, trigger, log_limit)


def apply_cache(cache: dict, commands: list[dict]) -> dict:
    """The trigger's cache after a step's ``cache.set`` / ``cache.delete`` commands (a copy
    when anything changed; values and api.cache's limits checked, since they come from an
    untrusted worker)."""
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
    if changed is not None:
        _check_cache(changed)
    return cache if changed is None else changed


def _check_cache(cache: dict) -> None:
    """api.cache's limits over the live entries (the worker dropped expired ones at an earlier
    moment, so it never counts fewer than this)."""
    now = int(time.time() * 1000)
    live = [(key.encode(), entry["value"].encode()) for key, entry in cache.items() if entry["expires_at"] > now]
    if (
        len(live) > _cache.MAX_ENTRIES
        or sum(len(k) + len(v) for k, v in live) > _cache.MAX_TOTAL_BYTES
        or any(len(k) > _cache.MAX_KEY_BYTES or len(v) > _cache.MAX_VALUE_BYTES for k, v in live)
    ):
        raise TypeError("cache over its limits")


def _checked_result(result: Any, log_limit: int) -> WorkerResult:
    """A step result with exactly the shape the parent relies on, within the record's caps;
    ProtocolError otherwise."""
    try:
        response = result["response"]
        stats = response["stats"]
        error = response["error"]
        commands = result["commands"]
        fits = (
            isinstance(result["started_at"], str)
            and isinstance(result["ended_at"], str)
            and len(result["started_at"]) <= _TIME_CHARS
            and len(result["ended_at"]) <= _TIME_CHARS
            and isinstance(response["logs"], str)
            and isinstance(commands, list)
            and all(type(c) is dict and isinstance(c.get("type"), str) for c in commands)
            and (error is None or _is_error(error))
        )
        numbers = {key: stats[key] for key in _STAT_KEYS}
    except (KeyError, TypeError):
        fits = False
    if not fits or not all(type(v) in (int, float) and math.isfinite(v) for v in numbers.values()):
        raise ProtocolError("the worker sent a step result of the wrong shape")
    logs = response["logs"]
    if len(logs) > log_limit + LOG_SLACK:
        raise ProtocolError(f"the worker sent {human(len(logs))} of logs, over the limit of {human(log_limit)}")
    for field, cap in limits.ERROR_CHARS.items() if error is not None else ():
        if len(error[field]) > cap + limits.MARK_CHARS:
            raise ProtocolError(
                f"the worker sent an error {field} of {human(len(error[field]))}, over the limit of {human(cap)}"
            )
    return {
        "started_at": result["started_at"],
        "ended_at": result["ended_at"],
        # the worker's five stats: finish_step adds the two the parent measures
        "response": {"logs": logs, "stats": cast(StepStats, numbers), "error": error},
        "commands": commands,
    }


def _is_error(error: Any) -> bool:
    return (
        type(error) is dict
        and all(isinstance(error.get(k), str) for k in ("name", "message", "stack"))
        and error.get("error_class") in _ERROR_CLASSES
    )


def _step_result(step: Step, result: WorkerResult, control: Control) -> StepResult:
    """``result`` with the action the step ran and what the flow did next."""
    return {
        "action_name": step.action_name,
        "action_id": step.action_id,
        "version_id": step.version_id,
        "version_number": step.version_number,
        "binding_id": step.binding_id,
        **result,
        "control": control,
    }


def _failed_stats(elapsed_ms: float) -> StepStats:
    return {
        "action_duration_ms": elapsed_ms,
        "boot_duration_ms": 0.0,
        "network_duration_ms": 0.0,
        "runtime_processing_duration_ms": 0.0,
        "runtime_external_call_duration_ms": 0.0,
        "total_runtime_execution_duration_ms": elapsed_ms,
        "total_request_duration_ms": elapsed_ms,
    }

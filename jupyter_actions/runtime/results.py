"""The parent's side of one job in flight: assembling its result from the worker's frames."""

from __future__ import annotations

import math
import time

from .._clock import iso_from_epoch
from . import limits
from .jobs import Job, Step
from .protocol import ProtocolError, decode, encode_json


class Flight:
    """One job on one worker: step results received so far, the job's deadline."""

    __slots__ = ("index", "job", "results", "handed", "handed_wall", "deadline")

    def __init__(self, index: int, job: Job) -> None:
        self.index = index
        self.job = job
        self.results: list[dict] = []
        self.deadline = math.inf

    def start(self) -> None:
        """The worker begins this job now: the job's deadline and its first step's clock."""
        self.handed = time.monotonic()
        self.handed_wall = time.time()
        self.deadline = self.handed + self.job.timeout_s

    def receive(self, data: dict) -> dict | None:
        """Take one frame of this job; the job's result once the worker says it is done."""
        if "lean" in data:  # its texts come as blobs (runtime/lean.py)
            return _checked_lean(data["lean"], [blob.decode() for blob in data.get("blob_data", ())],
                                 len(self.job.steps))
        step_result = data.get("r")
        if step_result is not None:
            now = time.monotonic()
            self.results.append(_annotate(self.job.steps[len(self.results)], step_result,
                                          now - self.handed))
            self.handed = now
        if "done" in data:
            event = data.get("e")
            if event is None:  # no api command: the job's own event, unchanged
                event = self.job.event
                if "secrets" in event:
                    event = {k: v for k, v in event.items() if k != "secrets"}
            return {"results": self.results, "event": event, "cache": data["c"]}
        if "fatal" in data:
            raise ProtocolError(data["fatal"])
        return None

    def fail(self, name: str, message: str, error_class: str, running_step: int = 0) -> dict:
        """The result of a job cut short: finished steps, then the running step with the error.

        Event and cache are the job's input ones: the worker that changed them is gone.
        """
        steps, results = self.job.steps, self.results
        if self.job.event_json is not None:
            step = steps[min(running_step, len(steps) - 1)]
            return _lean_failure(step, name, message, error_class, time.monotonic() - self.handed)
        if len(results) < len(steps):
            elapsed_ms = round((time.monotonic() - self.handed) * 1000.0, 3)
            results.append({
                **_identity(steps[len(results)]),
                "started_at": results[-1]["ended_at"] if results else iso_from_epoch(self.handed_wall),
                "ended_at": iso_from_epoch(time.time()),
                "response": {"logs": "", "stats": _failed_stats(elapsed_ms),
                             "error": limits.error(name, message, error_class)},
                "commands": [],
                "control": "stop",
            })
        event = decode(encode_json(self.job.event))
        event.pop("secrets", None)
        return {"results": results, "event": event, "cache": decode(encode_json(self.job.cache))}


_LEAN_STATUSES = frozenset({"allowed", "denied", "suspended", "failed"})


def _checked_lean(lean: object, texts: list[str], step_count: int) -> dict:
    """A lean result with the shape the parent relies on; anything else is the worker's fault
    (an action can write to the worker's pipe), so the job fails and the worker is replaced."""
    if not isinstance(lean, dict):
        raise ProtocolError("the worker sent a lean result that is not an object")
    if len(lean) == 1 and isinstance(lean.get("invalid", lean.get("malformed")), str):
        return lean
    try:
        fits = _fits(lean, len(texts), step_count)
    except (KeyError, TypeError, ValueError):
        fits = False
    if not fits:
        raise ProtocolError("the worker sent a lean result of the wrong shape")
    lean["texts"] = texts
    return lean


def _fits(lean: dict, text_count: int, step_count: int) -> bool:
    steps = lean["steps"]
    return (lean["status"] in _LEAN_STATUSES and isinstance(lean["id"], str)
            and 0 < len(steps) <= step_count and text_count == 1 + len(steps) + bool(lean.get("event"))
            and all(isinstance(name, str) and isinstance(ms, (int, float)) and (kind is None or isinstance(kind, str))
                    for name, ms, kind in steps)
            and isinstance(lean["duration"], (int, float)) and isinstance(lean["started_at"], str)
            and isinstance(lean["ended_at"], str) and isinstance(lean["error"], (dict, type(None))))


def _lean_failure(step: Step, name: str, message: str, error_class: str, elapsed_s: float) -> dict:
    """A lean result for a job whose worker died or timed out in ``step``."""
    elapsed_ms = round(elapsed_s * 1000.0, 3)
    now = iso_from_epoch(time.time())
    error = limits.error(name, message, error_class)
    result = {**_identity(step), "started_at": now, "ended_at": now,
              "response": {"logs": "", "stats": _failed_stats(elapsed_ms), "error": error},
              "commands": [], "control": "stop"}
    summary = {"action_name": step.action_name, "error_class": error_class, "name": name, "message": message}
    return {"id": None, "status": "failed", "texts": [None, encode_json(result)],
            "steps": [[step.action_name, elapsed_ms, error_class]], "error": summary,
            "duration": elapsed_ms, "started_at": now, "ended_at": now}


def _identity(step: Step) -> dict:
    return {"action_name": step.action_name, "action_id": step.action_id,
            "version_id": step.version_id, "version_number": step.version_number,
            "binding_id": step.binding_id}


def _annotate(step: Step, result: dict, request_s: float) -> dict:
    """Add what only the parent knows: the step's identity and how long its request took."""
    stats = result["response"]["stats"]
    request_ms = request_s * 1000.0
    stats["runtime_external_call_duration_ms"] = round(
        max(request_ms - stats["total_runtime_execution_duration_ms"], 0.0), 3)
    stats["total_request_duration_ms"] = round(request_ms, 3)
    return {**_identity(step), **result}


def _failed_stats(elapsed_ms: float) -> dict[str, float]:
    return {"action_duration_ms": elapsed_ms, "boot_duration_ms": 0.0,
            "network_duration_ms": 0.0, "runtime_processing_duration_ms": 0.0,
            "runtime_external_call_duration_ms": 0.0,
            "total_runtime_execution_duration_ms": elapsed_ms,
            "total_request_duration_ms": elapsed_ms}

"""The outcome contract: the words and shapes the worker, the engine and every front end share.

What a worker answers for one step (``WorkerResult``), what the parent makes of it
(``StepResult``), what a job hands back (``JobOutput``), the outcome an application applies
(``Outcome``, docs/outcome.md), the statuses and control values as ``StrEnum`` (they are the
strings themselves: JSON, the store and comparisons with plain strings see no difference),
and the two readings every front end needs: ``changes(outcome)`` (what an execution changed)
and ``error_summary(error)`` (an error on one line).

Standard library only: action workers import this module. Folding a flow's steps into an
outcome is ``triggers/_outcome.py``'s; the words it folds with are these.
"""

import functools
from collections.abc import Mapping
from enum import StrEnum
from typing import Any, NotRequired, TypedDict

__all__ = [
    "ENGINE_KEYS",
    "EXECUTION_STATUS",
    "CacheEntry",
    "Control",
    "Deny",
    "ErrorClass",
    "error_class_of",
    "ExecutionStatus",
    "FlowError",
    "JobOutput",
    "Outcome",
    "Phase",
    "Status",
    "StepError",
    "StepResponse",
    "StepResult",
    "StepStats",
    "WorkerResult",
    "changes",
    "error_identity",
    "error_summary",
]


class Status(StrEnum):
    """An outcome's ``status``: what the application does with the transaction."""

    ALLOWED = "allowed"
    DENIED = "denied"
    SUSPENDED = "suspended"  # waits for /continue (redirect, challenge, enrollment, prompt)
    FAILED = "failed"  # an action failed: a blocking trigger fails closed


class ExecutionStatus(StrEnum):
    """Auth0's execution status (reference 9.2), an ``Execution``'s ``status``."""

    FINAL = "final"
    PARTIAL = "partial"
    SUSPENDED = "suspended"


EXECUTION_STATUS: Mapping[Status, ExecutionStatus] = {
    Status.ALLOWED: ExecutionStatus.FINAL,
    Status.DENIED: ExecutionStatus.FINAL,
    Status.FAILED: ExecutionStatus.PARTIAL,
    Status.SUSPENDED: ExecutionStatus.SUSPENDED,
}
"""The execution status of each outcome status."""


class Control(StrEnum):
    """What a flow does after a step (``StepResult["control"]``)."""

    CONTINUE = "continue"  # the next action runs
    STOP = "stop"  # denied, or failed on a blocking trigger: no further action
    SUSPEND = "suspend"  # wait for /continue, which resumes in the same action


class Phase(StrEnum):
    """Which handler a job's first step calls: the trigger's own, or its continue handler."""

    EXECUTE = "execute"
    CONTINUE = "continue"


class ErrorClass(StrEnum):
    """Whose fault a step error is (``StepError["error_class"]``)."""

    ACTION_ERROR = "action_error"  # the action raised, or broke a documented limit
    ACTION_TIMEOUT = "action_timeout"  # the job ran out of time
    PLATFORM_ERROR = "platform_error"  # its worker died, broke the protocol, or was refused


Command = dict[str, Any]
"""One api call: ``{"type": "namespace.method", argument: value, ...}``."""


class StepError(TypedDict):
    """``response.error`` of a step (docs/internals.md section 2)."""

    name: str
    message: str
    stack: str
    error_class: ErrorClass


class StepStats(TypedDict):
    """Milliseconds; the worker measures five, the parent adds the two it sees from outside."""

    action_duration_ms: float
    boot_duration_ms: float
    network_duration_ms: float
    runtime_processing_duration_ms: float
    total_runtime_execution_duration_ms: float
    runtime_external_call_duration_ms: NotRequired[float]
    total_request_duration_ms: NotRequired[float]


class StepResponse(TypedDict):
    logs: str
    stats: StepStats
    error: StepError | None


class WorkerResult(TypedDict):
    """What a worker answers for one step; the parent trusts none of it (runtime/steps.py)."""

    started_at: str
    ended_at: str
    response: StepResponse
    commands: list[Command]


class StepResult(WorkerResult):
    """One action's part of an execution: the worker's answer, which action it was, and what
    the flow did next. ``Execution.results`` holds one per action that ran."""

    action_name: str
    action_id: str | None
    version_id: str | None
    version_number: int | None
    binding_id: str | None
    control: Control


class CacheEntry(TypedDict):
    value: str
    expires_at: int  # epoch milliseconds


class JobOutput(TypedDict):
    """What a worker pool hands back for one job (a flow execution or a test run)."""

    results: list[StepResult]
    event: dict[str, Any]  # after the steps (metadata, transaction), without secrets
    cache: dict[str, CacheEntry]  # the trigger's cache after the steps


class FlowError(TypedDict):
    """An outcome's ``error``: the first step error of the flow, without its stack."""

    action_name: str
    error_class: ErrorClass
    name: str | None
    message: str | None


class Deny(TypedDict):
    """An outcome's ``deny``: the first deny-like command of the flow."""

    reason: str | None
    command: str
    code: NotRequired[str]  # credentials-exchange, custom-token-exchange, validation.error
    user_message: NotRequired[str]  # pre-user-registration


class Outcome(TypedDict):
    """The keys every trigger's outcome has; the trigger's own keys (docs/outcome.md) follow
    them, each always present, with its neutral value when no action touched it."""

    status: Status
    deny: Deny | None
    error: FlowError | None
    execution_id: NotRequired[str]


ENGINE_KEYS = Outcome.__required_keys__ | Outcome.__optional_keys__
"""The outcome keys the engine adds to every trigger's own: they describe the execution, they
are not changes it made."""


def changes(outcome: Mapping[str, Any]) -> dict[str, Any]:
    """The trigger keys of ``outcome`` an action changed: those whose value differs from the
    value the trigger gives them when no action touches them. An action that does nothing has
    no changes; ``app_metadata: {"plan": null}`` (remove a key) is one."""
    neutral = _neutral_values()
    return {key: value for key, value in outcome.items() if key not in ENGINE_KEYS and value != neutral.get(key)}


@functools.cache
def _neutral_values() -> dict[str, Any]:
    """Every trigger's outcome keys with their value for a flow without commands. A key means
    the same in every trigger that has it, down to its neutral value (checked here)."""
    from .triggers import all_triggers

    neutral: dict[str, Any] = {}
    for trigger in all_triggers():
        for key, value in trigger.fold_outcome([], {}).items():
            if neutral.setdefault(key, value) != value:
                raise AssertionError(
                    f"the outcome key {key!r} has two neutral values: {neutral[key]!r} and {value!r} ({trigger.id})"
                )
    return neutral


def error_class_of(result: StepResult) -> str | None:
    """The error class of a step that raised (None for a step that did not)."""
    error = result["response"].get("error")
    return error["error_class"] if error else None


def error_summary(error: Mapping[str, Any]) -> str:
    """A step error or an outcome's error on one line: ``error_class: name: message``, leaving
    out what the error does not have (a saved case's expectation has no message)."""
    parts = (error.get("error_class"), error.get("name"), error.get("message"))
    return ": ".join(" ".join(str(part).split()) for part in parts if part)


def error_identity(error: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """What identifies an outcome's error across runs (which action, whose fault, which
    exception), not its message: saved cases and replay compare errors by this."""
    if not error:
        return None
    return {"action_name": error.get("action_name"), "error_class": error.get("error_class"), "name": error.get("name")}

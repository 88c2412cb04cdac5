"""Folding a flow's per-action results into the one outcome an application applies.

Standard library only: the engine folds single executions, workers fold batch executions.
"""

from __future__ import annotations

from typing import Any

from ._trigger import Trigger

STATUS_ALLOWED = "allowed"
STATUS_DENIED = "denied"
STATUS_SUSPENDED = "suspended"
STATUS_FAILED = "failed"

# What makes an execution suspend; once it is resumed these have been acted on.
SUSPENDING_KEYS = ("redirect", "challenge", "enrollment", "prompt")

# Auth0's execution status (reference 9.2) for each outcome status.
EXECUTION_STATUS = {
    STATUS_ALLOWED: "final",
    STATUS_DENIED: "final",
    STATUS_FAILED: "partial",
    STATUS_SUSPENDED: "suspended",
}


def first_error(results: list[dict[str, Any]]) -> dict[str, Any] | None:
    for result in results:
        error = result["response"].get("error")
        if error:
            return {
                "action_name": result["action_name"],
                "error_class": error.get("error_class", "action_error"),
                "name": error.get("name"),
                "message": error.get("message"),
            }
    return None


def fold(trigger: Trigger, results: list[dict[str, Any]], event: dict[str, Any]) -> dict[str, Any]:
    """The outcome: status, deny, error, and the trigger's own keys (docs/outcome.md)."""
    commands = [command for result in results for command in result.get("commands", ())]
    error = first_error(results)
    deny = trigger.deny_of(commands)
    last_control = results[-1].get("control") if results else "continue"
    if not trigger.blocking:
        status = STATUS_ALLOWED  # non-blocking triggers never change the transaction
    elif error:
        status = STATUS_FAILED  # fail closed
    elif deny:
        status = STATUS_DENIED
    elif last_control == "suspend":
        status = STATUS_SUSPENDED
    else:
        status = STATUS_ALLOWED
    folded = trigger.fold_outcome(commands, event)
    if status != STATUS_SUSPENDED:
        for key in SUSPENDING_KEYS:
            if key in folded:
                folded[key] = None
    return {"status": status, "deny": deny, "error": error, **folded}

"""Folding a flow's per-action results into the one outcome an application applies.

The words and shapes (statuses, control values, ``Outcome``) are ``jupyter_actions.outcome``'s;
this module holds the folding rule. Standard library only: the engine folds single
executions, workers fold batch executions.
"""

from __future__ import annotations

from typing import Any

from ..outcome import Control, ErrorClass, FlowError, Outcome, Status, StepResult
from ._trigger import Trigger

# What makes an execution suspend: the application acts on them before /continue. They come
# from the action that suspended the flow only; once it is resumed they have been acted on.
SUSPENDING_KEYS = ("redirect", "challenge", "enrollment", "mfa_commands", "prompt")


def first_error(results: list[StepResult]) -> FlowError | None:
    for result in results:
        error = result["response"].get("error")
        if error:
            return {
                "action_name": result["action_name"],
                "error_class": error.get("error_class", ErrorClass.ACTION_ERROR),
                "name": error.get("name"),
                "message": error.get("message"),
            }
    return None


def fold(trigger: Trigger, results: list[StepResult], event: dict[str, Any]) -> Outcome:
    """The outcome: status, deny, error, and the trigger's own keys (docs/outcome.md)."""
    commands = [command for result in results for command in result.get("commands", ())]
    error = first_error(results)
    deny = trigger.deny_of(commands)
    last_control = results[-1].get("control") if results else Control.CONTINUE
    if not trigger.blocking:
        status = Status.ALLOWED  # non-blocking triggers never change the transaction
    elif error:
        status = Status.FAILED  # fail closed
    elif deny:
        status = Status.DENIED
    elif last_control == Control.SUSPEND:
        status = Status.SUSPENDED
    else:
        status = Status.ALLOWED
    folded = trigger.fold_outcome(commands, event)
    # What waits for /continue is what the last action asked for (a flow suspends right after
    # the action that asks); without a suspension nothing waits: the neutral values (None, []),
    # folded only when an earlier suspension left one of these keys set.
    if status == Status.SUSPENDED:
        waiting = trigger.fold_outcome(results[-1].get("commands", []), event)
    elif any(folded.get(key) for key in SUSPENDING_KEYS):
        waiting = trigger.fold_outcome([], event)
    else:
        waiting = None
    if waiting is not None:
        for key in SUSPENDING_KEYS:
            if key in folded:
                folded[key] = waiting[key]
    return {"status": status, "deny": deny, "error": error, **folded}  # type: ignore[typeddict-item]

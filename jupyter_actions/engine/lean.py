"""The executor's batch path: events as JSON text in, stored executions and summaries out.

The workers decode, validate, run, fold and serialise (runtime/lean.py); this side keeps the
parent's share per event small: build the store rows from the strings the workers return and
hand them to the record writer. Flows that cannot take this path (actions in several
environments, or using ``api.cache``, whose writes must be seen in order) run through
``Engine.run_batch`` and are reported in the same shape.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from .._ids import new_execution_id
from ..errors import ActionsError
from ..model import Execution
from ..secrets import redact_json
from ..triggers import Trigger
from ..triggers import _outcome as outcome
from .plan import PlannedStep
from .records import Rows


@dataclass(frozen=True)
class BatchResult:
    """One event of a batch: an execution, or why the event was refused."""

    index: int
    execution_id: str | None = None
    status: str | None = None  # allowed, denied, suspended, failed
    outcome_json: str | None = None
    error: dict[str, Any] | None = None
    duration_ms: float = 0.0
    steps: tuple[tuple[str, float, str | None], ...] = ()  # action, duration ms, error class
    invalid: str | None = None  # the event does not fit the trigger
    malformed: str | None = None  # the line is not a JSON object


def from_lean(index: int, lean: dict, trigger: Trigger, planned: list[PlannedStep], raw: str,
              secret_values: list[str], kind: str) -> tuple[BatchResult, Rows | None]:
    """A worker's lean result as a BatchResult and the rows to store.

    ``lean["texts"]`` holds the JSON texts the worker sent as blobs: the outcome, one result
    per step, then the event as stored when it had to be redacted there.
    """
    if "malformed" in lean:
        return BatchResult(index, malformed=lean["malformed"]), None
    if "invalid" in lean:
        return BatchResult(index, invalid=lean["invalid"]), None
    steps = lean["steps"]
    texts = lean["texts"]
    outcome_json, results = texts[0], texts[1:1 + len(steps)]
    execution_id, status = lean["id"], lean["status"]
    if outcome_json is None:  # the worker died or timed out: fold the failure here
        folded = outcome.fold(trigger, [json.loads(r) for r in results], {})
        execution_id = folded["execution_id"] = new_execution_id()
        outcome_json = json.dumps(folded)
    event = texts[1 + len(steps)] if lean.get("event") else _stored_event(raw, secret_values)
    row = (execution_id, trigger.id, kind, outcome.EXECUTION_STATUS[status], status, outcome_json, event, None,
           lean["duration"], lean["started_at"], lean["ended_at"])
    step_rows = []
    for position, (text, (name, _, error_class)) in enumerate(zip(results, steps)):
        step = planned[position].step
        step_rows.append((execution_id, position, name, step.action_id, step.version_id, step.version_number,
                          step.binding_id, error_class, text))
    result = BatchResult(index, execution_id, status, outcome_json, lean["error"], lean["duration"],
                         tuple(tuple(s) for s in steps))
    return result, Rows(row, None, step_rows)


def from_execution(index: int, result: Execution | ActionsError) -> BatchResult:
    """The same shape for executions of the ordinary path (already redacted)."""
    if isinstance(result, ActionsError):
        return BatchResult(index, invalid=str(result))
    steps = tuple((r["action_name"], r["response"]["stats"].get("action_duration_ms", 0.0),
                   (r["response"].get("error") or {}).get("error_class")) for r in result.results)
    return BatchResult(index, result.id, result.outcome["status"], json.dumps(result.outcome),
                       result.outcome["error"], result.duration_ms, steps)


def _stored_event(raw: str, secret_values: list[str]) -> str:
    """The event text as the application sent it, with any secret value redacted."""
    return redact_json(raw.strip(), secret_values) if secret_values else raw.strip()

"""The executor's batch path: events as JSON text in, stored executions and summaries out.

The workers decode, validate, run, fold and serialise (runtime/lean.py); this side keeps the
parent's share per event small: build the store rows from the strings the workers return and
hand them to the record writer. Flows that cannot take this path (actions in several
environments, or using ``api.cache``, whose writes must be seen in order) run through
``Engine.run_batch`` and are reported in the same shape.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

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
    """A worker's lean result as a BatchResult and the rows to store."""
    if "malformed" in lean:
        return BatchResult(index, malformed=lean["malformed"]), None
    if "invalid" in lean:
        return BatchResult(index, invalid=lean["invalid"]), None
    if lean["outcome"] is None:  # the worker died or timed out: fold the failure here
        results = [json.loads(r) for r in lean["results"]]
        folded = outcome.fold(trigger, results, {})
        lean = {**lean, "id": str(uuid.uuid4())}
        folded["execution_id"] = lean["id"]
        lean["outcome"] = json.dumps(folded)
    execution_id, status = lean["id"], lean["status"]
    event = lean.get("event") or _stored_event(raw, secret_values)
    row = {"id": execution_id, "trigger_id": trigger.id, "kind": kind,
           "status": outcome.EXECUTION_STATUS[status], "outcome_status": status, "outcome": lean["outcome"],
           "event": event, "state": None, "duration_ms": lean["duration"],
           "created_at": lean["started_at"], "updated_at": lean["ended_at"]}
    results = []
    for position, (text, (name, _, error_class)) in enumerate(zip(lean["results"], lean["steps"])):
        step = planned[position].step
        results.append({"execution_id": execution_id, "position": position, "action_name": name,
                        "action_id": step.action_id, "version_id": step.version_id,
                        "version_number": step.version_number, "binding_id": step.binding_id,
                        "error_class": error_class, "result": text})
    result = BatchResult(index, execution_id, status, lean["outcome"], lean["error"], lean["duration"],
                         tuple(tuple(s) for s in lean["steps"]))
    return result, Rows(row, None, results)


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

"""The executor's batch path: events as JSON text in, stored executions and summaries out.

The workers get each event as the text it was read as (no encoding again per step); this side
turns each finished execution into a small ``BatchResult`` for the summary and into store rows
made here with orjson (the stored event is the line itself, redacted when the flow has
secrets), so that the record sink only writes strings.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..errors import ActionsError
from ..model import Execution
from ..outcome import FlowError, Status, error_class_of
from ..runtime.redaction import REDACTED, Redactor, redactor_for
from .records import Rows, json_bytes, redacted_json


@dataclass(frozen=True)
class BatchResult:
    """One event of a batch: an execution, or why the event was refused."""

    index: int
    execution_id: str | None = None
    status: Status | None = None
    outcome_json: str | None = None
    error: FlowError | None = None
    duration_ms: float = 0.0
    steps: tuple[tuple[str, float, str | None], ...] = ()  # action, duration ms, error class
    invalid: str | None = None  # the event does not fit the trigger
    malformed: str | None = None  # the line is not a JSON object


class RowMaker:
    """Store rows of a batch's executions, the flow's secret values redacted from their
    decoded strings. Most texts hold no form of a secret at all: that is checked on the text
    itself, and only a text that may hold one is decoded, redacted and encoded again."""

    def __init__(self, secret_values: list[str]) -> None:
        self._redactor = redactor_for(secret_values)

    def dump(self, value: Any) -> str:
        return redacted_json(value, self._redactor, json_bytes)

    def rows(self, execution: Execution, event_text: bytes) -> tuple[Rows, str]:
        """The rows, and the outcome's text (for the batch summary)."""
        outcome = self.dump(execution.outcome)
        event = _stored_event(execution.event, event_text, self._redactor)
        row = (
            execution.id,
            execution.trigger_id,
            execution.kind,
            execution.status,
            execution.outcome["status"],
            outcome,
            event,
            None,
            execution.duration_ms,
            execution.created_at,
            execution.updated_at,
        )
        results = [
            (
                execution.id,
                position,
                r["action_name"],
                r.get("action_id"),
                r.get("version_id"),
                r.get("version_number"),
                r.get("binding_id"),
                error_class_of(r),
                self.dump(r),
            )
            for position, r in enumerate(execution.results)
        ]
        return Rows(row, None, results), outcome


def summary(index: int, execution: Execution, outcome_json: str | None = None) -> BatchResult:
    """The BatchResult of an execution (already redacted when ``outcome_json`` is not given)."""
    steps = tuple(
        (r["action_name"], r["response"]["stats"].get("action_duration_ms", 0.0), error_class_of(r))
        for r in execution.results
    )
    outcome = execution.outcome
    error = outcome["error"]
    if outcome_json is not None and error is not None:
        error = json.loads(outcome_json)["error"]
    return BatchResult(
        index, execution.id, outcome["status"], outcome_json or json.dumps(outcome), error, execution.duration_ms, steps
    )


def refused(index: int, error: ActionsError) -> BatchResult:
    return BatchResult(index, invalid=str(error))


def _stored_event(event: dict, text: bytes, redactor: Redactor) -> str:
    """The event as the application sent it (the line itself when it can be kept as it is),
    its secrets reduced to their names and secret values redacted."""
    secrets = event.get("secrets")
    if isinstance(secrets, dict) and secrets:
        event = {**event, "secrets": {name: REDACTED for name in secrets}}
    elif not redactor or not (b"\\u" in text or redactor.may_hold(text)):
        return text.strip().decode()
    return redacted_json(event, redactor, json_bytes)

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

import orjson

from ..errors import ActionsError
from ..model import Execution
from ..runtime.capture import REDACTED_BYTES, redact
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


class RowMaker:
    """Store rows of a batch's executions, redacted of the flow's secret values in every
    encoding the texts use (orjson escapes quotes, backslashes and control characters)."""

    def __init__(self, secret_values: list[str]) -> None:
        values = {value for value in secret_values if value}
        self._escaped = sorted({orjson.dumps(v)[1:-1] for v in values} | {v.encode() for v in values},
                               key=len, reverse=True)

    def dump(self, value: Any) -> str:
        return self._redact(_json_bytes(value))

    def _redact(self, text: bytes) -> str:
        return (redact(text, self._escaped, REDACTED_BYTES) if self._escaped else text).decode()

    def rows(self, execution: Execution, event_text: bytes) -> tuple[Rows, str]:
        """The rows, and the outcome's text (for the batch summary)."""
        outcome = self.dump(execution.outcome)
        event = self._redact(_stored_event(execution.event, event_text))
        row = (execution.id, execution.trigger_id, execution.kind, execution.status, execution.outcome["status"],
               outcome, event, None, execution.duration_ms, execution.created_at, execution.updated_at)
        results = [(execution.id, position, r["action_name"], r.get("action_id"), r.get("version_id"),
                    r.get("version_number"), r.get("binding_id"), (r["response"]["error"] or {}).get("error_class"),
                    self.dump(r)) for position, r in enumerate(execution.results)]
        return Rows(row, None, results), outcome


def summary(index: int, execution: Execution, outcome_json: str | None = None) -> BatchResult:
    """The BatchResult of an execution (already redacted when ``outcome_json`` is not given)."""
    steps = tuple((r["action_name"], r["response"]["stats"].get("action_duration_ms", 0.0),
                   (r["response"].get("error") or {}).get("error_class")) for r in execution.results)
    outcome = execution.outcome
    error = outcome["error"]
    if outcome_json is not None and error is not None:
        error = json.loads(outcome_json)["error"]
    return BatchResult(index, execution.id, outcome["status"], outcome_json or json.dumps(outcome), error,
                       execution.duration_ms, steps)


def refused(index: int, error: ActionsError) -> BatchResult:
    return BatchResult(index, invalid=str(error))


def _stored_event(event: dict, text: bytes) -> bytes:
    """The event as the application sent it, its secrets reduced to their names."""
    secrets = event.get("secrets")
    if not isinstance(secrets, dict) or not secrets:
        return text.strip()
    return _json_bytes({**event, "secrets": {name: "[REDACTED]" for name in secrets}})


def _json_bytes(value: Any) -> bytes:
    """orjson's text; the standard library's for what orjson refuses (an action's integer
    beyond 64 bits), escaping strings the same way so that redaction finds secrets in both."""
    try:
        return orjson.dumps(value)
    except TypeError:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()

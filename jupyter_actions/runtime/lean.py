"""Lean jobs: the batch executor's path, where the worker does what the parent would.

For a lean job the parent sends the event as the JSON text it read, and the worker decodes
and validates it, runs the steps, folds the outcome and returns the execution already
serialised and redacted, in one frame whose texts follow as blobs. The parent then only
stores strings and counts: on two cores this moves most of the per-event work onto the
workers, which run in parallel. JSON goes through orjson here (about 2x faster to decode an
event than the standard library, 10x to encode the results).
"""

from __future__ import annotations

import json
from typing import Any

import orjson

from .._ids import new_execution_id
from ..errors import PayloadError
from ..triggers import _outcome
from .capture import REDACTED_BYTES, redact

IDENTITY = ("action_id", "version_id", "version_number", "binding_id")


async def run_lean(worker: Any, index: int, job: dict, trigger: Any) -> tuple[dict, list[bytes]]:
    """The job's frame and its blobs: the outcome, each step's result and, when the event
    carried secrets, the event as stored, all as JSON text with secret values redacted (blobs
    travel as they are, where JSON strings inside JSON would be escaped and unescaped)."""
    try:
        event = orjson.loads(job["x"])
    except ValueError as exc:
        return _refused(index, "malformed", f"not valid JSON: {getattr(exc, 'msg', exc)}")
    if not isinstance(event, dict):
        return _refused(index, "malformed", f"an event must be a JSON object, not {type(event).__name__}")
    try:
        trigger.validate_payload(event)
    except PayloadError as exc:
        return _refused(index, "invalid", str(exc))
    given_secrets = bool(event.get("secrets"))
    cache, directory, phase = job["c"], job.get("d"), job.get("p", "execute")
    results: list[dict] = []
    prior: list[dict] = []
    values: set[str] = set()
    for position, spec in enumerate(job["s"]):
        worker.progress[0] = position  # which step runs, should the worker die
        result = await worker.run_step(trigger, spec, event, cache, directory, phase if position == 0 else "execute", prior)
        values.update(worker.actions[spec["k"]].values)
        stats = result["response"]["stats"]
        stats["total_request_duration_ms"] = stats["total_runtime_execution_duration_ms"]
        results.append({"action_name": spec["n"], **dict(zip(IDENTITY, spec["i"])), **result})
        prior += result["commands"]
        if result["control"] != "continue" or (result["response"]["error"] is not None and trigger.blocking):
            break
    event.pop("secrets", None)
    folded = _outcome.fold(trigger, results, event)
    execution_id = folded["execution_id"] = new_execution_id()
    escaped = sorted((orjson.dumps(v)[1:-1] for v in values), key=len, reverse=True)

    def dump(value: Any) -> bytes:
        return redact(_json_bytes(value), escaped, REDACTED_BYTES)

    texts = [dump(folded), *(dump(r) for r in results)]
    lean = {
        "id": execution_id, "status": folded["status"],
        "steps": [[r["action_name"], r["response"]["stats"]["action_duration_ms"],
                   (r["response"]["error"] or {}).get("error_class")] for r in results],
        "error": orjson.loads(dump(folded["error"])) if folded["error"] else None,
        "duration": round(sum(r["response"]["stats"]["total_runtime_execution_duration_ms"] for r in results), 3),
        "started_at": results[0]["started_at"], "ended_at": results[-1]["ended_at"],
    }
    if given_secrets:  # the event as stored: secret names only
        lean["event"] = 1
        texts.append(dump({**event, "secrets": {name: "[REDACTED]" for name in orjson.loads(job["x"])["secrets"]}}))
    return {"j": index, "done": 1, "lean": lean}, texts


def _json_bytes(value: Any) -> bytes:
    """orjson's text; the standard library's for what orjson refuses (an action's integer
    beyond 64 bits), escaping strings the same way so that redaction finds secrets in both."""
    try:
        return orjson.dumps(value)
    except TypeError:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def _refused(index: int, kind: str, message: str) -> tuple[dict, list[bytes]]:
    return {"j": index, "done": 1, "lean": {kind: message}}, []

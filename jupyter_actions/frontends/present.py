"""Text output shared by the CLI, the magics and the widgets: times, tables, executions, batch
summaries. Each function returns text; the front end prints it or displays it."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from ..outcome import changes, error_summary


def short_time(iso: str | None) -> str:
    """``2025-01-15T09:30:00.123456Z`` as ``2025-01-15 09:30:00`` (UTC)."""
    return (iso or "")[:19].replace("T", " ")


def cells(row: Sequence[Any]) -> tuple[str, ...]:
    return tuple("" if cell is None else str(cell) for cell in row)


def table_lines(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """Upper-case headers, then the rows, in columns two spaces apart (no trailing blanks)."""
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]
    lines = ["  ".join(h.upper().ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=False)).rstrip() for row in rows]
    return lines


def deployed_label(action: Any) -> str:
    """``v3``, ``v3 (draft changed)`` or ``draft only``."""
    if action.deployed_version is None:
        return "draft only"
    suffix = "" if action.all_changes_deployed else " (draft changed)"
    return f"v{action.deployed_version.number}{suffix}"


def execution_text(execution: Any) -> str:
    """An execution: outcome, then each action's commands, logs and error, then the changes."""
    outcome = execution.outcome
    deny = outcome.get("deny")
    lines = [
        f"{execution.kind} execution {execution.id}  {execution.trigger_id}  {execution.duration_ms:.1f} ms  "
        f"{short_time(execution.created_at)}",
        f"outcome: {outcome['status'].upper()}" + (f": {deny.get('reason')}" if deny else ""),
    ]
    for position, result in enumerate(execution.results, 1):
        response = result["response"]
        version = f"v{result['version_number']}" if result.get("version_number") else "draft"
        mark = "error" if response.get("error") else "ok"
        lines.append(
            f"{position}. {result['action_name']} ({version}) [{mark}] {response['stats'].get('action_duration_ms')} ms"
        )
        for command in result.get("commands", ()):
            arguments = ", ".join(f"{k}={json.dumps(v)}" for k, v in command.items() if k != "type")
            lines.append(f"   api.{command['type']}({arguments})")
        lines += [f"   log | {line}" for line in (response.get("logs") or "").splitlines()]
        if response.get("error"):
            error = response["error"]
            lines.append(f"   error: {error_summary(error)}")
            lines += [f"     {line}" for line in (error.get("stack") or "").splitlines()]
    lines += [f"changes: {key} = {json.dumps(value)}" for key, value in changes(outcome).items()]
    return "\n".join(lines)


def batch_summary_text(summary: Mapping[str, Any]) -> str:
    """A batch run's summary (`flows run --events`): counts, latency percentiles, failures."""
    statuses = ", ".join(f"{k} {v}" for k, v in sorted(summary["statuses"].items())) or "no executions"
    latency = ", ".join(f"{k} {v} ms" for k, v in summary["latency_ms"].items()) or "none"
    lines = [
        f"{summary['events']} events in {summary['seconds']} s ({summary['events_per_second']} events/s): {statuses}",
        f"latency {latency}",
    ]
    lines += [
        f"failed: event {f['index']} in {f.get('action_name')}: {error_summary(f)}" for f in summary["failures"][:10]
    ]
    lines += [f"invalid: event {r['index']}: {r['message']}" for r in summary["refused"][:10]]
    return "\n".join(lines)

"""An execution as HTML: outcome badge, then per action its commands, logs, stats and error."""

from __future__ import annotations

import json
from typing import Any

from ..model import Execution
from ..outcome import Outcome, StepResult, error_summary
from ._html import Html, badge, details, esc, json_pre, pre, table


def outcome_badge(outcome: Outcome) -> Html:
    """The outcome's status, with the deny reason or the failed action's error after it."""
    status = outcome.get("status", "unknown")
    deny, error = outcome.get("deny"), outcome.get("error")
    note = ""
    if deny:
        note = deny.get("reason") or deny.get("command", "")
    elif error:
        note = f"{error.get('action_name', '')}: {error_summary(error)}"
    return Html(badge(status) + (f" {esc(note)}" if note else ""))


def actions_summary(execution: Execution) -> str:
    """``a, b (error)``: the actions that ran, in order."""
    names = []
    for result in execution.results:
        failed = (result.get("response") or {}).get("error")
        names.append(result["action_name"] + (" (error)" if failed else ""))
    return ", ".join(names)


def commands_table(commands: list[dict[str, Any]]) -> Html:
    rows = [
        (i, command.get("type", ""), json.dumps({k: v for k, v in command.items() if k != "type"}, sort_keys=True))
        for i, command in enumerate(commands, 1)
    ]
    return table(("#", "command", "arguments"), rows, empty="no api commands")


def result_html(result: StepResult) -> Html:
    """One action's part of an execution: commands, logs, stats, error with its traceback."""
    response = result.get("response") or {}
    version = result.get("version_number")
    title = f"{result['action_name']} ({f'v{version}' if version else 'draft'})"
    parts = [
        f"<h4 style='margin:6px 0 2px'>{esc(title)}</h4>",
        "<div><b>Commands</b></div>",
        commands_table(result.get("commands") or []),
    ]
    parts += ["<div><b>Logs</b></div>", pre(response.get("logs") or "(no output)")]
    stats = response.get("stats") or {}
    parts += ["<div><b>Stats</b></div>", table(("stat", "ms"), sorted(stats.items()), empty="no stats")]
    error = response.get("error")
    if error:
        parts += ["<div><b>Error</b></div>", f"<div>{badge('error')} {esc(error_summary(error))}</div>"]
        if error.get("stack"):
            parts.append(pre(error["stack"]))
    return Html("".join(parts))


def execution_html(execution: Execution, *, with_event: bool = False) -> Html:
    """The whole execution; ``with_event`` adds the (secret-free) input event at the end."""
    header = (
        f"<div>{outcome_badge(execution.outcome)} <span style='color:#616161'>execution {esc(execution.id)}"
        f" &middot; {execution.duration_ms:.0f} ms</span></div>"
    )
    parts = [header, *map(result_html, execution.results)]
    parts.append(details("outcome", json_pre(execution.outcome)))
    if with_event:
        parts.append(details("input event", json_pre(execution.event)))
    return Html("".join(parts))

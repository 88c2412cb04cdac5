"""``executions list|show``: the recorded executions (the logs)."""

from __future__ import annotations

import argparse

from ..frontends.present import short_time
from . import output


def _list(args: argparse.Namespace) -> int:
    from . import open_tenant

    with open_tenant(args) as tenant:
        found = tenant.executions(
            trigger=args.trigger, kind=args.kind, status=args.status, action=args.action, limit=args.limit
        )
    if args.json:
        output.emit_json(output.paged("executions", [e.to_json() for e in found]))
        return 0
    output.table(
        ["id", "time", "trigger", "kind", "outcome", "ms", "actions"],
        [
            (
                e.id,
                short_time(e.created_at),
                e.trigger_id,
                e.kind,
                e.outcome["status"],
                f"{e.duration_ms:.1f}",
                " -> ".join(r["action_name"] for r in e.results),
            )
            for e in found
        ],
    )
    return 0


def _show(args: argparse.Namespace) -> int:
    from . import open_tenant

    with open_tenant(args) as tenant:
        execution = tenant.execution(args.id)
    output.execution(args.json, execution)
    return 0


HANDLERS = {"executions list": _list, "executions show": _show}

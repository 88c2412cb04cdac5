"""``replay``: what a candidate version would have changed on recorded executions."""

from __future__ import annotations

import argparse

from . import output


def _replay(args: argparse.Namespace) -> int:
    from . import open_tenant

    where = None
    with open_tenant(args) as tenant:
        if args.scheduler:
            from ..executor.dask_replay import replay_distributed

            report, where = replay_distributed(
                tenant, args.trigger, args.candidate, args.scheduler, since=args.since, limit=args.limit
            )
        else:
            report = tenant.replay(args.trigger, args.candidate, since=args.since, limit=args.limit)
    if args.json:
        output.emit_json({**report.to_json(), **({"distributed": where} if where else {})})
    else:
        rows = []
        for execution in report.changed:
            lines = [c.describe() for c in execution.changes] or [f"refused: {execution.refused}"]
            for number, line in enumerate(lines):
                rows.append(
                    (execution.execution_id if number == 0 else "", execution.user or "" if number == 0 else "", line)
                )
        output.table(["execution", "user", "change"], rows)
        totals = report.totals()
        detail = ", ".join(f"{k} {v}" for k, v in totals.items() if k not in ("replayed", "changed"))
        print(
            f"\nreplayed {totals['replayed']} executions with {report.candidate}: {totals['changed']} would change"
            + (f" ({detail})" if detail else "")
        )
        if where:
            from ..executor.summary import distributed_text

            print(distributed_text(where))
    return 1 if args.fail_on_change and report.changed else 0


HANDLERS = {"replay": _replay}

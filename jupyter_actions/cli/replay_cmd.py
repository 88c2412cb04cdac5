"""``replay``: what a candidate version would have changed on recorded executions."""

from __future__ import annotations

import argparse

from . import output


def register(commands, common: argparse.ArgumentParser) -> None:  # noqa: ANN001
    replay = commands.add_parser(
        "replay", help="re-run recorded executions with a candidate version and report what would change",
        parents=[common],
        description="Re-run the recorded inputs of a trigger's flow with a candidate (a draft or a version of one "
                    "bound action) in place of its deployed version. Nothing is recorded, no cache write is kept. "
                    "Reports status changes, claims and metadata added, removed or changed, scope changes and new "
                    "errors, per execution and in total.")
    replay.add_argument("trigger")
    replay.add_argument("--candidate", required=True, metavar="ACTION[@draft|@N]", help="the action and which of its versions to try")
    replay.add_argument("--since", metavar="DURATION", help="only executions from the last DURATION (30m, 12h, 7d)")
    replay.add_argument("--limit", type=int, metavar="N", help="only the N most recent executions")
    replay.add_argument("--fail-on-change", action="store_true", help="exit 1 when anything would change (for CI gates)")
    replay.add_argument("--json", action="store_true", help="print JSON only")
    replay.set_defaults(func=_replay)


def _replay(args: argparse.Namespace) -> int:
    from . import open_tenant

    with open_tenant(args) as tenant:
        report = tenant.replay(args.trigger, args.candidate, since=args.since, limit=args.limit)
    if args.json:
        output.emit_json(report.to_json())
    else:
        rows = []
        for execution in report.changed:
            lines = [c.describe() for c in execution.changes] or [f"refused: {execution.refused}"]
            for number, line in enumerate(lines):
                rows.append((execution.execution_id if number == 0 else "", execution.user or "" if number == 0 else "", line))
        output.table(["execution", "user", "change"], rows)
        totals = report.totals()
        detail = ", ".join(f"{k} {v}" for k, v in totals.items() if k not in ("replayed", "changed"))
        print(f"\nreplayed {totals['replayed']} executions with {report.candidate}: {totals['changed']} would change"
              + (f" ({detail})" if detail else ""))
    return 1 if args.fail_on_change and report.changed else 0

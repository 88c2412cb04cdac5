"""``flows list|show|bind|run|continue|test``: each trigger's ordered bindings, run and tested."""

from __future__ import annotations

import argparse
import json

from . import output


def _list(args: argparse.Namespace) -> int:
    from ..triggers import all_triggers
    from . import open_tenant

    with open_tenant(args) as tenant:
        flows = {t.id: tenant.flow(t.id) for t in all_triggers()}
    if args.json:
        output.emit_json({tid: [b.to_json() for b in bound] for tid, bound in flows.items()})
        return 0
    output.table(
        ["trigger", "actions"],
        [
            (tid, " -> ".join(f"{b.display_name}@v{b.version_number}" for b in bound) or "(empty)")
            for tid, bound in flows.items()
        ],
    )
    return 0


def _show(args: argparse.Namespace) -> int:
    from . import open_tenant

    with open_tenant(args) as tenant:
        bound = tenant.flow(args.trigger)
    _print_flow(args, bound)
    return 0


def _bind(args: argparse.Namespace) -> int:
    from . import open_tenant

    with open_tenant(args) as tenant:
        bound = tenant.bind(args.trigger, args.actions)
    _print_flow(args, bound)
    return 0


def _print_flow(args: argparse.Namespace, bound: list) -> None:
    if args.json:
        output.emit_json(output.paged("bindings", [b.to_json() for b in bound]))
        return
    output.table(
        ["#", "action", "version", "binding"],
        [(b.position + 1, b.display_name, f"v{b.version_number}", b.id) for b in bound],
    )


def _run(args: argparse.Namespace) -> int:
    from . import open_tenant

    single = args.events is None  # one --event, or the trigger's sample
    if single and args.executor == "inline":
        event = test_event(args)
        with open_tenant(args) as tenant:
            execution = tenant.run_flow(args.trigger, event, redacted=True)
        output.execution(args.json, execution)
        return output.exit_status(execution.outcome, args.fail_on)
    from . import batch_runs

    return batch_runs.run_batch(args, single=single)


def test_event(args: argparse.Namespace) -> dict:
    """``--event`` merged over the trigger's sample (as it is with ``--strict``), or the sample."""
    from ..triggers import get_trigger

    event = output.read_json_file(args.event, "event") if args.event else None
    return get_trigger(args.trigger).test_payload(event, strict=args.strict)


def _continue(args: argparse.Namespace) -> int:
    from . import open_tenant

    request = output.read_json_file(args.request, "request") if args.request else None
    with open_tenant(args) as tenant:
        execution = tenant.continue_flow(args.execution_id, request, redacted=True)
    output.execution(args.json, execution)
    return output.exit_status(execution.outcome, None)


def _cases(args: argparse.Namespace) -> int:
    from . import open_tenant

    with open_tenant(args) as tenant:
        if args.save_case:
            event = output.read_json_file(args.event, "event") if args.event else None
            case = tenant.save_flow_test_case(args.trigger, args.save_case, event, strict=args.strict)
            print(
                json.dumps(case.to_json())
                if args.json
                else f"saved flow test case {case.name!r} expecting {json.dumps(case.expected)}"
            )
            return 0
        return output.case_results(args.json, tenant.run_flow_test_cases(args.trigger), f"the {args.trigger} flow")


HANDLERS = {
    "flows list": _list,
    "flows show": _show,
    "flows bind": _bind,
    "flows run": _run,
    "flows continue": _continue,
    "flows test": _cases,
}

"""``test``, ``flows run|continue``, ``executions list|show``: running actions and reading the logs."""

from __future__ import annotations

import argparse
import json
from typing import Any

from .. import _json_input as json_input
from ..errors import InvalidInputError
from ..outcome import Status, changes, error_summary
from . import output


def register(commands, common: argparse.ArgumentParser) -> None:  # noqa: ANN001
    test = commands.add_parser("test", help="run an action's draft on a test payload", parents=[common],
                               description="Run the draft (with the draft's secrets) on the trigger's sample payload or "
                                           "--payload FILE, and show the outcome, commands, logs, stats and error. "
                                           "Exit status 1 when the action failed.")
    test.add_argument("action")
    test.add_argument("--payload", metavar="FILE", help="JSON event (default: the trigger's sample payload)")
    test.add_argument("--version", type=int, metavar="N", help="run version N instead of the draft")
    test.add_argument("--cases", action="store_true", help="run every saved test case; exit 1 if any fails")
    test.add_argument("--save-case", metavar="NAME", help="save the payload as a test case expecting this run's outcome")
    test.add_argument("--json", action="store_true", help="print JSON only")
    test.set_defaults(func=_test)

    executions = commands.add_parser("executions", help="recorded executions (the logs)", parents=[common])
    sub = executions.add_subparsers(dest="executions_command", metavar="SUBCOMMAND", required=True)
    listing = sub.add_parser("list", help="recent executions, newest first", parents=[common])
    listing.add_argument("--trigger", help="only this trigger")
    listing.add_argument("--status", choices=list(Status), help="only this outcome")
    listing.add_argument("--kind", choices=["flow", "test"], help="only flow executions or test runs")
    listing.add_argument("--action", help="only executions in which this action ran")
    listing.add_argument("--limit", type=int, default=50, help="how many (default 50)")
    listing.add_argument("--json", action="store_true", help="print JSON only")
    listing.set_defaults(func=_list)
    show = sub.add_parser("show", help="one execution with every action's details", parents=[common])
    show.add_argument("id")
    show.add_argument("--json", action="store_true", help="print JSON only")
    show.set_defaults(func=_show)


def register_flow_commands(flows_sub, common: argparse.ArgumentParser) -> None:  # noqa: ANN001
    run = flows_sub.add_parser("run", help="execute a trigger's flow on an event or a batch of events", parents=[common],
                               description="Execute the flow on one event (--event) or every line of a JSONL file "
                                           "(--events). The papermill executor runs the shipped executor notebook and "
                                           "keeps the executed notebook as an audit; inline runs in this process. Exit "
                                           "status 1 when any execution failed (denials are outcomes, not failures; "
                                           "--fail-on deny makes them fail too).")
    run.add_argument("trigger")
    source = run.add_mutually_exclusive_group(required=True)
    source.add_argument("--event", metavar="FILE", help="one JSON event")
    source.add_argument("--events", metavar="FILE.jsonl", help="one JSON event per line")
    run.add_argument("--executor", choices=["papermill", "inline"], default="papermill",
                     help="papermill (default: an executed notebook is kept as the audit) or inline")
    run.add_argument("--output", metavar="NB", help="the executed notebook (papermill; default: beside the events)")
    run.add_argument("--results", metavar="FILE", help="results JSONL (default: beside the events)")
    run.add_argument("--fail-on", choices=["deny"], help="also exit 1 when a login is denied")
    run.add_argument("--json", action="store_true", help="print JSON only")
    run.set_defaults(func=_run)
    resume = flows_sub.add_parser("continue", help="resume a suspended execution (after redirect, challenge or prompt)",
                                  parents=[common])
    resume.add_argument("execution_id")
    resume.add_argument("--request", metavar="FILE", help="JSON of the new event.request (query with state and session_token ...)")
    resume.add_argument("--json", action="store_true", help="print the execution as JSON")
    resume.set_defaults(func=_continue)
    cases = flows_sub.add_parser("test", help="run the flow's saved test cases (whole flow, in order)", parents=[common],
                                 description="Run every saved whole-flow test case of the trigger through the bound "
                                             "actions. Exit status 1 if any case fails.")
    cases.add_argument("trigger")
    cases.add_argument("--save-case", metavar="NAME", help="save --event as a case expecting the flow's current outcome")
    cases.add_argument("--event", metavar="FILE", help="JSON event for --save-case (default: the trigger's sample)")
    cases.add_argument("--json", action="store_true", help="print JSON only")
    cases.set_defaults(func=_flow_cases)


def read_json_file(path: str, what: str) -> dict[str, Any]:
    """The JSON object in the file, read by the decoding policy (docs/input.md)."""
    try:
        data = json_input.read_document(path)
    except OSError as exc:
        raise InvalidInputError(f"cannot read the {what} file {path}: {exc.strerror}") from None
    return json_input.load_object(data, f"the {what} file {path}")


def _test(args: argparse.Namespace) -> int:
    from . import open_tenant

    payload = read_json_file(args.payload, "payload") if args.payload else None
    with open_tenant(args) as tenant:
        if args.save_case:
            case = tenant.save_test_case(args.action, args.save_case, payload)
            print(json.dumps(case.to_json()) if args.json else f"saved test case {case.name!r} expecting {json.dumps(case.expected)}")
            return 0
        if args.cases:
            return _print_cases(args, tenant.run_test_cases(args.action, version=args.version), args.action)
        execution = tenant.test(args.action, payload, version=args.version)
    _print_execution(args, execution)
    return 1 if execution.outcome["error"] else 0


def _flow_cases(args: argparse.Namespace) -> int:
    from . import open_tenant

    with open_tenant(args) as tenant:
        if args.save_case:
            event = read_json_file(args.event, "event") if args.event else None
            case = tenant.save_flow_test_case(args.trigger, args.save_case, event)
            print(json.dumps(case.to_json()) if args.json else f"saved flow test case {case.name!r} expecting {json.dumps(case.expected)}")
            return 0
        return _print_cases(args, tenant.run_flow_test_cases(args.trigger), f"the {args.trigger} flow")


def _print_cases(args: argparse.Namespace, results: list, subject: str) -> int:
    failed = [r for r in results if not r.passed]
    if args.json:
        output.emit_json({"total": len(results), "passed": len(results) - len(failed), "failed": len(failed),
                          "cases": [r.to_json() for r in results]})
    else:
        if not results:
            print(f"{subject} has no saved test cases: save one with --save-case NAME")
        for result in results:
            print(f"{'PASS' if result.passed else 'FAIL'}  {result.case.name}")
            for difference in result.differences:
                print(f"      {difference}")
        print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


def _run(args: argparse.Namespace) -> int:
    from . import open_tenant

    if args.event:
        event = read_json_file(args.event, "event")
        if args.executor == "inline":
            with open_tenant(args) as tenant:
                execution = tenant.run_flow(args.trigger, event, redacted=True)
            _print_execution(args, execution)
            return _exit_status(execution.outcome, args.fail_on)
    from . import batch_runs

    return batch_runs.run_batch(args, single=args.event is not None)


def _continue(args: argparse.Namespace) -> int:
    from . import open_tenant

    request = read_json_file(args.request, "request") if args.request else None
    with open_tenant(args) as tenant:
        execution = tenant.continue_flow(args.execution_id, request, redacted=True)
    _print_execution(args, execution)
    return _exit_status(execution.outcome, None)


def _exit_status(outcome: dict, fail_on: str | None) -> int:
    """1 when the execution failed, or was denied and ``--fail-on deny`` was given."""
    if outcome["status"] == Status.FAILED or (fail_on == "deny" and outcome["status"] == Status.DENIED):
        return 1
    return 0


def _list(args: argparse.Namespace) -> int:
    from . import open_tenant

    with open_tenant(args) as tenant:
        found = tenant.executions(trigger=args.trigger, kind=args.kind, status=args.status, action=args.action,
                                  limit=args.limit)
    if args.json:
        output.emit_json(output.paged("executions", [e.to_json() for e in found]))
        return 0
    output.table(
        ["id", "time", "trigger", "kind", "outcome", "ms", "actions"],
        [(e.id, output.short_time(e.created_at), e.trigger_id, e.kind, e.outcome["status"], f"{e.duration_ms:.1f}",
          " -> ".join(r["action_name"] for r in e.results)) for e in found],
    )
    return 0


def _show(args: argparse.Namespace) -> int:
    from . import open_tenant

    with open_tenant(args) as tenant:
        execution = tenant.execution(args.id)
    _print_execution(args, execution)
    return 0


def _print_execution(args: argparse.Namespace, execution) -> None:  # noqa: ANN001
    if args.json:
        output.emit_json(execution.to_json())
        return
    outcome = execution.outcome
    print(f"execution {execution.id}  {execution.trigger_id}  {execution.kind}  {execution.duration_ms:.1f} ms")
    print(f"outcome   {outcome['status'].upper()}" + (f": {outcome['deny'].get('reason')}" if outcome.get("deny") else ""))
    for position, result in enumerate(execution.results, 1):
        response = result["response"]
        version = f"v{result['version_number']}" if result.get("version_number") else "draft"
        mark = "x" if response.get("error") else "ok"
        print(f"\n{position}. [{mark}] {result['action_name']} ({version})  {response['stats'].get('action_duration_ms')} ms")
        for command in result.get("commands", ()):
            arguments = ", ".join(f"{k}={json.dumps(v)}" for k, v in command.items() if k != "type")
            print(f"   api.{command['type']}({arguments})")
        if response.get("logs"):
            print("   logs:")
            for line in response["logs"].splitlines():
                print(f"     {line}")
        if response.get("error"):
            error = response["error"]
            print(f"   error: {error_summary(error)}")
            for line in (error.get("stack") or "").splitlines():
                print(f"     {line}")
    changed = changes(outcome)
    if changed:
        print("\nchanges:")
        for key, value in changed.items():
            print(f"  {key}: {json.dumps(value)}")

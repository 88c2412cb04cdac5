"""``test``: run an action's draft (or a version) on a payload, or its saved test cases."""

from __future__ import annotations

import argparse
import json

from . import output


def _test(args: argparse.Namespace) -> int:
    from . import open_tenant

    payload = output.read_json_file(args.payload, "payload") if args.payload else None
    with open_tenant(args) as tenant:
        if args.save_case:
            case = tenant.save_test_case(args.name, args.save_case, payload, strict=args.strict)
            print(
                json.dumps(case.to_json())
                if args.json
                else f"saved test case {case.name!r} expecting {json.dumps(case.expected)}"
            )
            return 0
        if args.cases:
            return output.case_results(args.json, tenant.run_test_cases(args.name, version=args.version), args.name)
        execution = tenant.test(args.name, payload, version=args.version, strict=args.strict)
    output.execution(args.json, execution)
    return 1 if execution.outcome["error"] else 0


HANDLERS = {"test": _test}

"""Printing for the CLI: JSON only with --json, readable text otherwise (worded by
jupyter_actions/frontends/present.py, shared with the magics)."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any

from ..frontends import present
from ..outcome import Status


def emit_json(value: Any) -> None:
    json.dump(value, sys.stdout, indent=2, sort_keys=False, default=str)
    sys.stdout.write("\n")


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    print("\n".join(present.table_lines(headers, [present.cells(row) for row in rows])))
    if not rows:
        print("(none)")


def paged(key: str, items: list[dict[str, Any]]) -> dict[str, Any]:
    """Auth0's list envelope: ``{total, page, per_page, <key>: [...]}``."""
    return {"total": len(items), "page": 0, "per_page": len(items), key: items}


def execution(as_json: bool, found: Any) -> None:
    """An execution as JSON, or as the text the magics show too."""
    if as_json:
        emit_json(found.to_json())
    else:
        print(present.execution_text(found))


def case_results(as_json: bool, results: list, subject: str) -> int:
    """Saved test cases' results; the exit status (1 if any failed)."""
    failed = [r for r in results if not r.passed]
    if as_json:
        emit_json(
            {
                "total": len(results),
                "passed": len(results) - len(failed),
                "failed": len(failed),
                "cases": [r.to_json() for r in results],
            }
        )
    else:
        if not results:
            print(f"{subject} has no saved test cases: save one with --save-case NAME")
        for result in results:
            print(f"{'PASS' if result.passed else 'FAIL'}  {result.case.name}")
            for difference in result.differences:
                print(f"      {difference}")
        print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


def exit_status(outcome: dict, fail_on: str | None) -> int:
    """1 when the execution failed, or was denied and ``--fail-on deny`` was given."""
    if outcome["status"] == Status.FAILED or (fail_on == "deny" and outcome["status"] == Status.DENIED):
        return 1
    return 0


def read_json_file(path: str, what: str) -> dict[str, Any]:
    """The JSON object in the file, read by the decoding policy (docs/input.md)."""
    from .. import _json_input as json_input
    from ..errors import InvalidInputError

    try:
        data = json_input.read_document(path)
    except OSError as exc:
        raise InvalidInputError(f"cannot read the {what} file {path}: {exc.strerror}") from None
    return json_input.load_object(data, f"the {what} file {path}")

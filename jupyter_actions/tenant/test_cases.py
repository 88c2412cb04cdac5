"""Saved test cases: a payload plus the outcome it must produce, for one action or a whole flow.

A case saved from a run expects exactly that run's outcome: its status, deny, the identity of
its error, and every change it made (``outcome.changes``: claims, scopes, metadata, MFA ...). A later
run passes when it produces the same, and lists each difference when it does not.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from .._clock import now_iso
from ..errors import InvalidInputError, Remedy, TestCaseNotFound
from ..model import Execution
from ..outcome import Status, changes, error_identity
from ..store.schema import test_cases


@dataclass(frozen=True)
class TestCase:
    id: str
    scope: str
    target: str
    name: str
    payload: dict[str, Any]
    expected: dict[str, Any]
    updated_at: str

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "payload": self.payload,
            "expected": self.expected,
            "updated_at": self.updated_at,
        }


@dataclass(frozen=True)
class CaseResult:
    case: TestCase
    passed: bool
    differences: tuple[str, ...]
    execution: Execution = field(repr=False)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.case.name,
            "passed": self.passed,
            "differences": list(self.differences),
            "expected": self.case.expected,
            "actual": expected_from(self.execution.outcome),
            "execution": self.execution.to_json(),
        }


def expected_from(outcome: Mapping[str, Any]) -> dict[str, Any]:
    """What a case records of an outcome: the status, the deny and error when there are, and
    every change."""
    expected: dict[str, Any] = {"status": outcome["status"]}
    if outcome.get("deny"):
        expected["deny"] = outcome["deny"]
    if outcome.get("error"):
        expected["error"] = error_identity(outcome["error"])
    return {**expected, **changes(outcome)}


def compare(expected: Mapping[str, Any], outcome: Mapping[str, Any]) -> tuple[str, ...]:
    """The differences between a case's expectation and an outcome, one line each."""
    actual = expected_from(outcome)
    differences = []
    for key in sorted(set(expected) | set(actual), key=lambda k: (k != "status", k)):
        want, got = expected.get(key), actual.get(key)
        if want != got:
            differences.append(
                f"{key}: expected {json.dumps(want, sort_keys=True)}, got {json.dumps(got, sort_keys=True)}"
            )
    return tuple(differences)


def check_case_name(name: str) -> str:
    if not isinstance(name, str) or not name.strip() or len(name) > 200:
        raise InvalidInputError("a test case needs a name of 1 to 200 characters, e.g. 'admin gets MFA'")
    return name


def save(conn: Connection, scope: str, target: str, name: str, payload: dict, expected: dict) -> TestCase:
    check_case_name(name)
    if "status" not in expected:
        raise InvalidInputError(f"the expected outcome of a test case needs at least a status ({', '.join(Status)})")
    stored = dict(payload)
    if isinstance(stored.get("secrets"), dict):
        stored["secrets"] = {}  # the action's own secrets are used when the case runs
    now = now_iso()
    existing = conn.execute(
        select(test_cases.c.id).where(
            test_cases.c.scope == scope, test_cases.c.target == target, test_cases.c.name == name
        )
    ).scalar()
    values = {"payload": json.dumps(stored), "expected": json.dumps(expected), "updated_at": now}
    if existing:
        conn.execute(test_cases.update().where(test_cases.c.id == existing).values(**values))
        case_id = existing
    else:
        case_id = str(uuid.uuid4())
        conn.execute(
            test_cases.insert().values(id=case_id, scope=scope, target=target, name=name, created_at=now, **values)
        )
    return TestCase(case_id, scope, target, name, stored, expected, now)


def list_cases(conn: Connection, scope: str, target: str) -> list[TestCase]:
    rows = conn.execute(
        select(test_cases).where(test_cases.c.scope == scope, test_cases.c.target == target).order_by(test_cases.c.name)
    )
    return [
        TestCase(r.id, r.scope, r.target, r.name, json.loads(r.payload), json.loads(r.expected), r.updated_at)
        for r in rows
    ]


def delete(conn: Connection, scope: str, target: str, name: str) -> None:
    deleted = conn.execute(
        test_cases.delete().where(test_cases.c.scope == scope, test_cases.c.target == target, test_cases.c.name == name)
    ).rowcount
    if not deleted:
        remedy = Remedy("run the saved ones", "flows test", (target,)) if scope == "flow" else None
        raise TestCaseNotFound(f"there is no test case named {name!r}", remedy=remedy)

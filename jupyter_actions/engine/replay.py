"""Replay: recorded executions re-run with a candidate version of one action, and what changed.

The recorded input events go through the trigger's flow as it is bound now, with the candidate
(a draft or a version of one bound action) in place of that action's deployed version. Nothing
is recorded and no cache write is kept. Each replayed outcome is compared with the recorded
one: status changes, claims and metadata added, removed or changed, scope changes, new errors.
Both sides are compared with secret values redacted, as they are stored.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .._clock import duration_seconds, iso_from_epoch
from ..errors import ActionsError, ConflictError, InvalidInputError
from ..model import DRAFT, Execution, version_ref
from ..outcome import ENGINE_KEYS, error_identity

# outcome keys compared entry by entry (a dict of claims or metadata keys)
KEYED = ("id_token_claims", "access_token_claims", "app_metadata", "user_metadata")


@dataclass(frozen=True)
class Change:
    kind: str  # status, claim, metadata, scopes, error, outcome
    key: str
    before: Any
    after: Any

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "key": self.key, "before": self.before, "after": self.after}

    def describe(self) -> str:
        return f"{self.key}: {json.dumps(self.before)} -> {json.dumps(self.after)}"


@dataclass(frozen=True)
class ReplayedExecution:
    execution_id: str
    created_at: str
    user: str | None
    changes: tuple[Change, ...]
    replayed: Execution | None = field(repr=False, default=None)
    refused: str | None = None  # the recorded event no longer fits the trigger

    def to_json(self) -> dict[str, Any]:
        return {
            "execution_id": self.execution_id,
            "created_at": self.created_at,
            "user": self.user,
            "changed": bool(self.changes),
            "changes": [c.to_json() for c in self.changes],
            "refused": self.refused,
        }


@dataclass(frozen=True)
class ReplayReport:
    trigger_id: str
    candidate: str
    executions: tuple[ReplayedExecution, ...]

    @property
    def changed(self) -> list[ReplayedExecution]:
        return [e for e in self.executions if e.changes or e.refused]

    def totals(self) -> dict[str, int]:
        counts: dict[str, int] = {"replayed": len(self.executions), "changed": len(self.changed)}
        for execution in self.executions:
            for change in execution.changes:
                counts[change.kind] = counts.get(change.kind, 0) + 1
        return counts

    def to_json(self) -> dict[str, Any]:
        return {
            "trigger_id": self.trigger_id,
            "candidate": self.candidate,
            "totals": self.totals(),
            "executions": [e.to_json() for e in self.executions],
        }


def parse_candidate(text: str) -> tuple[str, int | str]:
    """``ACTION``, ``ACTION@draft`` or ``ACTION@N`` -> (name, "draft" | N)."""
    name, _, ref = text.partition("@")
    if not name:
        raise InvalidInputError(f"invalid candidate {text!r}: write ACTION, ACTION@draft or ACTION@N")
    try:
        return name, version_ref(ref or DRAFT)
    except InvalidInputError:
        raise InvalidInputError(f"invalid candidate {text!r}: after @ write 'draft' or a version number") from None


def parse_since(text: str | None) -> str | None:
    """``30m``, ``12h``, ``7d`` ... -> the ISO time that long ago."""
    if text is None:
        return None
    return iso_from_epoch(time.time() - duration_seconds(text))


def check_bound(flow_actions: list[str], name: str, trigger_id: str) -> None:
    if name not in flow_actions:
        raise ConflictError(
            f"action {name} is not bound to the {trigger_id} flow: replay swaps a bound action for its candidate"
        )


def compare(recorded: Mapping[str, Any], replayed: Mapping[str, Any]) -> tuple[Change, ...]:
    changes: list[Change] = []
    if recorded.get("status") != replayed.get("status"):
        changes.append(Change("status", "status", recorded.get("status"), replayed.get("status")))
    before_deny, after_deny = _reason(recorded.get("deny")), _reason(replayed.get("deny"))
    if before_deny != after_deny and recorded.get("status") == replayed.get("status"):
        changes.append(Change("status", "deny.reason", before_deny, after_deny))
    before_error, after_error = error_identity(recorded.get("error")), error_identity(replayed.get("error"))
    if before_error != after_error:
        changes.append(Change("error", "error", before_error, after_error))
    for key in KEYED:
        before, after = recorded.get(key) or {}, replayed.get(key) or {}
        kind = "claim" if key.endswith("claims") else "metadata"
        for name in sorted(set(before) | set(after)):
            if before.get(name, _ABSENT) != after.get(name, _ABSENT):
                changes.append(Change(kind, f"{key}.{name}", before.get(name), after.get(name)))
    if (recorded.get("scopes") or {}) != (replayed.get("scopes") or {}):
        changes.append(Change("scopes", "scopes", recorded.get("scopes"), replayed.get("scopes")))
    handled = {*ENGINE_KEYS, "scopes", *KEYED}
    for key in sorted((set(recorded) | set(replayed)) - handled):
        if recorded.get(key) != replayed.get(key):
            changes.append(Change("outcome", key, recorded.get(key), replayed.get(key)))
    return tuple(changes)


_ABSENT = object()


def _reason(deny: dict | None) -> str | None:
    return deny.get("reason") if deny else None


def report(
    trigger_id: str, candidate: str, recorded: list[Execution], replayed: dict[int, Execution | ActionsError]
) -> ReplayReport:
    rows = []
    for index, original in enumerate(recorded):
        result = replayed[index]
        user = (original.event.get("user") or {}).get("email") or (original.event.get("user") or {}).get("user_id")
        if isinstance(result, ActionsError):
            rows.append(ReplayedExecution(original.id, original.created_at, user, (), None, str(result)))
        else:
            rows.append(
                ReplayedExecution(
                    original.id, original.created_at, user, compare(original.outcome, result.outcome), result
                )
            )
    return ReplayReport(trigger_id, candidate, tuple(rows))

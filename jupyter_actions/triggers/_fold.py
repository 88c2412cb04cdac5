"""Reducers that fold a flow's commands into the trigger-specific outcome keys.

Each reducer takes ``(commands, event)`` (commands already without discarded ones) and
returns one outcome value. docs/outcome.md documents every key. Each reducer also says which
command types it reads (``reading``), so that a flow's fold runs only the reducers its commands
concern (``Plan``): post-login has seventeen outcome keys and a flow usually touches two.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Mapping
from typing import Any

Reducer = Callable[[list, dict], Any]


def reads(*prefixes: str, suffixes: tuple[str, ...] = ()) -> Callable[[Reducer], Reducer]:
    """Mark a reducer as reading only the command types that start with one of ``prefixes``
    or end with one of ``suffixes`` (a reducer left unmarked runs for every flow)."""

    def mark(reducer: Reducer) -> Reducer:
        reducer.reads = lambda kind: kind.startswith(prefixes) or kind.endswith(suffixes)  # type: ignore[attr-defined]
        return reducer

    return mark


class Commands(list):
    """A flow's commands, indexed by type once, so that each of a trigger's many reducers
    picks its own without scanning the whole list again."""

    def __init__(self, commands: list[dict]) -> None:
        super().__init__(commands)
        self.by_type: dict[Any, list[dict]] = {}
        for command in commands:
            self.by_type.setdefault(command.get("type"), []).append(command)


def _of(commands: list, *types: str) -> list[dict]:
    by_type = getattr(commands, "by_type", None)
    if by_type is None:
        wanted = set(types)
        return [c for c in commands if c.get("type") in wanted]
    present = [t for t in types if t in by_type]
    if len(present) <= 1:
        return list(by_type[present[0]]) if present else []
    wanted = set(present)
    return [c for c in commands if c.get("type") in wanted]  # several types: keep call order


def _fields(command: dict, with_method: bool) -> dict:
    method = command["type"].split(".", 1)[1]
    fields = {k: copy.deepcopy(v) for k, v in command.items() if k not in ("type", "discarded")}
    return {"method": method, **fields} if with_method else fields


def merged(command_type: str) -> Reducer:
    """``{key: value}`` of every ``command_type`` call; later calls win (None = remove)."""

    def reduce(commands: list, event: dict) -> dict:
        return {c["key"]: copy.deepcopy(c["value"]) for c in _of(commands, command_type)}

    return reads(command_type)(reduce)


def last(*types: str) -> Reducer:
    """The arguments of the last call among ``types`` (with ``method`` when several), else None."""

    def reduce(commands: list, event: dict) -> dict | None:
        found = _of(commands, *types)
        return _fields(found[-1], len(types) > 1) if found else None

    return reads(*types)(reduce)


def sequence(*types: str) -> Reducer:
    """The arguments of every call among ``types``, in call order, each with its ``method``."""

    def reduce(commands: list, event: dict) -> list:
        return [_fields(c, True) for c in _of(commands, *types)]

    return reads(*types)(reduce)


def last_field(command_type: str, field: str) -> Reducer:
    def reduce(commands: list, event: dict) -> Any:
        found = _of(commands, command_type)
        return copy.deepcopy(found[-1][field]) if found else None

    return reads(command_type)(reduce)


def first_field(command_type: str, field: str) -> Reducer:
    def reduce(commands: list, event: dict) -> Any:
        found = _of(commands, command_type)
        return copy.deepcopy(found[0][field]) if found else None

    return reads(command_type)(reduce)


def collected(command_type: str, field: str) -> Reducer:
    def reduce(commands: list, event: dict) -> list:
        return [copy.deepcopy(c[field]) for c in _of(commands, command_type)]

    return reads(command_type)(reduce)


@reads("access_token.add_scope", "access_token.remove_scope")
def scopes(commands: list, event: dict) -> dict:
    """``{"add": [...], "remove": [...]}``: the last call for a scope decides its list."""
    final: dict[str, str] = {}
    for command in _of(commands, "access_token.add_scope", "access_token.remove_scope"):
        final.pop(command["scope"], None)
        final[command["scope"]] = "add" if command["type"].endswith("add_scope") else "remove"
    return {
        "add": [s for s, op in final.items() if op == "add"],
        "remove": [s for s, op in final.items() if op == "remove"],
    }


def expiring(namespace: str, cookie: bool = False) -> Reducer:
    """Session / refresh-token changes, or None when untouched."""

    def reduce(commands: list, event: dict) -> dict | None:
        mine = [c for c in commands if c.get("type", "").startswith(namespace + ".")]
        if not mine:
            return None
        revoked = _of(mine, f"{namespace}.revoke")
        expires = [c["absolute"] for c in _of(mine, f"{namespace}.set_expires_at")]
        idle = [c["inactivity"] for c in _of(mine, f"{namespace}.set_idle_expires_at")]
        snapshots = [c["metadata"] for c in mine if "metadata" in c]
        result = {
            "revoked": _fields(revoked[0], False) if revoked else None,
            "expires_at": min(expires) if expires else None,
            "idle_expires_at": min(idle) if idle else None,
            "metadata": copy.deepcopy(snapshots[-1]) if snapshots else None,
        }
        if cookie:
            modes = _of(mine, f"{namespace}.set_cookie_mode")
            result["cookie_mode"] = modes[-1]["mode"] if modes else None
        return result

    return reads(namespace + ".")(reduce)


@reads("saml_response.")
def saml_response(commands: list, event: dict) -> dict:
    """``{"attributes": {name: value or None}, "settings": {snake_case_name: value}}``."""
    attributes: dict[str, Any] = {}
    settings: dict[str, Any] = {}
    for command in commands:
        kind = command.get("type", "")
        if kind == "saml_response.set_attribute":
            attributes[command["attribute"]] = copy.deepcopy(command["value"])
        elif kind.startswith("saml_response.set_"):
            name = kind[len("saml_response.set_") :]
            settings[name] = copy.deepcopy(command[name])
    return {"attributes": attributes, "settings": settings}


@reads(suffixes=("_target_scope", "_target_scopes"))
def target_scopes(commands: list, event: dict) -> list | None:
    """The final live target scope set (``event.transaction.target_scopes``), if touched."""
    if not any(
        c.get("type", "").endswith("_target_scope") or c.get("type", "").endswith("_target_scopes") for c in commands
    ):
        return None
    transaction = event.get("transaction") if isinstance(event, dict) else None
    scopes = transaction.get("target_scopes") if isinstance(transaction, dict) else None
    return list(scopes) if isinstance(scopes, list) else []


@reads("notification.retry", "notification.drop")
def notification(commands: list, event: dict) -> dict | None:
    """``{"action": "retry" | "drop", "reason": str}`` of the last call, else None."""
    found = _of(commands, "notification.retry", "notification.drop")
    if not found:
        return None
    return {"action": found[-1]["type"].split(".", 1)[1], "reason": found[-1]["reason"]}


@reads("authentication.set_user_by_id", "authentication.set_user_by_connection")
def token_exchange_user(commands: list, event: dict) -> dict | None:
    """The user the exchange issues tokens for: by id or by connection."""
    found = _of(commands, "authentication.set_user_by_id", "authentication.set_user_by_connection")
    if not found:
        return None
    chosen = _fields(found[-1], False)
    chosen["method"] = "by_id" if found[-1]["type"].endswith("by_id") else "by_connection"
    return chosen


class Plan:
    """A trigger's outcome reducers, run only for the keys a flow's command types concern.

    Every other key gets its value for a flow without commands, from a function made once
    that builds that literal (each outcome gets objects of its own; ``json.loads`` of the
    same text took three times as long).
    """

    def __init__(self, reducers: Mapping[str, Reducer]) -> None:
        self.reducers = reducers
        self.always = tuple(key for key, reduce in reducers.items() if not hasattr(reduce, "reads"))
        empty = {key: reduce(Commands([]), {}) for key, reduce in reducers.items()}
        self.empty_outcome = _literal_builder(empty)
        self._keys_for: dict[Any, tuple[str, ...]] = {}  # command type -> keys that read it

    def keys_reading(self, kind: Any) -> tuple[str, ...]:
        keys = self._keys_for.get(kind)
        if keys is None:
            keys = self._keys_for[kind] = tuple(
                key
                for key, reduce in self.reducers.items()
                if not isinstance(kind, str) or not hasattr(reduce, "reads") or reduce.reads(kind)
            )
        return keys

    def fold(self, commands: Commands, event: dict) -> dict:
        folded = self.empty_outcome()
        touched = set(self.always)
        for kind in commands.by_type:
            touched.update(self.keys_reading(kind))
        for key in touched:
            folded[key] = self.reducers[key](commands, event)
        return folded


def _literal_builder(value: Any) -> Callable[[], Any]:
    """A function returning a fresh copy of ``value``, JSON data made by reducers (not input)."""
    json.dumps(value)  # only JSON data can be written back as a Python literal
    return eval(compile(f"lambda: {value!r}", "<empty outcome>", "eval"), {"__builtins__": {}})  # noqa: S307

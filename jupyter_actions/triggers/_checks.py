"""Argument validation with the messages of Auth0's generated (ajv) input schemas.

Auth0 validates some api arguments against JSON schemas and reports
``"<prefix>: <field> <message>[, <message>]; <field> <message>"``, for example
``Invalid set_user_by_id arguments: user_id must NOT have fewer than 1 characters``.
Field and method names are the Python (snake_case) ones.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ._api import is_number

_TYPE_NAMES = (
    ("string", lambda v: isinstance(v, str)),
    ("number", is_number),
    ("boolean", lambda v: isinstance(v, bool)),
    ("object", lambda v: isinstance(v, Mapping)),
    ("array", lambda v: isinstance(v, (list, tuple))),
    ("null", lambda v: v is None),
)


def type_of(value: Any) -> str | None:
    for name, test in _TYPE_NAMES:
        if test(value):
            return name
    return None


class Spec:
    def errors(self, value: Any, path: str) -> list[tuple[str, str]]:
        raise NotImplementedError


class S(Spec):
    """A string with optional length bounds and pattern."""

    def __init__(self, min_len: int | None = None, max_len: int | None = None, pattern: str | None = None) -> None:
        self.min_len, self.max_len, self.pattern = min_len, max_len, pattern

    def errors(self, value: Any, path: str) -> list[tuple[str, str]]:
        if not isinstance(value, str):
            return [(path, "must be string")]
        found = []
        if self.max_len is not None and len(value) > self.max_len:
            found.append((path, f"must NOT have more than {self.max_len} characters"))
        if self.min_len is not None and len(value) < self.min_len:
            found.append((path, f"must NOT have fewer than {self.min_len} characters"))
        if self.pattern is not None and not re.search(self.pattern, value):
            found.append((path, f'must match pattern "{self.pattern}"'))
        return found


class T(Spec):
    """One or more JSON types (``T("number")``, ``T("string", "number", "boolean")``)."""

    def __init__(self, *types: str, max_len: int | None = None, items: Spec | None = None) -> None:
        self.types, self.max_len, self.items = types, max_len, items

    def errors(self, value: Any, path: str) -> list[tuple[str, str]]:
        kind = type_of(value)
        found = []
        if kind not in self.types:
            found.append((path, "must be " + ",".join(self.types)))
        if kind == "string" and self.max_len is not None and len(value) > self.max_len:
            found.append((path, f"must NOT have more than {self.max_len} characters"))
        if kind == "array" and self.items is not None:
            for index, item in enumerate(value):
                found.extend(self.items.errors(item, f"{path}/{index}"))
        return found


class E(Spec):
    def __init__(self, *values: Any) -> None:
        self.values = values

    def errors(self, value: Any, path: str) -> list[tuple[str, str]]:
        if isinstance(value, bool) or value not in self.values:
            return [(path, "must be equal to one of the allowed values")]
        return []


class A(Spec):
    def __init__(self, items: Spec, max_items: int | None = None) -> None:
        self.items, self.max_items = items, max_items

    def errors(self, value: Any, path: str) -> list[tuple[str, str]]:
        if not isinstance(value, (list, tuple)):
            return [(path, "must be array")]
        found = []
        if self.max_items is not None and len(value) > self.max_items:
            found.append((path, f"must NOT have more than {self.max_items} items"))
        for index, item in enumerate(value):
            found.extend(self.items.errors(item, f"{path}/{index}"))
        return found


class O(Spec):  # noqa: E742 - one letter per JSON type (S, T, E, A, O), like the schemas it mirrors
    """An object: ``props`` in schema order, ``required`` names, closed unless ``extra``."""

    def __init__(
        self,
        props: Mapping[str, Spec] | None = None,
        required: tuple[str, ...] = (),
        extra: bool = False,
        max_props: int | None = None,
        key_pattern: str | None = None,
    ) -> None:
        self.props = dict(props or {})
        self.required, self.extra = required, extra
        self.max_props, self.key_pattern = max_props, key_pattern

    def errors(self, value: Any, path: str) -> list[tuple[str, str]]:
        if not isinstance(value, Mapping):
            return [(path, "must be object")]
        found = []
        if self.max_props is not None and len(value) > self.max_props:
            found.append((path, f"must NOT have more than {self.max_props} properties"))
        for name in self.required:
            if value.get(name) is None:
                found.append((path, f"must have required property '{name}'"))
        for key in value:
            known = key in self.props
            allowed = self.extra or known
            if self.key_pattern is not None and not known:
                allowed = bool(re.search(self.key_pattern, str(key)))
            if not allowed:
                found.append((path, "must NOT have additional properties"))
        for name, spec in self.props.items():
            if value.get(name) is not None:
                found.extend(spec.errors(value[name], f"{path}/{name}"))
        return found


def format_errors(errors: list[tuple[str, str]]) -> str:
    """Auth0's formatValidationError: one ``field msg, msg`` group per path, joined by ``; ``."""
    grouped: dict[str, str] = {}
    for path, message in errors:
        if path in grouped:
            grouped[path] += f", {message}"
        else:
            grouped[path] = f"{path.split('/')[-1]} {message}".strip()
    return "; ".join(grouped.values())


def check(spec: Spec, value: Any, prefix: str | None = None, error: type[Exception] = ValueError) -> None:
    """Raise ``error`` with Auth0's message if ``value`` does not fit ``spec``."""
    errors = spec.errors(value, "")
    if errors:
        message = format_errors(errors)
        raise error(f"{prefix}: {message}" if prefix else message)

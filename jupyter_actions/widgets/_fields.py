"""Quick fields and presets of the test payload: the parts of an event people change most.

A field or preset is offered for a trigger when its place exists in the trigger's sample
payload, so post-login gets roles and organization, send-phone-message does not.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

Path = tuple[str, ...]


def exists(payload: Any, path: Path) -> bool:
    for key in path:
        if not isinstance(payload, Mapping) or key not in payload:
            return False
        payload = payload[key]
    return True


def read(payload: Any, path: Path) -> Any:
    for key in path:
        if not isinstance(payload, Mapping):
            return None
        payload = payload.get(key)
    return payload


def write(payload: dict[str, Any], path: Path, value: Any) -> None:
    """Set ``payload[path]``, creating missing objects on the way."""
    node = payload
    for i, key in enumerate(path[:-1]):
        child = node.setdefault(key, {})
        if not isinstance(child, dict):
            raise ValueError(f"{'.'.join(path[: i + 1])} is not an object in the payload")
        node = child
    node[path[-1]] = value


@dataclass(frozen=True)
class QuickField:
    """One text field bound to one place in the payload; ``kind`` says how text maps to JSON."""

    label: str
    path: Path
    kind: str = "text"  # text | list (comma separated) | json

    def format(self, payload: Any) -> str:
        value = read(payload, self.path)
        if self.kind == "list":
            return ", ".join(map(str, value)) if isinstance(value, list) else ""
        if self.kind == "json":
            return "" if value is None else json.dumps(value, sort_keys=True)
        return "" if value is None else str(value)

    def parse(self, text: str) -> Any:
        """The JSON value for ``text``; ValueError names the field, line and column."""
        if self.kind == "list":
            return [item.strip() for item in text.split(",") if item.strip()]
        if self.kind == "json":
            return parse_json(text or "null", self.label)
        return text

    def write_into(self, payload: dict[str, Any], text: str) -> None:
        write(payload, self.path, self.parse(text))


QUICK_FIELDS = (
    QuickField("user email", ("user", "email")),
    QuickField("app_metadata", ("user", "app_metadata"), "json"),
    QuickField("roles", ("authorization", "roles"), "list"),
    QuickField("request IP", ("request", "ip")),
    QuickField("country", ("request", "geoip", "countryCode")),
    QuickField("connection", ("connection", "name")),
    QuickField("client", ("client", "name")),
    QuickField("organization", ("organization", "name")),
)


@dataclass(frozen=True)
class Preset:
    """A named change to the payload, applied on top of what is in the editor."""

    name: str
    changes: tuple[tuple[Path, Any], ...]

    def applies_to(self, sample: Mapping[str, Any]) -> bool:
        return all(exists(sample, path[:-1]) for path, _ in self.changes)

    def apply(self, payload: dict[str, Any]) -> dict[str, Any]:
        changed = copy.deepcopy(payload)
        for path, value in self.changes:
            write(changed, path, copy.deepcopy(value))
        return changed


BRAZIL = {
    "cityName": "São Paulo",
    "continentCode": "SA",
    "countryCode": "BR",
    "countryCode3": "BRA",
    "countryName": "Brazil",
    "latitude": -23.5475,
    "longitude": -46.63611,
    "subdivisionCode": "SP",
    "subdivisionName": "São Paulo",
    "timeZone": "America/Sao_Paulo",
}

PRESETS = (
    Preset("admin user", ((("authorization", "roles"), ["admin"]),)),
    Preset("new country", ((("request", "geoip"), BRAZIL),)),
    Preset("disposable email", ((("user", "email"), "j.smith@mailinator.com"),)),
    Preset("unverified email", ((("user", "email_verified"), False),)),
    Preset("blocked IP", ((("request", "ip"), "198.51.100.23"),)),
    Preset("first login", ((("stats", "logins_count"), 1),)),
)


def fields_for(sample: Mapping[str, Any]) -> list[QuickField]:
    return [field for field in QUICK_FIELDS if exists(sample, field.path)]


def presets_for(sample: Mapping[str, Any]) -> list[Preset]:
    return [preset for preset in PRESETS if preset.applies_to(sample)]


def parse_json(text: str, subject: str) -> Any:
    """``text`` decoded by the one input policy (docs/input.md); ValueError says why not."""
    from .. import _json_input as json_input
    from ..errors import MalformedInputError

    try:
        return json_input.load(text, subject)
    except MalformedInputError as exc:
        raise ValueError(str(exc)) from None

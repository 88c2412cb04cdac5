"""Tenant settings: limits and options, stored as JSON, with documented defaults."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from ..errors import InvalidInputError
from ..store import schema


@dataclass(frozen=True)
class Setting:
    default: Any
    kind: type
    help: str


SETTINGS: dict[str, Setting] = {
    "max_versions": Setting(50, int, "versions kept per action; the oldest non-deployed ones are dropped"),
    "max_secrets": Setting(30, int, "secrets per action"),
    "max_bindings": Setting(20, int, "actions bound to one flow"),
    "max_dependencies": Setting(10, int, "dependencies per action"),
    "flow_timeout_s": Setting(20.0, float, "wall clock limit of one flow execution, in seconds"),
    "worker_memory_mb": Setting(512, int, "memory limit of one action worker, in MiB"),
    "log_limit_bytes": Setting(256 * 1024, int, "captured output kept per action execution"),
    "execution_retention_days": Setting(30.0, float, "days executions are kept before pruning"),
    "allow_native_dependencies": Setting(False, bool, "allow dependencies with compiled code"),
    "index_url": Setting("", str, "package index URL for dependencies (empty: the installer's default)"),
    "extra_index_urls": Setting("", str, "extra package index URLs, space separated"),
    "find_links": Setting("", str, "folders or URLs of wheels, space separated"),
    "offline": Setting(False, bool, "resolve and build dependencies without any index"),
}


def parse_value(key: str, raw: Any) -> Any:
    """Check a setting's name and convert a value given as text or JSON value."""
    setting = SETTINGS.get(key)
    if setting is None:
        raise InvalidInputError(f"unknown setting {key!r}: use one of {', '.join(sorted(SETTINGS))}")
    if setting.kind is bool:
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in ("1", "true", "yes", "on"):
            return True
        if text in ("0", "false", "no", "off"):
            return False
        raise InvalidInputError(f"setting {key} takes true or false, not {raw!r}")
    if setting.kind is str:
        return str(raw)
    try:
        value = setting.kind(raw)
    except (TypeError, ValueError):
        raise InvalidInputError(f"setting {key} takes a number, not {raw!r}") from None
    if value <= 0:
        raise InvalidInputError(f"setting {key} must be greater than 0, not {raw!r}")
    return value


def load(conn: Connection) -> dict[str, Any]:
    values = {key: setting.default for key, setting in SETTINGS.items()}
    for key, raw in conn.execute(select(schema.settings.c.key, schema.settings.c.value)):
        if key in values:
            values[key] = json.loads(raw)
    return values


def store(conn: Connection, key: str, value: Any) -> None:
    table = schema.settings
    conn.execute(table.delete().where(table.c.key == key))
    conn.execute(table.insert().values(key=key, value=json.dumps(value)))

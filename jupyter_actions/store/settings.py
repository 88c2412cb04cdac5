"""Tenant settings: limits and options, stored as JSON, with documented defaults."""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from ..errors import InvalidInputError
from . import schema


@dataclass(frozen=True)
class Setting:
    default: Any
    kind: type
    help: str
    choices: tuple[str, ...] = ()
    check: Callable[[Any], Any] | None = None
    """Normalises a converted value, or raises ValueError("must be ..., not ...")."""
    bounds: tuple[float, float] | None = None
    """A number's least and greatest value, both allowed (for a float, the least is not)."""

    @property
    def range_text(self) -> str:
        """The bounds in words, as the help and the refusals say them."""
        if self.bounds is None:
            return ""
        low, high = self.bounds
        if self.kind is float:
            return f"more than {low:,g} and at most {high:,g}"
        return f"from {low:,} to {high:,}"


def _outbound_network(value: str) -> str:
    from ..runtime.sandbox import parse_network

    return parse_network(value)


SETTINGS: dict[str, Setting] = {
    "max_versions": Setting(
        50, int, "versions kept per action; the oldest non-deployed ones are dropped", bounds=(1, 1_000_000)
    ),
    "max_secrets": Setting(30, int, "secrets per action", bounds=(1, 1_000)),
    "max_bindings": Setting(20, int, "actions bound to one flow", bounds=(1, 100)),
    "max_dependencies": Setting(10, int, "dependencies per action", bounds=(1, 1_000)),
    "flow_timeout_s": Setting(20.0, float, "wall clock limit of one flow execution, in seconds", bounds=(0, 3_600)),
    "worker_memory_mb": Setting(
        512, int, "memory limit of one action worker and the processes it starts, in MiB", bounds=(32, 1_048_576)
    ),
    "worker_max_processes": Setting(
        32, int, "processes and threads one action worker may hold, itself included", bounds=(1, 4_096)
    ),
    "sandbox": Setting(
        "strict",
        str,
        "strict: refuse to run action code when a sandbox layer is missing "
        "(the default where the kernel has Landlock); best-effort: run with the layers "
        "this machine has (the default elsewhere)",
        choices=("strict", "best-effort"),
    ),
    "outbound_network": Setting(
        "open",
        str,
        "network of action workers: open, deny, or a comma list of the TCP ports they may connect to",
        check=_outbound_network,
    ),
    "log_limit_bytes": Setting(
        256 * 1024, int, "captured output kept per action execution, in bytes", bounds=(1, 8 * 1024 * 1024)
    ),
    "execution_retention_days": Setting(30.0, float, "days executions are kept before pruning", bounds=(0, 36_500)),
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
    value = _convert(key, setting, raw)
    if setting.choices and value not in setting.choices:
        raise InvalidInputError(f"setting {key} takes {' or '.join(setting.choices)}, not {_shown(raw)}")
    if setting.check is not None:
        try:
            value = setting.check(value)
        except ValueError as exc:
            raise InvalidInputError(f"setting {key} {exc}") from None
    return value


def _convert(key: str, setting: Setting, raw: Any) -> Any:
    if setting.kind is bool:
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in ("1", "true", "yes", "on"):
            return True
        if text in ("0", "false", "no", "off"):
            return False
        raise InvalidInputError(f"setting {key} takes true or false, not {_shown(raw)}")
    if setting.kind is str:
        return str(raw).strip().lower() if setting.choices else str(raw)
    try:
        if isinstance(raw, bool) or (setting.kind is int and isinstance(raw, float) and not raw.is_integer()):
            raise ValueError
        value = setting.kind(raw)
    except (TypeError, ValueError, OverflowError):
        raise InvalidInputError(f"setting {key} takes a number, not {_shown(raw)}") from None
    if not math.isfinite(value):
        raise InvalidInputError(f"setting {key} takes a finite number, not {_shown(raw)}")
    low, high = setting.bounds or (-math.inf, math.inf)
    if not (low < value if setting.kind is float else low <= value) or value > high:
        raise InvalidInputError(f"setting {key} must be {setting.range_text}, not {_shown(raw)}")
    return value


@functools.lru_cache(maxsize=1)
def _default_sandbox() -> str:
    from ..runtime.sandbox import landlock_abi

    return "strict" if landlock_abi() else "best-effort"


def _shown(raw: Any) -> str:
    text = repr(raw)
    return text if len(text) <= 40 else text[:37] + "..."


def described(key: str) -> str:
    """A setting's meaning with its bounds, for ``settings list`` and the help."""
    setting = SETTINGS[key]
    return f"{setting.help} ({setting.range_text})" if setting.bounds else setting.help


def defaults() -> dict[str, Any]:
    """Every setting's value when the tenant has not set it."""
    values = {key: setting.default for key, setting in SETTINGS.items()}
    values["sandbox"] = _default_sandbox()
    return values


def load(conn: Connection) -> dict[str, Any]:
    """The tenant's settings; a stored value that no longer passes parse_value (written before
    a check existed, or by hand) reads as the default."""
    values = defaults()
    for key, raw in conn.execute(select(schema.settings.c.key, schema.settings.c.value)):
        if key in values:
            try:
                values[key] = parse_value(key, json.loads(raw))
            except (InvalidInputError, ValueError):
                pass
    return values


def store(conn: Connection, key: str, value: Any) -> None:
    value = parse_value(key, value)
    table = schema.settings
    conn.execute(table.delete().where(table.c.key == key))
    conn.execute(table.insert().values(key=key, value=json.dumps(value)))

"""Printing for the CLI: JSON only with --json, readable tables otherwise."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any


def emit_json(value: Any) -> None:
    json.dump(value, sys.stdout, indent=2, sort_keys=False, default=str)
    sys.stdout.write("\n")


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    cells = [[("" if c is None else str(c)) for c in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    line = "  ".join(h.upper().ljust(w) for h, w in zip(headers, widths))
    print(line.rstrip())
    for row in cells:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())
    if not rows:
        print("(none)")


def paged(key: str, items: list[dict[str, Any]]) -> dict[str, Any]:
    """Auth0's list envelope: ``{total, page, per_page, <key>: [...]}``."""
    return {"total": len(items), "page": 0, "per_page": len(items), key: items}


def short_time(iso: str | None) -> str:
    return iso[:19].replace("T", " ") if iso else ""

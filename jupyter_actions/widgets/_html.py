"""HTML fragments for the panels: every value is escaped here, so no panel builds raw markup.

Inline styles only: the HTML widget puts the markup into the page as it is, with no stylesheet.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Sequence
from typing import Any

from ..outcome import ExecutionStatus, Status

TONES = {
    "good": "#2e7d32",
    "bad": "#c62828",
    "warn": "#ef6c00",
    "info": "#1565c0",
    "muted": "#616161",
}
STATUS_TONES: dict[str, str] = {
    Status.ALLOWED: "good",
    Status.DENIED: "bad",
    Status.SUSPENDED: "warn",
    Status.FAILED: "bad",
    ExecutionStatus.FINAL: "good",
    ExecutionStatus.PARTIAL: "warn",
    "passed": "good",
    "built": "good",
    "set": "good",
    "missing": "warn",
    "error": "bad",
    "pending": "warn",
    "building": "warn",
}
"""Tones of the outcome and execution statuses, and of the words for cases, builds and secrets."""
CELL = "padding:2px 8px;text-align:left;vertical-align:top;border-bottom:1px solid #ddd"


class Html(str):
    """Markup that is already safe; `table` puts it in a cell as it is."""


def esc(value: Any) -> str:
    return html.escape("" if value is None else str(value))


def cell(value: Any) -> str:
    return value if isinstance(value, Html) else esc(value)


def badge(text: str, tone: str | None = None) -> Html:
    """A coloured label; the tone defaults to the one for a known status (allowed, failed ...)."""
    colour = TONES[tone or STATUS_TONES.get(text, "muted")]
    return Html(
        f"<span style='background:{colour};color:white;border-radius:4px;padding:1px 6px;"
        f"font-size:90%;white-space:nowrap'>{esc(text)}</span>"
    )


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]], *, empty: str = "(none)") -> Html:
    rows = list(rows)
    if not rows:
        return Html(f"<i>{esc(empty)}</i>")
    head = "".join(f"<th style='{CELL}'>{esc(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td style='{CELL}'>{cell(v)}</td>" for v in row) + "</tr>" for row in rows)
    return Html(f"<table style='border-collapse:collapse'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


def pre(text: str) -> Html:
    return Html(
        "<pre style='white-space:pre-wrap;margin:2px 0;padding:4px;background:#f6f6f6;max-height:24em;"
        f"overflow:auto'>{esc(text)}</pre>"
    )


def json_pre(value: Any) -> Html:
    return pre(json.dumps(value, indent=2, sort_keys=True, default=str))


def details(summary: str, body: str, *, open_: bool = False) -> Html:
    """A collapsible section (no kernel round trip needed to open it)."""
    return Html(f"<details{' open' if open_ else ''}><summary>{esc(summary)}</summary>{body}</details>")


def heading(text: str) -> Html:
    return Html(f"<b>{esc(text)}</b>")


def error_line(message: str) -> Html:
    return Html(f"{badge('error')} <span style='color:{TONES['bad']}'>{esc(message)}</span>")


def info_line(message: str) -> Html:
    return Html(f"<span style='color:{TONES['info']}'>{esc(message)}</span>")

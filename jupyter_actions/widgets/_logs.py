"""Execution logs: recent executions with filters and paging, one in detail, and a chart."""

from __future__ import annotations

import time
from typing import Any

import ipywidgets as widgets

from .._clock import iso_from_epoch
from ..frontends.present import short_time
from ..model import Execution
from ..outcome import Status
from ..tenant import Tenant
from ..triggers import TRIGGER_IDS
from ._base import FAILED, Panel, button, set_options
from ._chart import outcome_latency_svg
from ._html import esc, heading, table
from ._render import actions_summary, execution_html, outcome_badge

ANY = "any"
PAGE_SIZE = 20
CHART_LIMIT = 500
RANGES = (
    ("any time", None),
    ("last 15 minutes", 900),
    ("last hour", 3600),
    ("last 24 hours", 86400),
    ("last 7 days", 7 * 86400),
)
STATUSES = (ANY, *Status)


class LogsPanel(Panel):
    def __init__(self, tenant: Tenant, trigger: str | None = None, kind: str | None = None) -> None:
        super().__init__()
        self.tenant = tenant
        self.page = 0
        self.executions: list[Execution] = []
        self.has_more = False
        self.trigger = widgets.Dropdown(description="trigger", options=[ANY, *TRIGGER_IDS], value=trigger or ANY)
        self.action = widgets.Dropdown(
            description="action", options=[ANY, *(action.name for action in tenant.list_actions())]
        )
        self.status = widgets.Dropdown(description="outcome", options=STATUSES)
        self.kind = widgets.Dropdown(
            description="kind",
            options=[(ANY, ANY), ("flow executions", "flow"), ("test runs", "test")],
            value=kind or ANY,
        )
        self.range = widgets.Dropdown(description="time", options=RANGES)
        self.refresh_button = button("Refresh", self.first_page, icon="refresh")
        self.previous_button = button("Newer", lambda: self.turn(-1))
        self.next_button = button("Older", lambda: self.turn(1))
        self.page_label = widgets.HTML()
        self.listing = widgets.HTML()
        self.chosen = widgets.Dropdown(description="details")
        self.chosen.observe(lambda change: self.show_details(), names="value")
        self.details = widgets.HTML()
        self.chart = widgets.HTML()
        for control in (self.trigger, self.action, self.status, self.kind, self.range):
            control.observe(lambda change: self.first_page(), names="value")
        self.children = [
            widgets.HTML(heading("Execution logs")),
            widgets.HBox([self.trigger, self.action, self.status]),
            widgets.HBox([self.kind, self.range, self.refresh_button]),
            self.chart,
            self.listing,
            widgets.HBox([self.previous_button, self.page_label, self.next_button]),
            self.message,
            self.chosen,
            self.details,
        ]
        self.first_page()

    def filters(self) -> dict[str, Any]:
        """The Tenant.executions arguments for the chosen filters."""
        chosen = {
            "trigger": self.trigger.value,
            "action": self.action.value,
            "status": self.status.value,
            "kind": self.kind.value,
        }
        found = {key: value for key, value in chosen.items() if value not in (ANY, None)}
        if self.range.value:
            found["since"] = iso_from_epoch(time.time() - self.range.value)
        return found

    def first_page(self) -> None:
        self.page = 0
        self.load()

    def turn(self, step: int) -> None:
        self.page = max(self.page + step, 0)
        self.load()

    def load(self) -> None:
        filters = self.filters()
        found = self.call(self.tenant.executions, **filters, limit=PAGE_SIZE + 1, offset=self.page * PAGE_SIZE)
        if found is FAILED:
            return
        self.executions, self.has_more = found[:PAGE_SIZE], len(found) > PAGE_SIZE
        self.previous_button.disabled = self.page == 0
        self.next_button.disabled = not self.has_more
        first = self.page * PAGE_SIZE
        self.page_label.value = esc(f"{first + 1}–{first + len(self.executions)}" if self.executions else "none")
        self.listing.value = table(
            ("time (UTC)", "trigger", "kind", "status", "outcome", "duration", "actions"),
            [
                (
                    short_time(e.created_at),
                    e.trigger_id,
                    e.kind,
                    e.status,
                    outcome_badge(e.outcome),
                    f"{e.duration_ms:.0f} ms",
                    actions_summary(e),
                )
                for e in self.executions
            ],
            empty="no executions match",
        )
        set_options(
            self.chosen,
            [
                (f"{short_time(e.created_at)} {e.trigger_id} {e.outcome.get('status')} {e.id[:8]}", e.id)
                for e in self.executions
            ],
        )
        self.show_details()
        if self.page == 0:
            self.chart.value = outcome_latency_svg(self.tenant.executions(**filters, limit=CHART_LIMIT))

    def show_details(self) -> None:
        chosen = next((e for e in self.executions if e.id == self.chosen.value), None)
        self.details.value = execution_html(chosen, with_event=True) if chosen else ""

    def summary(self) -> str:
        rows = [
            f"  {short_time(e.created_at)}  {e.trigger_id}  {e.outcome.get('status')}  {actions_summary(e)}"
            for e in self.executions
        ]
        return "\n".join(["Execution logs", *rows])

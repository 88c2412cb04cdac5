"""Replay: recorded executions of a flow re-run with a candidate version of one bound action,
and what would have changed (``Tenant.replay``)."""

from __future__ import annotations

import ipywidgets as widgets

from ..engine.replay import ReplayedExecution, ReplayReport
from ..frontends.present import short_time
from ..tenant import Tenant
from ..triggers import get_trigger
from ._base import FAILED, Panel, button, set_options
from ._html import Html, badge, esc, heading, table
from ._render import execution_html

SINCE = (("any time", None), ("last hour", "1h"), ("last 24 hours", "24h"), ("last 7 days", "7d"))


class ReplayPanel(Panel):
    def __init__(self, tenant: Tenant, trigger: str, candidate: str | None = None) -> None:
        super().__init__()
        self.tenant = tenant
        self.trigger = get_trigger(trigger).id
        self.report: ReplayReport | None = None
        self.candidate = widgets.Dropdown(description="candidate")
        set_options(self.candidate, self._candidates(), candidate)
        self.since = widgets.Dropdown(description="recorded", options=SINCE)
        self.limit = widgets.BoundedIntText(value=500, min=1, max=100_000, description="at most")
        self.replay_button = button("Replay", self.replay, button_style="primary", icon="repeat")
        self.totals = widgets.HTML()
        self.listing = widgets.HTML()
        self.chosen = widgets.Dropdown(description="replayed")
        self.chosen.observe(lambda change: self.show_details(), names="value")
        self.details = widgets.HTML()
        self.children = [
            widgets.HTML(heading(f"Replay the {self.trigger} flow with a candidate")),
            widgets.HBox([self.candidate, self.since, self.limit, self.replay_button]),
            self.message,
            self.totals,
            self.listing,
            self.chosen,
            self.details,
        ]

    def _candidates(self) -> list[str]:
        """``ACTION@draft`` and ``ACTION@N`` for every action bound to the flow."""
        found = []
        for binding in self.tenant.flow(self.trigger):
            name = binding.action.name
            found.append(f"{name}@draft")
            found += [f"{name}@{version.number}" for version in self.tenant.versions(name)]
        return found

    def replay(self) -> None:
        report = self.call(
            self.tenant.replay,
            self.trigger,
            self.candidate.value,
            since=self.since.value,
            limit=self.limit.value,
            busy="replaying the recorded executions…",
        )
        if report is FAILED:
            return
        self.report = report
        totals = report.totals()
        self.totals.value = Html(
            f"{badge(str(totals['changed']) + ' changed', 'warn' if report.changed else 'good')} "
            + esc(", ".join(f"{key}: {value}" for key, value in totals.items()))
        )
        self.listing.value = table(
            ("recorded (UTC)", "user", "what would change"),
            [(short_time(e.created_at), e.user or "", self._changes(e)) for e in report.changed],
            empty="no recorded execution would change",
        )
        set_options(
            self.chosen,
            [
                (f"{short_time(e.created_at)} {e.user or ''} {e.execution_id[:8]}", e.execution_id)
                for e in report.changed
            ],
        )
        self.show_details()

    @staticmethod
    def _changes(replayed: ReplayedExecution) -> Html:
        if replayed.refused:
            return Html(f"{badge('refused', 'bad')} {esc(replayed.refused)}")
        return Html("<br>".join(f"{badge(c.kind, 'info')} {esc(c.describe())}" for c in replayed.changes))

    def show_details(self) -> None:
        chosen = (
            next((e for e in self.report.changed if e.execution_id == self.chosen.value), None) if self.report else None
        )
        self.details.value = execution_html(chosen.replayed, with_event=True) if chosen and chosen.replayed else ""

    def summary(self) -> str:
        if self.report is None:
            return f"Replay of the {self.trigger} flow: not run yet"
        return f"Replay of the {self.trigger} flow with {self.report.candidate}: {self.report.totals()}"

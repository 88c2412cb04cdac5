"""Saved test cases of an action or of a whole flow: save, list, load, delete, run all."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import ipywidgets as widgets

from ..tenant import Tenant
from ..tenant.test_cases import CaseResult, TestCase
from ._base import FAILED, Panel, button, set_options
from ._html import Html, badge, esc, heading, table
from ._payload import PayloadEditor
from ._render import outcome_badge


@dataclass(frozen=True)
class CaseSource:
    """The Tenant calls for one set of saved cases (an action's, or a trigger's flow)."""

    title: str
    saved: Callable[[], list[TestCase]]
    save: Callable[[str, dict], TestCase]
    run: Callable[[], list[CaseResult]]
    delete: Callable[[str], None]


def action_cases(tenant: Tenant, action: str) -> CaseSource:
    return CaseSource(
        f"Saved test cases of {action}",
        partial(tenant.test_cases, action),
        partial(tenant.save_test_case, action),
        partial(tenant.run_test_cases, action),
        partial(tenant.delete_test_case, action),
    )


def flow_cases(tenant: Tenant, trigger: str) -> CaseSource:
    return CaseSource(
        f"Whole-flow test cases of {trigger}",
        partial(tenant.flow_test_cases, trigger),
        partial(tenant.save_flow_test_case, trigger),
        partial(tenant.run_flow_test_cases, trigger),
        partial(tenant.delete_flow_test_case, trigger),
    )


def expected_text(expected: dict[str, Any]) -> str:
    return ", ".join(f"{key}={json.dumps(value, sort_keys=True)}" for key, value in expected.items())


class CasesView(Panel):
    """Cases listed with their expected outcome and, once run, pass or fail with the differences.

    Save stores the editor's payload; the tenant records the outcome it produces now as the
    expectation, so the case fails when the behaviour changes.
    """

    def __init__(self, source: CaseSource, editor: PayloadEditor) -> None:
        super().__init__()
        self.source = source
        self.editor = editor
        self.results: dict[str, CaseResult] = {}
        self.name = widgets.Text(placeholder="test case name, e.g. admin gets MFA", description="name")
        self.save_button = button("Save as test case", self.save)
        self.chosen = widgets.Dropdown(description="case")
        self.load_button = button("Load payload", self.load)
        self.delete_button = button("Delete", self.delete)
        self.run_button = button("Run all cases", self.run_all, button_style="primary")
        self.listing = widgets.HTML()
        self.children = [
            widgets.HTML(heading(source.title)),
            widgets.HBox([self.name, self.save_button]),
            self.listing,
            widgets.HBox([self.chosen, self.load_button, self.delete_button, self.run_button]),
            self.message,
        ]
        self.refresh()

    def refresh(self) -> None:
        cases = self.call(self.source.saved)
        if cases is FAILED:
            return
        set_options(self.chosen, [case.name for case in cases])
        self.listing.value = table(
            ("case", "expected", "last run"),
            [(c.name, expected_text(c.expected), self._verdict(c.name)) for c in cases],
            empty="no saved test cases",
        )

    def _verdict(self, name: str) -> Html | str:
        result = self.results.get(name)
        if result is None:
            return "not run"
        if result.passed:
            return badge("passed")
        lines = "".join(f"<li>{esc(line)}</li>" for line in result.differences)
        return Html(f"{badge('failed')} {outcome_badge(result.execution.outcome)}<ul>{lines}</ul>")

    def save(self) -> None:
        try:
            payload = self.editor.parsed()
        except ValueError as exc:
            self.show_error(str(exc))
            return
        case = self.call(self.source.save, self.name.value, payload)
        if case is FAILED:
            return
        self.results.pop(case.name, None)
        self.refresh()
        self.show_info(f"saved {case.name!r}: expects {expected_text(case.expected)}")

    def load(self) -> None:
        cases = self.call(self.source.saved)
        if cases is FAILED:
            return
        for case in cases:
            if case.name == self.chosen.value:
                self.editor.set_payload(case.payload)

    def delete(self) -> None:
        if self.chosen.value is None:
            return
        name = self.chosen.value
        if self.call(self.source.delete, name) is FAILED:
            return
        self.results.pop(name, None)
        self.refresh()
        self.show_info(f"deleted {name!r}")

    def run_all(self) -> None:
        results = self.call(self.source.run, busy="running the saved test cases…")
        if results is FAILED:
            return
        self.results = {result.case.name: result for result in results}
        self.refresh()
        failed = sum(not result.passed for result in results)
        self.show_info(f"{len(results)} cases: {len(results) - failed} passed, {failed} failed")

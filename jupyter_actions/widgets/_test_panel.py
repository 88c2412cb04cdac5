"""The Test panel of an action (Auth0's Test tab): edit a payload, Run, read the result."""

from __future__ import annotations

from dataclasses import replace

import ipywidgets as widgets

from ..model import Execution
from ..outcome import Status
from ..tenant import Tenant
from ..triggers import get_trigger
from ._base import FAILED, Panel, button
from ._cases import CasesView, action_cases
from ._fields import parse_json
from ._html import heading, info_line
from ._payload import PayloadEditor, dumps
from ._render import execution_html

DRAFT = "draft"
CONTINUE_REQUEST = {"query": {"state": "state-from-the-redirect"}, "body": {}}
CONTINUE_HINT = (
    "The run is suspended. Continue it with what the user sent to /continue (query, body), plus "
    '"prompt": {"id", "fields", "vars"} after a form, or "authentication": {"methods": [...]} after MFA.'
)


class TestPanel(Panel):
    """Run the draft, or a chosen version, on the edited payload; save it as a test case."""

    def __init__(self, tenant: Tenant, action: str) -> None:
        super().__init__()
        self.tenant = tenant
        self.action = tenant.get_action(action)
        self.last: Execution | None = None
        self.editor = PayloadEditor(get_trigger(self.action.trigger_id).sample_payload())
        self.version = widgets.Dropdown(description="run", options=self._version_options(), value=DRAFT)
        self.run_button = button("Run", self.run, button_style="primary", icon="play")
        self.editor.observe(lambda change: setattr(self.run_button, "disabled", not change.new), names="valid")
        self.result = widgets.HTML()
        cases = replace(
            action_cases(tenant, action), run=lambda: tenant.run_test_cases(action, version=self.chosen_version())
        )
        self.cases = CasesView(cases, self.editor)
        self.continue_request = widgets.Textarea(value=dumps(CONTINUE_REQUEST), rows=8, layout={"width": "100%"})
        self.continue_button = button("Continue", self.resume, icon="forward")
        self.resuming = widgets.VBox(
            [widgets.HTML(info_line(CONTINUE_HINT)), self.continue_request, self.continue_button],
            layout={"display": "none"},
        )
        self.children = [
            widgets.HTML(heading(f"Test {action} ({self.action.trigger_id})")),
            self.editor,
            widgets.HBox([self.version, self.run_button]),
            self.message,
            self.result,
            self.resuming,
            self.cases,
        ]

    def _version_options(self) -> list[tuple[str, int | str]]:
        versions = [
            (f"v{v.number}" + (" (deployed)" if v.deployed else ""), v.number)
            for v in self.tenant.versions(self.action.name)
        ]
        return [(DRAFT, DRAFT), *versions]

    def chosen_version(self) -> int | None:
        """The version to run (None: the draft); saved cases run on it too."""
        return None if self.version.value == DRAFT else self.version.value

    def run(self) -> None:
        try:
            payload = self.editor.parsed()
        except ValueError as exc:
            self.show_error(str(exc))
            return
        execution = self.call(
            self.tenant.test, self.action.name, payload, version=self.chosen_version(), busy="running…"
        )
        if execution is FAILED:
            return
        self.show_run(execution)

    def resume(self) -> None:
        """Continue the suspended run with the continue request in the editor (docs/engine.md)."""
        if self.last is None:
            return
        try:
            request = parse_json(self.continue_request.value, "the continue request")
        except ValueError as exc:
            self.show_error(str(exc))
            return
        execution = self.call(self.tenant.continue_flow, self.last.id, request, redacted=True, busy="continuing…")
        if execution is not FAILED:
            self.show_run(execution)

    def show_run(self, execution: Execution) -> None:
        """Show a run's outcome, commands, logs, stats and error (also one made elsewhere); a
        suspended run offers Continue."""
        self.last = execution
        self.result.value = execution_html(execution)
        self.resuming.layout.display = "flex" if execution.outcome["status"] == Status.SUSPENDED else "none"

    def summary(self) -> str:
        last = f"; last run: {self.last.outcome['status']}" if self.last else ""
        return f"Test panel of {self.action.name} ({self.action.trigger_id}){last}"

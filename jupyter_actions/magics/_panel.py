"""The action's panel that ``%%action`` shows: state, secrets, dependencies, and three buttons.

The buttons run the same subcommands as ``%action test NAME``, ``%action deploy NAME`` and
``%action versions NAME`` and show their result below the panel. Plain text and HTML go into
the notebook too, so a headless run (papermill) keeps a readable record; ipywidgets is imported
only when a frontend asks for the panel, never at extension load.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from IPython.core.error import UsageError

from ..frontends.present import deployed_label

BUTTONS = (
    ("Test", "test"),
    ("Deploy", "deploy"),
    ("History", "versions"),
    ("Secrets", "secrets"),
    ("Dependencies", "dependencies"),
)
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"

Runner = Callable[[str], Any]  # runs an ``%action`` line and returns its result


class ActionPanel:
    """An action as it is now; ``.action`` is the model object, ``.changed`` what the save did."""

    def __init__(self, action: Any, run: Runner, changed: bool | None = None) -> None:
        self.action = action
        self.changed = changed
        self._run = run
        self._widget: Any = None

    def facts(self) -> list[tuple[str, str]]:
        action = self.action
        secrets = ", ".join(f"{s.name} ({'set' if s.is_set else 'missing'})" for s in action.secrets)
        build = action.build.status + (f": {action.build.error}" if action.build.error else "")
        dependencies = ", ".join(map(str, action.dependencies))
        return [
            ("trigger", action.trigger_id),
            ("deployed", deployed_label(action)),
            ("secrets", secrets or "(none)"),
            ("dependencies", f"{dependencies} (build: {build})" if dependencies else "(none)"),
        ]

    def headline(self) -> str:
        saved = {True: "draft saved", False: "draft unchanged", None: "draft"}[self.changed]
        return f"{self.action.name}: {saved}"

    def as_text(self) -> str:
        name = self.action.name
        lines = [self.headline()] + [f"  {key:<13}{value}" for key, value in self.facts()]
        lines.append("  " + " | ".join(f"{label}: %action {command} {name}" for label, command in BUTTONS))
        return "\n".join(lines)

    def as_html(self) -> str:
        rows = "".join(
            f"<tr><th style='text-align:left'>{k}</th><td style='text-align:left'>{html.escape(v)}</td></tr>"
            for k, v in self.facts()
        )
        return f"<b>{html.escape(self.headline())}</b><table>{rows}</table>"

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        bundle: dict[str, Any] = {"text/plain": self.as_text(), "text/html": self.as_html()}
        bundle[WIDGET_VIEW] = self.widget()._repr_mimebundle_()[WIDGET_VIEW]
        return bundle

    def widget(self) -> Any:
        """The ipywidgets panel (built on first use)."""
        if self._widget is None:
            self._widget = self._build_widget()
        return self._widget

    def _build_widget(self) -> Any:
        import ipywidgets as widgets

        header = widgets.HTML(self.as_html())
        output = widgets.Output()
        buttons = [widgets.Button(description=label) for label, _ in BUTTONS]
        for button, (_, command) in zip(buttons, BUTTONS, strict=True):
            button.on_click(lambda _button, command=command: self.click(command, header, output))
        return widgets.VBox([header, widgets.HBox(buttons), output])

    def click(self, command: str, header: Any, output: Any) -> None:
        """Run ``%action COMMAND NAME``, show its result in ``output``, refresh the header."""
        output.clear_output()
        try:
            result = self._run(f"{command} {self.action.name}")
        except UsageError as exc:
            output.append_stdout(f"UsageError: {exc}\n")
            return
        output.append_display_data(result)
        self.action = self._run(f"show {self.action.name}").action
        header.value = self.as_html()

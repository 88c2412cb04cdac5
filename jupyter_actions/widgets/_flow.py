"""The flow editor: a trigger's bound actions in order; edit, then Apply or Discard.

Edits only change the pending list shown in the panel; Apply hands the whole list to
`Tenant.bind` (Auth0's PATCH bindings) and the tenant decides what may be bound. Below the
editor: whole-flow test cases, which run the applied flow.
"""

from __future__ import annotations

import ipywidgets as widgets

from ..model import Action
from ..tenant import Tenant
from ..triggers import get_trigger
from ._base import FAILED, Panel, button, set_options
from ._cases import CasesView, flow_cases
from ._html import Html, badge, heading, info_line, table
from ._payload import PayloadEditor


class FlowEditor(Panel):
    def __init__(self, tenant: Tenant, trigger: str) -> None:
        super().__init__()
        self.tenant = tenant
        self.trigger = get_trigger(trigger).id
        self.applied: list[str] = []
        self.pending: list[str] = []
        self.actions: dict[str, Action] = {}
        self.listing = widgets.HTML()
        self.changes = widgets.HTML()
        self.bound = widgets.Select(description="order", rows=6)
        self.up_button = button("Up", lambda: self.move(-1), icon="arrow-up")
        self.down_button = button("Down", lambda: self.move(1), icon="arrow-down")
        self.remove_button = button("Remove", self.remove)
        self.available = widgets.Dropdown(description="add")
        self.add_button = button("Add", self.add)
        self.apply_button = button("Apply", self.apply, button_style="primary")
        self.discard_button = button("Discard", self.discard)
        self.editor = PayloadEditor(get_trigger(trigger).sample_payload())
        self.cases = CasesView(flow_cases(tenant, trigger), self.editor)
        self.children = [
            widgets.HTML(heading(f"Flow of {self.trigger}")),
            self.listing,
            self.changes,
            widgets.HBox([self.bound, widgets.VBox([self.up_button, self.down_button, self.remove_button])]),
            widgets.HBox([self.available, self.add_button]),
            widgets.HBox([self.apply_button, self.discard_button]),
            self.message,
            widgets.HTML(heading("Whole-flow test payload")),
            self.editor,
            self.cases,
        ]
        self.reload()

    def reload(self) -> None:
        """Read the flow and the trigger's actions again; pending edits are dropped."""
        self.actions = {action.name: action for action in self.tenant.list_actions(self.trigger)}
        self.applied = [binding.action.name for binding in self.tenant.flow(self.trigger)]
        self.pending = list(self.applied)
        self._show()

    def _version(self, name: str) -> str:
        action = self.actions.get(name)
        deployed = action.deployed_version if action else None
        return f"v{deployed.number}" if deployed else "not deployed"

    def _show(self, selected: str | None = None) -> None:
        rows = []
        for position, name in enumerate(self.pending, 1):
            if name not in self.applied:
                change = badge("new", "info")
            elif self.applied.index(name) + 1 != position:
                change = badge("moved", "warn")
            else:
                change = Html("")
            rows.append((position, name, self._version(name), change))
        self.listing.value = table(("#", "action", "runs", ""), rows, empty="no actions bound")
        self.changes.value = info_line(self.describe_changes())
        self.bound.options = list(self.pending)
        self.bound.value = selected if selected in self.pending else None
        set_options(
            self.available,
            [(f"{name} ({self._version(name)})", name) for name in self.actions if name not in self.pending],
        )
        dirty = self.pending != self.applied
        self.apply_button.disabled = self.discard_button.disabled = not dirty

    def describe_changes(self) -> str:
        if self.pending == self.applied:
            return "no pending changes"
        parts = [f"add {name}" for name in self.pending if name not in self.applied]
        parts += [f"remove {name}" for name in self.applied if name not in self.pending]
        kept = [name for name in self.pending if name in self.applied]
        if kept != [name for name in self.applied if name in self.pending]:
            parts.append("new order")
        return "pending (not applied): " + "; ".join(parts) + f" → {' → '.join(self.pending) or 'empty flow'}"

    def move(self, step: int) -> None:
        name = self.bound.value
        if name is None:
            return
        index = self.pending.index(name)
        target = index + step
        if 0 <= target < len(self.pending):
            self.pending[index], self.pending[target] = self.pending[target], self.pending[index]
        self._show(selected=name)

    def remove(self) -> None:
        if self.bound.value is not None:
            self.pending.remove(self.bound.value)
            self._show()

    def add(self) -> None:
        if self.available.value is not None:
            self.pending.append(self.available.value)
            self._show(selected=self.pending[-1])

    def apply(self) -> None:
        bindings = self.call(self.tenant.bind, self.trigger, self.pending)
        if bindings is FAILED:
            return
        order = [binding.action.name for binding in bindings]
        self.reload()
        self.show_info(f"applied: {self.trigger} runs {' → '.join(order) or 'no actions'}")

    def discard(self) -> None:
        self.pending = list(self.applied)
        self._show()
        self.show_info("pending changes discarded")

    def summary(self) -> str:
        runs = ", ".join(f"{name} {self._version(name)}" for name in self.applied)
        return f"Flow of {self.trigger}: {runs or 'no actions bound'}"

"""Version History: the versions, their code, side-by-side diffs, roll back and restore.

Roll back follows the dashboard's Revert: a new deployed copy of the chosen version, and (by
default, as the dashboard does) the draft reset to it: ``Tenant.rollback(update_draft=True)``.
Restore into the draft changes only the draft, like Auth0's PATCH of the action with that
version's code and dependency pins: nothing runs differently until the next deploy.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from ..frontends.present import short_time
from ..model import Action, ActionVersion
from ..tenant import Tenant
from ._base import FAILED, Confirmation, Panel, button, set_options
from ._diff import side_by_side
from ._html import Html, badge, esc, heading, pre, table

DRAFT = "draft"


class HistoryPanel(Panel):
    def __init__(self, tenant: Tenant, action: str) -> None:
        super().__init__()
        self.tenant = tenant
        self.name = action
        self.action: Action = tenant.get_action(action)
        self.versions: list[ActionVersion] = []
        self.listing = widgets.HTML()
        self.chosen = widgets.Dropdown(description="version")
        self.view_button = button("View code", self.view)
        self.rollback_button = button("Roll back…", self.ask_rollback, button_style="warning")
        self.restore_button = button("Restore into draft…", self.ask_restore)
        self.reset_draft = widgets.Checkbox(value=True, description="roll back also resets the draft", indent=False)
        self.confirmation = Confirmation()
        self.old = widgets.Dropdown(description="compare")
        self.new = widgets.Dropdown(description="with")
        self.compare_button = button("Compare", self.compare)
        self.code = widgets.HTML()
        self.diff = widgets.HTML()
        self.children = [
            widgets.HTML(heading(f"Version history of {action}")),
            self.listing,
            widgets.HBox([self.chosen, self.view_button, self.rollback_button, self.restore_button, self.reset_draft]),
            self.confirmation,
            widgets.HBox([self.old, self.new, self.compare_button]),
            self.message,
            self.code,
            self.diff,
        ]
        self.refresh()

    def refresh(self) -> None:
        self.action = self.tenant.get_action(self.name)
        self.versions = self.tenant.versions(self.name)
        numbers = [(self._label(v), v.number) for v in self.versions]
        deployed = next((v.number for v in self.versions if v.deployed), None)
        set_options(self.chosen, numbers, deployed)
        set_options(self.old, numbers + [(DRAFT, DRAFT)], deployed)
        set_options(self.new, [(DRAFT, DRAFT)] + numbers, DRAFT)
        self.listing.value = self._table()

    @staticmethod
    def _label(version: ActionVersion) -> str:
        return f"v{version.number}" + (" (deployed)" if version.deployed else "")

    def _table(self) -> Html:
        draft_state = "all changes deployed" if self.action.all_changes_deployed else "not deployed"
        rows: list[tuple[Any, ...]] = [
            (
                DRAFT,
                "",
                badge(self.action.build.status),
                short_time(self.action.updated_at),
                draft_state,
                ", ".join(map(str, self.action.dependencies)),
            )
        ]
        for version in self.versions:
            rows.append(
                (
                    f"v{version.number}",
                    badge("deployed", "info") if version.deployed else "",
                    Html(badge(version.build.status) + (f" {esc(version.build.error)}" if version.build.error else "")),
                    short_time(version.created_at),
                    version.message or "",
                    ", ".join(map(str, version.dependencies)),
                )
            )
        return table(("version", "", "build", "date", "message", "dependencies"), rows)

    def _source(self, which: int | str) -> tuple[str, str, str]:
        """The label, code and dependency pins (one per line) of a version number or the draft."""
        found = self.tenant.get_action(self.name) if which == DRAFT else self.tenant.get_version(self.name, int(which))
        return (DRAFT if which == DRAFT else f"v{which}"), found.code, "\n".join(map(str, found.dependencies))

    def view(self) -> None:
        if self.chosen.value is None:
            return
        label, code, _ = self._source(self.chosen.value)
        self.code.value = heading(f"Code of {label}") + pre(code)

    def compare(self) -> None:
        if self.old.value is None or self.new.value is None:
            return
        old_label, old_code, old_pins = self._source(self.old.value)
        new_label, new_code, new_pins = self._source(self.new.value)
        parts = [heading("Code"), side_by_side(old_code, new_code, old_label, new_label)]
        if old_pins != new_pins:
            parts += [heading("Dependencies"), side_by_side(old_pins, new_pins, old_label, new_label)]
        self.diff.value = "".join(parts)

    def ask_rollback(self) -> None:
        number = self.chosen.value
        if number is None:
            return
        draft = " and reset the draft to it" if self.reset_draft.value else " (the draft stays as it is)"
        self.confirmation.ask(
            f"Deploy a copy of v{number} as a new version{draft}?",
            lambda: self.rollback(number, update_draft=self.reset_draft.value),
        )

    def rollback(self, number: int, *, update_draft: bool) -> None:
        version = self.call(self.tenant.rollback, self.name, number, update_draft=update_draft)
        if version is FAILED:
            return
        self.refresh()
        self.show_info(f"rolled back: v{version.number} is deployed with the content of v{number}")

    def ask_restore(self) -> None:
        number = self.chosen.value
        if number is None:
            return
        self.confirmation.ask(
            f"Replace the draft's code and dependencies with those of v{number}? "
            "Nothing runs differently until you deploy.",
            lambda: self.restore(number),
        )

    def restore(self, number: int) -> None:
        version = self.call(self.tenant.get_version, self.name, number)
        if version is FAILED:
            return
        saved = self.call(
            self.tenant.save_draft,
            self.name,
            self.action.trigger_id,
            version.code,
            dependencies=[str(d) for d in version.dependencies],
        )
        if saved is FAILED:
            return
        self.refresh()
        self.show_info(
            f"the draft now has the code of v{number}: deploy it to make it live "
            "(your %%action cell still holds the code you wrote)"
        )

    def summary(self) -> str:
        lines = [f"Version history of {self.name}"]
        lines += [
            f"  v{v.number}{' (deployed)' if v.deployed else ''}  {short_time(v.created_at)}  {v.message or ''}"
            for v in self.versions
        ]
        return "\n".join(lines)

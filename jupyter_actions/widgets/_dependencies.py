"""Dependencies of an action: pinned versions and the draft's live build status; add, remove.

While a build is pending or running (in this kernel or in another process) the panel checks
the status again every few seconds until it settles.
"""

from __future__ import annotations

import threading

import ipywidgets as widgets

from ..errors import ActionsError
from ..model import Dependency
from ..tenant import Tenant
from ._base import FAILED, Panel, button, set_options
from ._html import Html, badge, esc, heading, table

POLL_SECONDS = 2.0
UNSETTLED = ("pending", "building")


class DependenciesPanel(Panel):
    def __init__(self, tenant: Tenant, action: str) -> None:
        super().__init__()
        self.tenant = tenant
        self.action = action
        self.status = ""
        self.pins: tuple[Dependency, ...] = ()
        self._timer: threading.Timer | None = None
        self.listing = widgets.HTML()
        self.build = widgets.HTML()
        self.requirement = widgets.Text(description="package", placeholder="slack-sdk or slack-sdk==3.33.1")
        self.add_button = button("Add", self.add, button_style="primary")
        self.chosen = widgets.Dropdown(description="dependency")
        self.remove_button = button("Remove", self.remove)
        self.refresh_button = button("Refresh", self.refresh, icon="refresh")
        self.children = [
            widgets.HTML(heading(f"Dependencies of {action}")),
            self.listing,
            self.build,
            widgets.HBox([self.requirement, self.add_button]),
            widgets.HBox([self.chosen, self.remove_button, self.refresh_button]),
            self.message,
        ]
        self.refresh()

    def refresh(self) -> None:
        self.pins = self.tenant.dependencies(self.action)
        set_options(self.chosen, [d.name for d in self.pins])
        self.listing.value = table(
            ("package", "pinned version"), [(d.name, d.version) for d in self.pins], empty="no dependencies"
        )
        self.status = self.tenant.dependency_status(self.action)
        error = self.tenant.get_action(self.action).build.error if self.status == "failed" else None
        self.build.value = Html(f"build: {badge(self.status)}" + (f" {esc(error)}" if error else ""))
        self._schedule()

    def _schedule(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self.status in UNSETTLED and self.comm is not None:
            self._timer = threading.Timer(POLL_SECONDS, self._poll)
            self._timer.daemon = True
            self._timer.start()

    def _poll(self) -> None:
        try:
            self.refresh()
        except ActionsError as error:  # the action went away meanwhile: stop polling
            self.show_error(str(error))

    def add(self) -> None:
        requirement = self.requirement.value
        if (
            self.call(
                self.tenant.add_dependency,
                self.action,
                requirement,
                busy=f"adding {requirement}: pinning, locking and building…",
            )
            is FAILED
        ):
            return
        self.requirement.value = ""
        self.refresh()
        self.show_info(f"added {requirement}: {', '.join(map(str, self.pins))}")

    def remove(self) -> None:
        name = self.chosen.value
        if name is None:
            return
        if self.call(self.tenant.remove_dependency, self.action, name) is FAILED:
            return
        self.refresh()
        self.show_info(f"removed {name}")

    def close(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        super().close()

    def summary(self) -> str:
        pins = ", ".join(map(str, self.pins))
        return f"Dependencies of {self.action}: {pins or '(none)'} (build: {self.status})"

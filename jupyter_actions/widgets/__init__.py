"""ipywidgets panels: test, version history, secrets, dependencies, flow editor, logs, replay.

Each constructor takes the `Tenant` and what the panel is about, and returns an ipywidgets
box to display. Importing this package does not import ipywidgets: a panel's module (and
ipywidgets with it) loads when the panel is first asked for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..tenant import Tenant
    from ._dependencies import DependenciesPanel
    from ._flow import FlowEditor
    from ._history import HistoryPanel
    from ._logs import LogsPanel
    from ._replay import ReplayPanel
    from ._secrets import SecretsPanel
    from ._test_panel import TestPanel

__all__ = [
    "dependencies_panel",
    "flow_editor",
    "history_panel",
    "logs_panel",
    "replay_report",
    "secrets_panel",
    "test_panel",
]


def test_panel(tenant: Tenant, action: str) -> TestPanel:
    """Edit a payload (JSON, quick fields, presets), Run the draft or a version, save test cases."""
    from ._test_panel import TestPanel

    return TestPanel(tenant, action)


def history_panel(tenant: Tenant, action: str) -> HistoryPanel:
    """Versions; view code; side-by-side diff; roll back (confirmed); restore into the draft."""
    from ._history import HistoryPanel

    return HistoryPanel(tenant, action)


def secrets_panel(tenant: Tenant, action: str) -> SecretsPanel:
    """Secret names, set or missing; add, rotate and delete through a masked field."""
    from ._secrets import SecretsPanel

    return SecretsPanel(tenant, action)


def dependencies_panel(tenant: Tenant, action: str) -> DependenciesPanel:
    """Pinned dependencies with the live build status; add and remove."""
    from ._dependencies import DependenciesPanel

    return DependenciesPanel(tenant, action)


def flow_editor(tenant: Tenant, trigger: str) -> FlowEditor:
    """A trigger's bound actions: add, reorder, remove, then Apply or Discard; flow test cases."""
    from ._flow import FlowEditor

    return FlowEditor(tenant, trigger)


def logs_panel(tenant: Tenant, trigger: str | None = None, kind: str | None = None) -> LogsPanel:
    """Recent executions with filters and paging, one execution in detail, outcome/latency chart.

    ``trigger`` and ``kind`` (``flow`` or ``test``) preset the filters.
    """
    from ._logs import LogsPanel

    return LogsPanel(tenant, trigger, kind)


def replay_report(tenant: Tenant, trigger: str, candidate: str | None = None) -> ReplayPanel:
    """Re-run recorded executions of the flow with ``ACTION@draft`` or ``ACTION@N`` in place of
    that action's deployed version, and list what would change."""
    from ._replay import ReplayPanel

    return ReplayPanel(tenant, trigger, candidate)

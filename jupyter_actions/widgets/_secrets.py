"""Secrets of an action: names, set or missing, when set; add, rotate and delete.

A value is typed into a masked field and handed to the tenant; the field is emptied right
after, whatever the tenant said, so the value stays in no widget state (JupyterLab can save
widget state into the notebook).
"""

from __future__ import annotations

import ipywidgets as widgets

from ..frontends.present import short_time
from ..model import SecretInfo
from ..tenant import Tenant
from ._base import FAILED, Confirmation, Panel, button
from ._html import badge, heading, table


class SecretsPanel(Panel):
    def __init__(self, tenant: Tenant, action: str) -> None:
        super().__init__()
        self.tenant = tenant
        self.action = action
        self.secrets: tuple[SecretInfo, ...] = ()
        self.listing = widgets.HTML()
        self.name = widgets.Combobox(description="name", placeholder="e.g. SLACK_WEBHOOK_URL", ensure_option=False)
        self.value = widgets.Password(description="value", placeholder="never shown again")
        self.save_button = button("Save secret", self.save, button_style="primary", icon="lock")
        self.delete_button = button("Delete…", self.ask_delete)
        self.confirmation = Confirmation()
        self.children = [
            widgets.HTML(heading(f"Secrets of {action}")),
            self.listing,
            widgets.HBox([self.name, self.value, self.save_button, self.delete_button]),
            self.confirmation,
            self.message,
        ]
        self.refresh()

    def refresh(self) -> None:
        self.secrets = self.tenant.list_secrets(self.action)
        self.name.options = tuple(secret.name for secret in self.secrets)
        rows = [
            (s.name, badge("set" if s.is_set else "missing"), short_time(s.updated_at) if s.is_set else "")
            for s in self.secrets
        ]
        self.listing.value = table(("secret", "value", "updated"), rows, empty="no secrets")

    def save(self) -> None:
        """Add the secret or rotate its value (a version keeps its own values until the next deploy)."""
        value, self.value.value = self.value.value, ""
        stored = self.call(self.tenant.set_secret, self.action, self.name.value, value)
        if stored is FAILED:
            return
        self.refresh()
        self.show_info(f"{stored.name} saved; deployed versions keep their value until the next deploy")

    def ask_delete(self) -> None:
        name = self.name.value
        if name:
            self.confirmation.ask(f"Delete the secret {name} of {self.action}?", lambda: self.delete(name))

    def delete(self, name: str) -> None:
        if self.call(self.tenant.delete_secret, self.action, name) is FAILED:
            return
        self.name.value = ""
        self.refresh()
        self.show_info(f"{name} deleted from the draft")

    def summary(self) -> str:
        listed = ", ".join(f"{s.name} ({'set' if s.is_set else 'missing'})" for s in self.secrets)
        return f"Secrets of {self.action}: {listed or '(none)'}"

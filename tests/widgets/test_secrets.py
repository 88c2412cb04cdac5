"""Secrets panel: masked value, cleared after saving, never in any widget state."""

from __future__ import annotations

import ipywidgets

from jupyter_actions.widgets import secrets_panel

from .conftest import descendants, plain, state_text

USES_SECRET = """
async def on_execute_post_login(event, api):
    api.id_token.set_custom_claim("https://x/key-length", len(event.secrets.API_KEY or ""))
"""
VALUE = "sk_live_Wm9vZ2xlIGlzIG5vdCB0aGUgYW5zd2Vy"


def test_a_saved_value_is_cleared_and_appears_in_no_widget_state(tenant):
    tenant.save_draft("keyed", "post-login", USES_SECRET, secrets=["API_KEY"])
    panel = secrets_panel(tenant, "keyed")
    assert isinstance(panel.value, ipywidgets.Password)
    assert "API_KEY" in plain(panel.listing.value) and "missing" in plain(panel.listing.value)

    panel.name.value = "API_KEY"
    panel.value.value = VALUE
    panel.save_button.click()

    assert panel.value.value == ""
    assert VALUE not in state_text(panel)
    assert len(list(descendants(panel))) > 10  # the walk did reach the children
    assert [(s.name, s.is_set) for s in tenant.list_secrets("keyed")] == [("API_KEY", True)]
    assert "set" in plain(panel.listing.value) and "missing" not in plain(panel.listing.value)
    assert tenant.test("keyed").outcome["id_token_claims"]["https://x/key-length"] == len(VALUE)


def test_rotate_and_add(tenant):
    tenant.save_draft("keyed", "post-login", USES_SECRET, secrets=["API_KEY"])
    tenant.set_secret("keyed", "API_KEY", "old-value")
    before = tenant.list_secrets("keyed")[0].updated_at
    panel = secrets_panel(tenant, "keyed")
    assert panel.name.options == ("API_KEY",)

    panel.name.value = "API_KEY"
    panel.value.value = VALUE
    panel.save_button.click()
    panel.name.value = "WEBHOOK_URL"
    panel.value.value = "https://hooks.example.com/T0/B0/" + VALUE
    panel.save_button.click()

    secrets = {s.name: s for s in tenant.list_secrets("keyed")}
    assert secrets["API_KEY"].updated_at > before and secrets["WEBHOOK_URL"].is_set
    assert tenant.test("keyed").outcome["id_token_claims"]["https://x/key-length"] == len(VALUE)
    assert panel.name.options == ("API_KEY", "WEBHOOK_URL")
    assert VALUE not in state_text(panel) and "hooks.example.com" not in state_text(panel)


def test_a_refused_value_is_cleared_too(tenant):
    tenant.save_draft("keyed", "post-login", USES_SECRET)
    panel = secrets_panel(tenant, "keyed")
    panel.name.value = "1-bad name"
    panel.value.value = VALUE
    panel.save_button.click()
    assert "error" in panel.message.value and "1-bad name" in plain(panel.message.value)
    assert panel.value.value == "" and VALUE not in state_text(panel)
    assert tenant.list_secrets("keyed") == ()


def test_delete_waits_for_confirmation(tenant):
    tenant.save_draft("keyed", "post-login", USES_SECRET, secrets=["API_KEY"])
    tenant.set_secret("keyed", "API_KEY", VALUE)
    panel = secrets_panel(tenant, "keyed")
    panel.name.value = "API_KEY"
    panel.delete_button.click()
    assert [s.name for s in tenant.list_secrets("keyed")] == ["API_KEY"]
    panel.confirmation.confirm_button.click()
    assert tenant.list_secrets("keyed") == () and "no secrets" in plain(panel.listing.value)
    assert panel.summary() == "Secrets of keyed: (none)"

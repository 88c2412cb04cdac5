"""Replay panel: recorded executions against a candidate, and what would change."""

from __future__ import annotations

from jupyter_actions.triggers import get_trigger
from jupyter_actions.widgets import replay_report

from .conftest import plain

V1 = "async def on_execute_post_login(event, api):\n    api.id_token.set_custom_claim('https://x/tier', 'silver')\n"
V2 = (
    "async def on_execute_post_login(event, api):\n"
    "    api.id_token.set_custom_claim('https://x/tier', 'gold')\n"
    "    if event.user.email.startswith('bob'):\n"
    "        api.access.deny('bob is suspended')\n"
)


def recorded(tenant) -> None:
    tenant.save_draft("tiers", "post-login", V1, deploy=True)
    tenant.bind("post-login", ["tiers"])
    for email in ("ann@example.com", "bob@example.com"):
        event = get_trigger("post-login").sample_payload()
        event["user"]["email"] = email
        tenant.run_flow("post-login", event)


def test_replay_lists_what_the_candidate_would_change(tenant):
    recorded(tenant)
    tenant.save_draft("tiers", "post-login", V2)
    panel = replay_report(tenant, "post-login")
    assert panel.candidate.options == ("tiers@draft", "tiers@1") and panel.candidate.value == "tiers@draft"

    panel.replay_button.click()

    assert "2 changed" in plain(panel.totals.value) and "replayed: 2" in plain(panel.totals.value)
    listing = plain(panel.listing.value)
    assert 'id_token_claims.https://x/tier: "silver" -> "gold"' in listing
    assert 'status: "allowed" -> "denied"' in listing and "bob@example.com" in listing
    assert len(tenant.executions()) == 2  # nothing recorded
    panel.chosen.value = next(value for label, value in panel.chosen.options if "bob" in label)
    assert "bob is suspended" in plain(panel.details.value)


def test_an_identical_candidate_changes_nothing_and_refusals_show(tenant):
    recorded(tenant)
    panel = replay_report(tenant, "post-login", candidate="tiers@1")
    panel.replay_button.click()
    assert "0 changed" in plain(panel.totals.value) and "no recorded execution would change" in panel.listing.value

    tenant.bind("post-login", [])
    panel.replay_button.click()
    assert "error" in panel.message.value and "tiers" in plain(panel.message.value)

"""The fold runs only the reducers a flow's command types concern: it must give exactly what
running every reducer gives, for every trigger, command and combination below."""

from __future__ import annotations

import pytest

from jupyter_actions.triggers import TRIGGER_IDS, get_trigger
from jupyter_actions.triggers._fold import Commands
from jupyter_actions.triggers._trigger import live_commands

from .helpers import api_for


def every_reducer(trigger_id: str, commands: list[dict], event: dict) -> dict:
    trigger = get_trigger(trigger_id)
    kept = Commands(live_commands(commands))
    return {key: reduce(kept, event) for key, reduce in trigger.outcome.items()}


def post_login(api) -> None:
    api.access_token.set_custom_claim("https://x/a", {"deep": [1, 2]})
    api.id_token.set_custom_claim("https://x/b", "b")
    api.access_token.add_scope("read")
    api.access_token.remove_scope("write")
    api.access_token.add_scope("write")
    api.user.set_app_metadata("plan", "gold")
    api.user.set_user_metadata("theme", "dark")
    api.multifactor.enable("any", {"allowRememberBrowser": True})
    api.authentication.challenge_with({"type": "otp"})
    api.saml_response.set_attribute("https://x/role", "admin")
    api.saml_response.set_audience("urn:aud")
    api.session.set_expires_at(1_900_000_000_000)
    api.session.set_cookie_mode("persistent")
    api.refresh_token.set_idle_expires_at(1_900_000_000_000)
    api.redirect.send_user_to("https://app.example/continue")


def post_login_continued(api) -> None:
    api.authentication.record_method("https://idp.example/mfa")
    api.authentication.set_primary_user("auth0|primary")
    api.user.set_user_metadata("k", None)
    api.session.revoke("done")


def credentials_exchange(api) -> None:
    api.access_token.set_custom_claim("https://x/c", 3)
    api.transaction.add_target_scope("a")
    api.transaction.remove_target_scope("a")


def token_exchange(api) -> None:
    api.authentication.set_user_by_id("auth0|1")
    api.authentication.set_organization("org_1")
    api.user.set_app_metadata("k", 1)


CASES = [
    ("post-login", post_login, "execute"),
    ("post-login", post_login_continued, "continue"),
    ("credentials-exchange", credentials_exchange, "execute"),
    ("custom-token-exchange", token_exchange, "execute"),
]


@pytest.mark.parametrize("trigger_id", sorted(TRIGGER_IDS))
def test_a_flow_without_commands_folds_like_every_reducer(trigger_id: str) -> None:
    trigger = get_trigger(trigger_id)
    event = trigger.sample_payload()
    folded = trigger.fold_outcome([], event)
    assert folded == every_reducer(trigger_id, [], event)
    assert list(folded) == list(trigger.outcome)
    folded_again = trigger.fold_outcome([], event)
    for key, value in folded.items():  # each outcome has objects of its own
        assert value is None or value is not folded_again[key]


@pytest.mark.parametrize(("trigger_id", "handler", "phase"), CASES)
def test_every_command_alone_and_every_prefix_fold_like_every_reducer(trigger_id: str, handler, phase: str) -> None:
    api, session = api_for(trigger_id, phase=phase)
    handler(api)
    commands = session.commands
    assert len({c["type"] for c in commands}) >= 3
    trigger = get_trigger(trigger_id)
    for command in commands:
        assert trigger.fold_outcome([command], session.event) == every_reducer(trigger_id, [command], session.event), (
            command
        )
    for end in range(len(commands) + 1):
        part = commands[:end]
        assert trigger.fold_outcome(part, session.event) == every_reducer(trigger_id, part, session.event), end


def test_provider_notifications_fold_like_every_reducer() -> None:
    for trigger_id in ("custom-email-provider", "custom-phone-provider"):
        for command in (
            {"type": "notification.retry", "reason": "later"},
            {"type": "notification.drop", "reason": "no"},
        ):
            assert get_trigger(trigger_id).fold_outcome([command], {}) == every_reducer(trigger_id, [command], {})
            assert get_trigger(trigger_id).fold_outcome([command], {})["notification"] is not None

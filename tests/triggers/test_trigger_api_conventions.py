"""Calling conventions shared by every namespace."""

import pytest

from jupyter_actions.triggers import EventView, get_trigger

from .helpers import api_for, run


def test_event_views_are_accepted_as_values_and_copied():
    def handler(event, api):
        api.user.set_app_metadata("identities", event.user.identities)
        api.access_token.set_custom_claim("https://example.com/geo", event.request.geoip)

    result = run("post-login", handler)
    assert result.commands[0]["value"][0]["provider"] == "auth0"
    assert result.commands[1]["value"]["countryCode"] == "US"
    result.session.event["request"]["geoip"]["countryCode"] = "FR"
    assert result.commands[1]["value"]["countryCode"] == "US"  # a copy, not the live dict


def test_commands_hold_copies_of_mutable_values():
    value = {"a": [1]}
    api, session = api_for("post-login")
    api.id_token.set_custom_claim("https://example.com/x", value)
    value["a"].append(2)
    assert session.commands[0]["value"] == {"a": [1]}


def test_auth0_style_option_dicts():
    api, session = api_for("post-login")
    api.redirect.send_user_to("https://example.com", {"query": {"a": "1"}})
    api.multifactor.enable(
        "duo", {"allowRememberBrowser": True, "providerOptions": {"host": "h", "ikey": "i", "skey": "s"}}
    )
    api.authentication.challenge_with({"type": "otp"}, {"additionalFactors": [{"type": "email"}]})
    api.session.revoke("r", {"preserveRefreshTokens": True})
    assert session.commands == [
        {"type": "redirect.send_user_to", "url": "https://example.com/?a=1"},
        {
            "type": "multifactor.enable",
            "provider": "duo",
            "allow_remember_browser": True,
            "provider_options": {"host": "h", "ikey": "i", "skey": "s"},
        },
        {"type": "authentication.challenge_with", "factor": {"type": "otp"}, "additional_factors": [{"type": "email"}]},
        {"type": "session.revoke", "reason": "r", "preserve_refresh_tokens": True},
    ]
    with pytest.raises(TypeError, match="the options must be a dict"):
        api.redirect.send_user_to("https://example.com", "a=1")


def test_api_namespaces_cannot_be_replaced():
    api, _ = api_for("post-login")
    with pytest.raises(AttributeError):
        api.access = None
    assert "access_token" in repr(api)
    assert "set_custom_claim" in repr(api.access_token)


def test_at_most_100_saml_attributes_over_the_flow():
    prior = [{"type": "saml_response.set_attribute", "attribute": f"a{i}", "value": "v"} for i in range(100)]
    api, _ = api_for("post-login", prior_commands=prior)
    api.saml_response.set_attribute("a5", "replaced")  # not a new attribute
    with pytest.raises(ValueError, match="The number of SAML attributes exceeds the limit of 100."):
        api.saml_response.set_attribute("a100", "v")


def test_handler_sees_mirrored_changes_at_once():
    def handler(event, api):
        before = event.session.cookie.mode
        api.session.set_cookie_mode("non-persistent")
        api.refresh_token.set_metadata("device", "tv")
        return before, event.session.cookie.mode, event.refresh_token.metadata.device

    assert run("post-login", handler).result == ("persistent", "non-persistent", "tv")


def test_next_action_sees_metadata_of_the_previous_one():
    trigger = get_trigger("post-login")
    event = trigger.sample_payload()
    first = run("post-login", lambda e, api: api.user.set_user_metadata("color", "blue"), event=event)
    assert first.session.event is event
    second = run("post-login", lambda e, api: e.user.user_metadata.color, event=event)
    assert second.result == "blue"


def test_sync_handlers_work_too():
    result = run("post-login", lambda event, api: api.access.deny("sync"))
    assert result.deny["reason"] == "sync"


def test_event_view_of_sample_is_read_only_everywhere():
    event = EventView(get_trigger("custom-token-exchange").sample_payload())
    with pytest.raises(TypeError):
        event.transaction.actor_token_user.app_metadata["plan"] = "free"

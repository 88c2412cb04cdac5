"""Calling conventions shared by every namespace."""

import pytest

from jupyter_actions.triggers import get_trigger

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


def test_the_api_takes_attributes_of_its_own_for_its_run():
    """Auth0's api is a plain JavaScript object: ``api.noop = ...`` works, on this run's api."""
    api, _ = api_for("post-login")
    api.noop = lambda: None
    api.access = "replaced"  # even a namespace, on this instance
    assert api.access == "replaced" and "noop" in dir(api)
    del api.access
    assert "deny" in repr(api.access)  # built again from the trigger
    fresh, _ = api_for("post-login")
    assert not hasattr(fresh, "noop")
    assert "access_token" in repr(fresh)
    assert "set_custom_claim" in repr(fresh.access_token)


def test_extra_positional_arguments_are_ignored_with_one_warning_per_method(caplog):
    """Auth0's samples pass ``api.access.deny('invalid_request', 'Access from North America is
    not allowed.')`` (credentials-exchange, https://auth0.com/docs/customize/actions/explore-triggers/machine-to-machine-trigger/credentials-exchange-trigger);
    ported to post-login, whose ``deny(reason)`` takes one, JavaScript drops the second."""
    api, session = api_for("post-login")
    with caplog.at_level("WARNING", logger="jupyter_actions.api"):
        api.access.deny("invalid_request", "Access from North America is not allowed.")
        api.access.deny("again", "and", "again")
        api.id_token.set_custom_claim("https://example.com/a", 1, {"extra": True})
    assert [c.get("reason", c.get("value")) for c in session.commands] == ["invalid_request", "again", 1]
    assert [r.getMessage() for r in caplog.records] == [
        "api.access.deny takes 1 positional argument: 1 extra argument ignored, as JavaScript ignores them",
        "api.id_token.set_custom_claim takes 2 positional arguments: 1 extra argument ignored, as JavaScript ignores them",
    ]
    with pytest.raises(TypeError):
        api.access.deny()  # too few is still an error, as Auth0's validation makes it one


def test_a_mirrored_api_change_reaches_the_actions_written_event_too():
    def handler(event, api):
        event.note = "mine"  # the action's event is its own from here
        api.transaction.set_metadata("step", 2)
        api.session.set_cookie_mode("non-persistent")
        api.session.set_metadata("device", "tv")
        return event.transaction.metadata.step, event.session.cookie.mode, event.session.metadata.device

    result = run("post-login", handler, event_view=True)
    assert result.result == (2, "non-persistent", "tv")
    assert result.session.event["transaction"]["metadata"]["step"] == 2
    assert "note" not in result.session.event


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


def test_a_write_deep_in_the_event_stays_out_of_the_apis_event():
    sample = get_trigger("custom-token-exchange").sample_payload()
    api, session = api_for("custom-token-exchange", event=sample)
    session.event_view().transaction.actor_token_user.app_metadata["plan"] = "free"
    assert sample["transaction"]["actor_token_user"]["app_metadata"]["plan"] == "free"
    assert session.event["transaction"]["actor_token_user"]["app_metadata"]["plan"] == "premium"

import pytest

from jupyter_actions.errors import PayloadError, TriggerNotFound
from jupyter_actions.triggers import TRIGGER_IDS, Trigger, all_triggers, get_trigger

EXPECTED = {
    # id: (version, handler, continue handler, blocking, api namespaces)
    "post-login": (
        "v3",
        "on_execute_post_login",
        "on_continue_post_login",
        True,
        {
            "access",
            "access_token",
            "id_token",
            "authentication",
            "multifactor",
            "redirect",
            "user",
            "cache",
            "saml_response",
            "validation",
            "rules",
            "prompt",
            "refresh_token",
            "session",
            "transaction",
            "groups",
            "roles",
        },
    ),
    "credentials-exchange": (
        "v2",
        "on_execute_credentials_exchange",
        None,
        True,
        {"access", "access_token", "cache", "transaction"},
    ),
    "pre-user-registration": (
        "v2",
        "on_execute_pre_user_registration",
        None,
        True,
        {"access", "user", "validation", "cache"},
    ),
    "post-user-registration": ("v2", "on_execute_post_user_registration", None, False, {"cache"}),
    "post-change-password": ("v2", "on_execute_post_change_password", None, False, {"cache"}),
    "send-phone-message": ("v2", "on_execute_send_phone_message", None, True, {"cache"}),
    "password-reset-post-challenge": (
        "v1",
        "on_execute_post_challenge",
        "on_continue_post_challenge",
        True,
        {"access", "authentication", "redirect", "prompt", "transaction", "cache"},
    ),
    "custom-email-provider": ("v1", "on_execute_custom_email_provider", None, True, {"notification", "cache"}),
    "custom-phone-provider": ("v1", "on_execute_custom_phone_provider", None, True, {"notification", "cache"}),
    "custom-token-exchange": (
        "v1",
        "on_execute_custom_token_exchange",
        None,
        True,
        {"access", "authentication", "user", "transaction", "cache"},
    ),
    "event-stream": ("v1", "on_execute_event_stream", None, False, {"cache"}),
}


def test_ids_in_reference_order():
    assert TRIGGER_IDS == tuple(EXPECTED)
    assert [t.id for t in all_triggers()] == list(TRIGGER_IDS)


@pytest.mark.parametrize("trigger_id", TRIGGER_IDS)
def test_trigger_facts(trigger_id):
    trigger = get_trigger(trigger_id)
    version, handler, continue_handler, blocking, namespaces = EXPECTED[trigger_id]
    assert (trigger.version, trigger.handler, trigger.continue_handler, trigger.blocking) == (
        version,
        handler,
        continue_handler,
        blocking,
    )
    assert set(trigger.api_methods) == namespaces
    assert trigger.title and trigger.description
    assert get_trigger(trigger_id) is trigger


@pytest.mark.parametrize("trigger_id", TRIGGER_IDS)
def test_sample_validates_and_is_fresh(trigger_id):
    trigger = get_trigger(trigger_id)
    first = trigger.sample_payload()
    trigger.validate_payload(first)
    assert first["secrets"] == {}
    first["secrets"]["X"] = "changed"
    assert trigger.sample_payload()["secrets"] == {}
    assert trigger.sample_payload() is not trigger.sample_payload()


def test_sample_placeholders_are_filled():
    for trigger in all_triggers():
        text = repr(trigger.sample_payload())
        assert "{{" not in text, trigger.id


def test_post_login_sample_is_the_reference_event():
    sample = get_trigger("post-login").sample_payload()
    assert sample["tenant"] == {"id": "dev-tenant"}
    assert sample["request"]["hostname"] == "dev-tenant.auth0.com"
    assert sample["custom_domain"]["domain"] == "login.example.com"
    assert sample["user"]["user_id"] == "auth0|5f7c8ec7c33c6c004bbafe82"
    assert sample["session"]["created_at"] == "2025-01-15T09:30:00.000Z"
    assert sample["transaction"]["actor"]["act"]["act"]["act"]["act"] == {"sub": "actor-sub-level-5"}
    assert sample["authentication"]["riskAssessment"]["supplemental"]["akamai"]["akamaiBot"]["botnetId"] == "googlebot"
    assert sorted(sample) == sorted(
        [
            "transaction",
            "agent",
            "anonymous_session",
            "authentication",
            "authorization",
            "connection",
            "custom_domain",
            "experiment",
            "organization",
            "prompt",
            "resource_server",
            "tenant",
            "secrets",
            "session",
            "session_transfer_token",
            "refresh_token",
            "configuration",
            "client",
            "request",
            "stats",
            "user",
            "security_context",
        ]
    )


def test_unknown_trigger():
    with pytest.raises(TriggerNotFound) as error:
        get_trigger("post-logout")
    assert str(error.value).startswith("unknown trigger 'post-logout': use one of post-login, credentials-exchange")


def test_trigger_is_immutable():
    trigger = get_trigger("post-login")
    assert isinstance(trigger, Trigger)
    with pytest.raises(AttributeError):
        trigger.blocking = False
    with pytest.raises(TypeError):
        trigger.outcome["x"] = None


def test_secrets_must_be_strings():
    trigger = get_trigger("event-stream")
    payload = trigger.sample_payload()
    payload["secrets"] = {"API_KEY": 42}
    with pytest.raises(PayloadError, match=r"^\$\.secrets\.API_KEY: expected a string, got 42$"):
        trigger.validate_payload(payload)

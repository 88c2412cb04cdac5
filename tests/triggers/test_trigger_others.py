"""Every trigger but post-login: a handler calling every api method, its commands and outcome."""

import pytest

from jupyter_actions.triggers import get_trigger

from .helpers import NOW_MS, api_for, run


def test_credentials_exchange():
    async def handler(event, api):
        assert event.transaction.requested_scopes[0] == "read:entity"
        assert api.access_token.set_custom_claim("https://example.com/tier", "gold") is api
        assert api.access_token.set_custom_claim("scope", "x") is api  # no reserved-claim check on this trigger
        api.transaction.add_target_scope("write:entity")
        api.transaction.remove_target_scope("read:entity")
        api.transaction.set_target_scopes(["a:b", "c:d", "a:b"])
        api.transaction.clear_target_scopes()
        api.transaction.add_target_scope("final:scope")
        assert event.transaction.target_scopes == ["final:scope"]
        api.cache.set("token", "abc")
        assert api.access.deny("invalid_scope", "Scope not allowed") is api

    result = run("credentials-exchange", handler)
    assert result.commands == [
        {"type": "access_token.set_custom_claim", "key": "https://example.com/tier", "value": "gold"},
        {"type": "access_token.set_custom_claim", "key": "scope", "value": "x"},
        {"type": "transaction.add_target_scope", "scope": "write:entity"},
        {"type": "transaction.remove_target_scope", "scope": "read:entity"},
        {"type": "transaction.set_target_scopes", "scopes": ["a:b", "c:d"]},
        {"type": "transaction.clear_target_scopes"},
        {"type": "transaction.add_target_scope", "scope": "final:scope"},
        {"type": "cache.set", "key": "token", "value": "abc", "expires_at": NOW_MS + 900_000},
        {"type": "access.deny", "code": "invalid_scope", "reason": "Scope not allowed"},
    ]
    assert result.outcome == {
        "access_token_claims": {"https://example.com/tier": "gold", "scope": "x"},
        "target_scopes": ["final:scope"],
    }
    assert result.control == "stop"
    assert result.deny == {"reason": "Scope not allowed", "code": "invalid_scope", "command": "access.deny"}


def test_credentials_exchange_target_scopes_start_from_the_grant():
    api, session = api_for("credentials-exchange")
    api.transaction.add_target_scope("write:entity")
    assert session.event["transaction"]["target_scopes"] == ["read:entity", "write:entity"]
    assert get_trigger("credentials-exchange").fold_outcome([], session.event) == {
        "access_token_claims": {},
        "target_scopes": None,
    }


def test_credentials_exchange_deny_codes():
    api, _ = api_for("credentials-exchange")
    with pytest.raises(ValueError, match="invalid_scope, invalid_request, server_error"):
        api.access.deny("access_denied", "no")
    with pytest.raises(TypeError, match="The value for scopes must be an array."):
        api.transaction.set_target_scopes("a b")


def test_pre_user_registration():
    def handler(event, api):
        assert api.user.set_app_metadata("plan", "trial") is api
        assert api.user.set_user_metadata("referrer", event.request.body["ulp-custom-field"]) is api
        assert api.user.set_user_id("j.smith+1") is api
        assert api.validation.error("invalid_email", "Use your work email") is api
        assert api.access.deny("blocked domain", "Sign up is not available") is api
        api.cache.delete("absent")

    result = run("pre-user-registration", handler)
    assert result.types == [
        "user.set_app_metadata",
        "user.set_user_metadata",
        "user.set_user_id",
        "validation.error",
        "access.deny",
    ]
    assert result.outcome == {
        "app_metadata": {"plan": "trial"},
        "user_metadata": {"referrer": "UlpCustomField"},
        "user_id": "j.smith+1",
        "validation_error": {"error_code": "invalid_email", "error_message": "Use your work email"},
    }
    assert result.control == "stop"
    assert result.deny == {"reason": "Use your work email", "code": "invalid_email", "command": "validation.error"}
    assert result.session.event["user"]["app_metadata"] == {"plan": "trial"}


def test_pre_user_registration_deny_carries_the_user_message():
    result = run("pre-user-registration", lambda e, api: api.access.deny("internal", "Shown to the user"))
    assert result.deny == {"reason": "internal", "user_message": "Shown to the user", "command": "access.deny"}


@pytest.mark.parametrize(
    "call, message",
    [
        (
            lambda api: api.user.set_user_id(""),
            "Invalid set_user_id arguments: user_id must NOT have fewer than 1 characters, "
            'must match pattern "^[a-zA-Z0-9@._+-]{1,255}$"',
        ),
        (
            lambda api: api.user.set_user_id("has space"),
            'Invalid set_user_id arguments: user_id must match pattern "^[a-zA-Z0-9@._+-]{1,255}$"',
        ),
        (
            lambda api: api.validation.error("code", "m" * 101),
            "Failed to add validation error: error_message must NOT have more than 100 characters",
        ),
    ],
)
def test_pre_user_registration_messages(call, message):
    with pytest.raises(ValueError) as error:
        call(api_for("pre-user-registration")[0])
    assert str(error.value) == message


@pytest.mark.parametrize(
    "trigger_id", ["post-user-registration", "post-change-password", "send-phone-message", "event-stream"]
)
def test_cache_only_triggers(trigger_id):
    async def handler(event, api):
        assert api.cache.set("last", "1", ttl=1000) == {
            "type": "success",
            "record": {"value": "1", "expires_at": NOW_MS + 1000},
        }
        assert api.cache.get("last") == {"value": "1", "expires_at": NOW_MS + 1000}
        assert api.cache.delete("last") == {"type": "success"}
        return sorted(n for n in dir(api) if not n.startswith("_"))

    result = run(trigger_id, handler)
    assert result.result == ["cache"]
    assert result.types == ["cache.set", "cache.delete"]
    assert result.outcome == {}
    assert result.control == "continue" and result.deny is None


def test_send_phone_message_event():
    result = run("send-phone-message", lambda event, api: (event.message_options.recipient, event.message_options.code))
    assert result.result == ("+1-808-555-5555", "1234556ADSFA547865")


def test_password_reset_post_challenge():
    async def handler(event, api):
        assert api.access.deny("locked") is None
        assert api.authentication.challenge_with({"type": "email"}) is None
        api.authentication.challenge_with_any([{"type": "otp"}, {"type": "recovery-code"}])
        assert api.redirect.send_user_to("https://example.com/verify", query={"u": event.user.user_id}) is None
        assert api.redirect.encode_token(secret="s", payload={"state": "x"}).count(".") == 2
        api.transaction.set_result_url("https://app.example.com/done", query={"reset": "ok"})
        api.cache.set("k", "v")
        return hasattr(api.redirect, "can_redirect")

    result = run("password-reset-post-challenge", handler)
    assert result.result is False
    assert result.commands[:5] == [
        {"type": "access.deny", "reason": "locked"},
        {"type": "authentication.challenge_with", "factor": {"type": "email"}, "additional_factors": []},
        {"type": "authentication.challenge_with_any", "factors": [{"type": "otp"}, {"type": "recovery-code"}]},
        {"type": "redirect.send_user_to", "url": "https://example.com/verify?u=auth0%7C5f7c8ec7c33c6c004bbafe82"},
        {"type": "transaction.set_result_url", "url": "https://app.example.com/done?reset=ok"},
    ]
    assert result.outcome == {
        "challenge": {"method": "challenge_with_any", "factors": [{"type": "otp"}, {"type": "recovery-code"}]},
        "redirect": {"url": "https://example.com/verify?u=auth0%7C5f7c8ec7c33c6c004bbafe82"},
        "prompt": None,
        "result_url": "https://app.example.com/done?reset=ok",
    }
    assert result.control == "stop"
    assert result.deny == {"reason": "locked", "command": "access.deny"}


def test_password_reset_suspends_and_continues():
    result = run("password-reset-post-challenge", lambda e, api: api.prompt.render("reset-form", vars={"a": 1}))
    assert result.control == "suspend"
    assert result.outcome["prompt"] == {"prompt_id": "reset-form", "options": {"vars": {"a": 1}}}
    api, _ = api_for("password-reset-post-challenge")
    with pytest.raises(ValueError, match="push"):
        api.authentication.challenge_with({"type": "push"})  # not a reset factor


@pytest.mark.parametrize("trigger_id", ["custom-email-provider", "custom-phone-provider"])
def test_notification_providers(trigger_id):
    def handler(event, api):
        assert api.notification.retry("provider timeout") is None
        assert api.notification.drop("x" * 2000) is None
        api.cache.set("provider", "down")

    result = run(trigger_id, handler)
    assert result.commands[0] == {"type": "notification.retry", "reason": "provider timeout"}
    assert result.commands[1] == {"type": "notification.drop", "reason": "x" * 1024}
    assert result.outcome == {"notification": {"action": "drop", "reason": "x" * 1024}}
    assert result.control == "continue"
    result = run(trigger_id, lambda e, api: (api.notification.drop("a"), api.notification.retry("b")))
    assert result.outcome == {"notification": {"action": "retry", "reason": "b"}}
    assert run(trigger_id, lambda e, api: None).outcome == {"notification": None}


def test_custom_token_exchange():
    def handler(event, api):
        assert event.transaction.subject_token_type == "http://auth0.com/oauth/token-type/third-party-artifact"
        assert (
            api.authentication.set_user_by_connection(
                "legacy-db",
                {"user_id": "legacy-42", "email": "a@example.com", "verify_email": False},
                creation_behavior="create_if_not_exists",
                update_behavior="none",
            )
            is None
        )
        api.authentication.set_organization("my-organization")
        api.authentication.set_actor({"sub": "service-a", "team": "payments", "act": {"sub": "service-b"}})
        assert api.user.set_app_metadata("migrated", True) is None
        api.user.set_user_metadata("lang", "fr")
        api.cache.set("jwks", "{}")
        api.access.deny("invalid_request", "nope")
        api.access.reject_invalid_subject_token("bad signature")

    result = run("custom-token-exchange", handler)
    assert result.types == [
        "authentication.set_user_by_connection",
        "authentication.set_organization",
        "authentication.set_actor",
        "user.set_app_metadata",
        "user.set_user_metadata",
        "cache.set",
        "access.deny",
        "access.reject_invalid_subject_token",
    ]
    assert result.outcome == {
        "user": {
            "method": "by_connection",
            "connection_name": "legacy-db",
            "user_attributes": {"user_id": "legacy-42", "email": "a@example.com", "verify_email": False},
            "creation_behavior": "create_if_not_exists",
            "update_behavior": "none",
        },
        "organization": "my-organization",
        "actor": {"sub": "service-a", "team": "payments", "act": {"sub": "service-b"}},
        "app_metadata": {"migrated": True},
        "user_metadata": {"lang": "fr"},
    }
    assert result.control == "stop"
    assert result.deny == {"reason": "nope", "code": "invalid_request", "command": "access.deny"}
    assert "user" not in result.session.event  # custom-token-exchange has no event.user


def test_custom_token_exchange_by_id_and_rejection():
    def handler(event, api):
        api.authentication.set_user_by_id("auth0|123")
        api.access.reject_invalid_subject_token("expired artifact")

    result = run("custom-token-exchange", handler)
    assert result.outcome["user"] == {"user_id": "auth0|123", "method": "by_id"}
    assert result.deny == {
        "reason": "expired artifact",
        "code": "invalid_request",
        "command": "access.reject_invalid_subject_token",
    }


@pytest.mark.parametrize(
    "call, message",
    [
        (
            lambda api: api.authentication.set_user_by_id(""),
            "Invalid set_user_by_id arguments: user_id must NOT have fewer than 1 characters",
        ),
        (
            lambda api: api.authentication.set_user_by_connection("db", {"email": "a@b.c"}),
            "Invalid set_user_by_connection arguments: must have required property 'options'; "
            "user_attributes must have required property 'user_id'",
        ),
        (
            lambda api: api.authentication.set_user_by_connection(
                "db", {"user_id": "1"}, {"creationBehavior": "maybe", "updateBehavior": "none"}
            ),
            "Invalid set_user_by_connection arguments: creation_behavior must be equal to one of the allowed values",
        ),
        (
            lambda api: (api.authentication.set_user_by_id("a"), api.authentication.set_user_by_id("b")),
            "Exactly one of set_user_by_id and set_user_by_connection must be called.",
        ),
        (
            lambda api: api.authentication.set_organization("o" * 51),
            "Invalid set_organization arguments: organization_id_or_name must NOT have more than 50 characters",
        ),
        (lambda api: api.authentication.set_actor({"name": "x"}), "The actor object must contain a sub claim."),
        (
            lambda api: api.authentication.set_actor({"sub": "a", **{f"p{i}": i for i in range(6)}}),
            "No more than 5 custom properties are allowed in the actor object.",
        ),
        (
            lambda api: api.authentication.set_actor({"sub": "a", "p": {"x": 1}}),
            "Custom property in an actor object must be a string, number, or boolean.",
        ),
        (
            lambda api: api.authentication.set_actor({"sub": "a", "p": "v" * 65}),
            "Custom string property value in an actor object must NOT have more than 64 characters.",
        ),
        (
            lambda api: api.authentication.set_actor(
                {
                    "sub": "1",
                    "act": {
                        "sub": "2",
                        "act": {"sub": "3", "act": {"sub": "4", "act": {"sub": "5", "act": {"sub": "6"}}}},
                    },
                }
            ),
            "Actor nesting must not exceed 5 levels.",
        ),
        (lambda api: api.authentication.set_actor({"sub": "a", "act": "b"}), "The act claim must be a plain object."),
        (lambda api: api.access.deny("", "r"), "Invalid deny arguments: code must NOT have fewer than 1 characters"),
        (
            lambda api: api.access.reject_invalid_subject_token("r" * 4097),
            "Invalid reject_invalid_subject_token arguments: reason must NOT have more than 4096 characters",
        ),
        (lambda api: api.user.set_app_metadata(5, "v"), "Invalid set_app_metadata arguments: key must be string"),
    ],
)
def test_custom_token_exchange_messages(call, message):
    with pytest.raises(ValueError) as error:
        call(api_for("custom-token-exchange")[0])
    assert str(error.value) == message


def test_custom_token_exchange_transaction_metadata_is_flag_gated():
    api, _ = api_for("custom-token-exchange")
    with pytest.raises(NotImplementedError, match=r"^Method not implemented\.$"):
        api.transaction.set_metadata("k", "v")
    api, session = api_for("custom-token-exchange", feature_flags={"actions_cte_transaction_metadata"})
    api.transaction.set_metadata("k", "v")
    assert session.event["transaction"]["metadata"] == {"k": "v"}


def test_event_stream_message():
    result = run("event-stream", lambda event, api: (event.message.type, event.message.data.object.email))
    assert result.result == ("user.created", "john.doe@example.com")

import pytest

from jupyter_actions.triggers import get_trigger

from .helpers import NOW_MS, api_for, run

TRIGGER = get_trigger("post-login")


async def every_method(event, api):
    """A handler that calls every post-login api method once (execute phase)."""
    assert api.access_token.set_custom_claim("https://example.com/plan", event.user.app_metadata.plan or "free") is api
    api.access_token.add_scope("read:reports")
    api.access_token.add_scope("write:reports")
    api.access_token.remove_scope("write:reports")
    api.access_token.remove_scope("delete:reports")
    assert api.id_token.set_custom_claim("https://example.com/roles", ["admin"]) is api
    assert api.user.set_app_metadata("plan", "gold") is api
    assert api.user.set_user_metadata("theme", "dark") is api
    assert api.multifactor.enable("any", allow_remember_browser=True) is api
    api.authentication.challenge_with({"type": "otp"}, additional_factors=[{"type": "email"}])
    api.authentication.challenge_with_any([{"type": "phone", "options": {"preferredMethod": "sms"}}])
    api.authentication.enroll_with({"type": "webauthn-platform"})
    api.authentication.enroll_with_any([{"type": "otp"}, {"type": "push-notification"}])
    api.authentication.set_primary_user("auth0|primary")
    assert api.redirect.can_redirect() is True
    assert api.redirect.send_user_to("https://example.com/consent", query={"step": "1"}) is api
    token = api.redirect.encode_token(secret="s", payload={"a": 1})
    assert token.count(".") == 2
    assert api.saml_response.set_attribute("department", "R&D") is api
    assert api.saml_response.set_attribute("groups", ["a", "b"]) is api
    saml_settings = {
        "audience": "urn:sp",
        "recipient": "https://sp.example.com/acs",
        "create_upn_claim": False,
        "passthrough_claims_with_no_mapping": False,
        "map_unknown_claims_as_is": True,
        "map_identities": False,
        "signature_algorithm": "rsa-sha1",
        "digest_algorithm": "sha1",
        "destination": "https://sp.example.com/acs",
        "lifetime_in_seconds": 600,
        "sign_response": True,
        "name_identifier_format": "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
        "name_identifier_probes": ["http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"],
        "authn_context_class_ref": "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport",
        "signing_cert": "-----BEGIN CERTIFICATE-----",
        "include_attribute_name_format": False,
        "typed_attributes": False,
        "encryption_cert": "-----BEGIN CERTIFICATE-----",
        "encryption_public_key": "-----BEGIN PUBLIC KEY-----",
        "cert": "-----BEGIN CERTIFICATE-----",
        "key": "private key PEM (a secret in real use)",
        "relay_state": "xyz",
        "issuer": "urn:dev-tenant",
        "encryption_algorithm": "aes256-gcm",
    }
    for name, value in saml_settings.items():
        assert getattr(api.saml_response, f"set_{name}")(value) is api
    assert api.validation.error("invalid_plan", "Your plan has expired") is api
    assert api.rules.was_executed("rul_123") is False
    api.refresh_token.set_expires_at(NOW_MS + 3_600_000)
    api.refresh_token.set_idle_expires_at(NOW_MS + 600_000)
    api.refresh_token.set_metadata("device", "laptop")
    api.refresh_token.delete_metadata("foo")
    api.refresh_token.evict_metadata()
    api.refresh_token.revoke("stolen")
    api.session.set_expires_at(NOW_MS + 7_200_000)
    api.session.set_idle_expires_at(NOW_MS + 900_000)
    api.session.set_cookie_mode("non-persistent")
    api.session.set_metadata("risk", "low")
    api.session.delete_metadata("fizz")
    api.session.evict_metadata()
    api.session.revoke("suspicious", preserve_refresh_tokens=True)
    api.transaction.set_metadata("score", 7)
    assert event.transaction.metadata.score == 7
    assert await api.roles.get_user_effective_roles() == {"roles": []}
    assert await api.roles.get_user_effective_roles_by_ids(["rol_1"]) == {"roles": []}
    assert await api.roles.get_user_effective_roles_by_names(["admin"]) == {"roles": []}
    assert await api.groups.get_user_groups() == {"groups": []}
    assert await api.groups.has_group_membership(["eng"]) == {"memberships": {}}
    assert api.cache.set("seen", "1")["type"] == "success"
    assert api.cache.get("seen")["value"] == "1"
    assert api.cache.delete("seen") == {"type": "success"}
    assert api.access.deny("Access denied by policy") is api


async def on_continue(event, api):
    assert api.authentication.record_method("https://mfa.example.com") is api
    api.prompt.render("consent-form", fields={"email": event.user.email}, vars={"tier": "gold"})


def test_every_method_yields_the_documented_commands_and_outcome():
    result = run("post-login", every_method)
    assert result.types == [
        "access_token.set_custom_claim",
        "access_token.add_scope",
        "access_token.add_scope",
        "access_token.remove_scope",
        "access_token.remove_scope",
        "id_token.set_custom_claim",
        "user.set_app_metadata",
        "user.set_user_metadata",
        "multifactor.enable",
        "authentication.challenge_with",
        "authentication.challenge_with_any",
        "authentication.enroll_with",
        "authentication.enroll_with_any",
        "authentication.set_primary_user",
        "redirect.send_user_to",
        "saml_response.set_attribute",
        "saml_response.set_attribute",
        *[
            f"saml_response.set_{name}"
            for name in (
                "audience",
                "recipient",
                "create_upn_claim",
                "passthrough_claims_with_no_mapping",
                "map_unknown_claims_as_is",
                "map_identities",
                "signature_algorithm",
                "digest_algorithm",
                "destination",
                "lifetime_in_seconds",
                "sign_response",
                "name_identifier_format",
                "name_identifier_probes",
                "authn_context_class_ref",
                "signing_cert",
                "include_attribute_name_format",
                "typed_attributes",
                "encryption_cert",
                "encryption_public_key",
                "cert",
                "key",
                "relay_state",
                "issuer",
                "encryption_algorithm",
            )
        ],
        "validation.error",
        "refresh_token.set_expires_at",
        "refresh_token.set_idle_expires_at",
        "refresh_token.set_metadata",
        "refresh_token.delete_metadata",
        "refresh_token.evict_metadata",
        "refresh_token.revoke",
        "session.set_expires_at",
        "session.set_idle_expires_at",
        "session.set_cookie_mode",
        "session.set_metadata",
        "session.delete_metadata",
        "session.evict_metadata",
        "session.revoke",
        "transaction.set_metadata",
        "cache.set",
        "cache.delete",
        "access.deny",
    ]
    commands = {c["type"]: c for c in result.commands}
    assert commands["access.deny"] == {"type": "access.deny", "reason": "Access denied by policy"}
    assert commands["id_token.set_custom_claim"] == {
        "type": "id_token.set_custom_claim",
        "key": "https://example.com/roles",
        "value": ["admin"],
    }
    assert commands["multifactor.enable"] == {
        "type": "multifactor.enable",
        "provider": "any",
        "allow_remember_browser": True,
        "provider_options": None,
    }
    assert commands["authentication.challenge_with"] == {
        "type": "authentication.challenge_with",
        "factor": {"type": "otp"},
        "additional_factors": [{"type": "email"}],
    }
    # user metadata set in the same action as set_primary_user is discarded (Auth0 limit)
    assert commands["user.set_user_metadata"]["discarded"] is True
    assert commands["refresh_token.set_metadata"]["metadata"] == {"foo": "bar", "fizz": "buzz", "device": "laptop"}

    outcome = result.outcome
    assert set(outcome) == {
        "access_token_claims",
        "id_token_claims",
        "scopes",
        "app_metadata",
        "user_metadata",
        "multifactor",
        "redirect",
        "challenge",
        "enrollment",
        "mfa_commands",
        "prompt",
        "recorded_methods",
        "primary_user_id",
        "saml_response",
        "session",
        "refresh_token",
        "target_scopes",
        "validation_error",
    }
    assert outcome["access_token_claims"] == {"https://example.com/plan": "free"}
    assert outcome["id_token_claims"] == {"https://example.com/roles": ["admin"]}
    assert outcome["scopes"] == {"add": ["read:reports"], "remove": ["write:reports", "delete:reports"]}
    assert outcome["app_metadata"] == {"plan": "gold"}
    assert outcome["user_metadata"] == {}
    assert outcome["multifactor"] == {"provider": "any", "allow_remember_browser": True, "provider_options": None}
    assert outcome["redirect"] == {"url": "https://example.com/consent?step=1"}
    assert outcome["challenge"] == {
        "method": "challenge_with_any",
        "factors": [{"type": "phone", "options": {"preferredMethod": "sms"}}],
    }
    assert outcome["enrollment"] == {
        "method": "enroll_with_any",
        "factors": [{"type": "otp"}, {"type": "push-notification"}],
    }
    assert [c["method"] for c in outcome["mfa_commands"]] == [
        "challenge_with",
        "challenge_with_any",
        "enroll_with",
        "enroll_with_any",
    ]
    assert outcome["prompt"] is None and outcome["recorded_methods"] == []
    assert outcome["primary_user_id"] == "auth0|primary"
    assert outcome["saml_response"]["attributes"] == {"department": "R&D", "groups": ["a", "b"]}
    assert outcome["saml_response"]["settings"]["relay_state"] == "xyz"
    assert len(outcome["saml_response"]["settings"]) == 24
    assert outcome["refresh_token"] == {
        "revoked": {"reason": "stolen"},
        "expires_at": NOW_MS + 3_600_000,
        "idle_expires_at": NOW_MS + 600_000,
        "metadata": {},
    }
    assert outcome["session"] == {
        "revoked": {"reason": "suspicious", "preserve_refresh_tokens": True},
        "expires_at": NOW_MS + 7_200_000,
        "idle_expires_at": NOW_MS + 900_000,
        "metadata": {},
        "cookie_mode": "non-persistent",
    }
    assert outcome["target_scopes"] is None
    assert outcome["validation_error"] == {"error_code": "invalid_plan", "error_message": "Your plan has expired"}
    assert result.control == "stop"
    assert result.deny == {"reason": "Your plan has expired", "code": "invalid_plan", "command": "validation.error"}
    # mirrored into the event at once
    event = result.session.event
    assert event["session"]["cookie"]["mode"] == "non-persistent"
    assert event["session"]["metadata"] == {} and event["refresh_token"]["metadata"] == {}
    assert event["transaction"]["metadata"] == {"score": 7}
    # after_action: app metadata visible to the next action; discarded user metadata is not
    assert event["user"]["app_metadata"] == {"plan": "gold"}
    assert event["user"]["user_metadata"] == {}


def test_continue_phase_records_method_and_renders_prompt():
    result = run("post-login", on_continue, phase="continue")
    assert result.commands == [
        {"type": "authentication.record_method", "provider_url": "https://mfa.example.com"},
        {
            "type": "prompt.render",
            "prompt_id": "consent-form",
            "options": {"fields": {"email": "j+smith@example.com"}, "vars": {"tier": "gold"}},
        },
    ]
    assert result.outcome["recorded_methods"] == ["https://mfa.example.com"]
    assert result.outcome["prompt"] == {
        "prompt_id": "consent-form",
        "options": {"fields": {"email": "j+smith@example.com"}, "vars": {"tier": "gold"}},
    }
    assert result.control == "suspend"


def test_record_method_only_on_continue():
    api, _ = api_for("post-login")
    with pytest.raises(ValueError, match="only available in on_continue_post_login"):
        api.authentication.record_method("https://mfa.example.com")


@pytest.mark.parametrize(
    "call, control",
    [
        (lambda api: api.access.deny("no"), "stop"),
        (lambda api: api.validation.error("c", "m"), "stop"),
        (lambda api: api.session.revoke("r"), "stop"),
        (lambda api: api.refresh_token.revoke("r"), "stop"),
        (lambda api: api.redirect.send_user_to("https://example.com"), "suspend"),
        (lambda api: api.authentication.challenge_with({"type": "otp"}), "suspend"),
        (lambda api: api.authentication.challenge_with_any([{"type": "otp"}]), "suspend"),
        (lambda api: api.authentication.enroll_with({"type": "otp"}), "suspend"),
        (lambda api: api.authentication.enroll_with_any([{"type": "otp"}]), "suspend"),
        (lambda api: api.prompt.render("p"), "suspend"),
        (lambda api: api.multifactor.enable("guardian"), "continue"),
        (lambda api: api.user.set_app_metadata("a", 1), "continue"),
    ],
)
def test_control(call, control):
    assert run("post-login", lambda event, api: call(api)).control == control


def test_deny_beats_suspend_and_deny_shape():
    def handler(event, api):
        api.redirect.send_user_to("https://example.com")
        api.access.deny("blocked")

    result = run("post-login", handler)
    assert result.control == "stop"
    assert result.deny == {"reason": "blocked", "command": "access.deny"}
    assert run("post-login", lambda e, api: None).deny is None


def test_fold_over_a_whole_flow():
    """Two actions: later claims win, metadata merges, earliest expiry wins, first primary user."""
    trigger = TRIGGER
    event = trigger.sample_payload()
    first = [
        {"type": "access_token.set_custom_claim", "key": "k", "value": 1},
        {"type": "user.set_app_metadata", "key": "a", "value": 1},
        {"type": "user.set_app_metadata", "key": "gone", "value": "x"},
        {"type": "access_token.add_scope", "scope": "s"},
        {"type": "session.set_expires_at", "absolute": 5000},
    ]
    second = [
        {"type": "access_token.set_custom_claim", "key": "k", "value": 2},
        {"type": "user.set_app_metadata", "key": "gone", "value": None},
        {"type": "access_token.remove_scope", "scope": "s"},
        {"type": "access_token.add_scope", "scope": "s"},
        {"type": "session.set_expires_at", "absolute": 3000},
        {"type": "session.set_expires_at", "absolute": 4000},
    ]
    trigger.after_action(event, first)
    assert event["user"]["app_metadata"] == {"a": 1, "gone": "x"}
    trigger.after_action(event, second)
    assert event["user"]["app_metadata"] == {"a": 1}
    outcome = trigger.fold_outcome(first + second, event)
    assert outcome["access_token_claims"] == {"k": 2}
    assert outcome["app_metadata"] == {"a": 1, "gone": None}
    assert outcome["scopes"] == {"add": ["s"], "remove": []}
    assert outcome["session"]["expires_at"] == 3000


# --- validation messages -------------------------------------------------------------------


def raises(call, exception, message):
    api, session = api_for("post-login")
    with pytest.raises(exception) as error:
        call(api, session)
    assert str(error.value) == message
    return session


def test_reserved_scope_claim():
    raises(
        lambda api, s: api.access_token.set_custom_claim("scope", "admin"),
        ValueError,
        'The "scope" claim cannot be set.',
    )
    raises(
        lambda api, s: api.id_token.set_custom_claim("scope", "admin"), ValueError, 'The "scope" claim cannot be set.'
    )


@pytest.mark.parametrize(
    "scope, exception, message",
    [
        (42, TypeError, "The value for the scope must be a string."),
        ("   ", ValueError, "The value for the scope is required."),
        ("s" * 281, ValueError, "The value for the scope exceeds the allowed maximum of 280 characters."),
        ("read write", ValueError, "The value for the scope must not have whitespace."),
    ],
)
def test_invalid_scope(scope, exception, message):
    raises(lambda api, s: api.access_token.add_scope(scope), exception, message)
    raises(lambda api, s: api.access_token.remove_scope(scope), exception, message)


def test_scope_is_trimmed_and_limited_to_1000():
    api, session = api_for("post-login")
    api.access_token.add_scope("  read  ")
    assert session.commands[-1] == {"type": "access_token.add_scope", "scope": "read"}
    for index in range(999):
        api.access_token.add_scope(f"s{index}")
    with pytest.raises(ValueError, match=r"^The number of scopes exceeds the allowed maximum of 1000\.$"):
        api.access_token.add_scope("one-too-many")
    api.access_token.remove_scope("s1")
    api.access_token.add_scope("now-fits")


def test_set_primary_user_rules():
    raises(
        lambda api, s: api.authentication.set_primary_user(""),
        ValueError,
        "The provided primary_user_id must be a non-empty string",
    )
    raises(
        lambda api, s: api.authentication.set_primary_user("x" * 129),
        ValueError,
        "The provided primary_user_id exceeds the maximum length.",
    )

    def twice(api, session):
        api.authentication.set_primary_user("auth0|a")
        api.authentication.set_primary_user("auth0|b")

    raises(twice, ValueError, "The primary user can only be altered once per transaction")
    api, _ = api_for("post-login", prior_commands=[{"type": "authentication.set_primary_user", "primary_user_id": "x"}])
    with pytest.raises(ValueError, match="once per transaction"):
        api.authentication.set_primary_user("auth0|a")


def test_metadata_must_be_objects():
    def broken(api, session):
        session.event["user"]["app_metadata"] = "oops"
        api.user.set_app_metadata("a", 1)

    raises(broken, ValueError, "Unexpected app_metadata format. Must be a valid JSON object")

    def broken_user(api, session):
        session.event["user"]["user_metadata"] = ["oops"]
        api.user.set_user_metadata("a", 1)

    raises(broken_user, ValueError, "Unexpected user_metadata format. Must be a valid JSON object.")


def test_values_must_be_json():
    raises(
        lambda api, s: api.user.set_app_metadata("a", object()),
        TypeError,
        "The metadata value must be JSON-serialisable: Object of type object is not JSON serializable",
    )


@pytest.mark.parametrize(
    "call, message",
    [
        (
            lambda api: api.session.set_metadata("k", "v" * 256),
            "Failed to set session metadata: Invalid metadata: All metadata values must be at most 255 characters long",
        ),
        (
            lambda api: api.session.set_metadata("bad key", "v"),
            "Failed to set session metadata: Invalid metadata: "
            "Metadata keys may only include letters, numbers, underscores, or hyphens",
        ),
        (
            lambda api: api.session.set_metadata("k" * 256, "v"),
            "Failed to set session metadata: Invalid metadata: All metadata keys must be at most 255 characters long",
        ),
        (
            lambda api: api.session.set_metadata("k", "a\x00b"),
            "Failed to set session metadata: Invalid metadata: Metadata values must not contain null bytes (\\x00)",
        ),
        (
            lambda api: api.session.set_metadata("k", 5),
            "Failed to set session metadata: Invalid metadata: Metadata value must be a string",
        ),
        (
            lambda api: api.session.set_metadata(5, "v"),
            "Failed to set session metadata: Invalid metadata: Metadata key must be a string",
        ),
        (
            lambda api: [api.session.set_metadata(f"k{i}", "v") for i in range(24)],
            "Failed to set session metadata: Invalid metadata: Metadata must not contain more than 25 entries",
        ),
        (
            lambda api: api.refresh_token.set_metadata("k", "v" * 256),
            "Failed to set refresh token metadata: Invalid metadata: All metadata values must be at most 255 characters long",
        ),
        (lambda api: api.session.set_cookie_mode(""), "Cookie mode must be provided"),
        (
            lambda api: api.session.set_cookie_mode("forever"),
            "Invalid cookie mode: forever. Valid values are 'persistent' and 'non-persistent'.",
        ),
        (lambda api: api.session.set_expires_at(0), "Either inactivity or absolute expiration time must be provided"),
        (lambda api: api.session.set_idle_expires_at("soon"), "inactivity must be number"),
        (lambda api: api.refresh_token.set_expires_at("soon"), "absolute must be number"),
        (lambda api: api.session.revoke(42), "reason must be string"),
        (lambda api: api.session.revoke("r", preserve_refresh_tokens="yes"), "preserve_refresh_tokens must be boolean"),
        (lambda api: api.refresh_token.revoke("r" * 1025), "reason must NOT have more than 1024 characters"),
        (lambda api: api.validation.error("c" * 101, "m"), "error_code must NOT have more than 100 characters"),
        (lambda api: api.validation.error(1, 2), "error_code must be string; error_message must be string"),
        (
            lambda api: api.multifactor.enable("sms"),
            "The provider must be one of none, guardian, google-authenticator, duo, any; got 'sms'.",
        ),
    ],
)
def test_api_validation_messages(call, message):
    with pytest.raises((ValueError, TypeError)) as error:
        call(api_for("post-login")[0])
    assert str(error.value) == message


def test_failed_metadata_update_changes_nothing():
    api, session = api_for("post-login")
    with pytest.raises(ValueError):
        api.session.set_metadata("bad key", "v")
    assert session.event["session"]["metadata"] == {"foo": "bar", "fizz": "buzz"}
    assert session.commands == []


def test_session_metadata_needs_a_session():
    event = TRIGGER.sample_payload()
    del event["session"]
    api, session = api_for("post-login", event=event)
    with pytest.raises(ValueError) as error:
        api.session.set_metadata("k", "v")
    assert str(error.value) == "Failed to set session metadata: Cannot set metadata on a session that does not exist."
    api.session.delete_metadata("k")
    api.session.evict_metadata()
    api.session.set_cookie_mode("persistent")  # recorded, nothing to mirror
    assert "session" not in session.event
    assert [c["type"] for c in session.commands] == ["session.set_cookie_mode"]


def test_refresh_token_metadata_without_a_refresh_token_is_kept_for_the_new_token():
    event = TRIGGER.sample_payload()
    del event["refresh_token"]
    api, session = api_for("post-login", event=event)
    api.refresh_token.set_metadata("device", "phone")
    assert "refresh_token" not in session.event
    assert session.commands == [
        {"type": "refresh_token.set_metadata", "key": "device", "value": "phone", "metadata": {"device": "phone"}}
    ]


def test_online_refresh_tokens():
    event = TRIGGER.sample_payload()
    event["refresh_token"]["access"] = "online"
    api, _ = api_for("post-login", event=event)
    with pytest.raises(ValueError) as error:
        api.refresh_token.set_metadata("k", "v")
    assert (
        str(error.value) == "Failed to set refresh token metadata: Cannot call set_metadata on an online refresh token."
    )
    for method, args in (("set_expires_at", (1,)), ("delete_metadata", ("k",)), ("evict_metadata", ())):
        with pytest.raises(ValueError, match=f"^Cannot call {method} on an online refresh token.$"):
            getattr(api.refresh_token, method)(*args)


def test_metadata_none_deletes():
    api, session = api_for("post-login")
    api.session.set_metadata("foo", None)
    api.session.set_metadata("absent", None)  # nothing to delete: no command
    assert session.event["session"]["metadata"] == {"fizz": "buzz"}
    assert len(session.commands) == 1


@pytest.mark.parametrize(
    "call, message",
    [
        (
            lambda api: api.transaction.set_metadata("k" * 65, "v"),
            "The transaction metadata key exceeds the maximum length of 64 characters.",
        ),
        (
            lambda api: api.transaction.set_metadata("k", {"a": 1}),
            "The transaction metadata value must be a string, number or boolean (serialise objects with json.dumps), "
            "or None to remove the key.",
        ),
        (
            lambda api: api.transaction.set_metadata("k", "v" * 8200),
            "The transaction metadata value exceeds the maximum size of 8192 bytes.",
        ),
        (
            lambda api: [api.transaction.set_metadata(f"k{i}", "v" * 8000) for i in range(3)],
            "The transaction metadata exceeds the maximum total size of 16384 bytes.",
        ),
        (
            lambda api: api.transaction.set_metadata("k", 2**53),
            "The transaction metadata value must be a safe integer (at most 2**53 - 1).",
        ),
        (lambda api: api.transaction.set_metadata(5, "v"), "The transaction metadata key must be a string."),
    ],
)
def test_transaction_metadata_limits(call, message):
    with pytest.raises((ValueError, TypeError)) as error:
        call(api_for("post-login")[0])
    assert str(error.value) == message


def test_transaction_metadata_is_mirrored_and_none_removes():
    event = TRIGGER.sample_payload()
    del event["transaction"]
    api, session = api_for("post-login", event=event)
    api.transaction.set_metadata("a", "1")
    api.transaction.set_metadata("b", True)
    api.transaction.set_metadata("a", None)
    assert session.event["transaction"] == {"metadata": {"b": True}}


def test_target_scopes_need_the_feature_flag():
    api, _ = api_for("post-login")
    with pytest.raises(NotImplementedError, match=r"^Method not implemented\.$"):
        api.transaction.add_target_scope("read")
    api, session = api_for("post-login", feature_flags={"actions_pl_transaction_target_scopes"})
    api.transaction.set_target_scopes(["a", "b", "a"])
    api.transaction.remove_target_scope("a")
    api.transaction.add_target_scope("c")
    assert session.event["transaction"]["target_scopes"] == ["b", "c"]
    assert TRIGGER.fold_outcome(session.commands, session.event)["target_scopes"] == ["b", "c"]


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda api: api.prompt.render("p" * 49), "prompt_id must NOT have more than 48 characters"),
        (lambda api: api.prompt.render("p", fields={"bad-name": 1}), "fields must NOT have additional properties"),
        (
            lambda api: api.prompt.render("p", vars={f"v{i}": i for i in range(25)}),
            "vars must NOT have more than 24 properties",
        ),
        (
            lambda api: api.prompt.render("p", vars={"big": "x" * 25000}),
            "The total size of the prompt options exceeds the limit of 24576 bytes.",
        ),
        (lambda api: (api.prompt.render("p"), api.prompt.render("q")), "Only 1 render command per action is allowed."),
    ],
)
def test_prompt_rules(call, message):
    with pytest.raises(ValueError) as error:
        call(api_for("post-login")[0])
    assert str(error.value) == message


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda api: api.saml_response.set_audience(5), "audience must be string"),
        (
            lambda api: api.saml_response.set_signature_algorithm("md5"),
            "signature_algorithm must be equal to one of the allowed values",
        ),
        (
            lambda api: api.saml_response.set_name_identifier_probes(["p"] * 11),
            "name_identifier_probes must NOT have more than 10 items",
        ),
        (
            lambda api: api.saml_response.set_relay_state("r" * 513),
            "relay_state must NOT have more than 512 characters",
        ),
        (
            lambda api: api.saml_response.set_attribute("a", {"nested": True}),
            "value must be string,number,boolean,null,array",
        ),
        (lambda api: api.saml_response.set_attribute("a", "v" * 2049), "value must NOT have more than 2048 characters"),
        (lambda api: api.saml_response.set_attribute("a", [{"x": 1}]), "0 must be string,number,boolean"),
        (
            lambda api: [api.saml_response.set_attribute(f"a{i}", "v" * 2000) for i in range(60)],
            "The total size of the SAML attributes exceeds the limit of 102400 bytes.",
        ),
    ],
)
def test_saml_rules(call, message):
    with pytest.raises(ValueError) as error:
        call(api_for("post-login")[0])
    assert str(error.value) == message


def test_saml_attribute_none_removes():
    result = run(
        "post-login", lambda e, api: api.saml_response.set_attribute("a", "1").saml_response.set_attribute("a", None)
    )
    assert result.outcome["saml_response"] == {"attributes": {"a": None}, "settings": {}}


def test_challenge_factor_validation():
    raises(
        lambda api, s: api.authentication.challenge_with({"type": "carrier-pigeon"}),
        ValueError,
        'A factor must be a dict whose "type" is one of otp, email, webauthn-platform, webauthn-roaming, '
        "recovery-code, phone, push, push-notification; got {'type': 'carrier-pigeon'}.",
    )
    api, session = api_for("post-login")
    api.authentication.challenge_with("otp")  # shorthand
    assert session.commands[-1]["factor"] == {"type": "otp"}


# --- roles and groups ---------------------------------------------------------------------

DIRECTORY = {
    "roles": [
        {"id": "rol_1", "name": "admin", "type": "direct"},
        {"id": "rol_2", "name": "viewer", "type": "group"},
        {"id": "rol_3", "name": "billing", "type": "direct"},
    ],
    "groups": [
        {"id": "grp_1", "name": "engineering", "group_type": "team"},
        {"id": "grp_2", "name": "oncall", "group_type": "rotation"},
    ],
}


def test_roles_and_groups_from_the_directory():
    async def handler(event, api):
        page = await api.roles.get_user_effective_roles(take=2)
        assert page == {"roles": DIRECTORY["roles"][:2], "next": "2"}
        assert await api.roles.get_user_effective_roles(take=2, from_=page["next"]) == {"roles": DIRECTORY["roles"][2:]}
        assert await api.roles.get_user_effective_roles({"take": 5, "from": "1"}) == {"roles": DIRECTORY["roles"][1:]}
        assert await api.roles.get_user_effective_roles_by_ids(["rol_2", "nope"]) == {"roles": [DIRECTORY["roles"][1]]}
        assert await api.roles.get_user_effective_roles_by_names(["billing"]) == {"roles": [DIRECTORY["roles"][2]]}
        assert await api.groups.get_user_groups() == {"groups": DIRECTORY["groups"]}
        assert await api.groups.has_group_membership(["engineering", "grp_2", "sales"]) == {
            "memberships": {
                "engineering": {"is_member": True, "matches": [DIRECTORY["groups"][0]]},
                "grp_2": {"is_member": True, "matches": [DIRECTORY["groups"][1]]},
                "sales": {"is_member": False, "matches": []},
            }
        }
        return "ok"

    result = run("post-login", handler, directory=DIRECTORY)
    assert result.result == "ok" and result.commands == []


def test_roles_from_the_event_without_a_directory():
    async def handler(event, api):
        return (
            await api.roles.get_user_effective_roles(),
            await api.roles.get_user_effective_roles_by_names(["editor"]),
            await api.roles.get_user_effective_roles_by_ids(["rol_1"]),
        )

    event = TRIGGER.sample_payload()
    event["authorization"]["roles"] = ["admin", "editor"]
    result = run("post-login", handler, event=event)
    assert result.result == (
        {"roles": [{"id": None, "name": "admin", "type": None}, {"id": None, "name": "editor", "type": None}]},
        {"roles": [{"id": None, "name": "editor", "type": None}]},
        {"roles": []},
    )


@pytest.mark.parametrize(
    "call, message",
    [
        (
            lambda api: api.roles.get_user_effective_roles(take=0),
            'The "take" parameter must be a positive integer if provided.',
        ),
        (lambda api: api.roles.get_user_effective_roles(from_=3), 'The "from" parameter must be a string if provided.'),
        (
            lambda api: api.roles.get_user_effective_roles_by_ids([]),
            'The "ids" parameter must be a non-empty array of strings.',
        ),
        (
            lambda api: api.roles.get_user_effective_roles_by_names(None),
            'The "names" parameter must be a non-empty array of strings.',
        ),
        (
            lambda api: api.groups.get_user_groups(take=1.5),
            'The "take" parameter must be a positive integer if provided.',
        ),
        (
            lambda api: api.groups.has_group_membership([]),
            'The "groups" parameter must be a non-empty array of strings.',
        ),
    ],
)
def test_directory_argument_errors(call, message):
    import asyncio

    with pytest.raises(ValueError) as error:
        asyncio.run(call(api_for("post-login")[0]))
    assert str(error.value) == message


def test_group_and_role_methods_are_async():
    import inspect

    api, _ = api_for("post-login")
    for method in (
        api.groups.get_user_groups,
        api.groups.has_group_membership,
        api.roles.get_user_effective_roles,
        api.roles.get_user_effective_roles_by_ids,
        api.roles.get_user_effective_roles_by_names,
    ):
        assert inspect.iscoroutinefunction(method)

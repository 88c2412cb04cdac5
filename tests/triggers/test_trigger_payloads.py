import pytest

from jupyter_actions.errors import InvalidInputError, PayloadError
from jupyter_actions.triggers import get_trigger


def error_of(trigger_id, change):
    trigger = get_trigger(trigger_id)
    payload = trigger.sample_payload()
    change(payload)
    with pytest.raises(PayloadError) as error:
        trigger.validate_payload(payload)
    return str(error.value)


def test_wrong_type_names_path_and_value():
    assert error_of("post-login", lambda p: p["user"].update(email=42)) == "$.user.email: expected a string, got 42"


def test_missing_required_field():
    assert error_of("post-login", lambda p: p["user"].pop("user_id")) == "$.user.user_id: required field is missing"


def test_nested_array_item_path():
    message = error_of("post-login", lambda p: p["user"]["identities"][0].update(isSocial="no"))
    assert message == '$.user.identities[0].isSocial: expected a boolean, got "no"'


def test_enum_lists_allowed_values():
    message = error_of("send-phone-message", lambda p: p["message_options"].update(message_type="fax"))
    assert message == '$.message_options.message_type: expected one of "sms", "voice", got "fax"'


def test_deep_enum_in_risk_assessment():
    message = error_of("post-login", lambda p: p["authentication"]["riskAssessment"].update(confidence="extreme"))
    assert message.startswith('$.authentication.riskAssessment.confidence: expected one of "low", "medium"')


def test_object_expected():
    assert error_of("post-login", lambda p: p.update(request=[])) == "$.request: expected an object, got an array"


def test_root_must_be_an_object():
    with pytest.raises(
        PayloadError, match=r"^\$: expected an object, got \[1\]$|^\$: expected an object, got an array$"
    ):
        get_trigger("post-login").validate_payload([1])


def test_keys_that_are_not_identifiers_use_brackets():
    message = error_of("credentials-exchange", lambda p: p["client"]["metadata"].update({"tier-1": 5}))
    assert message == '$.client.metadata["tier-1"]: expected a string, got 5'


def test_number_rejects_booleans():
    assert (
        error_of("post-login", lambda p: p["stats"].update(logins_count=True))
        == "$.stats.logins_count: expected a number, got true"
    )


def test_extra_keys_and_null_optionals_are_allowed():
    trigger = get_trigger("post-login")
    payload = trigger.sample_payload()
    payload["my_extension"] = {"anything": [1, 2]}
    payload["user"]["nickname"] = None
    payload["user"]["brand_new_field"] = True
    del payload["organization"]
    del payload["secrets"]  # the worker sets event.secrets per step
    trigger.validate_payload(payload)


def test_nullable_requested_token_type():
    trigger = get_trigger("custom-token-exchange")
    payload = trigger.sample_payload()
    payload["transaction"]["requested_token_type"] = None
    trigger.validate_payload(payload)
    payload["transaction"]["requested_token_type"] = 3
    with pytest.raises(PayloadError, match=r"requested_token_type: expected a string or null, got 3"):
        trigger.validate_payload(payload)


def test_payload_error_is_an_input_error():
    assert issubclass(PayloadError, InvalidInputError)


@pytest.mark.parametrize(
    "trigger_id, path, value, message",
    [
        (
            "credentials-exchange",
            ("accessToken", "scope"),
            "read",
            '$.accessToken.scope: expected an array, got "read"',
        ),
        (
            "custom-email-provider",
            ("notification", "message_type"),
            "fax",
            '$.notification.message_type: expected one of "verify_email"',
        ),
        (
            "custom-phone-provider",
            ("notification", "delivery_method"),
            "fax",
            '$.notification.delivery_method: expected one of "text", "voice", got "fax"',
        ),
        ("event-stream", ("message", "id"), 7, "$.message.id: expected a string, got 7"),
        (
            "password-reset-post-challenge",
            ("transaction", "ui_locales"),
            "en",
            '$.transaction.ui_locales: expected an array, got "en"',
        ),
        ("pre-user-registration", ("user", "username"), [], "$.user.username: expected a string, got an array"),
        (
            "post-change-password",
            ("user", "email_verified"),
            "yes",
            '$.user.email_verified: expected a boolean, got "yes"',
        ),
        (
            "post-user-registration",
            ("connection", "strategy"),
            None,
            "$.connection.strategy: expected a string, got null",
        ),
    ],
)
def test_other_triggers_report_paths(trigger_id, path, value, message):
    def change(payload):
        payload[path[0]][path[1]] = value

    assert error_of(trigger_id, change).startswith(message)

"""The gallery as data: what it holds, how a case payload is built, how a template becomes a cell."""

from __future__ import annotations

import pytest

from jupyter_actions.errors import NotFoundError
from jupyter_actions.frontends.cells import template_cell
from jupyter_actions.templates import get_template, list_templates
from jupyter_actions.triggers import TRIGGER_IDS, get_trigger

from .casecheck import provider_secrets

WANTED = {  # what a user looks for (issue 5), by template id
    "slack-notify-login",
    "ip-allowlist",
    "deny-by-country",
    "roles-permissions-claims",
    "mfa-for-admins",
    "terms-redirect",
    "login-counter",
    "block-disposable-email",
    "m2m-scopes-claims",
    "sms-http-provider",
    "phone-http-provider",
    "email-http-provider",
    "rate-limit-logins",
    "event-stream-webhook",
}


def test_the_gallery_covers_what_users_look_for_across_triggers() -> None:
    templates = list_templates()
    assert {t.id for t in templates} >= WANTED
    assert len(templates) >= 12
    assert len({t.trigger for t in templates}) >= 6
    assert [t.id for t in templates] == sorted(t.id for t in templates)


@pytest.mark.parametrize("template", list_templates(), ids=lambda t: t.id)
def test_every_template_is_complete(template) -> None:
    assert template.trigger in TRIGGER_IDS
    assert template.title and len(template.description) > 40
    assert f"def {get_trigger(template.trigger).handler}(" in template.code
    assert template.cases, "every template has test cases"
    assert set(template.test_secrets) == set(template.secrets), "the tests give every declared secret a value"
    compile(template.code, template.id, "exec")


def test_a_case_payload_is_the_sample_with_the_changes_merged_in() -> None:
    template = get_template("ip-allowlist")
    case = template.cases[1]
    payload = template.payload(case)
    sample = get_trigger("post-login").sample_payload()
    assert payload["request"]["ip"] == case.payload["request"]["ip"] != sample["request"]["ip"]
    assert payload["request"]["geoip"] == sample["request"]["geoip"]  # untouched siblings stay
    assert template.payload(case) is not payload  # a fresh copy every time


def test_a_template_becomes_an_action_cell() -> None:
    cell = template_cell(get_template("slack-notify-login"), "my-slack-action")
    first, _, code = cell.partition("\n")
    assert first == (
        "%%action my-slack-action --trigger post-login --secret SLACK_WEBHOOK_URL --dependency slack-sdk"
        " --template slack-notify-login"
    )
    assert code == get_template("slack-notify-login").code


def test_test_secret_values_point_at_the_local_provider() -> None:
    values = provider_secrets(get_template("sms-http-provider"), "http://127.0.0.1:9/hook")
    assert values == {"SMS_API_URL": "http://127.0.0.1:9/hook", "SMS_API_KEY": "sms-api-key-for-tests"}


def test_an_unknown_template_is_a_not_found_error() -> None:
    with pytest.raises(NotFoundError, match="unknown template 'nope'"):
        get_template("nope")


def test_the_cases_an_action_brings_run_once_against_the_usual_provider_answer_and_state_the_whole_outcome() -> None:
    email = get_template("email-http-provider")
    assert [c.name for c in email.action_cases()] == ["the verification email is delivered"]  # 503, 422: gallery only
    assert get_template("rate-limit-logins").action_cases() == ()  # runs = 3 and 4
    terms = get_template("terms-redirect")
    assert "a user who has not accepted the terms is redirected" not in [
        c.name for c in terms.action_cases()
    ]  # partial
    assert len(terms.action_cases()) == 2


def test_a_nested_unset_key_is_null_in_the_expectation_and_a_top_level_one_is_left_out() -> None:
    admin, viewer = get_template("mfa-for-admins").cases
    assert admin.expected() == {
        "status": "allowed",
        "multifactor": {"provider": "any", "allow_remember_browser": False, "provider_options": None},
    }
    assert viewer.expected() == {"status": "allowed"}
    assert "provider_options" not in admin.expect_outcome["multifactor"]  # the manifest data stays as loaded

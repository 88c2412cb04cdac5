"""Test payloads as Auth0 users build them, through the CLI and the Python API: a partial
payload is merged over the trigger's sample, as ``@kilterset/auth0-actions-testing``'s
``auth0.mock.actions.postLogin({user: {...}})`` does
(https://github.com/kilterset/auth0-actions-testing#readme); ``--strict`` keeps the full
validation; ``triggers list`` and ``triggers sample`` show what the merge starts from.
``Tenant.run_flow`` (an application's real events) never merges."""

from __future__ import annotations

import json

import pytest

from jupyter_actions import PayloadError, Tenant
from jupyter_actions.triggers import TRIGGER_IDS, get_trigger
from tests.conftest import POST_LOGIN_CODE

CLAIM = "https://example.com/email"


@pytest.fixture
def hello(cli):
    """``hello`` (sets the email claim from event.user.email), deployed and bound to post-login."""
    for command in (
        ("save", "hello", "--trigger", "post-login", "--code", "-"),
        ("deploy", "hello"),
        ("flows", "bind", "post-login", "hello"),
    ):
        assert cli(*command, stdin=POST_LOGIN_CODE).status == 0


@pytest.fixture
def partial(tmp_path):
    path = tmp_path / "partial.json"
    path.write_text(json.dumps({"user": {"email": "ana@example.com"}}))
    return path


def ran(cli, *args: str) -> dict:
    result = cli(*args, "--json")
    assert result.status == 0 and result.err == "", result
    return json.loads(result.out)


def test_triggers_list_names_every_trigger_with_its_handlers(cli):
    listed = ran(cli, "triggers", "list")
    assert [t["id"] for t in listed] == list(TRIGGER_IDS)
    assert listed[0] == {
        "id": "post-login",
        "version": "v3",
        "handler": "on_execute_post_login",
        "continue_handler": "on_continue_post_login",
        "blocking": True,
        "title": "Login / Post Login",
    }
    table = cli("triggers", "list").out
    assert table.startswith("TRIGGER") and "post-change-password" in table


def test_triggers_sample_prints_the_sample_payload(cli, refused):
    result = cli("triggers", "sample", "post-change-password")
    assert result.status == 0 and json.loads(result.out) == get_trigger("post-change-password").sample_payload()
    assert refused("triggers", "sample", "post-logout").startswith("error: unknown trigger 'post-logout'")


def test_test_merges_a_partial_payload_over_the_sample(cli, hello, partial):
    execution = ran(cli, "test", "hello", "--payload", str(partial))
    assert execution["outcome"]["id_token_claims"] == {CLAIM: "ana@example.com"}
    assert execution["event"]["user"]["user_id"] == get_trigger("post-login").sample_payload()["user"]["user_id"]


def test_strict_keeps_the_full_validation_naming_the_json_path(cli, refused, hello, partial, tmp_path):
    assert refused("test", "hello", "--payload", str(partial), "--strict") == (
        "error: $.client: required field is missing"
    )
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"user": {"email": 5}}))
    assert refused("test", "hello", "--payload", str(bad)) == "error: $.user.email: expected a string, got 5"
    assert refused("flows", "run", "post-login", "--event", str(bad), "--executor", "inline").endswith(
        "$.user.email: expected a string, got 5"
    )


def test_flows_run_merges_an_event_and_runs_the_sample_without_one(cli, hello, partial):
    merged = ran(cli, "flows", "run", "post-login", "--event", str(partial), "--executor", "inline")
    assert merged["outcome"]["id_token_claims"] == {CLAIM: "ana@example.com"}
    sample = ran(cli, "flows", "run", "post-login", "--executor", "inline")
    assert sample["outcome"]["id_token_claims"] == {CLAIM: "j+smith@example.com"}
    assert sample["kind"] == "flow"


def test_a_saved_case_stores_the_merged_payload(cli, hello, partial):
    assert cli("test", "hello", "--payload", str(partial), "--save-case", "ana").status == 0
    with Tenant() as tenant:
        (case,) = tenant.test_cases("hello")
    get_trigger("post-login").validate_payload(case.payload)
    assert case.payload["user"]["email"] == "ana@example.com"
    assert ran(cli, "test", "hello", "--cases")["passed"] == 1


def test_the_python_api_merges_test_payloads_but_never_an_applications_events(cli, hello):
    partial = {"user": {"email": "ana@example.com"}}
    with Tenant() as tenant:
        assert tenant.test("hello", partial).outcome["id_token_claims"] == {CLAIM: "ana@example.com"}
        with pytest.raises(PayloadError, match=r"^\$\.client: required field is missing$"):
            tenant.test("hello", partial, strict=True)
        with pytest.raises(PayloadError, match=r"^\$\.client: required field is missing$"):
            tenant.run_flow("post-login", partial)

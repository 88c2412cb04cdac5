"""A draft that declares a secret without a value is refused before it runs, in one line that
names the action and the secrets (the front ends add how to set them); a deployed version
always holds its values, so flows never meet a missing secret."""

from __future__ import annotations

import pytest

from jupyter_actions import MissingSecretValues
from jupyter_actions.cli import main

CODE = """
async def on_execute_post_login(event, api):
    api.id_token.set_custom_claim("https://example.com/key", event.secrets.API_KEY.upper())
"""


@pytest.fixture
def keyed(tenant):
    """``keyed``, reading API_KEY, with API_KEY and REGION declared and neither set."""
    tenant.save_draft("keyed", "post-login", CODE, secrets=["REGION", "API_KEY"])
    return tenant


def _refusal(call) -> MissingSecretValues:
    with pytest.raises(MissingSecretValues) as raised:
        call()
    message = str(raised.value)
    assert "\n" not in message and "jupyter-actions" not in message and "--" not in message and "%" not in message
    return raised.value


def test_test_names_the_action_and_every_secret_without_a_value_before_running(keyed) -> None:
    refused = _refusal(lambda: keyed.test("keyed"))
    assert (refused.action, refused.secrets) == ("keyed", ("API_KEY", "REGION"))
    assert str(refused) == "secrets API_KEY, REGION of keyed have no value: set them before testing"
    assert keyed.executions() == []  # nothing ran, nothing was recorded


def test_only_the_secrets_still_without_a_value_are_named(keyed) -> None:
    keyed.set_secret("keyed", "API_KEY", "k-123")
    refused = _refusal(lambda: keyed.test("keyed"))
    assert refused.secrets == ("REGION",)
    assert str(refused) == "secret REGION of keyed has no value: set it before testing"
    keyed.set_secret("keyed", "REGION", "eu-west-1")
    assert keyed.test("keyed").outcome["id_token_claims"] == {"https://example.com/key": "K-123"}


def test_every_path_that_runs_the_draft_refuses_it(keyed) -> None:
    _refusal(lambda: keyed.run_test_cases("keyed"))
    _refusal(lambda: keyed.save_test_case("keyed", "from a run"))  # records the draft's outcome: a run
    keyed.save_test_case("keyed", "stated", expected={"status": "allowed"})  # no run: allowed
    assert [c.name for c in keyed.test_cases("keyed")] == ["stated"]


def test_deploy_refuses_with_the_same_error_so_a_version_always_holds_its_values(keyed) -> None:
    refused = _refusal(lambda: keyed.deploy("keyed"))
    assert str(refused) == "secrets API_KEY, REGION of keyed have no value: set them before deploying"
    assert keyed.versions("keyed") == []


def test_a_deployed_version_runs_in_tests_flows_and_replay_while_the_draft_misses_a_new_secret(keyed) -> None:
    keyed.set_secret("keyed", "API_KEY", "k-123")
    keyed.set_secret("keyed", "REGION", "eu-west-1")
    keyed.deploy("keyed")
    keyed.bind("post-login", ["keyed"])
    keyed.save_draft("keyed", "post-login", CODE, secrets=["REGION", "API_KEY", "NEW_TOKEN"])
    assert keyed.test("keyed", version=1).outcome["status"] == "allowed"
    assert keyed.run_test_cases("keyed", version=1) == []
    from jupyter_actions.triggers import get_trigger

    assert keyed.run_flow("post-login", get_trigger("post-login").sample_payload()).outcome["status"] == "allowed"
    assert _refusal(lambda: keyed.test("keyed")).secrets == ("NEW_TOKEN",)
    assert _refusal(lambda: keyed.replay("post-login", "keyed@draft")).secrets == ("NEW_TOKEN",)
    assert keyed.replay("post-login", "keyed@1").totals()["replayed"] == 1


def test_the_command_line_prints_it_as_one_line(keyed, capsys) -> None:
    keyed.flush()
    assert main(["test", "keyed"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: secrets API_KEY, REGION of keyed have no value") and err.count("\n") == 1

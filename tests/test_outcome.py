"""The outcome contract: what counts as a change, how an error reads, the enums on the wire."""

from __future__ import annotations

import json

import orjson
import pytest

import jupyter_actions
from jupyter_actions import cli, outcome
from jupyter_actions.magics._display import execution_text
from jupyter_actions.outcome import (
    ENGINE_KEYS,
    EXECUTION_STATUS,
    Control,
    ErrorClass,
    ExecutionStatus,
    Phase,
    Status,
    changes,
    error_identity,
    error_summary,
)
from jupyter_actions.triggers import TRIGGER_IDS, get_trigger


def _baseline(trigger_id: str) -> dict:
    """The trigger's own outcome keys when no action touched them."""
    return get_trigger(trigger_id).fold_outcome([], {})


WITH_KEYS = [t for t in TRIGGER_IDS if _baseline(t)]


def _noop(trigger_id: str) -> str:
    return f"def {get_trigger(trigger_id).handler}(event, api):\n    pass\n"


@pytest.mark.parametrize("trigger_id", WITH_KEYS)
def test_an_action_that_does_nothing_shows_no_changes(tenant, capsys, trigger_id):
    tenant.save_draft("noop", trigger_id, _noop(trigger_id))
    execution = tenant.test("noop")
    assert execution.outcome["status"] is Status.ALLOWED and changes(execution.outcome) == {}
    assert "changes" not in execution_text(execution)
    assert cli.main(["test", "noop"]) == 0
    assert "changes" not in capsys.readouterr().out


def test_removing_a_metadata_key_is_a_change(tenant, capsys):
    code = "def on_execute_post_login(event, api):\n    api.user.set_app_metadata('plan', None)\n"
    tenant.save_draft("unplan", "post-login", code)
    execution = tenant.test("unplan")
    assert 'changes: app_metadata = {"plan": null}' in execution_text(execution)
    assert cli.main(["test", "unplan"]) == 0
    assert 'changes: app_metadata = {"plan": null}' in capsys.readouterr().out


# changes ---------------------------------------------------------------------------------


def _engine_part(status: str = "allowed") -> dict:
    return {"status": status, "deny": None, "error": None, "execution_id": "an-id"}


@pytest.mark.parametrize("trigger_id", TRIGGER_IDS)
def test_the_triggers_own_outcome_for_no_commands_is_no_change(trigger_id):
    assert changes({**_engine_part(), **_baseline(trigger_id)}) == {}


@pytest.mark.parametrize("trigger_id", WITH_KEYS)
def test_each_key_that_leaves_its_neutral_value_is_a_change(trigger_id):
    for key in _baseline(trigger_id):
        outcome = {**_engine_part(), **_baseline(trigger_id), key: "touched"}
        assert changes(outcome) == {key: "touched"}


def test_a_touched_key_back_at_an_empty_value_other_than_its_neutral_one_is_a_change():
    baseline = {**_engine_part(), **_baseline("post-login")}
    assert changes({**baseline, "target_scopes": []}) == {"target_scopes": []}  # every target scope removed
    assert changes({**baseline, "app_metadata": {"plan": None}}) == {"app_metadata": {"plan": None}}
    assert changes({**baseline, "scopes": {"add": [], "remove": ["admin"]}}) == {
        "scopes": {"add": [], "remove": ["admin"]}
    }


def test_the_keys_the_engine_adds_are_never_changes():
    denied = {
        "status": Status.DENIED,
        "deny": {"reason": "no", "command": "access.deny"},
        "error": {"action_name": "a", "error_class": "action_error", "name": "E", "message": "m"},
        "execution_id": "an-id",
    }
    assert changes(denied) == {}
    assert ENGINE_KEYS == {"status", "deny", "error", "execution_id"}


# error_summary ---------------------------------------------------------------------------


def test_error_summary_of_every_error_shape():
    step_error = {
        "name": "ValueError",
        "message": "bad input",
        "stack": "Traceback ...\nValueError: bad input",
        "error_class": ErrorClass.ACTION_ERROR,
    }
    assert error_summary(step_error) == "action_error: ValueError: bad input"
    flow_error = {
        "action_name": "a",
        "error_class": "action_timeout",
        "name": "TimeoutError",
        "message": "the execution exceeded the 20 s limit",
    }
    assert error_summary(flow_error) == "action_timeout: TimeoutError: the execution exceeded the 20 s limit"
    case_expectation = {"action_name": "a", "error_class": "platform_error", "name": "PlatformError"}
    assert error_summary(case_expectation) == "platform_error: PlatformError"
    several_lines = {
        "name": "ValidationError",
        "message": "2 errors\n  field x\n    required",
        "error_class": "action_error",
    }
    assert error_summary(several_lines) == "action_error: ValidationError: 2 errors field x required"
    assert error_summary({"message": "only a message", "name": None}) == "only a message"


def test_a_real_failure_reads_the_same_from_its_step_and_from_its_outcome(tenant):
    tenant.save_draft(
        "broken", "post-login", "def on_execute_post_login(event, api):\n    raise ValueError('bad input')\n"
    )
    execution = tenant.test("broken")
    assert execution.outcome["status"] is Status.FAILED and execution.status is ExecutionStatus.PARTIAL
    step_error = execution.results[0]["response"]["error"]
    assert (
        error_summary(step_error) == error_summary(execution.outcome["error"]) == "action_error: ValueError: bad input"
    )
    assert error_identity(execution.outcome["error"]) == {
        "action_name": "broken",
        "error_class": "action_error",
        "name": "ValueError",
    }
    assert error_identity(None) is None
    assert "   error: action_error: ValueError: bad input" in execution_text(execution)


# the enums -------------------------------------------------------------------------------


@pytest.mark.parametrize("enum", [Status, ExecutionStatus, Control, Phase, ErrorClass])
def test_the_enums_are_their_strings_on_the_wire(enum):
    for member in enum:
        for text in (json.dumps(member), orjson.dumps(member).decode()):
            assert text == f'"{member.value}"' and f"{member}" == member.value
            back = json.loads(text)
            assert back == member and type(back) is str and enum(back) is member


def test_every_outcome_status_has_an_execution_status():
    assert set(EXECUTION_STATUS) == set(Status) and set(EXECUTION_STATUS.values()) == set(ExecutionStatus)


def test_a_recorded_execution_reads_back_with_its_statuses_as_enums(tenant):
    tenant.save_draft("noop", "post-login", _noop("post-login"))
    made = tenant.test("noop")
    read = tenant.execution(made.id)
    assert read.outcome["status"] is Status.ALLOWED and read.status is ExecutionStatus.FINAL
    assert read.results[0]["control"] == Control.CONTINUE


def test_the_package_exports_the_whole_contract():
    assert set(outcome.__all__) <= set(jupyter_actions.__all__)
    assert all(getattr(jupyter_actions, name) is getattr(outcome, name) for name in outcome.__all__)

"""``%action SUBCOMMAND``: each subcommand through a real shell, results as Python objects."""

from __future__ import annotations

import json

from jupyter_actions.frontends.cells import template_cell
from jupyter_actions.magics._panel import ActionPanel
from jupyter_actions.model import ActionVersion, DeployResult, Execution
from jupyter_actions.templates import get_template

from .conftest import CODE


def _deployed(cell) -> None:
    cell(f"%%action greet --trigger post-login\n{CODE}")
    cell("%action deploy greet --message 'first version'")


def test_test_runs_the_draft_on_the_sample_payload(saved, cell) -> None:
    result = cell("result = %action test greet\nresult")
    assert isinstance(result, Execution) and result.kind == "test"
    assert type(result.panel).__name__ == "TestPanel" and result.panel.last is result.execution
    assert result.outcome["id_token_claims"] == {"https://example.com/email": "j+smith@example.com"}
    assert "hello j+smith@example.com" in result.results[0]["response"]["logs"]


def test_test_takes_the_payload_from_a_variable_json_text_or_a_file(saved, ip, cell, tmp_path) -> None:
    from jupyter_actions.triggers import get_trigger

    payload = get_trigger("post-login").sample_payload()
    payload["user"]["email"] = "var@example.com"
    ip.user_ns["payload"] = payload
    assert (
        cell("%action test greet --payload payload").outcome["id_token_claims"]["https://example.com/email"]
        == "var@example.com"
    )

    payload["user"]["email"] = "text@example.com"
    ip.user_ns["payload"] = json.dumps(payload)
    assert (
        cell("%action test greet --payload payload").outcome["id_token_claims"]["https://example.com/email"]
        == "text@example.com"
    )

    payload["user"]["email"] = "file@example.com"
    (tmp_path / "login.json").write_text(json.dumps(payload))
    result = cell(f"%action test greet --payload {tmp_path / 'login.json'}")
    assert result.outcome["id_token_claims"]["https://example.com/email"] == "file@example.com"


def test_deploy_versions_rollback_and_diff(cell) -> None:
    _deployed(cell)
    result = cell("%action deploy greet")
    assert isinstance(result, DeployResult) and result.created is False
    cell("%%action greet --trigger post-login\n" + CODE.replace("hello", "hi"))
    assert cell("%action deploy greet").version.number == 2

    history = cell("%action versions greet")  # the versions, shown as the Version history panel
    assert sorted(v.number for v in history) == [1, 2] and isinstance(history[0], ActionVersion)
    assert type(history.panel).__name__ == "HistoryPanel"
    assert "v2 (deployed)" in history.panel.summary() and "v1" in history.panel.summary()
    assert "VERSION" in history.as_text() and "DEPLOYED" in history.as_text()

    rolled = cell("%action rollback greet 1")
    assert rolled.number == 3 and rolled.code == CODE

    diff = cell("%action diff greet 2 3")
    assert '-    print("hi"' in diff and '+    print("hello"' in diff
    assert cell("%action diff greet v1 3") == "no differences"


def test_flow_bind_run_and_logs(cell) -> None:
    _deployed(cell)
    editor = cell("%action flow post-login")  # the flow editor
    assert type(editor).__name__ == "FlowEditor" and editor.tenant.flow("post-login") == []
    bound = cell("%action bind post-login greet")
    assert [b.display_name for b in bound] == ["greet"] and "v1" in bound.as_text()

    execution = cell("%action run post-login")
    assert isinstance(execution, Execution) and execution.kind == "flow"
    assert execution.outcome["status"] == "allowed"

    logs = cell("%action logs --trigger post-login --kind flow")  # the logs panel
    assert type(logs).__name__ == "LogsPanel" and [e.id for e in logs.executions] == [execution.id]
    detail = cell(f"%action logs {execution.id}")
    assert detail.results[0]["action_name"] == "greet" and detail.results[0]["version_number"] == 1
    assert cell("login = %action run post-login\n%action logs login").id == cell("login").id


def test_list_and_show(saved, cell) -> None:
    listing = cell("%action list")
    assert [a.name for a in listing] == ["greet"] and "draft only" in listing.as_text()
    panel = cell("%action show greet")
    assert isinstance(panel, ActionPanel) and panel.changed is None and panel.action.name == "greet"


def test_deps_add_list_remove(offline_index, saved, cell) -> None:
    panel = cell("%action deps add greet ja-hello==1.0")
    assert "ja-hello==1.0 (build: built)" in panel.as_text()
    assert [str(d) for d in cell("%action deps list greet")] == ["ja-hello==1.0"]
    cell("%action deps remove greet ja-hello")
    assert cell("%action deps list greet") == ()


def test_templates_and_new(ip, cell, monkeypatch, tenant) -> None:
    assert "slack-notify-login" in [t.id for t in cell("%action templates")]
    inserted = []
    monkeypatch.setattr(ip, "set_next_input", lambda text, replace=False: inserted.append((text, replace)))
    template = cell("%action new --template mfa-for-admins --name admins-mfa")
    assert template.id == "mfa-for-admins"
    assert inserted == [(template_cell(get_template("mfa-for-admins"), "admins-mfa"), False)]
    # The inserted cell is a working %%action cell, and it brings the template's test cases.
    assert cell(inserted[0][0]).action.name == "admins-mfa"
    assert [r.passed for r in tenant.run_test_cases("admins-mfa")] == [True, True]


def test_dollar_and_braces_are_left_alone(saved, ip, cell) -> None:
    ip.user_ns["price"] = 5
    cell("%action deploy greet --message 'costs {price} and $price'")
    assert cell("%action versions greet")[0].message == "costs {price} and $price"


def test_results_display_as_readable_text(saved, ip, cell) -> None:
    execution = cell("%action test greet")
    text = ip.display_formatter.format(execution)[0]["text/plain"]
    assert text.startswith("test execution ")
    assert "outcome: ALLOWED" in text and "log | hello j+smith@example.com" in text
    assert 'api.id_token.set_custom_claim(key="https://example.com/email"' in text


def test_saved_test_cases(saved, ip, cell) -> None:
    from jupyter_actions.triggers import get_trigger

    payload = get_trigger("post-login").sample_payload()
    payload["user"]["email"] = "case@example.com"
    ip.user_ns["payload"] = payload
    case = cell("%action test greet --payload payload --save-case case-email")
    assert case.name == "case-email"
    assert ip.display_formatter.format(case)[0]["text/plain"].startswith("saved test case 'case-email' expecting")
    results = cell("%action test greet --cases")
    assert [(r.case.name, r.passed) for r in results] == [("case-email", True)]
    assert "1 passed, 0 failed" in results.as_text()

    cell("%%action greet --trigger post-login\n" + CODE.replace("event.user.email)", '"someone else")'))
    failed = cell("%action test greet --cases")
    assert [r.passed for r in failed] == [False] and "FAIL" in failed.as_text()


def test_replay_reports_what_a_candidate_would_change(cell) -> None:
    _deployed(cell)
    cell("%action bind post-login greet")
    cell("%action run post-login")
    assert cell("%action replay post-login --candidate greet@1").report.changed == []
    cell(f"%%action greet --trigger post-login\n{CODE}    api.access.deny('closed')\n")
    report = cell("%action replay post-login --candidate greet@draft")
    assert report.report.totals()["changed"] == 1
    assert 'status: "allowed" -> "denied"' in report.as_text()

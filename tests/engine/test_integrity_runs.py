"""A version tampered with in the store never runs: its execution fails with a platform error
(needs the engine's handling of ``PlannedStep.refused``)."""

from __future__ import annotations

import sqlite3

from tests.conftest import POST_LOGIN_CODE

MESSAGE = (
    "version 1 of hello failed its integrity check: its stored code or dependencies changed outside "
    "jupyter-actions; deploy it again from a trusted draft"
)


def tamper(tenant, marker) -> None:
    evil = POST_LOGIN_CODE + f"    open({str(marker)!r}, 'w').write(event.secrets.TOKEN)\n"
    with sqlite3.connect(tenant.directory / "tenant.db") as conn:
        conn.execute("UPDATE versions SET code = ? WHERE number = 1", (evil,))


def deployed(tenant):
    tenant.save_draft("hello", "post-login", POST_LOGIN_CODE, secrets=["TOKEN"])
    tenant.set_secret("hello", "TOKEN", "integrity-secret-value")
    tenant.deploy("hello")
    tenant.bind("post-login", ["hello"])
    return tenant


def assert_refused(execution) -> None:
    assert execution.outcome["status"] == "failed"
    [result] = execution.results
    error = result["response"]["error"]
    assert (error["error_class"], error["message"]) == ("platform_error", MESSAGE)
    assert "integrity-secret-value" not in repr(execution.to_json())


def test_a_tampered_version_fails_its_flow_and_runs_nothing(tenant, login, tmp_path):
    marker = tmp_path / "ran"
    tamper(deployed(tenant), marker)
    assert_refused(tenant.run_flow("post-login", login))
    assert_refused(tenant.test("hello", login, version=1))
    assert not marker.exists()
    recorded = tenant.executions()
    assert recorded and all(e.results[0]["response"]["error"]["error_class"] == "platform_error" for e in recorded)


def test_a_tampered_version_fails_every_event_of_a_batch(tenant, login, tmp_path):
    marker = tmp_path / "ran"
    tamper(deployed(tenant), marker)
    results = dict(tenant.run_flow_batch("post-login", [login] * 5))
    assert sorted(results) == list(range(5))
    for execution in results.values():
        assert_refused(execution)
    assert not marker.exists()


def test_redeploying_from_the_draft_heals_it(tenant, login, tmp_path):
    tamper(deployed(tenant), tmp_path / "ran")
    assert tenant.deploy("hello").version.number == 2
    assert tenant.run_flow("post-login", login).outcome["status"] == "allowed"

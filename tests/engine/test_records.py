"""Execution records: Auth0's shape, secrets redacted everywhere, the cache kept across runs."""

from __future__ import annotations

import json

from jupyter_actions import Tenant
from tests.waiting import wait_until

SECRET = "Redact-Me-Value-91b2c7"


def test_secret_values_leave_no_trace(tenant, deploy, login, cli, actions_home):
    deploy(
        "leaky",
        """
import logging
print(event.secrets.TOKEN)
print(event.secrets.TOKEN[:6], end="")
print(event.secrets.TOKEN[6:])
logging.warning("token %s", event.secrets.TOKEN)
api.id_token.set_custom_claim("https://x/t", event.secrets.TOKEN)
raise RuntimeError("failed with " + event.secrets.TOKEN)
""",
        secrets={"TOKEN": SECRET},
    )
    tenant.bind("post-login", ["leaky"])
    login["secrets"] = {"TOKEN": SECRET}
    execution = tenant.run_flow("post-login", login)
    assert execution.outcome["status"] == "failed"
    logs = execution.results[0]["response"]["logs"]
    assert logs.count("[REDACTED]") == 3 and SECRET not in logs
    stored = tenant.execution(execution.id)
    assert SECRET not in json.dumps(stored.to_json())
    assert stored.event["secrets"] == {"TOKEN": "[REDACTED]"}
    for args in (
        ("executions", "show", execution.id),
        ("executions", "show", execution.id, "--json"),
        ("executions", "list", "--json"),
    ):
        result = cli(*args)
        assert result.status == 0 and SECRET not in result.out + result.err
    tenant.close()
    for path in actions_home.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path


def test_record_shape_mirrors_auth0(tenant, deploy, login):
    deploy("hello", 'print("hi")')
    tenant.bind("post-login", ["hello"])
    execution = tenant.run_flow("post-login", login)
    shape = tenant.execution(execution.id).to_json()
    assert {"id", "trigger_id", "status", "results", "created_at", "updated_at", "outcome", "event"} <= shape.keys()
    result = shape["results"][0]
    assert {"action_name", "binding_id", "version_id", "started_at", "ended_at", "response"} <= result.keys()
    assert set(result["response"]["stats"]) >= {
        "action_duration_ms",
        "boot_duration_ms",
        "network_duration_ms",
        "total_request_duration_ms",
    }
    assert [e.id for e in tenant.executions(trigger="post-login")] == [execution.id]
    assert tenant.executions(trigger="credentials-exchange") == []


def test_cache_holds_across_executions_and_processes(tenant, deploy, login):
    deploy(
        "counter",
        """
hit = api.cache.get("count")
count = int(hit["value"]) + 1 if hit else 1
api.cache.set("count", str(count))
api.id_token.set_custom_claim("https://x/count", count)
""",
    )
    tenant.bind("post-login", ["counter"])
    counts = [tenant.run_flow("post-login", login).outcome["id_token_claims"]["https://x/count"] for _ in range(3)]
    with Tenant() as other:
        counts.append(other.run_flow("post-login", login).outcome["id_token_claims"]["https://x/count"])
    assert counts == [1, 2, 3, 4]


CACHER = """
hit = api.cache.get("token")
api.id_token.set_custom_claim("https://x/seen", hit["value"] if hit else None)
api.cache.set("token", event.secrets["API_KEY"])
"""


def test_cache_values_are_encrypted_at_rest(tenant, deploy, login):
    """``api.cache.set("token", secret)``: the value is given back to later runs, and the store
    holds it only encrypted; an entry that does not decrypt (written in clear by an older
    version, or with another key) reads as absent."""
    deploy("cacher", CACHER, secrets={"API_KEY": "cached-secret-Kq81"})
    tenant.bind("post-login", ["cacher"])
    claims = [tenant.run_flow("post-login", login).outcome["id_token_claims"]["https://x/seen"] for _ in range(2)]
    assert claims == [None, "cached-secret-Kq81"]
    tenant.flush()
    with tenant.store.read() as conn:
        stored = conn.exec_driver_sql("SELECT value FROM cache_entries").scalars().all()
    assert len(stored) == 1 and "cached-secret-Kq81" not in stored[0]
    with tenant.store.write() as conn:
        conn.exec_driver_sql("UPDATE cache_entries SET value = 'written in clear'")
    assert tenant.run_flow("post-login", login).outcome["id_token_claims"]["https://x/seen"] is None


def test_retention_prunes_old_executions(tenant, deploy, login):
    deploy("hello", "pass")
    tenant.bind("post-login", ["hello"])
    tenant.run_flow("post-login", login)
    assert tenant.prune_executions() == 0  # younger than the default retention
    tenant.configure("execution_retention_days", 0.000001)  # 86.4 ms
    assert wait_until(tenant.prune_executions, 10, "the execution to age past the retention") == 1
    assert tenant.executions() == []


def test_execution_filters(tenant, deploy, login, cli):
    deploy("first", "pass")
    deploy("second", 'api.access.deny("no")')
    tenant.bind("post-login", ["first"])
    only_first = tenant.run_flow("post-login", login)
    tenant.bind("post-login", ["first", "second"])
    both = tenant.run_flow("post-login", login)
    assert [e.id for e in tenant.executions(action="second")] == [both.id]
    assert [e.id for e in tenant.executions(action="first")] == [both.id, only_first.id]
    assert [e.id for e in tenant.executions(status="denied")] == [both.id]
    assert [e.id for e in tenant.executions(until=both.created_at)] == [only_first.id]
    assert tenant.executions(since=both.updated_at[:-1] + "9Z") == []
    listed = cli("executions", "list", "--action", "second", "--json")
    assert [e["id"] for e in json.loads(listed.out)["executions"]] == [both.id]


def test_a_value_cached_by_another_action_or_version_is_redacted(tenant, deploy, login):
    """``api.cache`` is the trigger's: a step can show a value that another action, or another
    version of its own, cached. Views and records redact every value the trigger's actions hold."""
    deploy("stash", 'api.cache.set("token", event.secrets.TOKEN)', secrets={"TOKEN": SECRET})
    deploy(
        "show",
        'api.id_token.set_custom_claim("https://x/t", api.cache.get("token")["value"])\n'
        'print(api.cache.get("token")["value"])',
    )
    tenant.bind("post-login", ["stash", "show"])
    claims = tenant.run_flow("post-login", login).outcome["id_token_claims"]
    assert claims == {"https://x/t": SECRET}  # what the application receives
    for shown in (
        tenant.test("show"),
        tenant.run_flow("post-login", login, redacted=True),
        tenant.executions(kind="flow")[0],
        tenant.executions(kind="test")[0],
    ):
        assert SECRET not in json.dumps(shown.to_json()) and shown.outcome["id_token_claims"] == {
            "https://x/t": "[REDACTED]"
        }

    tenant.set_secret("stash", "TOKEN", "the-rotated-token-value")  # the draft; version 1 still holds SECRET
    tenant.bind("post-login", ["stash", "show"])
    tenant.run_flow("post-login", login)  # the cache holds SECRET again, from version 1
    report = tenant.replay("post-login", "stash@draft")
    assert SECRET not in json.dumps(report.to_json()) and "the-rotated-token-value" not in json.dumps(report.to_json())

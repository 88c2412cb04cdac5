"""Flows with Auth0's semantics (reference section 4), through real worker processes."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

import pytest

from jupyter_actions import ExecutionError


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def hs256(payload: dict, secret: str) -> str:
    """A JWT as an external site would sign it (independent of our implementation)."""
    signing_input = _b64(b'{"alg":"HS256","typ":"JWT"}') + "." + _b64(json.dumps(payload).encode())
    signature = hmac.new(secret.encode(), signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + _b64(signature)


def jwt_payload(token: str) -> dict:
    body = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def names(execution) -> list[str]:
    return [r["action_name"] for r in execution.results]


def test_bindings_run_in_order_and_claims_fold(tenant, deploy, login):
    deploy("first", 'print("one")\napi.id_token.set_custom_claim("https://x/order", ["first"])')
    deploy(
        "second",
        'print("two")\napi.id_token.set_custom_claim("https://x/order", ["second"])\napi.access_token.add_scope("read:x")',
    )
    tenant.bind("post-login", ["second", "first"])
    execution = tenant.run_flow("post-login", login)
    assert names(execution) == ["second", "first"]
    assert [r["response"]["logs"] for r in execution.results] == ["two\n", "one\n"]
    assert execution.outcome["status"] == "allowed" and execution.status == "final"
    assert execution.outcome["id_token_claims"] == {"https://x/order": ["first"]}
    assert execution.outcome["scopes"] == {"add": ["read:x"], "remove": []}
    assert [r["binding_id"] for r in execution.results] == [b.id for b in tenant.flow("post-login")]


def test_metadata_is_visible_to_the_next_action_and_folded_once(tenant, deploy, login):
    deploy("writer", 'api.user.set_app_metadata("plan", "gold")\napi.transaction.set_metadata("seen", True)')
    deploy(
        "reader",
        'api.id_token.set_custom_claim("https://x/plan", event.user.app_metadata.plan)\n'
        'api.id_token.set_custom_claim("https://x/seen", event.transaction.metadata.seen)',
    )
    tenant.bind("post-login", ["writer", "reader"])
    outcome = tenant.run_flow("post-login", login).outcome
    assert outcome["id_token_claims"] == {"https://x/plan": "gold", "https://x/seen": True}
    assert outcome["app_metadata"] == {"plan": "gold"}


def test_deny_finishes_the_action_stops_the_flow_and_keeps_metadata(tenant, deploy, login):
    deploy("meta", 'api.user.set_user_metadata("visited", 1)')
    deploy("gate", 'api.access.deny("No entry.")\nprint("after deny")')
    deploy("later", 'api.id_token.set_custom_claim("https://x/later", 1)')
    tenant.bind("post-login", ["meta", "gate", "later"])
    execution = tenant.run_flow("post-login", login)
    assert names(execution) == ["meta", "gate"]
    assert execution.results[1]["response"]["logs"] == "after deny\n"
    assert execution.outcome["status"] == "denied"
    assert execution.outcome["deny"]["reason"] == "No entry."
    assert execution.outcome["user_metadata"] == {"visited": 1}
    assert execution.outcome["id_token_claims"] == {}


def test_exception_fails_closed_and_skips_the_rest(tenant, deploy, login):
    deploy("boom", 'raise ValueError("broken lookup")')
    deploy("later", 'api.id_token.set_custom_claim("https://x/later", 1)')
    tenant.bind("post-login", ["boom", "later"])
    execution = tenant.run_flow("post-login", login)
    assert names(execution) == ["boom"]
    assert execution.outcome["status"] == "failed" and execution.status == "partial"
    error = execution.outcome["error"]
    assert error["action_name"] == "boom" and error["error_class"] == "action_error"
    assert "broken lookup" in error["message"]
    assert "ValueError" in execution.results[0]["response"]["error"]["stack"]


@pytest.mark.slow
def test_redirect_suspends_and_continue_resumes_in_the_same_action(tenant, deploy, login):
    deploy("before", 'api.user.set_app_metadata("step", "before")')
    tenant.save_draft(
        "terms",
        "post-login",
        """
async def on_execute_post_login(event, api):
    token = api.redirect.encode_token(secret=event.secrets.SIGNING, payload={"terms": "v1"})
    api.redirect.send_user_to("https://example.com/terms", query={"session_token": token})

async def on_continue_post_login(event, api):
    payload = api.redirect.validate_token(secret=event.secrets.SIGNING)
    api.user.set_app_metadata("accepted_terms", payload["terms"])
""",
        secrets=["SIGNING"],
    )
    tenant.set_secret("terms", "SIGNING", "signing-key-for-terms-0123456789")
    tenant.deploy("terms")
    deploy("after", 'api.id_token.set_custom_claim("https://x/terms", event.user.app_metadata.accepted_terms)')
    tenant.bind("post-login", ["before", "terms", "after"])

    suspended = tenant.run_flow("post-login", login)
    assert suspended.outcome["status"] == "suspended" and suspended.status == "suspended"
    assert names(suspended) == ["before", "terms"]
    url = suspended.outcome["redirect"]["url"]
    assert url.startswith("https://example.com/terms?") and "session_token=" in url
    sent = url.split("session_token=")[1].split("&")[0]
    assert jwt_payload(sent)["terms"] == "v1"

    # the terms site answers with its own token, carrying Auth0's state (reference 3.6)
    state = login["transaction"]["state"]
    answer = hs256(
        {
            "sub": login["user"]["user_id"],
            "iss": login["request"]["hostname"],
            "state": state,
            "terms": "v1",
            "exp": int(time.time()) + 60,
        },
        "signing-key-for-terms-0123456789",
    )
    request = dict(login["request"], query={"state": state, "session_token": answer})
    resumed = tenant.continue_flow(suspended.id, request)
    assert resumed.id == suspended.id
    assert names(resumed) == ["before", "terms", "terms", "after"]
    assert resumed.outcome["status"] == "allowed" and resumed.status == "final"
    assert resumed.outcome["app_metadata"] == {"step": "before", "accepted_terms": "v1"}
    assert resumed.outcome["id_token_claims"] == {"https://x/terms": "v1"}
    stored = tenant.execution(suspended.id)
    assert stored.status == "final" and len(stored.results) == 4
    with pytest.raises(Exception, match="not suspended"):
        tenant.continue_flow(suspended.id, request)


def test_a_deploy_between_executions_changes_the_version_that_runs(tenant, deploy, login):
    deploy("claim", 'api.id_token.set_custom_claim("https://x/v", 1)')
    tenant.bind("post-login", ["claim"])
    first = tenant.run_flow("post-login", login)
    deploy("claim", 'api.id_token.set_custom_claim("https://x/v", 2)')
    second = tenant.run_flow("post-login", login)
    assert first.outcome["id_token_claims"] == {"https://x/v": 1} and first.results[0]["version_number"] == 1
    assert second.outcome["id_token_claims"] == {"https://x/v": 2} and second.results[0]["version_number"] == 2


def test_non_blocking_trigger_errors_leave_the_outcome(tenant, deploy):
    from jupyter_actions.triggers import get_trigger

    deploy("fails", 'raise RuntimeError("webhook down")', trigger="post-user-registration")
    deploy("runs", 'print("still ran")', trigger="post-user-registration")
    tenant.bind("post-user-registration", ["fails", "runs"])
    execution = tenant.run_flow("post-user-registration", get_trigger("post-user-registration").sample_payload())
    assert execution.outcome["status"] == "allowed"
    assert names(execution) == ["fails", "runs"]
    assert execution.results[0]["response"]["error"]["error_class"] == "action_error"


def test_empty_flow_and_invalid_payload_are_clear_errors(tenant, deploy, login):
    from jupyter_actions import PayloadError

    with pytest.raises(ExecutionError, match="has no bound actions"):
        tenant.run_flow("post-login", login)
    deploy("claim", "pass")
    tenant.bind("post-login", ["claim"])
    login["user"]["email"] = 42
    with pytest.raises(PayloadError, match=r"\$\.user\.email"):
        tenant.run_flow("post-login", login)
    assert tenant.executions() == []

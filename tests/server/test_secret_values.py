"""Create and update with secret values against a real `serve`: the draft and its values are
written in one transaction, a refused value answers Auth0's 400 and writes nothing, and no value
reaches a response or the log."""

from __future__ import annotations

import pytest

from jupyter_actions.cipher import MAX_VALUE_CHARS
from jupyter_actions.triggers import get_trigger
from tests.conftest import POST_LOGIN_CODE, READS_SECRETS, digest
from tests.store_rows import snapshot

from .conftest import Server, start

VALUE = "v4lue-Never-Shown-5c0a"
OTHER = "0ther-Never-Shown-e6f2"


def _create(name: str, values: dict) -> dict:
    return {
        "name": name,
        "supported_triggers": [{"id": "post-login"}],
        "code": READS_SECRETS,
        "secrets": [{"name": k, "value": v} for k, v in values.items()],
    }


def _auth0_error(response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"statusCode", "error", "message", "errorCode"} and "\n" not in body["message"]
    assert (body["statusCode"], body["errorCode"]) == (status, code)


def test_an_action_created_with_values_is_tested_with_them_and_patch_keeps_the_others(server: Server, tenant):
    client = server.client("manage")
    created = client.post("/actions/actions", json=_create("keyed", {"API_KEY": VALUE}))
    assert created.status_code == 201, created.text
    action_id = created.json()["id"]
    patched = client.patch(f"/actions/actions/{action_id}", json={"secrets": [{"name": "OTHER", "value": OTHER}]})
    assert patched.status_code == 200, patched.text
    assert [(s["name"], s["is_set"]) for s in patched.json()["secrets"]] == [("API_KEY", True), ("OTHER", True)]
    assert [(s.name, s.is_set) for s in tenant.list_secrets("keyed")] == [("API_KEY", True), ("OTHER", True)]
    tested = client.post(
        f"/actions/actions/{action_id}/test", json={"payload": get_trigger("post-login").sample_payload()}
    )
    assert tested.status_code == 200, tested.text
    claims = tested.json()["payload"]["outcome"]["id_token_claims"]
    assert claims == {"API_KEY": digest(VALUE), "OTHER": digest(OTHER)}
    deployed = client.post(
        "/actions/actions", json={**_create("deployed", {"API_KEY": VALUE, "OTHER": OTHER}), "deploy": True}
    )
    assert deployed.status_code == 201 and deployed.json()["deployed_version"]["number"] == 1, deployed.text
    for response in (created, patched, tested, deployed):
        assert VALUE not in response.text and OTHER not in response.text
    log = server.log()
    assert VALUE not in log and OTHER not in log


@pytest.mark.parametrize(
    "value",
    ["x" * (MAX_VALUE_CHARS + 1), 1234, "abc", "null"],
    ids=["too-long", "not-text", "too-short", "json-literal"],
)
def test_a_refused_value_answers_400_and_changes_nothing(server: Server, tenant, value):
    client = server.client("manage")
    kept = client.post("/actions/actions", json=_create("kept", {"API_KEY": OTHER}))
    assert kept.status_code == 201, kept.text
    before = snapshot(tenant)
    values = {"API_KEY": VALUE, "OTHER": value}
    refused = [
        client.post("/actions/actions", json=_create("new", values)),
        client.patch(
            f"/actions/actions/{kept.json()['id']}",
            json={"code": POST_LOGIN_CODE, "secrets": [{"name": k, "value": v} for k, v in values.items()]},
        ),
    ]
    for response in refused:
        _auth0_error(response, 400, "invalid_body")
        assert "secret OTHER" in response.json()["message"]
        assert VALUE not in response.text and OTHER not in response.text
    assert snapshot(tenant) == before
    log = server.log()
    assert VALUE not in log and OTHER not in log and "Traceback" not in log


def test_a_server_that_could_not_write_the_values_does_not_start(tenant, tmp_path, monkeypatch):
    """A server with the wrong master key could not encrypt the values it is sent (nor read the
    stored ones): it refuses to start, in one line naming the variable, before it writes
    anything. (The rollback of a draft whose values cannot be written is tested on the Tenant:
    tests/tenant/test_draft_secret_values.py.)"""
    from cryptography.fernet import Fernet

    tenant.save_draft("kept", "post-login", POST_LOGIN_CODE, secret_values={"API_KEY": OTHER})
    before = snapshot(tenant)
    monkeypatch.setenv("JUPYTER_ACTIONS_MASTER_KEY", Fernet.generate_key().decode())
    with pytest.raises(RuntimeError, match="serve did not start") as refused:
        start(tmp_path / "serve.log")
    said = str(refused.value).removeprefix("serve did not start: ").strip()  # its stdout, then its log
    assert "\n" not in said and said.startswith("error: ") and "JUPYTER_ACTIONS_MASTER_KEY" in said, said
    assert snapshot(tenant) == before
    assert OTHER not in str(refused.value) and "Traceback" not in str(refused.value)

"""Tokens and bad input against a real `serve`: the right status, Auth0's body, nothing changed,
and no secret value or traceback in any response or log line."""

from __future__ import annotations

import re
import time

import pytest

from jupyter_actions.server import tokens
from jupyter_actions.server.core import MAX_BODY_BYTES
from jupyter_actions.server.routes import ROUTES
from jupyter_actions.store.schema import api_tokens

from .conftest import start

SECRET = "s3cret-value-never-shown"
UNDEPLOYED_BINDING = b'{"bindings": [{"ref": {"type": "action_name", "value": "keep"}}]}'
CODE = """
async def on_execute_post_login(event, api):
    api.id_token.set_custom_claim("https://example.com/key", event.secrets.API_KEY)
"""


def _auth0_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"statusCode", "error", "message", "errorCode"} and body["statusCode"] == status
    assert "Traceback" not in response.text and "\n" not in body["message"]
    if code:
        assert body["errorCode"] == code, body
    return body


def _concrete(path: str) -> str:
    return re.sub(r"\{\w+\}", "post-login", path)


def test_every_route_answers_401_without_credentials_and_403_with_a_weaker_scope(server):
    anonymous = server.client(None)
    for route in ROUTES:
        response = anonymous.request(route.method, _concrete(route.path), content=b"{}")
        _auth0_error(response, 401, "invalid_token")
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    for scope in ("execute", "read"):
        client = server.client(scope)
        for route in ROUTES:
            if route.scope != scope:
                response = client.request(route.method, _concrete(route.path), content=b"{}")
                _auth0_error(response, 403, "insufficient_scope")


def test_invalid_expired_and_revoked_tokens_are_401(server, tenant):
    bad = [
        "Bearer nope",
        "Basic abc",
        "Bearer jat_0123456789abcdef_" + "A" * 43,
        "Bearer " + server.tokens["manage"][:-1] + ("B" if server.tokens["manage"][-1] != "B" else "C"),
    ]
    for header in bad:
        response = server.client(None).get("/actions/actions", headers={"Authorization": header})
        _auth0_error(response, 401, "invalid_token")

    _, short = tokens.create(tenant, "short", "read", expires="1s")
    assert server.client(None).get("/actions/actions", headers={"Authorization": f"Bearer {short}"}).status_code == 200
    time.sleep(1.2)
    body = _auth0_error(server.client(None).get("/actions/actions", headers={"Authorization": f"Bearer {short}"}), 401)
    assert "Expired" in body["message"]

    tokens.revoke(tenant, "read-token")
    time.sleep(tokens.CACHE_SECONDS + 0.1)
    body = _auth0_error(server.client("read").get("/actions/actions"), 401)
    assert "revoked" in body["message"]


def test_tokens_are_stored_hashed_listed_and_revoked(tenant):
    _, token = tokens.create(tenant, "app", "execute", expires="30d")
    with tenant.store.read() as conn:
        row = conn.execute(api_tokens.select()).one()
    assert token not in str(tuple(row)) and token.split("_")[2] not in str(tuple(row))
    assert [(t.name, t.scope, t.active) for t in tokens.list_tokens(tenant)] == [("app", "execute", True)]
    assert tokens.revoke(tenant, "app").active is False
    assert tokens.create(tenant, "app", "read")[0].scope == "read"  # a revoked name can be reused
    tokens.revoke(tenant, "app")
    for bad in [("bad name!", "read", None), ("x", "admin", None), ("y", "read", "forever"), ("z", "read", "0h")]:
        with pytest.raises(Exception, match="invalid"):
            tokens.create(tenant, *bad)
    tokens.create(tenant, "live", "read")
    with pytest.raises(Exception, match="exists"):
        tokens.create(tenant, "live", "manage")
    assert [(t.name, t.scope) for t in tokens.list_tokens(tenant)] == [("app", "read"), ("live", "read")]


def test_bad_bodies_get_auth0_errors_and_change_nothing(server, tenant):
    client = server.client("manage")
    created = client.post(
        "/actions/actions",
        json={
            "name": "keep",
            "supported_triggers": [{"id": "post-login"}],
            "code": CODE,
            "secrets": [{"name": "API_KEY", "value": SECRET}],
        },
    )
    assert created.status_code == 201
    action_id = created.json()["id"]
    before = tenant.get_action("keep")
    cases = [
        ("POST", "/actions/actions", b'{"name": ', 400, "invalid_body"),  # malformed JSON
        ("POST", "/actions/actions", b"[1, 2]", 400, "invalid_body"),  # not an object
        ("POST", "/actions/actions", b'{"name": 5, "supported_triggers": [{"id": "post-login"}]}', 400, None),
        ("POST", "/actions/actions", b'{"name": "n", "supported_triggers": "post-login"}', 400, None),
        ("POST", "/actions/actions", b'{"name": "n", "supported_triggers": [{"id": "nope"}]}', 404, None),
        ("POST", "/actions/actions", b'{"name": "n", "supported_triggers": [{"id": "post-login"}], "x": 1}', 400, None),
        (
            "POST",
            "/actions/actions",
            b'{"name": "n", "supported_triggers": [{"id": "post-login"}], "runtime": "node22"}',
            400,
            None,
        ),
        ("POST", "/actions/actions", b'{"name": "keep", "supported_triggers": [{"id": "post-login"}]}', 409, None),
        ("POST", "/actions/actions", b'{"a": NaN}', 400, "invalid_body"),
        ("PATCH", f"/actions/actions/{action_id}", b'{"code": 12}', 400, None),
        ("PATCH", f"/actions/actions/{action_id}", b'{"code": "def broken(:"}', 400, None),
        (
            "PATCH",
            f"/actions/actions/{action_id}",
            b'{"secrets": [{"name": "1bad", "value": "whatever-value"}]}',
            400,
            None,
        ),
        ("PATCH", "/actions/actions/no-such-id", b'{"code": "x"}', 404, "inexistent_action"),
        ("DELETE", "/actions/actions/no-such-id", b"", 404, "inexistent_action"),
        ("GET", "/actions/actions?per_page=1000", b"", 400, "invalid_query_string"),
        ("GET", "/actions/actions?deployed=yes", b"", 400, "invalid_query_string"),
        ("GET", "/actions/executions/no-such-execution", b"", 404, "inexistent_execution"),
        ("PATCH", "/actions/triggers/post-login/bindings", b"{}", 400, None),
        ("PATCH", "/actions/triggers/post-login/bindings", UNDEPLOYED_BINDING, 409, None),
        ("POST", "/jupyter-actions/flows/post-login/executions", b'{"event": {}}', 400, "invalid_payload"),
        ("POST", "/jupyter-actions/flows/nope/executions", b'{"event": {}}', 404, "inexistent_trigger"),
        ("POST", "/jupyter-actions/flows/executions/none/continue", b"{}", 404, None),
        ("PUT", f"/jupyter-actions/actions/{action_id}/secrets/API_KEY", b'{"value": 1}', 400, None),
        ("GET", "/nothing/here", b"", 404, "inexistent_endpoint"),
        ("PUT", "/actions/actions", b"{}", 405, "method_not_allowed"),
    ]
    for method, path, content, status, code in cases:
        _auth0_error(client.request(method, path, content=content), status, code)
    oversized = b'{"event": {"pad": "' + b"x" * MAX_BODY_BYTES + b'"}}'
    _auth0_error(
        client.post("/jupyter-actions/flows/post-login/executions", content=oversized), 413, "payload_too_large"
    )
    assert tenant.get_action("keep") == before
    assert [a.name for a in tenant.list_actions()] == ["keep"]
    assert tenant.flow("post-login") == []
    assert tenant.executions() == []
    assert SECRET not in server.log()


def test_secret_values_are_write_only(server, tenant):
    client = server.client("manage")
    created = client.post(
        "/actions/actions",
        json={
            "name": "keyed",
            "supported_triggers": [{"id": "post-login"}],
            "code": CODE,
            "secrets": [{"name": "API_KEY", "value": SECRET}],
        },
    )
    action_id = created.json()["id"]
    other = "an0ther-secret-value"
    responses = [
        created,
        client.put(f"/jupyter-actions/actions/{action_id}/secrets/OTHER", json={"value": other}),
        client.get(f"/jupyter-actions/actions/{action_id}/secrets"),
        client.get(f"/actions/actions/{action_id}"),
        client.post(f"/actions/actions/{action_id}/deploy"),
        client.get("/actions/actions"),
    ]
    from jupyter_actions.triggers import get_trigger

    tested = client.post(
        f"/actions/actions/{action_id}/test", json={"payload": get_trigger("post-login").sample_payload()}
    )
    responses.append(tested)
    assert tested.status_code == 200, tested.text
    assert {s["name"]: s["is_set"] for s in responses[2].json()["secrets"]} == {"API_KEY": True, "OTHER": True}
    for response in responses:
        assert response.status_code < 300, response.text
        assert SECRET not in response.text and other not in response.text
    log = server.log()
    assert SECRET not in log and other not in log and "Traceback" not in log


def test_serve_binds_loopback_by_default_and_finishes_requests_under_way_on_sigterm(tenant, tmp_path):
    import threading

    import httpx

    slow = "import time\n\nasync def on_execute_post_login(event, api):\n    time.sleep(1.5)\n"
    tenant.save_draft("slow", "post-login", slow, deploy=True)
    tenant.bind("post-login", ["slow"])
    _, token = tokens.create(tenant, "app", "execute")
    process, port = start(tmp_path / "serve.log")
    with open("/proc/net/tcp") as table:
        rows = table.read().splitlines()[1:]
    listening = [
        line.split()[1] for line in rows if line.split()[3] == "0A" and int(line.split()[1].split(":")[1], 16) == port
    ]
    assert listening == [f"0100007F:{port:04X}"]  # 127.0.0.1 only
    from jupyter_actions.triggers import get_trigger

    answers = []

    def login() -> None:
        answers.append(
            httpx.post(
                f"http://127.0.0.1:{port}/api/v2/jupyter-actions/flows/post-login/executions",
                json={"event": get_trigger("post-login").sample_payload()},
                headers={"Authorization": f"Bearer {token}"},
                timeout=60,
            )
        )

    thread = threading.Thread(target=login)
    thread.start()
    time.sleep(0.7)  # the flow is running
    process.terminate()
    thread.join(60)
    assert process.wait(60) == 0
    assert answers[0].status_code == 200 and answers[0].json()["status"] == "final"

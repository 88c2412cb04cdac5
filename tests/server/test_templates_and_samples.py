"""What the JupyterLab extension needs beyond Auth0's API: a new action from a template and a
trigger's sample event, through a real ``serve``."""

from __future__ import annotations

import shlex

from jupyter_actions.templates import get_template
from jupyter_actions.triggers import all_triggers, get_trigger
from tests.store_rows import snapshot


def test_an_action_is_created_from_a_template_with_its_code_and_secret_names(server, tenant):
    with server.client() as client:
        created = client.post("/jupyter-actions/templates/terms-redirect/actions", json={"name": "terms"})
        assert created.status_code == 201, created.text
        body = created.json()
        assert body["name"] == "terms" and body["supported_triggers"][0]["id"] == "post-login"
        action = tenant.get_action("terms")
        assert action.code == get_template("terms-redirect").code
        assert [s["name"] for s in body["secrets"]] == ["TERMS_TOKEN_SECRET"]
        by_default = client.post("/jupyter-actions/templates/login-counter/actions")
        assert by_default.status_code == 201 and by_default.json()["name"] == "login-counter"


def test_a_template_refusal_is_one_auth0_error_and_changes_nothing(server, tenant):
    tenant.save_draft("taken", "post-login", "def on_execute_post_login(event, api):\n    pass\n")
    before = snapshot(tenant)
    with server.client() as client:
        for path, body, status in (
            ("/jupyter-actions/templates/no-such-template/actions", {"name": "x"}, 404),
            ("/jupyter-actions/templates/login-counter/actions", {"name": "taken"}, 409),
            ("/jupyter-actions/templates/login-counter/actions", {"name": 7}, 400),
            ("/jupyter-actions/templates/login-counter/actions", {"title": "x"}, 400),
        ):
            answer = client.post(path, json=body)
            assert answer.status_code == status, answer.text
            error = answer.json()
            assert error["statusCode"] == status and "\n" not in error["message"] and error["errorCode"]
    assert snapshot(tenant) == before


def test_a_template_with_a_module_deploys_it_with_the_secret_values_of_the_body(server, tenant):
    """The gallery's port of Auth0's first Actions Module sample: the body carries the module's
    secret values, which no answer shows."""
    values = {"SERVICE_URL": "http://127.0.0.1:9/logs", "API_KEY": "rest-logger-key-8d2e"}
    with server.client() as client:
        created = client.post(
            "/jupyter-actions/templates/log-logins-module/actions", json={"module_secrets": {"logger": values}}
        )
        assert created.status_code == 201, created.text
        assert [(m["module_name"], m["module_version_number"]) for m in created.json()["modules"]] == [("logger", 1)]
        assert "rest-logger-key-8d2e" not in created.text
        before = snapshot(tenant)
        for body in ({"module_secrets": ["logger"]}, {"module_secrets": {"logger": {"API_KEY": 7}}}):
            answer = client.post("/jupyter-actions/templates/log-logins-module/actions", json={"name": "x", **body})
            assert answer.status_code == 400 and "module_secrets" in answer.json()["message"], answer.text
        assert snapshot(tenant) == before
    assert tenant.get_module("logger").secrets[0].is_set


def test_every_trigger_has_its_sample_event_and_an_unknown_one_is_404(server):
    with server.client("read") as client:
        for trigger in all_triggers():
            answer = client.get(f"/jupyter-actions/triggers/{trigger.id}/sample")
            assert answer.status_code == 200, answer.text
            assert answer.json() == {"trigger_id": trigger.id, "payload": get_trigger(trigger.id).sample_payload()}
        missing = client.get("/jupyter-actions/triggers/post-logon/sample")
        assert missing.status_code == 404 and missing.json()["errorCode"] == "inexistent_trigger"


def test_an_actions_cell_saves_the_same_draft_when_run(server, tenant):
    """The cell names the secrets and pins and holds the code; the magic's own parser reads it
    back to the same draft (the value of a secret is in no cell)."""
    from jupyter_actions.magics._commands import build_cell_parser

    tenant.create_from_template("terms-redirect", "terms")
    tenant.set_secret("terms", "TERMS_TOKEN_SECRET", "s3cret-value-for-the-cell")
    action = tenant.get_action("terms")
    with server.client("read") as client:
        answer = client.get(f"/jupyter-actions/actions/{action.id}/cell")
    assert answer.status_code == 200, answer.text
    source = answer.json()["source"]
    assert "s3cret-value-for-the-cell" not in answer.text
    line, code = source.split("\n", 1)
    parsed = build_cell_parser().parse_args(shlex.split(line)[1:])
    assert (parsed.name, parsed.trigger, parsed.secret, code) == (
        "terms",
        "post-login",
        ["TERMS_TOKEN_SECRET"],
        action.code,
    )


def test_a_deploy_may_carry_a_message_kept_on_its_version(server, tenant):
    action, _ = tenant.save_draft("noted", "post-login", "def on_execute_post_login(event, api):\n    pass\n")
    with server.client() as client:
        plain = client.post(f"/actions/actions/{action.id}/deploy")
        assert plain.status_code == 202 and plain.json()["number"] == 1 and plain.json()["message"] is None
        tenant.save_draft("noted", "post-login", "def on_execute_post_login(event, api):\n    print(1)\n")
        noted = client.post(f"/actions/actions/{action.id}/deploy", json={"message": "second, with a note"})
        assert noted.status_code == 202, noted.text
        assert noted.json()["number"] == 2 and noted.json()["message"] == "second, with a note"
        listed = client.get(f"/actions/actions/{action.id}/versions").json()["versions"]
        assert {v["number"]: v["message"] for v in listed} == {1: None, 2: "second, with a note"}
        refused = client.post(f"/actions/actions/{action.id}/deploy", json={"message": 3})
        assert refused.status_code == 400 and refused.json()["errorCode"] == "invalid_body"
        assert client.post(f"/actions/actions/{action.id}/deploy", json={"msg": "x"}).status_code == 400
